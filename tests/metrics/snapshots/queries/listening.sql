SELECT
  "t8"."period",
  "t8"."platform",
  "t8"."mentions",
  "t8"."unique_authors",
  "t8"."competitor_mentions",
  CAST("t8"."mentions" AS DOUBLE) / NULLIF(CAST("t8"."mentions" + "t8"."competitor_mentions" AS DOUBLE), 0.0) AS "share_of_voice"
FROM (
  SELECT
    CAST(DATE_TRUNC('MONTH', "t7"."created_at") AS DATE) AS "period",
    "t7"."platform",
    COUNT(*) FILTER(WHERE
      "t7"."owner" = 'brand') AS "mentions",
    COUNT(DISTINCT "t7"."actor_handle") FILTER(WHERE
      "t7"."owner" = 'brand') AS "unique_authors",
    COUNT(*) FILTER(WHERE
      "t7"."owner" = 'competitor') AS "competitor_mentions"
  FROM (
    SELECT
      "t6".*
      EXCLUDE ("ah", "ap")
    FROM (
      SELECT
        "t5"."platform",
        "t5"."interaction_id",
        "t5"."created_at",
        "t5"."kind",
        "t5"."direction",
        "t5"."actor_handle",
        "t5"."actor_name",
        "t5"."target_handle",
        "t5"."post_id",
        "t5"."in_reply_to",
        "t5"."text",
        "t5"."url",
        "t5"."agent",
        "t4"."ap",
        "t4"."ah",
        "t4"."owner"
      FROM (
        SELECT
          *
        FROM "interactions" AS "t0"
        WHERE
          "t0"."kind" = 'mention'
          AND "t0"."direction" = 'inbound'
          AND "t0"."platform" = 'x'
          AND "t0"."created_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
          AND "t0"."created_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
      ) AS "t5"
      INNER JOIN (
        SELECT
          "t1"."platform" AS "ap",
          "t1"."handle" AS "ah",
          "t1"."owner"
        FROM "accounts" AS "t1"
      ) AS "t4"
        ON "t5"."platform" = "t4"."ap" AND "t5"."target_handle" = "t4"."ah"
    ) AS "t6"
  ) AS "t7"
  GROUP BY
    1,
    2
) AS "t8"
