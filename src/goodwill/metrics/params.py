"""The parameters every metric query takes: period grain, platform and date range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from goodwill.errors import UserInputError

__all__ = ["PERIODS", "MetricParams", "Period"]

Period = Literal["day", "week", "month"]

PERIODS: tuple[Period, ...] = ("day", "week", "month")
"""Valid values of ``MetricParams.by``: the grain of the ``period`` column."""


@dataclass(frozen=True, kw_only=True)
class MetricParams:
    """What a metric query groups by and filters on.

    * ``by`` — the period grain: ``day``, ``week`` (ISO weeks, starting Monday) or ``month``.
      The ``period`` column holds the date the period starts.
    * ``platform`` — keep one platform (``x``, ``mastodon``, ...); ``None`` keeps all.
    * ``since`` / ``until`` — keep events on or after / on or before these dates (inclusive,
      UTC); ``None`` leaves that end open.
    """

    by: str = "month"
    platform: str | None = None
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.by not in PERIODS:
            raise UserInputError(f"--by {self.by!r}: not a period; use one of {', '.join(PERIODS)}")
        if self.platform is not None:
            platform = self.platform.strip().lower()
            if not platform:
                raise UserInputError("--platform: empty; give a platform name such as x")
            object.__setattr__(self, "platform", platform)
        for option in ("since", "until"):
            value = getattr(self, option)
            if value is not None and not isinstance(value, date):
                raise UserInputError(f"--{option} {value!r}: not a date; use YYYY-MM-DD")
            if isinstance(value, datetime):
                object.__setattr__(self, option, value.date())
        if self.since is not None and self.until is not None and self.since > self.until:
            raise UserInputError(
                f"--since {self.since.isoformat()} is after --until {self.until.isoformat()}; "
                "since must be on or before until"
            )
