"""Rule-based attribution: each journey's conversions and value split over its touches.

Every rule gives each touch ``t`` of a journey ``j`` a weight ``w_t ≥ 0`` with
``Σ_{t ∈ j} w_t = 1``; channel ``c`` is credited ``Σ_{t: channel(t)=c} w_t · conversions_j``
conversions and ``Σ w_t · value_j`` value. So credit always sums to the conversions and the
value of the journeys.

* **first** — ``w = 1`` on the first touch.
* **last** — ``w = 1`` on the last touch.
* **last_non_direct** — ``w = 1`` on the last touch whose channel is not ``direct`` (source
  ``(direct)``); the last touch when every touch is direct.
* **linear** — ``w = 1 / n`` on each of the ``n`` touches.
* **time_decay** — ``w ∝ 2^(−age / half_life)``, age in days before the conversion
  (default half-life 7 days).
* **position** — 40/20/40: ``0.4`` on the first and on the last touch and ``0.2`` shared equally
  by the touches between; a single touch gets 1, two touches 0.5 each.

All rules are vectorised over the flat touch arrays (no Python loop over journeys).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from goodwill.attribution.paths import DIRECT_LABELS, Credit, FloatArray, Journeys

__all__ = ["RULES", "credit_from_weights", "rule_credit", "touch_weights"]

RULES: tuple[str, ...] = ("first", "last", "last_non_direct", "linear", "time_decay", "position")


def _first(j: Journeys, _: float) -> FloatArray:
    return np.asarray(j.touch_position == 0, dtype=np.float64)


def _last(j: Journeys, _: float) -> FloatArray:
    return np.asarray(j.touch_position == np.repeat(j.lengths - 1, j.lengths), dtype=np.float64)


def _last_non_direct(j: Journeys, _: float) -> FloatArray:
    pos = j.touch_position
    direct = [i for i, c in enumerate(j.channels) if c in DIRECT_LABELS]
    non_direct = ~np.isin(j.touch_channel, direct)
    candidate = np.where(non_direct, pos, -1)
    best = np.maximum.reduceat(candidate, j.offsets[:-1]) if j.n else candidate[:0]
    best = np.where(best < 0, j.lengths - 1, best)
    return np.asarray(pos == np.repeat(best, j.lengths), dtype=np.float64)


def _linear(j: Journeys, _: float) -> FloatArray:
    return np.repeat(1.0 / j.lengths, j.lengths)


def _time_decay(j: Journeys, half_life: float) -> FloatArray:
    raw = np.exp2(-np.maximum(j.touch_age, 0.0) / half_life)
    sums = np.add.reduceat(raw, j.offsets[:-1]) if j.n else raw[:0]
    return np.asarray(raw / np.repeat(sums, j.lengths), dtype=np.float64)


def _position(j: Journeys, _: float) -> FloatArray:
    pos = j.touch_position
    n = np.repeat(j.lengths, j.lengths)
    middle = 0.2 / np.maximum(n - 2, 1)
    ends = np.where(n == 1, 1.0, np.where(n == 2, 0.5, 0.4))
    return np.where((pos == 0) | (pos == n - 1), ends, middle)


_WEIGHTS: Mapping[str, Callable[[Journeys, float], FloatArray]] = {
    "first": _first,
    "last": _last,
    "last_non_direct": _last_non_direct,
    "linear": _linear,
    "time_decay": _time_decay,
    "position": _position,
}


def touch_weights(journeys: Journeys, rule: str, *, half_life_days: float = 7.0) -> FloatArray:
    """The weight of every touch under ``rule`` (sums to 1 within each journey)."""
    if rule not in _WEIGHTS:
        raise ValueError(f"unknown rule {rule!r}; choose one of {', '.join(RULES)}")
    if half_life_days <= 0:
        raise ValueError("half_life_days must be positive")
    return _WEIGHTS[rule](journeys, half_life_days)


def credit_from_weights(journeys: Journeys, weights: FloatArray) -> Credit:
    """Per-channel credit from per-touch weights."""
    tj = journeys.touch_journey
    k = len(journeys.channels)
    conv = np.bincount(
        journeys.touch_channel, weights=weights * journeys.conversions[tj], minlength=k
    )
    val = np.bincount(journeys.touch_channel, weights=weights * journeys.value[tj], minlength=k)
    return Credit(
        channels=journeys.channels,
        conversions=conv.astype(np.float64),
        value=val.astype(np.float64),
    )


def rule_credit(journeys: Journeys, rule: str, *, half_life_days: float = 7.0) -> Credit:
    """Credit per channel under a rule-based model (see the module docstring)."""
    return credit_from_weights(
        journeys, touch_weights(journeys, rule, half_life_days=half_life_days)
    )
