"""The DuckDB engine: every statement goodwill runs on DuckDB that is not an Ibis expression.

This is the one seam between goodwill and its SQL engine (as splink keeps each engine's SQL
in one dialect module): the rest of the code reads through Ibis expressions
(:meth:`goodwill.warehouse.Warehouse.ibis`) and writes by calling the named functions here,
which take the DuckDB connection first. ``tests/engine/test_one_seam.py`` fails when a
module outside :mod:`goodwill.engine` runs SQL text itself. :mod:`goodwill.engine.spark` is
the other engine: a warehouse of Parquet tables read through Ibis's PySpark backend.

Sections: connecting and settings; schema and metadata; transactions; import (staging,
validation, quarantine, merge); channel enrichment; sentiment labels; the web collector's
spool loads; dashboard users, sessions and tokens; erasing a person; compiled Ibis queries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import duckdb

from goodwill.errors import UserInputError, WarehouseError
from goodwill.model import Column, Table
from goodwill.sources.interchange import FILE_COLUMN, LINE_COLUMN

if TYPE_CHECKING:
    import ibis.expr.schema as sch
    import pandas as pd
    import pyarrow as pa
    from ibis.backends.duckdb import Backend as IbisDuckDB

Connection = duckdb.DuckDBPyConnection
"""A DuckDB connection (what :attr:`goodwill.warehouse.Warehouse.con` holds)."""

Error = duckdb.Error
"""Any DuckDB error."""

DATA_ERRORS: Final[tuple[type[BaseException], ...]] = (
    duckdb.ConversionException,
    duckdb.OutOfRangeException,
    duckdb.InvalidInputException,
    duckdb.ConstraintException,
)
"""Errors that a row's data can cause (not a busy or broken warehouse)."""

# -- connecting ------------------------------------------------------------------------------


def connect(path: str | Path, *, read_only: bool = False) -> Connection:
    """A connection to the database file ``path`` (``":memory:"``: in memory), in UTC and
    without a progress bar. A file another process holds is a :class:`WarehouseError`."""
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        raise WarehouseError(
            f"cannot open warehouse {path}: {exc} (another goodwill command or "
            "`goodwill serve`'s loader may be using it: try again when it has finished)"
        ) from exc
    session_defaults(con)
    return con


def session_defaults(con: Connection) -> None:
    """UTC timestamps and no progress bar (every connection goodwill opens)."""
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")


def use_utc(con: Connection) -> None:
    """UTC timestamps on ``con`` (each cursor of a shared connection sets it)."""
    con.execute("SET TimeZone = 'UTC'")


def connect_shared(path: Path) -> Connection:
    """A writable connection to the existing warehouse file ``path`` for the web app's shared
    connection (whose cursors each set UTC), without a progress bar; a file another process
    holds is a :class:`WarehouseError`."""
    try:
        con = duckdb.connect(str(path))
    except duckdb.IOException as exc:
        raise WarehouseError(f"cannot open warehouse {path}: {exc}") from exc
    con.execute("SET enable_progress_bar = false")
    return con


def limit_resources(con: Connection, memory_limit: str, temp_directory: str | None) -> None:
    """Bound DuckDB's memory (``memory_limit``) and say where it spills (``temp_directory``)."""
    try:
        con.execute(f"SET memory_limit = '{memory_limit.replace(chr(39), '')}'")
    except duckdb.Error as exc:
        raise UserInputError(
            f"setting memory_limit: {memory_limit!r} is not a memory size (e.g. 4GiB, 512MB): {exc}"
        ) from exc
    if temp_directory:
        con.execute(f"SET temp_directory = '{temp_directory.replace(chr(39), chr(39) * 2)}'")


def ibis_backend(con: Connection) -> IbisDuckDB:
    """An Ibis backend over ``con``."""
    import ibis

    return ibis.duckdb.from_connection(con)


# -- schema and metadata ---------------------------------------------------------------------

MIGRATIONS: dict[int, list[str]] = {
    # 1 -> 2: who on the care team wrote an outbound reply (care by agent). Tables new in
    # version 2 (sync_state, dashboard_*, sentiment_adaptations, post_stats) are created as
    # missing.
    1: ["ALTER TABLE interactions ADD COLUMN IF NOT EXISTS agent VARCHAR"],
    # 2 -> 3: quarantine is keyed by the file inside an export too (two files of one X
    # archive can each reject their line 3). DuckDB cannot change a primary key in place, so
    # the table is rebuilt; old rows get file '' (the source itself).
    2: [
        "ALTER TABLE quarantine RENAME TO quarantine_v2",
        "CREATE TABLE quarantine (import_id VARCHAR NOT NULL, source VARCHAR NOT NULL, "
        "file VARCHAR NOT NULL, table_name VARCHAR NOT NULL, line BIGINT NOT NULL, "
        "column_name VARCHAR, column_number BIGINT, reason VARCHAR NOT NULL, raw VARCHAR, "
        "PRIMARY KEY (import_id, source, file, line))",
        "INSERT INTO quarantine SELECT import_id, source, '', table_name, line, column_name, "
        "column_number, reason, raw FROM quarantine_v2",
        "DROP TABLE quarantine_v2",
    ],
    # 3 -> 4: ad spend exports keep the impressions and clicks the spend bought.
    3: [
        "ALTER TABLE costs ADD COLUMN IF NOT EXISTS impressions BIGINT",
        "ALTER TABLE costs ADD COLUMN IF NOT EXISTS clicks BIGINT",
        # email campaign reports: the orders and revenue the email tool attributes
        "ALTER TABLE post_stats ADD COLUMN IF NOT EXISTS orders BIGINT",
        "ALTER TABLE post_stats ADD COLUMN IF NOT EXISTS revenue DECIMAL(18,4)",
    ],
    # 4 -> 5: the detected language of a labelled text (multilingual sentiment).
    4: ["ALTER TABLE interaction_labels ADD COLUMN IF NOT EXISTS language VARCHAR"],
    # 5 -> 6: account_metrics (an account's own daily counts) is a new table, created by
    # ensure_schema; no existing table changes.
    5: [],
}
"""SQL run to go from version ``n`` to ``n + 1``: ``MIGRATIONS[n]``. A table that did not
exist before is created by ``ensure_schema`` itself; migrations change existing tables."""


UNINDEXED_KEYS: Final = frozenset(
    {"interactions", "visit_channels", "visits", "identities", "conversions", "people"}
)
"""Tables whose key is kept unique by their writers (:func:`validate_and_merge`: within a
file the last row of a key wins, a known key's row is replaced by a join on the key;
:func:`insert_visit_channels`: a visit classified again loses its old row; the collector's
:func:`insert_spool_events`: a visit or conversion it writes again loses its old row first, a
visitor identity already known is left as it is; :func:`refresh_people`: one row per
``person_ref``; :func:`replace_people`: all rows at once) instead of a ``PRIMARY KEY``. DuckDB keeps
a primary key's index (an ART) in memory whole while a transaction writes to it, about 100 MB
per million keys, outside its ``memory_limit``; the joins spill to the temporary directory
instead, so an import's memory does not grow with its files. Every other writer of these
tables only deletes rows or updates columns outside the key (erase, redact). One writer at a
time: DuckDB lets one process open the warehouse for writing, and each of those writers runs
in its own transaction (tests/test_import.py checks that no key lands twice)."""


def table_ddl(t: Table, *, primary_key: bool = True) -> str:
    """``CREATE TABLE IF NOT EXISTS`` for ``t``, with its primary key unless ``primary_key``
    is false or ``t`` is one of :data:`UNINDEXED_KEYS`."""
    cols = ", ".join(
        f"{c.name} {c.sql_type}{' NOT NULL' if c.required or c.name in t.key else ''}"
        for c in t.columns
    )
    keyed = primary_key and t.name not in UNINDEXED_KEYS
    pk = f", PRIMARY KEY ({', '.join(t.key)})" if keyed else ""
    return f"CREATE TABLE IF NOT EXISTS {t.name} ({cols}{pk})"


def migrate(con: Connection, from_version: int, to_version: int) -> None:
    """Run the :data:`MIGRATIONS` from ``from_version`` up to ``to_version``."""
    for v in range(from_version, to_version):
        for stmt in MIGRATIONS.get(v, []):
            con.execute(stmt)


def create_tables(con: Connection, tables: Sequence[Table]) -> None:
    """Create each of ``tables`` that does not exist."""
    for t in tables:
        con.execute(table_ddl(t))


def schema_version(con: Connection) -> int | None:
    """The version in ``goodwill_meta``; ``None`` for a database without goodwill's tables."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'goodwill_meta'"
    ).fetchone()
    if not exists or not exists[0]:
        return None
    row = con.execute("SELECT value FROM goodwill_meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else None


def get_meta(con: Connection, key: str) -> str | None:
    row = con.execute("SELECT value FROM goodwill_meta WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def set_meta(con: Connection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO goodwill_meta VALUES (?, ?)", [key, value])


def count_rows(con: Connection, table_name: str) -> int:
    """Rows of ``table_name`` (a name the caller validated against the model)."""
    row = con.execute(f"SELECT count(*) FROM {table_name}").fetchone()
    return int(row[0]) if row else 0


def table_names(con: Connection) -> set[str]:
    """The (not temporary) tables of the database's main schema."""
    return {
        str(r[0])
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
            "AND database_name = current_database() AND schema_name = 'main'"
        ).fetchall()
    }


