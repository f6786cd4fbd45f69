"""Customers acquired by given orders, and the repeat metrics narrowed to some customers (the
Money page's platform and campaign filters), on a shop written by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from goodwill.importer import import_paths
from goodwill.value.repeat import acquired_customers, customer_summary, repeat_summary
from goodwill.warehouse import Warehouse

CONVERSIONS = """conversion_id,occurred_at,kind,value,currency,customer_id,email,visitor_id
o1,2026-01-01T10:00:00,order,10,USD,c1,,
o2,2026-01-01T15:00:00,order,5,USD,c1,,
o3,2026-01-11T10:00:00,order,20,USD,c1,,
o4,2026-01-31T10:00:00,order,40,USD,,ann@x.org,
o5,2026-01-05T10:00:00,order,7,USD,c2,,
o6,2026-03-01T10:00:00,order,9,USD,c3,,
l1,2026-01-05T11:00:00,lead,0,USD,,,v9
"""
IDENTITIES = "kind,value,person_ref\ncustomer,c1,ann\nemail,ann@x.org,ann\ncustomer,c2,bob\n"


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "conversions.csv").write_text(CONVERSIONS)
    (data / "identities.csv").write_text(IDENTITIES)
    db = tmp_path / "shop.duckdb"
    with Warehouse.open(db) as wh:
        import_paths(wh, [data], show_progress=False)
    return db


def test_acquired_customers_are_those_whose_first_purchase_day_has_the_order(
    shop: Path,
) -> None:
    with Warehouse.open(shop, read_only=True) as wh:
        b = wh.ibis()
        assert acquired_customers(b, ["o1"]) == {"ann"}
        assert acquired_customers(b, ["o2"]) == {"ann"}  # same first day as o1
        assert acquired_customers(b, ["o3", "o4"]) == set()  # ann's later orders
        assert acquired_customers(b, ["o5", "o6", "l1"]) == {"bob", "customer:c3"}


def test_repeat_metrics_of_some_customers(shop: Path) -> None:
    with Warehouse.open(shop, read_only=True) as wh:
        b = wh.ibis()
        r = repeat_summary(b, churn_days=40, people={"ann", "bob"}).iloc[0]
        s = customer_summary(b, unit_days=1, people={"ann"})
        everyone = repeat_summary(b, churn_days=40).iloc[0]
    assert (r["customers"], r["repeat_customers"], r["churned"]) == (2, 1, 1)
    # the end of observation is still the last order of all customers (c3's, Mar 1)
    assert r["until"] == everyone["until"] == date(2026, 3, 1)
    assert everyone["customers"] == 3
    assert list(s["person"]) == ["ann"]
    assert (s["purchases"].iloc[0], s["T"].iloc[0]) == (3, 59.0)
