"""Where each count of the dashboard links: ``/items?metric=NAME`` with the row's keys (its
month within the page's dates, its channel, account, code, ...). Only URLs: the rows themselves
come from :mod:`goodwill.metrics.items`, the same declarations ``goodwill metrics NAME --items``
runs. :data:`NOT_ITEMS` names the counts that link to nothing, with the reason."""

from __future__ import annotations

from typing import Any

import pandas as pd

from goodwill.metrics import MetricParams
from goodwill.metrics.items import ITEMS, PULLTHROUGH_METHOD, get_items, narrow, row_of
from goodwill.web.dashboard.filters import Filters

__all__ = [
    "NOT_ITEMS",
    "PULLTHROUGH_METHOD",
    "care_href",
    "clicks_href",
    "count_href",
    "funnel_days_href",
    "funnel_href",
    "item_intro",
    "listening_href",
    "loyalty_href",
    "month_filters",
    "post_href",
    "pullthrough_href",
    "tier_moves_href",
    "visits_href",
]

_SNAPSHOT = (
    "the platforms' reported audience totals (audience_snapshots): the warehouse holds the "
    "numbers, not the followers behind them"
)
_CREDITED = (
    "credited by the attribution model: fractional model output, not rows; linked to the "
    "models' definitions"
)

NOT_ITEMS: dict[tuple[str, str, str], str] = {
    ("overview", "cards", "followers"): _SNAPSHOT,
    ("overview", "cards", "net_growth"): _SNAPSHOT,
    ("audience", "audience", "followers"): _SNAPSHOT,
    ("audience", "audience", "following"): _SNAPSHOT,
    ("audience", "audience", "net_growth"): _SNAPSHOT,
    ("money", "attribution_intervals", "conversions"): "credited conversions are fractional "
    "model credit, not rows",
    ("money", "roi", "leads"): _CREDITED,
    ("money", "roi", "customers"): _CREDITED,
    ("money", "clv", "purchases"): "the customer's purchase days; the person column links to "
    "the person's page, whose timeline lists the orders",
    **{
        ("traffic", table, column): "the visits list (/items?metric=visits) cannot be narrowed "
        "to one landing page or device yet; the channel table's counts link to their visits"
        for table in ("landing_pages", "devices")
        for column in ("visits", "pageviews")
    },
}
"""``(page, table, column)`` (``table`` is ``"cards"`` for a headline card) → why a count on
that page links to no list of people or items. Every other count (unit ``count`` or
``people``) links to the rows behind it."""


def item_intro(metric: str | None) -> str:
    """What the ``/items`` list of ``metric`` shows (its declaration's description)."""
    items = ITEMS.get(metric or "")
    note = items.description if items is not None else ""
    return ("The rows behind the count, within the filters. " + note).strip()


def month_filters(f: Filters, period: object) -> Filters:
    """``since``/``until`` of the row's month within the page's own dates (with ``platform``)."""
    if period is None or (isinstance(period, float) and pd.isna(period)):
        return Filters(platform=f.platform, since=f.since, until=f.until)
    p = f.month_params(pd.Timestamp(period).date().replace(day=1))  # type: ignore[arg-type]
    since = max(d for d in (p.since, f.since) if d is not None)
    until = min(d for d in (p.until, f.until) if d is not None)
    return Filters(platform=f.platform, since=since, until=until)


def count_href(
    f: Filters,
    query: str,
    metric: str,
    row: dict[str, Any],
    *,
    campaign: str | None = None,
    dated: bool = True,
) -> str:
    """The list behind the count ``query.metric`` of one ``run_query(query)`` row, within the
    page's platform and dates (``dated=False``: none) and ``campaign``: the row keys
    :func:`goodwill.metrics.items.row_of` gives, the dates
    :func:`goodwill.metrics.items.narrow` narrows — the mapping ``goodwill metrics
    query.metric --items`` uses and ``tests/metrics/test_items_every_count.py`` checks."""
    name = get_items(f"{query}.{metric}").name
    page = MetricParams(platform=f.platform, since=f.since, until=f.until)
    params, keys = narrow(name, page if dated else MetricParams(), row_of(query, metric, row))
    base = Filters(
        platform=params.platform, since=params.since, until=params.until, campaign=campaign
    )
    return "/items" + base.query(metric=name, **keys)


