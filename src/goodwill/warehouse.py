"""The warehouse: one DuckDB file holding the canonical model.

This is the one place that writes to the database and the one place with engine-specific
SQL for loading. Metric code reads through :meth:`Warehouse.ibis` only.

Loading is idempotent on each table's key: rows are staged, de-duplicated within the batch
(the last occurrence in the input wins) and merged with ``INSERT OR REPLACE`` so a known key
with new content replaces the old row. An import runs inside one transaction
(:meth:`Warehouse.transaction`): a crash or kill mid-import leaves the previous state intact.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from goodwill.errors import UserInputError, WarehouseError
from goodwill.model import CANONICAL_TABLES, SCHEMA_VERSION, SYSTEM_TABLES, Table, table

if TYPE_CHECKING:
    import ibis.backends.duckdb

__all__ = ["DEFAULT_DB", "MIGRATIONS", "Warehouse", "default_db_path", "default_memory_limit"]

DEFAULT_DB = "goodwill.duckdb"

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
}
"""SQL run to go from version ``n`` to ``n + 1``: ``MIGRATIONS[n]``. A table that did not
exist before is created by ``ensure_schema`` itself; migrations change existing tables."""


def default_db_path() -> Path:
    """``$GOODWILL_DB`` if set, else ``./goodwill.duckdb``."""
    return Path(os.environ.get("GOODWILL_DB") or DEFAULT_DB)


def _ddl(t: Table) -> str:
    cols = ", ".join(
        f"{c.name} {c.sql_type}{' NOT NULL' if c.required or c.name in t.key else ''}"
        for c in t.columns
    )
    return f"CREATE TABLE IF NOT EXISTS {t.name} ({cols}, PRIMARY KEY ({', '.join(t.key)}))"


def default_memory_limit() -> str:
    """Half the machine's physical memory: DuckDB's own default (80 %) leaves too little for
    Python, the OS and the page cache when a big import spills to disk."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not POSIX
        return "4GiB"
    return f"{max(total // 2 // 2**20, 256)}MiB"


def _limit_resources(con: duckdb.DuckDBPyConnection, db_path: Path | None) -> None:
    """Bound DuckDB's memory (``memory_limit``) and say where it spills (``temp_directory``),
    from the settings (``[goodwill]`` in goodwill.toml or ``$GOODWILL_MEMORY_LIMIT`` /
    ``$GOODWILL_TEMP_DIRECTORY``); an import's memory then does not grow with its files."""
    from goodwill.config import load_config

    cfg = load_config()
    limit = cfg.memory_limit or default_memory_limit()
    try:
        con.execute(f"SET memory_limit = '{limit.replace(chr(39), '')}'")
    except duckdb.Error as exc:
        raise UserInputError(
            f"setting memory_limit: {limit!r} is not a memory size (e.g. 4GiB, 512MB): {exc}"
        ) from exc
    temp = cfg.temp_directory or (f"{db_path}.tmp" if db_path is not None else None)
    if temp:
        con.execute(f"SET temp_directory = '{temp.replace(chr(39), chr(39) * 2)}'")


class Warehouse:
    """An open goodwill warehouse (a DuckDB database with the canonical schema).

    Use :meth:`open`; the schema is created on first use and older schema versions are
    migrated forward.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
        self.con = con
        self.path = path
        self._ibis: ibis.backends.duckdb.Backend | None = None

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(
        cls, path: str | Path | None = None, *, read_only: bool = False, create: bool = True
    ) -> Warehouse:
        """Open (creating if needed) the warehouse at ``path`` (``None``: the default path;
        ``":memory:"``: an in-memory database for tests). ``create=False``: a missing file is
        a :class:`UserInputError` instead (commands that only read, or change an existing
        warehouse, never create one: only ``init`` and ``import`` do)."""
        db_path = default_db_path() if path is None else Path(path)
        memory = str(path) == ":memory:"
        if not memory:
            if db_path.is_dir():
                raise UserInputError(f"--db {db_path}: is a directory, expected a database file")
            if (read_only or not create) and not db_path.exists():
                raise UserInputError(
                    f"--db {db_path}: no such warehouse; run `goodwill init` or `goodwill import`"
                )
            db_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(":memory:" if memory else str(db_path), read_only=read_only)
        except duckdb.IOException as exc:
            raise WarehouseError(
                f"cannot open warehouse {db_path}: {exc} (another goodwill command or "
                "`goodwill serve`'s loader may be using it: try again when it has finished)"
            ) from exc
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        _limit_resources(con, None if memory else db_path)
        wh = cls(con, None if memory else db_path)
        if not read_only:
            wh.ensure_schema()
        return wh

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ----------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create every table that is missing and migrate an older schema forward."""
        version = self.schema_version()
        if version is not None and version > SCHEMA_VERSION:
            raise WarehouseError(
                f"warehouse {self.path} has schema version {version}, newer than this goodwill "
                f"({SCHEMA_VERSION}); upgrade goodwill"
            )
        with self.transaction():
            if version is not None:
                for v in range(version, SCHEMA_VERSION):
                    for stmt in MIGRATIONS.get(v, []):
                        self.con.execute(stmt)
            for t in (*SYSTEM_TABLES, *CANONICAL_TABLES):
                self.con.execute(_ddl(t))
            self.set_meta("schema_version", str(SCHEMA_VERSION))

    def schema_version(self) -> int | None:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'goodwill_meta'"
        ).fetchone()
        if not exists or not exists[0]:
            return None
        row = self.con.execute(
            "SELECT value FROM goodwill_meta WHERE key = 'schema_version'"
        ).fetchone()
        return int(row[0]) if row else None

    def get_meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM goodwill_meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO goodwill_meta VALUES (?, ?)", [key, value])

    # -- transactions ----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block in one transaction: committed on success, rolled back on error."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")

    # -- reading ---------------------------------------------------------------------------
    def ibis(self) -> ibis.backends.duckdb.Backend:
        """An Ibis backend over this warehouse: the only way metric code reads it."""
        if self._ibis is None:
            import ibis

            self._ibis = ibis.duckdb.from_connection(self.con)
        return self._ibis

    def count(self, table_name: str) -> int:
        table(table_name)  # validates the name against the model
        row = self.con.execute(f"SELECT count(*) FROM {table_name}").fetchone()
        return int(row[0]) if row else 0

    def counts(self) -> dict[str, int]:
        """Row count of every canonical table."""
        return {t.name: self.count(t.name) for t in CANONICAL_TABLES}

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params or []).fetchall()
