"""Email campaign reports into posts and post_stats (issue 14): a real Klaviyo campaigns
export (tests/sources_business/fixtures/REAL_SOURCES.md) and the Mailchimp report layout; totals
checked against the csv module's reading of each file."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from business_helpers import load, rows

from goodwill.warehouse import Warehouse

REAL = Path(__file__).parent / "fixtures"

CASES = {
    "klaviyo_campaigns_export.csv": (
        "Campaign Name", "Successful Deliveries", "Unique Placed Order", "Revenue"
    ),
    "mailchimp_campaigns_export.csv": (
        "Title", "Successful Deliveries", "Total Orders", "Total Revenue"
    ),
}  # fmt: skip


def _n(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


@pytest.mark.parametrize("name", sorted(CASES))
def test_campaign_report_totals_match_the_file(wh: Warehouse, name: str) -> None:
    title, delivered, orders, revenue = CASES[name]
    path = REAL / name
    summary = load(wh, path)
    assert summary.formats[str(path)] == "email-campaigns"
    assert summary.rows_quarantined == 0
    with path.open(newline="", encoding="utf-8") as fh:
        recs = list(csv.DictReader(fh))
    got = rows(
        wh,
        "SELECT count(*), sum(impressions), sum(reach), sum(clicks), sum(orders), sum(revenue) "
        "FROM post_stats",
    )[0]
    assert got == (
        len(recs),
        sum(_n(r[delivered]) for r in recs),
        sum(_n(r["Unique Opens"]) for r in recs),
        sum(_n(r["Unique Clicks"]) for r in recs),
        sum(_n(r[orders]) for r in recs),
        sum(_n(r[revenue]) for r in recs),
    )
    titles = rows(wh, "SELECT campaign FROM posts WHERE platform = 'email' ORDER BY 1")
    assert [t for (t,) in titles] == sorted(r[title] for r in recs)
    # the tool's attributed revenue is never a conversion
    assert wh.count("conversions") == 0


def test_klaviyo_multiline_subject_and_send_day(wh: Warehouse) -> None:
    load(wh, REAL / "klaviyo_campaigns_export.csv")
    got = rows(
        wh,
        "SELECT p.post_id, CAST(p.created_at AS VARCHAR), CAST(s.as_of AS VARCHAR), "
        "p.text LIKE 'Get first dibs%Neither Can We ☀️' FROM posts p JOIN post_stats s "
        "USING (platform, post_id) WHERE p.campaign LIKE '[Follow-up]%'",
    )
    assert got == [("follow-up-summer-sneak-peek", "2025-04-19 15:17:00", "2025-04-19", True)]
