"""Funnel (social → visit → lead → customer), days from social to sale, traffic detail and
tracked-link clicks, on hand-built rows with hand-computed expectations."""

from __future__ import annotations

import math
from typing import Any

import pytest
from metric_fixtures import Seed, d, rows, ts

from goodwill.metrics import MetricParams, run_query


def conversion(seed: Seed, cid: str, at: str, kind: str, **ids: str) -> None:
    seed.wh.con.execute(
        "INSERT INTO conversions (conversion_id, occurred_at, kind, value, value_reporting, "
        "customer_id, email, visitor_id) VALUES (?, ?, ?, 0, 0, ?, ?, ?)",
        [cid, ts(at), kind, ids.get("customer_id"), ids.get("email"), ids.get("visitor_id")],
    )


@pytest.fixture
def journeys_seed(seed: Seed) -> Seed:
    i, ident = seed.interaction, seed.identity
    # ann: touched on mastodon 01-05, visits 01-06, lead 01-08 (by email), order 01-10 (visitor)
    ident("handle:mastodon", "ann", "p-ann")
    ident("visitor", "va", "p-ann")
    ident("email", "ann@x.org", "p-ann")
    conversion(seed, "c0", "2026-01-01 09:00", "lead", email="ann@x.org")  # before the touch
    i("mastodon", "2026-01-05 10:00", "mention", "ann", "shop")
    i("mastodon", "2026-01-06 10:00", "reply", "ann", "shop")
    seed.visit("2026-01-06 12:00", "va")
    conversion(seed, "c1", "2026-01-08 09:00", "lead", email="ann@x.org")
    conversion(seed, "c2", "2026-01-10 09:00", "order", visitor_id="va")
    # bob: touched on x, no identity, nothing else
    i("x", "2026-01-07 10:00", "like", "bob", "shop")
    # cat: touched 01-10 10:00; a visit before the touch does not count, one after does;
    # a lead the same day (by customer id), no order
    ident("handle:bluesky", "cat", "p-cat")
    ident("visitor", "vc", "p-cat")
    ident("customer", "C1", "p-cat")
    seed.visit("2026-01-09 12:00", "vc")
    i("bluesky", "2026-01-10 10:00", "share", "cat", "shop")
    seed.visit("2026-01-12 12:00", "vc")
    conversion(seed, "c3", "2026-01-10 15:00", "signup", customer_id="C1")
    # dan: touched 01-02, orders 01-20 without any tracked visit
    ident("handle:x", "dan", "p-dan")
    ident("email", "dan@x.org", "p-dan")
    i("x", "2026-01-02 10:00", "follow", "dan", "shop")
    conversion(seed, "c4", "2026-01-20 10:00", "order", email="dan@x.org")
    # fay: touched 01-04; her visitor id is known only from her lead, which carries it
    ident("handle:mastodon", "fay", "p-fay")
    ident("email", "fay@x.org", "p-fay")
    i("mastodon", "2026-01-04 10:00", "mention", "fay", "shop")
    seed.visit("2026-01-04 12:00", "vf")
    conversion(seed, "c5", "2026-01-05 09:00", "lead", email="fay@x.org", visitor_id="vf")
    # eve: only the brand wrote to her
    i("x", "2026-01-03 10:00", "reply", "shop", "eve", direction="outbound")
    return seed


def test_funnel_steps_and_rates(journeys_seed: Seed, backend: Any) -> None:
    frame = run_query("funnel", backend, MetricParams())
    assert rows(frame, "step_no", "step", "people") == [
        (1, "social", 5),  # ann, bob, cat, dan, fay
        (2, "visit", 3),  # ann, cat (the visit after the touch), fay (visitor from her lead)
        (3, "lead", 3),  # ann, cat, fay
        (4, "customer", 1),  # ann (dan ordered but never visited)
    ]
    assert list(frame.rate_from_previous) == [1.0, 0.6, 1.0, pytest.approx(1 / 3)]
    assert list(frame.rate_from_social) == [1.0, 0.6, 0.6, 0.2]


