"""Shopify exports: customers (→ identities) and orders (→ orders and refunds).

* **shopify-customers** — Admin › Customers › Export ("Customer ID", "First Name",
  "Last Name", "Email", "Accepts Email Marketing", ..., "Total Spent", "Total Orders", ...).
  Each customer gives identities ``customer`` (the Customer ID, without the ``'`` Excel guard
  Shopify prefixes) and ``email``, person ``email-<address>`` (without a valid email:
  ``shopify-<Customer ID>``; see :mod:`goodwill.sources.crm`), display name "First Last".
  Totals are not conversions (the orders export carries each order).
* **shopify-orders** — Admin › Orders › Export ("Name", "Email", "Financial Status",
  "Paid at", "Currency", "Subtotal", "Total", "Created at", "Lineitem name", ...,
  "Cancelled at", "Refunded Amount", ...). The export has **one row per line item**: the
  order's fields are on its first row and empty on the others; rows are grouped by "Name"
  (``#1001``). Each order becomes conversion ``shopify-<Name>`` (kind ``order``, value
  "Total", currency "Currency", at "Created at", email lowercased); an order whose
  "Refunded Amount" is above zero also gives ``shopify-<Name>-refund`` (kind ``refund``, that
  amount) at "Cancelled at" when set, else at "Created at" (the export has no refund date).
  Orders with Financial Status ``voided`` are left out and counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.crm import clean_email, first_line, person_ref
from goodwill.sources.csvmap import (
    CsvRecord,
    Field,
    Fields,
    parse_amount,
    parse_timestamp,
    read_export,
    value,
)
from goodwill.sources.interchange import LINE_COLUMN

__all__ = [
    "CUSTOMER_FIELDS",
    "ORDER_FIELDS",
    "SHOPIFY_CUSTOMERS",
    "SHOPIFY_ORDERS",
    "read_customers",
    "read_orders",
]

CUSTOMER_FIELDS: tuple[Field, ...] = (
    Field("customer_id", ("Customer ID",)),
    Field("email", ("Email",)),
    Field("first_name", ("First Name",)),
    Field("last_name", ("Last Name",)),
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
)


def read_customers(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Shopify customers -> identities (module docstring)."""
    out, csv_file, f = read_export(path, "identities", CUSTOMER_FIELDS, ctx.mapping)
    for rec in csv_file.records:
        cid = (value(rec, f, "customer_id") or "").lstrip("'") or None
        email_text = value(rec, f, "email")
        email: str | None = None
        if email_text is not None:
            try:
                email = clean_email(email_text)
            except ValueError as exc:
                out.reject("identities", rec.line, str(exc), rec.raw)
        if cid is None and email is None:
            if email_text is None:
                out.reject("identities", rec.line, "neither a Customer ID nor an email", rec.raw)
            continue
        person = person_ref(email, f"shopify-{cid}")
        parts = [value(rec, f, "first_name"), value(rec, f, "last_name")]
        name = " ".join(p for p in parts if p) or None
        for kind, val in (("customer", cid), ("email", email)):
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


def _order_rows(name: str, rec: CsvRecord, f: Fields) -> list[Row]:
    created = parse_timestamp(value(rec, f, "created_at") or "")
    email_text = value(rec, f, "email")
    base: Row = {
        "currency": value(rec, f, "currency"),
        "customer_id": (value(rec, f, "customer_id") or "").lstrip("'") or None,
        "email": clean_email(email_text) if email_text is not None else None,
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
                "occurred_at": parse_timestamp(cancelled) if cancelled else created,
                "kind": "refund",
                "value": str(abs(refunded)),
                **base,
            }
        )
    return rows


def read_orders(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Shopify orders (one row per line item) -> orders and refunds (module docstring)."""
    out, csv_file, f = read_export(path, "conversions", ORDER_FIELDS, ctx.mapping)
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
    for name, order in orders.items():
        rec = order.head
        status = (value(rec, f, "financial_status") or "").casefold()
        if status == "voided":
            out.skip("voided order")
            continue
        try:
            out.extend("conversions", _order_rows(name, rec, f))
        except ValueError as exc:
            out.reject("conversions", rec.line, f"order {name}: {exc}", rec.raw)
    return out


def _detect_customers(path: Path) -> bool:
    line = first_line(path)
    return "total spent" in line and "total orders" in line and "email" in line


def _detect_orders(path: Path) -> bool:
    line = first_line(path)
    return "financial status" in line and "lineitem name" in line


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

SHOPIFY_ORDERS = register(
    Format(
        name="shopify-orders",
        description="Shopify orders export (line items grouped by order): orders and refunds",
        detect=_detect_orders,
        read=read_orders,
        tables=("conversions",),
        docs="docs/sources/business.md#shopify-orders",
    )
)
