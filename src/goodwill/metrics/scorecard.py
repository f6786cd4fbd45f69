"""The executive scorecard: a month's headline numbers beside the month before.

Each headline is either a cross-platform total of a metric query (so it has the same
definition as that query's metric) or a business total of conversions and costs defined
here. Everything is computed with Ibis expressions; only the final handful of numbers is
fetched.

**Filters.** ``platform`` and ``campaign`` narrow every headline that has a meaning for
them (each headline's definition says how; :mod:`goodwill.metrics.scope` defines "of
platform P" and "of campaign C" for conversions, costs, visits and posts). A headline a
filter does not narrow is listed in :data:`NOT_NARROWED` with the reason, and its
:class:`ScorecardRow` says so in ``not_narrowed`` (e.g. "all campaigns: ..."), so no number
is silently wider than the filter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import ibis

from goodwill.metrics.audience import audience
from goodwill.metrics.common import (
    filter_dates,
    month_start,
    next_month,
    period_of,
    previous_month,
    ratio,
)
from goodwill.metrics.declarations import Backend
from goodwill.metrics.engagement import engagement
from goodwill.metrics.listening import listening
from goodwill.metrics.loyalty import loyalty, person_months
from goodwill.metrics.params import MetricParams
from goodwill.metrics.scope import (
    campaign_person_months,
    campaign_posts,
    campaign_visit_ids,
    costs_of,
    touched_conversions,
)
from goodwill.metrics.traffic import classified_visits, social_visit, traffic_share

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "HEADLINES",
    "NOT_NARROWED",
    "Headline",
    "ScorecardRow",
    "last_month_with_data",
    "scorecard",
    "scorecard_tables",
]


@dataclass(frozen=True, kw_only=True)
class Headline:
    """One scorecard line: its ``name``, a human ``label``, ``unit`` and ``definition``."""

    name: str
    label: str
    unit: str
    definition: str


@dataclass(frozen=True, kw_only=True)
class ScorecardRow:
    """A headline's value in the month and in the month before.

    ``change`` is relative: ``(value - previous) / |previous|``; ``None`` when either is
    missing or ``previous`` is 0. ``not_narrowed`` says which filter given to
    :func:`scorecard` this headline ignores and why (e.g. ``"all campaigns: follower counts
    have no campaign"``); ``None`` when every filter given narrows it. ``data_from`` names
    the import a traffic figure was read from when it is not visit-level data (``"GA4
    sessions"``: the month has no visits, so a GA4 traffic acquisition export's sessions
    stand in, ``traffic_share.data_source`` = ``ga4``); the label then says so too.
    """

    name: str
    label: str
    value: float | None
    previous: float | None
    change: float | None
    unit: str
    definition: str
    not_narrowed: str | None = None
    data_from: str | None = None


HEADLINES: tuple[Headline, ...] = (
    Headline(
        name="followers",
        label="Brand followers",
        unit="count",
        definition="audience.followers summed over all platforms: followers in each brand "
        "account's last snapshot on or before the month's end. Platform P: P's accounts only. "
        "Campaign: not narrowed (follower counts have no campaign)",
    ),
    Headline(
        name="net_growth",
        label="Net follower growth",
        unit="count",
        definition="audience.net_growth summed over all platforms: followers at the month's end "
        "minus at the previous month's end. Platform P: P's accounts only. Campaign: not "
        "narrowed (follower counts have no campaign)",
    ),
    Headline(
        name="posts",
        label="Posts",
        unit="count",
        definition="engagement.posts summed over all platforms: posts by brand accounts. "
        "Platform P: P's posts. Campaign C: posts whose campaign is C",
    ),
    Headline(
        name="conversation_rate",
        label="Conversation rate",
        unit="per post",
        definition="replies / posts over all platforms (engagement.conversation_rate). "
        "Platform P: P's posts and their replies. Campaign C: C's posts and the replies on them",
    ),
    Headline(
        name="amplification_rate",
        label="Amplification rate",
        unit="per post",
        definition="shares / posts over all platforms (engagement.amplification_rate). "
        "Platform P: P's posts and their shares. Campaign C: C's posts and the shares of them",
    ),
    Headline(
        name="applause_rate",
        label="Applause rate",
        unit="per post",
        definition="likes / posts over all platforms (engagement.applause_rate). "
        "Platform P: P's posts and their likes. Campaign C: C's posts and the likes on them",
    ),
    Headline(
        name="mentions",
        label="Mentions",
        unit="count",
        definition="listening.mentions summed over all platforms: inbound mentions of brand "
        "accounts. Platform P: mentions on P. Campaign: not narrowed (a mention names an "
        "account, not a post or campaign)",
    ),
    Headline(
        name="share_of_voice",
        label="Share of voice",
        unit="fraction",
        definition="mentions / (mentions + competitor_mentions) over all platforms "
        "(listening.share_of_voice). Platform P: mentions on P. Campaign: not narrowed (a "
        "mention names an account, not a post or campaign)",
    ),
    Headline(
        name="people_active",
        label="People who paid attention",
        unit="people",
        definition="loyalty.people_active: distinct persons with an inbound interaction (not "
        "unfollow) to a brand account in the month. Platform P: interactions on P. Campaign "
        "C: persons with such an interaction on one of C's posts",
    ),
    Headline(
        name="repeat_interactors",
        label="Repeat interactors",
        unit="people",
        definition="loyalty.repeat_interactors: active people also active in one of the "
        "two months before. Platform P: activity on P only. Campaign C: the people active on "
        "C's posts in the month who are repeat interactors",
    ),
    Headline(
        name="visits",
        label="Website visits",
        unit="count",
        definition="traffic_share.visits: visits started in the month. Platform P: visits whose "
        "source is P (as traffic --platform P). Campaign C: visits whose utm_campaign is C or "
        "whose tracked link belongs to C",
    ),
    Headline(
        name="social_share_of_visits",
        label="Social share of visits",
        unit="fraction",
        definition="(social + paid_social visits) / visits "
        "(traffic_share.social_share_of_visits). With a platform or campaign filter: the "
        "social visits kept by the filters (as for visits) / all visits of the month",
    ),
    Headline(
        name="leads",
        label="Leads",
        unit="count",
        definition="count of conversions of kind lead that occurred in the month. Platform P "
        "/ campaign C: leads whose person or visitor had a touch from P / of C within the 30 "
        "days before (goodwill.metrics.scope, the touches of attribution)",
    ),
    Headline(
        name="orders",
        label="Orders",
        unit="count",
        definition="count of conversions of kind order that occurred in the month. Platform "
        "P / campaign C: orders with a touch from P / of C within the 30 days before "
        "(goodwill.metrics.scope)",
    ),
    Headline(
        name="revenue",
        label="Revenue",
        unit="currency",
        definition="sum of value_reporting of the month's orders minus the sum of "
        "|value_reporting| of its refunds. Platform P / campaign C: the orders and refunds "
        "with a touch from P / of C within the 30 days before (goodwill.metrics.scope)",
    ),
    Headline(
        name="social_cost",
        label="Cost of social",
        unit="currency",
        definition="sum over costs of amount_reporting × (days of the cost period within the "
        "month) / (days of the cost period), period_start and period_end inclusive. Platform "
        "P / campaign C: costs whose platform / campaign column is P / C (shared costs "
        "without one are left out)",
    ),
)

_ZERO_WHEN_MISSING = frozenset(
    {
        "posts",
        "mentions",
        "people_active",
        "repeat_interactors",
        "visits",
        "leads",
        "orders",
        "revenue",
        "social_cost",
    }
)
"""Totals that are 0 (not unknown) in a month without rows."""

_NO_CAMPAIGN_FOLLOWERS = "follower counts have no campaign"
_NO_CAMPAIGN_MENTIONS = "a mention names an account, not a post or campaign"
NOT_NARROWED: dict[str, dict[str, str]] = {
    "platform": {},
    "campaign": {
        "followers": _NO_CAMPAIGN_FOLLOWERS,
        "net_growth": _NO_CAMPAIGN_FOLLOWERS,
        "mentions": _NO_CAMPAIGN_MENTIONS,
        "share_of_voice": _NO_CAMPAIGN_MENTIONS,
    },
}
"""filter → headline → why that filter does not narrow the headline."""

_ALL = {"platform": "all platforms", "campaign": "all campaigns"}


def last_month_with_data(backend: Backend) -> date | None:
    """The first day of the latest month with a post, interaction, audience snapshot, visit
    or conversion; ``None`` for an empty warehouse. (Costs are left out: budgets may be
    entered ahead.)"""
    sources = (
        ("posts", "created_at"),
        ("interactions", "created_at"),
        ("audience_snapshots", "date"),
        ("visits", "started_at"),
        ("conversions", "occurred_at"),
    )
    days = []
    for name, column in sources:
        table = backend.table(name)
        days.append(table.select(day=table[column].cast("date")))
    value = backend.execute(ibis.union(*days).day.max())
    return None if _is_missing(value) else month_start(_to_date(value))


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN / NaT
    except (TypeError, ValueError):
        return False


def _to_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    import pandas as pd

    return pd.Timestamp(value).date()


# -- the totals behind the headlines, one Ibis expression per source, grouped by month -------


@dataclass(frozen=True, kw_only=True)
class _Scope:
    """The dates and platform (``params``) and the campaign a builder narrows to."""

    params: MetricParams
    campaign: str | None = None


def _audience_totals(backend: Backend, scope: _Scope) -> ir.Table:
    t = audience(backend, scope.params)
    return t.group_by("period").aggregate(
        followers=t.followers.sum(), net_growth=t.net_growth.sum()
    )


def _engagement_totals(backend: Backend, scope: _Scope) -> ir.Table:
    if scope.campaign is None:
        t = engagement(backend, scope.params)
        sums = t.group_by("period").aggregate(
            posts=t.posts.sum(),
            replies=t.replies.sum(),
            shares=t.shares.sum(),
            likes=t.likes.sum(),
        )
    else:
        p = campaign_posts(backend, scope.params, scope.campaign)
        sums = p.group_by(period=period_of(p.created_at, "month")).aggregate(
            posts=p.count(), replies=p.replies.sum(), shares=p.shares.sum(), likes=p.likes.sum()
        )
    return sums.select(
        "period",
        "posts",
        conversation_rate=ratio(sums.replies, sums.posts),
        amplification_rate=ratio(sums.shares, sums.posts),
        applause_rate=ratio(sums.likes, sums.posts),
    )


def _listening_totals(backend: Backend, scope: _Scope) -> ir.Table:
    t = listening(backend, scope.params)
    sums = t.group_by("period").aggregate(
        mentions=t.mentions.sum(), competitor_mentions=t.competitor_mentions.sum()
    )
    return sums.select(
        "period",
        "mentions",
        share_of_voice=ratio(sums.mentions, sums.mentions + sums.competitor_mentions),
    )


def _loyalty_totals(backend: Backend, scope: _Scope) -> ir.Table:
    if scope.campaign is None:
        return loyalty(backend, scope.params).select(
            "period", "people_active", "repeat_interactors"
        )
    params = scope.params
    active = campaign_person_months(backend, params, scope.campaign)
    if params.since is not None:
        active = active.filter(active.cperiod >= ibis.literal(month_start(params.since)))
    pm = person_months(backend, params)
    joined = active.left_join(pm, [active.cperson == pm.person, active.cperiod == pm.period])
    return joined.group_by(period=joined.cperiod).aggregate(
        people_active=joined.count(),
        repeat_interactors=joined.count(where=joined.repeat.fill_null(False)),
    )


def _traffic_totals(backend: Backend, scope: _Scope) -> ir.Table:
    params = scope.params
    if params.platform is None and scope.campaign is None:
        return traffic_share(backend, params).select("period", "visits", "social_share_of_visits")
    visits = classified_visits(backend, params)
    if scope.campaign is not None:
        ids = campaign_visit_ids(backend, scope.campaign)
        visits = visits.left_join(ids, visits.visit_id == ids.cvid)
    kept = ibis.literal(True)
    if params.platform is not None:
        kept = kept & (visits.source == ibis.literal(params.platform))
    if scope.campaign is not None:
        kept = kept & visits.cvid.notnull()
    sums = visits.group_by(period=period_of(visits.started_at, "month")).aggregate(
        visits=visits.count(where=kept),
        social_visits=visits.count(where=kept & social_visit(visits, params)),
        all_visits=visits.count(),
    )
    return sums.select(
        "period",
        "visits",
        social_share_of_visits=ratio(sums.social_visits, sums.all_visits),
    )


def _conversion_totals(backend: Backend, scope: _Scope) -> ir.Table:
    params = scope.params
    conversions = filter_dates(backend.table("conversions"), "occurred_at", params)
    conversions = touched_conversions(
        backend, conversions, platform=params.platform, campaign=scope.campaign
    )
    value = conversions.value_reporting.cast("float64")
    sums = conversions.group_by(period=period_of(conversions.occurred_at, "month")).aggregate(
        leads=conversions.count(where=conversions.kind == "lead"),
        orders=conversions.count(where=conversions.kind == "order"),
        order_value=value.sum(where=conversions.kind == "order").coalesce(0.0),
        refund_value=value.abs().sum(where=conversions.kind == "refund").coalesce(0.0),
    )
    return sums.select("period", "leads", "orders", revenue=sums.order_value - sums.refund_value)


def _cost_of_month(
    backend: Backend, month: date, *, platform: str | None = None, campaign: str | None = None
) -> ir.Table:
    """Costs (of ``platform`` and ``campaign`` when given) prorated to ``month`` by the days
    their period overlaps it."""
    first, last = month, next_month(month) - timedelta(days=1)
    costs = costs_of(backend, platform=platform, campaign=campaign)
    costs = costs.filter(
        costs.period_start <= ibis.literal(last), costs.period_end >= ibis.literal(first)
    )
    overlap_start = ibis.greatest(costs.period_start, ibis.literal(first))
    overlap_end = ibis.least(costs.period_end, ibis.literal(last))
    overlap_days = overlap_end.delta(overlap_start, unit="day") + 1
    period_days = costs.period_end.delta(costs.period_start, unit="day") + 1
    share = costs.amount_reporting.cast("float64") * overlap_days / period_days
    total = costs.aggregate(social_cost=share.sum().coalesce(0.0))
    return total.mutate(period=ibis.literal(month)).select("period", "social_cost")


_BUILDERS = (
    _audience_totals,
    _engagement_totals,
    _listening_totals,
    _loyalty_totals,
    _traffic_totals,
    _conversion_totals,
)


def scorecard_tables(
    backend: Backend,
    month: date,
    *,
    platform: str | None = None,
    campaign: str | None = None,
) -> list[ir.Table]:
    """The unexecuted Ibis tables behind the scorecard of ``month`` (any day in it), within
    ``platform`` and ``campaign`` (see :func:`scorecard`): each has a ``period`` column
    (month start) and one column per headline it provides, with rows for the month and the
    one before."""
    current = month_start(month)
    previous = previous_month(current)
    params = MetricParams(
        by="month", platform=platform, since=previous, until=next_month(current) - timedelta(1)
    )
    scope = _Scope(params=params, campaign=campaign)
    tables = [build(backend, scope) for build in _BUILDERS]
    tables += [
        _cost_of_month(backend, m, platform=params.platform, campaign=campaign)
        for m in (previous, current)
    ]
    return tables


def scorecard(
    backend: Backend,
    *,
    month: date | None = None,
    platform: str | None = None,
    campaign: str | None = None,
) -> list[ScorecardRow]:
    """The headline numbers of ``month`` (any day in it; ``None``: the last month with data)
    beside those of the month before, in :data:`HEADLINES` order. An empty warehouse with no
    ``month`` given has no scorecard: ``[]``.

    ``platform`` (``x``, ``mastodon``, ...) and ``campaign`` narrow each headline as its
    definition says: posts, engagement rates, mentions, people, followers and visits of the
    platform; posts of the campaign and the engagement and people on them, visits with the
    campaign (``utm_campaign`` or tracked link); leads, orders and revenue of conversions with
    a touch from the platform / campaign within the 30 days before; costs with that platform /
    campaign (:mod:`goodwill.metrics.scope`). A headline a filter does not narrow
    (:data:`NOT_NARROWED`) says so in ``ScorecardRow.not_narrowed``."""
    if month is None:
        month = last_month_with_data(backend)
        if month is None:
            return []
    current = month_start(month)
    previous = previous_month(current)
    values: dict[date, dict[str, Any]] = {current: {}, previous: {}}
    tables = scorecard_tables(backend, current, platform=platform, campaign=campaign)
    for table in tables:
        for record in backend.execute(table).to_dict("records"):
            period = _to_date(record.pop("period"))
            if period in values:
                values[period].update(record)
    given = {"platform": platform, "campaign": campaign}
    rows = [
        _row(
            headline,
            _number(values[current], headline),
            _number(values[previous], headline),
            _not_narrowed(headline.name, given),
        )
        for headline in HEADLINES
    ]
    if platform is not None or campaign is not None:  # filtered traffic is visits only
        return rows
    sources = _traffic_sources(backend, current)
    return [
        _with_source(r, sources.get(current), sources.get(previous))
        if r.name in _TRAFFIC_HEADLINES
        else r
        for r in rows
    ]


def _traffic_sources(backend: Backend, month: date) -> dict[date, str]:
    """month start -> ``traffic_share.data_source`` of ``month`` and the month before
    (nothing to ask without GA4 aggregates: every figure is then from visits)."""
    if not backend.execute(backend.table("traffic_aggregates").count()):
        return {}
    params = MetricParams(
        by="month", since=previous_month(month), until=next_month(month) - timedelta(1)
    )
    share = traffic_share(backend, params).select("period", "data_source")
    return {
        _to_date(r["period"]): str(r["data_source"])
        for r in backend.execute(share).to_dict("records")
    }


_TRAFFIC_HEADLINES = frozenset({"visits", "social_share_of_visits"})
_DATA_FROM = {"ga4": "GA4 sessions"}
"""traffic_share.data_source -> how a scorecard row names it (visit-level data: unnamed)."""


def _with_source(row: ScorecardRow, current: str | None, previous: str | None) -> ScorecardRow:
    """``row`` naming the GA4 source of its month's (or the previous month's) figure in its
    label and definition: "Website visits (GA4 sessions)"."""
    now = _DATA_FROM.get(current or "")
    before = _DATA_FROM.get(previous or "")
    if now is None and before is None:
        return row
    if now is not None:
        note = now if before == now or previous is None else f"{now}; previous month: visits"
    else:
        note = f"previous month: {before}"
    definition = (
        f"{row.definition}. Where a month has no visit-level data, the sessions of an "
        "imported GA4 traffic acquisition export stand in for visits "
        "(traffic_aggregates; traffic_share.data_source = ga4)"
    )
    return replace(row, label=f"{row.label} ({note})", definition=definition, data_from=now)


def _not_narrowed(name: str, given: Mapping[str, str | None]) -> str | None:
    notes = [
        f"{_ALL[key]}: {NOT_NARROWED[key][name]}"
        for key, value in given.items()
        if value is not None and name in NOT_NARROWED[key]
    ]
    return "; ".join(notes) or None


def _number(values: Mapping[str, Any], headline: Headline) -> float | None:
    value = values.get(headline.name)
    if value is None or _is_missing(value):
        return 0.0 if headline.name in _ZERO_WHEN_MISSING else None
    return float(value)


def _row(
    headline: Headline,
    value: float | None,
    previous: float | None,
    not_narrowed: str | None = None,
) -> ScorecardRow:
    change = None
    if value is not None and previous is not None and previous != 0:
        change = (value - previous) / abs(previous)
    return ScorecardRow(
        name=headline.name,
        label=headline.label,
        value=value,
        previous=previous,
        change=change,
        unit=headline.unit,
        definition=headline.definition,
        not_narrowed=not_narrowed,
    )
