"""The full cost of social media: reading ``costs`` and spreading it over platforms,
campaigns and months.

A cost row's **full cost** is ``amount_reporting`` (its amount converted to the reporting
currency at import), except staff time when an hourly rate is configured: then it is
``hours × hourly_rate`` (the loaded cost of the hours). Every category — staff, tools, prizes,
ads, content, other — counts.

By month, a row covering ``period_start … period_end`` (inclusive) is spread evenly over its
days: month ``m`` gets ``full_cost · days_in(m ∩ period) / days(period)``. By platform or
campaign, a row without one is ``(shared)``.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from goodwill.metrics.declarations import Backend

__all__ = ["SHARED", "allocate_costs", "cost_rows", "full_cost"]

SHARED = "(shared)"


def cost_rows(backend: Backend) -> pd.DataFrame:
    """Every cost row: ``period_start, period_end, category, amount, hours, platform,
    campaign`` (amount in the reporting currency, float)."""
    costs = backend.table("costs")
    expr = costs.select(
        "period_start",
        "period_end",
        "category",
        amount=costs.amount_reporting.coalesce(costs.amount).cast("float64"),
        hours=costs.hours.cast("float64"),
        platform=costs.platform,
        campaign=costs.campaign,
    )
    frame: pd.DataFrame = backend.execute(expr)
    return frame


def full_cost(costs: pd.DataFrame, hourly_rate: float | None) -> pd.Series:
    """Each row's full cost (module docstring)."""
    amount = costs["amount"].astype("float64").fillna(0.0)
    if hourly_rate is None:
        return amount
    hours = costs["hours"].astype("float64")
    staff = (costs["category"] == "staff") & hours.notna()
    return amount.where(~staff, hours * hourly_rate)


def allocate_costs(
    costs: pd.DataFrame,
    by: str,
    *,
    hourly_rate: float | None = None,
    since: date | None = None,
    until: date | None = None,
) -> pd.DataFrame:
    """Full cost per ``by`` (``platform``, ``campaign`` or ``month``) and category: columns
    ``key, category, cost``. Only the days between ``since`` and ``until`` count (a row
    partly inside is prorated by days)."""
    if by not in ("platform", "campaign", "month"):
        raise ValueError("by must be platform, campaign or month")
    rows: list[tuple[object, str, float]] = []
    totals = full_cost(costs, hourly_rate)
    for (_, row), total in zip(costs.iterrows(), totals, strict=True):
        start = pd.Timestamp(row["period_start"]).date()
        end = pd.Timestamp(row["period_end"]).date()
        days = (end - start).days + 1
        if days <= 0:
            continue
        lo = max(start, since) if since else start
        hi = min(end, until) if until else end
        if lo > hi:
            continue
        if by == "month":
            for month in pd.period_range(lo, hi, freq="M"):
                m_lo = max(lo, month.start_time.date())
                m_hi = min(hi, month.end_time.date())
                share = ((m_hi - m_lo).days + 1) / days
                rows.append((month.start_time.date(), row["category"], total * share))
        else:
            share = ((hi - lo).days + 1) / days
            label = row[by]
            key = SHARED if label is None or pd.isna(label) or label == "" else str(label)
            rows.append((key, row["category"], total * share))
    frame = pd.DataFrame(rows, columns=["key", "category", "cost"])
    return frame.groupby(["key", "category"], sort=True)["cost"].sum().reset_index()
