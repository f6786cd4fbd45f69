SELECT
  "t11"."created_at",
  "t11"."platform",
  "t11"."post_id",
  "t11"."reaction",
  "t11"."kind",
  "t11"."actor_handle",
  "t11"."text",
  "t11"."person"
FROM (
  SELECT
    "t10".*
    EXCLUDE ("identity_kind", "identity_value", "link_kind", "link_person", "link_value", "person_ref")
  FROM (
    SELECT
      "t9"."platform",
      "t9"."interaction_id",
      "t9"."created_at",
      "t9"."kind",
      "t9"."direction",
      "t9"."actor_handle",
      "t9"."actor_name",
      "t9"."target_handle",
      "t9"."post_id",
      "t9"."in_reply_to",
      "t9"."text",
      "t9"."url",
      "t9"."agent",
      "t9"."reaction",
      "t9"."link_kind",
      "t9"."link_value",
      "t9"."link_person",
      "t9"."identity_kind",
      "t9"."identity_value",
      "t9"."person_ref",
      COALESCE("t9"."link_person", "t9"."person_ref", "t9"."platform" || ':' || "t9"."actor_handle") AS "person"
    FROM (
      SELECT
        "t8"."platform",
        "t8"."interaction_id",
        "t8"."created_at",
        "t8"."kind",
        "t8"."direction",
        "t8"."actor_handle",
        "t8"."actor_name",
        "t8"."target_handle",
        "t8"."post_id",
        "t8"."in_reply_to",
        "t8"."text",
        "t8"."url",
        "t8"."agent",
        "t8"."reaction",
        "t5"."link_kind",
        "t5"."link_value",
        "t5"."link_person",
        "t6"."identity_kind",
        "t6"."identity_value",
        "t6"."person_ref"
      FROM (
        SELECT
          "t0"."platform",
          "t0"."interaction_id",
          "t0"."created_at",
          "t0"."kind",
          "t0"."direction",
          "t0"."actor_handle",
          "t0"."actor_name",
          "t0"."target_handle",
          "t0"."post_id",
          "t0"."in_reply_to",
          "t0"."text",
          "t0"."url",
          "t0"."agent",
          CASE
            WHEN "t0"."kind" IN ('reply', 'comment')
            THEN 'replies'
            WHEN "t0"."kind" = 'share'
            THEN 'shares'
            WHEN "t0"."kind" = 'like'
            THEN 'likes'
            ELSE CAST(NULL AS TEXT)
          END AS "reaction"
        FROM "interactions" AS "t0"
        WHERE
          "t0"."direction" = 'inbound'
          AND "t0"."post_id" IS NOT NULL
          AND "t0"."platform" = 'x'
          AND "t0"."post_id" = '1'
          AND CASE
            WHEN "t0"."kind" IN ('reply', 'comment')
            THEN 'replies'
            WHEN "t0"."kind" = 'share'
            THEN 'shares'
            WHEN "t0"."kind" = 'like'
            THEN 'likes'
            ELSE CAST(NULL AS TEXT)
          END = 'likes'
      ) AS "t8"
      LEFT OUTER JOIN (
        SELECT
          "t1"."kind" AS "link_kind",
          "t1"."value" AS "link_value",
          "t1"."person_id" AS "link_person"
        FROM "person_links" AS "t1"
      ) AS "t5"
        ON "t5"."link_kind" = 'handle:' || "t8"."platform"
        AND "t5"."link_value" = "t8"."actor_handle"
      LEFT OUTER JOIN (
        SELECT
          "t2"."kind" AS "identity_kind",
          "t2"."value" AS "identity_value",
          "t2"."person_ref"
        FROM "identities" AS "t2"
      ) AS "t6"
        ON "t6"."identity_kind" = 'handle:' || "t8"."platform"
        AND "t6"."identity_value" = "t8"."actor_handle"
    ) AS "t9"
  ) AS "t10"
) AS "t11"
ORDER BY
  "t11"."created_at" ASC,
  "t11"."interaction_id" ASC
