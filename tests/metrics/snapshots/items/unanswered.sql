WITH "t30" AS (
  SELECT
    "t29"."platform",
    "t29"."interaction_id",
    "t29"."target_handle" AS "account",
    "t29"."actor_handle",
    "t29"."created_at",
    "t29"."text",
    "t29"."intent",
    CAST("t29"."sentiment_score" AS DOUBLE) AS "sentiment_score",
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
          "t9"."lp",
          "t9"."lid",
          "t9"."intent",
          "t9"."sentiment_score"
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
              FROM "interactions" AS "t1"
              WHERE
                "t1"."direction" = 'inbound'
                AND "t1"."kind" IN ('mention', 'reply', 'comment', 'dm')
                AND "t1"."platform" = 'x'
                AND "t1"."created_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                AND "t1"."created_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
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
            "t2"."platform" AS "lp",
            "t2"."interaction_id" AS "lid",
            "t2"."intent",
            "t2"."sentiment_score"
          FROM "interaction_labels" AS "t2"
        ) AS "t9"
          ON "t21"."platform" = "t9"."lp" AND "t21"."interaction_id" = "t9"."lid"
      ) AS "t23"
    ) AS "t25"
    WHERE
      (
        "t25"."intent" IS NULL
      ) OR "t25"."intent" IN ('complaint', 'question')
  ) AS "t29"
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
      FROM "interactions" AS "t1"
      WHERE
        "t1"."direction" = 'outbound' AND "t1"."in_reply_to" IS NOT NULL
    ) AS "t8"
    GROUP BY
      1,
      2,
      3
  ) AS "t19"
    ON "t29"."platform" = "t19"."rp"
    AND "t29"."interaction_id" = "t19"."rid"
    AND "t29"."target_handle" = "t19"."ra"
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
    EXCLUDE ("repeats")
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
      "t49"."repeats",
      (
        "t49"."intent" = 'complaint'
      )
      AND (
        "t49"."first_response_at" IS NOT NULL
      )
      AND (
        COALESCE("t49"."repeats", 0) = 0
      ) AS "resolved"
    FROM (
      SELECT
        "t48".*
        EXCLUDE ("pid", "pp")
      FROM (
        SELECT
          "t43"."platform",
          "t43"."interaction_id",
          "t43"."account",
          "t43"."actor_handle",
          "t43"."created_at",
          "t43"."text",
          "t43"."intent",
          "t43"."sentiment_score",
          "t43"."first_response_at",
          "t43"."responder",
          "t43"."agent",
          "t43"."response_hours",
          "t43"."response_business_hours",
          "t47"."pp",
          "t47"."pid",
          "t47"."repeats"
        FROM (
          SELECT
            "t41".*
            EXCLUDE ("business_seconds")
          FROM (
            SELECT
              "t40"."platform",
              "t40"."interaction_id",
              "t40"."account",
              "t40"."actor_handle",
              "t40"."created_at",
              "t40"."text",
              "t40"."intent",
              "t40"."sentiment_score",
              "t40"."first_response_at",
              "t40"."responder",
              "t40"."agent",
              "t40"."response_hours",
              "t40"."business_seconds",
              CASE
                WHEN "t40"."first_response_at" IS NOT NULL
                THEN CAST(COALESCE("t40"."business_seconds", 0) AS DOUBLE) / 3600.0
                ELSE CAST(NULL AS DOUBLE)
              END AS "response_business_hours"
            FROM (
              SELECT
                "t39".*
                EXCLUDE ("bid", "bp")
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
                  "t38"."bp",
                  "t38"."bid",
                  "t38"."business_seconds"
                FROM (
                  SELECT
                    "t31"."platform",
                    "t31"."interaction_id",
                    "t31"."account",
                    "t31"."actor_handle",
                    "t31"."created_at",
                    "t31"."text",
                    "t31"."intent",
                    "t31"."sentiment_score",
                    "t31"."first_response_at",
                    "t31"."responder",
                    "t31"."agent",
                    CAST(EPOCH(CAST("t31"."first_response_at" AS TIMESTAMP)) - EPOCH(CAST("t31"."created_at" AS TIMESTAMP)) AS DOUBLE) / 3600.0 AS "response_hours"
                  FROM "t30" AS "t31"
                ) AS "t35"
                LEFT OUTER JOIN (
                  SELECT
                    "t36"."bp",
                    "t36"."bid",
                    SUM(
                      EPOCH(CAST(LEAST("t36"."b", "t36"."close_at") AS TIMESTAMP)) - EPOCH(CAST(GREATEST("t36"."a", "t36"."open_at") AS TIMESTAMP))
                    ) AS "business_seconds"
                  FROM (
                    SELECT
                      "t33"."bp",
                      "t33"."bid",
                      "t33"."a",
                      "t33"."b",
                      "t4"."open_at",
                      "t4"."close_at"
                    FROM (
                      SELECT
                        "t31"."platform" AS "bp",
                        "t31"."interaction_id" AS "bid",
                        "t31"."created_at" AS "a",
                        "t31"."first_response_at" AS "b"
                      FROM "t30" AS "t31"
                      WHERE
                        "t31"."first_response_at" IS NOT NULL
                    ) AS "t33"
                    INNER JOIN "ibis_pandas_memtable_0" AS "t4"
                      ON "t4"."open_at" < "t33"."b" AND "t4"."close_at" > "t33"."a"
                  ) AS "t36"
                  GROUP BY
                    1,
                    2
                ) AS "t38"
                  ON "t35"."platform" = "t38"."bp" AND "t35"."interaction_id" = "t38"."bid"
              ) AS "t39"
            ) AS "t40"
          ) AS "t41"
        ) AS "t43"
        LEFT OUTER JOIN (
          SELECT
            "t45"."platform" AS "pp",
            "t45"."interaction_id" AS "pid",
            "t45"."repeats"
          FROM (
            SELECT
              "t44"."platform",
              "t44"."interaction_id",
              COUNT("t44"."cat") AS "repeats"
            FROM (
              SELECT
                "t43"."platform",
                "t43"."interaction_id",
                "t43"."account",
                "t43"."actor_handle",
                "t43"."created_at",
                "t43"."text",
                "t43"."intent",
                "t43"."sentiment_score",
                "t43"."first_response_at",
                "t43"."responder",
                "t43"."agent",
                "t43"."response_hours",
                "t43"."response_business_hours",
                "t27"."cp",
                "t27"."ca",
                "t27"."cu",
                "t27"."cat"
              FROM (
                SELECT
                  "t41".*
                  EXCLUDE ("business_seconds")
                FROM (
                  SELECT
                    "t40"."platform",
                    "t40"."interaction_id",
                    "t40"."account",
                    "t40"."actor_handle",
                    "t40"."created_at",
                    "t40"."text",
                    "t40"."intent",
                    "t40"."sentiment_score",
                    "t40"."first_response_at",
                    "t40"."responder",
                    "t40"."agent",
                    "t40"."response_hours",
                    "t40"."business_seconds",
                    CASE
                      WHEN "t40"."first_response_at" IS NOT NULL
                      THEN CAST(COALESCE("t40"."business_seconds", 0) AS DOUBLE) / 3600.0
                      ELSE CAST(NULL AS DOUBLE)
                    END AS "response_business_hours"
                  FROM (
                    SELECT
                      "t39".*
                      EXCLUDE ("bid", "bp")
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
                        "t38"."bp",
                        "t38"."bid",
                        "t38"."business_seconds"
                      FROM (
                        SELECT
                          "t31"."platform",
                          "t31"."interaction_id",
                          "t31"."account",
                          "t31"."actor_handle",
                          "t31"."created_at",
                          "t31"."text",
                          "t31"."intent",
                          "t31"."sentiment_score",
                          "t31"."first_response_at",
                          "t31"."responder",
                          "t31"."agent",
                          CAST(EPOCH(CAST("t31"."first_response_at" AS TIMESTAMP)) - EPOCH(CAST("t31"."created_at" AS TIMESTAMP)) AS DOUBLE) / 3600.0 AS "response_hours"
                        FROM "t30" AS "t31"
                      ) AS "t35"
                      LEFT OUTER JOIN (
                        SELECT
                          "t36"."bp",
                          "t36"."bid",
                          SUM(
                            EPOCH(CAST(LEAST("t36"."b", "t36"."close_at") AS TIMESTAMP)) - EPOCH(CAST(GREATEST("t36"."a", "t36"."open_at") AS TIMESTAMP))
                          ) AS "business_seconds"
                        FROM (
                          SELECT
                            "t33"."bp",
                            "t33"."bid",
                            "t33"."a",
                            "t33"."b",
                            "t4"."open_at",
                            "t4"."close_at"
                          FROM (
                            SELECT
                              "t31"."platform" AS "bp",
                              "t31"."interaction_id" AS "bid",
                              "t31"."created_at" AS "a",
                              "t31"."first_response_at" AS "b"
                            FROM "t30" AS "t31"
                            WHERE
                              "t31"."first_response_at" IS NOT NULL
                          ) AS "t33"
                          INNER JOIN "ibis_pandas_memtable_0" AS "t4"
                            ON "t4"."open_at" < "t33"."b" AND "t4"."close_at" > "t33"."a"
                        ) AS "t36"
                        GROUP BY
                          1,
                          2
                      ) AS "t38"
                        ON "t35"."platform" = "t38"."bp" AND "t35"."interaction_id" = "t38"."bid"
                    ) AS "t39"
                  ) AS "t40"
                ) AS "t41"
              ) AS "t43"
              LEFT OUTER JOIN (
                SELECT
                  "t24"."platform" AS "cp",
                  "t24"."target_handle" AS "ca",
                  "t24"."actor_handle" AS "cu",
                  "t24"."created_at" AS "cat"
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
                      "t9"."lp",
                      "t9"."lid",
                      "t9"."intent",
                      "t9"."sentiment_score"
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
                          FROM "interactions" AS "t1"
                          WHERE
                            "t1"."direction" = 'inbound'
                            AND "t1"."kind" IN ('mention', 'reply', 'comment', 'dm')
                            AND "t1"."platform" = 'x'
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
                        "t2"."platform" AS "lp",
                        "t2"."interaction_id" AS "lid",
                        "t2"."intent",
                        "t2"."sentiment_score"
                      FROM "interaction_labels" AS "t2"
                    ) AS "t9"
                      ON "t20"."platform" = "t9"."lp" AND "t20"."interaction_id" = "t9"."lid"
                  ) AS "t22"
                ) AS "t24"
                WHERE
                  "t24"."intent" = 'complaint'
              ) AS "t27"
                ON "t43"."platform" = "t27"."cp"
                AND "t43"."account" = "t27"."ca"
                AND "t43"."actor_handle" = "t27"."cu"
                AND "t27"."cat" > "t43"."first_response_at"
                AND "t27"."cat" <= (
                  "t43"."first_response_at" + INTERVAL '7' DAY
                )
            ) AS "t44"
            GROUP BY
              1,
              2
          ) AS "t45"
        ) AS "t47"
          ON "t43"."platform" = "t47"."pp" AND "t43"."interaction_id" = "t47"."pid"
      ) AS "t48"
    ) AS "t49"
  ) AS "t50"
) AS "t51"
WHERE
  "t51"."first_response_at" IS NULL AND "t51"."intent" = 'complaint'
ORDER BY
  "t51"."created_at" ASC,
  "t51"."platform" ASC,
  "t51"."account" ASC,
  "t51"."actor_handle" ASC,
  "t51"."interaction_id" ASC,
  "t51"."text" ASC
