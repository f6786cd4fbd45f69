"""The simulated population: latent traits that drive every behaviour.

Each person has

* an **affinity** for the brand, ``Beta(0.7, 2.5)``: a few champions (>= 0.6), some regulars,
  many casual people. Affinity drives how often they engage on social, visit the site and how
  likely a touch is to persuade them;
* an affinity for the competitors; about 12 % engage **only with competitors**;
* handles on 1-3 of the platforms (some are only on Bluesky and can reach the brand on social
  only after the intervention), an **arrival** day (35 % are around from day 0) and, for a third,
  a day they drift away from social;
* 1-2 pseudonymous visitor ids (devices), a home currency (USD, EUR or GBP), a mean order value
  and BG/NBD purchase traits (purchase rate and dropout probability) used once they are customers;
* maybe a **friend** (an earlier person) who can refer them after becoming a customer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from goodwill.simulate.names import NameBook, make_names
from goodwill.simulate.spec import Calendar

__all__ = ["CURRENCIES", "Population", "make_population", "segment_of"]

CURRENCIES = ("USD", "EUR", "GBP")
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


def segment_of(affinity: float, competitor_only: bool) -> str:
    """The latent relationship tier planted for a person."""
    if competitor_only:
        return "competitor_only"
    if affinity >= 0.6:
        return "champion"
    if affinity >= 0.35:
        return "regular"
    if affinity >= 0.15:
        return "occasional"
    return "casual"


@dataclass(frozen=True, kw_only=True)
class Population:
    n: int
    affinity: F64
    comp_affinity: F64
    comp_pref: I64
    comp_only: B
    on_platform: npt.NDArray[np.bool_]
    """(n, 3): has a handle on mastodon, x, bluesky."""
    arrival: I64
    social_end: I64
    """Day after which the person no longer engages on social (``days``: never)."""
    visitor_ids: list[list[str]]
    mobile: list[list[bool]]
    agent: list[list[int]]
    """Index into DESKTOP_AGENTS or MOBILE_AGENTS per visitor id."""
    currency: I64
    spend: F64
    """Mean order value in USD."""
    buy_rate: F64
    """BG/NBD purchase rate per day while alive."""
    dropout: F64
    """BG/NBD probability to drop out after each purchase."""
    friend: I64
    """An earlier person who may refer this one (-1: none)."""
    names: NameBook


def _hex_ids(rng: np.random.Generator, n: int, taken: set[str]) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        v = f"{int(rng.integers(0, 2**63 - 1)):016x}"
        if v not in taken:
            taken.add(v)
            out.append(v)
    return out


def make_population(rng: np.random.Generator, cal: Calendar, n: int) -> Population:
    affinity = rng.beta(0.7, 2.5, n)
    comp_affinity = rng.beta(0.6, 3.5, n)
    comp_only = rng.random(n) < 0.12
    comp_affinity = np.where(
        comp_only, np.maximum(comp_affinity, rng.beta(2.0, 3.0, n)), comp_affinity
    )
    comp_pref = (rng.random(n) < 0.6).astype(np.int64)
    on = rng.random((n, 3)) < np.array([0.5, 0.6, 0.45])
    only_bsky = rng.random(n) < 0.13
    on[only_bsky] = np.array([False, False, True])
    none = ~on.any(axis=1)
    on[none, 1] = True
    arrival = np.where(rng.random(n) < 0.35, 0, rng.integers(0, cal.days, n)).astype(np.int64)
    drifts = rng.random(n) < 0.33
    end = arrival + rng.exponential(150.0, n).astype(np.int64)
    social_end = np.where(drifts, np.minimum(end, cal.days), cal.days).astype(np.int64)
    n_vid = np.where(rng.random(n) < 0.4, 2, 1)
    taken: set[str] = set()
    visitor_ids: list[list[str]] = []
    mobile: list[list[bool]] = []
    agent: list[list[int]] = []
    for i in range(n):
        k = int(n_vid[i])
        visitor_ids.append(_hex_ids(rng, k, taken))
        first_mobile = bool(rng.random() < 0.62)
        devs = [first_mobile, not first_mobile][:k]
        mobile.append(devs)
        agent.append([int(rng.integers(0, 3 if m else 4)) for m in devs])
    currency = rng.choice(3, n, p=[0.78, 0.14, 0.08]).astype(np.int64)
    spend = rng.gamma(4.0, 9.0, n) + 12.0
    buy_rate = rng.gamma(1.3, 1.0 / 75.0, n)
    dropout = rng.beta(1.2, 4.0, n)
    friend = np.full(n, -1, dtype=np.int64)
    has_friend = rng.random(n) < 0.3
    idx = np.arange(n)
    friend[has_friend & (idx > 0)] = (rng.random(n) * idx).astype(np.int64)[has_friend & (idx > 0)]
    names = make_names(rng, n)
    return Population(
        n=n,
        affinity=affinity,
        comp_affinity=comp_affinity,
        comp_pref=comp_pref,
        comp_only=comp_only,
        on_platform=on,
        arrival=arrival,
        social_end=social_end,
        visitor_ids=visitor_ids,
        mobile=mobile,
        agent=agent,
        currency=currency,
        spend=spend,
        buy_rate=buy_rate,
        dropout=dropout,
        friend=friend,
        names=names,
    )
