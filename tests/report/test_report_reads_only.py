"""``goodwill report`` only reads: after a new import it does not resolve people nor label
texts, says that both are out of date, and leaves the warehouse file as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from report_support import ReportDemo, hostile
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.importer import import_paths
from goodwill.people.identity import is_stale
from goodwill.report.html import unlabelled_texts
from goodwill.warehouse import Warehouse


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_report_after_an_import_says_what_is_stale_and_writes_nothing(
    report_demo: ReportDemo, tmp_path: Path
) -> None:
    db = tmp_path / "goodwill.duckdb"
    shutil.copy(report_demo.db, db)
    with Warehouse.open(db) as wh:
        import_paths(wh, [hostile(tmp_path / "more")], show_progress=False)
        wh.con.execute(
            "INSERT INTO interactions SELECT * REPLACE (interaction_id || '-again' AS "
            "interaction_id) FROM interactions WHERE text IS NOT NULL LIMIT 3"
        )
        assert is_stale(wh)
        unlabelled = unlabelled_texts(wh)
    assert unlabelled >= 3
    before = _digest(db)
    out = tmp_path / "r.html"
    args = ["report", "--db", str(db), "--month", "2026-09", "--out", str(out)]
    run = CliRunner().invoke(app, [*args, "--replicates", "10"])
    assert run.exit_code == 0, run.output
    said = " ".join(run.output.split())
    assert "since the last `goodwill people resolve`" in said
    assert f"{unlabelled:,} texts have no sentiment or intent label" in said
    assert out.exists()
    assert _digest(db) == before
    with Warehouse.open(db, read_only=True) as wh:
        assert is_stale(wh)
        assert unlabelled_texts(wh) == unlabelled
