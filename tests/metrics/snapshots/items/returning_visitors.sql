SELECT
  *
FROM (
  SELECT
    "t27".*
    EXCLUDE ("pv")
  FROM (
    SELECT
      "t26"."visitor_id",
      "t26"."visits",
      "t26"."pageviews",
      "t26"."first_visit",
      "t26"."last_visit",
      "t10"."pv",
      "t10"."person_id"
    FROM (
      SELECT
        "t24"."visitor_id",
        COUNT(*) AS "visits",
        SUM("t24"."pageviews") AS "pageviews",
        MIN("t24"."started_at") AS "first_visit",
        MAX("t24"."started_at") AS "last_visit"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t22"."visit_id",
            "t22"."started_at",
            "t22"."visitor_id",
            "t22"."channel",
            "t22"."source",
            "t22"."pageviews",
            "t22"."engaged",
            "t22"."returning"
          FROM (
            SELECT
              "t20".*
              EXCLUDE ("first_at", "first_visitor")
            FROM (
              SELECT
                "t19"."visit_id",
                "t19"."started_at",
                "t19"."visitor_id",
                "t19"."channel",
                "t19"."source",
                "t19"."pageviews",
                "t19"."first_visitor",
                "t19"."first_at",
                "t19"."pageviews" >= 2 AS "engaged",
                "t19"."started_at" > "t19"."first_at" AS "returning"
              FROM (
                SELECT
                  "t18"."visit_id",
                  "t18"."started_at",
                  "t18"."visitor_id",
                  "t18"."channel",
                  "t18"."source",
                  "t18"."pageviews",
                  "t11"."first_visitor",
                  "t11"."first_at"
                FROM (
                  SELECT
                    *
                  FROM (
                    SELECT
                      "t12"."visit_id",
                      "t12"."started_at",
                      "t12"."visitor_id",
                      COALESCE("t9"."vchannel", 'unclassified') AS "channel",
                      COALESCE("t9"."vsource", 'unclassified') AS "source",
                      COALESCE("t12"."pageviews", 1) AS "pageviews"
                    FROM (
                      SELECT
                        *
                      FROM "visits" AS "t1"
                      WHERE
                        "t1"."started_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                        AND "t1"."started_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                    ) AS "t12"
                    LEFT OUTER JOIN (
                      SELECT
                        "t3"."visit_id" AS "cv",
                        "t3"."channel" AS "vchannel",
                        "t3"."source" AS "vsource"
                      FROM "visit_channels" AS "t3"
                    ) AS "t9"
                      ON "t12"."visit_id" = "t9"."cv"
                  ) AS "t14"
                  WHERE
                    "t14"."source" = 'x'
                ) AS "t18"
                LEFT OUTER JOIN (
                  SELECT
                    "t1"."visitor_id" AS "first_visitor",
                    MIN("t1"."started_at") AS "first_at"
                  FROM "visits" AS "t1"
                  GROUP BY
                    1
                ) AS "t11"
                  ON "t18"."visitor_id" = "t11"."first_visitor"
              ) AS "t19"
            ) AS "t20"
          ) AS "t22"
          SEMI JOIN (
            SELECT
              "t13"."visit_id" AS "cvid"
            FROM (
              SELECT
                *
              FROM "visits" AS "t1"
              WHERE
                (
                  "t1"."utm_campaign" = 'spring'
                )
                OR "t1"."link_code" IN (
                  SELECT
                    "t2"."code" AS "lcode"
                  FROM "links" AS "t2"
                  WHERE
                    "t2"."campaign" = 'spring'
                )
            ) AS "t13"
          ) AS "t16"
            ON "t22"."visit_id" = "t16"."cvid"
        ) AS "t23"
        WHERE
          "t23"."channel" = 'social'
          AND "t23"."source" = 'x'
          AND "t23"."returning"
          AND "t23"."visitor_id" IS NOT NULL
      ) AS "t24"
      GROUP BY
        1
    ) AS "t26"
    LEFT OUTER JOIN (
      SELECT
        "t0"."value" AS "pv",
        "t0"."person_id"
      FROM "person_links" AS "t0"
      WHERE
        "t0"."kind" = 'visitor'
    ) AS "t10"
      ON "t26"."visitor_id" = "t10"."pv"
  ) AS "t27"
) AS "t28"
ORDER BY
  "t28"."first_visit" ASC,
  "t28"."visitor_id" ASC
