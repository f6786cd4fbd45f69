"""Shopify exports: customers (→ identities) and orders (→ orders and refunds).

* **shopify-customers** — Admin › Customers › Export ("Customer ID", "First Name",
  "Last Name", "Email", "Accepts Email Marketing", ..., "Total Spent", "Total Orders", ...).
  Each customer gives identities ``customer`` (the Customer ID, without the ``'`` Excel guard
  Shopify prefixes) and ``email``, person ``email-<address>`` (without a valid email:
  ``shopify-<Customer ID>``; see :mod:`goodwill.sources.crm`), display name "First Last".
  A "Phone" (else "Default Address Phone", without the ``'`` guard) also gives identity
  ``customer`` ``phone:<digits>``, the key an order without email names its buyer by.
  Totals are not conversions (the orders export carries each order).
* **shopify-orders** — Admin › Orders › Export ("Name", "Email", "Financial Status",
  "Paid at", "Currency", "Subtotal", "Total", "Created at", "Lineitem name", ...,
  "Cancelled at", "Refunded Amount", ...). The export has **one row per line item**: the
  order's fields are on its first row and empty on the others; rows are grouped by "Name"
  (``#1001``). Each order becomes conversion ``shopify-<Name>`` (kind ``order``, value
  "Total", currency "Currency", at "Created at", email lowercased); an order whose
  "Refunded Amount" is above zero also gives ``shopify-<Name>-refund`` (kind ``refund``, that
  amount) at "Cancelled at" when set, else at "Created at" (the export has no refund date).
  Which orders are sales follows Shopify's financial statuses (the Order API's
  ``financial_status`` / GraphQL ``OrderDisplayFinancialStatus``; see
  docs/sources/business.md#shopify-orders): ``paid``, ``partially_paid`` (the sale is made,
  the rest is owed: value "Total"), ``partially_refunded`` and ``refunded`` (value "Total",
  and the refund row nets it) are orders. ``pending`` and ``authorized`` (and the older
  ``unpaid``) are not revenue until paid: left out and counted per status, so that a later
  export that shows them paid adds them (the id is the same). ``voided`` and ``expired`` are
  never sales: left out and counted. A status Shopify does not document is quarantined with
  its line. Cash-on-delivery stores often never mark orders paid (a real store's export has
  every delivered COD order ``pending`` and cancelled ones ``voided``): ``count_pending =
  "fulfilled"`` under ``[sources.shopify-orders]`` counts pending/authorized orders whose
  Fulfillment Status is fulfilled or partial, ``"all"`` every one. The buyer of an order
  without a (valid) email is still linked by what identifies them: the order's
  ``customer_id`` is ``phone:<digits>`` ("Phone", else "Billing Phone"), else
  ``name:<Billing Name>``, else ``order:<Name>`` — web, draft and cash-on-delivery orders
  often have no email, and each is still revenue.
* **shopify-abandoned-checkouts** — Orders › Abandoned checkouts › Export: the orders
  export's header with an empty Financial Status on every checkout (and, in newer exports,
  an "Abandoned Checkout URL" column). Recognised and left out: nothing is imported, each
  checkout is counted as left out; read as ``--format shopify-orders`` it is refused.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from goodwill.errors import UserInputError
from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.crm import clean_email, first_line, person_ref
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
    "CUSTOMER_FIELDS",
    "ORDER_FIELDS",
    "SHOPIFY_ABANDONED",
    "SHOPIFY_CUSTOMERS",
    "SHOPIFY_ORDERS",
    "buyer_key",
    "clean_phone",
    "financial_status",
    "read_abandoned",
    "read_customers",
    "read_orders",
]

CUSTOMER_FIELDS: tuple[Field, ...] = (
    Field("customer_id", ("Customer ID",)),
    Field("email", ("Email",)),
    Field("first_name", ("First Name",)),
    Field("last_name", ("Last Name",)),
    Field("phone", ("Phone",)),
    Field("address_phone", ("Default Address Phone",)),
)

ORDER_FIELDS: tuple[Field, ...] = (
    Field("name", ("Name",), required=True),
    Field("email", ("Email",)),
    Field("financial_status", ("Financial Status",)),
    Field("created_at", ("Created at",), required=True),
    Field("currency", ("Currency",)),
    Field("value", ("Total",), required=True),
    Field("refunded", ("Refunded Amount",)),
    Field("cancelled_at", ("Cancelled at",)),
    Field("customer_id", ("Customer ID",)),
    Field("phone", ("Phone", "Billing Phone", "Shipping Phone")),
    Field("billing_phone", ("Billing Phone",)),
    Field("billing_name", ("Billing Name",)),
    Field("id", ("Id",)),
    Field("checkout_url", ("Abandoned Checkout URL",)),
    Field("fulfillment_status", ("Fulfillment Status",)),
)

SALE_STATUSES = frozenset({"paid", "partially_paid", "partially_refunded", "refunded"})
"""Shopify financial statuses of an order that is a sale (revenue; refunds net it)."""
UNPAID_STATUSES = frozenset({"pending", "authorized", "unpaid"})
"""Not revenue until paid (``count_pending`` may count them, module docstring)."""
NEVER_STATUSES = frozenset({"voided", "expired"})
"""An authorisation cancelled or lapsed: never a sale."""
COUNT_PENDING = ("no", "fulfilled", "all")
"""Values of ``[sources.shopify-orders] count_pending``."""

ABANDONED = (
    "{path} is a Shopify abandoned checkouts export (every checkout has an empty Financial "
    "Status{url}): abandoned checkouts are carts nobody paid for, not sales, and are not "
    "imported as orders; export Orders › Export for the sales"
)


def read_customers(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Shopify customers -> identities (module docstring)."""
    out, csv_file, f = read_export(path, "identities", CUSTOMER_FIELDS, ctx.mapping)
    for rec in csv_file.records:
        cid = (value(rec, f, "customer_id") or "").lstrip("'") or None
        phone = clean_phone(value(rec, f, "phone")) or clean_phone(value(rec, f, "address_phone"))
        email_text = value(rec, f, "email")
        email: str | None = None
        if email_text is not None:
            try:
                email = clean_email(email_text)
            except ValueError as exc:
                out.reject("identities", rec.line, str(exc), rec.raw)
        if cid is None and email is None and phone is None:
            if email_text is None:
                out.reject("identities", rec.line, "no Customer ID, email or phone number", rec.raw)
            continue
        person = person_ref(email, f"shopify-{cid}" if cid else f"phone-{phone}")
        parts = [value(rec, f, "first_name"), value(rec, f, "last_name")]
        name = " ".join(p for p in parts if p) or None
        # the phone as an order's buyer key (:func:`buyer_key`), so that an order without
        # email reaches the customer
        phone_key = f"phone:{phone}" if phone else None
        for kind, val in (("customer", cid), ("email", email), ("customer", phone_key)):
            if val is not None:
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
    return out


