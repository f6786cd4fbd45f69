"""The Money page: its counts link to the rows behind them (credited numbers to their
definition), and the platform and campaign filters mean what the page says — attribution over
the journeys with a touch from the platform (of the campaign), ROI's row of it, the customers
it acquired, the lift of starting the platform — checked against journeys built here."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import numpy as np
import pytest
from dashboard_server import Demo, sign_in
from fastapi.testclient import TestClient

from goodwill.attribution.journeys import JourneySpec, JourneyStore, build_journeys
from goodwill.attribution.stored import CreditMemo, stored_path
from goodwill.value.repeat import acquired_customers
from goodwill.warehouse import Warehouse
from goodwill.web.app import create_app
from goodwill.web.dashboard.context import Ctx
from goodwill.web.dashboard.filters import Filters
from goodwill.web.dashboard.pages_money import (
    CREDIT_HREF,
    REPLICATES,
    credit_sections,
    store_money_credits,
)


@pytest.fixture(scope="module")
def money(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    spool: Path = tmp_path_factory.mktemp("money-spool")
    app = create_app(spool_dir=spool, sites=["shop.example"], db=demo.db, load_interval=3600)
    app.state.dashboard_warming = True  # no background warm-up
    with TestClient(app) as c:
        sign_in(c)
        yield c


def _all_dates(demo: Demo) -> str:
    """The period of every conversion: with no period chosen the page shows the latest month
    only; the expectations here are over all the journeys."""
    with Warehouse.open(demo.db, read_only=True) as wh:
        first, last = wh.query(
            "SELECT min(occurred_at)::DATE, max(occurred_at)::DATE FROM conversions"
        )[0]
    return f"since={first}&until={last}"


def _sections(client: TestClient, url: str) -> dict[str, dict[str, Any]]:
    r = client.get(url)
    assert r.status_code == 200, r.text
    return {s["id"]: s for s in r.json()["data"]["sections"]}


def _table(section: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in section["tables"] if t["name"] == name)


def _items_total(client: TestClient, href: str) -> int:
    assert href.startswith("/items?")
    r = client.get("/api" + href)
    assert r.status_code == 200, r.text
    return int(r.json()["data"]["sections"][0]["tables"][0]["total_rows"])


def _touched(demo: Demo, by: str, label: str) -> tuple[set[str], float]:
    """Journeys whose ``by``-labelled touches include ``label`` (from the unrestricted
    journeys), and their conversions."""
    with Warehouse.open(demo.db, read_only=True) as wh:
        wj = build_journeys(wh.ibis(), JourneySpec(by=by))
    j = wj.journeys
    has = np.zeros(j.n, dtype=bool)
    if label in j.channels:
        has[j.touch_journey[j.touch_channel == j.channels.index(label)]] = True
    ids = {str(i) for i in wj.meta["journey"].to_numpy()[has]}
    return ids, float(j.conversions[has].sum())


def _first_model_conversions(section: dict[str, Any]) -> float:
    rows = _table(section, "attribution_intervals")["rows"]
    return sum(float(r["conversions"]) for r in rows if r["model"] == "first")


def test_counts_link_to_rows_and_credit_to_its_definition(money: TestClient, demo: Demo) -> None:
    period = _all_dates(demo)
    s = _sections(money, "/api/money?" + period)
    assert f"{REPLICATES} replicates" in s["attribution"]["intro"] and REPLICATES == 100
    cards = {c["name"]: c for c in s["roi"]["cards"]}
    with Warehouse.open(demo.db, read_only=True) as wh:
        n = dict(wh.query("SELECT kind, count(*) FROM conversions GROUP BY kind"))
    for card, kind in (("money_leads", "lead"), ("money_orders", "order")):
        assert cards[card]["value"] == n[kind] > 0
        assert _items_total(money, cards[card]["href"]) == n[kind]
    # credited (fractional) numbers link to the models' definition, which exists
    roi = _table(s["roi"], "roi")
    assert roi["hrefs"] and all(
        h["leads"] == CREDIT_HREF and h["customers"] == CREDIT_HREF for h in roi["hrefs"]
    )
    intervals = _table(s["attribution"], "attribution_intervals")
    assert {h["conversions"] for h in intervals["hrefs"]} == {CREDIT_HREF}
    assert 'id="models"' in money.get(CREDIT_HREF.split("#")[0]).text
    returning = _table(s["customers"], "returning_customers")["rows"][0]
    assert f"until={date.fromisoformat(str(returning['until'])[:10])}" in period
    assert 0 < returning["customers"] <= n["order"]
    # a customer of the lifetime-value table is shown by name and links to the person
    clv = _table(s["customers"], "clv")
    assert "person" not in clv["columns"] and clv["columns"][0] == "name"
    i, href = next((i, h["name"]) for i, h in enumerate(clv["hrefs"]) if h.get("name"))
    assert href.startswith("/person/") and money.get(href).status_code == 200
    with Warehouse.open(demo.db, read_only=True) as wh:
        pid = unquote(href.removeprefix("/person/"))
        shown = wh.query("SELECT display_name FROM people WHERE person_id = ?", [pid])[0][0]
    assert clv["rows"][i]["name"] == shown and shown != pid  # a name, not an id


def test_platform_filter_means_touched_journeys_its_row_and_its_customers(
    money: TestClient, demo: Demo
) -> None:
    with Warehouse.open(demo.db, read_only=True) as wh:
        platforms = [r[0] for r in wh.query("SELECT platform FROM accounts WHERE owner='brand'")]
    touched = {p: _touched(demo, "source", p) for p in platforms}
    platform = max(platforms, key=lambda p: touched[p][1])
    ids, conversions = touched[platform]
    assert conversions > 0
    period = _all_dates(demo)
    everything = _sections(money, "/api/money?" + period)
    s = _sections(money, f"/api/money?{period}&platform={platform}")
    # attribution: the journeys with a touch from the platform, all their credit
    assert _first_model_conversions(s["attribution"]) == pytest.approx(conversions)
    assert _first_model_conversions(s["attribution"]) < _first_model_conversions(
        everything["attribution"]
    )
    assert f"a touch from {platform}" in s["attribution"]["intro"]
    # ROI: the platform's row and the total
    assert [r["platform"] for r in _table(s["roi"], "roi")["rows"]] == [platform, "total"]
    # customers: those the platform's touches acquired
    with Warehouse.open(demo.db, read_only=True) as wh:
        b = wh.ibis()
        orders = build_journeys(b, JourneySpec()).meta
        orders = orders[(orders["kind"] == "order") & orders["journey"].isin(ids)]
        acquired = acquired_customers(b, list(orders["journey"]))
    filtered = _table(s["customers"], "returning_customers")["rows"][0]
    unfiltered = _table(everything["customers"], "returning_customers")["rows"][0]
    assert 0 < filtered["customers"] == len(acquired) < unfiltered["customers"]
    assert "since" in s["customers"]["not_filtered"]
    # lift: of starting this platform, or why not
    lift = s["lift"]
    assert platform in lift["title"] and "campaign" in lift["not_filtered"]


def test_campaign_filter_and_what_it_does_not_narrow(money: TestClient, demo: Demo) -> None:
    campaign = "spring-launch"
    _, conversions = _touched(demo, "campaign", campaign)
    assert conversions > 0
    s = _sections(money, f"/api/money?{_all_dates(demo)}&campaign={campaign}")
    assert _first_model_conversions(s["attribution"]) == pytest.approx(conversions)
    assert [r["campaign"] for r in _table(s["roi"], "roi")["rows"]] == [campaign, "total"]
    both = _sections(money, f"/api/money?campaign={campaign}&platform=x")
    assert "platform" in both["roi"]["not_filtered"]
    # lift is not narrowed by a campaign: said in the JSON and on the page
    assert "campaign" in s["lift"]["not_filtered"]
    html = money.get(f"/money?campaign={campaign}").text
    assert 'data-filter="campaign"' in html and "Not filtered by campaign" in html


def test_customers_and_relationships_link_to_exactly_their_rows(
    money: TestClient, demo: Demo
) -> None:
    """Returning customers, repeat customers, churned and each ROI row's relationships open
    lists of exactly that many people; the relationships of a platform are counted here from
    the interactions and the resolved persons."""
    period = _all_dates(demo)
    for query in ("", "&platform=x"):
        s = _sections(money, "/api/money?" + period + query)
        returning = _table(s["customers"], "returning_customers")
        row, links = returning["rows"][0], returning["hrefs"][0]
        for column in ("customers", "repeat_customers", "churned"):
            assert _items_total(money, links[column]) == row[column], (query, column)
        assert row["repeat_customers"] > 0
        roi = _table(s["roi"], "roi")
        linked = 0
        for r, h in zip(roi["rows"], roi["hrefs"], strict=True):
            if "relationships" not in h:  # (shared) costs, a platform with costs only
                assert not r["relationships"], r
                continue
            assert _items_total(money, h["relationships"]) == r["relationships"], r["platform"]
            linked += 1
        assert linked >= 2
    with Warehouse.open(demo.db, read_only=True) as wh:
        (expected,) = wh.query(
            "SELECT count(DISTINCT coalesce(l.person_id, i.person_ref, x.platform || ':' || "
            "x.actor_handle)) FROM interactions x "
            "LEFT JOIN person_links l ON l.kind = 'handle:' || x.platform "
            "AND l.value = x.actor_handle "
            "LEFT JOIN identities i ON i.kind = 'handle:' || x.platform "
            "AND i.value = x.actor_handle "
            "WHERE x.direction = 'inbound' AND x.kind <> 'unfollow' AND x.platform = 'x'"
        )[0]
    # every date of the interactions (no period chosen lists the latest month's)
    listed = money.get("/api/items?metric=relationships&platform=x&since=2000-01-01").json()
    table = listed["data"]["sections"][0]["tables"][0]
    assert table["total_rows"] == expected > 0
    # a resolved person links to the person's page
    href = next(h["person"] for h in table["hrefs"] if h.get("person"))
    assert money.get(href).status_code == 200
    # a bad segment is refused, naming the valid ones
    bad = money.get("/api/items?metric=customers&segment=lost")
    assert bad.status_code == 400 and "repeat" in bad.text


def _money_figures(db: Path, memo: CreditMemo | None = None) -> tuple[str, dict[str, str]]:
    """The figures of the Money page's attribution and ROI (cards and table rows, as JSON)
    and each section's intro, computed from the warehouse opened read-only (``memo``: the
    model runs to look up; by default those stored beside it)."""
    with Warehouse.open(db, read_only=True) as wh:
        ctx = Ctx(wh, Filters()).headline_ctx()
        sections = credit_sections(ctx, JourneyStore(ctx.backend), memo)
    figures = [
        (
            s.id,
            [(c.name, c.value, c.detail) for c in s.cards],
            [(t.name, t.rows) for t in s.tables],
        )
        for s in sections
    ]
    return json.dumps(figures, default=str), {s.id: s.intro or "" for s in sections}


def test_intervals_stored_at_import_are_the_page_figures_and_stale_ones_recomputed(
    demo: Demo, tmp_path: Path
) -> None:
    db = tmp_path / "goodwill.duckdb"
    shutil.copy(demo.db, db)
    path = stored_path(db)
    assert path is not None
    recording = CreditMemo(record=True)  # computes every run, as with nothing stored
    computed, intros = _money_figures(db, recording)
    assert recording.misses > 0 and recording.hits == 0
    assert "at import" not in intros["attribution"] + intros["roi"]
    recording.save(path)
    stored, intros = _money_figures(db)
    assert stored == computed  # the very numbers the page computes
    for section in ("attribution", "roi"):
        assert "Computed at import" in intros[section]
    with Warehouse.open(db) as wh:  # what goodwill import runs: the same runs, kept
        assert f"{recording.recorded} unchanged" in store_money_credits(wh)  # + the lift
        assert "(0 computed" in store_money_credits(wh)
        wh.con.execute(  # the data change after the import: the stored runs are stale
            "DELETE FROM conversions WHERE conversion_id = "
            "(SELECT conversion_id FROM conversions ORDER BY occurred_at DESC LIMIT 1)"
        )
    stale, intros = _money_figures(db)
    for section in ("attribution", "roi"):
        assert "Computed now" in intros[section]  # recomputed in memory, and said
    assert stale != stored
