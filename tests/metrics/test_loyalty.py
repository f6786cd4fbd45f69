"""Loyalty: people resolved through identities, the 2-of-3-months rule, one-off share."""

from __future__ import annotations

from typing import Any

import pytest
from metric_fixtures import Seed, d, rows

from goodwill.errors import UserInputError
from goodwill.metrics import MetricParams, run_query


@pytest.fixture
def loyalty_seed(seed: Seed) -> Seed:
    seed.account("x", "brand")
    seed.account("mastodon", "brandm")
    seed.account("x", "rival", "competitor")
    # alice has handles on both platforms; bob's x handle is linked too
    seed.identity("handle:x", "alice", "p-alice")
    seed.identity("handle:mastodon", "alice_m", "p-alice")
    seed.identity("handle:x", "bob", "p-bob")
    i = seed.interaction
    # November 2025
    i("x", "2025-11-05 10:00", "like", "alice", "brand")
    i("x", "2025-11-06 10:00", "reply", "alice", "brand")
    i("x", "2025-11-10 10:00", "mention", "carol", "brand")
    i("x", "2025-11-20 10:00", "like", "hal", "brand")
    # December 2025
    i("mastodon", "2025-12-02 10:00", "reply", "alice_m", "brandm")
    i("x", "2025-12-03 10:00", "like", "bob", "brand")
    i("x", "2025-12-04 10:00", "share", "bob", "brand")
    i("x", "2025-12-05 10:00", "follow", "dave", "brand")
    i("x", "2025-12-06 10:00", "unfollow", "dave", "brand")  # not attention
    i("x", "2025-12-07 10:00", "mention", "gina", "rival")  # not to the brand
    i("x", "2025-12-08 10:00", "reply", "alice", "alice", direction="outbound")
    # January 2026
    i("x", "2026-01-01 00:00", "mention", "carol", "brand")
    i("x", "2026-01-02 10:00", "like", "bob", "brand")
    i("x", "2026-01-03 10:00", "like", "erin", "brand")
    i("x", "2026-01-04 10:00", "like", "erin", "brand")
    # February 2026
    i("x", "2026-02-10 10:00", "like", "carol", "brand")
    i("mastodon", "2026-02-11 10:00", "like", "alice_m", "brandm")
    i("x", "2026-02-12 10:00", "like", "alice", "brand")
    i("x", "2026-02-13 10:00", "like", "frank", "brand")
    i("x", "2026-02-20 10:00", "like", "hal", "brand")
    return seed


PEOPLE = ("period", "people_active", "repeat_interactors", "new_people", "interactions")
SHARES = ("regular_share_of_people", "interactions_from_regulars_share", "one_off_share")


def test_monthly_loyalty(loyalty_seed: Seed, backend: Any) -> None:
    frame = run_query("loyalty", backend, MetricParams())
    # Nov: p-alice (2), x:carol (1), x:hal (1): all new
    # Dec: p-alice (1, via mastodon; active Nov -> repeat), p-bob (2, new), x:dave (1, new;
    #      the unfollow does not count)
    # Jan: x:carol (active Nov, two months before -> repeat, across the year boundary),
    #      p-bob (Dec -> repeat), x:erin (2, new)
    # Feb: x:carol (Jan -> repeat), p-alice on two platforms, counted once (2 interactions;
    #      last active Dec -> repeat), x:frank (new), x:hal (last active Nov, three months
    #      before: neither repeat nor new)
    assert rows(frame, *PEOPLE) == [
        (d("2025-11-01"), 3, 0, 3, 4),
        (d("2025-12-01"), 3, 1, 2, 4),
        (d("2026-01-01"), 3, 2, 1, 4),
        (d("2026-02-01"), 4, 2, 1, 5),
    ]
    assert rows(frame, *SHARES) == [
        pytest.approx((0.0, 0.0, 4 / 4)),
        pytest.approx((1 / 3, 1 / 4, 3 / 4)),  # regular alice 1 of 4; bob 2 + dave 1 new
        pytest.approx((2 / 3, 2 / 4, 2 / 4)),  # carol 1 + bob 1 regular; erin 2 new
        pytest.approx((2 / 4, 3 / 5, 1 / 5)),  # carol 1 + alice 2 regular; frank 1 new
    ]


def test_platform_filter_limits_the_look_back_too(loyalty_seed: Seed, backend: Any) -> None:
    frame = run_query("loyalty", backend, MetricParams(platform="x"))
    # Dec on x: p-bob (2), x:dave (1); alice's only December interaction was on mastodon
    # Feb on x: carol (repeat), alice (1; last active on x in Nov -> not repeat), frank (new),
    #           hal (not repeat)
    assert rows(frame, *PEOPLE) == [
        (d("2025-11-01"), 3, 0, 3, 4),
        (d("2025-12-01"), 2, 0, 2, 3),
        (d("2026-01-01"), 3, 2, 1, 4),
        (d("2026-02-01"), 4, 1, 1, 4),
    ]
    assert rows(frame, *SHARES)[3] == pytest.approx((1 / 4, 1 / 4, 1 / 4))


def test_since_until_select_whole_months(loyalty_seed: Seed, backend: Any) -> None:
    frame = run_query(
        "loyalty", backend, MetricParams(since=d("2026-01-15"), until=d("2026-01-20"))
    )
    # January, whole, with November and December still in the look-back
    assert rows(frame, *PEOPLE) == [(d("2026-01-01"), 3, 2, 1, 4)]
    early = run_query("loyalty", backend, MetricParams(until=d("2025-12-01")))
    assert rows(early, *PEOPLE)[-1] == (d("2025-12-01"), 3, 1, 2, 4)


@pytest.mark.parametrize("by", ["day", "week"])
def test_loyalty_is_monthly_only(backend: Any, by: str) -> None:
    with pytest.raises(UserInputError, match="--by month"):
        run_query("loyalty", backend, MetricParams(by=by))
