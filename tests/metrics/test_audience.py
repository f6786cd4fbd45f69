"""Audience: period-end followers summed over brand accounts, lag-based growth."""

from __future__ import annotations

from typing import Any

import pytest
from metric_fixtures import Seed, d, rows

from goodwill.metrics import MetricParams, run_query


@pytest.fixture
def audience_seed(seed: Seed) -> Seed:
    seed.account("x", "brand")
    seed.account("x", "brand2")
    seed.account("mastodon", "brandm")
    seed.account("x", "rival", "competitor")
    # x:brand
    seed.snapshot("x", "brand", "2026-01-02", 100, 50)  # Fri -> week of Mon 2025-12-29
    seed.snapshot("x", "brand", "2026-01-20", 110, 55)  # Tue -> week 2026-01-19
    seed.snapshot("x", "brand", "2026-02-10", 120, 60)  # Tue -> week 2026-02-09
    seed.snapshot("x", "brand", "2026-03-05", 115, 60)  # Thu -> week 2026-03-02
    # x:brand2, tracked from mid-January
    seed.snapshot("x", "brand2", "2026-01-15", 10, 5)  # Thu -> week 2026-01-12
    seed.snapshot("x", "brand2", "2026-02-20", 20, 5)  # Fri -> week 2026-02-16
    seed.snapshot("x", "brand2", "2026-03-01", 30, 10)  # Sun -> week 2026-02-23
    # mastodon:brandm
    seed.snapshot("mastodon", "brandm", "2026-02-03", 40, 40)
    seed.snapshot("mastodon", "brandm", "2026-02-25", 50, 45)
    # a competitor's audience is never the brand's
    seed.snapshot("x", "rival", "2026-01-10", 9999, 1)
    return seed


COLUMNS = ("period", "platform", "followers", "following", "net_growth")


def test_monthly_followers_growth_and_ratio(audience_seed: Seed, backend: Any) -> None:
    frame = run_query("audience", backend, MetricParams(by="month"))
    # x Jan: brand ends at 110 (base: first snapshot 100), brand2 at 10 (base 10)
    #   followers 120, following 55+5=60, net (110-100)+(10-10)=10, rate 10/110
    # x Feb: 120+20=140, following 60+5=65, net (120-110)+(20-10)=20, rate 20/(110+10)
    # x Mar: 115+30=145, following 60+10=70, net (115-120)+(30-20)=5, rate 5/140
    # mastodon Feb: 50, following 45, net 50-40=10 (base: first snapshot), rate 10/40
    assert rows(frame, *COLUMNS) == [
        (d("2026-01-01"), "x", 120, 60, 10),
        (d("2026-02-01"), "mastodon", 50, 45, 10),
        (d("2026-02-01"), "x", 140, 65, 20),
        (d("2026-03-01"), "x", 145, 70, 5),
    ]
    assert list(frame.growth_rate) == pytest.approx([10 / 110, 10 / 40, 20 / 120, 5 / 140])
    assert list(frame.following_follower_ratio) == pytest.approx(
        [60 / 120, 45 / 50, 65 / 140, 70 / 145]
    )


def test_weekly_carries_accounts_forward(audience_seed: Seed, backend: Any) -> None:
    frame = run_query("audience", backend, MetricParams(by="week", platform="x"))
    # week       brand           brand2          followers  net   base
    # 2025-12-29 100 (first)     -               100        0     100
    # 2026-01-12 100 (carried)   10 (first)      110        0     110
    # 2026-01-19 110             10 (carried)    120        10    110
    # 2026-02-09 120             10              130        10    120
    # 2026-02-16 120             20              140        10    130
    # 2026-02-23 120             30              150        10    140
    # 2026-03-02 115             30              145        -5    150
    assert rows(frame, "period", "followers", "net_growth") == [
        (d("2025-12-29"), 100, 0),
        (d("2026-01-12"), 110, 0),
        (d("2026-01-19"), 120, 10),
        (d("2026-02-09"), 130, 10),
        (d("2026-02-16"), 140, 10),
        (d("2026-02-23"), 150, 10),
        (d("2026-03-02"), 145, -5),
    ]
    assert list(frame.growth_rate) == pytest.approx(
        [0, 0, 10 / 110, 10 / 120, 10 / 130, 10 / 140, -5 / 150]
    )


def test_daily_periods_are_the_snapshot_days(audience_seed: Seed, backend: Any) -> None:
    frame = run_query("audience", backend, MetricParams(by="day", platform="x"))
    assert list(frame.period)[:3] == [d("2026-01-02"), d("2026-01-15"), d("2026-01-20")]
    # 2026-01-15: brand carried at 100 + brand2's first 10
    assert rows(frame, "followers", "net_growth")[1] == (110, 0)


def test_platform_filter(audience_seed: Seed, backend: Any) -> None:
    frame = run_query("audience", backend, MetricParams(platform="mastodon"))
    assert rows(frame, *COLUMNS) == [(d("2026-02-01"), "mastodon", 50, 45, 10)]


def test_since_keeps_the_base_from_before(audience_seed: Seed, backend: Any) -> None:
    frame = run_query("audience", backend, MetricParams(platform="x", since=d("2026-02-01")))
    # February still grows from January's 120, not from its own first snapshot
    assert rows(frame, "period", "followers", "net_growth") == [
        (d("2026-02-01"), 140, 20),
        (d("2026-03-01"), 145, 5),
    ]


def test_until_ignores_later_snapshots(audience_seed: Seed, backend: Any) -> None:
    frame = run_query("audience", backend, MetricParams(until=d("2026-02-15")))
    # x Feb: brand 120 (02-10), brand2 carried at 10 (its 02-20 snapshot is after until)
    #   followers 130, net 10, rate 10/120
    # mastodon Feb: only 02-03 (40): net 40-40 = 0
    assert rows(frame, *COLUMNS) == [
        (d("2026-01-01"), "x", 120, 60, 10),
        (d("2026-02-01"), "mastodon", 40, 40, 0),
        (d("2026-02-01"), "x", 130, 65, 10),
    ]
    assert frame.growth_rate.iloc[2] == pytest.approx(10 / 120)


def test_zero_followers_gives_no_ratio(seed: Seed, backend: Any) -> None:
    seed.account("x", "brand")
    seed.snapshot("x", "brand", "2026-01-01", 0, 3)
    frame = run_query("audience", backend, MetricParams())
    assert frame.following_follower_ratio.isna().all()
    assert frame.growth_rate.isna().all()
