"""Spine benchmark: generate --scale data, time import and the full metric suite, side by side
with hand-written raw DuckDB doing the same work.

    .venv/bin/python benchmarks/run.py                       # 1M and 10M interactions
    .venv/bin/python benchmarks/run.py --sizes 200000 --keep
    .venv/bin/python benchmarks/run.py --sizes 50000000 --import-only

**Import.** Three runs over the same Parquet files, each in its own process (so each peak RSS
is its own), with the same DuckDB ``memory_limit`` and ``temp_directory`` (goodwill's
defaults: half the RAM, spill beside the database):

* ``goodwill import`` — validates every row (types, enums, required values, fx rates),
  quarantines bad rows with file/line/column/reason, normalises handles and timestamps,
  de-duplicates on each table's key (last row wins), converts money, merges into the keyed
  tables in one transaction, derives people and classifies every visit's channel (reading
  the visits file again after its insert, not the appended rows back: DuckDB scans a
  transaction's own appended rows on one thread). DuckDB
  reads the Parquet itself: one streaming pass over the key columns counts the rows and
  whether a key repeats, the next validates every row and inserts the good ones (its row
  count says whether any were bad; only then a third pass quarantines them). The large
  tables (``interactions``, ``visits``, ``identities``, ``conversions``, ``visit_channels``:
  ``engine.duckdb.UNINDEXED_KEYS``) have no primary key: their writers keep the key unique
  (the import by its key pass, window and joins that spill, instead of an index held in
  memory); the small tables keep theirs.
* ``keyed copy`` — ``CREATE TABLE`` with goodwill's schema (the same primary keys, so none on
  the tables of ``UNINDEXED_KEYS``: the comparison stays like for like) and one ``INSERT ...
  SELECT`` per file that only casts and lower-cases handles: no validation, no trimming of
  text, no quarantine, no dedupe (a repeated key would abort it, or on an unindexed table be
  stored twice), no money conversion, no people, no
  channels; it does write the same rows into the same tables with the same primary keys, in
  one transaction, under the same memory limit.
* ``raw copy`` — ``CREATE TABLE AS SELECT`` of the same projections: no keys at all.

Each run prints its wall seconds, its CPU seconds (user + system, all of DuckDB's threads) and
its peak RSS; on a shared machine the CPU seconds are the steadier measure of the work done.
goodwill's CPU and wall seconds are also printed per step; ``--threads`` adds how many threads
each step kept at work (sampled every 20 ms: a figure the load does not change, unlike CPU /
wall), ``--memory-trace SECONDS`` its memory.

**Metrics.** Before the queries run, both warehouses get what ``goodwill import`` does not
write: labels for every inbound text interaction (deterministic, by a hash of its id,
standing in for ``goodwill enrich-labels``) and link clicks (one per visit a tracked link
brought, 2 s before it, and a second click for about a quarter of them, standing in for the
collector's ``GET /r/<code>`` log); goodwill's warehouse is resolved by ``goodwill people
resolve``'s rules (no probabilistic step; its time is printed). The baseline warehouse is the
keyed copy plus goodwill's visit channels, people and ``person_links`` (classification and
resolution are not the baseline's work), and its money is converted to the reporting currency
by a hand-written fx update (the keyed copy does not convert; not timed). Every query of
``goodwill metrics`` and the scorecard run through Ibis in one
:func:`goodwill.metrics.shared.shared_tables` block, as a query set does: the care threads,
the attention person-months, the funnel journeys, the reactions per post and the classified
visits are each computed once and read by every query that needs them (each SQL baseline
stands alone and recomputes them; the first query to use a shared table pays for it). Each
query is timed (wall-clock and CPU seconds of the process, DuckDB's threads included; the
Ibis build and compile seconds are timed apart, on a second build) against a hand-written
SQL baseline that implements the documented formula, and the two results are compared row
by row on the baseline's columns, relative tolerance 1e-6 (``same`` or ``DIFFER``). The
scorecard is compared as ``name, value, previous`` for the last month with data.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, cast

import duckdb
import pandas as pd
from rich.console import Console
from rich.table import Table

console = Console(width=140)

HANDLE = "lower(ltrim({c}, '@')) AS {c}"
RAW_LOAD = {
    "accounts": "SELECT platform, " + HANDLE.format(c="handle") + ", owner, display_name",
    "posts": "SELECT platform, post_id, " + HANDLE.format(c="handle") + ", "
    "CAST(created_at AS TIMESTAMP) AS created_at, text, url, campaign, link_code",
    "post_stats": "SELECT *",
    "interactions": "SELECT platform, interaction_id, CAST(created_at AS TIMESTAMP) AS created_at, "
    "kind, direction, "
    + HANDLE.format(c="actor_handle")
    + ", actor_name, "
    + HANDLE.format(c="target_handle")
    + ", post_id, in_reply_to, text, url, agent",
    "audience_snapshots": "SELECT platform, " + HANDLE.format(c="handle") + ", "
    "CAST(date AS DATE) AS date, followers, following",
    "visits": "SELECT *",
    "conversions": "SELECT *",
    "costs": "SELECT *",
    "identities": "SELECT kind, lower(value) AS value, person_ref, display_name",
    "links": "SELECT *",
    "key_messages": "SELECT *",
    "fx_rates": "SELECT *",
}

LABELS = """
INSERT INTO interaction_labels
    (platform, interaction_id, sentiment, sentiment_score, intent, model, labelled_at)
SELECT platform, interaction_id,
       CASE WHEN h < 3 THEN 'negative' WHEN h < 6 THEN 'neutral' ELSE 'positive' END,
       CASE WHEN h < 3 THEN -0.7 + h * 0.1 WHEN h < 6 THEN 0.0 ELSE 0.2 + h * 0.05 END,
       CASE WHEN h < 3 THEN 'complaint' WHEN h < 5 THEN 'question'
            WHEN h < 8 THEN 'praise' ELSE 'other' END,
       'bench@1', TIMESTAMP '2027-01-01'
FROM (SELECT platform, interaction_id, hash(interaction_id) % 10 AS h FROM interactions
      WHERE direction = 'inbound' AND text IS NOT NULL)
"""

# the collector's click log (GET /r/<code>), which `goodwill import` does not write: one click
# 2 s before each visit a tracked link brought, and a second click by the same visitor (one
# that started no new visit) for about a quarter of them (deterministic, by a hash of the id)
CLICKS = """
INSERT INTO link_clicks (click_id, code, clicked_at, visitor_id, referrer, person_ref)
SELECT 'k-' || visit_id, link_code, started_at - INTERVAL 2 SECOND, visitor_id, referrer, NULL
FROM visits WHERE link_code IS NOT NULL
UNION ALL
SELECT 'k2-' || visit_id, link_code, started_at + INTERVAL 5 MINUTE, visitor_id, referrer, NULL
FROM visits WHERE link_code IS NOT NULL AND hash(visit_id) % 4 = 0
"""

# money in the reporting currency (the default, USD), which the keyed copy does not convert:
# other currencies at the fx rate of the row's day or the latest earlier one
_TO_REPORTING = """
UPDATE {table} SET {out} = CASE
    WHEN currency IS NULL OR currency = 'USD' THEN {amount}
    ELSE CAST({amount} * (SELECT CAST(arg_max(r.rate, r.date) AS DECIMAL(18, 6)) FROM fx_rates r
                          WHERE r.currency = {table}.currency AND r.date <= {day})
              AS DECIMAL(18, 4)) END
