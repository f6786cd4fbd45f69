"""Costs: a CSV of spend and staff hours, and recurring tool subscriptions from goodwill.toml.

**costs-csv** — one row per expense or block of staff time. Columns (``--map`` names, then the
default headers, matched case-insensitively):

============  =====================================================================
field         headers
============  =====================================================================
id            ID, Cost ID — optional; without it the id is a hash of the period,
              category, platform, campaign and note (the *n*-th identical row of a
              file gets ``#n``), so a corrected amount replaces the old row on re-import
date          Date, Day — a one-day cost
period_start  Period Start, Start, From — with period_end: an inclusive period
period_end    Period End, End, To
month         Month, Period — ``YYYY-MM`` (the whole month) or a date
category      Category, Type (required) — staff, tools, prizes, ads, content, other
              (also: tool, software, subscription, prize, giveaway, ad, advertising)
amount        Amount, Cost, Spend — ``1,234.50``, ``12,50``, ``$12`` ...
currency      Currency — ISO 4217; empty: the reporting currency
hours         Hours — staff time
platform      Platform, Channel
campaign      Campaign
note          Note, Description, Memo — only used for the id
============  =====================================================================

**Staff hours become money** with the one staff rate goodwill has, ``[scorecard] hourly_rate``
in goodwill.toml (the rate ROI applies too): a staff row with hours and no amount gets
``amount = hours × hourly_rate`` in the reporting currency; a row with an amount keeps it
(and ``goodwill roi`` still values staff hours at the rate when one is set). A staff row with
hours, no amount and no rate is quarantined saying so.

**costs-tools** — ``goodwill import goodwill.toml`` (or any TOML file holding the same
section) expands each recurring subscription into one cost row per calendar month::

    [[costs.tools]]
    name = "scheduler"          # required; part of the row id
    monthly = 49                # required: the price per month
    currency = "USD"            # optional: default the reporting currency
    platform = "mastodon"       # optional
    since = "2026-01"           # required: first month (YYYY-MM or a date in it)
    until = "2026-12"           # optional: last month; default the current month

(``[sources.costs-tools] today = "YYYY-MM-DD"`` sets the day the current month is taken
from; tests use it.) The rows are ``tools-<YYYY-MM>-<name>`` for whole months, so
re-importing (after a month has passed) adds only the new months and changes nothing else.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from calendar import monthrange
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from goodwill.errors import UserInputError
from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.csvmap import (
    CsvRecord,
    Field,
    Fields,
    date_orders,
    head_text,
    option,
    parse_amount,
    parse_date,
    read_export,
    value,
)
from goodwill.sources.interchange import LINE_COLUMN

__all__ = [
    "CATEGORY_ALIASES",
    "COSTS_CSV",
    "COSTS_TOOLS",
    "FIELDS",
    "hourly_rate",
    "read_costs_csv",
    "read_tools",
    "tool_rows",
]

FIELDS: tuple[Field, ...] = (
    Field("id", ("ID", "Cost ID", "cost_id")),
    Field("date", ("Date", "Day")),
    Field("period_start", ("Period Start", "period_start", "Start", "From")),
    Field("period_end", ("Period End", "period_end", "End", "To")),
    Field("month", ("Month", "Period")),
    Field("category", ("Category", "Type"), required=True),
    Field("amount", ("Amount", "Cost", "Spend")),
    Field("currency", ("Currency",)),
    Field("hours", ("Hours",)),
    Field("platform", ("Platform", "Channel")),
    Field("campaign", ("Campaign",)),
    Field("note", ("Note", "Description", "Memo")),
)

CATEGORY_ALIASES: Mapping[str, str] = {
    "staff": "staff",
    "time": "staff",
    "tools": "tools",
    "tool": "tools",
    "software": "tools",
    "subscription": "tools",
    "prizes": "prizes",
    "prize": "prizes",
    "giveaway": "prizes",
    "ads": "ads",
    "ad": "ads",
    "advertising": "ads",
    "content": "content",
    "other": "other",
}


def hourly_rate() -> Decimal | None:
    """The staff rate: ``[scorecard] hourly_rate`` of the goodwill.toml that
    :func:`goodwill.config.load_config` finds (the rate ROI uses; there is no other)."""
    from goodwill.attribution.scorecard_config import load_scorecard_config
    from goodwill.config import load_config

    rate = load_scorecard_config(load_config().path).hourly_rate
    return None if rate is None else Decimal(str(rate))


def _month_bounds(ym: str) -> tuple[str, str]:
    year, month = int(ym[:4]), int(ym[5:7])
    return date(year, month, 1).isoformat(), date(
        year, month, monthrange(year, month)[1]
    ).isoformat()


def _period(rec: CsvRecord, f: Fields, dayfirst: bool = False) -> tuple[str, str]:
    day = value(rec, f, "date")
    month = value(rec, f, "month")
    if day is not None and re.fullmatch(r"\d{4}[-/]\d{2}", day):
        day, month = None, day  # a month in the date column
    if day is not None:
        d = parse_date(day, dayfirst=dayfirst)
        return d, d
    if month is not None:
        if len(month) == 7 and month[4] in "-/" and month[:4].isdigit() and month[5:].isdigit():
            return _month_bounds(month[:4] + "-" + month[5:])
        d = parse_date(month, dayfirst=dayfirst)
        return _month_bounds(d[:7])
    start, end = value(rec, f, "period_start"), value(rec, f, "period_end")
    if start is None:
        raise ValueError("no date, month or period start")
    first = parse_date(start, dayfirst=dayfirst)
    last = parse_date(end, dayfirst=dayfirst) if end is not None else first
    if last < first:
        raise ValueError(f"period ends ({last}) before it starts ({first})")
    return first, last


def _row(
    rec: CsvRecord, f: Fields, rate: Callable[[], Decimal | None], dayfirst: bool = False
) -> Row:
    raw_cat = (value(rec, f, "category") or "").casefold()
    category = CATEGORY_ALIASES.get(raw_cat)
    if category is None:
        valid = ", ".join(sorted(set(CATEGORY_ALIASES.values())))
        raise ValueError(f"category {raw_cat!r} is not one of {valid}")
    first, last = _period(rec, f, dayfirst)
    hours_text = value(rec, f, "hours")
    hours = parse_amount(hours_text) if hours_text is not None else None
    amount_text = value(rec, f, "amount")
    currency = value(rec, f, "currency")
    if amount_text is not None:
        amount = parse_amount(amount_text)
    elif hours is not None and category == "staff":
        staff_rate = rate()
        if staff_rate is None:
            raise ValueError(
                "staff hours without an amount, and no [scorecard] hourly_rate in goodwill.toml "
                "to value them"
            )
        amount, currency = hours * staff_rate, None
    else:
        raise ValueError("no amount")
    return {
        "cost_id": value(rec, f, "id"),
        "period_start": first,
        "period_end": last,
        "category": category,
        "amount": str(amount),
        "currency": currency,
        "hours": None if hours is None else str(hours),
        "platform": value(rec, f, "platform"),
        "campaign": value(rec, f, "campaign"),
        LINE_COLUMN: rec.line,
    }


def _auto_id(row: Row, note: str | None, seen: dict[str, int]) -> str:
    parts = [row["period_start"], row["period_end"], row["category"], row["platform"]]
    parts += [row["campaign"], note]
    digest = hashlib.sha1("\x1f".join(str(p or "") for p in parts).encode()).hexdigest()[:16]
    seen[digest] = seen.get(digest, 0) + 1
    n = seen[digest]
    return f"cost-{digest}" + (f"#{n}" if n > 1 else "")


def read_costs_csv(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Read a spend/hours CSV into ``costs`` rows (module docstring)."""
    out, csv_file, f = read_export(path, "costs", FIELDS, ctx.mapping)
    rate = functools.cache(hourly_rate)  # read goodwill.toml only if a row needs the rate
    seen: dict[str, int] = {}
    names = ("date", "month", "period_start", "period_end")
    dayfirst = any(date_orders(csv_file, f, names, ctx.options).values())
    for rec in csv_file.records:
        try:
            row = _row(rec, f, rate, dayfirst)
        except ValueError as exc:
            out.reject("costs", rec.line, str(exc), rec.raw)
            continue
        if row["cost_id"] is None:
            row["cost_id"] = _auto_id(row, value(rec, f, "note"), seen)
        out.add("costs", row)
    return out


