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

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from goodwill.attribution.incremental import BASELINE, incremental_credit_draws
from goodwill.attribution.markov import markov_credit_batch
from goodwill.attribution.models import ModelOptions, attribute
from goodwill.attribution.paths import Credit, FloatArray, Journeys
from goodwill.attribution.rules import RULES, touch_weights

__all__ = [
    "BLOCK_CELLS",
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


BLOCK_CELLS = 1 << 22
"""Most replicates × journeys drawn at once (32 MB per array): the replicates' weights are
drawn and used a block of replicates at a time (:meth:`BootstrapDraws.blocks`), so the
bootstrap's memory does not grow with the replicates (``B × n`` arrays were 5 GB at 10M
interactions)."""


@dataclass(frozen=True, kw_only=True)
class BootstrapDraws:
    """The Poisson weights of every replicate (module docstring), drawn from ``seed`` a block
    of replicates at a time whenever they are read (:meth:`blocks`), always the same. They
    depend on the journeys' weights and the seed only, so every model bootstrapped on the same
    journeys can share them (:func:`bootstrap_draws`)."""

    conversions: FloatArray
    """The journeys' own weights ``(n,)``: the Poisson means."""
    nulls: FloatArray
    per_conversion: FloatArray
    """Value per conversion of each journey (0 without conversions)."""
    replicates: int
    seed: int
    _kept: list[tuple[int, FloatArray, FloatArray, FloatArray]] = field(
        default_factory=list, repr=False, compare=False
    )

    def blocks(self) -> Iterator[tuple[int, FloatArray, FloatArray, FloatArray]]:
        """``(start, conversions, value, nulls)``: replicates ``start, start + 1, …`` as
        ``(c, n)`` arrays, ``c`` at most :data:`BLOCK_CELLS` ``/ n`` (at least 1), drawn in
        the order of a run that re-attributes each replicate as it is drawn: conversions,
        then nulls. When all fit in one block it is kept (models sharing the draws)."""
        if self._kept:
            yield from self._kept
            return
        n = len(self.conversions)
        size = max(1, BLOCK_CELLS // max(n, 1))
        rng = np.random.default_rng(self.seed)
        for start in range(0, self.replicates, size):
            c = min(size, self.replicates - start)
            conv = np.empty((c, n))
            nulls = np.empty((c, n))
            for b in range(c):
                conv[b] = rng.poisson(self.conversions)
                nulls[b] = rng.poisson(self.nulls)
            block = (start, conv, conv * self.per_conversion, nulls)
            if c == self.replicates:
                self._kept.append(block)
            yield block


def bootstrap_draws(journeys: Journeys, *, replicates: int = 200, seed: int = 0) -> BootstrapDraws:
    """Replicate ``b``'s weights (module docstring), drawn in the order of a run that
    re-attributes each replicate as it is drawn: conversions, then nulls."""
    per_conv = np.divide(
        journeys.value,
        journeys.conversions,
        out=np.zeros_like(journeys.value),
        where=journeys.conversions > 0,
    )
    return BootstrapDraws(
        conversions=journeys.conversions,
        nulls=journeys.nulls,
        per_conversion=per_conv,
        replicates=replicates,
        seed=seed,
    )


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

    The replicates come a block at a time (:meth:`BootstrapDraws.blocks`). The rules are
    linear in the weights (credit = each journey's touch weights per channel × journey
    weights), so a block is one matrix product; the Markov chains of a block are solved in
    one batch (:func:`~goodwill.attribution.markov.markov_credit_batch`); the incremental
    model keeps only each block's sums per distinct feature row
    (:func:`~goodwill.attribution.incremental.incremental_credit_draws`); Shapley runs per
    replicate. Each gives the numbers of one run per replicate, up to rounding (1e-12).
    """
    from scipy import sparse  # type: ignore[import-untyped]

    d = draws or bootstrap_draws(journeys, replicates=replicates, seed=seed)
    opts = options or ModelOptions()
    k = len(journeys.channels)
    if model == "incremental":
        return incremental_credit_draws(journeys, ((c, v, nl) for _, c, v, nl in d.blocks()))
    conv_draws = np.zeros((d.replicates, k))
    val_draws = np.zeros((d.replicates, k))
    if model in RULES:
        # each journey's touch weights summed per channel: (n, k)
        w = touch_weights(journeys, model, half_life_days=opts.half_life_days)
        per_journey = sparse.csr_matrix(
            (w, (journeys.touch_journey, journeys.touch_channel)), shape=(journeys.n, k)
        )
    for start, conv, val, nulls in d.blocks():
        rows = slice(start, start + len(conv))
        if model == "markov":
            conv_draws[rows], val_draws[rows] = markov_credit_batch(
                journeys, conv, val, nulls, order=opts.markov_order
            )
        elif model in RULES:
            conv_draws[rows] = np.asarray((per_journey.T @ conv.T).T, dtype=np.float64)
            val_draws[rows] = np.asarray((per_journey.T @ val.T).T, dtype=np.float64)
        else:
            for b in range(len(conv)):
                credit = attribute(journeys.reweighted(conv[b], val[b], nulls[b]), model, options)
                conv_draws[start + b] = credit.conversions
                val_draws[start + b] = credit.value
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
