from __future__ import annotations

from datetime import date

import pytest

from goodwill.metrics import MetricParams, run_query
from goodwill.warehouse import Warehouse


def test_relationships_per_month(pwh: Warehouse) -> None:
    df = run_query("relationships", pwh.ibis(), MetricParams())
    got = {r.period: (r.people_attending, r.customers_attending) for r in df.itertuples()}
    # Jan: Zoë (customer since Jan 6); Feb: Zoë via mastodon, the same person; Mar: Zoë,
    # José, Bob (Bob orders Mar 12)
    assert got == {date(2026, 1, 1): (1, 1), date(2026, 2, 1): (1, 1), date(2026, 3, 1): (3, 2)}


def test_retention_by_first_month(pwh: Warehouse) -> None:
    df = run_query("retention", pwh.ibis(), MetricParams()).set_index("period")
    assert df.loc[date(2026, 1, 1), "cohort_size"] == 1
    assert df.loc[date(2026, 1, 1), "retention_m1"] == pytest.approx(1.0)
    assert df.loc[date(2026, 3, 1), "cohort_size"] == 2
    assert df.loc[date(2026, 3, 1), "retention_m1"] == pytest.approx(0.0)


def test_customer_engagement(pwh: Warehouse) -> None:
    df = run_query("customer_engagement", pwh.ibis(), MetricParams()).set_index("segment")
    assert list(df.index) == ["engaged"]  # both customers (Zoë, Bob) engage
    assert df.loc["engaged", "customers"] == 2
    assert df.loc["engaged", "revenue"] == pytest.approx(65.0)
    assert df.loc["engaged", "repeat_purchase_rate"] == pytest.approx(0.0)
