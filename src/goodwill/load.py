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
6. ``merge`` — ``INSERT OR REPLACE`` on the table's key: a known key with new content replaces
   the old row, the same row twice is kept once.

Everything runs on the caller's connection inside the caller's transaction.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.parquet as pq

from goodwill.errors import UserInputError
from goodwill.model import Column, Table
from goodwill.sources.interchange import FILE_COLUMN, LINE_COLUMN, Batch, Rejected, SourceFile
from goodwill.sources.interchange import _check_columns as check_columns
from goodwill.warehouse import Warehouse

__all__ = ["FAULT_ENV", "FileLoadResult", "Loader", "parquet_columns"]

FAULT_ENV = "GOODWILL_FAULT_KILL_AFTER"
"""Test hook: ``GOODWILL_FAULT_KILL_AFTER=<table>`` kills the process with SIGKILL right after
that table was merged, before the import commits (used to prove imports are atomic)."""

_UPPER_COLUMNS = {"currency"}
_LOWER_TEXT_COLUMNS = {"platform", "email"}


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


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_NATIVE_OK = {
    "timestamp": (
        "TIMESTAMP",
        "TIMESTAMP WITH TIME ZONE",
        "TIMESTAMP_NS",
        "TIMESTAMP_MS",
        "TIMESTAMP_S",
        "DATE",
    ),
    "date": ("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE"),
    "integer": (
        "BIGINT",
        "INTEGER",
        "SMALLINT",
        "TINYINT",
        "UBIGINT",
        "UINTEGER",
        "USMALLINT",
        "UTINYINT",
        "HUGEINT",
    ),
    "decimal": ("DOUBLE", "FLOAT", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT"),
}


def _native(c: Column, staged_type: str | None) -> bool:
    """Whether a staged (Parquet) column already has a type that converts without parsing."""
    if staged_type is None:
        return False
    ok = _NATIVE_OK.get(c.kind, ())
    return staged_type in ok or (c.kind == "decimal" and staged_type.startswith("DECIMAL"))


def _raw_expr(c: Column, staged_type: str | None) -> str:
    """The column as read: trimmed text (empty means absent), or the native value."""
    if staged_type is None:
        return "CAST(NULL AS VARCHAR)"
    if _native(c, staged_type):
        return _q(c.name)
    return f"NULLIF(trim(CAST({_q(c.name)} AS VARCHAR)), '')"


_OFFSET = r"'([+-][0-9]{2}(:?[0-9]{2})?)$'"


def _typed_expr(t: Table, c: Column, raw: str, native: bool = False) -> str:
    """SQL turning the trimmed text (or native value) ``raw`` into the stored value of ``c``."""
    if native:
        expr = f"TRY_CAST({raw} AS {c.sql_type})"
    elif c.kind == "timestamp":
        # only a value with a UTC offset needs the (slower) TIMESTAMPTZ parser; 'Z' and naive
        # values are UTC and parse as TIMESTAMP directly
        expr = (
            f"CASE WHEN regexp_matches({raw}, {_OFFSET}) "
            f"THEN CAST(TRY_CAST({raw} AS TIMESTAMPTZ) AS TIMESTAMP) "
            f"ELSE TRY_CAST({raw} AS TIMESTAMP) END"
        )
    elif c.kind == "handle":
        expr = f"NULLIF(lower(ltrim({raw}, '@')), '')"
    elif c.kind == "enum":
        expr = f"lower({raw})"
    elif c.kind == "date":
        expr = f"TRY_CAST({raw} AS DATE)"
    elif c.kind == "integer":
        expr = f"TRY_CAST({raw} AS BIGINT)"
    elif c.kind == "decimal":
        expr = f"TRY_CAST({raw} AS DECIMAL(18,4))"
    elif c.name in _UPPER_COLUMNS:
        expr = f"upper({raw})"
    elif c.name in _LOWER_TEXT_COLUMNS or (t.name == "identities" and c.name == "kind"):
        expr = f"lower({raw})"
    elif t.name == "identities" and c.name == "value":
        kind = "lower(r_kind)"
        expr = (
            f"CASE WHEN {kind} = 'email' THEN lower({raw}) "
            f"WHEN {kind} LIKE 'handle:%' THEN NULLIF(lower(ltrim({raw}, '@')), '') "
            f"ELSE {raw} END"
        )
    else:
        expr = raw
    if c.default is not None:
        expr = f"COALESCE({expr}, {_default_literal(c)})"
    return expr


def _default_literal(c: Column) -> str:
    assert c.default is not None
    if c.kind in ("integer", "decimal"):
        float(c.default)  # the declared defaults are numbers; never user input
        return c.default
    return "'" + c.default.replace("'", "''") + "'"


_TYPE_NAMES = {
    "timestamp": "an ISO 8601 timestamp",
    "date": "a date (YYYY-MM-DD)",
    "integer": "an integer",
    "decimal": "a decimal number",
}


def _checks(t: Table) -> list[tuple[str, str, str]]:
    """(failing condition, column, reason expression) in the order they are tried."""
    checks: list[tuple[str, str, str]] = []
    for c in t.file_columns:
        raw, typed = f"r_{c.name}", _q(c.name)
        if c.required:
            checks.append(
                (f"{typed} IS NULL AND {raw} IS NULL", c.name, "'missing required value'")
            )
            if c.kind == "handle":
                checks.append(
                    (f"{typed} IS NULL", c.name, f"'empty handle: ' || CAST({raw} AS VARCHAR)")
                )
        if c.kind in _TYPE_NAMES:
            checks.append(
                (
                    f"{raw} IS NOT NULL AND {typed} IS NULL",
                    c.name,
                    f"'not {_TYPE_NAMES[c.kind]}: ' || CAST({raw} AS VARCHAR)",
                )
            )
        if c.kind == "enum":
            choices = ", ".join("'" + v + "'" for v in c.choices)
            checks.append(
                (
                    f"{typed} IS NOT NULL AND {typed} NOT IN ({choices})",
                    c.name,
                    f"'''' || {raw} || ''' is not one of {', '.join(c.choices)}'",
                )
            )
        if c.name == "currency":
            checks.append(
                (
                    f"{typed} IS NOT NULL AND NOT regexp_full_match({typed}, '[A-Z]{{3}}')",
                    c.name,
                    f"'not an ISO 4217 currency code: ' || {raw}",
                )
            )
        if c.kind in ("text", "handle") and (c.name in t.key or c.name.endswith("_id")):
            checks.append(
                (
                    f"{typed} IS NOT NULL AND contains({typed}, chr(0))",
                    c.name,
                    "'an id with a NUL byte'",
                )
            )
        if t.name == "links" and c.name == "destination_url":  # as `goodwill links create`
            checks.append(
                (
                    f"{typed} IS NOT NULL AND NOT regexp_matches({typed}, "
                    "'^[hH][tT][tT][pP][sS]?://[^/?#\\s]')",
                    c.name,
                    f"'not an http(s) URL with a host: ' || {raw}",
                )
            )
    if t.one_of:
        cond = " AND ".join(f"{_q(c)} IS NULL" for c in t.one_of)
        checks.append((cond, t.one_of[0], f"'needs at least one of {', '.join(t.one_of)}'"))
    for _amount, currency, _converted in t.money:
        checks.append(
            (
                "__rate IS NULL",
                currency,
                f"'no fx rate for ' || {_q(currency)} || ' on or before ' || "
                "CAST(__fx_date AS VARCHAR) || ' (add it to fx_rates)'",
            )
        )
    return checks


_QUARANTINE_COLUMNS = (
    "import_id, source, file, table_name, line, column_name, column_number, reason, raw"
)


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


def _fx_date(t: Table) -> str:
    if t.name == "activities":
        return "start_date"
    return "CAST(occurred_at AS DATE)" if t.name == "conversions" else "period_start"


class Loader:
    """Loads staged interchange rows into one warehouse, inside the caller's transaction."""

    def __init__(self, wh: Warehouse, *, import_id: str, reporting_currency: str) -> None:
        self.wh = wh
        self.import_id = import_id
        self.currency = reporting_currency
        self._n = 0

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
            self.wh.con.executemany(
                f"INSERT OR REPLACE INTO quarantine ({_QUARANTINE_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        return len(rows)

    def _refuse_one_foreign_currency(
        self, sf: SourceFile, validated: str, currency: str, params: dict[str, object]
    ) -> None:
        """Stop the import, in one line, when every amount of a file is in one currency that
        is not the reporting currency and fx_rates has no rate for it at all (a shop selling
        in GBP imported into a new warehouse that defaulted to USD): otherwise every row
        would be quarantined."""
        row = self.wh.con.execute(
            f"SELECT count(*), count(DISTINCT {_q(currency)}), min({_q(currency)}), "
            f"count(*) FILTER (WHERE {_q(currency)} IS NOT NULL AND {_q(currency)} <> $cur) "
            f"FROM {validated}",
            params,
        ).fetchone()
        if row is None:
            return
        n, distinct, only, foreign = int(row[0]), int(row[1]), row[2], int(row[3])
        if not n or foreign != n or distinct != 1:
            return
        rates = self.wh.con.execute(
            "SELECT count(*) FROM fx_rates WHERE currency = ?", [only]
        ).fetchone()
        if rates and int(rates[0]):
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
                con.register("_batch", batch.rows)
                if staged:
                    con.execute(f"INSERT INTO {stg} BY NAME SELECT * FROM _batch")
                else:
                    con.execute(f"CREATE TEMP TABLE {stg} AS SELECT * FROM _batch")
                    staged = True
                con.unregister("_batch")
            if on_batch:
                on_batch()
        if staged:
            self._validate_and_merge(sf, stg, {}, columns, res)
            con.execute(f"DROP TABLE {stg}")
        self._fault(sf)
        return res

    def load_parquet(self, sf: SourceFile) -> FileLoadResult:
        """Validate and merge a Parquet file that DuckDB reads itself, streaming: nothing is
        staged in Python or in a temporary table (see :meth:`_validate_and_merge`). A row's
        line is its 1-based row number in the file."""
        res = FileLoadResult(source=str(sf.path), table=sf.table.name)
        columns = parquet_columns(sf)
        src = (
            f"(SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS {LINE_COLUMN} "
            "FROM read_parquet($__path, file_row_number = true))"
        )
        self._validate_and_merge(sf, src, {"__path": str(sf.path)}, columns, res)
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
        merge its good rows into ``sf.table``.

        The validated rows are a view, never materialised: one streaming pass counts the
        rows, the bad ones and the distinct keys of the good ones; a second quarantines the
        bad rows (only if there are any); the last inserts the good rows (with a per-key
        window only if a key repeats in the file). Memory stays within DuckDB's limit, which
        spills to its temporary directory, whatever the file's size.
        """
        t = sf.table
        con = self.wh.con
        staged = {
            str(r[0]): str(r[1])
            for r in con.execute(f"DESCRIBE SELECT * FROM {src}", src_params).fetchall()
        }
        # an adapter's rows may name the file inside the export each came from
        file_col = FILE_COLUMN if FILE_COLUMN in staged else "CAST(NULL AS VARCHAR)"
        where_cols = f"{LINE_COLUMN}, {file_col} AS {FILE_COLUMN}"
        raw_cols = [f"{_raw_expr(c, staged.get(c.name))} AS r_{c.name}" for c in t.file_columns]
        # the row as read, for the quarantine (computed only by the query that selects it)
        struct = ", ".join(f"{_q(c)} := CAST({_q(c)} AS VARCHAR)" for c in columns if c in staged)
        raw_json = f"CAST(to_json(struct_pack({struct})) AS VARCHAR)" if struct else "NULL"
        typed_cols = [
            f"{_typed_expr(t, c, 'r_' + c.name, _native(c, staged.get(c.name)))} AS {_q(c.name)}"
            for c in t.file_columns
        ]
        fx_select, fx_join = "", ""
        if t.money:
            _amount, currency, _conv = t.money[0]
            fx_select = (
                f", {_fx_date(t)} AS __fx_date, CASE WHEN {_q(currency)} IS NULL OR "
                f"{_q(currency)} = $cur THEN CAST(1 AS DECIMAL(18,6)) ELSE "
                "CAST(fx.__fx_rate AS DECIMAL(18,6)) END AS __rate"
            )
            fx_join = (
                "ASOF LEFT JOIN (SELECT date AS __fx_d, currency AS __fx_c, rate AS __fx_rate "
                f"FROM fx_rates) fx ON fx.__fx_c = typed.{_q(currency)} "
                f"AND {_fx_date(t)} >= fx.__fx_d"
            )
        checks = _checks(t)
        if checks:
            reason = "CASE " + " ".join(f"WHEN {c} THEN {r}" for c, _col, r in checks) + " END"
            column = "CASE " + " ".join(f"WHEN {c} THEN '{col}'" for c, col, _r in checks) + " END"
        else:
            reason, column = "CAST(NULL AS VARCHAR)", "CAST(NULL AS VARCHAR)"
        params: dict[str, object] = {**src_params, **({"cur": self.currency} if t.money else {})}
        validated = f"""(
            SELECT typed.*{fx_select}, {reason} AS __reason, {column} AS __column
            FROM (
                SELECT raw.*, {", ".join(typed_cols)}
                FROM (SELECT {where_cols}, {raw_json} AS __raw, {", ".join(raw_cols)}
                      FROM {src}) raw
            ) typed {fx_join}
        )"""
        key = ", ".join(_q(k) for k in t.key)
        n_all, n_bad, n_keys = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE __reason IS NOT NULL), "
            f"count(DISTINCT ({key})) FILTER (WHERE __reason IS NULL) FROM {validated}",
            params,
        ).fetchone() or (0, 0, 0)
        n_good = int(n_all) - int(n_bad)
        res.rows_read += int(n_all)
        res.quarantined += int(n_bad)
        if n_bad and t.money:
            self._refuse_one_foreign_currency(sf, validated, t.money[0][1], params)
        if n_bad:
            positional = sf.format != "jsonl"  # JSON lines have keys, not column positions
            col_numbers = {c: i + 1 for i, c in enumerate(columns)} if positional else {}
            number_case = (
                "CASE "
                + " ".join(f"WHEN v.__column = '{c}' THEN {n}" for c, n in col_numbers.items())
                + " END"
                if col_numbers
                else "NULL"
            )
            con.execute(
                f"""
                INSERT OR REPLACE INTO quarantine ({_QUARANTINE_COLUMNS})
                SELECT $imp, $src, COALESCE(v.{FILE_COLUMN}, ''), $tbl, v.{LINE_COLUMN},
                       v.__column, {number_case}, v.__reason, v.__raw
                FROM {validated} v
                WHERE v.__reason IS NOT NULL
                """,
                {**params, "imp": self.import_id, "src": str(sf.path), "tbl": t.name},
            )
            for file, line, col, why in con.execute(
                f"SELECT {FILE_COLUMN}, {LINE_COLUMN}, __column, __reason FROM {validated} "
                f"WHERE __reason IS NOT NULL ORDER BY {FILE_COLUMN} NULLS FIRST, {LINE_COLUMN} "
                "LIMIT 5",
                params,
            ).fetchall():
                res.reasons.append(f"{_where(file, line)}, column {col}: {why}")
        stored = [c.name for c in t.columns]
        select = []
        for c in t.columns:
            conv = next((m for m in t.money if m[2] == c.name), None)
            if conv:
                select.append(f"CAST({_q(conv[0])} * __rate AS DECIMAL(18,4)) AS {_q(c.name)}")
            elif c.name in (m[1] for m in t.money):
                select.append(f"COALESCE({_q(c.name)}, $cur) AS {_q(c.name)}")
            else:
                select.append(_q(c.name))
        good_rows = f"SELECT {', '.join(select)} FROM {validated} WHERE __reason IS NULL"
        if n_good != n_keys:  # the last row of a key within the file wins
            good_rows += (
                f" QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY {LINE_COLUMN} DESC) = 1"
            )
        res.loaded = int(n_keys)
        res.duplicates = res.rows_read - res.quarantined - res.loaded
        existing = self.wh.count(t.name)
        verb = "INSERT OR REPLACE INTO" if existing else "INSERT INTO"
        cols = ", ".join(_q(c) for c in stored)
        if n_keys:
            con.execute(f"{verb} {t.name} ({cols}) SELECT {cols} FROM ({good_rows})", params)
        # a known key replaces its row: what the table gained is what was new
        res.new = self.wh.count(t.name) - existing if existing else int(n_keys)
