"""Incremental (counterfactual) attribution: what each channel added over what would have
happened anyway.

Unlike the rule-based, Markov and Shapley models, which split the conversions that happened
among the channels on their paths, this model is **fitted on every journey, converting and
not** (people and visitors who touched the brand and did not convert included; a social
engagement without a click is a touch, see :mod:`goodwill.attribution.journeys`), and asks of
each person what the conversion probability would have been without each set of channels.

**Features.** For journey ``j`` and channel ``c`` with ``n_jc`` touches of ``c`` (at most
:data:`MAX_COUNT`): the count ``n_jc`` and the saturating counts ``n_jc / (n_jc + h)`` for
each ``h`` in :data:`HILL` (Hill curves: the tenth touch may add less than the first, and a
small ``h`` is nearly a one-off step), so a channel's effect ``η_jc = λ_c · x_jc`` (``λ_c ≥
0``) is linear, saturating or a step in the touches, as the data say. For
:class:`TimedJourneys` (journeys that know when each non-converting journey's observation
ended) also the recency sums ``Σ_touches exp(−a / τ)`` for each ``τ`` in :data:`TAUS`, with
``a`` the touch's age at the journey's outcome (its conversion, or the end of the window a
non-converter was watched in), so an old touch may count for less than a fresh one (each sum
rounded to :data:`RECENCY_STEP`, so that near-identical journeys are fitted once).

**Conversion model**, with a baseline ``h₀`` (the probability with no touch) and one of three
links, which say how the channels' effects combine (model form, below):

* ``hazard`` (noisy-OR: every channel an independent cause, their lifts less than additive):
  ``P_j(S) = 1 − exp(−(h₀ + η_j(S)))``, ``h₀ ≥ 0``;
* ``additive`` (the channels' lifts add up): ``P_j(S) = min(h₀ + η_j(S), 1)``, ``h₀ ≥ 0``;
* ``logit`` (channels reinforce each other): ``P_j(S) = σ(h₀ + η_j(S))``;

with ``η_j(S) = Σ_{c ∈ S} η_jc + Σ_{(c, d) ∈ pairs, c, d ∈ S} γ_cd · 1[j touched c and d]``:
the selected pairs of channels (below) add ``γ_cd ≥ 0`` when both are present (together
they add more than apart);

fitted by maximum likelihood with a ridge penalty ``α · Σ λ²`` (``α`` = :data:`RIDGE` times
the journeys' weight) on the journeys' weights (conversions and non-conversions), ``λ ≥ 0``
(a touch cannot make a conversion less likely). Journeys with the same features are fitted
once, with their weights summed. Then the form is chosen by likelihood-ratio tests
(:func:`_prune`), on each contender link (model form, below):

1. by backward elimination, a channel whose effects raise twice the log-likelihood by less
   than :data:`PRUNE` is dropped (its effect 0): a channel that does nothing (the direct
   trap) otherwise keeps the noise its non-negative effects can fit, a few points of share;
2. by forward selection, the pair interaction of two kept channels that raises it most is
   added while that is at least :data:`PRUNE` (on the logistic process with a social × email
   interaction, the model without it gave search's share of that interaction to social and
   email: search −0.035 on every seed);
3. by backward elimination, a single feature of a kept channel that raises it by less than
   :data:`FEATURE_PRUNE` is dropped (of the :data:`FEATURE_TRIES` weakest by their Wald
   statistics, the one that raises it least): with about ten free non-negative features a
   channel fits noise, and a step feature fitted to noise (a constant effect of having any
   touch) takes from the baseline (on the decaying-effects process the baseline hazard came
   out at 0.009 against a true 0.02 and social 0.088 too high).

**Credit.** A journey's lift over the baseline, ``v_j(S) = P_j(S) − P_j(∅)`` (a pair's term
counts in ``S`` only with both its channels), is split among
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
fit such a channel leaves out its step-like features (``h ≤`` :data:`STEP_HILL`): its effect
from none to one touch is extrapolated from how conversion grows from one touch to many
(the dose-response the data do show) instead of from the few who went without. In the
bootstrap each replicate gives the channel's credit plus the baseline's wholly to the channel
(a quarter of the replicates), wholly to the baseline (a quarter) or split uniformly at random
(the rest), so its interval spans every split the data allow instead of a confident number.
(On the truth processes the two such channels had 0.6% and 1.5% of the journeys without them,
the next fewest 4.9%.)

**Model form.** The links are all wrong on most real data, and where two fit about equally
well they still split the same lift differently (a noisy-OR gives a channel that most people
had less of the joint lift than an additive model does; the logistic more) and extrapolate
to no touch differently. Every link whose fit with all features is within :data:`CONTEND`
of the likeliest's log-likelihood is a *contender*, its form selected as above. When the
additive link is a contender the point estimate is the additive form's credit alone
(:data:`RULE`): the data cannot reject that the channels' lifts add up, and with additive
lifts each channel's Shapley value is its own term, the one split that needs no convention
for shared lift; the noisy-OR form fits such lifts with a flatter curve for the channel most
people had, which extrapolates to fewer conversions lost without it. Otherwise (a clearly
likelier noisy-OR or logistic form) the contenders' credits are averaged by their Akaike
weights ``∝ exp(−(ℓ̂ + p))`` (``ℓ̂`` the selected form's negative log-likelihood, ``p`` its
fitted parameters). The rule was chosen on development seeds 1-25 of six truth processes
against the Akaike average, either link alone, the arg-max by Akaike or by 5-fold
cross-validated likelihood and stacking (``benchmarks/attribution_truth.py --rule-study``;
docs/metrics.md): the smallest worst error (0.044 against 0.058-0.091), then checked once
on fresh seeds. The bootstrap's replicates refit each link's selected form in
turn (replicate ``b`` the ``b mod 3``-th likeliest link's, each link's form chosen on the
data as above), with the channels that form dropped back in with all their features and
tested again (so a dropped channel gets credit in the replicates where the data support
it), so the intervals carry the model form's and the channels' selection's uncertainty as
well as the sampling. The pairs and features are not chosen again in each replicate (that
would cost some forty fits a replicate).

**Recency** needs each non-converter's window end: the journey builder counts a
non-converting journey's ages from its last touch, so ages alone would compare converters'
and non-converters' touches on different clocks. Plain :class:`Journeys` therefore get no
recency features; :class:`TimedJourneys` (``horizon``: days from the journey's end to the
end of its observation) do. On the decaying-effects process of
``benchmarks/attribution_truth.py`` they lowered the mean worst error from 0.079 to 0.052
(seeds 1-5, before the pair and feature selection, which then took it to 0.023).

**Limits.** This is an observational model: a person who likes the brand both follows it and
buys more (latent affinity), or a touch caused by the decision to buy (the visit in which the
purchase happens, searching the brand's name to find the shop), looks like a touch that
caused the purchase. Only an experiment (a holdout, a staggered start: ``goodwill lift``)
separates them. See docs/metrics.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from math import factorial
from typing import Any

import numpy as np
import numpy.typing as npt

from goodwill.attribution.paths import DIRECT, Credit, FloatArray, IntArray, Journeys

__all__ = [
    "BASELINE",
    "HILL",
    "MAX_TOUCHED",
    "MIN_WITHOUT",
    "MIN_WITHOUT_SHARE",
    "PLACEHOLDERS",
    "PRUNE",
    "RECENCY_STEP",
    "RIDGE",
    "TAUS",
    "Fit",
    "LinkCredit",
    "TimedJourneys",
    "bare_journeys",
    "fit",
    "incremental_credit",
    "incremental_credit_batch",
    "incremental_credit_draws",
    "journey_fields",
    "link_credits",
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

LINKS = ("hazard", "logit", "additive")
"""How the channels' effects combine (module docstring: conversion model)."""

