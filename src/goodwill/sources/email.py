"""Email campaign results (Mailchimp-style recipient activity) → interactions on ``email``.

**email-activity** reads a CSV with one row per recipient or per event:

* *per event* (long): "Email Address", an action column ("Action", "Activity", "Event",
  "Status": open/opened/OPN, click/clicked/CLK, sent/SNT/delivered, unsubscribe, bounce) and
  "Timestamp" (or "Time", "Date"), optionally "URL" (the clicked link) and "Campaign";
* *per recipient* (wide, as a campaign report's activity export): "Email Address" and
  timestamp columns "Opened"/"Open Time"/"First Opened" and "Clicked"/"Click Time"/
  "First Clicked" (and "Sent"/"Send Time"); every non-empty cell is one event.

Both may carry "First Name"/"Last Name" and "Campaign"; without a campaign column the
campaign is the file name (or ``campaign`` under ``[sources.email]`` in goodwill.toml).

Each **click** becomes an inbound interaction of kind ``click`` on platform ``email``: actor
the recipient's email (lowercased), target the brand's sender (the brand account on platform
``email`` when the warehouse has one, else ``sender`` under ``[sources.email]``, else
``newsletter``), ``post_id`` the campaign, ``url`` the link. Clicks are the email touches
attribution counts (:mod:`goodwill.attribution.journeys`). An **unsubscribe** becomes an
``unfollow``. **Opens** become kind ``open`` only with ``opens = true`` under
``[sources.email]``: mail clients that prefetch images (Apple Mail Privacy Protection) open
every message, so opens would name people who never looked. **Sends** and **bounces** are not
actions of the recipient and are counted as skipped (a send as an outbound interaction would
read as the brand answering that person).

Each campaign also becomes a ``posts`` row on platform ``email`` (``post_id`` the campaign
slug, published at its first send, else its first event), so engagement by platform compares
email with social. Recipients become people through the CRM contacts import (emails are
matched as ``email`` identities); ``identities = true`` under ``[sources.email]`` adds an
``email`` identity (person ``email-<address>``) for each recipient, for lists without a CRM —
do not use it for addresses a contacts import also carries, as the newest identity row wins.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.crm import clean_email, first_line
from goodwill.sources.csvmap import (
    CsvRecord,
    Field,
    Fields,
    date_orders,
    option,
    parse_timestamp,
    read_export,
    value,
)
from goodwill.sources.interchange import LINE_COLUMN

__all__ = ["ACTIONS", "EMAIL_ACTIVITY", "FIELDS", "WIDE_COLUMNS", "read_activity"]

FIELDS: tuple[Field, ...] = (
    Field("email", ("Email Address", "Email", "E-mail"), required=True),
    Field("first_name", ("First Name",)),
    Field("last_name", ("Last Name",)),
    Field("action", ("Action", "Activity", "Event", "Status")),
    Field("timestamp", ("Timestamp", "Time", "Date", "Activity Date")),
    Field("campaign", ("Campaign", "Campaign Title", "Campaign Name")),
    Field("url", ("URL", "Link", "Clicked URL")),
    Field("sent", ("Sent", "Send Time", "Sent At")),
    Field("opened", ("Opened", "Open Time", "First Opened", "Opened At")),
    Field("clicked", ("Clicked", "Click Time", "First Clicked", "Clicked At")),
)

WIDE_COLUMNS: Mapping[str, str] = {"sent": "sent", "opened": "open", "clicked": "click"}
"""Per-recipient timestamp fields -> the action they record."""

ACTIONS: Mapping[str, str] = {
    "open": "open",
    "opened": "open",
    "opn": "open",
    "click": "click",
    "clicked": "click",
    "clk": "click",
    "sent": "sent",
    "send": "sent",
    "snt": "sent",
    "delivered": "sent",
    "unsubscribe": "unfollow",
    "unsubscribed": "unfollow",
    "bounce": "bounce",
    "bounced": "bounce",
    "hard bounce": "bounce",
    "soft bounce": "bounce",
    "nco": "bounce",
}

_YES = {"1", "true", "yes", "on"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "campaign"


def _events(rec: CsvRecord, f: Fields) -> list[tuple[str, str]]:
    """(action, timestamp text) of one record; ValueError for an unknown action."""
    action = value(rec, f, "action")
    if action is not None:
        kind = ACTIONS.get(action.casefold())
        if kind is None:
            raise ValueError(f"action {action!r} is not one of {', '.join(sorted(ACTIONS))}")
        return [(kind, value(rec, f, "timestamp") or "")]
    return [
        (kind, text)
        for name, kind in WIDE_COLUMNS.items()
        if (text := value(rec, f, name)) is not None
    ]


def read_activity(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Recipient activity -> click/open/unfollow interactions and campaign posts."""
    out, csv_file, f = read_export(path, "interactions", FIELDS, ctx.mapping)
    opens = (option(ctx.options, "email.opens") or "").casefold() in _YES
    identities = (option(ctx.options, "email.identities") or "").casefold() in _YES
    sender = ctx.brand_handles.get("email") or option(ctx.options, "email.sender") or "newsletter"
    default_campaign = option(ctx.options, "email.campaign") or path.stem
    campaigns: dict[str, tuple[str, tuple[bool, str]]] = {}
    people: dict[str, tuple[str | None, int]] = {}
    dayfirst = any(
        date_orders(csv_file, f, ("timestamp", "sent", "opened", "clicked"), ctx.options).values()
    )
    for rec in csv_file.records:
        try:
            email = clean_email(value(rec, f, "email") or "")
            events = [(k, parse_timestamp(ts, dayfirst=dayfirst)) for k, ts in _events(rec, f)]
        except ValueError as exc:
            out.reject("interactions", rec.line, str(exc), rec.raw)
            continue
        title = value(rec, f, "campaign") or default_campaign
        slug = _slug(title)
        parts = [value(rec, f, "first_name"), value(rec, f, "last_name")]
        name = " ".join(p for p in parts if p) or None
        people.setdefault(email, (name, rec.line))
        for kind, at in events:
            # the campaign is published at its first send, else at its first event
            rank = (kind != "sent", at)
            if slug not in campaigns or rank < campaigns[slug][1]:
                campaigns[slug] = (title, rank)
            if kind in ("sent", "bounce") or (kind == "open" and not opens):
                label = {"sent": "send", "bounce": "bounce", "open": "open"}[kind]
                hint = " ([sources.email] opens = true imports them)" if kind == "open" else ""
                out.skip(f"email {label}{hint}")
                continue
            url = value(rec, f, "url") if kind == "click" else None
            key = "\x1f".join((slug, kind, email, at, url or ""))
            row: Row = {
                "platform": "email",
                "interaction_id": "mail-" + hashlib.sha1(key.encode()).hexdigest()[:20],
                "created_at": at,
                "kind": kind,
                "direction": "inbound",
                "actor_handle": email,
                "actor_name": name,
                "target_handle": sender,
                "post_id": slug,
                "url": url,
                LINE_COLUMN: rec.line,
            }
            out.add("interactions", row)
    add_campaign_posts(
        out,
        sender,
        {slug: (title, at) for slug, (title, (_, at)) in campaigns.items()},
        people if identities else {},
    )
    return out


