"""Shopify exports shaped byte for byte like real ones (fixtures/REAL_SOURCES.md names each
source): orders without email, abandoned checkouts, one foreign currency, Shopify's financial
statuses (pending cash-on-delivery orders, voided ones)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from business_helpers import load, quarantined, rows

from goodwill.errors import UserInputError
from goodwill.warehouse import Warehouse

REAL = Path(__file__).parent / "fixtures"
ORDERS = REAL / "shopify_orders_no_email.csv"
CHECKOUTS = REAL / "shopify_abandoned_checkouts.csv"
COD = REAL / "shopify_orders_cod_statuses.csv"
COUNT_ALL = {"shopify-orders.count_pending": "all"}
PENDING = (
    "Shopify order pending (not paid yet: not revenue; "
    "[sources.shopify-orders] count_pending counts them)"
)


def _order_totals(path: Path) -> dict[str, Decimal]:
    """Name -> Total of each order's first row, read with the csv module."""
    with path.open(newline="", encoding="utf-8") as fh:
        return {r["Name"]: Decimal(r["Total"]) for r in csv.DictReader(fh) if r["Total"]}


def test_orders_without_email_are_revenue_linked_by_phone(wh: Warehouse) -> None:
    # the store's orders are cash on delivery, all "pending": counted with count_pending
    summary = load(wh, ORDERS, currency="BDT", options=COUNT_ALL)
    assert summary.formats[str(ORDERS)] == "shopify-orders"
    assert summary.rows_quarantined == 0
    got = rows(wh, "SELECT conversion_id, value, currency, email, customer_id FROM conversions")
    totals = _order_totals(ORDERS)
    assert {r[0]: r[1] for r in got} == {f"shopify-{n}": v for n, v in totals.items()}
    assert sum(r[1] for r in got) == sum(totals.values()) == Decimal("4700.00")
    assert sorted(r[4] for r in got) == [
        "phone:+8801300000002",
        "phone:+8801700000001",
        "phone:+8801900000003",
    ]
    assert {r[3] for r in got} == {None}


def test_an_order_without_email_or_phone_is_linked_by_billing_name(
    wh: Warehouse, tmp_path: Path
) -> None:
    text = ORDERS.read_text(encoding="utf-8").replace("+88001700000001", "")
    text = text.replace("+8801700000001", "")
    path = tmp_path / "orders_export.csv"
    path.write_text(text, encoding="utf-8")
    load(wh, path, currency="BDT", options=COUNT_ALL)
    assert rows(
        wh, "SELECT customer_id FROM conversions WHERE conversion_id = 'shopify-#71733'"
    ) == [("name:Rahim Uddin",)]


def test_abandoned_checkouts_are_recognised_and_never_sales(wh: Warehouse) -> None:
    summary = load(wh, CHECKOUTS, currency="GBP")
    assert summary.formats[str(CHECKOUTS)] == "shopify-abandoned-checkouts"
    assert wh.count("conversions") == 0
    assert summary.skipped[str(CHECKOUTS)] == {
        "Shopify abandoned checkout (not a sale, not imported)": 3
    }


def test_abandoned_checkouts_forced_as_orders_are_refused(wh: Warehouse) -> None:
    with pytest.raises(UserInputError, match="abandoned checkouts export"):
        load(wh, CHECKOUTS, currency="GBP", format="shopify-orders")
    assert wh.count("conversions") == 0


def test_abandoned_checkouts_with_a_checkout_url_column(wh: Warehouse, tmp_path: Path) -> None:
    lines = CHECKOUTS.read_text(encoding="utf-8").splitlines()
    lines[0] += ",Abandoned Checkout URL"
    lines[1:] = [ln + ",https://shop.example/checkouts/abc/recover" for ln in lines[1:]]
    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = load(wh, path, currency="GBP")
    assert summary.formats[str(path)] == "shopify-abandoned-checkouts"
    assert wh.count("conversions") == 0


def test_a_store_in_one_foreign_currency_stops_with_one_line(wh: Warehouse) -> None:
    with pytest.raises(UserInputError) as err:
        load(wh, ORDERS, options=COUNT_ALL)  # the first import defaults to USD; no BDT rate
    msg = str(err.value)
    assert "all 3 amounts are in BDT" in msg and "--currency BDT" in msg and "\n" not in msg
    assert wh.count("conversions") == 0 and wh.count("quarantine") == 0
    load(wh, ORDERS, currency="BDT", options=COUNT_ALL)  # the failed import fixed nothing
    assert wh.count("conversions") == 3


def test_a_phone_only_order_meets_its_customer(wh: Warehouse, tmp_path: Path) -> None:
    customers = tmp_path / "customers_export.csv"
    header = (REAL / "shopify_customers_export.csv").read_text(encoding="utf-8").splitlines()[0]
    customers.write_text(
        header + "\n'8000000000001,Rahim,Uddin,,no,,Road 1 House 2,,Dhaka,,BD,,"
        "'+88001700000001,'+8801700000001,no,1500.00,1,,no,\n",
        encoding="utf-8",
    )
    load(wh, customers, ORDERS, currency="BDT", options=COUNT_ALL)
    assert rows(
        wh,
        "SELECT c.conversion_id, i.person_ref FROM conversions c JOIN identities i "
        "ON i.kind = 'customer' AND i.value = c.customer_id",
    ) == [("shopify-#71733", "shopify-8000000000001")]


