"""The marketing mix model against planted truth it was not tuned on.

Four simulated businesses (:func:`goodwill.mmm.synthetic.standard_businesses`): one with a
channel that has no effect, one with correlated spends, one with a strongly seasonal outcome
and a trend, one with long carry-over, a saturated channel and a second zero-effect channel.
Each channel has a known adstock decay, half-saturation and ROI. For every channel the table
shows the true ROI, the model's median and 90 % interval, whether the truth is inside, and
the point error (relative; for a zero-effect channel the absolute error as a share of the
business's mean true ROI, since a relative error of zero is undefined).

Goal: truth inside the 90 % interval for ≥ 90 % of channels, point error ≤ 20 %.

    .venv/bin/python benchmarks/mmm_truth.py [--draws 1500] [--chains 4]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from goodwill.mmm import run_data
from goodwill.mmm.model import FitSettings
from goodwill.mmm.synthetic import standard_businesses


def main() -> None:
    ap = argparse.ArgumentParser(description="Mix model against planted truth.")
    ap.add_argument("--draws", type=int, default=1500)
    ap.add_argument("--chains", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    settings = FitSettings(chains=args.chains, tune=args.draws, draws=args.draws, seed=args.seed)
    header = (
        f"{'business':18} {'channel':11} {'true ROI':>8} {'median':>7} {'90% low':>8} "
        f"{'90% high':>8} {'inside':>6} {'error':>6}"
    )
    print(header)
    print("-" * len(header))
    inside_all: list[bool] = []
    errors: list[float] = []
    fits: list[tuple[str, int, int, float, str]] = []
    for business in standard_businesses():
        t0 = time.process_time()
        w0 = time.perf_counter()
        mix = run_data(business.data, [], "outcome", settings)
        cpu = time.process_time() - t0
        wall = time.perf_counter() - w0
        res = mix.result
        scale = float(np.mean([v for v in business.true_roi.values() if v > 0]))
        rows = res.channels.set_index("channel")
        for name, true in business.true_roi.items():
            r = rows.loc[name]
            inside = bool(r["roi_low"] <= true <= r["roi_high"])
            err = abs(r["roi"] - true) / (true if true > 0 else scale)
            inside_all.append(inside)
            errors.append(err)
            print(
                f"{business.name:18} {name:11} {true:8.2f} {r['roi']:7.2f} {r['roi_low']:8.2f} "
                f"{r['roi_high']:8.2f} {'yes' if inside else 'NO':>6} {err:6.1%}"
            )
        conv = res.convergence
        fits.append(
            (
                business.name,
                len(business.data.y),
                len(business.data.channels),
                cpu,
                f"wall {wall:.1f}s, R-hat {conv.rhat_max:.3f}, ESS {conv.ess_min:.0f}, "
                f"{'converged' if conv.converged else 'NOT converged'}",
            )
        )
    print()
    coverage = float(np.mean(inside_all))
    within = float(np.mean(np.array(errors) <= 0.20))
    print(
        f"truth inside its 90% interval: {sum(inside_all)}/{len(inside_all)} = {coverage:.0%} "
        f"(goal >= 90%) {'PASS' if coverage >= 0.9 else 'FAIL'}"
    )
    print(
        f"point error <= 20%: {within:.0%} of channels; median error "
        f"{float(np.median(errors)):.1%}, worst {max(errors):.1%}"
    )
    print()
    print(f"{'business':18} {'weeks':>5} {'channels':>8} {'cpu s':>6}  diagnostics")
    for name, weeks, channels, cpu, words in fits:
        print(f"{name:18} {weeks:5d} {channels:8d} {cpu:6.1f}  {words}")


if __name__ == "__main__":
    main()
