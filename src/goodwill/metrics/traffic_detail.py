"""Traffic in detail: engaged and returning visits by channel and source; tracked-link clicks.

Builds on :func:`goodwill.metrics.traffic.classified_visits` (channel and source of each visit,
``unclassified`` without a ``visit_channels`` row).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from goodwill.metrics.common import filter_dates, period_of, ratio
from goodwill.metrics.declarations import Backend, Metric, Query
from goodwill.metrics.params import MetricParams
from goodwill.metrics.traffic import classified_visits

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "ENGAGED_PAGEVIEWS",
    "LINK_CLICKS",
    "TRAFFIC_DETAIL",
    "detail_visits",
    "link_clicks",
    "link_posts",
    "link_visits",
    "traffic_detail",
]

ENGAGED_PAGEVIEWS = 2
"""A visit is engaged when it has at least this many pageviews."""


def detail_visits(backend: Backend, params: MetricParams) -> ir.Table:
    """The visits :func:`traffic_detail` counts (``platform`` keeps ``source == platform``),
    each with ``engaged`` (pageviews >= :data:`ENGAGED_PAGEVIEWS`) and ``returning`` (its
    visitor has an earlier visit at any time, also before ``since``)."""
    visits = classified_visits(backend, params)
    if params.platform is not None:
        visits = visits.filter(visits.source == params.platform)
    every = backend.table("visits")
    firsts = every.group_by(first_visitor=every.visitor_id).aggregate(
        first_at=every.started_at.min()
    )
    joined = visits.left_join(firsts, visits.visitor_id == firsts.first_visitor)
    return joined.mutate(
        engaged=joined.pageviews >= ENGAGED_PAGEVIEWS,
        returning=joined.started_at > joined.first_at,
    ).drop("first_visitor", "first_at")


def traffic_detail(backend: Backend, params: MetricParams) -> ir.Table:
    """Visits, visitors, pageviews, engaged visits and returning visitors per period, channel
    and source (of :func:`detail_visits`)."""
    joined = detail_visits(backend, params)
    return joined.group_by(
        period=period_of(joined.started_at, params.by),
        channel=joined.channel,
        source=joined.source,
    ).aggregate(
        visits=joined.count(),
        visitors=joined.visitor_id.nunique(),
        pageviews=joined.pageviews.sum(),
        engaged_visits=joined.count(where=joined.engaged),
        returning_visitors=joined.visitor_id.nunique(where=joined.returning),
    )


def link_clicks(backend: Backend, params: MetricParams) -> ir.Table:
    """Clicks on each tracked link within the dates, the visits it brought and the posts that
    carry it (``posts.link_code`` or the link's ``post_id``)."""
    links = filter_platform_links(backend.table("links"), params)
    clicks = filter_dates(backend.table("link_clicks"), "clicked_at", params)
    per_link = clicks.group_by(click_code=clicks.code).aggregate(
        clicks=clicks.count(), clickers=clicks.visitor_id.nunique()
    )
    visits = link_visits(backend, params)
    per_visit = visits.group_by(visit_code=visits.link_code).aggregate(link_visits=visits.count())
    both = link_posts(backend, links)
    per_post = both.group_by(pc=both.post_code).aggregate(posts=both.pid.nunique())
    out = (
        links.left_join(per_link, links.code == per_link.click_code)
        .left_join(per_visit, links.code == per_visit.visit_code)
        .left_join(per_post, links.code == per_post.pc)
    )
    clicks_n = out.clicks.coalesce(0)
    posts_n = out.posts.coalesce(0)
    return out.select(
        code=out.code,
        platform=out.platform.coalesce(""),
        campaign=out.campaign.coalesce(""),
        clicks=clicks_n,
        clickers=out.clickers.coalesce(0),
        visits=out.link_visits.coalesce(0),
        posts=posts_n,
        clicks_per_post=ratio(clicks_n, posts_n),
    )


def link_visits(backend: Backend, params: MetricParams) -> ir.Table:
    """Visits within the dates that a tracked link brought (``link_code`` set)."""
    visits = filter_dates(backend.table("visits"), "started_at", params)
    return visits.filter(visits.link_code.notnull())


def link_posts(backend: Backend, links: ir.Table) -> ir.Table:
    """``post_code, pid`` (``platform:post_id``): the posts carrying each of ``links``
    (``posts.link_code``, or the link's own ``post_id``), once each."""
    posts = backend.table("posts")
    carried = posts.filter(posts.link_code.notnull()).select(
        post_code=posts.link_code.cast("string"),
        pid=(posts.platform + ":" + posts.post_id).cast("string"),
    )
    named = links.filter(links.post_id.notnull()).select(
        post_code=links.code.cast("string"),
        pid=links.platform.coalesce("") + ":" + links.post_id,
    )
    return carried.union(named, distinct=True)


def filter_platform_links(links: ir.Table, params: MetricParams) -> ir.Table:
    """Links posted on ``params.platform`` (all links without a platform filter)."""
    if params.platform is None:
        return links
    return links.filter(links.platform == params.platform)


TRAFFIC_DETAIL = Query(
    name="traffic_detail",
    group="traffic",
    description="Visits, visitors, pageviews, engaged visits and returning visitors by channel "
    "and source.",
    dimensions=("period", "channel", "source"),
    metrics=(
        Metric(
            name="visits",
            unit="count",
            formula="count of visits started in the period",
            description="Web sessions.",
        ),
        Metric(
            name="visitors",
            unit="count",
            formula="count of distinct visitor_id among those visits",
            description="Different (pseudonymous) visitors.",
        ),
        Metric(
            name="pageviews",
            unit="count",
            formula="sum of pageviews of those visits (a missing value counts as 1)",
            description="Pages viewed.",
        ),
        Metric(
            name="engaged_visits",
            unit="count",
            formula=f"count of those visits with pageviews >= {ENGAGED_PAGEVIEWS}",
            description="Visits that went beyond the landing page.",
        ),
        Metric(
            name="returning_visitors",
            unit="count",
            formula="count of distinct visitor_id among those visits whose visitor has an "
            "earlier visit (any date)",
            description="Visitors who had been on the site before.",
        ),
    ),
    build=traffic_detail,
    notes="Visitor ids from the collector are salted per day, so its visitors can only return "
    "within a day; imported visits with a stable cookie id return across days. `--platform P` "
    "keeps visits whose source is P.",
)

LINK_CLICKS = Query(
    name="link_clicks",
    group="traffic",
    description="Clicks on tracked links, the visits they brought, and clicks per post.",
    dimensions=("code", "platform", "campaign"),
    metrics=(
        Metric(
            name="clicks",
            unit="count",
            formula="count of link_clicks of the link within the dates",
            description="Clicks on the tracked link (bots and preview fetchers excluded).",
        ),
        Metric(
            name="clickers",
            unit="count",
            formula="count of distinct visitor_id among those clicks",
            description="Different visitors who clicked.",
        ),
        Metric(
            name="visits",
            unit="count",
            formula="count of visits within the dates whose link_code is the link",
            description="Visits the link brought.",
        ),
        Metric(
            name="posts",
            unit="count",
            formula="count of distinct posts carrying the link (posts.link_code, or the link's "
            "post_id)",
            description="Posts the link was placed in.",
        ),
        Metric(
            name="clicks_per_post",
            unit="ratio",
            formula="clicks / posts",
            description="Click-through per post that carried the link.",
        ),
    ),
    build=link_clicks,
    notes="Every tracked link is listed, also without clicks. `--platform P` keeps links made "
    "for platform P. Impressions are not in the canonical model, so there is no click-through "
    "per impression.",
)
