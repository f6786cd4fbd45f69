"""Where each count of the dashboard links: ``/items?metric=NAME`` with the row's keys (its
month within the page's dates, its channel, account, code, ...). Only URLs: the rows themselves
come from :mod:`goodwill.metrics.items`, the same declarations ``goodwill metrics NAME --items``
runs. :data:`NOT_ITEMS` names the counts that link to nothing, with the reason."""

from __future__ import annotations

from typing import Any

import pandas as pd

from goodwill.metrics.items import ITEMS, PULLTHROUGH_METHOD
from goodwill.web.dashboard.filters import Filters

__all__ = [
    "NOT_ITEMS",
    "PULLTHROUGH_METHOD",
    "care_href",
    "clicks_href",
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


def visits_href(f: Filters, row: dict[str, Any], metric: str = "visits") -> str:
    """The visits (or visitors, ``metric``) of a ``traffic_detail`` row (month, channel,
    source)."""
    base = month_filters(f, row.get("period")).model_copy(update={"campaign": f.campaign})
    return "/items" + base.query(
        metric=metric, channel=str(row["channel"]), source=str(row["source"])
    )


def care_href(f: Filters, row: dict[str, Any], metric: str) -> str:
    """The threads of a ``care`` row (month, platform, account)."""
    base = month_filters(f, row.get("period")).model_copy(update={"platform": str(row["platform"])})
    return "/items" + base.query(metric=metric, account=str(row["account"]))


def clicks_href(f: Filters, row: dict[str, Any], metric: str = "clicks") -> str:
    """The clicks (clickers, visits, posts: ``metric``) of one tracked link (a
    ``link_clicks`` row) within the page's dates."""
    base = Filters(platform=f.platform, since=f.since, until=f.until)
    return "/items" + base.query(metric=metric, code=str(row["code"]))


def funnel_href(f: Filters, row: dict[str, Any]) -> str:
    """The people at one funnel step within the page's dates and platform."""
    base = Filters(platform=f.platform, since=f.since, until=f.until)
    return "/items" + base.query(metric="funnel", step=str(row["step"]))


def funnel_days_href(f: Filters, row: dict[str, Any]) -> str:
    """The people of a ``funnel_days`` row (milestone, days)."""
    base = Filters(platform=f.platform, since=f.since, until=f.until)
    days = str(int(row["days"]))
    return "/items" + base.query(metric="funnel_days", milestone=str(row["milestone"]), days=days)


def loyalty_href(f: Filters, row: dict[str, Any], metric: str) -> str:
    """The people (or interactions) of a ``loyalty`` row: its whole month, as loyalty counts
    whole months."""
    p = f.month_params(pd.Timestamp(row["period"]).date().replace(day=1))
    return "/items" + Filters(platform=f.platform, since=p.since, until=p.until).query(
        metric=metric
    )


def listening_href(f: Filters, row: dict[str, Any], metric: str) -> str:
    """The authors or competitor mentions of a ``listening`` row (month, platform)."""
    base = month_filters(f, row.get("period")).model_copy(update={"platform": str(row["platform"])})
    return "/items" + base.query(metric=metric)


def post_href(row: dict[str, Any], column: str) -> str:
    """The interactions behind a ``top_posts`` count (``replies``, ``shares``, ``likes``;
    ``engagements``: all three) of one post, whenever they happened (as ``brand_posts``)."""
    reaction = None if column == "engagements" else column
    post = f"{row['platform']}:{row['post_id']}"
    return "/items" + Filters().query(metric="post_reactions", post=post, reaction=reaction)


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
