"""Relationship score and tier of a person, with the reasons — pure pandas, no database.

Input: a person's *events* (``person_id, at, kind, direction``; ``direction`` is ``inbound``
for what they did, ``outbound`` for the brand addressing them; an optional ``sentiment`` in
[-1, 1]) and their order revenue. Everything is measured as of ``as_of``.

Components (each in [0, 1]):

* recency   ``R = exp(-d / 60)``, d = days since their last inbound event;
* frequency ``F = m6 / 6``, m6 = months with an inbound event among the last 6;
* depth     ``D = min(1, Σ w(kind) / 10)`` over the last 90 days, ``w`` = :data:`DEPTH_WEIGHTS`
  (a like or follow 1, a dm 2, a mention, reply, comment or share 3);
* reciprocity ``Q = min(1, brand replies to them / their conversational events)``, conversational
  = mention, reply, comment, dm (1 when they had none);
* sentiment ``S`` = mean sentiment of their inbound events (0 when unknown);
* tenure    ``T = min(1, months since first inbound event / 12)``;
* value     ``V = min(1, revenue / 200)`` in the reporting currency.

``score = 100 × (0.25 R + 0.20 F + 0.20 D + 0.05 Q + 0.05 (S + 1)/2 + 0.10 T + 0.15 V)``.

Tiers, first rule that applies: **detractor** (S ≤ -0.3 over ≥ 2 scored events in 90 days);
**lapsed** (no inbound event for 90 days); **new** (first inbound event within 31 days);
**champion** (score ≥ 60 and active in ≥ 3 of the last 6 months); **regular** (active in ≥ 2 of
the last 3 months); **occasional** (otherwise).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

__all__ = ["DEPTH_WEIGHTS", "TIERS", "PersonScore", "score_people"]

TIERS = ("champion", "regular", "occasional", "new", "lapsed", "detractor")

DEPTH_WEIGHTS: dict[str, float] = {
    "like": 1.0,
    "follow": 1.0,
    "dm": 2.0,
    "mention": 3.0,
    "reply": 3.0,
    "comment": 3.0,
    "share": 3.0,
}
CONVERSATIONAL = ("mention", "reply", "comment", "dm")


@dataclass(frozen=True)
class PersonScore:
    """One person's score, components and tier with its reason."""

    person_id: str
    score: float
    tier: str
    reason: str
    recency: float
    frequency: float
    depth: float
    reciprocity: float
    sentiment: float
    tenure: float
    value: float
    first_seen: datetime
    last_seen: datetime


def _tier(
    score: float,
    days: float,
    first: datetime,
    last: datetime,
    as_of: datetime,
    m6: int,
    m3: int,
    sentiment: float,
    scored: int,
) -> tuple[str, str]:
    if scored >= 2 and sentiment <= -0.3:
        return "detractor", f"mean sentiment {sentiment:+.2f} over {scored} recent posts"
    if days > 90:
        return "lapsed", f"quiet for {int(days)} days (last seen {last:%Y-%m-%d})"
    if (as_of - first).days <= 31:
        return "new", f"first seen {first:%Y-%m-%d}"
    if score >= 60 and m6 >= 3:
        return "champion", f"score {score:.0f} ≥ 60, active {m6} of the last 6 months"
    if m3 >= 2:
        return "regular", f"active {m3} of the last 3 months"
    return "occasional", f"active {m6} of the last 6 months"


def score_people(events: pd.DataFrame, revenue: dict[str, float], as_of: datetime) -> pd.DataFrame:
    """Score every person with an inbound event on or before ``as_of``; one row per person
    with the :class:`PersonScore` fields, sorted by ``person_id``."""
    columns = list(PersonScore.__dataclass_fields__)
    ev = events.assign(at=pd.to_datetime(events["at"]))
    ev = ev[ev["at"] <= pd.Timestamp(as_of)]
    inbound = ev[(ev["direction"] == "inbound") & (ev["kind"] != "unfollow")]
    if inbound.empty:
        return pd.DataFrame(columns=columns)
    pid = inbound["person_id"]
    at = inbound["at"]
    month = at.dt.year * 12 + at.dt.month - 1
    now_m = as_of.year * 12 + as_of.month - 1
    first, last = at.groupby(pid).min(), at.groupby(pid).max()
    m6 = month[now_m - month < 6].groupby(pid).nunique()
    m3 = month[now_m - month < 3].groupby(pid).nunique()
    recent = inbound[(pd.Timestamp(as_of) - at).dt.days < 90]
    weight = recent["kind"].map(DEPTH_WEIGHTS).fillna(1.0).groupby(recent["person_id"]).sum()
    talk = inbound["kind"].isin(CONVERSATIONAL).groupby(pid).sum()
    answered = ev[ev["direction"] == "outbound"].groupby("person_id").size()
    if "sentiment" in recent:
        sent = recent["sentiment"].groupby(recent["person_id"])
        sent_mean, sent_n = sent.mean(), sent.count()
    else:
        sent_mean = sent_n = pd.Series(dtype=float)
    rows = []
    for person in sorted(first.index):
        f = first[person].to_pydatetime()
        la = last[person].to_pydatetime()
        days = max((as_of - la).total_seconds() / 86400, 0.0)
        n6, n3 = int(m6.get(person, 0)), int(m3.get(person, 0))
        depth = min(1.0, float(weight.get(person, 0.0)) / 10)
        t = int(talk.get(person, 0))
        reciprocity = 1.0 if t == 0 else min(1.0, int(answered.get(person, 0)) / t)
        scored = int(sent_n.get(person, 0))
        sentiment = float(sent_mean.get(person, 0.0)) if scored else 0.0
        tenure = min(1.0, max(0.0, (as_of - f).days / 365))
        recency = math.exp(-days / 60)
        value = min(1.0, max(revenue.get(str(person), 0.0), 0.0) / 200)
        freq = n6 / 6
        score = 100 * (
            0.25 * recency
            + 0.20 * freq
            + 0.20 * depth
            + 0.05 * reciprocity
            + 0.05 * (sentiment + 1) / 2
            + 0.10 * tenure
            + 0.15 * value
        )
        tier, reason = _tier(score, days, f, la, as_of, n6, n3, sentiment, scored)
        reason += (
            f"; recency {recency:.2f}, frequency {freq:.2f}, depth {depth:.2f}, "
            f"reciprocity {reciprocity:.2f}, tenure {tenure:.2f}, value {value:.2f}"
        )
        rows.append(
            PersonScore(
                str(person),
                round(score, 1),
                tier,
                reason,
                recency,
                freq,
                depth,
                reciprocity,
                sentiment,
                tenure,
                value,
                f,
                la,
            ).__dict__
        )
    return pd.DataFrame(rows, columns=columns)
