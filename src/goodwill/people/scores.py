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

A negative sentiment pulls the score down: with a mean sentiment ``S28 < 0`` over their labelled
posts of the last :data:`RECENT_DAYS` days, the score is multiplied by ``1 + S28``.

Tiers (:func:`tier_rule_text`; thresholds are the ``[people]`` settings of ``goodwill.toml``,
:class:`TierRule`), first rule that applies:

* **detractor** — negative evidence, never low activity: at least ``detractor_min_posts`` (2)
  labelled posts in the last 28 days with mean sentiment ≤ ``detractor_sentiment`` (−0.3). A
  like, follow or share carries no sentiment, so it can never make a detractor;
* **lapsed** — no inbound event for 90 days;
* **new** — first inbound event within 31 days;
* **champion** — the few who do the most for the brand: at least ``champion_min_acts`` (3)
  inbound acts in the last 28 days, active in at least ``champion_min_months`` (3) of the last 6
  months, and among the ``champion_top_share`` (5 %) highest scores: the seats are
  ``max(1, floor(share × A))``, A = people with an inbound act in the last 28 days, given to the
  eligible people by score (then person id). So champions are at most that share of active
  people, every champion has a higher score than any eligible non-champion, and (28 days being
  shorter than any month) a champion at a month's end was active in that month;
* **regular** — active in ≥ 2 of the last 3 months;
* **occasional** — otherwise.

Each person's ``reason`` says why they hold their tier (and, for a regular or occasional
person, what they lack to be a champion).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from goodwill.errors import UserInputError

__all__ = [
    "DEPTH_WEIGHTS",
    "RECENT_DAYS",
    "TIERS",
    "PersonScore",
    "TierRule",
    "load_tier_rule",
    "score_people",
    "tier_counts",
    "tier_definitions",
    "tier_rule_text",
]

TIERS = ("champion", "regular", "occasional", "new", "lapsed", "detractor")

RECENT_DAYS = 28
"""The window of "recent" acts and sentiment: four weeks, shorter than any month, so that the
recent acts of a month's end lie in that month."""


@dataclass(frozen=True)
class TierRule:
    """The tier thresholds (``[people]`` in ``goodwill.toml``)."""

    champion_top_share: float = 0.05
    champion_min_acts: int = 3
    champion_min_months: int = 3
    detractor_sentiment: float = -0.3
    detractor_min_posts: int = 2


def load_tier_rule(path: Path | None = None) -> TierRule:
    """The ``[people]`` settings of the ``goodwill.toml`` that
    :func:`goodwill.config.find_config` finds (defaults where absent); a bad value or an
    unknown key is an error naming the file."""
    import tomllib

    from goodwill.config import find_config

    cfg = find_config(path)
    if not cfg.is_file():
        return TierRule()
    try:
        section = tomllib.loads(cfg.read_text(encoding="utf-8")).get("people", {})
    except tomllib.TOMLDecodeError as exc:
        raise UserInputError(f"{cfg}: invalid TOML: {exc}") from exc
    known = {f.name: f for f in fields(TierRule)}
    unknown = sorted(set(section) - set(known))
    if unknown:
        raise UserInputError(
            f"{cfg}: unknown setting(s) {', '.join(unknown)} in [people]; "
            f"valid: {', '.join(sorted(known))}"
        )
    values: dict[str, float | int] = {}
    for key, raw in section.items():
        where = f"{cfg}: [people] {key} = {raw!r}"
        if key in ("champion_min_acts", "champion_min_months", "detractor_min_posts"):
            if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
                raise UserInputError(f"{where} is not a whole number >= 1")
            values[key] = raw
        else:
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                raise UserInputError(f"{where} is not a number")
            low, high = (0.0, 1.0) if key == "champion_top_share" else (-1.0, 1.0)
            if not low <= float(raw) <= high:
                raise UserInputError(f"{where} is not between {low:g} and {high:g}")
            values[key] = float(raw)
    return TierRule(**values)  # type: ignore[arg-type]


