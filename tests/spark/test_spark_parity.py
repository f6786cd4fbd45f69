"""Spark parity (issue 16 item 4): every registry query, the journeys, the scorecard and the
roster give the same answers on a local PySpark session, over the Parquet copy of a small
simulated business, as on its DuckDB warehouse.

Runs where PySpark is installed (``pip install -e '.[spark]'``, which ``make test`` does) and
Java 17 is on the PATH; one Spark session for the module (``local[2]``). py4j closes its
sockets to the JVM only when they are garbage-collected, hence the ``ResourceWarning`` filter
below.
"""

from __future__ import annotations

import gc
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="engine spark needs: pip install -e '.[spark]'")

from goodwill.engine import spark
from goodwill.engine.parity import Outcome, case_names, compare, frames_equal, main
from goodwill.enrich.sentiment import enrich_labels
from goodwill.importer import import_paths
from goodwill.metrics import QUERIES
from goodwill.people.identity import resolve
from goodwill.simulate import DemoSpec, simulate
from goodwill.warehouse import Warehouse

pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    # PySpark 4.0's toPandas passes copy= to pandas 3 (goodwill.engine.spark says so too)
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

CASES = [*sorted(QUERIES), "journeys", "scorecard", "roster"]


@pytest.fixture(scope="module", autouse=True)
def _spark_closed() -> Iterator[None]:
    """Stop the module's Spark session at its end, and close py4j's sockets to the JVM there
    (py4j leaves them to the garbage collector, whose ResourceWarning would otherwise fail
    whichever test happens to run next)."""
    yield
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        spark.spark_session().stop()
        gc.collect()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    out = tmp_path_factory.mktemp("spark_demo")
    simulate(DemoSpec(people=80), out / "data")
    db = out / "goodwill.duckdb"
    with Warehouse.open(db) as wh:
        import_paths(wh, [out / "data"], show_progress=False)
        resolve(wh)
        enrich_labels(wh, relabel=False)
        spark.publish(wh.con, str(out / "parquet"))
    yield db, out / "parquet"


@pytest.fixture(scope="module")
def outcomes(demo: tuple[Path, Path]) -> dict[str, Outcome]:
    db, where = demo
    with Warehouse.open(db, create=False) as wh:
        found = compare(wh, spark.SparkWarehouse.at(str(where)))
    return {o.name: o for o in found}


@pytest.mark.parametrize("name", CASES)
def test_spark_gives_duckdbs_answer(outcomes: dict[str, Outcome], name: str) -> None:
    got = outcomes[name]
    assert got.equal, f"{name}: {got.why}"


def test_care_threads_are_built_once_per_query_set_on_spark(
    demo: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Inside one ``shared_tables`` block the three care queries read one cached threads
    table on Spark (its business-hours calendar, an in-memory table, registered before the
    table is cached) and still give DuckDB's answers; the table is gone after the block."""
    from goodwill.metrics.params import MetricParams
    from goodwill.metrics.shared import shared_tables

    db, where = demo
    care = ["care", "care_agents", "unanswered"]
    sw = spark.SparkWarehouse.at(str(where))
    backend = sw.ibis()

    def cached() -> set[str]:
        tables = sw.session.catalog.listTables()
        return {t.name for t in tables if t.isTemporary and t.name.startswith("ibis_cached")}

    before = cached()
    with Warehouse.open(db, create=False) as wh, shared_tables():
        found = compare(wh, sw, only=care)
        assert len(cached() - before) == 1  # one threads table for the three queries
        capsys.readouterr()
        sw.session.sql(QUERIES["care_agents"].sql(backend, MetricParams())).explain()
        plan = capsys.readouterr().out
    assert [(o.name, o.equal, o.why) for o in found] == [(n, True, "") for n in care]
    # the query reads the cached rows; the Parquet scans that made them are printed below
    # the InMemoryRelation (the cached plan), none above it
    above = plan.split("InMemoryRelation")[0]
    assert "InMemoryTableScan" in above and "FileScan" not in above
    assert cached() == before


def test_every_case_ran(outcomes: dict[str, Outcome]) -> None:
    assert sorted(outcomes) == sorted(CASES)


def test_the_comparison_sees_a_difference() -> None:
    import pandas as pd

    a = pd.DataFrame({"x": [1.0, 2.0], "at": pd.to_datetime(["2026-01-01", "2026-01-02"])})
    assert frames_equal(a, a.iloc[::-1]) == ""
    assert "column x" in frames_equal(a, a.assign(x=[1.0, 2.5]))
    micro = a.assign(at=a["at"] + pd.Timedelta(microseconds=1))
    assert "column at" in frames_equal(a, micro)
    assert "rows" in frames_equal(a, a.iloc[:1])


def test_read_commands_open_the_parquet_copy(
    demo: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, where = demo
    monkeypatch.setenv("GOODWILL_ENGINE", "spark")
    monkeypatch.setenv("GOODWILL_SPARK_WAREHOUSE", str(where))
    with Warehouse.open(db, read_only=True) as wh:
        assert isinstance(wh, spark.SparkWarehouse)
        with Warehouse.open(db, create=False) as duck_wh:
            assert wh.counts() == duck_wh.counts()
            assert wh.get_meta("reporting_currency") == duck_wh.get_meta("reporting_currency")


def test_parity_command_runs_the_named_cases(
    demo: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, where = demo
    assert main([str(db), str(where), "--no-publish", "--only", "audience,scorecard"]) == 0
    rows = {line.split()[0]: line.split()[1] for line in capsys.readouterr().out.splitlines()}
    assert rows["audience"] == "yes" and rows["scorecard"] == "yes"
    assert "care" not in rows and rows["all"] == "2/2"


def test_parity_command_names_an_unknown_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:  # before any warehouse is opened
        main([str(tmp_path / "none.duckdb"), "--only", "audience,nope"])
    assert stop.value.code == 2
    assert "no case nope" in capsys.readouterr().err
    assert case_names() == CASES
