SELECT
  *
FROM (
  SELECT
    "t18"."actor_handle",
    COUNT(*) AS "mentions",
    MIN("t18"."created_at") AS "first_mention",
    MAX("t18"."created_at") AS "last_mention",
    MIN("t18"."person") AS "person"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t16".*
        EXCLUDE ("identity_kind", "identity_value", "link_kind", "link_person", "link_value", "person_ref")
      FROM (
        SELECT
          "t15"."platform",
          "t15"."interaction_id",
          "t15"."created_at",
          "t15"."kind",
          "t15"."direction",
          "t15"."actor_handle",
          "t15"."actor_name",
          "t15"."target_handle",
          "t15"."post_id",
          "t15"."in_reply_to",
          "t15"."text",
          "t15"."url",
          "t15"."agent",
          "t15"."owner",
          "t15"."link_kind",
          "t15"."link_value",
          "t15"."link_person",
          "t15"."identity_kind",
          "t15"."identity_value",
          "t15"."person_ref",
          COALESCE(
            "t15"."link_person",
            "t15"."person_ref",
            "t15"."platform" || ':' || "t15"."actor_handle"
          ) AS "person"
        FROM (
          SELECT
            "t14"."platform",
            "t14"."interaction_id",
            "t14"."created_at",
            "t14"."kind",
            "t14"."direction",
            "t14"."actor_handle",
            "t14"."actor_name",
            "t14"."target_handle",
            "t14"."post_id",
            "t14"."in_reply_to",
            "t14"."text",
            "t14"."url",
            "t14"."agent",
            "t14"."owner",
            "t7"."link_kind",
            "t7"."link_value",
            "t7"."link_person",
            "t8"."identity_kind",
            "t8"."identity_value",
            "t8"."person_ref"
          FROM (
            SELECT
              "t12".*
              EXCLUDE ("ah", "ap")
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
                "t10"."ap",
                "t10"."ah",
                "t10"."owner"
              FROM (
                SELECT
                  *
                FROM "interactions" AS "t2"
                WHERE
                  "t2"."kind" = 'mention'
                  AND "t2"."direction" = 'inbound'
                  AND "t2"."platform" = 'x'
                  AND "t2"."created_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                  AND "t2"."created_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
              ) AS "t11"
              INNER JOIN (
                SELECT
                  "t3"."platform" AS "ap",
                  "t3"."handle" AS "ah",
                  "t3"."owner"
                FROM "accounts" AS "t3"
              ) AS "t10"
                ON "t11"."platform" = "t10"."ap" AND "t11"."target_handle" = "t10"."ah"
            ) AS "t12"
          ) AS "t14"
          LEFT OUTER JOIN (
            SELECT
              "t0"."kind" AS "link_kind",
              "t0"."value" AS "link_value",
              "t0"."person_id" AS "link_person"
            FROM "person_links" AS "t0"
          ) AS "t7"
            ON "t7"."link_kind" = 'handle:' || "t14"."platform"
            AND "t7"."link_value" = "t14"."actor_handle"
          LEFT OUTER JOIN (
            SELECT
              "t1"."kind" AS "identity_kind",
              "t1"."value" AS "identity_value",
              "t1"."person_ref"
            FROM "identities" AS "t1"
          ) AS "t8"
            ON "t8"."identity_kind" = 'handle:' || "t14"."platform"
            AND "t8"."identity_value" = "t14"."actor_handle"
        ) AS "t15"
      ) AS "t16"
    ) AS "t17"
    WHERE
      "t17"."owner" = 'brand'
  ) AS "t18"
  GROUP BY
    1
) AS "t19"
ORDER BY
  "t19"."first_mention" ASC,
  "t19"."actor_handle" ASC