def tier_definitions(rule: TierRule | None = None) -> dict[str, str]:
    """Each tier's rule in one sentence (the People page's cards, ``docs/metrics.md``)."""
    r = rule or TierRule()
    return {
        "champion": f"at least {r.champion_min_acts} inbound acts in the last {RECENT_DAYS} "
        f"days, active in at least {r.champion_min_months} of the last 6 months, and among the "
        f"top {r.champion_top_share:.0%} by score: max(1, floor({r.champion_top_share:g} × A)) "
        f"seats, A = people with an inbound act in the last {RECENT_DAYS} days, given to the "
        "eligible people by score",
        "regular": "active in at least 2 of the last 3 months (and not a champion)",
        "occasional": "otherwise",
        "new": "first inbound act within 31 days",
        "lapsed": "no inbound act for 90 days",
        "detractor": f"at least {r.detractor_min_posts} labelled posts in the last "
        f"{RECENT_DAYS} days with mean sentiment ≤ {r.detractor_sentiment:g} (negative "
        "evidence; a like carries no sentiment and never makes a detractor)",
    }


def tier_rule_text(rule: TierRule | None = None) -> list[str]:
    """The tier rule in words (``docs/metrics.md``, from :func:`goodwill.metrics.docs.render`)."""
    words = tier_definitions(rule)
    order = ("detractor", "lapsed", "new", "champion", "regular", "occasional")
    return [
        "## Relationship tiers",
        "",
        "`goodwill.people.scores.score_people` (`goodwill people`, the People page, the "
        "report's champions): each person's relationship score (0-100) and tier as of a "
        "moment, usually a month's last instant; settings `[people]` in goodwill.toml "
        "(docs/settings.md). The first rule that applies gives the tier:",
        "",
        "| tier | rule |",
        "|---|---|",
        *(f"| {tier} | {words[tier]} |" for tier in order),
        "",
        "Score = 100 × (0.25 recency + 0.20 frequency + 0.20 depth + 0.05 reciprocity + "
        "0.05 (sentiment + 1)/2 + 0.10 tenure + 0.15 value) × (1 + min(0, S28)), S28 = mean "
        f"sentiment of the labelled posts of the last {RECENT_DAYS} days (docstring of "
        "`goodwill.people.scores`). Champions of a month = champions at its last instant; "
        "they were all active in the month, so the report and the People page count the same "
        "people (`goodwill.people.scores.tier_counts`).",
    ]


def tier_counts(scores: pd.DataFrame) -> dict[str, int]:
    """People per tier of ``scores`` (:func:`score_people`), every tier of :data:`TIERS`
    present (0 when none): the one count of tiers the report and the People page show."""
    counts = scores["tier"].value_counts() if not scores.empty else pd.Series(dtype=int)
    return {tier: int(counts.get(tier, 0)) for tier in TIERS}


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


def _first_tier(
    rule: TierRule,
    days: float,
    first: datetime,
    last: datetime,
    as_of: datetime,
    sentiment28: float,
    scored28: int,
) -> tuple[str, str] | None:
    """Detractor, lapsed or new (the rules before champion), or None."""
    if scored28 >= rule.detractor_min_posts and sentiment28 <= rule.detractor_sentiment:
        return "detractor", (
            f"mean sentiment {sentiment28:+.2f} ≤ {rule.detractor_sentiment:+.2f} over "
            f"{scored28} posts in the last {RECENT_DAYS} days"
        )
    if days > 90:
        return "lapsed", f"quiet for {int(days)} days (last seen {last:%Y-%m-%d})"
    if (as_of - first).days <= 31:
        return "new", f"first seen {first:%Y-%m-%d}"
    return None


def _eligible(rule: TierRule, acts28: int, m6: int) -> bool:
    return acts28 >= rule.champion_min_acts and m6 >= rule.champion_min_months


def _not_champion(rule: TierRule, acts28: int, m6: int, score: float, bar: float | None) -> str:
    """What a regular or occasional person lacks to be a champion."""
    if acts28 < rule.champion_min_acts:
        return (
            f"not a champion: {acts28} acts in the last {RECENT_DAYS} days "
            f"(needs {rule.champion_min_acts})"
        )
    if m6 < rule.champion_min_months:
        return (
            f"not a champion: active {m6} of the last 6 months (needs {rule.champion_min_months})"
        )
    return f"not a champion: score {score:.1f} below the top {rule.champion_top_share:.0%}" + (
        f" (lowest champion {bar:.1f})" if bar is not None else ""
    )


