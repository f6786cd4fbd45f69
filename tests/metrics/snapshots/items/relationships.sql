SELECT
  *
FROM (
  SELECT
    "t17"."who",
    COUNT(*) AS "interactions",
    ARRAY_AGG(DISTINCT "t17"."platform") FILTER(WHERE
      "t17"."platform" IS NOT NULL) AS "platforms",
    MIN("t17"."created_at") AS "first",
    MAX("t17"."created_at") AS "last"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t15"."platform",
        "t15"."created_at",
        "t7"."pcampaign" AS "campaign",
        "t15"."kind",
        "t15"."person" AS "who"
      FROM (
        SELECT
          "t13".*
          EXCLUDE ("identity_kind", "identity_value", "link_kind", "link_person", "link_value", "person_ref")
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
            "t12"."link_kind",
            "t12"."link_value",
            "t12"."link_person",
            "t12"."identity_kind",
            "t12"."identity_value",
            "t12"."person_ref",
            COALESCE(
              "t12"."link_person",
              "t12"."person_ref",
              "t12"."platform" || ':' || "t12"."actor_handle"
            ) AS "person"
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
              "t9"."link_kind",
              "t9"."link_value",
              "t9"."link_person",
              "t10"."identity_kind",
              "t10"."identity_value",
              "t10"."person_ref"
            FROM (
              SELECT
                *
              FROM "interactions" AS "t1"
              WHERE
                "t1"."direction" = 'inbound' AND "t1"."kind" <> 'unfollow'
            ) AS "t11"
            LEFT OUTER JOIN (
              SELECT
                "t2"."kind" AS "link_kind",
                "t2"."value" AS "link_value",
                "t2"."person_id" AS "link_person"
              FROM "person_links" AS "t2"
            ) AS "t9"
              ON "t9"."link_kind" = 'handle:' || "t11"."platform"
              AND "t9"."link_value" = "t11"."actor_handle"
            LEFT OUTER JOIN (
              SELECT
                "t3"."kind" AS "identity_kind",
                "t3"."value" AS "identity_value",
                "t3"."person_ref"
              FROM "identities" AS "t3"
            ) AS "t10"
              ON "t10"."identity_kind" = 'handle:' || "t11"."platform"
              AND "t10"."identity_value" = "t11"."actor_handle"
          ) AS "t12"
        ) AS "t13"
      ) AS "t15"
      LEFT OUTER JOIN (
        SELECT
          "t0"."platform" AS "pplatform",
          "t0"."post_id" AS "ppost",
          "t0"."campaign" AS "pcampaign"
        FROM "posts" AS "t0"
      ) AS "t7"
        ON "t15"."platform" = "t7"."pplatform" AND "t15"."post_id" = "t7"."ppost"
    ) AS "t16"
    WHERE
      CAST("t16"."created_at" AS DATE) >= MAKE_DATE(2026, 3, 1)
      AND CAST("t16"."created_at" AS DATE) <= MAKE_DATE(2026, 3, 31)
      AND "t16"."platform" = 'x'
      AND "t16"."campaign" = 'spring'
  ) AS "t17"
  GROUP BY
    1
) AS "t18"
ORDER BY
  "t18"."interactions" DESC,
  "t18"."who" ASC
