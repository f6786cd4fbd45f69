"""Two lenses on the same question: attribution (journeys) beside the mix model (aggregates).

Both are put on the same footing per platform: ``roi = (value − cost) / cost`` with the
platform's full cost (``goodwill roi``'s definition). For the mix model, a platform's value is
the contribution of its channels (``ads:P`` and ``social:P``; ``email``; an offline channel is
its own row) and its cost their money, per posterior draw, so its 90 % interval carries the
model's uncertainty. A plain sentence says whether the two agree (their intervals overlap)
and, where they do not, why that can happen.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from goodwill.mmm import MixRun

__all__ = ["LENS_COLUMNS", "baseline_sentence", "mix_by_platform", "platform_of", "two_lenses"]

LENS_COLUMNS = (
    "platform",
    "attribution_roi",
    "attribution_roi_low",
    "attribution_roi_high",
    "mix_roi",
    "mix_roi_low",
    "mix_roi_high",
    "what_it_means",
)
"""The columns of the two lenses table, as the report and the Money page show them."""

LOW, HIGH = 0.05, 0.95


def platform_of(channel: str) -> str:
    """``ads:x`` and ``social:x`` → ``x``; ``offline:press`` → ``press``; ``email`` → ``email``."""
    return channel.split(":", 1)[1] if ":" in channel else channel


def mix_by_platform(mix: MixRun) -> pd.DataFrame:
    """platform, mix_value (+ low/high), mix_cost, mix_roi (+ low/high): the mix model's
    contribution and net ROI per platform, intervals from the draws."""
    data = mix.data
    contrib = mix.posterior.contribution()
    money = data.spend.sum(axis=1)
    rows = []
    for platform in sorted({platform_of(c) for c in data.channels}):
        idx = [i for i, c in enumerate(data.channels) if platform_of(c) == platform]
        value = contrib[..., idx].sum(axis=-1).ravel()
        cost = float(money[idx].sum())
        lo, med, hi = np.quantile(value, [LOW, 0.5, HIGH])
        row: dict[str, object] = {
            "platform": platform,
            "mix_value": float(med),
            "mix_value_low": float(lo),
            "mix_value_high": float(hi),
            "mix_cost": cost,
        }
        if cost > 0:
            roi = value / cost - 1.0
            lo, med, hi = np.quantile(roi, [LOW, 0.5, HIGH])
            row.update(mix_roi=float(med), mix_roi_low=float(lo), mix_roi_high=float(hi))
        else:
            row.update(mix_roi=None, mix_roi_low=None, mix_roi_high=None)
        rows.append(row)
    return pd.DataFrame(rows)


def _sentence(row: pd.Series) -> str:
    att = row.get("attribution_roi")
    mix = row.get("mix_roi")
    if att is None or pd.isna(att):
        return (
            "only the mix model sees it: no journey touches it (offline, or views without clicks)"
        )
    if mix is None or pd.isna(mix):
        return "not in the mix model: too few active weeks, or no money recorded"
    a_lo, a_hi = row["attribution_roi_low"], row["attribution_roi_high"]
    m_lo, m_hi = row["mix_roi_low"], row["mix_roi_high"]
    if pd.isna(a_lo) or pd.isna(a_hi) or (m_lo <= a_hi and a_lo <= m_hi):
        return "the two lenses agree (their intervals overlap)"
    if m_lo > a_hi:
        return (
            "the aggregates credit more than the journeys: effects without a click (seen "
            "ads, word of mouth, offline purchases) never reach attribution"
        )
    return (
        "the journeys credit more than the aggregates support: attribution credits touches "
        "of people who would have bought anyway, or the weekly series is too short or its "
        "spends move together, so the mix model cannot separate this channel"
    )


def two_lenses(attribution: pd.DataFrame, mix: pd.DataFrame) -> pd.DataFrame:
    """Per platform: attribution's ROI and interval (``roi_table(..., "platform")``'s
    ``platform, value, cost, roi, roi_low, roi_high``) beside the mix model's, and a sentence.
    Rows without any cost on either side are left out."""
    att = attribution[~attribution["platform"].isin(["total", "(shared)"])]
    att = att[["platform", "value", "cost", "roi", "roi_low", "roi_high"]].rename(
        columns={
            "value": "attribution_value",
            "cost": "attribution_cost",
            "roi": "attribution_roi",
            "roi_low": "attribution_roi_low",
            "roi_high": "attribution_roi_high",
        }
    )
    both = att.merge(mix, on="platform", how="outer").sort_values("platform")
    both = both[(both["attribution_cost"].fillna(0) > 0) | (both["mix_cost"].fillna(0) > 0)]
    both = both.astype(object).where(both.notna(), None)
    both["what_it_means"] = [_sentence(r) for _, r in both.iterrows()]
    return both.reset_index(drop=True)


def baseline_sentence(share: float, low: float, high: float, outcome: str = "revenue") -> str:
    """The baseline share in a plain sentence that still reads right above 100 % (channels
    whose summed contribution comes out below zero) or with an interval that spans it."""
    if share > 1.0:
        return (
            f"Without any channel, the model puts {outcome} at {share:.0%} of what it was "
            f"({low:.0%} to {high:.0%}): more than all of it, so the channels' summed effect "
            "comes out slightly negative, which says the weekly totals cannot tell their "
            "effect from noise, not that marketing lost money."
        )
    if high > 1.0:
        return (
            f"The baseline (no channel at all) explains {share:.0%} of {outcome} ({low:.0%} "
            f"to {high:.0%}; the interval reaches past all of it, so the channels' summed "
            "effect may be nil)."
        )
    return (
        f"The baseline (no channel at all) explains {share:.0%} of {outcome} "
        f"({low:.0%} to {high:.0%})."
    )
