WITH "t35" AS (
  SELECT
    COALESCE("t31"."c_person", "t32"."e_person", "t30"."w_person") AS "k_person",
    "t6"."occurred_at" AS "k_at",
    "t6"."kind" AS "k_kind",
    "t6"."visitor_id" AS "k_visitor"
  FROM "conversions" AS "t6"
  LEFT OUTER JOIN (
    SELECT
      COALESCE("t19"."l_value", "t22"."i_value") AS "c_value",
      COALESCE("t19"."l_person", "t22"."i_person") AS "c_person"
    FROM (
      SELECT
        "t2"."value" AS "i_value",
        "t2"."person_ref" AS "i_person"
      FROM "identities" AS "t2"
      WHERE
        "t2"."kind" = 'customer'
    ) AS "t22"
    FULL OUTER JOIN (
      SELECT
        "t1"."value" AS "l_value",
        "t1"."person_id" AS "l_person"
      FROM "person_links" AS "t1"
      WHERE
        "t1"."kind" = 'customer'
    ) AS "t19"
      ON "t22"."i_value" = "t19"."l_value"
  ) AS "t31"
    ON "t6"."customer_id" = "t31"."c_value"
  LEFT OUTER JOIN (
    SELECT
      COALESCE("t20"."l_value", "t23"."i_value") AS "e_value",
      COALESCE("t20"."l_person", "t23"."i_person") AS "e_person"
    FROM (
      SELECT
        "t2"."value" AS "i_value",
        "t2"."person_ref" AS "i_person"
      FROM "identities" AS "t2"
      WHERE
        "t2"."kind" = 'email'
    ) AS "t23"
    FULL OUTER JOIN (
      SELECT
        "t1"."value" AS "l_value",
        "t1"."person_id" AS "l_person"
      FROM "person_links" AS "t1"
      WHERE
        "t1"."kind" = 'email'
    ) AS "t20"
      ON "t23"."i_value" = "t20"."l_value"
  ) AS "t32"
    ON "t6"."email" = "t32"."e_value"
  LEFT OUTER JOIN (
    SELECT
      COALESCE("t18"."l_value", "t21"."i_value") AS "w_value",
      COALESCE("t18"."l_person", "t21"."i_person") AS "w_person"
    FROM (
      SELECT
        "t2"."value" AS "i_value",
        "t2"."person_ref" AS "i_person"
      FROM "identities" AS "t2"
      WHERE
        "t2"."kind" = 'visitor'
    ) AS "t21"
    FULL OUTER JOIN (
      SELECT
        "t1"."value" AS "l_value",
        "t1"."person_id" AS "l_person"
      FROM "person_links" AS "t1"
      WHERE
        "t1"."kind" = 'visitor'
    ) AS "t18"
      ON "t21"."i_value" = "t18"."l_value"
  ) AS "t30"
    ON "t6"."visitor_id" = "t30"."w_value"
), "t56" AS (
  SELECT
    "t46"."person",
    "t46"."touch_at",
    "t54"."visit_at",
    "t55"."lead_at",
    "t55"."order_at"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t37"."person",
        MIN("t37"."created_at") AS "touch_at"
      FROM (
        SELECT
          "t34"."platform",
          "t34"."actor_handle",
          "t34"."created_at",
          COALESCE(
            "t34"."link_person",
            "t34"."person_ref",
            "t34"."platform" || ':' || "t34"."actor_handle"
          ) AS "person"
        FROM (
          SELECT
            "t25"."platform",
            "t25"."actor_handle",
            "t25"."created_at",
            "t13"."link_kind",
            "t13"."link_value",
            "t13"."link_person",
            "t17"."identity_kind",
            "t17"."identity_value",
            "t17"."person_ref"
          FROM (
            SELECT
              "t9"."platform",
              "t9"."actor_handle",
              MIN("t9"."created_at") AS "created_at"
            FROM (
              SELECT
                *
              FROM "interactions" AS "t0"
              WHERE
                "t0"."direction" = 'inbound' AND "t0"."platform" = 'x'
            ) AS "t9"
            GROUP BY
              1,
              2
          ) AS "t25"
          LEFT OUTER JOIN (
            SELECT
              "t1"."kind" AS "link_kind",
              "t1"."value" AS "link_value",
              "t1"."person_id" AS "link_person"
            FROM "person_links" AS "t1"
          ) AS "t13"
            ON "t13"."link_kind" = 'handle:' || "t25"."platform"
            AND "t13"."link_value" = "t25"."actor_handle"
          LEFT OUTER JOIN (
            SELECT
              "t2"."kind" AS "identity_kind",
              "t2"."value" AS "identity_value",
              "t2"."person_ref"
            FROM "identities" AS "t2"
          ) AS "t17"
            ON "t17"."identity_kind" = 'handle:' || "t25"."platform"
            AND "t17"."identity_value" = "t25"."actor_handle"
        ) AS "t34"
      ) AS "t37"
      GROUP BY
        1
    ) AS "t43"
    WHERE
      "t43"."touch_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
      AND "t43"."touch_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
  ) AS "t46"
  LEFT OUTER JOIN (
    SELECT
      "t51"."person" AS "vf_person",
      MIN("t51"."v_at") AS "visit_at"
    FROM (
      SELECT
        *
      FROM (
        SELECT
          "t46"."person",
          "t46"."touch_at",
          "t47"."v_person",
          "t47"."v_at"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t37"."person",
              MIN("t37"."created_at") AS "touch_at"
            FROM (
              SELECT
                "t34"."platform",
                "t34"."actor_handle",
                "t34"."created_at",
                COALESCE(
                  "t34"."link_person",
                  "t34"."person_ref",
                  "t34"."platform" || ':' || "t34"."actor_handle"
                ) AS "person"
              FROM (
                SELECT
                  "t25"."platform",
                  "t25"."actor_handle",
                  "t25"."created_at",
                  "t13"."link_kind",
                  "t13"."link_value",
                  "t13"."link_person",
                  "t17"."identity_kind",
                  "t17"."identity_value",
                  "t17"."person_ref"
                FROM (
                  SELECT
                    "t9"."platform",
                    "t9"."actor_handle",
                    MIN("t9"."created_at") AS "created_at"
                  FROM (
                    SELECT
                      *
                    FROM "interactions" AS "t0"
                    WHERE
                      "t0"."direction" = 'inbound' AND "t0"."platform" = 'x'
                  ) AS "t9"
                  GROUP BY
                    1,
                    2
                ) AS "t25"
                LEFT OUTER JOIN (
                  SELECT
                    "t1"."kind" AS "link_kind",
                    "t1"."value" AS "link_value",
                    "t1"."person_id" AS "link_person"
                  FROM "person_links" AS "t1"
                ) AS "t13"
                  ON "t13"."link_kind" = 'handle:' || "t25"."platform"
                  AND "t13"."link_value" = "t25"."actor_handle"
                LEFT OUTER JOIN (
                  SELECT
                    "t2"."kind" AS "identity_kind",
                    "t2"."value" AS "identity_value",
                    "t2"."person_ref"
                  FROM "identities" AS "t2"
                ) AS "t17"
                  ON "t17"."identity_kind" = 'handle:' || "t25"."platform"
                  AND "t17"."identity_value" = "t25"."actor_handle"
              ) AS "t34"
            ) AS "t37"
            GROUP BY
              1
          ) AS "t43"
          WHERE
            "t43"."touch_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
            AND "t43"."touch_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
        ) AS "t46"
        INNER JOIN (
          SELECT
            "t42"."v_person",
            "t5"."started_at" AS "v_at"
          FROM "visits" AS "t5"
          INNER JOIN (
            SELECT
              *
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  COALESCE("t18"."l_value", "t21"."i_value") AS "v_value",
                  COALESCE("t18"."l_person", "t21"."i_person") AS "v_person"
                FROM (
                  SELECT
                    "t2"."value" AS "i_value",
                    "t2"."person_ref" AS "i_person"
                  FROM "identities" AS "t2"
                  WHERE
                    "t2"."kind" = 'visitor'
                ) AS "t21"
                FULL OUTER JOIN (
                  SELECT
                    "t1"."value" AS "l_value",
                    "t1"."person_id" AS "l_person"
                  FROM "person_links" AS "t1"
                  WHERE
                    "t1"."kind" = 'visitor'
                ) AS "t18"
                  ON "t21"."i_value" = "t18"."l_value"
              ) AS "t26"
            ) AS "t33"
            UNION
            SELECT
              *
            FROM (
              SELECT
                "t36"."k_visitor" AS "v_value",
                "t36"."k_person" AS "v_person"
              FROM "t35" AS "t36"
              WHERE
                "t36"."k_person" IS NOT NULL AND "t36"."k_visitor" IS NOT NULL
            ) AS "t39"
          ) AS "t42"
            ON "t5"."visitor_id" = "t42"."v_value"
        ) AS "t47"
          ON "t46"."person" = "t47"."v_person"
      ) AS "t49"
      WHERE
        "t49"."v_at" >= "t49"."touch_at"
    ) AS "t51"
    GROUP BY
      1
  ) AS "t54"
    ON "t46"."person" = "t54"."vf_person"
  LEFT OUTER JOIN (
    SELECT
      "t50"."person" AS "kf_person",
      MIN("t50"."k_at") FILTER(WHERE
        "t50"."k_kind" IN ('lead', 'signup', 'order')) AS "lead_at",
      MIN("t50"."k_at") FILTER(WHERE
        "t50"."k_kind" = 'order') AS "order_at"
    FROM (
      SELECT
        *
      FROM (
        SELECT
          "t46"."person",
          "t46"."touch_at",
          "t40"."k_person",
          "t40"."k_at",
          "t40"."k_kind",
          "t40"."k_visitor"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t37"."person",
              MIN("t37"."created_at") AS "touch_at"
            FROM (
              SELECT
                "t34"."platform",
                "t34"."actor_handle",
                "t34"."created_at",
                COALESCE(
                  "t34"."link_person",
                  "t34"."person_ref",
                  "t34"."platform" || ':' || "t34"."actor_handle"
                ) AS "person"
              FROM (
                SELECT
                  "t25"."platform",
                  "t25"."actor_handle",
                  "t25"."created_at",
                  "t13"."link_kind",
                  "t13"."link_value",
                  "t13"."link_person",
                  "t17"."identity_kind",
                  "t17"."identity_value",
                  "t17"."person_ref"
                FROM (
                  SELECT
                    "t9"."platform",
                    "t9"."actor_handle",
                    MIN("t9"."created_at") AS "created_at"
                  FROM (
                    SELECT
                      *
                    FROM "interactions" AS "t0"
                    WHERE
                      "t0"."direction" = 'inbound' AND "t0"."platform" = 'x'
                  ) AS "t9"
                  GROUP BY
                    1,
                    2
                ) AS "t25"
                LEFT OUTER JOIN (
                  SELECT
                    "t1"."kind" AS "link_kind",
                    "t1"."value" AS "link_value",
                    "t1"."person_id" AS "link_person"
                  FROM "person_links" AS "t1"
                ) AS "t13"
                  ON "t13"."link_kind" = 'handle:' || "t25"."platform"
                  AND "t13"."link_value" = "t25"."actor_handle"
                LEFT OUTER JOIN (
                  SELECT
                    "t2"."kind" AS "identity_kind",
                    "t2"."value" AS "identity_value",
                    "t2"."person_ref"
                  FROM "identities" AS "t2"
                ) AS "t17"
                  ON "t17"."identity_kind" = 'handle:' || "t25"."platform"
                  AND "t17"."identity_value" = "t25"."actor_handle"
              ) AS "t34"
            ) AS "t37"
            GROUP BY
              1
          ) AS "t43"
          WHERE
            "t43"."touch_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
            AND "t43"."touch_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
        ) AS "t46"
        INNER JOIN (
          SELECT
            *
          FROM "t35" AS "t36"
          WHERE
            "t36"."k_person" IS NOT NULL
        ) AS "t40"
          ON "t46"."person" = "t40"."k_person"
      ) AS "t48"
      WHERE
        "t48"."k_at" >= "t48"."touch_at"
    ) AS "t50"
    GROUP BY
      1
  ) AS "t55"
    ON "t46"."person" = "t55"."kf_person"
), "t59" AS (
  SELECT
    COUNT(*) AS "social",
    COUNT(*) FILTER(WHERE
      "t57"."visit_at" IS NOT NULL) AS "visit",
    COUNT(*) FILTER(WHERE
      (
        "t57"."visit_at" IS NOT NULL
      ) AND (
        "t57"."lead_at" IS NOT NULL
      )) AS "lead",
    COUNT(*) FILTER(WHERE
      (
        "t57"."visit_at" IS NOT NULL
      )
      AND (
        "t57"."lead_at" IS NOT NULL
      )
      AND (
        "t57"."order_at" IS NOT NULL
      )) AS "customer"
  FROM "t56" AS "t57"
)
SELECT
  *
