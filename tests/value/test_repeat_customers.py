"""Repeat-purchase metrics and the ``goodwill customers`` / ``goodwill lift`` commands."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.errors import UserInputError
from goodwill.importer import import_paths
from goodwill.lift import metric_series, post_start_of, read_series
from goodwill.metrics import MetricParams, run_query
from goodwill.value.repeat import customer_status, customer_summary, repeat_summary
from goodwill.warehouse import Warehouse

CONVERSIONS = """conversion_id,occurred_at,kind,value,currency,customer_id,email,visitor_id
o1,2026-01-01T10:00:00,order,10,USD,c1,,
o2,2026-01-01T15:00:00,order,5,USD,c1,,
o3,2026-01-11T10:00:00,order,20,USD,c1,,
o4,2026-01-31T10:00:00,order,40,USD,,ann@x.org,
o5,2026-01-05T10:00:00,order,7,USD,c2,,
o6,2026-03-01T10:00:00,order,9,USD,c3,,
r1,2026-03-01T11:00:00,refund,-9,USD,c3,,
l1,2026-01-05T11:00:00,lead,0,USD,,,v9
"""
IDENTITIES = "kind,value,person_ref\ncustomer,c1,ann\nemail,ann@x.org,ann\ncustomer,c2,bob\n"
VISITS = """visit_id,started_at,visitor_id,landing_url,user_agent
v1,2026-01-01T10:00:00,a,https://shop.example/,Mozilla/5.0
v2,2026-01-01T11:00:00,b,https://shop.example/,Googlebot/2.1
v3,2026-01-03T11:00:00,b,https://shop.example/,Mozilla/5.0
"""


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "conversions.csv").write_text(CONVERSIONS)
    (data / "identities.csv").write_text(IDENTITIES)
    (data / "visits.csv").write_text(VISITS)
    db = tmp_path / "shop.duckdb"
    with Warehouse.open(db) as wh:
        import_paths(wh, [data], show_progress=False)
    return db


def test_customer_summary_by_hand(shop: Path) -> None:
    with Warehouse.open(shop, read_only=True) as wh:
        s = customer_summary(wh.ibis(), until=date(2026, 3, 1), unit_days=1)
    ann = s.set_index("person").loc["ann"]
    # c1 and ann@x.org are one person; Jan 1 (10+5 merged), Jan 11 (20), Jan 31 (40)
    assert (ann["purchases"], ann["x"], ann["t_x"], ann["T"]) == (3, 2, 30.0, 59.0)
    assert ann["m"] == pytest.approx((20 + 40) / 2)
    assert list(s["person"]) == ["ann", "bob", "customer:c3"]  # unresolved id stands alone
    assert np.isnan(s.set_index("person").loc["bob", "m"])


def test_repeat_summary_by_hand(shop: Path) -> None:
    with Warehouse.open(shop, read_only=True) as wh:
        r = repeat_summary(wh.ibis(), churn_days=40).iloc[0]
    assert (r["customers"], r["repeat_customers"]) == (3, 1)
    assert r["repeat_purchase_rate"] == pytest.approx(1 / 3)
    assert r["mean_days_between_orders"] == 15.0  # gaps of 10 and 20 days
    assert r["median_days_between_orders"] == 15.0
    # until = Mar 1 (last order); cutoff Jan 20: only bob (last Jan 5) churned
    assert (r["churned"], r["until"]) == (1, date(2026, 3, 1))


def test_customer_status_lists_the_customers_repeat_summary_counts(shop: Path) -> None:
    with Warehouse.open(shop, read_only=True) as wh:
        rows = customer_status(wh.ibis(), churn_days=40).set_index("person")
    assert sorted(rows.index) == ["ann", "bob", "customer:c3"]
    assert list(rows.index[rows["repeat"]]) == ["ann"]  # purchases on three days
    assert list(rows.index[rows["churned"]]) == ["bob"]  # last purchase Jan 5 < Jan 20
    assert rows.loc["ann", "purchases"] == 3 and rows.loc["ann", "last_order"] == date(2026, 1, 31)


def test_metric_series_counts_per_day_without_bots(shop: Path) -> None:
    with Warehouse.open(shop, read_only=True) as wh:
        s = metric_series(wh.ibis(), "visits", ("orders", "revenue"), "day")
    assert s["date"].iloc[0] == date(2026, 1, 1) and s["date"].iloc[-1] == date(2026, 3, 1)
    by_day = s.set_index("date")
    assert by_day.loc[date(2026, 1, 1), "y"] == 1  # the Googlebot visit is left out
    assert by_day.loc[date(2026, 1, 2), "y"] == 0  # zero-filled
    assert by_day.loc[date(2026, 1, 1), "orders"] == 2
    assert by_day.loc[date(2026, 1, 1), "revenue"] == 15
    with pytest.raises(UserInputError, match="not a lift metric"):
        metric_series(wh.ibis(), "likes")


def test_read_series_names_the_bad_line(tmp_path: Path) -> None:
    f = tmp_path / "s.csv"
    f.write_text("date,y\n2026-01-01,1\n2026-01-02,abc\n")
    with pytest.raises(UserInputError, match=r"line 3, column y: 'abc' is not a number"):
        read_series(f)
    f.write_text("day,y\n2026-01-01,1\n")
    with pytest.raises(UserInputError, match="no 'date' column"):
        read_series(f)


def test_lift_command_json_from_a_series_file(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    x = 100 + np.cumsum(rng.normal(0, 1, 60))
    y = 2 * x + rng.normal(0, 1, 60)
    y[45:] += 8
    dates = pd.date_range("2026-01-01", periods=60, freq="D").date
    f = tmp_path / "series.csv"
    pd.DataFrame({"date": dates, "y": y, "ctrl": x}).to_csv(f, index=False)
    plot = tmp_path / "lift.svg"
    args = ["lift", "--series", str(f), "--intervention", "2026-02-15", "--format", "json"]
    result = CliRunner().invoke(app, [*args, "--draws", "300", "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    for key in ("effect", "effect_lower", "effect_upper", "cumulative_effect"):
        assert key in out
    assert out["n_pre"] == 45 and out["n_post"] == 15
    assert out["effect_lower"] < 8 < out["effect_upper"]
    assert out["p_value"] < 0.01 and out["relative_effect"] > 0
    assert out["verdict"] == "increase" and out["model"].startswith("local level")
    assert out["placebo_periods"] == 15
    assert plot.read_text().startswith("<svg")
    bad = CliRunner().invoke(app, ["lift", "--intervention", "2026-02-15"])
    assert bad.exit_code == 2


def test_customers_command_summary(shop: Path) -> None:
    result = CliRunner().invoke(
        app, ["customers", "summary", "--db", str(shop), "--format", "json", "--churn-days", "40"]
    )
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)[0]
    assert row["customers"] == 3 and row["churned"] == 1


def test_returning_metric_query_by_hand(shop: Path) -> None:
    with Warehouse.open(shop, read_only=True) as wh:
        frame = run_query("returning", wh.ibis(), MetricParams(by="month"))
        empty = run_query("returning", Warehouse.open(":memory:").ibis(), MetricParams())
    jan, mar = frame.iloc[0], frame.iloc[1]
    assert (jan["period"], mar["period"]) == (date(2026, 1, 1), date(2026, 3, 1))
    # January: ann (Jan 1, 11, 31) and bob (Jan 5); ann returned twice, 10 and 20 days later
    assert (jan["customers"], jan["returning_customers"], jan["new_customers"]) == (2, 1, 1)
    assert (jan["purchases"], jan["mean_days_since_previous"]) == (4, 15.0)
    assert jan["returning_share"] == 0.5
    assert (mar["customers"], mar["returning_customers"]) == (1, 0)
    assert np.isnan(mar["mean_days_since_previous"])
    assert empty.empty and list(empty.columns) == list(frame.columns)


def test_weekly_series_keeps_whole_weeks_and_splits_at_the_intervention(shop: Path) -> None:
    with Warehouse.open(shop, read_only=True) as wh:
        s = metric_series(wh.ibis(), "orders", ("revenue",), "week")
    # data run Thu 2026-01-01 .. Sun 2026-03-01: the partial week of Mon 2025-12-29 is dropped
    assert s["date"].iloc[0] == date(2026, 1, 5) and s["date"].iloc[-1] == date(2026, 2, 23)
    first = s.iloc[0]
    assert (first["y"], first["revenue"]) == (2, 27)  # o5 (Jan 5, 7) and o3 (Jan 11, 20)
    assert s.iloc[-1]["y"] == 1  # o6 on Sun Mar 1
    # an intervention on Wednesday Jan 14 makes its whole week post-period
    assert post_start_of(s, date(2026, 1, 14), 7) == 1
    assert post_start_of(s, date(2026, 1, 14)) == 2
