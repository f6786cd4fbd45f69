"""`goodwill import --date-order`, `--table` and `--set` from the command line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.warehouse import Warehouse

runner = CliRunner()


def _args(tmp_path: Path, *extra: str) -> list[str]:
    path = tmp_path / "orders.csv"
    path.write_text(
        "Conversion ID,Date,Type,Value,Email\n"
        "O-1,03/04/2026,order,10.00,a@example.com\n"
        "O-2,05/06/2026,order,12.00,b@example.com\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "g.duckdb")
    return ["import", str(path), "--db", db, "--no-progress", "--no-resolve", *extra]


def test_an_ambiguous_date_column_is_one_line_asking_for_date_order(tmp_path: Path) -> None:
    res = runner.invoke(app, _args(tmp_path))
    assert res.exit_code == 2, res.output
    assert "--date-order dmy" in res.output and "Traceback" not in res.output
    ok = runner.invoke(app, _args(tmp_path, "--date-order", "dmy"))
    assert ok.exit_code == 0, ok.output
    with Warehouse.open(str(tmp_path / "g.duckdb")) as wh:
        got = wh.con.execute("SELECT occurred_at FROM conversions ORDER BY 1").fetchall()
    assert [r[0] for r in got] == [datetime(2026, 4, 3), datetime(2026, 6, 5)]


def test_bad_flags_are_one_line_errors(tmp_path: Path) -> None:
    for extra, message in (
        (["--date-order", "ymd"], "expected dmy"),
        (["--set", "platform=x"], "--set gives a column a constant value with --table"),
        (["--table", "links", "--set", "oops"], "is not column=value"),
        (["--table", "costs", "--format", "crm-conversions"], "--table reads with format"),
    ):
        res = runner.invoke(app, _args(tmp_path, *extra))
        assert res.exit_code == 2, (extra, res.output)
        assert message in res.output and "Traceback" not in res.output, res.output
