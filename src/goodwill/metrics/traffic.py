"""Traffic: visits to the brand's website by channel and source, and social's share of them.

Channels come from ``visit_channels`` (the channel enricher's output); a visit the enricher
has not classified counts as channel and source ``unclassified``.

Where a period has no visit-level data at all (no access log or collector visits), the
sessions of a web analytics export (``traffic_aggregates``: GA4 traffic acquisition by
channel group) stand in for visits, and ``data_source`` says which: ``visits`` or ``ga4``
(:func:`ga4_sessions`). Aggregates have no pages or platforms: ``pageviews`` is 0 for them
(counts are never NULL), ``visitors`` the export's users if it has them, ``source`` is
``(not set)``, and a platform filter leaves them out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis

from goodwill.metrics.common import filter_dates, period_of, ratio
from goodwill.metrics.declarations import Backend, Metric, Query
from goodwill.metrics.params import MetricParams
from goodwill.metrics.shared import shared, sharing

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "SOCIAL_CHANNELS",
    "TRAFFIC",
    "TRAFFIC_SHARE",
    "UNCLASSIFIED",
    "classified_visits",
    "ga4_sessions",
    "social_visit",
]

SOCIAL_CHANNELS = ("social", "paid_social")
UNCLASSIFIED = "unclassified"


def classified_visits(backend: Backend, params: MetricParams) -> ir.Table:
    """Visits within the dates, each with its ``channel`` and ``source`` (``unclassified``
    without a ``visit_channels`` row) and ``pageviews`` (NULL counts as 1). The platform
    filter is not applied here. Inside :func:`goodwill.metrics.shared.shared_tables` every
    visit is classified once per backend (shared by ``traffic``, ``traffic_share``,
    ``traffic_detail`` and the scorecard) and the dates are applied to those rows."""
    if not sharing():
        return _classified(backend, params)
    every = shared(("classified_visits", id(backend)), lambda: _classified(backend, MetricParams()))
    return filter_dates(every, "started_at", params)


def _classified(backend: Backend, params: MetricParams) -> ir.Table:
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


NOT_SET = "(not set)"


def ga4_sessions(backend: Backend, params: MetricParams) -> ir.Table:
    """GA4 traffic acquisition rows that can stand in for visits, with their ``period``.

    A row counts in the ``params.by`` period that holds its whole span (a day's row in its
    day, week and month; a weekly row only if the week does not straddle two periods), within
    ``since``/``until``. Where one period has rows of several spans (a daily and a weekly
    export of the same days), only the shortest span is used, so nothing is counted twice.
    Periods that have any visit-level data are left out: visits, when there are any, win.
    """
    t = backend.table("traffic_aggregates")
    t = t.filter((t.source == "ga4") & (t.report == "traffic_acquisition"))
    t = filter_dates(t, "period_start", params, until=False)
    t = filter_dates(t, "period_end", params, since=False)
    t = t.mutate(
        period=period_of(t.period_start, params.by),
        span=t.period_end.delta(t.period_start, unit="day"),
    )
    t = t.filter(period_of(t.period_end, params.by) == t.period)
    t = t.mutate(shortest=t.span.min().over(ibis.window(group_by=t.period)))
    t = t.filter(t.span == t.shortest)
    visits = classified_visits(backend, params)
    covered = visits.select(covered=period_of(visits.started_at, params.by)).distinct()
    return t.anti_join(covered, t.period == covered.covered)


def traffic(backend: Backend, params: MetricParams) -> ir.Table:
    """Visits, visitors and pageviews per period, channel and source; GA4 sessions where a
    period has no visits (``data_source``)."""
    visits = classified_visits(backend, params)
    if params.platform is not None:
        visits = visits.filter(visits.source == params.platform)
    from_visits = visits.group_by(
        period=period_of(visits.started_at, params.by),
        channel=visits.channel,
        source=visits.source,
    ).aggregate(
        visits=visits.count(),
        visitors=visits.visitor_id.nunique(),
        pageviews=visits.pageviews.sum(),
    )
    columns = TRAFFIC.columns
    from_visits = from_visits.mutate(data_source=ibis.literal("visits")).select(*columns)
    if params.platform is not None:  # aggregates name no platform
        return from_visits
    g = ga4_sessions(backend, params)
    from_ga4 = g.group_by(
        period=g.period,
        channel=g.channel,
        source=ibis.literal(NOT_SET),
        data_source=ibis.literal("ga4"),
    ).aggregate(
        visits=g.sessions.sum().cast("int64"),
        visitors=g.users.sum().cast("int64"),
        pageviews=ibis.null().cast("int64"),
    )
    return from_visits.union(from_ga4.select(*columns))


def traffic_share(backend: Backend, params: MetricParams) -> ir.Table:
    """All visits, social visits and social's share of visits per period; GA4 sessions where
    a period has no visits (``data_source``)."""
    visits = classified_visits(backend, params)
    is_social = social_visit(visits, params)
    per_period = visits.group_by(
        period=period_of(visits.started_at, params.by), data_source=ibis.literal("visits")
    ).aggregate(
        visits=visits.count(),
        social_visits=visits.count(where=is_social),
    )
    if params.platform is None:
        g = ga4_sessions(backend, params)
        from_ga4 = g.group_by(period=g.period, data_source=ibis.literal("ga4")).aggregate(
            visits=g.sessions.sum().cast("int64"),
            social_visits=g.sessions.sum(where=g.channel.isin(SOCIAL_CHANNELS)).cast("int64"),
        )
        per_period = per_period.union(from_ga4.select(*per_period.columns))
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
    dimensions=("period", "channel", "source", "data_source"),
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
    "from that platform, whatever the channel). A period without any visit-level data uses "
    "the sessions of a GA4 traffic acquisition export instead (`data_source` = `ga4`, source "
    "`(not set)`, pageviews 0 and visitors the export's users when it has them, else 0; "
    "left out with `--platform`); otherwise `data_source` = "
    "`visits`.",
)

TRAFFIC_SHARE = Query(
    name="traffic_share",
    group="traffic",
    description="Social media's share of all website visits.",
    dimensions=("period", "data_source"),
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
    "is P's social visits over all visits. A period without any visit-level data uses a GA4 "
    "traffic acquisition export's sessions (`data_source` = `ga4`: Organic Social and Paid "
    "Social sessions over all sessions; not with `--platform`).",
)
