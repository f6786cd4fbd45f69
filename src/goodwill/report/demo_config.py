"""The demo business's ``goodwill.toml``: a scorecard in revenue with targets, so the demo
report shows progress against target.

Targets are the demo owner's plans, not measurements: per 1,000 people the business meets,
$240 of sales credited to social media a month, $800 a quarter and $2,000 a year, set for the
last simulated month, its quarter and its year (a short-term and two long-term targets).
"""

from __future__ import annotations

from pathlib import Path

from goodwill.simulate import DemoSpec
from goodwill.simulate.spec import add_months

__all__ = ["DEMO_TARGETS_PER_1000", "write_demo_config"]

DEMO_TARGETS_PER_1000 = {"month": 240.0, "quarter": 800.0, "year": 2000.0}


def write_demo_config(out: Path, spec: DemoSpec) -> Path:
    """Write ``out/goodwill.toml`` with the demo's ``[scorecard]`` and return its path."""
    last = add_months(spec.start, spec.months - 1)
    scale = spec.people / 1000
    month, quarter, year = (
        round(DEMO_TARGETS_PER_1000[k] * scale, -1) for k in DEMO_TARGETS_PER_1000
    )
    text = (
        "# The demo business's settings (written by `goodwill demo`).\n"
        "[scorecard]\n"
        'currency = "revenue"\n'
        'model = "incremental"\n'
        "[scorecard.targets]\n"
        f'"{last:%Y-%m}" = {month:.0f}\n'
        f'"{last.year}-Q{(last.month - 1) // 3 + 1}" = {quarter:.0f}\n'
        f'"{last.year}" = {year:.0f}\n'
    )
    out.mkdir(parents=True, exist_ok=True)
    path = out / "goodwill.toml"
    path.write_text(text, encoding="utf-8")
    return path
