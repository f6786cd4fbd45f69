WITH "t7" AS (
  SELECT
    "t6"."platform",
    "t6"."handle",
    DATE_TRUNC('MONTH', "t6"."date") AS "period",
    FIRST("t6"."followers" ORDER BY "t6"."date" DESC) AS "end_followers",
    FIRST("t6"."following" ORDER BY "t6"."date" DESC) AS "end_following",
    FIRST("t6"."followers" ORDER BY "t6"."date") AS "start_followers",
    MAX("t6"."date") AS "last_date"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t2"."platform",
        "t2"."handle",
        "t2"."date",
        "t2"."followers",
        "t2"."following"
      FROM "audience_snapshots" AS "t2"
      SEMI JOIN (
        SELECT
          "t1"."platform",
          "t1"."handle"
        FROM "accounts" AS "t1"
        WHERE
          "t1"."owner" = 'brand'
      ) AS "t4"
        ON "t2"."platform" = "t4"."platform" AND "t2"."handle" = "t4"."handle"
    ) AS "t5"
    WHERE
      "t5"."platform" = 'x' AND "t5"."date" <= MAKE_DATE(2026, 3, 31)
  ) AS "t6"
  GROUP BY
    1,
    2,
    3
)
SELECT
  "t18"."period",
  "t18"."platform",
  "t18"."followers",
  "t18"."following",
  CAST("t18"."following" AS DOUBLE) / NULLIF(CAST("t18"."followers" AS DOUBLE), 0.0) AS "following_follower_ratio",
  "t18"."followers" - "t18"."base" AS "net_growth",
  CAST("t18"."followers" - "t18"."base" AS DOUBLE) / NULLIF(CAST("t18"."base" AS DOUBLE), 0.0) AS "growth_rate"
FROM (
  SELECT
    "t17"."period",
    "t17"."platform",
    SUM("t17"."followers") AS "followers",
    SUM("t17"."following") AS "following",
    SUM("t17"."base") AS "base",
    MAX("t17"."last_date") AS "last_date"
  FROM (
    SELECT
      "t16"."platform",
      "t16"."handle",
      "t16"."period",
      "t16"."last_date",
      "t16"."followers",
      "t16"."following",
      "t16"."first_followers",
      COALESCE(
        LAG("t16"."followers") OVER (
          PARTITION BY "t16"."platform", "t16"."handle"
          ORDER BY "t16"."period" ASC
          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
        ),
        "t16"."first_followers"
      ) AS "base"
    FROM (
      SELECT
        "t15"."platform",
        "t15"."handle",
        "t15"."period",
        "t15"."last_date",
        FIRST("t15"."kfollowers" ORDER BY "t15"."kperiod" DESC) AS "followers",
        FIRST("t15"."kfollowing" ORDER BY "t15"."kperiod" DESC) AS "following",
        FIRST("t15"."kstart" ORDER BY "t15"."kperiod") AS "first_followers"
      FROM (
        SELECT
          "t14"."platform",
          "t14"."period",
          "t14"."last_date",
          "t13"."fh" AS "handle",
          "t12"."kp",
          "t12"."kh",
          "t12"."kperiod",
          "t12"."kfollowers",
          "t12"."kfollowing",
          "t12"."kstart"
        FROM (
          SELECT
            "t8"."platform",
            "t8"."period",
            MAX("t8"."last_date") AS "last_date"
          FROM "t7" AS "t8"
          GROUP BY
            1,
            2
        ) AS "t14"
        INNER JOIN (
          SELECT
            "t8"."platform" AS "fp",
            "t8"."handle" AS "fh",
            MIN("t8"."period") AS "first_period"
          FROM "t7" AS "t8"
          GROUP BY
            1,
            2
        ) AS "t13"
          ON "t14"."platform" = "t13"."fp" AND "t14"."period" >= "t13"."first_period"
        INNER JOIN (
          SELECT
            "t8"."platform" AS "kp",
            "t8"."handle" AS "kh",
            "t8"."period" AS "kperiod",
            "t8"."end_followers" AS "kfollowers",
            "t8"."end_following" AS "kfollowing",
            "t8"."start_followers" AS "kstart"
          FROM "t7" AS "t8"
        ) AS "t12"
          ON "t14"."platform" = "t12"."kp"
          AND "t13"."fh" = "t12"."kh"
          AND "t12"."kperiod" <= "t14"."period"
      ) AS "t15"
      GROUP BY
        1,
        2,
        3,
        4
    ) AS "t16"
  ) AS "t17"
  GROUP BY
    1,
    2
) AS "t18"
WHERE
  "t18"."last_date" >= MAKE_DATE(2026, 3, 1)
