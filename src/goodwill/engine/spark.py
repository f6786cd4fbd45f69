"""The Spark engine: the warehouse as Parquet tables at a path or object-store URL, read
through Ibis's PySpark backend with the same metric definitions as DuckDB.

``[goodwill] engine = "spark"`` (or ``GOODWILL_ENGINE=spark``) makes the read commands
(``metrics``, ``scorecard``, ``attribution``, ``people``, ``report``...) open a
:class:`SparkWarehouse` instead of the DuckDB file: :meth:`goodwill.warehouse.Warehouse.open`
with ``read_only=True`` returns one. ``goodwill import`` still validates, de-duplicates and
merges into the DuckDB file (the one write path, with its quarantine and exactly-once
guarantee) and then :func:`publish` writes every table to ``spark_warehouse``: one folder of
Parquet per table. docs/spark.md says how to point it at a cluster.

Everything Spark-specific lives here: the session, the Parquet layout, and the few statements
that are not Ibis expressions (metadata, counts, the ``Warehouse.query`` passthrough).
"""

from __future__ import annotations

import os
import shutil
import uuid
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from goodwill.engine import duckdb as duck
from goodwill.errors import UserInputError, WarehouseError
from goodwill.model import CANONICAL_TABLES

if TYPE_CHECKING:
    from ibis.backends.pyspark import Backend as IbisSpark
    from pyspark.sql import SparkSession

    from goodwill.config import Config

__all__ = ["SparkWarehouse", "location", "publish", "spark_session"]

PARQUET_SUFFIX = ".parquet"
"""The default location: the DuckDB warehouse's path with this appended."""

_SESSION_CONF = {
    # timestamps are UTC wall-clock values, as in DuckDB (SET TimeZone = 'UTC')
    "spark.sql.session.timeZone": "UTC",
    # small data on a laptop: 200 shuffle partitions cost more than the queries (a cluster
    # session keeps its own setting; adaptive execution coalesces partitions anyway)
    "spark.sql.shuffle.partitions": "2",
    # not "spark.sql.execution.arrow.pyspark.enabled": PySpark 4.0's Arrow path to pandas
    # fails on pandas 3 (every query did); the row path gives the same frames
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.ansi.enabled": "false",
}


_PATCHED: list[bool] = []


def _same_answers_as_duckdb() -> None:
    """Make Ibis's PySpark compiler give DuckDB's answers where its SQL differs (once):

    * ``epoch_seconds`` is ``unix_timestamp``, whole seconds, on Spark; DuckDB keeps the
      microseconds (first response times in hours differed): ``unix_micros / 10⁶`` here;
    * ``count(where=...)`` is ``SUM(CAST(cond AS BIGINT))``, NULL when the condition is NULL
      on every row of a group (``relationships.customer_share`` was NaN where DuckDB says
      0.0): ``count_if(cond)``, 0 then, as DuckDB's ``count(*) FILTER (WHERE cond)``.
    """
    if _PATCHED:
        return
    import ibis.expr.datatypes as dt
    import sqlglot.expressions as sge
    from ibis.backends.sql.compilers.pyspark import PySparkCompiler

    def visit_ExtractEpochSeconds(self: Any, op: Any, *, arg: Any) -> Any:
        micros = self.f.unix_micros(self.cast(arg, dt.timestamp))
        return sge.Div(this=micros, expression=sge.convert(1_000_000.0))

    def visit_CountStar(self: Any, op: Any, *, arg: Any, where: Any) -> Any:
        if where is not None:
            return self.f.count_if(where)
        return self.f.count(sge.Star())

    PySparkCompiler.visit_ExtractEpochSeconds = visit_ExtractEpochSeconds
    PySparkCompiler.visit_CountStar = visit_CountStar
    _PATCHED.append(True)


BROADCAST_ROWS = 100_000
"""An in-memory table (``ibis.memtable``) of at most this many rows is hinted for broadcast."""


def _register_small(backend: IbisSpark, op: Any) -> None:
    """Ibis's ``_register_in_memory_table`` with a broadcast hint on a small table.

    Spark knows no size for a DataFrame made from pandas rows, so a join with one that has no
    equality key (the care queries' overlap join with the business-hours calendar) became a
    ``CartesianProduct`` of the two sides; with the hint it is a broadcast nested-loop join.
    Same rows either way (a hint changes the plan, not the answer)."""
    from ibis.backends.pyspark.datatypes import PySparkSchema

    data = op.data.to_frame()
    if decimal_columns := [n for n, t in op.schema.items() if t.is_decimal()]:
        import decimal

        data = data.assign(**{c: data[c].map(decimal.Decimal) for c in decimal_columns})
    session = backend._session
    schema = PySparkSchema.from_ibis(op.schema)
    try:
        df = session.createDataFrame(data, schema=schema, verifySchema=False)
    except TypeError:  # remote sessions have no optional schema verification
        df = session.createDataFrame(data, schema=schema)
    if len(data) <= BROADCAST_ROWS:
        df = df.hint("broadcast")
    df.createOrReplaceTempView(op.name)


