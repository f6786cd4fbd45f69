"""Every named metric query, and running one into a pandas DataFrame.

``QUERIES`` is the single list the CLI (``goodwill metrics NAME``), the API, the report and
``docs/metrics.md`` are driven from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from goodwill.errors import UserInputError
from goodwill.metrics.alerts import MENTION_SERIES
from goodwill.metrics.audience import AUDIENCE
from goodwill.metrics.care import CARE, CARE_AGENTS, UNANSWERED
from goodwill.metrics.declarations import Backend, Query
from goodwill.metrics.engagement import ENGAGEMENT, TOP_POSTS
from goodwill.metrics.funnel import FUNNEL, FUNNEL_DAYS
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
    q.name: q
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
"""Every query by name, grouped in ``GROUPS`` order."""

_INT_DIMENSIONS = ("rank",)
_DATE_DIMENSIONS = ("period",)


def get_query(name: str) -> Query:
    """The query called ``name``; :class:`UserInputError` naming the valid ones otherwise."""
    try:
        return QUERIES[name]
    except KeyError:
        raise UserInputError(
            f"no metric query {name!r}; choose one of {', '.join(sorted(QUERIES))}"
        ) from None


def run_query(name: str, backend: Backend, params: MetricParams) -> pd.DataFrame:
    """Run query ``name`` on ``backend`` and return its rows sorted by its dimensions.

    Columns: the dimensions, then one per metric. ``period`` holds ``datetime.date`` values;
    counts are ``int64``; rates, shares, ratios and money are ``float64`` (NaN where the
    formula is undefined, e.g. a division by zero).
    """
    import pandas as pd

    query = get_query(name)
    if not isinstance(params, MetricParams):
        raise TypeError(f"params must be MetricParams, not {type(params).__name__}")
    frame: pd.DataFrame = backend.execute(query.build(backend, params))
    frame = frame[list(query.columns)]
    for column in _DATE_DIMENSIONS:
        if column in frame.columns:
            frame[column] = _as_dates(frame[column])
    for column in _INT_DIMENSIONS:
        if column in frame.columns:
            frame[column] = frame[column].astype("int64")
    for metric in query.metrics:
        values = frame[metric.name]
        if metric.dtype == "int64":
            # an all-NULL column comes back as object dtype: numeric first, then fill
            numbers = pd.to_numeric(values, errors="raise")
            frame[metric.name] = numbers.fillna(0).astype("int64")
        else:
            frame[metric.name] = pd.to_numeric(values, errors="raise").astype("float64")
    return frame.sort_values(list(query.dimensions), kind="stable").reset_index(drop=True)


def _as_dates(values: pd.Series) -> pd.Series:
    """Any date-like column as ``datetime.date`` objects (object dtype)."""
    import pandas as pd

    def to_date(value: object) -> dt.date | None:
        if value is None or value is pd.NaT:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return pd.Timestamp(value).date()  # type: ignore[arg-type]

    return pd.Series([to_date(v) for v in values], index=values.index, dtype="object")
