"""Metrics: every number goodwill shows, defined once as an Ibis expression.

The public API::

    from goodwill.metrics import MetricParams, QUERIES, run_query, scorecard

    frame = run_query("engagement", wh.ibis(), MetricParams(by="week", platform="x"))
    rows = scorecard(wh.ibis())

Each :class:`Query` in :data:`QUERIES` declares its dimensions and :class:`Metric` columns
with formula and unit; ``docs/metrics.md`` is generated from them
(``python -m goodwill.metrics.docs``).
"""

from __future__ import annotations

from goodwill.metrics.declarations import UNITS, Backend, Metric, Query
from goodwill.metrics.params import PERIODS, MetricParams
from goodwill.metrics.registry import GROUPS, QUERIES, get_query, run_query
from goodwill.metrics.scorecard import (
    HEADLINES,
    Headline,
    ScorecardRow,
    scorecard,
    scorecard_tables,
)

__all__ = [
    "GROUPS",
    "HEADLINES",
    "PERIODS",
    "QUERIES",
    "UNITS",
    "Backend",
    "Headline",
    "Metric",
    "MetricParams",
    "Query",
    "ScorecardRow",
    "get_query",
    "run_query",
    "scorecard",
    "scorecard_tables",
]