def _datetimes(times: pd.Series) -> dict[Any, datetime]:
    """``times`` (timestamps by key) as plain datetimes by key; naive ones converted in one
    step (a Timestamp object per value, then a datetime, cost more than the scoring)."""
    if isinstance(times.dtype, np.dtype):  # naive datetime64: to microseconds, then datetimes
        values = times.to_numpy().astype("datetime64[us]").tolist()
        return dict(zip(times.index.tolist(), values, strict=True))
    return {k: v.to_pydatetime() for k, v in times.items()}


def score_people(
    events: pd.DataFrame,
    revenue: dict[str, float],
    as_of: datetime,
    rule: TierRule | None = None,
) -> pd.DataFrame:
    """Score every person with an inbound event on or before ``as_of``; one row per person
    with the :class:`PersonScore` fields, sorted by ``person_id``. ``rule``: the tier
    thresholds (default: :func:`load_tier_rule`)."""
    rule = rule or load_tier_rule()
    columns = list(PersonScore.__dataclass_fields__)
    # only the columns scored, each person as a number (its index in ``names``; NaN for no
    # person, dropped by every group-by as before): the per-person dicts below iterate the
    # groups' keys, and Arrow strings iterate slowly
    used = [c for c in ("at", "direction", "kind", "sentiment") if c in events]
    codes, uniques = pd.factorize(events["person_id"])
    names = [str(u) for u in np.asarray(uniques, dtype=object)]
    ev = events[used].assign(
        at=pd.to_datetime(events["at"]),
        person_id=np.where(codes >= 0, codes, np.nan),
    )
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
    age = pd.Timestamp(as_of) - at
    recent = inbound[age.dt.days < 90]
    last28 = inbound[age < pd.Timedelta(days=RECENT_DAYS)]
    acts28 = last28.groupby("person_id").size()
    weight = recent["kind"].map(DEPTH_WEIGHTS).fillna(1.0).groupby(recent["person_id"]).sum()
    talk = inbound["kind"].isin(CONVERSATIONAL).groupby(pid).sum()
    answered = ev[ev["direction"] == "outbound"].groupby("person_id").size()
    empty = pd.Series(dtype=float)
    sent_mean = sent_n = sent28_mean = sent28_n = empty
    if "sentiment" in recent:
        sent = recent["sentiment"].groupby(recent["person_id"])
        sent_mean, sent_n = sent.mean(), sent.count()
        sent28 = last28["sentiment"].groupby(last28["person_id"])
        sent28_mean, sent28_n = sent28.mean(), sent28.count()
    # plain dicts: a pandas Series lookup per person and field was most of a page's time
    first_d: dict[Any, Any] = _datetimes(first)
    last_d: dict[Any, Any] = _datetimes(last)
    n6_d: dict[Any, Any] = m6.to_dict()
    n3_d: dict[Any, Any] = m3.to_dict()
    weight_d: dict[Any, Any] = weight.to_dict()
    talk_d: dict[Any, Any] = talk.to_dict()
    answered_d: dict[Any, Any] = answered.to_dict()
    acts28_d: dict[Any, Any] = acts28.to_dict()
    sent_mean_d: dict[Any, Any] = sent_mean.to_dict()
    sent_n_d: dict[Any, Any] = sent_n.to_dict()
    sent28_mean_d: dict[Any, Any] = sent28_mean.to_dict()
    sent28_n_d: dict[Any, Any] = sent28_n.to_dict()
    rows = []
    for code in sorted(first_d, key=lambda c: names[int(c)]):
        person = names[int(code)]
        f = first_d[code]
        la = last_d[code]
        days = max((as_of - la).total_seconds() / 86400, 0.0)
        n6, n3 = int(n6_d.get(code, 0)), int(n3_d.get(code, 0))
        depth = min(1.0, float(weight_d.get(code, 0.0)) / 10)
        t = int(talk_d.get(code, 0))
        reciprocity = 1.0 if t == 0 else min(1.0, int(answered_d.get(code, 0)) / t)
        scored = int(sent_n_d.get(code, 0))
        sentiment = float(sent_mean_d.get(code, 0.0)) if scored else 0.0
        scored28 = int(sent28_n_d.get(code, 0))
        sentiment28 = float(sent28_mean_d.get(code, 0.0)) if scored28 else 0.0
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
        score *= 1 + min(0.0, sentiment28)
        found = _first_tier(rule, days, f, la, as_of, sentiment28, scored28)
        tier, reason = found if found else ("", "")
        rows.append(
            {
                "person_id": str(person),
                "score": round(score, 1),
                "tier": tier,
                "reason": reason,
                "recency": recency,
                "frequency": freq,
                "depth": depth,
                "reciprocity": reciprocity,
                "sentiment": sentiment,
                "tenure": tenure,
                "value": value,
                "first_seen": f,
                "last_seen": la,
                "_acts28": int(acts28_d.get(code, 0)),
                "_m6": n6,
                "_m3": n3,
                "_penalty": (
                    f", recent sentiment {sentiment28:+.2f} over {scored28} posts "
                    f"(score × {1 + sentiment28:.2f})"
                    if scored28 and sentiment28 < 0
                    else ""
                ),
            }
        )
    frame = pd.DataFrame(rows)
    _assign_champions(frame, rule, active=len(acts28))
    frame["reason"] = [
        f"{r}; recency {rc:.2f}, frequency {fq:.2f}, depth {d:.2f}, reciprocity {q:.2f}, "
        f"tenure {te:.2f}, value {v:.2f}{pen}"
        for r, rc, fq, d, q, te, v, pen in zip(
            frame["reason"],
            frame["recency"],
            frame["frequency"],
            frame["depth"],
            frame["reciprocity"],
            frame["tenure"],
            frame["value"],
            frame["_penalty"],
            strict=True,
        )
    ]
    return frame[columns].reset_index(drop=True)