HILL = (0.5, 1.0, 2.0, 4.0, 8.0)
"""Half-saturation counts ``h`` of the saturating features ``n / (n + h)``."""

STEP_HILL = 1.0
"""Hill features with ``h`` at most this are nearly a step from no touch to one: left out for
a channel that is not identified (module docstring)."""

TAUS = (1.0, 4.0, 16.0)
"""Time constants (days) of the recency features ``Σ exp(−age / τ)``."""

RECENCY_STEP = 0.05
"""The recency sums are rounded to this (a twentieth of a fresh touch): journeys that differ
by less share a feature row and are fitted once, with their weights summed (on the
3,000-person demo's channel journeys 1,619 distinct rows became 787; see
:func:`_features`)."""

CONTEND = 5.0
"""A link whose fit with every feature is within this of the likeliest link's log-likelihood
is a contender: its selected form joins the point estimate (module docstring: model form)."""

RULE = "additive-first"
"""How the point estimate weighs the links' selected forms (module docstring: model form):
``"additive-first"`` (the shipped rule: the additive form alone when the additive link is a
contender, else the contenders' Akaike average), ``"akaike"`` (the contenders' Akaike
average), ``"cv"`` (the form with the best cross-validated likelihood, :func:`_stacking`)
or ``"stacking"`` (the forms weighted by stacking). The others are kept for
``benchmarks/attribution_truth.py --rule-study``, which chose this one."""

FOLDS = 5
"""Folds of the stacking's cross-validation."""

STACK_SEED = 0
"""Seed of the deal of the people into folds (the estimate is reproducible)."""

STACK_FLOOR = 1e-3
"""A stacking weight below this is set to 0 (the form is not computed for the credit)."""

FTOL = 1e-8
"""L-BFGS-B's relative tolerance on the likelihood for a fit started from a fitted model."""

COLD_FTOL = 1e-13
"""... and for a fit from the default start: with 1e-8 the fits with every feature (about ten
near-collinear saturating columns per channel) stopped up to 70 log-likelihood units short of
their optimum (noisy-OR, 100,000 people), which decided which link looked likelier."""

PRUNE = 6.0
"""A channel whose effects raise twice the log-likelihood by less than this is dropped."""

FEATURE_PRUNE = 4.0
"""... and then a single feature of a kept channel that raises it by less than this."""

FEATURE_TRIES = 4
"""The weakest features (by their Wald statistics) tried for dropping in each round."""


def _expit(lin: FloatArray) -> FloatArray:
    """The logistic ``1 / (1 + e^−lin)`` without overflow at any ``lin`` (SciPy's ``expit``)."""
    from scipy.special import expit  # type: ignore[import-untyped]

    return np.asarray(expit(lin), dtype=np.float64)


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
    """A fitted model: its ``link``, intercept ``h0`` (the baseline's hazard, probability or
    log-odds) and effects ``lam`` (k, features), and the ``gamma`` of its ``pairs``."""

    link: str
    h0: float
    lam: FloatArray
    nll: float
    pairs: tuple[tuple[int, int], ...] = ()
    """Pairs of channels with an interaction term (``γ · 1[both touched]``)."""
    gamma: FloatArray = field(default_factory=lambda: np.zeros(0))
    allowed: npt.NDArray[np.bool_] | None = None
    """The features (k, f) that were free to have an effect (``None``: all)."""

    def probability(self, lin: FloatArray) -> FloatArray:
        """``P`` at linear predictor ``lin`` (intercept included)."""
        if self.link == "hazard":
            return np.asarray(-np.expm1(-lin), dtype=np.float64)
        if self.link == "additive":
            return np.clip(lin, 0.0, 1.0)
        return _expit(lin)

    @property
    def baseline_probability(self) -> float:
        return float(self.probability(np.array([self.h0]))[0])


