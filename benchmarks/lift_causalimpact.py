"""Causal lift: goodwill's estimator against Google's R CausalImpact, simulated coverage, demo.

    .venv/bin/python benchmarks/lift_causalimpact.py [--reps 200] [--no-demo] [--skip-examples]
        [--demo 3000:7,1000:7,1000:8]

1. The five examples in ``../shared/data/causalimpact-examples`` (inputs and the summaries the R
   package printed): our average effect, interval, relative effect and p next to R's, and
   whether our point estimate lies inside R's 95% interval.
2. Interval coverage on simulated series (``y = 10 + 1.5 x + N(0,1)``, ``x`` a random walk,
   80 pre and 20 post periods, planted effect 2.0; and effect 0 for the false-positive rate).
3. The demo business (if ``goodwill.simulate`` is present; ``--demo PEOPLE:SEED,...``):
   simulate, import, run ``metric_series`` + ``estimate_lift`` on visits, leads, orders,
   revenue at the planted Bluesky start, against ``ground_truth.json`` ``intervention``: the
   fixed local level without the pre-period checks, and the default (checks, model chosen by
   them; see goodwill.lift.model), with the drift t, the placebo and the verdict.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

from goodwill.lift import estimate_lift, metric_series, post_start_of

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "causalimpact-examples"

# name: (R effect, R lower, R upper, R relative, R p)
R = {
    "arma": (0.89, 0.27, 1.5, 0.0074, 0.003),
    "google": (27.0, 18.0, 36.0, 0.21, 0.001),
    "comparison": (-657.0, -2076.0, 832.0, -0.0083, 0.20),
    "volks": (-44.0, -55.0, -33.0, -0.26, 0.001),
    "basque": (-0.76, -1.4, -0.2, -0.088, 0.004),
}


def example(name: str) -> tuple[pd.DataFrame, int]:
    if name == "arma":
        return pd.read_csv(DATA / "arma_data.csv"), 70
    if name == "google":
        return pd.read_csv(DATA / "google_data.csv"), 61
    if name == "comparison":
        f = pd.read_csv(DATA / "comparison_data.csv").rename(
            columns={"CHANGED": "y", "DATE": "date"}
        )
        return f, int((f.date < "2019-07-15").sum())
    if name == "volks":
        f = pd.read_csv(DATA / "volks_data.csv", sep=" ")
        f = f.rename(columns={"VolksWagen": "y", "Date": "date"})
        return f, int((f.date < "2015-09-20").sum())
    return pd.read_csv(DATA / "basque.csv").rename(columns={"Basque": "y"}), 21


def examples_table(console: Console) -> None:
    t = Table(title="CausalImpact examples: goodwill vs R CausalImpact (average effect, 95%)")
    for c in ("series", "R effect [95%]", "goodwill effect [95%]", "R rel", "ours rel", "R p"):
        t.add_column(c, justify="right")
    for c in ("our p", "inside R CI", "s"):
        t.add_column(c, justify="right")
    for name, (eff, lo, hi, rel, p) in R.items():
        frame, post = example(name)
        start = time.perf_counter()
        r = estimate_lift(frame, post)
        secs = time.perf_counter() - start
        t.add_row(
            name,
            f"{eff:.3g} [{lo:.3g}, {hi:.3g}]",
            f"{r.effect:.3g} [{r.effect_lower:.3g}, {r.effect_upper:.3g}]",
            f"{rel:.1%}",
            f"{r.relative_effect:.1%}",
            f"{p:.3f}",
            f"{r.p_value:.3f}",
            "yes" if lo <= r.effect <= hi else "NO",
            f"{secs:.2f}",
        )
    console.print(t)


def coverage_table(console: Console, reps: int) -> None:
    t = Table(title=f"Simulated series, {reps} replications each (95% intervals)")
    for c in ("planted effect", "mean estimate", "coverage", "p < 0.05", "mean CI width"):
        t.add_column(c, justify="right")
    rng = np.random.default_rng(2026)
    for effect in (0.0, 2.0):
        est, cov, sig, width = [], 0, 0, []
        for _ in range(reps):
            x = 50 + np.cumsum(rng.normal(0, 1, 100))
            y = 10 + 1.5 * x + rng.normal(0, 1.0, 100)
            y[80:] += effect
            r = estimate_lift(
                pd.DataFrame({"y": y, "x": x}), 80, draws=500, seed=int(rng.integers(1 << 30))
            )
            est.append(r.effect)
            cov += r.effect_lower <= effect <= r.effect_upper
            sig += r.p_value < 0.05
            width.append(r.effect_upper - r.effect_lower)
        t.add_row(
            f"{effect:.1f}",
            f"{np.mean(est):.3f}",
            f"{cov / reps:.1%}",
            f"{sig / reps:.1%}",
            f"{np.mean(width):.3f}",
        )
    console.print(t)


def demo_table(console: Console, specs: list[tuple[int, int]]) -> None:
    try:
        from goodwill.importer import import_paths
        from goodwill.simulate import DemoSpec, simulate
        from goodwill.warehouse import Warehouse
    except ImportError:
        console.print("demo simulator not present: skipped")
        return
    t = Table(title="Demo: Bluesky start, planted daily effect vs estimate (95%)")
    for c in ("demo", "metric", "planted", "model", "estimate [95%]", "covered"):
        t.add_column(c, justify="right")
    for c in ("pre t", "placebo [95%]", "verdict"):
        t.add_column(c, justify="right")
    for people, seed in specs:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            simulate(DemoSpec(people=people, seed=seed), out)
            truth = json.loads((out / "ground_truth.json").read_text())["intervention"]
            start = date.fromisoformat(truth["date"])
            with Warehouse.open(out / "goodwill.duckdb") as wh:
                import_paths(wh, [out], show_progress=False)
                for metric in ("visits", "leads", "orders", "revenue"):
                    frame = metric_series(wh.ibis(), metric)
                    planted = truth[f"daily_{metric}_effect"]
                    post = post_start_of(frame, start)
                    for label, check in (("fixed level, no check", False), ("default", True)):
                        r = estimate_lift(frame, post, check=check)
                        t.add_row(
                            f"{people} people, seed {seed}",
                            metric,
                            f"{planted:.3g}",
                            label if not check else r.model,
                            f"{r.effect:.3g} [{r.effect_lower:.3g}, {r.effect_upper:.3g}]",
                            "yes" if r.effect_lower <= planted <= r.effect_upper else "NO",
                            "" if not check else f"{r.pre_trend_t:+.1f}",
                            ""
                            if not check
                            else f"{r.placebo_effect:.3g} [{r.placebo_lower:.3g}, "
                            f"{r.placebo_upper:.3g}]",
                            r.verdict,
                        )
    console.print(t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--no-demo", action="store_true")
    parser.add_argument(
        "--demo", default="3000:7,1000:7,1000:8", help="demo businesses as PEOPLE:SEED,..."
    )
    parser.add_argument("--skip-examples", action="store_true")
    args = parser.parse_args()
    console = Console(width=200)
    if not args.skip_examples:
        examples_table(console)
        coverage_table(console, args.reps)
    if not args.no_demo:
        specs = [(int(p), int(s)) for p, s in (x.split(":") for x in args.demo.split(","))]
        demo_table(console, specs)


if __name__ == "__main__":
    main()
