"""Every attribution model against processes with an exact incremental truth.

    .venv/bin/python benchmarks/attribution_truth.py [--people 20000 100000]
                                                     [--seeds 1 2 3 4 5]
                                                     [--fresh 401 402 403 404 405]
                                                     [--interval-seeds 1 2 3] [--replicates 20]
                                                     [--processes P ...] [--models M ...]
    .venv/bin/python benchmarks/attribution_truth.py --rule-study dev.csv --people 100000 \
                                                     --seeds 1 2 ... 25
    .venv/bin/python benchmarks/attribution_truth.py --held-out --people 100000 \
                                                     --seeds 601 602 ... 610

``--rule-study`` compares the candidate rules for weighing the links' forms (``RULES``) on
development seeds; ``--held-out`` reads the shipped rule once on seeds never used for it.

The processes (``tests/attribution/truth_processes.py``) were written to check the models,
each with its own conversion law: noisy-OR, logistic with an interaction, decaying effects,
the direct trap, saturation, unequal exposure, and latent affinity (the limit of any
observational model). Each model's share of a channel is its credit over the channels'
credit (the incremental model's ``(baseline)`` left out); the truth is each channel's share
of the true incremental conversions. Printed:

1. per process, size and model, the worst absolute error over the channels (mean over the
   seeds; the worst seed for the incremental model), at each ``--people`` size side by side;
   the goal (0.05) is judged at the largest size (below); the incremental model's 90%
   bootstrap intervals' coverage of the true shares (channels and ``(baseline)``, the
   interval seeds, at the smallest size) and their mean width, apart for the channels it
   calls unidentified; ``oracle (worst)``: on saturation and decay, the error of the
   process's own law with only its coefficients fitted (:func:`oracle_shares`), mean and
   worst seed: the sampling error no model avoids at this many people;
1b. the same errors on the ``--fresh`` seeds (a set never looked at while the model was
   developed: report it apart, as it is; 101-103 and 201-205 were read in earlier rounds,
   so the default is 401-405);

**Why two sizes.** At 20,000 people the sampling error alone is about the goal: on
saturation the process's own law with only its five coefficients fitted (the oracle) misses
0.05 on two of seeds 1-5 (0.060 at worst), so no model can meet the goal on every seed
there. The goal is judged where sampling does not dominate (100,000 people: the oracle's
worst 0.03), with the 20,000-person errors printed beside it, and the intervals, whose job
is to say how far sampling can take the estimate, are checked at the smaller size.
2. per process, the incremental model's shares with their bootstrap interval and the truth
   (first seed), and the baseline's share of all conversions against the truth;
3. a process where everybody touched ``social`` (unidentified against the baseline): the
   interval must widen.
"""

from __future__ import annotations

import argparse
import sys
from math import factorial
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "attribution"))

from truth_processes import PROCESSES, Drawn, Process, draw

from goodwill.attribution.bootstrap import attribute_with_intervals
from goodwill.attribution.incremental import (
    BASELINE,
    TimedJourneys,
    journey_fields,
    unidentified,
)
from goodwill.attribution.journeys import GAP_QUANTILE, conversion_gaps, timed_by_rule
from goodwill.attribution.models import MODELS, attribute
from goodwill.attribution.paths import Journeys

GOAL = 0.05

# the true laws of two processes (tests/attribution/truth_processes.py), for the oracle
SATURATION_HALF = np.array([2.0, 1.0, 3.0, 1.0])
DECAY_TAU = np.array([2.0, 12.0, 1.0, 5.0])