def _detect_csv(path: Path) -> bool:
    if not path.name.lower().endswith((".csv", ".tsv", ".txt")) or path.stem == "costs":
        return False
    first = next((ln for ln in head_text(path).splitlines() if ln.strip()), "").casefold()
    return "category" in first and ("amount" in first or "hours" in first)


# -- recurring tools -----------------------------------------------------------------------


def _ym(text: object, where: str) -> str:
    s = str(text)
    try:
        return parse_date(s + "-01" if len(s) == 7 else s)[:7]
    except ValueError:
        raise UserInputError(f"{where}: {s!r} is not a month (YYYY-MM) or a date") from None


def tool_rows(tools: object, where: str, *, today: date | None = None) -> list[Row]:
    """Monthly ``costs`` rows for a ``[[costs.tools]]`` list (module docstring)."""
    if not isinstance(tools, list):
        raise UserInputError(f"{where}: [[costs.tools]] must be a list of tables")
    current = (today or datetime.now(UTC).date()).isoformat()[:7]
    rows: list[Row] = []
    allowed = {"name", "monthly", "currency", "platform", "since", "until", "campaign"}
    for i, tool in enumerate(tools, 1):
        here = f"{where}: [[costs.tools]] #{i}"
        if not isinstance(tool, dict):
            raise UserInputError(f"{here} must be a table")
        unknown = sorted(set(tool) - allowed)
        if unknown:
            raise UserInputError(
                f"{here}: unknown key(s) {', '.join(unknown)}; valid: {', '.join(sorted(allowed))}"
            )
        for key in ("name", "monthly", "since"):
            if key not in tool:
                raise UserInputError(
                    f"{here}: missing {key!r} (name, monthly and since are needed)"
                )
        try:
            monthly = parse_amount(str(tool["monthly"]))
        except ValueError:
            raise UserInputError(f"{here}: monthly {tool['monthly']!r} is not an amount") from None
        first = _ym(tool["since"], f"{here} since")
        last = _ym(tool["until"], f"{here} until") if "until" in tool else current
        year, month = int(first[:4]), int(first[5:])
        while f"{year:04d}-{month:02d}" <= last:
            ym = f"{year:04d}-{month:02d}"
            start, end = _month_bounds(ym)
            rows.append(
                {
                    "cost_id": f"tools-{ym}-{tool['name']}",
                    "period_start": start,
                    "period_end": end,
                    "category": "tools",
                    "amount": str(monthly),
                    "currency": str(tool["currency"]) if "currency" in tool else None,
                    "hours": None,
                    "platform": str(tool["platform"]) if "platform" in tool else None,
                    "campaign": str(tool["campaign"]) if "campaign" in tool else None,
                    LINE_COLUMN: i,
                }
            )
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rows


def read_tools(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Expand ``[[costs.tools]]`` of a TOML file into monthly ``costs`` rows."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UserInputError(f"{path}: invalid TOML: {exc}") from exc
    today_text = option(ctx.options, "costs-tools.today")
    today = date.fromisoformat(today_text) if today_text else None
    section = data.get("costs", {})
    out = AdapterOutput()
    out.extend("costs", tool_rows(section.get("tools", []), str(path), today=today))
    return out


def _detect_tools(path: Path) -> bool:
    return path.suffix.lower() == ".toml" and "[[costs.tools]]" in head_text(path, 65536)


COSTS_CSV = register(
    Format(
        name="costs-csv",
        description="Spend and staff hours CSV (date or period, category, amount, hours, ...)",
        detect=_detect_csv,
        read=read_costs_csv,
        tables=("costs",),
        docs="docs/sources/business.md#costs",
    )
)

COSTS_TOOLS = register(
    Format(
        name="costs-tools",
        description="Recurring tool subscriptions (costs.tools in goodwill.toml), one row a month",
        detect=_detect_tools,
        read=read_tools,
        tables=("costs",),
        docs="docs/sources/business.md#recurring-tools",
    )
)
