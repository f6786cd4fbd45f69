"""The SQL of every registry query and of every list of rows behind a count (``goodwill
metrics NAME --sql``, ``goodwill metrics NAME --items --sql``), compared with the snapshots
in ``tests/metrics/snapshots/``: a change to a metric's SQL shows in review as a diff of its
snapshot.

Refresh the snapshots after an intended change (and read the diff)::

    GOODWILL_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/metrics/test_sql_snapshots.py

The SQL is compiled on a warehouse with one brand account and one mention (care's reply
window is bounded by the data's first and last day), for March 2026 on x; names that change
from run to run (in-memory tables, the order of ``EXCLUDE`` lists) are normalised
(:func:`normal`)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from metric_fixtures import Seed

from goodwill.errors import UserInputError
from goodwill.metrics import QUERIES, MetricParams
from goodwill.metrics.items import ITEMS, items_sql
from goodwill.warehouse import Warehouse

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("GOODWILL_UPDATE_SNAPSHOTS") == "1"
PARAMS = MetricParams(by="month", platform="x", since=date(2026, 3, 1), until=date(2026, 3, 31))
ROW = {
    "campaign": "spring",
    "channel": "social",
    "source": "x",
    "account": "shop",
    "code": "c1",
    "step": "lead",
    "milestone": "lead",
    "days": "3",
    "post": "x:1",
    "reaction": "likes",
    "segment": "repeat",
    "month": "2026-03",
    "from_tier": "new",
    "to_tier": "regular",
    "message": "m1",
}
"""A value for every row key (each list takes the keys it narrows by)."""


@pytest.fixture(scope="module")
def backend() -> Iterator[Any]:
    wh = Warehouse.open(":memory:")
    seed = Seed(wh)
    seed.account("x", "shop")
    seed.interaction("x", "2026-03-02 10:00", "mention", "ana", "shop")
    try:
        yield wh.ibis()
    finally:
        wh.close()


def normal(sql: str) -> str:
    """``sql`` without what changes from run to run: in-memory tables (settings such as
    business hours) get numbered names, ``EXCLUDE`` lists (built from sets) are sorted."""
    names: dict[str, str] = {}

    def memtable(m: re.Match[str]) -> str:
        return names.setdefault(m.group(0), f"ibis_pandas_memtable_{len(names)}")

    sql = re.sub(r"ibis_pandas_memtable_[a-z0-9]+", memtable, sql)
    return re.sub(
        r"EXCLUDE \(([^()]*)\)",
        lambda m: "EXCLUDE (" + ", ".join(sorted(m.group(1).split(", "))) + ")",
        sql,
    )


def _check(path: Path, sql: str) -> None:
    text = normal(sql).strip() + "\n"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"no snapshot {path.name}: run with GOODWILL_UPDATE_SNAPSHOTS=1"
    assert path.read_text(encoding="utf-8") == text, (
        f"the SQL of {path.stem} changed; if intended, refresh the snapshots "
        "(GOODWILL_UPDATE_SNAPSHOTS=1, see this module's docstring) and review the diff"
    )


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_sql_matches_its_snapshot(backend: Any, name: str) -> None:
    _check(SNAPSHOTS / "queries" / f"{name}.sql", QUERIES[name].sql(backend, PARAMS))


SQL_ITEMS = sorted(n for n, items in ITEMS.items() if not items.pandas)
"""The lists that are one Ibis expression (``customers``, ``tier_moves`` and ``carrying`` are
computed in pandas)."""


@pytest.mark.parametrize("name", SQL_ITEMS)
def test_items_sql_matches_its_snapshot(backend: Any, name: str) -> None:
    row = {k: ROW[k] for k in ITEMS[name].keys}
    _check(SNAPSHOTS / "items" / f"{name}.sql", items_sql(name, backend, PARAMS, row))


def test_a_list_computed_in_pandas_has_no_sql(backend: Any) -> None:
    with pytest.raises(UserInputError, match="computed in pandas"):
        items_sql("tier_moves", backend, PARAMS)


def test_every_snapshot_belongs_to_a_query_or_list() -> None:
    names = {"queries": set(QUERIES), "items": set(SQL_ITEMS)}
    for kind, known in names.items():
        stale = {p.stem for p in (SNAPSHOTS / kind).glob("*.sql")} - known
        assert not stale, f"snapshots of no {kind[:-1]}: {sorted(stale)}"
