WITH "t34" AS (
  SELECT
    COALESCE("t31"."c_person", "t32"."e_person", "t30"."w_person") AS "k_person",
    "t6"."occurred_at" AS "k_at",
    "t6"."kind" AS "k_kind",
    "t6"."visitor_id" AS "k_visitor"
  FROM "conversions" AS "t6"
  LEFT OUTER JOIN (
    SELECT
      COALESCE("t20"."l_value", "t23"."i_value") AS "c_value",
      COALESCE("t20"."l_person", "t23"."i_person") AS "c_person"
    FROM (
      SELECT
        "t2"."value" AS "i_value",
        "t2"."person_ref" AS "i_person"
      FROM "identities" AS "t2"
      WHERE
        "t2"."kind" = 'customer'
    ) AS "t23"
    FULL OUTER JOIN (
      SELECT
        "t1"."value" AS "l_value",
        "t1"."person_id" AS "l_person"
      FROM "person_links" AS "t1"
      WHERE
        "t1"."kind" = 'customer'
    ) AS "t20"
      ON "t23"."i_value" = "t20"."l_value"
  ) AS "t31"
    ON "t6"."customer_id" = "t31"."c_value"
  LEFT OUTER JOIN (
    SELECT
      COALESCE("t21"."l_value", "t24"."i_value") AS "e_value",
      COALESCE("t21"."l_person", "t24"."i_person") AS "e_person"
    FROM (
      SELECT
        "t2"."value" AS "i_value",
        "t2"."person_ref" AS "i_person"
      FROM "identities" AS "t2"
      WHERE
        "t2"."kind" = 'email'
    ) AS "t24"
    FULL OUTER JOIN (
      SELECT
        "t1"."value" AS "l_value",
        "t1"."person_id" AS "l_person"
      FROM "person_links" AS "t1"
      WHERE
        "t1"."kind" = 'email'
    ) AS "t21"
      ON "t24"."i_value" = "t21"."l_value"
  ) AS "t32"
    ON "t6"."email" = "t32"."e_value"
  LEFT OUTER JOIN (
    SELECT
      COALESCE("t19"."l_value", "t22"."i_value") AS "w_value",
      COALESCE("t19"."l_person", "t22"."i_person") AS "w_person"
    FROM (
      SELECT
        "t2"."value" AS "i_value",
        "t2"."person_ref" AS "i_person"
      FROM "identities" AS "t2"
      WHERE
        "t2"."kind" = 'visitor'
    ) AS "t22"
    FULL OUTER JOIN (
      SELECT
        "t1"."value" AS "l_value",
        "t1"."person_id" AS "l_person"
      FROM "person_links" AS "t1"
      WHERE
        "t1"."kind" = 'visitor'
    ) AS "t19"
      ON "t22"."i_value" = "t19"."l_value"
  ) AS "t30"
    ON "t6"."visitor_id" = "t30"."w_value"
)
SELECT
  *
