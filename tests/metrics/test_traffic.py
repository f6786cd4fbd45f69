"""Traffic: visits by channel and source, social share of visits."""

from __future__ import annotations

from typing import Any

import pytest
from metric_fixtures import Seed, d, rows

from goodwill.metrics import MetricParams, run_query


@pytest.fixture
def visits_seed(seed: Seed) -> Seed:
    v = seed.visit
    v("2026-01-05 10:00", "a", pageviews=3, channel="social", source="x")  # Mon
    v("2026-01-06 10:00", "a", pageviews=1, channel="social", source="x")
    v("2026-01-07 10:00", "b", pageviews=None, channel="paid_social", source="x")  # counts 1
    v("2026-01-08 10:00", "c", pageviews=2, channel="search", source="google")
    v("2026-01-09 10:00", "d", pageviews=1)  # not classified yet
    v("2026-02-01 10:00", "a", pageviews=2, channel="social", source="mastodon")  # Sun
    v("2026-02-02 10:00", "e", pageviews=1, channel="email", source="newsletter")  # Mon
    v("2026-02-03 10:00", "f", pageviews=4, channel="direct", source="(direct)")
    return seed


def test_visits_by_channel_and_source(visits_seed: Seed, backend: Any) -> None:
    frame = run_query("traffic", backend, MetricParams())
    assert rows(frame, "period", "channel", "source", "visits", "visitors", "pageviews") == [
        (d("2026-01-01"), "paid_social", "x", 1, 1, 1),
        (d("2026-01-01"), "search", "google", 1, 1, 2),
        (d("2026-01-01"), "social", "x", 2, 1, 4),  # visitor a twice, 3 + 1 pageviews
        (d("2026-01-01"), "unclassified", "unclassified", 1, 1, 1),
        (d("2026-02-01"), "direct", "(direct)", 1, 1, 4),
        (d("2026-02-01"), "email", "newsletter", 1, 1, 1),
        (d("2026-02-01"), "social", "mastodon", 1, 1, 2),
    ]


def test_platform_filter_matches_source(visits_seed: Seed, backend: Any) -> None:
    frame = run_query("traffic", backend, MetricParams(platform="x"))
    assert rows(frame, "channel", "visits") == [("paid_social", 1), ("social", 2)]


def test_social_share_of_visits(visits_seed: Seed, backend: Any) -> None:
    monthly = run_query("traffic_share", backend, MetricParams())
    # Jan: 5 visits, 2 social + 1 paid social; Feb: 3 visits, 1 social
    assert rows(monthly, "period", "visits", "social_visits") == [
        (d("2026-01-01"), 5, 3),
        (d("2026-02-01"), 3, 1),
    ]
    assert list(monthly.social_share_of_visits) == pytest.approx([3 / 5, 1 / 3])
    weekly = run_query("traffic_share", backend, MetricParams(by="week"))
    # weeks: 01-05 (5 visits, 3 social), 01-26 (Sun 02-01: 1 social), 02-02 (2, none)
    assert rows(weekly, "period", "visits", "social_visits") == [
        (d("2026-01-05"), 5, 3),
        (d("2026-01-26"), 1, 1),
        (d("2026-02-02"), 2, 0),
    ]
    assert list(weekly.social_share_of_visits) == pytest.approx([0.6, 1.0, 0.0])


def test_share_with_platform_and_dates(visits_seed: Seed, backend: Any) -> None:
    x_only = run_query("traffic_share", backend, MetricParams(platform="x"))
    # x's social visits over all visits: Jan 3/5, Feb 0/3
    assert rows(x_only, "visits", "social_visits") == [(5, 3), (3, 0)]
    dated = run_query(
        "traffic_share", backend, MetricParams(since=d("2026-01-07"), until=d("2026-02-01"))
    )
    # Jan: the 7th, 8th, 9th (1 paid social); Feb: the 1st (social)
    assert rows(dated, "visits", "social_visits") == [(3, 1), (1, 1)]
    assert list(dated.social_share_of_visits) == pytest.approx([1 / 3, 1.0])
