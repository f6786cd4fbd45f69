SELECT
  "t11"."post_code" AS "code",
  "t11"."pid" AS "post",
  "t11"."created_at",
  "t11"."handle",
  "t11"."text"
FROM (
  SELECT
    "t10".*
    EXCLUDE ("ppid")
  FROM (
    SELECT
      "t9"."post_code",
      "t9"."pid",
      "t6"."ppid",
      "t6"."created_at",
      "t6"."handle",
      "t6"."text"
    FROM (
      SELECT
        *
      FROM (
        SELECT
          "t0"."link_code" AS "post_code",
          "t0"."platform" || ':' || "t0"."post_id" AS "pid"
        FROM "posts" AS "t0"
        WHERE
          "t0"."link_code" IS NOT NULL
      ) AS "t3"
      UNION
      SELECT
        *
      FROM (
        SELECT
          CAST("t1"."code" AS TEXT) AS "post_code",
          COALESCE("t1"."platform", '') || ':' || "t1"."post_id" AS "pid"
        FROM "links" AS "t1"
        WHERE
          "t1"."platform" = 'x'
          AND "t1"."campaign" = 'spring'
          AND "t1"."code" = 'c1'
          AND "t1"."post_id" IS NOT NULL
      ) AS "t7"
    ) AS "t9"
    SEMI JOIN (
      SELECT
        *
      FROM "links" AS "t1"
      WHERE
        "t1"."platform" = 'x' AND "t1"."campaign" = 'spring' AND "t1"."code" = 'c1'
    ) AS "t5"
      ON "t9"."post_code" = CAST("t5"."code" AS TEXT)
    LEFT OUTER JOIN (
      SELECT
        "t0"."platform" || ':' || "t0"."post_id" AS "ppid",
        "t0"."created_at",
        "t0"."handle",
        "t0"."text"
      FROM "posts" AS "t0"
    ) AS "t6"
      ON "t9"."pid" = "t6"."ppid"
  ) AS "t10"
) AS "t11"
ORDER BY
  "t11"."post_code" ASC,
  "t11"."created_at" ASC,
  "t11"."pid" ASC