FROM (
  SELECT
    "t45"."person",
    "t45"."touch_at",
    "t55"."visit_at",
    "t53"."lead_at",
    "t53"."order_at"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t37"."person",
        MIN("t37"."created_at") AS "touch_at"
      FROM (
        SELECT
          "t35".*
          EXCLUDE ("identity_kind", "identity_value", "link_kind", "link_person", "link_value", "person_ref")
        FROM (
          SELECT
            "t29"."platform",
            "t29"."interaction_id",
            "t29"."created_at",
            "t29"."kind",
            "t29"."direction",
            "t29"."actor_handle",
            "t29"."actor_name",
            "t29"."target_handle",
            "t29"."post_id",
            "t29"."in_reply_to",
            "t29"."text",
            "t29"."url",
            "t29"."agent",
            "t29"."link_kind",
            "t29"."link_value",
            "t29"."link_person",
            "t29"."identity_kind",
            "t29"."identity_value",
            "t29"."person_ref",
            COALESCE(
              "t29"."link_person",
              "t29"."person_ref",
              "t29"."platform" || ':' || "t29"."actor_handle"
            ) AS "person"
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
              "t13"."link_kind",
              "t13"."link_value",
              "t13"."link_person",
              "t17"."identity_kind",
              "t17"."identity_value",
              "t17"."person_ref"
            FROM (
              SELECT
                *
              FROM "interactions" AS "t0"
              WHERE
                "t0"."direction" = 'inbound' AND "t0"."platform" = 'x'
            ) AS "t18"
            LEFT OUTER JOIN (
              SELECT
                "t1"."kind" AS "link_kind",
                "t1"."value" AS "link_value",
                "t1"."person_id" AS "link_person"
              FROM "person_links" AS "t1"
            ) AS "t13"
              ON "t13"."link_kind" = 'handle:' || "t18"."platform"
              AND "t13"."link_value" = "t18"."actor_handle"
            LEFT OUTER JOIN (
              SELECT
                "t2"."kind" AS "identity_kind",
                "t2"."value" AS "identity_value",
                "t2"."person_ref"
              FROM "identities" AS "t2"
            ) AS "t17"
              ON "t17"."identity_kind" = 'handle:' || "t18"."platform"
              AND "t17"."identity_value" = "t18"."actor_handle"
          ) AS "t29"
        ) AS "t35"
      ) AS "t37"
      GROUP BY
        1
    ) AS "t40"
    WHERE
      "t40"."touch_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
      AND "t40"."touch_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
  ) AS "t45"
  LEFT OUTER JOIN (
    SELECT
      "t51"."person" AS "vf_person",
      MIN("t51"."v_at") AS "visit_at"
    FROM (
      SELECT
        *
      FROM (
        SELECT
          "t45"."person",
          "t45"."touch_at",
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
                "t35".*
                EXCLUDE ("identity_kind", "identity_value", "link_kind", "link_person", "link_value", "person_ref")
              FROM (
                SELECT
                  "t29"."platform",
                  "t29"."interaction_id",
                  "t29"."created_at",
                  "t29"."kind",
                  "t29"."direction",
                  "t29"."actor_handle",
                  "t29"."actor_name",
                  "t29"."target_handle",
                  "t29"."post_id",
                  "t29"."in_reply_to",
                  "t29"."text",
                  "t29"."url",
                  "t29"."agent",
                  "t29"."link_kind",
                  "t29"."link_value",
                  "t29"."link_person",
                  "t29"."identity_kind",
                  "t29"."identity_value",
                  "t29"."person_ref",
                  COALESCE(
                    "t29"."link_person",
                    "t29"."person_ref",
                    "t29"."platform" || ':' || "t29"."actor_handle"
                  ) AS "person"
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
                    "t13"."link_kind",
                    "t13"."link_value",
                    "t13"."link_person",
                    "t17"."identity_kind",
                    "t17"."identity_value",
                    "t17"."person_ref"
                  FROM (
                    SELECT
                      *
                    FROM "interactions" AS "t0"
                    WHERE
                      "t0"."direction" = 'inbound' AND "t0"."platform" = 'x'
                  ) AS "t18"
                  LEFT OUTER JOIN (
                    SELECT
                      "t1"."kind" AS "link_kind",
                      "t1"."value" AS "link_value",
                      "t1"."person_id" AS "link_person"
                    FROM "person_links" AS "t1"
                  ) AS "t13"
                    ON "t13"."link_kind" = 'handle:' || "t18"."platform"
                    AND "t13"."link_value" = "t18"."actor_handle"
                  LEFT OUTER JOIN (
                    SELECT
                      "t2"."kind" AS "identity_kind",
                      "t2"."value" AS "identity_value",
                      "t2"."person_ref"
                    FROM "identities" AS "t2"
                  ) AS "t17"
                    ON "t17"."identity_kind" = 'handle:' || "t18"."platform"
                    AND "t17"."identity_value" = "t18"."actor_handle"
                ) AS "t29"
              ) AS "t35"
            ) AS "t37"
            GROUP BY
              1
          ) AS "t40"
          WHERE
            "t40"."touch_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
            AND "t40"."touch_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
        ) AS "t45"
        INNER JOIN (
          SELECT
            "t43"."v_person",
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
                  COALESCE("t19"."l_value", "t22"."i_value") AS "v_value",
                  COALESCE("t19"."l_person", "t22"."i_person") AS "v_person"
                FROM (
                  SELECT
                    "t2"."value" AS "i_value",
                    "t2"."person_ref" AS "i_person"
                  FROM "identities" AS "t2"
                  WHERE
                    "t2"."kind" = 'visitor'
                ) AS "t22"
                FULL OUTER JOIN (
                  SELECT
                    "t1"."value" AS "l_value",
                    "t1"."person_id" AS "l_person"
                  FROM "person_links" AS "t1"
                  WHERE
                    "t1"."kind" = 'visitor'
                ) AS "t19"
                  ON "t22"."i_value" = "t19"."l_value"
              ) AS "t25"
            ) AS "t33"
            UNION
            SELECT
              *
            FROM (
              SELECT
                "t36"."k_visitor" AS "v_value",
                "t36"."k_person" AS "v_person"
              FROM "t34" AS "t36"
              WHERE
                "t36"."k_person" IS NOT NULL AND "t36"."k_visitor" IS NOT NULL
            ) AS "t39"
          ) AS "t43"
            ON "t5"."visitor_id" = "t43"."v_value"
        ) AS "t47"
          ON "t45"."person" = "t47"."v_person"
      ) AS "t49"
      WHERE
        "t49"."v_at" >= "t49"."touch_at"
    ) AS "t51"
    GROUP BY
      1
  ) AS "t55"
    ON "t45"."person" = "t55"."vf_person"
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
          "t45"."person",
          "t45"."touch_at",
          "t41"."k_person",
          "t41"."k_at",
          "t41"."k_kind",
          "t41"."k_visitor"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t37"."person",
              MIN("t37"."created_at") AS "touch_at"
            FROM (
              SELECT
                "t35".*
                EXCLUDE ("identity_kind", "identity_value", "link_kind", "link_person", "link_value", "person_ref")
              FROM (
                SELECT
                  "t29"."platform",
                  "t29"."interaction_id",
                  "t29"."created_at",
                  "t29"."kind",
                  "t29"."direction",
                  "t29"."actor_handle",
                  "t29"."actor_name",
                  "t29"."target_handle",
                  "t29"."post_id",
                  "t29"."in_reply_to",
                  "t29"."text",
                  "t29"."url",
                  "t29"."agent",
                  "t29"."link_kind",
                  "t29"."link_value",
                  "t29"."link_person",
                  "t29"."identity_kind",
                  "t29"."identity_value",
                  "t29"."person_ref",
                  COALESCE(
                    "t29"."link_person",
                    "t29"."person_ref",
                    "t29"."platform" || ':' || "t29"."actor_handle"
                  ) AS "person"
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
                    "t13"."link_kind",
                    "t13"."link_value",
                    "t13"."link_person",
                    "t17"."identity_kind",
                    "t17"."identity_value",
                    "t17"."person_ref"
                  FROM (
                    SELECT
                      *
                    FROM "interactions" AS "t0"
                    WHERE
                      "t0"."direction" = 'inbound' AND "t0"."platform" = 'x'
                  ) AS "t18"
                  LEFT OUTER JOIN (
                    SELECT
                      "t1"."kind" AS "link_kind",
                      "t1"."value" AS "link_value",
                      "t1"."person_id" AS "link_person"
                    FROM "person_links" AS "t1"
                  ) AS "t13"
                    ON "t13"."link_kind" = 'handle:' || "t18"."platform"
                    AND "t13"."link_value" = "t18"."actor_handle"
                  LEFT OUTER JOIN (
                    SELECT
                      "t2"."kind" AS "identity_kind",
                      "t2"."value" AS "identity_value",
                      "t2"."person_ref"
                    FROM "identities" AS "t2"
                  ) AS "t17"
                    ON "t17"."identity_kind" = 'handle:' || "t18"."platform"
                    AND "t17"."identity_value" = "t18"."actor_handle"
                ) AS "t29"
              ) AS "t35"
            ) AS "t37"
            GROUP BY
              1
          ) AS "t40"
          WHERE
            "t40"."touch_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
            AND "t40"."touch_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
        ) AS "t45"
        INNER JOIN (
          SELECT
            *
          FROM "t34" AS "t36"
          WHERE
            "t36"."k_person" IS NOT NULL
        ) AS "t41"
          ON "t45"."person" = "t41"."k_person"
      ) AS "t48"
      WHERE
        "t48"."k_at" >= "t48"."touch_at"
    ) AS "t50"
    GROUP BY
      1
  ) AS "t53"
    ON "t45"."person" = "t53"."kf_person"
) AS "t56"
WHERE
  "t56"."visit_at" IS NOT NULL AND "t56"."lead_at" IS NOT NULL
ORDER BY
  "t56"."touch_at" ASC,
  "t56"."person" ASC
