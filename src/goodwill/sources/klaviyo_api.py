"""Klaviyo per-recipient email activity as its API reports it → interactions on ``email``.

**klaviyo-events** reads the JSON body of ``GET https://a.klaviyo.com/api/events/`` (JSON:API,
any revision since 2023), saved one page per file with the metric and profile of each event
included: ``curl -H "Authorization: Klaviyo-API-Key $KEY" -H "revision: 2024-10-15"
"https://a.klaviyo.com/api/events/?include=metric,profile&filter=..." > events.json``.

* ``data[]`` — ``{"type": "event", "id", "attributes": {"timestamp", "datetime", "uuid",
  "event_properties": {"Campaign Name", "Subject", "$message", "URL", "machine_open",
  ...}}, "relationships": {"metric": {"data": {"id"}}, "profile": {"data": {"id"}}}}``;
* ``included[]`` — the ``metric`` objects (``attributes.name``: "Clicked Email", ...) and the
  ``profile`` objects (``attributes.email``, ``first_name``, ``last_name``) they point to.

By the event's metric name:

* **Clicked Email** → an inbound interaction of kind ``click`` (``url`` the event's
  ``URL``); **Clicked SMS**/other channels are not email and are counted as left out;
* **Unsubscribed** / **Unsubscribed from Email Marketing** → ``unfollow``;
* **Opened Email** → kind ``open`` only with ``opens = true`` under ``[sources.email]``
  (Apple Mail Privacy Protection opens every message), otherwise counted as left out; an
  open Klaviyo marks ``"machine_open": true`` is always counted as left out;
* **Received Email**, **Bounced Email**, **Dropped Email**, **Marked Email as Spam** and
  every other metric (Placed Order, Viewed Product, ...) are counted as left out: not an act
  of the recipient on the email, or not email activity (orders come from the shop's export).

The actor is the profile's email (lowercased), the target the brand's sender (as for
:mod:`goodwill.sources.email`), ``interaction_id`` ``klaviyo-<event id>`` (importing a page
again changes nothing), ``created_at`` the event's ``datetime`` (else its Unix
``timestamp``), ``post_id`` the slug of ``Campaign Name`` (a flow message has none: the
``$flow`` id, then the ``$message`` id; ``campaign`` under ``[sources.email]`` overrides).
Each campaign is a ``posts`` row on ``email`` published at its first event. The profile's
``location`` (which holds an ``ip``) and every other profile attribute are never read: no raw
IP is stored (the raw text of a quarantined event has every IP-like address masked: some
events carry a sending server's IP). An event without a metric or a profile email in
``included`` is quarantined
with its number in ``data`` (1-based); a page whose ``links.next`` is set is imported and
counted as followed by more (save every page). ``identities = true`` under
``[sources.email]`` adds an ``email`` identity with the profile's name per recipient.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from goodwill.errors import UserInputError
from goodwill.sources.accesslog import mask_ip
from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.crm import clean_email, first_line, person_ref
from goodwill.sources.csvmap import Field, head_text, option, parse_timestamp, read_export, value
from goodwill.sources.email import _slug, add_campaign_posts
from goodwill.sources.interchange import LINE_COLUMN

__all__ = ["KLAVIYO_EVENTS", "KLAVIYO_PROFILES", "detect", "read", "read_profiles"]

_YES = {"1", "true", "yes", "on"}
_UNSUBSCRIBE = {"unsubscribed", "unsubscribed from email marketing", "unsubscribed from list"}


def _is_events_page(doc: Any) -> bool:
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
        return False
    items = doc["data"]
    return bool(items) and all(
        isinstance(i, dict)
        and i.get("type") == "event"
        and isinstance(i.get("relationships"), dict)
        and "metric" in i["relationships"]
        for i in items
    )


def detect(path: Path) -> bool:
    """A JSON object whose ``data`` is a list of JSON:API ``event`` objects with a ``metric``
    relationship. Reads the head for the cheap check, the whole file only when it is JSON
    that looks like one."""
    if not path.is_file() or path.suffix.lower() not in (".json", ".txt", ""):
        return False
    head = head_text(path, 8192).lstrip()
    if not head.startswith("{") or '"data"' not in head:
        return False
    compact = head.replace(" ", "")
    if '"type":"event"' not in compact or '"event_properties"' not in compact:
        return False
    try:
        return _is_events_page(json.loads(path.read_text(encoding="utf-8-sig")))
    except (ValueError, UnicodeDecodeError):
        return False


def _included(doc: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for item in doc.get("included") or []:
        if isinstance(item, dict) and item.get("type") == kind and "id" in item:
            attributes = item.get("attributes")
            out[str(item["id"])] = attributes if isinstance(attributes, dict) else {}
    return out


def _related(event: dict[str, Any], name: str) -> str | None:
    rel = (event.get("relationships") or {}).get(name) or {}
    data = rel.get("data") if isinstance(rel, dict) else None
    return str(data["id"]) if isinstance(data, dict) and "id" in data else None


def _when(attributes: dict[str, Any]) -> str:
    text = attributes.get("datetime")
    if isinstance(text, str) and text.strip():
        return parse_timestamp(text)
    stamp = attributes.get("timestamp")
    if isinstance(stamp, int | float) and not isinstance(stamp, bool):
        return datetime.fromtimestamp(stamp, UTC).replace(tzinfo=None).isoformat()
    raise ValueError("no datetime or timestamp")


def read(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """One ``/api/events/`` page (module docstring)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserInputError(f"{path}: not a Klaviyo events page (JSON): {exc}") from None
    if not _is_events_page(doc):
        raise UserInputError(
            f"{path}: not a Klaviyo /api/events/ page (no 'data' list of 'event' objects with "
            "a metric relationship)"
        )
    metrics = {k: str(v.get("name") or "") for k, v in _included(doc, "metric").items()}
    profiles = _included(doc, "profile")
    if not metrics:
        raise UserInputError(
            f"{path}: the events page does not include their metrics; save it with "
            "?include=metric,profile so that each event's kind (Clicked Email, ...) is known"
        )
    out = AdapterOutput()
    opens = (option(ctx.options, "email.opens") or "").casefold() in _YES
    identities = (option(ctx.options, "email.identities") or "").casefold() in _YES
    sender = ctx.brand_handles.get("email") or option(ctx.options, "email.sender") or "newsletter"
    given_title = option(ctx.options, "email.campaign")
    first_at: dict[str, tuple[str, str]] = {}  # slug -> (title, first event)
    people: dict[str, tuple[str | None, int]] = {}
    for n, event in enumerate(doc["data"], 1):
        raw = mask_ip(json.dumps(event, ensure_ascii=False)[:2000])
        attributes = event.get("attributes") or {}
        props = attributes.get("event_properties") or {}
        metric_id = _related(event, "metric")
        metric = metrics.get(metric_id or "")
        if not metric:
            out.reject("interactions", n, f"event {event.get('id')}: metric not included", raw)
            continue
        kind = _kind(metric, props, opens, out)
        if kind is None:
            continue
        profile = profiles.get(_related(event, "profile") or "")
        try:
            if profile is None:
                raise ValueError("profile not included (save with ?include=metric,profile)")
            email = clean_email(str(profile.get("email") or ""))
            at = _when(attributes)
        except ValueError as exc:
            out.reject("interactions", n, f"event {event.get('id')}: {exc}", raw)
            continue
        title = given_title or str(
            props.get("Campaign Name") or props.get("$flow") or props.get("$message") or path.stem
        )
        slug = _slug(title)
        if slug not in first_at or at < first_at[slug][1]:
            first_at[slug] = (title, at)
        parts = [str(profile.get(k) or "").strip() for k in ("first_name", "last_name")]
        name = " ".join(p for p in parts if p) or None
        people.setdefault(email, (name, n))
        row: Row = {
            "platform": "email",
            "interaction_id": f"klaviyo-{event.get('id')}",
            "created_at": at,
            "kind": kind,
            "direction": "inbound",
            "actor_handle": email,
            "actor_name": name,
            "target_handle": sender,
            "post_id": slug,
            "url": str(props["URL"]) if kind == "click" and props.get("URL") else None,
            LINE_COLUMN: n,
        }
        out.add("interactions", row)
    if (doc.get("links") or {}).get("next"):
        out.skip("Klaviyo events page followed by more (links.next: save every page)")
    add_campaign_posts(out, sender, first_at, people if identities else {})
    return out