@dataclass
class _Order:
    head: CsvRecord
    lines: int = 1


def clean_phone(text: str | None) -> str | None:
    if text is None:
        return None
    digits = re.sub(r"[^\d+]", "", text.lstrip("'"))
    return digits if len(digits.lstrip("+")) >= 5 else None


def buyer_key(name: str, rec: CsvRecord, f: Fields) -> tuple[str | None, str | None]:
    """(email, customer id) of an order's buyer: the email when valid; the "Customer ID"
    when the export has one; else ``phone:<digits>`` (Phone, else Billing Phone), else
    ``name:<Billing Name>``, else ``order:<Name>`` (a buyer known only by this order), so
    that every order keeps a buyer key (module docstring)."""
    email: str | None = None
    email_text = value(rec, f, "email")
    if email_text is not None:
        try:
            email = clean_email(email_text)
        except ValueError:  # a mistyped address: the order counts, the buyer by other keys
            email = None
    cid = (value(rec, f, "customer_id") or "").lstrip("'") or None
    if cid is None and email is None:
        phone = clean_phone(value(rec, f, "phone")) or clean_phone(value(rec, f, "billing_phone"))
        billing = value(rec, f, "billing_name")
        if phone is not None:
            cid = f"phone:{phone}"
        elif billing is not None and billing.strip("- "):
            cid = f"name:{' '.join(billing.split())}"
        else:
            cid = f"order:{name}"
    return email, cid


