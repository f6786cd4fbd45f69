"""Formatting of result tables for the terminal, CSV and JSON (outputs only format)."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
from typing import Any, Literal

import pandas as pd
from rich.console import Console
from rich.table import Table as RichTable

__all__ = [
    "CSV_FORMULA_PREFIXES",
    "OutputFormat",
    "column_blocks",
    "csv_cell",
    "csv_safe",
    "format_value",
    "money",
    "render_frame",
    "to_records",
]

OutputFormat = Literal["table", "csv", "json"]


def _plain(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return float(v)
    if hasattr(v, "item"):  # numpy scalars
        return _plain(v.item())
    try:
        missing = bool(pd.isna(v))
    except (TypeError, ValueError):  # list-like values have no single missing flag
        missing = False
    return None if missing else v


CSV_FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is a formula to a spreadsheet (``=HYPERLINK(...)``,
``@SUM(...)``, ``-2+3``): every CSV goodwill writes prefixes it with ``'`` so it shows as text."""


def csv_cell(value: Any) -> Any:
    """``value`` made safe for a CSV cell: text that a spreadsheet would run as a formula gets a
    leading ``'`` (OWASP's advice); numbers and everything else are kept."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell passed through :func:`csv_cell` (numeric columns kept)."""
    out = df.copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(csv_cell)
    out.columns = [csv_cell(str(c)) for c in out.columns]
    return out


def to_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (dates as ISO strings, NaN as null)."""
    return [{str(k): _plain(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "AUD": "A$", "CAD": "C$"}


def money(value: float, code: str) -> str:
    """``$12,400`` (whole units from 100 up, cents below); other codes as ``CHF 12,400``."""
    sign = "−" if value < 0 else ""
    amount = f"{abs(value):,.0f}" if abs(value) >= 100 else f"{abs(value):,.2f}"
    symbol = _SYMBOLS.get(code)
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{code} {amount}"


def format_value(v: Any, unit: str = "", currency: str | None = None) -> str:
    """A value as a person reads it in a table; with ``currency`` (an ISO 4217 code), money
    (unit ``currency``) as :func:`money` writes it."""
    v = _plain(v)
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if unit == "currency" and currency and isinstance(v, int | float) and math.isfinite(v):
        return money(float(v), currency)
    if isinstance(v, float):
        if unit in ("share", "fraction", "percent"):
            return f"{v:.1%}"
        if v.is_integer() and abs(v) < 1e15:
            return f"{int(v):,}"
        return f"{v:,.2f}" if abs(v) >= 1 else f"{v:.3f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def render_frame(
    df: pd.DataFrame,
    fmt: OutputFormat,
    *,
    console: Console,
    title: str | None = None,
    units: dict[str, str] | None = None,
    currency: str | None = None,
) -> None:
    """Print ``df`` as a rich table, CSV or JSON (one object per row in a list). In a table,
    columns whose unit is ``currency`` are written with ``currency``'s symbol or code; CSV
    and JSON keep the plain numbers."""
    if fmt == "json":
        console.file.write(json.dumps(to_records(df), ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "csv":
        safe = csv_safe(df)
        # Python's csv quotes a field with "\r" only when "\r" ends lines: then use RFC 4180's
        # CRLF, so that no carriage return inside a cell starts a new row
        has_cr = any(
            safe[c].map(lambda v: isinstance(v, str) and "\r" in v).any()
            for c in safe.columns
            if not pd.api.types.is_numeric_dtype(safe[c])
        ) or any("\r" in str(c) for c in safe.columns)
        console.file.write(safe.to_csv(index=False, lineterminator="\r\n" if has_cr else "\n"))
        return
    units = units or {}
    cells = {
        str(c): [format_value(v, units.get(str(c), ""), currency) for v in df[c].tolist()]
        for c in df.columns
    }
    blocks = column_blocks(
        [(str(c), pd.api.types.is_numeric_dtype(df[c]), cells[str(c)]) for c in df.columns],
        console.width,
    )
    for i, block in enumerate(blocks):
        shown = title
        if len(blocks) > 1:  # too wide for the terminal: the columns in parts
            part = f"(columns, part {i + 1} of {len(blocks)}; --wide for one table)"
            shown = f"{title} {part}" if title else part
        table = RichTable(title=shown, show_lines=False, header_style="bold")
        for col in block:
            numeric = pd.api.types.is_numeric_dtype(df[col])
            table.add_column(col, justify="right" if numeric else "left", overflow="fold")
        for r in range(len(df)):
            table.add_row(*(cells[col][r] for col in block))
        console.print(table)


def column_blocks(columns: list[tuple[str, bool, list[str]]], width: int) -> list[list[str]]:
    """The columns ``(name, numeric, cells)`` of a table in blocks that each fit ``width``
    characters: one block when all fit; otherwise the leading text columns (the row's key,
    e.g. period and platform) start every block and the other columns are spread over as
    many blocks as needed, in order, so no cell is cut (``goodwill --wide`` prints one)."""

    def need(name: str, numeric: bool, values: list[str]) -> int:
        longest = max([len(line) for v in values for line in v.splitlines()] or [0])
        natural = max(len(name), longest)
        return (natural if numeric else min(natural, 24)) + 3  # padding, border; text wraps

    widths = {name: need(name, numeric, values) for name, numeric, values in columns}
    names = [name for name, _, _ in columns]
    if sum(widths.values()) + 1 <= width or len(names) < 2:
        return [names]
    keys: list[str] = []
    for name, numeric, _ in columns:
        if (
            numeric
            or len(keys) == 2
            or (keys and sum(widths[k] for k in [*keys, name]) > width // 2)
        ):
            break
        keys.append(name)
    rest = [n for n in names if n not in keys]
    blocks: list[list[str]] = []
    used = sum(widths[k] for k in keys) + 1
    current: list[str] = []
    for name in rest:
        if current and used + sum(widths[c] for c in current) + widths[name] > width:
            blocks.append([*keys, *current])
            current = []
        current.append(name)
    blocks.append([*keys, *current])
    return blocks
