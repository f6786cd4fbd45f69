"""Shapley-value attribution over channel coalitions.

Each journey is reduced to the *set* of channels it touched, ``T``. For a coalition of
channels ``S`` the characteristic function is what the journeys using only channels of ``S``
produced:

    v(S) = Σ_{T ⊆ S} y(T)

where ``y(T)`` is the conversions (or the value) of the journeys whose channel set is exactly
``T``. Channel ``i`` gets its Shapley value

    φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S))

so that ``Σ_i φ_i = v(N)`` = all conversions (value). With ``characteristic="rate"`` the
function is instead ``v(S) = Σ_{T ⊆ S} rate(T)`` with ``rate(T) = conversions(T) /
(conversions(T) + nulls(T))`` — the conversion rate of the journeys that saw exactly ``T`` —
and the resulting shares ``φ_i / Σ φ`` split the total conversions and value.

Exact: ``v`` is computed for all ``2^n`` coalitions with a subset-sum (zeta) transform, so
``n`` up to about 16 channels is fast; ``n > 20`` is refused.
"""

from __future__ import annotations

from math import factorial

import numpy as np

from goodwill.attribution.paths import Credit, FloatArray, IntArray, Journeys

__all__ = ["MAX_CHANNELS", "channel_sets", "shapley_credit", "shapley_values"]

MAX_CHANNELS = 20


def channel_sets(journeys: Journeys) -> IntArray:
    """The bitmask of the distinct channels of each journey."""
    bits = np.left_shift(np.int64(1), journeys.touch_channel)
    if journeys.n == 0:
        return np.zeros(0, dtype=np.int64)
    return np.bitwise_or.reduceat(bits, journeys.offsets[:-1]).astype(np.int64)


def _subset_sums(y: FloatArray, n: int) -> FloatArray:
    """``v[S] = Σ_{T ⊆ S} y[T]`` for all ``2^n`` masks (zeta transform)."""
    v = y.copy()
    idx = np.arange(1 << n)
    for i in range(n):
        has = (idx >> i) & 1 == 1
        v[has] += v[idx[has] ^ (1 << i)]
    return v


def shapley_values(v: FloatArray, n: int) -> FloatArray:
    """Shapley value of each of ``n`` players from the characteristic function ``v`` (indexed
    by bitmask)."""
    idx = np.arange(1 << n)
    size = _popcount(idx)
    weight = np.array(
        [factorial(s) * factorial(n - s - 1) / factorial(n) if s < n else 0.0 for s in range(n + 1)]
    )
    phi = np.zeros(n)
    for i in range(n):
        without = idx[(idx >> i) & 1 == 0]
        phi[i] = np.sum(weight[size[without]] * (v[without | (1 << i)] - v[without]))
    return phi


def _popcount(idx: IntArray) -> IntArray:
    count = np.zeros_like(idx)
    x = idx.copy()
    while np.any(x):
        count += x & 1
        x >>= 1
    return count


def shapley_credit(journeys: Journeys, *, characteristic: str = "conversions") -> Credit:
    """Credit per channel by Shapley values (module docstring)."""
    n = len(journeys.channels)
    if n > MAX_CHANNELS:
        raise ValueError(f"Shapley attribution is exact and limited to {MAX_CHANNELS} channels")
    if characteristic not in ("conversions", "rate"):
        raise ValueError("characteristic must be 'conversions' or 'rate'")
    masks = channel_sets(journeys)
    size = 1 << n
    conv = np.bincount(masks, weights=journeys.conversions, minlength=size).astype(np.float64)
    val = np.bincount(masks, weights=journeys.value, minlength=size).astype(np.float64)
    if characteristic == "conversions":
        phi_conv = shapley_values(_subset_sums(conv, n), n)
        phi_val = shapley_values(_subset_sums(val, n), n)
        return Credit(channels=journeys.channels, conversions=phi_conv, value=phi_val)
    nulls = np.bincount(masks, weights=journeys.nulls, minlength=size).astype(np.float64)
    total = conv + nulls
    rate = np.divide(conv, total, out=np.zeros(size), where=total > 0)
    phi = shapley_values(_subset_sums(rate, n), n)
    phi_sum = phi.sum()
    share = phi / phi_sum if phi_sum > 0 else np.zeros(n)
    return Credit(
        channels=journeys.channels,
        conversions=share * journeys.conversions.sum(),
        value=share * journeys.value.sum(),
    )
