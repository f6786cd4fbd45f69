"""Scorecard: a month's headline numbers against the month before."""

from __future__ import annotations

from typing import Any

import ibis
import pytest
from metric_fixtures import Seed, d

from goodwill.metrics import HEADLINES, ScorecardRow, scorecard
from goodwill.metrics.scorecard import scorecard_tables


@pytest.fixture
def business(seed: Seed) -> Seed:
    seed.account("x", "brand")
    seed.account("mastodon", "brandm")
    seed.account("x", "rival", "competitor")
    seed.identity("handle:x", "bob", "p-bob")
    seed.identity("handle:mastodon", "bob_m", "p-bob")
    # audience: x 90 -> 100 -> 130; mastodon 50 (first) -> 40
    seed.snapshot("x", "brand", "2025-12-31", 90)
    seed.snapshot("x", "brand", "2026-01-31", 100)
    seed.snapshot("x", "brand", "2026-02-28", 130)
    seed.snapshot("mastodon", "brandm", "2026-01-15", 50)
    seed.snapshot("mastodon", "brandm", "2026-02-10", 40)
    # posts and what they earned
    seed.post("x", "p1", "brand", "2026-01-05 10:00")
    seed.post("x", "p2", "brand", "2026-01-06 10:00")
    seed.post("x", "p3", "brand", "2026-02-02 10:00")
    seed.post("mastodon", "m1", "brandm", "2026-02-03 10:00")
    seed.post("mastodon", "m2", "brandm", "2026-02-04 10:00")
    i = seed.interaction
    i("x", "2026-01-05 11:00", "reply", "alice", "brand", post_id="p1")
    i("x", "2026-01-05 11:00", "like", "bob", "brand", post_id="p1")
    i("x", "2026-01-06 11:00", "share", "carol", "brand", post_id="p2")
    i("x", "2026-01-06 11:00", "like", "alice", "brand", post_id="p2")
    i("x", "2026-02-02 11:00", "reply", "alice", "brand", post_id="p3")
    i("x", "2026-02-02 11:00", "comment", "dave", "brand", post_id="p3")
    i("mastodon", "2026-02-03 11:00", "reply", "bob_m", "brandm", post_id="m1")
    i("mastodon", "2026-02-04 11:00", "share", "erin", "brandm", post_id="m2")
    # mentions
    i("x", "2026-01-10 10:00", "mention", "alice", "brand")
    i("x", "2026-01-10 10:00", "mention", "zed", "rival")
    i("x", "2026-02-10 10:00", "mention", "alice", "brand")
    i("x", "2026-02-11 10:00", "mention", "frank", "brand")
    i("mastodon", "2026-02-12 10:00", "mention", "bob_m", "brandm")
    i("x", "2026-02-13 10:00", "mention", "zed", "rival")
    # visits: Jan 4 (1 social); Feb 5 (2 social, 1 paid social)
    for day, channel in [("05", "social"), ("06", "search"), ("07", None), ("08", "direct")]:
        seed.visit(f"2026-01-{day} 10:00", f"v{day}", channel=channel)
    for day, channel in [
        ("01", "social"),
        ("02", "social"),
        ("03", "paid_social"),
        ("04", "email"),
        ("05", None),
    ]:
        seed.visit(f"2026-02-{day} 10:00", f"w{day}", channel=channel)
    # conversions
    seed.conversion("2026-01-03 10:00", "lead")
    seed.conversion("2026-01-04 10:00", "lead")
    seed.conversion("2026-01-05 10:00", "order", 100)
    seed.conversion("2026-01-06 10:00", "order", 50)
    seed.conversion("2026-01-07 10:00", "signup")
    seed.conversion("2026-02-03 10:00", "lead")
    seed.conversion("2026-02-04 10:00", "order", 80)
    seed.conversion("2026-02-05 10:00", "refund", 30)
    # costs
    seed.cost("2026-01-01", "2026-01-31", 310)  # January only
    seed.cost("2026-01-17", "2026-02-15", 300, "tools")  # 15 days in each month of 30
    seed.cost("2026-02-01", "2026-02-28", 56, "ads")
    seed.cost("2025-12-01", "2025-12-31", 999)  # before
    seed.cost("2026-03-01", "2026-03-31", 999)  # budget ahead: not "data" for the month
    return seed


