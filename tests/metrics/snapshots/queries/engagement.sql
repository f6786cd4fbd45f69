WITH "t16" AS (
  SELECT
    "t14"."platform",
    "t14"."handle",
    DATE_TRUNC('MONTH', "t14"."date") AS "period",
    FIRST("t14"."followers" ORDER BY "t14"."date" DESC) AS "end_followers",
    FIRST("t14"."following" ORDER BY "t14"."date" DESC) AS "end_following",
    FIRST("t14"."followers" ORDER BY "t14"."date") AS "start_followers",
    MAX("t14"."date") AS "last_date"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t5"."platform",
        "t5"."handle",
        "t5"."date",
        "t5"."followers",
        "t5"."following"
      FROM "audience_snapshots" AS "t5"
      SEMI JOIN (
        SELECT
          "t2"."platform",
          "t2"."handle"
        FROM "accounts" AS "t2"
        WHERE
          "t2"."owner" = 'brand'
      ) AS "t8"
        ON "t5"."platform" = "t8"."platform" AND "t5"."handle" = "t8"."handle"
    ) AS "t11"
    WHERE
      "t11"."platform" = 'x' AND "t11"."date" <= MAKE_DATE(2026, 3, 31)
  ) AS "t14"
  GROUP BY
    1,
    2,
    3
)
SELECT
  "t31"."period",
  "t31"."platform",
  "t31"."posts",
  "t31"."replies",
  "t31"."shares",
  "t31"."likes",
  CAST("t31"."replies" AS DOUBLE) / NULLIF(CAST("t31"."posts" AS DOUBLE), 0.0) AS "conversation_rate",
  CAST("t31"."shares" AS DOUBLE) / NULLIF(CAST("t31"."posts" AS DOUBLE), 0.0) AS "amplification_rate",
  CAST("t31"."likes" AS DOUBLE) / NULLIF(CAST("t31"."posts" AS DOUBLE), 0.0) AS "applause_rate",
  (
    CAST("t31"."replies" + "t31"."shares" + "t31"."likes" AS DOUBLE) / NULLIF(CAST("t31"."posts" AS DOUBLE), 0.0)
  ) / NULLIF(CAST("t35"."period_followers" AS DOUBLE), 0.0) AS "engagement_rate"
