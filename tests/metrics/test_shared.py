"""Shared building blocks (``goodwill.metrics.shared``): inside ``shared_tables`` the
attention person-months, the funnel journeys, the reactions per post and the classified
visits are computed once per backend and filters, and every query gives the same rows as when
it builds them inline."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from goodwill.metrics import MetricParams, run_query, scorecard
from goodwill.metrics.shared import shared_tables, sharing
from goodwill.warehouse import Warehouse

PEOPLE_QUERIES = ("loyalty", "relationships", "retention", "customer_engagement")
OTHER_QUERIES = ("engagement", "top_posts", "traffic_detail")
FUNNEL_QUERIES = ("funnel", "funnel_days")


@pytest.fixture
def people_wh(wh: Warehouse) -> Warehouse:
    """40 people over 9 months on two platforms (some linked across them by resolution, some
    only in identities), with visits and orders found by customer id, e-mail or visitor."""
    rng = random.Random(4)
    con = wh.con
    for platform in ("x", "mastodon"):
        con.execute(f"INSERT INTO accounts VALUES ('{platform}', 'brand', 'brand', NULL)")
    start = datetime(2026, 1, 3, 9)
    for platform in ("x", "mastodon"):
        for k in range(6):
            con.execute(
                "INSERT INTO posts (platform, post_id, handle, created_at, text) "
                "VALUES (?, ?, 'brand', ?, 'post')",
                [platform, f"{platform}-p{k}", start + timedelta(days=40 * k)],
            )
    n = 0
    for p in range(40):
        platforms = ["x", "mastodon"] if p % 3 == 0 else [rng.choice(["x", "mastodon"])]
        for platform in platforms:
            if p % 4 == 0:
                con.execute(
                    "INSERT INTO person_links (kind, value, person_id, method, score, evidence) "
                    "VALUES (?, ?, ?, ?, 1.0, 'test')",
                    [f"handle:{platform}", f"u{p}", f"P{p}", "rule"],
                )
            elif p % 4 == 1:
                con.execute(
                    "INSERT INTO identities (kind, value, person_ref) VALUES (?, ?, ?)",
                    [f"handle:{platform}", f"u{p}", f"R{p}"],
                )
            for _ in range(rng.randint(1, 6)):
                n += 1
                at = start + timedelta(days=rng.randint(0, 260), hours=rng.randint(0, 9))
                kind = rng.choice(["mention", "reply", "like", "share", "unfollow"])
                post = f"{platform}-p{rng.randint(0, 5)}" if kind in ("reply", "like") else None
                con.execute(
                    "INSERT INTO interactions (platform, interaction_id, created_at, kind, "
                    "direction, actor_handle, target_handle, post_id) VALUES (?, ?, ?, ?, "
                    "'inbound', ?, 'brand', ?)",
                    [platform, f"i{n}", at, kind, f"u{p}", post],
                )
        person = f"P{p}" if p % 4 == 0 else f"R{p}"
        for kind, value in (("customer", f"c{p}"), ("email", f"e{p}@x.org"), ("visitor", f"v{p}")):
            if p % 4 == 0:
                con.execute(
                    "INSERT INTO person_links (kind, value, person_id, method, score, evidence) "
                    "VALUES (?, ?, ?, ?, 1.0, 'test')",
                    [kind, value, person, "rule"],
                )
            elif p % 4 == 1:
                con.execute(
                    "INSERT INTO identities (kind, value, person_ref) VALUES (?, ?, ?)",
                    [kind, value, person],
                )
        for k in range(rng.randint(0, 3)):
            at = start + timedelta(days=rng.randint(20, 280))
            con.execute(
                "INSERT INTO visits (visit_id, started_at, visitor_id, landing_url, pageviews) "
                "VALUES (?, ?, ?, 'https://shop.example/', 2)",
                [f"v{p}-{k}", at, f"v{p}"],
            )
            kind = rng.choice(["lead", "order", "order", "signup"])
            key = rng.choice(["customer_id", "email", "visitor_id"])
            value = {"customer_id": f"c{p}", "email": f"e{p}@x.org", "visitor_id": f"v{p}"}[key]
            con.execute(
                f"INSERT INTO conversions (conversion_id, occurred_at, kind, value, "
                f"value_reporting, {key}) VALUES (?, ?, ?, 10, 10, ?)",
                [f"k{p}-{k}", at + timedelta(hours=1), kind, value],
            )
    return wh


PARAMS = (
    MetricParams(),
    MetricParams(platform="x", since=date(2026, 3, 1), until=date(2026, 6, 10)),
)


def test_shared_blocks_give_the_same_rows_as_inline(people_wh: Warehouse, backend: Any) -> None:
    names = (*PEOPLE_QUERIES, *FUNNEL_QUERIES, *OTHER_QUERIES)
    alone = {(n, p): run_query(n, backend, p) for n in names for p in PARAMS}
    alone_card = scorecard(backend)
    assert not alone[("loyalty", PARAMS[0])].empty and not alone[("funnel", PARAMS[0])].empty
    assert alone[("engagement", PARAMS[0])].likes.sum() > 0
    assert alone[("traffic_detail", PARAMS[0])].returning_visitors.sum() > 0
    before = set(backend.list_tables())
    assert not sharing()
    with shared_tables():
        assert sharing()
        shared = {(n, p): run_query(n, backend, p) for n in names for p in PARAMS}
        shared_card = scorecard(backend)
        cached = {t for t in set(backend.list_tables()) - before if "cache" in t}
        # attention months: one per platform filter (None, x); journeys: one per filters;
        # reactions per post and classified visits: one each
        assert len(cached) == 2 + len(PARAMS) + 2
    assert not sharing()
    assert not cached & set(backend.list_tables())  # dropped at the end of the block
    for key, frame in alone.items():
        assert shared[key].equals(frame), key
    assert shared_card == alone_card
