"""The demo's newsletter as the email tool reports it: ``exports/newsletter_activity.csv``.

A Mailchimp-style per-event activity export (format ``email-activity``: "Email Address",
"First Name", "Last Name", "Campaign", "Action", "Timestamp", "URL"), one ``click`` row per
newsletter visit of a person the demo knows by email:

* a **newsletter visit** is a visit tagged ``utm_source=newsletter`` and ``utm_medium=email``
  (from its UTM columns, else from its landing URL's query); its ``utm_campaign``
  (``newsletter-<send date>``, the simulator's fortnightly schedule) is the campaign;
* its **recipient** is the person behind the visit's ``visitor_id`` — an ``identities`` row of
  kind ``visitor``, else a conversion carrying that visitor id with an email or customer id
  that an identity ties to a person — and the address is that person's ``email`` identity
  (the smallest, if several). A visit nobody can name is left out: the email tool knows
  addresses, not anonymous visitors;
* the click is at the visit's start minus 2 to 40 seconds (the time to open the browser), and
  its URL is the visit's landing URL.

Every row is a fact the interchange tables do not hold (the simulated newsletter exists there
only as visits), so the exporter covers nothing. It runs before the web exporter, which moves
the visits it logs out of the tables the later exporters see; no id this file carries is
rewritten by it.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import numpy as np

from goodwill.simulate.exports import ExportInput, ExportResult, SimRow

__all__ = ["EMAIL_ACTIVITY_FILE", "HEADER", "export_email", "newsletter_clicks"]

EMAIL_ACTIVITY_FILE = "newsletter_activity.csv"
HEADER = ("Email Address", "First Name", "Last Name", "Campaign", "Action", "Timestamp", "URL")


def _utm(row: SimRow) -> tuple[str | None, str | None, str | None]:
    """(source, medium, campaign) of a visit: its columns, else its landing URL's query."""
    cols = (row.get("utm_source"), row.get("utm_medium"), row.get("utm_campaign"))
    if any(cols):
        return cols
    query = parse_qs(urlsplit(row.get("landing_url") or "").query)
    got = [query.get(k, [None])[0] for k in ("utm_source", "utm_medium", "utm_campaign")]
    return got[0], got[1], got[2]


def _emails_by_visitor(tables: Mapping[str, Sequence[SimRow]]) -> dict[str, tuple[str, str]]:
    """visitor_id -> (email, display name) of the person the tables tie that visitor to."""
    person_of: dict[tuple[str, str], str] = {}
    email_of: dict[str, tuple[str, str]] = {}
    for row in tables.get("identities", ()):
        kind, val, ref = row.get("kind"), row.get("value"), row.get("person_ref")
        if not kind or not val or not ref:
            continue
        key = val.lower() if kind == "email" else val
        person_of.setdefault((kind, key), ref)
        if kind == "email" and (ref not in email_of or key < email_of[ref][0]):
            email_of[ref] = (key, row.get("display_name") or "")
    person_by_visitor: dict[str, str] = {}
    for (kind, val), ref in sorted(person_of.items()):
        if kind == "visitor":
            person_by_visitor[val] = ref
    for row in tables.get("conversions", ()):
        vid = row.get("visitor_id")
        if not vid or vid in person_by_visitor:
            continue
        ref = person_of.get(("email", (row.get("email") or "").lower())) or person_of.get(
            ("customer", row.get("customer_id") or "")
        )
        if ref is not None:
            person_by_visitor[vid] = ref
    return {v: email_of[ref] for v, ref in person_by_visitor.items() if ref in email_of}


def newsletter_clicks(
    tables: Mapping[str, Sequence[SimRow]], seed: int
) -> list[tuple[str, str, str, str, str, str, str]]:
    """The export's rows (:data:`HEADER` order), in time order (module docstring)."""
    rng = np.random.default_rng([seed, 43])
    known = _emails_by_visitor(tables)
    out: list[tuple[datetime, tuple[str, str, str, str, str, str, str]]] = []
    for row in tables.get("visits", ()):
        source, medium, campaign = _utm(row)
        who = known.get(row.get("visitor_id") or "")
        if source != "newsletter" or medium != "email" or who is None:
            continue
        email, name = who
        first, _, last = name.partition(" ")
        started = datetime.fromisoformat((row.get("started_at") or "").removesuffix("Z"))
        at = started - timedelta(seconds=int(rng.integers(2, 41)))
        stamp = at.strftime("%Y-%m-%d %H:%M:%S")
        url = row.get("landing_url") or ""
        out.append((at, (email, first, last, campaign or "newsletter", "click", stamp, url)))
    out.sort(key=lambda r: (r[0], r[1][0]))
    return [r for _, r in out]


def export_email(inp: ExportInput) -> ExportResult:
    """Write ``newsletter_activity.csv`` (module docstring); covers nothing."""
    path = inp.out_dir / EMAIL_ACTIVITY_FILE
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(newsletter_clicks(inp.tables, inp.seed))
    return ExportResult(paths=[path])
