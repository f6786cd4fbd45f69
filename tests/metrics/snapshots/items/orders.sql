WITH "t15" AS (
  SELECT
    "t1"."value" AS "k1",
    "t1"."person_ref" AS "p1"
  FROM "identities" AS "t1"
  WHERE
    "t1"."kind" = 'customer'
), "t16" AS (
  SELECT
    "t1"."value" AS "k2",
    "t1"."person_ref" AS "p2"
  FROM "identities" AS "t1"
  WHERE
    "t1"."kind" = 'email'
), "t17" AS (
  SELECT
    "t1"."value" AS "k3",
    "t1"."person_ref" AS "p3"
  FROM "identities" AS "t1"
  WHERE
    "t1"."kind" = 'visitor'
), "t40" AS (
  SELECT
    *
  FROM (
    SELECT
      CAST("t1"."kind" AS TEXT) AS "kind",
      CAST("t1"."value" AS TEXT) AS "value",
      CAST("t1"."person_ref" AS TEXT) AS "person"
    FROM "identities" AS "t1"
  ) AS "t18"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t7"."kind",
      "t7"."value",
      "t7"."person_id" AS "person"
    FROM "person_links" AS "t7"
    INNER JOIN (
      SELECT DISTINCT
        CAST("t1"."person_ref" AS TEXT) AS "kperson"
      FROM "identities" AS "t1"
    ) AS "t26"
      ON "t7"."person_id" = "t26"."kperson"
    ANTI JOIN (
      SELECT
        "t1"."kind" AS "hkind",
        "t1"."value" AS "hvalue"
      FROM "identities" AS "t1"
    ) AS "t19"
      ON "t7"."kind" = "t19"."hkind" AND "t7"."value" = "t19"."hvalue"
  ) AS "t39"
), "t61" AS (
  SELECT
    *
  FROM (
    SELECT
      COALESCE("t49"."vperson", 'visitor:' || "t30"."visitor_id") AS "key",
      "t30"."started_at" AS "ts",
      COALESCE("t21"."vsource", 'unclassified') AS "label",
      'visit' AS "source"
    FROM (
      SELECT
        *
      FROM "visits" AS "t2"
      WHERE
        "t2"."visitor_id" <> 'erased'
    ) AS "t30"
    LEFT OUTER JOIN (
      SELECT
        "t3"."visit_id" AS "cv",
        "t3"."channel" AS "vchannel",
        "t3"."source" AS "vsource"
      FROM "visit_channels" AS "t3"
    ) AS "t21"
      ON "t30"."visit_id" = "t21"."cv"
    LEFT OUTER JOIN (
      SELECT
        "t43"."value" AS "vv",
        "t43"."person" AS "vperson"
      FROM "t40" AS "t43"
      WHERE
        "t43"."kind" = 'visitor'
    ) AS "t49"
      ON "t30"."visitor_id" = "t49"."vv"
  ) AS "t53"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t57"."key",
      "t57"."ts",
      "t57"."label",
      "t57"."source"
    FROM (
      SELECT
        "t55"."key",
        "t55"."day",
        "t55"."label",
        "t55"."source",
        MIN("t55"."ts") AS "ts"
      FROM (
        SELECT
          "t52"."person" AS "key",
          DATE_TRUNC('DAY', "t38"."created_at") AS "day",
          "t38"."created_at" AS "ts",
          "t38"."platform" AS "label",
          CASE WHEN "t38"."platform" = 'email' THEN 'click' ELSE 'social' END AS "source"
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
        ) AS "t38"
        INNER JOIN (
          SELECT
            *
          FROM (
            SELECT
              SUBSTRING(
                "t43"."kind",
                CASE WHEN (
                  7 + 1
                ) >= 1 THEN 7 + 1 ELSE 7 + 1 + LENGTH("t43"."kind") END
              ) AS "iplatform",
              "t43"."value" AS "ihandle",
              "t43"."person"
            FROM "t40" AS "t43"
            WHERE
              STARTS_WITH("t43"."kind", 'handle:')
          ) AS "t46"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              'email' AS "iplatform",
              "t43"."value" AS "ihandle",
              "t43"."person"
            FROM "t40" AS "t43"
            WHERE
              "t43"."kind" = 'email'
          ) AS "t47"
        ) AS "t52"
          ON "t38"."platform" = "t52"."iplatform" AND "t38"."actor_handle" = "t52"."ihandle"
        LEFT OUTER JOIN (
          SELECT
            "t5"."platform" AS "pplatform",
            "t5"."post_id" AS "ppost",
            "t5"."campaign" AS "pcampaign"
          FROM "posts" AS "t5"
        ) AS "t22"
          ON "t38"."platform" = "t22"."pplatform" AND "t38"."post_id" = "t22"."ppost"
      ) AS "t55"
      GROUP BY
        1,
        2,
        3,
        4
    ) AS "t57"
  ) AS "t59"
), "t62" AS (
  SELECT
    *
  FROM (
    SELECT
      COALESCE("t49"."vperson", 'visitor:' || "t30"."visitor_id") AS "key",
      "t30"."started_at" AS "ts",
      COALESCE("t30"."utm_campaign", '(none)') AS "label",
      'visit' AS "source"
    FROM (
      SELECT
        *
      FROM "visits" AS "t2"
      WHERE
        "t2"."visitor_id" <> 'erased'
    ) AS "t30"
    LEFT OUTER JOIN (
      SELECT
        "t3"."visit_id" AS "cv",
        "t3"."channel" AS "vchannel",
        "t3"."source" AS "vsource"
      FROM "visit_channels" AS "t3"
    ) AS "t21"
      ON "t30"."visit_id" = "t21"."cv"
    LEFT OUTER JOIN (
      SELECT
        "t43"."value" AS "vv",
        "t43"."person" AS "vperson"
      FROM "t40" AS "t43"
      WHERE
        "t43"."kind" = 'visitor'
    ) AS "t49"
      ON "t30"."visitor_id" = "t49"."vv"
  ) AS "t54"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t58"."key",
      "t58"."ts",
      "t58"."label",
      "t58"."source"
    FROM (
      SELECT
        "t56"."key",
        "t56"."day",
        "t56"."label",
        "t56"."source",
        MIN("t56"."ts") AS "ts"
      FROM (
        SELECT
          "t52"."person" AS "key",
          DATE_TRUNC('DAY', "t38"."created_at") AS "day",
          "t38"."created_at" AS "ts",
          COALESCE("t22"."pcampaign", '(none)') AS "label",
          CASE WHEN "t38"."platform" = 'email' THEN 'click' ELSE 'social' END AS "source"
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
        ) AS "t38"
        INNER JOIN (
          SELECT
            *
          FROM (
            SELECT
              SUBSTRING(
                "t43"."kind",
                CASE WHEN (
                  7 + 1
                ) >= 1 THEN 7 + 1 ELSE 7 + 1 + LENGTH("t43"."kind") END
              ) AS "iplatform",
              "t43"."value" AS "ihandle",
              "t43"."person"
            FROM "t40" AS "t43"
            WHERE
              STARTS_WITH("t43"."kind", 'handle:')
          ) AS "t46"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              'email' AS "iplatform",
              "t43"."value" AS "ihandle",
              "t43"."person"
            FROM "t40" AS "t43"
            WHERE
              "t43"."kind" = 'email'
          ) AS "t47"
        ) AS "t52"
          ON "t38"."platform" = "t52"."iplatform" AND "t38"."actor_handle" = "t52"."ihandle"
        LEFT OUTER JOIN (
          SELECT
            "t5"."platform" AS "pplatform",
            "t5"."post_id" AS "ppost",
            "t5"."campaign" AS "pcampaign"
          FROM "posts" AS "t5"
        ) AS "t22"
          ON "t38"."platform" = "t22"."pplatform" AND "t38"."post_id" = "t22"."ppost"
      ) AS "t56"
      GROUP BY
        1,
        2,
        3,
        4
    ) AS "t58"
  ) AS "t60"
)
SELECT
  "t96"."occurred_at",
  "t96"."conversion_id",
  "t96"."kind",
  "t96"."customer_id",
  "t96"."email",
  CAST("t96"."value_reporting" AS DOUBLE) AS "value"
