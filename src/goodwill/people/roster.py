"""The monthly roster: who paid attention this month, by name.

For month M (as of its last instant): every person with an inbound event (not an unfollow) to
a brand account in M, with their platforms, what they did (``2 reply, 1 like``), tier and score
(:func:`goodwill.people.tiers.month_scores` — the tiers the report counts too; every champion
of M was active in M, so the report's champions are the roster's), whether they are a customer
(an order on or before the month's end), first seen, and ``regular`` (active in one of the two
months before too), ``new`` (first month) or ``returning``. Plus three lists: **newcomers**
(first seen in M), **champions gone quiet** (champion at the end of M-1, silent in M) and
**people to thank** (champions and referrers the brand has not addressed in the last 30 days
of M), each with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd

from goodwill.people import activity
from goodwill.people.referrals import referral_edges
from goodwill.people.scores import load_tier_rule
from goodwill.people.tiers import month_scores
from goodwill.warehouse import Warehouse

__all__ = ["Roster", "monthly_roster"]


@dataclass
class Roster:
    """The roster of one month and its three lists."""

    month: date
    people: pd.DataFrame
    newcomers: pd.DataFrame
    gone_quiet: pd.DataFrame
    to_thank: pd.DataFrame


def _end(month: date) -> datetime:
    nxt = (month.replace(day=1) + timedelta(days=32)).replace(day=1)
    return datetime.combine(nxt, time()) - timedelta(microseconds=1)


def _names(wh: Warehouse) -> dict[str, str]:
    people = wh.ibis().table("people").to_pyarrow()
    return {
        str(p): str(n or p)
        for p, n in zip(
            people["person_id"].to_pylist(), people["display_name"].to_pylist(), strict=True
        )
    }


def monthly_roster(wh: Warehouse, month: date) -> Roster:
    """The roster of ``month`` (any day in it)."""
    start = datetime.combine(month.replace(day=1), time())
    end = _end(month)
    ev = activity.social_events(wh, text=False)  # counted and scored: no text needed
    conv = activity.conversions(wh)
    conv = conv[pd.to_datetime(conv["at"]) <= pd.Timestamp(end)]
    ev = ev[pd.to_datetime(ev["at"]) <= pd.Timestamp(end)]
    rule = load_tier_rule()
    scores = month_scores(ev, conv, month, rule).set_index("person_id")
    prev_scores = month_scores(ev, conv, (start - timedelta(days=1)).date(), rule)
    names = _names(wh)
    attn = ev[(ev["direction"] == "inbound") & (ev["kind"] != "unfollow")]
    at = pd.to_datetime(attn["at"])
    in_month = attn[(at >= pd.Timestamp(start)) & (at <= pd.Timestamp(end))]
    customers = set(conv.loc[conv["kind"] == "order", "person_id"])
    month_no = start.year * 12 + start.month - 1
    before = attn[at < pd.Timestamp(start)]
    before_at = pd.to_datetime(before["at"])
    before_months: dict[str, set[int]] = {}
    for who, m in zip(
        before["person_id"], before_at.dt.year * 12 + before_at.dt.month - 1, strict=True
    ):
        before_months.setdefault(str(who), set()).add(int(m))
    scores_by = {str(r["person_id"]): r for r in scores.reset_index().to_dict("records")}
    # per person: kinds counted in order of first appearance, platforms, acts (plain dicts:
    # a pandas group and value_counts per person was most of the roster's time)
    kinds: dict[str, dict[str, int]] = {}
    platforms: dict[str, set[str]] = {}
    for who, kind, platform in zip(
        in_month["person_id"], in_month["kind"], in_month["platform"], strict=True
    ):
        counted = kinds.setdefault(str(who), {})
        counted[str(kind)] = counted.get(str(kind), 0) + 1
        platforms.setdefault(str(who), set()).add(str(platform))
    rows = []
    for pid in sorted(kinds):
        earlier_months: set[int] = before_months.get(pid, set())
        status = (
            "new"
            if not earlier_months
            else "regular"
            if any(month_no - m <= 2 for m in earlier_months)
            else "returning"
        )
        counts = kinds[pid]
        s = scores_by.get(pid)
        rows.append(
            {
                "person_id": pid,
                "name": names.get(pid, pid),
                "platforms": ", ".join(sorted(platforms[pid])),
                "did": ", ".join(
                    f"{n} {k}" for k, n in sorted(counts.items(), key=lambda x: -x[1])
                ),
                "interactions": sum(counts.values()),
                "tier": None if s is None else s["tier"],
                "score": None if s is None else s["score"],
                "customer": pid in customers,
                "first_seen": None if s is None else s["first_seen"].date(),
                "regular": status,
            }
        )
    people = pd.DataFrame(rows)
    if people.empty:
        people = pd.DataFrame(
            columns=[
                "person_id",
                "name",
                "platforms",
                "did",
                "interactions",
                "tier",
                "score",
                "customer",
                "first_seen",
                "regular",
            ]
        )
    people = people.sort_values(["score", "name"], ascending=[False, True]).reset_index(drop=True)
    newcomers = people[people["regular"] == "new"][["person_id", "name", "platforms", "did"]]
    active = set(people["person_id"])
    champs_before = prev_scores[prev_scores["tier"] == "champion"]
    quiet = champs_before[~champs_before["person_id"].isin(active)]
    gone_quiet = pd.DataFrame(
        {
            "person_id": quiet["person_id"],
            "name": [names.get(p, p) for p in quiet["person_id"]],
            "reason": [
                f"champion, last seen {pd.Timestamp(t):%Y-%m-%d}" for t in quiet["last_seen"]
            ],
        }
    )
    return Roster(
        month.replace(day=1),
        people,
        newcomers.reset_index(drop=True),
        gone_quiet.reset_index(drop=True),
        _to_thank(wh, ev, scores, names, end),
    )


def _to_thank(
    wh: Warehouse, ev: pd.DataFrame, scores: pd.DataFrame, names: dict[str, str], end: datetime
) -> pd.DataFrame:
    since = pd.Timestamp(end - timedelta(days=30))
    out = ev[(ev["direction"] == "outbound") & (pd.to_datetime(ev["at"]) >= since)]
    answered = set(out["person_id"])
    edges = referral_edges(wh)
    edges = edges[pd.to_datetime(edges["at"]) <= pd.Timestamp(end)]
    brought = {str(k): int(v) for k, v in edges.groupby("referrer")["referred"].nunique().items()}
    rows = []
    # columns zipped, not iterrows (a Series per person cost more than the rest)
    for key, tier, why in zip(
        scores.index.tolist(), scores["tier"].tolist(), scores["reason"].tolist(), strict=True
    ):
        pid = str(key)
        if pid in answered:
            continue
        reasons = []
        if tier == "champion":
            reasons.append(f"a champion ({why.split(';')[0]})")
        if brought.get(pid):
            reasons.append(f"brought {brought[pid]} customer(s)")
        if reasons:
            rows.append(
                {
                    "person_id": pid,
                    "name": names.get(pid, pid),
                    "reason": " and ".join(reasons) + "; no reply from us in 30 days",
                }
            )
    for pid, n in brought.items():
        if pid not in scores.index and pid not in answered:
            rows.append(
                {
                    "person_id": pid,
                    "name": names.get(pid, pid),
                    "reason": f"brought {n} customer(s); no reply from us in 30 days",
                }
            )
    return pd.DataFrame(rows, columns=["person_id", "name", "reason"])
