"""The demo business's offline tactics (the ``activities`` table) against their planted
truth: they change no one's behaviour in the simulation (true ROI zero). A year of a small
shop's weeks is a short, noisy series, so the check is about honest uncertainty: no offline
tactic may be shown confidently returning a quarter of its money or more, and at least two of
the three intervals include the true zero (a 90 % interval misses one time in ten)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from goodwill.importer import import_paths
from goodwill.mmm import FitSettings, MixRun, run
from goodwill.report.demo_config import demo_mmm_truth, write_demo_config
from goodwill.report.lenses import truth_frame, truth_sentence, truth_table
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


@pytest.fixture(scope="module")
def mix(demo: tuple[Path, dict[str, object]]) -> MixRun:
    with Warehouse.open(demo[0], read_only=True) as wh:
        return run(wh.ibis(), "revenue", FitSettings(chains=3, tune=600, draws=600, thin=2))


def test_offline_tactics_without_effect_come_out_at_zero(demo, mix) -> None:
    _, truth = demo
    planted = truth["mmm"]["offline_true_roi"]
    assert set(planted) == {"offline:event", "offline:podcast", "offline:print"}
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


def test_demo_report_shows_the_planted_truth(demo, mix, tmp_path: Path) -> None:
    """The demo's settings file names its ground truth; the report's table puts the model's
    ROI beside the planted one, with the numbers of ground_truth.json."""
    db, truth = demo
    truth_path = db.parent / "files" / "ground_truth.json"
    config = write_demo_config(tmp_path, DemoSpec(people=300), ground_truth=truth_path)
    planted = demo_mmm_truth(config)
    assert planted == truth["mmm"]
    # any other settings file (no [demo] section): no truth, the report is unchanged
    plain = tmp_path / "plain.toml"
    plain.write_text('[scorecard]\ncurrency = "revenue"\n', encoding="utf-8")
    assert demo_mmm_truth(plain) is None
    assert demo_mmm_truth(None) is None

    frame = truth_frame(mix, planted).set_index("channel")
    rows = mix.result.channels.set_index("channel")
    for channel, roi in truth["mmm"]["offline_true_roi"].items():
        assert frame.loc[channel, "true_roi"] == roi == 0.0
        assert frame.loc[channel, "mix_roi_low"] == rows.loc[channel, "roi_low"]
        assert frame.loc[channel, "mix_roi_high"] == rows.loc[channel, "roi_high"]
        low, high = rows.loc[channel, "roi_low"], rows.loc[channel, "roi_high"]
        assert frame.loc[channel, "covered"] == (low <= roi <= high)
    # ad, social and email channels: their exact incremental revenue (factual world minus the
    # world without them) over the model's own weeks, divided by the model's spend there
    weekly = truth["mmm"]["weekly_incremental_revenue"]
    money = dict(zip(mix.data.channels, mix.data.spend.sum(axis=1), strict=True))
    for channel in frame.index:
        if channel.startswith("offline:"):
            continue
        gained = sum(weekly[channel].get(w.isoformat(), 0.0) for w in mix.weeks)
        assert frame.loc[channel, "true_roi"] == pytest.approx(gained / money[channel])
        low, high = frame.loc[channel, "mix_roi_low"], frame.loc[channel, "mix_roi_high"]
        assert frame.loc[channel, "covered"] == (low <= frame.loc[channel, "true_roi"] <= high)
    assert frame["true_roi"].notna().all()  # every channel with money has a planted ROI

    table = truth_table(mix, planted)
    cells = {row[0]: dict(zip(table.headers, row, strict=True)) for row in table.rows}
    for channel in truth["mmm"]["offline_true_roi"]:
        assert cells[channel]["true_roi"] == "0.0%"
        assert cells[channel]["covered"] in ("yes", "no")
    assert cells["ads:facebook"]["true_roi"] not in ("–", None)
    inside = sum(c is True for c in frame["covered"])
    assert f"covers the planted ROI of {inside} of {len(frame)} channels" in truth_sentence(
        truth_frame(mix, planted)
    )


def test_the_world_without_bluesky_posts_is_the_intervention_counterfactual(demo) -> None:
    """Two code paths, one world: social:bluesky's world drops every organic Bluesky touch,
    as the intervention's counterfactual does (ads carry no social platform), so its weekly
    incremental revenue is the intervention's daily revenue effect summed by week."""
    _, truth = demo
    mmm = truth["mmm"]
    weekly = mmm["weekly_incremental_revenue"]["social:bluesky"]
    by_day = {
        date.fromisoformat(r["date"]): r["revenue"] - r["revenue_counterfactual"]
        for r in truth["intervention"]["series"]
    }
    for monday, gained in weekly.items():
        first = date.fromisoformat(monday)
        days = [first + timedelta(days=k) for k in range(7)]
        # each day of the intervention's series is rounded to cents
        assert gained == pytest.approx(sum(by_day[d] for d in days), abs=0.1)
    assert sum(weekly.values()) == pytest.approx(mmm["incremental_revenue"]["social:bluesky"])
    intervention = date.fromisoformat(truth["intervention"]["date"])
    before = [
        g for m, g in weekly.items() if date.fromisoformat(m) + timedelta(days=6) < intervention
    ]
    assert before and all(g == 0.0 for g in before)  # before Bluesky the worlds are the same
    # every ad, social and email channel has a stated truth now
    assert mmm["not_stated"] == {}
    assert set(mmm["channel_true_roi"]) == {
        "ads:facebook",
        "ads:instagram",
        "ads:x",
        "social:mastodon",
        "social:x",
        "social:bluesky",
        "email",
    }