FROM (
  SELECT
    "t23"."conversion_id",
    "t23"."occurred_at",
    "t23"."kind",
    "t23"."value",
    "t23"."currency",
    "t23"."customer_id",
    "t23"."email",
    "t23"."visitor_id",
    "t23"."referral_code",
    "t23"."value_reporting"
  FROM (
    SELECT
      *
    FROM "conversions" AS "t0"
    WHERE
      "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
      AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
      AND "t0"."kind" = 'order'
  ) AS "t23"
  SEMI JOIN (
    SELECT DISTINCT
      "t83"."kconv" AS "hconv"
    FROM (
      SELECT
        "t51"."kconv",
        "t51"."key",
        "t24"."wconv",
        "t24"."wat",
        "t81"."ts",
        "t81"."label"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t25"."conversion_id" AS "kconv",
              COALESCE("t32"."p1", "t34"."p2", "t36"."p3") AS "key"
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
                AND "t0"."kind" = 'order'
            ) AS "t25"
            LEFT OUTER JOIN "t15" AS "t32"
              ON "t25"."customer_id" = "t32"."k1"
            LEFT OUTER JOIN "t16" AS "t34"
              ON "t25"."email" = "t34"."k2"
            LEFT OUTER JOIN "t17" AS "t36"
              ON "t25"."visitor_id" = "t36"."k3"
          ) AS "t41"
          UNION
          SELECT
            *
          FROM (
            SELECT
              "t25"."conversion_id" AS "kconv",
              'visitor:' || "t25"."visitor_id" AS "key"
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
                AND "t0"."kind" = 'order'
            ) AS "t25"
            LEFT OUTER JOIN "t15" AS "t32"
              ON "t25"."customer_id" = "t32"."k1"
            LEFT OUTER JOIN "t16" AS "t34"
              ON "t25"."email" = "t34"."k2"
            LEFT OUTER JOIN "t17" AS "t36"
              ON "t25"."visitor_id" = "t36"."k3"
          ) AS "t42"
        ) AS "t44"
        WHERE
          "t44"."key" IS NOT NULL
      ) AS "t51"
      INNER JOIN (
        SELECT
          "t0"."conversion_id" AS "wconv",
          "t0"."occurred_at" AS "wat"
        FROM "conversions" AS "t0"
        WHERE
          "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
          AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
          AND "t0"."kind" = 'order'
      ) AS "t24"
        ON "t51"."kconv" = "t24"."wconv"
      INNER JOIN (
        SELECT
          "t77"."key",
          "t77"."ts",
          "t77"."label"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              *
            FROM "t61" AS "t63"
            WHERE
              "t63"."source" <> 'click'
          ) AS "t65"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              "t71"."key",
              "t71"."ts",
              "t71"."label",
              "t71"."source"
            FROM (
              SELECT
                *
              FROM "t61" AS "t63"
              WHERE
                "t63"."source" = 'click'
            ) AS "t71"
            ANTI JOIN (
              SELECT
                "t63"."key" AS "vgroup",
                "t63"."ts" AS "vts"
              FROM "t61" AS "t63"
              WHERE
                "t63"."source" = 'visit'
            ) AS "t72"
              ON "t71"."key" = "t72"."vgroup"
              AND "t72"."vts" >= "t71"."ts"
              AND "t72"."vts" <= (
                "t71"."ts" + INTERVAL '30' MINUTE
              )
          ) AS "t75"
        ) AS "t77"
        WHERE
          "t77"."label" = 'x'
      ) AS "t81"
        ON "t51"."key" = "t81"."key"
    ) AS "t83"
    WHERE
      "t83"."ts" <= "t83"."wat" AND "t83"."ts" >= (
        "t83"."wat" - INTERVAL '30' DAY
      )
  ) AS "t85"
    ON "t23"."conversion_id" = "t85"."hconv"
  SEMI JOIN (
    SELECT DISTINCT
      "t93"."kconv" AS "hconv"
    FROM (
      SELECT
        "t92"."kconv",
        "t92"."key",
        "t89"."wconv",
        "t89"."wat",
        "t82"."ts",
        "t82"."label"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t23"."conversion_id" AS "kconv",
              COALESCE("t33"."p1", "t35"."p2", "t37"."p3") AS "key"
            FROM (
              SELECT
                *
              FROM "conversions" AS "t0"
              WHERE
                "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                AND "t0"."kind" = 'order'
            ) AS "t23"
            SEMI JOIN (
              SELECT DISTINCT
                "t83"."kconv" AS "hconv"
              FROM (
                SELECT
                  "t51"."kconv",
                  "t51"."key",
                  "t24"."wconv",
                  "t24"."wat",
                  "t81"."ts",
                  "t81"."label"
                FROM (
                  SELECT
                    *
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t25"."conversion_id" AS "kconv",
                        COALESCE("t32"."p1", "t34"."p2", "t36"."p3") AS "key"
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
                          AND "t0"."kind" = 'order'
                      ) AS "t25"
                      LEFT OUTER JOIN "t15" AS "t32"
                        ON "t25"."customer_id" = "t32"."k1"
                      LEFT OUTER JOIN "t16" AS "t34"
                        ON "t25"."email" = "t34"."k2"
                      LEFT OUTER JOIN "t17" AS "t36"
                        ON "t25"."visitor_id" = "t36"."k3"
                    ) AS "t41"
                    UNION
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t25"."conversion_id" AS "kconv",
                        'visitor:' || "t25"."visitor_id" AS "key"
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
                          AND "t0"."kind" = 'order'
                      ) AS "t25"
                      LEFT OUTER JOIN "t15" AS "t32"
                        ON "t25"."customer_id" = "t32"."k1"
                      LEFT OUTER JOIN "t16" AS "t34"
                        ON "t25"."email" = "t34"."k2"
                      LEFT OUTER JOIN "t17" AS "t36"
                        ON "t25"."visitor_id" = "t36"."k3"
                    ) AS "t42"
                  ) AS "t44"
                  WHERE
                    "t44"."key" IS NOT NULL
                ) AS "t51"
                INNER JOIN (
                  SELECT
                    "t0"."conversion_id" AS "wconv",
                    "t0"."occurred_at" AS "wat"
                  FROM "conversions" AS "t0"
                  WHERE
                    "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                    AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                    AND "t0"."kind" = 'order'
                ) AS "t24"
                  ON "t51"."kconv" = "t24"."wconv"
                INNER JOIN (
                  SELECT
                    "t77"."key",
                    "t77"."ts",
                    "t77"."label"
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        *
                      FROM "t61" AS "t63"
                      WHERE
                        "t63"."source" <> 'click'
                    ) AS "t65"
                    UNION ALL
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t71"."key",
                        "t71"."ts",
                        "t71"."label",
                        "t71"."source"
                      FROM (
                        SELECT
                          *
                        FROM "t61" AS "t63"
                        WHERE
                          "t63"."source" = 'click'
                      ) AS "t71"
                      ANTI JOIN (
                        SELECT
                          "t63"."key" AS "vgroup",
                          "t63"."ts" AS "vts"
                        FROM "t61" AS "t63"
                        WHERE
                          "t63"."source" = 'visit'
                      ) AS "t72"
                        ON "t71"."key" = "t72"."vgroup"
                        AND "t72"."vts" >= "t71"."ts"
                        AND "t72"."vts" <= (
                          "t71"."ts" + INTERVAL '30' MINUTE
                        )
                    ) AS "t75"
                  ) AS "t77"
                  WHERE
                    "t77"."label" = 'x'
                ) AS "t81"
                  ON "t51"."key" = "t81"."key"
              ) AS "t83"
              WHERE
                "t83"."ts" <= "t83"."wat" AND "t83"."ts" >= (
                  "t83"."wat" - INTERVAL '30' DAY
                )
            ) AS "t85"
              ON "t23"."conversion_id" = "t85"."hconv"
            LEFT OUTER JOIN "t15" AS "t33"
              ON "t23"."customer_id" = "t33"."k1"
            LEFT OUTER JOIN "t16" AS "t35"
              ON "t23"."email" = "t35"."k2"
            LEFT OUTER JOIN "t17" AS "t37"
              ON "t23"."visitor_id" = "t37"."k3"
          ) AS "t87"
          UNION
          SELECT
            *
          FROM (
            SELECT
              "t23"."conversion_id" AS "kconv",
              'visitor:' || "t23"."visitor_id" AS "key"
            FROM (
              SELECT
                *
              FROM "conversions" AS "t0"
              WHERE
                "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                AND "t0"."kind" = 'order'
            ) AS "t23"
            SEMI JOIN (
              SELECT DISTINCT
                "t83"."kconv" AS "hconv"
              FROM (
                SELECT
                  "t51"."kconv",
                  "t51"."key",
                  "t24"."wconv",
                  "t24"."wat",
                  "t81"."ts",
                  "t81"."label"
                FROM (
                  SELECT
                    *
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t25"."conversion_id" AS "kconv",
                        COALESCE("t32"."p1", "t34"."p2", "t36"."p3") AS "key"
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
                          AND "t0"."kind" = 'order'
                      ) AS "t25"
                      LEFT OUTER JOIN "t15" AS "t32"
                        ON "t25"."customer_id" = "t32"."k1"
                      LEFT OUTER JOIN "t16" AS "t34"
                        ON "t25"."email" = "t34"."k2"
                      LEFT OUTER JOIN "t17" AS "t36"
                        ON "t25"."visitor_id" = "t36"."k3"
                    ) AS "t41"
                    UNION
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t25"."conversion_id" AS "kconv",
                        'visitor:' || "t25"."visitor_id" AS "key"
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
                          AND "t0"."kind" = 'order'
                      ) AS "t25"
                      LEFT OUTER JOIN "t15" AS "t32"
                        ON "t25"."customer_id" = "t32"."k1"
                      LEFT OUTER JOIN "t16" AS "t34"
                        ON "t25"."email" = "t34"."k2"
                      LEFT OUTER JOIN "t17" AS "t36"
                        ON "t25"."visitor_id" = "t36"."k3"
                    ) AS "t42"
                  ) AS "t44"
                  WHERE
                    "t44"."key" IS NOT NULL
                ) AS "t51"
                INNER JOIN (
                  SELECT
                    "t0"."conversion_id" AS "wconv",
                    "t0"."occurred_at" AS "wat"
                  FROM "conversions" AS "t0"
                  WHERE
                    "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                    AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                    AND "t0"."kind" = 'order'
                ) AS "t24"
                  ON "t51"."kconv" = "t24"."wconv"
                INNER JOIN (
                  SELECT
                    "t77"."key",
                    "t77"."ts",
                    "t77"."label"
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        *
                      FROM "t61" AS "t63"
                      WHERE
                        "t63"."source" <> 'click'
                    ) AS "t65"
                    UNION ALL
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t71"."key",
                        "t71"."ts",
                        "t71"."label",
                        "t71"."source"
                      FROM (
                        SELECT
                          *
                        FROM "t61" AS "t63"
                        WHERE
                          "t63"."source" = 'click'
                      ) AS "t71"
                      ANTI JOIN (
                        SELECT
                          "t63"."key" AS "vgroup",
                          "t63"."ts" AS "vts"
                        FROM "t61" AS "t63"
                        WHERE
                          "t63"."source" = 'visit'
                      ) AS "t72"
                        ON "t71"."key" = "t72"."vgroup"
                        AND "t72"."vts" >= "t71"."ts"
                        AND "t72"."vts" <= (
                          "t71"."ts" + INTERVAL '30' MINUTE
                        )
                    ) AS "t75"
                  ) AS "t77"
                  WHERE
                    "t77"."label" = 'x'
                ) AS "t81"
                  ON "t51"."key" = "t81"."key"
              ) AS "t83"
              WHERE
                "t83"."ts" <= "t83"."wat" AND "t83"."ts" >= (
                  "t83"."wat" - INTERVAL '30' DAY
                )
            ) AS "t85"
              ON "t23"."conversion_id" = "t85"."hconv"
            LEFT OUTER JOIN "t15" AS "t33"
              ON "t23"."customer_id" = "t33"."k1"
            LEFT OUTER JOIN "t16" AS "t35"
              ON "t23"."email" = "t35"."k2"
            LEFT OUTER JOIN "t17" AS "t37"
              ON "t23"."visitor_id" = "t37"."k3"
          ) AS "t88"
        ) AS "t90"
        WHERE
          "t90"."key" IS NOT NULL
      ) AS "t92"
      INNER JOIN (
        SELECT
          "t23"."conversion_id" AS "wconv",
          "t23"."occurred_at" AS "wat"
        FROM (
          SELECT
            *
          FROM "conversions" AS "t0"
          WHERE
            "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
            AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
            AND "t0"."kind" = 'order'
        ) AS "t23"
        SEMI JOIN (
          SELECT DISTINCT
            "t83"."kconv" AS "hconv"
          FROM (
            SELECT
              "t51"."kconv",
              "t51"."key",
              "t24"."wconv",
              "t24"."wat",
              "t81"."ts",
              "t81"."label"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  *
                FROM (
                  SELECT
                    "t25"."conversion_id" AS "kconv",
                    COALESCE("t32"."p1", "t34"."p2", "t36"."p3") AS "key"
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
                      AND "t0"."kind" = 'order'
                  ) AS "t25"
                  LEFT OUTER JOIN "t15" AS "t32"
                    ON "t25"."customer_id" = "t32"."k1"
                  LEFT OUTER JOIN "t16" AS "t34"
                    ON "t25"."email" = "t34"."k2"
                  LEFT OUTER JOIN "t17" AS "t36"
                    ON "t25"."visitor_id" = "t36"."k3"
                ) AS "t41"
                UNION
                SELECT
                  *
                FROM (
                  SELECT
                    "t25"."conversion_id" AS "kconv",
                    'visitor:' || "t25"."visitor_id" AS "key"
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
                      AND "t0"."kind" = 'order'
                  ) AS "t25"
                  LEFT OUTER JOIN "t15" AS "t32"
                    ON "t25"."customer_id" = "t32"."k1"
                  LEFT OUTER JOIN "t16" AS "t34"
                    ON "t25"."email" = "t34"."k2"
                  LEFT OUTER JOIN "t17" AS "t36"
                    ON "t25"."visitor_id" = "t36"."k3"
                ) AS "t42"
              ) AS "t44"
              WHERE
                "t44"."key" IS NOT NULL
            ) AS "t51"
            INNER JOIN (
              SELECT
                "t0"."conversion_id" AS "wconv",
                "t0"."occurred_at" AS "wat"
              FROM "conversions" AS "t0"
              WHERE
                "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                AND "t0"."kind" = 'order'
            ) AS "t24"
              ON "t51"."kconv" = "t24"."wconv"
            INNER JOIN (
              SELECT
                "t77"."key",
                "t77"."ts",
                "t77"."label"
              FROM (
                SELECT
                  *
                FROM (
                  SELECT
                    *
                  FROM "t61" AS "t63"
                  WHERE
                    "t63"."source" <> 'click'
                ) AS "t65"
                UNION ALL
                SELECT
                  *
                FROM (
                  SELECT
                    "t71"."key",
                    "t71"."ts",
                    "t71"."label",
                    "t71"."source"
                  FROM (
                    SELECT
                      *
                    FROM "t61" AS "t63"
                    WHERE
                      "t63"."source" = 'click'
                  ) AS "t71"
                  ANTI JOIN (
                    SELECT
                      "t63"."key" AS "vgroup",
                      "t63"."ts" AS "vts"
                    FROM "t61" AS "t63"
                    WHERE
                      "t63"."source" = 'visit'
                  ) AS "t72"
                    ON "t71"."key" = "t72"."vgroup"
                    AND "t72"."vts" >= "t71"."ts"
                    AND "t72"."vts" <= (
                      "t71"."ts" + INTERVAL '30' MINUTE
                    )
                ) AS "t75"
              ) AS "t77"
              WHERE
                "t77"."label" = 'x'
            ) AS "t81"
              ON "t51"."key" = "t81"."key"
          ) AS "t83"
          WHERE
            "t83"."ts" <= "t83"."wat" AND "t83"."ts" >= (
              "t83"."wat" - INTERVAL '30' DAY
            )
        ) AS "t85"
          ON "t23"."conversion_id" = "t85"."hconv"
      ) AS "t89"
        ON "t92"."kconv" = "t89"."wconv"
      INNER JOIN (
        SELECT
          "t78"."key",
          "t78"."ts",
          "t78"."label"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              *
            FROM "t62" AS "t64"
            WHERE
              "t64"."source" <> 'click'
          ) AS "t68"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              "t73"."key",
              "t73"."ts",
              "t73"."label",
              "t73"."source"
            FROM (
              SELECT
                *
              FROM "t62" AS "t64"
              WHERE
                "t64"."source" = 'click'
            ) AS "t73"
            ANTI JOIN (
              SELECT
                "t64"."key" AS "vgroup",
                "t64"."ts" AS "vts"
              FROM "t62" AS "t64"
              WHERE
                "t64"."source" = 'visit'
            ) AS "t74"
              ON "t73"."key" = "t74"."vgroup"
              AND "t74"."vts" >= "t73"."ts"
              AND "t74"."vts" <= (
                "t73"."ts" + INTERVAL '30' MINUTE
              )
          ) AS "t76"
        ) AS "t78"
        WHERE
          "t78"."label" = 'spring'
      ) AS "t82"
        ON "t92"."key" = "t82"."key"
    ) AS "t93"
    WHERE
      "t93"."ts" <= "t93"."wat" AND "t93"."ts" >= (
        "t93"."wat" - INTERVAL '30' DAY
      )
  ) AS "t95"
    ON "t23"."conversion_id" = "t95"."hconv"
) AS "t96"
ORDER BY
  "t96"."occurred_at" ASC
