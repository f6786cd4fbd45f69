"""CRM exports: contacts (→ identities, and leads for HubSpot) and leads/orders/refunds.

Three formats (columns documented in docs/sources/business.md):

* **hubspot-contacts** — HubSpot's contacts export ("Record ID", "First Name", "Last Name",
  "Email", "Create Date", "Lifecycle Stage", "Twitter Username", ...). Each contact becomes
  identities ``email`` and ``handle:x`` (display name "First Last"), and a conversion at its
  Create Date: ``signup`` for the Subscriber stage, ``lead`` for Lead and every later stage
  (MQL, SQL, Opportunity, Customer, Evangelist), none for Other or no stage.
* **crm-contacts** — any contact list: a contact id (the person, as your CRM names it),
  email, name, customer id, referral code and social handles (``handle:<platform>`` fields:
  X/Twitter, Mastodon, Bluesky, Instagram, Facebook, LinkedIn, TikTok, YouTube, Threads; any
  other platform through ``--map handle:<platform>=Header``).
* **crm-conversions** — any list of leads, signups, orders and refunds: id, date, type,
  value, currency, customer id, email, visitor id, referral code. Types: lead, signup (also
  sign-up, registration, subscription), order (also purchase, sale), refund (also return,
  chargeback); without a type column every row is of the kind set in goodwill.toml
  (``[sources.crm-conversions] kind = "lead"``; default ``order``).
  An order with a negative value is a refund of that amount; refunds are stored positive (the
  metrics subtract them).

**Which person.** The identities of one row share one ``person_ref``: the contact id column of
crm-contacts when the file has one; otherwise ``email-<address>`` when the row has a valid
email, else ``<source>-<record id>`` (``hubspot-5101``). Keying people by email means the same
address in HubSpot, Shopify and the email tool is one person (identities are keyed by kind and
value, so a second source naming the same email under another person would take it over).

Emails and handles are lowercased; a handle given as a profile URL keeps only the account
name; an email without ``@`` is quarantined (the contact's other identities still load).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from goodwill.errors import UserInputError
from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.csvmap import (
    CsvFile,
    CsvRecord,
    Field,
    Fields,
    date_orders,
    head_text,
    option,
    parse_amount,
    parse_timestamp,
    read_export,
    value,
)
from goodwill.sources.interchange import LINE_COLUMN

__all__ = [
    "CONTACT_FIELDS",
    "CONVERSION_FIELDS",
    "CONVERSION_KINDS",
    "CRM_CONTACTS",
    "CRM_CONVERSIONS",
    "HANDLE_HEADERS",
    "HUBSPOT_CONTACTS",
    "HUBSPOT_FIELDS",
    "HUBSPOT_STAGES",
    "clean_email",
    "clean_handle",
    "first_line",
    "person_ref",
    "read_contacts",
    "read_conversions",
    "read_hubspot",
]

HANDLE_HEADERS: Mapping[str, tuple[str, ...]] = {
    "x": ("X", "Twitter", "X Handle", "Twitter Handle", "Twitter Username", "X Username"),
    "mastodon": ("Mastodon", "Mastodon Handle"),
    "bluesky": ("Bluesky", "Bluesky Handle"),
    "instagram": ("Instagram", "Instagram Handle", "Instagram Username"),
    "facebook": ("Facebook", "Facebook Handle"),
    "linkedin": ("LinkedIn", "LinkedIn Handle", "LinkedIn URL"),
    "tiktok": ("TikTok", "TikTok Handle"),
    "youtube": ("YouTube", "YouTube Handle"),
    "threads": ("Threads", "Threads Handle"),
}

CONTACT_FIELDS: tuple[Field, ...] = (
    Field("id", ("Contact ID", "Person", "Person Ref", "person_ref", "ID")),
    Field("email", ("Email", "E-mail", "Email Address", "E-mail Address")),
    Field("name", ("Name", "Full Name", "Display Name")),
    Field("first_name", ("First Name", "Firstname")),
    Field("last_name", ("Last Name", "Lastname", "Surname")),
    Field("customer_id", ("Customer ID", "Customer Number")),
    Field("referral_code", ("Referral Code",)),
    *(Field(f"handle:{p}", headers) for p, headers in HANDLE_HEADERS.items()),
)

HUBSPOT_FIELDS: tuple[Field, ...] = (
    Field("id", ("Record ID", "Contact ID"), required=True),
    Field("email", ("Email",)),
    Field("first_name", ("First Name",)),
    Field("last_name", ("Last Name",)),
    Field("created_at", ("Create Date", "Created Date")),
    Field("stage", ("Lifecycle Stage",)),
    Field("handle:x", ("Twitter Username",)),
)

HUBSPOT_STAGES: Mapping[str, str | None] = {
    "subscriber": "signup",
    "lead": "lead",
    "marketing qualified lead": "lead",
    "marketingqualifiedlead": "lead",
    "sales qualified lead": "lead",
    "salesqualifiedlead": "lead",
    "opportunity": "lead",
    "customer": "lead",
    "evangelist": "lead",
    "other": None,
}
"""Lifecycle stage (label or internal value) -> the conversion the contact counts as."""

CONVERSION_FIELDS: tuple[Field, ...] = (
    Field("id", ("Conversion ID", "Order ID", "Lead ID", "Order", "ID"), required=True),
    Field(
        "occurred_at",
        ("Occurred At", "Date", "Created At", "Created", "Order Date", "Timestamp"),
        required=True,
    ),
    Field("kind", ("Type", "Kind", "Conversion Type")),
    Field("value", ("Value", "Amount", "Total", "Revenue")),
    Field("currency", ("Currency",)),
    Field("customer_id", ("Customer ID", "Customer")),
    Field("email", ("Email", "E-mail", "Email Address")),
    Field("visitor_id", ("Visitor ID",)),
    Field("referral_code", ("Referral Code",)),
)

CONVERSION_KINDS: Mapping[str, str] = {
    "lead": "lead",
    "signup": "signup",
    "sign-up": "signup",
    "sign up": "signup",
    "registration": "signup",
    "subscription": "signup",
    "order": "order",
    "purchase": "order",
    "sale": "order",
    "refund": "refund",
    "return": "refund",
    "chargeback": "refund",
}

_URL = re.compile(r"^https?://(?:www\.)?([^/]+)/+(.*)$", re.IGNORECASE)


def first_line(path: Path) -> str:
    """The first non-empty line of ``path``, casefolded (for detection)."""
    return next((ln for ln in head_text(path).splitlines() if ln.strip()), "").casefold()


def clean_email(text: str) -> str:
    """Lowercased email; ValueError when it has no ``@``."""
    email = text.strip().lower()
    if email.startswith("mailto:"):
        email = email[7:]
    if "@" not in email.strip("@") or " " in email:
        raise ValueError(f"not an email address: {text!r}")
    return email


def clean_handle(platform: str, text: str) -> str:
    """A handle as stored: lowercased, without a leading ``@``; a profile URL gives its
    account name (Mastodon: ``name@instance``)."""
    s = text.strip()
    m = _URL.match(s)
    if m:
        host, rest = m.group(1).lower(), m.group(2).strip("/")
        parts = [p for p in rest.split("/") if p and p not in ("in", "company", "user", "u")]
        name = parts[0] if parts else rest
        if platform == "mastodon" and name.startswith("@"):
            return f"{name[1:]}@{host}".lower()
        s = name
    return s.lstrip("@").lower()


def person_ref(email: str | None, fallback: str) -> str:
    """``email-<address>`` for a valid email, else ``fallback`` (module docstring)."""
    if email is None:
        return fallback
    try:
        return f"email-{clean_email(email)}"
    except ValueError:  # not an address: the row keeps the source's own id
        return fallback


def _name(rec: CsvRecord, f: Fields) -> str | None:
    name = value(rec, f, "name")
    if name is None:
        parts = [value(rec, f, "first_name"), value(rec, f, "last_name")]
        name = " ".join(p for p in parts if p) or None
    return name


def _identities(
    out: AdapterOutput, rec: CsvRecord, f: Fields, person: str, name: str | None
) -> None:
    def add(kind: str, val: str) -> None:
        out.add(
            "identities",
            {
                "kind": kind,
                "value": val,
                "person_ref": person,
                "display_name": name,
                LINE_COLUMN: rec.line,
            },
        )

    email = value(rec, f, "email")
    if email is not None:
        try:
            add("email", clean_email(email))
        except ValueError as exc:
            out.reject("identities", rec.line, str(exc), rec.raw)
    customer = value(rec, f, "customer_id")
    if customer is not None:
        add("customer", customer.lstrip("'"))
    code = value(rec, f, "referral_code")
    if code is not None:
        add("referral", code)
    for field_name in sorted(n for n in f if n.startswith("handle:")):
        handle = value(rec, f, field_name)
        if handle is not None:
            platform = field_name.removeprefix("handle:").lower()
            add(f"handle:{platform}", clean_handle(platform, handle))


def _is_handle_field(name: str) -> bool:
    return name.startswith("handle:") and len(name) > 7


def read_contacts(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """A generic contact list -> identities (module docstring)."""
    out, csv_file, f = read_export(
        path, "identities", CONTACT_FIELDS, ctx.mapping, extra=_is_handle_field
    )
    for rec in csv_file.records:
        person = value(rec, f, "id")
        if person is None:
            email = value(rec, f, "email")
            if email is None:
                out.reject("identities", rec.line, "neither a contact id nor an email", rec.raw)
                continue
            person = person_ref(email, "")
        _identities(out, rec, f, person, _name(rec, f))
    return out


def read_hubspot(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """HubSpot contacts -> identities and lead/signup conversions (module docstring)."""
    out, csv_file, f = read_export(
        path, "identities", HUBSPOT_FIELDS, ctx.mapping, extra=_is_handle_field
    )
    dayfirst = date_orders(csv_file, f, ("created_at",), ctx.options).get("created_at", False)
    for rec in csv_file.records:
        record_id = value(rec, f, "id")
        if record_id is None:
            out.reject("identities", rec.line, "no Record ID", rec.raw)
            continue
        person = person_ref(value(rec, f, "email"), f"hubspot-{record_id}")
        _identities(out, rec, f, person, _name(rec, f))
        stage = (value(rec, f, "stage") or "").casefold()
        kind = HUBSPOT_STAGES.get(stage)
        email = value(rec, f, "email")
        if kind is None or email is None:
            out.skip("contact without a lead stage or email (no conversion)")
            continue
        created = value(rec, f, "created_at")
        try:
            at = parse_timestamp(created or "", dayfirst=dayfirst)
            mail = clean_email(email)
        except ValueError as exc:
            out.reject("conversions", rec.line, f"Create Date: {exc}", rec.raw)
            continue
        out.add(
            "conversions",
            {
                "conversion_id": f"hubspot-{kind}-{record_id}",
                "occurred_at": at,
                "kind": kind,
                "value": "0",
                "email": mail,
                LINE_COLUMN: rec.line,
            },
        )
    return out


def _conversion(rec: CsvRecord, f: Fields, default_kind: str, dayfirst: bool = False) -> Row:
    raw_kind = (value(rec, f, "kind") or default_kind).casefold()
    kind = CONVERSION_KINDS.get(raw_kind)
    if kind is None:
        raise ValueError(f"type {raw_kind!r} is not one of lead, signup, order, refund")
    amount_text = value(rec, f, "value")
    amount = parse_amount(amount_text) if amount_text is not None else Decimal(0)
    if amount < 0 and kind in ("order", "refund"):
        kind, amount = "refund", -amount
    email = value(rec, f, "email")
    return {
        "conversion_id": value(rec, f, "id"),
        "occurred_at": parse_timestamp(value(rec, f, "occurred_at") or "", dayfirst=dayfirst),
        "kind": kind,
        "value": str(amount),
        "currency": value(rec, f, "currency"),
        "customer_id": value(rec, f, "customer_id"),
        "email": clean_email(email) if email is not None else None,
        "visitor_id": value(rec, f, "visitor_id"),
        "referral_code": value(rec, f, "referral_code"),
        LINE_COLUMN: rec.line,
    }


def _require_value(csv_file: CsvFile, f: Fields, default_kind: str) -> None:
    """Orders and refunds need their amount: a file that has some and no value column would
    import every one as 0.00, so it is an error naming the headers the file has."""
    kinds = {
        CONVERSION_KINDS.get((value(rec, f, "kind") or default_kind).casefold())
        for rec in csv_file.records
    }
    money = sorted(k for k in kinds if k in ("order", "refund"))
    if not money:
        return
    looked = ", ".join(
        repr(h) for h in next(x for x in CONVERSION_FIELDS if x.name == "value").headers
    )
    raise UserInputError(
        f"{csv_file.path}: no column for 'value' (looked for {looked}), and the file has "
        f"{' and '.join(k + 's' for k in money)} whose amounts would import as 0.00; its "
        f"columns are {', '.join(repr(h) for h in csv_file.header)}; name the amount column "
        "with --map value=<header>"
    )


def read_conversions(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """A generic list of leads/signups/orders/refunds -> conversions (module docstring)."""
    out, csv_file, f = read_export(path, "conversions", CONVERSION_FIELDS, ctx.mapping)
    default_kind = option(ctx.options, "crm-conversions.kind") or "order"
    if "value" not in f:
        _require_value(csv_file, f, default_kind)
    dayfirst = date_orders(csv_file, f, ("occurred_at",), ctx.options).get("occurred_at", False)
    for rec in csv_file.records:
        try:
            out.add("conversions", _conversion(rec, f, default_kind, dayfirst))
        except ValueError as exc:
            out.reject("conversions", rec.line, str(exc), rec.raw)
    return out


def _detect_hubspot(path: Path) -> bool:
    line = first_line(path)
    return "record id" in line and "lifecycle stage" in line


def _detect_contacts(path: Path) -> bool:
    line = first_line(path)
    return "contact id" in line and "email" in line and "record id" not in line


def _detect_conversions(path: Path) -> bool:
    line = first_line(path)
    return "conversion id" in line and ("type" in line or "kind" in line)


HUBSPOT_CONTACTS = register(
    Format(
        name="hubspot-contacts",
        description="HubSpot contacts export: emails, X handles, leads by lifecycle stage",
        detect=_detect_hubspot,
        read=read_hubspot,
        tables=("identities", "conversions"),
        docs="docs/sources/business.md#hubspot-contacts",
    )
)

CRM_CONTACTS = register(
    Format(
        name="crm-contacts",
        description="Contact list CSV (contact id, email, name, customer id, social handles)",
        detect=_detect_contacts,
        read=read_contacts,
        tables=("identities",),
        docs="docs/sources/business.md#crm-contacts",
    )
)

CRM_CONVERSIONS = register(
    Format(
        name="crm-conversions",
        description="Leads, signups, orders and refunds CSV (id, date, type, value, email...)",
        detect=_detect_conversions,
        read=read_conversions,
        tables=("conversions",),
        docs="docs/sources/business.md#crm-conversions",
    )
)