@dataclass(frozen=True, kw_only=True)
class TimedJourneys(Journeys):
    """:class:`Journeys` that know when each journey's observation ended: ``horizon[j]`` days
    from journey ``j``'s end (its conversion, or for a journey that did not convert its last
    touch) to the end of the window it was watched in (0 for a converting journey). A touch's
    age at the journey's outcome is then ``touch_age + horizon``, on one clock for converters
    and non-converters alike (module docstring: recency)."""

    horizon: FloatArray

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.horizon) != self.n:
            raise ValueError("horizon must have n entries")
        if np.any(self.horizon < 0):
            raise ValueError("horizon must not be negative")

    def untimed(self) -> Journeys:
        """The same journeys without their window ends (no recency features)."""
        return Journeys(**journey_fields(self))

    def subset(self, mask: npt.NDArray[np.bool_]) -> TimedJourneys:
        plain = super().subset(mask)
        return TimedJourneys(**journey_fields(plain), horizon=self.horizon[mask])

    def reweighted(
        self, conversions: FloatArray, value: FloatArray, nulls: FloatArray
    ) -> TimedJourneys:
        plain = super().reweighted(conversions, value, nulls)
        return TimedJourneys(**journey_fields(plain), horizon=self.horizon)


def journey_fields(j: Journeys) -> dict[str, Any]:
    """The fields of a plain :class:`Journeys` (to build it again, or a :class:`TimedJourneys`)."""
    return {
        "channels": j.channels,
        "offsets": j.offsets,
        "touch_channel": j.touch_channel,
        "touch_age": j.touch_age,
        "conversions": j.conversions,
        "value": j.value,
        "nulls": j.nulls,
    }


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


def _features(journeys: Journeys) -> FloatArray:
    """``(n, k, f)``: each journey's features per channel (module docstring): the count, the
    :data:`HILL` saturating counts and, for :class:`TimedJourneys`, the :data:`TAUS` recency
    sums."""
    return _features_of(_feature_keys(journeys))


def _feature_keys(journeys: Journeys) -> npt.NDArray[np.int32]:
    """``(n, k, 1 + len(TAUS))`` (``(n, k, 1)`` untimed) small integers that determine each
    journey's features (:func:`_features_of`): per channel the count (at most
    :data:`MAX_COUNT`) and the recency sums in :data:`RECENCY_STEP` units. A tenth of the
    features' memory, and in the features' order: rows sort alike (:func:`_design`)."""
    k, n = len(journeys.channels), journeys.n
    tj = journeys.touch_journey
    cell = tj * k + journeys.touch_channel
    count = np.bincount(cell, minlength=n * k).reshape(n, k)
    keys = [np.minimum(count, MAX_COUNT).astype(np.int32)]
    if isinstance(journeys, TimedJourneys):
        age = journeys.touch_age + journeys.horizon[tj]
        for tau in TAUS:
            w = np.exp(-age / tau)
            recency = np.bincount(cell, weights=w, minlength=n * k).reshape(n, k)
            keys.append(np.round(recency / RECENCY_STEP).astype(np.int32))
    return np.stack(keys, axis=2)


def _features_of(keys: npt.NDArray[np.int32]) -> FloatArray:
    """The features (module docstring) of :func:`_feature_keys`' keys: ``(..., k, f)``."""
    count = keys[..., 0].astype(np.float64)
    cols = [count, *(count / (count + h) for h in HILL)]
    cols += [keys[..., 1 + i].astype(np.float64) * RECENCY_STEP for i in range(keys.shape[-1] - 1)]
    return np.stack(cols, axis=-1)


_STEP = tuple(1 + i for i, h in enumerate(HILL) if h <= STEP_HILL)
"""Which features (indices in :func:`_features`) are nearly a step."""


def _design(journeys: Journeys) -> _Design:
    """The distinct feature rows of the fitted journeys, found on the small integer keys
    (:func:`_feature_keys`), whose rows sort as the features' do (each feature a rising
    function of one key), so the rows and their order are those of the features."""
    n = journeys.n
    bare = bare_journeys(journeys)
    keys = _feature_keys(journeys)
    fitted = np.flatnonzero(~bare)
    shape = keys.shape[1:]
    rows, inverse = np.unique(keys[fitted].reshape(len(fitted), -1), axis=0, return_inverse=True)
    del keys
    row = np.full(n, -1, dtype=np.int64)
    row[fitted] = inverse.reshape(-1)
    ux = _features_of(rows.reshape(len(rows), *shape))
    return _Design(x=ux, row=row, present=ux.max(axis=2) > 0)


def _row_weights(design: _Design, weights: FloatArray) -> FloatArray:
    """Sum ``weights`` (per journey; ``(B, n)`` or ``(n,)``) per distinct feature row."""
    return _row_sums(design, weights)[..., :-1]


def _row_sums(design: _Design, weights: FloatArray) -> FloatArray:
    """Sum ``weights`` (per journey; ``(B, n)`` or ``(n,)``) per distinct feature row, and
    (last) over the journeys not fitted: ``(B, u+1)`` or ``(u+1,)``. The fits and the credit
    need no more of the journeys' weights (:func:`_fractions`)."""
    u = len(design.x)
    rows = np.where(design.row >= 0, design.row, u)
    if weights.ndim == 1:
        return np.bincount(rows, weights=weights, minlength=u + 1).astype(np.float64)
    out = np.empty((len(weights), u + 1))
    for b, w in enumerate(weights):
        out[b] = np.bincount(rows, weights=w, minlength=u + 1)
    return out


