"""Bootstrap intervals for any attribution model.

The journeys are resampled with the Poisson bootstrap: replicate ``b`` gives path ``j`` the
weights ``conversions*_j ~ Poisson(conversions_j)`` and ``nulls*_j ~ Poisson(nulls_j)``,
with value ``value_j · conversions*_j / conversions_j``. For individual journeys (weights 0 or
1) this is the usual resampling of journeys with replacement (multiplicities ~ Poisson(1)); for
aggregated path counts it resamples the underlying journeys without expanding them. The model
is re-run on every replicate and the interval is the percentile interval
``[q_{α/2}, q_{1−α/2}]`` of each channel's credited conversions, value and share
(``share_c = conversions_c / Σ conversions``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from goodwill.attribution.models import ModelOptions, attribute
from goodwill.attribution.paths import Credit, FloatArray, Journeys

__all__ = ["AttributionResult", "attribute_with_intervals", "bootstrap_credits"]


@dataclass(frozen=True, kw_only=True)
class AttributionResult:
    """A model's point estimate and bootstrap replicates."""

    model: str
    point: Credit
    conversions_draws: FloatArray  # (B, channels)
    value_draws: FloatArray
    level: float

    def frame(self) -> pd.DataFrame:
        """Rows ``channel, conversions, value, share, ci_low, ci_high`` (the interval is the
        share's), plus ``value_low, value_high``; sorted by value, largest first."""
        a = (1.0 - self.level) / 2.0
        total = self.point.conversions.sum()
        share = self.point.conversions / total if total > 0 else np.zeros_like(total)
        draw_totals = self.conversions_draws.sum(axis=1, keepdims=True)
        draw_share = np.divide(
            self.conversions_draws,
            draw_totals,
            out=np.zeros_like(self.conversions_draws),
            where=draw_totals > 0,
        )
        has = len(self.conversions_draws) > 0
        nan = np.full(len(share), np.nan)
        frame = pd.DataFrame(
            {
                "channel": list(self.point.channels),
                "conversions": self.point.conversions,
                "value": self.point.value,
                "share": share,
                "ci_low": np.quantile(draw_share, a, axis=0) if has else nan,
                "ci_high": np.quantile(draw_share, 1 - a, axis=0) if has else nan,
                "value_low": np.quantile(self.value_draws, a, axis=0) if has else nan,
                "value_high": np.quantile(self.value_draws, 1 - a, axis=0) if has else nan,
            }
        )
        return frame.sort_values(["value", "channel"], ascending=[False, True]).reset_index(
            drop=True
        )


def bootstrap_credits(
    journeys: Journeys,
    model: str,
    *,
    replicates: int = 200,
    seed: int = 0,
    options: ModelOptions | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Credited conversions and value of every channel in each replicate: two ``(B, k)``
    arrays."""
    rng = np.random.default_rng(seed)
    k = len(journeys.channels)
    conv_draws = np.zeros((replicates, k))
    val_draws = np.zeros((replicates, k))
    per_conv = np.divide(
        journeys.value,
        journeys.conversions,
        out=np.zeros_like(journeys.value),
        where=journeys.conversions > 0,
    )
    for b in range(replicates):
        conv = rng.poisson(journeys.conversions).astype(np.float64)
        nulls = rng.poisson(journeys.nulls).astype(np.float64)
        credit = attribute(journeys.reweighted(conv, conv * per_conv, nulls), model, options)
        conv_draws[b] = credit.conversions
        val_draws[b] = credit.value
    return conv_draws, val_draws


def attribute_with_intervals(
    journeys: Journeys,
    model: str,
    *,
    replicates: int = 200,
    level: float = 0.9,
    seed: int = 0,
    options: ModelOptions | None = None,
) -> AttributionResult:
    """The model's credit with bootstrap replicates for intervals at ``level``."""
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    point = attribute(journeys, model, options)
    conv, val = bootstrap_credits(
        journeys, model, replicates=replicates, seed=seed, options=options
    )
    return AttributionResult(
        model=model, point=point, conversions_draws=conv, value_draws=val, level=level
    )