def _assign_champions(frame: pd.DataFrame, rule: TierRule, *, active: int) -> None:
    """Fill the tiers left open by :func:`_first_tier`: the champion seats by score, then
    regular or occasional, each with its reason (in place)."""
    open_ = frame["tier"] == ""
    eligible = frame[
        open_
        & (frame["_acts28"] >= rule.champion_min_acts)
        & (frame["_m6"] >= rule.champion_min_months)
    ]
    seats = max(1, math.floor(rule.champion_top_share * active)) if active else 0
    ranked = eligible.assign(_key=-eligible["score"]).sort_values(
        ["_key", "person_id"], kind="stable"
    )
    champs = ranked.head(seats)
    bar = float(champs["score"].min()) if not champs.empty else None
    for rank, (i, r) in enumerate(champs.iterrows(), start=1):
        frame.at[i, "tier"] = "champion"
        frame.at[i, "reason"] = (
            f"score {r['score']:.1f} ranks {rank} of {len(eligible)} eligible; top "
            f"{rule.champion_top_share:.0%} of {active} people active in the last {RECENT_DAYS} "
            f"days = {seats} seat{'' if seats == 1 else 's'}; {r['_acts28']} acts in the last "
            f"{RECENT_DAYS} days, active {r['_m6']} of the last 6 months"
        )
    rest = frame.index[frame["tier"] == ""]
    tiers, reasons = [], []
    for acts, m6, m3, score in zip(
        frame.loc[rest, "_acts28"].tolist(),
        frame.loc[rest, "_m6"].tolist(),
        frame.loc[rest, "_m3"].tolist(),
        frame.loc[rest, "score"].tolist(),
        strict=True,
    ):
        lacks = _not_champion(rule, int(acts), int(m6), float(score), bar)
        if m3 >= 2:
            tiers.append("regular")
            reasons.append(f"active {m3} of the last 3 months; {lacks}")
        else:
            tiers.append("occasional")
            reasons.append(f"active {m6} of the last 6 months; {lacks}")
    frame.loc[rest, "tier"] = tiers
    frame.loc[rest, "reason"] = reasons
