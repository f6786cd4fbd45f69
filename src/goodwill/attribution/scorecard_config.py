"""The ``[scorecard]`` section of ``goodwill.toml``: which "currency" the business measures
social media in, the staff hourly rate, the attribution model and the targets per period.

Example::

    [scorecard]
    currency = "leads"          # revenue, leads, customers, relationships, roi,
                                # reputation, care or care_time
    model = "incremental"       # the attribution model used for ROI and the scorecard
    hourly_rate = 38.0          # staff cost per hour (reporting currency); overrides amounts
    [scorecard.targets]
    "2026-03" = 120             # a month: short-term target
    "2026-Q2" = 400             # a quarter: long-term target
    "2026" = 1500               # a year: long-term target

The file is the one :func:`goodwill.config.load_config` finds (``$GOODWILL_CONFIG`` or
``./goodwill.toml``). Without a ``[scorecard]`` section the defaults below apply. The default
model is ``incremental``, the one that meets the accuracy goal on the processes of
``benchmarks/attribution_truth.py`` and errs least on the demo's first-order value
(``benchmarks/attribution_accuracy.py``; docs/metrics.md).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from goodwill.attribution.models import MODELS
from goodwill.attribution.scorecard_levels import LEVEL_CURRENCIES, SUM_CURRENCIES
from goodwill.errors import UserInputError

__all__ = [
    "SCORECARD_CURRENCIES",
    "ScorecardConfig",
    "Target",
    "load_scorecard_config",
    "parse_scorecard",
]

SCORECARD_CURRENCIES: tuple[str, ...] = (*SUM_CURRENCIES, *LEVEL_CURRENCIES)
"""What a business may measure social media in: sums over the period (revenue, leads,
customers, relationships) and levels (roi, reputation = net sentiment, care = response rate,
care_time = median first response hours); see :mod:`goodwill.attribution.scorecard_levels`."""

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4]))?$")
_KEYS = {"currency", "model", "hourly_rate", "targets"}


@dataclass(frozen=True, kw_only=True)
class Target:
    """A target for one period: ``label`` as written (``2026-03``, ``2026-Q2``, ``2026``),
    first and last day, ``horizon`` (``short`` for a month, ``long`` for a quarter or year)."""

    label: str
    start: date
    end: date
    horizon: str
    target: float


@dataclass(frozen=True, kw_only=True)
class ScorecardConfig:
    currency: str = "revenue"
    model: str = "incremental"
    hourly_rate: float | None = None
    targets: tuple[Target, ...] = ()


def _period(label: str, where: str) -> tuple[date, date, str]:
    m = _PERIOD.match(label)
    if m is None:
        raise UserInputError(f"{where}: target period {label!r} is not YYYY-MM, YYYY-Qn or YYYY")
    year = int(m.group(1))
    if m.group(2):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise UserInputError(f"{where}: target period {label!r} has no month {month}")
        start = date(year, month, 1)
        end = date(year + (month == 12), month % 12 + 1, 1)
        return start, date.fromordinal(end.toordinal() - 1), "short"
    if m.group(3):
        q = int(m.group(3))
        start = date(year, 3 * q - 2, 1)
        end = date(year + (q == 4), (3 * q) % 12 + 1, 1)
        return start, date.fromordinal(end.toordinal() - 1), "long"
    return date(year, 1, 1), date(year, 12, 31), "long"


def parse_scorecard(section: object, where: str) -> ScorecardConfig:
    """Validate a ``[scorecard]`` table; errors name the file, the key and what is valid."""
    if section is None:
        return ScorecardConfig()
    if not isinstance(section, dict):
        raise UserInputError(f"{where}: [scorecard] must be a table")
    unknown = sorted(set(section) - _KEYS)
    if unknown:
        raise UserInputError(
            f"{where}: unknown key(s) {', '.join(unknown)} in [scorecard]; "
            f"valid: {', '.join(sorted(_KEYS))}"
        )
    currency = str(section.get("currency", "revenue"))
    if currency not in SCORECARD_CURRENCIES:
        raise UserInputError(
            f"{where}: [scorecard] currency {currency!r}; choose one of "
            f"{', '.join(SCORECARD_CURRENCIES)}"
        )
    model = str(section.get("model", "incremental"))
    if model not in MODELS:
        raise UserInputError(
            f"{where}: [scorecard] model {model!r}; choose one of {', '.join(MODELS)}"
        )
    rate = section.get("hourly_rate")
    if rate is not None and (
        isinstance(rate, bool) or not isinstance(rate, int | float) or rate < 0
    ):
        raise UserInputError(f"{where}: [scorecard] hourly_rate {rate!r}: expected a number ≥ 0")
    raw_targets = section.get("targets", {})
    if not isinstance(raw_targets, dict):
        raise UserInputError(f"{where}: [scorecard.targets] must be a table of period = number")
    targets = []
    for label, value in raw_targets.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise UserInputError(
                f"{where}: [scorecard.targets] {label!r} = {value!r}: expected a number"
            )
        start, end, horizon = _period(str(label), where)
        targets.append(
            Target(label=str(label), start=start, end=end, horizon=horizon, target=float(value))
        )
    targets.sort(key=lambda t: (t.start, t.end))
    return ScorecardConfig(
        currency=currency,
        model=model,
        hourly_rate=None if rate is None else float(rate),
        targets=tuple(targets),
    )


def load_scorecard_config(path: Path | None) -> ScorecardConfig:
    """The ``[scorecard]`` section of the TOML file at ``path`` (defaults when ``None``)."""
    if path is None or not path.is_file():
        return ScorecardConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UserInputError(f"{path}: invalid TOML: {exc}") from exc
    return parse_scorecard(data.get("scorecard"), str(path))