def oracle_shares(name: str, d: Drawn) -> dict[str, float] | None:
    """The sampling error no model can avoid: the process's own law (its true half-saturations
    or decay times) with only its coefficients fitted by maximum likelihood, each conversion
    split as the incremental model splits it (Shapley shares of the fitted lift); saturation
    and decay only (``None`` for the others)."""
    from scipy.optimize import minimize  # type: ignore[import-untyped]

    from goodwill.attribution.incremental import bare_journeys

    j = d.journeys
    k = 4
    if name not in ("saturation", "decay") or len(j.channels) != k:
        return None
    cell = j.touch_journey * k + j.touch_channel
    if name == "saturation":
        n = np.bincount(cell, minlength=j.n * k).reshape(j.n, k)
        x = n / (n + SATURATION_HALF)
    else:
        age = j.touch_age + j.horizon[j.touch_journey]  # type: ignore[attr-defined]
        w = np.exp(-age / DECAY_TAU[j.touch_channel])
        x = np.bincount(cell, weights=w, minlength=j.n * k).reshape(j.n, k)
    fitted = ~bare_journeys(j)
    x, y = x[fitted], j.conversions[fitted]

    def prob(theta: npt.NDArray[np.float64], lin_x: npt.NDArray[np.float64]) -> Any:
        lin = theta[0] + lin_x @ theta[1:]
        p = lin if name == "saturation" else -np.expm1(-lin)
        return np.clip(p, 1e-12, 1 - 1e-12)

    def nll(theta: npt.NDArray[np.float64]) -> float:
        p = prob(theta, x)
        return float(-np.sum(y * np.log(p) + (1 - y) * np.log1p(-p)))

    start = np.array([0.02, *([0.05] * k)])
    theta = minimize(nll, start, bounds=[(1e-6, None)] + [(0.0, None)] * k).x
    conv = y > 0
    eta = theta[1:] * x[conv]
    if name == "saturation":  # additive: each channel's lift is its own term
        phi = eta
    else:  # exact Shapley of 1 − exp(−(h0 + Σ_S η)) over the subsets of the 4 channels
        phi = np.zeros_like(eta)
        for c in range(k):
            for mask in range(1 << k):
                if mask >> c & 1:
                    continue
                size = bin(mask).count("1")
                weight = factorial(size) * factorial(k - size - 1) / factorial(k)
                bits = np.array([(mask >> i) & 1 for i in range(k)], dtype=np.float64)
                base = theta[0] + eta @ bits
                phi[:, c] += weight * (np.exp(-base) - np.exp(-(base + eta[:, c])))
    credit = (phi / prob(theta, x[conv])[:, None]).sum(axis=0)
    return dict(zip(j.channels[:k], credit / credit.sum(), strict=True))


def channel_shares(journeys: Journeys, model: str) -> dict[str, float]:
    c = attribute(journeys, model)
    keep = [i for i, ch in enumerate(c.channels) if ch != BASELINE]
    conv = c.conversions[keep]
    return {c.channels[i]: float(x) for i, x in zip(keep, conv / conv.sum(), strict=True)}


def worst_error(est: dict[str, float], d: Drawn) -> float:
    return max(abs(est.get(ch, 0.0) - t) for ch, t in d.truth.items())


def _oracle(name: str, drawn: list[Drawn]) -> str:
    errs = []
    for d in drawn:
        est = oracle_shares(name, d)
        if est is None:
            return ""
        errs.append(worst_error(est, d))
    return f"{np.mean(errs):.3f} ({max(errs):.3f})"


def horizon_rule(processes: list[Process], people: int, seeds: list[int]) -> int:
    """The warehouse's timing (``goodwill.attribution.journeys.timed_by_rule``: a
    non-converter looked at ``min(G, window end − last touch)`` after its last touch, ``G``
    the converters' 99th-percentile gap from last touch to conversion; untimed when their
    median gap is within the hour) in place of each process's true window ends: the
    incremental model's worst channel error with the true ends, with the rule, with the
    rule before it (``G`` the median gap, always timed), and untimed (no recency
    features)."""
    rows = []
    for proc in processes:
        for seed in seeds:
            d = draw(proc, people, seed)
            j = d.journeys
            converted = j.conversions > 0
            ruled = timed_by_rule(j, j.horizon, converted)
            gaps = conversion_gaps(j, converted)
            median = np.zeros(j.n)
            median[~converted] = np.minimum(float(np.median(gaps)), j.horizon[~converted])
            old = TimedJourneys(**journey_fields(j), horizon=median)
            errors = [
                worst_error(channel_shares(x, "incremental"), d)
                for x in (j, ruled, old, j.untimed())
            ]
            timed = isinstance(ruled, TimedJourneys)
            rows.append(
                {
                    "process": proc.name,
                    "seed": seed,
                    "median gap": round(float(np.median(gaps)), 2),
                    "G days": round(float(np.quantile(gaps, GAP_QUANTILE)), 2)
                    if timed
                    else "untimed",
                    "true ends": round(errors[0], 3),
                    "warehouse rule": round(errors[1], 3),
                    "median cap (old rule)": round(errors[2], 3),
                    "untimed": round(errors[3], 3),
                }
            )
            print(rows[-1], flush=True)
    print(f"incremental model's worst channel error, {people} people")
    print(pd.DataFrame(rows).to_string(index=False))
    return 0