FROM (
  SELECT
    *
  FROM (
    SELECT
      1 AS "step_no",
      'social' AS "step",
      "t60"."social" AS "people",
      CAST("t60"."social" AS DOUBLE) / NULLIF(CAST("t60"."social" AS DOUBLE), 0.0) AS "rate_from_previous",
      CAST("t60"."social" AS DOUBLE) / NULLIF(CAST("t60"."social" AS DOUBLE), 0.0) AS "rate_from_social"
    FROM "t59" AS "t60"
    WHERE
      (
        SELECT
          COUNT(*) AS "CountStar()"
        FROM "t56" AS "t57"
      ) > 0
  ) AS "t61"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      2 AS "step_no",
      'visit' AS "step",
      "t60"."visit" AS "people",
      CAST("t60"."visit" AS DOUBLE) / NULLIF(CAST("t60"."social" AS DOUBLE), 0.0) AS "rate_from_previous",
      CAST("t60"."visit" AS DOUBLE) / NULLIF(CAST("t60"."social" AS DOUBLE), 0.0) AS "rate_from_social"
    FROM "t59" AS "t60"
    WHERE
      (
        SELECT
          COUNT(*) AS "CountStar()"
        FROM "t56" AS "t57"
      ) > 0
  ) AS "t62"
) AS "t65"
UNION ALL
SELECT
  *