def visits_href(f: Filters, row: dict[str, Any], metric: str = "visits") -> str:
    """The visits (or visitors, ``metric``) of a ``traffic_detail`` row (month, channel,
    source)."""
    return count_href(f, "traffic_detail", metric, row, campaign=f.campaign)


def care_href(f: Filters, row: dict[str, Any], metric: str) -> str:
    """The threads of a ``care`` row (month, platform, account)."""
    return count_href(f, "care", metric, row)


_LINK_COUNTS = {"link_visits": "visits", "link_posts": "posts"}


def clicks_href(f: Filters, row: dict[str, Any], metric: str = "clicks") -> str:
    """The clicks (clickers, visits, posts: ``metric``) of one tracked link (a
    ``link_clicks`` row) within the page's dates."""
    return count_href(f, "link_clicks", _LINK_COUNTS.get(metric, metric), row)


def funnel_href(f: Filters, row: dict[str, Any]) -> str:
    """The people at one funnel step within the page's dates and platform."""
    return count_href(f, "funnel", "people", row)


def funnel_days_href(f: Filters, row: dict[str, Any]) -> str:
    """The people of a ``funnel_days`` row (milestone, days)."""
    return count_href(f, "funnel_days", "people", row)


_LOYALTY_COUNTS = {"attention": "interactions"}


def loyalty_href(f: Filters, row: dict[str, Any], metric: str) -> str:
    """The people (or interactions) of a ``loyalty`` row: its whole month, as loyalty counts
    whole months."""
    return count_href(f, "loyalty", _LOYALTY_COUNTS.get(metric, metric), row)


_LISTENING_COUNTS = {
    "mention_authors": ("listening", "unique_authors"),
    "competitor_mentions": ("listening", "competitor_mentions"),
    "labelled_mentions": ("reputation", "mentions"),
    "positive_mentions": ("reputation", "positive"),
    "negative_mentions": ("reputation", "negative"),
}


def listening_href(f: Filters, row: dict[str, Any], metric: str) -> str:
    """The authors or competitor mentions of a ``listening`` row, or the labelled mentions
    of a ``reputation`` row (month, platform)."""
    query, count = _LISTENING_COUNTS[metric]
    return count_href(f, query, count, row)


def post_href(row: dict[str, Any], column: str) -> str:
    """The interactions behind a ``top_posts`` count (``replies``, ``shares``, ``likes``;
    ``engagements``: all three) of one post, whenever they happened (as ``brand_posts``)."""
    return count_href(Filters(), "top_posts", column, row, dated=False)


def tier_moves_href(row: dict[str, Any]) -> str:
    """The people of a ``tier_migration`` row (period, from_tier, to_tier): the table is
    not narrowed by the page's filters, nor is the list."""
    month = f"{pd.Timestamp(row['period']):%Y-%m}"
    return "/items" + Filters(month=month).query(
        metric="tier_moves", from_tier=str(row["from_tier"]), to_tier=str(row["to_tier"])
    )


def pullthrough_href(f: Filters, row: dict[str, Any], column: str) -> str:
    """The brand mentions of a ``pullthrough`` row within the page's platform and dates:
    all labelled ones (``mentions``) or those carrying its message (``carrying``)."""
    base = Filters(platform=f.platform, since=f.since, until=f.until)
    if column == "mentions":
        return "/items" + base.query(metric="labelled_mentions")
    return "/items" + base.query(metric="carrying", message=str(row["message_id"]))