"""
MONEY = [
    _TO_REPORTING.format(
        table="conversions", out="value_reporting", amount="value", day="occurred_at::DATE"
    ),
    _TO_REPORTING.format(
        table="costs", out="amount_reporting", amount="amount", day="period_start"
    ),
]

# an interaction's person (PERSON_RULE of goodwill.metrics.common): the resolved person of its
# handle, else the handle's identities.person_ref, else platform:handle
_PERSON = """coalesce(pl.person_id, id.person_ref, i.platform || ':' || i.actor_handle)"""
_PERSON_JOINS = """
    LEFT JOIN person_links pl ON pl.kind = 'handle:' || i.platform AND pl.value = i.actor_handle
    LEFT JOIN identities id ON id.kind = 'handle:' || i.platform AND id.value = i.actor_handle"""

# attention (loyalty, relationships): inbound interactions but unfollow to a brand account
_ATTENTION = f"""
    SELECT {_PERSON} AS who, i.created_at
    FROM interactions i
    JOIN accounts a ON a.platform = i.platform AND a.handle = i.target_handle
         AND a.owner = 'brand'{_PERSON_JOINS}
    WHERE i.direction = 'inbound' AND i.kind <> 'unfollow'"""

# orders of resolved people (relationships): person by customer id, else e-mail, else visitor
_RESOLVED_ORDERS = """
    SELECT coalesce(c.person_id, e.person_id, v.person_id) AS who, k.occurred_at,
           coalesce(CAST(k.value_reporting AS DOUBLE), 0.0) AS value
    FROM conversions k
    LEFT JOIN person_links c ON c.kind = 'customer' AND c.value = k.customer_id
    LEFT JOIN person_links e ON e.kind = 'email' AND e.value = k.email
    LEFT JOIN person_links v ON v.kind = 'visitor' AND v.value = k.visitor_id
    WHERE k.kind = 'order' AND coalesce(c.person_id, e.person_id, v.person_id) IS NOT NULL"""

# the scorecard of the last month with data (value) and the month before (previous)
_SCORECARD = f"""
WITH mo AS (
    SELECT date_trunc('month', max(d))::DATE AS m FROM (
        SELECT max(created_at)::DATE AS d FROM posts
        UNION ALL SELECT max(created_at)::DATE FROM interactions
        UNION ALL SELECT max(date) FROM audience_snapshots
        UNION ALL SELECT max(started_at)::DATE FROM visits
        UNION ALL SELECT max(occurred_at)::DATE FROM conversions)),
months AS (SELECT m AS month, 'value' AS col FROM mo
           UNION ALL SELECT (m - INTERVAL 1 MONTH)::DATE, 'previous' FROM mo),
snap AS (SELECT s.* FROM audience_snapshots s JOIN accounts a USING (platform, handle)
         WHERE a.owner = 'brand'),
fol_end AS (  -- each brand account's last snapshot on or before the month's end
    SELECT x.month, s.platform, s.handle, arg_max(s.followers, s.date) AS f,
           arg_min(s.followers, s.date) AS first_f
    FROM months x JOIN snap s ON s.date < x.month + INTERVAL 1 MONTH GROUP BY ALL),
fol_before AS (  -- ... and on or before the previous month's end
    SELECT x.month, s.platform, s.handle, arg_max(s.followers, s.date) AS f
    FROM months x JOIN snap s ON s.date < x.month GROUP BY ALL),
aud AS (
    SELECT e.month, sum(e.f) AS followers, sum(e.f - coalesce(b.f, e.first_f)) AS net_growth
    FROM fol_end e LEFT JOIN fol_before b USING (month, platform, handle) GROUP BY 1),
per_post AS (
    SELECT platform, post_id,
           count(*) FILTER (WHERE kind IN ('reply', 'comment')) AS r,
           count(*) FILTER (WHERE kind = 'share') AS s, count(*) FILTER (WHERE kind = 'like') AS l
    FROM interactions WHERE direction = 'inbound' AND post_id IS NOT NULL GROUP BY ALL),
eng AS (
    SELECT date_trunc('month', p.created_at)::DATE AS month, count(*) AS posts,
           sum(coalesce(r, 0)) AS replies, sum(coalesce(s, 0)) AS shares,
           sum(coalesce(l, 0)) AS likes
    FROM posts p JOIN accounts a ON a.platform = p.platform AND a.handle = p.handle
         AND a.owner = 'brand'
    LEFT JOIN per_post x ON x.platform = p.platform AND x.post_id = p.post_id GROUP BY 1),
lis AS (
    SELECT date_trunc('month', i.created_at)::DATE AS month,
           count(*) FILTER (WHERE a.owner = 'brand') AS mentions,
           count(*) FILTER (WHERE a.owner = 'competitor') AS competitor_mentions
    FROM interactions i JOIN accounts a ON a.platform = i.platform AND a.handle = i.target_handle
    WHERE i.kind = 'mention' AND i.direction = 'inbound' GROUP BY 1),
pm AS (SELECT DISTINCT who, date_trunc('month', created_at)::DATE AS month FROM ({_ATTENTION})),
loy AS (
    SELECT a.month, count(*) AS people_active,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM pm b WHERE b.who = a.who AND b.month < a.month
               AND b.month >= a.month - INTERVAL 2 MONTH)) AS repeat_interactors
    FROM pm a WHERE a.month IN (SELECT month FROM months) GROUP BY 1),
vis AS (
    SELECT date_trunc('month', v.started_at)::DATE AS month, count(*) AS visits,
           count(*) FILTER (WHERE c.channel IN ('social', 'paid_social')) AS social
    FROM visits v LEFT JOIN visit_channels c USING (visit_id) GROUP BY 1),
conv AS (
    SELECT date_trunc('month', occurred_at)::DATE AS month,
           count(*) FILTER (WHERE kind = 'lead') AS leads,
           count(*) FILTER (WHERE kind = 'order') AS orders,
           coalesce(sum(CAST(value_reporting AS DOUBLE)) FILTER (WHERE kind = 'order'), 0)
           - coalesce(sum(abs(CAST(value_reporting AS DOUBLE))) FILTER (WHERE kind = 'refund'), 0)
           AS revenue
    FROM conversions GROUP BY 1),
