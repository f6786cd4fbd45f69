"""The lift of the demo business's planted intervention (the brand starts on Bluesky) on
visits, leads, orders and revenue, against the simulator's ground truth.

The demo's series grow all year on their own (arrivals, a customer base that buys again) and
no series in the warehouse shares that growth without being touched by the intervention, so
the honest answer is an interval that covers the planted effect — and says the effect of a
few percent is not distinguishable from zero — rather than the flat forecast's confident and
wrong "increase" (see goodwill.lift.model, "Pre-period checks").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from goodwill.importer import import_paths
from goodwill.lift import estimate_lift, metric_series, post_start_of
from goodwill.simulate import DemoSpec, simulate
from goodwill.warehouse import Warehouse

SPEC = DemoSpec(people=500, seed=7)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Warehouse, dict[str, Any]]]:
    out = tmp_path_factory.mktemp("lift_demo")
    simulate(SPEC, out)
    truth = json.loads((out / "ground_truth.json").read_text(encoding="utf-8"))["intervention"]
    wh = Warehouse.open(out / "goodwill.duckdb")
    import_paths(wh, [out], show_progress=False)
    yield wh, truth
    wh.close()


@pytest.mark.parametrize("metric", ["visits", "leads", "orders", "revenue"])
def test_demo_interval_covers_the_planted_effect(
    demo: tuple[Warehouse, dict[str, Any]], metric: str
) -> None:
    wh, truth = demo
    planted = truth[f"daily_{metric}_effect"]
    assert truth["date"] == SPEC.intervention.isoformat() == "2026-05-01"
    frame = metric_series(wh.ibis(), metric)
    post = post_start_of(frame, date.fromisoformat(truth["date"]))
    r = estimate_lift(frame, post, draws=400)
    assert r.effect_lower <= planted <= r.effect_upper
    # a growing series without a control: the tool does not claim an effect
    assert r.verdict in ("not distinguishable from zero", "unreliable")
    assert r.note and r.placebo_periods == post // 3  # the last third of the pre-period
    if metric in ("orders", "revenue"):
        # the flat forecast without the checks mistakes the growth for an effect
        fixed = estimate_lift(frame, post, draws=400, check=False)
        assert fixed.effect_lower > planted
        assert "trend" in r.model