def _order_rows(name: str, rec: CsvRecord, f: Fields, dayfirst: dict[str, bool]) -> list[Row]:
    created = parse_timestamp(
        value(rec, f, "created_at") or "", dayfirst=dayfirst.get("created_at", False)
    )
    email, cid = buyer_key(name, rec, f)
    base: Row = {
        "currency": value(rec, f, "currency"),
        "customer_id": cid,
        "email": email,
        LINE_COLUMN: rec.line,
    }
    total = parse_amount(value(rec, f, "value") or "")
    rows: list[Row] = [
        {
            "conversion_id": f"shopify-{name}",
            "occurred_at": created,
            "kind": "order",
            "value": str(total),
            **base,
        }
    ]
    refunded_text = value(rec, f, "refunded")
    refunded = parse_amount(refunded_text) if refunded_text is not None else None
    if refunded is not None and refunded != 0:
        cancelled = value(rec, f, "cancelled_at")
        rows.append(
            {
                "conversion_id": f"shopify-{name}-refund",
                "occurred_at": parse_timestamp(
                    cancelled, dayfirst=dayfirst.get("cancelled_at", False)
                )
                if cancelled
                else created,
                "kind": "refund",
                "value": str(abs(refunded)),
                **base,
            }
        )
    return rows


def read_orders(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Shopify orders (one row per line item) -> orders and refunds (module docstring)."""
    out, csv_file, f = read_export(path, "conversions", ORDER_FIELDS, ctx.mapping)
    if _is_abandoned(csv_file, f):
        url = ", and an Abandoned Checkout URL" if "checkout_url" in f else ""
        raise UserInputError(ABANDONED.format(path=path, url=url))
    dayfirst = date_orders(csv_file, f, ("created_at", "cancelled_at"), ctx.options)
    orders: dict[str, _Order] = {}
    for rec in csv_file.records:
        name = value(rec, f, "name")
        if name is None:
            out.reject("conversions", rec.line, "no order Name", rec.raw)
            continue
        order = orders.get(name)
        if order is None:
            orders[name] = _Order(rec)
            continue
        order.lines += 1
        if value(rec, f, "value") is not None and value(order.head, f, "value") is None:
            order.head = rec
    count_pending = _count_pending(ctx)
    has_status = "financial_status" in f
    for name, order in orders.items():
        rec = order.head
        if has_status:
            status = financial_status(value(rec, f, "financial_status"))
            if status not in SALE_STATUSES:
                left_out = _left_out(status, rec, f, count_pending)
                if left_out is not None:
                    bad, reason = left_out
                    if bad:
                        out.reject("conversions", rec.line, f"order {name}: {reason}", rec.raw)
                    else:
                        out.skip(reason)
                    continue
        try:
            out.extend("conversions", _order_rows(name, rec, f, dayfirst))
        except ValueError as exc:
            out.reject("conversions", rec.line, f"order {name}: {exc}", rec.raw)
    return out


def financial_status(text: str | None) -> str:
    """Shopify's financial status as the API spells it (``partially_paid``): lowercased,
    spaces and hyphens as underscores, a "Payment " prefix dropped (the admin shows
    "Payment pending"); empty when there is none."""
    status = re.sub(r"[\s-]+", "_", (text or "").strip().casefold())
    return status.removeprefix("payment_")


def _count_pending(ctx: AdapterContext) -> str:
    got = (option(ctx.options, "shopify-orders.count_pending") or "no").casefold()
    if got not in COUNT_PENDING:
        raise UserInputError(
            f"[sources.shopify-orders] count_pending = {got!r}: expected one of "
            f"{', '.join(COUNT_PENDING)}"
        )
    return got


def _left_out(
    status: str, rec: CsvRecord, f: Fields, count_pending: str
) -> tuple[bool, str] | None:
    """Why an order that is not (yet) a sale is left out: ``(False, skip reason)``, or
    ``(True, quarantine reason)`` for a status Shopify does not document; ``None`` when
    ``count_pending`` counts it after all."""
    if status in NEVER_STATUSES:
        return False, f"Shopify order {status} (never paid: not a sale)"
    if status in UNPAID_STATUSES:
        fulfilled = (value(rec, f, "fulfillment_status") or "").casefold() in {
            "fulfilled",
            "partial",
        }
        if count_pending == "all" or (count_pending == "fulfilled" and fulfilled):
            return None
        return False, (
            f"Shopify order {status} (not paid yet: not revenue; "
            "[sources.shopify-orders] count_pending counts them)"
        )
    if not status:
        return True, "no Financial Status (every Shopify order has one)"
    return True, (
        f"Financial Status {status!r} is not one of Shopify's ("
        + ", ".join(sorted(SALE_STATUSES | UNPAID_STATUSES | NEVER_STATUSES))
        + ")"
    )


def _is_abandoned(csv_file: CsvFile, f: Fields) -> bool:
    """An abandoned checkouts export has the orders export's header; no checkout has a
    Financial Status (every order has one), and newer exports add an Abandoned Checkout URL
    column. Each checkout's Name is ``#`` and its Id."""
    if "checkout_url" in f:
        return True
    heads = [r for r in csv_file.records if value(r, f, "value") is not None]
    if not heads or "financial_status" not in f:
        return False
    return all(value(r, f, "financial_status") is None for r in heads)


def read_abandoned(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Shopify abandoned checkouts: nothing is imported, every checkout is counted as left
    out (they are not sales)."""
    out, csv_file, f = read_export(path, "conversions", ORDER_FIELDS, ctx.mapping)
    names = {value(r, f, "name") for r in csv_file.records} - {None}
    out.skip("Shopify abandoned checkout (not a sale, not imported)", len(names))
    return out


def _detect_abandoned(path: Path) -> bool:
    """The header and the first record: no Financial Status and Name is ``#<Id>``."""
    text = head_text(path, 16384)
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) < 2:
        return False
    header = [h.strip().casefold() for h in rows[0]]
    if "financial status" not in header or "lineitem name" not in header:
        return False
    if "abandoned checkout url" in header:
        return True
    if "id" not in header or "name" not in header:
        return False
    first = rows[1]
    if len(first) < len(header):
        return False
    status = first[header.index("financial status")].strip()
    name, ident = first[header.index("name")].strip(), first[header.index("id")].strip()
    return not status and bool(ident) and name == f"#{ident}"


def _detect_customers(path: Path) -> bool:
    line = first_line(path)
    return "total spent" in line and "total orders" in line and "email" in line


def _detect_orders(path: Path) -> bool:
    line = first_line(path)
    return "financial status" in line and "lineitem name" in line and not _detect_abandoned(path)


SHOPIFY_CUSTOMERS = register(
    Format(
        name="shopify-customers",
        description="Shopify customers export: customer ids and emails",
        detect=_detect_customers,
        read=read_customers,
        tables=("identities",),
        docs="docs/sources/business.md#shopify-customers",
    )
)

SHOPIFY_ABANDONED = register(
    Format(
        name="shopify-abandoned-checkouts",
        description="Shopify abandoned checkouts export: recognised and left out (not sales)",
        detect=_detect_abandoned,
        read=read_abandoned,
        tables=(),
        docs="docs/sources/shopify-abandoned-checkouts.md",
    )
)

SHOPIFY_ORDERS = register(
    Format(
        name="shopify-orders",
        description="Shopify orders export (line items grouped by order): paid orders and "
        "refunds; pending/authorized (not yet paid) and voided/expired left out",
        detect=_detect_orders,
        read=read_orders,
        tables=("conversions",),
        docs="docs/sources/business.md#shopify-orders",
    )
)