def _pair_columns(x: FloatArray, pairs: tuple[tuple[int, int], ...]) -> FloatArray:
    """``(u, len(pairs))``: 1 where the row touched both channels of the pair."""
    touched = x[:, :, 0] > 0
    cols = [touched[:, c] & touched[:, d] for c, d in pairs]
    return np.stack(cols, axis=1).astype(np.float64) if cols else np.zeros((len(x), 0))


def _fit(
    x: FloatArray,
    w1: FloatArray,
    w0: FloatArray,
    link: str,
    start: FloatArray | None = None,
    allowed: npt.NDArray[np.bool_] | None = None,
    pairs: tuple[tuple[int, int], ...] = (),
) -> Fit:
    """Maximum likelihood of the conversion model (module docstring) with ``link`` on feature
    rows ``x`` (u, k, f) with ``w1`` conversions and ``w0`` non-conversions per row; only the
    features ``allowed`` (k, f) may have an effect (all when ``None``), and the ``pairs``
    have an interaction term. ``start``: ``[h0, lam, gamma]``."""
    from scipy.optimize import minimize  # type: ignore[import-untyped]

    u, k, f = x.shape
    free = np.ones((k, f), dtype=bool) if allowed is None else allowed
    # each feature fitted on the scale of its largest value (same optimum, far fewer steps)
    design = np.concatenate([x.reshape(u, k * f), _pair_columns(x, pairs)], axis=1)
    col = np.max(np.abs(design), axis=0, initial=0.0)
    col = np.where(col > 0, col, 1.0)
    # only the free features are optimised: a fixed one (0) adds nothing to the predictor,
    # and after the selection most are fixed (the products shrink with them)
    idx = np.flatnonzero(np.concatenate([free.reshape(-1), np.ones(len(pairs), dtype=bool)]))
    col = col[idx]
    flat = np.ascontiguousarray(design[:, idx] / col)
    total = float(w1.sum() + w0.sum())
    scale = total if total > 0 else 1.0
    alpha = RIDGE * total
    rate = min(max(float(w1.sum()) / scale, 1e-6), 0.99)
    ftol = FTOL if start is not None else COLD_FTOL
    if start is None:
        if link == "hazard":
            h = -np.log1p(-rate) / 2
        elif link == "additive":
            h = rate / 2
        else:
            h = float(np.log(rate / (1 - rate))) - 1
        start = np.concatenate([[h], np.full(k * f + len(pairs), 0.01)])
    has1 = w1 > 0

    def objective(theta: FloatArray) -> tuple[float, FloatArray]:
        # einsum, not BLAS: threaded BLAS costs more than these small products
        lin = theta[0] + np.einsum("ij,j->i", flat, theta[1:])
        if link == "hazard":
            lin = np.maximum(lin, 1e-12)
            # −log P = −log(1 − e^−h); d/dh = −1 / expm1(h) = −e^−h / (1 − e^−h), the
            # last form without overflow at large h
            p1 = -np.expm1(-lin[has1])
            nll = float(np.sum(w0 * lin) - np.sum(w1[has1] * np.log(p1)))
            dlin = w0.copy()
            dlin[has1] -= w1[has1] * np.exp(-lin[has1]) / p1
        elif link == "additive":
            nll, dlin = _additive_nll(lin, w1, w0)
        else:
            # −log σ(z) = log(1 + e^−z), −log(1 − σ(z)) = log(1 + e^z): logaddexp, stable
            nll = float(np.sum(w1 * np.logaddexp(0.0, -lin) + w0 * np.logaddexp(0.0, lin)))
            dlin = (w1 + w0) * _expit(lin) - w1
        grad = np.concatenate([[dlin.sum()], np.einsum("ij,i->j", flat, dlin)])
        lam = theta[1:] / col
        nll += alpha * float(np.sum(lam * lam))
        grad[1:] += 2 * alpha * lam / col
        return nll / scale, grad / scale

    low = 1e-9 if link in ("hazard", "additive") else None
    bounds = [(low, None)] + [(0.0, None)] * len(idx)
    start = np.asarray(start, dtype=np.float64)
    start = np.concatenate([start[:1], start[1:][idx] * col])
    res = minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 1000, "ftol": ftol, "gtol": 1e-6},
    )
    theta = np.zeros(1 + k * f + len(pairs))
    theta[0] = res.x[0]
    theta[1:][idx] = np.asarray(res.x[1:], dtype=np.float64) / col
    return Fit(
        link=link,
        h0=float(theta[0]),
        lam=theta[1 : 1 + k * f].reshape(k, f),
        nll=float(res.fun) * scale,
        pairs=pairs,
        gamma=theta[1 + k * f :],
        allowed=free.copy(),
    )


_EDGE = 1e-6


def _additive_nll(lin: FloatArray, w1: FloatArray, w0: FloatArray) -> tuple[float, FloatArray]:
    """``−Σ w1 log P + w0 log(1 − P)`` at ``P = min(lin, 1)`` (``lin ≥ 0``) and its gradient;
    below ``ε`` and above ``1 − ε`` the logs continued by their tangents (convex, finite)."""
    p1 = np.clip(lin, _EDGE, 1.0)
    p0 = np.minimum(lin, 1 - _EDGE)
    nll = float(
        np.sum(w1 * (-np.log(p1) - np.minimum(lin - _EDGE, 0.0) / _EDGE))
        + np.sum(w0 * (-np.log1p(-p0) + np.maximum(lin - 1 + _EDGE, 0.0) / _EDGE))
    )
    dlin = np.where(lin > 1.0, 0.0, -w1 / p1) + w0 / (1 - p0)
    return nll, dlin