def _detect(path: Path) -> bool:
    line = first_line(path)
    if "email address" not in line:
        return False
    return any(w in line for w in ("opened", "clicked", "open time", "click time", "action"))


EMAIL_ACTIVITY = register(
    Format(
        name="email-activity",
        description="Email campaign recipient activity (Mailchimp-style): clicks, unsubscribes",
        detect=_detect,
        read=read_activity,
        tables=("interactions", "posts", "identities"),
        docs="docs/sources/business.md#email-activity",
    )
)


def add_campaign_posts(
    out: AdapterOutput,
    sender: str,
    campaigns: dict[str, tuple[str, str]],
    people: dict[str, tuple[str | None, int]],
) -> None:
    """The rows every e-mail activity export ends with: one ``posts`` row per campaign (``slug
    -> (title, first event)``, sent by ``sender``) and one ``email`` identity per recipient in
    ``people`` (``email -> (name, line)``; pass ``{}`` when identities are not wanted)."""
    for slug, (title, at) in sorted(campaigns.items()):
        out.add(
            "posts",
            {
                "platform": "email",
                "post_id": slug,
                "handle": sender,
                "created_at": at,
                "text": title,
                "campaign": title,
            },
        )
    for email, (name, line) in people.items():
        out.add(
            "identities",
            {
                "kind": "email",
                "value": email,
                "person_ref": f"email-{email}",
                "display_name": name,
                LINE_COLUMN: line,
            },
        )