def _cache_table(backend: IbisSpark, create: Any, name: str, expr: Any) -> Any:
    """Ibis's ``_create_cached_table`` (``Table.cache()``: a cached Spark DataFrame under a
    temporary view) with the expression's in-memory tables registered first, as Ibis's own
    ``execute`` does: without it a shared block whose table joins an ``ibis.memtable`` (the
    care threads' business-hours calendar) failed with ``TABLE_OR_VIEW_NOT_FOUND``, so on
    Spark the care threads could not be built once per query set
    (:func:`goodwill.metrics.shared.shared_tables`). Spark computes the cached rows at the
    first query that reads them and keeps them (memory, then disk) until the block releases
    them."""
    backend._run_pre_execute_hooks(expr)
    return create(name, expr)


def _is_url(where: str) -> bool:
    return "://" in where and not where.startswith("file://")


def location(cfg: Config, db_path: Path | None) -> str:
    """Where the Parquet tables are: ``spark_warehouse``, else beside the warehouse file."""
    if cfg.spark_warehouse:
        return cfg.spark_warehouse
    if db_path is None:
        raise UserInputError("engine spark: set spark_warehouse (no warehouse file to put it by)")
    return str(db_path) + PARQUET_SUFFIX


def spark_session(remote: str | None = None) -> SparkSession:
    """The Spark session: Spark Connect at ``remote``, else the active session (a notebook,
    ``spark-submit``), else a local one (``$SPARK_MASTER``, default ``local[2]``)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise UserInputError(
            "engine spark needs PySpark: pip install 'goodwill[spark]' (and Java 17)"
        ) from exc
    if remote:
        builder = SparkSession.builder.remote(remote)
    else:
        active = SparkSession.getActiveSession()
        if active is not None:
            return active
        builder = SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local[2]"))
        builder = builder.appName("goodwill")
    for key, value in _SESSION_CONF.items():
        builder = builder.config(key, value)
    # PySpark 4.0's toPandas passes pandas 3 a deprecated copy= keyword, once per query
    warnings.filterwarnings("ignore", message="The copy keyword is deprecated")
    session: SparkSession = builder.getOrCreate()
    session.conf.set("spark.sql.session.timeZone", "UTC")
    if not remote:
        session.sparkContext.setLogLevel("ERROR")
    return session


def _tables(where: str) -> list[str]:
    """The tables at a local location (folders with Parquet files)."""
    root = Path(where.removeprefix("file://"))
    if not root.is_dir():
        raise UserInputError(
            f"engine spark: no Parquet warehouse at {where}; run `goodwill import` with "
            "engine = spark (or set spark_warehouse)"
        )
    return sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.parquet")))


class SparkWarehouse:
    """A read-only warehouse of Parquet tables, queried by Spark through Ibis.

    It answers what read commands ask a :class:`~goodwill.warehouse.Warehouse` (whose
    ``open(read_only=True)`` returns one when the engine is ``spark``): an Ibis backend
    (:meth:`ibis`), metadata, row counts and (for modules not yet on Ibis) plain SQL, which
    Spark SQL runs; writing is refused.
    """

    con: Any = None
    """No DuckDB connection."""
    path: Path | None = None

    def __init__(
        self, where: str, session: SparkSession, tables: Sequence[str] | None = None
    ) -> None:
        self.where = where.rstrip("/")
        self.session = session
        self._names = list(tables) if tables is not None else _tables(where)
        self._spark_ibis: IbisSpark | None = None
        self._viewed: set[str] = set()

    @classmethod
    def at(cls, where: str, *, remote: str | None = None) -> SparkWarehouse:
        """Open the Parquet warehouse at ``where`` (a folder, or with ``remote`` a URL whose
        tables are listed by their metadata, see :func:`publish`)."""
        session = spark_session(remote)
        tables = None if not _is_url(where) else _remote_tables(session, where)
        return cls(where, session, tables)

    # -- reading ---------------------------------------------------------------------------
    def ibis(self) -> IbisSpark:
        """An Ibis backend whose tables are this warehouse's Parquet tables (each a temporary
        view, made when a query first names it)."""
        if self._spark_ibis is None:
            import ibis

            _same_answers_as_duckdb()
            backend = ibis.pyspark.connect(self.session)
            schema_of = backend.get_schema

            def get_schema(table_name: str, **kwargs: Any) -> Any:
                self._view(table_name)
                return schema_of(table_name, **kwargs)

            backend.get_schema = get_schema
            backend._register_in_memory_table = partial(_register_small, backend)
            backend._create_cached_table = partial(
                _cache_table, backend, backend._create_cached_table
            )
            self._spark_ibis = backend
        return self._spark_ibis

    def _view(self, name: str) -> None:
        """Make the temporary view of table ``name`` (once). A local table's schema comes from
        its Parquet footer (read here, as Spark would infer it), which spares Spark a job."""
        if name in self._viewed or name not in self._names:
            return
        reader = self.session.read
        if not _is_url(self.where):
            import pyarrow.parquet as pq
            from pyspark.sql.pandas.types import from_arrow_schema

            folder = Path(self.where.removeprefix("file://")) / name
            first = min(folder.glob("*.parquet"))
            schema = from_arrow_schema(pq.read_schema(first), prefer_timestamp_ntz=True)
            reader = reader.schema(schema)
        reader.parquet(f"{self.where}/{name}").createOrReplaceTempView(name)
        self._viewed.add(name)

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Rows of ``sql`` run by Spark SQL (``?`` placeholders bound to ``params``)."""
        self.ibis()
        for name in self._names:  # the tables as views
            self._view(name)
        frame = self.session.sql(sql, args=list(params)) if params else self.session.sql(sql)
        return [tuple(r) for r in frame.collect()]

    def count(self, table_name: str) -> int:
        self._view(table_name)
        return int(self.session.table(table_name).count())

    def counts(self) -> dict[str, int]:
        """Row count of every canonical table."""
        return {t.name: self.count(t.name) for t in CANONICAL_TABLES}

    def schema_version(self) -> int | None:
        found = self.get_meta("schema_version")
        return None if found is None else int(found)

    def get_meta(self, key: str) -> str | None:
        if "goodwill_meta" not in self._names:
            return None
        rows = self.query("SELECT value FROM goodwill_meta WHERE key = ?", [key])
        return None if not rows else str(rows[0][0])

    def close(self) -> None:
        """Nothing to close: the Spark session outlives the command (it is shared)."""

    def __enter__(self) -> SparkWarehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing is refused ----------------------------------------------------------------
    def _read_only(self) -> WarehouseError:
        return WarehouseError(
            f"the spark warehouse at {self.where} is read-only: goodwill writes to the DuckDB "
            "warehouse and `goodwill import` publishes it (docs/spark.md)"
        )

    def ensure_schema(self) -> None:
        raise self._read_only()

    def set_meta(self, key: str, value: str) -> None:
        raise self._read_only()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        raise self._read_only()
        yield  # pragma: no cover


