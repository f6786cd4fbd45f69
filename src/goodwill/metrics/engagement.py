"""Engagement: is the brand's content useful? Avinash Kaushik's conversation, amplification
and applause rates per post, and the posts that earned the most."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis

from goodwill.metrics.audience import audience
from goodwill.metrics.common import accounts_of, filter_dates, filter_platform, period_of, ratio
from goodwill.metrics.declarations import Backend, Metric, Query
from goodwill.metrics.params import MetricParams
from goodwill.metrics.shared import shared

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "ENGAGEMENT",
    "REPLY_KINDS",
    "TOP_POSTS",
    "TOP_POSTS_LIMIT",
    "brand_posts",
    "engagement_of",
    "post_reactions",
    "rank_posts",
    "reactions_per_post",
]

REPLY_KINDS = ("reply", "comment")
"""Interaction kinds that count as a reply (conversation)."""

TOP_POSTS_LIMIT = 20


def post_reactions(backend: Backend) -> ir.Table:
    """Inbound interactions on a post (``post_id`` set), whenever they happened, each with
    ``reaction``: ``replies`` (kind in :data:`REPLY_KINDS`), ``shares`` (kind ``share``),
    ``likes`` (kind ``like``) or NULL (none of them)."""
    interactions = backend.table("interactions")
    inbound = interactions.filter(
        interactions.direction == "inbound", interactions.post_id.notnull()
    )
    reaction = ibis.cases(
        (inbound.kind.isin(REPLY_KINDS), "replies"),
        (inbound.kind == "share", "shares"),
        (inbound.kind == "like", "likes"),
        else_=ibis.null("string"),
    )
    return inbound.mutate(reaction=reaction)


def reactions_per_post(backend: Backend) -> ir.Table:
    """``ip, ipid`` (a post's platform and id) with its ``replies``, ``shares`` and ``likes``
    (:func:`post_reactions` counted; posts with none have no row). Inside
    :func:`goodwill.metrics.shared.shared_tables` computed once per backend and shared by
    ``engagement``, ``top_posts`` and the scorecard (it takes no filter)."""

    def build() -> ir.Table:
        inbound = post_reactions(backend)
        return inbound.group_by(ip=inbound.platform, ipid=inbound.post_id).aggregate(
            replies=inbound.count(where=inbound.reaction == "replies"),
            shares=inbound.count(where=inbound.reaction == "shares"),
            likes=inbound.count(where=inbound.reaction == "likes"),
        )

    return shared(("reactions_per_post", id(backend)), build)


def brand_posts(backend: Backend, params: MetricParams) -> ir.Table:
    """The brand's posts within the filters, each with its inbound ``replies``, ``shares``
    and ``likes`` (interactions on the post, whenever they happened) and their sum
    ``engagements``."""
    posts = backend.table("posts")
    brand = accounts_of(backend, "brand")
    posts = posts.semi_join(brand, [posts.platform == brand.platform, posts.handle == brand.handle])
    posts = filter_dates(filter_platform(posts, params), "created_at", params)

    per_post = reactions_per_post(backend)
    joined = posts.left_join(
        per_post, [posts.platform == per_post.ip, posts.post_id == per_post.ipid]
    )
    counted = joined.mutate(
        replies=joined.replies.coalesce(0),
        shares=joined.shares.coalesce(0),
        likes=joined.likes.coalesce(0),
    ).drop("ip", "ipid")
    return counted.mutate(engagements=counted.replies + counted.shares + counted.likes)


def engagement(backend: Backend, params: MetricParams) -> ir.Table:
    """Posts, replies, shares, likes and the per-post rates, by period of the post's
    ``created_at`` and platform."""
    return engagement_of(backend, params, brand_posts(backend, params))


def engagement_of(backend: Backend, params: MetricParams, posts: ir.Table) -> ir.Table:
    """The ``engagement`` query's columns over ``posts`` (:func:`brand_posts` rows, possibly
    narrowed, e.g. to a campaign's): followers at the period end as in :func:`engagement`."""
    per_period = posts.group_by(
        period=period_of(posts.created_at, params.by), platform=posts.platform
    ).aggregate(
        posts=posts.count(),
        replies=posts.replies.sum(),
        shares=posts.shares.sum(),
        likes=posts.likes.sum(),
    )
    # Followers at the period end, over all snapshots up to `until` (not cut by `since`).
    followers = audience(
        backend, MetricParams(by=params.by, platform=params.platform, until=params.until)
    )
    followers = followers.select(
        fp=followers.period, fpl=followers.platform, period_followers=followers.followers
    )
    joined = per_period.left_join(
        followers,
        [per_period.period == followers.fp, per_period.platform == followers.fpl],
    )
    engagements = joined.replies + joined.shares + joined.likes
    return joined.select(
        "period",
        "platform",
        "posts",
        "replies",
        "shares",
        "likes",
        conversation_rate=ratio(joined.replies, joined.posts),
        amplification_rate=ratio(joined.shares, joined.posts),
        applause_rate=ratio(joined.likes, joined.posts),
        engagement_rate=ratio(ratio(engagements, joined.posts), joined.period_followers),
    )


def top_posts(backend: Backend, params: MetricParams) -> ir.Table:
    """The brand's posts within the filters ranked by ``replies + shares + likes``."""
    return rank_posts(brand_posts(backend, params))


def rank_posts(posts: ir.Table) -> ir.Table:
    """The first :data:`TOP_POSTS_LIMIT` of ``posts`` (:func:`brand_posts` rows) by
    ``engagements``, newest first among equals: the ``top_posts`` columns."""
    order = [
        ibis.desc(posts.engagements),
        ibis.desc(posts.created_at),
        posts.platform,
        posts.post_id,
    ]
    ranked = posts.mutate(rank=ibis.row_number().over(order_by=order) + 1)
    ranked = ranked.filter(ranked["rank"] <= TOP_POSTS_LIMIT)
    return ranked.select(
        "rank",
        "platform",
        "post_id",
        "handle",
        "created_at",
        "campaign",
        "url",
        "text",
        "replies",
        "shares",
        "likes",
        "engagements",
    )


_POSTS = Metric(
    name="posts",
    unit="count",
    formula="count of posts by the brand's accounts created in the period",
    description="How much the brand published.",
)
_REPLIES = Metric(
    name="replies",
    unit="count",
    formula="count of inbound interactions of kind reply or comment whose post_id is one of "
    "those posts",
    description="Conversation the posts started, whenever the replies came.",
)
_SHARES = Metric(
    name="shares",
    unit="count",
    formula="count of inbound interactions of kind share on those posts",
    description="Reposts, boosts and retweets of the posts.",
)
_LIKES = Metric(
    name="likes",
    unit="count",
    formula="count of inbound interactions of kind like on those posts",
    description="Likes, favourites and reactions on the posts.",
)

ENGAGEMENT = Query(
    name="engagement",
    group="engagement",
    description="Conversation, amplification and applause per post of the brand's posts.",
    dimensions=("period", "platform"),
    metrics=(
        _POSTS,
        _REPLIES,
        _SHARES,
        _LIKES,
        Metric(
            name="conversation_rate",
            unit="per post",
            formula="replies / posts",
            description="Avinash Kaushik's conversation rate: replies per post.",
        ),
        Metric(
            name="amplification_rate",
            unit="per post",
            formula="shares / posts",
            description="Avinash Kaushik's amplification rate: shares per post.",
        ),
        Metric(
            name="applause_rate",
            unit="per post",
            formula="likes / posts",
            description="Avinash Kaushik's applause rate: likes per post.",
        ),
        Metric(
            name="engagement_rate",
            unit="fraction",
            formula="(replies + shares + likes) / posts / followers, followers as in the "
            "audience query for the same period and platform",
            description="Engagements per post per follower. NULL when there is no follower "
            "snapshot in the period or followers is 0.",
        ),
    ),
    build=engagement,
    notes="Posts are bucketed by their `created_at`; `since`/`until` select posts by "
    "`created_at`, and every inbound reply, share and like on a selected post counts, even "
    "one that came after the period or after `until`.",
)

TOP_POSTS = Query(
    name="top_posts",
    group="engagement",
    description=f"The brand's {TOP_POSTS_LIMIT} posts with the most replies, shares and likes.",
    dimensions=("rank", "platform", "post_id", "handle", "created_at", "campaign", "url", "text"),
    metrics=(
        _REPLIES,
        _SHARES,
        _LIKES,
        Metric(
            name="engagements",
            unit="count",
            formula="replies + shares + likes",
            description="All engagement the post earned.",
        ),
    ),
    build=top_posts,
    notes=f"Ranked by engagements, then the newest first; at most {TOP_POSTS_LIMIT} posts "
    "after the platform and date filters. `by` does not apply. The columns after `rank` "
    "describe the post.",
)
