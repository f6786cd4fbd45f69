"""The engines goodwill runs on, each behind one module (one seam).

* :mod:`goodwill.engine.duckdb` — the default: one DuckDB file. Every statement that is not an
  Ibis expression lives there, as a named function.
* :mod:`goodwill.engine.spark` — a warehouse of Parquet tables at a path or object-store URL,
  read through Ibis's PySpark backend (``[goodwill] engine = "spark"``; docs/spark.md).

Metric code never sees which one it runs on: it builds Ibis expressions over an Ibis backend.
"""

from __future__ import annotations

__all__ = ["ENGINES"]

ENGINES = ("duckdb", "spark")
"""The names ``[goodwill] engine`` and ``--engine`` accept."""
