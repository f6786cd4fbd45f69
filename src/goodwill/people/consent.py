"""Permission marketing: the consent ledger and the lists that respect it.

Each event is stored in ``consent`` against the identity it was given with (so it follows the
person through every re-resolution): ``(kind, value, channel, status, recorded_at, source)``.
A person's consent for a channel is the status of their latest event for it, over all their
identities; a marketing list holds only people whose latest status is ``granted``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from goodwill.engine import duckdb as duck
from goodwill.errors import UserInputError
from goodwill.people.identity import Identity
from goodwill.warehouse import Warehouse

__all__ = ["consent_status", "marketing_list", "record_consent"]


def record_consent(
    wh: Warehouse,
    identity: Identity,
    channel: str,
    status: str,
    *,
    source: str | None = None,
    at: datetime | None = None,
) -> None:
    """Add one event to the ledger."""
    if status not in ("granted", "withdrawn"):
        raise UserInputError(f"consent status {status!r}: expected granted or withdrawn")
    channel = channel.strip().lower()
    if not channel:
        raise UserInputError("consent channel: empty; give one such as email or sms")
    when = at or datetime.now(UTC).replace(tzinfo=None)
    duck.insert_consent(wh.con, [identity[0], identity[1], channel, status, when, source])


def consent_status(wh: Warehouse) -> pd.DataFrame:
    """``person_id, channel, status, recorded_at, source`` — the latest event per person and
    channel (identities not yet resolved count as their own person ``kind:value``)."""
    be = wh.ibis()
    c, p = be.table("consent"), be.table("person_links")
    joined = c.left_join(p, [c.kind == p.kind, c.value == p.value])
    rows = [
        tuple(r.values())
        for r in joined.select(
            person_id=joined.person_id.coalesce(joined.kind.concat(":", joined.value)),
            channel=joined.channel,
            status=joined.status,
            recorded_at=joined.recorded_at,
            source=joined.source,
        )
        .to_pyarrow()
        .to_pylist()
    ]
    frame = pd.DataFrame(rows, columns=["person_id", "channel", "status", "recorded_at", "source"])
    frame = frame.sort_values(["person_id", "channel", "recorded_at"], kind="stable")
    return frame.drop_duplicates(["person_id", "channel"], keep="last").reset_index(drop=True)


def marketing_list(wh: Warehouse, channel: str) -> pd.DataFrame:
    """``person_id, name, email`` of the people whose latest consent for ``channel`` is
    granted (their e-mail addresses joined with ``; ``)."""
    status = consent_status(wh)
    ok = status[(status["channel"] == channel.lower()) & (status["status"] == "granted")]
    be = wh.ibis()
    people = be.table("people").to_pyarrow()
    names = dict(
        zip(people["person_id"].to_pylist(), people["display_name"].to_pylist(), strict=True)
    )
    links = be.table("person_links")
    emails: dict[str, list[str]] = {}
    for row in links.filter(links.kind == "email").to_pyarrow().to_pylist():
        pid, value = row["person_id"], row["value"]
        emails.setdefault(str(pid), []).append(str(value))
    return pd.DataFrame(
        {
            "person_id": ok["person_id"],
            "name": [names.get(p) or p for p in ok["person_id"]],
            "email": ["; ".join(sorted(emails.get(p, []))) for p in ok["person_id"]],
        }
    ).reset_index(drop=True)
