SELECT
  "t13"."period",
  "t13"."customers",
  "t13"."returning_customers",
  "t13"."customers" - "t13"."returning_customers" AS "new_customers",
  CAST("t13"."returning_customers" AS DOUBLE) / NULLIF(CAST("t13"."customers" AS DOUBLE), 0.0) AS "returning_share",
  "t13"."purchases",
  "t13"."gap_sum" / NULLIF(CAST("t13"."gap_n" AS DOUBLE), 0.0) AS "mean_days_since_previous"
FROM (
  SELECT
    "t12"."period",
    COUNT(*) AS "customers",
    COUNT(*) FILTER(WHERE
      "t12"."returning") AS "returning_customers",
    SUM("t12"."purchases") AS "purchases",
    SUM("t12"."gap_sum") AS "gap_sum",
    SUM("t12"."gap_n") AS "gap_n"
  FROM (
    SELECT
      "t11"."period",
      "t11"."person",
      COUNT(*) AS "purchases",
      BOOL_OR(CAST("t11"."returning" AS BOOLEAN)) AS "returning",
      SUM("t11"."gap") AS "gap_sum",
      COUNT("t11"."gap") AS "gap_n"
    FROM (
      SELECT
        "t10"."person",
        "t10"."day",
        "t10"."value",
        "t10"."returning",
        "t10"."gap",
        DATE_TRUNC('MONTH', "t10"."day") AS "period"
      FROM (
        SELECT
          "t9"."person",
          "t9"."day",
          "t9"."value",
          LAG("t9"."day") OVER (
            PARTITION BY "t9"."person"
            ORDER BY "t9"."day" ASC
            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
          ) IS NOT NULL AS "returning",
          CAST(DATE_DIFF(
            'DAY',
            LAG("t9"."day") OVER (
              PARTITION BY "t9"."person"
              ORDER BY "t9"."day" ASC
              ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
            ),
            "t9"."day"
          ) AS DOUBLE) AS "gap"
        FROM (
          SELECT
            "t8"."person",
            "t8"."day",
            SUM("t8"."value") AS "value"
          FROM (
            SELECT
              "t5"."conversion_id",
              COALESCE(
                "t6"."customer_person",
                "t7"."email_person",
                'customer:' || "t5"."customer_id",
                'email:' || "t5"."email",
                'visitor:' || "t5"."visitor_id"
              ) AS "person",
              CAST("t5"."occurred_at" AS DATE) AS "day",
              COALESCE(CAST("t5"."value_reporting" AS DOUBLE), 0.0) AS "value"
            FROM (
              SELECT
                *
              FROM "conversions" AS "t0"
              WHERE
                "t0"."kind" = 'order'
            ) AS "t5"
            LEFT OUTER JOIN (
              SELECT
                "t1"."value" AS "cid",
                "t1"."person_ref" AS "customer_person"
              FROM "identities" AS "t1"
              WHERE
                "t1"."kind" = 'customer'
            ) AS "t6"
              ON "t5"."customer_id" = "t6"."cid"
            LEFT OUTER JOIN (
              SELECT
                "t1"."value" AS "eid",
                "t1"."person_ref" AS "email_person"
              FROM "identities" AS "t1"
              WHERE
                "t1"."kind" = 'email'
            ) AS "t7"
              ON "t5"."email" = "t7"."eid"
          ) AS "t8"
          GROUP BY
            1,
            2
        ) AS "t9"
      ) AS "t10"
      WHERE
        "t10"."day" >= MAKE_DATE(2026, 3, 1) AND "t10"."day" <= MAKE_DATE(2026, 3, 31)
    ) AS "t11"
    GROUP BY
      1,
      2
  ) AS "t12"
  GROUP BY
    1
) AS "t13"
