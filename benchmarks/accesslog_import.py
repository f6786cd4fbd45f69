"""Access-log import speed, side by side with a raw DuckDB ``read_csv`` of the same file.

Usage: ``.venv/bin/python benchmarks/accesslog_import.py [--copies N]``

Files: the shared elastic log (10,000 lines) and the same log repeated ``--copies`` times with
each copy moved to another year (so sessions do not merge), plain and gzip. For each file:
lines, the adapter alone (parse, sessions, bots), the whole ``goodwill import`` (adapter,
loader, channel enrichment, one transaction), the DuckDB baseline (``read_csv`` of the lines as
one text column, counting them: the floor for reading the bytes), and the adapter's peak
Python memory (``tracemalloc``, a separate run): it grows with visits kept, not with lines.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

import duckdb

from goodwill.importer import import_paths
from goodwill.sources.accesslog import read
from goodwill.sources.adapters import AdapterContext
from goodwill.warehouse import Warehouse

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
ELASTIC = SHARED / "apache-access-logs-elastic" / "apache_logs"


def _repeat(src: Path, dst: Path, copies: int) -> None:
    text = src.read_text(encoding="utf-8")
    with dst.open("w", encoding="utf-8") as fh:
        for i in range(copies):
            fh.write(text.replace("/2015:", f"/{2015 + i}:"))


def _gzip(src: Path, dst: Path) -> None:
    with src.open("rb") as fin, gzip.open(dst, "wb") as fout:
        shutil.copyfileobj(fin, fout)


def _duckdb_lines(path: Path) -> tuple[int, float]:
    t = time.perf_counter()
    n = duckdb.sql(
        f"SELECT count(*) FROM read_csv('{path}', columns={{'line': 'VARCHAR'}}, "
        "delim='\\x01', quote='', escape='', header=false)"
    ).fetchone()
    return int(n[0]) if n else 0, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=20)
    args = ap.parse_args()
    if not ELASTIC.is_file():
        raise SystemExit(f"{ELASTIC} not found")
    tmp = Path(tempfile.mkdtemp(prefix="accesslog-bench-"))
    big = tmp / f"elastic_x{args.copies}.log"
    _repeat(ELASTIC, big, args.copies)
    big_gz = tmp / f"elastic_x{args.copies}.log.gz"
    _gzip(big, big_gz)
    ctx = AdapterContext(visitor_salt=b"s" * 32)
    header = (
        f"{'file':<22} {'lines':>9} {'MB':>6} {'adapter s':>9} {'lines/s':>9} "
        f"{'import s':>9} {'lines/s':>9} {'duckdb s':>9} {'lines/s':>10} {'visits':>7} "
        f"{'peak MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for path in (ELASTIC, big, big_gz):
        lines, t_duck = _duckdb_lines(path)
        t = time.perf_counter()
        out = read(path, ctx)
        t_read = time.perf_counter() - t
        db = tmp / "bench.duckdb"
        db.unlink(missing_ok=True)
        with Warehouse.open(db) as wh:
            t = time.perf_counter()
            import_paths(wh, [path], show_progress=False)
            t_imp = time.perf_counter() - t
        tracemalloc.start()
        read(path, ctx)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        visits = len(out.tables.get("visits", []))
        print(
            f"{path.name[:22]:<22} {lines:>9,} {path.stat().st_size / 1e6:>6.1f} "
            f"{t_read:>9.2f} {lines / t_read:>9,.0f} {t_imp:>9.2f} {lines / t_imp:>9,.0f} "
            f"{t_duck:>9.3f} {lines / t_duck:>10,.0f} {visits:>7,} {peak:>8.1f}"
        )
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