def _remote_tables(session: SparkSession, where: str) -> list[str]:
    """The tables :func:`publish` wrote at an object-store URL (its ``_tables`` listing)."""
    rows = session.read.text(f"{where.rstrip('/')}/_tables").collect()
    return [str(r[0]) for r in rows if str(r[0])]


def publish(con: duck.Connection, where: str, *, remote: str | None = None) -> str:
    """Write every table of the DuckDB warehouse on ``con`` as Parquet at ``where`` (one folder
    per table, replaced whole), for :class:`SparkWarehouse`; returns a line to print.

    A local folder is written by DuckDB itself (no Spark needed); an object-store URL by
    Spark from Arrow batches."""
    names = sorted(duck.table_names(con))
    if not _is_url(where):
        root = Path(where.removeprefix("file://"))
        root.mkdir(parents=True, exist_ok=True)
        for name in names:
            fresh = root / f".{name}.{uuid.uuid4().hex[:8]}"
            fresh.mkdir()
            duck.export_parquet(con, name, fresh / "part-0.parquet")
            final = root / name
            if final.exists():
                shutil.rmtree(final)
            fresh.rename(final)
    else:
        session = spark_session(remote)
        for name in names:
            arrow = duck.table_arrow(con, name)
            session.createDataFrame(arrow).write.mode("overwrite").parquet(f"{where}/{name}")
        session.createDataFrame([(n,) for n in names], "value string").coalesce(1).write.mode(
            "overwrite"
        ).text(f"{where.rstrip('/')}/_tables")
    return f"spark warehouse: {len(names)} tables written to {where}"
