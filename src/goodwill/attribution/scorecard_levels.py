"""The scorecard's currencies that are *levels* over a period, and how progress against a
target is judged for sums and for levels.

Sum currencies accumulate over the period's days — ``revenue``, ``leads``, ``customers``
(credited to social by the attribution model) and ``relationships`` (distinct engaged people,
which only grows as days are added). Level currencies are ratios over the whole period — they
do not grow with time, so half a month's data is judged on its level, not on half the target:

* ``roi`` — (social's attributed revenue − full cost) / full cost over the period
  (:mod:`goodwill.attribution.roi`);
* ``reputation`` — net sentiment of the labelled messages people sent the brand in the period,
  ``(Σ positive − Σ negative) / (Σ positive + Σ negative)``, −1 … 1, with ``positive`` and
  ``negative`` the counts of the ``reputation`` metric query (:mod:`goodwill.metrics.reputation`)
  summed over the period's platforms and months;
* ``care`` — response rate of customer care in the period,
  ``Σ answered / Σ needing_answer`` from the ``care`` metric query
  (:mod:`goodwill.metrics.care`), 0 … 1;
* ``care_time`` — median first response time in hours of the messages needing an answer sent
  in the period (the ``care`` query's ``frt_median_hours`` over the whole period, computed on
  the same ``care_threads``); lower is better.

Progress and status (:func:`judge`), with ``elapsed`` the share of the period's days up to the
last day with data:

* sums: ``progress = actual / target``; ``met`` when progress ≥ 1, ``on track`` when
  progress ≥ elapsed (the target spread evenly over the days), else ``behind``;
* levels: ``progress = actual / target`` (``care_time``: ``target / actual``, so ≥ 1 means at
  least as fast as the target); NaN when the divisor is ≤ 0. The target is reached when
  ``actual ≥ target`` (``care_time``: ``actual ≤ target``); status ``met`` when reached and
  the period is over (elapsed = 1), ``on track`` when reached while it runs, else ``behind``;
* any currency without data in the period (NaN actual — no labelled message, nothing needing
  an answer, no cost for ROI) has status ``no data``.
"""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from goodwill.metrics.care import care, care_threads
from goodwill.metrics.common import ratio
from goodwill.metrics.declarations import Backend
from goodwill.metrics.params import MetricParams
from goodwill.metrics.reputation import reputation

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "LEVEL_CURRENCIES",
    "LOWER_IS_BETTER",
    "SUM_CURRENCIES",
    "TARGETS_DOC",
    "judge",
    "last_data_day",
    "level_actual",
]

SUM_CURRENCIES: tuple[str, ...] = ("revenue", "leads", "customers", "relationships")
LEVEL_CURRENCIES: tuple[str, ...] = ("roi", "reputation", "care", "care_time")
LOWER_IS_BETTER: frozenset[str] = frozenset({"care_time"})
_INTERACTION_CURRENCIES = frozenset({"relationships", "reputation", "care", "care_time"})


def _scalar(backend: Backend, expr: ir.Scalar) -> float:
    value = backend.execute(expr)
    return float("nan") if value is None or pd.isna(value) else float(value)


def level_actual(backend: Backend, currency: str, since: date, until: date) -> float:
    """``reputation``, ``care`` or ``care_time`` over ``since`` … ``until`` (inclusive), as
    defined in the module docstring; NaN without data."""
    params = MetricParams(by="month", since=since, until=until)
    if currency == "reputation":
        rep = reputation(backend, params)
        pos, neg = rep.positive.sum(), rep.negative.sum()
        return _scalar(backend, ratio(pos - neg, pos + neg))
    if currency == "care":
        c = care(backend, params)
        return _scalar(backend, ratio(c.answered.sum(), c.needing_answer.sum()))
    if currency == "care_time":
        t = care_threads(backend, params)
        return _scalar(backend, t.response_hours.quantile(0.5))
    raise ValueError(f"{currency!r} is not a reputation or care currency")


def last_data_day(backend: Backend, currency: str) -> date | None:
    """The last day with data for ``currency``: the last interaction for relationships,
    reputation and care, the last conversion otherwise."""
    if currency in _INTERACTION_CURRENCIES:
        column = backend.table("interactions").created_at
    else:
        column = backend.table("conversions").occurred_at
    value = backend.execute(column.max())
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def judge(currency: str, actual: float, target: float, elapsed: float) -> tuple[float, str]:
    """``(progress, status)`` of ``actual`` against ``target`` with ``elapsed`` of the period
    gone (module docstring)."""
    if math.isnan(actual):
        return float("nan"), "no data"
    if currency in LEVEL_CURRENCIES:
        if currency in LOWER_IS_BETTER:
            progress = target / actual if actual > 0 else float("nan")
            reached = actual <= target
        else:
            progress = actual / target if target > 0 else float("nan")
            reached = actual >= target
        if not reached:
            return progress, "behind"
        return progress, "met" if elapsed >= 1 else "on track"
    progress = actual / target if target else float("nan")
    status = "met" if progress >= 1 else "on track" if progress >= elapsed else "behind"
    return progress, status


TARGETS_DOC: tuple[str, ...] = (
    "## Scorecard targets",
    "",
    "`goodwill roi --targets` / `goodwill.attribution.scorecard_progress(backend, config)`:",
    'progress against the targets in `[scorecard.targets]` of goodwill.toml ("2026-03",',
    '"2026-Q2", "2026"), in the currency chosen by `[scorecard] currency`. `elapsed` is the',
    "share of the period's days up to the last day with data (last interaction for",
    "relationships, reputation and care; last conversion otherwise).",
    "",
    "| currency | kind | actual over the period | progress |",
    "|---|---|---|---|",
    "| `revenue` | sum | order value credited to social (channels social, paid_social) by the "
    "attribution model `[scorecard] model` | actual / target |",
    "| `leads` | sum | leads credited to social | actual / target |",
    "| `customers` | sum | first orders credited to social | actual / target |",
    "| `relationships` | sum | distinct people with an inbound interaction (not unfollow) "
    "| actual / target |",
    "| `roi` | level | (credited revenue − full cost) / full cost | actual / target |",
    "| `reputation` | level | net sentiment: (Σ positive − Σ negative) / (Σ positive + Σ "
    "negative) of the `reputation` query over the period | actual / target |",
    "| `care` | level | response rate: Σ answered / Σ needing_answer of the `care` query "
    "over the period | actual / target |",
    "| `care_time` | level, lower is better | median first response hours of the period's "
    "messages needing an answer (`care.frt_median_hours` over the whole period) "
    "| target / actual |",
    "",
    "Status: a sum is `met` when progress ≥ 1, `on track` when progress ≥ elapsed (the target",
    "spread evenly over the period's days), else `behind`. A level does not accumulate with",
    "time: it is `met` when the target is reached (actual ≥ target; `care_time`: actual ≤",
    "target) and the period is over, `on track` when reached while the period runs, else",
    "`behind`. `no data` when the period has nothing to measure (no labelled message, nothing",
    "needing an answer, no cost for ROI). Progress is empty when its divisor is ≤ 0.",
)
"""The ``Scorecard targets`` section of docs/metrics.md."""