def _refit(
    x: FloatArray,
    w1: FloatArray,
    w0: FloatArray,
    model: Fit,
    allowed: npt.NDArray[np.bool_] | None = None,
    pairs: tuple[tuple[int, int], ...] | None = None,
    start_lam: FloatArray | None = None,
) -> Fit:
    """``model``'s form refitted to the weights ``w1``, ``w0`` from ``model``'s estimate (or
    ``start_lam``), with the ``allowed`` features and the ``pairs`` (``model``'s when
    ``None``)."""
    allowed = model.allowed if allowed is None else allowed
    pairs = model.pairs if pairs is None else pairs
    lam = model.lam if start_lam is None else start_lam
    if allowed is not None:
        lam = np.where(allowed, lam, 0.0)
    old = dict(zip(model.pairs, model.gamma, strict=True))
    gamma = [old.get(pr, 0.01) for pr in pairs]
    start = np.concatenate([[model.h0], lam.reshape(-1), gamma])
    return _fit(x, w1, w0, model.link, start, allowed, pairs)


_FORMS: dict[bytes, list[list[Any]]] = {}
"""The last few data's fits per link (:func:`_forms`): a bootstrap needs the point estimate's
selection again."""


def _forms(
    x: FloatArray,
    w1: FloatArray,
    w0: FloatArray,
    allowed: npt.NDArray[np.bool_],
    *,
    every_link: bool = False,
) -> list[tuple[Fit, Fit]]:
    """Per link, its fit with the ``allowed`` features and its selected form (:func:`_prune`),
    the likelier link first; only the :func:`_contender` links' forms, or (``every_link``)
    every link's. Remembered for the last few data (the same numbers, computed once)."""
    digest = hashlib.blake2b(digest_size=16)
    for a in (x, w1, w0, allowed):
        digest.update(np.ascontiguousarray(a).tobytes())
    key = digest.digest()
    entry = _FORMS.get(key)
    if entry is None:
        fits = sorted((_fit(x, w1, w0, name, allowed=allowed) for name in LINKS), key=_nll)
        entry = [[f, None] for f in fits]
        _FORMS[key] = entry
        while len(_FORMS) > 4:
            _FORMS.pop(next(iter(_FORMS)))
    best = entry[0][0]
    for e in entry:
        if e[1] is None and (every_link or _contender(e[0], best)):
            e[1] = _prune(x, w1, w0, e[0], tuple(range(x.shape[1])))
    return [(f, p) for f, p in entry if p is not None]


def _contender(full: Fit, best: Fit) -> bool:
    """Whether a link's fit with every feature is within :data:`CONTEND` of the likeliest
    link's log-likelihood: its selected form joins the point estimate's average."""
    return full.nll - best.nll <= CONTEND


def _nll(model: Fit) -> float:
    return model.nll


def _free(model: Fit) -> int:
    """The fitted parameters of ``model``: the intercept, the effects and the pairs' terms."""
    return 1 + int(np.count_nonzero(model.lam > 0)) + len(model.pairs)


def _rule_weights(
    rule: str,
    forms: list[tuple[Fit, Fit]],
    stacking: FloatArray | None = None,
    cv_nll: FloatArray | None = None,
) -> FloatArray:
    """Each of ``forms``' (the links' fits and selected forms, the likeliest link first)
    weight in the point estimate under ``rule`` (:data:`RULE`; module docstring: model form).
    ``"akaike"``: the contender links' Akaike weights ``∝ exp(−AIC / 2)``, ``AIC = 2 ·
    (−log-likelihood + parameters)``, 0 for the others; ``"additive-first"``: 1 for the
    additive form when the additive link is a contender, else the Akaike weights; ``"cv"``: 1
    for the form with the least cross-validated negative log-likelihood ``cv_nll``;
    ``"stacking"``: the ``stacking`` weights (both from :func:`_stacking`, over ``forms``)."""
    best = forms[0][0]
    near = np.array([_contender(f, best) for f, _ in forms])
    out = np.zeros(len(forms))
    if rule == "additive-first":
        tied = [i for i, (_, p) in enumerate(forms) if near[i] and p.link == "additive"]
        if tied:
            out[tied[0]] = 1.0
            return out
        rule = "akaike"
    if rule == "akaike":
        aic = np.array([p.nll + _free(p) for _, p in forms])[near]
        w = np.exp(-(aic - aic.min()))
        out[near] = w / w.sum()
        return out
    if rule == "cv" and cv_nll is not None:
        out[int(np.argmin(cv_nll))] = 1.0
        return out
    if rule == "stacking" and stacking is not None:
        return np.asarray(stacking, dtype=np.float64)
    raise ValueError(f"unknown rule {rule!r} (or its cross-validation not given)")


def _select(
    x: FloatArray, w1: FloatArray, w0: FloatArray, allowed: npt.NDArray[np.bool_]
) -> list[tuple[float, Fit]]:
    """The links' selected forms with their weights under :data:`RULE` (the forms with
    weight 0 left out)."""
    if RULE in ("additive-first", "akaike"):
        forms = _forms(x, w1, w0, allowed)
        weights = _rule_weights(RULE, forms)
    else:
        forms = _forms(x, w1, w0, allowed, every_link=True)
        weights = _rule_weights(RULE, forms, *_stacking(x, w1, w0, [p for _, p in forms]))
    return [(float(w), p) for w, (_, p) in zip(weights, forms, strict=True) if w > 0]


