"""Post stats: the per-post counts the platforms report (impressions, reach, reactions,
comments, shares, clicks), summed per period and platform, with per-post and per-impression
rates.

Each post counts once, with its latest ``post_stats`` row (the greatest ``as_of`` up to
``until``): lifetime counts read on several days are snapshots of one total, not additions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis

from goodwill.metrics.common import filter_dates, filter_platform, period_of, ratio
from goodwill.metrics.declarations import Backend, Metric, Query
from goodwill.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["POST_STATS", "latest_post_stats", "post_stats"]


def latest_post_stats(backend: Backend, params: MetricParams) -> ir.Table:
    """One row per post: its ``post_stats`` row with the greatest ``as_of`` on or before
    ``params.until``, with ``published`` = the post's ``created_at`` (from ``posts``), or the
    ``as_of`` day when the post is not in ``posts``, and ``engagements`` =
    ``coalesce(reactions, 0) + coalesce(comments, 0) + coalesce(shares, 0)``. Filtered by
    platform and by ``published`` within ``since`` .. ``until``."""
    stats = filter_platform(backend.table("post_stats"), params)
    stats = filter_dates(stats, "as_of", params, since=False)
    newest_first = ibis.window(
        group_by=[stats.platform, stats.post_id], order_by=ibis.desc("as_of")
    )
    stats = stats.mutate(_n=ibis.row_number().over(newest_first))
    stats = stats.filter(stats._n == 0).drop("_n")
    posts = backend.table("posts")
    posts = posts.select(pp=posts.platform, pid=posts.post_id, created_at=posts.created_at)
    joined = stats.left_join(posts, [stats.platform == posts.pp, stats.post_id == posts.pid])
    dated = joined.mutate(
        published=joined.created_at.coalesce(joined.as_of.cast("timestamp")),
        engagements=joined.reactions.coalesce(0)
        + joined.comments.coalesce(0)
        + joined.shares.coalesce(0),
    ).drop("pp", "pid", "created_at")
    return filter_dates(dated, "published", params)


def post_stats(backend: Backend, params: MetricParams) -> ir.Table:
    """Per period of the post's publication and platform: posts, summed counts and the
    rates of :data:`POST_STATS` (formulas in its metrics)."""
    s = latest_post_stats(backend, params)
    known = s.impressions.notnull()
    grouped = s.group_by(period=period_of(s.published, params.by), platform=s.platform)
    agg = grouped.aggregate(
        posts=s.count(),
        impressions=s.impressions.sum(),
        reach=s.reach.sum(),
        reactions=s.reactions.sum(),
        comments=s.comments.sum(),
        shares=s.shares.sum(),
        clicks=s.clicks.sum(),
        engagements=s.engagements.sum(),
        seen_engagements=s.engagements.sum(where=known),
        seen_clicks=s.clicks.sum(where=known & s.clicks.notnull()),
        click_impressions=s.impressions.sum(where=s.clicks.notnull()),
    )
    return agg.select(
        "period",
        "platform",
        "posts",
        "impressions",
        "reach",
        "reactions",
        "comments",
        "shares",
        "clicks",
        impressions_per_post=ratio(agg.impressions, agg.posts),
        reach_per_post=ratio(agg.reach, agg.posts),
        engagements_per_post=ratio(agg.engagements, agg.posts),
        engagement_rate=ratio(agg.seen_engagements, agg.impressions),
        click_rate=ratio(agg.seen_clicks, agg.click_impressions),
    )


def _count(name: str, what: str) -> Metric:
    return Metric(
        name=name,
        unit="count",
        formula=f"sum of `{name}` over those posts (posts without it add nothing)",
        description=what,
    )


POST_STATS = Query(
    name="post_stats",
    group="engagement",
    description="The per-post counts the platforms report (page insights exports), per period "
    "and platform: impressions, reach, reactions, comments, shares, clicks and their rates.",
    dimensions=("period", "platform"),
    metrics=(
        Metric(
            name="posts",
            unit="count",
            formula="count of posts with a post_stats row, published in the period",
            description="Posts the platform reported counts for.",
        ),
        _count("impressions", "Times the posts were shown."),
        _count(
            "reach", "Sum of each post's distinct viewers (people who saw two posts count twice)."
        ),
        _count("reactions", "Reactions or likes."),
        _count("comments", "Comments."),
        _count("shares", "Shares or reposts."),
        _count("clicks", "Clicks on the posts or their links."),
        Metric(
            name="impressions_per_post",
            unit="per post",
            formula="impressions / posts",
            description="Average times a post was shown.",
        ),
        Metric(
            name="reach_per_post",
            unit="per post",
            formula="reach / posts",
            description="Average distinct viewers of a post.",
        ),
        Metric(
            name="engagements_per_post",
            unit="per post",
            formula="(reactions + comments + shares) / posts",
            description="Average reactions, comments and shares a post earned.",
        ),
        Metric(
            name="engagement_rate",
            unit="fraction",
            formula="(reactions + comments + shares of the posts with impressions) / impressions",
            description="Engagements per impression. NULL without impressions.",
        ),
        Metric(
            name="click_rate",
            unit="fraction",
            formula="clicks / impressions, both over the posts with clicks and impressions",
            description="Click-through rate. NULL when no post has both.",
        ),
    ),
    build=post_stats,
    notes="Each post counts once, with its latest `post_stats` row (greatest `as_of` on or "
    "before `until`): the platforms report lifetime totals, so an export read twice is two "
    "snapshots of one total. Posts are bucketed by their `created_at` in `posts` (the `as_of` "
    "day for a post missing there); `since`/`until` select posts by that date. `by`, "
    "`platform`, `since` and `until` apply.",
)
