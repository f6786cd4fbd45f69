"""GA4 report exports → traffic_aggregates, and the traffic metrics use them where a period has
no visit-level data, saying so (issue 14). Expected totals are summed from the fixture with the
csv module here, independently of the adapter."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from goodwill.errors import UserInputError
from goodwill.importer import import_paths
from goodwill.metrics import MetricParams, run_query
from goodwill.sources.adapters import AdapterContext
from goodwill.sources.ga4 import channel_of, detect, read
from goodwill.sources.registry import all_formats
from goodwill.warehouse import Warehouse

FIX = Path(__file__).parents[1] / "fixtures" / "ga4"
BY_DAY = FIX / "traffic_acquisition_by_day.csv"
RANGE = FIX / "traffic_acquisition_range.csv"
USERS = FIX / "user_acquisition.csv"


def _table(path: Path) -> list[dict[str, str]]:
    """The rows under the header line (the first line that does not start with '#')."""
    text = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(text) if not line.startswith("#"))
    return list(csv.DictReader(text[start:]))


def test_detected_by_content_and_only_by_ga4() -> None:
    for path in (BY_DAY, RANGE, USERS):
        assert detect(path), path
        found = [f.name for f in all_formats().values() if f.detect(path)]
        assert found == ["ga4"], (path, found)


def test_daily_export_totals_match_the_file() -> None:
    rows = _table(BY_DAY)
    group = "Session primary channel group (Default Channel Group)"
    want: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        day = r["Date"]
        want[(r[group], f"{day[:4]}-{day[4:6]}-{day[6:]}")] += int(r["Sessions"])
    out = read(BY_DAY, AdapterContext())
    got = {
        (str(r["channel_group"]), str(r["period_start"])): int(str(r["sessions"]))
        for r in out.tables["traffic_aggregates"]
    }
    assert got == dict(want)
    assert all(
        r["period_start"] == r["period_end"] and r["report"] == "traffic_acquisition"
        for r in out.tables["traffic_aggregates"]
    )
    revenue = sum(float(r["Total revenue"]) for r in rows)
    assert sum(float(str(r["revenue"])) for r in out.tables["traffic_aggregates"]) == revenue
    props = {r["property"] for r in out.tables["traffic_aggregates"]}
    assert props == {"fernhill.example - GA4"}


def test_range_export_checks_its_grand_total_and_spans_the_range(tmp_path: Path) -> None:
    rows = [r for r in _table(RANGE) if r[next(iter(r))] != "Grand total"]
    out = read(RANGE, AdapterContext())
    aggs = out.tables["traffic_aggregates"]
    assert len(aggs) == len(rows)
    assert {(r["period_start"], r["period_end"]) for r in aggs} == {("2026-04-06", "2026-04-12")}
    assert sum(int(str(r["sessions"])) for r in aggs) == sum(int(r["Sessions"]) for r in rows)
    assert out.skipped == {"ga4: grand total row (checked against the rows)": 1}
    broken = tmp_path / "range.csv"
    broken.write_text(
        "".join(
            line for line in RANGE.read_text().splitlines(keepends=True) if "Referral" not in line
        )
    )
    with pytest.raises(UserInputError, match=r"Grand total of Sessions .* is not the sum"):
        read(broken, AdapterContext())


def test_user_acquisition() -> None:
    rows = _table(USERS)
    out = read(USERS, AdapterContext())
    aggs = out.tables["traffic_aggregates"]
    assert {r["report"] for r in aggs} == {"user_acquisition"}
    assert sum(int(str(r["users"])) for r in aggs) == sum(int(r["Total users"]) for r in rows)
    assert sum(int(str(r["new_users"])) for r in aggs) == sum(int(r["New users"]) for r in rows)


def test_channel_groups_map_to_goodwill_channels() -> None:
    assert channel_of("Organic Social") == "social"
    assert channel_of("Paid Social") == "paid_social"
    assert channel_of("Organic Search") == "search"
    assert channel_of("AI Assistants") == "ai_assistant"
    assert channel_of("Cross-network") == channel_of("Unassigned") == "other"


def _visit(wh: Warehouse, tmp_path: Path, day: str, n: int) -> Path:
    f = tmp_path / "visits.csv"
    lines = ["visit_id,started_at,visitor_id,landing_url,referrer"]
    lines += [
        f"v{day}{i},{day} 10:00:00,p{i},https://fernhill.example/,https://t.co/x" for i in range(n)
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f


def test_traffic_metrics_use_ga4_only_where_visits_are_absent(tmp_path: Path) -> None:
    rows = _table(BY_DAY)
    group = "Session primary channel group (Default Channel Group)"
    sessions = sum(int(r["Sessions"]) for r in rows)
    social = sum(int(r["Sessions"]) for r in rows if r[group] in ("Organic Social", "Paid Social"))
    with Warehouse.open(":memory:") as wh:
        visits = _visit(wh, tmp_path, "2026-03-10", 4)  # March has visit-level data
        import_paths(wh, [BY_DAY, RANGE, visits], show_progress=False)
        share = run_query("traffic_share", wh.ibis(), MetricParams(by="month"))
        got = {(r.period, r.data_source): (r.visits, r.social_visits) for r in share.itertuples()}
        # April: the daily rows (the weekly range export of the same days is not added again)
        assert got == {
            (date(2026, 3, 1), "visits"): (4, 4),
            (date(2026, 4, 1), "ga4"): (sessions, social),
        }
        # by week: 2026-04-06 is a Monday, so the range export and the days fall in one week;
        # the days (the shortest span) are used
        weekly = run_query("traffic_share", wh.ibis(), MetricParams(by="week"))
        assert [(r.data_source, r.visits) for r in weekly.itertuples()][-1] == ("ga4", sessions)
        traffic = run_query("traffic", wh.ibis(), MetricParams(by="month"))
        ga4 = traffic[traffic.data_source == "ga4"]
        assert set(ga4.source) == {"(not set)"} and ga4.visits.sum() == sessions
        assert (ga4.pageviews == 0).all()  # counts are never NULL: a GA4 row has no pages
        x_only = run_query("traffic_share", wh.ibis(), MetricParams(by="month", platform="x"))
        assert set(x_only.data_source) == {"visits"}
        # once April has visit-level data, the visits win for April
        import_paths(wh, [_visit(wh, tmp_path, "2026-04-20", 2)], show_progress=False)
        share = run_query("traffic_share", wh.ibis(), MetricParams(by="month"))
        assert {(r.period, r.data_source, r.visits) for r in share.itertuples()} == {
            (date(2026, 3, 1), "visits", 4),
            (date(2026, 4, 1), "visits", 2),
        }


def test_the_scorecard_names_ga4_as_the_source_of_its_visits(tmp_path: Path) -> None:
    from goodwill.metrics import scorecard

    rows = _table(BY_DAY)
    group = "Session primary channel group (Default Channel Group)"
    sessions = sum(int(r["Sessions"]) for r in rows)
    social = sum(int(r["Sessions"]) for r in rows if r[group] in ("Organic Social", "Paid Social"))
    with Warehouse.open(":memory:") as wh:
        import_paths(wh, [BY_DAY, _visit(wh, tmp_path, "2026-03-10", 4)], show_progress=False)
        april = {r.name: r for r in scorecard(wh.ibis(), month=date(2026, 4, 1))}
        march = {r.name: r for r in scorecard(wh.ibis(), month=date(2026, 3, 1))}
    visits, share = april["visits"], april["social_share_of_visits"]
    assert (visits.value, visits.previous) == (sessions, 4)
    assert visits.label == "Website visits (GA4 sessions; previous month: visits)"
    assert visits.data_from == share.data_from == "GA4 sessions"
    assert "GA4 traffic acquisition export" in visits.definition
    assert share.value == pytest.approx(social / sessions)
    assert share.label == "Social share of visits (GA4 sessions; previous month: visits)"
    # March's figures are visits (the month before has no traffic at all): named as before
    assert (march["visits"].label, march["visits"].data_from) == ("Website visits", None)
    assert april["orders"].data_from is None and april["orders"].label == "Orders"


REAL_TRAFFIC = FIX / "real_traffic_acquisition_range.csv"
REAL_USERS = FIX / "real_user_acquisition_range.csv"
REAL_OVERVIEW = FIX / "real_acquisition_overview.csv"


def _sections(path: Path) -> dict[str, list[dict[str, str]]]:
    """Header line -> the rows of that section (sections end at a blank line; '#' lines are
    comments), read with the csv module."""
    out: dict[str, list[dict[str, str]]] = {}
    block: list[str] = []
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    for line in [*text.split("\n"), ""]:
        if line.strip() and not line.startswith("#"):
            block.append(line)
        elif block:
            rows = list(csv.DictReader(block))
            out[block[0]] = rows
            block = []
    return out


def test_real_range_exports_match_the_file() -> None:
    """Real GA4 downloads (tests/fixtures/ga4/SOURCES.md): a traffic and a user acquisition
    report over 2025-01-01..2025-10-30, one row per channel group, no Grand total row, no
    newline at the end."""
    traffic = _table(REAL_TRAFFIC)
    users = _table(REAL_USERS)
    assert detect(REAL_TRAFFIC) and detect(REAL_USERS)
    with Warehouse.open(":memory:") as wh:
        import_paths(wh, [REAL_TRAFFIC, REAL_USERS], show_progress=False)
        assert wh.count("quarantine") == 0
        got = wh.con.execute(
            "SELECT report, channel_group, sessions, engaged_sessions, users, new_users, "
            "period_start, period_end FROM traffic_aggregates ORDER BY report, channel_group"
        ).fetchall()
        share = run_query("traffic_share", wh.ibis(), MetricParams(by="month"))
    group = "Session primary channel group (Default Channel Group)"
    first = "First user primary channel group (Default Channel Group)"
    assert {(g[1], g[2], g[3]) for g in got if g[0] == "traffic_acquisition"} == {
        (r[group], int(r["Sessions"]), int(r["Engaged sessions"])) for r in traffic
    }
    assert {(g[1], g[4], g[5]) for g in got if g[0] == "user_acquisition"} == {
        (r[first], int(r["Total users"]), int(r["New users"])) for r in users
    }
    assert {(g[6], g[7]) for g in got} == {(date(2025, 1, 1), date(2025, 10, 30))}
    sessions = sum(int(r["Sessions"]) for r in traffic)
    assert sessions == 7262
    # a ten-month range counts in no single month: traffic_share by month has no GA4 row
    # for it, and nothing is counted twice
    assert "ga4" not in set(share.data_source)


def test_real_acquisition_overview_reads_its_channel_tables() -> None:
    """A real *Acquisition overview* download: CRLF, two "Nth day" sections first (the
    channel tables start at line 74), an empty campaign section, a cohort section."""
    sections = _sections(REAL_OVERVIEW)
    assert detect(REAL_OVERVIEW)
    with Warehouse.open(":memory:") as wh:
        summary = import_paths(wh, [REAL_OVERVIEW], show_progress=False)
        got = wh.con.execute(
            "SELECT report, channel_group, sessions, new_users FROM traffic_aggregates"
        ).fetchall()
    by_session = sections["Session primary channel group (Default Channel Group),Sessions"]
    by_first = sections["First user primary channel group (Default Channel Group),New users"]
    assert {(g[1], g[2]) for g in got if g[0] == "traffic_acquisition"} == {
        (r["Session primary channel group (Default Channel Group)"], int(r["Sessions"]))
        for r in by_session
    }
    assert {(g[1], g[3]) for g in got if g[0] == "user_acquisition"} == {
        (r["First user primary channel group (Default Channel Group)"], int(r["New users"]))
        for r in by_first
    }
    assert sum(g[2] or 0 for g in got) == sum(int(r["Sessions"]) for r in by_session) == 242
    other_rows = sum(len(rows) for name, rows in sections.items() if "channel group" not in name)
    (skipped,) = summary.skipped[str(REAL_OVERVIEW)].values()
    assert skipped == other_rows
