"""``goodwill --engine spark import``: the import loads the DuckDB warehouse as always, then
writes every table as Parquet where the spark engine reads (no Spark needed for a local
folder: DuckDB writes it)."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.warehouse import Warehouse

INTERCHANGE = Path(__file__).resolve().parents[1] / "fixtures" / "interchange"


def test_import_publishes_every_table_as_parquet(tmp_path: Path) -> None:
    db, where = tmp_path / "goodwill.duckdb", tmp_path / "tables"
    before = os.environ.get("GOODWILL_ENGINE")
    run = CliRunner().invoke(
        app,
        ["--engine", "spark", "import", "--db", str(db), "--no-mmm", str(INTERCHANGE)],
        env={"GOODWILL_SPARK_WAREHOUSE": str(where), "GOODWILL_CONFIG": str(tmp_path / "no")},
    )
    assert run.exit_code == 0, run.output
    assert os.environ.get("GOODWILL_ENGINE") == before  # --engine lasts one command
    assert "tables written to" in " ".join(run.output.split())
    with Warehouse.open(db, create=False) as wh:
        counts = wh.counts()
    assert counts["interactions"] > 0
    for name, n in counts.items():
        files = sorted((where / name).glob("*.parquet"))
        assert files, name
        assert sum(pq.read_metadata(f).num_rows for f in files) == n, name
    assert not [p for p in where.iterdir() if p.name.startswith(".")]  # no half-written table


def test_engine_must_be_known() -> None:
    run = CliRunner().invoke(app, ["--engine", "oracle", "scorecard"])
    assert run.exit_code == 2
    assert "expected duckdb or spark" in run.output
