"""Attribution in bounded memory gives the credit of the straightforward computation.

* the bootstrap's replicates drawn and used a block at a time (``BLOCK_CELLS``: blocks of
  one replicate, and of four) give the credit of every replicate's weights
  held at once as ``(B, n)`` arrays, for the incremental model, a rule and Markov, on a small
  warehouse's journeys;
* the incremental model's distinct feature rows, found on small integer keys, are exactly
  the distinct rows of the float features (same rows, same order, same row per journey), on
  timed journeys with long paths (counts past the cap, recency sums past 30 touches).
"""

from __future__ import annotations

import numpy as np
import pytest

from goodwill.attribution import bootstrap, incremental
from goodwill.attribution.bootstrap import bootstrap_credits, bootstrap_draws
from goodwill.attribution.incremental import (
    TimedJourneys,
    bare_journeys,
    incremental_credit_batch,
    journey_fields,
)
from goodwill.attribution.journeys import JourneySpec, build_journeys
from goodwill.attribution.paths import FloatArray, Journeys
from goodwill.attribution.rules import touch_weights
from goodwill.importer import import_paths
from goodwill.simulate import DemoSpec, simulate
from goodwill.warehouse import Warehouse

REPLICATES = 6


@pytest.fixture(scope="module")
def journeys(tmp_path_factory: pytest.TempPathFactory) -> Journeys:
    folder = tmp_path_factory.mktemp("lean")
    simulate(DemoSpec(people=150), folder / "data")
    db = folder / "goodwill.duckdb"
    with Warehouse.open(db) as wh:
        import_paths(wh, [folder / "data"], show_progress=False)
        return build_journeys(wh.ibis(), JourneySpec()).journeys


def _all_at_once(j: Journeys) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Every replicate's weights as ``(B, n)`` arrays, drawn as the bootstrap draws them."""
    rng = np.random.default_rng(0)
    conv, nulls = np.zeros((REPLICATES, j.n)), np.zeros((REPLICATES, j.n))
    for b in range(REPLICATES):
        conv[b] = rng.poisson(j.conversions)
        nulls[b] = rng.poisson(j.nulls)
    per = np.divide(j.value, j.conversions, out=np.zeros_like(j.value), where=j.conversions > 0)
    return conv, conv * per, nulls


def test_blocks_of_replicates_give_the_credit_of_all_at_once(
    journeys: Journeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    j = journeys
    assert j.conversions.sum() > 0 and j.nulls.sum() > 0
    conv, value, nulls = _all_at_once(j)
    k = len(j.channels)
    w = touch_weights(j, "linear")
    per_touch = np.zeros((len(w), k))
    per_touch[np.arange(len(w)), j.touch_channel] = w
    # the straightforward linear credit: every touch's weight times its journey's weight
    linear = (conv[:, j.touch_journey] @ per_touch, value[:, j.touch_journey] @ per_touch)
    expected = {
        "incremental": incremental_credit_batch(j, conv, value, nulls),
        "linear": linear,
        "markov": bootstrap.markov_credit_batch(j, conv, value, nulls),
    }
    assert expected["incremental"][0][:, -1].sum() > 0  # the baseline row is credited
    for cells, count in ((1, REPLICATES), (4 * j.n, 2)):
        monkeypatch.setattr(bootstrap, "BLOCK_CELLS", cells)
        assert len(list(bootstrap_draws(j, replicates=REPLICATES).blocks())) == count
        for model, (want_conv, want_value) in expected.items():
            got_conv, got_value = bootstrap_credits(j, model, replicates=REPLICATES)
            np.testing.assert_allclose(got_conv, want_conv, rtol=1e-12, atol=1e-9, err_msg=model)
            np.testing.assert_allclose(got_value, want_value, rtol=1e-12, atol=1e-7, err_msg=model)


def _long_timed_journeys(n: int = 3000, seed: int = 5) -> TimedJourneys:
    rng = np.random.default_rng(seed)
    channels = ("direct", "email", "search", "social")
    lengths = rng.choice([1, 1, 2, 3, 5, 12, 40, 300], size=n)
    paths = [list(rng.choice(channels, size=m)) for m in lengths]
    ages = [sorted(rng.exponential(2.0, size=m).round(3), reverse=True) for m in lengths]
    converted = rng.random(n) < 0.3
    j = Journeys.from_paths(
        paths,
        conversions=converted.astype(float),
        nulls=(~converted).astype(float),
        ages=ages,
        channels=channels,
    )
    horizon = np.where(converted, 0.0, rng.uniform(0.0, 20.0, size=n).round(2))
    return TimedJourneys(**journey_fields(j), horizon=horizon)


@pytest.mark.parametrize("timed", [True, False])
def test_distinct_feature_rows_from_integer_keys_equal_those_of_the_features(
    timed: bool,
) -> None:
    j: Journeys = _long_timed_journeys()
    if not timed:
        j = Journeys(**journey_fields(j))
    features = incremental._features(j)
    assert features[..., 0].max() == incremental.MAX_COUNT  # counts past the cap
    if timed:
        assert features[..., -1].max() > incremental.MAX_COUNT  # recency sums are not capped
    fitted = np.flatnonzero(~bare_journeys(j))
    flat = features[fitted].reshape(len(fitted), -1)
    rows, inverse = np.unique(flat, axis=0, return_inverse=True)
    design = incremental._design(j)
    np.testing.assert_array_equal(design.x.reshape(len(design.x), -1), rows)
    np.testing.assert_array_equal(design.row[fitted], inverse.reshape(-1))
    assert (design.row[np.setdiff1d(np.arange(j.n), fitted)] == -1).all()
    assert 1 < len(rows) < len(fitted)  # some journeys share a row, not all


def test_draws_are_the_same_every_time_they_are_read(journeys: Journeys) -> None:
    d = bootstrap_draws(journeys, replicates=5, seed=3)
    first = [b[1].copy() for b in d.blocks()]
    again = [b[1] for b in d.blocks()]
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