def _kind(metric: str, props: dict[str, Any], opens: bool, out: AdapterOutput) -> str | None:
    """The interaction kind of a metric, or ``None`` (counted as left out)."""
    name = metric.casefold()
    if name == "clicked email":
        return "click"
    if name in _UNSUBSCRIBE:
        return "unfollow"
    if name == "opened email":
        if props.get("machine_open") is True:
            out.skip("Klaviyo machine open (machine_open: true)")
            return None
        if not opens:
            out.skip("email open ([sources.email] opens = true imports them)")
            return None
        return "open"
    out.skip(f"Klaviyo {metric} event (not a recipient's act on an email)")
    return None


PROFILE_FIELDS: tuple[Field, ...] = (
    Field("id", ("Klaviyo ID",), required=True),
    Field("email", ("Email",)),
    Field("first_name", ("First Name",)),
    Field("last_name", ("Last Name",)),
    Field("consent", ("Email Marketing Consent",)),
    Field("consent_at", ("Email Marketing Consent Timestamp",)),
)

# Klaviyo's email marketing consent states → the consent ledger's status (NEVER_SUBSCRIBED:
# no event was ever given, so none is recorded)
_CONSENT = {"subscribed": "granted", "unsubscribed": "withdrawn", "never_subscribed": None}


def detect_profiles(path: Path) -> bool:
    """A CSV whose header names "Klaviyo ID" and "Email" (a list, segment or profile export)."""
    line = first_line(path)
    return "klaviyo id" in line and "email" in line


