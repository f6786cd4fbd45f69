"""The public API: parameters, the query registry, run_query's output and the docs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pytest
from metric_fixtures import Seed, d

import goodwill.metrics
from goodwill.errors import UserInputError
from goodwill.metrics import GROUPS, QUERIES, UNITS, MetricParams, run_query
from goodwill.metrics.docs import main as docs_main
from goodwill.metrics.docs import render

ROOT = Path(__file__).resolve().parents[2]
METRICS_SRC = ROOT / "src" / "goodwill" / "metrics"


# -- parameters -----------------------------------------------------------------------------


def test_params_defaults_and_normalisation() -> None:
    assert MetricParams() == MetricParams(by="month", platform=None, since=None, until=None)
    params = MetricParams(platform=" X ", since=dt.datetime(2026, 1, 2, 15, 0))
    assert params.platform == "x" and params.since == d("2026-01-02")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "year"}, r"--by 'year'.*day, week, month"),
        ({"since": d("2026-02-01"), "until": d("2026-01-31")}, "--since 2026-02-01 is after"),
        ({"since": "2026-01-01"}, "--since '2026-01-01': not a date"),
        ({"platform": "  "}, "--platform"),
    ],
)
def test_bad_params(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UserInputError, match=message):
        MetricParams(**kwargs)


def test_same_day_range_is_fine() -> None:
    MetricParams(since=d("2026-01-01"), until=d("2026-01-01"))


# -- registry ---------------------------------------------------------------------------------


def test_queries_and_groups() -> None:
    assert {"audience", "engagement", "top_posts", "listening", "loyalty", "traffic"} <= set(
        QUERIES
    )
    assert GROUPS == ("audience", "engagement", "listening", "loyalty", "traffic")
    for name, query in QUERIES.items():
        assert query.name == name and query.group in GROUPS
        assert query.metrics and query.dimensions
        names = [*query.dimensions, *(m.name for m in query.metrics)]
        assert len(names) == len(set(names)), name
        for metric in query.metrics:
            assert metric.formula.strip() and metric.unit in UNITS and metric.description


def test_unknown_query_lists_valid_names(backend: Any) -> None:
    with pytest.raises(UserInputError, match="no metric query 'followers'") as info:
        run_query("followers", backend, MetricParams())
    assert all(name in str(info.value) for name in QUERIES)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_build_is_an_unexecuted_ibis_table_with_declared_columns(name: str, backend: Any) -> None:
    query = QUERIES[name]
    expr = query.build(backend, MetricParams(platform="x", since=d("2026-01-01")))
    assert isinstance(expr, ir.Table)
    assert tuple(expr.columns) == query.columns


def test_public_api_exports() -> None:
    for name in goodwill.metrics.__all__:
        assert hasattr(goodwill.metrics, name), name
    assert {"MetricParams", "Metric", "Query", "QUERIES", "GROUPS", "run_query"} <= set(
        goodwill.metrics.__all__
    )
    assert {"scorecard", "ScorecardRow"} <= set(goodwill.metrics.__all__)


def test_metric_code_is_ibis_only() -> None:
    forbidden = re.compile(r"import duckdb|\.sql\(|raw_sql|asof_join|\.con\b|execute\(\"")
    for path in METRICS_SRC.glob("*.py"):
        assert not forbidden.search(path.read_text(encoding="utf-8")), path.name


# -- run_query output -------------------------------------------------------------------------


def test_run_query_dtypes(seed: Seed, backend: Any) -> None:
    seed.account("x", "brand")
    seed.post("x", "p1", "brand", "2026-01-05 10:00")
    seed.post("x", "p2", "brand", "2026-02-05 10:00")
    seed.interaction("x", "2026-01-05 11:00", "reply", "alice", "brand", post_id="p1")
    seed.snapshot("x", "brand", "2026-01-31", 0)
    frame = run_query("engagement", backend, MetricParams())
    assert list(frame.columns) == list(QUERIES["engagement"].columns)
    assert all(type(p) is dt.date for p in frame.period)
    assert list(frame.period) == [d("2026-01-01"), d("2026-02-01")]  # sorted by dimensions
    for metric in QUERIES["engagement"].metrics:
        assert str(frame[metric.name].dtype) == metric.dtype, metric.name
    assert frame.posts.dtype == "int64" and frame.conversation_rate.dtype == "float64"
    assert frame.engagement_rate.isna().all()  # 0 followers in Jan, no snapshot in Feb
    top = run_query("top_posts", backend, MetricParams())
    assert top["rank"].dtype == "int64"


def test_run_query_empty_warehouse_keeps_columns_and_dtypes(backend: Any) -> None:
    for name, query in QUERIES.items():
        frame = run_query(name, backend, MetricParams())
        assert frame.empty and list(frame.columns) == list(query.columns), name
        for metric in query.metrics:
            assert str(frame[metric.name].dtype) == metric.dtype, (name, metric.name)


# -- docs -------------------------------------------------------------------------------------


def test_docs_are_generated_from_the_declarations() -> None:
    doc = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert doc == render(), "docs/metrics.md is stale: run `python -m goodwill.metrics.docs`"
    for query in QUERIES.values():
        assert f"### `{query.name}`" in doc
        for metric in query.metrics:
            assert f"| `{metric.name}` | {metric.unit} |" in doc


def test_docs_check_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "metrics.md"
    assert docs_main(["--check", "--output", str(target)]) == 1
    assert docs_main(["--output", str(target)]) == 0
    assert docs_main(["--check", "--output", str(target)]) == 0
    target.write_text("stale\n", encoding="utf-8")
    assert docs_main(["--check", "--output", str(target)]) == 1
    capsys.readouterr()


# -- portability ------------------------------------------------------------------------------


class _PySparkOptions(ibis.config.Config):  # what ibis registers when pyspark is installed
    treat_nan_as_null: bool = False


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_compiles_for_spark(
    name: str, backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same definitions must run on Spark: compiling to its dialect fails on any
    operation the pyspark backend lacks (asof joins, for one)."""
    if ibis.options.pyspark is None:
        monkeypatch.setattr(ibis.options, "pyspark", _PySparkOptions())
    params = MetricParams(platform="x", since=d("2026-01-01"), until=d("2026-02-01"))
    sql = ibis.to_sql(QUERIES[name].build(backend, params), dialect="pyspark")
    assert "SELECT" in sql