def query(con: Connection, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of ``sql``: only for :meth:`goodwill.warehouse.Warehouse.query`, which tests and
    benchmarks use to inspect a warehouse (goodwill's own modules never call it)."""
    return con.execute(sql, list(params or [])).fetchall()


# -- transactions ----------------------------------------------------------------------------


def begin(con: Connection) -> None:
    con.execute("BEGIN TRANSACTION")


def commit(con: Connection) -> None:
    con.execute("COMMIT")


def rollback(con: Connection) -> None:
    con.execute("ROLLBACK")


# -- import ----------------------------------------------------------------------------------

_UPPER_COLUMNS = {"currency"}
_LOWER_TEXT_COLUMNS = {"platform", "email"}


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
    if c.default is not None:  # only an absent value: one that does not parse is quarantined
        expr = f"CASE WHEN {raw} IS NULL THEN {_default_literal(c)} ELSE {expr} END"
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
            checks.append(  # a list, not IN: DuckDB plans a long IN list as a join
                (
                    f"{typed} IS NOT NULL AND NOT list_contains([{choices}], {typed})",
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


def _fx_date(t: Table) -> str:
    if t.name == "activities":
        return "start_date"
    return "CAST(occurred_at AS DATE)" if t.name == "conversions" else "period_start"


def refresh_people(con: Connection, among: str | None = None) -> None:
    """One ``people`` row per ``identities.person_ref`` (its display name: the largest); into
    an empty ``people`` (a first import) a plain insert. ``people`` has no primary key
    (:data:`UNINDEXED_KEYS`): otherwise a person whose name changed loses the old row, and
    only people not there yet are inserted (a person unchanged keeps its row).

    ``among``: a query of the ``person_ref`` values whose identities changed; only those
    people are derived again (the collector's spool load: a few people, not every identity
    of the warehouse; the others' rows already follow their identities)."""
    derived = "SELECT person_ref AS person_id, max(display_name) AS display_name FROM identities"
    if among is not None:
        derived += f" WHERE person_ref IN ({among})"
    if not count_rows(con, "people"):
        con.execute(f"INSERT INTO people (person_id, display_name) {derived} GROUP BY person_ref")
        return
    stage = "_goodwill_people"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {stage} AS {derived} GROUP BY person_ref")
    try:
        con.execute(
            f"DELETE FROM people AS p USING {stage} AS n WHERE p.person_id = n.person_id "
            "AND p.display_name IS DISTINCT FROM n.display_name"
        )
        con.execute(
            f"INSERT INTO people (person_id, display_name) SELECT person_id, display_name "
            f"FROM {stage} AS n WHERE NOT EXISTS "
            "(SELECT 1 FROM people AS p WHERE p.person_id = n.person_id)"
        )
    finally:
        con.execute(f"DROP TABLE {stage}")


def record_import(con: Connection, row: Sequence[Any]) -> None:
    """Append one ``imports`` row (id, stamp, finished, paths, loaded, quarantined)."""
    con.execute("INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?)", list(row))


def insert_quarantine(con: Connection, rows: Sequence[Sequence[Any]]) -> None:
    """Quarantine rows in the order of :data:`_QUARANTINE_COLUMNS`."""
    con.executemany(
        f"INSERT OR REPLACE INTO quarantine ({_QUARANTINE_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [list(r) for r in rows],
    )


def currency_profile(
    con: Connection, validated: str, currency: str, params: dict[str, object]
) -> tuple[int, int, Any, int] | None:
    """``(rows, distinct currencies, one of them, rows not in $cur)`` of validated rows."""
    row = con.execute(
        f"SELECT count(*), count(DISTINCT {_q(currency)}), min({_q(currency)}), "
        f"count(*) FILTER (WHERE {_q(currency)} IS NOT NULL AND {_q(currency)} <> $cur) "
        f"FROM {validated}",
        params,
    ).fetchone()
    if row is None:
        return None
    return int(row[0]), int(row[1]), row[2], int(row[3])


def fx_rate_count(con: Connection, currency: object) -> int:
    rates = con.execute("SELECT count(*) FROM fx_rates WHERE currency = ?", [currency]).fetchone()
    return int(rates[0]) if rates else 0


def stage_batch(con: Connection, stage: str, rows: pa.Table, *, create: bool) -> None:
    """Append Arrow ``rows`` to the temporary table ``stage`` (``create``: make it)."""
    con.register("_batch", rows)
    try:
        if create:
            con.execute(f"CREATE TEMP TABLE {stage} AS SELECT * FROM _batch")
        else:
            con.execute(f"INSERT INTO {stage} BY NAME SELECT * FROM _batch")
    finally:
        con.unregister("_batch")


def drop_table(con: Connection, name: str) -> None:
    con.execute(f"DROP TABLE {name}")


def parquet_rows(path: Path) -> tuple[str, dict[str, object]]:
    """A subquery (and its parameters) of a Parquet file's rows as DuckDB reads them itself,
    with the 1-based row number as :data:`LINE_COLUMN`."""
    src = (
        f"(SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS {LINE_COLUMN} "
        "FROM read_parquet($__path, file_row_number = true))"
    )
    return src, {"__path": str(path)}


@dataclass
class Merged:
    """What :func:`validate_and_merge` did to one file's rows."""

    rows_read: int = 0
    quarantined: int = 0
    loaded: int = 0
    new: int = 0
    bad_examples: list[tuple[str | None, object, str, str]] = field(default_factory=list)
    """``(file, line, column, reason)`` of the first (at most 5) quarantined rows."""


def validate_and_merge(
    con: Connection,
    t: Table,
    src: str,
    src_params: dict[str, object],
    columns: tuple[str, ...],
    *,
    currency: str,
    import_id: str,
    source: str,
    positional: bool,
    on_all_foreign: Callable[[str, str, dict[str, object]], None] | None = None,
    on_rows: RowsHook | None = None,
) -> Merged:
    """Validate ``src`` (a table or a subquery of the rows as read, with ``_line``) and
    merge its good rows into ``t``.

    The validated rows are a view, never materialised: a first streaming pass validates
    every row and counts the rows, the distinct keys and the bad rows; the second inserts
    the good ones (a plain projection when all are good; a filter on the reason when some
    are bad; a per-key window, last row wins, only if a key repeats); a third pass
    quarantines the bad rows only if there are any. A table of :data:`UNINDEXED_KEYS` with
    rows merges by joins on the key (:func:`_merge`). ``on_all_foreign(validated, currency
    column, params)`` is called before quarantining when a money table has bad rows (it may
    raise to stop the import, which rolls back); ``positional``: the columns have positions
    (not JSON lines), so a quarantined row names its column number. ``on_rows`` (see
    :data:`RowsHook`) sees the rows merged.
    """
    out = Merged()
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
        _amount, money_currency, _conv = t.money[0]
        fx_select = (
            f", {_fx_date(t)} AS __fx_date, CASE WHEN {_q(money_currency)} IS NULL OR "
            f"{_q(money_currency)} = $cur THEN CAST(1 AS DECIMAL(18,6)) ELSE "
            "CAST(fx.__fx_rate AS DECIMAL(18,6)) END AS __rate"
        )
        fx_join = (
            "ASOF LEFT JOIN (SELECT date AS __fx_d, currency AS __fx_c, rate AS __fx_rate "
            f"FROM fx_rates) fx ON fx.__fx_c = typed.{_q(money_currency)} "
            f"AND {_fx_date(t)} >= fx.__fx_d"
        )
    checks = _checks(t)
    if checks:
        reason = "CASE " + " ".join(f"WHEN {c} THEN {r}" for c, _col, r in checks) + " END"
        column = "CASE " + " ".join(f"WHEN {c} THEN '{col}'" for c, col, _r in checks) + " END"
    else:
        reason, column = "CAST(NULL AS VARCHAR)", "CAST(NULL AS VARCHAR)"
    params: dict[str, object] = {**src_params, **({"cur": currency} if t.money else {})}
    validated = f"""(
        SELECT typed.*{fx_select}, {reason} AS __reason, {column} AS __column
        FROM (
            SELECT raw.*, {", ".join(typed_cols)}
            FROM (SELECT {where_cols}, {raw_json} AS __raw, {", ".join(raw_cols)}
                  FROM {src}) raw
        ) typed {fx_join}
    )"""
    key = ", ".join(_q(k) for k in t.key)
    # One pass over the key columns only: how many rows, and whether a key repeats (then the
    # last row of a key wins, a window over the good rows). Grouped by the key's hash: a
    # collision only takes the window's path; a hash aggregate is far cheaper here than
    # count(DISTINCT ...). The full validation runs once, inside the insert: its row count
    # says how many rows were good, so the bad ones are counted (and quarantined) in a pass
    # of their own only if there are any.
    key_raw = [c for c in t.file_columns if c.name in t.key or f"r_{c.name}" in _key_refs(t)]
    key_typed = [
        _typed_expr(t, c, "r_" + c.name, _native(c, staged.get(c.name)))
        for c in t.file_columns
        if c.name in t.key
    ]
    n_all, n_keys = con.execute(
        f"SELECT coalesce(sum(n), 0), count(*) FROM (SELECT count(*) AS n FROM (SELECT "
        f"{', '.join(_raw_expr(c, staged.get(c.name)) + ' AS r_' + c.name for c in key_raw)} "
        f"FROM {src}) GROUP BY hash({', '.join(key_typed)}))",
        src_params,
    ).fetchone() or (0, 0)
    n_all = int(n_all)
    repeated = int(n_keys) != n_all
    out.rows_read += n_all
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
    every_row = f"SELECT {', '.join(select)} FROM {validated}"
    good_rows = f"{every_row} WHERE __reason IS NULL"
    if repeated:  # the last row of a key within the file wins
        good_rows += (
            f" QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY {LINE_COLUMN} DESC) = 1"
        )
    cols = ", ".join(_q(c) for c in stored)
    existing = count_rows(con, t.name)
    n_good = _merge(con, t, good_rows, params, cols, key, existing, on_rows)
    if on_rows is not None and (not existing or t.name not in UNINDEXED_KEYS):
        # read from the file again, not back from the table (rows the transaction appended
        # are scanned on one thread): every row as read when all were good and no key
        # repeats (nothing to validate), else the good rows
        clean = n_good == n_all and not repeated
        on_rows(f"({every_row if clean else good_rows})", params, not existing)
    out.loaded = n_good
    out.new = count_rows(con, t.name) - existing
    if repeated:  # some rows were dropped as earlier rows of their key
        n_bad = _one_unpushed(
            con, f"SELECT count(*) FROM {validated} WHERE __reason IS NOT NULL", params
        )
    else:
        n_bad = n_all - n_good
    out.quarantined += n_bad
    if n_bad and t.money and on_all_foreign is not None:
        on_all_foreign(validated, t.money[0][1], params)
    if n_bad:
        col_numbers = {c: i + 1 for i, c in enumerate(columns)} if positional else {}
        number_case = (
            "CASE "
            + " ".join(f"WHEN v.__column = '{c}' THEN {n}" for c, n in col_numbers.items())
            + " END"
            if col_numbers
            else "NULL"
        )
        _execute_unpushed(
            con,
            f"""
            INSERT OR REPLACE INTO quarantine ({_QUARANTINE_COLUMNS})
            SELECT $imp, $src, COALESCE(v.{FILE_COLUMN}, ''), $tbl, v.{LINE_COLUMN},
                   v.__column, {number_case}, v.__reason, v.__raw
            FROM {validated} v
            WHERE v.__reason IS NOT NULL
            """,
            {**params, "imp": import_id, "src": source, "tbl": t.name},
        )
        for file, line, col, why in _execute_unpushed(
            con,
            f"SELECT {FILE_COLUMN}, {LINE_COLUMN}, __column, __reason FROM {validated} "
            f"WHERE __reason IS NOT NULL ORDER BY {FILE_COLUMN} NULLS FIRST, {LINE_COLUMN} "
            "LIMIT 5",
            params,
        ):
            out.bad_examples.append((file, line, col, why))
    return out


def _key_refs(t: Table) -> set[str]:
    """Raw columns other than the key's that its typed expressions read (an identity's value
    is normalised by its kind)."""
    return {"r_kind"} if t.name == "identities" else set()


def _execute_unpushed(
    con: Connection,
    sql: str,
    params: dict[str, object],
    optimizers: Sequence[str] = ("filter_pushdown",),
) -> list[tuple[Any, ...]]:
    """Run a statement that filters the validated rows on their reason (``__reason IS
    NULL``) with DuckDB's filter pushdown off for it alone: pushed down, the filter gets every
    typed and raw expression it reads inlined, and computes each again per reference (at 1M
    interactions the insert took 1.5× the CPU of the same insert without the filter); left
    where it is, it reads the columns the projection computed once. Only for statements
    without joins written as filters (a ``DELETE ... USING`` needs pushdown for its join).
    Returns the statement's rows (fetched before the setting is restored); ``optimizers``:
    the ones turned off (:func:`_one_as_written` turns off others)."""
    before = con.execute("SELECT current_setting('disabled_optimizers')").fetchone()
    disabled = str(before[0]) if before and before[0] else ""
    both = ",".join(o for o in (disabled, *optimizers) if o)
    con.execute(f"SET disabled_optimizers = '{both}'")
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.execute(f"SET disabled_optimizers = '{disabled}'")


_AS_WRITTEN: Final = ("join_order", "build_side_probe_side")


def _one_as_written(con: Connection, sql: str, params: dict[str, object]) -> int:
    """The one value of ``sql`` run with its joins as written, each hash table built on the
    right-hand side: DuckDB estimates a table at its committed rows, so the rows an import's
    transaction has written so far look empty and would be chosen for the hash table."""
    rows = _execute_unpushed(con, sql, params, _AS_WRITTEN)
    return int(rows[0][0]) if rows else 0


def _one_unpushed(con: Connection, sql: str, params: dict[str, object]) -> int:
    rows = _execute_unpushed(con, sql, params)
    return int(rows[0][0]) if rows else 0


def _one(con: Connection, sql: str, params: dict[str, object]) -> int:
    row = con.execute(sql, params).fetchone()
    return int(row[0]) if row else 0


RowsHook = Callable[[str, dict[str, object], bool], None]
"""``on_rows(rows, params, into_empty)`` of :func:`validate_and_merge`: called once per file
with ``rows``, a relation (a table name or a parenthesised query, with ``params``) of the
rows merged, one per key, in the table's columns; ``into_empty``: the table had no rows. Into
an empty table it is called after the insert, and ``rows`` is a query over the file as read
(every row as read when all were good and no key repeated: nothing is validated again;
otherwise the good rows), which DuckDB scans in parallel — the rows the transaction has
appended it scans on one thread. Into a table with rows it is called before the table is
written, and ``rows`` is the temporary table of the good rows. A statement that reads
``rows`` runs with filter pushdown off (:func:`_execute_unpushed`)."""


def _merge(
    con: Connection,
    t: Table,
    good_rows: str,
    params: dict[str, object],
    cols: str,
    key: str,
    existing: int,
    on_rows: RowsHook | None = None,
) -> int:
    """Merge ``good_rows`` (one row per key) into ``t``; returns how many rows they were.
    ``on_rows``: as :func:`validate_and_merge`'s, called here only with the temporary table
    of the rows merged into a table of :data:`UNINDEXED_KEYS` that has rows."""
    if t.name in UNINDEXED_KEYS:
        if not existing:  # nothing to replace: the rows go in as they are read
            # (created again, inside the import's transaction, as table_ddl says now: a
            # warehouse made before the table lost its primary key loses it here)
            con.execute(f"DROP TABLE {t.name}")
            con.execute(table_ddl(t))
            return _one_unpushed(con, f"INSERT INTO {t.name} ({cols}) {good_rows}", params)
        # A known key with new content replaces its row; the same row again changes nothing.
        # Both are joins on the key (which spill to the temporary directory, unlike an index).
        stage = "_goodwill_merge"
        _execute_unpushed(con, f"CREATE OR REPLACE TEMP TABLE {stage} AS {good_rows}", params)
        try:
            if on_rows is not None:
                on_rows(stage, {}, False)
            on = " AND ".join(f"t.{_q(k)} = n.{_q(k)}" for k in t.key)
            row_t = ", ".join(f"t.{_q(c.name)}" for c in t.columns)
            row_n = ", ".join(f"n.{_q(c.name)}" for c in t.columns)
            con.execute(
                f"DELETE FROM {t.name} AS t USING {stage} AS n "
                f"WHERE {on} AND row({row_t}) IS DISTINCT FROM row({row_n})"
            )
            con.execute(
                f"INSERT INTO {t.name} ({cols}) SELECT {cols} FROM {stage} AS n "
                f"WHERE NOT EXISTS (SELECT 1 FROM {t.name} AS t WHERE {on})"
            )
            return count_rows(con, stage)
        finally:
            con.execute(f"DROP TABLE {stage}")
    if not existing:
        # An empty table (a first import) takes the rows in the order they are read: the
        # primary key's index is built as they arrive (in a file written in key order, at
        # the cost of a plain insert), and a failing import rolls everything back.
        return _one_unpushed(con, f"INSERT INTO {t.name} ({cols}) {good_rows}", params)
    # in key order: the primary key's index takes sorted keys in far fewer node visits than
    # random ones (at 1M interactions 25 % less CPU for the insert and its commit)
    return _one_unpushed(
        con, f"INSERT OR REPLACE INTO {t.name} ({cols}) {good_rows} ORDER BY {key}", params
    )


def quarantine_frame(con: Connection, import_id: str | None, limit: int) -> pd.DataFrame:
    """``import_id, source, file, line, column_name, column_number, reason, raw`` of at most
    ``limit`` quarantined rows (of the import ``import_id`` only, unless ``None``), in order;
    ``file`` is ``''`` in a warehouse not yet migrated to keying quarantine by file."""
    names = {
        r[0] for r in con.execute("SELECT name FROM pragma_table_info('quarantine')").fetchall()
    }
    file = "file" if "file" in names else "'' AS file"
    sql = (
        f"SELECT import_id, source, {file}, line, column_name, column_number, reason, raw "
        "FROM quarantine WHERE ($imp IS NULL OR import_id = $imp) "
        "ORDER BY import_id, source, file, line LIMIT $lim"
    )
    frame: pd.DataFrame = con.execute(sql, {"imp": import_id, "lim": limit}).df()
    return frame


# -- channel enrichment ----------------------------------------------------------------------


CHANNEL_INPUTS: Final = ("utm_source", "utm_medium", "landing_url", "referrer", "user_agent")
"""The ``visits`` columns the channel rules read (:func:`stage_channel_features`)."""


def stage_channel_features(
    con: Connection,
    table: str,
    patterns: dict[str, str],
    *,
    own_host: bool,
    only_missing: bool,
    among: str | None = None,
    rows: str | None = None,
    params: dict[str, object] | None = None,
) -> None:
    """Fill the temporary ``table`` with the raw channel features (see
    :mod:`goodwill.enrich.channel_features`; ``patterns``: its regular expressions by name) of
    each distinct combination of the visit columns the rules read (:data:`CHANNEL_INPUTS`, as
    ``__in_<column>``) among the visits to classify (``only_missing``: those without a
    ``visit_channels`` row): visits share landing pages, referrers and browsers, so the
    regular expressions run once per combination, not once per visit (at 200k scale-data
    visits 150 combinations; a file where every visit differs costs a ``DISTINCT`` and a join
    more). :func:`insert_visit_channels` joins the visits back on those columns. ``among``:
    a table of ``visit_id`` s; only those visits are looked at (:data:`SPOOL_VISITS`).
    ``rows`` (with its ``params``): the visits to look at are that relation's (an import's
    staged rows, :data:`RowsHook`), not the ``visits`` table's (``only_missing`` and
    ``among`` do not apply).

    The statement has no parameters of its own: the patterns are written into it as literals and the
    two options choose its text. DuckDB compiles a constant pattern once, but a parameter's
    (or one behind a parameter's ``CASE``) for every vector of rows: at 200k visits 0.2 CPU-s
    instead of 0.55–1.2."""
    landing = "''" if own_host else "coalesce(regexp_extract(v.landing_url, $authority, 1), '')"
    if rows is not None and (only_missing or among is not None):
        raise ValueError("rows: the visits are the relation's; only_missing and among are not")
    source = "visits AS v\n    " + _visit_filter(only_missing, among) if rows is None else "$__rows"
    sql = f"""
CREATE OR REPLACE TEMP TABLE {table} AS
SELECT
    {", ".join("v." + _q(f"__in_{c}") for c in CHANNEL_INPUTS)},
    coalesce(nullif(v.utm_source, ''), regexp_extract(v.landing_url, $utm_source, 1), '')
        AS utm_source,
    coalesce(nullif(v.utm_medium, ''), regexp_extract(v.landing_url, $utm_medium, 1), '')
        AS utm_medium,
    coalesce(array_to_string(list_sort(list_distinct(list_transform(
        regexp_extract_all(v.landing_url, $click_id, 1), x -> lower(x)))), ','), '')
        AS click_ids,
    coalesce(regexp_extract(v.referrer, $authority, 1), '') AS referrer_authority,
    coalesce(regexp_matches(v.referrer, $at_path), false) AS referrer_at_path,
    {landing} AS landing_authority,
    coalesce(regexp_extract(v.user_agent, $in_app, 1), '') AS in_app
FROM (
    SELECT DISTINCT {", ".join(f"{c}, {c} AS __in_{c}" for c in CHANNEL_INPUTS)}
    FROM {source}
) AS v"""
    sql = re.sub(
        r"\$(\w+)",
        lambda m: "'" + patterns[m[1]].replace("'", "''") + "'" if m[1] in patterns else m[0],
        sql,
    )
    if rows is not None:  # after the patterns: the relation's own $parameters stay
        sql = sql.replace("$__rows", f"{rows} AS v")
    # as written: the anti-join's hash table of the classified visits, not of the visits
    # (which an import's transaction has not committed, so DuckDB takes them for empty)
    _execute_unpushed(con, sql, params or {}, _AS_WRITTEN)


def _visit_filter(only_missing: bool, among: str | None) -> str:
    """The ``WHERE`` clause on ``visits AS v``: those without a ``visit_channels`` row
    (``only_missing``), among the ids in the table ``among``. Both sides of the anti-join are
    restricted to ``among``: a probe of a few ids, not a hash table of every channel row."""
    within = f"IN (SELECT visit_id FROM {among})" if among is not None else ""
    terms = [f"v.visit_id {within}"] if within else []
    if only_missing:
        also = f" AND c.visit_id {within}" if within else ""
        terms.append(
            f"NOT EXISTS (SELECT 1 FROM visit_channels AS c WHERE c.visit_id = v.visit_id{also})"
        )
    return f"WHERE {' AND '.join(terms)}" if terms else ""


def drop_table_if_exists(con: Connection, name: str) -> None:
    con.execute(f"DROP TABLE IF EXISTS {name}")


def distinct_rows(con: Connection, table: str, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """The distinct combinations of ``columns`` in ``table``."""
    return con.execute(f"SELECT DISTINCT {', '.join(columns)} FROM {table}").fetchall()


def insert_visit_channels(
    con: Connection,
    features: str,
    mapping: pa.Table,
    columns: Sequence[str],
    classifier: str,
    *,
    only_missing: bool,
    among: str | None = None,
) -> int:
    """``visit_channels`` rows: each visit to classify (``only_missing``: those without a row;
    otherwise every visit) joined on :data:`CHANNEL_INPUTS` with its combination in the
    ``features`` table (:func:`stage_channel_features`) and on ``columns`` with the channel
    ``mapping`` (Arrow: the columns, then channel, source, evidence); ``among``: only the
    visits whose ids are in that table (:func:`stage_channel_features`). Returns how many
    visits were classified."""
    view = "_goodwill_channel_map"
    con.register(view, mapping)
    try:
        # one row per visit (UNINDEXED_KEYS: no primary key; this is the table's only
        # writer): a visit classified again loses its old row first
        if only_missing:  # (none to leave out of a first import: no anti-join holding them)
            missing = _visit_filter(bool(count_rows(con, "visit_channels")), among)
        else:
            missing = _visit_filter(False, among)
            con.execute(
                f"DELETE FROM visit_channels WHERE visit_id IN (SELECT visit_id FROM {among})"
                if among  # (no need to read the visits: the ids are named)
                else "DELETE FROM visit_channels AS c USING visits AS v "
                "WHERE c.visit_id = v.visit_id"
            )
        same = " AND ".join(f"v.{c} IS NOT DISTINCT FROM f.__in_{c}" for c in CHANNEL_INPUTS)
        # The visits probe one hash table of the combinations with their channels, built as
        # written: inside an import DuckDB estimates the visits it has not committed at 0
        # rows and built its hash table of them (at 50M interactions 10M visits, 2 GB).
        return _one_as_written(
            con,
            f"""
INSERT INTO visit_channels (visit_id, channel, source, evidence, classifier)
SELECT v.visit_id, f.channel, f.source, f.evidence, $classifier
FROM visits AS v
JOIN (
    SELECT {", ".join(f"f.__in_{c}" for c in CHANNEL_INPUTS)}, m.channel, m.source, m.evidence
    FROM {features} AS f
    JOIN {view} AS m ON {" AND ".join(f"m.{c} = f.{c}" for c in columns)}
) AS f ON {same}
{missing}
""",
            {"classifier": classifier},
        )
    finally:
        con.unregister(view)


_CHANNEL_ROWS: Final = "_goodwill_channel_rows"


def merge_staged_visit_channels(
    con: Connection,
    features: str,
    mapping: pa.Table,
    columns: Sequence[str],
    classifier: str,
    *,
    rows: str,
    params: dict[str, object],
) -> int:
    """``visit_channels`` rows of the visits in ``rows`` (with ``params``: an import's staged
    visits, :data:`RowsHook`), each joined on :data:`CHANNEL_INPUTS` with its combination in
    ``features`` (:func:`stage_channel_features` of the same rows) and on ``columns`` with the
    channel ``mapping``, as :func:`insert_visit_channels` joins them. Into an empty
    ``visit_channels`` (a first import) a plain insert; otherwise a visit whose channel row
    differs (a visit replaced, or classified with other settings) loses it, and the visits
    without one get theirs: a visit imported again unchanged keeps its row. Returns how many
    visits ``rows`` held (each has its channel row now).

    ``rows`` is read once, in parallel when it is a query over the file as read, with filter
    pushdown off (it filters on the validation's reason) and the joins as written: the
    visits probe one hash table of the combinations with their channels (DuckDB estimates a
    file staged in the transaction at 0 rows and would build its hash table of them)."""
    view = "_goodwill_channel_map"
    con.register(view, mapping)
    same = " AND ".join(f"v.{c} IS NOT DISTINCT FROM f.__in_{c}" for c in CHANNEL_INPUTS)
    select = f"""
SELECT v.visit_id, f.channel, f.source, f.evidence, $classifier AS classifier
FROM (SELECT visit_id, {", ".join(CHANNEL_INPUTS)} FROM {rows}) AS v
JOIN (
    SELECT {", ".join(f"f.__in_{c}" for c in CHANNEL_INPUTS)}, m.channel, m.source, m.evidence
    FROM {features} AS f
    JOIN {view} AS m ON {" AND ".join(f"m.{c} = f.{c}" for c in columns)}
) AS f ON {same}"""
    both = {**params, "classifier": classifier}
    unpushed = ("filter_pushdown", *_AS_WRITTEN)
    cols = "visit_id, channel, source, evidence, classifier"
    try:
        if not count_rows(con, "visit_channels"):
            rows_in = _execute_unpushed(
                con, f"INSERT INTO visit_channels ({cols}) {select}", both, unpushed
            )
            return int(rows_in[0][0]) if rows_in else 0
        _execute_unpushed(
            con, f"CREATE OR REPLACE TEMP TABLE {_CHANNEL_ROWS} AS {select}", both, unpushed
        )
        try:
            con.execute(
                f"DELETE FROM visit_channels AS c USING {_CHANNEL_ROWS} AS n "
                "WHERE c.visit_id = n.visit_id AND row(c.channel, c.source, c.evidence, "
                "c.classifier) IS DISTINCT FROM row(n.channel, n.source, n.evidence, "
                "n.classifier)"
            )
            con.execute(
                f"INSERT INTO visit_channels ({cols}) SELECT {cols} FROM {_CHANNEL_ROWS} AS n "
                "WHERE NOT EXISTS (SELECT 1 FROM visit_channels AS c "
                "WHERE c.visit_id = n.visit_id)"
            )
            return count_rows(con, _CHANNEL_ROWS)
        finally:
            con.execute(f"DROP TABLE {_CHANNEL_ROWS}")
    finally:
        con.unregister(view)


def visits_without_channel(con: Connection) -> bool:
    """Whether some visit may have no ``visit_channels`` row, from the two tables' row counts
    (no join): each visit has at most one channel row, and whoever deletes a visit deletes
    its channel row, so fewer channel rows than visits means a visit left unclassified (by a
    version that did not classify, or by a writer that does not)."""
    return count_rows(con, "visits") > count_rows(con, "visit_channels")


def record_people_refs(con: Connection, table: str, rows: str) -> None:
    """Add to the temporary ``table`` (made if missing) the ``person_ref`` s that identity
    ``rows`` (a table of an import's staged identities) touch: theirs, and those of the
    identities of the same keys already stored (a replaced identity may move to another
    person, whose old person is derived again too). :func:`refresh_people` ``among``
    them."""
    con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (person_ref VARCHAR)")
    con.execute(
        f"INSERT INTO {table} SELECT person_ref FROM {rows} WHERE person_ref IS NOT NULL "
        f"UNION ALL SELECT t.person_ref FROM identities AS t SEMI JOIN {rows} AS n "
        "ON t.kind = n.kind AND t.value = n.value WHERE t.person_ref IS NOT NULL"
    )


# -- sentiment labels ------------------------------------------------------------------------

_LABELS_VIEW: Final = "_goodwill_new_labels"
_INSERT_LABELS: Final = f"""
INSERT OR REPLACE INTO interaction_labels
SELECT n.platform, n.interaction_id,
       coalesce(c.sentiment, n.sentiment),
       CASE WHEN c.sentiment IS NULL OR c.sentiment = n.sentiment THEN n.sentiment_score
            WHEN c.sentiment = 'positive' THEN 1 WHEN c.sentiment = 'negative' THEN -1 ELSE 0 END,
       coalesce(c.intent, n.intent),
       CASE WHEN c.platform IS NULL THEN n.model ELSE 'correction' END,
       n.labelled_at, n.language
FROM {_LABELS_VIEW} n
LEFT JOIN label_corrections c USING (platform, interaction_id)
"""


def insert_labels(con: Connection, labels: pa.Table) -> None:
    """Store Arrow ``labels`` (``interaction_labels`` columns) over earlier ones; a person's
    correction wins over the model's sentiment and intent."""
    con.register(_LABELS_VIEW, labels)
    try:
        con.execute(_INSERT_LABELS)
    finally:
        con.unregister(_LABELS_VIEW)


def latest_adaptation_version(con: Connection, base_model: str) -> str | None:
    found = con.execute(
        "SELECT model_version FROM sentiment_adaptations WHERE base_model = ? "
        "ORDER BY created_at DESC, model_version DESC LIMIT 1",
        [base_model],
    ).fetchone()
    return None if found is None else str(found[0])


def adaptation_weights(con: Connection, version: str) -> list[tuple[Any, ...]]:
    """``(feature, w_negative, w_neutral, w_positive)`` of one adaptation."""
    return con.execute(
        "SELECT feature, w_negative, w_neutral, w_positive FROM sentiment_adaptations "
        "WHERE model_version = ?",
        [version],
    ).fetchall()


def corrected_texts(con: Connection) -> list[tuple[Any, ...]]:
    """``(text, corrected sentiment)`` of every sentiment correction with a text."""
    return con.execute(
        "SELECT i.text, c.sentiment FROM label_corrections c JOIN interactions i "
        "USING (platform, interaction_id) WHERE c.sentiment IS NOT NULL AND i.text IS NOT NULL "
        "ORDER BY c.platform, c.interaction_id"
    ).fetchall()


def uncorrected_texts(con: Connection, limit: int) -> list[str]:
    """Up to ``limit`` texts without a sentiment correction, in a stable pseudo-random order."""
    return [
        str(r[0])
        for r in con.execute(
            "SELECT text FROM interactions i WHERE text IS NOT NULL AND NOT EXISTS ("
            "SELECT 1 FROM label_corrections c WHERE c.platform = i.platform "
            "AND c.interaction_id = i.interaction_id AND c.sentiment IS NOT NULL) "
            f"ORDER BY hash(platform || interaction_id) LIMIT {int(limit)}"
        ).fetchall()
    ]


def adaptation_count(con: Connection, base_model: str) -> int:
    (count,) = con.execute(
        "SELECT count(DISTINCT model_version) FROM sentiment_adaptations WHERE base_model = ?",
        [base_model],
    ).fetchone() or (0,)
    return int(count)


def insert_adaptation_rows(con: Connection, rows: Sequence[Sequence[Any]]) -> None:
    con.executemany(
        "INSERT INTO sentiment_adaptations VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [list(r) for r in rows]
    )


def texts_to_label(con: Connection, *, relabel: bool) -> list[tuple[Any, ...]]:
    """``(platform, interaction_id, text)`` of the interactions with a text (``relabel``
    false: only those without a label)."""
    sql = "SELECT platform, interaction_id, text FROM interactions i WHERE text IS NOT NULL"
    if not relabel:
        sql += (
            " AND NOT EXISTS (SELECT 1 FROM interaction_labels l WHERE l.platform = i.platform"
            " AND l.interaction_id = i.interaction_id)"
        )
    return con.execute(sql).fetchall()


def interaction_text(con: Connection, platform: str, interaction_id: str) -> tuple[Any] | None:
    """``(text,)`` of one interaction; ``None`` when there is no such interaction."""
    found = con.execute(
        "SELECT text FROM interactions WHERE platform = ? AND interaction_id = ?",
        [platform, interaction_id],
    ).fetchone()
    return None if found is None else (found[0],)


def label_correction(con: Connection, platform: str, interaction_id: str) -> tuple[Any, ...] | None:
    """``(sentiment, intent, note)`` of a stored correction."""
    found = con.execute(
        "SELECT sentiment, intent, note FROM label_corrections WHERE platform = ? "
        "AND interaction_id = ?",
        [platform, interaction_id],
    ).fetchone()
    return None if found is None else tuple(found)


def store_label_correction(con: Connection, row: Sequence[Any]) -> None:
    """``(platform, interaction_id, sentiment, intent, corrected_at, note)``."""
    con.execute("INSERT OR REPLACE INTO label_corrections VALUES (?, ?, ?, ?, ?, ?)", list(row))


# -- the web collector's spool ---------------------------------------------------------------

_STAGE: Final = "_goodwill_spool_stage"
_NEW: Final = "_goodwill_spool_new"
SPOOL_VISITS: Final = "_goodwill_spool_visits"
"""The temporary table of the visit ids a spool load wrote (:func:`insert_spool_events` makes
it, the caller classifies those visits and drops it): a load classifies its own visits, not
an anti-join of every visit against ``visit_channels`` (2 s at 2M visits, on every load)."""


@dataclass
class SpoolCounts:
    """What one :func:`insert_spool_events` added."""

    new: int = 0
    visits: int = 0
    conversions: int = 0
    clicks: int = 0


def insert_spool_events(
    con: Connection,
    events: pa.Table,
    *,
    columns: Sequence[str],
    reporting: str,
    session_gap_minutes: int,
    conversion_events: tuple[str, ...],
) -> SpoolCounts:
    """Steps 1–4 of a spool load (:mod:`goodwill.web.loader`) for the Arrow ``events`` (all
    text ``columns``), in the caller's transaction: new events into ``collected_events``, the
    affected visitors' visits sessionised again, conversions, clicks and identities. Leaves
    the temporary table :data:`SPOOL_VISITS` (the visits it wrote) for the caller to classify
    and drop."""
    sql = _spool_sql(session_gap_minutes, conversion_events)
    out = SpoolCounts()
    con.register(_STAGE, events)
    try:
        con.execute(sql["insert_events"])
        out.new = count_rows(con, _NEW)
        con.execute(
            f"INSERT INTO collected_events ({', '.join(columns)}) "
            f"SELECT {', '.join(columns)} FROM {_NEW}"
        )
        for step in (
            "affected",
            "sessions",
            "delete_old_channels",
            "delete_old_visits",
            "extend_visits",
            "delete_replaced_visits",
            "insert_visits",
        ):
            con.execute(sql[step])
        out.visits = count_rows(con, "_goodwill_sessions")
        con.execute(sql["delete_replaced_conversions"])
        con.execute(sql["insert_conversions"], {"currency": reporting})
        row = con.execute(
            f"SELECT count(*) FROM {_NEW} WHERE kind = 'event' AND name IN {conversion_events!r}"
        ).fetchone()
        out.conversions = int(row[0]) if row else 0
        con.execute(sql["insert_clicks"])
        row = con.execute(
            f"SELECT count(*) FROM {_NEW} WHERE kind = 'click' AND link_code <> ''"
        ).fetchone()
        out.clicks = int(row[0]) if row else 0
        con.execute(sql["insert_identities"])
        refresh_people(con, among=sql["identity_people"])
        con.execute(sql["spool_visits"])
        for temp in (_NEW, "_goodwill_affected", "_goodwill_sessions"):
            con.execute(f"DROP TABLE {temp}")
    finally:
        con.unregister(_STAGE)
    return out


@cache
def _spool_sql(session_gap_minutes: int, conversion_events: tuple[str, ...]) -> dict[str, str]:
    """The statements of one spool load (:mod:`goodwill.web.loader`), by name."""
    SESSION_GAP_MINUTES, CONVERSION_EVENTS = session_gap_minutes, conversion_events
    _INSERT_EVENTS = f"""
    CREATE OR REPLACE TEMP TABLE {_NEW} AS
    SELECT DISTINCT ON (event_id)
           event_id, kind, name, site, CAST(occurred_at AS TIMESTAMP) AS occurred_at, visitor_id,
           url, referrer, user_agent, link_code, TRY_CAST(value AS DECIMAL(18,4)) AS value,
           upper(currency) AS currency, lower(email) AS email
    FROM {_STAGE} AS s
    WHERE NOT EXISTS (SELECT 1 FROM collected_events c WHERE c.event_id = s.event_id)
    """

    _AFFECTED = f"""
    CREATE OR REPLACE TEMP TABLE _goodwill_affected AS
    WITH first_new AS (
      SELECT visitor_id, min(occurred_at) AS t0, count(*) AS n_new
      FROM {_NEW} WHERE kind = 'pageview' GROUP BY visitor_id
    ), info AS (
      SELECT f.visitor_id, f.t0, f.n_new,
             (SELECT count(DISTINCT c.site) FROM collected_events c
              WHERE c.visitor_id = f.visitor_id AND c.kind = 'pageview') AS sites,
             (SELECT max(c.occurred_at) FROM collected_events c
              WHERE c.visitor_id = f.visitor_id AND c.kind = 'pageview'
                AND c.occurred_at < f.t0) AS last_old,
             (SELECT count(*) FROM collected_events c
              WHERE c.visitor_id = f.visitor_id AND c.kind = 'pageview'
                AND c.occurred_at >= f.t0) AS at_or_after,
             (SELECT max(v.started_at) FROM visits v
              WHERE v.visitor_id = f.visitor_id AND v.visit_id LIKE 'gw:%'
                AND v.started_at <= f.t0) AS since,
             (SELECT arg_max(v.visit_id, v.started_at) FROM visits v
              WHERE v.visitor_id = f.visitor_id AND v.visit_id LIKE 'gw:%'
                AND v.started_at <= f.t0) AS last_visit_id
      FROM first_new f
    )
    SELECT visitor_id,
           CASE WHEN sites > 1 THEN NULL ELSE since END AS since,
           CASE WHEN sites = 1 AND last_old IS NOT NULL AND at_or_after = n_new
                     AND last_visit_id IS NOT NULL AND since <= last_old
                THEN 'append' ELSE 'rebuild' END AS mode,
           last_old,
           last_visit_id
    FROM info
    """
    """Visitors with new pageviews (run after the new events are in ``collected_events``), and
    how their visits are updated:

    * ``append`` — every new pageview is later than every earlier one (the usual case): only the
      new pageviews are sessionised, starting from the visitor's last earlier pageview; the first
      session continues the visitor's last visit (its pageviews count grows), the others are new
      visits. A load then costs the new pageviews, however long the visitor's visit has run;
    * ``rebuild`` — a late event: the visits from the last one that began at or before the
      earliest new pageview (``since``) are rebuilt (earlier ones cannot change); all of them when
      there is none, or the visitor id spans sites (``since`` is ``NULL``)."""

    _SESSIONS = f"""
    CREATE OR REPLACE TEMP TABLE _goodwill_sessions AS
    WITH pv AS (
      SELECT e.*, a.mode, a.last_old, a.last_visit_id,
             CASE WHEN lag(occurred_at) OVER w IS NULL
                         OR occurred_at - lag(occurred_at) OVER w
                            > INTERVAL {SESSION_GAP_MINUTES} MINUTE
                  THEN 1 ELSE 0 END AS starts
      FROM collected_events e JOIN _goodwill_affected a USING (visitor_id)
      WHERE e.kind = 'pageview'
        AND CASE WHEN a.mode = 'append' THEN e.occurred_at >= a.last_old
                 ELSE a.since IS NULL OR e.occurred_at >= a.since END
      WINDOW w AS (PARTITION BY visitor_id, site ORDER BY occurred_at, event_id)
    ), numbered AS (
      SELECT *, sum(starts) OVER (PARTITION BY visitor_id, site ORDER BY occurred_at, event_id
                                  ROWS UNBOUNDED PRECEDING) AS session_no
      FROM pv
    )
    SELECT 'gw:' || arg_min(event_id, (occurred_at, event_id)) AS visit_id,
           min(occurred_at) AS started_at,
           visitor_id,
           arg_min(url, (occurred_at, event_id)) AS landing_url,
           arg_min(referrer, (occurred_at, event_id)) AS referrer,
           count(*) AS pageviews,
           arg_min(link_code, (occurred_at, event_id)) FILTER (WHERE link_code IS NOT NULL)
             AS link_code,
           arg_min(user_agent, (occurred_at, event_id)) AS user_agent,
           CASE WHEN any_value(mode) = 'append' AND min(occurred_at) = any_value(last_old)
                THEN any_value(last_visit_id) END AS continues,
           count(*) FILTER (WHERE mode = 'append' AND occurred_at = last_old) AS anchors
    FROM numbered
    GROUP BY visitor_id, site, session_no
    """
    """The sessions of the affected visitors' pageviews; ``continues`` names the existing visit
    that a session of an ``append`` visitor extends (its ``anchors`` pageviews are already
    counted there)."""

    _REBUILT = """
    SELECT v.visit_id FROM visits v JOIN _goodwill_affected a USING (visitor_id)
    WHERE v.visit_id LIKE 'gw:%' AND a.mode = 'rebuild'
      AND (a.since IS NULL OR v.started_at >= a.since)
    """

    _DELETE_OLD_CHANNELS = f"""
    DELETE FROM visit_channels WHERE visit_id IN ({_REBUILT})
    """

    _DELETE_OLD_VISITS = f"""
    DELETE FROM visits WHERE visit_id IN ({_REBUILT})
    """

    _EXTEND_VISITS = """
    UPDATE visits SET pageviews = visits.pageviews + s.pageviews - s.anchors,
                      link_code = coalesce(visits.link_code, s.link_code)
    FROM _goodwill_sessions s
    WHERE s.continues = visits.visit_id
    """

    # visits, conversions and identities have no primary key (UNINDEXED_KEYS): a known key
    # is replaced by deleting its row first, an identity already there is left as it is
    _DELETE_REPLACED_VISITS = """
    DELETE FROM visits
    WHERE visit_id IN (SELECT visit_id FROM _goodwill_sessions WHERE continues IS NULL)
    """

    _INSERT_VISITS = """
    INSERT INTO visits (visit_id, started_at, visitor_id, landing_url, referrer,
                        pageviews, link_code, user_agent)
    SELECT visit_id, started_at, visitor_id, coalesce(landing_url, ''), nullif(referrer, ''),
           pageviews, link_code, user_agent
    FROM _goodwill_sessions
    WHERE continues IS NULL
    """

    _DELETE_REPLACED_CONVERSIONS = f"""
    DELETE FROM conversions
    WHERE conversion_id IN (SELECT 'gw:' || n.event_id FROM {_NEW} n
                            WHERE n.kind = 'event' AND n.name IN {CONVERSION_EVENTS!r})
    """

    _INSERT_CONVERSIONS = f"""
    INSERT INTO conversions (conversion_id, occurred_at, kind, value, currency,
                             email, visitor_id, value_reporting)
    SELECT 'gw:' || n.event_id, n.occurred_at, n.name, coalesce(n.value, 0),
           coalesce(n.currency, $currency), n.email, n.visitor_id,
           CASE WHEN coalesce(n.currency, $currency) = $currency THEN coalesce(n.value, 0)
                ELSE coalesce(n.value, 0) * (
                  SELECT arg_max(r.rate, r.date) FROM fx_rates r
                  WHERE r.currency = n.currency AND r.date <= CAST(n.occurred_at AS DATE))
           END
    FROM {_NEW} n
    WHERE n.kind = 'event' AND n.name IN {CONVERSION_EVENTS!r}
    """

    _INSERT_CLICKS = f"""
    INSERT OR REPLACE INTO link_clicks (click_id, code, clicked_at, visitor_id, referrer,
                                        person_ref)
    SELECT n.event_id, n.link_code, n.occurred_at, n.visitor_id, n.referrer, l.person_ref
    FROM {_NEW} n LEFT JOIN links l ON l.code = n.link_code
    WHERE n.kind = 'click' AND n.link_code IS NOT NULL
    """

    _INSERT_IDENTITIES = f"""
    INSERT INTO identities (kind, value, person_ref)
    SELECT DISTINCT ON (n.visitor_id) 'visitor', n.visitor_id, l.person_ref
    FROM {_NEW} n JOIN links l ON l.code = n.link_code
    WHERE l.person_ref IS NOT NULL AND n.kind IN ('click', 'pageview')
      AND NOT EXISTS (SELECT 1 FROM identities i
                      WHERE i.kind = 'visitor' AND i.value = n.visitor_id)
    ORDER BY n.visitor_id, n.occurred_at
    """

    _IDENTITY_PEOPLE = f"""
    SELECT l.person_ref FROM {_NEW} n JOIN links l ON l.code = n.link_code
    WHERE l.person_ref IS NOT NULL AND n.kind IN ('click', 'pageview')
    """
    """The people whose identities this load may have added (a superset of
    ``_INSERT_IDENTITIES``'s: the visitors already known too)."""

    _SPOOL_VISITS = f"""
    CREATE OR REPLACE TEMP TABLE {SPOOL_VISITS} AS
    SELECT visit_id FROM _goodwill_sessions WHERE continues IS NULL
    """
    """The visits this load wrote (new, rebuilt or replaced; an extended visit keeps its
    channel): the only ones it can leave without a ``visit_channels`` row."""

    return {
        "identity_people": _IDENTITY_PEOPLE,
        "spool_visits": _SPOOL_VISITS,
        "insert_events": _INSERT_EVENTS,
        "affected": _AFFECTED,
        "sessions": _SESSIONS,
        "delete_old_channels": _DELETE_OLD_CHANNELS,
        "delete_old_visits": _DELETE_OLD_VISITS,
        "extend_visits": _EXTEND_VISITS,
        "delete_replaced_visits": _DELETE_REPLACED_VISITS,
        "insert_visits": _INSERT_VISITS,
        "delete_replaced_conversions": _DELETE_REPLACED_CONVERSIONS,
        "insert_conversions": _INSERT_CONVERSIONS,
        "insert_clicks": _INSERT_CLICKS,
        "insert_identities": _INSERT_IDENTITIES,
    }


# -- dashboard users, sessions and tokens ----------------------------------------------------


def user_exists(con: Connection, username: str) -> bool:
    return bool(
        con.execute("SELECT 1 FROM dashboard_users WHERE username = ?", [username]).fetchall()
    )


def store_user(con: Connection, username: str, password_hash: str, created_at: object) -> None:
    """Add or re-password a user; every session of that user ends."""
    con.execute(
        "INSERT OR REPLACE INTO dashboard_users (username, password_hash, created_at) "
        "VALUES (?, ?, ?)",
        [username, password_hash, created_at],
    )
    con.execute("DELETE FROM dashboard_sessions WHERE username = ?", [username])


def delete_user(con: Connection, username: str) -> None:
    """Remove a user with their sessions and tokens."""
    for table in ("dashboard_users", "dashboard_sessions", "dashboard_tokens"):
        con.execute(f"DELETE FROM {table} WHERE username = ?", [username])


def users_frame(con: Connection, now: object) -> pd.DataFrame:
    """``username, created_at, sessions, tokens`` (live ones at ``now``) of every user."""
    frame: pd.DataFrame = con.execute(
        "SELECT u.username, u.created_at, "
        "(SELECT count(*) FROM dashboard_sessions s WHERE s.username = u.username "
        " AND s.expires_at > ?) AS sessions, "
        "(SELECT count(*) FROM dashboard_tokens t WHERE t.username = u.username "
        " AND t.revoked_at IS NULL) AS tokens "
        "FROM dashboard_users u ORDER BY u.username",
        [now],
    ).df()
    return frame


def password_hash(con: Connection, username: str) -> str | None:
    rows = con.execute(
        "SELECT password_hash FROM dashboard_users WHERE username = ?", [username]
    ).fetchall()
    return str(rows[0][0]) if rows else None


def store_session(
    con: Connection, session_hash: str, username: str, now: object, expires_at: object
) -> None:
    """A new session; expired sessions are purged."""
    con.execute("DELETE FROM dashboard_sessions WHERE expires_at <= ?", [now])
    con.execute(
        "INSERT INTO dashboard_sessions (session_hash, username, created_at, expires_at) "
        "VALUES (?, ?, ?, ?)",
        [session_hash, username, now, expires_at],
    )


def session_username(con: Connection, session_hash: str, now: object) -> str | None:
    rows = con.execute(
        "SELECT s.username FROM dashboard_sessions s JOIN dashboard_users u USING (username) "
        "WHERE s.session_hash = ? AND s.expires_at > ?",
        [session_hash, now],
    ).fetchall()
    return str(rows[0][0]) if rows else None


def delete_session(con: Connection, session_hash: str) -> None:
    con.execute("DELETE FROM dashboard_sessions WHERE session_hash = ?", [session_hash])


def store_token(
    con: Connection, token_id: str, token_hash: str, username: str, name: str | None, now: object
) -> None:
    con.execute(
        "INSERT INTO dashboard_tokens (token_id, token_hash, username, name, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [token_id, token_hash, username, name, now],
    )


def token_username(con: Connection, token_hash: str) -> str | None:
    """The user of a live (not revoked) token."""
    rows = con.execute(
        "SELECT t.username FROM dashboard_tokens t JOIN dashboard_users u USING (username) "
        "WHERE t.token_hash = ? AND t.revoked_at IS NULL",
        [token_hash],
    ).fetchall()
    return str(rows[0][0]) if rows else None


def token_exists(con: Connection, token_id: str) -> bool:
    return bool(
        con.execute(
            "SELECT revoked_at FROM dashboard_tokens WHERE token_id = ?", [token_id]
        ).fetchall()
    )


def revoke_token(con: Connection, token_id: str, now: object) -> None:
    con.execute(
        "UPDATE dashboard_tokens SET revoked_at = ? WHERE token_id = ? AND revoked_at IS NULL",
        [now, token_id],
    )


def tokens_frame(con: Connection) -> pd.DataFrame:
    """``token_id, username, name, created_at, revoked_at`` of every token."""
    frame: pd.DataFrame = con.execute(
        "SELECT token_id, username, name, created_at, revoked_at FROM dashboard_tokens "
        "ORDER BY created_at"
    ).df()
    return frame


# -- erasing a person ------------------------------------------------------------------------


def person_link_members(con: Connection, person_id: str) -> list[tuple[str, str]]:
    """``(kind, value)`` of the identities linked to ``person_id``."""
    rows = con.execute(
        "SELECT kind, value FROM person_links WHERE person_id = ?", [person_id]
    ).fetchall()
    return [(str(k), str(v)) for k, v in rows]


def person_refs(con: Connection, person_id: str) -> set[str]:
    """The ``identities.person_ref`` values of a resolved person's identities."""
    return {
        str(r)
        for (r,) in con.execute(
            "SELECT DISTINCT i.person_ref FROM identities i JOIN person_links p "
            "ON p.kind = i.kind AND p.value = i.value WHERE p.person_id = ?",
            [person_id],
        ).fetchall()
    }


def identities_of_refs(con: Connection, refs: Sequence[str]) -> list[tuple[Any, ...]]:
    """``(kind, value)`` of the identities with one of ``refs``."""
    return con.execute(
        "SELECT kind, value FROM identities WHERE person_ref IN (SELECT unnest(?))", [list(refs)]
    ).fetchall()


def display_names(con: Connection, person_id: str, refs: Sequence[str]) -> list[tuple[Any]]:
    """The person's display names (``people`` and ``identities``)."""
    names = con.execute(
        "SELECT display_name FROM people WHERE person_id = ?", [person_id]
    ).fetchall()
    names += con.execute(
        "SELECT display_name FROM identities WHERE person_ref IN (SELECT unnest(?))", [list(refs)]
    ).fetchall()
    return names


def _changed(row: tuple[Any, ...] | None) -> int:
    return int(row[0]) if row else 0


def delete_handle_interactions(con: Connection, platform: str, handle: str) -> int:
    """Delete what ``handle`` wrote on ``platform`` and the brand's replies to it."""
    return _changed(
        con.execute(
            "DELETE FROM interactions WHERE platform = ? AND ((direction = 'inbound' AND "
            "actor_handle = ?) OR (direction = 'outbound' AND target_handle = ?))",
            [platform, handle, handle],
        ).fetchone()
    )


def anonymise_conversions(con: Connection, column: str, values: Sequence[str]) -> int:
    """Clear the personal columns of the conversions whose ``column`` is one of ``values``."""
    assert column in ("customer_id", "email", "visitor_id")
    return _changed(
        con.execute(
            "UPDATE conversions SET customer_id = NULL, email = NULL, visitor_id = NULL, "
            f"referral_code = NULL WHERE {column} IN (SELECT unnest(?))",
            [list(values)],
        ).fetchone()
    )


def erase_visitors(con: Connection, visitors: Sequence[str]) -> int:
    return _changed(
        con.execute(
            "UPDATE visits SET visitor_id = 'erased' WHERE visitor_id IN (SELECT unnest(?))",
            [list(visitors)],
        ).fetchone()
    )


_IDENTITY_DELETES: Final = (
    ("identities", "DELETE FROM identities WHERE kind = $1 AND value = $2"),
    ("person_links", "DELETE FROM person_links WHERE kind = $1 AND value = $2"),
    ("consent", "DELETE FROM consent WHERE kind = $1 AND value = $2"),
    (
        "identity_decisions",
        "DELETE FROM identity_decisions WHERE (kind = $1 AND value = $2) "
        "OR (other_kind = $1 AND other_value = $2)",
    ),
)


def delete_identity(con: Connection, kind: str, value: str) -> dict[str, int]:
    """Delete one identity from every identity table; rows deleted per table."""
    return {
        name: _changed(con.execute(sql, [kind, value]).fetchone())
        for name, sql in _IDENTITY_DELETES
    }


def delete_person(con: Connection, person_id: str) -> int:
    return _changed(con.execute("DELETE FROM people WHERE person_id = ?", [person_id]).fetchone())


def text_columns(con: Connection) -> list[tuple[str, str]]:
    """``(table, column)`` of every text column of the database."""
    return [
        (str(t), str(c))
        for t, c in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'main' AND data_type = 'VARCHAR' ORDER BY table_name, column_name"
        ).fetchall()
    ]


def redact_column(
    con: Connection,
    table: str,
    column: str,
    *,
    is_key: bool,
    exact: Sequence[str],
    pattern: str,
    redacted: str,
) -> int:
    """In ``table.column``: a key column's rows equal to one of ``exact`` or matching
    ``pattern`` (case-insensitive) are deleted; in any other column such a value becomes
    ``redacted`` (a match inside a longer text: that part). Returns the rows changed."""
    quoted_t, quoted_c = f'"{table}"', f'"{column}"'
    if is_key:
        where = f"{quoted_c} IN (SELECT unnest($1))"
        if pattern:
            where += f" OR regexp_matches({quoted_c}, $2, 'i')"
        sql = f"DELETE FROM {quoted_t} WHERE {where}"
    else:
        sql = (
            f"UPDATE {quoted_t} SET {quoted_c} = CASE WHEN {quoted_c} IN (SELECT unnest($1)) "
            f"THEN '{redacted}' ELSE regexp_replace({quoted_c}, $2, '{redacted}', 'gi') END "
            f"WHERE {quoted_c} IN (SELECT unnest($1))"
            + (f" OR regexp_matches({quoted_c}, $2, 'i')" if pattern else "")
        )
    return _changed(con.execute(sql, [list(exact), pattern or "(?!)"]).fetchone())


def copy_database(con: Connection, target: Path) -> None:
    """Checkpoint, then copy every table of ``con``'s database into a new file ``target``
    (so no deleted or overwritten value survives in free blocks)."""
    con.execute("CHECKPOINT")  # the write-ahead log into the file (and then removed)
    row = con.execute("SELECT current_database()").fetchone()
    name = str(row[0]) if row else "main"
    con.execute(f"ATTACH '{str(target).replace(chr(39), chr(39) * 2)}' AS goodwill_rewrite")
    try:
        con.execute(f'COPY FROM DATABASE "{name}" TO goodwill_rewrite')
    finally:
        con.execute("DETACH goodwill_rewrite")


def reopen(path: Path) -> Connection:
    """A new read-write connection to ``path`` (after :func:`copy_database` replaced it)."""
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as exc:
        raise WarehouseError(f"erase: cannot reopen the rewritten warehouse {path}: {exc}") from exc
    session_defaults(con)
    return con


# -- compiled Ibis queries -------------------------------------------------------------------


def execute_compiled(backend: IbisDuckDB, sql: str, schema: sch.Schema) -> pd.DataFrame:
    """What Ibis's DuckDB backend's ``execute`` does with an expression compiled earlier
    (``backend.compile(expr)``, result ``schema``), minus the compilation."""
    import pandas as pd
    import pyarrow.types as pat
    from ibis.backends.duckdb.converter import DuckDBPandasData

    table = backend.con.sql(sql).to_arrow_table()
    frame = pd.DataFrame(
        {
            name: (
                col.to_pylist()
                if pat.is_nested(col.type) or pat.is_dictionary(col.type) or col.null_count
                else col.to_pandas()
            )
            for name, col in zip(table.column_names, table.columns, strict=True)
        }
    )
    out: pd.DataFrame = DuckDBPandasData.convert_table(frame, schema)
    return out


# -- the spark engine's Parquet tables -------------------------------------------------------


def export_parquet(con: Connection, table: str, target: Path) -> None:
    """Write ``table`` (a name from :func:`table_names`) to the Parquet file ``target``."""
    con.execute(
        f"COPY (SELECT * FROM \"{table}\") TO '{str(target).replace(chr(39), chr(39) * 2)}' "
        "(FORMAT parquet)"
    )


def table_arrow(con: Connection, table: str) -> pa.Table:
    """``table``'s rows as Arrow."""
    out: pa.Table = con.execute(f'SELECT * FROM "{table}"').to_arrow_table()
    return out


# -- identity resolution ---------------------------------------------------------------------


def account_handles(con: Connection) -> list[tuple[Any, ...]]:
    """``(platform, handle)`` of every account (the brand's own and others')."""
    return con.execute("SELECT platform, handle FROM accounts").fetchall()


def identity_rows(con: Connection) -> list[tuple[Any, ...]]:
    """``(kind, value, person_ref, display_name)`` of every imported identity."""
    return con.execute("SELECT kind, value, person_ref, display_name FROM identities").fetchall()


def interaction_handles(con: Connection) -> list[tuple[Any, ...]]:
    """``(kind, handle, name, interactions)``: each platform handle that wrote to the brand
    (with the name it wrote under) or that the brand wrote to (no name), ``kind`` being
    ``handle:PLATFORM``."""
    return con.execute(
        "SELECT 'handle:' || platform, actor_handle, actor_name, count(*) FROM interactions "
        "WHERE direction = 'inbound' GROUP BY ALL "
        "UNION ALL SELECT 'handle:' || platform, target_handle, NULL, count(*) FROM interactions "
        "WHERE direction = 'outbound' GROUP BY ALL"
    ).fetchall()


def conversion_identities(con: Connection) -> list[tuple[Any, ...]]:
    """``(conversion_id, customer_id, email, visitor_id)`` of every conversion."""
    return con.execute(
        "SELECT conversion_id, customer_id, email, visitor_id FROM conversions"
    ).fetchall()


def visitor_ids(con: Connection) -> list[tuple[Any, ...]]:
    """``(visitor_id,)`` of every distinct visitor of the visits."""
    return con.execute("SELECT DISTINCT visitor_id FROM visits").fetchall()


def identity_decisions(con: Connection) -> list[tuple[Any, ...]]:
    """``(action, kind, value, other_kind, other_value)`` of the user's identity decisions,
    oldest first."""
    return con.execute(
        "SELECT action, kind, value, other_kind, other_value FROM identity_decisions "
        "ORDER BY made_at, decision_id"
    ).fetchall()


def replace_people(con: Connection, links: pd.DataFrame, people: pd.DataFrame) -> None:
    """Replace every ``person_links`` row with ``links`` (``kind, value, person_id, method,
    score, evidence``) and every ``people`` row with ``people`` (``person_id,
    display_name``); the caller holds the transaction."""
    con.execute("DELETE FROM person_links")
    con.register("_gw_links", links)
    con.execute(
        "INSERT INTO person_links SELECT kind, value, person_id, method, score, evidence "
        "FROM _gw_links"
    )
    con.unregister("_gw_links")
    con.execute("DELETE FROM people")
    con.register("_gw_people", people)
    con.execute("INSERT INTO people SELECT person_id, display_name FROM _gw_people")
    con.unregister("_gw_people")


def linked_identities(con: Connection) -> list[tuple[Any, ...]]:
    """``(kind, value)`` of every resolved identity (distinct)."""
    return con.execute("SELECT DISTINCT kind, value FROM person_links").fetchall()


def identities_with_value(con: Connection, value: str) -> list[tuple[Any, ...]]:
    """``(kind, value)`` of the resolved identities whose value is ``value`` (lowercased),
    by kind."""
    return con.execute(
        "SELECT kind, value FROM person_links WHERE lower(value) = ? ORDER BY kind", [value]
    ).fetchall()


def person_of_identity(con: Connection, kind: str, value: str) -> list[str]:
    """The person id(s) the identity ``kind:value`` is linked to (one when resolved)."""
    rows = con.execute(
        "SELECT person_id FROM person_links WHERE kind = ? AND value = ?", [kind, value]
    ).fetchall()
    return [r[0] for r in rows]


def confirming_identity(con: Connection, kind: str, value: str) -> list[tuple[Any, ...]]:
    """``(kind, value)`` of another identity of ``kind:value``'s person (at most one): a
    rule-linked one first, a Splink-linked one last."""
    return con.execute(
        "SELECT o.kind, o.value FROM person_links p JOIN person_links o "
        "ON o.person_id = p.person_id AND NOT (o.kind = p.kind AND o.value = p.value) "
        "WHERE p.kind = ? AND p.value = ? "
        "ORDER BY o.method <> 'identities', o.method = 'splink', o.kind, o.value LIMIT 1",
        [kind, value],
    ).fetchall()


def insert_identity_decision(con: Connection, row: Sequence[Any]) -> None:
    """One ``identity_decisions`` row (id, made_at, action, kind, value, other_kind,
    other_value)."""
    con.execute("INSERT INTO identity_decisions VALUES (?, ?, ?, ?, ?, ?, ?)", list(row))


def private_connection() -> Connection:
    """A fresh in-memory DuckDB of its own (Splink's linker runs there, so nothing of it
    lands in the warehouse); the caller closes it."""
    return duckdb.connect(":memory:")


# -- consent, links and syncs ----------------------------------------------------------------


def insert_consent(con: Connection, row: Sequence[Any]) -> None:
    """One consent ledger event (kind, value, channel, status, recorded_at, source)."""
    con.execute("INSERT OR REPLACE INTO consent VALUES (?, ?, ?, ?, ?, ?)", list(row))


def link_exists(con: Connection, code: str) -> bool:
    """Whether a tracked link has the code ``code``."""
    return bool(con.execute("SELECT 1 FROM links WHERE code = ?", [code]).fetchall())


def insert_link(con: Connection, row: Sequence[Any]) -> None:
    """One tracked link (code, destination_url, platform, campaign, post_id, person_ref)."""
    con.execute(
        "INSERT INTO links (code, destination_url, platform, campaign, post_id, "
        "person_ref) VALUES (?, ?, ?, ?, ?, ?)",
        list(row),
    )


def brand_account_handles(con: Connection) -> list[tuple[Any, ...]]:
    """``(platform, handle)`` of the brand's own accounts, by platform and handle."""
    return con.execute(
        "SELECT platform, handle FROM accounts WHERE owner = 'brand' ORDER BY platform, handle"
    ).fetchall()


def sync_cursor(con: Connection, source: str, account: str, stream: str) -> Any:
    """The stored cursor (JSON text) of a sync stream; ``None`` before its first page."""
    row = con.execute(
        "SELECT cursor FROM sync_state WHERE source = ? AND account = ? AND stream = ?",
        [source, account, stream],
    ).fetchone()
    return None if row is None else row[0]


def interaction_ids(con: Connection, platform: str, direction: str) -> set[str]:
    """Ids of the interactions on ``platform`` in ``direction``."""
    rows = con.execute(
        "SELECT interaction_id FROM interactions WHERE platform = ? AND direction = ?",
        [platform, direction],
    ).fetchall()
    return {str(r[0]) for r in rows}


def store_sync_cursor(con: Connection, row: Sequence[Any]) -> None:
    """Save a stream's cursor (source, account, stream, cursor JSON, saved_at)."""
    con.execute("INSERT OR REPLACE INTO sync_state VALUES (?, ?, ?, ?, ?)", list(row))


def store_import(con: Connection, row: Sequence[Any]) -> None:
    """Insert or replace one ``imports`` row (a sync updates its run's row page by page)."""
    con.execute("INSERT OR REPLACE INTO imports VALUES (?, ?, ?, ?, ?, ?)", list(row))


def link_targets(con: Connection) -> list[tuple[Any, ...]]:
    """``(code, destination_url, platform, campaign, person_ref)`` of every tracked link."""
    return con.execute(
        "SELECT code, destination_url, platform, campaign, person_ref FROM links"
    ).fetchall()


# -- the dashboard's page cache --------------------------------------------------------------


def data_fingerprint(con: Connection, tables: Sequence[str]) -> tuple[Any, ...]:
    """The row counts of those of ``tables`` that exist, then the latest import's end, the
    latest sentiment label and the latest label correction: numbers that change whenever the
    data behind a dashboard page changes."""
    existing = {str(r[0]) for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    parts = [f"(SELECT count(*) FROM {t})" for t in tables if t in existing]
    parts += [
        "(SELECT max(finished_at) FROM imports)",
        "(SELECT max(labelled_at) FROM interaction_labels)",
        "(SELECT max(corrected_at) FROM label_corrections)",
    ]
    return tuple(con.execute("SELECT " + ", ".join(parts)).fetchall()[0])
