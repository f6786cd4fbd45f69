"""The warehouse: one DuckDB file holding the canonical model.

Its statements (connecting, schema, metadata, transactions) are named functions of
:mod:`goodwill.engine.duckdb`, the one module with engine SQL. Metric code reads through
:meth:`Warehouse.ibis` only.

Loading is idempotent on each table's key: rows are staged, de-duplicated within the batch
(the last occurrence in the input wins) and merged so a known key with new content replaces
the old row: ``INSERT OR REPLACE`` on a primary key, or joins on the key for the tables of
:data:`goodwill.engine.duckdb.UNINDEXED_KEYS` (no in-memory key index). An import runs
inside one transaction (:meth:`Warehouse.transaction`): a crash or kill mid-import leaves
the previous state intact.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from goodwill.engine import duckdb as duck
from goodwill.engine.duckdb import MIGRATIONS
from goodwill.errors import UserInputError, WarehouseError
from goodwill.model import CANONICAL_TABLES, SCHEMA_VERSION, SYSTEM_TABLES, table

if TYPE_CHECKING:
    import ibis.backends.duckdb

__all__ = ["DEFAULT_DB", "MIGRATIONS", "Warehouse", "default_db_path", "default_memory_limit"]

DEFAULT_DB = "goodwill.duckdb"


def default_db_path() -> Path:
    """``$GOODWILL_DB`` if set, else ``./goodwill.duckdb``."""
    return Path(os.environ.get("GOODWILL_DB") or DEFAULT_DB)


def default_memory_limit() -> str:
    """Half the machine's physical memory: DuckDB's own default (80 %) leaves too little for
    Python, the OS and the page cache when a big import spills to disk."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not POSIX
        return "4GiB"
    return f"{max(total // 2 // 2**20, 256)}MiB"


def _limit_resources(con: duck.Connection, db_path: Path | None) -> None:
    """Bound DuckDB's memory (``memory_limit``) and say where it spills (``temp_directory``),
    from the settings (``[goodwill]`` in goodwill.toml or ``$GOODWILL_MEMORY_LIMIT`` /
    ``$GOODWILL_TEMP_DIRECTORY``); an import's memory then does not grow with its files."""
    from goodwill.config import load_config

    cfg = load_config()
    limit = cfg.memory_limit or default_memory_limit()
    temp = cfg.temp_directory or (f"{db_path}.tmp" if db_path is not None else None)
    duck.limit_resources(con, limit, temp)


def _spark_reader(db_path: Path) -> Warehouse | None:
    """With ``[goodwill] engine = "spark"``: the Parquet warehouse that read commands use
    instead of the DuckDB file (:class:`goodwill.engine.spark.SparkWarehouse`, which answers
    the same reads)."""
    from goodwill.config import load_config

    cfg = load_config(db=db_path)
    if cfg.engine != "spark":
        return None
    from goodwill.engine import spark

    reader = spark.SparkWarehouse.at(spark.location(cfg, db_path), remote=cfg.spark_remote)
    return cast("Warehouse", reader)


class Warehouse:
    """An open goodwill warehouse (a DuckDB database with the canonical schema).

    Use :meth:`open`; the schema is created on first use and older schema versions are
    migrated forward.
    """

    def __init__(self, con: duck.Connection, path: Path | None) -> None:
        self.con = con
        self.path = path
        self._ibis: ibis.backends.duckdb.Backend | None = None

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(
        cls, path: str | Path | None = None, *, read_only: bool = False, create: bool = True
    ) -> Warehouse:
        """Open (creating if needed) the warehouse at ``path`` (``None``: the default path;
        ``":memory:"``: an in-memory database for tests; with ``read_only`` and the setting
        ``engine = "spark"``: the Parquet tables Spark reads, :mod:`goodwill.engine.spark`).
        ``create=False``: a missing file is
        a :class:`UserInputError` instead (commands that only read, or change an existing
        warehouse, never create one: only ``init`` and ``import`` do)."""
        db_path = default_db_path() if path is None else Path(path)
        memory = str(path) == ":memory:"
        if read_only and not memory:
            spark = _spark_reader(db_path)
            if spark is not None:
                return spark
        if not memory:
            if db_path.is_dir():
                raise UserInputError(f"--db {db_path}: is a directory, expected a database file")
            if (read_only or not create) and not db_path.exists():
                raise UserInputError(
                    f"--db {db_path}: no such warehouse; run `goodwill init` or `goodwill import`"
                )
            db_path.parent.mkdir(parents=True, exist_ok=True)
        con = duck.connect(":memory:" if memory else db_path, read_only=read_only)
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
                duck.migrate(self.con, version, SCHEMA_VERSION)
            duck.create_tables(self.con, (*SYSTEM_TABLES, *CANONICAL_TABLES))
            self.set_meta("schema_version", str(SCHEMA_VERSION))

    def schema_version(self) -> int | None:
        return duck.schema_version(self.con)

    def get_meta(self, key: str) -> str | None:
        return duck.get_meta(self.con, key)

    def set_meta(self, key: str, value: str) -> None:
        duck.set_meta(self.con, key, value)

    # -- transactions ----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block in one transaction: committed on success, rolled back on error."""
        duck.begin(self.con)
        try:
            yield
        except BaseException:
            duck.rollback(self.con)
            raise
        else:
            duck.commit(self.con)

    # -- reading ---------------------------------------------------------------------------
    def ibis(self) -> ibis.backends.duckdb.Backend:
        """An Ibis backend over this warehouse: the only way metric code reads it."""
        if self._ibis is None:
            self._ibis = duck.ibis_backend(self.con)
        return self._ibis

    def count(self, table_name: str) -> int:
        table(table_name)  # validates the name against the model
        return duck.count_rows(self.con, table_name)

    def counts(self) -> dict[str, int]:
        """Row count of every canonical table."""
        return {t.name: self.count(t.name) for t in CANONICAL_TABLES}

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Rows of raw SQL, for tests and benchmarks that inspect a warehouse: goodwill's own
        modules never call it (``tests/engine/test_one_seam.py``) but read through Ibis
        expressions or a named function of :mod:`goodwill.engine.duckdb`."""
        return duck.query(self.con, sql, params)
