"""Causal lift: the effect of an intervention on a daily or weekly series (CausalImpact-style).

:func:`estimate_lift` (``model.py``) is the estimator; ``series.py`` reads a CSV series or builds
one from the warehouse; ``plot.py`` draws the result as SVG.
"""

from __future__ import annotations

from goodwill.lift.model import LiftResult, estimate_lift
from goodwill.lift.plot import lift_svg
from goodwill.lift.series import METRICS, metric_series, post_start_of, read_series

__all__ = [
    "METRICS",
    "LiftResult",
    "estimate_lift",
    "lift_svg",
    "metric_series",
    "post_start_of",
    "read_series",
]
