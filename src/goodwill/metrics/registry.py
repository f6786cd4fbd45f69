"""Every named metric query, and running one into a pandas DataFrame.

``QUERIES`` is the single list the CLI (``goodwill metrics NAME``), the API, the report and
``docs/metrics.md`` are driven from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from goodwill.errors import UserInputError
from goodwill.metrics.alerts import MENTION_SERIES
from goodwill.metrics.audience import AUDIENCE
from goodwill.metrics.care import CARE, CARE_AGENTS, UNANSWERED
from goodwill.metrics.declarations import Backend, Query
from goodwill.metrics.engagement import ENGAGEMENT, TOP_POSTS
from goodwill.metrics.funnel import FUNNEL, FUNNEL_DAYS
from goodwill.metrics.items import COUNT_ITEMS, ITEMS
from goodwill.metrics.listening import LISTENING
from goodwill.metrics.loyalty import LOYALTY
from goodwill.metrics.params import MetricParams
from goodwill.metrics.post_stats import POST_STATS
from goodwill.metrics.relationships import CUSTOMER_ENGAGEMENT, RELATIONSHIPS, RETENTION
from goodwill.metrics.reputation import REPUTATION
from goodwill.metrics.traffic import TRAFFIC, TRAFFIC_SHARE
from goodwill.metrics.traffic_detail import LINK_CLICKS, TRAFFIC_DETAIL
from goodwill.value.repeat import RETURNING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GROUPS", "QUERIES", "get_query", "run_query"]

GROUPS: tuple[str, ...] = ("audience", "engagement", "listening", "loyalty", "traffic")
"""The metric groups, in the order the CLI and docs present them."""

QUERIES: Mapping[str, Query] = {
    q.name: replace(q, items={m: ITEMS[i] for m, i in COUNT_ITEMS.get(q.name, {}).items()})
    for q in (
        AUDIENCE,
        ENGAGEMENT,
        TOP_POSTS,
        POST_STATS,
        LISTENING,
        REPUTATION,
        MENTION_SERIES,
        CARE,
        UNANSWERED,
        CARE_AGENTS,
        LOYALTY,
        RETURNING,
        TRAFFIC,
        TRAFFIC_SHARE,
        TRAFFIC_DETAIL,
        LINK_CLICKS,
        FUNNEL,
        FUNNEL_DAYS,
        RELATIONSHIPS,  # issue 6
        RETENTION,
        CUSTOMER_ENGAGEMENT,
    )
}
"""Every query by name, grouped in ``GROUPS`` order, each with the lists of rows behind its
counts (``Query.items``)."""


def get_query(name: str) -> Query:
    """The query called ``name``; :class:`UserInputError` naming the valid ones otherwise."""
    try:
        return QUERIES[name]
    except KeyError:
        raise UserInputError(
            f"no metric query {name!r}; choose one of {', '.join(sorted(QUERIES))}"
        ) from None


def run_query(name: str, backend: Backend, params: MetricParams) -> pd.DataFrame:
    """Run query ``name`` on ``backend`` and return its rows sorted by its dimensions
    (:meth:`Query.run`): the dimensions, then one column per metric. ``period`` holds
    ``datetime.date`` values; counts are ``int64``; rates, shares, ratios and money are
    ``float64`` (NaN where the formula is undefined, e.g. a division by zero)."""
    return get_query(name).run(backend, params)
