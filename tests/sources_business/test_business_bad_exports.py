"""Silent mis-reads of business CSVs (issue 14 item 4, issue 18 item 5, issue 19 item 8)."""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from business_helpers import load, rows

from goodwill.errors import UserInputError
from goodwill.warehouse import Warehouse

HEADER = "Conversion ID,Date,Type,Value,Currency,Email\n"


def _orders(tmp_path: Path, *dates: str) -> Path:
    path = tmp_path / "orders.csv"
    lines = [f"O-{i},{d},order,10.00,USD,a{i}@example.com\n" for i, d in enumerate(dates, 1)]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def test_day_first_dates_are_read_day_first_from_the_whole_column(
    wh: Warehouse, tmp_path: Path
) -> None:
    # Excel re-saved in a day-first locale: only line 3 shows the order (25 > 12)
    load(wh, _orders(tmp_path, "03/04/2026 10:00", "05/04/2026 11:30", "25/04/2026 09:00"))
    assert rows(wh, "SELECT conversion_id, occurred_at FROM conversions ORDER BY 1") == [
        ("O-1", datetime(2026, 4, 3, 10, 0)),
        ("O-2", datetime(2026, 4, 5, 11, 30)),
        ("O-3", datetime(2026, 4, 25, 9, 0)),
    ]


def test_month_first_dates_stay_month_first(wh: Warehouse, tmp_path: Path) -> None:
    load(wh, _orders(tmp_path, "03/04/2026", "12/31/2026"))
    assert rows(wh, "SELECT occurred_at FROM conversions ORDER BY 1") == [
        (datetime(2026, 3, 4),),
        (datetime(2026, 12, 31),),
    ]


def test_an_ambiguous_date_column_asks_for_date_order(wh: Warehouse, tmp_path: Path) -> None:
    path = _orders(tmp_path, "03/04/2026", "05/06/2026")
    with pytest.raises(UserInputError, match=r"column 'Date'.*'03/04/2026'.*--date-order dmy"):
        load(wh, path)
    assert wh.count("conversions") == 0
    load(wh, path, options={"date-order": "dmy"})
    assert rows(wh, "SELECT occurred_at FROM conversions ORDER BY 1") == [
        (datetime(2026, 4, 3),),
        (datetime(2026, 6, 5),),
    ]


def test_a_column_mixing_both_orders_is_refused(wh: Warehouse, tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match=r"day-first dates.*month-first dates"):
        load(wh, _orders(tmp_path, "25/04/2026", "04/25/2026"))


def test_an_orders_csv_without_its_money_column_is_an_error(wh: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(
        "Conversion ID,Date,Type,Deal Value,Email\n"
        "D-1,2026-04-01,order,250.00,a@example.com\n"
        "D-2,2026-04-02,lead,,b@example.com\n",
        encoding="utf-8",
    )
    with pytest.raises(UserInputError, match=r"no column for 'value'.*--map value=<header>"):
        load(wh, path)
    assert wh.count("conversions") == 0
    load(wh, path, mapping={"value": "Deal Value"})
    assert rows(wh, "SELECT conversion_id, value FROM conversions ORDER BY 1") == [
        ("D-1", Decimal("250.0000")),
        ("D-2", Decimal("0.0000")),
    ]


def test_leads_without_a_money_column_still_load(wh: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("Conversion ID,Date,Type,Email\nL-1,2026-04-01,lead,a@example.com\n")
    load(wh, path)
    assert wh.count("conversions") == 1


def test_one_invalid_byte_falls_back_on_its_line_only(
    wh: Warehouse, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(
        "Contact ID,Email,Name\np1,jose@example.com,José Núñez\n".encode()
        + b"p2,mueller@example.com,J\xfcrgen M\xfcller\n"
        + "p3,zoe@example.com,Zoë Ångström\n".encode()
    )
    with caplog.at_level(logging.WARNING, logger="goodwill.sources.csvmap"):
        load(wh, path)
    assert rows(wh, "SELECT person_ref, display_name FROM identities ORDER BY 1") == [
        ("p1", "José Núñez"),
        ("p2", "Jürgen Müller"),
        ("p3", "Zoë Ångström"),
    ]
    assert any(
        "1 line(s) are not valid UTF-8" in r.getMessage() and "(line 3)" in r.getMessage()
        for r in caplog.records
    )