cost AS (
    SELECT x.month, sum(CAST(c.amount_reporting AS DOUBLE)
               * (date_diff('day', greatest(c.period_start, x.month),
                            least(c.period_end,
                                  (x.month + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE)) + 1)
               / (date_diff('day', c.period_start, c.period_end) + 1)) AS social_cost
    FROM months x JOIN costs c ON c.period_start < x.month + INTERVAL 1 MONTH
         AND c.period_end >= x.month GROUP BY 1),
w AS (
    SELECT x.col,
           CAST(aud.followers AS DOUBLE) AS followers, CAST(aud.net_growth AS DOUBLE) AS net_growth,
           CAST(coalesce(eng.posts, 0) AS DOUBLE) AS posts,
           eng.replies / nullif(eng.posts, 0) AS conversation_rate,
           eng.shares / nullif(eng.posts, 0) AS amplification_rate,
           eng.likes / nullif(eng.posts, 0) AS applause_rate,
           CAST(coalesce(lis.mentions, 0) AS DOUBLE) AS mentions,
           lis.mentions / nullif(lis.mentions + lis.competitor_mentions, 0) AS share_of_voice,
           CAST(coalesce(loy.people_active, 0) AS DOUBLE) AS people_active,
           CAST(coalesce(loy.repeat_interactors, 0) AS DOUBLE) AS repeat_interactors,
           CAST(coalesce(vis.visits, 0) AS DOUBLE) AS visits,
           vis.social / nullif(vis.visits, 0) AS social_share_of_visits,
           CAST(coalesce(conv.leads, 0) AS DOUBLE) AS leads,
           CAST(coalesce(conv.orders, 0) AS DOUBLE) AS orders,
           coalesce(conv.revenue, 0.0) AS revenue,
           coalesce(cost.social_cost, 0.0) AS social_cost
    FROM months x LEFT JOIN aud USING (month) LEFT JOIN eng USING (month)
    LEFT JOIN lis USING (month) LEFT JOIN loy USING (month) LEFT JOIN vis USING (month)
    LEFT JOIN conv USING (month) LEFT JOIN cost USING (month))
SELECT name, max(v) FILTER (WHERE col = 'value') AS value,
       max(v) FILTER (WHERE col = 'previous') AS previous
FROM (UNPIVOT w ON COLUMNS(* EXCLUDE (col)) INTO NAME name VALUE v) GROUP BY name
"""

# the brand's inbound messages that need an answer, their first response and resolution:
# the definitions of goodwill.metrics.care in plain SQL (default calendar Mon-Fri 09-17 UTC)
_CARE_THREADS = """
WITH brand AS (SELECT platform, handle FROM accounts WHERE owner = 'brand'),
inbound AS (
    SELECT i.platform, i.interaction_id, i.target_handle AS account, i.actor_handle,
           i.created_at, i.text, l.intent, CAST(l.sentiment_score AS DOUBLE) AS sentiment_score
    FROM interactions i JOIN brand b ON b.platform = i.platform AND b.handle = i.target_handle
    LEFT JOIN interaction_labels l
         ON l.platform = i.platform AND l.interaction_id = i.interaction_id
    WHERE i.direction = 'inbound' AND i.kind IN ('mention', 'reply', 'comment', 'dm')),
first AS (
    SELECT platform, in_reply_to, actor_handle AS responder, min(created_at) AS first_at,
           arg_min_null(coalesce(nullif(agent, ''),
                            nullif(regexp_extract(text, '\\^([A-Za-z]{2,4})\\b', 1), '')),
                   created_at) AS agent
    FROM interactions WHERE direction = 'outbound' AND in_reply_to IS NOT NULL GROUP BY ALL),
t AS (
    SELECT n.*, f.first_at, f.agent,
           (epoch(f.first_at) - epoch(n.created_at)) / 3600.0 AS response_hours
    FROM inbound n LEFT JOIN first f ON f.platform = n.platform
         AND f.in_reply_to = n.interaction_id AND f.responder = n.account
    WHERE n.intent IS NULL OR n.intent IN ('complaint', 'question')),
span AS (SELECT min(created_at)::DATE - 1 AS lo, max(created_at)::DATE + 1 AS hi
         FROM interactions),
cal AS (
    SELECT d + INTERVAL 9 HOUR AS o, d + INTERVAL 17 HOUR AS c
    FROM span, generate_series(span.lo::TIMESTAMP, span.hi::TIMESTAMP, INTERVAL 1 DAY) g(d)
    WHERE isodow(d) <= 5),
biz AS (
    SELECT platform, interaction_id,
           sum(epoch(least(first_at, c)) - epoch(greatest(created_at, o))) AS s
    FROM t JOIN cal ON cal.o < t.first_at AND cal.c > t.created_at GROUP BY ALL),
later AS (
    SELECT platform, account, actor_handle, created_at AS cat FROM inbound
    WHERE intent = 'complaint'),
res AS (
    SELECT t.platform, t.interaction_id, count(l.cat) AS repeats
    FROM t JOIN later l ON l.platform = t.platform AND l.account = t.account
         AND l.actor_handle = t.actor_handle AND l.cat > t.first_at
         AND l.cat <= t.first_at + INTERVAL 7 DAY
    GROUP BY ALL)
SELECT t.*, CASE WHEN first_at IS NULL THEN NULL ELSE coalesce(biz.s, 0) / 3600.0 END
       AS business_hours,
       t.intent = 'complaint' AND first_at IS NOT NULL AND coalesce(res.repeats, 0) = 0
       AS resolved
FROM t LEFT JOIN biz USING (platform, interaction_id) LEFT JOIN res USING (platform, interaction_id)
"""

_FUNNEL_JOURNEYS = """
WITH pid AS (
    SELECT coalesce(l.kind, i.kind) AS kind, coalesce(l.value, i.value) AS value,
           coalesce(l.person_id, i.person_ref) AS person
    FROM identities i FULL JOIN person_links l ON l.kind = i.kind AND l.value = i.value),
touch AS (
    SELECT coalesce(l.person_id, i.person_ref, x.platform || ':' || x.actor_handle) AS person,
           min(x.created_at) AS touch_at
    FROM interactions x
    LEFT JOIN person_links l ON l.kind = 'handle:' || x.platform AND l.value = x.actor_handle
    LEFT JOIN identities i ON i.kind = 'handle:' || x.platform AND i.value = x.actor_handle
    WHERE x.direction = 'inbound' GROUP BY 1),
conv AS (
    SELECT coalesce(c.person, e.person, w.person) AS person, k.occurred_at AS at, k.kind,
           k.visitor_id
    FROM conversions k
    LEFT JOIN pid c ON c.kind = 'customer' AND c.value = k.customer_id
    LEFT JOIN pid e ON e.kind = 'email' AND e.value = k.email
    LEFT JOIN pid w ON w.kind = 'visitor' AND w.value = k.visitor_id),
known AS (SELECT * FROM conv WHERE person IS NOT NULL),
vp AS (SELECT value AS v, person FROM pid WHERE kind = 'visitor'
       UNION SELECT visitor_id, person FROM known WHERE visitor_id IS NOT NULL),
fv AS (SELECT t.person, min(v.started_at) AS visit_at
       FROM touch t JOIN vp ON vp.person = t.person JOIN visits v ON v.visitor_id = vp.v
       WHERE v.started_at >= t.touch_at GROUP BY 1),
fc AS (SELECT t.person,
              min(c.at) FILTER (WHERE c.kind IN ('lead', 'signup', 'order')) AS lead_at,
              min(c.at) FILTER (WHERE c.kind = 'order') AS order_at
       FROM touch t JOIN known c ON c.person = t.person WHERE c.at >= t.touch_at GROUP BY 1)
SELECT t.person, t.touch_at, visit_at, lead_at, order_at
FROM touch t LEFT JOIN fv USING (person) LEFT JOIN fc USING (person)
"""

BASELINES: dict[str, str] = {
    "top_posts": """
        WITH e AS (SELECT platform, post_id,
                          count(*) FILTER (WHERE kind IN ('reply', 'comment')) AS r,
                          count(*) FILTER (WHERE kind = 'share') AS s,
                          count(*) FILTER (WHERE kind = 'like') AS l
                   FROM interactions WHERE direction = 'inbound' GROUP BY ALL),
             p AS (SELECT p.platform, p.post_id, p.created_at, coalesce(r, 0) AS replies,
                          coalesce(s, 0) AS shares, coalesce(l, 0) AS likes,
                          coalesce(r, 0) + coalesce(s, 0) + coalesce(l, 0) AS engagements
                   FROM posts p JOIN accounts a USING (platform, handle)
                   LEFT JOIN e USING (platform, post_id) WHERE a.owner = 'brand')
        SELECT row_number() OVER (ORDER BY engagements DESC, created_at DESC, platform, post_id)
               AS rank, platform, post_id, replies, shares, likes, engagements
        FROM p ORDER BY rank LIMIT 20""",
    "funnel": f"""
        WITH j AS ({_FUNNEL_JOURNEYS}),
        a AS (SELECT count(*) AS social, count(visit_at) AS visit,
                     count(*) FILTER (WHERE visit_at IS NOT NULL AND lead_at IS NOT NULL) AS lead,
                     count(*) FILTER (WHERE visit_at IS NOT NULL AND lead_at IS NOT NULL
                                      AND order_at IS NOT NULL) AS customer FROM j)
        SELECT 1 AS step_no, social AS people FROM a UNION ALL SELECT 2, visit FROM a
        UNION ALL SELECT 3, lead FROM a UNION ALL SELECT 4, customer FROM a""",
    "funnel_days": f"""
        WITH j AS ({_FUNNEL_JOURNEYS}),
        m AS (SELECT 'lead' AS milestone, date_diff('day', touch_at::DATE, lead_at::DATE) AS days
              FROM j WHERE lead_at IS NOT NULL
              UNION ALL
              SELECT 'order', date_diff('day', touch_at::DATE, order_at::DATE)
              FROM j WHERE order_at IS NOT NULL)
        SELECT milestone, days, count(*) AS people FROM m GROUP BY ALL""",
    "audience": """
        WITH s AS (
            SELECT s.platform, date_trunc('month', s.date)::DATE AS period, s.handle,
                   arg_max(s.followers, s.date) AS f, arg_max(s.following, s.date) AS g
            FROM audience_snapshots s JOIN accounts a USING (platform, handle)
            WHERE a.owner = 'brand' GROUP BY ALL)
        SELECT platform, period, sum(f) AS followers, sum(g) AS following
        FROM s GROUP BY platform, period""",
    "engagement": """
        WITH p AS (SELECT p.* FROM posts p JOIN accounts a USING (platform, handle)
                   WHERE a.owner = 'brand'),
             e AS (SELECT platform, post_id,
                          count(*) FILTER (WHERE kind IN ('reply', 'comment')) AS r,
                          count(*) FILTER (WHERE kind = 'share') AS s,
                          count(*) FILTER (WHERE kind = 'like') AS l
                   FROM interactions WHERE direction = 'inbound' GROUP BY ALL)
        SELECT date_trunc('month', p.created_at)::DATE AS period, p.platform, count(*) AS posts,
               sum(coalesce(r, 0)) AS replies, sum(coalesce(s, 0)) AS shares,
               sum(coalesce(l, 0)) AS likes
        FROM p LEFT JOIN e USING (platform, post_id) GROUP BY ALL""",
    "post_stats": """
        SELECT date_trunc('month', coalesce(p.created_at, s.as_of::TIMESTAMP))::DATE AS period,
               s.platform, count(*) AS posts, sum(s.impressions) AS impressions,
               sum(s.reach) AS reach, sum(s.reactions) AS reactions,
               sum(s.comments) AS comments, sum(s.shares) AS shares, sum(s.clicks) AS clicks
        FROM (SELECT * FROM post_stats QUALIFY row_number() OVER
              (PARTITION BY platform, post_id ORDER BY as_of DESC) = 1) s
        LEFT JOIN posts p USING (platform, post_id)
        GROUP BY ALL""",
    "listening": """
        SELECT date_trunc('month', i.created_at)::DATE AS period, i.platform,
               count(*) FILTER (WHERE a.owner = 'brand') AS mentions,
               count(DISTINCT i.actor_handle) FILTER (WHERE a.owner = 'brand') AS unique_authors,
               count(*) FILTER (WHERE a.owner = 'competitor') AS competitor_mentions
        FROM interactions i JOIN accounts a
             ON a.platform = i.platform AND a.handle = i.target_handle
        WHERE i.kind = 'mention' AND i.direction = 'inbound' GROUP BY ALL""",
    "reputation": """
        SELECT date_trunc('month', i.created_at)::DATE AS period, i.platform,
               count(*) FILTER (WHERE a.owner = 'brand') AS mentions,
               count(*) FILTER (WHERE a.owner = 'brand' AND l.sentiment = 'positive')
                   AS positive,
               count(*) FILTER (WHERE a.owner = 'brand' AND l.sentiment = 'negative')
                   AS negative
        FROM interactions i JOIN accounts a
             ON a.platform = i.platform AND a.handle = i.target_handle
        JOIN interaction_labels l
             ON l.platform = i.platform AND l.interaction_id = i.interaction_id
        WHERE i.kind IN ('mention', 'reply', 'comment') AND i.direction = 'inbound'
        GROUP BY ALL""",
    "mention_series": """
        SELECT i.created_at::DATE AS period, i.platform, count(*) AS mentions,
               count(*) FILTER (WHERE l.sentiment = 'negative') AS negative
        FROM interactions i JOIN accounts a
             ON a.platform = i.platform AND a.handle = i.target_handle AND a.owner = 'brand'
        LEFT JOIN interaction_labels l
             ON l.platform = i.platform AND l.interaction_id = i.interaction_id
        WHERE i.kind IN ('mention', 'reply', 'comment') AND i.direction = 'inbound'
        GROUP BY ALL""",
    "care": f"""
        SELECT date_trunc('month', created_at)::DATE AS period, platform, account,
               count(*) AS needing_answer, count(first_at) AS answered,
               quantile_cont(response_hours, 0.5) AS frt_median_hours,
               quantile_cont(response_hours, 0.9) AS frt_p90_hours,
               quantile_cont(business_hours, 0.5) AS frt_business_median_hours,
               quantile_cont(business_hours, 0.9) AS frt_business_p90_hours,
               count(*) FILTER (WHERE intent = 'complaint') AS complaints,
               count(*) FILTER (WHERE resolved) AS resolved
        FROM ({_CARE_THREADS}) GROUP BY ALL""",
    "care_agents": f"""
        SELECT platform, account, coalesce(agent, 'unknown') AS agent, count(*) AS answered,
               quantile_cont(response_hours, 0.5) AS frt_median_hours,
               quantile_cont(business_hours, 0.9) AS frt_business_p90_hours,
               count(*) FILTER (WHERE resolved) AS resolved,
               count(*) FILTER (WHERE intent = 'complaint') AS answered_complaints
        FROM ({_CARE_THREADS}) WHERE first_at IS NOT NULL GROUP BY ALL""",
    "unanswered": f"""
        SELECT interaction_id, platform, account, actor_handle, sentiment_score
        FROM ({_CARE_THREADS}) WHERE first_at IS NULL AND intent = 'complaint'""",
    "loyalty": f"""
        WITH act AS (
            SELECT {_PERSON} AS person, date_trunc('month', i.created_at) AS m, count(*) AS n
            FROM interactions i
            JOIN accounts a ON a.platform = i.platform AND a.handle = i.target_handle
                 AND a.owner = 'brand'{_PERSON_JOINS}
            WHERE i.direction = 'inbound' AND i.kind <> 'unfollow' GROUP BY ALL),
        flags AS (
            SELECT a.*, EXISTS (SELECT 1 FROM act b WHERE b.person = a.person AND b.m < a.m
                                AND b.m >= a.m - INTERVAL 2 MONTH) AS regular
            FROM act a)
        SELECT m::DATE AS period, count(*) AS people_active,
               count(*) FILTER (WHERE regular) AS repeat_interactors
        FROM flags GROUP BY ALL""",
    "traffic": """
        SELECT date_trunc('month', v.started_at)::DATE AS period,
               coalesce(c.channel, 'unclassified') AS channel,
               coalesce(c.source, 'unclassified') AS source,
               count(*) AS visits, count(DISTINCT v.visitor_id) AS visitors,
               sum(coalesce(v.pageviews, 1)) AS pageviews
        FROM visits v LEFT JOIN visit_channels c USING (visit_id) GROUP BY ALL""",
    "traffic_share": """
        SELECT date_trunc('month', v.started_at)::DATE AS period, count(*) AS visits,
               count(*) FILTER (WHERE c.channel IN ('social', 'paid_social')) AS social_visits
        FROM visits v LEFT JOIN visit_channels c USING (visit_id) GROUP BY ALL""",
    "traffic_detail": """
        WITH firsts AS (SELECT visitor_id, min(started_at) AS first_at FROM visits GROUP BY 1)
        SELECT date_trunc('month', v.started_at)::DATE AS period,
               coalesce(c.channel, 'unclassified') AS channel,
               coalesce(c.source, 'unclassified') AS source,
               count(*) AS visits, count(DISTINCT v.visitor_id) AS visitors,
               sum(coalesce(v.pageviews, 1)) AS pageviews,
               count(*) FILTER (WHERE coalesce(v.pageviews, 1) >= 2) AS engaged_visits,
               count(DISTINCT v.visitor_id) FILTER (WHERE v.started_at > f.first_at)
                   AS returning_visitors
        FROM visits v LEFT JOIN visit_channels c USING (visit_id)
        LEFT JOIN firsts f USING (visitor_id) GROUP BY ALL""",
    "returning": """
        WITH o AS (  -- a customer: identities (customer, then email), else the order's own ids
            SELECT coalesce(c.person_ref, e.person_ref, 'customer:' || k.customer_id,
                            'email:' || k.email, 'visitor:' || k.visitor_id) AS person,
                   k.occurred_at::DATE AS day
            FROM conversions k
            LEFT JOIN identities c ON c.kind = 'customer' AND c.value = k.customer_id
            LEFT JOIN identities e ON e.kind = 'email' AND e.value = k.email
            WHERE k.kind = 'order'),
        d AS (SELECT DISTINCT person, day FROM o),
        g AS (SELECT person, day, lag(day) OVER (PARTITION BY person ORDER BY day) AS prev FROM d)
        SELECT date_trunc('month', day)::DATE AS period, count(DISTINCT person) AS customers,
               count(DISTINCT person) FILTER (WHERE prev IS NOT NULL) AS returning_customers,
               count(DISTINCT person) - count(DISTINCT person) FILTER (WHERE prev IS NOT NULL)
                   AS new_customers,
               count(DISTINCT person) FILTER (WHERE prev IS NOT NULL)
                   / count(DISTINCT person) AS returning_share,
               count(*) AS purchases,
               avg(date_diff('day', prev, day)) AS mean_days_since_previous
        FROM g GROUP BY 1""",
    "link_clicks": """
        WITH c AS (SELECT code, count(*) AS clicks, count(DISTINCT visitor_id) AS clickers
                   FROM link_clicks GROUP BY 1),
        v AS (SELECT link_code AS code, count(*) AS visits FROM visits
              WHERE link_code IS NOT NULL GROUP BY 1),
        p AS (SELECT code, count(DISTINCT pid) AS posts
              FROM (SELECT link_code AS code, platform || ':' || post_id AS pid FROM posts
                    WHERE link_code IS NOT NULL
                    UNION SELECT code, coalesce(platform, '') || ':' || post_id FROM links
                    WHERE post_id IS NOT NULL) GROUP BY 1)
        SELECT l.code, coalesce(l.platform, '') AS platform, coalesce(l.campaign, '') AS campaign,
               coalesce(c.clicks, 0) AS clicks, coalesce(c.clickers, 0) AS clickers,
               coalesce(v.visits, 0) AS visits, coalesce(p.posts, 0) AS posts,
               coalesce(c.clicks, 0) / nullif(coalesce(p.posts, 0), 0) AS clicks_per_post
        FROM links l LEFT JOIN c USING (code) LEFT JOIN v USING (code) LEFT JOIN p USING (code)""",
    "relationships": f"""
        WITH m AS (SELECT DISTINCT who, date_trunc('month', created_at)::DATE AS period
                   FROM ({_ATTENTION})),
        f AS (SELECT who, date_trunc('month', min(occurred_at))::DATE AS first_order
              FROM ({_RESOLVED_ORDERS}) GROUP BY 1)
        SELECT period, count(*) AS people_attending,
               count(*) FILTER (WHERE f.first_order <= m.period) AS customers_attending,
               count(*) FILTER (WHERE f.first_order <= m.period) / count(*) AS customer_share
        FROM m LEFT JOIN f USING (who) GROUP BY 1""",
    "retention": f"""
        WITH pm AS (SELECT DISTINCT who, date_trunc('month', created_at)::DATE AS m
                    FROM ({_ATTENTION})),
        c AS (SELECT pm.who, pm.m, min(pm.m) OVER (PARTITION BY pm.who) AS cohort FROM pm),
        n AS (SELECT cohort, count(*) FILTER (WHERE m = cohort) AS size,
                     count(*) FILTER (WHERE m = cohort + INTERVAL 1 MONTH) AS m1,
                     count(*) FILTER (WHERE m = cohort + INTERVAL 3 MONTH) AS m3,
                     count(*) FILTER (WHERE m = cohort + INTERVAL 6 MONTH) AS m6
              FROM c GROUP BY 1)
        SELECT cohort AS period, size AS cohort_size, m1 / size AS retention_m1,
               m3 / size AS retention_m3, m6 / size AS retention_m6 FROM n""",
    "customer_engagement": f"""
        WITH cust AS (SELECT who, count(*) AS orders, sum(value) AS revenue
                      FROM ({_RESOLVED_ORDERS}) GROUP BY 1),
        eng AS (SELECT DISTINCT who FROM ({_ATTENTION}))
        SELECT CASE WHEN eng.who IS NULL THEN 'not engaged' ELSE 'engaged' END AS segment,
               count(*) AS customers, sum(revenue) AS revenue,
               sum(revenue) / count(*) AS revenue_per_customer,
               count(*) FILTER (WHERE orders >= 2) / count(*) AS repeat_purchase_rate
        FROM cust LEFT JOIN eng ON eng.who = cust.who GROUP BY 1""",
    "scorecard": _SCORECARD,
}

KEYS: dict[str, list[str]] = {
    "top_posts": ["rank", "platform", "post_id"],
    "funnel": ["step_no"],
    "funnel_days": ["milestone", "days"],
    "audience": ["period", "platform"],
    "engagement": ["period", "platform"],
    "post_stats": ["period", "platform"],
    "listening": ["period", "platform"],
    "reputation": ["period", "platform"],
    "mention_series": ["period", "platform"],
    "care": ["period", "platform", "account"],
    "care_agents": ["platform", "account", "agent"],
    "unanswered": ["platform", "interaction_id"],
    "loyalty": ["period"],
    "traffic": ["period", "channel", "source"],
    "traffic_share": ["period"],
    "traffic_detail": ["period", "channel", "source"],
    "returning": ["period"],
    "link_clicks": ["code", "platform", "campaign"],
    "relationships": ["period"],
    "retention": ["period"],
    "customer_engagement": ["segment"],
    "scorecard": ["name"],
}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


# -- import: one process per run --------------------------------------------------------------
def _settings(con: duckdb.DuckDBPyConnection, db: Path) -> None:
    from goodwill.warehouse import default_memory_limit

    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        f"SET memory_limit = '{os.environ.get('GOODWILL_MEMORY_LIMIT') or default_memory_limit()}'"
    )
    con.execute(f"SET temp_directory = '{db}.tmp'")


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ``ru_maxrss`` it starts afresh at
    exec, so it does not include the forking parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


TRACE_ENV = "GOODWILL_BENCH_MEMORY_TRACE"
"""``--memory-trace``: the goodwill child samples its memory (below) every this many seconds."""


class _MemoryTrace:
    """Samples the process's RSS and DuckDB's own account of its memory (``duckdb_memory()``:
    bytes per tag — base tables, ART indexes, hash tables, transaction-local storage, the
    allocator... — and its temporary files) from a thread on a second connection, with the
    statement running at the time; reports the largest sample and each statement's peak."""

    def __init__(self, log: Path) -> None:
        self.log = log
        log.unlink(missing_ok=True)
        self.now = "start"
        self.every = float(os.environ.get(TRACE_ENV) or 1.0)
        self.peak: dict[str, Any] = {"rss_mb": 0.0}
        self.by_statement: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self._thread = threading.Thread(target=self._run, args=(cursor,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self, cur: duckdb.DuckDBPyConnection) -> None:
        while not self._stop.wait(self.every):
            rss = 0.0
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
            now = self.now
            first = now not in self.by_statement
            self.by_statement[now] = max(self.by_statement.get(now, 0.0), rss)
            if rss <= self.peak["rss_mb"] and not first:
                continue
            tags = {
                str(tag): round(mem / 2**20)
                for tag, mem in cur.execute(
                    "SELECT tag, memory_usage_bytes FROM duckdb_memory() "
                    "WHERE memory_usage_bytes > 0"
                ).fetchall()
            }
            temp = cur.execute(
                "SELECT coalesce(sum(size), 0) FROM duckdb_temporary_files()"
            ).fetchone()
            sample = {
                "rss_mb": round(rss),
                "statement": now,
                "duckdb_mb": tags,
                "duckdb_total_mb": sum(tags.values()),
                "temp_files_mb": round(int(temp[0] if temp else 0) / 2**20),
            }
            with self.log.open("a") as f:  # as it goes: a long run can be watched
                f.write(json.dumps(sample) + "\n")
            if rss > self.peak["rss_mb"]:
                self.peak = sample

    def report(self) -> dict[str, Any]:
        top = sorted(self.by_statement.items(), key=lambda kv: -kv[1])[:8]
        return {"peak": self.peak, "statements_peak_rss_mb": {k: round(v) for k, v in top}}


THREADS_ENV = "GOODWILL_BENCH_THREADS"
"""``--threads``: the goodwill child counts its threads at work per step (below)."""


class _ThreadTrace:
    """Every 20 ms, how many of the process's threads are running or waiting for a core
    (state ``R``), credited to the import step running at the time: the mean is how many
    threads a step keeps at work, whatever the load (CPU / wall-clock is that only on an idle
    machine; at a load of 8 on two cores a two-thread step shows 0.5×). Opt-in: the sampling
    costs this process a little CPU."""

    def __init__(self) -> None:
        self.now: str | None = None
        self.samples: dict[str, list[int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        me = str(threading.get_native_id())
        while not self._stop.wait(0.02):
            step = self.now
            if step is None:
                continue
            running = 0
            for tid in os.listdir("/proc/self/task"):
                if tid == me:
                    continue
                try:
                    stat = Path(f"/proc/self/task/{tid}/stat").read_text()
                except OSError:  # a thread that ended meanwhile
                    continue
                running += stat.rsplit(")", 1)[1].split()[0] == "R"
            got = self.samples.setdefault(step, [0, 0])
            got[0] += running
            got[1] += 1

    def report(self) -> dict[str, float]:
        """Mean threads at work per step (steps sampled at least 5 times)."""
        self._stop.set()
        self._thread.join()
        return {k: round(n / m, 2) for k, (n, m) in self.samples.items() if m >= 5}


def _child(mode: str, data: Path, db: Path) -> None:
    """Run one import ``mode`` and print its seconds and peak RSS as JSON."""
    from goodwill.model import CANONICAL_TABLES

    t0 = time.perf_counter()
    extra: dict[str, Any] = {}
    if mode == "goodwill":
        from goodwill.importer import import_paths
        from goodwill.warehouse import Warehouse

        spent = {"channels_s": 0.0}
        steps: dict[str, float] = {}
        walls: dict[str, float] = {}
        threads = _ThreadTrace() if os.environ.get(THREADS_ENV) else None
        trace = _MemoryTrace(Path(f"{db}.trace")) if os.environ.get(TRACE_ENV) else None

        def step(sql: str) -> str:
            """The import step a statement belongs to (its CPU is summed per step)."""
            words = sql.split()
            if "visit_channels" in sql or "_goodwill_channel" in sql:
                return "channels"
            if sql.lstrip().startswith("SELECT coalesce(sum(n)"):
                return "key passes"
            if words[:2] == ["INSERT", "INTO"] and len(words) > 2:
                return "insert " + words[2]
            if words[:1] == ["COMMIT"]:
                return "commit"
            return "other"

        class Timed:  # the time goodwill spends classifying visits (the baselines do not)
            def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
                self._con = con

            def __getattr__(self, name: str) -> Any:
                return getattr(self._con, name)

            def execute(self, sql: str, *args: Any) -> Any:
                key = step(sql)
                if trace is not None:
                    trace.now = " ".join(sql.split()[:6])[:60]
                if threads is not None:
                    threads.now = key
                t, c = time.perf_counter(), os.times()
                out = self._con.execute(sql, *args)
                c2 = os.times()
                if threads is not None:
                    threads.now = None
                cpu = c2.user + c2.system - c.user - c.system
                steps[key] = steps.get(key, 0.0) + cpu
                walls[key] = walls.get(key, 0.0) + time.perf_counter() - t
                if key == "channels":
                    spent["channels_s"] += time.perf_counter() - t
                return out

        with Warehouse.open(db) as wh:
            if trace is not None:
                trace.start(wh.con.cursor())
            wh.con = Timed(wh.con)  # type: ignore[assignment]
            try:
                s = import_paths(wh, [data], show_progress=False)
            finally:
                if trace is not None:
                    trace.stop()
        extra = {
            "loaded": s.rows_loaded,
            "quarantined": s.rows_quarantined,
            "steps_cpu_s": steps,
            "steps_wall_s": walls,
            **({"steps_threads": threads.report()} if threads is not None else {}),
            **({"memory_trace": trace.report()} if trace is not None else {}),
            **spent,
        }
    else:
        from goodwill.engine.duckdb import table_ddl as _ddl

        con = duckdb.connect(str(db))
        _settings(con, db)
        con.execute("BEGIN")
        for t in CANONICAL_TABLES:
            f = data / f"{t.name}.parquet"
            if mode == "keyed":
                con.execute(_ddl(t))
            if not f.exists():
                continue
            select = f"{RAW_LOAD[t.name]} FROM read_parquet('{f}')"
            if mode == "keyed":
                con.execute(f"INSERT INTO {t.name} BY NAME {select}")
            else:
                con.execute(f"CREATE TABLE {t.name} AS {select}")
        con.execute("COMMIT")
        con.close()
    seconds = time.perf_counter() - t0
    rss = _peak_rss_mb()
    cpu = os.times()
    print(json.dumps({"seconds": seconds, "cpu_s": cpu.user + cpu.system, "rss_mb": rss, **extra}))


def run_import(mode: str, data: Path, db: Path) -> dict[str, Any]:
    db.unlink(missing_ok=True)
    shutil.rmtree(f"{db}.tmp", ignore_errors=True)
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(data), str(db)],
        capture_output=True,
        text=True,
    )
    if out.returncode:  # say why (DuckDB's error), not only that it failed
        raise SystemExit(f"{mode} import of {data} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# -- metrics -----------------------------------------------------------------------------------
def compare(name: str, gw: pd.DataFrame, raw: pd.DataFrame) -> str:
    """``same`` when every baseline column equals goodwill's on the same key, row for row."""
    keys = KEYS[name]
    cols = [c for c in raw.columns if c not in keys]
    g, r = gw[keys + cols].copy(), raw[keys + cols].copy()
    for k in keys:
        if "period" in k:
            g[k], r[k] = pd.to_datetime(g[k]), pd.to_datetime(r[k])
        else:
            g[k], r[k] = g[k].astype(str), r[k].astype(str)
    m = g.merge(r, on=keys, how="outer", suffixes=("_g", "_r"), indicator=True)
    if (m["_merge"] != "both").any():
        return f"DIFFER rows {len(g)} vs {len(r)}"
    for c in cols:
        a = pd.to_numeric(m[f"{c}_g"], errors="coerce").astype(float).to_numpy()
        b = pd.to_numeric(m[f"{c}_r"], errors="coerce").astype(float).to_numpy()
        both_nan = pd.isna(a) & pd.isna(b)
        close = both_nan | (abs(a - b) <= 1e-6 * (1 + abs(b)))
        if not close.all():
            return f"DIFFER {c}"
    return f"same ({len(g)} rows × {len(cols)} cols)"


def _prepare_baseline(gw_db: Path, base_db: Path) -> None:
    """Labels and link clicks in both warehouses; people resolved by goodwill's rules
    (``goodwill people resolve`` without the probabilistic step); goodwill's channels and
    people in the baseline's."""
    from goodwill.people.identity import resolve
    from goodwill.warehouse import Warehouse

    with duckdb.connect(str(gw_db)) as gw:
        gw.execute("DELETE FROM interaction_labels")
        gw.execute(LABELS)
        gw.execute("DELETE FROM link_clicks")
        gw.execute(CLICKS)
    with Warehouse.open(gw_db) as wh:
        res_s, res = timed(lambda: resolve(wh, threshold=2.0, decorations=()))
    console.print(
        f"people resolve (rules only): {res.identities:,} identities, {res.people:,} people, "
        f"{res.deterministic_links:,} links in {res_s:.1f} s"
    )
    with duckdb.connect(str(base_db)) as raw:
        lit = "'" + str(gw_db).replace("'", "''") + "'"  # our own temp path
        for sql in MONEY:
            raw.execute(sql)
        raw.execute(f"ATTACH {lit} AS gw (READ_ONLY)")
        for table in (
            "visit_channels",
            "people",
            "person_links",
            "interaction_labels",
            "link_clicks",
        ):
            raw.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM gw.{table}")
        raw.execute("DETACH gw")


@dataclass
class MetricRow:
    """One query of the suite: goodwill's wall-clock and CPU seconds (CPU: every thread of
    this process, DuckDB's included), of which Ibis building and compiling (timed apart, on a
    second build), and the hand-written SQL's seconds; ``check`` compares the two results."""

    name: str
    gw_s: float
    gw_cpu: float = math.nan
    ibis_s: float = math.nan
    base_s: float | None = None
    base_cpu: float | None = None
    check: str = ""


def _frame(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


def timed_cpu(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall-clock seconds, CPU seconds of this process (all threads) and ``fn()``."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - t0, time.process_time() - c0, out


def run_metrics(gw_db: Path, base_db: Path) -> list[MetricRow]:
    from goodwill.metrics import QUERIES, MetricParams, run_query, scorecard, scorecard_tables
    from goodwill.metrics.scorecard import last_month_with_data
    from goodwill.metrics.shared import shared_tables
    from goodwill.warehouse import Warehouse

    rows: list[MetricRow] = []
    params = MetricParams(by="month")
    raw = duckdb.connect(str(base_db), read_only=True)
    raw.execute("SET TimeZone = 'UTC'")
    limit = os.environ.get("GOODWILL_MEMORY_LIMIT")
    if limit:  # the same memory for both engines (goodwill's Warehouse reads the variable)
        raw.execute(f"SET memory_limit = '{limit}'")

    def ibis_seconds(build: Callable[[], Any]) -> float:
        """Building the query's Ibis expression and compiling it to SQL, again (nothing runs:
        care's threads are already cached by then)."""
        import ibis

        t0 = time.perf_counter()
        exprs = build()
        for expr in exprs if isinstance(exprs, list) else [exprs]:
            ibis.to_sql(expr)
        return time.perf_counter() - t0

    with Warehouse.open(gw_db, read_only=True) as wh, shared_tables():
        backend = wh.ibis()
        for name in QUERIES:
            try:
                gw_s, gw_cpu, gw_df = timed_cpu(partial(run_query, name, backend, params))
            except Exception as exc:  # report, do not hide, a query that fails at scale
                rows.append(MetricRow(name, math.nan, check=f"ERROR {exc}"[:70]))
                continue
            row = MetricRow(name, gw_s, gw_cpu)
            row.ibis_s = ibis_seconds(partial(QUERIES[name].build, backend, params))
            if name not in BASELINES:
                row.check = f"no baseline ({len(gw_df)} rows)"
                rows.append(row)
                continue
            try:
                row.base_s, row.base_cpu, raw_df = timed_cpu(partial(_frame, raw, BASELINES[name]))
            except duckdb.Error as exc:
                row.base_s, row.check = None, f"baseline ERROR {exc}"[:70]
                rows.append(row)
                continue
            row.check = compare(name, gw_df, raw_df)
            rows.append(row)
        sc_s, sc_cpu, sc = timed_cpu(lambda: scorecard(backend))
        sc_df = pd.DataFrame(
            [{"name": r.name, "value": r.value, "previous": r.previous} for r in sc]
        )
        month = last_month_with_data(backend)
        row = MetricRow("scorecard", sc_s, sc_cpu)
        if month is not None:
            row.ibis_s = ibis_seconds(lambda: scorecard_tables(backend, month))
        row.base_s, row.base_cpu, raw_df = timed_cpu(
            lambda: raw.execute(BASELINES["scorecard"]).df()
        )
        row.check = compare("scorecard", sc_df, raw_df)
        rows.append(row)
    raw.close()
    return rows


def bench_size(
    n: int, workdir: Path, import_only: bool, modes: tuple[str, ...] = ("raw", "keyed", "goodwill")
) -> tuple[list[tuple[str, float, float, float, str, str, str]], list[Any]]:
    from goodwill.simulate import write_scale

    data = workdir / f"scale-{n}"
    if not (data / "interactions.parquet").exists():
        gen_s, counts = timed(lambda: write_scale(n, data))
        console.print(f"[bold]{n:,} interactions[/]: generated {counts} in {gen_s:.1f}s")
    load = os.getloadavg()
    gw_db, base_db = workdir / f"goodwill-{n}.duckdb", workdir / f"keyed-{n}.duckdb"
    if not modes:  # metrics only, over the warehouses of an earlier run (--keep)
        _prepare_baseline(gw_db, base_db)
        return [], run_metrics(gw_db, base_db)
    nan = {"seconds": math.nan, "cpu_s": math.nan, "rss_mb": math.nan}
    imports = {
        m: run_import(m, data, workdir / f"{m}-{n}.duckdb") if m in modes else nan
        for m in ("raw", "keyed", "goodwill")
    }
    g, k, r = imports["goodwill"], imports["keyed"], imports["raw"]
    imp_rows = [
        (
            f"{n:,}",
            g["seconds"],
            k["seconds"],
            r["seconds"],
            f"{g['rss_mb']:.0f} / {k['rss_mb']:.0f} / {r['rss_mb']:.0f}",
            f"{g['cpu_s']:.1f} / {k['cpu_s']:.1f} / {r['cpu_s']:.1f}",
            f"CPU vs keyed {g['cpu_s'] / k['cpu_s']:.2f}×; "
            f"{g.get('loaded', 0):,} rows, {g.get('quarantined', 0)} quarantined; "
            f"channels {g.get('channels_s', math.nan):.1f} s; load {load[0]:.1f} → "
            f"{os.getloadavg()[0]:.1f}; memory limit "
            f"{os.environ.get('GOODWILL_MEMORY_LIMIT') or 'default'}",
        )
    ]
    print_imports(n, imp_rows)
    steps = cast("dict[str, float]", g.get("steps_cpu_s") or {})
    if steps:  # where goodwill's CPU went, largest first
        big = sorted(steps.items(), key=lambda kv: -kv[1])
        outside = g["cpu_s"] - sum(steps.values())  # Python's start, the schema
        console.print(
            "goodwill CPU s by step: "
            + ", ".join(f"{k} {v:.1f}" for k, v in big if v >= 0.05)
            + f", outside statements {outside:.1f}"
        )
        walls = cast("dict[str, float]", g.get("steps_wall_s") or {})
        console.print(  # a step near 1× ran on one core while the other idled
            "goodwill wall s by step (CPU / wall): "
            + ", ".join(
                f"{k} {walls[k]:.1f} ({v / walls[k]:.1f}×)"
                for k, v in big
                if v >= 0.05 and walls.get(k)
            )
        )
        threads = cast("dict[str, float]", g.get("steps_threads") or {})
        if threads:  # --threads: the same, whatever the load
            console.print(
                "goodwill threads at work by step (mean of 20 ms samples): "
                + ", ".join(f"{k} {v:.2f}" for k, v in threads.items())
            )
    if g.get("memory_trace"):
        console.print(f"goodwill memory trace: {json.dumps(g['memory_trace'])}")
    if import_only:
        return imp_rows, []
    _prepare_baseline(gw_db, base_db)
    return imp_rows, run_metrics(gw_db, base_db)


def print_imports(n: int, imp: list[tuple[str, float, float, float, str, str, str]]) -> None:
    t = Table(title=f"import — {n:,} interactions", header_style="bold")
    for col in (
        "interactions",
        "goodwill s",
        "keyed copy s",
        "raw copy s",
        "vs keyed",
        "vs raw",
        "peak RSS MB (gw / keyed / raw)",
        "CPU s (gw / keyed / raw)",
        "note",
    ):
        t.add_column(col, justify="right")
    for size, g, k, r, rss, cpu, note in imp:
        t.add_row(
            size,
            f"{g:.1f}",
            f"{k:.1f}",
            f"{r:.1f}",
            f"{g / k:.2f}×",
            f"{g / r:.2f}×",
            rss,
            cpu,
            note,
        )
    console.print(t)


def print_metrics(n: int, metrics: list[MetricRow], load_before: float) -> None:
    """The suite side by side: wall-clock and CPU seconds of goodwill and of the hand-written
    SQL, their ratios, and the Ibis build and compile seconds within goodwill's."""
    t = Table(title=f"metrics — {n:,} interactions", header_style="bold")
    for col in (
        "query",
        "goodwill s",
        "of which Ibis s",
        "SQL s",
        "ratio",
        "goodwill CPU s",
        "SQL CPU s",
        "CPU ratio",
        "check",
    ):
        t.add_column(col, justify="left" if col in ("query", "check") else "right")

    def num(x: float | None) -> str:
        return "–" if x is None or math.isnan(x) else f"{x:.2f}"

    def times(a: float, b: float | None) -> str:
        return f"{a / b:.2f}×" if b and not math.isnan(a) else "–"

    for m in metrics:
        t.add_row(
            m.name,
            num(m.gw_s),
            num(m.ibis_s),
            num(m.base_s),
            times(m.gw_s, m.base_s),
            num(m.gw_cpu),
            num(m.base_cpu),
            times(m.gw_cpu, m.base_cpu),
            m.check,
        )
    based = [m for m in metrics if m.base_s is not None and not math.isnan(m.gw_s)]
    every = len(based) == len(metrics)
    total = {
        k: sum(getattr(m, k) for m in metrics if not math.isnan(getattr(m, k)))
        for k in ("gw_s", "gw_cpu", "ibis_s")
    }
    bg, bgc = sum(m.gw_s for m in based), sum(m.gw_cpu for m in based)
    br, brc = sum(m.base_s or 0 for m in based), sum(m.base_cpu or 0 for m in based)
    same = sum(m.check.startswith("same") for m in metrics)
    t.add_row(
        "queries with a baseline",
        num(bg),
        "",
        num(br),
        times(bg, br),
        num(bgc),
        num(brc),
        times(bgc, brc),
        f"{same} of {len(metrics)} same",
    )
    t.add_row(
        "whole suite",
        num(total["gw_s"]),
        num(total["ibis_s"]),
        num(br) if every else "–",
        times(total["gw_s"], br) if every else "–",
        num(total["gw_cpu"]),
        num(brc) if every else "–",
        times(total["gw_cpu"], brc) if every else "–",
        f"load {load_before:.1f} before, {os.getloadavg()[0]:.1f} after (1 min)",
    )
    console.print(t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the generated data")
    ap.add_argument("--import-only", action="store_true", help="time the import only")
    ap.add_argument(
        "--modes",
        default="raw,keyed,goodwill",
        help="which imports to run (empty: none, metrics over the --keep'ed warehouses)",
    )
    ap.add_argument(
        "--memory-trace",
        type=float,
        default=None,
        metavar="SECONDS",
        help="goodwill's import samples its RSS and duckdb_memory() every SECONDS (printed)",
    )
    ap.add_argument(
        "--threads",
        action="store_true",
        help="goodwill's import counts its threads at work per step every 20 ms (printed)",
    )
    ap.add_argument("--child", nargs=3, metavar=("MODE", "DATA", "DB"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_trace:
        os.environ[TRACE_ENV] = str(args.memory_trace)
    if args.threads:
        os.environ[THREADS_ENV] = "1"
    if args.child:
        _child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="goodwill-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            modes = tuple(m for m in args.modes.split(",") if m)
            load_before = os.getloadavg()[0]
            _imp, metrics = bench_size(
                n,
                workdir,
                args.import_only or (modes != () and not {"goodwill", "keyed"} <= set(modes)),
                modes,
            )
            if not metrics:
                continue
            print_metrics(n, metrics, load_before)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
