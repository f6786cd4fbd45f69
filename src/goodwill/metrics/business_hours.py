"""Business hours: when the care team is open, and open hours between two timestamps.

Configured in ``goodwill.toml``, found as every other setting is
(:func:`goodwill.config.find_config`: ``$GOODWILL_CONFIG``, ``./goodwill.toml``, else the
one beside the warehouse the command opens)::

    [care]
    business_hours = "Mon-Fri 09:00-17:00"        # blocks separated by commas,
                                                   # e.g. "Mon-Fri 09:00-17:00, Sat 10:00-14:00"
    timezone = "Europe/London"                     # IANA name; default UTC
    holidays = ["2026-12-25", "2026-12-28"]        # local dates when closed (optional)

Without a ``[care]`` table the default is ``Mon-Fri 09:00-17:00`` in UTC with no holidays.

**Open calendar.** For every local date ``d`` in a range that is not a holiday and every block
whose days include ``d``'s weekday, the interval ``[d open, d close)`` in local time, converted
to naive UTC (daylight-saving changes included). Intervals never overlap (a spec whose blocks
overlap on a day is rejected).

**Open hours between a and b** (``a ≤ b``, naive UTC):

    open_hours(a, b) = Σ over open intervals [o, c) of max(0, min(b, c) − max(a, o)) / 3600

so a complaint sent on Friday 16:00 and answered on Monday 10:00 (Mon–Fri 09–17) waited
1 + 1 = 2 business hours against 66 wall-clock hours. :func:`open_hours_between` computes it in
numpy through the cumulative open seconds ``F(t) = Σ_{o ≤ t} min(t, c) − o`` as
``F(b) − F(a)``; the care metric computes the same sum in Ibis by joining the calendar
(:meth:`BusinessHours.calendar`) on overlap.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from goodwill.config import find_config
from goodwill.errors import UserInputError

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "DEFAULT_SPEC",
    "BusinessHours",
    "load_business_hours",
    "open_hours_between",
    "parse_business_hours",
]

DEFAULT_SPEC = "Mon-Fri 09:00-17:00"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_BLOCK = re.compile(
    r"^\s*(?P<days>[A-Za-z]{3}(?:\s*-\s*[A-Za-z]{3})?(?:\s*\+\s*[A-Za-z]{3}(?:\s*-\s*[A-Za-z]{3})?)*)"
    r"\s+(?P<open>\d{1,2}:\d{2})\s*-\s*(?P<close>\d{1,2}:\d{2})\s*$"
)
Block = tuple[frozenset[int], int, int]
"""(weekdays, Monday = 0; opening and closing minute after local midnight)."""


@dataclass(frozen=True)
class BusinessHours:
    """Weekly opening blocks in a time zone, minus holidays (local dates)."""

    blocks: tuple[Block, ...]
    timezone: str = "UTC"
    holidays: frozenset[date] = frozenset()
    spec: str = DEFAULT_SPEC

    def intervals(self, start: date, end: date) -> list[tuple[datetime, datetime]]:
        """Open intervals ``(open, close)`` in naive UTC for local dates ``start … end``,
        sorted (memoised: the care query asks for the same decades every time)."""
        return list(_intervals(self, start, end))

    def _compute(self, start: date, end: date) -> tuple[tuple[datetime, datetime], ...]:
        zone = ZoneInfo(self.timezone)
        out: list[tuple[datetime, datetime]] = []
        day = start
        while day <= end:
            if day not in self.holidays:
                weekday = day.weekday()
                for days, opens, closes in self.blocks:
                    if weekday in days:
                        out.append((_utc(day, opens, zone), _utc(day, closes, zone)))
            day += timedelta(days=1)
        out.sort()
        return tuple(out)

    def calendar(self, start: date, end: date) -> ir.Table:
        """:meth:`intervals` as an Ibis memtable with columns ``open_at`` and ``close_at``."""
        import ibis
        import pandas as pd

        rows = self.intervals(start, end)
        frame = pd.DataFrame(
            {
                "open_at": pd.to_datetime([o for o, _ in rows]).astype("datetime64[us]"),
                "close_at": pd.to_datetime([c for _, c in rows]).astype("datetime64[us]"),
            }
        )
        return ibis.memtable(frame)


@lru_cache(maxsize=16)
def _intervals(
    hours: BusinessHours, start: date, end: date
) -> tuple[tuple[datetime, datetime], ...]:
    return hours._compute(start, end)


def _utc(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """Local wall-clock ``minute`` of ``day`` (1440 = the next midnight) in naive UTC."""
    day = day + timedelta(days=minute // 1440)
    local = datetime.combine(day, time((minute % 1440) // 60, minute % 60), tzinfo=zone)
    return local.astimezone(UTC).replace(tzinfo=None)


def _day_set(text: str, where: str) -> frozenset[int]:
    days: set[int] = set()
    for part in text.split("+"):
        ends = [p.strip().lower() for p in part.split("-")]
        for name in ends:
            if name not in DAYS:
                raise UserInputError(
                    f"{where}: day {name!r} is not one of {', '.join(d.title() for d in DAYS)}"
                )
        first, last = DAYS.index(ends[0]), DAYS.index(ends[-1])
        if last < first:
            raise UserInputError(f"{where}: day range {part.strip()!r} runs backwards")
        days.update(range(first, last + 1))
    return frozenset(days)


def _clock(text: str, where: str) -> int:
    """``HH:MM`` as minutes after midnight (``24:00`` allowed)."""
    hours, minutes = (int(x) for x in text.split(":"))
    if minutes > 59 or hours * 60 + minutes > 1440:
        raise UserInputError(f"{where}: {text!r} is not a time of day (HH:MM, 00:00–24:00)")
    return hours * 60 + minutes


def parse_business_hours(
    spec: str,
    timezone: str = "UTC",
    holidays: tuple[str, ...] | list[str] = (),
    *,
    where: str = "[care] business_hours",
) -> BusinessHours:
    """Parse ``"Mon-Fri 09:00-17:00, Sat 10:00-14:00"`` (days ``Mon``…``Sun``, ranges with
    ``-``, lists with ``+``) plus a time zone and holiday dates (``YYYY-MM-DD``)."""
    blocks: list[Block] = []
    for raw in spec.split(","):
        match = _BLOCK.match(raw)
        if match is None:
            raise UserInputError(
                f"{where}: {raw.strip()!r} is not a block like 'Mon-Fri 09:00-17:00' "
                "(days Mon…Sun, ranges with -, lists with +, times HH:MM)"
            )
        days = _day_set(match["days"], where)
        opens, closes = _clock(match["open"], where), _clock(match["close"], where)
        if closes <= opens:
            raise UserInputError(f"{where}: {raw.strip()!r} closes before it opens")
        for other_days, o, c in blocks:
            if days & other_days and opens < c and o < closes:
                raise UserInputError(f"{where}: {raw.strip()!r} overlaps another block")
        blocks.append((days, opens, closes))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserInputError(
            f"[care] timezone: {timezone!r} is not an IANA time zone (e.g. Europe/London, UTC)"
        ) from None
    closed: set[date] = set()
    for value in holidays:
        try:
            closed.add(date.fromisoformat(str(value)))
        except ValueError:
            raise UserInputError(
                f"[care] holidays: {value!r} is not a date; use YYYY-MM-DD"
            ) from None
    return BusinessHours(
        blocks=tuple(blocks), timezone=timezone, holidays=frozenset(closed), spec=spec
    )


def load_business_hours(path: Path | None = None) -> BusinessHours:
    """The ``[care]`` table of ``goodwill.toml`` (see the module docstring), or the default."""
    cfg_path = find_config(path)
    section: dict[str, object] = {}
    if cfg_path.is_file():
        try:
            data = tomllib.loads(cfg_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise UserInputError(f"{cfg_path}: invalid TOML: {exc}") from exc
        section = dict(data.get("care", {}))
    unknown = sorted(set(section) - {"business_hours", "timezone", "holidays"})
    if unknown:
        raise UserInputError(
            f"{cfg_path}: unknown setting(s) {', '.join(unknown)} in [care]; "
            "valid: business_hours, holidays, timezone"
        )
    holidays = section.get("holidays", [])
    if not isinstance(holidays, list):
        raise UserInputError(f"{cfg_path}: [care] holidays must be a list of YYYY-MM-DD dates")
    return parse_business_hours(
        str(section.get("business_hours", DEFAULT_SPEC)),
        str(section.get("timezone", "UTC")),
        [str(h) for h in holidays],
        where=f"{cfg_path}: [care] business_hours",
    )


def open_hours_between(
    starts: np.ndarray, ends: np.ndarray, intervals: list[tuple[datetime, datetime]]
) -> np.ndarray:
    """Open hours between ``starts[i]`` and ``ends[i]`` (``datetime64`` arrays, naive UTC):
    ``F(end) − F(start)`` with ``F`` the cumulative open seconds (module docstring). NaN where
    either end is missing (NaT)."""
    a = np.asarray(starts, dtype="datetime64[s]").astype("int64").astype(np.float64)
    b = np.asarray(ends, dtype="datetime64[s]").astype("int64").astype(np.float64)
    missing = np.isnat(np.asarray(starts, "datetime64[s]")) | np.isnat(
        np.asarray(ends, "datetime64[s]")
    )
    if not intervals:
        out = np.zeros(a.shape)
        out[missing] = np.nan
        return out
    opens = np.array([o for o, _ in intervals], dtype="datetime64[s]").astype("int64")
    closes = np.array([c for _, c in intervals], dtype="datetime64[s]").astype("int64")
    lengths = (closes - opens).astype(np.float64)
    before = np.concatenate([[0.0], np.cumsum(lengths)])  # open seconds before interval i

    def cumulative(t: np.ndarray) -> np.ndarray:
        i = np.searchsorted(opens, t, side="right") - 1
        inside = np.clip(t - opens[np.maximum(i, 0)], 0.0, lengths[np.maximum(i, 0)])
        result: np.ndarray = np.where(i >= 0, before[np.maximum(i, 0)] + inside, 0.0)
        return result

    hours: np.ndarray = (cumulative(b) - cumulative(a)) / 3600.0
    hours[missing] = np.nan
    return hours
