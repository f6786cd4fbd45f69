WITH "t29" AS (
  SELECT
    "t28"."platform",
    "t28"."interaction_id",
    "t28"."target_handle" AS "account",
    "t28"."actor_handle",
    "t28"."created_at",
    "t28"."text",
    "t28"."intent",
    CAST("t28"."sentiment_score" AS DOUBLE) AS "sentiment_score",
    "t19"."first_response_at",
    "t19"."ra" AS "responder",
    "t19"."first_agent" AS "agent"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t23".*
        EXCLUDE ("lid", "lp")
      FROM (
        SELECT
          "t21"."platform",
          "t21"."interaction_id",
          "t21"."created_at",
          "t21"."kind",
          "t21"."direction",
          "t21"."actor_handle",
          "t21"."actor_name",
          "t21"."target_handle",
          "t21"."post_id",
          "t21"."in_reply_to",
          "t21"."text",
          "t21"."url",
          "t21"."agent",
          "t6"."lp",
          "t6"."lid",
          "t6"."intent",
          "t6"."sentiment_score"
        FROM (
          SELECT
            "t15".*
            EXCLUDE ("bh", "bp")
          FROM (
            SELECT
              "t12"."platform",
              "t12"."interaction_id",
              "t12"."created_at",
              "t12"."kind",
              "t12"."direction",
              "t12"."actor_handle",
              "t12"."actor_name",
              "t12"."target_handle",
              "t12"."post_id",
              "t12"."in_reply_to",
              "t12"."text",
              "t12"."url",
              "t12"."agent",
              "t13"."bp",
              "t13"."bh"
            FROM (
              SELECT
                *
              FROM "interactions" AS "t2"
              WHERE
                "t2"."direction" = 'inbound'
                AND "t2"."kind" IN ('mention', 'reply', 'comment', 'dm')
                AND "t2"."platform" = 'x'
                AND "t2"."created_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                AND "t2"."created_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
            ) AS "t12"
            INNER JOIN (
              SELECT
                "t3"."platform" AS "bp",
                "t3"."handle" AS "bh"
              FROM "accounts" AS "t3"
              WHERE
                "t3"."owner" = 'brand'
            ) AS "t13"
              ON "t12"."platform" = "t13"."bp" AND "t12"."target_handle" = "t13"."bh"
          ) AS "t15"
        ) AS "t21"
        LEFT OUTER JOIN (
          SELECT
            "t1"."platform" AS "lp",
            "t1"."interaction_id" AS "lid",
            "t1"."intent",
            "t1"."sentiment_score"
          FROM "interaction_labels" AS "t1"
        ) AS "t6"
          ON "t21"."platform" = "t6"."lp" AND "t21"."interaction_id" = "t6"."lid"
      ) AS "t23"
    ) AS "t25"
    WHERE
      (
        "t25"."intent" IS NULL
      ) OR "t25"."intent" IN ('complaint', 'question')
  ) AS "t28"
  LEFT OUTER JOIN (
    SELECT
      "t9"."platform" AS "rp",
      "t9"."in_reply_to" AS "rid",
      "t9"."actor_handle" AS "ra",
      MIN("t9"."created_at") AS "first_response_at",
      FIRST(
        COALESCE(
          NULLIF("t9"."agent", ''),
          NULLIF(REGEXP_EXTRACT("t9"."text", '\^([A-Za-z]{2,4})\b', 1), '')
        ) ORDER BY "t9"."created_at"
      ) AS "first_agent"
    FROM (
      SELECT
        *
      FROM "interactions" AS "t2"
      WHERE
        "t2"."direction" = 'outbound' AND "t2"."in_reply_to" IS NOT NULL
    ) AS "t9"
    GROUP BY
      1,
      2,
      3
  ) AS "t19"
    ON "t28"."platform" = "t19"."rp"
    AND "t28"."interaction_id" = "t19"."rid"
    AND "t28"."target_handle" = "t19"."ra"
)
SELECT
  "t51"."created_at",
  "t51"."platform",
  "t51"."account",
  "t51"."actor_handle",
  "t51"."interaction_id",
  "t51"."text",
  "t51"."sentiment_score"
