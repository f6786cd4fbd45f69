SELECT
  CAST(DATE_TRUNC('MONTH', "t13"."started_at") AS DATE) AS "period",
  "t13"."channel",
  "t13"."source",
  COUNT(*) AS "visits",
  COUNT(DISTINCT "t13"."visitor_id") AS "visitors",
  SUM("t13"."pageviews") AS "pageviews",
  COUNT(*) FILTER(WHERE
    "t13"."engaged") AS "engaged_visits",
  COUNT(DISTINCT "t13"."visitor_id") FILTER(WHERE
    "t13"."returning") AS "returning_visitors"
FROM (
  SELECT
    "t12".*
    EXCLUDE ("first_at", "first_visitor")
  FROM (
    SELECT
      "t11"."visit_id",
      "t11"."started_at",
      "t11"."visitor_id",
      "t11"."channel",
      "t11"."source",
      "t11"."pageviews",
      "t11"."first_visitor",
      "t11"."first_at",
      "t11"."pageviews" >= 2 AS "engaged",
      "t11"."started_at" > "t11"."first_at" AS "returning"
    FROM (
      SELECT
        "t10"."visit_id",
        "t10"."started_at",
        "t10"."visitor_id",
        "t10"."channel",
        "t10"."source",
        "t10"."pageviews",
        "t6"."first_visitor",
        "t6"."first_at"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t7"."visit_id",
            "t7"."started_at",
            "t7"."visitor_id",
            COALESCE("t5"."vchannel", 'unclassified') AS "channel",
            COALESCE("t5"."vsource", 'unclassified') AS "source",
            COALESCE("t7"."pageviews", 1) AS "pageviews"
          FROM (
            SELECT
              *
            FROM "visits" AS "t0"
            WHERE
              "t0"."started_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
              AND "t0"."started_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
          ) AS "t7"
          LEFT OUTER JOIN (
            SELECT
              "t1"."visit_id" AS "cv",
              "t1"."channel" AS "vchannel",
              "t1"."source" AS "vsource"
            FROM "visit_channels" AS "t1"
          ) AS "t5"
            ON "t7"."visit_id" = "t5"."cv"
        ) AS "t8"
        WHERE
          "t8"."source" = 'x'
      ) AS "t10"
      LEFT OUTER JOIN (
        SELECT
          "t0"."visitor_id" AS "first_visitor",
          MIN("t0"."started_at") AS "first_at"
        FROM "visits" AS "t0"
        GROUP BY
          1
      ) AS "t6"
        ON "t10"."visitor_id" = "t6"."first_visitor"
    ) AS "t11"
  ) AS "t12"
) AS "t13"
GROUP BY
  1,
  2,
  3
