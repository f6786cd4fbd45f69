"""The series a lift is measured on: read from a CSV file, or built from the warehouse.

``--series FILE.csv``: columns ``date``, ``y`` and optional numeric control columns; one row per
period, in any order (sorted by date here).

``--metric NAME``: a daily or weekly series computed through Ibis from the warehouse. Each
metric counts or sums per UTC day (``by="day"``) or ISO week starting Monday (``by="week"``);
days without events are 0, from the first to the last day with data in any of the
requested series; a weekly series keeps whole weeks only:

* ``visits`` — visits whose user agent does not look like a bot (contains none of
  :data:`BOT_MARKERS`, case-insensitively); ``visits:CHANNEL`` — those of one traffic channel
  (``visit_channels.channel``, e.g. ``visits:search``, ``visits:direct``);
* ``leads``, ``signups``, ``orders`` — conversions of that kind;
* ``revenue`` — sum of ``value_reporting`` of orders (refunds not deducted);
* ``mentions`` — inbound interactions of kind ``mention``; ``interactions`` — every inbound
  interaction.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import ibis
import pandas as pd

from goodwill.errors import UserInputError
from goodwill.metrics.declarations import Backend

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "BOT_MARKERS",
    "METRICS",
    "metric_series",
    "newest_platform_start",
    "post_start_of",
    "read_series",
]

METRICS: tuple[str, ...] = (
    "visits",
    "leads",
    "signups",
    "orders",
    "revenue",
    "mentions",
    "interactions",
)
"""Metric names ``--metric`` and ``--controls`` accept (plus ``visits:CHANNEL``)."""

BOT_MARKERS: tuple[str, ...] = ("bot", "crawler", "spider", "python-requests", "curl/")
"""Substrings of a user agent that mark a visit as automated."""


def read_series(path: Path) -> pd.DataFrame:
    """``date, y, controls...`` from a CSV file, sorted by date; errors name the file."""
    try:
        frame = pd.read_csv(path)
    except FileNotFoundError:
        raise UserInputError(f"--series {path}: no such file") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise UserInputError(f"--series {path}: not a readable CSV file ({exc})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    for required in ("date", "y"):
        if required not in frame.columns:
            raise UserInputError(
                f"--series {path}: no {required!r} column; expected columns date, y and "
                f"optional control columns, found {', '.join(frame.columns)}"
            )
    dates = pd.to_datetime(frame["date"], errors="coerce")
    bad = dates.isna()
    if bad.any():
        line = int(bad.to_numpy().nonzero()[0][0]) + 2
        raise UserInputError(
            f"--series {path}, line {line}, column date: {frame['date'][bad].iloc[0]!r} is not "
            "a date; use YYYY-MM-DD"
        )
    frame["date"] = dates.dt.date
    for column in frame.columns:
        if column == "date":
            continue
        numbers = pd.to_numeric(frame[column], errors="coerce")
        wrong = numbers.isna() & frame[column].notna()
        if wrong.any():
            line = int(wrong.to_numpy().nonzero()[0][0]) + 2
            raise UserInputError(
                f"--series {path}, line {line}, column {column}: "
                f"{frame[column][wrong].iloc[0]!r} is not a number"
            )
        frame[column] = numbers.astype("float64")
    if frame["date"].duplicated().any():
        dup = frame["date"][frame["date"].duplicated()].iloc[0]
        raise UserInputError(f"--series {path}: date {dup} appears twice; one row per period")
    return frame.sort_values("date").reset_index(drop=True)


def post_start_of(frame: pd.DataFrame, intervention: date, period_days: int = 1) -> int:
    """The row index of the first period that ends on or after ``intervention`` (a period
    starting on ``date`` covers ``period_days`` days), so a period the intervention falls in
    counts as post-period and the pre-period stays untouched."""
    ends = pd.to_datetime(frame["date"]) + pd.Timedelta(days=period_days - 1)
    return int((ends < pd.Timestamp(intervention)).sum())


def metric_series(
    backend: Backend, metric: str, controls: tuple[str, ...] = (), by: str = "day"
) -> pd.DataFrame:
    """``date, y, <control names>`` per period from the warehouse, zero-filled; weekly series
    keep whole ISO weeks only (a partial first or last week is dropped)."""
    if by not in ("day", "week"):
        raise UserInputError(f"--by {by!r}: a lift series is daily or weekly; use day or week")
    names = (metric, *controls)
    frames: list[pd.Series] = []
    for name in names:
        counts = backend.execute(_metric_counts(backend, name))
        days = pd.to_datetime(counts["d"])
        frames.append(pd.Series(counts["value"].astype("float64").to_numpy(), index=days))
    index = pd.Index(sorted({d for f in frames for d in f.index}))
    if len(index) == 0:
        raise UserInputError(f"--metric {metric}: the warehouse has no data for it")
    days = pd.date_range(min(index), max(index), freq="D")
    out = pd.DataFrame(index=days)
    for column, series in zip(("y", *controls), frames, strict=True):
        out[column] = series.reindex(days, fill_value=0.0).to_numpy()
    if by == "week":
        week = days - pd.to_timedelta(days.day_of_week, unit="D")
        grouped = out.groupby(week)
        out = grouped.sum()[grouped.size() == 7]
        if out.empty:
            raise UserInputError(f"--metric {metric}: no complete week of data")
    out.index.name = "date"
    out = out.reset_index()
    out["date"] = out["date"].dt.date
    return out


def _metric_counts(backend: Backend, name: str) -> ir.Table:
    """``d, value``: the metric per UTC day (only days with events)."""
    table, when, value = _metric_parts(backend, name)
    grouped = table.group_by(d=table[when].date())
    if value is None:
        return grouped.aggregate(value=table.count())
    return grouped.aggregate(value=table[value].sum().cast("float64"))


def _metric_parts(backend: Backend, name: str) -> tuple[ir.Table, str, str | None]:
    """The rows a metric counts, their time column, and the column it sums (``None``: count)."""
    if name == "visits" or name.startswith("visits:"):
        visits = backend.table("visits")
        agent = visits.user_agent.lower().fill_null("")
        human = ibis.and_(*(~agent.contains(m) for m in BOT_MARKERS))
        visits = visits.filter(human)
        if name.startswith("visits:"):
            channel = name.split(":", 1)[1]
            channels = backend.table("visit_channels")
            visits = visits.semi_join(channels.filter(channels.channel == channel), "visit_id")
        return visits, "started_at", None
    if name in ("leads", "signups", "orders", "revenue"):
        kind = {"leads": "lead", "signups": "signup", "orders": "order", "revenue": "order"}[name]
        conversions = backend.table("conversions")
        conversions = conversions.filter(conversions.kind == kind)
        return conversions, "occurred_at", "value_reporting" if name == "revenue" else None
    if name in ("mentions", "interactions"):
        inter = backend.table("interactions")
        inter = inter.filter(inter.direction == "inbound")
        if name == "mentions":
            inter = inter.filter(inter.kind == "mention")
        return inter, "created_at", None
    raise UserInputError(
        f"metric {name!r}: not a lift metric; use one of {', '.join(METRICS)} or visits:CHANNEL"
    )


def platform_starts(backend: Backend) -> list[tuple[str, date]]:
    """``(platform, first snapshot day)`` of each brand platform, earliest first: the day the
    brand started on a platform is a natural intervention to measure."""
    snaps = backend.table("audience_snapshots")
    accounts = backend.table("accounts")
    brand = accounts.filter(accounts.owner == "brand").select("platform", "handle")
    joined = snaps.join(brand, ["platform", "handle"])
    expr = joined.group_by("platform").aggregate(first=joined.date.min()).order_by("first")
    frame = backend.execute(expr)
    return [
        (str(p), pd.Timestamp(d).date())
        for p, d in zip(frame["platform"], frame["first"], strict=True)
    ]


def newest_platform_start(backend: Backend) -> tuple[str, date] | None:
    """The brand platform started last, if it started at least 28 days after the first: the
    intervention the report and the dashboard estimate the lift of."""
    starts = platform_starts(backend)
    if len(starts) < 2 or starts[-1][1] - starts[0][1] < timedelta(days=28):
        return None
    return starts[-1]
