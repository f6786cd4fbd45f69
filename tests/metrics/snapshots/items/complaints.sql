WITH "t22" AS (
  SELECT
    "t21"."platform",
    "t21"."interaction_id",
    "t21"."target_handle" AS "account",
    "t21"."actor_handle",
    "t21"."created_at",
    "t21"."text",
    "t21"."intent",
    CAST("t21"."sentiment_score" AS DOUBLE) AS "sentiment_score",
    "t15"."first_response_at",
    "t15"."ra" AS "responder",
    "t15"."first_agent" AS "agent"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t17".*
        EXCLUDE ("lid", "lp")
      FROM (
        SELECT
          "t16"."platform",
          "t16"."interaction_id",
          "t16"."created_at",
          "t16"."kind",
          "t16"."direction",
          "t16"."actor_handle",
          "t16"."actor_name",
          "t16"."target_handle",
          "t16"."post_id",
          "t16"."in_reply_to",
          "t16"."text",
          "t16"."url",
          "t16"."agent",
          "t6"."lp",
          "t6"."lid",
          "t6"."intent",
          "t6"."sentiment_score"
        FROM (
          SELECT
            "t12".*
            EXCLUDE ("bh", "bp")
          FROM (
            SELECT
              "t10"."platform",
              "t10"."interaction_id",
              "t10"."created_at",
              "t10"."kind",
              "t10"."direction",
              "t10"."actor_handle",
              "t10"."actor_name",
              "t10"."target_handle",
              "t10"."post_id",
              "t10"."in_reply_to",
              "t10"."text",
              "t10"."url",
              "t10"."agent",
              "t11"."bp",
              "t11"."bh"
            FROM (
              SELECT
                *
              FROM "interactions" AS "t2"
              WHERE
                "t2"."direction" = 'inbound'
                AND "t2"."kind" IN ('mention', 'reply', 'comment', 'dm')
                AND "t2"."platform" = 'x'
            ) AS "t10"
            INNER JOIN (
              SELECT
                "t3"."platform" AS "bp",
                "t3"."handle" AS "bh"
              FROM "accounts" AS "t3"
              WHERE
                "t3"."owner" = 'brand'
            ) AS "t11"
              ON "t10"."platform" = "t11"."bp" AND "t10"."target_handle" = "t11"."bh"
          ) AS "t12"
        ) AS "t16"
        LEFT OUTER JOIN (
          SELECT
            "t1"."platform" AS "lp",
            "t1"."interaction_id" AS "lid",
            "t1"."intent",
            "t1"."sentiment_score"
          FROM "interaction_labels" AS "t1"
        ) AS "t6"
          ON "t16"."platform" = "t6"."lp" AND "t16"."interaction_id" = "t6"."lid"
      ) AS "t17"
    ) AS "t18"
    WHERE
      "t18"."created_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
      AND "t18"."created_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
      AND (
        (
          "t18"."intent" IS NULL
        ) OR "t18"."intent" IN ('complaint', 'question')
      )
  ) AS "t21"
  LEFT OUTER JOIN (
    SELECT
      "t8"."platform" AS "rp",
      "t8"."in_reply_to" AS "rid",
      "t8"."actor_handle" AS "ra",
      MIN("t8"."created_at") AS "first_response_at",
      FIRST(
        COALESCE(
          NULLIF("t8"."agent", ''),
          NULLIF(REGEXP_EXTRACT("t8"."text", '\^([A-Za-z]{2,4})\b', 1), '')
        ) ORDER BY "t8"."created_at"
      ) AS "first_agent"
    FROM (
      SELECT
        *
      FROM "interactions" AS "t2"
      WHERE
        "t2"."direction" = 'outbound' AND "t2"."in_reply_to" IS NOT NULL
    ) AS "t8"
    GROUP BY
      1,
      2,
      3
  ) AS "t15"
    ON "t21"."platform" = "t15"."rp"
    AND "t21"."interaction_id" = "t15"."rid"
    AND "t21"."target_handle" = "t15"."ra"
)
SELECT
  "t44"."created_at",
  "t44"."platform",
  "t44"."account",
  "t44"."actor_handle",
  "t44"."intent",
  "t44"."text",
  "t44"."first_response_at",
  "t44"."response_hours",
  "t44"."agent"