def _statuses(path: Path) -> dict[str, tuple[str, str, Decimal]]:
    """Name -> (Financial Status, Fulfillment Status, Total), read with the csv module."""
    with path.open(newline="", encoding="utf-8") as fh:
        return {
            r["Name"]: (r["Financial Status"], r["Fulfillment Status"], Decimal(r["Total"]))
            for r in csv.DictReader(fh)
            if r["Total"]
        }


def test_pending_orders_are_not_revenue_until_paid(wh: Warehouse) -> None:
    summary = load(wh, ORDERS, currency="BDT")
    assert wh.count("conversions") == 0 and summary.rows_quarantined == 0
    assert summary.skipped[str(ORDERS)] == {PENDING: 3}


@pytest.mark.parametrize(
    ("count_pending", "counted"),
    [
        ("no", set()),
        ("fulfilled", {("pending", "fulfilled")}),
        ("all", {("pending", "fulfilled"), ("pending", "unfulfilled")}),
    ],
)
def test_cash_on_delivery_statuses(
    wh: Warehouse, count_pending: str, counted: set[tuple[str, str]]
) -> None:
    """A real COD store: delivered orders stay pending, cancelled ones are voided."""
    summary = load(wh, COD, currency="BDT", options={"shopify-orders.count_pending": count_pending})
    expected = {
        f"shopify-{n}": total
        for n, (fin, ful, total) in _statuses(COD).items()
        if (fin, ful) in counted
    }
    got = rows(wh, "SELECT conversion_id, value FROM conversions WHERE kind = 'order'")
    assert dict(got) == expected
    skipped = summary.skipped[str(COD)]
    assert skipped["Shopify order voided (never paid: not a sale)"] == 1
    assert skipped.get(PENDING, 0) == 2 - len(counted)


def test_shopify_financial_statuses(wh: Warehouse, tmp_path: Path) -> None:
    """Each documented status (and the admin's "Payment pending" label); an unknown one is
    quarantined with its line."""
    lines = [
        "Name,Email,Financial Status,Fulfillment Status,Currency,Total,Created at,"
        "Lineitem name,Refunded Amount"
    ]
    statuses = [
        "paid",
        "partially_paid",
        "partially_refunded",
        "refunded",
        "pending",
        "Payment pending",
        "authorized",
        "expired",
        "voided",
        "chargeback",
    ]
    for i, status in enumerate(statuses):
        refunded = {"partially_refunded": "4.00", "refunded": "10.00"}.get(status, "0.00")
        lines.append(
            f"#{1000 + i},b{i}@example.com,{status},unfulfilled,USD,10.00,"
            f"2026-03-0{1 + i % 9} 10:00:00 +0000,Tea,{refunded}"
        )
    path = tmp_path / "orders_export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = load(wh, path)
    got = rows(wh, "SELECT conversion_id, kind, value FROM conversions ORDER BY conversion_id")
    assert got == [
        ("shopify-#1000", "order", Decimal("10.00")),
        ("shopify-#1001", "order", Decimal("10.00")),
        ("shopify-#1002", "order", Decimal("10.00")),
        ("shopify-#1002-refund", "refund", Decimal("4.00")),
        ("shopify-#1003", "order", Decimal("10.00")),
        ("shopify-#1003-refund", "refund", Decimal("10.00")),
    ]
    assert summary.skipped[str(path)] == {
        PENDING: 2,
        PENDING.replace("pending", "authorized", 1): 1,
        "Shopify order expired (never paid: not a sale)": 1,
        "Shopify order voided (never paid: not a sale)": 1,
    }
    (reason,) = [r for (_, _, line, r) in quarantined(wh) if line == 11]
    assert "order #1009: Financial Status 'chargeback' is not one of Shopify's" in reason


def test_count_pending_must_be_known(wh: Warehouse) -> None:
    with pytest.raises(UserInputError, match="count_pending = 'maybe'"):
        load(wh, COD, currency="BDT", options={"shopify-orders.count_pending": "maybe"})


EFT = REAL / "shopify_orders_eft_statuses.csv"


@pytest.mark.parametrize(
    ("count_pending", "counted"),
    [
        ("no", {"paid"}),
        ("fulfilled", {"paid", "pending-partial"}),
        ("all", {"paid", "pending-partial", "pending-unfulfilled"}),
    ],
)
def test_a_real_card_and_bank_transfer_store(
    wh: Warehouse, count_pending: str, counted: set[str]
) -> None:
    """A real ZAR store: card payments are paid at once, bank transfers ("custom") stay
    pending until the money arrives (one partly shipped already), a cancelled one is voided.
    Revenue is the paid orders' Total, read here with the csv module."""
    summary = load(wh, EFT, currency="ZAR", options={"shopify-orders.count_pending": count_pending})
    statuses = _statuses(EFT)

    def key(fin: str, ful: str) -> str:
        return "paid" if fin == "paid" else f"{fin}-{ful}"

    expected = {
        f"shopify-{n}": total
        for n, (fin, ful, total) in statuses.items()
        if key(fin, ful) in counted
    }
    got = dict(rows(wh, "SELECT conversion_id, value FROM conversions WHERE kind = 'order'"))
    assert got == expected
    paid = sum(t for fin, _, t in statuses.values() if fin == "paid")
    assert paid == Decimal("4036.00")
    if count_pending == "no":
        assert sum(got.values()) == paid
        assert summary.skipped[str(EFT)] == {
            PENDING: 2,
            "Shopify order voided (never paid: not a sale)": 1,
        }
    assert summary.rows_quarantined == 0
