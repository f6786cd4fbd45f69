"""Every attribution model against processes with an exact incremental truth.

    .venv/bin/python benchmarks/attribution_truth.py [--people 20000] [--seeds 1 2 3]
                                                     [--replicates 40]

The processes (``tests/attribution/truth_processes.py``) were written to check the models,
each with its own conversion law: noisy-OR, logistic with an interaction, decaying effects,
the direct trap, saturation, unequal exposure, and latent affinity (the limit of any
observational model). Each model's share of a channel is its credit over the channels'
credit (the incremental model's ``(baseline)`` left out); the truth is each channel's share
of the true incremental conversions. Printed:

1. per process and model, the worst absolute error over the channels (mean over the seeds;
   the worst seed in brackets for the incremental model);
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
from goodwill.attribution.incremental import BASELINE
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
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--replicates", type=int, default=40)
    args = parser.parse_args(argv)
    rows, detail = [], []
    for proc in PROCESSES:
        errs: dict[str, list[float]] = {m: [] for m in MODELS}
        for i, seed in enumerate(args.seeds):
            d = draw(proc, args.people, seed)
            for m in MODELS:
                errs[m].append(worst_error(channel_shares(d.journeys, m), d))
            if i == 0:
                r = attribute_with_intervals(d.journeys, "incremental", replicates=args.replicates)
                f = r.frame().set_index("channel")
                for ch, t in [*d.truth.items(), (BASELINE, d.baseline)]:
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
        rows.append(row)
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(f"worst error per channel (share points), {args.people} people, seeds {args.seeds}")
        print(pd.DataFrame(rows).to_string(index=False))
        print()
        print("incremental model: share (90% bootstrap interval) against the truth, first seed")
        print(pd.DataFrame(detail).to_string(index=False))
        print()
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