def test_funnel_cohort_and_platform_filters(journeys_seed: Seed, backend: Any) -> None:
    since = run_query("funnel", backend, MetricParams(since=d("2026-01-03")))
    assert list(since.people) == [4, 3, 3, 1]  # dan's first touch is before --since
    x = run_query("funnel", backend, MetricParams(platform="x"))
    assert list(x.people) == [2, 0, 0, 0]  # bob and dan
    assert math.isnan(x.rate_from_previous[2])  # 0 / 0


def test_days_from_first_touch_to_lead_and_order(journeys_seed: Seed, backend: Any) -> None:
    frame = run_query("funnel_days", backend, MetricParams())
    got = rows(frame, "milestone", "days", "people", "share", "cumulative_share")
    assert got == [
        ("lead", 0, 1, 0.25, 0.25),  # cat, same day
        ("lead", 1, 1, 0.25, 0.5),  # fay 01-04 → 01-05
        ("lead", 3, 1, 0.25, 0.75),  # ann 01-05 → 01-08
        ("lead", 18, 1, 0.25, 1.0),  # dan: his order is his first lead
        ("order", 5, 1, 0.5, 0.5),  # ann 01-05 → 01-10
        ("order", 18, 1, 0.5, 1.0),  # dan 01-02 → 01-20
    ]


def test_traffic_detail_engaged_and_returning(seed: Seed, backend: Any) -> None:
    v = seed.visit
    v("2025-12-31 10:00", "z", pageviews=1, channel="search", source="google")
    v("2026-01-05 10:00", "a", pageviews=3, channel="social", source="x")
    v("2026-01-06 10:00", "a", pageviews=1, channel="social", source="x")
    v("2026-01-07 10:00", "b", pageviews=None, channel="paid_social", source="x")
    v("2026-01-08 10:00", "z", pageviews=2, channel="search", source="google")
    frame = run_query("traffic_detail", backend, MetricParams(since=d("2026-01-01")))
    cols = ("channel", "source", "visits", "visitors", "pageviews", "engaged_visits")
    assert rows(frame, *cols, "returning_visitors") == [
        ("paid_social", "x", 1, 1, 1, 0, 0),
        ("search", "google", 1, 1, 2, 1, 1),  # z visited in December, before --since
        ("social", "x", 2, 1, 4, 1, 1),  # a's second visit returns
    ]
    assert set(frame.period) == {d("2026-01-01")}


def test_link_clicks_per_post(seed: Seed, backend: Any) -> None:
    con = seed.wh.con
    con.execute(
        "INSERT INTO links (code, destination_url, platform, campaign, post_id) VALUES "
        "('L1', 'https://shop.example/', 'mastodon', 'spring', 'p1'), "
        "('L2', 'https://shop.example/b', 'x', NULL, NULL)"
    )
    seed.post("mastodon", "p1", "shop", "2026-01-01 09:00")
    seed.post("mastodon", "p2", "shop", "2026-01-02 09:00")
    con.execute("UPDATE posts SET link_code = 'L1'")
    for n, (code, at, visitor) in enumerate(
        [
            ("L1", "2025-12-30 10:00", "vx"),  # before --since
            ("L1", "2026-01-01 10:00", "va"),
            ("L1", "2026-01-01 11:00", "va"),
            ("L1", "2026-01-02 10:00", "vb"),
            ("L2", "2026-01-03 10:00", "vc"),
        ]
    ):
        con.execute(
            "INSERT INTO link_clicks (click_id, code, clicked_at, visitor_id) VALUES (?, ?, ?, ?)",
            [f"k{n}", code, ts(at), visitor],
        )
    visit = seed.visit("2026-01-01 10:00", "va")
    con.execute("UPDATE visits SET link_code = 'L1' WHERE visit_id = ?", [visit])
    frame = run_query("link_clicks", backend, MetricParams(since=d("2026-01-01")))
    cols = ("code", "platform", "campaign", "clicks", "clickers", "visits", "posts")
    assert rows(frame, *cols) == [
        ("L1", "mastodon", "spring", 3, 2, 1, 2),  # p1 named by the link and carried; p2
        ("L2", "x", "", 1, 1, 0, 0),
    ]
    assert frame.clicks_per_post[0] == 1.5
    assert math.isnan(frame.clicks_per_post[1])
    only_x = run_query("link_clicks", backend, MetricParams(platform="x"))
    assert list(only_x.code) == ["L2"]
