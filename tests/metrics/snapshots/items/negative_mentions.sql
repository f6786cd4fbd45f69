SELECT
  "t24"."created_at",
  "t24"."platform",
  "t24"."kind",
  "t24"."actor_handle",
  "t24"."sentiment",
  "t24"."text",
  "t24"."person"
FROM (
  SELECT
    "t23".*
    EXCLUDE ("identity_kind", "identity_value", "link_kind", "link_person", "link_value", "person_ref")
  FROM (
    SELECT
      "t22"."platform",
      "t22"."interaction_id",
      "t22"."created_at",
      "t22"."kind",
      "t22"."direction",
      "t22"."actor_handle",
      "t22"."actor_name",
      "t22"."target_handle",
      "t22"."post_id",
      "t22"."in_reply_to",
      "t22"."text",
      "t22"."url",
      "t22"."agent",
      "t22"."owner",
      "t22"."sentiment",
      "t22"."sentiment_score",
      "t22"."intent",
      "t22"."link_kind",
      "t22"."link_value",
      "t22"."link_person",
      "t22"."identity_kind",
      "t22"."identity_value",
      "t22"."person_ref",
      COALESCE(
        "t22"."link_person",
        "t22"."person_ref",
        "t22"."platform" || ':' || "t22"."actor_handle"
      ) AS "person"
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
        "t21"."owner",
        "t21"."sentiment",
        "t21"."sentiment_score",
        "t21"."intent",
        "t8"."link_kind",
        "t8"."link_value",
        "t8"."link_person",
        "t9"."identity_kind",
        "t9"."identity_value",
        "t9"."person_ref"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t18".*
            EXCLUDE ("lid", "lp")
          FROM (
            SELECT
              "t17"."platform",
              "t17"."interaction_id",
              "t17"."created_at",
              "t17"."kind",
              "t17"."direction",
              "t17"."actor_handle",
              "t17"."actor_name",
              "t17"."target_handle",
              "t17"."post_id",
              "t17"."in_reply_to",
              "t17"."text",
              "t17"."url",
              "t17"."agent",
              "t17"."owner",
              "t13"."lp",
              "t13"."lid",
              "t13"."sentiment",
              "t13"."sentiment_score",
              "t13"."intent"
            FROM (
              SELECT
                "t15".*
                EXCLUDE ("ah", "ap")
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
                  "t12"."ap",
                  "t12"."ah",
                  "t12"."owner"
                FROM (
                  SELECT
                    *
                  FROM "interactions" AS "t3"
                  WHERE
                    "t3"."direction" = 'inbound'
                    AND "t3"."kind" IN ('mention', 'reply', 'comment')
                    AND "t3"."platform" = 'x'
                    AND "t3"."created_at" >= MAKE_TIMESTAMP(2026, 3, 1, 0, 0, 0.0)
                    AND "t3"."created_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
                ) AS "t14"
                INNER JOIN (
                  SELECT
                    "t4"."platform" AS "ap",
                    "t4"."handle" AS "ah",
                    "t4"."owner"
                  FROM "accounts" AS "t4"
                ) AS "t12"
                  ON "t14"."platform" = "t12"."ap" AND "t14"."target_handle" = "t12"."ah"
              ) AS "t15"
            ) AS "t17"
            INNER JOIN (
              SELECT
                "t2"."platform" AS "lp",
                "t2"."interaction_id" AS "lid",
                "t2"."sentiment",
                CAST("t2"."sentiment_score" AS DOUBLE) AS "sentiment_score",
                "t2"."intent"
              FROM "interaction_labels" AS "t2"
            ) AS "t13"
              ON "t17"."platform" = "t13"."lp" AND "t17"."interaction_id" = "t13"."lid"
          ) AS "t18"
        ) AS "t19"
        WHERE
          "t19"."owner" = 'brand' AND "t19"."sentiment" = 'negative'
      ) AS "t21"
      LEFT OUTER JOIN (
        SELECT
          "t0"."kind" AS "link_kind",
          "t0"."value" AS "link_value",
          "t0"."person_id" AS "link_person"
        FROM "person_links" AS "t0"
      ) AS "t8"
        ON "t8"."link_kind" = 'handle:' || "t21"."platform"
        AND "t8"."link_value" = "t21"."actor_handle"
      LEFT OUTER JOIN (
        SELECT
          "t1"."kind" AS "identity_kind",
          "t1"."value" AS "identity_value",
          "t1"."person_ref"
        FROM "identities" AS "t1"
      ) AS "t9"
        ON "t9"."identity_kind" = 'handle:' || "t21"."platform"
        AND "t9"."identity_value" = "t21"."actor_handle"
    ) AS "t22"
  ) AS "t23"
) AS "t24"
ORDER BY
  "t24"."created_at" ASC,
  "t24"."interaction_id" ASC
