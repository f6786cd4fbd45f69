"""Data-generating processes with an exact incremental truth, for checking attribution models.

Written for checking, not from the incremental model: each process has its own conversion
law (noisy-OR of touches, logistic with an interaction, decaying touch effects, a zero-effect
channel that follows the others, a saturating Hill curve, very unequal exposure, and a latent
affinity that drives both exposure and buying). Used by ``tests/attribution`` and
``benchmarks/attribution_truth.py``.

Every process draws, for each of ``people`` people, Poisson touches of each channel at uniform
times in a 30-day window, and converts at the window's end with the process's probability
``p(touches)``. What comes back is what the warehouse's journey builder would give:

* a converter's journey is its touches, ages in days before the conversion (window end);
* a non-converter with touches is a non-converting journey, ages before its *last* touch;
* a converter with no touch gets one ``direct`` touch at age 0 (the builder's placeholder);
* a non-converter with no touch is invisible (nobody knows they exist).

**Truth.** For person ``i`` and a set of channels ``S``, ``p_i(S)`` is the probability with only
the touches of ``S``. Channel ``c``'s true incremental conversions are ``Σ_i φ_ic``, its exact
Shapley value of ``v_i(S) = p_i(S) − p_i(∅)`` summed over *everyone* (an expectation, free of
the draw of conversions); the true share is ``Σ_i φ_ic / Σ_i Σ_c φ_ic``. ``baseline`` =
``Σ_i p_i(∅) / Σ_i p_i(N)``, the share of conversions that would have happened anyway. For the
latent-affinity process ``p_i(∅)`` keeps the person's affinity: the truth is causal, which is
what no observational model can see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import factorial

import numpy as np
import numpy.typing as npt

from goodwill.attribution.incremental import TimedJourneys

__all__ = ["PROCESSES", "Drawn", "Process", "draw"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
WINDOW = 30.0


@dataclass(frozen=True)
class Touches:
    """Every touch: its person, channel and time in the window (days from the start);
    ``z`` is each person's latent affinity (0 unless the process has one)."""

    person: I64
    channel: I64
    t: F64
    z: F64
    people: int


Law = Callable[[Touches, npt.NDArray[np.bool_]], F64]
"""``p(touches, keep)``: each person's conversion probability with only the touches where
``keep`` is true."""


@dataclass(frozen=True)
class Process:
    name: str
    description: str
    channels: tuple[str, ...]
    rates: Callable[[F64, np.random.Generator], F64]  # affinity -> (people, k) mean touches
    law: Law
    affinity: bool = False


@dataclass(frozen=True)
class Drawn:
    journeys: TimedJourneys
    truth: dict[str, float]  # channel -> true share of the incremental conversions
    baseline: float  # true share of all conversions the baseline explains


def _count(tt: Touches, keep: npt.NDArray[np.bool_], weights: F64 | None = None) -> F64:
    """(people, k) count (or sum of ``weights``) of the kept touches."""
    k = int(tt.channel.max()) + 1 if len(tt.channel) else 1
    k = max(k, 8)
    cell = tt.person[keep] * k + tt.channel[keep]
    w = None if weights is None else weights[keep]
    return np.bincount(cell, weights=w, minlength=tt.people * k).reshape(tt.people, k)


def _noisy_or(q: tuple[float, ...], base: float) -> Law:
    def law(tt: Touches, keep: npt.NDArray[np.bool_]) -> F64:
        n = _count(tt, keep)[:, : len(q)]
        return 1 - (1 - base) * np.prod((1 - np.asarray(q)) ** n, axis=1)

    return law


def _logistic_interaction(tt: Touches, keep: npt.NDArray[np.bool_]) -> F64:
    n = _count(tt, keep)
    social, email, search = n[:, 0] > 0, n[:, 1] > 0, n[:, 2]
    logit = -3.2 + 0.6 * social + 0.5 * email + 0.25 * search + 0.9 * (social & email)
    return 1 / (1 + np.exp(-logit))


def _decay(tt: Touches, keep: npt.NDArray[np.bool_]) -> F64:
    # each touch's effect fades with its age at the window's end, at a channel's own pace
    tau = np.array([2.0, 12.0, 1.0, 5.0])
    q = np.array([0.10, 0.06, 0.12, 0.0])
    age = WINDOW - tt.t
    h = q[tt.channel] * np.exp(-age / tau[tt.channel])
    hazard = 0.02 + _count(tt, keep, h).sum(axis=1)
    return 1 - np.exp(-hazard)


def _trap_rates(z: F64, rng: np.random.Generator) -> F64:
    n = len(z)
    social = rng.gamma(1.0, 2.0, n)
    email = rng.gamma(1.0, 1.0, n)
    search = np.full(n, 0.8)
    # direct visits follow the other touches (people come back by typing the address), so
    # converters, who had more of them, see direct more often; direct itself does nothing
    direct = 0.2 + 0.6 * (social + email)
    return np.stack([social, email, search, direct], axis=1)


def _saturation(tt: Touches, keep: npt.NDArray[np.bool_]) -> F64:
    n = _count(tt, keep)[:, :4]
    top = np.array([0.20, 0.10, 0.15, 0.0])
    half = np.array([2.0, 1.0, 3.0, 1.0])
    effect = (top * n / (n + half)).sum(axis=1)  # Hill curve: the tenth touch adds little
    return 1 - (1 - 0.03) * (1 - np.minimum(effect, 0.95))


def _affinity_law(tt: Touches, keep: npt.NDArray[np.bool_]) -> F64:
    n = _count(tt, keep)[:, :4]
    base = 0.03 * np.exp(0.9 * tt.z)  # fans buy more anyway
    q = np.array([0.01, 0.04, 0.03, 0.0])
    return 1 - (1 - np.minimum(base, 0.9)) * np.prod((1 - q) ** n, axis=1)


