SELECT
  "t8"."period",
  "t8"."channel",
  "t8"."source",
  'visits' AS "data_source",
  "t8"."visits",
  "t8"."visitors",
  "t8"."pageviews"
FROM (
  SELECT
    CAST(DATE_TRUNC('MONTH', "t7"."started_at") AS DATE) AS "period",
    "t7"."channel",
    "t7"."source",
    COUNT(*) AS "visits",
    COUNT(DISTINCT "t7"."visitor_id") AS "visitors",
    SUM("t7"."pageviews") AS "pageviews"
  FROM (
    SELECT
      *
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
    WHERE
      "t6"."source" = 'x'
  ) AS "t7"
  GROUP BY
    1,
    2,
    3
) AS "t8"