def link_study(processes: list[Process], people: int, seeds: list[int]) -> int:
    """Each link's selected form alone against the truth (``incremental.link_credits``): per
    seed its weight in the point estimate, its Akaike criterion over the likeliest link's,
    its worst channel error and its signed error (estimate − truth) on the channel with the
    largest true share, beside the averaged estimate's and the oracle's; then per link the
    mean and worst of the worst channel error and the mean and spread of the signed one.
    Untimed journeys (no recency features: a tenth of the CPU; on the processes without
    decay the same answers within a few thousandths)."""
    from goodwill.attribution.incremental import link_credits

    rows = []
    for proc in processes:
        for seed in seeds:
            d = draw(proc, people, seed)
            j = d.journeys.untimed()
            links = link_credits(j)
            best = min(lc.aic for lc in links)
            top = max(d.truth, key=lambda ch: d.truth[ch])
            row: dict[str, object] = {"process": proc.name, "seed": seed, "channel": top}
            avg = np.sum([lc.weight * lc.credit.conversions for lc in links], axis=0)
            answers = [("averaged", avg), *((lc.link, lc.credit.conversions) for lc in links)]
            oracle = oracle_shares(proc.name, d)
            for name, conv in answers:
                est = dict(zip(j.channels, conv[:-1] / conv[:-1].sum(), strict=True))
                row[name] = round(worst_error(est, d), 3)
                row[f"{name} {top}"] = round(est[top] - d.truth[top], 3)
            for lc in links:
                row[f"{lc.link} weight"] = round(lc.weight, 2)
                row[f"{lc.link} dAIC"] = round(lc.aic - best, 2)
            if oracle is not None:
                row["oracle"] = round(worst_error(oracle, d), 3)
                row[f"oracle {top}"] = round(oracle[top] - d.truth[top], 3)
            rows.append(row)
            print(row, flush=True)
    frame = pd.DataFrame(rows)
    print(f"each link alone: worst channel error and signed error on the largest channel, {people}")
    print(frame.to_string(index=False))
    for proc, part in frame.groupby("process", sort=False):
        top = str(part["channel"].iloc[0])
        summary = {
            name: {
                "worst error, mean": part[name].mean(),
                "worst error, worst seed": part[name].max(),
                f"{top} signed, mean": part[f"{name} {top}"].mean(),
                f"{top} signed, sd": part[f"{name} {top}"].std(),
            }
            for name in ("averaged", "hazard", "additive", "logit", "oracle")
            if name in part and part[name].notna().all()
        }
        print(f"{proc}, seeds {seeds}:")
        print(pd.DataFrame(summary).round(3).to_string())
    return 0


RULES = (
    "akaike average",
    "additive",
    "noisy-OR",
    "akaike select",
    "cv select",
    "stacking",
    "stacking, contenders",
    "cv average",
    "additive if contender",
)
"""The candidate rules of ``--rule-study`` for weighing the links' selected forms, each
applied to the data without the truth (``incremental.link_credits``): today's Akaike
average of the contenders (links within ``CONTEND`` of the likeliest full fit); the additive
or noisy-OR link alone; the likeliest by Akaike's criterion alone; the form with the best
5-fold cross-validated likelihood alone; stacking (the weights that maximise the out-of-fold
likelihood of the mixture) over every link's form, and over the contenders' only."""


def _rule_weights(links: list[Any]) -> dict[str, npt.NDArray[np.float64]]:
    n = len(links)

    def one(i: int) -> npt.NDArray[np.float64]:
        w = np.zeros(n)
        w[i] = 1.0
        return w

    names = [lc.link for lc in links]
    return {
        "akaike average": np.array([lc.akaike for lc in links]),
        "additive": one(names.index("additive")),
        "noisy-OR": one(names.index("hazard")),
        "akaike select": one(int(np.argmin([lc.aic for lc in links]))),
        "cv select": one(int(np.argmin([lc.cv_nll for lc in links]))),
        "stacking": np.array([lc.stacking for lc in links]),
        "stacking, contenders": np.array([lc.stacking_contenders for lc in links]),
        "cv average": _pseudo_bma(np.array([lc.cv_nll for lc in links])),
        "additive if contender": one(names.index("additive"))
        if links[names.index("additive")].akaike > 0
        else np.array([lc.akaike for lc in links]),
    }


