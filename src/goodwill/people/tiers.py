"""Tiers over time: each person's tier at every month end, the month-to-month migration flow,
and revenue and repeat-purchase rate by tier — pandas over :func:`score_people`.

* ``month_scores``: every person's score and tier as of the last instant of a month — the one
  place a month's tiers come from (the report's champions, the roster, the People page, the
  tier history), counted by :func:`goodwill.people.scores.tier_counts`. Champions at a month's
  end were all active in that month (the rule of :mod:`goodwill.people.scores`), so the
  report's champions are the roster's champions.
* ``tier_history``: ``person_id, period, tier`` — the tier as of the last instant of each month
  (people with no attention yet have no row).
* ``tier_moves``: ``period, person_id, from_tier, to_tier`` — one row per person seen at the
  end of ``period``: their tier at the end of the previous month (``from_tier``; ``none`` for
  people first seen in ``period``) and at the end of ``period`` (``to_tier``). The first month
  has no moves (there is no month before it).
* ``tier_migration``: ``period, from_tier, to_tier, people`` — :func:`tier_moves` counted:
  ``people`` = number of ``tier_moves`` rows with that ``period``, ``from_tier`` and
  ``to_tier``.
* ``revenue_by_tier``: ``tier, people, customers, revenue, revenue_per_person,
  repeat_purchase_rate`` as of ``as_of`` — customers = people with an order, repeat rate =
  people with 2+ orders / customers, revenue = orders − refunds.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pandas as pd

from goodwill.people.scores import TIERS, TierRule, load_tier_rule, score_people

__all__ = [
    "month_end",
    "month_ends",
    "month_scores",
    "revenue_by_tier",
    "tier_history",
    "tier_migration",
    "tier_moves",
]


def month_end(month: date) -> datetime:
    """The last instant of the month of ``month`` (any day in it)."""
    nxt = (month.replace(day=1) + timedelta(days=32)).replace(day=1)
    return datetime.combine(nxt, time()) - timedelta(microseconds=1)


def month_scores(
    events: pd.DataFrame, conv: pd.DataFrame, month: date, rule: TierRule | None = None
) -> pd.DataFrame:
    """:func:`score_people` as of the last instant of ``month`` with the revenue of the orders
    until then: every person's score and tier of that month."""
    end = month_end(month)
    return score_people(events, _revenue_until(conv, end), end, rule or load_tier_rule())


def month_ends(first: date, last: date) -> list[tuple[date, datetime]]:
    """``(month start, last instant of the month)`` for every month from ``first`` to ``last``."""
    out = []
    month = first.replace(day=1)
    while month <= last:
        nxt = (month + timedelta(days=32)).replace(day=1)
        out.append((month, datetime.combine(nxt, time()) - timedelta(microseconds=1)))
        month = nxt
    return out


def _revenue_until(conv: pd.DataFrame, end: datetime) -> dict[str, float]:
    upto = conv[pd.to_datetime(conv["at"]) <= pd.Timestamp(end)]
    sign = upto["kind"].map({"order": 1.0, "refund": -1.0}).fillna(0.0)
    # numeric whatever the frame's dtype (an empty or all-NULL column may come back as strings)
    value = pd.to_numeric(upto["value"], errors="coerce").fillna(0.0)
    total = (value * sign.astype("float64")).groupby(upto["person_id"]).sum()
    return {str(k): float(v) for k, v in total.items()}


def tier_history(events: pd.DataFrame, conv: pd.DataFrame) -> pd.DataFrame:
    """Every person's tier at the end of every month between the first and last event."""
    if events.empty:
        return pd.DataFrame(columns=["person_id", "period", "tier"])
    at = pd.to_datetime(events["at"])
    rule = load_tier_rule()
    frames = []
    for month, _end in month_ends(at.min().date(), at.max().date()):
        scores = month_scores(events, conv, month, rule)
        frames.append(scores[["person_id", "tier"]].assign(period=month))
    return pd.concat(frames, ignore_index=True)[["person_id", "period", "tier"]]


MOVE_COLUMNS = ["period", "person_id", "from_tier", "to_tier"]


def tier_moves(history: pd.DataFrame) -> pd.DataFrame:
    """Each person's move from their tier at the end of the previous month to their tier at
    the end of ``period`` (``from_tier = 'none'`` for newcomers), by period then person."""
    periods = sorted(set(history["period"]))
    frames = []
    for prev, cur in pairwise(periods):
        before = history[history["period"] == prev].set_index("person_id")["tier"]
        now = history[history["period"] == cur].set_index("person_id")["tier"]
        pairs = pd.DataFrame({"to_tier": now, "from_tier": before.reindex(now.index)})
        pairs["from_tier"] = pairs["from_tier"].fillna("none")
        pairs = pairs.rename_axis("person_id").reset_index().assign(period=cur)
        frames.append(pairs.sort_values("person_id", kind="stable"))
    if not frames:
        return pd.DataFrame(columns=MOVE_COLUMNS)
    out = pd.concat(frames, ignore_index=True)[MOVE_COLUMNS]
    for column in ("person_id", "from_tier", "to_tier"):
        out[column] = out[column].astype(str)
    return out


def tier_migration(history: pd.DataFrame) -> pd.DataFrame:
    """Month-to-month flows between tiers: :func:`tier_moves` counted per ``period``,
    ``from_tier`` and ``to_tier`` (``people``)."""
    columns = ["period", "from_tier", "to_tier", "people"]
    moves = tier_moves(history)
    if moves.empty:
        return pd.DataFrame(columns=columns)
    counts = moves.groupby(["period", "from_tier", "to_tier"], sort=True).size()
    out = counts.reset_index(name="people")[columns]
    out["people"] = out["people"].astype(int)
    return out


def revenue_by_tier(scores: pd.DataFrame, conv: pd.DataFrame) -> pd.DataFrame:
    """Revenue and repeat purchases of the people in each tier (``scores``: score_people)."""
    orders = conv[conv["kind"] == "order"].groupby("person_id").size()
    revenue = _revenue_until(conv, datetime.max)
    rows = []
    for tier in TIERS:
        people = [str(p) for p in scores.loc[scores["tier"] == tier, "person_id"]]
        n_orders = [int(orders.get(p, 0)) for p in people]
        customers = sum(1 for n in n_orders if n >= 1)
        total = sum(revenue.get(p, 0.0) for p in people)
        rows.append(
            {
                "tier": tier,
                "people": len(people),
                "customers": customers,
                "revenue": round(total, 2),
                "revenue_per_person": round(total / len(people), 2) if people else None,
                "repeat_purchase_rate": (
                    sum(1 for n in n_orders if n >= 2) / customers if customers else None
                ),
            }
        )
    return pd.DataFrame(rows)
