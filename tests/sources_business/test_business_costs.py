from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from business_helpers import FIXTURES, fx_file, load, quarantined, rows

from goodwill.attribution.costs import cost_rows, full_cost
from goodwill.errors import UserInputError
from goodwill.sources.costs import tool_rows
from goodwill.warehouse import Warehouse

SPEND = FIXTURES / "spend_and_hours.csv"
TOOLS = FIXTURES / "goodwill_tools.toml"
D = Decimal


def _costs(wh: Warehouse) -> list[tuple[object, ...]]:
    return rows(
        wh,
        "SELECT period_start, period_end, category, amount, currency, hours, platform, campaign, "
        "amount_reporting FROM costs ORDER BY category, platform, amount",
    )


def test_spend_csv_values_hours_at_the_scorecard_rate(
    wh: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOODWILL_CONFIG", str(TOOLS))  # [scorecard] hourly_rate = 40.0
    summary = load(wh, fx_file(tmp_path), SPEND)
    assert summary.formats[str(SPEND)] == "costs-csv"
    m1, m31, d14 = date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 14)
    assert _costs(wh) == [
        (d14, d14, "ads", D(250), "USD", None, "instagram", "spring-launch", D(250)),
        (d14, d14, "ads", D(250), "USD", None, "instagram", "spring-launch", D(250)),
        (m1, m31, "prizes", D(75), "USD", None, "bluesky", "hello-bluesky", D(75)),
        (m1, m31, "staff", D(200), "USD", D(5), "bluesky", None, D(200)),
        (m1, m31, "staff", D(800), "USD", D(20), "mastodon", None, D(800)),
        (m1, m31, "staff", D(1140), "USD", D(30), "x", None, D(1140)),
        (m1, m31, "tools", D(29), "EUR", None, None, None, D("31.9")),
    ]
    assert quarantined(wh) == [
        ("spend_and_hours.csv", "costs", 8,
         "category 'catering' is not one of ads, content, other, prizes, staff, tools"),
        ("spend_and_hours.csv", "costs", 9, "not an amount: 'abc'"),
        ("spend_and_hours.csv", "costs", 10,
         "period ends (2026-03-01) before it starts (2026-03-31)"),
    ]  # fmt: skip
    # ROI values staff hours at the same rate: hours-only rows cost the same either way
    frame = cost_rows(wh.ibis())
    staff_hours_only = frame[(frame["category"] == "staff") & (frame["platform"] != "x")]
    assert list(full_cost(staff_hours_only, 40.0)) == list(staff_hours_only["amount"])


def test_staff_hours_without_a_rate_are_quarantined(
    wh: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "goodwill.toml"
    config.write_text("[goodwill]\ncurrency = 'USD'\n", encoding="utf-8")
    monkeypatch.setenv("GOODWILL_CONFIG", str(config))
    load(wh, fx_file(tmp_path), SPEND)
    reason = (
        "staff hours without an amount, and no [scorecard] hourly_rate in goodwill.toml "
        "to value them"
    )
    got = [q for q in quarantined(wh) if q[2] in (2, 11)]
    assert got == [
        ("spend_and_hours.csv", "costs", 2, reason),
        ("spend_and_hours.csv", "costs", 11, reason),
    ]
    assert wh.counts()["costs"] == 5


def test_reimport_is_idempotent_and_a_corrected_amount_replaces(
    wh: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOODWILL_CONFIG", str(TOOLS))
    fx = fx_file(tmp_path)
    load(wh, fx, SPEND)
    before = wh.counts()
    load(wh, SPEND)
    assert wh.counts() == before
    edited = tmp_path / "spend_and_hours.csv"
    edited.write_text(
        SPEND.read_text(encoding="utf-8").replace(",75,USD,,contest", ",80,USD,,contest"),
        encoding="utf-8",
    )
    load(wh, edited)
    assert wh.counts() == before
    assert rows(wh, "SELECT amount FROM costs WHERE category = 'prizes'") == [(D(80),)]


def test_tools_expand_to_monthly_rows_and_reimport_adds_only_new_months(
    wh: Warehouse, tmp_path: Path
) -> None:
    summary = load(wh, fx_file(tmp_path), TOOLS, options={"costs-tools.today": "2026-04-15"})
    assert summary.formats[str(TOOLS)] == "costs-tools"
    assert rows(wh, "SELECT cost_id, period_start, period_end, amount, currency, platform "
                    "FROM costs ORDER BY 1") == [
        ("tools-2026-01-scheduler", date(2026, 1, 1), date(2026, 1, 31), D(49), "USD", None),
        ("tools-2026-02-listening", date(2026, 2, 1), date(2026, 2, 28), D(29), "EUR", "x"),
        ("tools-2026-02-scheduler", date(2026, 2, 1), date(2026, 2, 28), D(49), "USD", None),
        ("tools-2026-03-listening", date(2026, 3, 1), date(2026, 3, 31), D(29), "EUR", "x"),
        ("tools-2026-03-scheduler", date(2026, 3, 1), date(2026, 3, 31), D(49), "USD", None),
        ("tools-2026-04-listening", date(2026, 4, 1), date(2026, 4, 30), D(29), "EUR", "x"),
    ]  # fmt: skip
    load(wh, TOOLS, options={"costs-tools.today": "2026-04-15"})
    assert wh.counts()["costs"] == 6
    load(wh, TOOLS, options={"costs-tools.today": "2026-05-02"})
    assert wh.counts()["costs"] == 7


@pytest.mark.parametrize(
    ("tool", "message"),
    [
        ({"name": "a", "monthly": 1}, "missing 'since'"),
        ({"name": "a", "monthly": "lots", "since": "2026-01"}, "monthly 'lots' is not an amount"),
        ({"name": "a", "monthly": 1, "since": "Jan"}, "'Jan' is not a month"),
        ({"name": "a", "monthly": 1, "since": "2026-01", "price": 2}, "unknown key(s) price"),
    ],
)
def test_bad_tool_entries_name_the_problem(tool: dict[str, object], message: str) -> None:
    with pytest.raises(UserInputError, match=r"goodwill.toml: \[\[costs.tools\]\] #1") as err:
        tool_rows([tool], "goodwill.toml", today=date(2026, 4, 1))
    assert message in str(err.value)


def test_a_month_in_the_date_column_is_the_whole_month(
    wh: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOODWILL_CONFIG", str(TOOLS))
    path = tmp_path / "spend.csv"
    path.write_text("Date,Category,Hours\n2026-02,staff,2.5\n", encoding="utf-8")
    load(wh, path)
    assert rows(wh, "SELECT period_start, period_end, amount, hours FROM costs") == [
        (date(2026, 2, 1), date(2026, 2, 28), D(100), D("2.5"))
    ]
