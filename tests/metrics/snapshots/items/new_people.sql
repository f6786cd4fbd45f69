WITH "t16" AS (
  SELECT
    *
  FROM (
    SELECT
      "t14"."platform",
      "t14"."interaction_id",
      "t14"."created_at",
      "t14"."kind",
      "t14"."direction",
      "t14"."actor_handle",
      "t14"."actor_name",
      "t14"."target_handle",
      "t14"."post_id",
      "t14"."in_reply_to",
      "t14"."text",
      "t14"."url",
      "t14"."agent"
    FROM (
      SELECT
        *
      FROM "interactions" AS "t3"
      WHERE
        "t3"."direction" = 'inbound' AND NOT (
          "t3"."kind" IN ('unfollow')
        )
    ) AS "t14"
    SEMI JOIN (
      SELECT
        "t4"."platform",
        "t4"."handle"
      FROM "accounts" AS "t4"
      WHERE
        "t4"."owner" = 'brand'
    ) AS "t13"
      ON "t14"."platform" = "t13"."platform" AND "t14"."target_handle" = "t13"."handle"
  ) AS "t15"
  WHERE
    "t15"."platform" = 'x'
    AND "t15"."created_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
)
SELECT
  "t34"."period",
  "t34"."person",
  "t34"."interactions",
  "t34"."repeat",
  "t34"."first"
