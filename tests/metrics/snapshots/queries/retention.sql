WITH "t19" AS (
  SELECT
    "t18"."person" AS "who",
    "t18"."period",
    "t18"."index"
  FROM (
    SELECT
      "t17"."person",
      "t17"."period",
      "t17"."index",
      SUM("t17"."interactions") AS "interactions"
    FROM (
      SELECT
        "t16"."platform",
        "t16"."actor_handle",
        "t16"."period",
        "t16"."index",
        "t16"."interactions",
        COALESCE(
          "t16"."link_person",
          "t16"."person_ref",
          "t16"."platform" || ':' || "t16"."actor_handle"
        ) AS "person"
      FROM (
        SELECT
          "t15"."platform",
          "t15"."actor_handle",
          "t15"."period",
          "t15"."index",
          "t15"."interactions",
          "t6"."link_kind",
          "t6"."link_value",
          "t6"."link_person",
          "t7"."identity_kind",
          "t7"."identity_value",
          "t7"."person_ref"
        FROM (
          SELECT
            "t13"."platform",
            "t13"."actor_handle",
            CAST(DATE_TRUNC('MONTH', "t13"."created_at") AS DATE) AS "period",
            (
              (
                EXTRACT(year FROM "t13"."created_at") * 12
              ) + EXTRACT(month FROM "t13"."created_at")
            ) - 1 AS "index",
            COUNT(*) AS "interactions"
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t11"."platform",
                "t11"."interaction_id",
                "t11"."created_at",
                "t11"."kind",
                "t11"."direction",
                "t11"."actor_handle",
                "t11"."actor_name",
                "t11"."target_handle",
                "t11"."post_id",
                "t11"."in_reply_to",
                "t11"."text",
                "t11"."url",
                "t11"."agent"
              FROM (
                SELECT
                  *
                FROM "interactions" AS "t2"
                WHERE
                  "t2"."direction" = 'inbound' AND NOT (
                    "t2"."kind" IN ('unfollow')
                  )
              ) AS "t11"
              SEMI JOIN (
                SELECT
                  "t3"."platform",
                  "t3"."handle"
                FROM "accounts" AS "t3"
                WHERE
                  "t3"."owner" = 'brand'
              ) AS "t10"
                ON "t11"."platform" = "t10"."platform" AND "t11"."target_handle" = "t10"."handle"
            ) AS "t12"
            WHERE
              "t12"."platform" = 'x'
              AND "t12"."created_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
          ) AS "t13"
          GROUP BY
            1,
            2,
            3,
            4
        ) AS "t15"
        LEFT OUTER JOIN (
          SELECT
            "t0"."kind" AS "link_kind",
            "t0"."value" AS "link_value",
            "t0"."person_id" AS "link_person"
          FROM "person_links" AS "t0"
        ) AS "t6"
          ON "t6"."link_kind" = 'handle:' || "t15"."platform"
          AND "t6"."link_value" = "t15"."actor_handle"
        LEFT OUTER JOIN (
          SELECT
            "t1"."kind" AS "identity_kind",
            "t1"."value" AS "identity_value",
            "t1"."person_ref"
          FROM "identities" AS "t1"
        ) AS "t7"
          ON "t7"."identity_kind" = 'handle:' || "t15"."platform"
          AND "t7"."identity_value" = "t15"."actor_handle"
      ) AS "t16"
    ) AS "t17"
    GROUP BY
      1,
      2,
      3
  ) AS "t18"
), "t24" AS (
  SELECT
    "t21"."who",
    "t21"."period",
    "t21"."index",
    "t23"."first_index"
  FROM "t19" AS "t21"
  INNER JOIN (
    SELECT
      "t20"."who",
      MIN("t20"."index") AS "first_index"
    FROM "t19" AS "t20"
    GROUP BY
      1
  ) AS "t23"
    ON "t21"."who" = "t23"."who"
)
SELECT
  "t31"."period",
  "t31"."cohort_size",
  CAST("t31"."active_m1" AS DOUBLE) / NULLIF(CAST("t31"."cohort_size" AS DOUBLE), 0.0) AS "retention_m1",
  CAST("t31"."active_m3" AS DOUBLE) / NULLIF(CAST("t31"."cohort_size" AS DOUBLE), 0.0) AS "retention_m3",
  CAST("t31"."active_m6" AS DOUBLE) / NULLIF(CAST("t31"."cohort_size" AS DOUBLE), 0.0) AS "retention_m6"
FROM (
  SELECT
    "t30"."cohort" AS "period",
    COUNT(*) FILTER(WHERE
      "t30"."after" = 0) AS "cohort_size",
    COUNT(*) FILTER(WHERE
      "t30"."after" = 1) AS "active_m1",
    COUNT(*) FILTER(WHERE
      "t30"."after" = 3) AS "active_m3",
    COUNT(*) FILTER(WHERE
      "t30"."after" = 6) AS "active_m6"
  FROM (
    SELECT
      "t27"."who",
      "t27"."period",
      "t27"."index",
      "t27"."first_index",
      "t27"."after",
      "t29"."cohort"
    FROM (
      SELECT
        "t25"."who",
        "t25"."period",
        "t25"."index",
        "t25"."first_index",
        "t25"."index" - "t25"."first_index" AS "after"
      FROM "t24" AS "t25"
    ) AS "t27"
    INNER JOIN (
      SELECT
        "t25"."who",
        "t25"."period" AS "cohort"
      FROM "t24" AS "t25"
      WHERE
        (
          "t25"."index" - "t25"."first_index"
        ) = 0
    ) AS "t29"
      ON "t27"."who" = "t29"."who"
  ) AS "t30"
  GROUP BY
    1
) AS "t31"
WHERE
  "t31"."period" >= MAKE_DATE(2026, 3, 1)