FROM (
  SELECT
    "t43".*
    EXCLUDE ("next_complaint_at")
  FROM (
    SELECT
      "t42"."platform",
      "t42"."interaction_id",
      "t42"."account",
      "t42"."actor_handle",
      "t42"."created_at",
      "t42"."text",
      "t42"."intent",
      "t42"."sentiment_score",
      "t42"."first_response_at",
      "t42"."responder",
      "t42"."agent",
      "t42"."response_hours",
      "t42"."response_business_hours",
      "t42"."next_complaint_at",
      (
        "t42"."intent" = 'complaint'
      )
      AND (
        "t42"."first_response_at" IS NOT NULL
      )
      AND (
        (
          "t42"."next_complaint_at" IS NULL
        )
        OR (
          "t42"."next_complaint_at" > (
            "t42"."first_response_at" + INTERVAL '7' DAY
          )
        )
      ) AS "resolved"
    FROM (
      SELECT
        "t41".*
        EXCLUDE ("nid", "np")
      FROM (
        SELECT
          "t35"."platform",
          "t35"."interaction_id",
          "t35"."account",
          "t35"."actor_handle",
          "t35"."created_at",
          "t35"."text",
          "t35"."intent",
          "t35"."sentiment_score",
          "t35"."first_response_at",
          "t35"."responder",
          "t35"."agent",
          "t35"."response_hours",
          "t35"."response_business_hours",
          "t40"."np",
          "t40"."nid",
          "t40"."next_complaint_at"
        FROM (
          SELECT
            "t33".*
            EXCLUDE ("business_seconds")
          FROM (
            SELECT
              "t32"."platform",
              "t32"."interaction_id",
              "t32"."account",
              "t32"."actor_handle",
              "t32"."created_at",
              "t32"."text",
              "t32"."intent",
              "t32"."sentiment_score",
              "t32"."first_response_at",
              "t32"."responder",
              "t32"."agent",
              "t32"."response_hours",
              "t32"."business_seconds",
              CASE
                WHEN "t32"."first_response_at" IS NOT NULL
                THEN CAST(COALESCE("t32"."business_seconds", 0) AS DOUBLE) / 3600.0
                ELSE CAST(NULL AS DOUBLE)
              END AS "response_business_hours"
            FROM (
              SELECT
                "t31".*
                EXCLUDE ("bid", "bp")
              FROM (
                SELECT
                  "t27"."platform",
                  "t27"."interaction_id",
                  "t27"."account",
                  "t27"."actor_handle",
                  "t27"."created_at",
                  "t27"."text",
                  "t27"."intent",
                  "t27"."sentiment_score",
                  "t27"."first_response_at",
                  "t27"."responder",
                  "t27"."agent",
                  "t27"."response_hours",
                  "t30"."bp",
                  "t30"."bid",
                  "t30"."business_seconds"
                FROM (
                  SELECT
                    "t23"."platform",
                    "t23"."interaction_id",
                    "t23"."account",
                    "t23"."actor_handle",
                    "t23"."created_at",
                    "t23"."text",
                    "t23"."intent",
                    "t23"."sentiment_score",
                    "t23"."first_response_at",
                    "t23"."responder",
                    "t23"."agent",
                    CAST(EPOCH(CAST("t23"."first_response_at" AS TIMESTAMP)) - EPOCH(CAST("t23"."created_at" AS TIMESTAMP)) AS DOUBLE) / 3600.0 AS "response_hours"
                  FROM "t22" AS "t23"
                ) AS "t27"
                LEFT OUTER JOIN (
                  SELECT
                    "t28"."bp",
                    "t28"."bid",
                    SUM(
                      EPOCH(CAST(LEAST("t28"."b", "t28"."close_at") AS TIMESTAMP)) - EPOCH(CAST(GREATEST("t28"."a", "t28"."open_at") AS TIMESTAMP))
                    ) AS "business_seconds"
                  FROM (
                    SELECT
                      "t25"."bp",
                      "t25"."bid",
                      "t25"."a",
                      "t25"."b",
                      "t4"."open_at",
                      "t4"."close_at"
                    FROM (
                      SELECT
                        "t23"."platform" AS "bp",
                        "t23"."interaction_id" AS "bid",
                        "t23"."created_at" AS "a",
                        "t23"."first_response_at" AS "b"
                      FROM "t22" AS "t23"
                      WHERE
                        "t23"."first_response_at" IS NOT NULL
                    ) AS "t25"
                    INNER JOIN "ibis_pandas_memtable_0" AS "t4"
                      ON "t4"."open_at" < "t25"."b" AND "t4"."close_at" > "t25"."a"
                  ) AS "t28"
                  GROUP BY
                    1,
                    2
                ) AS "t30"
                  ON "t27"."platform" = "t30"."bp" AND "t27"."interaction_id" = "t30"."bid"
              ) AS "t31"
            ) AS "t32"
          ) AS "t33"
        ) AS "t35"
        LEFT OUTER JOIN (
          SELECT
            "t38"."platform" AS "np",
            "t38"."interaction_id" AS "nid",
            "t38"."next_complaint_at"
          FROM (
            SELECT
              "t37"."platform",
              "t37"."account",
              "t37"."actor_handle",
              "t37"."at",
              "t37"."is_response",
              "t37"."interaction_id",
              "t37"."complaint_at",
              MIN("t37"."complaint_at") OVER (
                PARTITION BY "t37"."platform", "t37"."account", "t37"."actor_handle"
                ORDER BY "t37"."at" DESC, "t37"."is_response" DESC
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 preceding
              ) AS "next_complaint_at"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  "t18"."platform",
                  "t18"."target_handle" AS "account",
                  "t18"."actor_handle",
                  "t18"."created_at" AS "at",
                  0 AS "is_response",
                  CAST(NULL AS TEXT) AS "interaction_id",
                  "t18"."created_at" AS "complaint_at"
                FROM (
                  SELECT
                    "t17".*
                    EXCLUDE ("lid", "lp")
                  FROM (
                    SELECT
                      "t16"."platform",
                      "t16"."interaction_id",
                      "t16"."created_at",
                      "t16"."kind",
                      "t16"."direction",
                      "t16"."actor_handle",
                      "t16"."actor_name",
                      "t16"."target_handle",
                      "t16"."post_id",
                      "t16"."in_reply_to",
                      "t16"."text",
                      "t16"."url",
                      "t16"."agent",
                      "t6"."lp",
                      "t6"."lid",
                      "t6"."intent",
                      "t6"."sentiment_score"
                    FROM (
                      SELECT
                        "t12".*
                        EXCLUDE ("bh", "bp")
                      FROM (
                        SELECT
                          "t10"."platform",
                          "t10"."interaction_id",
                          "t10"."created_at",
                          "t10"."kind",
                          "t10"."direction",
                          "t10"."actor_handle",
                          "t10"."actor_name",
                          "t10"."target_handle",
                          "t10"."post_id",
                          "t10"."in_reply_to",
                          "t10"."text",
                          "t10"."url",
                          "t10"."agent",
                          "t11"."bp",
                          "t11"."bh"
                        FROM (
                          SELECT
                            *
                          FROM "interactions" AS "t2"
                          WHERE
                            "t2"."direction" = 'inbound'
                            AND "t2"."kind" IN ('mention', 'reply', 'comment', 'dm')
                            AND "t2"."platform" = 'x'
                        ) AS "t10"
                        INNER JOIN (
                          SELECT
                            "t3"."platform" AS "bp",
                            "t3"."handle" AS "bh"
                          FROM "accounts" AS "t3"
                          WHERE
                            "t3"."owner" = 'brand'
                        ) AS "t11"
                          ON "t10"."platform" = "t11"."bp" AND "t10"."target_handle" = "t11"."bh"
                      ) AS "t12"
                    ) AS "t16"
                    LEFT OUTER JOIN (
                      SELECT
                        "t1"."platform" AS "lp",
                        "t1"."interaction_id" AS "lid",
                        "t1"."intent",
                        "t1"."sentiment_score"
                      FROM "interaction_labels" AS "t1"
                    ) AS "t6"
                      ON "t16"."platform" = "t6"."lp" AND "t16"."interaction_id" = "t6"."lid"
                  ) AS "t17"
                ) AS "t18"
                WHERE
                  "t18"."intent" = 'complaint'
              ) AS "t19"
              UNION ALL
              SELECT
                *
              FROM (
                SELECT
                  "t34"."platform",
                  "t34"."account",
                  "t34"."actor_handle",
                  "t34"."first_response_at" AS "at",
                  1 AS "is_response",
                  "t34"."interaction_id",
                  CAST(NULL AS TIMESTAMP(6)) AS "complaint_at"
                FROM (
                  SELECT
                    "t33".*
                    EXCLUDE ("business_seconds")
                  FROM (
                    SELECT
                      "t32"."platform",
                      "t32"."interaction_id",
                      "t32"."account",
                      "t32"."actor_handle",
                      "t32"."created_at",
                      "t32"."text",
                      "t32"."intent",
                      "t32"."sentiment_score",
                      "t32"."first_response_at",
                      "t32"."responder",
                      "t32"."agent",
                      "t32"."response_hours",
                      "t32"."business_seconds",
                      CASE
                        WHEN "t32"."first_response_at" IS NOT NULL
                        THEN CAST(COALESCE("t32"."business_seconds", 0) AS DOUBLE) / 3600.0
                        ELSE CAST(NULL AS DOUBLE)
                      END AS "response_business_hours"
                    FROM (
                      SELECT
                        "t31".*
                        EXCLUDE ("bid", "bp")
                      FROM (
                        SELECT
                          "t27"."platform",
                          "t27"."interaction_id",
                          "t27"."account",
                          "t27"."actor_handle",
                          "t27"."created_at",
                          "t27"."text",
                          "t27"."intent",
                          "t27"."sentiment_score",
                          "t27"."first_response_at",
                          "t27"."responder",
                          "t27"."agent",
                          "t27"."response_hours",
                          "t30"."bp",
                          "t30"."bid",
                          "t30"."business_seconds"
                        FROM (
                          SELECT
                            "t23"."platform",
                            "t23"."interaction_id",
                            "t23"."account",
                            "t23"."actor_handle",
                            "t23"."created_at",
                            "t23"."text",
                            "t23"."intent",
                            "t23"."sentiment_score",
                            "t23"."first_response_at",
                            "t23"."responder",
                            "t23"."agent",
                            CAST(EPOCH(CAST("t23"."first_response_at" AS TIMESTAMP)) - EPOCH(CAST("t23"."created_at" AS TIMESTAMP)) AS DOUBLE) / 3600.0 AS "response_hours"
                          FROM "t22" AS "t23"
                        ) AS "t27"
                        LEFT OUTER JOIN (
                          SELECT
                            "t28"."bp",
                            "t28"."bid",
                            SUM(
                              EPOCH(CAST(LEAST("t28"."b", "t28"."close_at") AS TIMESTAMP)) - EPOCH(CAST(GREATEST("t28"."a", "t28"."open_at") AS TIMESTAMP))
                            ) AS "business_seconds"
                          FROM (
                            SELECT
                              "t25"."bp",
                              "t25"."bid",
                              "t25"."a",
                              "t25"."b",
                              "t4"."open_at",
                              "t4"."close_at"
                            FROM (
                              SELECT
                                "t23"."platform" AS "bp",
                                "t23"."interaction_id" AS "bid",
                                "t23"."created_at" AS "a",
                                "t23"."first_response_at" AS "b"
                              FROM "t22" AS "t23"
                              WHERE
                                "t23"."first_response_at" IS NOT NULL
                            ) AS "t25"
                            INNER JOIN "ibis_pandas_memtable_0" AS "t4"
                              ON "t4"."open_at" < "t25"."b" AND "t4"."close_at" > "t25"."a"
                          ) AS "t28"
                          GROUP BY
                            1,
                            2
                        ) AS "t30"
                          ON "t27"."platform" = "t30"."bp" AND "t27"."interaction_id" = "t30"."bid"
                      ) AS "t31"
                    ) AS "t32"
                  ) AS "t33"
                ) AS "t34"
                WHERE
                  "t34"."intent" = 'complaint' AND "t34"."first_response_at" IS NOT NULL
              ) AS "t36"
            ) AS "t37"
          ) AS "t38"
          WHERE
            "t38"."is_response" = 1
        ) AS "t40"
          ON "t35"."platform" = "t40"."np" AND "t35"."interaction_id" = "t40"."nid"
      ) AS "t41"
    ) AS "t42"
  ) AS "t43"
) AS "t44"
WHERE
  "t44"."intent" = 'complaint' AND "t44"."account" = 'shop'
ORDER BY
  "t44"."created_at" ASC,
  "t44"."interaction_id" ASC
