"""Every count of the registry lists its rows: for each query's count that declares the list
behind it (``Query.items``), on a labelled simulated business, the list of a row (the
first non-zero one and the largest) has exactly as many rows as the count — or, for a sum
(``pageviews``, an engagement count), rows whose column of the count's name sums to it. Runs
over the declarations, not the dashboard's pages; ``goodwill metrics NAME --items`` and
``--sql`` give the same lists."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.enrich.sentiment import enrich_labels
from goodwill.errors import UserInputError
from goodwill.importer import import_paths
from goodwill.metrics import QUERIES, MetricParams, run_query, scorecard
from goodwill.metrics.common import next_month, previous_month
from goodwill.metrics.items import COUNT_ITEMS, ITEMS, narrow, row_of, run_items
from goodwill.metrics.scorecard import last_month_with_data
from goodwill.people.identity import resolve
from goodwill.simulate import DemoSpec, simulate
from goodwill.warehouse import Warehouse

ALL = MetricParams(by="month")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Any]]:
    folder = tmp_path_factory.mktemp("items-demo")
    simulate(DemoSpec(people=60), folder / "data")
    db = folder / "goodwill.duckdb"
    with Warehouse.open(db) as wh:
        import_paths(wh, [folder / "data"], show_progress=False)
        resolve(wh)
        assert enrich_labels(wh) > 0
    with Warehouse.open(db, read_only=True) as wh:
        yield db, wh.ibis()


def _listed(backend: Any, query: str, metric: str, row: dict[str, Any]) -> float:
    """What the list behind ``query.metric`` of ``row`` adds up to."""
    name = f"{query}.{metric}"
    params, keys = narrow(name, ALL, row_of(query, metric, row))
    frame = run_items(name, backend, params, keys)
    if metric in frame.columns:  # a sum: the rows whose column of its name sums to it
        return float(pd.to_numeric(frame[metric]).fillna(0).sum())
    return float(len(frame))


def _samples(frame: pd.DataFrame, metric: str) -> list[dict[str, Any]]:
    nonzero = frame[frame[metric] > 0]
    if nonzero.empty:
        return []
    rows = [nonzero.iloc[0], nonzero.loc[nonzero[metric].idxmax()]]
    return [dict(r) for r in {id(r): r for r in rows}.values()]


def test_every_declared_list_names_a_list_and_a_count() -> None:
    for query, metrics in COUNT_ITEMS.items():
        declared = {m.name for m in QUERIES[query].metrics}
        for metric, items in metrics.items():
            assert metric in declared, (query, metric)
            assert QUERIES[query].metric(metric).unit in ("count", "people"), (query, metric)
            assert QUERIES[query].items[metric] is ITEMS[items]


def test_every_count_lists_exactly_its_rows(demo: tuple[Path, Any]) -> None:
    _, backend = demo
    wrong, checked = [], set()
    for query in COUNT_ITEMS:
        frame = run_query(query, backend, ALL)
        for metric in QUERIES[query].items:
            for row in _samples(frame, metric):
                dims = {d: row[d] for d in QUERIES[query].dimensions}
                got = _listed(backend, query, metric, dims)
                checked.add((query, metric))
                if abs(got - float(row[metric])) > 1e-9:
                    wrong.append((query, metric, dims, row[metric], got))
    assert not wrong, wrong
    every = {(q, m) for q, ms in COUNT_ITEMS.items() for m in ms}
    # the simulated business has every kind of count but clicks on tracked links (it writes
    # no click log; tests/dashboard/test_dashboard_items.py lists clicks of its own log)
    assert every - checked <= {("link_clicks", "clicks"), ("link_clicks", "clickers")}, sorted(
        every - checked
    )


def test_lists_of_people_name_them(demo: tuple[Path, Any]) -> None:
    _, backend = demo
    frame = run_items("people_active", backend, ALL)
    assert len(frame) and frame["person_id"].notna().all()
    assert frame["person"].notna().all()


def test_a_row_key_a_list_does_not_take_is_refused(demo: tuple[Path, Any]) -> None:
    _, backend = demo
    with pytest.raises(UserInputError, match="row key 'channel' does not apply; it takes account"):
        run_items("answered", backend, ALL, {"channel": "social"})
    with pytest.raises(UserInputError, match=r"no list of items 'care\.nope'"):
        run_items("care.nope", backend, ALL)


def test_the_cli_lists_the_rows_behind_a_count_and_prints_its_sql(demo: tuple[Path, Any]) -> None:
    db, backend = demo
    care = run_query("care", backend, ALL)
    row = care[care["needing_answer"] > 0].iloc[0]
    args = ["metrics", "care.needing_answer", "--items", "--db", str(db), "--format", "csv"]
    args += ["--row", f"period={row['period']}", "--row", f"platform={row['platform']}"]
    args += ["--row", f"account={row['account']}"]
    run = CliRunner().invoke(app, args)
    assert run.exit_code == 0, run.output
    lines = [line for line in run.output.splitlines() if line.strip()]
    assert lines[0].startswith("created_at,platform,account,actor_handle")
    assert len(lines) - 1 == int(row["needing_answer"])
    sql = CliRunner().invoke(
        app, ["metrics", "care.needing_answer", "--items", "--sql", "--db", str(db)]
    )
    assert sql.exit_code == 0, sql.output
    assert sql.output.lstrip().startswith(("SELECT", "WITH")) and "interactions" in sql.output
    bad = CliRunner().invoke(
        app, ["metrics", "answered", "--items", "--row", "period", "--db", str(db)]
    )
    assert bad.exit_code == 2
    assert "--row 'period': expected KEY=VALUE" in bad.output


CARDS = {
    "mentions": "mentions",
    "posts": "posts",
    "leads": "leads",
    "orders": "orders",
    "people_active": "people_active",
    "repeat_interactors": "repeat_interactors",
    "visits": "visits",
}
"""Scorecard headline → the list its card links to (the Overview's cards)."""


def test_the_scorecards_counts_list_their_rows(demo: tuple[Path, Any]) -> None:
    """The Overview's cards of the month before the last (a whole month of data)."""
    _, backend = demo
    last = last_month_with_data(backend)
    assert last is not None
    month = previous_month(last)
    cards = {r.name: r.value for r in scorecard(backend, month=month)}
    params = MetricParams(since=month, until=next_month(month) - timedelta(days=1))
    for card, items in CARDS.items():
        listed = len(run_items(items, backend, params))
        assert listed == cards[card], (card, cards[card], listed)
    assert all(cards[c] > 0 for c in CARDS), cards


@pytest.mark.parametrize(
    "name", ["relationships", "customers", "tier_moves", "unanswered", "carrying"]
)
def test_the_lists_no_query_counts_run_and_name_people(demo: tuple[Path, Any], name: str) -> None:
    _, backend = demo
    frame = run_items(name, backend, ALL)
    if ITEMS[name].person is not None:
        assert {"person", "person_id"} <= set(frame.columns)
    if name in ("relationships", "customers", "tier_moves"):
        assert len(frame) > 0
        assert frame["person"].notna().all()
