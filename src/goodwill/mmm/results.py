"""What a fitted mix model says per channel, and the budget split it suggests.

Every number is a posterior median with a 90 % credible interval (the 5th and 95th
percentiles of the draws); the formulas are in :mod:`goodwill.mmm.model`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize  # type: ignore[import-untyped]

from goodwill.mmm.diagnostics import Convergence, check
from goodwill.mmm.model import F64, Posterior, response

__all__ = [
    "CURVE_MULTIPLIERS",
    "Budget",
    "MixResult",
    "reallocate",
    "summarise",
]

CURVE_MULTIPLIERS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
"""Spend multipliers the response curve is evaluated at (1 = the spend of the series)."""

LOW, HIGH = 0.05, 0.95


@dataclass(frozen=True)
class MixResult:
    channels: pd.DataFrame
    """One row per channel: spend, contribution, roi, marginal ROI with their intervals, and
    ``p_effect``: the posterior probability that the channel has any effect (γ_c = 1)."""
    curves: pd.DataFrame
    """channel, multiplier, spend, contribution, contribution_low, contribution_high."""
    baseline_share: tuple[float, float, float]
    """(median, low, high) share of the outcome the baseline explains."""
    convergence: Convergence
    weeks: int


def _q(draws: F64) -> tuple[float, float, float]:
    lo, med, hi = np.quantile(draws.ravel(), [LOW, 0.5, HIGH])
    return float(med), float(lo), float(hi)


def summarise(post: Posterior) -> MixResult:
    """Per-channel contribution, ROI and marginal ROI with 90 % intervals, response curves,
    the baseline share, and the convergence checks."""
    data = post.data
    contrib = post.contribution()
    bumped = post.contribution(np.full(len(data.channels), 1.01))
    spend = data.spend.sum(axis=1)
    rows = []
    quantities: dict[str, F64] = {}
    for c, name in enumerate(data.channels):
        money = float(spend[c])
        row: dict[str, object] = {
            "channel": name,
            "paid": data.paid[c],
            "input": float(data.x[c].sum()),
            "spend": money,
        }
        med, lo, hi = _q(contrib[..., c])
        row.update(contribution=med, contribution_low=lo, contribution_high=hi)
        quantities[f"the contribution of {name}"] = contrib[..., c]
        quantities[f"the carry-over of {name}"] = post.theta[..., c]
        if money > 0:
            roi = contrib[..., c] / money
            mroi = (bumped[..., c] - contrib[..., c]) / (0.01 * money)
            med, lo, hi = _q(roi)
            row.update(roi=med, roi_low=lo, roi_high=hi)
            med, lo, hi = _q(mroi)
            row.update(mroi=med, mroi_low=lo, mroi_high=hi)
        else:
            for key in ("roi", "roi_low", "roi_high", "mroi", "mroi_low", "mroi_high"):
                row[key] = None
        row["carryover"] = float(np.median(post.theta[..., c]))
        # spike and slab: the share of draws in which the channel has any effect
        row["p_effect"] = float(np.mean(post.beta[..., c] != 0))
        rows.append(row)
    total_y = float(data.y.sum())
    share = post.baseline.sum(axis=-1) / total_y
    curves = []
    for c, name in enumerate(data.channels):
        resp = response(post, c, CURVE_MULTIPLIERS)
        for m, draws in zip(CURVE_MULTIPLIERS, resp, strict=True):
            med, lo, hi = _q(draws)
            curves.append(
                {
                    "channel": name,
                    "multiplier": m,
                    "input": float(data.x[c].sum()) * m,
                    "contribution": med,
                    "contribution_low": lo,
                    "contribution_high": hi,
                }
            )
    return MixResult(
        channels=pd.DataFrame(rows),
        curves=pd.DataFrame(curves),
        baseline_share=_q(share),
        convergence=check(quantities, post.acceptance),
        weeks=len(data.y),
    )


@dataclass(frozen=True)
class Budget:
    """The model's suggested split of a budget across the paid channels."""

    split: pd.DataFrame
    """channel, current, suggested, change (money over the series' weeks)."""
    expected_change: tuple[float, float, float]
    """(median, low, high) change of the outcome: suggested split minus current split."""
    total: float


def reallocate(
    post: Posterior, total: float | None = None, *, bounds: tuple[float, float] = (0.5, 1.5)
) -> Budget:
    """The split of ``total`` (default: what the paid channels spent) across the paid channels
    that maximises the posterior mean of their total contribution, each channel kept between
    ``bounds`` times its current spend (a mix model knows nothing outside the spends it saw).
    The expected change is computed per draw, so its interval carries the model's uncertainty.
    This is the model's suggestion, not a guarantee."""
    data = post.data
    paid = [c for c, p in enumerate(data.paid) if p and data.spend[c].sum() > 0]
    if not paid:
        raise ValueError("no paid channel with spend: nothing to reallocate")
    current = np.array([data.spend[c].sum() for c in paid])
    budget = float(current.sum()) if total is None else float(total)
    lo_b, hi_b = bounds
    thin = max(1, post.beta.shape[1] // 100)
    sub = Posterior(
        data=data,
        theta=post.theta[:, ::thin],
        k=post.k[:, ::thin],
        beta=post.beta[:, ::thin],
        baseline=post.baseline[:, ::thin],
        ref=post.ref,
        acceptance=post.acceptance,
    )

    def total_contrib(mult: F64) -> F64:
        scale = np.ones(len(data.channels))
        scale[paid] = mult
        out: F64 = sub.contribution(scale)[..., paid].sum(axis=-1)
        return out

    def objective(share: F64) -> float:
        mult = share * budget / current
        return -float(total_contrib(mult).mean()) / budget

    start = current / current.sum()
    cons = {"type": "eq", "fun": lambda s: float(s.sum() - 1.0)}
    box = [(lo_b * cur / budget, hi_b * cur / budget) for cur in current]
    box = [(min(a, 1.0), min(b, 1.0)) for a, b in box]
    res = minimize(objective, start, method="SLSQP", bounds=box, constraints=[cons])
    share = res.x if res.success else start
    suggested = share * budget
    now = total_contrib(budget / current.sum() * np.ones(len(paid)))
    new = total_contrib(suggested / current)
    split = pd.DataFrame(
        {
            "channel": [data.channels[c] for c in paid],
            "current": current * budget / current.sum(),
            "suggested": suggested,
        }
    )
    split["change"] = split["suggested"] - split["current"]
    return Budget(split=split, expected_change=_q(new - now), total=budget)