def _flat(rates: tuple[float, ...]) -> Callable[[F64, np.random.Generator], F64]:
    return lambda z, rng: np.tile(np.asarray(rates, dtype=np.float64), (len(z), 1))


CH4 = ("social", "email", "search", "direct")

PROCESSES: tuple[Process, ...] = (
    Process(
        "noisy_or",
        "noisy-OR of per-touch effects; direct has none",
        CH4,
        _flat((1.5, 1.0, 1.0, 1.2)),
        _noisy_or((0.03, 0.06, 0.035, 0.0), 0.02),
    ),
    Process(
        "logistic_interaction",
        "logistic; social and email together add more than apart; search per touch",
        CH4,
        _flat((1.0, 0.8, 1.2, 1.0)),
        _logistic_interaction,
    ),
    Process(
        "decay",
        "each touch's effect decays with its age (half-lives 1-12 days)",
        CH4,
        _flat((2.0, 1.5, 1.0, 1.0)),
        _decay,
    ),
    Process(
        "direct_trap",
        "direct has no effect but follows the other touches, so converters see it more",
        CH4,
        _trap_rates,
        _noisy_or((0.03, 0.05, 0.04, 0.0), 0.02),
    ),
    Process(
        "saturation",
        "Hill curve per channel: heavy exposure, the tenth touch adds little",
        CH4,
        _flat((5.0, 3.0, 2.0, 1.0)),
        _saturation,
    ),
    Process(
        "unequal_exposure",
        "noisy-OR; social touches are common, email and display rare",
        ("social", "email", "search", "display", "direct"),
        _flat((4.0, 0.15, 1.0, 0.08, 0.5)),
        _noisy_or((0.02, 0.10, 0.04, 0.08, 0.0), 0.02),
    ),
    Process(
        "latent_affinity",
        "fans (affinity z) both follow more (social touches x e^z) and buy more anyway",
        CH4,
        lambda z, rng: np.stack(
            [2.0 * np.exp(z), np.full(len(z), 0.8), np.full(len(z), 1.0), np.full(len(z), 1.0)],
            axis=1,
        ),
        _affinity_law,
        affinity=True,
    ),
)


def _shapley_truth(tt: Touches, law: Law, k: int) -> tuple[F64, float, float]:
    """Σ_i φ_ic per channel, Σ_i p_i(∅) and Σ_i p_i(N) (module docstring)."""
    value = np.zeros((1 << k, tt.people))
    for mask in range(1 << k):
        keep = ((mask >> tt.channel) & 1).astype(bool)
        value[mask] = law(tt, keep)
    phi = np.zeros(k)
    for c in range(k):
        for mask in range(1 << k):
            if mask >> c & 1:
                continue
            s = bin(mask).count("1")
            w = factorial(s) * factorial(k - s - 1) / factorial(k)
            phi[c] += w * float((value[mask | 1 << c] - value[mask]).sum())
    return phi, float(value[0].sum()), float(value[-1].sum())


def draw(process: Process, people: int, seed: int) -> Drawn:
    """Draw ``people`` people of ``process`` (module docstring)."""
    rng = np.random.default_rng(seed)
    k = len(process.channels)
    z = rng.standard_normal(people) if process.affinity else np.zeros(people)
    n = rng.poisson(process.rates(z, rng))  # (people, k)
    person = np.repeat(np.repeat(np.arange(people), k), n.reshape(-1))
    channel = np.repeat(np.tile(np.arange(k), people), n.reshape(-1))
    t = rng.uniform(0.0, WINDOW, len(person))
    tt = Touches(person=person, channel=channel, t=t, z=z, people=people)
    p = process.law(tt, np.ones(len(person), dtype=bool))
    converted = rng.uniform(size=people) < p
    phi, base, total = _shapley_truth(tt, process.law, k)
    truth = dict(zip(process.channels, phi / phi.sum(), strict=True))
    return Drawn(journeys=_journeys(process, tt, converted), truth=truth, baseline=base / total)


def _journeys(process: Process, tt: Touches, converted: npt.NDArray[np.bool_]) -> TimedJourneys:
    channels = tuple(process.channels)
    if "direct" not in channels:
        channels = (*channels, "direct")
    direct = channels.index("direct")
    order = np.lexsort((tt.t, tt.person))
    person, channel, t = tt.person[order], tt.channel[order], tt.t[order]
    last = np.full(tt.people, -np.inf)
    np.maximum.at(last, person, t)
    end = np.where(converted[person], WINDOW, last[person])
    has = np.bincount(person, minlength=tt.people) > 0
    bare = converted & ~has
    # one placeholder touch per bare converter, appended and then sorted in by person
    person = np.concatenate([person, np.flatnonzero(bare)])
    channel = np.concatenate([channel, np.full(int(bare.sum()), direct)])
    age = np.concatenate([end - t, np.zeros(int(bare.sum()))])
    order = np.argsort(person, kind="stable")
    person, channel, age = person[order], channel[order], age[order]
    seen = np.flatnonzero(has | bare)
    lengths = np.bincount(person, minlength=tt.people)[seen]
    conv = converted[seen].astype(np.float64)
    # a non-converter was watched until the window's end: its last touch was this long before
    horizon = np.where(converted | ~has, 0.0, WINDOW - last)[seen]
    return TimedJourneys(
        channels=channels,
        offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        touch_channel=channel.astype(np.int64),
        touch_age=age.astype(np.float64),
        conversions=conv,
        value=conv * 100.0,
        nulls=1.0 - conv,
        horizon=horizon,
    )
