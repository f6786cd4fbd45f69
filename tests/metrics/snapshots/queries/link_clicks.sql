SELECT
  "t7"."code",
  COALESCE("t7"."platform", '') AS "platform",
  COALESCE("t7"."campaign", '') AS "campaign",
  COALESCE("t14"."clicks", 0) AS "clicks",
  COALESCE("t14"."clickers", 0) AS "clickers",
  COALESCE("t13"."link_visits", 0) AS "visits",
  COALESCE("t16"."posts", 0) AS "posts",
  CAST(COALESCE("t14"."clicks", 0) AS DOUBLE) / NULLIF(CAST(COALESCE("t16"."posts", 0) AS DOUBLE), 0.0) AS "clicks_per_post"
FROM (
  SELECT
    *
  FROM "links" AS "t0"
  WHERE
    "t0"."platform" = 'x'
) AS "t7"
LEFT OUTER JOIN (
  SELECT
    "t5"."code" AS "click_code",
    COUNT(*) AS "clicks",
    COUNT(DISTINCT "t5"."visitor_id") AS "clickers"
  FROM (
    SELECT
      *
    FROM "link_clicks" AS "t1"
    WHERE
      "t1"."clicked_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
      AND "t1"."clicked_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
  ) AS "t5"
  GROUP BY
    1
) AS "t14"
  ON "t7"."code" = "t14"."click_code"
LEFT OUTER JOIN (
  SELECT
    "t6"."link_code" AS "visit_code",
    COUNT(*) AS "link_visits"
  FROM (
    SELECT
      *
    FROM "visits" AS "t2"
    WHERE
      "t2"."started_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
      AND "t2"."started_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
      AND "t2"."link_code" IS NOT NULL
  ) AS "t6"
  GROUP BY
    1
) AS "t13"
  ON "t7"."code" = "t13"."visit_code"
LEFT OUTER JOIN (
  SELECT
    "t11"."post_code" AS "pc",
    COUNT(DISTINCT "t11"."pid") AS "posts"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t3"."link_code" AS "post_code",
        "t3"."platform" || ':' || "t3"."post_id" AS "pid"
      FROM "posts" AS "t3"
      WHERE
        "t3"."link_code" IS NOT NULL
    ) AS "t8"
    UNION
    SELECT
      *
    FROM (
      SELECT
        CAST("t0"."code" AS TEXT) AS "post_code",
        COALESCE("t0"."platform", '') || ':' || "t0"."post_id" AS "pid"
      FROM "links" AS "t0"
      WHERE
        "t0"."platform" = 'x' AND "t0"."post_id" IS NOT NULL
    ) AS "t9"
  ) AS "t11"
  GROUP BY
    1
) AS "t16"
  ON "t7"."code" = "t16"."pc"
