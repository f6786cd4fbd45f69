"""Traffic: visits to the brand's website by channel and source, and social's share of them.

Channels come from ``visit_channels`` (the channel enricher's output); a visit the enricher
has not classified counts as channel and source ``unclassified``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from goodwill.metrics.common import filter_dates, period_of, ratio
from goodwill.metrics.declarations import Backend, Metric, Query
from goodwill.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "SOCIAL_CHANNELS",
    "TRAFFIC",
    "TRAFFIC_SHARE",
    "UNCLASSIFIED",
    "classified_visits",
    "social_visit",
]

SOCIAL_CHANNELS = ("social", "paid_social")
UNCLASSIFIED = "unclassified"


def classified_visits(backend: Backend, params: MetricParams) -> ir.Table:
    """Visits within the dates, each with its ``channel`` and ``source`` (``unclassified``
    without a ``visit_channels`` row) and ``pageviews`` (NULL counts as 1). The platform
    filter is not applied here."""
    visits = backend.table("visits")
    vc = backend.table("visit_channels")
    channels = vc.select(cv=vc.visit_id, vchannel=vc.channel, vsource=vc.source)
    visits = filter_dates(visits, "started_at", params)
    joined = visits.left_join(channels, visits.visit_id == channels.cv)
    return joined.select(
        "visit_id",
        "started_at",
        "visitor_id",
        channel=joined.vchannel.coalesce(UNCLASSIFIED),
        source=joined.vsource.coalesce(UNCLASSIFIED),
        pageviews=joined.pageviews.coalesce(1),
    )


def social_visit(visits: ir.Table, params: MetricParams) -> ir.BooleanValue:
    """Whether a visit of :func:`classified_visits` came from social media: its channel is
    one of :data:`SOCIAL_CHANNELS` (with ``params.platform``: and its source is it)."""
    is_social = visits.channel.isin(SOCIAL_CHANNELS)
    if params.platform is not None:
        is_social = is_social & (visits.source == params.platform)
    return is_social


def traffic(backend: Backend, params: MetricParams) -> ir.Table:
    """Visits, visitors and pageviews per period, channel and source."""
    visits = classified_visits(backend, params)
    if params.platform is not None:
        visits = visits.filter(visits.source == params.platform)
    return visits.group_by(
        period=period_of(visits.started_at, params.by),
        channel=visits.channel,
        source=visits.source,
    ).aggregate(
        visits=visits.count(),
        visitors=visits.visitor_id.nunique(),
        pageviews=visits.pageviews.sum(),
    )


def traffic_share(backend: Backend, params: MetricParams) -> ir.Table:
    """All visits, social visits and social's share of visits per period."""
    visits = classified_visits(backend, params)
    is_social = social_visit(visits, params)
    per_period = visits.group_by(period=period_of(visits.started_at, params.by)).aggregate(
        visits=visits.count(),
        social_visits=visits.count(where=is_social),
    )
    return per_period.mutate(
        social_share_of_visits=ratio(per_period.social_visits, per_period.visits)
    )


_VISITS = Metric(
    name="visits",
    unit="count",
    formula="count of visits started in the period",
    description="Web sessions.",
)

TRAFFIC = Query(
    name="traffic",
    group="traffic",
    description="Website visits, visitors and pageviews by traffic channel and source.",
    dimensions=("period", "channel", "source"),
    metrics=(
        _VISITS,
        Metric(
            name="visitors",
            unit="count",
            formula="count of distinct visitor_id among those visits",
            description="Different (pseudonymous) visitors; a visitor active in several rows "
            "is counted in each.",
        ),
        Metric(
            name="pageviews",
            unit="count",
            formula="sum of pageviews of those visits (a missing value counts as 1)",
            description="Pages viewed.",
        ),
    ),
    build=traffic,
    notes="`channel` and `source` come from `visit_channels`; visits without a row there are "
    "`unclassified` / `unclassified`. `--platform P` keeps visits whose source is P (traffic "
    "from that platform, whatever the channel).",
)

TRAFFIC_SHARE = Query(
    name="traffic_share",
    group="traffic",
    description="Social media's share of all website visits.",
    dimensions=("period",),
    metrics=(
        _VISITS,
        Metric(
            name="social_visits",
            unit="count",
            formula="count of visits whose channel is social or paid_social (with --platform P: "
            "and whose source is P)",
            description="Visits that social media brought, organic or paid.",
        ),
        Metric(
            name="social_share_of_visits",
            unit="fraction",
            formula="social_visits / visits",
            description="Share of all visits that came from social media.",
        ),
    ),
    build=traffic_share,
    notes="`visits` always counts every visit of the period, so with `--platform P` the share "
    "is P's social visits over all visits.",
)
