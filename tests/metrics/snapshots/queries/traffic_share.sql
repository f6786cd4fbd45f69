SELECT
  "t7"."period",
  "t7"."data_source",
  "t7"."visits",
  "t7"."social_visits",
  CAST("t7"."social_visits" AS DOUBLE) / NULLIF(CAST("t7"."visits" AS DOUBLE), 0.0) AS "social_share_of_visits"
FROM (
  SELECT
    CAST(DATE_TRUNC('MONTH', "t6"."started_at") AS DATE) AS "period",
    'visits' AS "data_source",
    COUNT(*) AS "visits",
    COUNT(*) FILTER(WHERE
      "t6"."channel" IN ('social', 'paid_social') AND (
        "t6"."source" = 'x'
      )) AS "social_visits"
  FROM (
    SELECT
      "t5"."visit_id",
      "t5"."started_at",
      "t5"."visitor_id",
      COALESCE("t4"."vchannel", 'unclassified') AS "channel",
      COALESCE("t4"."vsource", 'unclassified') AS "source",
      COALESCE("t5"."pageviews", 1) AS "pageviews"
    FROM (
      SELECT
        *
      FROM "visits" AS "t0"
      WHERE
        "t0"."started_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
        AND "t0"."started_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
    ) AS "t5"
    LEFT OUTER JOIN (
      SELECT
        "t1"."visit_id" AS "cv",
        "t1"."channel" AS "vchannel",
        "t1"."source" AS "vsource"
      FROM "visit_channels" AS "t1"
    ) AS "t4"
      ON "t5"."visit_id" = "t4"."cv"
  ) AS "t6"
  GROUP BY
    1,
    2
) AS "t7"
