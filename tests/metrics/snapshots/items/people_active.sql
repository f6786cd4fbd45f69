SELECT
  "t29"."period",
  "t29"."person",
  "t29"."interactions",
  "t29"."repeat",
  "t29"."first"
FROM (
  SELECT
    "t28"."person",
    "t28"."period",
    "t28"."index",
    "t28"."interactions",
    "t28"."repeat",
    "t28"."first"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t23"."person",
        "t23"."period",
        "t23"."index",
        "t23"."interactions",
        (
          LAG("t23"."index") OVER (
            PARTITION BY "t23"."person"
            ORDER BY "t23"."index" ASC
            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
          ) IS NOT NULL
        )
        AND (
          (
            "t23"."index" - LAG("t23"."index") OVER (
              PARTITION BY "t23"."person"
              ORDER BY "t23"."index" ASC
              ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
            )
          ) < 3
        ) AS "repeat",
        LAG("t23"."index") OVER (
          PARTITION BY "t23"."person"
          ORDER BY "t23"."index" ASC
          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
        ) IS NULL AS "first"
      FROM (
        SELECT
          "t20"."person",
          CAST(DATE_TRUNC('MONTH', "t20"."created_at") AS DATE) AS "period",
          (
            (
              EXTRACT(year FROM "t20"."created_at") * 12
            ) + EXTRACT(month FROM "t20"."created_at")
          ) - 1 AS "index",
          COUNT(*) AS "interactions"
        FROM (
          SELECT
            "t19".*
            EXCLUDE ("identity_kind", "identity_value", "link_kind", "link_person", "link_value", "person_ref")
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
              "t18"."link_kind",
              "t18"."link_value",
              "t18"."link_person",
              "t18"."identity_kind",
              "t18"."identity_value",
              "t18"."person_ref",
              COALESCE(
                "t18"."link_person",
                "t18"."person_ref",
                "t18"."platform" || ':' || "t18"."actor_handle"
              ) AS "person"
            FROM (
              SELECT
                "t17"."platform",
                "t17"."interaction_id",
                "t17"."created_at",
                "t17"."kind",
                "t17"."direction",
                "t17"."actor_handle",
                "t17"."actor_name",
                "t17"."target_handle",
                "t17"."post_id",
                "t17"."in_reply_to",
                "t17"."text",
                "t17"."url",
                "t17"."agent",
                "t8"."link_kind",
                "t8"."link_value",
                "t8"."link_person",
                "t9"."identity_kind",
                "t9"."identity_value",
                "t9"."person_ref"
              FROM (
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
              ) AS "t17"
              LEFT OUTER JOIN (
                SELECT
                  "t1"."kind" AS "link_kind",
                  "t1"."value" AS "link_value",
                  "t1"."person_id" AS "link_person"
                FROM "person_links" AS "t1"
              ) AS "t8"
                ON "t8"."link_kind" = 'handle:' || "t17"."platform"
                AND "t8"."link_value" = "t17"."actor_handle"
              LEFT OUTER JOIN (
                SELECT
                  "t2"."kind" AS "identity_kind",
                  "t2"."value" AS "identity_value",
                  "t2"."person_ref"
                FROM "identities" AS "t2"
              ) AS "t9"
                ON "t9"."identity_kind" = 'handle:' || "t17"."platform"
                AND "t9"."identity_value" = "t17"."actor_handle"
            ) AS "t18"
          ) AS "t19"
        ) AS "t20"
        GROUP BY
          1,
          2,
          3
      ) AS "t23"
    ) AS "t26"
    WHERE
      "t26"."period" >= MAKE_DATE(2026, 3, 1)
  ) AS "t28"
  SEMI JOIN (
    SELECT DISTINCT
      *
    FROM (
      SELECT
        "t21"."person" AS "cperson",
        CAST(DATE_TRUNC('MONTH', "t21"."created_at") AS DATE) AS "cperiod"
      FROM (
        SELECT
          "t19".*
          EXCLUDE ("identity_kind", "identity_value", "link_kind", "link_person", "link_value", "person_ref")
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
            "t18"."link_kind",
            "t18"."link_value",
            "t18"."link_person",
            "t18"."identity_kind",
            "t18"."identity_value",
            "t18"."person_ref",
            COALESCE(
              "t18"."link_person",
              "t18"."person_ref",
              "t18"."platform" || ':' || "t18"."actor_handle"
            ) AS "person"
          FROM (
            SELECT
              "t17"."platform",
              "t17"."interaction_id",
              "t17"."created_at",
              "t17"."kind",
              "t17"."direction",
              "t17"."actor_handle",
              "t17"."actor_name",
              "t17"."target_handle",
              "t17"."post_id",
              "t17"."in_reply_to",
              "t17"."text",
              "t17"."url",
              "t17"."agent",
              "t8"."link_kind",
              "t8"."link_value",
              "t8"."link_person",
              "t9"."identity_kind",
              "t9"."identity_value",
              "t9"."person_ref"
            FROM (
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
            ) AS "t17"
            LEFT OUTER JOIN (
              SELECT
                "t1"."kind" AS "link_kind",
                "t1"."value" AS "link_value",
                "t1"."person_id" AS "link_person"
              FROM "person_links" AS "t1"
            ) AS "t8"
              ON "t8"."link_kind" = 'handle:' || "t17"."platform"
              AND "t8"."link_value" = "t17"."actor_handle"
            LEFT OUTER JOIN (
              SELECT
                "t2"."kind" AS "identity_kind",
                "t2"."value" AS "identity_value",
                "t2"."person_ref"
              FROM "identities" AS "t2"
            ) AS "t9"
              ON "t9"."identity_kind" = 'handle:' || "t17"."platform"
              AND "t9"."identity_value" = "t17"."actor_handle"
          ) AS "t18"
        ) AS "t19"
      ) AS "t21"
      SEMI JOIN (
        SELECT
          "t0"."platform" AS "cpp",
          "t0"."post_id" AS "cpid"
        FROM "posts" AS "t0"
        WHERE
          "t0"."campaign" = 'spring'
      ) AS "t11"
        ON "t21"."platform" = "t11"."cpp" AND "t21"."post_id" = "t11"."cpid"
    ) AS "t22"
  ) AS "t25"
    ON "t28"."person" = "t25"."cperson" AND "t28"."period" = "t25"."cperiod"
) AS "t29"
ORDER BY
  "t29"."period" ASC,
  "t29"."person" ASC
