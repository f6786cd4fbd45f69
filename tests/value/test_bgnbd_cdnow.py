"""BG/NBD and Gamma-Gamma against Fader, Hardie & Lee's published CDNOW fits."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from goodwill.errors import UserInputError
from goodwill.value.bgnbd import BgNbdFit, GammaGammaFit, clv, fit_bgnbd, fit_gamma_gamma

CDNOW = Path(__file__).resolve().parents[3] / "shared" / "data" / "cdnow-transactions"
needs_cdnow = pytest.mark.skipif(not CDNOW.exists(), reason="shared cdnow-transactions absent")


@needs_cdnow
def test_bgnbd_matches_the_published_cdnow_parameters() -> None:
    s = pd.read_csv(CDNOW / "cdnow_customers_summary.csv")
    fit = fit_bgnbd(s["frequency"], s["recency"], s["T"])
    assert (fit.r, fit.alpha, fit.a, fit.b) == pytest.approx(
        (0.243, 4.414, 0.793, 2.426), abs=1.5e-3
    )
    assert fit.log_likelihood == pytest.approx(-9582.4, abs=0.1)
    assert all(0 < v < 1 for v in fit.se.values())  # finite, positive standard errors


@needs_cdnow
def test_gamma_gamma_matches_the_published_cdnow_parameters() -> None:
    tx = pd.read_csv(
        CDNOW / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["original_id", "id", "date", "cds", "dollars"],
    )
    tx["date"] = pd.to_datetime(tx["date"].astype(str))
    days = tx.groupby(["id", "date"], as_index=False)["dollars"].sum()
    cal = days[days["date"] <= "1997-09-30"].sort_values(["id", "date"])
    repeat = cal[cal.groupby("id").cumcount() > 0].groupby("id")["dollars"].agg(["count", "mean"])
    assert len(repeat) == 946  # the paper's repeat customers
    fit = fit_gamma_gamma(repeat["count"], repeat["mean"])
    assert (fit.p, fit.q, fit.v) == pytest.approx((6.25, 3.74, 15.44), abs=0.01)


def test_conditional_expectations_by_hand() -> None:
    bg = BgNbdFit(r=0.243, alpha=4.414, a=0.793, b=2.426, se={}, log_likelihood=0, n_customers=1)
    # x = 0: nobody can have died after a purchase, P(alive) = 1
    assert bg.p_alive(np.array([0.0]), np.array([0.0]), np.array([38.86]))[0] == 1.0
    # x=2, t_x=30.43, T=38.86: D = 1 + a/(b+1) * ((α+T)/(α+t_x))^(r+2)
    d = 1 + 0.793 / 3.426 * ((4.414 + 38.86) / (4.414 + 30.43)) ** 2.243
    assert bg.p_alive(np.array([2.0]), np.array([30.43]), np.array([38.86]))[0] == pytest.approx(
        1 / d
    )
    # expected purchases grow with the horizon and are 0 at t = 0
    e = [
        bg.expected_purchases(t, np.array([2.0]), np.array([30.43]), np.array([38.86]))[0]
        for t in (0.0, 10.0, 39.0)
    ]
    assert e[0] == pytest.approx(0.0) and 0 < e[1] < e[2]
    # the paper's worked example (section 5): customer 1 expects 1.226 purchases in 39 weeks
    assert e[2] == pytest.approx(1.226, abs=1e-3)
    gg = GammaGammaFit(p=6.25, q=3.74, v=15.44, se={}, log_likelihood=0, n_customers=1)
    # E[M | m=20, x=4] = p (v + m x) / (p x + q − 1)
    assert gg.expected_value(np.array([4.0]), np.array([20.0]))[0] == pytest.approx(
        6.25 * (15.44 + 80) / (25 + 3.74 - 1)
    )


def test_fit_rejects_data_without_repeat_buyers() -> None:
    with pytest.raises(UserInputError, match="no customer bought twice"):
        fit_bgnbd([0, 0, 0, 0], [0, 0, 0, 0], [5, 6, 7, 8])
    with pytest.raises(UserInputError, match="0 <= t_x <= T"):
        fit_bgnbd([1, 0, 0, 0], [9, 0, 0, 0], [5, 6, 7, 8])


def _simulate_bgnbd(rng: np.random.Generator, n: int, r: float, alpha: float, a: float, b: float):
    """Customers from the BG/NBD story: rate λ ~ Gamma(r, α), death after each repeat purchase
    with probability p ~ Beta(a, b), observed for T weeks after the first purchase."""
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    big_t = rng.uniform(26, 52, n)
    x, t_x = np.zeros(n), np.zeros(n)
    for i in range(n):
        t = 0.0
        while True:
            t += rng.exponential(1 / lam[i])
            if t > big_t[i]:
                break
            x[i] += 1
            t_x[i] = t
            if rng.random() < p[i]:
                break
    return x, t_x, big_t


def test_bgnbd_wald_intervals_cover_the_true_parameters() -> None:
    """12 simulated panels of 1,500 customers: the 95% intervals (log scale, inverse Hessian)
    cover the true parameters about 95% of the time (at least 40 of 48)."""
    rng = np.random.default_rng(11)
    true = np.log([0.5, 6.0, 0.8, 2.5])
    covered = 0
    for _ in range(12):
        x, t_x, big_t = _simulate_bgnbd(rng, 1500, *np.exp(true))
        fit = fit_bgnbd(x, t_x, big_t)
        assert fit.log_cov is not None
        est = np.log([fit.r, fit.alpha, fit.a, fit.b])
        half = 1.96 * np.sqrt(np.diag(fit.log_cov))
        covered += int(((est - half <= true) & (true <= est + half)).sum())
    assert covered >= 40


@needs_cdnow
def test_clv_interval_brackets_the_estimate() -> None:
    s = pd.read_csv(CDNOW / "cdnow_customers_summary.csv")
    customers = pd.DataFrame(
        {
            "x": s["frequency"],
            "t_x": s["recency"],
            "T": s["T"],
            "m": np.where(s["frequency"] > 0, 30.0, np.nan),
        }
    )
    bg = fit_bgnbd(customers["x"], customers["t_x"], customers["T"])
    gg = GammaGammaFit(
        p=6.25,
        q=3.74,
        v=15.44,
        se={},
        log_likelihood=0,
        n_customers=946,
        log_cov=np.diag([0.19**2, 0.078**2, 0.27**2]),
    )
    out = clv(bg, gg, customers, horizon=39, draws=100)
    assert (out["clv_lower"] <= out["clv"]).all() and (out["clv"] <= out["clv_upper"]).all()
    assert (out["clv_upper"] > out["clv_lower"]).all()
    # customer 1 (x=2, t_x=30.43, T=38.86): 1.226 purchases × E[M | m=30, x=2]
    assert out["clv"].iloc[0] == pytest.approx(
        1.226 * 6.25 * (15.44 + 60) / (12.5 + 2.74), rel=1e-3
    )
