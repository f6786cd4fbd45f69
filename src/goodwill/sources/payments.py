"""Orders from payment and shop exports: Stripe payments and WooCommerce orders.

* **stripe-payments** — Stripe Dashboard › Payments › Export (``unified_payments.csv``:
  "id", "Created date (UTC)" or "Created (UTC)", "Amount", "Amount Refunded", "Currency",
  "Captured", "Status", "Customer ID", "Customer Email", "Refunded date (UTC)", "Card
  Fingerprint", "PaymentIntent ID"...; any subset of columns the user picked). Each paid
  payment ("Status" Paid, Refunded, Partially refunded or Succeeded; else "Captured" true)
  becomes order ``stripe-<id>`` (a row without a charge id: its PaymentIntent ID) for
  "Amount" in "Currency" (upper-cased) at "Created date (UTC)"; "Amount Refunded" above
  zero also gives ``stripe-<id>-refund`` at "Refunded date (UTC)" (else the payment's
  date). Failed, uncaptured and ``requires_payment_method`` attempts are not sales: left
  out and counted. The buyer: "Customer Email" and "Customer ID"; without either, the card
  (``card:<fingerprint>``), else ``order:<id>``.
* **woocommerce-orders** — the "Advanced Order Export For WooCommerce" plugin's default
  export ("Order Number", "Order Status", "Order Date", "Email (Billing)", "Phone
  (Billing)", "First Name (Billing)"..., one row per line item with the order's fields
  repeated, "Order Refund Amount", "Order Total Amount"). Each order once: ``woo-<Order
  Number>`` for "Order Total Amount" at "Order Date"; "Order Refund Amount" above zero
  gives ``woo-<Order Number>-refund``. Statuses Completed and Processing (paid) and Refunded
  are orders; Pending payment, On hold, Failed, Cancelled, Draft and Checkout draft are left
  out and counted. The currency is "Order Currency"/"Currency" when the export has it, else
  ``currency`` under ``[sources.woocommerce-orders]``, else the reporting currency. The
  buyer: the billing email, else ``phone:<digits>``, else ``name:<First Last>``, else
  ``order:<Order Number>`` (as for Shopify orders).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from goodwill.errors import UserInputError
from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.crm import clean_email, first_line
from goodwill.sources.csvmap import (
    CsvRecord,
    Field,
    Fields,
    date_orders,
    option,
    parse_amount,
    parse_timestamp,
    read_export,
    value,
)
from goodwill.sources.interchange import LINE_COLUMN
from goodwill.sources.shop import clean_phone

__all__ = [
    "STRIPE_FIELDS",
    "STRIPE_PAYMENTS",
    "WOOCOMMERCE_ORDERS",
    "WOO_FIELDS",
    "read_stripe",
    "read_woocommerce",
]

STRIPE_FIELDS: tuple[Field, ...] = (
    Field("id", ("id",)),
    Field("created_at", ("Created date (UTC)", "Created (UTC)", "Created date"), required=True),
    Field("amount", ("Amount",), required=True),
    Field("refunded", ("Amount Refunded",)),
    Field("currency", ("Currency",)),
    Field("captured", ("Captured",)),
    Field("status", ("Status",)),
    Field("customer_id", ("Customer ID",)),
    Field("email", ("Customer Email",)),
    Field("refunded_at", ("Refunded date (UTC)", "Refunded date")),
    Field("card", ("Card Fingerprint",)),
    Field("payment_intent", ("PaymentIntent ID",)),
)

_PAID = {"paid", "refunded", "partially refunded", "succeeded"}


def _email(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return clean_email(text)
    except ValueError:  # not an address: the buyer is known by the other keys
        return None


def _money_rows(
    conv_id: str,
    at: str,
    amount: Decimal,
    refunded: Decimal | None,
    refunded_at: str | None,
    base: Row,
) -> list[Row]:
    order: Row = {"conversion_id": conv_id, "occurred_at": at, "kind": "order"}
    rows: list[Row] = [{**order, "value": str(amount), **base}]
    if refunded is not None and refunded > 0:
        refund: Row = {"conversion_id": f"{conv_id}-refund", "occurred_at": refunded_at or at}
        rows.append({**refund, "kind": "refund", "value": str(refunded), **base})
    return rows


def _stripe_rows(rec: CsvRecord, f: Fields, dayfirst: dict[str, bool]) -> list[Row]:
    ident = value(rec, f, "id") or value(rec, f, "payment_intent")
    if ident is None:
        raise ValueError("neither a payment id nor a PaymentIntent ID")
    at = parse_timestamp(
        value(rec, f, "created_at") or "", dayfirst=dayfirst.get("created_at", False)
    )
    refunded_text = value(rec, f, "refunded")
    refunded_at_text = value(rec, f, "refunded_at")
    email = _email(value(rec, f, "email"))
    customer = value(rec, f, "customer_id")
    if customer is None and email is None:
        card = value(rec, f, "card")
        customer = f"card:{card}" if card else f"order:{ident}"
    currency = value(rec, f, "currency")
    base: Row = {
        "currency": currency.upper() if currency else None,
        "customer_id": customer,
        "email": email,
        LINE_COLUMN: rec.line,
    }
    return _money_rows(
        f"stripe-{ident}",
        at,
        parse_amount(value(rec, f, "amount") or ""),
        parse_amount(refunded_text) if refunded_text else None,
        parse_timestamp(refunded_at_text, dayfirst=dayfirst.get("refunded_at", False))
        if refunded_at_text
        else None,
        base,
    )


def _stripe_paid(rec: CsvRecord, f: Fields) -> bool:
    status = (value(rec, f, "status") or "").casefold()
    if status:
        return status in _PAID
    return (value(rec, f, "captured") or "").casefold() == "true"


def read_stripe(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Stripe payments -> orders and refunds (module docstring)."""
    out, csv_file, f = read_export(path, "conversions", STRIPE_FIELDS, ctx.mapping)
    if "id" not in f and "payment_intent" not in f:
        raise UserInputError(
            f"{path}: no 'id' or 'PaymentIntent ID' column to name each payment; its columns "
            f"are {', '.join(map(repr, csv_file.header))}"
        )
    dayfirst = date_orders(csv_file, f, ("created_at", "refunded_at"), ctx.options)
    for rec in csv_file.records:
        if not _stripe_paid(rec, f):
            status = value(rec, f, "status") or "not captured"
            out.skip(f"Stripe payment not paid ({status})")
            continue
        try:
            out.extend("conversions", _stripe_rows(rec, f, dayfirst))
        except ValueError as exc:
            out.reject("conversions", rec.line, str(exc), rec.raw)
    return out


