"""The fast paths give the numbers of the slow ones, on the demo business.

* journeys from one shared :class:`JourneyStore` (date-free queries, compiled SQL kept, dates
  chosen from the fetched rows) equal a fresh build per spec, exactly, for labels, dates,
  kinds, lookbacks; and their conversions are those SQL counts in the dates (the date
  selection in pandas keeps what a date filter in SQL keeps);
* ``touched_platform`` / ``touched_campaign`` keep exactly the journeys whose source- /
  campaign-labelled touches include the platform / campaign;
* the bootstrap's batched models (Markov chains solved together, rules as one product, draws
  shared between models) equal one model run per replicate to 1e-12;
* ``scorecard_progress`` building journeys once for every target period equals building them
  afresh per period.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from goodwill.attribution import roi
from goodwill.attribution.bootstrap import bootstrap_credits, bootstrap_draws
from goodwill.attribution.journeys import JourneySpec, JourneyStore, build_journeys
from goodwill.attribution.models import MODELS, ModelOptions, attribute
from goodwill.attribution.paths import FloatArray, Journeys
from goodwill.attribution.roi import RoiSettings, scorecard_progress
from goodwill.attribution.scorecard_config import parse_scorecard
from goodwill.importer import import_paths
from goodwill.simulate import DemoSpec, simulate
from goodwill.warehouse import Warehouse


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fast-paths")
    simulate(DemoSpec(people=150), folder / "data")
    db = folder / "goodwill.duckdb"
    with Warehouse.open(db) as wh:
        import_paths(wh, [folder / "data"], show_progress=False)
    return db


def _assert_same(new: object, old: object) -> None:
    a, b = new.journeys, old.journeys  # type: ignore[attr-defined]
    assert a.channels == b.channels
    for name in ("offsets", "touch_channel", "touch_age", "conversions", "value", "nulls"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    pd.testing.assert_frame_equal(new.meta, old.meta)  # type: ignore[attr-defined]


SPECS = [
    {},
    {"by": "source"},
    {"by": "campaign", "since": date(2026, 3, 1), "until": date(2026, 6, 30)},
    {"since": date(2026, 10, 1), "until": date(2026, 10, 31), "kinds": ("order",)},
    {"lookback_days": 7, "include_nonconverting": False, "until": date(2026, 5, 1)},
    {"by": "source", "lookback_days": 0, "kinds": ("lead", "signup")},
]


def test_store_journeys_equal_fresh_builds_and_the_dates_sql_keeps(demo_db: Path) -> None:
    with Warehouse.open(demo_db) as wh:
        b = wh.ibis()
        store = JourneyStore(b)  # one store for every spec: dates come from its rows
        for spec in SPECS:
            js = JourneySpec(**spec)  # type: ignore[arg-type]
            new = build_journeys(b, js, store=store)
            assert new.journeys.n > 0
            _assert_same(new, build_journeys(b, js))  # a store of its own
            (n, value), *_ = wh.con.execute(
                "SELECT count(*), coalesce(sum(value_reporting), 0)::DOUBLE FROM conversions "
                "WHERE list_contains($kinds, kind) "
                "AND ($since IS NULL OR occurred_at::DATE >= $since) "
                "AND ($until IS NULL OR occurred_at::DATE <= $until)",
                {"kinds": list(js.kinds), "since": js.since, "until": js.until},
            ).fetchall()
            assert new.journeys.conversions.sum() == n, spec
            assert new.journeys.value.sum() == pytest.approx(value), spec
            assert new.journeys.touch_age.max() <= js.lookback_days + 1e-9, spec
            assert (new.journeys.nulls.sum() > 0) == js.include_nonconverting, spec


def _labelled(j: Journeys, ids: np.ndarray, label: str) -> set[str]:
    """Journey ids whose touches include ``label``."""
    if label not in j.channels:
        return set()
    code = j.channels.index(label)
    has = np.zeros(j.n, dtype=bool)
    has[j.touch_journey[j.touch_channel == code]] = True
    return {str(i) for i in ids[has]}


def test_touched_platform_and_campaign_keep_exactly_the_touched_journeys(demo_db: Path) -> None:
    since, until = date(2026, 4, 1), date(2026, 10, 31)
    with Warehouse.open(demo_db) as wh:
        b = wh.ibis()
        by_source = build_journeys(b, JourneySpec(by="source", since=since, until=until))
        by_campaign = build_journeys(b, JourneySpec(by="campaign", since=since, until=until))
        everything = build_journeys(b, JourneySpec(since=since, until=until))
        src_ids = by_source.meta["journey"].to_numpy()
        camp_ids = by_campaign.meta["journey"].to_numpy()
        campaign = "spring-launch"
        for platform in ("x", "bluesky", "instagram"):
            expected = _labelled(by_source.journeys, src_ids, platform)
            got = build_journeys(
                b, JourneySpec(since=since, until=until, touched_platform=platform)
            )
            assert set(got.meta["journey"]) == expected
            assert 0 < got.journeys.conversions.sum() < everything.journeys.conversions.sum()
            assert got.journeys.nulls.sum() > 0  # non-converting journeys stay
            # each kept journey is its unrestricted self
            keep = everything.meta["journey"].isin(expected).to_numpy()
            sub = everything.journeys.subset(keep)
            np.testing.assert_array_equal(got.journeys.conversions, sub.conversions)
            np.testing.assert_array_equal(got.journeys.offsets, sub.offsets)
            both = build_journeys(
                b,
                JourneySpec(
                    since=since, until=until, touched_platform=platform, touched_campaign=campaign
                ),
            )
            assert set(both.meta["journey"]) == expected & _labelled(
                by_campaign.journeys, camp_ids, campaign
            )
        got = build_journeys(b, JourneySpec(by="source", touched_campaign=campaign))
        old = build_journeys(b, JourneySpec(by="campaign"))
        assert set(got.meta["journey"]) == _labelled(
            old.journeys, old.meta["journey"].to_numpy(), campaign
        )
        assert len(got.meta) > 0
        nobody = build_journeys(b, JourneySpec(touched_platform="no-such-platform"))
        assert nobody.journeys.n == 0


def _one_by_one(
    j: Journeys, model: str, replicates: int, options: ModelOptions | None = None
) -> tuple[FloatArray, FloatArray]:
    """The bootstrap as it was: draw a replicate, attribute it, next."""
    rng = np.random.default_rng(0)
    k = len(j.channels)
    conv_draws, val_draws = np.zeros((replicates, k)), np.zeros((replicates, k))
    per = np.divide(j.value, j.conversions, out=np.zeros_like(j.value), where=j.conversions > 0)
    for b in range(replicates):
        conv = rng.poisson(j.conversions).astype(np.float64)
        nulls = rng.poisson(j.nulls).astype(np.float64)
        credit = attribute(j.reweighted(conv, conv * per, nulls), model, options)
        conv_draws[b], val_draws[b] = credit.conversions, credit.value
    return conv_draws, val_draws


@pytest.mark.parametrize("by", ["channel", "source"])
def test_batched_bootstrap_equals_one_run_per_replicate(demo_db: Path, by: str) -> None:
    with Warehouse.open(demo_db) as wh:
        j = build_journeys(wh.ibis(), JourneySpec(by=by)).journeys
    draws = bootstrap_draws(j, replicates=30)
    # the incremental model refits each replicate from the point estimate's fit (its link,
    # a warm start), so its replicates are not one run per replicate to 1e-12
    for model in [m for m in MODELS if m != "incremental"]:
        old_conv, old_val = _one_by_one(j, model, 30)
        for new_conv, new_val in (
            bootstrap_credits(j, model, replicates=30),
            bootstrap_credits(j, model, draws=draws),
        ):
            np.testing.assert_allclose(new_conv, old_conv, rtol=1e-12, atol=1e-12, err_msg=model)
            np.testing.assert_allclose(new_val, old_val, rtol=1e-12, atol=1e-9, err_msg=model)
        assert old_conv.sum() > 0
    # higher orders: a small chain solved in a batch, a large one replicate by replicate
    for order in (2, 3):
        options = ModelOptions(markov_order=order)
        new_conv, new_val = bootstrap_credits(j, "markov", replicates=8, options=options)
        old_conv, old_val = _one_by_one(j, "markov", 8, options)
        np.testing.assert_allclose(new_conv, old_conv, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(new_val, old_val, rtol=1e-12, atol=1e-9)


CONFIG = """
[scorecard]
currency = "{currency}"
model = "markov"
[scorecard.targets]
"2026-08" = 500
"2026-09" = 500
"2026-10" = 500
"2026-Q3" = 1500
"2026" = 5000
"""


@pytest.mark.parametrize("currency", ["revenue", "leads", "roi"])
def test_scorecard_progress_with_one_fetch_equals_a_build_per_period(
    demo_db: Path, currency: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tomllib

    config = parse_scorecard(tomllib.loads(CONFIG.format(currency=currency))["scorecard"], "test")
    settings = RoiSettings(model="markov", replicates=20)
    with Warehouse.open(demo_db) as wh:
        b = wh.ibis()
        new = scorecard_progress(b, config, settings)

        def old_build(backend: object, spec: JourneySpec, **_: object) -> object:
            return build_journeys(backend, spec)  # a fetch of its own for every period

        monkeypatch.setattr(roi, "build_journeys", old_build)
        old = scorecard_progress(b, config, replace(settings))
    assert new["actual"].notna().all()
    pd.testing.assert_frame_equal(new, old)


def test_cli_attribution_touched_platform(demo_db: Path, tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from goodwill.cli import app

    with Warehouse.open(demo_db) as wh:
        touched = build_journeys(wh.ibis(), JourneySpec(touched_platform="x")).journeys
        everything = build_journeys(wh.ibis(), JourneySpec()).journeys
    base = ["attribution", "--db", str(demo_db), "--model", "first", "--replicates", "5"]
    runner = CliRunner()
    out = runner.invoke(app, [*base, "--touched-platform", "x", "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    total = sum(r["conversions"] for r in rows)
    assert total == pytest.approx(touched.conversions.sum())
    assert 0 < total < everything.conversions.sum()
    # an interaction on x is a social touch; other channels of those journeys share the credit
    assert {r["channel"] for r in rows if r["conversions"] > 0} >= {"social"}
    out = runner.invoke(app, [*base, "--touched-campaign", "no-such-campaign", "--format", "json"])
    assert out.exit_code != 0 and "no conversions" in out.output
