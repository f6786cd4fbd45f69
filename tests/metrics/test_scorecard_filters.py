"""The scorecard narrowed to one platform and/or one campaign, checked against counts written
here in SQL and pandas (not with the scorecard's own code) on the simulated demo business."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.config import load_config
from goodwill.importer import import_paths
from goodwill.metrics import HEADLINES, scorecard
from goodwill.metrics.scorecard import NOT_NARROWED
from goodwill.output import money
from goodwill.people.identity import resolve
from goodwill.simulate import DemoSpec, simulate
from goodwill.warehouse import Warehouse

MONTH = date(2026, 10, 1)
START, END = "2026-10-01", "2026-11-01"  # [START, END)
PLATFORM = "bluesky"  # the smallest of the demo's platforms
CAMPAIGN = "autumn-harvest"  # the campaign running in MONTH


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scorecard-filters")
    simulate(DemoSpec(people=80), folder / "data")
    db = folder / "goodwill.duckdb"
    with Warehouse.open(db) as wh:
        import_paths(wh, [folder / "data"], show_progress=False)
        resolve(wh)
    return db


@pytest.fixture(scope="module")
def wh(demo_db: Path) -> Iterator[Warehouse]:
    with Warehouse.open(demo_db, read_only=True) as warehouse:
        yield warehouse


def _one(wh: Warehouse, sql: str, params: list[Any] | None = None) -> float:
    value = wh.con.execute(sql, params or []).fetchone()[0]  # type: ignore[index]
    return float(value or 0)


def _values(wh: Warehouse, **filters: str) -> dict[str, float | None]:
    return {r.name: r.value for r in scorecard(wh.ibis(), month=MONTH, **filters)}


# -- independent counts ----------------------------------------------------------------------

BRAND_POSTS = """
    SELECT count(*) FROM posts p
    JOIN accounts a ON a.platform = p.platform AND a.handle = p.handle AND a.owner = 'brand'
    WHERE p.created_at >= ?::TIMESTAMP AND p.created_at < ?::TIMESTAMP