def _folds(w: FloatArray, rng: np.random.Generator) -> FloatArray:
    """``(FOLDS, u)``: the weights ``w`` (people per feature row) dealt at random into
    :data:`FOLDS` folds, each person to one fold with equal chance (a row's whole people
    multinomially; a fractional remainder to one random fold), so the folds sum to ``w``."""
    whole = np.floor(w)
    out = rng.multinomial(whole.astype(np.int64), np.full(FOLDS, 1.0 / FOLDS)).T.astype(np.float64)
    rest = w - whole
    pick = rng.integers(0, FOLDS, size=len(w))
    out[pick, np.arange(len(w))] += rest
    return out


def _stacking(
    x: FloatArray, w1: FloatArray, w0: FloatArray, models: list[Fit]
) -> tuple[FloatArray, FloatArray]:
    """Stacking weights of ``models`` (the links' selected forms) and each one's
    cross-validated negative log-likelihood (module docstring: model form): the people are
    dealt into :data:`FOLDS` folds (:func:`_folds`, a fixed seed); each form is refitted
    without each fold (its selection kept) and predicts the fold's people; the weights
    ``π`` (on the simplex) maximise the out-of-fold log-likelihood of the mixture,
    ``Σ_i log Σ_l π_l P_l(y_i)``, by EM."""
    lik, count = _out_of_fold(x, w1, w0, models)
    return _mixture_weights(lik, count), -(count @ np.log(lik))


def _out_of_fold(
    x: FloatArray, w1: FloatArray, w0: FloatArray, models: list[Fit]
) -> tuple[FloatArray, FloatArray]:
    """The out-of-fold likelihoods (:func:`_stacking`): ``lik`` (cells, forms), each held-out
    cell's (fold, row, converted or not) probability under each form refitted without its
    fold, and ``count`` (cells), its people."""
    rng = np.random.default_rng(STACK_SEED)
    f1, f0 = _folds(w1, rng), _folds(w0, rng)
    m = len(models)
    # out-of-fold probability of converting, per fold, row and form
    p = np.empty((FOLDS, len(w1), m))
    for k in range(FOLDS):
        for i, model in enumerate(models):
            trained = _refit(x, w1 - f1[k], w0 - f0[k], model)
            p[k, :, i] = _row_probability(x, trained)
    p = np.clip(p, 1e-12, 1 - 1e-12)
    # the held-out people's likelihood under each form: converters P, the others 1 − P
    lik = np.concatenate([p, 1 - p], axis=1).reshape(-1, m)
    count = np.concatenate([f1, f0], axis=1).reshape(-1)
    keep = count > 0
    return lik[keep], count[keep]


def _mixture_weights(lik: FloatArray, count: FloatArray) -> FloatArray:
    """The weights ``π`` on the simplex that maximise ``Σ_r count_r log Σ_l π_l lik_rl``
    (concave: SLSQP finds the maximum; EM crawls where the forms predict alike); a weight
    below :data:`STACK_FLOOR` set to 0."""
    from scipy.optimize import minimize

    m = lik.shape[1]
    # relative to the best single form's likelihood per row: same optimum, better scaled
    rel = lik / lik.max(axis=1, keepdims=True)
    total = float(count.sum())

    def objective(pi: FloatArray) -> tuple[float, FloatArray]:
        mix = np.maximum(rel @ pi, 1e-300)
        return -float(count @ np.log(mix)) / total, -((count / mix) @ rel) / total

    res = minimize(
        objective,
        np.full(m, 1.0 / m),
        jac=True,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * m,
        constraints=[{"type": "eq", "fun": lambda pi: float(pi.sum()) - 1.0}],
        options={"maxiter": 500, "ftol": 1e-14},
    )
    pi = np.clip(np.asarray(res.x, dtype=np.float64), 0.0, None)
    pi = np.where(pi < STACK_FLOOR, 0.0, pi)
    return np.asarray(pi / pi.sum(), dtype=np.float64)


def _row_probability(x: FloatArray, model: Fit) -> FloatArray:
    """Each feature row's probability of converting under ``model``."""
    eta = np.einsum("ukf,kf->u", x, model.lam)
    pairs = _pair_columns(x, model.pairs)
    return model.probability(model.h0 + eta + pairs @ model.gamma)


def _prune(
    x: FloatArray,
    w1: FloatArray,
    w0: FloatArray,
    model: Fit,
    candidates: tuple[int, ...],
    *,
    structure: bool = True,
) -> Fit:
    """Model selection by likelihood ratios (module docstring): while dropping one of the
    ``candidates`` (channels) lowers twice the log-likelihood by less than :data:`PRUNE`, drop
    the one that lowers it least; then (``structure``) add the pair interaction that raises
    it most while that is at least :data:`PRUNE`, and drop single features of the kept
    channels while one lowers it by less than :data:`FEATURE_PRUNE`."""
    k = model.lam.shape[0]
    while True:
        best: tuple[float, Fit] | None = None
        for c in candidates:
            if model.lam[c].sum() <= 0:
                continue
            assert model.allowed is not None
            trial = model.allowed.copy()
            trial[c] = False
            pairs = tuple(pr for pr in model.pairs if c not in pr)
            m = _refit(x, w1, w0, model, trial, pairs)
            gain = m.nll - model.nll
            if best is None or gain < best[0]:
                best = (gain, m)
        if best is None or 2 * best[0] >= PRUNE:
            break
        model = best[1]
    if not structure:
        return model
    active = [c for c in range(k) if model.lam[c].sum() > 0]
    while True:
        best = None
        for i, c in enumerate(active):
            for d in active[i + 1 :]:
                if (c, d) in model.pairs:
                    continue
                m = _refit(x, w1, w0, model, pairs=(*model.pairs, (c, d)))
                gain = model.nll - m.nll
                if best is None or gain > best[0]:
                    best = (gain, m)
        if best is None or 2 * best[0] < PRUNE:
            break
        model = best[1]
    while True:
        best = None
        for c, g in _wald_order(x, w1, w0, model)[:FEATURE_TRIES]:
            assert model.allowed is not None
            trial = model.allowed.copy()
            trial[c, g] = False
            m = _refit(x, w1, w0, model, trial)
            gain = m.nll - model.nll
            if best is None or gain < best[0]:
                best = (gain, m)
        if best is None or 2 * best[0] >= FEATURE_PRUNE:
            return model
        model = best[1]


