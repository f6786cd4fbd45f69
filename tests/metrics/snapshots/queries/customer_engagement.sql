SELECT
  "t36"."segment",
  "t36"."customers",
  "t36"."revenue",
  "t36"."revenue" / NULLIF(CAST("t36"."customers" AS DOUBLE), 0.0) AS "revenue_per_customer",
  CAST("t36"."repeat_customers" AS DOUBLE) / NULLIF(CAST("t36"."customers" AS DOUBLE), 0.0) AS "repeat_purchase_rate"
FROM (
  SELECT
    "t35"."segment",
    COUNT(*) AS "customers",
    SUM("t35"."revenue") AS "revenue",
    COUNT(*) FILTER(WHERE
      "t35"."orders" >= 2) AS "repeat_customers"
  FROM (
    SELECT
      "t34"."who",
      "t34"."orders",
      "t34"."revenue",
      "t34"."engaged_who",
      CASE WHEN "t34"."engaged_who" IS NOT NULL THEN 'engaged' ELSE 'not engaged' END AS "segment"
    FROM (
      SELECT
        "t26"."who",
        "t26"."orders",
        "t26"."revenue",
        "t33"."engaged_who"
      FROM (
        SELECT
          "t23"."who",
          COUNT(*) AS "orders",
          SUM("t23"."value") AS "revenue"
        FROM (
          SELECT
            COALESCE("t21"."customer_person", "t21"."email_person", "t21"."visitor_person") AS "who",
            "t21"."occurred_at",
            "t21"."conversion_id",
            COALESCE(CAST("t21"."value_reporting" AS DOUBLE), 0.0) AS "value"
          FROM (
            SELECT
              "t14"."conversion_id",
              "t14"."occurred_at",
              "t14"."kind",
              "t14"."value",
              "t14"."currency",
              "t14"."customer_id",
              "t14"."email",
              "t14"."visitor_id",
              "t14"."referral_code",
              "t14"."value_reporting",
              "t15"."customer_value",
              "t15"."customer_person",
              "t16"."email_value",
              "t16"."email_person",
              "t17"."visitor_value",
              "t17"."visitor_person"
            FROM (
              SELECT
                *
              FROM "conversions" AS "t0"
              WHERE
                "t0"."kind" = 'order'
                AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
            ) AS "t14"
            LEFT OUTER JOIN (
              SELECT
                "t1"."value" AS "customer_value",
                "t1"."person_id" AS "customer_person"
              FROM "person_links" AS "t1"
              WHERE
                "t1"."kind" = 'customer'
            ) AS "t15"
              ON "t14"."customer_id" = "t15"."customer_value"
            LEFT OUTER JOIN (
              SELECT
                "t1"."value" AS "email_value",
                "t1"."person_id" AS "email_person"
              FROM "person_links" AS "t1"
              WHERE
                "t1"."kind" = 'email'
            ) AS "t16"
              ON "t14"."email" = "t16"."email_value"
            LEFT OUTER JOIN (
              SELECT
                "t1"."value" AS "visitor_value",
                "t1"."person_id" AS "visitor_person"
              FROM "person_links" AS "t1"
              WHERE
                "t1"."kind" = 'visitor'
            ) AS "t17"
              ON "t14"."visitor_id" = "t17"."visitor_value"
          ) AS "t21"
          WHERE
            COALESCE("t21"."customer_person", "t21"."email_person", "t21"."visitor_person") IS NOT NULL
        ) AS "t23"
        GROUP BY
          1
      ) AS "t26"
      LEFT OUTER JOIN (
        SELECT DISTINCT
          "t31"."person" AS "engaged_who"
        FROM (
          SELECT
            "t30"."person",
            "t30"."period",
            "t30"."index",
            SUM("t30"."interactions") AS "interactions"
          FROM (
            SELECT
              "t29"."platform",
              "t29"."actor_handle",
              "t29"."period",
              "t29"."index",
              "t29"."interactions",
              COALESCE(
                "t29"."link_person",
                "t29"."person_ref",
                "t29"."platform" || ':' || "t29"."actor_handle"
              ) AS "person"
            FROM (
              SELECT
                "t28"."platform",
                "t28"."actor_handle",
                "t28"."period",
                "t28"."index",
                "t28"."interactions",
                "t11"."link_kind",
                "t11"."link_value",
                "t11"."link_person",
                "t12"."identity_kind",
                "t12"."identity_value",
                "t12"."person_ref"
              FROM (
                SELECT
                  "t24"."platform",
                  "t24"."actor_handle",
                  CAST(DATE_TRUNC('MONTH', "t24"."created_at") AS DATE) AS "period",
                  (
                    (
                      EXTRACT(year FROM "t24"."created_at") * 12
                    ) + EXTRACT(month FROM "t24"."created_at")
                  ) - 1 AS "index",
                  COUNT(*) AS "interactions"
                FROM (
                  SELECT
                    *
                  FROM (
                    SELECT
                      "t20"."platform",
                      "t20"."interaction_id",
                      "t20"."created_at",
                      "t20"."kind",
                      "t20"."direction",
                      "t20"."actor_handle",
                      "t20"."actor_name",
                      "t20"."target_handle",
                      "t20"."post_id",
                      "t20"."in_reply_to",
                      "t20"."text",
                      "t20"."url",
                      "t20"."agent"
                    FROM (
                      SELECT
                        *
                      FROM "interactions" AS "t3"
                      WHERE
                        "t3"."direction" = 'inbound' AND NOT (
                          "t3"."kind" IN ('unfollow')
                        )
                    ) AS "t20"
                    SEMI JOIN (
                      SELECT
                        "t4"."platform",
                        "t4"."handle"
                      FROM "accounts" AS "t4"
                      WHERE
                        "t4"."owner" = 'brand'
                    ) AS "t19"
                      ON "t20"."platform" = "t19"."platform" AND "t20"."target_handle" = "t19"."handle"
                  ) AS "t22"
                  WHERE
                    "t22"."platform" = 'x'
                    AND "t22"."created_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                ) AS "t24"
                GROUP BY
                  1,
                  2,
                  3,
                  4
              ) AS "t28"
              LEFT OUTER JOIN (
                SELECT
                  "t1"."kind" AS "link_kind",
                  "t1"."value" AS "link_value",
                  "t1"."person_id" AS "link_person"
                FROM "person_links" AS "t1"
              ) AS "t11"
                ON "t11"."link_kind" = 'handle:' || "t28"."platform"
                AND "t11"."link_value" = "t28"."actor_handle"
              LEFT OUTER JOIN (
                SELECT
                  "t2"."kind" AS "identity_kind",
                  "t2"."value" AS "identity_value",
                  "t2"."person_ref"
                FROM "identities" AS "t2"
              ) AS "t12"
                ON "t12"."identity_kind" = 'handle:' || "t28"."platform"
                AND "t12"."identity_value" = "t28"."actor_handle"
            ) AS "t29"
          ) AS "t30"
          GROUP BY
            1,
            2,
            3
        ) AS "t31"
      ) AS "t33"
        ON "t26"."who" = "t33"."engaged_who"
    ) AS "t34"
  ) AS "t35"
  GROUP BY
    1
) AS "t36"
