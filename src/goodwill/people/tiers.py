"""Tiers over time: each person's tier at every month end, the month-to-month migration flow,
and revenue and repeat-purchase rate by tier — pandas over :func:`score_people`.

* ``tier_history``: ``person_id, period, tier`` — the tier as of the last instant of each month
  (people with no attention yet have no row).
* ``tier_migration``: ``period, from_tier, to_tier, people`` — how many people moved from one
  tier at the end of the previous month to another at the end of ``period`` (``from_tier`` is
  ``none`` for people first seen in ``period``).
* ``revenue_by_tier``: ``tier, people, customers, revenue, revenue_per_person,
  repeat_purchase_rate`` as of ``as_of`` — customers = people with an order, repeat rate =
  people with 2+ orders / customers, revenue = orders − refunds.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pandas as pd

from goodwill.people.scores import TIERS, score_people

__all__ = ["month_ends", "revenue_by_tier", "tier_history", "tier_migration"]


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
    total = (upto["value"].fillna(0.0) * sign).groupby(upto["person_id"]).sum()
    return {str(k): float(v) for k, v in total.items()}


def tier_history(events: pd.DataFrame, conv: pd.DataFrame) -> pd.DataFrame:
    """Every person's tier at the end of every month between the first and last event."""
    if events.empty:
        return pd.DataFrame(columns=["person_id", "period", "tier"])
    at = pd.to_datetime(events["at"])
    frames = []
    for month, end in month_ends(at.min().date(), at.max().date()):
        scores = score_people(events, _revenue_until(conv, end), end)
        frames.append(scores[["person_id", "tier"]].assign(period=month))
    return pd.concat(frames, ignore_index=True)[["person_id", "period", "tier"]]


def tier_migration(history: pd.DataFrame) -> pd.DataFrame:
    """Month-to-month flows between tiers (``from_tier = 'none'`` for newcomers)."""
    periods = sorted(set(history["period"]))
    rows = []
    for prev, cur in pairwise(periods):
        before = history[history["period"] == prev].set_index("person_id")["tier"]
        now = history[history["period"] == cur].set_index("person_id")["tier"]
        pairs = pd.DataFrame({"to_tier": now, "from_tier": before.reindex(now.index)})
        pairs["from_tier"] = pairs["from_tier"].fillna("none")
        counts = pairs.groupby(["from_tier", "to_tier"]).size().reset_index(name="people")
        for rec in counts.to_dict("records"):
            rows.append(
                {
                    "period": cur,
                    "from_tier": str(rec["from_tier"]),
                    "to_tier": str(rec["to_tier"]),
                    "people": int(rec["people"]),
                }
            )
    return pd.DataFrame(rows, columns=["period", "from_tier", "to_tier", "people"])


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
