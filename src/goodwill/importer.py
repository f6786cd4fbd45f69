"""``goodwill import``: bring interchange files into the warehouse as one transaction.

Files are loaded in :data:`goodwill.model.IMPORT_ORDER` (fx rates before the amounts that
need them), then the derived tables are refreshed (people from identities, the traffic
channel of new visits). Either everything commits or nothing does: a crash or a kill leaves
the warehouse as it was before the import.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

from goodwill.errors import UserInputError
from goodwill.load import FileLoadResult, Loader
from goodwill.model import IMPORT_ORDER
from goodwill.sources.interchange import SourceFile, discover, read_batches
from goodwill.warehouse import Warehouse

__all__ = ["ImportSummary", "import_paths", "reporting_currency"]


@dataclass
class ImportSummary:
    """The outcome of one import."""

    import_id: str
    files: list[FileLoadResult] = field(default_factory=list)
    counts_before: dict[str, int] = field(default_factory=dict)
    counts_after: dict[str, int] = field(default_factory=dict)
    enriched_visits: int = 0

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.quarantined for f in self.files)


def reporting_currency(wh: Warehouse, requested: str) -> str:
    """The warehouse's reporting currency, fixed by its first import."""
    current = wh.get_meta("reporting_currency")
    if current is None:
        return requested
    if current != requested:
        raise UserInputError(
            f"--currency {requested}: this warehouse reports in {current} (set by its first "
            f"import); use --currency {current} or a new --db"
        )
    return current


def _refresh_people(wh: Warehouse) -> None:
    wh.con.execute(
        """
        INSERT OR REPLACE INTO people
        SELECT person_ref, max(display_name) FROM identities GROUP BY person_ref
        """
    )


def import_paths(
    wh: Warehouse,
    paths: Sequence[Path],
    *,
    currency: str = "USD",
    site_host: str | None = None,
    console: Console | None = None,
    show_progress: bool = True,
    batch_rows: int = 200_000,
) -> ImportSummary:
    """Import the interchange files under ``paths`` into ``wh`` in one transaction."""
    sources = discover(paths)
    if not sources:
        raise UserInputError(
            f"{', '.join(map(str, paths))}: no interchange files found (expected files named "
            "after a table, e.g. interactions.csv, visits.jsonl, costs.parquet)"
        )
    order = {name: i for i, name in enumerate(IMPORT_ORDER)}
    sources.sort(key=lambda s: (order[s.table.name], str(s.path)))
    currency = reporting_currency(wh, currency)
    stamp = datetime.now(UTC).replace(tzinfo=None)
    summary = ImportSummary(import_id=f"imp-{stamp:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}")
    summary.counts_before = wh.counts()
    loader = Loader(wh, import_id=summary.import_id, reporting_currency=currency)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not show_progress,
        transient=False,
    )
    with progress, wh.transaction():
        wh.set_meta("reporting_currency", currency)
        for sf in sources:
            summary.files.append(_load_one(loader, sf, progress, batch_rows))
        tables = {f.table for f in summary.files}
        if "identities" in tables:
            _refresh_people(wh)
        if "visits" in tables:
            from goodwill.enrich.channel import enrich_visits

            summary.enriched_visits = enrich_visits(wh.con, site_host=site_host)
        summary.counts_after = wh.counts()
        wh.con.execute(
            "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?)",
            [
                summary.import_id,
                stamp,
                datetime.now(UTC).replace(tzinfo=None),
                "\n".join(str(s.path) for s in sources),
                summary.rows_loaded,
                summary.rows_quarantined,
            ],
        )
    return summary


def _load_one(
    loader: Loader, sf: SourceFile, progress: Progress, batch_rows: int
) -> FileLoadResult:
    task = progress.add_task(f"{sf.path.name}", total=sf.size)

    def advance(n: int) -> None:
        progress.advance(task, n)

    res = loader.load_file(sf, read_batches(sf, batch_rows=batch_rows, progress=advance))
    progress.update(task, completed=sf.size)
    return res