FROM (
  SELECT
    *
  FROM (
    SELECT
      3 AS "step_no",
      'lead' AS "step",
      "t60"."lead" AS "people",
      CAST("t60"."lead" AS DOUBLE) / NULLIF(CAST("t60"."visit" AS DOUBLE), 0.0) AS "rate_from_previous",
      CAST("t60"."lead" AS DOUBLE) / NULLIF(CAST("t60"."social" AS DOUBLE), 0.0) AS "rate_from_social"
    FROM "t59" AS "t60"
    WHERE
      (
        SELECT
          COUNT(*) AS "CountStar()"
        FROM "t56" AS "t57"
      ) > 0
  ) AS "t63"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      4 AS "step_no",
      'customer' AS "step",
      "t60"."customer" AS "people",
      CAST("t60"."customer" AS DOUBLE) / NULLIF(CAST("t60"."lead" AS DOUBLE), 0.0) AS "rate_from_previous",
      CAST("t60"."customer" AS DOUBLE) / NULLIF(CAST("t60"."social" AS DOUBLE), 0.0) AS "rate_from_social"
    FROM "t59" AS "t60"
    WHERE
      (
        SELECT
          COUNT(*) AS "CountStar()"
        FROM "t56" AS "t57"
      ) > 0
  ) AS "t64"
) AS "t66"
