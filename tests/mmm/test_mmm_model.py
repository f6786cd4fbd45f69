"""The mix model recovers a planted truth on a small simulated series, and its diagnostics
tell converged chains from chains that disagree."""

from __future__ import annotations

import numpy as np
import pytest

from goodwill.mmm import run_data
from goodwill.mmm.diagnostics import ESS_MIN, RHAT_MAX, Convergence, ess_bulk, rhat
from goodwill.mmm.model import FitSettings, adstock, hill
from goodwill.mmm.synthetic import TrueChannel, simulate_business

FEW = FitSettings(chains=3, tune=800, draws=900, thin=3, seed=3)


@pytest.fixture(scope="module")
def small_run():
    business = simulate_business(
        "test-shop",
        (
            TrueChannel("search", 3000, 0.3, 1.0, 2.0),
            TrueChannel("print", 1500, 0.4, 1.0, 0.0),
        ),
        weeks=104,
        season=0.2,
        seed=5,
    )
    return business, run_data(business.data, [], "revenue", FEW)


def test_adstock_keeps_the_total_and_carries_it_over() -> None:
    x = np.array([100.0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    a = adstock(x, 0.5)
    assert a[:3] == pytest.approx([50.0, 25.0, 12.5])
    assert a.sum() == pytest.approx(100.0, rel=1e-4)
    assert hill(np.array([0.0, 2.0, 6.0]), 2.0) == pytest.approx([0.0, 0.5, 0.75])


def test_recovers_planted_roi_and_a_channel_without_effect(small_run) -> None:
    business, mix = small_run
    res = mix.result
    assert res.convergence.converged, res.convergence.words()
    rows = res.channels.set_index("channel")
    search = rows.loc["search"]
    assert search["roi_low"] <= business.true_roi["search"] <= search["roi_high"]
    assert abs(search["roi"] - 2.0) / 2.0 < 0.2
    printing = rows.loc["print"]
    assert printing["roi_low"] <= 0.0 <= printing["roi_high"]
    # spike and slab: the channel without effect is out of the model (β exactly 0) in a real
    # share of the draws; the effective one is in every draw
    beta = mix.posterior.beta
    assert (beta[..., 1] == 0).mean() > 0.05
    assert (beta[..., 0] != 0).all()
    # the effective channel's money returns more at the margin than the one without effect
    assert search["mroi"] > printing["mroi"]
    # contribution is ROI times spend, both from the same draws (medians: close, not equal)
    assert search["contribution"] == pytest.approx(search["roi"] * search["spend"], rel=0.05)
    _, lo, hi = res.baseline_share
    true_share = 1 - sum(business.true_contribution.values()) / business.data.y.sum()
    assert lo <= true_share <= hi


def test_response_curve_rises_and_flattens(small_run) -> None:
    _, mix = small_run
    curve = mix.result.curves[mix.result.curves["channel"] == "search"]
    values = curve["contribution"].to_numpy()
    assert values[0] == pytest.approx(0.0, abs=1e-6)
    assert np.all(np.diff(values) > 0)
    gains = np.diff(values) / np.diff(curve["multiplier"].to_numpy())
    assert gains[-1] < gains[0]  # saturation: each extra unit returns less


def test_budget_moves_money_to_the_channel_that_returns_it(small_run) -> None:
    _, mix = small_run
    plan = mix.budget
    assert plan is not None
    split = plan.split.set_index("channel")
    assert split["suggested"].sum() == pytest.approx(plan.total, rel=1e-6)
    assert split.loc["search", "change"] > 0 > split.loc["print", "change"]
    # within the bounds: never below half or above 1.5 times the current spend
    assert (split["suggested"] >= 0.5 * split["current"] - 1e-6).all()
    assert (split["suggested"] <= 1.5 * split["current"] + 1e-6).all()
    med, lo, hi = plan.expected_change
    assert lo <= med <= hi and med > 0


def test_rhat_and_ess_tell_agreeing_from_disagreeing_chains() -> None:
    rng = np.random.default_rng(0)
    same = rng.standard_normal((4, 500))
    assert rhat(same) < 1.01
    assert ess_bulk(same) > 1500
    apart = same + np.array([[0.0], [0.0], [3.0], [3.0]])
    assert rhat(apart) > RHAT_MAX
    sticky = np.empty((4, 500))
    sticky[:, 0] = rng.standard_normal(4)
    for t in range(1, 500):
        sticky[:, t] = 0.97 * sticky[:, t - 1] + 0.25 * rng.standard_normal(4)
    assert ess_bulk(sticky) < ESS_MIN


def test_a_fit_that_did_not_converge_says_so() -> None:
    bad = Convergence(rhat_max=1.3, ess_min=40, acceptance=0.2, worst="the ROI of print")
    assert not bad.converged
    assert "did NOT converge" in bad.words() and "the ROI of print" in bad.words()
    good = Convergence(rhat_max=1.01, ess_min=400, acceptance=0.25, worst="")
    assert good.converged and "converged" in good.words()


def test_inclusion_is_a_probability() -> None:
    with pytest.raises(ValueError, match="inclusion"):
        FitSettings(inclusion=0.0)
    assert FitSettings(inclusion=1.0).inclusion == 1.0
