"""Spark parity and timings at scale (issue 16 items 4 and 5): every registry query, the
journeys, the scorecard and the monthly roster on a local PySpark session, over the Parquet
copy of a ``goodwill demo --scale N`` warehouse, against DuckDB on the warehouse itself; then
``goodwill attribution`` on both engines.

    .venv/bin/python benchmarks/spark_scale.py --size 1000000 --workdir /tmp/spark1m
    make spark-parity-1m                                  # the same, workdir under /tmp
    .venv/bin/python benchmarks/spark_scale.py --db W/goodwill-10000000.duckdb  # a kept warehouse

**The warehouse.** ``--size N`` generates the scale data (``goodwill.simulate.write_scale``),
imports it with ``goodwill import`` (``import_paths``), writes the labels and link clicks that
``benchmarks/run.py`` writes (its ``LABELS`` and ``CLICKS``: ``goodwill import`` does not) and
resolves people by the rules (``goodwill people resolve`` without the probabilistic step),
all once: an existing warehouse in ``--workdir`` is reused. ``--db`` takes a warehouse that
``benchmarks/run.py --keep`` prepared the same way.

**Parity.** :func:`goodwill.engine.parity.compare`: the same rows and columns (any order),
numbers equal to 1e-9 relative, timestamps to the microsecond; per case the seconds on DuckDB
and on Spark (the Spark figure includes Ibis's compile and ``toPandas``; the first case also
pays for reading the tables' footers). Spark runs ``local[2]`` with ``--driver-memory``
(default 4g), shuffle partitions 2 (goodwill's session settings). The cases run as one query
set, inside :func:`goodwill.metrics.shared.shared_tables` on both engines (the care threads,
attention months, funnel journeys, reactions per post and classified visits built once per
engine and filters, as ``benchmarks/run.py``'s suite and the dashboard run them; the first
case to need a block pays for it); ``--inline`` runs each case on its own, every query
building its blocks itself. ``--only`` / ``--skip`` choose the cases (e.g. ``--skip roster``
at 10M).

**Attribution.** ``goodwill attribution --model M`` as a user runs it, one process per run
(wall-clock including Python's start, and for Spark the JVM's), on DuckDB and with
``GOODWILL_ENGINE=spark`` over the same Parquet copy, under ``/usr/bin/time``: seconds, CPU
seconds (user + system) and the peak RSS of the ``goodwill`` process (PySpark does not wait
for its JVM, so the JVM is not in that figure; its heap is capped by ``--driver-memory``),
and whether both printed the same (character for character; where not, per column the largest
difference). ``--replicates`` (default 200, the CLI's) sets the bootstrap; ``--outputs DIR``
keeps each run's CSV. Each process runs this interpreter on ``goodwill.cli``, so a frozen copy
of the code on ``$PYTHONPATH`` is what both engines run (the script prints which ``goodwill``
it imports). ``--engines duckdb --no-parity`` times DuckDB alone (no
Parquet copy is written: the warehouse may be read-only); ``$GOODWILL_MEMORY_LIMIT`` bounds
DuckDB's share of the process, as for the import.

Exit status 1 when any case differs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def prepare(n: int, workdir: Path) -> Path:
    """The warehouse of ``n`` scale interactions in ``workdir`` (made once)."""
    import duckdb

    from goodwill.importer import import_paths
    from goodwill.people.identity import resolve
    from goodwill.simulate import write_scale
    from goodwill.warehouse import Warehouse

    sys.path.insert(0, str(HERE))
    import run as spine  # benchmarks/run.py: the labels and clicks it writes

    data, db = workdir / f"scale-{n}", workdir / f"goodwill-{n}.duckdb"
    done = workdir / f"goodwill-{n}.prepared"
    if done.exists() and db.exists():
        return db
    if not (data / "interactions.parquet").exists():
        t = time.perf_counter()
        write_scale(n, data)
        print(f"generated {n:,} interactions in {time.perf_counter() - t:.1f} s", flush=True)
    db.unlink(missing_ok=True)
    t = time.perf_counter()
    with Warehouse.open(db) as wh:
        summary = import_paths(wh, [data], show_progress=False)
    print(
        f"goodwill import: {summary.rows_loaded:,} rows in {time.perf_counter() - t:.1f} s",
        flush=True,
    )
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM interaction_labels")
        con.execute(spine.LABELS)
        con.execute("DELETE FROM link_clicks")
        con.execute(spine.CLICKS)
    t = time.perf_counter()
    with Warehouse.open(db) as wh:
        resolve(wh, threshold=2.0, decorations=())
    print(f"people resolve (rules only): {time.perf_counter() - t:.1f} s", flush=True)
    done.touch()
    return db


def _attribution(
    db: Path, where: str, model: str, engine: str, driver_memory: str, replicates: int
) -> tuple[str, str]:
    """One ``goodwill attribution`` process: ``"seconds s (CPU s), peak MB"`` (wall-clock,
    user + system CPU, the ``goodwill`` process's peak RSS; or its error), and what it
    printed. The process runs this interpreter on ``goodwill.cli``, so it imports the same
    ``goodwill`` as this script (``$PYTHONPATH`` included: a frozen copy of the code is not
    replaced by the editable install's)."""
    env = dict(
        os.environ,
        GOODWILL_ENGINE=engine,
        GOODWILL_SPARK_WAREHOUSE=where,
        SPARK_DRIVER_MEMORY=driver_memory,
    )
    cmd = [
        sys.executable,
        "-c",
        "import sys; sys.argv[0] = 'goodwill'; from goodwill.cli import app; sys.exit(app())",
        "attribution",
        "--db",
        str(db),
        "--model",
        model,
        "--replicates",
        str(replicates),
        "--format",
        "csv",
    ]
    with tempfile.NamedTemporaryFile(suffix=".time") as spent:
        timed = ["/usr/bin/time", "-o", spent.name, "-f", "%e %U %S %M", *cmd]
        out = subprocess.run(timed, env=env, capture_output=True, text=True, check=False)
        spent_fields = Path(spent.name).read_text().split()[-4:]
    if len(spent_fields) != 4:  # killed before /usr/bin/time wrote its line
        return f"ERROR: no timing (exit status {out.returncode})", ""
    seconds, user, system, peak_kb = spent_fields
    if out.returncode != 0:
        return f"ERROR: {(out.stderr or out.stdout).strip().splitlines()[-1:]}", ""
    rows = max(len(out.stdout.strip().splitlines()) - 1, 0)
    cpu = float(user) + float(system)
    return (
        f"{float(seconds):.1f} s ({cpu:.1f}), {int(peak_kb) / 1024:,.0f} MB ({rows} rows)",
        out.stdout,
    )


def _differences(a: str, b: str) -> str:
    """Where two ``--format csv`` outputs differ: the rows (channels) only one has, and per
    numeric column the largest absolute and relative difference."""
    import io

    import pandas as pd

    x, y = (pd.read_csv(io.StringIO(t)).set_index("channel") for t in (a, b))
    notes = (
        [f"only in one: {sorted(set(x.index) ^ set(y.index))}"]
        if set(x.index) ^ set(y.index)
        else []
    )
    x, y = x.align(y, join="inner")
    for col in x.columns:
        number = pd.api.types.is_numeric_dtype
        if all(number(c) and not pd.api.types.is_bool_dtype(c) for c in (x[col], y[col])):
            d = (x[col] - y[col]).abs()
            rel = (d / x[col].abs().where(x[col] != 0)).max()
            if d.max() > 0:
                notes.append(f"{col} max |diff| {d.max():.3g} (relative {rel:.3g})")
        elif not x[col].equals(y[col]):
            notes.append(f"{col} differs")
    return "; ".join(notes) or "the same values, other formatting"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--size", type=int, default=1_000_000, help="interactions to generate")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/goodwill-spark-scale"))
    ap.add_argument("--db", type=Path, default=None, help="a prepared warehouse instead")
    ap.add_argument("--driver-memory", default="4g", help="Spark driver memory (local mode)")
    ap.add_argument("--models", default="incremental,linear", help="attribution models timed")
    ap.add_argument("--no-attribution", action="store_true")
    ap.add_argument("--replicates", type=int, default=200, help="attribution's bootstrap")
    ap.add_argument(
        "--outputs", type=Path, default=None, help="keep each attribution's CSV output here"
    )
    ap.add_argument(
        "--engines", default="duckdb,spark", help="engines attribution is timed on (e.g. duckdb)"
    )
    ap.add_argument("--no-parity", action="store_true", help="publish, then attribution only")
    ap.add_argument("--inline", action="store_true", help="each case builds its shared tables")
    ap.add_argument("--only", default="", help="comma-separated cases (default: every case)")
    ap.add_argument("--skip", default="", help="comma-separated cases not to run")
    ap.add_argument("--no-publish", action="store_true", help="the Parquet copy is current")
    args = ap.parse_args()
    import goodwill

    # a frozen copy of the code on $PYTHONPATH: say which one runs (the CLI processes import
    # the same, see _attribution)
    print(f"goodwill from {Path(goodwill.__file__).parent}", flush=True)

    # the local session's JVM heap: read by spark-submit when PySpark starts the JVM
    os.environ["SPARK_DRIVER_MEMORY"] = args.driver_memory
    from goodwill.engine import spark
    from goodwill.engine.parity import Outcome, case_names, run_and_print
    from goodwill.warehouse import Warehouse

    only = [c for c in args.only.split(",") if c] or case_names()
    skip = {c for c in args.skip.split(",") if c}
    if unknown := sorted((set(only) | skip) - set(case_names())):
        ap.error(f"no case {', '.join(unknown)}; cases: {', '.join(case_names())}")
    only = [c for c in only if c not in skip]

    args.workdir.mkdir(parents=True, exist_ok=True)
    db = args.db or prepare(args.size, args.workdir)
    where = str(db) + spark.PARQUET_SUFFIX
    engines = [e for e in args.engines.split(",") if e]
    outcomes: list[Outcome] = []
    if args.no_parity and "spark" in engines and not args.no_publish:
        with Warehouse.open(db, create=False) as wh:
            t = time.perf_counter()
            spark.publish(wh.con, where)
            print(f"publish {time.perf_counter() - t:.1f} s", flush=True)
    elif not args.no_parity:
        print("query set:", "each case alone" if args.inline else "one shared_tables block")
        outcomes = run_and_print(
            db, where, publish=not args.no_publish, only=only, shared=not args.inline
        )
        spark.spark_session().stop()
    ok = [o for o in outcomes if o.equal]
    if not args.no_attribution:
        print(f"\n{'goodwill attribution':<24} {'duckdb':<36} {'spark local':<36} same output")
        for model in (m for m in args.models.split(",") if m):
            a, out_a = ("not run", "")
            b, out_b = ("not run", "")
            timed = (db, where, model)
            if "duckdb" in engines:
                a, out_a = _attribution(*timed, "duckdb", args.driver_memory, args.replicates)
            if "spark" in engines:
                b, out_b = _attribution(*timed, "spark", args.driver_memory, args.replicates)
            for engine, out in (("duckdb", out_a), ("spark", out_b)):
                if args.outputs and out:
                    args.outputs.mkdir(parents=True, exist_ok=True)
                    (args.outputs / f"attribution-{model}-{engine}.csv").write_text(out)
            same = "yes" if out_a and out_a == out_b else "NO" if out_a and out_b else "-"
            print(f"--model {model:<16} {a:<36} {b:<36} {same}", flush=True)
            if same == "NO":
                print(f"  {_differences(out_a, out_b)}", flush=True)
        print(f"load average {os.getloadavg()[0]:.1f} after")
    return 0 if len(ok) == len(outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