"""


def _posts(wh: Warehouse, platform: str | None = None, campaign: str | None = None) -> float:
    sql, params = BRAND_POSTS, [START, END]
    if platform:
        sql, params = sql + " AND p.platform = ?", [*params, platform]
    if campaign:
        sql, params = sql + " AND p.campaign = ?", [*params, campaign]
    return _one(wh, sql, params)


def _replies_per_post(wh: Warehouse, campaign: str) -> float:
    replies = _one(
        wh,
        """SELECT count(*) FROM interactions i JOIN posts p
           ON p.platform = i.platform AND p.post_id = i.post_id
           JOIN accounts a ON a.platform = p.platform AND a.handle = p.handle
             AND a.owner = 'brand'
           WHERE i.direction = 'inbound' AND i.kind IN ('reply', 'comment')
             AND p.campaign = ? AND p.created_at >= ?::TIMESTAMP
             AND p.created_at < ?::TIMESTAMP""",
        [campaign, START, END],
    )
    return replies / _posts(wh, campaign=campaign)


def _followers(wh: Warehouse, platform: str) -> float:
    return _one(
        wh,
        """SELECT sum(followers) FROM (
             SELECT s.followers, row_number() OVER (
               PARTITION BY s.platform, s.handle ORDER BY s.date DESC) AS n
             FROM audience_snapshots s JOIN accounts a
               ON a.platform = s.platform AND a.handle = s.handle AND a.owner = 'brand'
             WHERE s.platform = ? AND s.date < ?::DATE) WHERE n = 1""",
        [platform, END],
    )


def _mentions(wh: Warehouse, platform: str) -> float:
    return _one(
        wh,
        """SELECT count(*) FROM interactions i JOIN accounts a
           ON a.platform = i.platform AND a.handle = i.target_handle AND a.owner = 'brand'
           WHERE i.kind = 'mention' AND i.direction = 'inbound' AND i.platform = ?
             AND i.created_at >= ?::TIMESTAMP AND i.created_at < ?::TIMESTAMP""",
        [platform, START, END],
    )


def _people(wh: Warehouse, platform: str | None = None, campaign: str | None = None) -> float:
    # a person: the resolved person, else the identity's person_ref, else platform:handle
    sql = """SELECT count(DISTINCT coalesce(pl.person_id, idn.person_ref,
                                            i.platform || ':' || i.actor_handle))
           FROM interactions i
           JOIN accounts a ON a.platform = i.platform AND a.handle = i.target_handle
             AND a.owner = 'brand'
           LEFT JOIN person_links pl ON pl.kind = 'handle:' || i.platform
             AND pl.value = i.actor_handle
           LEFT JOIN identities idn ON idn.kind = 'handle:' || i.platform
             AND idn.value = i.actor_handle
           LEFT JOIN posts p ON p.platform = i.platform AND p.post_id = i.post_id
           WHERE i.direction = 'inbound' AND i.kind <> 'unfollow'
             AND i.created_at >= ?::TIMESTAMP AND i.created_at < ?::TIMESTAMP"""
    params: list[Any] = [START, END]
    if platform:
        sql, params = sql + " AND i.platform = ?", [*params, platform]
    if campaign:
        sql, params = sql + " AND p.campaign = ?", [*params, campaign]
    return _one(wh, sql, params)


def _visits(wh: Warehouse, platform: str | None = None, campaign: str | None = None) -> float:
    sql = """SELECT count(*) FROM visits v
           LEFT JOIN visit_channels vc ON vc.visit_id = v.visit_id
           LEFT JOIN links l ON l.code = v.link_code
           WHERE v.started_at >= ?::TIMESTAMP AND v.started_at < ?::TIMESTAMP"""
    params: list[Any] = [START, END]
    if platform:
        sql, params = sql + " AND vc.source = ?", [*params, platform]
    if campaign:
        sql += " AND (v.utm_campaign = ? OR l.campaign = ?)"
        params += [campaign, campaign]
    return _one(wh, sql, params)


def _cost(wh: Warehouse, column: str, value: str) -> float:
    last = (date.fromisoformat(END) - timedelta(days=1)).isoformat()
    return _one(
        wh,
        f"""SELECT sum(amount_reporting
               * (date_diff('day', greatest(period_start, ?::DATE),
                            least(period_end, ?::DATE)) + 1)
               / (date_diff('day', period_start, period_end) + 1))
           FROM costs WHERE {column} = ? AND period_start <= ?::DATE
             AND period_end >= ?::DATE""",
        [START, last, value, last, START],
    )


def _touched_conversions(
    wh: Warehouse, *, platform: str | None, campaign: str | None
) -> dict[str, float]:
    """Leads, orders and revenue of the month's conversions whose person or visitor had a
    touch from ``platform`` / of ``campaign`` within the 30 days before, in pandas."""
    q = wh.con.execute
    # the journeys' keys: imported identities, plus the identities resolve linked to a person
    # an imported identity names (goodwill.attribution.journeys)
    ids = q(
        """SELECT kind, value, person_ref FROM identities
           UNION ALL
           SELECT pl.kind, pl.value, pl.person_id FROM person_links pl
           WHERE pl.person_id IN (SELECT person_ref FROM identities)
             AND NOT EXISTS (SELECT 1 FROM identities i
                             WHERE i.kind = pl.kind AND i.value = pl.value)"""
    ).df()
    by = {k: dict(zip(g["value"], g["person_ref"], strict=True)) for k, g in ids.groupby("kind")}
    visits = q(
        """SELECT v.visitor_id, v.started_at AS ts, coalesce(vc.source, 'unclassified') AS source,
                  v.utm_campaign AS campaign
           FROM visits v LEFT JOIN visit_channels vc ON vc.visit_id = v.visit_id"""
    ).df()
    visits["key"] = [by.get("visitor", {}).get(v) or f"visitor:{v}" for v in visits["visitor_id"]]
    social = q(
        """SELECT i.platform, i.actor_handle, i.created_at AS ts, i.kind, p.campaign
           FROM interactions i LEFT JOIN posts p
             ON p.platform = i.platform AND p.post_id = i.post_id
           WHERE i.direction = 'inbound' AND i.kind <> 'unfollow'
             AND (i.platform <> 'email' OR i.kind = 'click')"""
    ).df()
    social["key"] = [
        by.get(f"handle:{p}", {}).get(h)
        for p, h in zip(social["platform"], social["actor_handle"], strict=True)
    ]
    social = social[social["key"].notna()]
    social["source"] = social["platform"]
    social["day"] = pd.to_datetime(social["ts"]).dt.floor("D")

    def first_per_day(frame: pd.DataFrame, label: str) -> pd.DataFrame:
        firsts: pd.DataFrame = frame.groupby(["key", "day", label], as_index=False).agg(
            ts=("ts", "min")
        )
        return firsts

    conv = q(
        """SELECT conversion_id, occurred_at, kind, value_reporting::DOUBLE AS value,
                  customer_id, email, visitor_id FROM conversions
           WHERE occurred_at >= ?::TIMESTAMP AND occurred_at < ?::TIMESTAMP""",
        [START, END],
    ).df()
    keep = pd.Series(True, index=conv.index)
    for label, wanted in (("source", platform), ("campaign", campaign)):
        if wanted is None:
            continue
        touches = pd.concat(
            [
                visits.loc[visits[label] == wanted, ["key", "ts"]],
                first_per_day(social, label).query(f"{label} == @wanted")[["key", "ts"]],
            ]
        )
        hit = []
        c: Any
        for c in conv.to_dict("records"):
            person = (
                by.get("customer", {}).get(c["customer_id"])
                or by.get("email", {}).get(c["email"])
                or by.get("visitor", {}).get(c["visitor_id"])
            )
            visitor = f"visitor:{c['visitor_id']}" if c["visitor_id"] else None
            keys = {k for k in (person, visitor) if k}
            at = pd.Timestamp(c["occurred_at"])
            ts = pd.to_datetime(touches.loc[touches["key"].isin(keys), "ts"])
            hit.append(bool(((ts <= at) & (ts >= at - pd.Timedelta(days=30))).any()))
        keep &= pd.Series(hit, index=conv.index)
    kept = conv[keep]
    orders = kept.loc[kept["kind"] == "order", "value"].sum()
    refunds = kept.loc[kept["kind"] == "refund", "value"].abs().sum()
    return {
        "leads": float((kept["kind"] == "lead").sum()),
        "orders": float((kept["kind"] == "order").sum()),
        "revenue": float(orders - refunds),
    }


# -- tests -----------------------------------------------------------------------------------


def test_no_filter_is_the_old_scorecard(wh: Warehouse) -> None:
    plain = scorecard(wh.ibis(), month=MONTH)
    assert plain == scorecard(wh.ibis(), month=MONTH, platform=None, campaign=None)
    assert all(r.not_narrowed is None for r in plain)
    assert plain[[h.name for h in HEADLINES].index("posts")].value == _posts(wh)


def test_platform_headlines_equal_independent_counts(wh: Warehouse) -> None:
    got = _values(wh, platform=PLATFORM)
    expected = {
        "posts": _posts(wh, platform=PLATFORM),
        "followers": _followers(wh, PLATFORM),
        "mentions": _mentions(wh, PLATFORM),
        "people_active": _people(wh, platform=PLATFORM),
        "visits": _visits(wh, platform=PLATFORM),
        "social_cost": _cost(wh, "platform", PLATFORM),
        **_touched_conversions(wh, platform=PLATFORM, campaign=None),
    }
    assert expected["posts"] > 0 and expected["people_active"] > 0 and expected["visits"] > 0
    for name, value in expected.items():
        assert got[name] == pytest.approx(value), name
    everything = _values(wh)
    # a minority platform: strictly less than all platforms together
    for name in ("posts", "followers", "mentions", "people_active", "visits", "social_cost"):
        assert got[name] < everything[name], name  # type: ignore[operator]


def test_campaign_headlines_equal_independent_counts(wh: Warehouse) -> None:
    got = _values(wh, campaign=CAMPAIGN)
    expected = {
        "posts": _posts(wh, campaign=CAMPAIGN),
        "conversation_rate": _replies_per_post(wh, CAMPAIGN),
        "people_active": _people(wh, campaign=CAMPAIGN),
        "visits": _visits(wh, campaign=CAMPAIGN),
        "social_cost": _cost(wh, "campaign", CAMPAIGN),
        **_touched_conversions(wh, platform=None, campaign=CAMPAIGN),
    }
    assert expected["posts"] > 0 and expected["visits"] > 0 and expected["orders"] > 0
    for name, value in expected.items():
        assert got[name] == pytest.approx(value), name


def test_platform_and_campaign_together(wh: Warehouse) -> None:
    got = _values(wh, platform="x", campaign=CAMPAIGN)
    assert got["posts"] == _posts(wh, platform="x", campaign=CAMPAIGN) > 0
    assert got["people_active"] == _people(wh, platform="x", campaign=CAMPAIGN)
    assert got["visits"] == _visits(wh, platform="x", campaign=CAMPAIGN)
    touched = _touched_conversions(wh, platform="x", campaign=CAMPAIGN)
    assert got["orders"] == touched["orders"]


def test_posts_mentions_followers_add_up_over_platforms(wh: Warehouse) -> None:
    everything = _values(wh)
    platforms = [r[0] for r in wh.query("SELECT DISTINCT platform FROM accounts")]
    per = [_values(wh, platform=p) for p in platforms]
    for name in ("posts", "mentions", "followers", "net_growth"):
        assert sum(v[name] or 0 for v in per) == everything[name], name


def test_headlines_a_filter_does_not_narrow_say_so(wh: Warehouse) -> None:
    rows = {r.name: r for r in scorecard(wh.ibis(), month=MONTH, campaign=CAMPAIGN)}
    plain = {r.name: r for r in scorecard(wh.ibis(), month=MONTH)}
    for name in NOT_NARROWED["campaign"]:
        assert rows[name].value == plain[name].value
        assert str(rows[name].not_narrowed).startswith("all campaigns:")
        assert "not narrowed" in rows[name].definition.lower()
    narrowed = [n for n in rows if n not in NOT_NARROWED["campaign"]]
    assert all(rows[n].not_narrowed is None for n in narrowed)
    # every headline's definition says what each filter means for it
    for h in HEADLINES:
        text = h.definition.lower()
        assert "platform" in text and "campaign" in text, h.name


def test_cli_scorecard_with_filters(demo_db: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "scorecard",
            "--db",
            str(demo_db),
            "--month",
            "2026-10",
            "--platform",
            PLATFORM,
            "--campaign",
            CAMPAIGN,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    out = {r["headline"]: r for r in json.loads(result.stdout)}
    with Warehouse.open(demo_db, read_only=True) as wh:
        expected = scorecard(wh.ibis(), month=MONTH, platform=PLATFORM, campaign=CAMPAIGN)
    assert [out[r.name]["value"] for r in expected] == [r.value for r in expected]
    assert out["followers"]["not_narrowed"].startswith("all campaigns:")
    # the table writes money with the reporting currency (the demo's goodwill.toml: USD or
    # the default USD), as the report does; JSON keeps the plain number
    table = runner.invoke(app, ["scorecard", "--db", str(demo_db), "--month", "2026-10"])
    assert table.exit_code == 0, table.output
    with Warehouse.open(demo_db, read_only=True) as wh:
        revenue = next(r for r in scorecard(wh.ibis(), month=MONTH) if r.name == "revenue")
    line = next(ln for ln in table.stdout.splitlines() if revenue.label in ln)
    assert money(float(revenue.value), load_config(db=demo_db).currency) in line, line
    bad = runner.invoke(app, ["scorecard", "--db", str(demo_db), "--campaign", "nope"])
    assert bad.exit_code == 2
    assert "--campaign 'nope'" in bad.output and CAMPAIGN in bad.output
