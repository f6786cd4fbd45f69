"""``write_scale()``: canonical Parquet files of any size, for speed and memory benchmarks.

Unlike :func:`goodwill.simulate.simulate` there is no causal story here, only plausible shapes,
generated vectorised with numpy and pyarrow (no per-row Python) and written in chunks of
``CHUNK`` rows so memory stays bounded:

* ``interactions``: ``n`` rows over one year on mastodon, x and bluesky; actors are drawn
  Zipf-like (a few people act very often, most once or twice) from ``max(1000, n // 20)``
  people; 55 % address the brand, the rest the two competitors; 5 % are the brand's outbound
  replies (70 % name their agent); likes, shares, replies and comments point at real posts.
* ``posts`` (``n / 200``) with their ``post_stats`` (page insights read on the publish day),
  ``links``, ``visits`` (``n / 5``, with utm, referrers, link codes,
  in-app and bot user agents), ``conversions`` (``n / 100``; leads, orders, refunds in USD, EUR,
  GBP), ``fx_rates``, ``accounts``, daily ``audience_snapshots``, monthly ``costs``,
  ``identities`` (an e-mail for every person who converted, some handles) and ``key_messages``.

Keys are unique (sequential ids); column names are the interchange names; timestamps are
``timestamp('us')`` (naive UTC), dates ``date32``, money ``float64``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from goodwill.simulate.scale_common import (
    CHUNK,
    DAYS,
    EPOCH_US,
    HANDLES,
    I64,
    KIND_P,
    KINDS,
    ON_POST,
    US_DAY,
    ScalePeople,
    bluesky_time,
    seq_ids,
    strings,
    take,
    timestamps,
)
from goodwill.simulate.scale_small import small_tables
from goodwill.simulate.spec import BRAND, SITE, SOCIAL_PLATFORMS
from goodwill.simulate.texts import BOT_AGENTS, DESKTOP_AGENTS, INAPP_AGENTS, MOBILE_AGENTS, TEXTS

__all__ = ["CHUNK", "write_scale"]


def _write(path: Path, tables: list[pa.Table]) -> int:
    schema = tables[0].schema
    with pq.ParquetWriter(path, schema) as writer:
        for t in tables:
            writer.write_table(t)
    return sum(t.num_rows for t in tables)


def _posts(rng: np.random.Generator, n: int) -> tuple[pa.Table, pa.Table, list[I64], list[I64]]:
    plat = rng.choice(3, n, p=[0.35, 0.4, 0.25])
    acct = rng.choice(3, n, p=[0.5, 0.3, 0.2])
    t = np.sort(rng.integers(0, DAYS * US_DAY, n)) + EPOCH_US
    t = np.where(plat == 2, bluesky_time(t), t)
    ids = seq_ids("p", 1, n)
    linked = (acct == 0) & (rng.random(n) < 0.4)
    codes = seq_ids("k", 1, n)
    body = strings(
        [
            "Fresh roast just landed ☕",
            "Weekend brew tip: 1:16.",
            "Back in stock!",
            "Behind the scenes at the roastery.",
            "Giveaway time 🎁",
        ]
    )
    table = pa.table(
        {
            "platform": take(strings(SOCIAL_PLATFORMS), plat),
            "post_id": ids,
            "handle": take(strings(HANDLES), acct),
            "created_at": timestamps(t),
            "text": take(body, rng.integers(0, 5, n)),
            "url": pa.nulls(n, pa.string()),
            "campaign": take(
                strings(["spring-launch", "holiday-gifts"]),
                rng.integers(0, 2, n),
                linked & (rng.random(n) < 0.5),
            ),
            "link_code": pc.if_else(pa.array(linked), codes, pa.nulls(n, pa.string())),
        }
    )
    sel = np.flatnonzero(linked)
    links = pa.table(
        {
            "code": pc.take(codes, pa.array(sel)),
            "destination_url": pa.array([SITE + "/shop"] * len(sel), pa.string()),
            "platform": pc.take(table["platform"], pa.array(sel)),
            "campaign": pc.take(table["campaign"], pa.array(sel)),
            "post_id": pc.take(ids, pa.array(sel)),
            "person_ref": pa.nulls(len(sel), pa.string()),
        }
    )
    by_plat = [np.flatnonzero(plat == p).astype(np.int64) for p in range(3)]
    return table, links, by_plat, [t[b] for b in by_plat]


def _post_stats(rng: np.random.Generator, posts: pa.Table) -> pa.Table:
    """What the platform reports for each post, read on its publish day (page insights)."""
    n = posts.num_rows
    impressions = rng.lognormal(np.log(800), 1.0, n).astype(np.int64)
    reach = (impressions * rng.uniform(0.5, 0.9, n)).astype(np.int64)

    def part(p: float) -> pa.Array:
        return pa.array(rng.binomial(reach, p).astype(np.int64))

    return pa.table(
        {
            "platform": posts["platform"],
            "post_id": posts["post_id"],
            "as_of": pc.cast(posts["created_at"], pa.date32()),
            "impressions": pa.array(impressions),
            "reach": pa.array(reach),
            "reactions": part(0.04),
            "comments": part(0.008),
            "shares": part(0.005),
            "saves": pa.nulls(n, pa.int64()),
            "clicks": part(0.015),
            "video_views": pa.nulls(n, pa.int64()),
            "follows": part(0.001),
            # orders and revenue are what an email tool attributes to a campaign: none here
            "orders": pa.nulls(n, pa.int64()),
            "revenue": pa.nulls(n, pa.float64()),
        }
    )


def _interactions(
    rng: np.random.Generator,
    start: int,
    m: int,
    people: ScalePeople,
    posts: pa.Table,
    by_plat: list[I64],
    post_t: list[I64],
) -> pa.Table:
    actor = people.zipf(rng, m)
    plat = rng.choice(3, m, p=[0.35, 0.45, 0.2])
    kind = rng.choice(len(KINDS), m, p=KIND_P)
    outbound = rng.random(m) < 0.05
    kind[outbound] = 2
    target = np.where(rng.random(m) < 0.55, 0, rng.integers(1, 3, m))
    target[outbound] = 0
    t = rng.integers(0, DAYS * US_DAY, m) + EPOCH_US
    post = np.full(m, -1, np.int64)
    on_post = ON_POST[kind] & ~outbound
    for p in range(3):
        sel = np.flatnonzero(on_post & (plat == p))
        if len(by_plat[p]) == 0 or len(sel) == 0:
            continue
        k = rng.integers(0, len(by_plat[p]), len(sel))
        post[sel] = by_plat[p][k]
        t[sel] = post_t[p][k] + rng.lognormal(np.log(7.2e9), 1.2, len(sel)).astype(np.int64)
    # the brand's replies answer an earlier message of the chunk (same platform, its author),
    # 2 hours later on average: real care threads
    src = np.arange(m) - rng.integers(1, 50, m)
    reply = outbound & (src >= 0)
    src = np.where(reply, src, 0)
    reply &= ~outbound[src]
    plat = np.where(reply, plat[src], plat)
    delay = rng.lognormal(np.log(2 * 3600e6), 1.3, m).astype(np.int64)
    t = np.where(reply, t[src] + delay, t)
    t = np.where(plat == 2, bluesky_time(t), t)
    pool = [
        tpl.format(h="@" + h, p="House Espresso", n="cocoa", o=12345)
        for h in HANDLES
        for v in TEXTS.values()
        for tpl in v
    ]
    per = len(pool) // len(HANDLES)
    has_text = np.isin(kind, [2, 3, 4, 7])
    ids = seq_ids("", start + 1, m)
    actor_handle = [pc.take(people.handles[p], pa.array(actor)) for p in range(3)]
    plat_arr = pa.array(plat)
    actor_h = pc.case_when(
        pc.make_struct(pc.equal(plat_arr, 0), pc.equal(plat_arr, 1)), *actor_handle
    )
    brand_h = pa.array([BRAND.handle] * m, pa.string())
    target_h = take(strings(HANDLES), target)
    in_reply = pc.if_else(
        pa.array(reply),
        pc.cast(pa.array(src + start + 1), pa.string()),
        pc.if_else(
            pa.array(kind == 2),
            take(posts["post_id"].combine_chunks(), post, post >= 0),
            pa.nulls(m, pa.string()),
        ),
    )
    return pa.table(
        {
            "platform": take(strings(SOCIAL_PLATFORMS), plat),
            "interaction_id": ids,
            "created_at": timestamps(np.minimum(t, EPOCH_US + DAYS * US_DAY - 1)),
            "kind": take(strings(KINDS), kind),
            "direction": pc.if_else(pa.array(outbound), "outbound", "inbound"),
            "actor_handle": pc.if_else(pa.array(outbound), brand_h, actor_h),
            "actor_name": pc.if_else(
                pa.array(outbound),
                pa.scalar("Fernhill Coffee Roasters"),
                pc.take(people.names, pa.array(actor)),
            ),
            "target_handle": pc.if_else(
                pa.array(outbound), pc.take(actor_h, pa.array(src)), target_h
            ),
            "post_id": take(posts["post_id"].combine_chunks(), post, post >= 0),
            "in_reply_to": in_reply,
            "text": take(strings(pool), target * per + rng.integers(0, per, m), has_text),
            "url": pa.nulls(m, pa.string()),
            "agent": take(
                strings(["ana", "ben", "chloe", "dev"]),
                rng.integers(0, 4, m),
                outbound & (rng.random(m) < 0.7),
            ),
        }
    )


_VISIT_TEMPLATES: tuple[tuple[str, str | None, str | None, str | None, str | None, float], ...] = (
    # landing path, referrer, utm_source, utm_medium, utm_campaign, weight
    ("/", "https://www.google.com/", None, None, None, 0.3),
    ("/shop", None, None, None, None, 0.2),
    ("/", "https://duckduckgo.com/", None, None, None, 0.03),
    ("/shop", "https://t.co/Ab12Cd34Ef", "x", "social", "always-on", 0.08),
    ("/shop", "https://mastodon.social/", "mastodon", "social", "always-on", 0.07),
    ("/shop", "https://bsky.app/", "bluesky", "social", "always-on", 0.05),
    ("/shop", None, "newsletter", "email", "newsletter", 0.07),
    ("/shop", "https://l.facebook.com/", "facebook", "paid_social", "spring-launch", 0.06),
    ("/", "https://coffeegeek.example/blog/best-small-roasters", None, None, None, 0.04),
    ("/cafe", None, None, None, None, 0.1),
)


def _visits(
    rng: np.random.Generator, start: int, m: int, people: ScalePeople, links: pa.Table
) -> pa.Table:
    w = np.array([x[5] for x in _VISIT_TEMPLATES])
    tpl = rng.choice(len(w), m, p=w / w.sum())
    landing = []
    for path, _, src, med, camp, _ in _VISIT_TEMPLATES:
        q = f"?utm_source={src}&utm_medium={med}&utm_campaign={camp}" if src else ""
        landing.append(SITE + path + q)
    social = np.isin(tpl, [3, 4, 5])
    n_links = links.num_rows
    code_idx = rng.integers(0, max(n_links, 1), m)
    has_code = social & (n_links > 0)
    codes = (
        take(links["code"].combine_chunks(), code_idx, has_code)
        if n_links
        else pa.nulls(m, pa.string())
    )
    agents = (*DESKTOP_AGENTS, *MOBILE_AGENTS, *INAPP_AGENTS, *BOT_AGENTS)
    aw = np.array(
        [0.1] * len(DESKTOP_AGENTS)
        + [0.15] * len(MOBILE_AGENTS)
        + [0.03] * len(INAPP_AGENTS)
        + [0.006] * len(BOT_AGENTS)
    )
    t = rng.integers(0, DAYS * US_DAY, m) + EPOCH_US
    t = np.where(tpl == 5, bluesky_time(t), t)

    def col(k: int) -> pa.Array:
        return take(pa.array([x[k] for x in _VISIT_TEMPLATES], pa.string()), tpl)

    return pa.table(
        {
            "visit_id": seq_ids("v", start + 1, m),
            "started_at": timestamps(t),
            "visitor_id": pc.take(
                people.visitors, pa.array(rng.integers(0, len(people.visitors), m))
            ),
            "landing_url": take(strings(landing), tpl),
            "referrer": col(1),
            "utm_source": col(2),
            "utm_medium": col(3),
            "utm_campaign": col(4),
            "utm_content": codes,
            "pageviews": pa.array(rng.geometric(0.45, m).astype(np.int64)),
            "link_code": codes,
            "user_agent": take(strings(agents), rng.choice(len(agents), m, p=aw / aw.sum())),
        }
    )


def _conversions(rng: np.random.Generator, m: int, people: ScalePeople) -> pa.Table:
    kind = rng.choice(3, m, p=[0.45, 0.52, 0.03])
    person = people.rank_to_person[rng.integers(0, max(1, people.n // 3), m)]
    t = rng.integers(0, DAYS * US_DAY, m) + EPOCH_US
    value = np.where(kind == 0, 0.0, np.round(rng.gamma(6.0, 6.0, m), 2))
    cur = rng.choice(3, m, p=[0.8, 0.13, 0.07])
    is_order = kind > 0
    cust = pc.binary_join_element_wise(
        pa.scalar("C"), pc.cast(pa.array(person + 10_001), pa.string()), ""
    )
    return pa.table(
        {
            "conversion_id": seq_ids("c", 1, m),
            "occurred_at": timestamps(t),
            "kind": take(strings(["lead", "order", "refund"]), kind),
            "value": pa.array(value, pa.float64()),
            "currency": take(strings(["USD", "EUR", "GBP"]), cur, is_order),
            "customer_id": pc.if_else(pa.array(is_order), cust, pa.nulls(m, pa.string())),
            "email": pc.take(people.emails, pa.array(person)),
            "visitor_id": pc.take(people.visitors, pa.array(person)),
            "referral_code": pa.nulls(m, pa.string()),
        }
    )


def write_scale(n_interactions: int, out_dir: str | Path, seed: int = 7) -> dict[str, int]:
    """Write canonical Parquet files with ``n_interactions`` interactions into ``out_dir``;
    return the rows written per table. Deterministic for a seed."""
    if n_interactions < 1:
        raise ValueError("n_interactions must be positive")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 9_000])
    people = ScalePeople(rng, max(1000, n_interactions // 20))
    posts, links, by_plat, post_t = _posts(rng, max(30, n_interactions // 200))
    counts = {
        "posts": _write(out / "posts.parquet", [posts]),
        "post_stats": _write(out / "post_stats.parquet", [_post_stats(rng, posts)]),
        "links": _write(out / "links.parquet", [links]),
    }
    with pq.ParquetWriter(
        out / "interactions.parquet",
        _interactions(np.random.default_rng(0), 0, 1, people, posts, by_plat, post_t).schema,
    ) as w:
        done = 0
        while done < n_interactions:
            m = min(CHUNK, n_interactions - done)
            w.write_table(_interactions(rng, done, m, people, posts, by_plat, post_t))
            done += m
    counts["interactions"] = n_interactions
    n_visits = max(1, n_interactions // 5)
    with pq.ParquetWriter(
        out / "visits.parquet", _visits(np.random.default_rng(0), 0, 1, people, links).schema
    ) as w:
        done = 0
        while done < n_visits:
            m = min(CHUNK, n_visits - done)
            w.write_table(_visits(rng, done, m, people, links))
            done += m
    counts["visits"] = n_visits
    conversions = _conversions(rng, max(1, n_interactions // 100), people)
    counts["conversions"] = _write(out / "conversions.parquet", [conversions])
    for name, table in small_tables(rng, people).items():
        counts[name] = _write(out / f"{name}.parquet", [table])
    return dict(sorted(counts.items()))
