"""Small inline SVG charts, so a report is one self-contained file that works offline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["PALETTE", "ProgressBar", "bar_chart", "line_chart", "progress_bars"]

PALETTE = ("#2f6f4f", "#d08c2b", "#3d6fb6", "#b8474a", "#7a5aa6", "#5b8c85", "#8c7a5b", "#999")


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    mag = 10 ** (len(str(int(v))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if v <= step * mag:
            return float(step * mag)
    return float(10 * mag)


def _fmt(v: float) -> str:
    """An axis or bar number: ``950``, ``12.5k``, ``1.2M``, ``0.35`` (never ``1.2e+04``)."""
    if abs(v) >= 1_000_000:
        return f"{v / 1_000_000:.1f}M".replace(".0M", "M")
    if abs(v) >= 1000:
        return f"{v / 1000:.1f}k".replace(".0k", "k")
    if v.is_integer():
        return str(int(v))
    return f"{v:.2f}"


def line_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    width: int = 640,
    height: int = 220,
    flat_note: str = "",
) -> str:
    """A multi-series line chart as an ``<svg>`` element (values may be ``None``). When every
    series is a flat line, the chart says so under its title, with ``flat_note`` as the
    reason (default: the value did not change)."""
    left, right, top, bottom = 48, 110, 24, 28
    pw, ph = width - left - right, height - top - bottom
    values = [v for s in series.values() for v in s if v is not None]
    vmax = _nice_max(max(values, default=0.0))
    vmin = min(0.0, min(values, default=0.0))
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (pw * i / (n - 1) if n > 1 else pw / 2)

    def y(v: float) -> float:
        return top + ph - (v - vmin) / (vmax - vmin) * ph

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f'<text x="{left}" y="14" class="chart-title">{escape(title)}</text>',
    ]
    for k in range(5):
        v = vmin + (vmax - vmin) * k / 4
        parts.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{y(v):.1f}" y2="{y(v):.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" class="tick">'
            f"{_fmt(v)}</text>"
        )
    step = max(1, n // 8)
    for i, lab in enumerate(labels):
        if i % step == 0 or i == n - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" class="tick">'
                f"{escape(lab)}</text>"
            )
    if values and all(len({v for v in s if v is not None}) <= 1 for s in series.values()):
        why = flat_note or "the value did not change in these months"
        parts.append(
            f'<text x="{left + 8}" y="{top + 14}" class="tick flat-note">Flat line: '
            f"{escape(why)}.</text>"
        )
    for j, (name, vals) in enumerate(series.items()):
        color = PALETTE[j % len(PALETTE)]
        pts = [(x(i), y(v)) for i, v in enumerate(vals) if v is not None]
        if pts:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>'
            )
        parts.append(
            f'<rect x="{left + pw + 12}" y="{top + j * 18}" width="10" height="10" '
            f'fill="{color}"/><text x="{left + pw + 26}" y="{top + j * 18 + 9}" class="tick">'
            f"{escape(name)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    items: Sequence[tuple[str, float]], *, title: str, width: int = 640, bar_height: int = 18
) -> str:
    """A horizontal bar chart as an ``<svg>`` element."""
    left, right, top = 130, 60, 24
    height = top + len(items) * (bar_height + 6) + 8
    vmax = max((v for _, v in items), default=0.0) or 1.0
    pw = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f'<text x="4" y="14" class="chart-title">{escape(title)}</text>',
    ]
    for i, (label, v) in enumerate(items):
        yy = top + i * (bar_height + 6)
        w = max(pw * v / vmax, 0.0)
        parts.append(
            f'<text x="{left - 6}" y="{yy + bar_height - 5}" text-anchor="end" class="tick">'
            f"{escape(label)}</text>"
            f'<rect x="{left}" y="{yy}" width="{w:.1f}" height="{bar_height}" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{left + w + 4:.1f}" y="{yy + bar_height - 5}" class="tick">{_fmt(v)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


STATUS_COLORS = {"met": "#2f6f4f", "on track": "#3d6fb6", "behind": "#b8474a", "no data": "#999"}


@dataclass(frozen=True, kw_only=True)
class ProgressBar:
    """One target: ``progress`` = actual / target (may exceed 1 or be NaN); ``elapsed`` = the
    share of the period gone, drawn as a marker (``None``: no marker, for levels)."""

    label: str
    progress: float
    elapsed: float | None
    status: str
    note: str


def progress_bars(bars: Sequence[ProgressBar], *, title: str, width: int = 640) -> str:
    """Horizontal progress bars against targets as an ``<svg>`` element: the bar fills to
    ``min(progress, 1)`` of the track, coloured by status; a dark tick marks ``elapsed``."""
    left, right, top, row = 150, 190, 24, 26
    pw = width - left - right
    height = top + len(bars) * row + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f'<text x="4" y="14" class="chart-title">{escape(title)}</text>',
    ]
    for i, b in enumerate(bars):
        yy = top + i * row
        fill = 0.0 if b.progress != b.progress else max(0.0, min(b.progress, 1.0))
        color = STATUS_COLORS.get(b.status, "#999")
        parts.append(
            f'<text x="{left - 6}" y="{yy + 13}" text-anchor="end" class="tick">'
            f"{escape(b.label)}</text>"
            f'<rect x="{left}" y="{yy}" width="{pw}" height="16" fill="#eef1ef"/>'
            f'<rect x="{left}" y="{yy}" width="{pw * fill:.1f}" height="16" fill="{color}"/>'
        )
        if b.elapsed is not None:
            ex = left + pw * max(0.0, min(b.elapsed, 1.0))
            parts.append(
                f'<line x1="{ex:.1f}" x2="{ex:.1f}" y1="{yy - 2}" y2="{yy + 18}" '
                'stroke="#1d2a24" stroke-width="2"/>'
            )
        parts.append(
            f'<text x="{left + pw + 8}" y="{yy + 13}" class="tick">{escape(b.note)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
