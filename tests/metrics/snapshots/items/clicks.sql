SELECT
  "t6"."clicked_at",
  "t6"."click_id",
  "t6"."code",
  "t6"."platform",
  "t6"."campaign",
  "t6"."visitor_id",
  "t6"."referrer"
FROM (
  SELECT
    "t4"."click_id",
    "t4"."code",
    "t4"."clicked_at",
    "t4"."visitor_id",
    "t4"."referrer",
    "t4"."person_ref",
    "t5"."lcode",
    "t5"."platform",
    "t5"."campaign"
  FROM (
    SELECT
      *
    FROM "link_clicks" AS "t0"
    WHERE
      "t0"."clicked_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
      AND "t0"."clicked_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
  ) AS "t4"
  INNER JOIN (
    SELECT
      "t1"."code" AS "lcode",
      "t1"."platform",
      "t1"."campaign"
    FROM "links" AS "t1"
    WHERE
      "t1"."platform" = 'x' AND "t1"."campaign" = 'spring' AND "t1"."code" = 'c1'
  ) AS "t5"
    ON "t4"."code" = "t5"."lcode"
) AS "t6"
ORDER BY
  "t6"."clicked_at" ASC,
  "t6"."click_id" ASC