# name: (February, January), computed by hand
EXPECTED: dict[str, tuple[float | None, float | None]] = {
    # x 130 + mastodon 40; x 100 + mastodon 50
    "followers": (170, 150),
    # Feb: x 130-100 = 30, mastodon 40-50 = -10; Jan: x 100-90 = 10, mastodon 50-50 = 0
    "net_growth": (20, 10),
    "posts": (3, 2),
    "conversation_rate": (3 / 3, 1 / 2),  # Feb: alice, dave, bob_m; Jan: alice
    "amplification_rate": (1 / 3, 1 / 2),
    "applause_rate": (0 / 3, 2 / 2),
    "mentions": (3, 1),
    "share_of_voice": (3 / 4, 1 / 2),
    # Jan: alice, bob, carol. Feb: alice, dave, p-bob (bob_m), erin, frank
    "people_active": (5, 3),
    "repeat_interactors": (2, 0),  # alice and p-bob were active in January
    "visits": (5, 4),
    "social_share_of_visits": (3 / 5, 1 / 4),
    "leads": (1, 2),
    "orders": (1, 2),
    "revenue": (80 - 30, 100 + 50),
    "social_cost": (150 + 56, 310 + 150),
}


def test_february_against_january(business: Seed, backend: Any) -> None:
    card = scorecard(backend, month=d("2026-02-14"))
    assert [row.name for row in card] == [h.name for h in HEADLINES] == list(EXPECTED)
    for row in card:
        value, previous = EXPECTED[row.name]
        assert (row.value, row.previous) == pytest.approx((value, previous)), row.name
        assert row.definition and row.unit and row.label
    by_name = {row.name: row for row in card}
    assert by_name["followers"].change == pytest.approx(20 / 150)
    assert by_name["net_growth"].change == pytest.approx(1.0)
    assert by_name["applause_rate"].change == pytest.approx(-1.0)
    assert by_name["revenue"].change == pytest.approx(-100 / 150)
    assert by_name["social_cost"].change == pytest.approx((206 - 460) / 460)
    assert by_name["repeat_interactors"].change is None  # previous is 0


def test_default_month_is_the_last_with_data(business: Seed, backend: Any) -> None:
    assert scorecard(backend) == scorecard(backend, month=d("2026-02-01"))


def test_january_against_december(business: Seed, backend: Any) -> None:
    by_name = {row.name: row for row in scorecard(backend, month=d("2026-01-01"))}
    # December has only x's first snapshot (90, no growth) and the December cost
    assert (by_name["followers"].value, by_name["followers"].previous) == (150, 90)
    assert by_name["net_growth"].previous == 0
    assert by_name["posts"].previous == 0
    assert by_name["conversation_rate"].previous is None  # no posts: undefined
    assert by_name["share_of_voice"].previous is None
    assert by_name["social_cost"].previous == pytest.approx(999)


def test_empty_warehouse(backend: Any) -> None:
    assert scorecard(backend) == []
    card = scorecard(backend, month=d("2026-02-01"))
    assert all(isinstance(row, ScorecardRow) for row in card)
    by_name = {row.name: row for row in card}
    assert by_name["visits"].value == 0 and by_name["followers"].value is None


def test_every_headline_has_one_source_and_compiles_for_spark(
    backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    class PySparkOptions(ibis.config.Config):  # registered by ibis when pyspark is installed
        treat_nan_as_null: bool = False

    if ibis.options.pyspark is None:
        monkeypatch.setattr(ibis.options, "pyspark", PySparkOptions())
    tables = scorecard_tables(backend, d("2026-02-01"))
    provided = [c for t in tables for c in t.columns if c != "period"]
    assert sorted(set(provided)) == sorted(h.name for h in HEADLINES)
    for table in tables:
        assert "SELECT" in ibis.to_sql(table, dialect="pyspark")
