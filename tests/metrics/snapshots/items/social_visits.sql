SELECT
  "t22"."started_at",
  "t22"."visit_id",
  "t22"."channel",
  "t22"."source",
  "t22"."landing_url",
  "t22"."referrer",
  "t22"."pageviews",
  "t22"."person_id"
FROM (
  SELECT
    "t21"."visit_id",
    "t21"."started_at",
    "t21"."visitor_id",
    "t21"."channel",
    "t21"."source",
    "t21"."pageviews",
    "t21"."landing_url",
    "t21"."referrer",
    "t11"."pv",
    "t11"."person_id"
  FROM (
    SELECT
      "t19".*
      EXCLUDE ("rid")
    FROM (
      SELECT
        "t18"."visit_id",
        "t18"."started_at",
        "t18"."visitor_id",
        "t18"."channel",
        "t18"."source",
        "t18"."pageviews",
        "t7"."rid",
        "t7"."landing_url",
        "t7"."referrer"
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
              "t2"."visit_id" AS "cv",
              "t2"."channel" AS "vchannel",
              "t2"."source" AS "vsource"
            FROM "visit_channels" AS "t2"
          ) AS "t9"
            ON "t12"."visit_id" = "t9"."cv"
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
                    "t3"."code" AS "lcode"
                  FROM "links" AS "t3"
                  WHERE
                    "t3"."campaign" = 'spring'
                )
            ) AS "t13"
          ) AS "t15"
            ON "t12"."visit_id" = "t15"."cvid"
        ) AS "t16"
        WHERE
          "t16"."channel" IN ('social', 'paid_social') AND "t16"."source" = 'x'
      ) AS "t18"
      LEFT OUTER JOIN (
        SELECT
          "t1"."visit_id" AS "rid",
          "t1"."landing_url",
          "t1"."referrer"
        FROM "visits" AS "t1"
      ) AS "t7"
        ON "t18"."visit_id" = "t7"."rid"
    ) AS "t19"
  ) AS "t21"
  LEFT OUTER JOIN (
    SELECT
      "t0"."value" AS "pv",
      "t0"."person_id"
    FROM "person_links" AS "t0"
    WHERE
      "t0"."kind" = 'visitor'
  ) AS "t11"
    ON "t21"."visitor_id" = "t11"."pv"
) AS "t22"
ORDER BY
  "t22"."started_at" ASC,
  "t22"."visit_id" ASC
