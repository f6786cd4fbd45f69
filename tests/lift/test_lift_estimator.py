"""The lift estimator against Google's R CausalImpact results and on simulated series."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from goodwill.errors import UserInputError
from goodwill.lift import estimate_lift, lift_svg

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
EXAMPLES = SHARED_DATA / "causalimpact-examples"


def _example(name: str) -> tuple[pd.DataFrame, int]:
    if name == "arma":
        return pd.read_csv(EXAMPLES / "arma_data.csv"), 70
    if name == "google":
        return pd.read_csv(EXAMPLES / "google_data.csv"), 61
    if name == "comparison":
        frame = pd.read_csv(EXAMPLES / "comparison_data.csv")
        frame = frame.rename(columns={"CHANGED": "y", "DATE": "date"})
        return frame, int((frame.date < "2019-07-15").sum())
    if name == "volks":
        frame = pd.read_csv(EXAMPLES / "volks_data.csv", sep=" ")
        frame = frame.rename(columns={"VolksWagen": "y", "Date": "date"})
        return frame, int((frame.date < "2015-09-20").sum())
    frame = pd.read_csv(EXAMPLES / "basque.csv").rename(columns={"Basque": "y"})
    return frame, 21


# published R CausalImpact average absolute effect: 95% interval, and whether p < 0.05
R_RESULTS = {
    "arma": (0.27, 1.5, True),
    "google": (18.0, 36.0, True),
    "comparison": (-2076.0, 832.0, False),
    "volks": (-55.0, -33.0, True),
    "basque": (-1.4, -0.2, True),
}


@pytest.mark.skipif(not EXAMPLES.exists(), reason="shared causalimpact-examples absent")
@pytest.mark.parametrize("name", sorted(R_RESULTS))
def test_effect_lies_inside_the_published_r_interval(name: str) -> None:
    frame, post_start = _example(name)
    result = estimate_lift(frame, post_start, draws=500)
    low, high, significant = R_RESULTS[name]
    assert low <= result.effect <= high
    assert result.effect_lower < result.effect < result.effect_upper
    assert result.cumulative_effect == pytest.approx(result.effect * result.n_post)
    if significant:
        assert result.p_value < 0.05
        # the interval excludes zero on the same side as R's
        assert np.sign(result.effect_lower) == np.sign(result.effect_upper) == np.sign(low)


@pytest.mark.skipif(not EXAMPLES.exists(), reason="shared causalimpact-examples absent")
def test_google_relative_effect_matches_r() -> None:
    frame, post_start = _example("google")
    result = estimate_lift(frame, post_start, draws=500)
    # R: relative effect 21% [14%, 28%]
    assert 0.14 <= result.relative_effect <= 0.28
    assert result.actual_mean == pytest.approx(156.2, abs=0.1)  # R: Actual 156


def _simulated(rng: np.random.Generator, effect: float, n_pre: int = 80, n_post: int = 20):
    n = n_pre + n_post
    x = 50 + np.cumsum(rng.normal(0, 1, n))
    y = 10 + 1.5 * x + rng.normal(0, 1.0, n)
    y[n_pre:] += effect
    return pd.DataFrame({"y": y, "x": x}), n_pre


def test_interval_coverage_on_simulated_series() -> None:
    """With a planted effect of 2.0 per period, the 95% interval covers it in most of 40
    replications (binomial: 40 × 0.95 = 38 expected; below 33 has probability < 1%)."""
    rng = np.random.default_rng(42)
    covered = 0
    estimates = []
    for _ in range(40):
        frame, post_start = _simulated(rng, 2.0)
        # the estimator itself (the placebo check has its own tests)
        r = estimate_lift(
            frame, post_start, draws=300, seed=int(rng.integers(1 << 30)), check=False
        )
        covered += r.effect_lower <= 2.0 <= r.effect_upper
        estimates.append(r.effect)
    assert covered >= 33
    assert np.mean(estimates) == pytest.approx(2.0, abs=0.3)


def test_no_effect_gives_a_large_tail_probability() -> None:
    rng = np.random.default_rng(7)
    frame, post_start = _simulated(rng, 0.0)
    r = estimate_lift(frame, post_start, draws=500)
    assert r.p_value > 0.05
    assert r.effect_lower < 0 < r.effect_upper
    assert r.verdict == "not distinguishable from zero"
    assert r.note.startswith("Effect not distinguishable from zero")


def test_strong_effect_is_detected_and_plotted() -> None:
    rng = np.random.default_rng(3)
    frame, post_start = _simulated(rng, 10.0)
    r = estimate_lift(frame, post_start, draws=500)
    assert r.p_value < 0.01
    assert r.effect == pytest.approx(10.0, abs=1.0)
    # the model tracks the control well: the placebo finds nothing and the fixed level stays
    assert r.verdict == "increase"
    assert r.placebo_periods == 20 and r.placebo_lower <= 0 <= r.placebo_upper
    assert r.model == "local level (level s.d. fixed) + 1 control series"
    assert list(r.series.columns[:3]) == ["date", "actual", "predicted"]
    assert r.series["post"].sum() == 20
    svg = lift_svg(r)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<polyline") == 3


def test_too_short_a_pre_period_is_a_user_error() -> None:
    frame = pd.DataFrame({"y": np.arange(10.0)})
    with pytest.raises(UserInputError, match="only 3 periods before"):
        estimate_lift(frame, 3)
    with pytest.raises(UserInputError, match="no periods on or after"):
        estimate_lift(frame, 10)


def test_placebo_check_catches_drift_and_widens_the_interval() -> None:
    """A series that grows on its own and levels off (like a customer base; no control, no
    effect): the near-flat default forecast sees a spurious 'effect', and so does the placebo
    inside the pre-period, so the local linear trend is used; its interval contains the true
    effect 0."""
    rng = np.random.default_rng(0)
    t = np.arange(120.0)
    frame = pd.DataFrame({"y": 20 + 10 * (1 - np.exp(-t / 60)) + rng.normal(0, 1.0, 120)})
    fixed = estimate_lift(frame, 90, draws=300, check=False)
    assert fixed.effect_lower > 1.0  # the growth, mistaken for an effect
    assert fixed.verdict == "" and fixed.placebo_periods == 0
    r = estimate_lift(frame, 90, draws=300)
    assert r.model == "local linear trend (variance estimated)"
    assert r.placebo_periods == 30
    assert r.placebo_lower <= 0 <= r.placebo_upper
    assert r.effect_lower <= 0 <= r.effect_upper
    assert r.verdict == "not distinguishable from zero"
    assert r.summary()["verdict"] == r.verdict
