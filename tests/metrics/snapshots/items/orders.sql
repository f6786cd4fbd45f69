WITH "t16" AS (
  SELECT
    "t1"."value" AS "k1",
    "t1"."person_ref" AS "p1"
  FROM "identities" AS "t1"
  WHERE
    "t1"."kind" = 'customer'
), "t17" AS (
  SELECT
    "t1"."value" AS "k2",
    "t1"."person_ref" AS "p2"
  FROM "identities" AS "t1"
  WHERE
    "t1"."kind" = 'email'
), "t18" AS (
  SELECT
    "t1"."value" AS "k3",
    "t1"."person_ref" AS "p3"
  FROM "identities" AS "t1"
  WHERE
    "t1"."kind" = 'visitor'
), "t39" AS (
  SELECT
    *
  FROM (
    SELECT
      CAST("t1"."kind" AS TEXT) AS "kind",
      CAST("t1"."value" AS TEXT) AS "value",
      CAST("t1"."person_ref" AS TEXT) AS "person"
    FROM "identities" AS "t1"
  ) AS "t19"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t8"."kind",
      "t8"."value",
      "t8"."person_id" AS "person"
    FROM "person_links" AS "t8"
    INNER JOIN (
      SELECT DISTINCT
        CAST("t1"."person_ref" AS TEXT) AS "kperson"
      FROM "identities" AS "t1"
    ) AS "t26"
      ON "t8"."person_id" = "t26"."kperson"
    ANTI JOIN (
      SELECT
        "t1"."kind" AS "hkind",
        "t1"."value" AS "hvalue"
      FROM "identities" AS "t1"
    ) AS "t20"
      ON "t8"."kind" = "t20"."hkind" AND "t8"."value" = "t20"."hvalue"
  ) AS "t38"
), "t60" AS (
  SELECT
    *
  FROM (
    SELECT
      COALESCE("t48"."vperson", 'visitor:' || "t7"."visitor_id") AS "key",
      "t7"."started_at" AS "ts",
      COALESCE("t21"."vsource", 'unclassified') AS "label",
      'visit' AS "source"
    FROM "visits" AS "t7"
    LEFT OUTER JOIN (
      SELECT
        "t3"."visit_id" AS "cv",
        "t3"."channel" AS "vchannel",
        "t3"."source" AS "vsource"
      FROM "visit_channels" AS "t3"
    ) AS "t21"
      ON "t7"."visit_id" = "t21"."cv"
    LEFT OUTER JOIN (
      SELECT
        "t42"."value" AS "vv",
        "t42"."person" AS "vperson"
      FROM "t39" AS "t42"
      WHERE
        "t42"."kind" = 'visitor'
    ) AS "t48"
      ON "t7"."visitor_id" = "t48"."vv"
  ) AS "t52"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t56"."key",
      "t56"."ts",
      "t56"."label",
      "t56"."source"
    FROM (
      SELECT
        "t54"."key",
        "t54"."day",
        "t54"."label",
        "t54"."source",
        MIN("t54"."ts") AS "ts"
      FROM (
        SELECT
          "t51"."person" AS "key",
          DATE_TRUNC('DAY', "t37"."created_at") AS "day",
          "t37"."created_at" AS "ts",
          "t37"."platform" AS "label",
          CASE WHEN "t37"."platform" = 'email' THEN 'click' ELSE 'social' END AS "source"
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
        ) AS "t37"
        INNER JOIN (
          SELECT
            *
          FROM (
            SELECT
              SUBSTRING(
                "t42"."kind",
                CASE WHEN (
                  7 + 1
                ) >= 1 THEN 7 + 1 ELSE 7 + 1 + LENGTH("t42"."kind") END
              ) AS "iplatform",
              "t42"."value" AS "ihandle",
              "t42"."person"
            FROM "t39" AS "t42"
            WHERE
              STARTS_WITH("t42"."kind", 'handle:')
          ) AS "t45"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              'email' AS "iplatform",
              "t42"."value" AS "ihandle",
              "t42"."person"
            FROM "t39" AS "t42"
            WHERE
              "t42"."kind" = 'email'
          ) AS "t46"
        ) AS "t51"
          ON "t37"."platform" = "t51"."iplatform" AND "t37"."actor_handle" = "t51"."ihandle"
        LEFT OUTER JOIN (
          SELECT
            "t5"."platform" AS "pplatform",
            "t5"."post_id" AS "ppost",
            "t5"."campaign" AS "pcampaign"
          FROM "posts" AS "t5"
        ) AS "t22"
          ON "t37"."platform" = "t22"."pplatform" AND "t37"."post_id" = "t22"."ppost"
      ) AS "t54"
      GROUP BY
        1,
        2,
        3,
        4
    ) AS "t56"
  ) AS "t58"
), "t61" AS (
  SELECT
    *
  FROM (
    SELECT
      COALESCE("t48"."vperson", 'visitor:' || "t7"."visitor_id") AS "key",
      "t7"."started_at" AS "ts",
      COALESCE("t7"."utm_campaign", '(none)') AS "label",
      'visit' AS "source"
    FROM "visits" AS "t7"
    LEFT OUTER JOIN (
      SELECT
        "t3"."visit_id" AS "cv",
        "t3"."channel" AS "vchannel",
        "t3"."source" AS "vsource"
      FROM "visit_channels" AS "t3"
    ) AS "t21"
      ON "t7"."visit_id" = "t21"."cv"
    LEFT OUTER JOIN (
      SELECT
        "t42"."value" AS "vv",
        "t42"."person" AS "vperson"
      FROM "t39" AS "t42"
      WHERE
        "t42"."kind" = 'visitor'
    ) AS "t48"
      ON "t7"."visitor_id" = "t48"."vv"
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
          "t51"."person" AS "key",
          DATE_TRUNC('DAY', "t37"."created_at") AS "day",
          "t37"."created_at" AS "ts",
          COALESCE("t22"."pcampaign", '(none)') AS "label",
          CASE WHEN "t37"."platform" = 'email' THEN 'click' ELSE 'social' END AS "source"
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
        ) AS "t37"
        INNER JOIN (
          SELECT
            *
          FROM (
            SELECT
              SUBSTRING(
                "t42"."kind",
                CASE WHEN (
                  7 + 1
                ) >= 1 THEN 7 + 1 ELSE 7 + 1 + LENGTH("t42"."kind") END
              ) AS "iplatform",
              "t42"."value" AS "ihandle",
              "t42"."person"
            FROM "t39" AS "t42"
            WHERE
              STARTS_WITH("t42"."kind", 'handle:')
          ) AS "t45"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              'email' AS "iplatform",
              "t42"."value" AS "ihandle",
              "t42"."person"
            FROM "t39" AS "t42"
            WHERE
              "t42"."kind" = 'email'
          ) AS "t46"
        ) AS "t51"
          ON "t37"."platform" = "t51"."iplatform" AND "t37"."actor_handle" = "t51"."ihandle"
        LEFT OUTER JOIN (
          SELECT
            "t5"."platform" AS "pplatform",
            "t5"."post_id" AS "ppost",
            "t5"."campaign" AS "pcampaign"
          FROM "posts" AS "t5"
        ) AS "t22"
          ON "t37"."platform" = "t22"."pplatform" AND "t37"."post_id" = "t22"."ppost"
      ) AS "t55"
      GROUP BY
        1,
        2,
        3,
        4
    ) AS "t57"
  ) AS "t59"
)
SELECT
  "t95"."occurred_at",
  "t95"."conversion_id",
  "t95"."kind",
  "t95"."customer_id",
  "t95"."email",
  CAST("t95"."value_reporting" AS DOUBLE) AS "value"
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
      "t82"."kconv" AS "hconv"
    FROM (
      SELECT
        "t50"."kconv",
        "t50"."key",
        "t24"."wconv",
        "t24"."wat",
        "t80"."ts",
        "t80"."label"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t25"."conversion_id" AS "kconv",
              COALESCE("t31"."p1", "t33"."p2", "t35"."p3") AS "key"
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
            LEFT OUTER JOIN "t16" AS "t31"
              ON "t25"."customer_id" = "t31"."k1"
            LEFT OUTER JOIN "t17" AS "t33"
              ON "t25"."email" = "t33"."k2"
            LEFT OUTER JOIN "t18" AS "t35"
              ON "t25"."visitor_id" = "t35"."k3"
          ) AS "t40"
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
            LEFT OUTER JOIN "t16" AS "t31"
              ON "t25"."customer_id" = "t31"."k1"
            LEFT OUTER JOIN "t17" AS "t33"
              ON "t25"."email" = "t33"."k2"
            LEFT OUTER JOIN "t18" AS "t35"
              ON "t25"."visitor_id" = "t35"."k3"
          ) AS "t41"
        ) AS "t43"
        WHERE
          "t43"."key" IS NOT NULL
      ) AS "t50"
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
        ON "t50"."kconv" = "t24"."wconv"
      INNER JOIN (
        SELECT
          "t76"."key",
          "t76"."ts",
          "t76"."label"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              *
            FROM "t60" AS "t62"
            WHERE
              "t62"."source" <> 'click'
          ) AS "t64"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              "t70"."key",
              "t70"."ts",
              "t70"."label",
              "t70"."source"
            FROM (
              SELECT
                *
              FROM "t60" AS "t62"
              WHERE
                "t62"."source" = 'click'
            ) AS "t70"
            ANTI JOIN (
              SELECT
                "t62"."key" AS "vgroup",
                "t62"."ts" AS "vts"
              FROM "t60" AS "t62"
              WHERE
                "t62"."source" = 'visit'
            ) AS "t71"
              ON "t70"."key" = "t71"."vgroup"
              AND "t71"."vts" >= "t70"."ts"
              AND "t71"."vts" <= (
                "t70"."ts" + INTERVAL '30' MINUTE
              )
          ) AS "t74"
        ) AS "t76"
        WHERE
          "t76"."label" = 'x'
      ) AS "t80"
        ON "t50"."key" = "t80"."key"
    ) AS "t82"
    WHERE
      "t82"."ts" <= "t82"."wat" AND "t82"."ts" >= (
        "t82"."wat" - INTERVAL '30' DAY
      )
  ) AS "t84"
    ON "t23"."conversion_id" = "t84"."hconv"
  SEMI JOIN (
    SELECT DISTINCT
      "t92"."kconv" AS "hconv"
    FROM (
      SELECT
        "t91"."kconv",
        "t91"."key",
        "t88"."wconv",
        "t88"."wat",
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
              "t23"."conversion_id" AS "kconv",
              COALESCE("t32"."p1", "t34"."p2", "t36"."p3") AS "key"
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
                "t82"."kconv" AS "hconv"
              FROM (
                SELECT
                  "t50"."kconv",
                  "t50"."key",
                  "t24"."wconv",
                  "t24"."wat",
                  "t80"."ts",
                  "t80"."label"
                FROM (
                  SELECT
                    *
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t25"."conversion_id" AS "kconv",
                        COALESCE("t31"."p1", "t33"."p2", "t35"."p3") AS "key"
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
                      LEFT OUTER JOIN "t16" AS "t31"
                        ON "t25"."customer_id" = "t31"."k1"
                      LEFT OUTER JOIN "t17" AS "t33"
                        ON "t25"."email" = "t33"."k2"
                      LEFT OUTER JOIN "t18" AS "t35"
                        ON "t25"."visitor_id" = "t35"."k3"
                    ) AS "t40"
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
                      LEFT OUTER JOIN "t16" AS "t31"
                        ON "t25"."customer_id" = "t31"."k1"
                      LEFT OUTER JOIN "t17" AS "t33"
                        ON "t25"."email" = "t33"."k2"
                      LEFT OUTER JOIN "t18" AS "t35"
                        ON "t25"."visitor_id" = "t35"."k3"
                    ) AS "t41"
                  ) AS "t43"
                  WHERE
                    "t43"."key" IS NOT NULL
                ) AS "t50"
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
                  ON "t50"."kconv" = "t24"."wconv"
                INNER JOIN (
                  SELECT
                    "t76"."key",
                    "t76"."ts",
                    "t76"."label"
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        *
                      FROM "t60" AS "t62"
                      WHERE
                        "t62"."source" <> 'click'
                    ) AS "t64"
                    UNION ALL
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t70"."key",
                        "t70"."ts",
                        "t70"."label",
                        "t70"."source"
                      FROM (
                        SELECT
                          *
                        FROM "t60" AS "t62"
                        WHERE
                          "t62"."source" = 'click'
                      ) AS "t70"
                      ANTI JOIN (
                        SELECT
                          "t62"."key" AS "vgroup",
                          "t62"."ts" AS "vts"
                        FROM "t60" AS "t62"
                        WHERE
                          "t62"."source" = 'visit'
                      ) AS "t71"
                        ON "t70"."key" = "t71"."vgroup"
                        AND "t71"."vts" >= "t70"."ts"
                        AND "t71"."vts" <= (
                          "t70"."ts" + INTERVAL '30' MINUTE
                        )
                    ) AS "t74"
                  ) AS "t76"
                  WHERE
                    "t76"."label" = 'x'
                ) AS "t80"
                  ON "t50"."key" = "t80"."key"
              ) AS "t82"
              WHERE
                "t82"."ts" <= "t82"."wat" AND "t82"."ts" >= (
                  "t82"."wat" - INTERVAL '30' DAY
                )
            ) AS "t84"
              ON "t23"."conversion_id" = "t84"."hconv"
            LEFT OUTER JOIN "t16" AS "t32"
              ON "t23"."customer_id" = "t32"."k1"
            LEFT OUTER JOIN "t17" AS "t34"
              ON "t23"."email" = "t34"."k2"
            LEFT OUTER JOIN "t18" AS "t36"
              ON "t23"."visitor_id" = "t36"."k3"
          ) AS "t86"
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
                "t82"."kconv" AS "hconv"
              FROM (
                SELECT
                  "t50"."kconv",
                  "t50"."key",
                  "t24"."wconv",
                  "t24"."wat",
                  "t80"."ts",
                  "t80"."label"
                FROM (
                  SELECT
                    *
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t25"."conversion_id" AS "kconv",
                        COALESCE("t31"."p1", "t33"."p2", "t35"."p3") AS "key"
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
                      LEFT OUTER JOIN "t16" AS "t31"
                        ON "t25"."customer_id" = "t31"."k1"
                      LEFT OUTER JOIN "t17" AS "t33"
                        ON "t25"."email" = "t33"."k2"
                      LEFT OUTER JOIN "t18" AS "t35"
                        ON "t25"."visitor_id" = "t35"."k3"
                    ) AS "t40"
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
                      LEFT OUTER JOIN "t16" AS "t31"
                        ON "t25"."customer_id" = "t31"."k1"
                      LEFT OUTER JOIN "t17" AS "t33"
                        ON "t25"."email" = "t33"."k2"
                      LEFT OUTER JOIN "t18" AS "t35"
                        ON "t25"."visitor_id" = "t35"."k3"
                    ) AS "t41"
                  ) AS "t43"
                  WHERE
                    "t43"."key" IS NOT NULL
                ) AS "t50"
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
                  ON "t50"."kconv" = "t24"."wconv"
                INNER JOIN (
                  SELECT
                    "t76"."key",
                    "t76"."ts",
                    "t76"."label"
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        *
                      FROM "t60" AS "t62"
                      WHERE
                        "t62"."source" <> 'click'
                    ) AS "t64"
                    UNION ALL
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t70"."key",
                        "t70"."ts",
                        "t70"."label",
                        "t70"."source"
                      FROM (
                        SELECT
                          *
                        FROM "t60" AS "t62"
                        WHERE
                          "t62"."source" = 'click'
                      ) AS "t70"
                      ANTI JOIN (
                        SELECT
                          "t62"."key" AS "vgroup",
                          "t62"."ts" AS "vts"
                        FROM "t60" AS "t62"
                        WHERE
                          "t62"."source" = 'visit'
                      ) AS "t71"
                        ON "t70"."key" = "t71"."vgroup"
                        AND "t71"."vts" >= "t70"."ts"
                        AND "t71"."vts" <= (
                          "t70"."ts" + INTERVAL '30' MINUTE
                        )
                    ) AS "t74"
                  ) AS "t76"
                  WHERE
                    "t76"."label" = 'x'
                ) AS "t80"
                  ON "t50"."key" = "t80"."key"
              ) AS "t82"
              WHERE
                "t82"."ts" <= "t82"."wat" AND "t82"."ts" >= (
                  "t82"."wat" - INTERVAL '30' DAY
                )
            ) AS "t84"
              ON "t23"."conversion_id" = "t84"."hconv"
            LEFT OUTER JOIN "t16" AS "t32"
              ON "t23"."customer_id" = "t32"."k1"
            LEFT OUTER JOIN "t17" AS "t34"
              ON "t23"."email" = "t34"."k2"
            LEFT OUTER JOIN "t18" AS "t36"
              ON "t23"."visitor_id" = "t36"."k3"
          ) AS "t87"
        ) AS "t89"
        WHERE
          "t89"."key" IS NOT NULL
      ) AS "t91"
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
            "t82"."kconv" AS "hconv"
          FROM (
            SELECT
              "t50"."kconv",
              "t50"."key",
              "t24"."wconv",
              "t24"."wat",
              "t80"."ts",
              "t80"."label"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  *
                FROM (
                  SELECT
                    "t25"."conversion_id" AS "kconv",
                    COALESCE("t31"."p1", "t33"."p2", "t35"."p3") AS "key"
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
                  LEFT OUTER JOIN "t16" AS "t31"
                    ON "t25"."customer_id" = "t31"."k1"
                  LEFT OUTER JOIN "t17" AS "t33"
                    ON "t25"."email" = "t33"."k2"
                  LEFT OUTER JOIN "t18" AS "t35"
                    ON "t25"."visitor_id" = "t35"."k3"
                ) AS "t40"
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
                  LEFT OUTER JOIN "t16" AS "t31"
                    ON "t25"."customer_id" = "t31"."k1"
                  LEFT OUTER JOIN "t17" AS "t33"
                    ON "t25"."email" = "t33"."k2"
                  LEFT OUTER JOIN "t18" AS "t35"
                    ON "t25"."visitor_id" = "t35"."k3"
                ) AS "t41"
              ) AS "t43"
              WHERE
                "t43"."key" IS NOT NULL
            ) AS "t50"
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
              ON "t50"."kconv" = "t24"."wconv"
            INNER JOIN (
              SELECT
                "t76"."key",
                "t76"."ts",
                "t76"."label"
              FROM (
                SELECT
                  *
                FROM (
                  SELECT
                    *
                  FROM "t60" AS "t62"
                  WHERE
                    "t62"."source" <> 'click'
                ) AS "t64"
                UNION ALL
                SELECT
                  *
                FROM (
                  SELECT
                    "t70"."key",
                    "t70"."ts",
                    "t70"."label",
                    "t70"."source"
                  FROM (
                    SELECT
                      *
                    FROM "t60" AS "t62"
                    WHERE
                      "t62"."source" = 'click'
                  ) AS "t70"
                  ANTI JOIN (
                    SELECT
                      "t62"."key" AS "vgroup",
                      "t62"."ts" AS "vts"
                    FROM "t60" AS "t62"
                    WHERE
                      "t62"."source" = 'visit'
                  ) AS "t71"
                    ON "t70"."key" = "t71"."vgroup"
                    AND "t71"."vts" >= "t70"."ts"
                    AND "t71"."vts" <= (
                      "t70"."ts" + INTERVAL '30' MINUTE
                    )
                ) AS "t74"
              ) AS "t76"
              WHERE
                "t76"."label" = 'x'
            ) AS "t80"
              ON "t50"."key" = "t80"."key"
          ) AS "t82"
          WHERE
            "t82"."ts" <= "t82"."wat" AND "t82"."ts" >= (
              "t82"."wat" - INTERVAL '30' DAY
            )
        ) AS "t84"
          ON "t23"."conversion_id" = "t84"."hconv"
      ) AS "t88"
        ON "t91"."kconv" = "t88"."wconv"
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
          ) AS "t67"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              "t72"."key",
              "t72"."ts",
              "t72"."label",
              "t72"."source"
            FROM (
              SELECT
                *
              FROM "t61" AS "t63"
              WHERE
                "t63"."source" = 'click'
            ) AS "t72"
            ANTI JOIN (
              SELECT
                "t63"."key" AS "vgroup",
                "t63"."ts" AS "vts"
              FROM "t61" AS "t63"
              WHERE
                "t63"."source" = 'visit'
            ) AS "t73"
              ON "t72"."key" = "t73"."vgroup"
              AND "t73"."vts" >= "t72"."ts"
              AND "t73"."vts" <= (
                "t72"."ts" + INTERVAL '30' MINUTE
              )
          ) AS "t75"
        ) AS "t77"
        WHERE
          "t77"."label" = 'spring'
      ) AS "t81"
        ON "t91"."key" = "t81"."key"
    ) AS "t92"
    WHERE
      "t92"."ts" <= "t92"."wat" AND "t92"."ts" >= (
        "t92"."wat" - INTERVAL '30' DAY
      )
  ) AS "t94"
    ON "t23"."conversion_id" = "t94"."hconv"
) AS "t95"
ORDER BY
  "t95"."occurred_at" ASC