def read_profiles(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Klaviyo's profile export (Lists & Segments › Export, or a profile export) → an
    ``email`` identity per profile with its name; the person is ``email-<address>``, else
    ``klaviyo-<Klaviyo ID>``. Only these four columns are read: never "IP Address",
    location or value columns; a quarantined line's raw text has its IPs masked.

    The profile's email marketing consent becomes an event of the consent ledger
    (:mod:`goodwill.people.consent`) for channel ``email``: "Email Marketing Consent"
    ``SUBSCRIBED`` → ``granted``, ``UNSUBSCRIBED`` → ``withdrawn``, at "Email Marketing
    Consent Timestamp" (naive: UTC), source ``klaviyo``; ``NEVER_SUBSCRIBED`` or an empty
    cell records nothing. A state without a timestamp, or a value that is neither, is
    quarantined under ``consent`` with its line (the profile's identity still loads)."""
    out, csv_file, f = read_export(path, "identities", PROFILE_FIELDS, ctx.mapping)
    for rec in csv_file.records:
        kid = value(rec, f, "id")
        email = value(rec, f, "email")
        if kid is None and email is None:
            out.reject(
                "identities", rec.line, "neither a Klaviyo ID nor an email", mask_ip(rec.raw)
            )
            continue
        if email is None:
            out.skip("Klaviyo profile without an email (phone only: not an identity)")
            continue
        person = person_ref(email, f"klaviyo-{kid}")
        parts = [value(rec, f, "first_name"), value(rec, f, "last_name")]
        name = " ".join(p for p in parts if p) or None
        try:
            address = clean_email(email)
        except ValueError as exc:
            out.reject("identities", rec.line, str(exc), mask_ip(rec.raw))
            continue
        out.add(
            "identities",
            {
                "kind": "email",
                "value": address,
                "person_ref": person,
                "display_name": name,
                LINE_COLUMN: rec.line,
            },
        )
        _profile_consent(
            out, rec.line, rec.raw, address, value(rec, f, "consent"), value(rec, f, "consent_at")
        )
    return out


def _profile_consent(
    out: AdapterOutput, line: int, raw: str, address: str, state: str | None, at: str | None
) -> None:
    """The consent ledger event of one profile row (see :func:`read_profiles`)."""
    if state is None:
        return
    key = state.strip().lower().replace(" ", "_")
    if key not in _CONSENT:
        reason = (
            f"Email Marketing Consent {state!r}: expected SUBSCRIBED, UNSUBSCRIBED or "
            "NEVER_SUBSCRIBED"
        )
        out.reject("consent", line, reason, mask_ip(raw))
        return
    status = _CONSENT[key]
    if status is None:
        return
    if at is None:
        out.reject(
            "consent",
            line,
            f"Email Marketing Consent {state!r} without its timestamp",
            mask_ip(raw),
        )
        return
    try:
        when = parse_timestamp(at)
    except ValueError as exc:
        out.reject("consent", line, f"Email Marketing Consent Timestamp: {exc}", mask_ip(raw))
        return
    out.add(
        "consent",
        {
            "kind": "email",
            "value": address,
            "channel": "email",
            "status": status,
            "recorded_at": when,
            "source": "klaviyo",
            LINE_COLUMN: line,
        },
    )


KLAVIYO_PROFILES = register(
    Format(
        name="klaviyo-profiles",
        description="Klaviyo profile / list export CSV (Email, Klaviyo ID, names, email "
        "marketing consent): email identities and consent ledger events; IP and location "
        "columns not read",
        detect=detect_profiles,
        read=read_profiles,
        tables=("identities", "consent"),
        docs="docs/sources/klaviyo-events.md#klaviyo-profiles",
    )
)

KLAVIYO_EVENTS = register(
    Format(
        name="klaviyo-events",
        description="Klaviyo API events page (JSON, ?include=metric,profile): per-recipient "
        "email clicks, opens and unsubscribes",
        detect=detect,
        read=read,
        tables=("interactions", "posts", "identities"),
        docs="docs/sources/klaviyo-events.md",
    )
)
