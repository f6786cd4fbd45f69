"""Validate, normalise and merge staged rows into the warehouse (the one write path for
imports).

A file's rows are first staged as they were read (one temporary table per file), then a
pipeline of named steps runs in SQL over the whole batch:

1. ``normalise`` — trim text, empty means absent; lowercase platforms, enums and handles
   (without a leading ``@``), emails; uppercase currencies; parse timestamps (an offset or
   ``Z`` is honoured, naive means UTC), dates, integers and decimals; fill defaults.
2. ``validate`` — the first failing check of a row gives its reason and column: a missing
   required value, a value of the wrong type, a value outside its choices, a currency without
   an fx rate on or before the row's date, none of the "at least one of" columns.
3. ``quarantine`` — failing rows go to the ``quarantine`` table with source, the file inside
   it (an export of several files), line, column, reason and the raw row (the fields as JSON).
4. ``dedupe`` — within the file the last row of a key wins.
5. ``convert`` — money is converted to the reporting currency.
6. ``merge`` — ``INSERT OR REPLACE`` on the table's key, in key order (the primary key's index
   takes sorted keys far cheaper than random ones); for the tables of
   :data:`~goodwill.engine.duckdb.UNINDEXED_KEYS` (no primary key, so no index held in memory)
   a ``DELETE … USING`` of changed rows and an anti-join insert of new ones: either way a known
   key with new content replaces the old row, the same row twice is kept once.

Everything runs on the caller's connection inside the caller's transaction; the SQL of each
step is :mod:`goodwill.engine.duckdb`'s (:func:`~goodwill.engine.duckdb.validate_and_merge`).
Each file's rows merged are also seen once more (:data:`~goodwill.engine.duckdb.RowsHook`):
a visits file's visits get their traffic channel, an identities file notes the people whose
identities it wrote (:meth:`Loader.refresh_people` derives only those again).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.parquet as pq

from goodwill.engine import duckdb as duck
from goodwill.errors import UserInputError
from goodwill.sources.interchange import Batch, Rejected, SourceFile
from goodwill.sources.interchange import _check_columns as check_columns
from goodwill.warehouse import Warehouse

__all__ = ["FAULT_ENV", "FileLoadResult", "Loader", "parquet_columns"]

FAULT_ENV = "GOODWILL_FAULT_KILL_AFTER"
"""Test hook: ``GOODWILL_FAULT_KILL_AFTER=<table>`` kills the process with SIGKILL right after
that table was merged, before the import commits (used to prove imports are atomic)."""


@dataclass
class FileLoadResult:
    """What happened to one file."""

    source: str
    table: str
    rows_read: int = 0
    loaded: int = 0
    new: int = 0
    duplicates: int = 0
    quarantined: int = 0
    reasons: list[str] = field(default_factory=list)


def _where(file: str | None, line: object) -> str:
    """``line 3``, or ``data/tweets-part1.js line 3`` for a file inside an export."""
    return f"{file} line {line}" if file else f"line {line}"


def parquet_columns(sf: SourceFile) -> tuple[str, ...]:
    """The columns of a Parquet interchange file, checked against its table (from the file's
    footer; no rows are read)."""
    try:
        names = pq.read_schema(sf.path).names
    except (pa.ArrowInvalid, OSError) as exc:
        raise UserInputError(f"{sf.path}: not a readable Parquet file: {exc}") from exc
    check_columns(sf, names)
    return tuple(names)


PEOPLE_TOUCHED = "_goodwill_import_people"
"""The temporary table of the ``person_ref`` s an import's identities touched in a warehouse
that had identities (:func:`goodwill.engine.duckdb.record_people_refs`)."""


class Loader:
    """Loads staged interchange rows into one warehouse, inside the caller's transaction.

    Besides merging each file, it classifies the traffic channel of the visits it writes
    from the file's rows, not read back from the table (``site_host`` as in
    :func:`goodwill.enrich.channel.classify`; :attr:`classified` counts them), and notes the
    people the identities it writes touch, for :meth:`refresh_people`."""

    def __init__(
        self,
        wh: Warehouse,
        *,
        import_id: str,
        reporting_currency: str,
        site_host: str | None = None,
    ) -> None:
        self.wh = wh
        self.import_id = import_id
        self.currency = reporting_currency
        self.site_host = site_host
        self.classified = 0
        self._people_all = False
        self._people_noted = False
        self._n = 0

    def refresh_people(self) -> None:
        """Derive again the people of the identities this loader wrote: every person when
        identities went into an empty table (a first import), otherwise only the people
        their ``person_ref`` s name, old and new (not every identity of a large warehouse);
        nothing when it wrote no identity. A person no import touched keeps its row: one
        left behind by another writer is not caught up here."""
        if self._people_all:
            duck.refresh_people(self.wh.con)
        elif self._people_noted:
            duck.refresh_people(self.wh.con, among=f"SELECT person_ref FROM {PEOPLE_TOUCHED}")
        if self._people_noted:
            duck.drop_table_if_exists(self.wh.con, PEOPLE_TOUCHED)

    def _on_rows(self, sf: SourceFile, rows: str, params: dict[str, object], empty: bool) -> None:
        """:data:`goodwill.engine.duckdb.RowsHook` of each file: its visits classified, its
        identities' people noted."""
        if sf.table.name == "visits":
            from goodwill.enrich.channel import enrich_staged_visits

            self.classified += enrich_staged_visits(
                self.wh.con, rows, params, site_host=self.site_host
            )
        elif sf.table.name == "identities":
            if empty:  # every identity is this import's: every person is derived
                self._people_all = True
            else:
                if not self._people_noted:  # none left from an earlier import on this connection
                    duck.drop_table_if_exists(self.wh.con, PEOPLE_TOUCHED)
                duck.record_people_refs(self.wh.con, PEOPLE_TOUCHED, rows)
                self._people_noted = True

    # -- quarantine --------------------------------------------------------------------------
    def quarantine_rejected(self, sf: SourceFile, rejected: Iterable[Rejected]) -> int:
        rows = [
            (
                self.import_id,
                str(sf.path),
                r.file or "",
                sf.table.name,
                r.line,
                r.column_name,
                r.column_number,
                r.reason,
                r.raw,
            )
            for r in rejected
        ]
        if rows:
            duck.insert_quarantine(self.wh.con, rows)
        return len(rows)

    def _refuse_one_foreign_currency(
        self, sf: SourceFile, validated: str, currency: str, params: dict[str, object]
    ) -> None:
        """Stop the import, in one line, when every amount of a file is in one currency that
        is not the reporting currency and fx_rates has no rate for it at all (a shop selling
        in GBP imported into a new warehouse that defaulted to USD): otherwise every row
        would be quarantined."""
        row = duck.currency_profile(self.wh.con, validated, currency, params)
        if row is None:
            return
        n, distinct, only, foreign = row
        if not n or foreign != n or distinct != 1:
            return
        if duck.fx_rate_count(self.wh.con, only):
            return
        raise UserInputError(
            f"{sf.path}: all {n} amounts are in {only}, but the reporting currency is "
            f"{self.currency} and fx_rates has no {only} rate, so every row would be "
            f"quarantined; nothing was imported. Import with --currency {only} (a warehouse's "
            f"first import sets its reporting currency), or add {only} rates (fx_rates.csv) "
            "to the same import"
        )

    # -- loading -----------------------------------------------------------------------------
    def load_file(
        self,
        sf: SourceFile,
        batches: Iterable[Batch],
        *,
        on_batch: Callable[[], None] | None = None,
    ) -> FileLoadResult:
        """Stage every batch of ``sf`` (rows parsed in Python: CSV, JSON lines, an adapter's
        records), then validate and merge it into its table."""
        res = FileLoadResult(source=str(sf.path), table=sf.table.name)
        self._n += 1
        stg = f"_stg_{self._n}"
        con = self.wh.con
        columns: tuple[str, ...] = ()
        staged = False
        for batch in batches:
            res.rows_read += len(batch.rejected)
            res.quarantined += self.quarantine_rejected(sf, batch.rejected)
            res.reasons.extend(f"{_where(r.file, r.line)}: {r.reason}" for r in batch.rejected[:5])
            columns = batch.columns or columns
            if batch.rows is not None and batch.rows.num_rows:
                duck.stage_batch(con, stg, batch.rows, create=not staged)
                staged = True
            if on_batch:
                on_batch()
        if staged:
            self._validate_and_merge(sf, stg, {}, columns, res)
            duck.drop_table(con, stg)
        self._fault(sf)
        return res

    def load_parquet(self, sf: SourceFile) -> FileLoadResult:
        """Validate and merge a Parquet file that DuckDB reads itself, streaming: nothing is
        staged in Python or in a temporary table (see :meth:`_validate_and_merge`). A row's
        line is its 1-based row number in the file."""
        res = FileLoadResult(source=str(sf.path), table=sf.table.name)
        columns = parquet_columns(sf)
        src, params = duck.parquet_rows(sf.path)
        self._validate_and_merge(sf, src, params, columns, res)
        self._fault(sf)
        return res

    def _fault(self, sf: SourceFile) -> None:
        if os.environ.get(FAULT_ENV) == sf.table.name:
            os.kill(os.getpid(), signal.SIGKILL)

    def _validate_and_merge(
        self,
        sf: SourceFile,
        src: str,
        src_params: dict[str, object],
        columns: tuple[str, ...],
        res: FileLoadResult,
    ) -> None:
        """Validate ``src`` (a table or a subquery of the rows as read, with ``_line``) and
        merge its good rows into ``sf.table`` (:func:`goodwill.engine.duckdb.validate_and_merge`:
        streaming, never materialised, within DuckDB's memory limit)."""
        merged = duck.validate_and_merge(
            self.wh.con,
            sf.table,
            src,
            src_params,
            columns,
            currency=self.currency,
            import_id=self.import_id,
            source=str(sf.path),
            positional=sf.format != "jsonl",  # JSON lines have keys, not column positions
            on_all_foreign=lambda validated, currency, params: self._refuse_one_foreign_currency(
                sf, validated, currency, params
            ),
            on_rows=lambda rows, params, empty: self._on_rows(sf, rows, params, empty),
        )
        res.rows_read += merged.rows_read
        res.quarantined += merged.quarantined
        res.reasons.extend(
            f"{_where(file, line)}, column {col}: {why}"
            for file, line, col, why in merged.bad_examples
        )
        res.loaded = merged.loaded
        res.duplicates = res.rows_read - res.quarantined - res.loaded
        res.new = merged.new
