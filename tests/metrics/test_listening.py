"""Listening: brand mentions, unique authors, competitor mentions, share of voice."""

from __future__ import annotations

from typing import Any

import pytest
from metric_fixtures import Seed, d, rows

from goodwill.metrics import MetricParams, run_query


@pytest.fixture
def mentions_seed(seed: Seed) -> Seed:
    seed.account("x", "brand")
    seed.account("mastodon", "brandm")
    seed.account("x", "rival", "competitor")
    seed.account("x", "rival2", "competitor")
    seed.account("mastodon", "rivalm", "competitor")
    m = seed.interaction
    m("x", "2026-01-03 10:00", "mention", "alice", "brand")
    m("x", "2026-01-04 10:00", "mention", "alice", "brand")
    m("x", "2026-01-10 10:00", "mention", "bob", "brand")
    m("x", "2026-01-11 10:00", "mention", "carol", "rival")
    m("x", "2026-01-12 10:00", "mention", "carol", "rival2")
    m("x", "2026-01-13 10:00", "mention", "dave", "rival")
    m("x", "2026-01-31 23:59", "mention", "erin", "rival")
    m("x", "2026-02-01 00:00", "mention", "alice", "brand")
    m("mastodon", "2026-01-20 10:00", "mention", "hank", "brandm")
    m("mastodon", "2026-01-21 10:00", "mention", "ivy", "rivalm")
    m("mastodon", "2026-02-05 10:00", "mention", "ivy", "rivalm")
    # not mentions of an account: outbound, another kind, someone who is no account
    m("x", "2026-01-05 10:00", "mention", "alice", "alice", direction="outbound")
    m("x", "2026-01-05 10:00", "reply", "frank", "brand")
    m("x", "2026-01-05 10:00", "mention", "gina", "somebody")
    return seed


COLUMNS = ("period", "platform", "mentions", "unique_authors", "competitor_mentions")


def test_monthly_share_of_voice(mentions_seed: Seed, backend: Any) -> None:
    frame = run_query("listening", backend, MetricParams())
    # x Jan: brand 3 (alice twice, bob) from 2 authors; rivals 4 (erin at 23:59 still Jan)
    # x Feb: brand 1 (alice at midnight), no rival
    # mastodon Jan: 1 and 1; mastodon Feb: only the rival
    assert rows(frame, *COLUMNS) == [
        (d("2026-01-01"), "mastodon", 1, 1, 1),
        (d("2026-01-01"), "x", 3, 2, 4),
        (d("2026-02-01"), "mastodon", 0, 0, 1),
        (d("2026-02-01"), "x", 1, 1, 0),
    ]
    assert list(frame.share_of_voice) == pytest.approx([1 / 2, 3 / 7, 0.0, 1.0])


def test_daily_and_platform(mentions_seed: Seed, backend: Any) -> None:
    frame = run_query("listening", backend, MetricParams(by="day", platform="x"))
    assert rows(frame, "period", "mentions", "competitor_mentions")[:3] == [
        (d("2026-01-03"), 1, 0),
        (d("2026-01-04"), 1, 0),
        (d("2026-01-10"), 1, 0),
    ]
    assert set(frame.platform) == {"x"}
    assert frame.mentions.sum() == 4 and frame.competitor_mentions.sum() == 4


def test_since_until(mentions_seed: Seed, backend: Any) -> None:
    params = MetricParams(platform="x", since=d("2026-01-11"), until=d("2026-01-31"))
    frame = run_query("listening", backend, params)
    # brand mentions are all before the 11th; rivals: carol, carol, dave, erin
    assert rows(frame, *COLUMNS) == [(d("2026-01-01"), "x", 0, 0, 4)]
    assert frame.share_of_voice.iloc[0] == 0.0


def test_no_mentions_no_rows(seed: Seed, backend: Any) -> None:
    seed.account("x", "brand")
    assert run_query("listening", backend, MetricParams()).empty