FROM (
  SELECT
    CAST(DATE_TRUNC('MONTH', "t28"."created_at") AS DATE) AS "period",
    "t28"."platform",
    COUNT(*) AS "posts",
    SUM("t28"."replies") AS "replies",
    SUM("t28"."shares") AS "shares",
    SUM("t28"."likes") AS "likes"
  FROM (
    SELECT
      "t26"."platform",
      "t26"."post_id",
      "t26"."handle",
      "t26"."created_at",
      "t26"."text",
      "t26"."url",
      "t26"."campaign",
      "t26"."link_code",
      "t26"."replies",
      "t26"."shares",
      "t26"."likes",
      "t26"."replies" + "t26"."shares" + "t26"."likes" AS "engagements"
    FROM (
      SELECT
        "t23".*
        EXCLUDE ("ip", "ipid")
      FROM (
        SELECT
          "t18"."platform",
          "t18"."post_id",
          "t18"."handle",
          "t18"."created_at",
          "t18"."text",
          "t18"."url",
          "t18"."campaign",
          "t18"."link_code",
          "t18"."ip",
          "t18"."ipid",
          COALESCE("t18"."replies", 0) AS "replies",
          COALESCE("t18"."shares", 0) AS "shares",
          COALESCE("t18"."likes", 0) AS "likes"
        FROM (
          SELECT
            "t15"."platform",
            "t15"."post_id",
            "t15"."handle",
            "t15"."created_at",
            "t15"."text",
            "t15"."url",
            "t15"."campaign",
            "t15"."link_code",
            "t12"."ip",
            "t12"."ipid",
            "t12"."replies",
            "t12"."shares",
            "t12"."likes"
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t4"."platform",
                "t4"."post_id",
                "t4"."handle",
                "t4"."created_at",
                "t4"."text",
                "t4"."url",
                "t4"."campaign",
                "t4"."link_code"
              FROM "posts" AS "t4"
              SEMI JOIN (
                SELECT
                  "t2"."platform",
                  "t2"."handle"
                FROM "accounts" AS "t2"
                WHERE
                  "t2"."owner" = 'brand'
              ) AS "t8"
                ON "t4"."platform" = "t8"."platform" AND "t4"."handle" = "t8"."handle"
            ) AS "t10"
            WHERE
              "t10"."platform" = 'x'
              AND "t10"."created_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
              AND "t10"."created_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
          ) AS "t15"
          LEFT OUTER JOIN (
            SELECT
              "t7"."platform" AS "ip",
              "t7"."post_id" AS "ipid",
              COUNT(*) FILTER(WHERE
                "t7"."reaction" = 'replies') AS "replies",
              COUNT(*) FILTER(WHERE
                "t7"."reaction" = 'shares') AS "shares",
              COUNT(*) FILTER(WHERE
                "t7"."reaction" = 'likes') AS "likes"
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
            ) AS "t7"
            GROUP BY
              1,
              2
          ) AS "t12"
            ON "t15"."platform" = "t12"."ip" AND "t15"."post_id" = "t12"."ipid"
        ) AS "t18"
      ) AS "t23"
    ) AS "t26"
  ) AS "t28"
  GROUP BY
    1,
    2
) AS "t31"
LEFT OUTER JOIN (
  SELECT
    "t33"."period" AS "fp",
    "t33"."platform" AS "fpl",
    "t33"."followers" AS "period_followers"
  FROM (
    SELECT
      "t32"."period",
      "t32"."platform",
      SUM("t32"."followers") AS "followers",
      SUM("t32"."following") AS "following",
      SUM("t32"."base") AS "base",
      MAX("t32"."last_date") AS "last_date"
    FROM (
      SELECT
        "t29"."platform",
        "t29"."handle",
        "t29"."period",
        "t29"."last_date",
        "t29"."followers",
        "t29"."following",
        "t29"."first_followers",
        COALESCE(
          LAG("t29"."followers") OVER (
            PARTITION BY "t29"."platform", "t29"."handle"
            ORDER BY "t29"."period" ASC
            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
          ),
          "t29"."first_followers"
        ) AS "base"
      FROM (
        SELECT
          "t27"."platform",
          "t27"."handle",
          "t27"."period",
          "t27"."last_date",
          FIRST("t27"."kfollowers" ORDER BY "t27"."kperiod" DESC) AS "followers",
          FIRST("t27"."kfollowing" ORDER BY "t27"."kperiod" DESC) AS "following",
          FIRST("t27"."kstart" ORDER BY "t27"."kperiod") AS "first_followers"
        FROM (
          SELECT
            "t25"."platform",
            "t25"."period",
            "t25"."last_date",
            "t24"."fh" AS "handle",
            "t22"."kp",
            "t22"."kh",
            "t22"."kperiod",
            "t22"."kfollowers",
            "t22"."kfollowing",
            "t22"."kstart"
          FROM (
            SELECT
              "t17"."platform",
              "t17"."period",
              MAX("t17"."last_date") AS "last_date"
            FROM "t16" AS "t17"
            GROUP BY
              1,
              2
          ) AS "t25"
          INNER JOIN (
            SELECT
              "t17"."platform" AS "fp",
              "t17"."handle" AS "fh",
              MIN("t17"."period") AS "first_period"
            FROM "t16" AS "t17"
            GROUP BY
              1,
              2
          ) AS "t24"
            ON "t25"."platform" = "t24"."fp" AND "t25"."period" >= "t24"."first_period"
          INNER JOIN (
            SELECT
              "t17"."platform" AS "kp",
              "t17"."handle" AS "kh",
              "t17"."period" AS "kperiod",
              "t17"."end_followers" AS "kfollowers",
              "t17"."end_following" AS "kfollowing",
              "t17"."start_followers" AS "kstart"
            FROM "t16" AS "t17"
          ) AS "t22"
            ON "t25"."platform" = "t22"."kp"
            AND "t24"."fh" = "t22"."kh"
            AND "t22"."kperiod" <= "t25"."period"
        ) AS "t27"
        GROUP BY
          1,
          2,
          3,
          4
      ) AS "t29"
    ) AS "t32"
    GROUP BY
      1,
      2
  ) AS "t33"
) AS "t35"
  ON "t31"."period" = "t35"."fp" AND "t31"."platform" = "t35"."fpl"
