SELECT
  "t14"."created_at",
  "t14"."platform",
  "t14"."handle",
  "t14"."campaign",
  "t14"."text",
  "t14"."replies",
  "t14"."shares",
  "t14"."likes"
FROM (
  SELECT
    "t13".*
    EXCLUDE ("ip", "ipid")
  FROM (
    SELECT
      "t12"."platform",
      "t12"."post_id",
      "t12"."handle",
      "t12"."created_at",
      "t12"."text",
      "t12"."url",
      "t12"."campaign",
      "t12"."link_code",
      "t12"."ip",
      "t12"."ipid",
      COALESCE("t12"."replies", 0) AS "replies",
      COALESCE("t12"."shares", 0) AS "shares",
      COALESCE("t12"."likes", 0) AS "likes"
    FROM (
      SELECT
        "t11"."platform",
        "t11"."post_id",
        "t11"."handle",
        "t11"."created_at",
        "t11"."text",
        "t11"."url",
        "t11"."campaign",
        "t11"."link_code",
        "t9"."ip",
        "t9"."ipid",
        "t9"."replies",
        "t9"."shares",
        "t9"."likes"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t3"."platform",
            "t3"."post_id",
            "t3"."handle",
            "t3"."created_at",
            "t3"."text",
            "t3"."url",
            "t3"."campaign",
            "t3"."link_code"
          FROM "posts" AS "t3"
          SEMI JOIN (
            SELECT
              "t2"."platform",
              "t2"."handle"
            FROM "accounts" AS "t2"
            WHERE
              "t2"."owner" = 'brand'
          ) AS "t6"
            ON "t3"."platform" = "t6"."platform" AND "t3"."handle" = "t6"."handle"
        ) AS "t8"
        WHERE
          "t8"."platform" = 'x'
          AND "t8"."created_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
          AND "t8"."created_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
      ) AS "t11"
      LEFT OUTER JOIN (
        SELECT
          "t5"."platform" AS "ip",
          "t5"."post_id" AS "ipid",
          COUNT(*) FILTER(WHERE
            "t5"."reaction" = 'replies') AS "replies",
          COUNT(*) FILTER(WHERE
            "t5"."reaction" = 'shares') AS "shares",
          COUNT(*) FILTER(WHERE
            "t5"."reaction" = 'likes') AS "likes"
        FROM (
          SELECT
            "t1"."platform",
            "t1"."interaction_id",
            "t1"."created_at",
            "t1"."kind",
            "t1"."direction",
            "t1"."actor_handle",
            "t1"."actor_name",
            "t1"."target_handle",
            "t1"."post_id",
            "t1"."in_reply_to",
            "t1"."text",
            "t1"."url",
            "t1"."agent",
            CASE
              WHEN "t1"."kind" IN ('reply', 'comment')
              THEN 'replies'
              WHEN "t1"."kind" = 'share'
              THEN 'shares'
              WHEN "t1"."kind" = 'like'
              THEN 'likes'
              ELSE CAST(NULL AS TEXT)
            END AS "reaction"
          FROM "interactions" AS "t1"
          WHERE
            "t1"."direction" = 'inbound' AND "t1"."post_id" IS NOT NULL
        ) AS "t5"
        GROUP BY
          1,
          2
      ) AS "t9"
        ON "t11"."platform" = "t9"."ip" AND "t11"."post_id" = "t9"."ipid"
    ) AS "t12"
  ) AS "t13"
) AS "t14"
WHERE
  "t14"."campaign" = 'spring'
ORDER BY
  "t14"."created_at" ASC
