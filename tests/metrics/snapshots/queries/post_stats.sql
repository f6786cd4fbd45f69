SELECT
  "t13"."period",
  "t13"."platform",
  "t13"."posts",
  "t13"."impressions",
  "t13"."reach",
  "t13"."reactions",
  "t13"."comments",
  "t13"."shares",
  "t13"."clicks",
  CAST("t13"."impressions" AS DOUBLE) / NULLIF(CAST("t13"."posts" AS DOUBLE), 0.0) AS "impressions_per_post",
  CAST("t13"."reach" AS DOUBLE) / NULLIF(CAST("t13"."posts" AS DOUBLE), 0.0) AS "reach_per_post",
  CAST("t13"."engagements" AS DOUBLE) / NULLIF(CAST("t13"."posts" AS DOUBLE), 0.0) AS "engagements_per_post",
  CAST("t13"."seen_engagements" AS DOUBLE) / NULLIF(CAST("t13"."impressions" AS DOUBLE), 0.0) AS "engagement_rate",
  CAST("t13"."seen_clicks" AS DOUBLE) / NULLIF(CAST("t13"."click_impressions" AS DOUBLE), 0.0) AS "click_rate"
FROM (
  SELECT
    CAST(DATE_TRUNC('MONTH', "t12"."published") AS DATE) AS "period",
    "t12"."platform",
    COUNT(*) AS "posts",
    SUM("t12"."impressions") AS "impressions",
    SUM("t12"."reach") AS "reach",
    SUM("t12"."reactions") AS "reactions",
    SUM("t12"."comments") AS "comments",
    SUM("t12"."shares") AS "shares",
    SUM("t12"."clicks") AS "clicks",
    SUM("t12"."engagements") AS "engagements",
    SUM("t12"."engagements") FILTER(WHERE
      "t12"."impressions" IS NOT NULL) AS "seen_engagements",
    SUM("t12"."clicks") FILTER(WHERE
      (
        "t12"."impressions" IS NOT NULL
      ) AND (
        "t12"."clicks" IS NOT NULL
      )) AS "seen_clicks",
    SUM("t12"."impressions") FILTER(WHERE
      "t12"."clicks" IS NOT NULL) AS "click_impressions"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t10".*
        EXCLUDE ("created_at", "pid", "pp")
      FROM (
        SELECT
          "t9"."platform",
          "t9"."post_id",
          "t9"."as_of",
          "t9"."impressions",
          "t9"."reach",
          "t9"."reactions",
          "t9"."comments",
          "t9"."shares",
          "t9"."saves",
          "t9"."clicks",
          "t9"."video_views",
          "t9"."follows",
          "t9"."orders",
          "t9"."revenue",
          "t9"."pp",
          "t9"."pid",
          "t9"."created_at",
          COALESCE("t9"."created_at", CAST("t9"."as_of" AS TIMESTAMP)) AS "published",
          COALESCE("t9"."reactions", 0) + COALESCE("t9"."comments", 0) + COALESCE("t9"."shares", 0) AS "engagements"
        FROM (
          SELECT
            "t8"."platform",
            "t8"."post_id",
            "t8"."as_of",
            "t8"."impressions",
            "t8"."reach",
            "t8"."reactions",
            "t8"."comments",
            "t8"."shares",
            "t8"."saves",
            "t8"."clicks",
            "t8"."video_views",
            "t8"."follows",
            "t8"."orders",
            "t8"."revenue",
            "t3"."pp",
            "t3"."pid",
            "t3"."created_at"
          FROM (
            SELECT
              "t6".*
              EXCLUDE ("_n")
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  "t4"."platform",
                  "t4"."post_id",
                  "t4"."as_of",
                  "t4"."impressions",
                  "t4"."reach",
                  "t4"."reactions",
                  "t4"."comments",
                  "t4"."shares",
                  "t4"."saves",
                  "t4"."clicks",
                  "t4"."video_views",
                  "t4"."follows",
                  "t4"."orders",
                  "t4"."revenue",
                  ROW_NUMBER() OVER (
                    PARTITION BY "t4"."platform", "t4"."post_id"
                    ORDER BY "t4"."as_of" DESC
                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                  ) - 1 AS "_n"
                FROM (
                  SELECT
                    *
                  FROM "post_stats" AS "t1"
                  WHERE
                    "t1"."platform" = 'x' AND "t1"."as_of" <= MAKE_DATE(2026, 3, 31)
                ) AS "t4"
              ) AS "t5"
              WHERE
                "t5"."_n" = 0
            ) AS "t6"
          ) AS "t8"
          LEFT OUTER JOIN (
            SELECT
              "t0"."platform" AS "pp",
              "t0"."post_id" AS "pid",
              "t0"."created_at"
            FROM "posts" AS "t0"
          ) AS "t3"
            ON "t8"."platform" = "t3"."pp" AND "t8"."post_id" = "t3"."pid"
        ) AS "t9"
      ) AS "t10"
    ) AS "t11"
    WHERE
      "t11"."published" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
      AND "t11"."published" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
  ) AS "t12"
  GROUP BY
    1,
    2
) AS "t13"
