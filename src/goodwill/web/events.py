"""What a collected event may hold: one check shared by the collector and the spool loader.

The collector answers ``202`` only for an event every field of which fits the warehouse's
``collected_events`` columns, and the loader checks each spooled event again (a spool written by
an older goodwill, or edited by hand, may hold anything). :func:`event_problem` names the first
field that does not fit, or returns ``None``:

* text fields are strings of at most :data:`MAX_TEXT` characters with no NUL character and no
  lone UTF-16 surrogate (``"\\ud800"`` decodes from JSON but cannot be written as UTF-8);
* ``value`` is a finite decimal number whose absolute value is below ``10^14``, the range of
  ``DECIMAL(18,4)`` (14 digits before the point);
* ``currency`` is three ASCII letters (ISO 4217);
* ``occurred_at`` (set by the collector) is a naive ISO 8601 timestamp between the years 1 and
  9999;
* ``kind`` is ``pageview``, ``event`` (with a ``name``) or ``click``; ``event_id``, ``site`` and
  ``visitor_id`` are present.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

__all__ = [
    "KINDS",
    "MAX_TEXT",
    "MAX_VALUE",
    "REQUIRED",
    "TEXT_FIELDS",
    "event_problem",
    "text_problem",
    "value_problem",
]

MAX_TEXT: Final = 2048
"""Longest text the collector keeps in one field (longer input is cut to this)."""
MAX_VALUE: Final = Decimal(10) ** 14
"""``DECIMAL(18,4)`` holds 14 digits before the point: values must be below this in size."""
KINDS: Final = ("pageview", "event", "click")
TEXT_FIELDS: Final = (
    "event_id",
    "kind",
    "name",
    "site",
    "visitor_id",
    "url",
    "referrer",
    "user_agent",
    "link_code",
    "currency",
    "email",
)
REQUIRED: Final = ("event_id", "kind", "site", "occurred_at", "visitor_id")
_CURRENCY: Final = re.compile(r"[A-Za-z]{3}")


def text_problem(key: str, value: object) -> str | None:
    """Why ``value`` cannot be stored in text field ``key`` (``None``: it can)."""
    if value is None:
        return None
    if not isinstance(value, str):
        return f"field {key!r} must be a string"
    if len(value) > MAX_TEXT:
        return f"field {key!r} is longer than {MAX_TEXT} characters"
    if "\x00" in value:
        return f"field {key!r} contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return f"field {key!r} contains a lone surrogate (not valid Unicode text)"
    return None


def value_problem(value: object) -> str | None:
    """Why ``value`` cannot be stored as the event's ``DECIMAL(18,4)`` value."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return "field 'value' must be a number"
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return f"field 'value' {str(value)[:40]!r} is not a number"
    if not number.is_finite():
        return f"field 'value' {str(value)[:40]!r} is not a finite number"
    if abs(number) >= MAX_VALUE:
        return f"field 'value' {str(value)[:40]!r} is out of range (|value| < 10^14)"
    return None


def _time_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return "field 'occurred_at' must be an ISO 8601 timestamp"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return f"field 'occurred_at' {value[:40]!r} is not an ISO 8601 timestamp"
    if parsed.tzinfo is not None:
        return f"field 'occurred_at' {value[:40]!r} must be naive UTC"
    return None


def event_problem(event: dict[str, Any]) -> str | None:
    """The first reason ``event`` (as spooled) cannot be stored, or ``None``."""
    for key in REQUIRED:
        if not event.get(key):
            return f"field {key!r} is missing"
    for key in TEXT_FIELDS:
        problem = text_problem(key, event.get(key))
        if problem:
            return problem
    if event["kind"] not in KINDS:
        return f"field 'kind' {event['kind'][:40]!r} is not one of {', '.join(KINDS)}"
    if event["kind"] == "event" and not event.get("name"):
        return "an event of kind 'event' needs a 'name'"
    currency = event.get("currency")
    if currency is not None and not _CURRENCY.fullmatch(currency):
        return f"field 'currency' {currency[:40]!r} is not a three-letter ISO 4217 code"
    return value_problem(event.get("value")) or _time_problem(event.get("occurred_at"))
