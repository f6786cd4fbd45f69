"""The demo business's offline tactics (the ``activities`` table) against their planted
truth: they change no one's behaviour in the simulation (true ROI zero). A year of a small
shop's weeks is a short, noisy series, so the check is about honest uncertainty: no offline
tactic may be shown confidently returning a quarter of its money or more, and at least two of
the three intervals include the true zero (a 90 % interval misses one time in ten)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goodwill.importer import import_paths
from goodwill.mmm import FitSettings, run
from goodwill.simulate import DemoSpec, simulate
from goodwill.warehouse import Warehouse


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("mmm_demo")
    result = simulate(DemoSpec(people=300), out / "files")
    db = out / "goodwill.duckdb"
    with Warehouse.open(db) as wh:
        import_paths(wh, result.files, show_progress=False)
        assert wh.counts()["activities"] == result.counts["activities"] > 0
    return db, json.loads(result.ground_truth_path.read_text(encoding="utf-8"))


def test_offline_tactics_without_effect_come_out_at_zero(demo) -> None:
    db, truth = demo
    planted = truth["mmm"]["offline_true_roi"]
    assert set(planted) == {"offline:event", "offline:podcast", "offline:print"}
    with Warehouse.open(db, read_only=True) as wh:
        mix = run(wh.ibis(), "revenue", FitSettings(chains=3, tune=600, draws=600, thin=2))
    assert mix.result.convergence.converged, mix.result.convergence.words()
    rows = mix.result.channels.set_index("channel")
    inside = 0
    for channel, roi in planted.items():
        inside += int(rows.loc[channel, "roi_low"] <= roi <= rows.loc[channel, "roi_high"])
        assert rows.loc[channel, "roi_low"] < 0.25, channel
        # the series keeps whole weeks only: a partial first or last week is left out
        spent = truth["mmm"]["offline_spend"][channel]
        assert 0.9 * spent <= rows.loc[channel, "spend"] <= spent + 0.01, channel
    assert inside >= 2
    # ad spend of each ad platform the demo's campaigns use
    assert {c for c in rows.index if c.startswith("ads:")} == {
        "ads:facebook",
        "ads:instagram",
        "ads:x",
    }
