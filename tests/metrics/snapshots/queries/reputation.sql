SELECT
  "t17".*
  EXCLUDE ("all_weight", "brand_weight")
FROM (
  SELECT
    "t16"."period",
    "t16"."platform",
    "t16"."mentions",
    "t16"."positive",
    "t16"."negative",
    "t16"."brand_weight",
    "t16"."all_weight",
    "t16"."net_sentiment",
    "t16"."net_sentiment_change",
    COALESCE("t16"."brand_weight", 0.0) / NULLIF("t16"."all_weight", 0.0) AS "weighted_share_of_voice"
  FROM (
    SELECT
      "t15"."period",
      "t15"."platform",
      "t15"."mentions",
      "t15"."positive",
      "t15"."negative",
      "t15"."brand_weight",
      "t15"."all_weight",
      "t15"."net_sentiment",
      "t15"."net_sentiment" - LAG("t15"."net_sentiment") OVER (
        PARTITION BY "t15"."platform"
        ORDER BY "t15"."period" ASC
        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
      ) AS "net_sentiment_change"
    FROM (
      SELECT
        "t14"."period",
        "t14"."platform",
        "t14"."mentions",
        "t14"."positive",
        "t14"."negative",
        "t14"."brand_weight",
        "t14"."all_weight",
        CAST("t14"."positive" - "t14"."negative" AS DOUBLE) / NULLIF(CAST("t14"."positive" + "t14"."negative" AS DOUBLE), 0.0) AS "net_sentiment"
      FROM (
        SELECT
          CAST(DATE_TRUNC('MONTH', "t13"."created_at") AS DATE) AS "period",
          "t13"."platform",
          COUNT(*) FILTER(WHERE
            "t13"."owner" = 'brand') AS "mentions",
          COUNT(*) FILTER(WHERE
            (
              "t13"."owner" = 'brand'
            ) AND (
              "t13"."sentiment" = 'positive'
            )) AS "positive",
          COUNT(*) FILTER(WHERE
            (
              "t13"."owner" = 'brand'
            ) AND (
              "t13"."sentiment" = 'negative'
            )) AS "negative",
          SUM((
            "t13"."sentiment_score" + 1.0
          ) / 2.0) FILTER(WHERE
            "t13"."owner" = 'brand') AS "brand_weight",
          SUM((
            "t13"."sentiment_score" + 1.0
          ) / 2.0) AS "all_weight"
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
              "t11"."owner",
              "t7"."lp",
              "t7"."lid",
              "t7"."sentiment",
              "t7"."sentiment_score",
              "t7"."intent"
            FROM (
              SELECT
                "t9".*
                EXCLUDE ("ah", "ap")
              FROM (
                SELECT
                  "t8"."platform",
                  "t8"."interaction_id",
                  "t8"."created_at",
                  "t8"."kind",
                  "t8"."direction",
                  "t8"."actor_handle",
                  "t8"."actor_name",
                  "t8"."target_handle",
                  "t8"."post_id",
                  "t8"."in_reply_to",
                  "t8"."text",
                  "t8"."url",
                  "t8"."agent",
                  "t6"."ap",
                  "t6"."ah",
                  "t6"."owner"
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
                ) AS "t8"
                INNER JOIN (
                  SELECT
                    "t2"."platform" AS "ap",
                    "t2"."handle" AS "ah",
                    "t2"."owner"
                  FROM "accounts" AS "t2"
                ) AS "t6"
                  ON "t8"."platform" = "t6"."ap" AND "t8"."target_handle" = "t6"."ah"
              ) AS "t9"
            ) AS "t11"
            INNER JOIN (
              SELECT
                "t0"."platform" AS "lp",
                "t0"."interaction_id" AS "lid",
                "t0"."sentiment",
                CAST("t0"."sentiment_score" AS DOUBLE) AS "sentiment_score",
                "t0"."intent"
              FROM "interaction_labels" AS "t0"
            ) AS "t7"
              ON "t11"."platform" = "t7"."lp" AND "t11"."interaction_id" = "t7"."lid"
          ) AS "t12"
        ) AS "t13"
        GROUP BY
          1,
          2
      ) AS "t14"
    ) AS "t15"
  ) AS "t16"
) AS "t17"
