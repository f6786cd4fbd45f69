"""`goodwill import` of business exports from the command line, options from goodwill.toml."""

from __future__ import annotations

from pathlib import Path

import pytest
from business_helpers import FIXTURES
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.warehouse import Warehouse

runner = CliRunner()


def test_import_map_error_is_one_line_naming_file_header_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text("Deal,Closed On,Deal Value,Email\nD-1,2026-04-01,10,a@b.example\n")
    db = str(tmp_path / "g.duckdb")
    args = ["import", str(path), "--db", db, "--no-progress", "--format", "crm-conversions"]
    result = runner.invoke(app, [*args, "--map", "id=Deal,occurred_at=Closed At"])
    assert result.exit_code == 2
    assert str(path) in result.output
    assert "no column 'Closed At'" in result.output
    assert "'Deal', 'Closed On', 'Deal Value', 'Email'" in result.output
    assert "Traceback" not in result.output
    ok = runner.invoke(app, [*args, "--map", "id=Deal,occurred_at=Closed On,value=Deal Value"])
    assert ok.exit_code == 0, ok.output
    with Warehouse.open(db) as wh:
        assert wh.counts()["conversions"] == 1


def test_import_reads_source_settings_from_goodwill_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "goodwill.toml"
    config.write_text(
        '[sources.linkedin]\nhandle = "fernhill-teas"\nfollowers_now = 100\n', encoding="utf-8"
    )
    monkeypatch.setenv("GOODWILL_CONFIG", str(config))
    db = str(tmp_path / "g.duckdb")
    path = FIXTURES / "linkedin_followers.csv"
    result = runner.invoke(app, ["import", str(path), "--db", db, "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "line 5: not an amount: 'x'" in result.output
    with Warehouse.open(db) as wh:
        got = wh.con.execute(
            "SELECT handle, followers FROM audience_snapshots ORDER BY date"
        ).fetchall()
    assert got == [("fernhill-teas", 98), ("fernhill-teas", 101), ("fernhill-teas", 100)]
