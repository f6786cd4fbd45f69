"""The command line: user errors are one line with exit status 2; commands do their job."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.model import SCHEMA_VERSION

runner = CliRunner()


def _gw(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "goodwill.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )


def test_init_creates_the_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "g.duckdb"
    result = runner.invoke(app, ["init", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert db.exists() and f"schema version {SCHEMA_VERSION}" in result.output


def test_import_prints_a_summary_with_quarantine_reasons(tmp_path: Path) -> None:
    f = tmp_path / "key_messages.csv"
    f.write_text("message_id,text\nm1,fresh\nm2,\n", encoding="utf-8")
    result = runner.invoke(
        app, ["import", str(f), "--db", str(tmp_path / "g.duckdb"), "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert "1 row(s) quarantined" in result.output
    assert "line 3, column text: missing required value" in result.output


def test_user_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    f = tmp_path / "accounts.csv"
    f.write_text("platform,handle,owner,colour\nx,a,brand,red\n", encoding="utf-8")
    proc = _gw("import", str(f), "--db", str(tmp_path / "g.duckdb"), "--no-progress")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1
    assert "accounts.csv:1: unknown column(s) 'colour' (column 4)" in lines[0]


def test_missing_path_and_bad_options_are_user_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "g.duckdb")
    proc = _gw("import", str(tmp_path / "nope"), "--db", db)
    assert proc.returncode == 2 and "no such file or folder" in proc.stderr
    proc = _gw("import", str(tmp_path), "--db", db, "--currency", "dollars")
    assert proc.returncode == 2 and "--currency: 'dollars' is not an ISO 4217" in proc.stderr


def test_metrics_rejects_bad_dates_and_formats(tmp_path: Path) -> None:
    db = tmp_path / "g.duckdb"
    runner.invoke(app, ["init", "--db", str(db)])
    result = runner.invoke(app, ["metrics", "audience", "--db", str(db), "--since", "last week"])
    assert result.exit_code == 2
    assert "--since 'last week': expected a date YYYY-MM-DD" in result.output
    result = runner.invoke(app, ["metrics", "audience", "--db", str(db), "--format", "xml"])
    assert result.exit_code == 2 and "--format 'xml'" in result.output


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_metrics_outputs(tmp_path: Path, interchange_dir: Path, fmt: str) -> None:
    db = str(tmp_path / "g.duckdb")
    assert (
        runner.invoke(app, ["import", str(interchange_dir), "--db", db, "--no-progress"]).exit_code
        == 0
    )
    result = runner.invoke(app, ["metrics", "audience", "--db", db, "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        rows = json.loads(result.output)
        assert rows[0]["platform"] == "mastodon" and rows[0]["followers"] == 120
    elif fmt == "csv":
        assert result.output.splitlines()[0].startswith("period,platform")
    else:
        assert "120" in result.output


def test_quarantine_command_lists_rows(tmp_path: Path) -> None:
    db = str(tmp_path / "g.duckdb")
    f = tmp_path / "key_messages.csv"
    f.write_text("message_id,text\nm2,\n", encoding="utf-8")
    runner.invoke(app, ["import", str(f), "--db", db, "--no-progress"])
    result = runner.invoke(app, ["quarantine", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["line"] == 2 and rows[0]["column_name"] == "text"
