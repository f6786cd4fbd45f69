"""``goodwill import``: bring interchange files and exports into the warehouse as one
transaction.

Each path is an interchange file, an export in a registered format (see
:mod:`goodwill.sources.adapters`; recognised by content or forced with ``--format``), or a
folder or zip of them (:mod:`goodwill.sources.discovery`). Adapter rows go through the same
loader as interchange rows.

Files are loaded in :data:`goodwill.model.IMPORT_ORDER` (fx rates before the amounts that
need them). The traffic channel of each visits file's visits is classified from the file's
rows, not read back from ``visits`` (:class:`goodwill.load.Loader`: DuckDB scans a file in
parallel, the rows the transaction appended on one thread); after the last visits file, visits
the import did not write are classified only if some have no channel (a row count, not an
anti-join of every visit). At the end the people the imported identities touch are derived
again (every person when identities went into an empty table). Either everything commits or
nothing does: a crash or a kill leaves the warehouse as it was before the import.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

from goodwill.engine import duckdb as duck
from goodwill.errors import UserInputError
from goodwill.load import FileLoadResult, Loader
from goodwill.model import CANONICAL_TABLES, IMPORT_ORDER, table
from goodwill.sources.adapters import AdapterContext, AdapterOutput
from goodwill.sources.context import build_context
from goodwill.sources.discovery import ExportSource, plan_sources
from goodwill.sources.interchange import (
    FILE_COLUMN,
    LINE_COLUMN,
    Batch,
    SourceFile,
    read_batches,
)
from goodwill.sources.limits import Limits, using
from goodwill.warehouse import Warehouse

__all__ = ["ImportSummary", "adapter_batches", "import_paths", "reporting_currency"]


@dataclass
class ImportSummary:
    """The outcome of one import."""

    import_id: str
    files: list[FileLoadResult] = field(default_factory=list)
    counts_before: dict[str, int] = field(default_factory=dict)
    counts_after: dict[str, int] = field(default_factory=dict)
    enriched_visits: int = 0
    skipped: dict[str, dict[str, int]] = field(default_factory=dict)
    """Export path -> reason -> records its adapter left out on purpose (bots, assets...)."""
    formats: dict[str, str] = field(default_factory=dict)
    """Export path -> the format that read it."""
    ignored: list[str] = field(default_factory=list)
    """Files in the given folders that are not data (``ground_truth.json``, ``README``...)."""

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.quarantined for f in self.files)

    @property
    def rows_skipped(self) -> int:
        return sum(sum(r.values()) for r in self.skipped.values())


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


def _catch_up_channels(wh: Warehouse, site_host: str | None) -> int:
    """Classify the visits an import did not write that have no channel (left by a version
    that did not classify them, or by another writer): the whole-table anti-join runs only
    when the two tables' row counts say there is one (:func:`goodwill.engine.duckdb.
    visits_without_channel`), not on every import. Returns how many it classified."""
    if not duck.visits_without_channel(wh.con):
        return 0
    from goodwill.enrich.channel import enrich_visits

    return enrich_visits(wh.con, site_host=site_host)


def import_paths(
    wh: Warehouse,
    paths: Sequence[Path],
    *,
    currency: str = "USD",
    site_host: str | None = None,
    console: Console | None = None,
    show_progress: bool = True,
    batch_rows: int = 200_000,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    options: Mapping[str, str] | None = None,
    limits: Limits | None = None,
) -> ImportSummary:
    """Import the interchange files and exports under ``paths`` into ``wh`` in one transaction.

    Each path is resolved by :func:`goodwill.sources.discovery.plan_sources` (interchange file,
    a recognised export, or a folder/zip of them); ``format`` forces one export format for every
    path. ``mapping`` (``--map``) and ``options`` (``[sources]`` in goodwill.toml) go to the
    adapters in their :class:`~goodwill.sources.adapters.AdapterContext`. ``limits`` (default:
    the settings of :func:`goodwill.config.load_config`) caps line length and unpacked size.
    """
    if limits is None:
        from goodwill.config import load_config

        limits = Limits.from_config(load_config())
    with using(limits):
        return _import_paths(
            wh,
            paths,
            currency=currency,
            site_host=site_host,
            console=console,
            show_progress=show_progress,
            batch_rows=batch_rows,
            format=format,
            mapping=mapping,
            options=options,
        )


def _import_paths(
    wh: Warehouse,
    paths: Sequence[Path],
    *,
    currency: str,
    site_host: str | None,
    console: Console | None,
    show_progress: bool,
    batch_rows: int,
    format: str | None,
    mapping: Mapping[str, str] | None,
    options: Mapping[str, str] | None,
) -> ImportSummary:
    from goodwill.sources.adapters import get_format
    from goodwill.sources.registry import all_formats

    formats = all_formats()
    forced = get_format(format) if format else None
    stamp = datetime.now(UTC).replace(tzinfo=None)
    summary = ImportSummary(import_id=f"imp-{stamp:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}")
    with ExitStack() as stack:
        plan = plan_sources(paths, list(formats.values()), stack, forced=forced)
        if not plan.interchange and not plan.exports:
            raise UserInputError(
                f"{', '.join(map(str, paths))}: no interchange files or recognised exports found "
                "(interchange files are named after a table, e.g. interactions.csv, "
                "visits.jsonl, costs.parquet; see `goodwill sources` for export formats)"
            )
        summary.ignored = [str(p) for p in plan.ignored]
        currency = reporting_currency(wh, currency)
        summary.counts_before = wh.counts()
        loader = Loader(
            wh, import_id=summary.import_id, reporting_currency=currency, site_host=site_host
        )
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
            units = [_Unit(sf.table.name, str(sf.path), sf, None) for sf in plan.interchange]
            if plan.exports:
                ctx = build_context(
                    wh,
                    mapping=mapping,
                    site_host=site_host,
                    options=options,
                    accounts=_pending_accounts(plan.interchange),
                )
                for ex in plan.exports:
                    units.extend(_read_export(ex, ctx, progress, summary))
            order = {name: i for i, name in enumerate(IMPORT_ORDER)}
            units.sort(key=lambda u: (order[u.table], u.source))
            last_visits = max((i for i, u in enumerate(units) if u.table == "visits"), default=-1)
            for i, u in enumerate(units):
                summary.files.append(_load_unit(loader, u, progress, batch_rows))
                if i == last_visits:
                    summary.enriched_visits = loader.classified + _catch_up_channels(wh, site_host)
            loader.refresh_people()
            summary.counts_after = wh.counts()
            duck.record_import(
                wh.con,
                [
                    summary.import_id,
                    stamp,
                    datetime.now(UTC).replace(tzinfo=None),
                    "\n".join(
                        [str(s.path) for s in plan.interchange]
                        + [f"{e.shown} ({e.format.name})" for e in plan.exports]
                    ),
                    summary.rows_loaded,
                    summary.rows_quarantined,
                ],
            )
    return summary


@dataclass
class _Unit:
    """One table's rows from one source, loaded as one file."""

    table: str
    source: str
    sf: SourceFile
    output: AdapterOutput | None


def _pending_accounts(files: Sequence[SourceFile]) -> list[dict[str, object]]:
    """Account rows of interchange files in this import (so adapters know the brand's handles
    before they are loaded)."""
    rows: list[dict[str, object]] = []
    for sf in files:
        if sf.table.name != "accounts":
            continue
        for batch in read_batches(sf):
            if batch.rows is not None:
                rows.extend(batch.rows.to_pylist())
    return rows


def _read_export(
    ex: ExportSource, ctx: AdapterContext, progress: Progress, summary: ImportSummary
) -> list[_Unit]:
    task = progress.add_task(f"{ex.shown.name} ({ex.format.name})", total=None)
    out = ex.format.read(ex.path, ctx)
    progress.update(task, total=1, completed=1)
    summary.formats[str(ex.shown)] = ex.format.name
    if out.skipped:
        summary.skipped[str(ex.shown)] = dict(out.skipped)
    units: list[_Unit] = []
    for name in sorted(set(out.tables) | set(out.rejected)):
        if name not in _ADAPTER_TABLES:
            raise UserInputError(
                f"{ex.shown}: format {ex.format.name} produced rows for {name!r}, which is not "
                "a canonical table (a bug in that adapter)"
            )
        sf = SourceFile(path=ex.shown, table=table(name), format="adapter")
        units.append(_Unit(name, str(ex.shown), sf, out))
    return units


_ADAPTER_TABLES = frozenset(t.name for t in CANONICAL_TABLES if t.name != "people")


def adapter_batches(
    sf: SourceFile, out: AdapterOutput, *, batch_rows: int = 200_000
) -> Iterator[Batch]:
    """``out``'s rows and rejected records for ``sf.table`` as loader batches: text columns
    (the table's file columns that any row sets) plus ``_line``, and ``_file`` when a row
    names the file inside the export it came from."""
    rows = out.tables.get(sf.table.name, [])
    known = [c.name for c in sf.table.file_columns]
    present: set[str] = set()
    for r in rows:
        present.update(r)
    present.discard(LINE_COLUMN)
    with_file = FILE_COLUMN in present
    present.discard(FILE_COLUMN)
    unknown = sorted(present - set(known))
    if unknown:
        raise UserInputError(
            f"{sf.path}: the adapter produced unknown column(s) {', '.join(unknown)} for table "
            f"{sf.table.name}; valid columns: {', '.join(known)}"
        )
    cols = tuple(c for c in known if c in present)
    rejected = list(out.rejected.get(sf.table.name, []))
    if not rows:
        if rejected:
            yield Batch(None, rejected, cols)
        return
    for start in range(0, len(rows), batch_rows):
        chunk = rows[start : start + batch_rows]
        arrays = [
            pa.array([None if r.get(c) is None else str(r.get(c)) for r in chunk], pa.string())
            for c in cols
        ]
        lines = [
            int(line) if (line := r.get(LINE_COLUMN)) is not None else start + i + 1
            for i, r in enumerate(chunk)
        ]
        arrays.append(pa.array(lines, pa.int64()))
        names = [*cols, LINE_COLUMN]
        if with_file:
            files = [None if r.get(FILE_COLUMN) is None else str(r[FILE_COLUMN]) for r in chunk]
            arrays.append(pa.array(files, pa.string()))
            names.append(FILE_COLUMN)
        tbl = pa.Table.from_arrays(arrays, names=names)
        yield Batch(tbl, rejected if start == 0 else [], cols)


def _load_unit(loader: Loader, u: _Unit, progress: Progress, batch_rows: int) -> FileLoadResult:
    if u.output is not None:
        return loader.load_file(u.sf, adapter_batches(u.sf, u.output, batch_rows=batch_rows))
    return _load_one(loader, u.sf, progress, batch_rows)


def _load_one(
    loader: Loader, sf: SourceFile, progress: Progress, batch_rows: int
) -> FileLoadResult:
    task = progress.add_task(f"{sf.path.name}", total=sf.size)
    if sf.format == "parquet":  # DuckDB reads Parquet itself, streaming
        res = loader.load_parquet(sf)
        progress.update(task, completed=sf.size)
        return res

    def advance(n: int) -> None:
        progress.advance(task, n)

    res = loader.load_file(sf, read_batches(sf, batch_rows=batch_rows, progress=advance))
    progress.update(task, completed=sf.size)
    return res
