"""Ad spend exports into costs (issue 14): spend to the cent by day, platform and campaign,
impressions and clicks kept; totals checked against the csv module's reading of each file
(tests/sources_business/fixtures/REAL_SOURCES.md names the source of each layout)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from business_helpers import load, rows

from goodwill.warehouse import Warehouse

REAL = Path(__file__).parent / "fixtures"


def _table(path: Path, encoding: str, delimiter: str, skip: int) -> list[dict[str, str]]:
    text = path.read_bytes().decode(encoding)
    lines = text.splitlines()[skip:]
    return list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=delimiter))


def _num(text: str) -> Decimal:
    return Decimal(text.replace(",", "")) if text not in ("--", "") else Decimal(0)


CASES = {
    # file: (format, platform, encoding, delimiter, preamble lines, spend, impr., clicks)
    "meta_ads_per_ad.csv": (
        "meta-ads", "facebook", "utf-8", ",", 0, "Amount spent (USD)", "Impressions", None
    ),
    "meta_ads_daily.csv": (
        "meta-ads", "facebook", "utf-8-sig", ",", 0, "Amount spent (USD)", "Impressions",
        "Link clicks",
    ),
    "google_ads_campaign_report.csv": (
        "google-ads", "google", "utf-16", "\t", 2, "Cost", "Impr.", "Clicks"
    ),
    "linkedin_ads_campaign_performance.csv": (
        "linkedin-ads", "linkedin", "utf-8", ",", 3, "Total Spent", "Impressions", "Clicks"
    ),
    "tiktok_ads.csv": (
        "tiktok-ads", "tiktok", "utf-8", ",", 0, "Cost", "Impressions", "Clicks (destination)"
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_ad_spend_totals_match_the_file(wh: Warehouse, name: str) -> None:
    fmt, platform, enc, delim, skip, spend, impr, clicks = CASES[name]
    path = REAL / name
    summary = load(wh, path)
    assert summary.formats[str(path)] == fmt
    assert summary.rows_quarantined == 0
    recs = [
        r for r in _table(path, enc, delim, skip) if not next(iter(r.values())).startswith("Total")
    ]
    got = rows(
        wh,
        "SELECT count(*), sum(amount), sum(impressions), sum(clicks), min(platform), "
        "max(platform), min(category) FROM costs",
    )[0]
    assert got[0] == len(recs)
    assert got[1] == sum(_num(r[spend]) for r in recs)
    assert got[2] == sum(_num(r[impr]) for r in recs)
    if clicks is not None:
        assert got[3] == sum(_num(r[clicks]) for r in recs)
    assert got[4:] == (platform, platform, "ads")
    before = wh.counts()
    load(wh, path)  # re-importing replaces, never doubles
    assert wh.counts() == before


def test_google_ads_keeps_cents_days_and_skips_totals(wh: Warehouse) -> None:
    path = REAL / "google_ads_campaign_report.csv"
    summary = load(wh, path)
    assert summary.skipped[str(path)] == {"total row": 2}
    assert rows(
        wh,
        "SELECT period_start, period_end, campaign, amount, currency, impressions, clicks "
        "FROM costs ORDER BY 1, 3",
    ) == [
        (date(2026, 10, 1), date(2026, 10, 1), "Contractor night", Decimal("1033.33"), "USD",
         12345, 321),
        (date(2026, 10, 2), date(2026, 10, 2), "Contractor night", Decimal("0.01"), "USD", 1,
         None),
        (date(2026, 10, 2), date(2026, 10, 2), "Spring sale", Decimal("5.00"), "USD", 10, 1),
    ]  # fmt: skip


def test_linkedin_dates_are_month_first(wh: Warehouse) -> None:
    load(wh, REAL / "linkedin_ads_campaign_performance.csv")
    assert rows(wh, "SELECT min(period_start), max(period_end) FROM costs") == [
        (date(2026, 10, 1), date(2026, 10, 3))
    ]


def test_meta_per_ad_report_covers_its_period_by_ad_set(wh: Warehouse) -> None:
    load(wh, REAL / "meta_ads_per_ad.csv")
    got = rows(wh, "SELECT DISTINCT period_start, period_end, currency FROM costs")
    assert got == [(date(2026, 5, 25), date(2026, 6, 7), "USD")]
    assert rows(wh, "SELECT campaign, sum(amount) FROM costs GROUP BY 1 ORDER BY 1") == [
        ("Band A_0619_ Sales Ad Set -REVISED", Decimal("32.35")),
        ("Band B Ad Set -REVISED", Decimal("21.72")),
        ("Band B_0911_ Ticket Buyers", Decimal("23.40")),
        ("Headliner — Lookalike 1% — Medium Intent", Decimal("159.51")),
    ]