WOO_FIELDS: tuple[Field, ...] = (
    Field("number", ("Order Number", "Order ID"), required=True),
    Field("status", ("Order Status",)),
    Field("created_at", ("Order Date",), required=True),
    Field("email", ("Email (Billing)", "Billing Email")),
    Field("phone", ("Phone (Billing)", "Billing Phone")),
    Field("first_name", ("First Name (Billing)",)),
    Field("last_name", ("Last Name (Billing)",)),
    Field("total", ("Order Total Amount", "Order Total"), required=True),
    Field("refunded", ("Order Refund Amount",)),
    Field("currency", ("Order Currency", "Currency")),
    Field("customer_id", ("Customer User ID", "Customer ID")),
)

_WOO_PAID = {"completed", "processing", "refunded", "wc-completed", "wc-processing"}


def _woo_rows(
    number: str, rec: CsvRecord, f: Fields, currency: str | None, dayfirst: bool
) -> list[Row]:
    email = _email(value(rec, f, "email"))
    customer = value(rec, f, "customer_id")
    if customer in (None, "0"):
        customer = None
    if customer is None and email is None:
        phone = clean_phone(value(rec, f, "phone"))
        name = " ".join(p for p in (value(rec, f, "first_name"), value(rec, f, "last_name")) if p)
        customer = f"phone:{phone}" if phone else f"name:{name}" if name else f"order:{number}"
    refunded_text = value(rec, f, "refunded")
    base: Row = {
        "currency": value(rec, f, "currency") or currency,
        "customer_id": customer,
        "email": email,
        LINE_COLUMN: rec.line,
    }
    return _money_rows(
        f"woo-{number}",
        parse_timestamp(value(rec, f, "created_at") or "", dayfirst=dayfirst),
        parse_amount(value(rec, f, "total") or ""),
        abs(parse_amount(refunded_text)) if refunded_text else None,
        None,
        base,
    )


def read_woocommerce(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """WooCommerce orders (a row per line item) -> orders and refunds (module docstring)."""
    out, csv_file, f = read_export(path, "conversions", WOO_FIELDS, ctx.mapping)
    currency = option(ctx.options, "woocommerce-orders.currency")
    dayfirst = date_orders(csv_file, f, ("created_at",), ctx.options).get("created_at", False)
    heads: dict[str, CsvRecord] = {}
    for rec in csv_file.records:
        number = value(rec, f, "number")
        if number is None:
            out.reject("conversions", rec.line, "no Order Number", rec.raw)
            continue
        heads.setdefault(number, rec)
    for number, rec in heads.items():
        status = (value(rec, f, "status") or "").casefold()
        if status not in _WOO_PAID:
            out.skip(f"WooCommerce order not paid ({value(rec, f, 'status') or 'no status'})")
            continue
        try:
            out.extend("conversions", _woo_rows(number, rec, f, currency, dayfirst))
        except ValueError as exc:
            out.reject("conversions", rec.line, f"order {number}: {exc}", rec.raw)
    return out


def _detect_stripe(path: Path) -> bool:
    line = first_line(path)
    return "amount refunded" in line and ("created date (utc)" in line or "created (utc)" in line)


def _detect_woocommerce(path: Path) -> bool:
    line = first_line(path)
    return "order number" in line and "order status" in line and "order total amount" in line


STRIPE_PAYMENTS = register(
    Format(
        name="stripe-payments",
        description="Stripe payments export (unified_payments.csv): paid payments and refunds",
        detect=_detect_stripe,
        read=read_stripe,
        tables=("conversions",),
        docs="docs/sources/stripe-payments.md",
    )
)

WOOCOMMERCE_ORDERS = register(
    Format(
        name="woocommerce-orders",
        description="WooCommerce orders export (Advanced Order Export): orders and refunds",
        detect=_detect_woocommerce,
        read=read_woocommerce,
        tables=("conversions",),
        docs="docs/sources/woocommerce-orders.md",
    )
)
