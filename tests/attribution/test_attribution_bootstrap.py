"""Bootstrap intervals: shape, and coverage of the true credit share on simulated data."""

from __future__ import annotations

import numpy as np
import pytest

from goodwill.attribution.bootstrap import attribute_with_intervals
from goodwill.attribution.paths import Journeys

CHANNELS = ("a", "b", "c")
RATE = {"a": 0.3, "b": 0.1, "c": 0.2}


def simulate(n: int, rng: np.random.Generator) -> Journeys:
    """Journeys of 1-3 touches drawn with probabilities a .5, b .3, c .2; a journey converts
    with probability 1 - prod(1 - RATE[touch]), value 10 when it does."""
    lengths = rng.integers(1, 4, n)
    touches = rng.choice(3, size=lengths.sum(), p=[0.5, 0.3, 0.2])
    rates = np.array([RATE[c] for c in CHANNELS])[touches]
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    miss = np.multiply.reduceat(1 - rates, offsets[:-1])
    converted = (rng.random(n) < 1 - miss).astype(np.float64)
    return Journeys(
        channels=CHANNELS,
        offsets=offsets.astype(np.int64),
        touch_channel=touches.astype(np.int64),
        touch_age=np.zeros(len(touches)),
        conversions=converted,
        value=10 * converted,
        nulls=1 - converted,
    )


@pytest.mark.parametrize("model", ["linear", "shapley"])
def test_interval_covers_the_population_share(model: str) -> None:
    rng = np.random.default_rng(42)
    # the estimand: the model's share for channel a on the whole population (very large sample)
    big = attribute_with_intervals(simulate(400_000, rng), model, replicates=0)
    truth = big.frame().set_index("channel").loc["a", "share"]
    reps, covered = 60, 0
    for r in range(reps):
        res = attribute_with_intervals(simulate(300, rng), model, replicates=100, level=0.9, seed=r)
        row = res.frame().set_index("channel").loc["a"]
        covered += int(row["ci_low"] <= truth <= row["ci_high"])
    # nominal 90% (measured: linear 55/60, shapley 54/60); with 60 repetitions the sd of the
    # coverage is about 0.04, so a correct interval lands well inside these bounds
    assert 0.75 <= covered / reps <= 0.99


def test_interval_brackets_the_estimate_and_is_reproducible() -> None:
    j = simulate(500, np.random.default_rng(1))
    one = attribute_with_intervals(j, "markov", replicates=60, seed=3).frame()
    two = attribute_with_intervals(j, "markov", replicates=60, seed=3).frame()
    assert one.equals(two)
    assert list(one.columns) == [
        "channel",
        "conversions",
        "value",
        "share",
        "ci_low",
        "ci_high",
        "value_low",
        "value_high",
    ]
    assert (one["ci_low"] <= one["share"] + 1e-12).all()
    assert (one["share"] <= one["ci_high"] + 1e-12).all()
    assert one["share"].sum() == pytest.approx(1.0)
    assert one["conversions"].sum() == pytest.approx(j.conversions.sum())


def test_level_must_be_a_fraction() -> None:
    j = simulate(10, np.random.default_rng(0))
    with pytest.raises(ValueError, match="level"):
        attribute_with_intervals(j, "linear", level=90)
