SELECT
  CAST(DATE_TRUNC('DAY', "t13"."created_at") AS DATE) AS "period",
  "t13"."platform",
  COUNT(*) AS "mentions",
  COUNT(*) FILTER(WHERE
    "t13"."sentiment" = 'negative') AS "negative"
FROM (
  SELECT
    "t12".*
    EXCLUDE ("lid", "lp")
  FROM (
    SELECT
      "t11"."platform",
      "t11"."interaction_id",
      "t11"."created_at",
      "t11"."kind",
      "t11"."direction",
      "t11"."actor_handle",
      "t11"."actor_name",
      "t11"."target_handle",
      "t11"."post_id",
      "t11"."in_reply_to",
      "t11"."text",
      "t11"."url",
      "t11"."agent",
      "t6"."lp",
      "t6"."lid",
      "t6"."sentiment",
      "t6"."sentiment_score"
    FROM (
      SELECT
        "t9".*
        EXCLUDE ("bh", "bp")
      FROM (
        SELECT
          "t7"."platform",
          "t7"."interaction_id",
          "t7"."created_at",
          "t7"."kind",
          "t7"."direction",
          "t7"."actor_handle",
          "t7"."actor_name",
          "t7"."target_handle",
          "t7"."post_id",
          "t7"."in_reply_to",
          "t7"."text",
          "t7"."url",
          "t7"."agent",
          "t8"."bp",
          "t8"."bh"
        FROM (
          SELECT
            *
          FROM "interactions" AS "t1"
          WHERE
            "t1"."direction" = 'inbound'
            AND "t1"."kind" IN ('mention', 'reply', 'comment')
            AND "t1"."platform" = 'x'
            AND "t1"."created_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
            AND "t1"."created_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
        ) AS "t7"
        INNER JOIN (
          SELECT
            "t2"."platform" AS "bp",
            "t2"."handle" AS "bh"
          FROM "accounts" AS "t2"
          WHERE
            "t2"."owner" = 'brand'
        ) AS "t8"
          ON "t7"."platform" = "t8"."bp" AND "t7"."target_handle" = "t8"."bh"
      ) AS "t9"
    ) AS "t11"
    LEFT OUTER JOIN (
      SELECT
        "t0"."platform" AS "lp",
        "t0"."interaction_id" AS "lid",
        "t0"."sentiment",
        CAST("t0"."sentiment_score" AS DOUBLE) AS "sentiment_score"
      FROM "interaction_labels" AS "t0"
    ) AS "t6"
      ON "t11"."platform" = "t6"."lp" AND "t11"."interaction_id" = "t6"."lid"
  ) AS "t12"
) AS "t13"
GROUP BY
  1,
  2
