WITH "t12" AS (
  SELECT
    "t1"."value" AS "k1",
    "t1"."person_ref" AS "p1"
  FROM "identities" AS "t1"
  WHERE
    "t1"."kind" = 'customer'
), "t13" AS (
  SELECT
    "t1"."value" AS "k2",
    "t1"."person_ref" AS "p2"
  FROM "identities" AS "t1"
  WHERE
    "t1"."kind" = 'email'
), "t15" AS (
  SELECT
    "t1"."value" AS "k3",
    "t1"."person_ref" AS "p3"
  FROM "identities" AS "t1"
  WHERE
    "t1"."kind" = 'visitor'
), "t50" AS (
  SELECT
    *
  FROM (
    SELECT
      COALESCE("t26"."vperson", 'visitor:' || "t6"."visitor_id") AS "key",
      "t6"."started_at" AS "ts",
      COALESCE("t18"."vsource", 'unclassified') AS "label",
      'visit' AS "source"
    FROM "visits" AS "t6"
    LEFT OUTER JOIN (
      SELECT
        "t3"."visit_id" AS "cv",
        "t3"."channel" AS "vchannel",
        "t3"."source" AS "vsource"
      FROM "visit_channels" AS "t3"
    ) AS "t18"
      ON "t6"."visit_id" = "t18"."cv"
    LEFT OUTER JOIN (
      SELECT
        "t1"."value" AS "vv",
        "t1"."person_ref" AS "vperson"
      FROM "identities" AS "t1"
      WHERE
        "t1"."kind" = 'visitor'
    ) AS "t26"
      ON "t6"."visitor_id" = "t26"."vv"
  ) AS "t37"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t44"."key",
      "t44"."ts",
      "t44"."label",
      "t44"."source"
    FROM (
      SELECT
        "t41"."key",
        "t41"."day",
        "t41"."label",
        "t41"."source",
        MIN("t41"."ts") AS "ts"
      FROM (
        SELECT
          "t35"."person" AS "key",
          DATE_TRUNC('DAY', "t36"."created_at") AS "day",
          "t36"."created_at" AS "ts",
          "t36"."platform" AS "label",
          CASE WHEN "t36"."platform" = 'email' THEN 'click' ELSE 'social' END AS "source"
        FROM (
          SELECT
            *
          FROM "interactions" AS "t4"
          WHERE
            "t4"."direction" = 'inbound'
            AND "t4"."kind" <> 'unfollow'
            AND (
              (
                "t4"."platform" <> 'email'
              ) OR (
                "t4"."kind" = 'click'
              )
            )
        ) AS "t36"
        INNER JOIN (
          SELECT
            *
          FROM (
            SELECT
              SUBSTRING(
                "t1"."kind",
                CASE WHEN (
                  7 + 1
                ) >= 1 THEN 7 + 1 ELSE 7 + 1 + LENGTH("t1"."kind") END
              ) AS "iplatform",
              "t1"."value" AS "ihandle",
              "t1"."person_ref" AS "person"
            FROM "identities" AS "t1"
            WHERE
              STARTS_WITH("t1"."kind", 'handle:')
          ) AS "t17"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              'email' AS "iplatform",
              "t1"."value" AS "ihandle",
              "t1"."person_ref" AS "person"
            FROM "identities" AS "t1"
            WHERE
              "t1"."kind" = 'email'
          ) AS "t14"
        ) AS "t35"
          ON "t36"."platform" = "t35"."iplatform" AND "t36"."actor_handle" = "t35"."ihandle"
        LEFT OUTER JOIN (
          SELECT
            "t5"."platform" AS "pplatform",
            "t5"."post_id" AS "ppost",
            "t5"."campaign" AS "pcampaign"
          FROM "posts" AS "t5"
        ) AS "t19"
          ON "t36"."platform" = "t19"."pplatform" AND "t36"."post_id" = "t19"."ppost"
      ) AS "t41"
      GROUP BY
        1,
        2,
        3,
        4
    ) AS "t44"
  ) AS "t48"
), "t51" AS (
  SELECT
    *
  FROM (
    SELECT
      COALESCE("t26"."vperson", 'visitor:' || "t6"."visitor_id") AS "key",
      "t6"."started_at" AS "ts",
      COALESCE("t6"."utm_campaign", '(none)') AS "label",
      'visit' AS "source"
    FROM "visits" AS "t6"
    LEFT OUTER JOIN (
      SELECT
        "t3"."visit_id" AS "cv",
        "t3"."channel" AS "vchannel",
        "t3"."source" AS "vsource"
      FROM "visit_channels" AS "t3"
    ) AS "t18"
      ON "t6"."visit_id" = "t18"."cv"
    LEFT OUTER JOIN (
      SELECT
        "t1"."value" AS "vv",
        "t1"."person_ref" AS "vperson"
      FROM "identities" AS "t1"
      WHERE
        "t1"."kind" = 'visitor'
    ) AS "t26"
      ON "t6"."visitor_id" = "t26"."vv"
  ) AS "t38"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t45"."key",
      "t45"."ts",
      "t45"."label",
      "t45"."source"
    FROM (
      SELECT
        "t42"."key",
        "t42"."day",
        "t42"."label",
        "t42"."source",
        MIN("t42"."ts") AS "ts"
      FROM (
        SELECT
          "t35"."person" AS "key",
          DATE_TRUNC('DAY', "t36"."created_at") AS "day",
          "t36"."created_at" AS "ts",
          COALESCE("t19"."pcampaign", '(none)') AS "label",
          CASE WHEN "t36"."platform" = 'email' THEN 'click' ELSE 'social' END AS "source"
        FROM (
          SELECT
            *
          FROM "interactions" AS "t4"
          WHERE
            "t4"."direction" = 'inbound'
            AND "t4"."kind" <> 'unfollow'
            AND (
              (
                "t4"."platform" <> 'email'
              ) OR (
                "t4"."kind" = 'click'
              )
            )
        ) AS "t36"
        INNER JOIN (
          SELECT
            *
          FROM (
            SELECT
              SUBSTRING(
                "t1"."kind",
                CASE WHEN (
                  7 + 1
                ) >= 1 THEN 7 + 1 ELSE 7 + 1 + LENGTH("t1"."kind") END
              ) AS "iplatform",
              "t1"."value" AS "ihandle",
              "t1"."person_ref" AS "person"
            FROM "identities" AS "t1"
            WHERE
              STARTS_WITH("t1"."kind", 'handle:')
          ) AS "t17"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              'email' AS "iplatform",
              "t1"."value" AS "ihandle",
              "t1"."person_ref" AS "person"
            FROM "identities" AS "t1"
            WHERE
              "t1"."kind" = 'email'
          ) AS "t14"
        ) AS "t35"
          ON "t36"."platform" = "t35"."iplatform" AND "t36"."actor_handle" = "t35"."ihandle"
        LEFT OUTER JOIN (
          SELECT
            "t5"."platform" AS "pplatform",
            "t5"."post_id" AS "ppost",
            "t5"."campaign" AS "pcampaign"
          FROM "posts" AS "t5"
        ) AS "t19"
          ON "t36"."platform" = "t19"."pplatform" AND "t36"."post_id" = "t19"."ppost"
      ) AS "t42"
      GROUP BY
        1,
        2,
        3,
        4
    ) AS "t45"
  ) AS "t49"
)
SELECT
  "t85"."occurred_at",
  "t85"."conversion_id",
  "t85"."kind",
  "t85"."customer_id",
  "t85"."email",
  CAST("t85"."value_reporting" AS DOUBLE) AS "value"
