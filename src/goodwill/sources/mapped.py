"""Any canonical table from any CSV: ``goodwill import FILE --table NAME --map ... --set ...``.

**mapped-csv** reads a CSV that no adapter knows (a customer-support export, a spreadsheet
of posts, a list of links) into one canonical table, named with ``--table`` (every table of
:mod:`goodwill.model` but ``people``, which is derived). It is never detected: ``--table``
selects it (or ``--format mapped-csv`` with ``[sources.mapped-csv] table = "..."``).

* **columns** — each column of the table is read from the header ``--map column=Header``
  names, else from a header equal to the column's name (case-insensitive; ``created at``
  for ``created_at`` too). ``--map`` naming a column the table lacks is an error listing
  the table's columns.
* **constants** — ``--set column=value`` (repeatable) gives a column one value on every row
  (``--set platform=x``); it wins over a mapped header.
* **values** — timestamps and dates in any spelling :func:`~.csvmap.parse_timestamp`
  knows (Twitter's ``Tue Oct 31 22:10:47 +0000 2017`` included; ``dd/mm`` versus
  ``mm/dd`` judged from the whole column, ``--date-order`` when it cannot be); amounts as
  :func:`~.csvmap.parse_amount` reads them (``1.234,50``, ``$12``); an id column (its name
  ends in ``_id``, or ``in_reply_to``) written as a float by a pandas round trip
  (``3.0``) is read as the integer id (``3``); a true/false column mapped to a
  two-valued column whose header is one of its values (``--map direction=inbound``, header
  ``inbound``) gives that value for true and the other for false.

Everything else is checked by the loader like an interchange file: a missing required value
or a value outside its choices quarantines the row with its line and reason.
"""

from __future__ import annotations

import re
from pathlib import Path

from goodwill.errors import UserInputError
from goodwill.model import CANONICAL_TABLES, Column, table
from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.csvmap import (
    CsvRecord,
    Field,
    date_orders,
    option,
    parse_amount,
    parse_date,
    parse_timestamp,
    read_export,
    value,
)
from goodwill.sources.interchange import LINE_COLUMN

__all__ = ["MAPPED_CSV", "SET_PREFIX", "TABLE_OPTION", "mapped_tables", "read_mapped"]

TABLE_OPTION = "mapped-csv.table"
SET_PREFIX = "mapped-csv.set."

_TRUE = {"true", "yes", "1", "t", "y"}
_FALSE = {"false", "no", "0", "f", "n"}
_FLOAT_ID = re.compile(r"(\d+)\.0+")


def mapped_tables() -> list[str]:
    """The tables ``--table`` may name."""
    return [t.name for t in CANONICAL_TABLES if t.name != "people"]


def _is_id(col: Column) -> bool:
    return col.name.endswith("_id") or col.name == "in_reply_to"


def _convert(col: Column, text: str, header: str, dayfirst: bool) -> str:
    if col.kind == "timestamp":
        return parse_timestamp(text, dayfirst=dayfirst)
    if col.kind == "date":
        return parse_date(text, dayfirst=dayfirst)
    if col.kind == "decimal":
        return str(parse_amount(text))
    if col.kind == "integer":
        return str(parse_amount(text).to_integral_value()) if text.strip() else text
    if col.kind == "enum" and len(col.choices) == 2 and header.casefold() in col.choices:
        flag = text.strip().casefold()
        this = header.casefold()
        if flag in _TRUE:
            return this
        if flag in _FALSE:
            return next(c for c in col.choices if c != this)
    if _is_id(col):
        m = _FLOAT_ID.fullmatch(text.strip())
        if m:
            return m.group(1)
    return text


def read_mapped(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Read ``path`` into the table ``--table`` names (module docstring)."""
    name = option(ctx.options, TABLE_OPTION)
    if name is None:
        raise UserInputError(
            f"{path}: format mapped-csv needs --table NAME (one of {', '.join(mapped_tables())})"
        )
    if name not in mapped_tables():
        raise UserInputError(
            f"--table {name!r}: not a canonical table; one of {', '.join(mapped_tables())}"
        )
    t = table(name)
    columns = {c.name: c for c in t.file_columns}
    constants = {
        k.removeprefix(SET_PREFIX): v for k, v in ctx.options.items() if k.startswith(SET_PREFIX)
    }
    for col in [*constants, *ctx.mapping]:
        if col not in columns:
            raise UserInputError(
                f"--table {name}: {col!r} is not a column of {name}; its columns are "
                f"{', '.join(columns)}"
            )
    fields = tuple(
        Field(
            c.name,
            (c.name, c.name.replace("_", " ")),
            required=c.required and c.name not in constants,
        )
        for c in t.file_columns
    )
    out, csv_file, f = read_export(path, name, fields, ctx.mapping)
    dated = [c.name for c in t.file_columns if c.kind in ("timestamp", "date")]
    dayfirst = date_orders(csv_file, f, dated, ctx.options)
    for rec in csv_file.records:
        try:
            out.add(name, _row(rec, f, columns, constants, csv_file.header, dayfirst))
        except ValueError as exc:
            out.reject(name, rec.line, str(exc), rec.raw)
    return out


def _row(
    rec: CsvRecord,
    f: dict[str, int],
    columns: dict[str, Column],
    constants: dict[str, str],
    header: tuple[str, ...],
    dayfirst: dict[str, bool],
) -> Row:
    row: Row = {LINE_COLUMN: rec.line}
    for col_name, pos in f.items():
        text = value(rec, f, col_name)
        if text is None:
            continue
        try:
            row[col_name] = _convert(
                columns[col_name], text, header[pos], dayfirst.get(col_name, False)
            )
        except ValueError as exc:
            raise ValueError(f"column {header[pos]!r} ({col_name}): {exc}") from None
    row.update(constants)
    return row


def _never(path: Path) -> bool:
    return False


MAPPED_CSV = register(
    Format(
        name="mapped-csv",
        description="Any CSV into the table --table names, columns by --map, constants by --set",
        detect=_never,
        read=read_mapped,
        tables=("any (--table)",),
        docs="docs/sources/mapped-csv.md",
    )
)
