"""Helpers for the business-source tests: import fixtures, read tables back."""

from __future__ import annotations

from pathlib import Path

from goodwill.importer import ImportSummary, import_paths
from goodwill.warehouse import Warehouse

FIXTURES = Path(__file__).parent / "fixtures"


def fx_file(tmp_path: Path) -> Path:
    """An fx_rates.csv with EUR and GBP rates (USD reporting) from 2025-01-01."""
    path = tmp_path / "fx_rates.csv"
    path.write_text(
        "date,currency,rate\n2025-01-01,EUR,1.1\n2025-01-01,GBP,1.25\n", encoding="utf-8"
    )
    return path


def load(wh: Warehouse, *paths: Path, **kw: object) -> ImportSummary:
    return import_paths(wh, list(paths), show_progress=False, **kw)  # type: ignore[arg-type]


def rows(wh: Warehouse, sql: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in wh.con.execute(sql).fetchall()]


def quarantined(wh: Warehouse) -> list[tuple[str, str, int, str]]:
    """(file name, table, line, reason) of every quarantined record, sorted."""
    got = wh.con.execute("SELECT source, table_name, line, reason FROM quarantine").fetchall()
    return sorted((Path(str(s)).name, str(t), int(n), str(r)) for s, t, n, r in got)
