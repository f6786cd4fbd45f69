"""Spark ↔ DuckDB parity: the same Ibis definitions give the same answers on both engines.

:func:`compare` runs every registry query (:data:`goodwill.metrics.QUERIES`), the journeys,
the scorecard and the monthly roster on a DuckDB warehouse and on its Parquet copy read by
Spark (:mod:`goodwill.engine.spark`), and says for each whether the two agree: the same rows
(in a canonical order), the same columns, numbers equal to 1e-9 relative, timestamps equal
to the microsecond. ``python -m goodwill.engine.parity WAREHOUSE`` prints the table.
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["Outcome", "case_names", "compare", "frames_equal", "main", "run_and_print"]


@dataclass(frozen=True)
class Outcome:
    """One comparison: ``name``, whether the engines agree, why not, seconds on each
    (wall-clock), and CPU seconds on each (this process and its children, the JVM of a local
    Spark session among them: on a busy machine the steadier figure; 0 where unknown)."""

    name: str
    equal: bool
    why: str
    duckdb_s: float
    spark_s: float
    duckdb_cpu_s: float = 0.0
    spark_cpu_s: float = 0.0


def _norm(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.tz_localize(None) if value.tzinfo else value
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return value
    return value


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    if hasattr(a, "isoformat") and hasattr(b, "isoformat"):
        return pd.Timestamp(a) == pd.Timestamp(b)
    try:
        return bool(float(a) == float(b))  # Decimal against float
    except (TypeError, ValueError):
        return bool(a == b)


def frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> str:
    """``""`` when the frames hold the same rows (in any order) and columns; else why not."""
    if list(a.columns) != list(b.columns):
        return f"columns {list(a.columns)} vs {list(b.columns)}"
    if len(a) != len(b):
        return f"{len(a)} rows vs {len(b)}"
    rows_a = sorted((tuple(_norm(v) for v in r) for r in a.itertuples(index=False)), key=repr)
    rows_b = sorted((tuple(_norm(v) for v in r) for r in b.itertuples(index=False)), key=repr)
    for ra, rb in zip(rows_a, rows_b, strict=True):
        for col, va, vb in zip(a.columns, ra, rb, strict=True):
            if not _close(va, vb):
                return f"column {col}: {va!r} vs {vb!r} (row {ra})"
    return ""


def _cpu_seconds() -> float:
    """CPU seconds of this process (all its threads, DuckDB's among them) and of its running
    children (a local Spark session's JVM), from ``/proc`` (0 for the children elsewhere)."""
    own = os.times()
    total = own.user + own.system
    me, tick = str(os.getpid()), os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if fields[1] == me:  # ppid; then utime and stime are fields 14 and 15 of stat
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _timed(run: Callable[[], Any]) -> tuple[Any, float, float]:
    start, cpu = time.perf_counter(), _cpu_seconds()
    out = run()
    return out, time.perf_counter() - start, _cpu_seconds() - cpu


def _cases(month: date | None) -> Iterator[tuple[str, Callable[[Any], pd.DataFrame]]]:
    """``(name, run(warehouse) -> frame)`` of everything compared."""
    from goodwill.attribution.journeys import JourneySpec, build_journeys
    from goodwill.metrics import QUERIES
    from goodwill.metrics.params import MetricParams
    from goodwill.metrics.scorecard import scorecard
    from goodwill.people.roster import monthly_roster

    def query(name: str) -> Callable[[Any], pd.DataFrame]:
        def run(wh: Any) -> pd.DataFrame:
            return QUERIES[name].run(wh.ibis(), MetricParams())

        return run

    for name in sorted(QUERIES):
        yield name, query(name)

    def journeys(wh: Any) -> pd.DataFrame:
        built = build_journeys(wh.ibis(), JourneySpec(include_nonconverting=True))
        j, meta = built.journeys, built.meta.copy()
        meta["touches"] = [int(n) for n in j.offsets[1:] - j.offsets[:-1]]
        meta["touch_channels"] = [
            ",".join(j.channels[c] for c in j.touch_channel[s:e])
            for s, e in zip(j.offsets[:-1], j.offsets[1:], strict=True)
        ]
        meta["touch_ages"] = [
            ",".join(f"{x:.9f}" for x in j.touch_age[s:e])
            for s, e in zip(j.offsets[:-1], j.offsets[1:], strict=True)
        ]
        return meta

    yield "journeys", journeys

    def card(wh: Any) -> pd.DataFrame:
        rows = scorecard(wh.ibis(), month=month)
        return pd.DataFrame([dataclasses.asdict(r) for r in rows])

    yield "scorecard", card

    def roster(wh: Any) -> pd.DataFrame:
        from goodwill.metrics.scorecard import last_month_with_data

        when = month or last_month_with_data(wh.ibis())
        assert when is not None
        r = monthly_roster(wh, when)
        parts = []
        for part in ("people", "newcomers", "gone_quiet", "to_thank"):
            frame = getattr(r, part).reset_index()
            parts.append(frame.assign(list=part).astype(str))
        together: pd.DataFrame = pd.concat(parts, ignore_index=True)
        return together

    yield "roster", roster


def compare(
    duck_wh: Any,
    spark_wh: Any,
    *,
    month: date | None = None,
    each: Callable[[Outcome], None] | None = None,
    only: Collection[str] | None = None,
    shared: bool = False,
) -> list[Outcome]:
    """Run every case (or those named in ``only``) on both warehouses (each a
    ``Warehouse``-like with ``ibis()``); ``each`` is called with every outcome as it comes (a
    long run shows its progress). ``shared``: the cases run as one query set, inside
    :func:`goodwill.metrics.shared.shared_tables` (the care threads and the other shared
    building blocks made once per engine and filters, by the first case that needs them);
    otherwise each case builds them itself."""
    from goodwill.metrics.shared import shared_tables

    with shared_tables() if shared else nullcontext():
        return _compare(duck_wh, spark_wh, month, each, only)


def _compare(
    duck_wh: Any,
    spark_wh: Any,
    month: date | None,
    each: Callable[[Outcome], None] | None,
    only: Collection[str] | None,
) -> list[Outcome]:
    out = []
    for name, run in _cases(month):
        if only is not None and name not in only:
            continue
        try:
            a, ta, ca = _timed(partial(run, duck_wh))
            b, tb, cb = _timed(partial(run, spark_wh))
            why = frames_equal(a, b)
            found = Outcome(name, not why, why, ta, tb, ca, cb)
        except Exception as exc:  # a case that fails on one engine is reported, not raised
            found = Outcome(name, False, f"{type(exc).__name__}: {exc}"[:300], 0.0, 0.0)
        out.append(found)
        if each is not None:
            each(found)
    return out


def _row(o: Outcome) -> str:
    same = "yes" if o.equal else "NO"
    return (
        f"{o.name:<30} {same:<6} {o.duckdb_s:9.2f} {o.spark_s:9.2f} "
        f"{o.duckdb_cpu_s:9.2f} {o.spark_cpu_s:9.2f}  {o.why}"
    )


def case_names() -> list[str]:
    """The names of every case :func:`compare` runs, in its order."""
    return [name for name, _run in _cases(None)]


def run_and_print(
    db: Path,
    where: str,
    *,
    publish: bool = True,
    only: Collection[str] | None = None,
    shared: bool = False,
) -> list[Outcome]:
    """Publish the DuckDB warehouse ``db`` to ``where`` (unless ``publish`` is false), open it
    on Spark, compare (every case, or those in ``only``; ``shared``: as one query set, see
    :func:`compare`), and print one row per case as it finishes, then the totals."""
    from goodwill.engine import spark
    from goodwill.warehouse import Warehouse

    load = os.getloadavg()[0]
    with Warehouse.open(db, create=False) as wh:
        start = time.perf_counter()
        if publish:
            spark.publish(wh.con, where)
        published = time.perf_counter() - start
        start = time.perf_counter()
        sw = spark.SparkWarehouse.at(where)
        sw.ibis()
        started = time.perf_counter() - start
        print(
            f"{wh.count('interactions'):,} interactions in {db}; publish {published:.1f} s, "
            f"spark session {started:.1f} s; load average {load:.1f}",
            flush=True,
        )
        print(
            f"{'case':<30} {'equal':<6} {'duckdb s':>9} {'spark s':>9} {'duck cpu':>9} "
            f"{'spark cpu':>9}  difference"
        )
        outcomes = compare(
            wh, sw, each=lambda o: print(_row(o), flush=True), only=only, shared=shared
        )
    agree = sum(o.equal for o in outcomes)
    duck_s, spark_s = sum(o.duckdb_s for o in outcomes), sum(o.spark_s for o in outcomes)
    duck_c, spark_c = (sum(o.duckdb_cpu_s for o in outcomes), sum(o.spark_cpu_s for o in outcomes))
    print(
        f"{'all':<30} {agree}/{len(outcomes):<4} {duck_s:9.2f} {spark_s:9.2f} {duck_c:9.2f} "
        f"{spark_c:9.2f}",
        end="  ",
    )
    print(f"load average {os.getloadavg()[0]:.1f} at the end", flush=True)
    return outcomes


def main(argv: list[str] | None = None) -> int:
    """``python -m goodwill.engine.parity WAREHOUSE [PARQUET] [--no-publish] [--only A,B]
    [--shared]``: publish the DuckDB warehouse as Parquet (default: beside it;
    ``--no-publish``: it is there already), compare every case (``--only``: those named;
    ``--shared``: as one query set, :func:`compare`), print a table; exit 1 on any
    difference. A local session's JVM heap is ``$SPARK_DRIVER_MEMORY`` (Spark's default 1g;
    4g for 1M interactions, ``benchmarks/spark_scale.py``)."""
    import argparse

    from goodwill.engine import spark

    ap = argparse.ArgumentParser(prog="python -m goodwill.engine.parity", description=main.__doc__)
    ap.add_argument("warehouse", type=Path, help="the DuckDB warehouse file")
    ap.add_argument("parquet", nargs="?", help="the Parquet location (default: beside it)")
    ap.add_argument("--no-publish", action="store_true", help="the Parquet copy is current")
    ap.add_argument("--only", help="comma-separated case names (default: every case)")
    ap.add_argument(
        "--shared", action="store_true", help="run the cases as one query set (shared tables)"
    )
    args = ap.parse_args(sys.argv[1:] if argv is None else argv)
    only = None
    if args.only:
        only = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = sorted(set(only) - set(case_names()))
        if unknown:
            ap.error(f"--only: no case {', '.join(unknown)}; cases: {', '.join(case_names())}")
    where = args.parquet or str(args.warehouse) + spark.PARQUET_SUFFIX
    outcomes = run_and_print(
        args.warehouse, where, publish=not args.no_publish, only=only, shared=args.shared
    )
    return 0 if outcomes and all(o.equal for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