def _wald_order(x: FloatArray, w1: FloatArray, w0: FloatArray, model: Fit) -> list[tuple[int, int]]:
    """The features with an effect, in the order of their Wald statistics ``λ² / Var(λ)``
    (from the expected information at ``model``), weakest first; a channel's only feature
    left out (the channels' test decides on it)."""
    u, k, f = x.shape
    lam = model.lam.reshape(-1)
    idx = np.flatnonzero(lam > 0)
    per_channel = np.count_nonzero(model.lam > 0, axis=1)
    idx = idx[per_channel[idx // f] > 1]
    if len(idx) == 0:
        return []
    flat = np.concatenate([x.reshape(u, k * f), _pair_columns(x, model.pairs)], axis=1)
    theta = np.concatenate([lam, model.gamma])
    p = np.clip(model.probability(model.h0 + flat @ theta), 1e-12, 1 - 1e-12)
    n = w1 + w0
    # expected information of the linear predictor: P'(lin)² / (P (1 − P)) per trial
    if model.link == "hazard":
        info = n * (1 - p) / p
    elif model.link == "additive":
        info = n / (p * (1 - p))
    else:
        info = n * p * (1 - p)
    free = np.flatnonzero(theta > 0)
    z = np.concatenate([np.ones((u, 1)), flat[:, free]], axis=1)
    j = (z * info[:, None]).T @ z
    j[1:, 1:] += 2 * RIDGE * float(n.sum()) * np.eye(len(free))
    var = np.diag(np.linalg.pinv(j))
    pos = {int(c): i + 1 for i, c in enumerate(free)}
    wald = [lam[i] ** 2 / max(float(var[pos[int(i)]]), 1e-300) for i in idx]
    order = np.argsort(wald)
    return [(int(idx[o] // f), int(idx[o] % f)) for o in order]


def _allowed(x: FloatArray, smooth: tuple[int, ...]) -> npt.NDArray[np.bool_]:
    """The features that may have an effect: all but the step-like ones of the ``smooth``
    (unidentified) channels."""
    out = np.ones(x.shape[1:], dtype=bool)
    for c in smooth:
        out[c, list(_STEP)] = False
    return out


def _one_blas_thread() -> AbstractContextManager[object]:
    """L-BFGS-B's many small products cost 30 times more CPU with threaded BLAS (measured on
    the truth processes), so the fits run with one BLAS thread."""
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    limits: AbstractContextManager[object] = threadpool_limits(limits=1, user_api="blas")
    return limits


def fit(journeys: Journeys) -> Fit:
    """The fitted conversion model of ``journeys`` (module docstring) with the largest weight
    among the contender links."""
    d = _design(journeys)
    with _one_blas_thread():
        w1, w0 = _row_weights(d, journeys.conversions), _row_weights(d, journeys.nulls)
        return max(_select(d.x, w1, w0, _allowed(d.x, _smooth(journeys))), key=_weight)[1]


def _smooth(journeys: Journeys) -> tuple[int, ...]:
    """The channels fitted without the step-like features: the :func:`unidentified` ones."""
    return tuple(journeys.channels.index(c) for c in unidentified(journeys))


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
        lin = model.h0 + sub @ bits.T  # (g, 2^m)
        where = {int(c): i for i, c in enumerate(cols)}
        for (a, b), gamma in zip(model.pairs, model.gamma, strict=True):
            if a in where and b in where:
                lin = lin + gamma * bits[:, where[a]] * bits[:, where[b]]
        v = model.probability(lin) - p0  # v(S) = P(S) − P(∅); (g, 2^m)
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


def _weight(item: tuple[float, Fit]) -> float:
    return item[0]


def _fractions(design: _Design, model: Fit) -> FloatArray:
    """``(u+1, k+1)``: the share of the conversions of each distinct feature row credited to
    each channel and (last) to the baseline; the last row, the journeys not fitted
    (conversions without a touch), all to the baseline. A journey's share is its row's, so
    the credit is :func:`_row_sums` of the weights times these."""
    eta = np.einsum("ukf,kf->uk", design.x, model.lam)
    per_row = _shapley_rows(eta, design.present, model)
    k = design.x.shape[1]
    out = np.zeros((len(per_row) + 1, k + 1))
    out[:-1] = per_row
    out[-1, k] = 1.0
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
    smooth = _smooth(journeys)
    conv, value = _row_sums(d, journeys.conversions), _row_sums(d, journeys.value)
    with _one_blas_thread():
        w1, w0 = conv[:-1], _row_weights(d, journeys.nulls)
        models = _select(d.x, w1, w0, _allowed(d.x, smooth))
        frac = np.zeros((len(d.x) + 1, len(channels)))
        for w, m in models:
            frac += w * _fractions(d, m)
    return Credit(channels=channels, conversions=conv @ frac, value=value @ frac)


@dataclass(frozen=True, kw_only=True)
class LinkCredit:
    """One link's selected form (:func:`link_credits`): its weight in the point estimate (0
    when it is not a contender), ``aic`` (``−log-likelihood + parameters``, half the Akaike
    criterion) and the credit it alone gives."""

    link: str
    weight: float
    aic: float
    credit: Credit
    akaike: float = 0.0
    """Its Akaike weight (0 when not a contender)."""
    stacking: float = 0.0
    """Its stacking weight (:func:`_stacking`)."""
    stacking_contenders: float = 0.0
    """Its stacking weight among the contenders only (0 when not a contender)."""
    cv_nll: float = 0.0
    """Its cross-validated negative log-likelihood (:func:`_stacking`)."""


def link_credits(journeys: Journeys) -> list[LinkCredit]:
    """Every link's selected form and its credit, the link likelier with every feature first
    (module docstring: model form): what the point estimate of :func:`incremental_credit`
    averages, for checking how far the links' answers lie apart where the data cannot tell
    the links apart."""
    channels = (*journeys.channels, BASELINE)
    d = _design(journeys)
    if journeys.conversions.sum() == 0:
        return []
    conv, value = _row_sums(d, journeys.conversions), _row_sums(d, journeys.value)
    out = []
    with _one_blas_thread():
        w1, w0 = conv[:-1], _row_weights(d, journeys.nulls)
        forms = _forms(d.x, w1, w0, _allowed(d.x, _smooth(journeys)), every_link=True)
        akaike = _rule_weights("akaike", forms)
        lik, count = _out_of_fold(d.x, w1, w0, [m for _, m in forms])
        stack, cv_nll = _mixture_weights(lik, count), -(count @ np.log(lik))
        weights = _rule_weights(RULE, forms, stack, cv_nll)
        near = [i for i, (f, _) in enumerate(forms) if _contender(f, forms[0][0])]
        near_stack = np.zeros(len(forms))
        near_stack[near] = _mixture_weights(lik[:, near], count)
        for i, (_, m) in enumerate(forms):
            frac = _fractions(d, m)
            credit = Credit(channels=channels, conversions=conv @ frac, value=value @ frac)
            out.append(
                LinkCredit(
                    link=m.link,
                    weight=float(weights[i]),
                    aic=m.nll + _free(m),
                    credit=credit,
                    akaike=float(akaike[i]),
                    stacking=float(stack[i]),
                    stacking_contenders=float(near_stack[i]),
                    cv_nll=float(cv_nll[i]),
                )
            )
    return out


def incremental_credit_batch(
    journeys: Journeys,
    conversions: FloatArray,
    value: FloatArray,
    nulls: FloatArray,
    *,
    seed: int = 0,
) -> tuple[FloatArray, FloatArray]:
    """Credited conversions and value ``(B, k+1)`` of every replicate's weights (``(B, n)``
    arrays: the bootstrap's resampled people), each refitted from the selected form of one of
    the links, in turn (module docstring). An unidentified channel's credit plus the
    baseline's is split at random between them in each replicate (module docstring)."""
    return incremental_credit_draws(journeys, [(conversions, value, nulls)], seed=seed)


def incremental_credit_draws(
    journeys: Journeys,
    draws: Iterable[tuple[FloatArray, FloatArray, FloatArray]],
    *,
    seed: int = 0,
) -> tuple[FloatArray, FloatArray]:
    """:func:`incremental_credit_batch` of the replicates' weights given a block of
    replicates at a time: ``(conversions, value, nulls)``, each ``(c, n)``, in replicate
    order. Each block is summed per distinct feature row as it comes (:func:`_row_sums`), so
    the memory is one block's, not ``B × n``."""
    d = _design(journeys)
    k = len(journeys.channels)
    sums: list[tuple[FloatArray, FloatArray, FloatArray]] = [
        (_row_sums(d, c), _row_sums(d, v), _row_sums(d, nl)) for c, v, nl in draws
    ]
    empty = np.zeros((0, len(d.x) + 1))
    conversions, value, nulls = (
        np.concatenate([s[i] for s in sums]) if sums else empty for i in range(3)
    )
    reps = conversions.shape[0]
    conv_out = np.zeros((reps, k + 1))
    val_out = np.zeros((reps, k + 1))
    if reps == 0 or journeys.conversions.sum() == 0:
        return conv_out, val_out
    w1 = conversions[:, :-1]
    w0 = nulls[:, :-1]
    smooth = _smooth(journeys)
    with _one_blas_thread():
        pw1 = _row_weights(d, journeys.conversions)
        pw0 = _row_weights(d, journeys.nulls)
        allowed = _allowed(d.x, smooth)
        points = _forms(d.x, pw1, pw0, allowed, every_link=True)
        for b in range(reps):
            if conversions[b].sum() == 0:
                continue
            full, pruned = points[b % len(points)]
            # refit the link's selected form; a channel the point estimate dropped comes back
            # with all its features and is tested again
            assert pruned.allowed is not None
            dropped = tuple(c for c in range(k) if pruned.lam[c].sum() <= 0)
            form = pruned.allowed.copy()
            form[list(dropped)] = allowed[list(dropped)]
            lam = pruned.lam.copy()
            lam[list(dropped)] = full.lam[list(dropped)]
            model = _refit(d.x, w1[b], w0[b], pruned, form, start_lam=lam)
            model = _prune(d.x, w1[b], w0[b], model, dropped, structure=False)
            frac = _fractions(d, model)
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
