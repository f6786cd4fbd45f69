"""Accuracy of every attribution model against the demo business's planted ground truth.

    .venv/bin/python benchmarks/attribution_accuracy.py [--seed 7] [--people 3000]

Simulates the demo, imports it, builds journeys (30-day lookback) and compares each model's
credited share per channel with ``ground_truth.json``'s true incremental credit. The truth's
causes are mapped onto the channels a tracker can see: ``social`` = social_engagement +
social_click + social_dark; ``direct`` = direct + baseline + word_of_mouth (causes that leave
no trackable touch, and the conversions our journeys give a ``direct`` placeholder; the
incremental model's ``(baseline)`` row joins it too); the rest keep their names. Columns: mean
and max absolute error of the channel shares for leads and for first orders (value shares),
social's share of leads and of first-order value (estimate vs truth), and the mean absolute
error of the leads credited to each social platform (x, mastodon, bluesky), as a share of all
leads.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from goodwill.attribution.incremental import BASELINE
from goodwill.attribution.journeys import JourneySpec, build_journeys
from goodwill.attribution.models import MODELS, attribute
from goodwill.attribution.paths import Credit
from goodwill.importer import import_paths
from goodwill.simulate import DemoSpec, simulate
from goodwill.warehouse import Warehouse

GROUP = {
    "social_engagement": "social",
    "social_click": "social",
    "social_dark": "social",
    "baseline": "direct",
    "word_of_mouth": "direct",
}


def truth_shares(section: dict[str, object], key: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for ch, row in section["channels"].items():  # type: ignore[attr-defined]
        out[GROUP.get(ch, ch)] = out.get(GROUP.get(ch, ch), 0.0) + float(row[key])
    return out


def shares(credit: Credit, of: str) -> dict[str, float]:
    """Each channel's share of all conversions (``of`` = conversions) or value; the
    incremental model's ``(baseline)`` joins ``direct``, as the truth's baseline does."""
    amounts = credit.conversions if of == "conversions" else credit.value
    out: dict[str, float] = {}
    for ch, x in zip(credit.channels, amounts / amounts.sum(), strict=True):
        key = "direct" if ch == BASELINE else ch
        out[key] = out.get(key, 0.0) + float(x)
    return out


def errors(est: dict[str, float], truth: dict[str, float]) -> tuple[float, float]:
    chans = sorted(set(est) | set(truth))
    diff = np.array([abs(est.get(c, 0.0) - truth.get(c, 0.0)) for c in chans])
    return float(diff.mean()), float(diff.max())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--people", type=int, default=3000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "demo"
        simulate(DemoSpec(seed=args.seed, people=args.people), out)
        truth = json.loads((out / "ground_truth.json").read_text())["attribution"]
        wh = Warehouse.open(Path(tmp) / "demo.duckdb")
        import_paths(wh, [out], show_progress=False)
        backend = wh.ibis()
        leads = build_journeys(backend, JourneySpec(kinds=("lead",))).journeys
        orders = build_journeys(backend, JourneySpec(kinds=("order",)))
        leads_src = build_journeys(backend, JourneySpec(kinds=("lead",), by="source")).journeys
        wh.close()
    first = orders.meta["first_order"].to_numpy() | orders.meta["kind"].isna().to_numpy()
    first_orders = orders.journeys.subset(first)
    t_leads = truth_shares(truth["leads"], "share")
    t_first = truth_shares(truth["first_orders"], "value_share")
    n_leads = truth["leads"]["conversions"]
    t_platform = {p: v / n_leads for p, v in truth["social_by_platform"]["leads"].items()}
    rows = []
    for model in MODELS:
        est_l = shares(attribute(leads, model), "conversions")
        est_o = shares(attribute(first_orders, model), "value")
        est_p = shares(attribute(leads_src, model), "conversions")
        l_mae, l_max = errors(est_l, t_leads)
        o_mae, o_max = errors(est_o, t_first)
        p_mae = float(np.mean([abs(est_p.get(p, 0.0) - t) for p, t in t_platform.items()]))
        rows.append(
            {
                "model": model,
                "leads MAE": round(l_mae, 4),
                "leads max err": round(l_max, 4),
                "first-order value MAE": round(o_mae, 4),
                "first-order max err": round(o_max, 4),
                "social share of leads (est)": round(est_l.get("social", 0.0), 4),
                "(truth)": round(t_leads.get("social", 0.0), 4),
                "social share of first-order value (est)": round(est_o.get("social", 0.0), 4),
                "(truth) ": round(t_first.get("social", 0.0), 4),
                "platform leads MAE": round(p_mae, 4),
            }
        )
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print(pd.DataFrame(rows).to_string(index=False))
    print("truth leads:", {k: round(v, 4) for k, v in sorted(t_leads.items())})
    print("truth first-order value:", {k: round(v, 4) for k, v in sorted(t_first.items())})
    print("truth platform leads share:", {k: round(v, 4) for k, v in sorted(t_platform.items())})
    return 0


if __name__ == "__main__":
    sys.exit(main())
