"""Mailchimp per-recipient activity as the Marketing API (v3) reports it → interactions on
``email``.

**mailchimp-activity** reads the JSON bodies of two report endpoints, saved one page per file
(``curl .../3.0/reports/<campaign_id>/email-activity > activity.json``, or what an API client,
a Zapier/Make step or a backup tool writes):

* ``GET /reports/{campaign_id}/email-activity`` — ``{"emails": [{"campaign_id", "list_id",
  "email_id", "email_address", "activity": [{"action": "open"|"click"|"bounce",
  "timestamp", "url", "type", "ip"}], "_links"}], "campaign_id", "total_items", "_links"}``;
* ``GET /reports/{campaign_id}/unsubscribed`` — ``{"unsubscribes": [{"email_id",
  "email_address", "merge_fields": {"FNAME", "LNAME", ...}, "vip", "timestamp", "reason",
  "campaign_id", "list_id", "_links"}], "campaign_id", "total_items", "_links"}``.

Each **click** becomes an inbound interaction of kind ``click`` (actor the recipient's
email, lowercased; target the brand's sender as for :mod:`goodwill.sources.email`; ``url``
the link), each **unsubscribe** an ``unfollow``; **opens** become kind ``open`` only with
``opens = true`` under ``[sources.email]`` (Apple Mail Privacy Protection opens every
message), otherwise they are counted as left out, as are bounces (not an act of the
recipient) and activity Mailchimp marks ``"is_bot": true``. The ``ip`` of an action is never
read (no raw IPs are stored). The campaign becomes a ``posts`` row on ``email`` published at
its first event; its ``post_id`` is the slug of its title: the API names only the campaign
id, so the title is ``campaign`` under ``[sources.email]`` when given (to meet the campaign
report's row of the same title), else the id. A page that holds fewer recipients than
``total_items`` is imported and the rest counted as not in the file (save every page:
``?count=1000&offset=...``). ``identities = true`` under ``[sources.email]`` adds an ``email``
identity for each recipient (unsubscribes give names from FNAME/LNAME).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from goodwill.errors import UserInputError
from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.crm import clean_email
from goodwill.sources.csvmap import head_text, option, parse_timestamp
from goodwill.sources.email import _slug, add_campaign_posts
from goodwill.sources.interchange import LINE_COLUMN

__all__ = ["MAILCHIMP_ACTIVITY", "detect", "read"]

_YES = {"1", "true", "yes", "on"}
_LISTS = ("emails", "unsubscribes")


def _kind_of(doc: Any) -> str | None:
    """``emails`` or ``unsubscribes``: which report a parsed body is; ``None`` otherwise."""
    if not isinstance(doc, dict) or "total_items" not in doc:
        return None
    for key in _LISTS:
        items = doc.get(key)
        if isinstance(items, list) and all(
            isinstance(i, dict) and "email_address" in i for i in items
        ):
            return key
    return None


def detect(path: Path) -> bool:
    """A JSON object whose ``_links`` name a Mailchimp v3 EmailActivity or Unsubs schema, or
    that has ``total_items`` and an ``emails``/``unsubscribes`` list of recipients. Reads the
    head for the cheap check, the whole file only when it is JSON that names Mailchimp."""
    if not path.is_file() or path.suffix.lower() not in (".json", ".txt", ""):
        return False
    head = head_text(path, 8192).lstrip()
    if not head.startswith("{"):
        return False
    if "/Reports/EmailActivity/" in head or "/Reports/Unsubs/" in head:
        return True
    if '"total_items"' not in head or not ('"emails"' in head or '"unsubscribes"' in head):
        return False
    if '"email_address"' not in head and '"total_items": 0' not in head:
        return False
    try:
        return _kind_of(json.loads(path.read_text(encoding="utf-8-sig"))) is not None
    except (ValueError, UnicodeDecodeError):
        return False


def _interaction(
    kind: str, email: str, at: str, sender: str, slug: str, url: str | None, n: int
) -> Row:
    key = "\x1f".join((slug, kind, email, at, url or ""))
    return {
        "platform": "email",
        "interaction_id": "mail-" + hashlib.sha1(key.encode()).hexdigest()[:20],
        "created_at": at,
        "kind": kind,
        "direction": "inbound",
        "actor_handle": email,
        "target_handle": sender,
        "post_id": slug,
        "url": url,
        LINE_COLUMN: n,
    }


def read(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """One email-activity or unsubscribed page (module docstring)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserInputError(f"{path}: not a Mailchimp report (JSON): {exc}") from None
    which = _kind_of(doc)
    if which is None:
        raise UserInputError(
            f"{path}: not a Mailchimp email-activity or unsubscribed report (no 'emails' or "
            "'unsubscribes' list of recipients with 'total_items')"
        )
    out = AdapterOutput()
    opens = (option(ctx.options, "email.opens") or "").casefold() in _YES
    identities = (option(ctx.options, "email.identities") or "").casefold() in _YES
    sender = ctx.brand_handles.get("email") or option(ctx.options, "email.sender") or "newsletter"
    given_title = option(ctx.options, "email.campaign")
    first_at: dict[str, tuple[str, str]] = {}  # slug -> (title, first event)
    people: dict[str, tuple[str | None, int]] = {}
    items: list[dict[str, Any]] = doc[which]
    for n, item in enumerate(items, 1):
        raw = json.dumps(item, ensure_ascii=False)[:2000]
        try:
            email = clean_email(str(item.get("email_address") or ""))
        except ValueError as exc:
            out.reject("interactions", n, str(exc), raw)
            continue
        title = given_title or str(item.get("campaign_id") or doc.get("campaign_id") or path.stem)
        slug = _slug(title)
        name: str | None = None
        if which == "unsubscribes":
            merge = item.get("merge_fields") or {}
            parts = [str(merge.get("FNAME") or "").strip(), str(merge.get("LNAME") or "").strip()]
            name = " ".join(p for p in parts if p) or None
            events: list[dict[str, Any]] = [{"action": "unsubscribe", **item}]
        else:
            events = list(item.get("activity") or [])
        people.setdefault(email, (name, n))
        for event in events:
            action = str(event.get("action") or "")
            try:
                at = parse_timestamp(str(event.get("timestamp") or ""))
            except ValueError as exc:
                out.reject("interactions", n, f"{email}: {exc}", raw)
                continue
            if slug not in first_at or at < first_at[slug][1]:
                first_at[slug] = (title, at)
            if event.get("is_bot") is True:
                out.skip("Mailchimp activity marked is_bot")
                continue
            if action == "click":
                row = _interaction("click", email, at, sender, slug, event.get("url"), n)
            elif action == "unsubscribe":
                row = _interaction("unfollow", email, at, sender, slug, None, n)
            elif action == "open" and opens:
                row = _interaction("open", email, at, sender, slug, None, n)
            elif action == "open":
                out.skip("email open ([sources.email] opens = true imports them)")
                continue
            elif action == "bounce":
                out.skip("email bounce")
                continue
            else:
                out.reject("interactions", n, f"{email}: unknown action {action!r}", raw)
                continue
            if name is not None:
                row["actor_name"] = name
            out.add("interactions", row)
    total = doc.get("total_items")
    if isinstance(total, int) and total > len(items):
        out.skip(
            "recipient of the campaign on another page (save every page: ?count=&offset=)",
            total - len(items),
        )
    add_campaign_posts(out, sender, first_at, people if identities else {})
    return out


MAILCHIMP_ACTIVITY = register(
    Format(
        name="mailchimp-activity",
        description="Mailchimp Marketing API reports (JSON): per-recipient email-activity "
        "(clicks, opens) and unsubscribed",
        detect=detect,
        read=read,
        tables=("interactions", "posts", "identities"),
        docs="docs/sources/mailchimp-activity.md",
    )
)
