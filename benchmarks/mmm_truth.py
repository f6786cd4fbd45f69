"""The marketing mix model against planted truth it was not tuned on.

Six simulated businesses: the four of :func:`goodwill.mmm.synthetic.standard_businesses` (one
with a channel that has no effect, one with correlated spends, one with a strongly seasonal
outcome and a trend, one with long carry-over, a saturated channel and a second zero-effect
channel) and the two of :func:`goodwill.mmm.synthetic.new_businesses`, written after the
zero-effect prior was chosen (two zero-effect channels among four; three spends that move
together). Each channel has a known adstock decay, half-saturation and ROI. For every channel
the table shows the true ROI, the model's median and 90 % interval, whether the truth is
inside, and the point error (relative; for a zero-effect channel the absolute error as a share
of the business's mean true ROI, since a relative error of zero is undefined).

The ``oracle`` column is what the data themselves say when the true carry-over and saturation
are known: least squares of the outcome on the channels' true features, the trend and the
season, ROI ± one standard error. Where the oracle is itself far from the truth, the noise of
that business's draw points away from it, and no model can be expected to recover it.

Goal: truth inside the 90 % interval for ≥ 90 % of channels, point error ≤ 20 %.

``--data-seeds K`` also fits K other draws of each business (same channels and truth, other
spends and noise) and prints the same two numbers over all of them, so one lucky draw cannot
make the goal.

    .venv/bin/python benchmarks/mmm_truth.py [--draws 1500] [--chains 4] [--inclusion 0.5]
        [--data-seeds 0]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from goodwill.mmm import run_data
from goodwill.mmm.model import FitSettings, _base_design, adstock, hill
from goodwill.mmm.synthetic import Business, new_businesses, standard_businesses


def oracle(business: Business, settings: FitSettings) -> dict[str, tuple[float, float]]:
    """ROI and its standard error by least squares with the true adstock and saturation."""
    data = business.data
    feats = []
    for c, ch in enumerate(business.true_channels):
        x = data.x[c]
        feats.append(hill(adstock(x / x[x > 0].mean(), ch.theta), ch.k))
    base = _base_design(data, settings)
    design = np.hstack([base, np.column_stack(feats)])
    coef, *_ = np.linalg.lstsq(design, data.y, rcond=None)
    resid = data.y - design @ coef
    sigma2 = float(resid @ resid) / (len(data.y) - design.shape[1])
    cov = sigma2 * np.linalg.inv(design.T @ design)
    nb = base.shape[1]
    out = {}
    for c, ch in enumerate(business.true_channels):
        per = float(feats[c].sum() / data.spend[c].sum())
        out[ch.name] = (float(coef[nb + c]) * per, float(np.sqrt(cov[nb + c, nb + c])) * per)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description="Mix model against planted truth.")
    ap.add_argument("--draws", type=int, default=1500)
    ap.add_argument("--chains", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--inclusion",
        type=float,
        default=FitSettings().inclusion,
        help="prior probability that a channel has an effect (1: no mass at zero effect)",
    )
    ap.add_argument(
        "--data-seeds", type=int, default=0, help="other draws of every business to fit too"
    )
    args = ap.parse_args()
    settings = FitSettings(
        chains=args.chains,
        tune=args.draws,
        draws=args.draws,
        seed=args.seed,
        inclusion=args.inclusion,
    )
    print(f"prior inclusion probability per channel: {args.inclusion:g}")
    header = (
        f"{'business':18} {'channel':11} {'true ROI':>8} {'oracle':>12} {'median':>7} "
        f"{'90% low':>8} {'90% high':>8} {'inside':>6} {'error':>6} {'P(eff)':>6}"
    )
    print(header)
    print("-" * len(header))
    inside_all: list[bool] = []
    errors: list[float] = []
    fits: list[tuple[str, int, int, float, str]] = []
    for business in standard_businesses() + new_businesses():
        t0 = time.process_time()
        w0 = time.perf_counter()
        mix = run_data(business.data, [], "outcome", settings)
        cpu = time.process_time() - t0
        wall = time.perf_counter() - w0
        res = mix.result
        best = oracle(business, settings)
        scale = float(np.mean([v for v in business.true_roi.values() if v > 0]))
        rows = res.channels.set_index("channel")
        for name, true in business.true_roi.items():
            r = rows.loc[name]
            inside = bool(r["roi_low"] <= true <= r["roi_high"])
            err = abs(r["roi"] - true) / (true if true > 0 else scale)
            inside_all.append(inside)
            errors.append(err)
            o, se = best[name]
            print(
                f"{business.name:18} {name:11} {true:8.2f} {o:6.2f}±{se:<5.2f} {r['roi']:7.2f} "
                f"{r['roi_low']:8.2f} {r['roi_high']:8.2f} {'yes' if inside else 'NO':>6} "
                f"{err:6.1%} {r['p_effect']:6.0%}"
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
        f"point error <= 20%: {int(np.sum(np.array(errors) <= 0.20))}/{len(errors)} = "
        f"{within:.0%} of channels (goal: all) {'PASS' if within == 1.0 else 'FAIL'}; "
        f"median error {float(np.median(errors)):.1%}, worst {max(errors):.1%}"
    )
    print()
    print(f"{'business':18} {'weeks':>5} {'channels':>8} {'cpu s':>6}  diagnostics")
    for name, weeks, channels, cpu, words in fits:
        print(f"{name:18} {weeks:5d} {channels:8d} {cpu:6.1f}  {words}")
    if args.data_seeds:
        _other_draws(settings, args.data_seeds)


def _other_draws(settings: FitSettings, k: int) -> None:
    """Coverage and point error over ``k`` other draws of every business."""
    inside: list[bool] = []
    errors: list[float] = []
    null_inside: list[bool] = []
    misses: list[str] = []
    oracle_errors: list[float] = []
    converged = 0
    fits = 0
    for j in range(1, k + 1):
        for business in standard_businesses(1000 * j) + new_businesses(1000 * j):
            res = run_data(business.data, [], "outcome", settings).result
            fits += 1
            converged += int(res.convergence.converged)
            rows = res.channels.set_index("channel")
            scale = float(np.mean([v for v in business.true_roi.values() if v > 0]))
            best = oracle(business, settings)
            for name, true in business.true_roi.items():
                r = rows.loc[name]
                oracle_errors.append(abs(best[name][0] - true) / (true if true > 0 else scale))
                ok = bool(r["roi_low"] <= true <= r["roi_high"])
                inside.append(ok)
                errors.append(abs(r["roi"] - true) / (true if true > 0 else scale))
                if true == 0:
                    null_inside.append(ok)
                if not ok or errors[-1] > 0.2:
                    misses.append(
                        f"  draw {j} {business.name:18} {name:11} true {true:5.2f}  median "
                        f"{r['roi']:5.2f}  90% {r['roi_low']:5.2f} to {r['roi_high']:5.2f}  "
                        f"P(effect) {r['p_effect']:4.0%}  error {errors[-1]:6.1%}"
                    )
    err = np.array(errors)
    print()
    print(
        f"{k} other draw(s) of each business ({fits} fits, {converged} converged): truth inside "
        f"its 90% interval {sum(inside)}/{len(inside)} = {np.mean(inside):.0%}; point error "
        f"<= 20% {int((err <= 0.2).sum())}/{len(err)} = {np.mean(err <= 0.2):.0%} (median "
        f"{float(np.median(err)):.1%}, worst {float(err.max()):.1%}); zero-effect channels "
        f"inside {sum(null_inside)}/{len(null_inside)}"
    )
    best = np.array(oracle_errors)
    print(
        f"the oracle (true carry-over and saturation, least squares) on the same draws: point "
        f"error <= 20% {int((best <= 0.2).sum())}/{len(best)} = {np.mean(best <= 0.2):.0%} "
        f"(worst {float(best.max()):.1%}): the ceiling the noise allows"
    )
    print("channels outside their interval or off by more than 20%:")
    print("\n".join(misses) or "  none")


if __name__ == "__main__":
    main()