def _pseudo_bma(cv_nll: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Weights ``∝ exp(−cross-validated negative log-likelihood)`` (pseudo-BMA)."""
    w = np.exp(-(cv_nll - cv_nll.min()))
    return np.asarray(w / w.sum(), dtype=np.float64)


def rule_study(
    processes: list[Process], people: int, seeds: list[int], timed: tuple[str, ...], out: str
) -> int:
    """Development set of the rule for weighing the links (``RULES``): per process and seed,
    every rule's worst channel error, then per rule and process the mean and the worst over
    the seeds, and over every process. Journeys untimed (no recency features) except the
    ``timed`` processes (decay: its effects fade, which only the recency features see).
    Criterion, fixed before the study was run: the smallest worst error over every process
    and seed, ties (within 0.005) broken by the mean error; CPU per fit within 1.5x of the
    Akaike average's."""
    import time

    from goodwill.attribution.incremental import link_credits

    rows = []
    for proc in processes:
        for seed in seeds:
            d = draw(proc, people, seed)
            j = d.journeys if proc.name in timed else d.journeys.untimed()
            start = time.process_time()
            links = link_credits(j)
            cpu = time.process_time() - start
            row: dict[str, object] = {"process": proc.name, "seed": seed, "cpu s": round(cpu, 1)}
            for rule, w in _rule_weights(links).items():
                each = [wi * lc.credit.conversions for wi, lc in zip(w, links, strict=True)]
                conv = np.sum(each, axis=0)
                est = dict(zip(j.channels, conv[:-1] / conv[:-1].sum(), strict=True))
                row[rule] = round(worst_error(est, d), 4)
            cv_best = min(lc.cv_nll for lc in links)
            for lc in links:
                row[f"{lc.link} akaike/stacking"] = f"{lc.akaike:.2f}/{lc.stacking:.2f}"
                row[f"{lc.link} dCV"] = round(lc.cv_nll - cv_best, 2)
            rows.append(row)
            print(row, flush=True)
            pd.DataFrame(rows).to_csv(out, index=False)
    frame = pd.DataFrame(rows)
    summary = frame.groupby("process", sort=False)[list(RULES)].agg(["mean", "max"])
    print(f"worst channel error per rule, mean and worst over seeds {seeds}, {people} people")
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(summary.round(3).T.to_string())
        overall = frame[list(RULES)].agg(["mean", "max"]).T
        print(overall.round(4).to_string())
    return 0


def held_out(
    processes: list[Process], people: int, seeds: list[int], timed: tuple[str, ...]
) -> int:
    """The shipped model (``attribute(..., "incremental")``, the rule ``incremental.RULE``)
    on seeds never used while choosing it, read once: per process the worst channel error
    per seed, its mean and worst. Journeys as in ``--rule-study`` (untimed except the
    ``timed`` processes)."""
    import time

    from goodwill.attribution import incremental

    rows = []
    for proc in processes:
        errs = []
        cpu = 0.0
        for seed in seeds:
            d = draw(proc, people, seed)
            j = d.journeys if proc.name in timed else d.journeys.untimed()
            start = time.process_time()
            errs.append(worst_error(channel_shares(j, "incremental"), d))
            cpu += time.process_time() - start
            print(f"  {proc.name}, seed {seed}: {errs[-1]:.4f}", flush=True)
        rows.append(
            {
                "process": proc.name,
                "journeys": "timed" if proc.name in timed else "untimed",
                "per seed": " ".join(f"{e:.3f}" for e in errs),
                "mean": round(float(np.mean(errs)), 3),
                "worst": round(float(np.max(errs)), 3),
                "goal met": "yes" if max(errs) <= GOAL else "NO",
                "cpu s per fit": round(cpu / len(seeds), 1),
            }
        )
    print(f"HELD-OUT seeds {seeds}, rule {incremental.RULE!r}, {people} people")
    with pd.option_context("display.width", 250, "display.max_colwidth", 120):
        print(pd.DataFrame(rows).to_string(index=False))
    return 0


def _error_row(
    proc: Process, people: int, seeds: list[int], models: list[str], judged: int
) -> tuple[dict[str, object], list[Drawn]]:
    """Per model the mean over ``seeds`` of the worst channel error at ``people``; the
    incremental model's worst seed, the goal (judged at ``judged`` people) and the oracle."""
    errs: dict[str, list[float]] = {m: [] for m in models}
    drawn = []
    for seed in seeds:
        d = draw(proc, people, seed)
        drawn.append(d)
        for m in models:
            errs[m].append(worst_error(channel_shares(d.journeys, m), d))
        print(
            f"  {proc.name}, {people} people, seed {seed}: "
            f"incremental {errs['incremental'][-1]:.3f}",
            flush=True,
        )
    row: dict[str, object] = {"process": proc.name, "people": people}
    for m in models:
        row[m] = round(float(np.mean(errs[m])), 3)
    worst = float(max(errs["incremental"]))
    row["incremental worst seed"] = round(worst, 3)
    row["goal met"] = ("yes" if worst <= GOAL else "NO") if people == judged else "(not judged)"
    row["oracle (worst)"] = _oracle(proc.name, drawn)
    return row, drawn


def _side_by_side(rows: list[dict[str, object]], sizes: list[int]) -> str:
    """The incremental model's mean (worst seed) and the oracle's, one column per size."""
    out: dict[str, dict[str, object]] = {}
    for r in rows:
        o = out.setdefault(str(r["process"]), {"process": r["process"]})
        size = f"{int(str(r['people'])) // 1000}k"
        o[f"incremental {size}"] = f"{r['incremental']:.3f} ({r['incremental worst seed']:.3f})"
        if r["oracle (worst)"]:
            o[f"oracle {size}"] = r["oracle (worst)"]
        if r["goal met"] != "(not judged)":
            o[f"goal met at {size}"] = r["goal met"]
    frame = pd.DataFrame(list(out.values())).astype(object).fillna("")
    return "incremental model, mean (worst seed), side by side:\n" + frame.to_string(index=False)


def _intervals(
    proc: Process,
    drawn: list[Drawn],
    args: argparse.Namespace,
    detail: list[dict[str, object]],
    total: list[int],
) -> dict[str, object]:
    """The incremental model's bootstrap intervals on the interval seeds of ``drawn``: their
    coverage of the truth and mean widths (``total`` and ``detail`` added to)."""
    covered = [0, 0]
    widths: list[float] = []
    weak_widths: list[float] = []
    base_widths: list[float] = []
    for seed, d in zip(args.seeds, drawn, strict=True):
        if seed not in args.interval_seeds:
            continue
        r = attribute_with_intervals(d.journeys, "incremental", replicates=args.replicates)
        f = r.frame().set_index("channel")
        truths = [*d.truth.items(), (BASELINE, d.baseline)]
        inside = [f.loc[ch, "ci_low"] <= t <= f.loc[ch, "ci_high"] for ch, t in truths]
        covered[0] += sum(bool(x) for x in inside)
        covered[1] += len(inside)
        loose = set(unidentified(d.journeys))
        for ch, _ in truths:
            width = float(f.loc[ch, "ci_high"] - f.loc[ch, "ci_low"])
            group = weak_widths if ch in loose else base_widths if ch == BASELINE else widths
            group.append(width)
        if seed == args.interval_seeds[0]:
            for ch, t in truths:
                detail.append(
                    {
                        "process": proc.name,
                        "channel": ch,
                        "truth": round(t, 3),
                        "incremental": round(float(f.loc[ch, "share"]), 3),
                        "ci_low": round(float(f.loc[ch, "ci_low"]), 3),
                        "ci_high": round(float(f.loc[ch, "ci_high"]), 3),
                    }
                )
    total[0] += covered[0]
    total[1] += covered[1]
    return {
        "90% coverage": f"{covered[0]}/{covered[1]}",
        "width": round(float(np.mean(widths)), 3) if widths else "",
        "width, baseline": round(float(np.mean(base_widths)), 3) if base_widths else "",
        "width, unidentified": round(float(np.mean(weak_widths)), 3) if weak_widths else "",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--people",
        type=int,
        nargs="+",
        default=[20000, 100000],
        help="sizes, printed side by side; the goal is judged at the largest, the intervals "
        "checked at the smallest",
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--fresh", type=int, nargs="*", default=[401, 402, 403, 404, 405])
    parser.add_argument("--interval-seeds", type=int, nargs="*", default=[1, 2, 3])
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--processes", nargs="*", default=[p.name for p in PROCESSES])
    parser.add_argument("--no-tail", action="store_true", help="skip the everybody-social part")
    parser.add_argument(
        "--models",
        nargs="+",
        default=list(MODELS),
        help="the models to compare (the incremental model always runs)",
    )
    parser.add_argument(
        "--horizon-rule",
        action="store_true",
        help="only: the incremental model with each process's true window ends, with the "
        "warehouse's rule for when a non-converter is looked at, and untimed",
    )
    parser.add_argument(
        "--link-study",
        action="store_true",
        help="only: each link's selected form alone against the truth, per seed, at the "
        "first --people size (incremental.link_credits)",
    )
    parser.add_argument(
        "--rule-study",
        metavar="CSV",
        help="only: every candidate rule for weighing the links (RULES) per process and seed "
        "at the first --people size, rows written to CSV as they come",
    )
    parser.add_argument(
        "--held-out",
        action="store_true",
        help="only: the shipped model on --seeds (seeds never used while choosing its rule) "
        "at the first --people size, journeys as in --rule-study",
    )
    args = parser.parse_args(argv)
    models = [m for m in MODELS if m in args.models or m == "incremental"]
    processes = [p for p in PROCESSES if p.name in args.processes]
    if args.horizon_rule:
        return horizon_rule(processes, args.people[0], args.seeds)
    if args.held_out:
        return held_out(processes, args.people[0], args.seeds, ("decay",))
    if args.rule_study:
        return rule_study(processes, args.people[0], args.seeds, ("decay",), args.rule_study)
    if args.link_study:
        return link_study(processes, args.people[0], args.seeds)
    sizes = sorted(set(args.people))
    judged, small = sizes[-1], sizes[0]
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        if args.fresh:
            fresh = [
                _error_row(proc, people, args.fresh, models, judged)[0]
                for proc in processes
                for people in sizes
            ]
            print(
                f"FRESH seeds {args.fresh} (not looked at while developing): worst error per "
                f"channel, goal judged at {judged} people"
            )
            print(pd.DataFrame(fresh).to_string(index=False))
            print(_side_by_side(fresh, sizes))
            print(flush=True)
        rows, detail = [], []
        total = [0, 0]
        for proc in processes:
            for people in sizes:
                row, drawn = _error_row(proc, people, args.seeds, models, judged)
                if people == small:
                    row.update(_intervals(proc, drawn, args, detail, total))
                rows.append(row)
                print(row, flush=True)
        print(
            f"worst error per channel (share points), seeds {args.seeds}, goal judged at "
            f"{judged} people"
        )
        print(pd.DataFrame(rows).astype(object).fillna("").to_string(index=False))
        print(_side_by_side(rows, sizes))
        print(
            f"incremental model's {args.replicates}-replicate 90% intervals cover the true share "
            f"(channels and baseline, seeds {args.interval_seeds}, {small} people) "
            f"{total[0]}/{total[1]} = {total[0] / max(total[1], 1):.0%}; width: mean interval "
            "width of the identified channels, of the (baseline) and of the unidentified channels"
        )
        print()
        print(
            "incremental model: share (90% bootstrap interval) against the truth, first "
            f"interval seed, {small} people"
        )
        print(pd.DataFrame(detail).to_string(index=False))
        print()
    if args.no_tail:
        return 0
    # everybody touched social: its effect and the baseline cannot be told apart
    d = draw(PROCESSES[0], small, args.seeds[0])
    j = d.journeys
    social = j.channels.index("social")
    has = np.zeros(j.n, dtype=bool)
    has[j.touch_journey[j.touch_channel == social]] = True
    r = attribute_with_intervals(j.subset(has), "incremental", replicates=args.replicates)
    f = r.frame()[["channel", "share", "ci_low", "ci_high"]]
    print("noisy_or, only the people who touched social (social unidentified):")
    print(f.round(3).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