FROM (
  SELECT
    "t50".*
    EXCLUDE ("next_complaint_at")
  FROM (
    SELECT
      "t49"."platform",
      "t49"."interaction_id",
      "t49"."account",
      "t49"."actor_handle",
      "t49"."created_at",
      "t49"."text",
      "t49"."intent",
      "t49"."sentiment_score",
      "t49"."first_response_at",
      "t49"."responder",
      "t49"."agent",
      "t49"."response_hours",
      "t49"."response_business_hours",
      "t49"."next_complaint_at",
      (
        "t49"."intent" = 'complaint'
      )
      AND (
        "t49"."first_response_at" IS NOT NULL
      )
      AND (
        (
          "t49"."next_complaint_at" IS NULL
        )
        OR (
          "t49"."next_complaint_at" > (
            "t49"."first_response_at" + INTERVAL '7' DAY
          )
        )
      ) AS "resolved"
    FROM (
      SELECT
        "t48".*
        EXCLUDE ("nid", "np")
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
          "t47"."np",
          "t47"."nid",
          "t47"."next_complaint_at"
        FROM (
          SELECT
            "t40".*
            EXCLUDE ("business_seconds")
          FROM (
            SELECT
              "t39"."platform",
              "t39"."interaction_id",
              "t39"."account",
              "t39"."actor_handle",
              "t39"."created_at",
              "t39"."text",
              "t39"."intent",
              "t39"."sentiment_score",
              "t39"."first_response_at",
              "t39"."responder",
              "t39"."agent",
              "t39"."response_hours",
              "t39"."business_seconds",
              CASE
                WHEN "t39"."first_response_at" IS NOT NULL
                THEN CAST(COALESCE("t39"."business_seconds", 0) AS DOUBLE) / 3600.0
                ELSE CAST(NULL AS DOUBLE)
              END AS "response_business_hours"
            FROM (
              SELECT
                "t38".*
                EXCLUDE ("bid", "bp")
              FROM (
                SELECT
                  "t34"."platform",
                  "t34"."interaction_id",
                  "t34"."account",
                  "t34"."actor_handle",
                  "t34"."created_at",
                  "t34"."text",
                  "t34"."intent",
                  "t34"."sentiment_score",
                  "t34"."first_response_at",
                  "t34"."responder",
                  "t34"."agent",
                  "t34"."response_hours",
                  "t37"."bp",
                  "t37"."bid",
                  "t37"."business_seconds"
                FROM (
                  SELECT
                    "t30"."platform",
                    "t30"."interaction_id",
                    "t30"."account",
                    "t30"."actor_handle",
                    "t30"."created_at",
                    "t30"."text",
                    "t30"."intent",
                    "t30"."sentiment_score",
                    "t30"."first_response_at",
                    "t30"."responder",
                    "t30"."agent",
                    CAST(EPOCH(CAST("t30"."first_response_at" AS TIMESTAMP)) - EPOCH(CAST("t30"."created_at" AS TIMESTAMP)) AS DOUBLE) / 3600.0 AS "response_hours"
                  FROM "t29" AS "t30"
                ) AS "t34"
                LEFT OUTER JOIN (
                  SELECT
                    "t35"."bp",
                    "t35"."bid",
                    SUM(
                      EPOCH(CAST(LEAST("t35"."b", "t35"."close_at") AS TIMESTAMP)) - EPOCH(CAST(GREATEST("t35"."a", "t35"."open_at") AS TIMESTAMP))
                    ) AS "business_seconds"
                  FROM (
                    SELECT
                      "t32"."bp",
                      "t32"."bid",
                      "t32"."a",
                      "t32"."b",
                      "t4"."open_at",
                      "t4"."close_at"
                    FROM (
                      SELECT
                        "t30"."platform" AS "bp",
                        "t30"."interaction_id" AS "bid",
                        "t30"."created_at" AS "a",
                        "t30"."first_response_at" AS "b"
                      FROM "t29" AS "t30"
                      WHERE
                        "t30"."first_response_at" IS NOT NULL
                    ) AS "t32"
                    INNER JOIN "ibis_pandas_memtable_0" AS "t4"
                      ON "t4"."open_at" < "t32"."b" AND "t4"."close_at" > "t32"."a"
                  ) AS "t35"
                  GROUP BY
                    1,
                    2
                ) AS "t37"
                  ON "t34"."platform" = "t37"."bp" AND "t34"."interaction_id" = "t37"."bid"
              ) AS "t38"
            ) AS "t39"
          ) AS "t40"
        ) AS "t42"
        LEFT OUTER JOIN (
          SELECT
            "t45"."platform" AS "np",
            "t45"."interaction_id" AS "nid",
            "t45"."next_complaint_at"
          FROM (
            SELECT
              "t44"."platform",
              "t44"."account",
              "t44"."actor_handle",
              "t44"."at",
              "t44"."is_response",
              "t44"."interaction_id",
              "t44"."complaint_at",
              MIN("t44"."complaint_at") OVER (
                PARTITION BY "t44"."platform", "t44"."account", "t44"."actor_handle"
                ORDER BY "t44"."at" ASC, "t44"."is_response" ASC
                ROWS BETWEEN 1 following AND UNBOUNDED FOLLOWING
              ) AS "next_complaint_at"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  "t24"."platform",
                  "t24"."target_handle" AS "account",
                  "t24"."actor_handle",
                  "t24"."created_at" AS "at",
                  0 AS "is_response",
                  CAST(NULL AS TEXT) AS "interaction_id",
                  "t24"."created_at" AS "complaint_at"
                FROM (
                  SELECT
                    "t22".*
                    EXCLUDE ("lid", "lp")
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
                      "t20"."agent",
                      "t6"."lp",
                      "t6"."lid",
                      "t6"."intent",
                      "t6"."sentiment_score"
                    FROM (
                      SELECT
                        "t14".*
                        EXCLUDE ("bh", "bp")
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
                          "t11"."agent",
                          "t13"."bp",
                          "t13"."bh"
                        FROM (
                          SELECT
                            *
                          FROM "interactions" AS "t2"
                          WHERE
                            "t2"."direction" = 'inbound'
                            AND "t2"."kind" IN ('mention', 'reply', 'comment', 'dm')
                            AND "t2"."platform" = 'x'
                        ) AS "t11"
                        INNER JOIN (
                          SELECT
                            "t3"."platform" AS "bp",
                            "t3"."handle" AS "bh"
                          FROM "accounts" AS "t3"
                          WHERE
                            "t3"."owner" = 'brand'
                        ) AS "t13"
                          ON "t11"."platform" = "t13"."bp" AND "t11"."target_handle" = "t13"."bh"
                      ) AS "t14"
                    ) AS "t20"
                    LEFT OUTER JOIN (
                      SELECT
                        "t1"."platform" AS "lp",
                        "t1"."interaction_id" AS "lid",
                        "t1"."intent",
                        "t1"."sentiment_score"
                      FROM "interaction_labels" AS "t1"
                    ) AS "t6"
                      ON "t20"."platform" = "t6"."lp" AND "t20"."interaction_id" = "t6"."lid"
                  ) AS "t22"
                ) AS "t24"
                WHERE
                  "t24"."intent" = 'complaint'
              ) AS "t26"
              UNION ALL
              SELECT
                *
              FROM (
                SELECT
                  "t41"."platform",
                  "t41"."account",
                  "t41"."actor_handle",
                  "t41"."first_response_at" AS "at",
                  1 AS "is_response",
                  "t41"."interaction_id",
                  CAST(NULL AS TIMESTAMP(6)) AS "complaint_at"
                FROM (
                  SELECT
                    "t40".*
                    EXCLUDE ("business_seconds")
                  FROM (
                    SELECT
                      "t39"."platform",
                      "t39"."interaction_id",
                      "t39"."account",
                      "t39"."actor_handle",
                      "t39"."created_at",
                      "t39"."text",
                      "t39"."intent",
                      "t39"."sentiment_score",
                      "t39"."first_response_at",
                      "t39"."responder",
                      "t39"."agent",
                      "t39"."response_hours",
                      "t39"."business_seconds",
                      CASE
                        WHEN "t39"."first_response_at" IS NOT NULL
                        THEN CAST(COALESCE("t39"."business_seconds", 0) AS DOUBLE) / 3600.0
                        ELSE CAST(NULL AS DOUBLE)
                      END AS "response_business_hours"
                    FROM (
                      SELECT
                        "t38".*
                        EXCLUDE ("bid", "bp")
                      FROM (
                        SELECT
                          "t34"."platform",
                          "t34"."interaction_id",
                          "t34"."account",
                          "t34"."actor_handle",
                          "t34"."created_at",
                          "t34"."text",
                          "t34"."intent",
                          "t34"."sentiment_score",
                          "t34"."first_response_at",
                          "t34"."responder",
                          "t34"."agent",
                          "t34"."response_hours",
                          "t37"."bp",
                          "t37"."bid",
                          "t37"."business_seconds"
                        FROM (
                          SELECT
                            "t30"."platform",
                            "t30"."interaction_id",
                            "t30"."account",
                            "t30"."actor_handle",
                            "t30"."created_at",
                            "t30"."text",
                            "t30"."intent",
                            "t30"."sentiment_score",
                            "t30"."first_response_at",
                            "t30"."responder",
                            "t30"."agent",
                            CAST(EPOCH(CAST("t30"."first_response_at" AS TIMESTAMP)) - EPOCH(CAST("t30"."created_at" AS TIMESTAMP)) AS DOUBLE) / 3600.0 AS "response_hours"
                          FROM "t29" AS "t30"
                        ) AS "t34"
                        LEFT OUTER JOIN (
                          SELECT
                            "t35"."bp",
                            "t35"."bid",
                            SUM(
                              EPOCH(CAST(LEAST("t35"."b", "t35"."close_at") AS TIMESTAMP)) - EPOCH(CAST(GREATEST("t35"."a", "t35"."open_at") AS TIMESTAMP))
                            ) AS "business_seconds"
                          FROM (
                            SELECT
                              "t32"."bp",
                              "t32"."bid",
                              "t32"."a",
                              "t32"."b",
                              "t4"."open_at",
                              "t4"."close_at"
                            FROM (
                              SELECT
                                "t30"."platform" AS "bp",
                                "t30"."interaction_id" AS "bid",
                                "t30"."created_at" AS "a",
                                "t30"."first_response_at" AS "b"
                              FROM "t29" AS "t30"
                              WHERE
                                "t30"."first_response_at" IS NOT NULL
                            ) AS "t32"
                            INNER JOIN "ibis_pandas_memtable_0" AS "t4"
                              ON "t4"."open_at" < "t32"."b" AND "t4"."close_at" > "t32"."a"
                          ) AS "t35"
                          GROUP BY
                            1,
                            2
                        ) AS "t37"
                          ON "t34"."platform" = "t37"."bp" AND "t34"."interaction_id" = "t37"."bid"
                      ) AS "t38"
                    ) AS "t39"
                  ) AS "t40"
                ) AS "t41"
                WHERE
                  "t41"."intent" = 'complaint' AND "t41"."first_response_at" IS NOT NULL
              ) AS "t43"
            ) AS "t44"
          ) AS "t45"
          WHERE
            "t45"."is_response" = 1
        ) AS "t47"
          ON "t42"."platform" = "t47"."np" AND "t42"."interaction_id" = "t47"."nid"
      ) AS "t48"
    ) AS "t49"
  ) AS "t50"
) AS "t51"
WHERE
  "t51"."first_response_at" IS NULL AND "t51"."intent" = 'complaint'
