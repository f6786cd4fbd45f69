"""Incremental (counterfactual) attribution: what each channel added over what would have
happened anyway.

Unlike the rule-based, Markov and Shapley models, which split the conversions that happened
among the channels on their paths, this model is **fitted on every journey, converting and
not** (people and visitors who touched the brand and did not convert included; a social
engagement without a click is a touch, see :mod:`goodwill.attribution.journeys`), and asks of
each person what the conversion probability would have been without each set of channels.

**Features.** For journey ``j`` and channel ``c`` with ``n_jc`` touches of ``c`` (at most
:data:`MAX_COUNT`): ``n_jc``, ``log1p(n_jc)`` (saturation: the tenth touch may add less than
the first) and ``1[n_jc > 0]``, so a channel's effect ``η_jc = λ_c · x_jc`` (``λ_c ≥ 0``) is
linear, saturating or a one-off step in the touches, as the data say.

**Conversion model**, with a baseline ``h₀`` (the probability with no touch) and one of two
links, whichever has the higher penalised likelihood on the data:

* ``hazard`` (noisy-OR: every channel an independent cause): ``P_j(S) = 1 − exp(−(h₀ +
  Σ_{c ∈ S} η_jc))``, ``h₀ ≥ 0``;
* ``logit`` (channels reinforce each other): ``P_j(S) = σ(h₀ + Σ_{c ∈ S} η_jc)``;

fitted by maximum likelihood with a ridge penalty ``α · Σ λ²`` (``α`` = :data:`RIDGE` times
the journeys' weight) on the journeys' weights (conversions and non-conversions), ``λ ≥ 0``
(a touch cannot make a conversion less likely). Journeys with the same features are fitted
once, with their weights summed.

**Credit.** A journey's lift over the baseline, ``v_j(S) = P_j(S) − P_j(∅)``, is split among
the channels it touched by their exact Shapley values ``φ_jc`` (over all subsets of those
channels). Each conversion is split in proportion: channel ``c`` gets ``φ_jc / P_j(N)`` of it
(and of its value) and ``(baseline)`` gets ``P_j(∅) / P_j(N)`` (``Σ_c φ_jc + P_j(∅) =
P_j(N)``, so every conversion is credited exactly once); summed over the converting journeys.
A conversion with no touch at all (the journey builder's placeholder: one ``direct`` or
``(none)`` touch at age 0) goes to ``(baseline)``: no channel can have caused it. The channels'
``share``s are of the incremental conversions (all minus the baseline's) and sum to 1.

**Identification.** The baseline is told from a channel's effect by the people who went
without the channel. A channel fewer than :data:`MIN_WITHOUT` fitted journeys, or fewer than
:data:`MIN_WITHOUT_SHARE` (2%) of them (weighted), went without is *not identified*
(:func:`unidentified`): the baseline is then an extrapolation from a sliver of the people, and
its split with the channel swings from sample to sample and with the model's form. In the
bootstrap each replicate gives the channel's credit plus the baseline's wholly to the channel
(a quarter of the replicates), wholly to the baseline (a quarter) or split uniformly at random
(the rest), so its interval spans every split the data allow instead of a confident number.
(On the truth processes the two such channels had 0.6% and 1.5% of the journeys without them,
the next fewest 4.9%.)

**Model form.** The two links are both wrong on most real data, and they disagree most on the
baseline (an extrapolation to no touch). The bootstrap's replicates refit with the likelier
link (even replicates) and the other one (odd), so the intervals carry the model-form
uncertainty as well as the sampling; the point estimate is the likelier link's. On the truth
processes of ``benchmarks/attribution_truth.py`` this raised the 90% intervals' coverage of
the true shares (channels and baseline, seeds 1-3) from 60% to 74%.

**Recency** is not a feature: a non-converting journey's ages are counted from its last touch
(the journey builder's rule), so a recency feature would compare converters' ages with
non-converters' on different clocks; on the truth processes of
``benchmarks/attribution_truth.py`` it changed no number and made fitting 20 to 50 times
slower.

**Limits.** This is an observational model: a person who likes the brand both follows it and
buys more (latent affinity), or a touch caused by the decision to buy (the visit in which the
purchase happens, searching the brand's name to find the shop), looks like a touch that
caused the purchase. Only an experiment (a holdout, a staggered start: ``goodwill lift``)
separates them. See docs/metrics.md.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from math import factorial

import numpy as np
import numpy.typing as npt

from goodwill.attribution.paths import DIRECT, Credit, FloatArray, IntArray, Journeys

__all__ = [
    "BASELINE",
    "MAX_TOUCHED",
    "MIN_WITHOUT",
    "MIN_WITHOUT_SHARE",
    "PLACEHOLDERS",
    "RIDGE",
    "Fit",
    "bare_journeys",
    "fit",
    "incremental_credit",
    "incremental_credit_batch",
    "unidentified",
]

BASELINE = "(baseline)"
"""The row of the conversions the baseline explains (they would have happened anyway)."""

RIDGE = 1e-4
"""Ridge penalty on the effects, per unit of journey weight."""

MIN_WITHOUT = 10
"""A channel is identified only when at least this many fitted journeys went without it."""

MIN_WITHOUT_SHARE = 0.02
"""... and at least this share of the fitted journeys (weighted) went without it."""

MAX_TOUCHED = 16
"""Most distinct channels one journey may touch (exact Shapley over ``2^m`` subsets)."""

MAX_COUNT = 30
"""Touches of one channel beyond this count as this many."""

LINKS = ("hazard", "logit")


@dataclass(frozen=True, kw_only=True)
class _Design:
    """The distinct feature rows of the fitted journeys: ``x`` (u, k, 2), which row each
    journey has (``row``; −1 for a journey not fitted: a conversion without a touch), and
    ``present`` (u, k): the channels each row touched."""

    x: FloatArray
    row: IntArray
    present: npt.NDArray[np.bool_]


@dataclass(frozen=True, kw_only=True)
class Fit:
    """A fitted model: its ``link``, intercept ``h0`` (the baseline's hazard, or log-odds)
    and effects ``lam`` (k, features)."""

    link: str
    h0: float
    lam: FloatArray
    nll: float

    def probability(self, lin: FloatArray) -> FloatArray:
        """``P`` at linear predictor ``lin`` (intercept included)."""
        if self.link == "hazard":
            return np.asarray(-np.expm1(-lin), dtype=np.float64)
        return np.asarray(1.0 / (1.0 + np.exp(-lin)), dtype=np.float64)

    @property
    def baseline_probability(self) -> float:
        return float(self.probability(np.array([self.h0]))[0])


PLACEHOLDERS = (DIRECT, "(none)")
"""The labels the journey builder gives a conversion without a touch (by channel; by source
or campaign)."""


def bare_journeys(journeys: Journeys) -> npt.NDArray[np.bool_]:
    """Conversions without a touch: one :data:`PLACEHOLDERS` touch at age 0 (the journey
    builder's placeholder), on a journey with conversions."""
    codes = [i for i, c in enumerate(journeys.channels) if c in PLACEHOLDERS]
    first = journeys.offsets[:-1]
    idx = np.flatnonzero(journeys.lengths == 1)
    out = np.zeros(journeys.n, dtype=bool)
    out[idx] = np.isin(journeys.touch_channel[first[idx]], codes) & (
        journeys.touch_age[first[idx]] == 0.0
    )
    return out & (journeys.conversions > 0)


def _design(journeys: Journeys) -> _Design:
    k, n = len(journeys.channels), journeys.n
    bare = bare_journeys(journeys)
    tj = journeys.touch_journey
    cell = tj * k + journeys.touch_channel
    count = np.bincount(cell, minlength=n * k).reshape(n, k)
    count = np.minimum(count, MAX_COUNT).astype(np.float64)
    x = np.stack([count, np.log1p(count), (count > 0).astype(np.float64)], axis=2)
    fitted = np.flatnonzero(~bare)
    rows, inverse = np.unique(x[fitted].reshape(len(fitted), -1), axis=0, return_inverse=True)
    row = np.full(n, -1, dtype=np.int64)
    row[fitted] = inverse.reshape(-1)
    ux = rows.reshape(len(rows), k, -1)
    return _Design(x=ux, row=row, present=ux[:, :, 0] > 0)


def _row_weights(design: _Design, weights: FloatArray) -> FloatArray:
    """Sum ``weights`` (per journey; ``(B, n)`` or ``(n,)``) per distinct feature row."""
    keep = design.row >= 0
    u = len(design.x)
    rows = design.row[keep]
    if weights.ndim == 1:
        return np.bincount(rows, weights=weights[keep], minlength=u).astype(np.float64)
    return np.stack([np.bincount(rows, weights=w[keep], minlength=u) for w in weights]).astype(
        np.float64
    )


def _fit(
    x: FloatArray,
    w1: FloatArray,
    w0: FloatArray,
    link: str | None = None,
    start: FloatArray | None = None,
) -> Fit:
    """Maximum likelihood of the conversion model (module docstring) on feature rows ``x``
    (u, k, f) with ``w1`` conversions and ``w0`` non-conversions per row; ``link=None``
    fits both links and keeps the likelier."""
    if link is None:
        fits = [_fit(x, w1, w0, name) for name in LINKS]
        return min(fits, key=lambda f: f.nll)
    from scipy.optimize import minimize  # type: ignore[import-untyped]

    u, k, f = x.shape
    flat = x.reshape(u, k * f)
    total = float(w1.sum() + w0.sum())
    scale = total if total > 0 else 1.0
    alpha = RIDGE * total
    rate = min(max(float(w1.sum()) / scale, 1e-6), 0.99)
    if start is None:
        h = -np.log1p(-rate) / 2 if link == "hazard" else float(np.log(rate / (1 - rate))) - 1
        start = np.concatenate([[h], np.full(k * f, 0.01)])
    has1 = w1 > 0

    def objective(theta: FloatArray) -> tuple[float, FloatArray]:
        # einsum, not BLAS: threaded BLAS costs more than these small products
        lin = theta[0] + np.einsum("ij,j->i", flat, theta[1:])
        if link == "hazard":
            lin = np.maximum(lin, 1e-12)
            # −log P = −log(1 − e^−h); d/dh = −1 / expm1(h)
            nll = float(np.sum(w0 * lin) - np.sum(w1[has1] * np.log(-np.expm1(-lin[has1]))))
            dlin = w0.copy()
            dlin[has1] -= w1[has1] / np.expm1(lin[has1])
        else:
            nll = float(np.sum(w1 * np.logaddexp(0.0, -lin) + w0 * np.logaddexp(0.0, lin)))
            dlin = (w1 + w0) / (1.0 + np.exp(-lin)) - w1
        grad = np.concatenate([[dlin.sum()], np.einsum("ij,i->j", flat, dlin)])
        lam = theta[1:]
        nll += alpha * float(np.sum(lam * lam))
        grad[1:] += 2 * alpha * lam
        return nll / scale, grad / scale

    low = 1e-9 if link == "hazard" else None
    bounds = [(low, None)] + [(0.0, None)] * (k * f)
    res = minimize(
        objective,
        np.asarray(start, dtype=np.float64),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 1000, "ftol": 1e-11, "gtol": 1e-8},
    )
    theta = np.asarray(res.x, dtype=np.float64)
    return Fit(link=link, h0=float(theta[0]), lam=theta[1:].reshape(k, f), nll=float(res.fun))


def _one_blas_thread() -> AbstractContextManager[object]:
    """L-BFGS-B's many small products cost 30 times more CPU with threaded BLAS (measured on
    the truth processes), so the fits run with one BLAS thread."""
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    limits: AbstractContextManager[object] = threadpool_limits(limits=1, user_api="blas")
    return limits


def fit(journeys: Journeys) -> Fit:
    """The fitted conversion model of ``journeys`` (module docstring)."""
    d = _design(journeys)
    with _one_blas_thread():
        return _fit(d.x, _row_weights(d, journeys.conversions), _row_weights(d, journeys.nulls))


def _shapley_rows(eta: FloatArray, present: npt.NDArray[np.bool_], model: Fit) -> FloatArray:
    """``(u, k+1)``: per feature row, each channel's Shapley value of the lift ``P(S) −
    P(∅)`` divided by ``P(N)``, and (last column) ``P(∅) / P(N)``. Rows are grouped by the
    set of channels they touched; each group's ``2^m`` subsets are evaluated at once."""
    u, k = eta.shape
    out = np.zeros((u, k + 1))
    if u == 0:
        return out
    weights = np.left_shift(1, np.arange(k, dtype=np.int64))
    masks = present.astype(np.int64) @ weights
    p0 = model.baseline_probability
    for mask in np.unique(masks):
        rows = np.flatnonzero(masks == mask)
        cols = np.flatnonzero((int(mask) >> np.arange(k)) & 1)
        m = len(cols)
        if m > MAX_TOUCHED:
            raise ValueError(
                f"a journey touched {m} distinct labels; incremental attribution is exact and "
                f"limited to {MAX_TOUCHED} per journey"
            )
        sub = eta[np.ix_(rows, cols)]  # (g, m)
        subsets = np.arange(1 << m)
        bits = ((subsets[:, None] >> np.arange(m)) & 1).astype(np.float64)  # (2^m, m)
        v = model.probability(model.h0 + sub @ bits.T) - p0  # v(S) = P(S) − P(∅); (g, 2^m)
        size = bits.sum(axis=1).astype(np.int64)
        weight = np.array(
            [factorial(s) * factorial(m - s - 1) / factorial(m) if s < m else 0.0 for s in size]
        )
        full = v[:, -1] + p0 if m else np.full(len(rows), p0)
        for ci, c in enumerate(cols):
            without = subsets[(subsets >> ci) & 1 == 0]
            phi = (v[:, without | (1 << ci)] - v[:, without]) @ weight[without]
            out[rows, c] = phi / full
        out[rows, k] = p0 / full
    return out


def _fractions(design: _Design, model: Fit, n: int) -> FloatArray:
    """``(n, k+1)``: the share of each journey's conversions credited to each channel and
    (last) to the baseline."""
    eta = np.einsum("ukf,kf->uk", design.x, model.lam)
    per_row = _shapley_rows(eta, design.present, model)
    k = design.x.shape[1]
    out = np.zeros((n, k + 1))
    fitted = design.row >= 0
    out[fitted] = per_row[design.row[fitted]]
    out[~fitted, k] = 1.0
    return out


def unidentified(journeys: Journeys) -> tuple[str, ...]:
    """Channels that are not (or only weakly) identified against the baseline: fewer than
    :data:`MIN_WITHOUT` fitted journeys, or fewer than :data:`MIN_WITHOUT_SHARE` of them, went
    without it (module docstring); weighted by the journeys' conversions and
    non-conversions."""
    fitted = ~bare_journeys(journeys)
    weight = (journeys.conversions + journeys.nulls)[fitted]
    if weight.sum() == 0:
        return ()
    k = len(journeys.channels)
    tj = journeys.touch_journey
    present = np.zeros((journeys.n, k), dtype=bool)
    present[tj, journeys.touch_channel] = True
    without = weight @ ~present[fitted]
    used = weight @ present[fitted]
    return tuple(
        c
        for c, w, used_c in zip(journeys.channels, without, used, strict=True)
        if used_c > 0 and (w < MIN_WITHOUT or w < MIN_WITHOUT_SHARE * weight.sum())
    )


def incremental_credit(journeys: Journeys) -> Credit:
    """Credit per channel plus a last ``(baseline)`` entry (module docstring)."""
    channels = (*journeys.channels, BASELINE)
    d = _design(journeys)
    if journeys.conversions.sum() == 0:
        zero = np.zeros(len(channels))
        return Credit(channels=channels, conversions=zero, value=zero.copy())
    with _one_blas_thread():
        model = _fit(d.x, _row_weights(d, journeys.conversions), _row_weights(d, journeys.nulls))
        frac = _fractions(d, model, journeys.n)
    return Credit(
        channels=channels, conversions=journeys.conversions @ frac, value=journeys.value @ frac
    )


def incremental_credit_batch(
    journeys: Journeys,
    conversions: FloatArray,
    value: FloatArray,
    nulls: FloatArray,
    *,
    seed: int = 0,
) -> tuple[FloatArray, FloatArray]:
    """Credited conversions and value ``(B, k+1)`` of every replicate's weights (``(B, n)``
    arrays: the bootstrap's resampled people), each refitted from the point estimate of one of
    the two links, alternately (module docstring). An unidentified channel's credit plus the
    baseline's is split at random between them in each replicate (module docstring)."""
    d = _design(journeys)
    k = len(journeys.channels)
    reps = conversions.shape[0]
    conv_out = np.zeros((reps, k + 1))
    val_out = np.zeros((reps, k + 1))
    if reps == 0 or journeys.conversions.sum() == 0:
        return conv_out, val_out
    w1 = _row_weights(d, conversions)
    w0 = _row_weights(d, nulls)
    with _one_blas_thread():
        pw1 = _row_weights(d, journeys.conversions)
        pw0 = _row_weights(d, journeys.nulls)
        points = sorted((_fit(d.x, pw1, pw0, name) for name in LINKS), key=lambda f: f.nll)
        starts = [np.concatenate([[p.h0], p.lam.reshape(-1)]) for p in points]
        for b in range(reps):
            if conversions[b].sum() == 0:
                continue
            i = b % 2
            model = _fit(d.x, w1[b], w0[b], points[i].link, starts[i])
            frac = _fractions(d, model, journeys.n)
            conv_out[b] = conversions[b] @ frac
            val_out[b] = value[b] @ frac
    loose = [journeys.channels.index(c) for c in unidentified(journeys)]
    if loose:
        rng = np.random.default_rng(seed)
        for c in loose:
            # a quarter of the replicates give the pool wholly to the channel, a quarter
            # wholly to the baseline, the rest a uniform split: the interval (at any level
            # of 50% or more) spans every split, the extremes included
            end = rng.uniform(size=(reps, 1))
            uniform = rng.uniform(size=(reps, 1))
            split = np.where(end < 0.25, 0.0, np.where(end < 0.5, 1.0, uniform))
            for out in (conv_out, val_out):
                pool = out[:, [c, k]].sum(axis=1, keepdims=True)
                out[:, [c]] = split * pool
                out[:, [k]] = (1 - split) * pool
    return conv_out, val_out
