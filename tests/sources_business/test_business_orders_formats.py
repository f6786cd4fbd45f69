"""Orders from Stripe and WooCommerce exports, and the Shopify customers export, shaped
like the real files (tests/sources_business/fixtures/REAL_SOURCES.md); totals checked against the
csv module's reading of each file."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from business_helpers import load, quarantined, rows

from goodwill.warehouse import Warehouse

REAL = Path(__file__).parent / "fixtures"


def _dicts(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _sums(wh: Warehouse) -> dict[str, Decimal]:
    got = rows(wh, "SELECT kind, sum(value) FROM conversions GROUP BY 1")
    return {str(k): Decimal(str(v)) for k, v in got}


def test_stripe_payments_count_paid_payments_and_refunds(wh: Warehouse, tmp_path: Path) -> None:
    path = REAL / "stripe_unified_payments.csv"
    summary = load(wh, path)
    assert summary.formats[str(path)] == "stripe-payments"
    recs = _dicts(path)
    paid = [r for r in recs if r["Status"] in ("Paid", "Refunded")]
    assert _sums(wh) == {"order": sum(Decimal(r["Amount"]) for r in paid)}
    assert wh.count("conversions") == len(paid) == 3
    assert summary.skipped[str(path)] == {
        "Stripe payment not paid (Failed)": 2,
        "Stripe payment not paid (requires_payment_method)": 1,
    }
    # a paid payment without an email is still revenue, linked by its Stripe customer
    assert rows(wh, "SELECT customer_id, email, currency FROM conversions WHERE value = 5") == [
        ("cus_NkUlrWRUSOMxBd", None, "USD")
    ]


def test_stripe_export_with_chosen_columns_and_a_refund(wh: Warehouse) -> None:
    path = REAL / "stripe_payments_custom_columns.csv"
    load(wh, path)
    recs = _dicts(path)
    paid = [r for r in recs if r["Status"] in ("Paid", "Refunded")]
    assert _sums(wh) == {
        "order": sum(Decimal(r["Amount"]) for r in paid),
        "refund": sum(Decimal(r["Amount Refunded"]) for r in paid),
    }
    assert rows(
        wh,
        "SELECT conversion_id, CAST(occurred_at AS VARCHAR) FROM conversions WHERE kind = 'refund'",
    ) == [("stripe-ch_3SqhQTKSaqiJUYkj1zcrlUig-refund", "2026-01-17 22:05:40")]


def test_woocommerce_orders_once_per_order_paid_statuses_only(wh: Warehouse) -> None:
    path = REAL / "woocommerce_orders_export.csv"
    summary = load(wh, path)
    assert summary.formats[str(path)] == "woocommerce-orders"
    heads = {r["Order Number"]: r for r in reversed(_dicts(path))}
    paid = [
        r for r in heads.values() if r["Order Status"] in ("Completed", "Processing", "Refunded")
    ]
    assert _sums(wh) == {
        "order": sum(Decimal(r["Order Total Amount"]) for r in paid),
        "refund": sum(
            Decimal(r["Order Refund Amount"]) for r in paid if r["Order Refund Amount"] != "0.00"
        ),
    }
    assert summary.skipped[str(path)] == {
        "WooCommerce order not paid (Cancelled)": 1,
        "WooCommerce order not paid (Pending payment)": 1,
    }
    # order 1203 has no billing email: linked by its phone
    assert rows(wh, "SELECT customer_id FROM conversions WHERE conversion_id = 'woo-1203'") == [
        ("phone:7755550103",)
    ]


def test_shopify_customers_keep_phone_only_customers(wh: Warehouse, tmp_path: Path) -> None:
    path = REAL / "shopify_customers_export.csv"
    summary = load(wh, path)
    assert summary.formats[str(path)] == "shopify-customers"
    assert set(rows(wh, "SELECT kind, value, person_ref FROM identities")) == {
        ("email", "m.sample@example.com", "email-m.sample@example.com"),
        ("customer", "7694309228822", "email-m.sample@example.com"),
        ("customer", "phone:+923000000003", "email-m.sample@example.com"),
        ("email", "zaid@example.com", "email-zaid@example.com"),
        ("customer", "7864668586262", "email-zaid@example.com"),
        ("customer", "phone:03000000002", "email-zaid@example.com"),
        ("customer", "7985351721238", "shopify-7985351721238"),
        ("customer", "phone:+923000000001", "shopify-7985351721238"),
    }
    # the real file ends inside a quoted Note: that record is quarantined with its line
    assert [(line, reason[:30]) for _, _, line, reason in quarantined(wh)] == [
        (5, "expected 20 fields as in the h")
    ]
