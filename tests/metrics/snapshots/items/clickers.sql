SELECT
  *
FROM (
  SELECT
    "t13".*
    EXCLUDE ("pv")
  FROM (
    SELECT
      "t12"."visitor_id",
      "t12"."clicks",
      "t12"."first_click",
      "t12"."last_click",
      "t6"."pv",
      "t6"."person_id"
    FROM (
      SELECT
        "t10"."visitor_id",
        COUNT(*) AS "clicks",
        MIN("t10"."clicked_at") AS "first_click",
        MAX("t10"."clicked_at") AS "last_click"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t7"."click_id",
            "t7"."code",
            "t7"."clicked_at",
            "t7"."visitor_id",
            "t7"."referrer",
            "t7"."person_ref",
            "t8"."lcode",
            "t8"."platform",
            "t8"."campaign"
          FROM (
            SELECT
              *
            FROM "link_clicks" AS "t1"
            WHERE
              "t1"."clicked_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
              AND "t1"."clicked_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
          ) AS "t7"
          INNER JOIN (
            SELECT
              "t2"."code" AS "lcode",
              "t2"."platform",
              "t2"."campaign"
            FROM "links" AS "t2"
            WHERE
              "t2"."platform" = 'x' AND "t2"."campaign" = 'spring' AND "t2"."code" = 'c1'
          ) AS "t8"
            ON "t7"."code" = "t8"."lcode"
        ) AS "t9"
        WHERE
          "t9"."visitor_id" IS NOT NULL
      ) AS "t10"
      GROUP BY
        1
    ) AS "t12"
    LEFT OUTER JOIN (
      SELECT
        "t0"."value" AS "pv",
        "t0"."person_id"
      FROM "person_links" AS "t0"
      WHERE
        "t0"."kind" = 'visitor'
    ) AS "t6"
      ON "t12"."visitor_id" = "t6"."pv"
  ) AS "t13"
) AS "t14"
ORDER BY
  "t14"."first_click" ASC,
  "t14"."visitor_id" ASC
