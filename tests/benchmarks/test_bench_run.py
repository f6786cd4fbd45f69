"""``benchmarks/run.py`` at a tiny size: every metric query and the scorecard equal their
hand-written SQL baselines, row by row, on scale data that gives each of them rows."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

RUN = Path(__file__).resolve().parents[2] / "benchmarks" / "run.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("goodwill_bench_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """``benchmarks/run.py``'s ``MetricRow`` per query (name, seconds, baseline's, check)."""
    from goodwill.simulate import write_scale

    bench = _bench()
    work = tmp_path_factory.mktemp("bench")
    data = work / "scale"
    write_scale(4000, data)
    gw, keyed = work / "goodwill.duckdb", work / "keyed.duckdb"
    bench.run_import("goodwill", data, gw)
    bench.run_import("keyed", data, keyed)
    bench._prepare_baseline(gw, keyed)
    out: list[Any] = bench.run_metrics(gw, keyed)
    return out


def test_every_query_and_the_scorecard_has_a_baseline(rows: list[Any]) -> None:
    from goodwill.metrics import QUERIES

    names = [r.name for r in rows]
    assert names == [*QUERIES, "scorecard"]
    assert all(r.base_s is not None for r in rows), [r.name for r in rows if r.base_s is None]


def test_every_result_equals_its_baseline_on_rows(rows: list[Any]) -> None:
    checks = {r.name: r.check for r in rows}
    differ = {n: c for n, c in checks.items() if not c.startswith("same (")}
    assert not differ
    empty = {n: c for n, c in checks.items() if c.startswith("same (0 rows")}
    assert not empty  # no query compared on zero rows
