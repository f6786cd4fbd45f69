"""Bootstrap intervals for any attribution model.

The journeys are resampled with the Poisson bootstrap: replicate ``b`` gives path ``j`` the
weights ``conversions*_j ~ Poisson(conversions_j)`` and ``nulls*_j ~ Poisson(nulls_j)``,
with value ``value_j · conversions*_j / conversions_j``. For individual journeys (weights 0 or
1) this is the usual resampling of journeys with replacement (multiplicities ~ Poisson(1)); for
aggregated path counts it resamples the underlying journeys without expanding them. The model
is re-run on every replicate and the interval is the percentile interval
``[q_{α/2}, q_{1−α/2}]`` of each channel's credited conversions, value and share
(``share_c = conversions_c / Σ conversions``). The Markov model's replicates are solved
together (:func:`goodwill.attribution.markov.markov_credit_batch`), with the same draws and
the same numbers as one run per replicate. The incremental model refits its conversion model
on every replicate (:func:`goodwill.attribution.incremental.incremental_credit_batch`); its
``(baseline)`` row is left out of the channels' shares (they are shares of the incremental
conversions), and the baseline row's own share is of all conversions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from goodwill.attribution.incremental import BASELINE, incremental_credit_batch
from goodwill.attribution.markov import markov_credit_batch
from goodwill.attribution.models import ModelOptions, attribute
from goodwill.attribution.paths import Credit, FloatArray, Journeys
from goodwill.attribution.rules import RULES, touch_weights

__all__ = [
    "AttributionResult",
    "BootstrapDraws",
    "attribute_with_intervals",
    "bootstrap_credits",
    "bootstrap_draws",
]


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
        share's), plus ``value_low, value_high``; sorted by value, largest first. A
        ``(baseline)`` row (incremental model) comes last: the channels' shares are of the
        other rows' conversions, the baseline's share is of all conversions."""
        a = (1.0 - self.level) / 2.0
        base = np.array([c == BASELINE for c in self.point.channels], dtype=bool)
        share = _shares(self.point.conversions[None, :], base)[0]
        draw_share = _shares(self.conversions_draws, base)
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
        frame = frame.sort_values(["value", "channel"], ascending=[False, True])
        last = frame["channel"] == BASELINE
        return pd.concat([frame[~last], frame[last]]).reset_index(drop=True)


def _shares(conversions: FloatArray, base: npt.NDArray[np.bool_]) -> FloatArray:
    """Rows of ``conversions`` (B, k) as shares: of the non-baseline total, and for the
    baseline column of the grand total."""
    out = np.zeros_like(conversions)
    incr = conversions[:, ~base].sum(axis=1, keepdims=True)
    everything = conversions.sum(axis=1, keepdims=True)
    np.divide(conversions, incr, out=out, where=(incr > 0) & ~base[None, :])
    np.divide(conversions, everything, out=out, where=(everything > 0) & base[None, :])
    return out


@dataclass(frozen=True, kw_only=True)
class BootstrapDraws:
    """The Poisson weights of every replicate: ``(B, n)`` arrays of conversions, value and
    nulls. They depend on the journeys' weights and the seed only, so every model
    bootstrapped on the same journeys can share them (:func:`bootstrap_draws`)."""

    conversions: FloatArray
    value: FloatArray
    nulls: FloatArray

    @property
    def replicates(self) -> int:
        return int(self.conversions.shape[0])


def bootstrap_draws(journeys: Journeys, *, replicates: int = 200, seed: int = 0) -> BootstrapDraws:
    """Replicate ``b``'s weights (module docstring), drawn in the order of a run that
    re-attributes each replicate as it is drawn: conversions, then nulls."""
    rng = np.random.default_rng(seed)
    per_conv = np.divide(
        journeys.value,
        journeys.conversions,
        out=np.zeros_like(journeys.value),
        where=journeys.conversions > 0,
    )
    conv = np.zeros((replicates, journeys.n))
    nulls = np.zeros((replicates, journeys.n))
    for b in range(replicates):
        conv[b] = rng.poisson(journeys.conversions)
        nulls[b] = rng.poisson(journeys.nulls)
    return BootstrapDraws(conversions=conv, value=conv * per_conv, nulls=nulls)


def bootstrap_credits(
    journeys: Journeys,
    model: str,
    *,
    replicates: int = 200,
    seed: int = 0,
    options: ModelOptions | None = None,
    draws: BootstrapDraws | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Credited conversions and value of every channel in each replicate: two ``(B, k)``
    arrays. ``draws``: the replicates' weights, when several models share them (then
    ``replicates`` and ``seed`` are theirs).

    The rules are linear in the weights (credit = touch weights × journey weights), so all
    replicates are one matrix product; the Markov chains are solved in one batch
    (:func:`~goodwill.attribution.markov.markov_credit_batch`); Shapley runs per replicate.
    Each gives the numbers of one run per replicate, up to rounding (1e-12).
    """
    from scipy import sparse  # type: ignore[import-untyped]

    d = draws or bootstrap_draws(journeys, replicates=replicates, seed=seed)
    opts = options or ModelOptions()
    k = len(journeys.channels)
    if model == "markov":
        return markov_credit_batch(
            journeys, d.conversions, d.value, d.nulls, order=opts.markov_order
        )
    if model == "incremental":
        return incremental_credit_batch(journeys, d.conversions, d.value, d.nulls)
    if model in RULES:
        w = touch_weights(journeys, model, half_life_days=opts.half_life_days)
        touches = len(journeys.touch_channel)
        to_channel = sparse.csr_matrix(
            (w, (np.arange(touches), journeys.touch_channel)), shape=(touches, k)
        )
        tj = journeys.touch_journey
        conv = np.asarray((to_channel.T @ d.conversions[:, tj].T).T, dtype=np.float64)
        val = np.asarray((to_channel.T @ d.value[:, tj].T).T, dtype=np.float64)
        return conv, val
    conv_draws = np.zeros((d.replicates, k))
    val_draws = np.zeros((d.replicates, k))
    for b in range(d.replicates):
        credit = attribute(
            journeys.reweighted(d.conversions[b], d.value[b], d.nulls[b]), model, options
        )
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
    draws: BootstrapDraws | None = None,
) -> AttributionResult:
    """The model's credit with bootstrap replicates for intervals at ``level`` (``draws``: as
    in :func:`bootstrap_credits`)."""
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    point = attribute(journeys, model, options)
    conv, val = bootstrap_credits(
        journeys, model, replicates=replicates, seed=seed, options=options, draws=draws
    )
    return AttributionResult(
        model=model, point=point, conversions_draws=conv, value_draws=val, level=level
    )
