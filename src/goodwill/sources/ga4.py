"""Google Analytics 4 report exports (CSV) → ``traffic_aggregates``.

Many small businesses have GA4 and no access log. GA4's "Download file › Download CSV" of a
report writes a comment block, then one or more sections, each a header row and data rows
ended by a blank line::

    # ----------------------------------------
    # Traffic acquisition
    # Account: Fernhill
    # Property: fernhill.example - GA4
    # ----------------------------------------
    #
    # All Users
    # Start date: 20260401
    # End date: 20260430
    Session primary channel group (Default Channel Group),Date,Sessions,Engaged sessions,...
    Organic Search,20260401,41,30,...

Read here (see ``docs/sources/ga4.md``):

* **Traffic acquisition** — a section whose first column is the session's channel group
  (``Session primary channel group (Default Channel Group)``, or the older ``Session default
  channel group``) → one ``traffic_aggregates`` row (report ``traffic_acquisition``) per
  channel group and period: ``Sessions``, ``Engaged sessions``, ``Total users``/``Users``/
  ``Active users``, ``New users``, ``Key events`` (``Conversions`` before 2024),
  ``Total revenue``.
* **User acquisition** — first column ``First user primary channel group (Default Channel
  Group)`` (or ``First user default channel group``) → report ``user_acquisition`` (users by
  the channel that first brought them: ``Total users``, ``New users``...).

The period of a row is its ``Date`` column (``YYYYMMDD``: one day), its ``Nth day`` /
``Nth week`` column (counted from the export's ``# Start date``; a week ends 6 days later or
at the end date), else the export's whole range (``# Start date`` .. ``# End date``). A
``Grand total`` row is checked against the sum of the rows and left out; other sections (the
chart's series, which hold the top channels only, or other reports of a snapshot) are counted
as skipped. Each channel group is also given the goodwill channel it corresponds to
(:data:`CHANNEL_GROUPS`: ``Organic Social`` → ``social``, ``Paid Search`` → ``paid_search``,
an ``AI assistants`` custom group → ``ai_assistant``, unknown → ``other``).

Revenue stays in the property's currency (the export does not say which): it is not converted.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Final

from goodwill.errors import UserInputError
from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.interchange import LINE_COLUMN
from goodwill.sources.limits import LongLine, lines, open_bytes

__all__ = ["CHANNEL_GROUPS", "FORMAT", "channel_of", "detect", "read"]

TABLE: Final = "traffic_aggregates"
_GROUP_COLUMN: Final = re.compile(
    r"^(?P<who>session|first user) (?:primary|default) channel group", re.IGNORECASE
)
_COMMENT_DATE: Final = re.compile(r"^#\s*(start|end) date:\s*(\d{8})\s*$", re.IGNORECASE)
_COMMENT_PROPERTY: Final = re.compile(r"^#\s*property:\s*(.+?)\s*$", re.IGNORECASE)

CHANNEL_GROUPS: Final[dict[str, str]] = {
    "direct": "direct",
    "organic search": "search",
    "paid search": "paid_search",
    "organic social": "social",
    "paid social": "paid_social",
    "email": "email",
    "referral": "referral",
    "affiliates": "referral",
    "display": "display",
    "paid video": "display",
    "organic video": "social",
    "organic shopping": "search",
    "paid shopping": "paid_search",
    "ai assistant": "ai_assistant",
    "ai assistants": "ai_assistant",
    "ai tools": "ai_assistant",
}
"""GA4 default channel groups (and the usual custom AI group) → goodwill channels; anything
else (Cross-network, Paid Other, Audio, SMS, Mobile Push Notifications, Unassigned) is
``other``."""

_METRICS: Final[dict[str, tuple[str, str]]] = {
    "sessions": ("sessions", "int"),
    "engaged sessions": ("engaged_sessions", "int"),
    "total users": ("users", "int"),
    "users": ("users", "int"),
    "active users": ("users", "int"),
    "new users": ("new_users", "int"),
    "key events": ("key_events", "dec"),
    "conversions": ("key_events", "dec"),
    "total revenue": ("revenue", "dec"),
}
_TOTAL_LABELS: Final = frozenset({"grand total", "total", "totals"})


def channel_of(group: str) -> str:
    """The goodwill channel of a GA4 channel group label."""
    return CHANNEL_GROUPS.get(group.strip().lower(), "other")


def _head(path: Path, n: int = 60, max_bytes: int = 0) -> list[str]:
    """The first ``n`` lines (and, with ``max_bytes``, no more than that many bytes)."""
    out: list[str] = []
    seen = 0
    try:
        with open_bytes(path) as fh:
            for data in lines(fh, 65_536):
                if isinstance(data, LongLine):
                    break
                out.append(data.decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r\n"))
                seen += len(data)
                if len(out) >= n or (max_bytes and seen >= max_bytes):
                    break
    except (OSError, UserInputError):
        return []
    return out


def detect(path: Path) -> bool:
    """A CSV whose first lines are GA4's ``#`` comment block with ``Start date`` and that
    has a channel-group table within its first 16 kB (an *Acquisition overview* download
    puts two "Nth day" sections of users before its channel-group tables)."""
    if not path.is_file() or not path.name.lower().endswith((".csv", ".csv.gz")):
        return False
    head = _head(path, 1000, max_bytes=16_384)
    if not head or not head[0].startswith("#"):
        return False
    dated = any(_COMMENT_DATE.match(h) for h in head)
    return dated and any(_GROUP_COLUMN.match(h.strip('"')) for h in head if h[:1] != "#")


@dataclass
class _Section:
    header: list[str]
    start_line: int
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def _sections(path: Path, meta: dict[str, str]) -> Iterator[_Section]:
    """The sections of the file (comments read into ``meta``)."""
    current: _Section | None = None
    with open_bytes(path) as fh:
        for lineno, data in enumerate(lines(fh), start=1):
            if isinstance(data, LongLine):
                raise UserInputError(
                    f"{path}: line {lineno}: longer than {data.limit:,} bytes "
                    "(setting max_line_bytes); not a GA4 export"
                )
            try:
                text = data.decode("utf-8").lstrip("\ufeff").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                raise UserInputError(
                    f"{path}: line {lineno}: not UTF-8 ({exc.reason}); GA4 writes UTF-8"
                ) from exc
            if text.startswith("#"):
                if m := _COMMENT_DATE.match(text):
                    meta[m[1].lower()] = m[2]
                elif m := _COMMENT_PROPERTY.match(text):
                    meta["property"] = m[1]
                continue
            if not text.strip():
                if current is not None:
                    yield current
                current = None
                continue
            values = next(csv.reader([text]))
            if current is None:
                current = _Section([v.strip() for v in values], lineno)
            else:
                current.rows.append((lineno, values))
    if current is not None:
        yield current


def _day(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8])) if len(text) == 8 else None
    except ValueError:
        return None


def _number(text: str, kind: str) -> str | None:
    """A count (``int``) or amount (``dec``) as text; ``ValueError`` if it is neither."""
    value = text.strip()
    if value in ("", "(not set)"):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(value) from None
    if kind == "int":
        if number != number.to_integral_value():
            raise ValueError(value)
        return str(int(number))
    return str(number)


class _Reader:
    def __init__(self, path: Path, out: AdapterOutput, meta: dict[str, str]) -> None:
        self.path, self.out, self.meta = path, out, meta

    def period(self, header: list[str], values: list[str]) -> tuple[date, date] | str:
        start, end = _day(self.meta.get("start", "")), _day(self.meta.get("end", ""))
        cols = {h.lower(): i for i, h in enumerate(header)}
        if "date" in cols:
            day = _day(values[cols["date"]].strip())
            return (day, day) if day else f"Date {values[cols['date']]!r} is not YYYYMMDD"
        for name, span in (("nth day", 1), ("nth week", 7)):
            if name in cols:
                raw = values[cols[name]].strip()
                if start is None or not raw.isdigit():
                    return f"{name} {raw!r} without a start date in the comments"
                first = start + timedelta(days=int(raw) * span)
                last = first + timedelta(days=span - 1)
                return first, min(last, end) if end else last
        if start is None or end is None:
            return "no Date column and no '# Start date' / '# End date' comment"
        return start, end

    def section(self, sec: _Section) -> None:
        m = _GROUP_COLUMN.match(sec.header[0]) if sec.header else None
        if m is None:
            self.out.skip("ga4: section that is not a channel-group table", len(sec.rows))
            return
        report = "traffic_acquisition" if m["who"].lower() == "session" else "user_acquisition"
        metrics = {
            i: _METRICS[h.lower()] for i, h in enumerate(sec.header) if h.lower() in _METRICS
        }
        if not metrics:
            raise UserInputError(
                f"{self.path}:{sec.start_line}: a GA4 channel-group table without Sessions, "
                "Users or New users columns"
            )
        sums: dict[str, Decimal] = {}
        total: tuple[int, list[str]] | None = None
        for lineno, values in sec.rows:
            raw = ",".join(values)
            if len(values) != len(sec.header):
                why = f"expected {len(sec.header)} fields as in the header, found {len(values)}"
                self.out.reject(TABLE, lineno, why, raw)
                continue
            group = values[0].strip()
            if group.lower() in _TOTAL_LABELS:
                total = (lineno, values)
                continue
            period = self.period(sec.header, values)
            if isinstance(period, str):
                self.out.reject(TABLE, lineno, period, raw)
                continue
            row: Row = {
                "source": "ga4",
                "report": report,
                "period_start": period[0].isoformat(),
                "period_end": period[1].isoformat(),
                "channel_group": group,
                "channel": channel_of(group),
                "property": self.meta.get("property"),
                LINE_COLUMN: lineno,
            }
            try:
                for i, (col, kind) in metrics.items():
                    row[col] = _number(values[i], kind)
            except ValueError as exc:
                self.out.reject(TABLE, lineno, f"{exc} is not a number", raw)
                continue
            for col, _kind in metrics.values():
                if row.get(col) is not None:
                    sums[col] = sums.get(col, Decimal(0)) + Decimal(str(row[col]))
            self.out.add(TABLE, row)
        if total is not None:
            self._check_total(sec, metrics, sums, total)

    def _check_total(
        self,
        sec: _Section,
        metrics: dict[int, tuple[str, str]],
        sums: dict[str, Decimal],
        total: tuple[int, list[str]],
    ) -> None:
        lineno, values = total
        for i, (col, _kind) in metrics.items():
            if col != "sessions" or i >= len(values) or not values[i].strip():
                continue
            if Decimal(values[i].strip()) != sums.get(col, Decimal(0)):
                raise UserInputError(
                    f"{self.path}:{lineno}: the Grand total of Sessions ({values[i].strip()}) "
                    f"is not the sum of the rows ({sums.get(col, 0)}); is a row missing?"
                )
        self.out.skip("ga4: grand total row (checked against the rows)")


def read(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Read a GA4 report export (see the module docstring)."""
    out = AdapterOutput()
    meta: dict[str, str] = {}
    reader = _Reader(path, out, meta)
    for sec in _sections(path, meta):
        reader.section(sec)
    if not out.tables and not out.rejected:
        raise UserInputError(f"{path}: no traffic or user acquisition table in this GA4 export")
    return out


FORMAT = register(
    Format(
        name="ga4",
        description="Google Analytics 4 report export (CSV): traffic acquisition by session "
        "channel group (by day, week or range) and user acquisition",
        detect=detect,
        read=read,
        tables=(TABLE,),
        docs="docs/sources/ga4.md",
    )
)
