"""A person's timeline: every social interaction, visit, lead, order and brand reply, in order."""

from __future__ import annotations

from datetime import date

import pandas as pd

from goodwill.errors import UserInputError
from goodwill.people import activity
from goodwill.warehouse import Warehouse

__all__ = ["find_person", "standing", "standing_text", "timeline"]

COLUMNS = ["at", "what", "platform", "detail"]


def find_person(wh: Warehouse, text: str) -> str:
    """The person id that ``text`` names: a person id, a display name, a handle (``@x``), an
    e-mail, a customer or visitor id (case-insensitive)."""
    needle = text.strip().lower()
    bare = needle.removeprefix("@")
    be = wh.ibis()
    people, links = be.table("people"), be.table("person_links")
    named = people.filter(
        (people.person_id.lower() == needle) | (people.display_name.lower() == needle)
    ).select("person_id")
    linked = links.filter(links.value.lower() == bare).select("person_id")
    found = named.union(linked, distinct=True).to_pyarrow()
    ids = sorted(str(r) for r in found["person_id"].to_pylist())
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise UserInputError(
            f"{text!r}: no person with that id, name, handle, e-mail or customer id; "
            "run `goodwill people resolve` after importing"
        )
    raise UserInputError(f"{text!r} matches several people: {', '.join(ids)}; give a person id")


def timeline(wh: Warehouse, person_id: str) -> pd.DataFrame:
    """``at, what, platform, detail`` of everything ``person_id`` did and the brand's replies."""
    rows: list[tuple[object, str, str, str]] = []
    ev = activity.social_events(wh)
    for r in ev[ev["person_id"] == person_id].itertuples():
        what = f"brand {r.kind}" if r.direction == "outbound" else str(r.kind)
        rows.append((r.at, what, str(r.platform), r.text if isinstance(r.text, str) else ""))
    vis = activity.visits(wh)
    for r in vis[vis["person_id"] == person_id].itertuples():
        rows.append((r.at, "visit", "", str(r.landing_url)))
    conv = activity.conversions(wh)
    for r in conv[conv["person_id"] == person_id].itertuples():
        rows.append((r.at, str(r.kind), "", f"{r.conversion_id} {r.value:.2f}"))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values("at", kind="stable").reset_index(drop=True)


def standing(wh: Warehouse, person_id: str, month: date | None = None) -> dict[str, object] | None:
    """``month, tier, score, reason`` of ``person_id`` at the end of ``month`` (default: the
    month of the latest social event), from :func:`goodwill.people.tiers.month_scores` — the
    tier the roster, the People page and the report show; None when they have no inbound act
    by then."""
    from goodwill.people.tiers import month_scores

    ev = activity.social_events(wh)
    if ev.empty:
        return None
    month = month or pd.Timestamp(pd.to_datetime(ev["at"]).max()).date().replace(day=1)
    scores = month_scores(ev, activity.conversions(wh), month)
    row = scores[scores["person_id"] == person_id]
    if row.empty:
        return None
    r = row.iloc[0]
    return {
        "month": month,
        "tier": str(r["tier"]),
        "score": float(r["score"]),
        "reason": str(r["reason"]),
    }


def standing_text(s: dict[str, object]) -> str:
    """One line: ``tier at the end of 2026-10: champion (score 84.3) — because …``."""
    month = s["month"]
    assert isinstance(month, date)
    return f"tier at the end of {month:%Y-%m}: {s['tier']} (score {s['score']}) — {s['reason']}"
