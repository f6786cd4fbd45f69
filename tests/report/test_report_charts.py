"""Charts a person can read: axis numbers without exponents, a flat line that says why, and
the lift chart's actual, counterfactual and interval band."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from goodwill.lift.model import estimate_lift
from goodwill.lift.plot import lift_svg
from goodwill.report.charts import bar_chart, line_chart


def _ticks(svg: str) -> list[str]:
    return re.findall(r'class="tick">([^<]*)<', svg)


def test_axis_numbers_have_no_exponent() -> None:
    svg = line_chart(["Jan", "Feb", "Mar"], {"x": [12_000.0, 48_500.0, 2_400_000.0]}, title="t")
    ticks = _ticks(svg)
    assert "2.5M" in ticks and "625k" in ticks
    assert not any("e+" in t for t in ticks)
    bars = bar_chart([("social", 31_250.0), ("search", 950.0)], title="visits")
    assert {"31.2k", "950"} <= set(_ticks(bars))


def test_a_flat_line_says_why() -> None:
    flat = line_chart(["Jan", "Feb"], {"a": [5.0, 5.0], "b": [2.0, None]}, title="t")
    assert "Flat line: the value did not change in these months." in flat
    why = line_chart(["Jan", "Feb"], {"a": [5.0, 5.0]}, title="t", flat_note="one snapshot")
    assert "Flat line: one snapshot." in why
    assert "Flat line" not in line_chart(["Jan", "Feb"], {"a": [5.0, 6.0]}, title="t")


def test_lift_chart_shows_actual_counterfactual_band_and_plain_ticks() -> None:
    rng = np.random.default_rng(3)
    y = 20_000 + rng.normal(0, 300, 120)
    y[90:] += 4_000  # a clear step after day 90
    series = pd.DataFrame({"date": pd.date_range("2026-01-01", periods=120), "y": y})
    svg = lift_svg(estimate_lift(series, 90, controls=()), title="visits")
    assert "<polygon" in svg  # the interval band
    assert svg.count("<polyline") >= 3  # actual, counterfactual, cumulative effect
    assert 'stroke-dasharray="4 3"' in svg  # the counterfactual is dashed
    numbers = re.findall(r'text-anchor="end">([^<]*)<', svg)
    assert numbers and not any("e+" in n for n in numbers), numbers
