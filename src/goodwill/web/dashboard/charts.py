"""The dashboard's trend charts: :func:`goodwill.report.charts.line_chart` (inline SVG, no
script) with a hover band per period whose ``<title>`` the browser shows as a tooltip, naming
the period and each series' value (the CSP allows no inline script; SVG titles need none)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape

import pandas as pd

from goodwill.output import format_value
from goodwill.people.scores import TIERS
from goodwill.report.charts import bar_chart, line_chart

__all__ = ["BAR", "PLOT", "hover_bar_chart", "hover_line_chart", "tiers_chart", "trend_chart"]

PLOT = {"left": 48, "right": 110, "top": 24, "bottom": 28}
"""The plot area margins of :func:`line_chart` (its ``x`` of period ``i``); a test checks
that the hover bands stay centred on the chart's points."""


def hover_line_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    unit: str = "count",
    width: int = 640,
    height: int = 220,
    flat_note: str = "",
) -> str:
    """:func:`line_chart` plus, for each period, a transparent band over the plot with a
    ``<title>``: "Oct 26 · x: 12 · bluesky: 3" (values as the tables format them)."""
    svg = line_chart(labels, series, title=title, width=width, height=height, flat_note=flat_note)
    n = len(labels)
    if n == 0:
        return svg
    left, pw = PLOT["left"], width - PLOT["left"] - PLOT["right"]
    top, ph = PLOT["top"], height - PLOT["top"] - PLOT["bottom"]
    xs = [left + (pw * i / (n - 1) if n > 1 else pw / 2) for i in range(n)]
    bands = ['<g class="hover">']
    for i, label in enumerate(labels):
        a = left if i == 0 else (xs[i - 1] + xs[i]) / 2
        b = left + pw if i == n - 1 else (xs[i] + xs[i + 1]) / 2
        values = " · ".join(
            f"{name}: {format_value(vals[i], unit) if i < len(vals) else 'no data'}"
            for name, vals in series.items()
        )
        bands.append(
            f'<rect x="{a:.1f}" y="{top}" width="{max(b - a, 1.0):.1f}" height="{ph}" '
            f'fill="transparent" data-x="{xs[i]:.1f}">'
            f"<title>{escape(label)} · {escape(values)}</title></rect>"
        )
    bands.append("</g>")
    return svg[: svg.rindex("</svg>")] + "".join(bands) + "</svg>"


def trend_chart(
    frame: pd.DataFrame,
    series: Mapping[str, tuple[str, str | None]],
    *,
    title: str,
    unit: str,
    flat_note: str = "",
) -> str | None:
    """A monthly trend of ``frame`` (``period`` rows): ``series`` maps a legend name to
    ``(column, weight)``: the column summed per period, or, with a ``weight`` column, its
    mean weighted by ``weight`` (a rate or median over several rows of a period). ``None``
    when there are no rows."""
    if frame.empty:
        return None
    periods = sorted(pd.to_datetime(frame["period"]).unique())
    by_period = frame.assign(_p=pd.to_datetime(frame["period"]))
    values: dict[str, list[float | None]] = {}
    for name, (column, weight) in series.items():
        row: list[float | None] = []
        for p in periods:
            part = by_period[by_period["_p"] == p]
            v = pd.to_numeric(part[column], errors="coerce")
            if weight is None:
                row.append(float(v.sum()) if v.notna().any() else None)
                continue
            w = pd.to_numeric(part[weight], errors="coerce").where(v.notna(), 0).fillna(0)
            total = float(w.sum())
            row.append(float((v.fillna(0) * w).sum() / total) if total > 0 else None)
        values[name] = row
    labels = [pd.Timestamp(p).strftime("%b %y") for p in periods]
    return hover_line_chart(labels, values, title=title, unit=unit, flat_note=flat_note)


BAR = {"left": 130, "top": 24, "row": 24}
"""The geometry of :func:`goodwill.report.charts.bar_chart` (bars start at ``left``; bar
``i`` at ``top + i * row``): the hover bands of :func:`hover_bar_chart` cover each row."""


def hover_bar_chart(
    items: Sequence[tuple[str, float]], *, title: str, unit: str = "count", width: int = 640
) -> str:
    """:func:`bar_chart` plus, per bar, a transparent band over its whole row with a
    ``<title>`` ("/pricing: 1,204 visits (31.0 %)"), which the browser shows on hover and
    ``charts.js`` shows as a tooltip at once."""
    svg = bar_chart(items, title=title, width=width)
    total = sum(v for _, v in items) or 1.0
    bands = ['<g class="hover">']
    for i, (label, v) in enumerate(items):
        y = BAR["top"] + i * BAR["row"] - 3
        share = f" ({v / total:.1%})" if unit == "count" else ""
        bands.append(
            f'<rect x="0" y="{y}" width="{width}" height="{BAR["row"]}" fill="transparent">'
            f"<title>{escape(label)}: {escape(format_value(v, unit))}{share}</title></rect>"
        )
    bands.append("</g>")
    return svg[: svg.rindex("</svg>")] + "".join(bands) + "</svg>"


def tiers_chart(history: pd.DataFrame, until: date | None, months: int = 12) -> str | None:
    """People per tier at the end of each of the ``months`` months up to ``until`` (from
    :func:`goodwill.people.tiers.tier_history`: one row per person, month and tier), one line
    per tier with hover; ``None`` without history."""
    if history.empty:
        return None
    frame = history.assign(_p=pd.to_datetime(history["period"]))
    if until is not None:
        frame = frame[frame["_p"] <= pd.Timestamp(until)]
    periods = sorted(frame["_p"].unique())[-months:]
    frame = frame[frame["_p"].isin(periods)]
    if frame.empty:
        return None
    counts = frame.groupby(["_p", "tier"]).size().unstack(fill_value=0).reindex(periods)
    order = [t for t in TIERS if t in counts.columns] + [
        str(t) for t in counts.columns if t not in TIERS and str(t)
    ]
    series: dict[str, list[float | None]] = {
        str(t): [float(v) for v in counts[t].fillna(0)] for t in order
    }
    labels = [pd.Timestamp(p).strftime("%b %y") for p in periods]
    return hover_line_chart(
        labels, series, title="People per tier at each month's end", unit="people"
    )
