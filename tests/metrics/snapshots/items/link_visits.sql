SELECT
  "t9"."started_at",
  "t9"."visit_id",
  "t9"."link_code",
  "t9"."landing_url",
  "t9"."pageviews",
  "t9"."person_id"
FROM (
  SELECT
    "t6"."visit_id",
    "t6"."started_at",
    "t6"."visitor_id",
    "t6"."landing_url",
    "t6"."referrer",
    "t6"."utm_source",
    "t6"."utm_medium",
    "t6"."utm_campaign",
    "t6"."utm_content",
    "t6"."pageviews",
    "t6"."link_code",
    "t6"."user_agent",
    "t8"."pv",
    "t8"."person_id"
  FROM (
    SELECT
      *
    FROM "visits" AS "t0"
    WHERE
      "t0"."started_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
      AND "t0"."started_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
      AND "t0"."link_code" IS NOT NULL
  ) AS "t6"
  SEMI JOIN (
    SELECT
      *
    FROM "links" AS "t1"
    WHERE
      "t1"."platform" = 'x' AND "t1"."campaign" = 'spring' AND "t1"."code" = 'c1'
  ) AS "t7"
    ON "t6"."link_code" = "t7"."code"
  LEFT OUTER JOIN (
    SELECT
      "t2"."value" AS "pv",
      "t2"."person_id"
    FROM "person_links" AS "t2"
    WHERE
      "t2"."kind" = 'visitor'
  ) AS "t8"
    ON "t6"."visitor_id" = "t8"."pv"
) AS "t9"
ORDER BY
  "t9"."started_at" ASC,
  "t9"."visit_id" ASC
