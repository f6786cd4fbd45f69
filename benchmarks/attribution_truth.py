"""Every attribution model against processes with an exact incremental truth.

    .venv/bin/python benchmarks/attribution_truth.py [--people 20000] [--seeds 1 2 3 4 5]
                                                     [--fresh 101 102 103]
                                                     [--interval-seeds 1 2 3] [--replicates 20]

The processes (``tests/attribution/truth_processes.py``) were written to check the models,
each with its own conversion law: noisy-OR, logistic with an interaction, decaying effects,
the direct trap, saturation, unequal exposure, and latent affinity (the limit of any
observational model). Each model's share of a channel is its credit over the channels'
credit (the incremental model's ``(baseline)`` left out); the truth is each channel's share
of the true incremental conversions. Printed:

1. per process and model, the worst absolute error over the channels (mean over the seeds;
   the worst seed for the incremental model); the incremental model's 90% bootstrap
   intervals' coverage of the true shares (channels and ``(baseline)``, the interval seeds)
   and their mean width, apart for the channels it calls unidentified;
1b. the same errors on the ``--fresh`` seeds (a set never looked at while the model was
   developed: report it apart, as it is);
2. per process, the incremental model's shares with their bootstrap interval and the truth
   (first seed), and the baseline's share of all conversions against the truth;
3. a process where everybody touched ``social`` (unidentified against the baseline): the
   interval must widen.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "attribution"))

from truth_processes import PROCESSES, Drawn, draw

from goodwill.attribution.bootstrap import attribute_with_intervals
from goodwill.attribution.incremental import BASELINE, unidentified
from goodwill.attribution.models import MODELS, attribute
from goodwill.attribution.paths import Journeys

GOAL = 0.05


def channel_shares(journeys: Journeys, model: str) -> dict[str, float]:
    c = attribute(journeys, model)
    keep = [i for i, ch in enumerate(c.channels) if ch != BASELINE]
    conv = c.conversions[keep]
    return {c.channels[i]: float(x) for i, x in zip(keep, conv / conv.sum(), strict=True)}


def worst_error(est: dict[str, float], d: Drawn) -> float:
    return max(abs(est.get(ch, 0.0) - t) for ch, t in d.truth.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--fresh", type=int, nargs="*", default=[101, 102, 103])
    parser.add_argument("--interval-seeds", type=int, nargs="*", default=[1, 2, 3])
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--processes", nargs="*", default=[p.name for p in PROCESSES])
    parser.add_argument("--no-tail", action="store_true", help="skip the everybody-social part")
    args = parser.parse_args(argv)
    processes = [p for p in PROCESSES if p.name in args.processes]
    if args.fresh:
        fresh = []
        for proc in processes:
            errs = {
                m: [
                    worst_error(channel_shares(d.journeys, m), d)
                    for d in (draw(proc, args.people, s) for s in args.fresh)
                ]
                for m in MODELS
            }
            fresh.append(
                {
                    "process": proc.name,
                    **{m: round(float(np.mean(e)), 3) for m, e in errs.items()},
                    "incremental worst seed": round(max(errs["incremental"]), 3),
                    "goal met": "yes" if max(errs["incremental"]) <= GOAL else "NO",
                }
            )
        with pd.option_context("display.width", 250, "display.max_columns", 30):
            print(
                f"FRESH seeds {args.fresh} (not looked at while developing), {args.people} "
                "people: worst error per channel"
            )
            print(pd.DataFrame(fresh).to_string(index=False))
            print(flush=True)
    rows, detail = [], []
    total = [0, 0]
    for proc in processes:
        errs: dict[str, list[float]] = {m: [] for m in MODELS}
        covered = [0, 0]
        widths: list[float] = []
        weak_widths: list[float] = []
        base_widths: list[float] = []
        for seed in args.seeds:
            d = draw(proc, args.people, seed)
            for m in MODELS:
                errs[m].append(worst_error(channel_shares(d.journeys, m), d))
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
        row: dict[str, object] = {"process": proc.name}
        for m in MODELS:
            row[m] = round(float(np.mean(errs[m])), 3)
        row["incremental worst seed"] = round(max(errs["incremental"]), 3)
        row["goal met"] = "yes" if max(errs["incremental"]) <= GOAL else "NO"
        row["90% coverage"] = f"{covered[0]}/{covered[1]}"
        row["width"] = round(float(np.mean(widths)), 3) if widths else ""
        row["width, baseline"] = round(float(np.mean(base_widths)), 3) if base_widths else ""
        row["width, unidentified"] = round(float(np.mean(weak_widths)), 3) if weak_widths else ""
        total[0] += covered[0]
        total[1] += covered[1]
        rows.append(row)
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(f"worst error per channel (share points), {args.people} people, seeds {args.seeds}")
        print(pd.DataFrame(rows).to_string(index=False))
        print(
            f"incremental model's {args.replicates}-replicate 90% intervals cover the true share "
            f"(channels and baseline, seeds {args.interval_seeds}) {total[0]}/{total[1]} = "
            f"{total[0] / max(total[1], 1):.0%}; width: mean interval width of the identified "
            "channels, of the (baseline) and of the unidentified channels"
        )
        print()
        print(
            "incremental model: share (90% bootstrap interval) against the truth, first "
            "interval seed"
        )
        print(pd.DataFrame(detail).to_string(index=False))
        print()
    if args.no_tail:
        return 0
    # everybody touched social: its effect and the baseline cannot be told apart
    d = draw(PROCESSES[0], args.people, args.seeds[0])
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
