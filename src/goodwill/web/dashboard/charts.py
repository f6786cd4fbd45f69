"""The dashboard's trend charts: :func:`goodwill.report.charts.line_chart` (inline SVG, no
script) with a hover band per period whose ``<title>`` the browser shows as a tooltip, naming
the period and each series' value (the CSP allows no inline script; SVG titles need none)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import pandas as pd

from goodwill.output import format_value
from goodwill.report.charts import line_chart

__all__ = ["PLOT", "hover_line_chart", "trend_chart"]

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
