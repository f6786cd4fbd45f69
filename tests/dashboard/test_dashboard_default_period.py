"""One default period on every page: with no period chosen, every page's filter bar states
the same period (the report's default month, trends the twelve months up to it), and the
headline numbers are the metric functions' for that month; a chosen period sets both."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
from dashboard_server import Demo, Server

from goodwill.metrics import MetricParams, run_query
from goodwill.report.html import default_month
from goodwill.report.summary import month_end
from goodwill.warehouse import Warehouse
from goodwill.web.dashboard.filters import Filters, page_period
from goodwill.web.dashboard.routes import NAV

_PERIOD = re.compile(r'<p class="period" id="period">Period:\s*<strong>([^<]*)</strong>')


def _get(server: Server, path: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {server.demo.token}"}
    r = httpx.get(server.url + path, headers=headers, timeout=300)
    assert r.status_code == 200, (path, r.text[:500])
    return r


def _card(data: dict[str, Any], name: str) -> float:
    cards = [c for s in data["data"]["sections"] for c in s["cards"] if c["name"] == name]
    assert len(cards) == 1, name
    return float(cards[0]["value"])


def _mentions(demo: Demo, since: date, until: date) -> int:
    with Warehouse.open(demo.db, read_only=True, create=False) as wh:
        frame = run_query("listening", wh.ibis(), MetricParams(since=since, until=until))
    return int(frame["mentions"].sum())


def test_every_page_states_the_same_default_period(server: Server, demo: Demo) -> None:
    with Warehouse.open(demo.db, read_only=True, create=False) as wh:
        month = default_month(wh)
    assert month is not None
    back = date(month.year - 1, month.month, 1)  # twelve months: the 11 before and the month
    start = date(back.year + back.month // 12, back.month % 12 + 1, 1)
    expected = f"{month:%B %Y}; trends: {start:%b %Y} – {month:%b %Y}"
    stated = {}
    for page in NAV:
        if page == "definitions":  # no filter bar: it has no numbers of a period
            continue
        found = _PERIOD.search(_get(server, "/" if page == "overview" else f"/{page}").text)
        assert found, page
        stated[page] = found.group(1)
    assert set(stated.values()) == {expected}, stated
    # the Overview's scorecard is of the same month
    overview = _get(server, "/api/overview").json()
    assert overview["data"]["sections"][0]["title"] == f"Scorecard, {month:%B %Y}"


def test_listening_headline_is_the_default_month_and_trends_the_year_to_it(
    server: Server, demo: Demo
) -> None:
    month = demo.expected["default_month"]
    data = _get(server, "/api/listening").json()
    assert _card(data, "mentions") == _mentions(demo, month, month_end(month))
    assert _card(data, "mentions") == demo.expected["mentions_month"]
    tables = {t["name"]: t for s in data["data"]["sections"] for t in s["tables"]}
    months = {row["period"][:7] for row in tables["listening"]["rows"]}
    assert months == {f"{month:%Y-%m}"}  # the list covers the month, as the card
    # the trend chart shows every month with mentions of the twelve up to it, not one point
    start = date(month.year - 1, month.month, 1)
    start = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    with Warehouse.open(demo.db, read_only=True, create=False) as wh:
        trend = run_query("listening", wh.ibis(), MetricParams(since=start, until=month_end(month)))
    labels = {f"{pd.Timestamp(p):%b %y}" for p in trend["period"]}
    assert len(labels) > 1
    html = _get(server, "/listening").text
    assert all(label in html for label in labels), labels


def test_a_chosen_period_sets_the_numbers_and_the_trends(server: Server, demo: Demo) -> None:
    since, until = date(2026, 3, 10), date(2026, 8, 20)
    data = _get(server, f"/api/listening?since={since}&until={until}").json()
    assert _card(data, "mentions") == _mentions(demo, since, until)
    tables = {t["name"]: t for s in data["data"]["sections"] for t in s["tables"]}
    months = {row["period"][:7] for row in tables["listening"]["rows"]}
    assert months == {f"2026-{m:02d}" for m in range(3, 9)}
    html = _get(server, f"/listening?since={since}&until={until}").text
    found = _PERIOD.search(html)
    assert found and found.group(1) == f"{since} to {until}"


def test_the_trend_window_crosses_a_year(tmp_path: Path) -> None:
    with Warehouse.open(tmp_path / "empty.duckdb") as wh:
        assert page_period(wh, Filters()).statement() == "no data yet"
        p = page_period(wh, Filters(month="2026-01"))
        chosen = page_period(wh, Filters(since=date(2026, 3, 10)))
    assert (p.since, p.until) == (date(2026, 1, 1), date(2026, 1, 31))
    assert (p.trend_since, p.trend_until) == (date(2025, 2, 1), date(2026, 1, 31))
    assert p.statement() == "January 2026; trends: Feb 2025 – Jan 2026"
    assert chosen.chosen and chosen.statement() == "2026-03-10 to last day with data"
