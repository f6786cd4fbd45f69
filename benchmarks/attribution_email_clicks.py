"""Email clicks in attribution: the demo with and without its newsletter activity export.

    .venv/bin/python benchmarks/attribution_email_clicks.py [--seed 7] [--people 1500]

Simulates the demo twice from one spec: as interchange files only (``plain``: the newsletter
is visits) and in native formats (its exports, among them ``newsletter_activity.csv``: one
email click before each newsletter visit of a person known by email). The native warehouse's
journeys are built with the click/visit rule of :mod:`goodwill.attribution.journeys`
(``native``) and without it (``native, no rule``: every click is a touch beside its visit).
For each attribution model: the email channel's share of leads and of first-order value, and
the mean absolute error of the channel shares against the planted truth (the grouping of
``attribution_accuracy.py``). The rule should keep ``native`` close to ``plain``; without it
the email share is inflated.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from unittest.mock import patch

import pandas as pd

import goodwill.attribution.journeys as journeys
from goodwill.attribution.models import MODELS, attribute
from goodwill.importer import import_paths
from goodwill.simulate import DemoSpec, simulate
from goodwill.sources.context import set_visitor_salt
from goodwill.warehouse import Warehouse

sys.path.insert(0, str(Path(__file__).parent))
from attribution_accuracy import errors, truth_shares


def _shares(
    wh: Warehouse, truth: dict[str, dict[str, object]], variant: str
) -> list[dict[str, object]]:
    backend = wh.ibis()
    leads = journeys.build_journeys(backend, journeys.JourneySpec(kinds=("lead",))).journeys
    orders = journeys.build_journeys(backend, journeys.JourneySpec(kinds=("order",)))
    first = orders.meta["first_order"].to_numpy() | orders.meta["kind"].isna().to_numpy()
    first_orders = orders.journeys.subset(first)
    t_leads = truth_shares(truth["leads"], "share")
    t_first = truth_shares(truth["first_orders"], "value_share")
    rows: list[dict[str, object]] = []
    for model in MODELS:
        cl = attribute(leads, model)
        est_l = dict(zip(cl.channels, cl.conversions / cl.conversions.sum(), strict=True))
        co = attribute(first_orders, model)
        est_o = dict(zip(co.channels, co.value / co.value.sum(), strict=True))
        rows.append(
            {
                "model": model,
                "variant": variant,
                "email leads": round(est_l.get("email", 0.0), 4),
                "email 1st orders": round(est_o.get("email", 0.0), 4),
                "leads MAE": round(errors(est_l, t_leads)[0], 4),
                "1st orders MAE": round(errors(est_o, t_first)[0], 4),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--people", type=int, default=1500)
    args = parser.parse_args(argv)
    spec = DemoSpec(seed=args.seed, people=args.people)
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        plain = simulate(spec, Path(tmp) / "plain")
        native = simulate(spec, Path(tmp) / "native", native=True)
        truth = json.loads(plain.ground_truth_path.read_text(encoding="utf-8"))["attribution"]
        with Warehouse.open(Path(tmp) / "plain.duckdb") as wh:
            import_paths(wh, [plain.out_dir], show_progress=False)
            rows += _shares(wh, truth, "plain")
        with Warehouse.open(Path(tmp) / "native.duckdb") as wh:
            set_visitor_salt(wh, native.visitor_salt)
            import_paths(wh, [native.out_dir], show_progress=False)
            clicks = wh.query("SELECT count(*) FROM interactions WHERE platform = 'email'")[0][0]
            rows += _shares(wh, truth, "native")
            with patch.object(journeys, "_drop_opened_clicks", lambda t, group: t):
                rows += _shares(wh, truth, "native, no rule")
    true_l = truth_shares(truth["leads"], "share").get("email", 0.0)
    true_o = truth_shares(truth["first_orders"], "value_share").get("email", 0.0)
    print(f"demo seed {args.seed}, {args.people} people, {clicks} email clicks imported")
    print(f"true email share: leads {true_l:.4f}, first-order value {true_o:.4f}")
    frame = pd.DataFrame(rows).sort_values(["model", "variant"], kind="stable")
    print(frame.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
