from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from business_helpers import FIXTURES, fx_file, load, quarantined, rows

from goodwill.errors import UserInputError
from goodwill.warehouse import Warehouse

ANA = "email-ana.lopez@example.com"


def test_hubspot_contacts_give_identities_and_leads(wh: Warehouse) -> None:
    path = FIXTURES / "hubspot_contacts.csv"
    summary = load(wh, path)
    assert summary.formats == {str(path): "hubspot-contacts"}
    assert rows(
        wh, "SELECT kind, value, person_ref, display_name FROM identities ORDER BY 3, 1"
    ) == [
        ("email", "ana.lopez@example.com", ANA, "Ana Lopez"),
        ("handle:x", "analopez", ANA, "Ana Lopez"),
        ("email", "bo@example.org", "email-bo@example.org", "Bo Chen"),
        ("handle:x", "bochen", "email-bo@example.org", "Bo Chen"),
        ("email", "dev.patel@example.net", "email-dev.patel@example.net", "Dev Patel"),
        ("email", "eve@example.com", "email-eve@example.com", "Eve Marsh"),
        ("handle:x", "evemarsh", "email-eve@example.com", "Eve Marsh"),
        ("email", "finn@example.com", "email-finn@example.com", "Finn Olsen"),
    ]
    assert rows(
        wh, "SELECT conversion_id, occurred_at, kind, email FROM conversions ORDER BY 1"
    ) == [
        ("hubspot-lead-5101", datetime(2026, 3, 2, 9, 15), "lead", "ana.lopez@example.com"),
        ("hubspot-lead-5102", datetime(2026, 3, 3, 14, 40), "lead", "bo@example.org"),
        ("hubspot-signup-5104", datetime(2026, 3, 5, 10, 30), "signup", "dev.patel@example.net"),
    ]
    assert quarantined(wh) == [
        ("hubspot_contacts.csv", "conversions", 6, "Create Date: not a date/time: 'not a date'"),
        ("hubspot_contacts.csv", "identities", 8, "expected 11 fields as in the header, found 12"),
    ]
    # Cleo (no email, Subscriber) and Finn (stage Other) give no conversion
    assert summary.skipped[str(path)] == {
        "contact without a lead stage or email (no conversion)": 2
    }
    before = wh.counts()
    load(wh, path)
    assert wh.counts() == before


def test_shopify_orders_group_line_items_and_split_refunds(wh: Warehouse, tmp_path: Path) -> None:
    path = FIXTURES / "shopify_orders.csv"
    summary = load(wh, fx_file(tmp_path), path)
    assert summary.formats[str(path)] == "shopify-orders"
    got = rows(
        wh,
        "SELECT conversion_id, occurred_at, kind, value, currency, value_reporting, email "
        "FROM conversions ORDER BY 1",
    )
    d = Decimal
    assert got == [
        ("shopify-#1001", datetime(2026, 3, 5, 15, 15, 22), "order", d("91.40"), "USD",
         d("91.40"), "ana.lopez@example.com"),
        ("shopify-#1002", datetime(2026, 3, 7, 10, 59), "order", d("40"), "EUR", d("44"),
         "bo@example.org"),
        ("shopify-#1002-refund", datetime(2026, 3, 9, 7, 0), "refund", d("40"), "EUR", d("44"),
         "bo@example.org"),
        ("shopify-#1003", datetime(2026, 3, 8, 13, 29, 10), "order", d("1296"), "USD",
         d("1296"), "gus@example.com"),
        ("shopify-#1003-refund", datetime(2026, 3, 8, 13, 29, 10), "refund", d("100"), "USD",
         d("100"), "gus@example.com"),
        ("shopify-#1006", datetime(2026, 3, 11, 14, 59), "order", d("15"), "USD", d("15"),
         "cy@example.com"),
    ]  # fmt: skip
    assert quarantined(wh) == [
        ("shopify_orders.csv", "conversions", 7, "order #1005: not an amount: 'ten'")
    ]
    assert summary.skipped[str(path)] == {"Shopify order voided (never paid: not a sale)": 1}
    before = wh.counts()
    load(wh, path)
    assert wh.counts() == before


def test_shopify_customers_strip_the_excel_guard(wh: Warehouse) -> None:
    path = FIXTURES / "shopify_customers.csv"
    load(wh, path)
    assert rows(wh, "SELECT kind, value, person_ref FROM identities ORDER BY 3, 1") == [
        ("customer", "7001", ANA),
        ("email", "ana.lopez@example.com", ANA),
        ("customer", "7002", "email-bo@example.org"),
        ("email", "bo@example.org", "email-bo@example.org"),
        ("customer", "7003", "shopify-7003"),
        ("customer", "7004", "shopify-7004"),
    ]
    assert quarantined(wh) == [
        ("shopify_customers.csv", "identities", 5, "not an email address: 'ida@@'")
    ]


