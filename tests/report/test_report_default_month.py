"""The report's default month is the last month with enough data (interactions plus visits at
least half the median month's), not the last calendar month with a few stray rows."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from report_support import ReportDemo

from goodwill.importer import import_paths
from goodwill.report.html import default_month
from goodwill.warehouse import Warehouse


def _stray_mentions(folder: Path, month: date, n: int) -> Path:
    folder.mkdir()
    rows = ["platform,interaction_id,created_at,kind,direction,actor_handle,target_handle,text"]
    rows += [
        f"x,stray-{i},{month:%Y-%m}-0{i + 1}T09:00:00Z,mention,inbound,late_{i},fernhill,"
        "love the new seeds"
        for i in range(n)
    ]
    (folder / "interactions.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_a_month_with_six_stray_mentions_is_not_the_default(
    report_demo: ReportDemo, tmp_path: Path
) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(report_demo.db, db)
    with Warehouse.open(db) as wh:
        full = default_month(wh)
        last = wh.con.execute("SELECT max(created_at)::DATE FROM interactions").fetchone()
        assert full is not None and last is not None
        assert full == last[0].replace(day=1)  # the demo's last month is a full one
        after = date(full.year + full.month // 12, full.month % 12 + 1, 1)
        import_paths(wh, [_stray_mentions(tmp_path / "late", after, 6)], show_progress=False)
        got = wh.con.execute(
            "SELECT count(*) FROM interactions WHERE created_at >= ?", [after]
        ).fetchone()
        assert got == (6,)  # the stray month is there ...
        assert default_month(wh) == full  # ... but has too little data to be the default
