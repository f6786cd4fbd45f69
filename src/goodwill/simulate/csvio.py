"""Writing interchange CSV files: the table's file columns, in model order, UTF-8, ``\\n``."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

from goodwill.model import table

__all__ = ["write_table"]


def write_table(out_dir: Path, name: str, rows: Iterable[Mapping[str, str | None]]) -> int:
    """Write ``rows`` (dicts keyed by column; ``None`` is empty) as ``<name>.csv``."""
    columns = [c.name for c in table(name).file_columns]
    n = 0
    with (out_dir / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            unknown = set(row) - set(columns)
            if unknown:
                raise ValueError(f"{name}: unknown columns {sorted(unknown)}")
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
            n += 1
    return n