def test_hubspot_and_shopify_agree_on_the_person_of_an_email(wh: Warehouse) -> None:
    load(wh, FIXTURES / "hubspot_contacts.csv")
    load(wh, FIXTURES / "shopify_customers.csv")
    ana = rows(wh, f"SELECT kind, value FROM identities WHERE person_ref = '{ANA}' ORDER BY 1")
    assert ana == [
        ("customer", "7001"),
        ("email", "ana.lopez@example.com"),
        ("handle:x", "analopez"),
    ]


def test_generic_contacts_utf16_tabs_handles_and_ids(wh: Warehouse) -> None:
    path = FIXTURES / "crm_contacts_utf16.tsv"
    summary = load(wh, path)
    assert summary.formats[str(path)] == "crm-contacts"
    assert rows(
        wh, "SELECT person_ref, kind, value, display_name FROM identities ORDER BY 1, 2"
    ) == [
        ("crm-1", "customer", "C1", "Zoë Ångström"),
        ("crm-1", "email", "zoe@example.com", "Zoë Ångström"),
        ("crm-1", "handle:bluesky", "zoe.bsky.social", "Zoë Ångström"),
        ("crm-1", "handle:mastodon", "zoe@mastodon.social", "Zoë Ångström"),
        ("crm-1", "handle:x", "zoea", "Zoë Ångström"),
        ("crm-2", "email", "bo@example.org", "Bo Chen"),
        ("crm-2", "handle:instagram", "bo.chen", "Bo Chen"),
        ("email-noid@example.com", "email", "noid@example.com", "No Id"),
    ]
    assert quarantined(wh) == [
        ("crm_contacts_utf16.tsv", "identities", 5, "neither a contact id nor an email")
    ]


def test_generic_conversions_semicolons_decimal_commas_and_kinds(
    wh: Warehouse, tmp_path: Path
) -> None:
    path = FIXTURES / "crm_conversions.csv"
    load(wh, fx_file(tmp_path), path)
    got = rows(
        wh,
        "SELECT conversion_id, occurred_at, kind, value, currency, customer_id, email, "
        "visitor_id, referral_code FROM conversions ORDER BY 1",
    )
    d = Decimal
    assert got == [
        ("L-1", datetime(2026, 3, 1, 9), "lead", d(0), "USD", None, "ana.lopez@example.com",
         "v-aa", None),
        ("O-1", datetime(2026, 3, 2, 9), "order", d("1234.50"), "EUR", "C1",
         "ana.lopez@example.com", "v-aa", "FRIEND5"),
        ("O-2", datetime(2026, 3, 3, 11), "refund", d(20), "USD", "C2", "bo@example.org", None,
         None),
        ("S-1", datetime(2026, 3, 4, 12), "signup", d(0), "USD", None, "dev.patel@example.net",
         None, None),
    ]  # fmt: skip
    assert quarantined(wh) == [
        ("crm_conversions.csv", "conversions", 6,
         "type 'wishlist' is not one of lead, signup, order, refund"),
        ("crm_conversions.csv", "conversions", 7, "not a date/time: '2026-02-30T12:00:00'"),
    ]  # fmt: skip


def test_map_reads_any_export_and_names_a_missing_header(wh: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(
        "Deal,Closed On,Deal Value,Buyer E-mail\n"
        'D-1,2026-04-01 12:00,"2,500.00",Buyer@Example.com\n',
        encoding="utf-8",
    )
    mapping = {"id": "Deal", "occurred_at": "Closed On", "value": "Deal Value",
               "email": "Buyer E-mail"}  # fmt: skip
    load(wh, path, format="crm-conversions", mapping=mapping)
    assert rows(wh, "SELECT conversion_id, kind, value, email FROM conversions") == [
        ("D-1", "order", Decimal("2500"), "buyer@example.com")
    ]
    with pytest.raises(UserInputError) as err:
        load(wh, path, format="crm-conversions", mapping={**mapping, "email": "Email"})
    msg = str(err.value)
    assert str(path) in msg
    assert "no column 'Email'" in msg
    assert "'Deal', 'Closed On', 'Deal Value', 'Buyer E-mail'" in msg
    leads = tmp_path / "leads.csv"
    leads.write_text("Lead,When,Mail\nX-1,2026-04-02,x@example.com\n", encoding="utf-8")
    load(
        wh,
        leads,
        format="crm-conversions",
        mapping={"id": "Lead", "occurred_at": "When", "email": "Mail"},
        options={"crm-conversions.kind": "lead"},
    )
    assert rows(wh, "SELECT kind FROM conversions WHERE conversion_id = 'X-1'") == [("lead",)]


def test_map_adds_a_handle_column_for_any_platform(wh: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("Contact ID,Email,Threads Name,Pixelfed\nc-9,a@b.example,@Ann,ann_px\n")
    load(wh, path, format="crm-contacts", mapping={"handle:threads": "Threads Name",
                                                   "handle:pixelfed": "Pixelfed"})  # fmt: skip
    assert rows(wh, "SELECT kind, value FROM identities ORDER BY 1") == [
        ("email", "a@b.example"),
        ("handle:pixelfed", "ann_px"),
        ("handle:threads", "ann"),
    ]
