"""Simulated businesses with a known mix: the truth the benchmark and the tests check against.

Each business has weekly spends per channel (flighted: some weeks off), a baseline with level,
trend and yearly season, and per channel a true adstock decay θ, half-saturation K (relative
to the channel's mean non-zero week) and effect β, through the same adstock and Hill curve
the model assumes. The true ROI of a channel is its true contribution over the weeks of the
series divided by its spend there — the same definition the model reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from goodwill.mmm.model import MixData, adstock, hill

__all__ = ["Business", "TrueChannel", "new_businesses", "simulate_business", "standard_businesses"]


@dataclass(frozen=True)
class TrueChannel:
    name: str
    mean_spend: float
    theta: float
    k: float
    roi: float
    """Planted ROI (outcome per unit of money); β is set so the channel returns exactly it."""
    on_share: float = 0.75
    """Share of weeks with spend."""


@dataclass(frozen=True)
class Business:
    name: str
    data: MixData
    true_roi: dict[str, float]
    true_contribution: dict[str, float]
    true_channels: tuple[TrueChannel, ...] = ()


def simulate_business(
    name: str,
    channels: tuple[TrueChannel, ...],
    *,
    weeks: int = 104,
    base: float = 20_000.0,
    season: float = 0.0,
    trend: float = 0.0,
    noise: float = 0.04,
    correlation: float = 0.0,
    seed: int = 0,
) -> Business:
    """Weekly spends and outcome of one business. ``season``: amplitude of the yearly cycle as
    a share of ``base``; ``correlation``: how much every channel's spend follows one shared
    budget cycle (0: independent, near 1: spends move together); ``noise``: the outcome's noise
    as a share of ``base``."""
    rng = np.random.default_rng(seed)
    t = np.arange(weeks, dtype=np.float64)
    shared = np.exp(0.6 * rng.standard_normal(weeks))
    x = np.empty((len(channels), weeks))
    for c, ch in enumerate(channels):
        own = np.exp(0.6 * rng.standard_normal(weeks))
        level = shared**correlation * own ** (1.0 - correlation)
        on = rng.uniform(size=weeks) < ch.on_share
        raw = level * on
        x[c] = raw / raw[raw > 0].mean() * ch.mean_spend
    y = base * (
        1.0 + trend * t / (weeks - 1) + season * np.sin(2 * np.pi * t / 52.1775 + 0.7)
    ) + rng.normal(0.0, noise * base, weeks)
    true_roi, true_contrib = {}, {}
    for c, ch in enumerate(channels):
        ref = x[c][x[c] > 0].mean()
        s = hill(adstock(x[c] / ref, ch.theta), ch.k)
        beta = ch.roi * x[c].sum() / s.sum()
        y = y + beta * s
        true_roi[ch.name] = ch.roi
        true_contrib[ch.name] = float(beta * s.sum())
    data = MixData(
        y=np.asarray(y, dtype=np.float64),
        channels=tuple(ch.name for ch in channels),
        x=x,
        spend=x.copy(),
        paid=tuple(True for _ in channels),
    )
    return Business(
        name=name,
        data=data,
        true_roi=true_roi,
        true_contribution=true_contrib,
        true_channels=channels,
    )


def standard_businesses(seed_offset: int = 0) -> list[Business]:
    """The four businesses of ``benchmarks/mmm_truth.py``: a zero-effect channel, correlated
    spends, a strongly seasonal outcome, and a saturated channel with long carry-over.
    ``seed_offset``: other draws of the same businesses (0: the benchmark's table)."""
    return [
        simulate_business(
            "cafe-zero-effect",
            (
                TrueChannel("search", 3000, 0.2, 1.0, 2.5),
                TrueChannel("social_ads", 2000, 0.4, 0.8, 1.5),
                TrueChannel("print", 1500, 0.3, 1.0, 0.0),
            ),
            seed=11 + seed_offset,
        ),
        simulate_business(
            "shop-correlated",
            (
                TrueChannel("meta", 4000, 0.3, 1.2, 2.0),
                TrueChannel("google", 3500, 0.2, 0.9, 3.0),
                TrueChannel("tiktok", 1500, 0.5, 1.0, 1.0),
            ),
            correlation=0.6,
            seed=12 + seed_offset,
        ),
        simulate_business(
            "ski-seasonal",
            (
                TrueChannel("radio", 2500, 0.5, 1.0, 1.2),
                TrueChannel("display", 2000, 0.1, 0.7, 0.8),
                TrueChannel("email", 500, 0.1, 1.5, 6.0),
            ),
            season=0.35,
            trend=0.15,
            seed=13 + seed_offset,
        ),
        simulate_business(
            "b2b-carryover",
            (
                TrueChannel("events", 5000, 0.7, 0.6, 1.8),
                TrueChannel("podcast", 1200, 0.6, 1.0, 2.2),
                TrueChannel("linkedin", 2500, 0.3, 0.5, 0.0),
                TrueChannel("press", 1000, 0.4, 1.2, 3.5),
            ),
            weeks=156,
            season=0.1,
            seed=14 + seed_offset,
        ),
    ]


def new_businesses(seed_offset: int = 0) -> list[Business]:
    """Two businesses written after the zero-effect prior was chosen (issue 20), so it is not
    tuned to the four above: one with two zero-effect channels among four and a noisier
    outcome, one whose three spends move together strongly (correlation 0.85)."""
    return [
        simulate_business(
            "clinic-two-nulls",
            (
                TrueChannel("search", 2500, 0.3, 1.0, 2.0),
                TrueChannel("radio", 3000, 0.6, 0.8, 0.0),
                TrueChannel("meta", 2000, 0.2, 1.5, 1.2),
                TrueChannel("flyers", 800, 0.2, 1.0, 0.0),
            ),
            weeks=120,
            season=0.2,
            trend=-0.1,
            noise=0.05,
            seed=21 + seed_offset,
        ),
        simulate_business(
            "brand-collinear",
            (
                TrueChannel("tv", 6000, 0.6, 1.0, 1.5),
                TrueChannel("youtube", 2500, 0.3, 0.8, 1.0),
                TrueChannel("outdoor", 2000, 0.5, 1.2, 0.6),
            ),
            weeks=130,
            correlation=0.85,
            season=0.15,
            seed=22 + seed_offset,
        ),
    ]
