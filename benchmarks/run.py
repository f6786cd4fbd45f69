"""Spine benchmark: generate --scale data, time import and the full metric suite, side by side
with a hand-written raw-DuckDB baseline doing the same work.

    .venv/bin/python benchmarks/run.py                       # 1M and 10M interactions
    .venv/bin/python benchmarks/run.py --sizes 200000 --keep

For each size it prints one table: step, goodwill seconds, raw DuckDB seconds, ratio, and
whether the two computed the same numbers. The baseline loads the Parquet files with plain
``CREATE TABLE AS SELECT`` (no validation, no quarantine, no keys, no channel enrichment) and
computes the metric groups with hand-written SQL; goodwill's import validates every row,
normalises handles and timestamps, dedupes on keys, merges with ``INSERT OR REPLACE`` into
keyed tables and classifies every visit's channel, and its metrics run through Ibis.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from rich.console import Console
from rich.table import Table

from goodwill.importer import import_paths
from goodwill.metrics import QUERIES, MetricParams, run_query, scorecard
from goodwill.simulate import write_scale
from goodwill.warehouse import Warehouse

console = Console(width=130)

RAW_LOAD = {
    "accounts": "SELECT platform, lower(ltrim(handle, '@')) AS handle, owner, display_name",
    "posts": "SELECT platform, post_id, lower(ltrim(handle, '@')) AS handle, "
    "CAST(created_at AS TIMESTAMP) AS created_at, text, url, campaign, link_code",
    "interactions": "SELECT platform, interaction_id, CAST(created_at AS TIMESTAMP) AS created_at, "
    "kind, direction, lower(ltrim(actor_handle, '@')) AS actor_handle, actor_name, "
    "lower(ltrim(target_handle, '@')) AS target_handle, post_id, in_reply_to, text, url",
    "audience_snapshots": "SELECT platform, lower(ltrim(handle, '@')) AS handle, "
    "CAST(date AS DATE) AS date, followers, following",
    "visits": "SELECT *",
    "conversions": "SELECT *",
    "costs": "SELECT *",
    "identities": "SELECT kind, lower(value) AS value, person_ref, display_name",
}

RAW_METRICS = {
    "audience": """
        WITH s AS (
            SELECT s.platform, date_trunc('month', s.date) AS period,
                   arg_max(s.followers, s.date) AS f, arg_max(s.following, s.date) AS g
            FROM audience_snapshots s JOIN accounts a USING (platform, handle)
            WHERE a.owner = 'brand' GROUP BY ALL)
        SELECT *, followers - lag(followers) OVER (PARTITION BY platform ORDER BY period)
                  AS net_growth
        FROM (SELECT platform, period, sum(f) AS followers, sum(g) AS following,
                     sum(g) / sum(f) AS ratio
              FROM s GROUP BY platform, period)
        ORDER BY platform, period""",
    "engagement": """
        WITH p AS (SELECT p.* FROM posts p JOIN accounts a USING (platform, handle)
                   WHERE a.owner = 'brand'),
             e AS (SELECT platform, post_id,
                          count(*) FILTER (WHERE kind IN ('reply', 'comment')) AS r,
                          count(*) FILTER (WHERE kind = 'share') AS s,
                          count(*) FILTER (WHERE kind = 'like') AS l
                   FROM interactions WHERE direction = 'inbound' GROUP BY ALL)
        SELECT date_trunc('month', p.created_at) AS period, p.platform, count(*) AS posts,
               sum(coalesce(r, 0)) AS replies, sum(coalesce(s, 0)) AS shares,
               sum(coalesce(l, 0)) AS likes, sum(coalesce(r, 0)) / count(*) AS conversation
        FROM p LEFT JOIN e USING (platform, post_id) GROUP BY ALL ORDER BY ALL""",
    "top_posts": """
        SELECT p.platform, p.post_id,
               count(*) FILTER (WHERE i.kind IN ('reply', 'comment', 'share', 'like')) AS n
        FROM posts p JOIN accounts a USING (platform, handle)
        LEFT JOIN interactions i ON i.platform = p.platform AND i.post_id = p.post_id
             AND i.direction = 'inbound'
        WHERE a.owner = 'brand' GROUP BY ALL ORDER BY n DESC, p.post_id LIMIT 20""",
    "listening": """
        SELECT date_trunc('month', i.created_at) AS period, i.platform,
               count(*) FILTER (WHERE a.owner = 'brand') AS mentions,
               count(DISTINCT i.actor_handle) FILTER (WHERE a.owner = 'brand') AS authors,
               count(*) FILTER (WHERE a.owner = 'competitor') AS competitor_mentions
        FROM interactions i JOIN accounts a
             ON a.platform = i.platform AND a.handle = i.target_handle
        WHERE i.kind = 'mention' AND i.direction = 'inbound' GROUP BY ALL ORDER BY ALL""",
    "loyalty": """
        WITH act AS (
            SELECT coalesce(id.person_ref, i.platform || ':' || i.actor_handle) AS person,
                   date_trunc('month', i.created_at) AS m, count(*) AS n
            FROM interactions i
            JOIN accounts a ON a.platform = i.platform AND a.handle = i.target_handle
                 AND a.owner = 'brand'
            LEFT JOIN identities id ON id.kind = 'handle:' || i.platform
                 AND id.value = i.actor_handle
            WHERE i.direction = 'inbound' AND i.kind <> 'unfollow' GROUP BY ALL),
        flags AS (
            SELECT a.*, EXISTS (SELECT 1 FROM act b WHERE b.person = a.person AND b.m < a.m
                                AND b.m >= a.m - INTERVAL 2 MONTH) AS regular
            FROM act a)
        SELECT m AS period, count(*) AS people_active,
               count(*) FILTER (WHERE regular) AS repeat_interactors,
               sum(n) FILTER (WHERE regular) / sum(n) AS regular_interaction_share
        FROM flags GROUP BY ALL ORDER BY ALL""",
    "traffic": """
        SELECT date_trunc('month', v.started_at) AS period,
               coalesce(c.channel, 'unclassified') AS channel,
               coalesce(c.source, 'unclassified') AS source,
               count(*) AS visits, count(DISTINCT v.visitor_id) AS visitors,
               sum(coalesce(v.pageviews, 1)) AS pageviews
        FROM visits v LEFT JOIN visit_channels c USING (visit_id) GROUP BY ALL ORDER BY ALL""",
    "traffic_share": """
        SELECT date_trunc('month', v.started_at) AS period, count(*) AS visits,
               count(*) FILTER (WHERE c.channel IN ('social', 'paid_social')) AS social_visits
        FROM visits v LEFT JOIN visit_channels c USING (visit_id) GROUP BY ALL ORDER BY ALL""",
}

# (goodwill query, goodwill columns, baseline columns) compared for agreement
CHECKS: dict[str, tuple[list[str], list[str]]] = {
    "listening": (["mentions", "competitor_mentions"], ["mentions", "competitor_mentions"]),
    "loyalty": (["people_active", "repeat_interactors"], ["people_active", "repeat_interactors"]),
    "traffic": (["visits", "visitors", "pageviews"], ["visits", "visitors", "pageviews"]),
    "traffic_share": (["visits", "social_visits"], ["visits", "social_visits"]),
    "engagement": (
        ["posts", "replies", "shares", "likes"],
        ["posts", "replies", "shares", "likes"],
    ),
}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def raw_import(db: Path, data: Path) -> None:
    con = duckdb.connect(str(db))
    con.execute("SET TimeZone = 'UTC'")
    for name, select in RAW_LOAD.items():
        f = data / f"{name}.parquet"
        if f.exists():
            con.execute(f"CREATE TABLE {name} AS {select} FROM read_parquet(?)", [str(f)])
    # the baseline needs channels too: copy goodwill's classification (not timed as goodwill work)
    con.close()


def bench_size(n: int, workdir: Path) -> list[tuple[str, float, float | None, str]]:
    data = workdir / f"scale-{n}"
    gen_s, counts = timed(lambda: write_scale(n, data))
    console.print(f"[bold]{n:,} interactions[/]: generated {counts} in {gen_s:.1f}s")
    rows: list[tuple[str, float, float | None, str]] = [("generate --scale", gen_s, None, "")]

    gw_db = workdir / f"gw-{n}.duckdb"
    raw_db = workdir / f"raw-{n}.duckdb"
    with Warehouse.open(gw_db) as wh:
        imp_s, summary = timed(lambda: import_paths(wh, [data], show_progress=False))
    raw_s, _ = timed(lambda: raw_import(raw_db, data))
    rows.append(
        (
            "import (all tables)",
            imp_s,
            raw_s,
            f"{summary.rows_loaded:,} rows loaded, {summary.rows_quarantined} quarantined",
        )
    )
    # give the baseline the same visit channels so traffic can be compared
    raw = duckdb.connect(str(raw_db))
    gw_literal = (
        "'" + str(gw_db).replace("'", "''") + "'"
    )  # our own temp path; ATTACH takes no parameters
    raw.execute(f"ATTACH {gw_literal} AS gw (READ_ONLY)")
    raw.execute("CREATE TABLE visit_channels AS SELECT * FROM gw.visit_channels")
    raw.execute("DETACH gw")

    params = MetricParams(by="month")
    total_gw = total_raw = 0.0
    with Warehouse.open(gw_db, read_only=True) as wh:
        backend = wh.ibis()
        for name in QUERIES:
            try:
                gw_s, gw_df = timed(lambda name=name: run_query(name, backend, params))
            except Exception as exc:  # report, do not hide, a query that fails at scale
                rows.append((f"metrics {name}", 0.0, None, f"ERROR {exc}"[:60]))
                continue
            total_gw += gw_s
            if name not in RAW_METRICS:  # later metric groups: no hand-written baseline yet
                rows.append((f"metrics {name}", gw_s, None, f"{len(gw_df)} rows"))
                continue
            base_s, raw_df = timed(lambda name=name: raw.execute(RAW_METRICS[name]).df())
            total_raw += base_s
            rows.append((f"metrics {name}", gw_s, base_s, agreement(name, gw_df, raw_df)))
        sc_s, _ = timed(lambda: scorecard(backend))
        total_gw += sc_s
        rows.append(("scorecard", sc_s, None, ""))
    spine = sum(r[1] for r in rows if r[0].removeprefix("metrics ") in RAW_METRICS)
    rows.append(("spine metric groups total", spine, total_raw, "the queries with a baseline"))
    rows.append(("all metric queries + scorecard", total_gw, None, ""))
    raw.close()
    return rows


def agreement(name: str, gw: pd.DataFrame, raw: pd.DataFrame) -> str:
    if name not in CHECKS:
        return f"{len(gw)} vs {len(raw)} rows"
    gcols, rcols = CHECKS[name]
    g = gw[gcols].sum(numeric_only=True).to_numpy(dtype=float)
    r = raw[rcols].sum(numeric_only=True).to_numpy(dtype=float)
    same = len(g) == len(r) and bool((abs(g - r) < 1e-6).all())
    return ("same totals" if same else f"DIFFER {g.tolist()} vs {r.tolist()}") + (
        f", {len(gw)}/{len(raw)} rows"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the generated data")
    args = ap.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="goodwill-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            rows = bench_size(n, workdir)
            table = Table(title=f"goodwill vs raw DuckDB — {n:,} interactions", header_style="bold")
            for col in ("step", "goodwill s", "raw DuckDB s", "ratio", "check"):
                table.add_column(col, justify="left" if col in ("step", "check") else "right")
            for step, g, r, check in rows:
                ratio = f"{g / r:.1f}×" if r else "–"
                table.add_row(step, f"{g:.2f}", "–" if r is None else f"{r:.2f}", ratio, check)
            console.print(table)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
