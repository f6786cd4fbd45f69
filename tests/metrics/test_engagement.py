"""Engagement: conversation, amplification and applause per post; top posts."""

from __future__ import annotations

from typing import Any

import pytest
from metric_fixtures import Seed, d, rows

from goodwill.metrics import MetricParams, run_query
from goodwill.metrics.engagement import TOP_POSTS_LIMIT


@pytest.fixture
def posts_seed(seed: Seed) -> Seed:
    seed.account("x", "brand")
    seed.account("mastodon", "brandm")
    seed.account("x", "rival", "competitor")
    seed.post("x", "p1", "brand", "2026-01-05 10:00", text="launch!", campaign="launch")
    seed.post("x", "p2", "brand", "2026-01-20 09:00")
    seed.post("x", "p3", "brand", "2026-02-03 12:00")
    seed.post("mastodon", "m1", "brandm", "2026-01-10 08:00")
    seed.post("x", "r1", "rival", "2026-01-06 08:00")  # a competitor's post: not ours
    on = seed.interaction
    # p1: 3 replies (reply, comment, reply), 1 share, 3 likes
    on("x", "2026-01-05 11:00", "reply", "alice", "brand", post_id="p1")
    on("x", "2026-01-05 11:00", "comment", "bob", "brand", post_id="p1")
    on("x", "2026-01-06 11:00", "reply", "carol", "brand", post_id="p1")
    on("x", "2026-01-06 11:00", "share", "dave", "brand", post_id="p1")
    for who in ("alice", "bob", "erin"):
        on("x", "2026-01-07 11:00", "like", who, "brand", post_id="p1")
    on("x", "2026-01-05 12:00", "reply", "alice", "alice", post_id="p1", direction="outbound")
    # p2: 1 reply, 1 like
    on("x", "2026-01-20 10:00", "reply", "alice", "brand", post_id="p2")
    on("x", "2026-01-21 10:00", "like", "bob", "brand", post_id="p2")
    # p3: 2 shares (one a month later: still p3's), 1 like
    on("x", "2026-02-03 13:00", "share", "alice", "brand", post_id="p3")
    on("x", "2026-03-01 13:00", "share", "bob", "brand", post_id="p3")
    on("x", "2026-02-04 13:00", "like", "alice", "brand", post_id="p3")
    # m1: 1 reply, 2 likes; a mastodon reply carrying post_id "p1" is not x's p1
    on("mastodon", "2026-01-10 09:00", "reply", "zed", "brandm", post_id="m1")
    on("mastodon", "2026-01-10 09:00", "like", "zed", "brandm", post_id="m1")
    on("mastodon", "2026-01-10 09:00", "like", "yan", "brandm", post_id="m1")
    on("mastodon", "2026-01-10 09:00", "reply", "yan", "brandm", post_id="p1")
    # noise: a reply on the competitor's post, a mention without a post
    on("x", "2026-01-06 09:00", "reply", "alice", "rival", post_id="r1")
    on("x", "2026-01-06 09:00", "mention", "alice", "brand")
    # followers: x ends January at 100, has no February snapshot; mastodon has 0
    seed.snapshot("x", "brand", "2026-01-31", 100)
    seed.snapshot("mastodon", "brandm", "2026-01-15", 0)
    return seed


COUNTS = ("period", "platform", "posts", "replies", "shares", "likes")
RATES = ("conversation_rate", "amplification_rate", "applause_rate")


def test_monthly_counts_and_rates(posts_seed: Seed, backend: Any) -> None:
    frame = run_query("engagement", backend, MetricParams())
    # x Jan: p1+p2 = 2 posts, replies 3+1 = 4, shares 1, likes 3+1 = 4
    # x Feb: p3: 0 replies, 2 shares, 1 like
    # mastodon Jan: m1: 1 reply, 0 shares, 2 likes
    assert rows(frame, *COUNTS) == [
        (d("2026-01-01"), "mastodon", 1, 1, 0, 2),
        (d("2026-01-01"), "x", 2, 4, 1, 4),
        (d("2026-02-01"), "x", 1, 0, 2, 1),
    ]
    assert rows(frame, *RATES) == [
        pytest.approx((1.0, 0.0, 2.0)),
        pytest.approx((4 / 2, 1 / 2, 4 / 2)),  # conversation 2, amplification 0.5, applause 2
        pytest.approx((0.0, 2.0, 1.0)),
    ]
    # engagement rate: x Jan (4+1+4)/2 posts/100 followers = 0.045; mastodon has 0 followers
    # and x has no February snapshot: both undefined
    assert frame.engagement_rate.iloc[1] == pytest.approx(0.045)
    assert frame.engagement_rate.iloc[[0, 2]].isna().all()


def test_weekly_and_daily_buckets(posts_seed: Seed, backend: Any) -> None:
    weekly = run_query("engagement", backend, MetricParams(by="week", platform="x"))
    # p1 Mon 2026-01-05, p2 Tue 01-20 (week 01-19), p3 Tue 02-03 (week 02-02)
    assert rows(weekly, "period", "posts", "replies") == [
        (d("2026-01-05"), 1, 3),
        (d("2026-01-19"), 1, 1),
        (d("2026-02-02"), 1, 0),
    ]
    daily = run_query("engagement", backend, MetricParams(by="day", platform="mastodon"))
    assert rows(daily, "period", "posts", "likes") == [(d("2026-01-10"), 1, 2)]


def test_since_until_select_posts_by_created_at(posts_seed: Seed, backend: Any) -> None:
    params = MetricParams(since=d("2026-01-06"), until=d("2026-02-03"))
    frame = run_query("engagement", backend, params)
    # p1 (01-05) is out; p3 at 12:00 on the until day is in, with its March share
    assert rows(frame, *COUNTS) == [
        (d("2026-01-01"), "mastodon", 1, 1, 0, 2),
        (d("2026-01-01"), "x", 1, 1, 0, 1),
        (d("2026-02-01"), "x", 1, 0, 2, 1),
    ]
    # followers still come from the January snapshot: (1+0+1)/1/100
    assert frame.engagement_rate.iloc[1] == pytest.approx(0.02)


def test_top_posts_ranked_by_engagements(posts_seed: Seed, backend: Any) -> None:
    frame = run_query("top_posts", backend, MetricParams())
    # p1 3+1+3 = 7; p3 0+2+1 = 3 and m1 1+0+2 = 3 (the newer, p3, first); p2 1+0+1 = 2
    assert rows(frame, "rank", "platform", "post_id", "engagements") == [
        (1, "x", "p1", 7),
        (2, "x", "p3", 3),
        (3, "mastodon", "m1", 3),
        (4, "x", "p2", 2),
    ]
    first = frame.iloc[0]
    assert (first.text, first.campaign, first.replies, first.shares, first.likes) == (
        "launch!",
        "launch",
        3,
        1,
        3,
    )
    x_only = run_query("top_posts", backend, MetricParams(platform="x", until=d("2026-01-31")))
    assert list(x_only.post_id) == ["p1", "p2"]


def test_top_posts_keeps_twenty(seed: Seed, backend: Any) -> None:
    seed.account("x", "brand")
    for n in range(TOP_POSTS_LIMIT + 3):
        seed.post("x", f"p{n:02d}", "brand", f"2026-01-{n + 1:02d} 10:00")
    frame = run_query("top_posts", backend, MetricParams())
    assert len(frame) == TOP_POSTS_LIMIT == 20
    assert list(frame["rank"]) == list(range(1, 21))
    assert frame.post_id.iloc[0] == "p22"  # no engagement anywhere: newest first
