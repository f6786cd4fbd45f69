SELECT
  "t20"."period",
  "t20"."people_active",
  "t20"."repeat_interactors",
  "t20"."new_people",
  CAST("t20"."repeat_interactors" AS DOUBLE) / NULLIF(CAST("t20"."people_active" AS DOUBLE), 0.0) AS "regular_share_of_people",
  "t20"."interactions",
  CAST("t20"."regular_interactions" AS DOUBLE) / NULLIF(CAST("t20"."interactions" AS DOUBLE), 0.0) AS "interactions_from_regulars_share",
  CAST("t20"."one_off_interactions" AS DOUBLE) / NULLIF(CAST("t20"."interactions" AS DOUBLE), 0.0) AS "one_off_share"
FROM (
  SELECT
    "t19"."period",
    COUNT(*) AS "people_active",
    COUNT(*) FILTER(WHERE
      "t19"."repeat") AS "repeat_interactors",
    COUNT(*) FILTER(WHERE
      "t19"."first") AS "new_people",
    SUM("t19"."interactions") AS "interactions",
    COALESCE(SUM("t19"."interactions") FILTER(WHERE
      "t19"."repeat"), 0) AS "regular_interactions",
    COALESCE(SUM("t19"."interactions") FILTER(WHERE
      "t19"."first"), 0) AS "one_off_interactions"
  FROM (
    SELECT
      "t18"."person",
      "t18"."period",
      "t18"."index",
      "t18"."interactions",
      (
        LAG("t18"."index") OVER (
          PARTITION BY "t18"."person"
          ORDER BY "t18"."index" ASC
          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
        ) IS NOT NULL
      )
      AND (
        (
          "t18"."index" - LAG("t18"."index") OVER (
            PARTITION BY "t18"."person"
            ORDER BY "t18"."index" ASC
            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
          )
        ) < 3
      ) AS "repeat",
      LAG("t18"."index") OVER (
        PARTITION BY "t18"."person"
        ORDER BY "t18"."index" ASC
        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
      ) IS NULL AS "first"
    FROM (
      SELECT
        "t17"."person",
        "t17"."period",
        "t17"."index",
        SUM("t17"."interactions") AS "interactions"
      FROM (
        SELECT
          "t16"."platform",
          "t16"."actor_handle",
          "t16"."period",
          "t16"."index",
          "t16"."interactions",
          COALESCE(
            "t16"."link_person",
            "t16"."person_ref",
            "t16"."platform" || ':' || "t16"."actor_handle"
          ) AS "person"
        FROM (
          SELECT
            "t15"."platform",
            "t15"."actor_handle",
            "t15"."period",
            "t15"."index",
            "t15"."interactions",
            "t6"."link_kind",
            "t6"."link_value",
            "t6"."link_person",
            "t7"."identity_kind",
            "t7"."identity_value",
            "t7"."person_ref"
          FROM (
            SELECT
              "t13"."platform",
              "t13"."actor_handle",
              CAST(DATE_TRUNC('MONTH', "t13"."created_at") AS DATE) AS "period",
              (
                (
                  EXTRACT(year FROM "t13"."created_at") * 12
                ) + EXTRACT(month FROM "t13"."created_at")
              ) - 1 AS "index",
              COUNT(*) AS "interactions"
            FROM (
              SELECT
                *
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
                  "t11"."agent"
                FROM (
                  SELECT
                    *
                  FROM "interactions" AS "t2"
                  WHERE
                    "t2"."direction" = 'inbound' AND NOT (
                      "t2"."kind" IN ('unfollow')
                    )
                ) AS "t11"
                SEMI JOIN (
                  SELECT
                    "t3"."platform",
                    "t3"."handle"
                  FROM "accounts" AS "t3"
                  WHERE
                    "t3"."owner" = 'brand'
                ) AS "t10"
                  ON "t11"."platform" = "t10"."platform" AND "t11"."target_handle" = "t10"."handle"
              ) AS "t12"
              WHERE
                "t12"."platform" = 'x'
                AND "t12"."created_at" < MAKE_TIMESTAMP(2026, 4, 1, 0, 0, 0.0)
            ) AS "t13"
            GROUP BY
              1,
              2,
              3,
              4
          ) AS "t15"
          LEFT OUTER JOIN (
            SELECT
              "t0"."kind" AS "link_kind",
              "t0"."value" AS "link_value",
              "t0"."person_id" AS "link_person"
            FROM "person_links" AS "t0"
          ) AS "t6"
            ON "t6"."link_kind" = 'handle:' || "t15"."platform"
            AND "t6"."link_value" = "t15"."actor_handle"
          LEFT OUTER JOIN (
            SELECT
              "t1"."kind" AS "identity_kind",
              "t1"."value" AS "identity_value",
              "t1"."person_ref"
            FROM "identities" AS "t1"
          ) AS "t7"
            ON "t7"."identity_kind" = 'handle:' || "t15"."platform"
            AND "t7"."identity_value" = "t15"."actor_handle"
        ) AS "t16"
      ) AS "t17"
      GROUP BY
        1,
        2,
        3
    ) AS "t18"
  ) AS "t19"
  GROUP BY
    1
) AS "t20"
WHERE
  "t20"."period" >= MAKE_DATE(2026, 3, 1)
