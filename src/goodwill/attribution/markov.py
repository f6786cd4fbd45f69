"""Markov-chain attribution: the removal effect of each channel.

The journeys are read as walks of an absorbing Markov chain. With order ``k`` a state is the
last ``k`` channels seen (fewer at the start of a journey); each journey adds the transitions
``start → s_1 → … → s_n`` with weight ``conversions + nulls`` and ends in ``conversion``
(weight ``conversions``) or ``null`` (weight ``nulls``). Transition probabilities are the
row-normalised weights.

With ``Q`` the transient-to-transient block and ``r`` the transient-to-conversion column,
the probability of converting from each state solves ``(I − Q) x = r``; ``p = x[start]``.

Removing channel ``c`` sends every state whose history contains ``c`` to ``null``: solve the
same system on the other states to get ``p₋c``. The removal effect is
``RE_c = 1 − p₋c / p``, and channel ``c`` is credited ``RE_c / Σ_d RE_d`` of the total
conversions and of the total value.

Relation to the ChannelAttribution package (``markov_model``, v2.2.5, read from its C++
source). ``1 − p₋c / p = P(walk visits c | walk converts)``, which is exactly what
ChannelAttribution estimates by simulation: it draws ``nsim_start`` walks from ``start`` and
reports, for the walks that converted, the share that visited ``c`` (``removal_effects``),
and credits ``T_c / Σ T`` of the conversions — the same estimand and normalisation as here.
Solving its own ``transition_matrix`` (``out_more=True``) exactly reproduces our removal
effects to 1e-14 at orders 1–3 (benchmarks/attribution_markov.py). Its other choices, and
how they relate:

* higher-order states are windows of ``k`` consecutive channels starting with the first ``k``
  (a journey shorter than ``k`` is one state), with consecutive repeats of a state merged; we
  use prefixes ``(c₁), (c₁, c₂), …`` for the first ``k − 1`` steps. Both reproduce the
  journeys' prefix distribution, and a self-loop does not change absorption probabilities,
  so the chains give the same conversion probabilities and removal effects.
* its walks are cut after ``max_step`` steps (default: the longest observed journey, in
  merged states, + 1); a cut walk counts as not converting. That is a finite-horizon chain:
  ``removal_effects(..., max_steps=h)`` computes it with ``x_h = r + Q x_{h−1}``, ``x_0 = 0``
  (``h = max_step + 1`` transitions), after dropping self-transitions as ChannelAttribution
  merges repeated states (a self-loop changes no absorption probability but uses up steps),
  and with ``k − 1`` more transitions for order ``k``: a walk that reaches a full window
  passes our ``k − 1`` prefix states first, one that does not is shorter than any cut. The
  default here is the exact infinite-horizon chain (``max_steps=None``); on short journeys
  the cut moves removal effects by about 1 % (1M synthetic paths of ≤ 12 touches).
* it runs ``nfold`` (default 10) seeded batches of ``nsim_start / nfold`` walks and returns
  the batch closest to the median, so a run's sampling error is that of ``nsim_start /
  nfold`` walks: about ``sqrt(RE (1 − RE) / n_conv)`` absolutely.
* value: it draws each converting walk's value from the per-conversion values of journeys
  ending in the walk's last state and credits value by value-weighted visits; we credit
  value with the conversion shares (``RE_c / Σ RE`` of the total value) — a deliberate
  difference: one set of shares per model keeps conversions and value consistent.

Transitions are counted with numpy and solved with a sparse LU factorisation, so a million
paths take seconds. The bootstrap (:mod:`goodwill.attribution.bootstrap`) solves the same
paths under many weightings: :func:`markov_credit_batch` counts every replicate's transitions
with one sparse product and solves all replicates' chains (and removals) in batched dense
solves when the chain has at most :data:`BATCH_STATES` states — the same numbers as
:func:`markov_credit` per replicate, up to rounding (1e-12).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from goodwill.attribution.paths import Credit, FloatArray, IntArray, Journeys

__all__ = [
    "BATCH_STATES",
    "MarkovResult",
    "markov_credit",
    "markov_credit_batch",
    "removal_effects",
]

BATCH_STATES = 64
"""Largest chain (transient states) that :func:`markov_credit_batch` solves as dense blocks;
larger chains are solved one replicate at a time."""


@dataclass(frozen=True, kw_only=True)
class MarkovResult:
    """Conversion probability of the full chain and each channel's removal effect."""

    channels: tuple[str, ...]
    p_conversion: float
    removal_effect: FloatArray


