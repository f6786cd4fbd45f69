"""``python -m goodwill.engine.publish [WAREHOUSE]``: write the DuckDB warehouse's tables to
the ``spark`` engine's Parquet location again (:func:`goodwill.engine.spark.publish`)."""

from __future__ import annotations

from pathlib import Path

from goodwill.config import load_config
from goodwill.engine.spark import location, publish
from goodwill.warehouse import Warehouse, default_db_path

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """``python -m goodwill.engine.publish [WAREHOUSE]``: publish the DuckDB warehouse (default:
    ``$GOODWILL_DB`` or ./goodwill.duckdb) to its ``spark_warehouse`` again, e.g. after a
    command that wrote to it (``label``, ``consent``, ``people resolve``)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    db = Path(args[0]) if args else default_db_path()
    cfg = load_config(db=db)
    with Warehouse.open(db, create=False) as wh:
        print(publish(wh.con, location(cfg, db), remote=cfg.spark_remote))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
