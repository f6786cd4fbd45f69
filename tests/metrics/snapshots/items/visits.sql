SELECT
  "t31"."started_at",
  "t31"."visit_id",
  "t31"."channel",
  "t31"."source",
  "t31"."landing_url",
  "t31"."referrer",
  "t31"."pageviews",
  "t31"."person_id"
FROM (
  SELECT
    "t30"."visit_id",
    "t30"."started_at",
    "t30"."visitor_id",
    "t30"."channel",
    "t30"."source",
    "t30"."pageviews",
    "t30"."engaged",
    "t30"."returning",
    "t30"."landing_url",
    "t30"."referrer",
    "t12"."pv",
    "t12"."person_id"
  FROM (
    SELECT
      "t28".*
      EXCLUDE ("rid")
    FROM (
      SELECT
        "t27"."visit_id",
        "t27"."started_at",
        "t27"."visitor_id",
        "t27"."channel",
        "t27"."source",
        "t27"."pageviews",
        "t27"."engaged",
        "t27"."returning",
        "t7"."rid",
        "t7"."landing_url",
        "t7"."referrer"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t24"."visit_id",
            "t24"."started_at",
            "t24"."visitor_id",
            "t24"."channel",
            "t24"."source",
            "t24"."pageviews",
            "t24"."engaged",
            "t24"."returning"
          FROM (
            SELECT
              "t22".*
              EXCLUDE ("first_at", "first_visitor")
            FROM (
              SELECT
                "t21"."visit_id",
                "t21"."started_at",
                "t21"."visitor_id",
                "t21"."channel",
                "t21"."source",
                "t21"."pageviews",
                "t21"."first_visitor",
                "t21"."first_at",
                "t21"."pageviews" >= 2 AS "engaged",
                "t21"."started_at" > "t21"."first_at" AS "returning"
              FROM (
                SELECT
                  "t20"."visit_id",
                  "t20"."started_at",
                  "t20"."visitor_id",
                  "t20"."channel",
                  "t20"."source",
                  "t20"."pageviews",
                  "t13"."first_visitor",
                  "t13"."first_at"
                FROM (
                  SELECT
                    *
                  FROM (
                    SELECT
                      "t14"."visit_id",
                      "t14"."started_at",
                      "t14"."visitor_id",
                      COALESCE("t11"."vchannel", 'unclassified') AS "channel",
                      COALESCE("t11"."vsource", 'unclassified') AS "source",
                      COALESCE("t14"."pageviews", 1) AS "pageviews"
                    FROM (
                      SELECT
                        *
                      FROM "visits" AS "t1"
                      WHERE
                        "t1"."started_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                        AND "t1"."started_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                    ) AS "t14"
                    LEFT OUTER JOIN (
                      SELECT
                        "t3"."visit_id" AS "cv",
                        "t3"."channel" AS "vchannel",
                        "t3"."source" AS "vsource"
                      FROM "visit_channels" AS "t3"
                    ) AS "t11"
                      ON "t14"."visit_id" = "t11"."cv"
                  ) AS "t16"
                  WHERE
                    "t16"."source" = 'x'
                ) AS "t20"
                LEFT OUTER JOIN (
                  SELECT
                    "t1"."visitor_id" AS "first_visitor",
                    MIN("t1"."started_at") AS "first_at"
                  FROM "visits" AS "t1"
                  GROUP BY
                    1
                ) AS "t13"
                  ON "t20"."visitor_id" = "t13"."first_visitor"
              ) AS "t21"
            ) AS "t22"
          ) AS "t24"
          SEMI JOIN (
            SELECT
              "t15"."visit_id" AS "cvid"
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
            ) AS "t15"
          ) AS "t18"
            ON "t24"."visit_id" = "t18"."cvid"
        ) AS "t25"
        WHERE
          "t25"."channel" = 'social' AND "t25"."source" = 'x'
      ) AS "t27"
      LEFT OUTER JOIN (
        SELECT
          "t1"."visit_id" AS "rid",
          "t1"."landing_url",
          "t1"."referrer"
        FROM "visits" AS "t1"
      ) AS "t7"
        ON "t27"."visit_id" = "t7"."rid"
    ) AS "t28"
  ) AS "t30"
  LEFT OUTER JOIN (
    SELECT
      "t0"."value" AS "pv",
      "t0"."person_id"
    FROM "person_links" AS "t0"
    WHERE
      "t0"."kind" = 'visitor'
  ) AS "t12"
    ON "t30"."visitor_id" = "t12"."pv"
) AS "t31"
ORDER BY
  "t31"."started_at" ASC,
  "t31"."visit_id" ASC