def _edges(
    journeys: Journeys, state: IntArray, conv_state: int, null_state: int
) -> tuple[IntArray, IntArray, IntArray]:
    """The chain's observed transitions, one per step of every journey: ``src``, ``dst``
    (start → first state, each state → the next, last state → conversion and → null) and
    ``inner``, the journey of each state-to-state step (its weight is the journey's
    traffic)."""
    first = journeys.offsets[:-1]
    last = journeys.offsets[1:] - 1
    is_last = np.zeros(len(state), dtype=bool)
    is_last[last] = True
    src = np.concatenate(
        [np.zeros(journeys.n, dtype=np.int64), state[~is_last], state[last], state[last]]
    )
    dst = np.concatenate(
        [
            state[first],
            state[np.flatnonzero(~is_last) + 1],
            np.full(journeys.n, conv_state),
            np.full(journeys.n, null_state),
        ]
    )
    return src, dst, journeys.touch_journey[~is_last]


def _states(journeys: Journeys, order: int) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """State id (1..S) of every touch and, per state id, which channels its history holds."""
    base = len(journeys.channels) + 1
    if base**order >= 2**62:
        raise ValueError(f"order {order} is too high for {base - 1} channels")
    pos = journeys.touch_position
    ch = journeys.touch_channel
    code = np.zeros(len(ch), dtype=np.int64)
    for i in range(order):
        shifted = np.empty_like(ch)
        shifted[i:] = ch[: len(ch) - i] if i else ch
        shifted[:i] = -1
        digit = np.where(pos >= i, shifted + 1, 0)
        code += digit * base**i
    uniq, inverse = np.unique(code, return_inverse=True)
    contains = np.zeros((len(uniq) + 1, len(journeys.channels)), dtype=bool)
    for i in range(order):
        digit = (uniq // base**i) % base
        has = digit > 0
        contains[1:][has, digit[has] - 1] = True
    return inverse.astype(np.int64) + 1, contains


def removal_effects(
    journeys: Journeys, *, order: int = 1, max_steps: int | None = None
) -> MarkovResult:
    """The conversion probability and every channel's removal effect (module docstring).

    ``max_steps``: ``None`` solves the absorbing chain exactly; a number ``h`` counts only
    walks absorbed within ``h`` transitions of ChannelAttribution's chain
    (``h = max_step + 1``; ours takes ``h + order − 1``, for its prefix states).
    """
    from scipy import sparse  # type: ignore[import-untyped]
    from scipy.sparse.linalg import splu  # type: ignore[import-untyped]

    if order < 1:
        raise ValueError("order must be at least 1")
    if max_steps is not None and max_steps < 1:
        raise ValueError("max_steps must be at least 1")
    k = len(journeys.channels)
    if journeys.n == 0:
        return MarkovResult(
            channels=journeys.channels, p_conversion=0.0, removal_effect=np.zeros(k)
        )
    state, contains = _states(journeys, order)
    n_states = contains.shape[0]  # transient states: 0 = start, 1..S
    conv_state, null_state = n_states, n_states + 1
    traffic = journeys.conversions + journeys.nulls
    src, dst, inner = _edges(journeys, state, conv_state, null_state)
    w = np.concatenate([traffic, traffic[inner], journeys.conversions, journeys.nulls])
    size = n_states + 2
    if max_steps is not None:  # a cut chain counts steps: merge repeats as ChannelAttribution
        w = np.where(src == dst, 0.0, w)
    counts = sparse.csr_matrix((w, (src, dst)), shape=(size, size))
    out = np.asarray(counts.sum(axis=1)).ravel()
    inv = np.divide(1.0, out, out=np.zeros_like(out), where=out > 0)
    probs = sparse.diags(inv) @ counts
    q = probs[:n_states, :n_states].tocsc()
    r = np.asarray(probs[:n_states, conv_state].todense()).ravel()

    def p_convert(keep: npt.NDArray[np.bool_]) -> float:
        idx = np.flatnonzero(keep)
        if r[idx].sum() == 0:
            return 0.0
        sub = q[idx][:, idx]
        if max_steps is not None:  # P(conversion within max_steps transitions)
            x = np.zeros(len(idx))
            for _ in range(max_steps + order - 1):  # + our k − 1 prefix states
                x = r[idx] + sub @ x
            return float(x[0])
        system = (sparse.identity(len(idx), format="csc") - sub).tocsc()
        x = splu(system).solve(r[idx])
        return float(x[0])

    everything = np.ones(n_states, dtype=bool)
    p = p_convert(everything)
    effects = np.zeros(k)
    if p > 0:
        for c in range(k):
            keep = ~contains[:, c]
            keep[0] = True
            effects[c] = 1.0 - p_convert(keep) / p
    return MarkovResult(channels=journeys.channels, p_conversion=p, removal_effect=effects)


def markov_credit(journeys: Journeys, *, order: int = 1) -> Credit:
    """Credit ``RE_c / Σ RE`` of the total conversions and value to each channel."""
    result = removal_effects(journeys, order=order)
    total = result.removal_effect.sum()
    share = result.removal_effect / total if total > 0 else np.zeros_like(result.removal_effect)
    return Credit(
        channels=journeys.channels,
        conversions=share * journeys.conversions.sum(),
        value=share * journeys.value.sum(),
    )


def markov_credit_batch(
    journeys: Journeys,
    conversions: FloatArray,
    value: FloatArray,
    nulls: FloatArray,
    *,
    order: int = 1,
) -> tuple[FloatArray, FloatArray]:
    """:func:`markov_credit` of ``journeys.reweighted(conversions[b], value[b], nulls[b])`` for
    every row ``b`` of the ``(B, n)`` weight arrays: credited conversions and value, two
    ``(B, k)`` arrays. All replicates share the paths, hence the states and transitions; only
    the transition weights differ, so the chains are solved together (dense batched LU) when
    they have at most :data:`BATCH_STATES` states, else one by one."""
    from scipy import sparse

    if order < 1:
        raise ValueError("order must be at least 1")
    n_rep, k = conversions.shape[0], len(journeys.channels)
    conv_out, val_out = np.zeros((n_rep, k)), np.zeros((n_rep, k))
    if journeys.n == 0 or n_rep == 0:
        return conv_out, val_out
    state, contains = _states(journeys, order)
    n_states = contains.shape[0]
    if n_states > BATCH_STATES:
        for b in range(n_rep):
            credit = markov_credit(
                journeys.reweighted(conversions[b], value[b], nulls[b]), order=order
            )
            conv_out[b], val_out[b] = credit.conversions, credit.value
        return conv_out, val_out
    conv_state, null_state = n_states, n_states + 1
    size = n_states + 2
    src, dst, inner = _edges(journeys, state, conv_state, null_state)
    # every replicate's weight of each (src, dst) pair: one sparse product
    pair, slot = np.unique(src * size + dst, return_inverse=True)
    n_pairs, n_edges = len(pair), len(src)
    gather = sparse.csr_matrix(
        (np.ones(n_edges), (np.arange(n_edges), slot)), shape=(n_edges, n_pairs)
    )
    traffic = conversions + nulls
    w = np.concatenate([traffic, traffic[:, inner], conversions, nulls], axis=1)  # (B, edges)
    counts = np.zeros((n_rep, size, size))
    counts[:, pair // size, pair % size] = np.asarray((gather.T @ w.T).T)
    out = counts.sum(axis=2)
    inv = np.divide(1.0, out, out=np.zeros_like(out), where=out > 0)
    probs = counts * inv[:, :, None]
    q = probs[:, :n_states, :n_states]
    r = probs[:, :n_states, conv_state]

    def p_convert(keep: npt.NDArray[np.bool_]) -> FloatArray:
        idx = np.flatnonzero(keep)
        rhs = r[:, idx]
        live = rhs.sum(axis=1) != 0
        system = np.eye(len(idx))[None, :, :] - q[:, idx][:, :, idx]
        system[~live] = np.eye(len(idx))  # no way to convert: p = 0, nothing to solve
        x = np.linalg.solve(system, rhs[:, :, None])[:, 0, 0]
        return np.where(live, x, 0.0)

    p = p_convert(np.ones(n_states, dtype=bool))
    effects = np.zeros((n_rep, k))
    positive = p > 0
    if positive.any():
        for c in range(k):
            keep = ~contains[:, c]
            keep[0] = True
            p_c = p_convert(keep)
            effects[:, c] = np.where(
                positive, 1.0 - np.divide(p_c, p, out=np.ones_like(p), where=positive), 0.0
            )
    total = effects.sum(axis=1, keepdims=True)
    share = np.divide(effects, total, out=np.zeros_like(effects), where=total > 0)
    conv_out = share * conversions.sum(axis=1, keepdims=True)
    val_out = share * value.sum(axis=1, keepdims=True)
    return conv_out, val_out
