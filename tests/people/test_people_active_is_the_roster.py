"""One definition of "people who paid attention": the scorecard's ``people_active`` (loyalty,
through :func:`goodwill.metrics.common.person_of`) counts the resolved persons the monthly
roster lists, so the overview card and the /people page it links to show the same number."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from goodwill.importer import import_paths
from goodwill.metrics import MetricParams, run_query, scorecard
from goodwill.people.identity import is_stale, record_decision, resolve
from goodwill.people.roster import monthly_roster
from goodwill.simulate import DemoSpec, simulate
from goodwill.warehouse import Warehouse

APRIL = date(2026, 4, 1)
ACCOUNTS = "platform,handle,owner,display_name\nx,fernhill,brand,Fernhill\n" + (
    "mastodon,fernhill,brand,Fernhill\n"
)
HEADER = "platform,interaction_id,created_at,kind,direction,actor_handle,actor_name,target_handle\n"
# Anna on x and on Mastodon (names too different for the matcher), Carl on x, and Dora on
# both, linked by identities (one person_ref)
APRIL_ROWS = (
    "x,a1,2026-04-02T10:00:00Z,like,inbound,anna_b,Anna B,fernhill\n"
    "mastodon,a2,2026-04-03T10:00:00Z,comment,inbound,quietfox@m.social,Quiet Fox,fernhill\n"
    "x,a3,2026-04-04T10:00:00Z,reply,inbound,carl,Carl Jones,fernhill\n"
    "x,a4,2026-04-05T10:00:00Z,share,inbound,dora,Dora,fernhill\n"
    "mastodon,a5,2026-04-06T10:00:00Z,like,inbound,dora@m.social,Dora,fernhill\n"
    "x,a6,2026-04-07T10:00:00Z,unfollow,inbound,eve,Eve,fernhill\n"
)
IDENTITIES = (
    "kind,value,person_ref,display_name\nhandle:x,dora,crm-7,Dora\n"
    "handle:mastodon,dora@m.social,crm-7,Dora\n"
)


def _people_active(wh: Warehouse, month: date) -> int:
    rows = {r.name: r for r in scorecard(wh.ibis(), month=month)}
    return int(rows["people_active"].value or 0)


def _roster_size(wh: Warehouse, month: date) -> int:
    return len(monthly_roster(wh, month).people)


def _write(folder: Path, rows: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    (folder / "identities.csv").write_text(IDENTITIES, encoding="utf-8")
    (folder / "interactions.csv").write_text(HEADER + rows, encoding="utf-8")
    return folder


def test_two_handles_merged_by_a_decision_count_once(wh: Warehouse, tmp_path: Path) -> None:
    import_paths(wh, [_write(tmp_path / "april", APRIL_ROWS)], show_progress=False)
    # not resolved yet: Dora's handles are one person by identities, Anna's are two
    assert is_stale(wh) and _people_active(wh, APRIL) == 4
    resolve(wh)
    assert _people_active(wh, APRIL) == _roster_size(wh, APRIL) == 4
    record_decision(wh, "merge", ("handle:x", "anna_b"), ("handle:mastodon", "quietfox@m.social"))
    resolve(wh)
    assert _roster_size(wh, APRIL) == 3
    assert _people_active(wh, APRIL) == 3  # Anna, Carl, Dora; Eve only unfollowed
    april = MetricParams(by="month", since=APRIL, until=date(2026, 4, 30))
    loyalty = run_query("loyalty", wh.ibis(), april)
    assert loyalty["people_active"].tolist() == [3]
    # a later import, not resolved yet: the known handles keep their resolved person, a new
    # handle counts as platform:handle until the next resolve
    more = "x,a7,2026-04-20T10:00:00Z,like,inbound,frank,Frank,fernhill\n"
    import_paths(wh, [_write(tmp_path / "more", APRIL_ROWS + more)], show_progress=False)
    assert is_stale(wh) and _people_active(wh, APRIL) == 4
    resolve(wh)
    assert _people_active(wh, APRIL) == _roster_size(wh, APRIL) == 4


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    folder = tmp_path_factory.mktemp("people-active-demo")
    simulate(DemoSpec(people=80), folder / "data")
    with Warehouse.open(folder / "goodwill.duckdb") as wh:
        import_paths(wh, [folder / "data"], show_progress=False)
        resolve(wh)
        yield wh


def test_on_the_demo_the_scorecard_counts_the_roster_every_month(demo: Warehouse) -> None:
    months = sorted(
        {
            date(int(y), int(m), 1)
            for y, m in demo.query(
                "SELECT DISTINCT year(created_at), month(created_at) FROM interactions"
            )
        }
    )
    assert len(months) >= 6
    merged = 0
    for month in months:
        roster = _roster_size(demo, month)
        assert _people_active(demo, month) == roster, month
        handles = demo.query(
            "SELECT count(DISTINCT i.platform || ':' || i.actor_handle) FROM interactions i "
            "JOIN accounts a ON a.platform = i.platform AND a.handle = i.target_handle "
            "AND a.owner = 'brand' WHERE i.direction = 'inbound' AND i.kind <> 'unfollow' "
            "AND i.created_at >= ? AND i.created_at < ? + INTERVAL 1 MONTH",
            [month, month],
        )[0][0]
        merged += int(handles) - roster
    assert merged > 0  # the demo has people with handles on several platforms


def test_the_funnel_follows_a_merge_to_the_customer(wh: Warehouse, tmp_path: Path) -> None:
    """Anna acts on x as ``crm-1`` and orders as customer ``shop-9`` (``crm-2``): two persons
    until a merge decision joins them; then the funnel's social touch and her order are one
    person, so she reaches the customer step."""
    folder = _write(
        tmp_path / "funnel", "x,f1,2026-04-02T10:00:00Z,like,inbound,anna_b,Anna B,fernhill\n"
    )
    (folder / "identities.csv").write_text(
        "kind,value,person_ref,display_name\nhandle:x,anna_b,crm-1,Anna B\n"
        "customer,shop-9,crm-2,Anna Berg\nvisitor,v-9,crm-2,Anna Berg\n",
        encoding="utf-8",
    )
    (folder / "visits.csv").write_text(
        "visit_id,started_at,visitor_id,landing_url\nw1,2026-04-03T09:00:00Z,v-9,https://shop.example/\n",
        encoding="utf-8",
    )
    (folder / "conversions.csv").write_text(
        "conversion_id,occurred_at,kind,value,customer_id\no1,2026-04-03T09:30:00Z,order,40,shop-9\n",
        encoding="utf-8",
    )
    import_paths(wh, [folder], show_progress=False)
    april = MetricParams(by="month", since=APRIL, until=date(2026, 4, 30))

    def steps() -> dict[str, int]:
        f = run_query("funnel", wh.ibis(), april)
        return dict(zip(f["step"], f["people"], strict=True))

    resolve(wh)
    assert steps() == {"social": 1, "visit": 0, "lead": 0, "customer": 0}
    record_decision(wh, "merge", ("handle:x", "anna_b"), ("customer", "shop-9"))
    resolve(wh)
    assert steps() == {"social": 1, "visit": 1, "lead": 1, "customer": 1}


def test_read_only_commands_say_when_people_are_not_resolved(tmp_path: Path) -> None:
    """``goodwill metrics`` and ``goodwill scorecard`` cannot resolve (read-only): after an
    import they say on stderr that people counts wait for ``goodwill people resolve``, and
    stop saying it once it ran; the numbers on stdout stay machine-readable."""
    from typer.testing import CliRunner

    from goodwill.cli import app

    db = tmp_path / "goodwill.duckdb"
    with Warehouse.open(db) as wh:
        import_paths(wh, [_write(tmp_path / "april", APRIL_ROWS)], show_progress=False)
    runner = CliRunner()
    commands = (
        ["metrics", "loyalty", "--db", str(db), "--format", "json"],
        ["scorecard", "--db", str(db), "--format", "json"],
    )
    for args in commands:
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "goodwill people resolve" in result.stderr
        assert "goodwill people resolve" not in result.stdout
    with Warehouse.open(db) as wh:
        resolve(wh)
    for args in commands:
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "resolve" not in result.stderr
    # a metric that counts no people does not depend on resolution: no note
    with Warehouse.open(db) as wh:
        import_paths(wh, [_write(tmp_path / "again", APRIL_ROWS)], show_progress=False)
    audience = runner.invoke(app, ["metrics", "audience", "--db", str(db), "--format", "json"])
    assert audience.exit_code == 0 and audience.stderr == ""
    assert "goodwill people resolve" in runner.invoke(app, commands[0]).stderr
