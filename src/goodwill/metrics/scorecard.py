"""The executive scorecard: a month's headline numbers beside the month before.

Each headline is either a cross-platform total of a metric query (so it has the same
definition as that query's metric) or a business total of conversions and costs defined
here. Everything is computed with Ibis expressions; only the final handful of numbers is
fetched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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
from goodwill.metrics.loyalty import loyalty
from goodwill.metrics.params import MetricParams
from goodwill.metrics.traffic import traffic_share

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "HEADLINES",
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
    missing or ``previous`` is 0.
    """

    name: str
    label: str
    value: float | None
    previous: float | None
    change: float | None
    unit: str
    definition: str


HEADLINES: tuple[Headline, ...] = (
    Headline(
        name="followers",
        label="Brand followers",
        unit="count",
        definition="audience.followers summed over all platforms: followers in each brand "
        "account's last snapshot on or before the month's end",
    ),
    Headline(
        name="net_growth",
        label="Net follower growth",
        unit="count",
        definition="audience.net_growth summed over all platforms: followers at the month's end "
        "minus at the previous month's end",
    ),
    Headline(
        name="posts",
        label="Posts",
        unit="count",
        definition="engagement.posts summed over all platforms: posts by brand accounts",
    ),
    Headline(
        name="conversation_rate",
        label="Conversation rate",
        unit="per post",
        definition="replies / posts over all platforms (engagement.conversation_rate)",
    ),
    Headline(
        name="amplification_rate",
        label="Amplification rate",
        unit="per post",
        definition="shares / posts over all platforms (engagement.amplification_rate)",
    ),
    Headline(
        name="applause_rate",
        label="Applause rate",
        unit="per post",
        definition="likes / posts over all platforms (engagement.applause_rate)",
    ),
    Headline(
        name="mentions",
        label="Mentions",
        unit="count",
        definition="listening.mentions summed over all platforms: inbound mentions of brand "
        "accounts",
    ),
    Headline(
        name="share_of_voice",
        label="Share of voice",
        unit="fraction",
        definition="mentions / (mentions + competitor_mentions) over all platforms "
        "(listening.share_of_voice)",
    ),
    Headline(
        name="people_active",
        label="People who paid attention",
        unit="people",
        definition="loyalty.people_active: distinct persons with an inbound interaction (not "
        "unfollow) to a brand account in the month",
    ),
    Headline(
        name="repeat_interactors",
        label="Repeat interactors",
        unit="people",
        definition="loyalty.repeat_interactors: active people also active in one of the two "
        "months before",
    ),
    Headline(
        name="visits",
        label="Website visits",
        unit="count",
        definition="traffic_share.visits: visits started in the month",
    ),
    Headline(
        name="social_share_of_visits",
        label="Social share of visits",
        unit="fraction",
        definition="(social + paid_social visits) / visits (traffic_share.social_share_of_visits)",
    ),
    Headline(
        name="leads",
        label="Leads",
        unit="count",
        definition="count of conversions of kind lead that occurred in the month",
    ),
    Headline(
        name="orders",
        label="Orders",
        unit="count",
        definition="count of conversions of kind order that occurred in the month",
    ),
    Headline(
        name="revenue",
        label="Revenue",
        unit="currency",
        definition="sum of value_reporting of the month's orders minus the sum of "
        "|value_reporting| of its refunds",
    ),
    Headline(
        name="social_cost",
        label="Cost of social",
        unit="currency",
        definition="sum over costs of amount_reporting × (days of the cost period within the "
        "month) / (days of the cost period), period_start and period_end inclusive",
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


def _audience_totals(backend: Backend, params: MetricParams) -> ir.Table:
    t = audience(backend, params)
    return t.group_by("period").aggregate(
        followers=t.followers.sum(), net_growth=t.net_growth.sum()
    )


def _engagement_totals(backend: Backend, params: MetricParams) -> ir.Table:
    t = engagement(backend, params)
    sums = t.group_by("period").aggregate(
        posts=t.posts.sum(), replies=t.replies.sum(), shares=t.shares.sum(), likes=t.likes.sum()
    )
    return sums.select(
        "period",
        "posts",
        conversation_rate=ratio(sums.replies, sums.posts),
        amplification_rate=ratio(sums.shares, sums.posts),
        applause_rate=ratio(sums.likes, sums.posts),
    )


def _listening_totals(backend: Backend, params: MetricParams) -> ir.Table:
    t = listening(backend, params)
    sums = t.group_by("period").aggregate(
        mentions=t.mentions.sum(), competitor_mentions=t.competitor_mentions.sum()
    )
    return sums.select(
        "period",
        "mentions",
        share_of_voice=ratio(sums.mentions, sums.mentions + sums.competitor_mentions),
    )


def _loyalty_totals(backend: Backend, params: MetricParams) -> ir.Table:
    return loyalty(backend, params).select("period", "people_active", "repeat_interactors")


def _traffic_totals(backend: Backend, params: MetricParams) -> ir.Table:
    return traffic_share(backend, params).select("period", "visits", "social_share_of_visits")


def _conversion_totals(backend: Backend, params: MetricParams) -> ir.Table:
    conversions = filter_dates(backend.table("conversions"), "occurred_at", params)
    value = conversions.value_reporting.cast("float64")
    sums = conversions.group_by(period=period_of(conversions.occurred_at, "month")).aggregate(
        leads=conversions.count(where=conversions.kind == "lead"),
        orders=conversions.count(where=conversions.kind == "order"),
        order_value=value.sum(where=conversions.kind == "order").coalesce(0.0),
        refund_value=value.abs().sum(where=conversions.kind == "refund").coalesce(0.0),
    )
    return sums.select("period", "leads", "orders", revenue=sums.order_value - sums.refund_value)


def _cost_of_month(backend: Backend, month: date) -> ir.Table:
    """Costs prorated to ``month`` by the days their period overlaps it."""
    first, last = month, next_month(month) - timedelta(days=1)
    costs = backend.table("costs")
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


def scorecard_tables(backend: Backend, month: date) -> list[ir.Table]:
    """The unexecuted Ibis tables behind the scorecard of ``month`` (any day in it): each has
    a ``period`` column (month start) and one column per headline it provides, with rows for
    the month and the one before."""
    current = month_start(month)
    previous = previous_month(current)
    params = MetricParams(by="month", since=previous, until=next_month(current) - timedelta(1))
    tables = [build(backend, params) for build in _BUILDERS]
    tables += [_cost_of_month(backend, m) for m in (previous, current)]
    return tables


def scorecard(backend: Backend, *, month: date | None = None) -> list[ScorecardRow]:
    """The headline numbers of ``month`` (any day in it; ``None``: the last month with data)
    beside those of the month before, in :data:`HEADLINES` order. An empty warehouse with no
    ``month`` given has no scorecard: ``[]``."""
    if month is None:
        month = last_month_with_data(backend)
        if month is None:
            return []
    current = month_start(month)
    previous = previous_month(current)
    values: dict[date, dict[str, Any]] = {current: {}, previous: {}}
    for table in scorecard_tables(backend, current):
        for record in backend.execute(table).to_dict("records"):
            period = _to_date(record.pop("period"))
            if period in values:
                values[period].update(record)
    return [
        _row(headline, _number(values[current], headline), _number(values[previous], headline))
        for headline in HEADLINES
    ]


def _number(values: Mapping[str, Any], headline: Headline) -> float | None:
    value = values.get(headline.name)
    if value is None or _is_missing(value):
        return 0.0 if headline.name in _ZERO_WHEN_MISSING else None
    return float(value)


def _row(headline: Headline, value: float | None, previous: float | None) -> ScorecardRow:
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
    )
