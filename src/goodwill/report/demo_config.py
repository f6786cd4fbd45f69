"""The demo business's ``goodwill.toml``: a scorecard in revenue with targets, so the demo
report shows progress against target.

Targets are the demo owner's plans, not measurements: per 1,000 people the business meets,
$240 of sales credited to social media a month, $800 a quarter and $2,000 a year, set for the
last simulated month, its quarter and its year (a short-term and two long-term targets).

The ``[demo]`` section names the simulation's ``ground_truth.json``; a report built with this
file shows the mix model beside the planted truth (:func:`demo_mmm_truth`). Any other
settings file has no ``[demo]`` section, so its report is unchanged.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from goodwill.errors import UserInputError
from goodwill.simulate import DemoSpec
from goodwill.simulate.spec import add_months

__all__ = ["DEMO_TARGETS_PER_1000", "demo_mmm_truth", "write_demo_config"]

DEMO_TARGETS_PER_1000 = {"month": 240.0, "quarter": 800.0, "year": 2000.0}


def write_demo_config(out: Path, spec: DemoSpec, ground_truth: Path | None = None) -> Path:
    """Write ``out/goodwill.toml`` with the demo's ``[scorecard]`` and return its path; with
    ``[demo] ground_truth`` = ``ground_truth`` (default ``out/ground_truth.json`` when it
    exists), the simulation's planted truth."""
    if ground_truth is None and (out / "ground_truth.json").is_file():
        ground_truth = out / "ground_truth.json"
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
    if ground_truth is not None:
        text += f"[demo]\nground_truth = {json.dumps(str(ground_truth.resolve()))}\n"
    out.mkdir(parents=True, exist_ok=True)
    path = out / "goodwill.toml"
    path.write_text(text, encoding="utf-8")
    return path


def demo_mmm_truth(config_path: Path | None) -> dict[str, Any] | None:
    """The ``mmm`` section of the ground truth that ``config_path``'s ``[demo] ground_truth``
    names (a path relative to the settings file's folder, or absolute); ``None`` without a
    ``[demo]`` section (every business but the demo)."""
    if config_path is None or not config_path.is_file():
        return None
    try:
        data = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UserInputError(f"{config_path}: invalid TOML: {exc}") from exc
    demo = data.get("demo")
    if not isinstance(demo, dict) or "ground_truth" not in demo:
        return None
    path = config_path.parent / str(demo["ground_truth"])
    try:
        truth = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise UserInputError(f"{config_path}: [demo] ground_truth = {path}: {exc}") from exc
    mmm = truth.get("mmm") if isinstance(truth, dict) else None
    return mmm if isinstance(mmm, dict) else None
