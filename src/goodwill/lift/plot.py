"""The lift plot as a self-contained SVG (no plotting dependency).

Two panels over time: the observed series with the counterfactual prediction and its interval,
and the cumulative effect with its interval from the intervention on; a dashed vertical line
marks the intervention.
"""

from __future__ import annotations

import math
from html import escape

import numpy as np
import pandas as pd

from goodwill.lift.model import LiftResult

__all__ = ["lift_svg"]

_W, _PANEL_H, _PAD_L, _PAD_R, _PAD_T, _GAP = 820, 220, 64, 16, 28, 48


def _tick(v: float) -> str:
    """An axis number a person reads: ``12,500``, ``1.2M``, ``0.35`` (never ``1.25e+04``)."""
    if abs(v) >= 1_000_000:
        return f"{v / 1_000_000:,.1f}M"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:,.2f}".rstrip("0").rstrip(".") or "0"


def lift_svg(result: LiftResult, title: str = "Causal lift") -> str:
    """The SVG document for ``result``."""
    s = result.series
    n = len(s)
    height = _PAD_T + 2 * _PANEL_H + _GAP + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{height}" '
        f'viewBox="0 0 {_W} {height}" font-family="sans-serif" font-size="11">',
        f'<text x="{_PAD_L}" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    top = _PAD_T
    parts += _panel(
        s,
        top,
        [("predicted_lower", "predicted_upper")],
        [("actual", "#222", ""), ("predicted", "#1f6fd1", "4 3")],
        "observed vs counterfactual",
        n,
        result.n_pre,
    )
    top += _PANEL_H + _GAP
    parts += _panel(
        s,
        top,
        [("cumulative_lower", "cumulative_upper")],
        [("cumulative_effect", "#1f6fd1", "")],
        "cumulative effect",
        n,
        result.n_pre,
    )
    first, last = s["date"].iloc[0], s["date"].iloc[-1]
    y_axis = _PAD_T + 2 * _PANEL_H + _GAP + 18
    parts.append(f'<text x="{_PAD_L}" y="{y_axis}">{escape(str(first))}</text>')
    parts.append(
        f'<text x="{_W - _PAD_R}" y="{y_axis}" text-anchor="end">{escape(str(last))}</text>'
    )
    parts += _hover(s, n)
    parts.append("</svg>")
    return "\n".join(parts)


def _hover(s: pd.DataFrame, n: int) -> list[str]:
    """A transparent band per day over both panels whose ``<title>`` (a tooltip on hover, no
    script needed) says the day's actual value, the counterfactual with its interval and the
    cumulative effect so far."""

    def num(v: object) -> str:
        f = float(v) if isinstance(v, (int, float, np.floating, np.integer)) else math.nan
        return _tick(f) if math.isfinite(f) else "–"

    width = _W - _PAD_L - _PAD_R
    step = width / max(n - 1, 1)
    parts = ['<g class="hover">']
    for i, r in enumerate(s.to_dict("records")):
        cx = _PAD_L + step * i
        words = (
            f"{r['date']} · actual {num(r['actual'])} · without: {num(r['predicted'])} "
            f"(likely {num(r['predicted_lower'])} to {num(r['predicted_upper'])}) · "
            f"cumulative effect {num(r['cumulative_effect'])}"
        )
        parts.append(
            f'<rect x="{max(cx - step / 2, _PAD_L):.1f}" y="{_PAD_T}" width="{max(step, 1.0):.1f}" '
            f'height="{2 * _PANEL_H + _GAP}" fill="transparent" data-x="{cx:.1f}">'
            f"<title>{escape(words)}</title></rect>"
        )
    parts.append("</g>")
    return parts


def _panel(
    s: pd.DataFrame,
    top: float,
    bands: list[tuple[str, str]],
    lines: list[tuple[str, str, str]],
    label: str,
    n: int,
    n_pre: int,
) -> list[str]:
    line_values = s[[c for c, _, _ in lines]].to_numpy(dtype="float64")
    band_values = s[[c for band in bands for c in band]].to_numpy(dtype="float64")
    finite = line_values[np.isfinite(line_values)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    # the band widens the axis by at most the lines' own span each way, so a wide band in
    # the model's first days cannot flatten the lines (the band is clipped to the panel)
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    band = band_values[np.isfinite(band_values)]
    if band.size:
        lo, hi = (
            max(min(lo, float(band.min())), lo - span),
            min(max(hi, float(band.max())), hi + span),
        )
    if math.isclose(lo, hi):
        lo, hi = lo - 1, hi + 1
    width = _W - _PAD_L - _PAD_R

    def x(i: int) -> float:
        return _PAD_L + width * (i / max(n - 1, 1))

    def y(v: float) -> float:
        v = min(max(v, lo), hi)
        return top + _PANEL_H * (1 - (v - lo) / (hi - lo))

    out = [
        f'<rect x="{_PAD_L}" y="{top}" width="{width}" height="{_PANEL_H}" fill="none" '
        'stroke="#ccc"/>',
        f'<text x="{_PAD_L + 4}" y="{top + 14}">{escape(label)}</text>',
        f'<text x="{_PAD_L - 4}" y="{top + 10}" text-anchor="end">{_tick(hi)}</text>',
        f'<text x="{_PAD_L - 4}" y="{top + _PANEL_H}" text-anchor="end">{_tick(lo)}</text>',
    ]
    for low, high in bands:
        upper = [(x(i), y(v)) for i, v in enumerate(s[high]) if np.isfinite(v)]
        lower = [(x(i), y(v)) for i, v in enumerate(s[low]) if np.isfinite(v)]
        if upper and lower:
            pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in [*upper, *reversed(lower)])
            out.append(f'<polygon points="{pts}" fill="#1f6fd1" fill-opacity="0.18"/>')
    for column, colour, dash in lines:
        pts = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(s[column]) if np.isfinite(v))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="1.3"'
            f"{dash_attr}/>"
        )
    cut = x(n_pre) if n_pre < n else x(n - 1)
    out.append(
        f'<line x1="{cut:.1f}" y1="{top}" x2="{cut:.1f}" y2="{top + _PANEL_H}" stroke="#888" '
        'stroke-dasharray="5 4"/>'
    )
    return out