FROM (
  SELECT
    "t33"."person",
    "t33"."period",
    "t33"."index",
    "t33"."interactions",
    "t33"."repeat",
    "t33"."first"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t30"."person",
        "t30"."period",
        "t30"."index",
        "t30"."interactions",
        (
          LAG("t30"."index") OVER (
            PARTITION BY "t30"."person"
            ORDER BY "t30"."index" ASC
            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
          ) IS NOT NULL
        )
        AND (
          (
            "t30"."index" - LAG("t30"."index") OVER (
              PARTITION BY "t30"."person"
              ORDER BY "t30"."index" ASC
              ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
            )
          ) < 3
        ) AS "repeat",
        LAG("t30"."index") OVER (
          PARTITION BY "t30"."person"
          ORDER BY "t30"."index" ASC
          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
        ) IS NULL AS "first"
      FROM (
        SELECT
          "t27"."person",
          "t27"."period",
          "t27"."index",
          SUM("t27"."interactions") AS "interactions"
        FROM (
          SELECT
            "t24"."platform",
            "t24"."actor_handle",
            "t24"."period",
            "t24"."index",
            "t24"."interactions",
            COALESCE(
              "t24"."link_person",
              "t24"."person_ref",
              "t24"."platform" || ':' || "t24"."actor_handle"
            ) AS "person"
          FROM (
            SELECT
              "t21"."platform",
              "t21"."actor_handle",
              "t21"."period",
              "t21"."index",
              "t21"."interactions",
              "t8"."link_kind",
              "t8"."link_value",
              "t8"."link_person",
              "t9"."identity_kind",
              "t9"."identity_value",
              "t9"."person_ref"
            FROM (
              SELECT
                "t17"."platform",
                "t17"."actor_handle",
                CAST(DATE_TRUNC('MONTH', "t17"."created_at") AS DATE) AS "period",
                (
                  (
                    EXTRACT(year FROM "t17"."created_at") * 12
                  ) + EXTRACT(month FROM "t17"."created_at")
                ) - 1 AS "index",
                COUNT(*) AS "interactions"
              FROM "t16" AS "t17"
              GROUP BY
                1,
                2,
                3,
                4
            ) AS "t21"
            LEFT OUTER JOIN (
              SELECT
                "t1"."kind" AS "link_kind",
                "t1"."value" AS "link_value",
                "t1"."person_id" AS "link_person"
              FROM "person_links" AS "t1"
            ) AS "t8"
              ON "t8"."link_kind" = 'handle:' || "t21"."platform"
              AND "t8"."link_value" = "t21"."actor_handle"
            LEFT OUTER JOIN (
              SELECT
                "t2"."kind" AS "identity_kind",
                "t2"."value" AS "identity_value",
                "t2"."person_ref"
              FROM "identities" AS "t2"
            ) AS "t9"
              ON "t9"."identity_kind" = 'handle:' || "t21"."platform"
              AND "t9"."identity_value" = "t21"."actor_handle"
          ) AS "t24"
        ) AS "t27"
        GROUP BY
          1,
          2,
          3
      ) AS "t30"
    ) AS "t31"
    WHERE
      "t31"."period" >= MAKE_DATE(2026, 3, 1)
  ) AS "t33"
  SEMI JOIN (
    SELECT DISTINCT
      *
    FROM (
      SELECT
        "t25"."person" AS "cperson",
        CAST(DATE_TRUNC('MONTH', "t25"."created_at") AS DATE) AS "cperiod"
      FROM (
        SELECT
          "t22".*
          EXCLUDE ("identity_kind", "identity_value", "link_kind", "link_person", "link_value", "person_ref")
        FROM (
          SELECT
            "t19"."platform",
            "t19"."interaction_id",
            "t19"."created_at",
            "t19"."kind",
            "t19"."direction",
            "t19"."actor_handle",
            "t19"."actor_name",
            "t19"."target_handle",
            "t19"."post_id",
            "t19"."in_reply_to",
            "t19"."text",
            "t19"."url",
            "t19"."agent",
            "t19"."link_kind",
            "t19"."link_value",
            "t19"."link_person",
            "t19"."identity_kind",
            "t19"."identity_value",
            "t19"."person_ref",
            COALESCE(
              "t19"."link_person",
              "t19"."person_ref",
              "t19"."platform" || ':' || "t19"."actor_handle"
            ) AS "person"
          FROM (
            SELECT
              "t18"."platform",
              "t18"."interaction_id",
              "t18"."created_at",
              "t18"."kind",
              "t18"."direction",
              "t18"."actor_handle",
              "t18"."actor_name",
              "t18"."target_handle",
              "t18"."post_id",
              "t18"."in_reply_to",
              "t18"."text",
              "t18"."url",
              "t18"."agent",
              "t8"."link_kind",
              "t8"."link_value",
              "t8"."link_person",
              "t9"."identity_kind",
              "t9"."identity_value",
              "t9"."person_ref"
            FROM "t16" AS "t18"
            LEFT OUTER JOIN (
              SELECT
                "t1"."kind" AS "link_kind",
                "t1"."value" AS "link_value",
                "t1"."person_id" AS "link_person"
              FROM "person_links" AS "t1"
            ) AS "t8"
              ON "t8"."link_kind" = 'handle:' || "t18"."platform"
              AND "t8"."link_value" = "t18"."actor_handle"
            LEFT OUTER JOIN (
              SELECT
                "t2"."kind" AS "identity_kind",
                "t2"."value" AS "identity_value",
                "t2"."person_ref"
              FROM "identities" AS "t2"
            ) AS "t9"
              ON "t9"."identity_kind" = 'handle:' || "t18"."platform"
              AND "t9"."identity_value" = "t18"."actor_handle"
          ) AS "t19"
        ) AS "t22"
      ) AS "t25"
      SEMI JOIN (
        SELECT
          "t0"."platform" AS "cpp",
          "t0"."post_id" AS "cpid"
        FROM "posts" AS "t0"
        WHERE
          "t0"."campaign" = 'spring'
      ) AS "t11"
        ON "t25"."platform" = "t11"."cpp" AND "t25"."post_id" = "t11"."cpid"
    ) AS "t26"
  ) AS "t29"
    ON "t33"."person" = "t29"."cperson" AND "t33"."period" = "t29"."cperiod"
) AS "t34"
WHERE
  "t34"."first"
ORDER BY
  "t34"."period" ASC,
  "t34"."person" ASC