FROM (
  SELECT
    "t20"."conversion_id",
    "t20"."occurred_at",
    "t20"."kind",
    "t20"."value",
    "t20"."currency",
    "t20"."customer_id",
    "t20"."email",
    "t20"."visitor_id",
    "t20"."referral_code",
    "t20"."value_reporting"
  FROM (
    SELECT
      *
    FROM "conversions" AS "t0"
    WHERE
      "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
      AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
      AND "t0"."kind" = 'lead'
  ) AS "t20"
  SEMI JOIN (
    SELECT DISTINCT
      "t72"."kconv" AS "hconv"
    FROM (
      SELECT
        "t47"."kconv",
        "t47"."key",
        "t21"."wconv",
        "t21"."wat",
        "t70"."ts",
        "t70"."label"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t22"."conversion_id" AS "kconv",
              COALESCE("t29"."p1", "t31"."p2", "t33"."p3") AS "key"
            FROM (
              SELECT
                "t0"."conversion_id",
                "t0"."customer_id",
                "t0"."email",
                "t0"."visitor_id"
              FROM "conversions" AS "t0"
              WHERE
                "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                AND "t0"."kind" = 'lead'
            ) AS "t22"
            LEFT OUTER JOIN "t12" AS "t29"
              ON "t22"."customer_id" = "t29"."k1"
            LEFT OUTER JOIN "t13" AS "t31"
              ON "t22"."email" = "t31"."k2"
            LEFT OUTER JOIN "t15" AS "t33"
              ON "t22"."visitor_id" = "t33"."k3"
          ) AS "t39"
          UNION
          SELECT
            *
          FROM (
            SELECT
              "t22"."conversion_id" AS "kconv",
              'visitor:' || "t22"."visitor_id" AS "key"
            FROM (
              SELECT
                "t0"."conversion_id",
                "t0"."customer_id",
                "t0"."email",
                "t0"."visitor_id"
              FROM "conversions" AS "t0"
              WHERE
                "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                AND "t0"."kind" = 'lead'
            ) AS "t22"
            LEFT OUTER JOIN "t12" AS "t29"
              ON "t22"."customer_id" = "t29"."k1"
            LEFT OUTER JOIN "t13" AS "t31"
              ON "t22"."email" = "t31"."k2"
            LEFT OUTER JOIN "t15" AS "t33"
              ON "t22"."visitor_id" = "t33"."k3"
          ) AS "t40"
        ) AS "t43"
        WHERE
          "t43"."key" IS NOT NULL
      ) AS "t47"
      INNER JOIN (
        SELECT
          "t0"."conversion_id" AS "wconv",
          "t0"."occurred_at" AS "wat"
        FROM "conversions" AS "t0"
        WHERE
          "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
          AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
          AND "t0"."kind" = 'lead'
      ) AS "t21"
        ON "t47"."kconv" = "t21"."wconv"
      INNER JOIN (
        SELECT
          "t66"."key",
          "t66"."ts",
          "t66"."label"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              *
            FROM "t50" AS "t52"
            WHERE
              "t52"."source" <> 'click'
          ) AS "t54"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              "t60"."key",
              "t60"."ts",
              "t60"."label",
              "t60"."source"
            FROM (
              SELECT
                *
              FROM "t50" AS "t52"
              WHERE
                "t52"."source" = 'click'
            ) AS "t60"
            ANTI JOIN (
              SELECT
                "t52"."key" AS "vgroup",
                "t52"."ts" AS "vts"
              FROM "t50" AS "t52"
              WHERE
                "t52"."source" = 'visit'
            ) AS "t61"
              ON "t60"."key" = "t61"."vgroup"
              AND "t61"."vts" >= "t60"."ts"
              AND "t61"."vts" <= (
                "t60"."ts" + INTERVAL '30' MINUTE
              )
          ) AS "t64"
        ) AS "t66"
        WHERE
          "t66"."label" = 'x'
      ) AS "t70"
        ON "t47"."key" = "t70"."key"
    ) AS "t72"
    WHERE
      "t72"."ts" <= "t72"."wat" AND "t72"."ts" >= (
        "t72"."wat" - INTERVAL '30' DAY
      )
  ) AS "t74"
    ON "t20"."conversion_id" = "t74"."hconv"
  SEMI JOIN (
    SELECT DISTINCT
      "t82"."kconv" AS "hconv"
    FROM (
      SELECT
        "t81"."kconv",
        "t81"."key",
        "t78"."wconv",
        "t78"."wat",
        "t71"."ts",
        "t71"."label"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t20"."conversion_id" AS "kconv",
              COALESCE("t30"."p1", "t32"."p2", "t34"."p3") AS "key"
            FROM (
              SELECT
                *
              FROM "conversions" AS "t0"
              WHERE
                "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                AND "t0"."kind" = 'lead'
            ) AS "t20"
            SEMI JOIN (
              SELECT DISTINCT
                "t72"."kconv" AS "hconv"
              FROM (
                SELECT
                  "t47"."kconv",
                  "t47"."key",
                  "t21"."wconv",
                  "t21"."wat",
                  "t70"."ts",
                  "t70"."label"
                FROM (
                  SELECT
                    *
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t22"."conversion_id" AS "kconv",
                        COALESCE("t29"."p1", "t31"."p2", "t33"."p3") AS "key"
                      FROM (
                        SELECT
                          "t0"."conversion_id",
                          "t0"."customer_id",
                          "t0"."email",
                          "t0"."visitor_id"
                        FROM "conversions" AS "t0"
                        WHERE
                          "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                          AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                          AND "t0"."kind" = 'lead'
                      ) AS "t22"
                      LEFT OUTER JOIN "t12" AS "t29"
                        ON "t22"."customer_id" = "t29"."k1"
                      LEFT OUTER JOIN "t13" AS "t31"
                        ON "t22"."email" = "t31"."k2"
                      LEFT OUTER JOIN "t15" AS "t33"
                        ON "t22"."visitor_id" = "t33"."k3"
                    ) AS "t39"
                    UNION
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t22"."conversion_id" AS "kconv",
                        'visitor:' || "t22"."visitor_id" AS "key"
                      FROM (
                        SELECT
                          "t0"."conversion_id",
                          "t0"."customer_id",
                          "t0"."email",
                          "t0"."visitor_id"
                        FROM "conversions" AS "t0"
                        WHERE
                          "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                          AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                          AND "t0"."kind" = 'lead'
                      ) AS "t22"
                      LEFT OUTER JOIN "t12" AS "t29"
                        ON "t22"."customer_id" = "t29"."k1"
                      LEFT OUTER JOIN "t13" AS "t31"
                        ON "t22"."email" = "t31"."k2"
                      LEFT OUTER JOIN "t15" AS "t33"
                        ON "t22"."visitor_id" = "t33"."k3"
                    ) AS "t40"
                  ) AS "t43"
                  WHERE
                    "t43"."key" IS NOT NULL
                ) AS "t47"
                INNER JOIN (
                  SELECT
                    "t0"."conversion_id" AS "wconv",
                    "t0"."occurred_at" AS "wat"
                  FROM "conversions" AS "t0"
                  WHERE
                    "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                    AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                    AND "t0"."kind" = 'lead'
                ) AS "t21"
                  ON "t47"."kconv" = "t21"."wconv"
                INNER JOIN (
                  SELECT
                    "t66"."key",
                    "t66"."ts",
                    "t66"."label"
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        *
                      FROM "t50" AS "t52"
                      WHERE
                        "t52"."source" <> 'click'
                    ) AS "t54"
                    UNION ALL
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t60"."key",
                        "t60"."ts",
                        "t60"."label",
                        "t60"."source"
                      FROM (
                        SELECT
                          *
                        FROM "t50" AS "t52"
                        WHERE
                          "t52"."source" = 'click'
                      ) AS "t60"
                      ANTI JOIN (
                        SELECT
                          "t52"."key" AS "vgroup",
                          "t52"."ts" AS "vts"
                        FROM "t50" AS "t52"
                        WHERE
                          "t52"."source" = 'visit'
                      ) AS "t61"
                        ON "t60"."key" = "t61"."vgroup"
                        AND "t61"."vts" >= "t60"."ts"
                        AND "t61"."vts" <= (
                          "t60"."ts" + INTERVAL '30' MINUTE
                        )
                    ) AS "t64"
                  ) AS "t66"
                  WHERE
                    "t66"."label" = 'x'
                ) AS "t70"
                  ON "t47"."key" = "t70"."key"
              ) AS "t72"
              WHERE
                "t72"."ts" <= "t72"."wat" AND "t72"."ts" >= (
                  "t72"."wat" - INTERVAL '30' DAY
                )
            ) AS "t74"
              ON "t20"."conversion_id" = "t74"."hconv"
            LEFT OUTER JOIN "t12" AS "t30"
              ON "t20"."customer_id" = "t30"."k1"
            LEFT OUTER JOIN "t13" AS "t32"
              ON "t20"."email" = "t32"."k2"
            LEFT OUTER JOIN "t15" AS "t34"
              ON "t20"."visitor_id" = "t34"."k3"
          ) AS "t76"
          UNION
          SELECT
            *
          FROM (
            SELECT
              "t20"."conversion_id" AS "kconv",
              'visitor:' || "t20"."visitor_id" AS "key"
            FROM (
              SELECT
                *
              FROM "conversions" AS "t0"
              WHERE
                "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                AND "t0"."kind" = 'lead'
            ) AS "t20"
            SEMI JOIN (
              SELECT DISTINCT
                "t72"."kconv" AS "hconv"
              FROM (
                SELECT
                  "t47"."kconv",
                  "t47"."key",
                  "t21"."wconv",
                  "t21"."wat",
                  "t70"."ts",
                  "t70"."label"
                FROM (
                  SELECT
                    *
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t22"."conversion_id" AS "kconv",
                        COALESCE("t29"."p1", "t31"."p2", "t33"."p3") AS "key"
                      FROM (
                        SELECT
                          "t0"."conversion_id",
                          "t0"."customer_id",
                          "t0"."email",
                          "t0"."visitor_id"
                        FROM "conversions" AS "t0"
                        WHERE
                          "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                          AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                          AND "t0"."kind" = 'lead'
                      ) AS "t22"
                      LEFT OUTER JOIN "t12" AS "t29"
                        ON "t22"."customer_id" = "t29"."k1"
                      LEFT OUTER JOIN "t13" AS "t31"
                        ON "t22"."email" = "t31"."k2"
                      LEFT OUTER JOIN "t15" AS "t33"
                        ON "t22"."visitor_id" = "t33"."k3"
                    ) AS "t39"
                    UNION
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t22"."conversion_id" AS "kconv",
                        'visitor:' || "t22"."visitor_id" AS "key"
                      FROM (
                        SELECT
                          "t0"."conversion_id",
                          "t0"."customer_id",
                          "t0"."email",
                          "t0"."visitor_id"
                        FROM "conversions" AS "t0"
                        WHERE
                          "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                          AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                          AND "t0"."kind" = 'lead'
                      ) AS "t22"
                      LEFT OUTER JOIN "t12" AS "t29"
                        ON "t22"."customer_id" = "t29"."k1"
                      LEFT OUTER JOIN "t13" AS "t31"
                        ON "t22"."email" = "t31"."k2"
                      LEFT OUTER JOIN "t15" AS "t33"
                        ON "t22"."visitor_id" = "t33"."k3"
                    ) AS "t40"
                  ) AS "t43"
                  WHERE
                    "t43"."key" IS NOT NULL
                ) AS "t47"
                INNER JOIN (
                  SELECT
                    "t0"."conversion_id" AS "wconv",
                    "t0"."occurred_at" AS "wat"
                  FROM "conversions" AS "t0"
                  WHERE
                    "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                    AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                    AND "t0"."kind" = 'lead'
                ) AS "t21"
                  ON "t47"."kconv" = "t21"."wconv"
                INNER JOIN (
                  SELECT
                    "t66"."key",
                    "t66"."ts",
                    "t66"."label"
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        *
                      FROM "t50" AS "t52"
                      WHERE
                        "t52"."source" <> 'click'
                    ) AS "t54"
                    UNION ALL
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t60"."key",
                        "t60"."ts",
                        "t60"."label",
                        "t60"."source"
                      FROM (
                        SELECT
                          *
                        FROM "t50" AS "t52"
                        WHERE
                          "t52"."source" = 'click'
                      ) AS "t60"
                      ANTI JOIN (
                        SELECT
                          "t52"."key" AS "vgroup",
                          "t52"."ts" AS "vts"
                        FROM "t50" AS "t52"
                        WHERE
                          "t52"."source" = 'visit'
                      ) AS "t61"
                        ON "t60"."key" = "t61"."vgroup"
                        AND "t61"."vts" >= "t60"."ts"
                        AND "t61"."vts" <= (
                          "t60"."ts" + INTERVAL '30' MINUTE
                        )
                    ) AS "t64"
                  ) AS "t66"
                  WHERE
                    "t66"."label" = 'x'
                ) AS "t70"
                  ON "t47"."key" = "t70"."key"
              ) AS "t72"
              WHERE
                "t72"."ts" <= "t72"."wat" AND "t72"."ts" >= (
                  "t72"."wat" - INTERVAL '30' DAY
                )
            ) AS "t74"
              ON "t20"."conversion_id" = "t74"."hconv"
            LEFT OUTER JOIN "t12" AS "t30"
              ON "t20"."customer_id" = "t30"."k1"
            LEFT OUTER JOIN "t13" AS "t32"
              ON "t20"."email" = "t32"."k2"
            LEFT OUTER JOIN "t15" AS "t34"
              ON "t20"."visitor_id" = "t34"."k3"
          ) AS "t77"
        ) AS "t79"
        WHERE
          "t79"."key" IS NOT NULL
      ) AS "t81"
      INNER JOIN (
        SELECT
          "t20"."conversion_id" AS "wconv",
          "t20"."occurred_at" AS "wat"
        FROM (
          SELECT
            *
          FROM "conversions" AS "t0"
          WHERE
            "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
            AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
            AND "t0"."kind" = 'lead'
        ) AS "t20"
        SEMI JOIN (
          SELECT DISTINCT
            "t72"."kconv" AS "hconv"
          FROM (
            SELECT
              "t47"."kconv",
              "t47"."key",
              "t21"."wconv",
              "t21"."wat",
              "t70"."ts",
              "t70"."label"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  *
                FROM (
                  SELECT
                    "t22"."conversion_id" AS "kconv",
                    COALESCE("t29"."p1", "t31"."p2", "t33"."p3") AS "key"
                  FROM (
                    SELECT
                      "t0"."conversion_id",
                      "t0"."customer_id",
                      "t0"."email",
                      "t0"."visitor_id"
                    FROM "conversions" AS "t0"
                    WHERE
                      "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                      AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                      AND "t0"."kind" = 'lead'
                  ) AS "t22"
                  LEFT OUTER JOIN "t12" AS "t29"
                    ON "t22"."customer_id" = "t29"."k1"
                  LEFT OUTER JOIN "t13" AS "t31"
                    ON "t22"."email" = "t31"."k2"
                  LEFT OUTER JOIN "t15" AS "t33"
                    ON "t22"."visitor_id" = "t33"."k3"
                ) AS "t39"
                UNION
                SELECT
                  *
                FROM (
                  SELECT
                    "t22"."conversion_id" AS "kconv",
                    'visitor:' || "t22"."visitor_id" AS "key"
                  FROM (
                    SELECT
                      "t0"."conversion_id",
                      "t0"."customer_id",
                      "t0"."email",
                      "t0"."visitor_id"
                    FROM "conversions" AS "t0"
                    WHERE
                      "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                      AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                      AND "t0"."kind" = 'lead'
                  ) AS "t22"
                  LEFT OUTER JOIN "t12" AS "t29"
                    ON "t22"."customer_id" = "t29"."k1"
                  LEFT OUTER JOIN "t13" AS "t31"
                    ON "t22"."email" = "t31"."k2"
                  LEFT OUTER JOIN "t15" AS "t33"
                    ON "t22"."visitor_id" = "t33"."k3"
                ) AS "t40"
              ) AS "t43"
              WHERE
                "t43"."key" IS NOT NULL
            ) AS "t47"
            INNER JOIN (
              SELECT
                "t0"."conversion_id" AS "wconv",
                "t0"."occurred_at" AS "wat"
              FROM "conversions" AS "t0"
              WHERE
                "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                AND "t0"."kind" = 'lead'
            ) AS "t21"
              ON "t47"."kconv" = "t21"."wconv"
            INNER JOIN (
              SELECT
                "t66"."key",
                "t66"."ts",
                "t66"."label"
              FROM (
                SELECT
                  *
                FROM (
                  SELECT
                    *
                  FROM "t50" AS "t52"
                  WHERE
                    "t52"."source" <> 'click'
                ) AS "t54"
                UNION ALL
                SELECT
                  *
                FROM (
                  SELECT
                    "t60"."key",
                    "t60"."ts",
                    "t60"."label",
                    "t60"."source"
                  FROM (
                    SELECT
                      *
                    FROM "t50" AS "t52"
                    WHERE
                      "t52"."source" = 'click'
                  ) AS "t60"
                  ANTI JOIN (
                    SELECT
                      "t52"."key" AS "vgroup",
                      "t52"."ts" AS "vts"
                    FROM "t50" AS "t52"
                    WHERE
                      "t52"."source" = 'visit'
                  ) AS "t61"
                    ON "t60"."key" = "t61"."vgroup"
                    AND "t61"."vts" >= "t60"."ts"
                    AND "t61"."vts" <= (
                      "t60"."ts" + INTERVAL '30' MINUTE
                    )
                ) AS "t64"
              ) AS "t66"
              WHERE
                "t66"."label" = 'x'
            ) AS "t70"
              ON "t47"."key" = "t70"."key"
          ) AS "t72"
          WHERE
            "t72"."ts" <= "t72"."wat" AND "t72"."ts" >= (
              "t72"."wat" - INTERVAL '30' DAY
            )
        ) AS "t74"
          ON "t20"."conversion_id" = "t74"."hconv"
      ) AS "t78"
        ON "t81"."kconv" = "t78"."wconv"
      INNER JOIN (
        SELECT
          "t67"."key",
          "t67"."ts",
          "t67"."label"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              *
            FROM "t51" AS "t53"
            WHERE
              "t53"."source" <> 'click'
          ) AS "t57"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              "t62"."key",
              "t62"."ts",
              "t62"."label",
              "t62"."source"
            FROM (
              SELECT
                *
              FROM "t51" AS "t53"
              WHERE
                "t53"."source" = 'click'
            ) AS "t62"
            ANTI JOIN (
              SELECT
                "t53"."key" AS "vgroup",
                "t53"."ts" AS "vts"
              FROM "t51" AS "t53"
              WHERE
                "t53"."source" = 'visit'
            ) AS "t63"
              ON "t62"."key" = "t63"."vgroup"
              AND "t63"."vts" >= "t62"."ts"
              AND "t63"."vts" <= (
                "t62"."ts" + INTERVAL '30' MINUTE
              )
          ) AS "t65"
        ) AS "t67"
        WHERE
          "t67"."label" = 'spring'
      ) AS "t71"
        ON "t81"."key" = "t71"."key"
    ) AS "t82"
    WHERE
      "t82"."ts" <= "t82"."wat" AND "t82"."ts" >= (
        "t82"."wat" - INTERVAL '30' DAY
      )
  ) AS "t84"
    ON "t20"."conversion_id" = "t84"."hconv"
) AS "t85"
ORDER BY
  "t85"."occurred_at" ASC
