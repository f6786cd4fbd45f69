"""Reading the CSV files that CRMs, shops, mail tools and insights pages export.

One reader for every business export, so that each adapter only says which columns it wants:

* **encoding** — a UTF-8 byte order mark is dropped; a UTF-16 file (LE or BE, with its BOM:
  Excel's "Unicode text" and some insights exports) is decoded as UTF-16; other files are
  UTF-8, and a file that is not valid UTF-8 is read as Windows-1252 (what Excel on Windows
  writes), which :attr:`CsvFile.encoding` records.
* **delimiter** — comma, semicolon (spreadsheets in locales with a decimal comma) or tab,
  whichever the header line holds most of outside quotes.
* **header** — the first row among the first :data:`HEADER_SEARCH_ROWS` non-empty rows that
  holds at least one of the adapter's known headers (some exports put a title line above it);
  a description row right under the header (Facebook and LinkedIn insights exports) is
  dropped when the adapter's ``description_row`` predicate says so.
* **records** — each has its 1-based physical line; a record with another number of fields
  than the header is rejected with its line, the reason and its raw text, and the rest loads
  (even empty extra cells: an unquoted comma shifts every later column).
* **mapping** — each adapter declares its :class:`Field` names with default headers (matched
  case-insensitively, ignoring surrounding spaces); ``--map field=Header,...`` overrides
  them. A mapped header that the file lacks is a :class:`~goodwill.errors.UserInputError`
  naming the file, the header and the headers the file has.

Value parsers (:func:`parse_amount`, :func:`parse_timestamp`, :func:`parse_date`) raise
:class:`ValueError` with a message that the adapters use as the quarantine reason.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from goodwill.errors import UserInputError
from goodwill.sources.adapters import AdapterOutput
from goodwill.sources.spreadsheet import is_workbook, pick_sheet

__all__ = [
    "HEADER_SEARCH_ROWS",
    "CsvFile",
    "CsvRecord",
    "Field",
    "Fields",
    "date_orders",
    "head_text",
    "header_names",
    "name_sheet",
    "option",
    "parse_amount",
    "parse_date",
    "parse_timestamp",
    "read_csv",
    "read_export",
    "resolve_fields",
    "value",
]

log = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 10
"""How many leading non-empty rows may come before the header."""

_DELIMITERS = (",", ";", "\t")


def _decode_lines(data: bytes) -> tuple[str, str, list[int]]:
    """Text, encoding and the 1-based lines read as Windows-1252: a file that is not valid
    UTF-8 is decoded line by line, so one invalid byte (a line pasted from Excel) does not
    turn every accented name of the other lines into mojibake."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    with contextlib.suppress(UnicodeDecodeError):  # the whole file is UTF-8: the usual case
        return data.decode("utf-8"), "utf-8", []
    parts: list[str] = []
    fallback: list[int] = []
    for n, raw in enumerate(data.split(b"\n"), 1):
        try:
            parts.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            parts.append(raw.decode("cp1252", errors="replace"))
            fallback.append(n)
    utf8_lines = sum(1 for raw in data.split(b"\n") if not raw.isascii()) - len(fallback)
    return "\n".join(parts), "cp1252" if utf8_lines == 0 else "utf-8+cp1252", fallback


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    text, encoding, _ = _decode_lines(data)
    return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else encoding


def head_text(path: Path, size: int = 4096) -> str:
    """The first ``size`` bytes of ``path`` as text (for cheap format detection); ``""`` when
    the path is not a readable file, and for an Excel workbook (binary: detectors that read
    workbooks use :func:`goodwill.sources.spreadsheet.sheet_heads`)."""
    try:
        if not path.is_file() or is_workbook(path):
            return ""
        with path.open("rb") as fh:
            data = fh.read(size)
    except OSError:
        return ""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = data[: len(data) - len(data) % 2]
    text, _ = _decode(data)
    return text


def _sniff_delimiter(text: str) -> str:
    """The delimiter that the most delimited of the first non-empty lines holds most of
    (outside quotes): a title line above the header (Google Ads' "Campaign report") has
    none."""
    lines = [ln for ln in text.splitlines()[: HEADER_SEARCH_ROWS + 2] if ln.strip()]
    counts = dict.fromkeys(_DELIMITERS, 0)
    for line in lines[:HEADER_SEARCH_ROWS]:
        unquoted = re.sub(r'"[^"]*"', "", line)
        for d in _DELIMITERS:
            counts[d] = max(counts[d], unquoted.count(d))
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _norm(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").split()).casefold()


@dataclass(frozen=True)
class CsvRecord:
    """One data record: its first and last physical lines and its fields."""

    line: int
    values: tuple[str, ...]
    end: int = 0
    lines: Sequence[str] = field(default=(), repr=False, compare=False)
    """The file's lines (shared by all records), for :attr:`raw`."""

    @property
    def raw(self) -> str:
        """The record as it stands in the file."""
        return "\n".join(self.lines[self.line - 1 : max(self.end, self.line)]).rstrip("\r")


@dataclass
class CsvFile:
    """A parsed export: header, records and how it was read."""

    path: Path
    header: tuple[str, ...]
    header_line: int
    records: list[CsvRecord] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","
    description_line: int | None = None
    fallback_lines: list[int] = field(default_factory=list)
    """Lines that were not valid UTF-8 and were read as Windows-1252 (logged as a warning)."""
    sheet: str | None = None
    """The sheet read, when the file is an Excel workbook (its records' lines are rows of it)."""

    def index(self) -> dict[str, int]:
        """Normalised header -> position (the first of duplicated headers wins)."""
        out: dict[str, int] = {}
        for i, h in enumerate(self.header):
            out.setdefault(_norm(h), i)
        return out


def _records(text: str, delimiter: str) -> Iterator[tuple[int, int, list[str] | str]]:
    """(first line, last line, fields) of each non-blank record; a record the csv module
    cannot read gives its error message instead of fields."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    last = 0
    while True:
        start = last + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            last = reader.line_num
            yield start, last, str(exc)
            continue
        last = reader.line_num
        if "".join(values).strip():
            yield start, last, values


def read_csv(
    path: Path,
    out: AdapterOutput,
    table: str,
    *,
    known_headers: Sequence[str] = (),
    description_row: Callable[[CsvFile, Sequence[str]], bool] | None = None,
) -> CsvFile:
    """Read ``path``; malformed records go to ``out.rejected[table]`` with line and reason.

    An Excel workbook (``.xls``, ``.xlsx``) is read as its sheet with the most of
    ``known_headers`` in its header row (:mod:`goodwill.sources.spreadsheet`); each record's
    line is its row in that sheet.

    Raises :class:`UserInputError` for a file without a header row."""
    if is_workbook(path):
        return _read_workbook(path, out, table, known_headers, description_row)
    data = path.read_bytes()
    fallback: list[int] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _decode(data)
    else:
        text, encoding, fallback = _decode_lines(data)
        if data.startswith(codecs.BOM_UTF8) and encoding == "utf-8":
            encoding = "utf-8-sig"
    if fallback:
        shown = ", ".join(map(str, fallback[:10])) + (" ..." if len(fallback) > 10 else "")
        what = "the file is" if encoding == "cp1252" else f"{len(fallback)} line(s) are"
        log.warning(
            "%s: %s not valid UTF-8 and were read as Windows-1252 (line %s); check accented "
            "names there",
            path,
            what,
            shown,
        )
    delimiter = _sniff_delimiter(text)
    lines = text.split("\n")
    csv_file = CsvFile(
        path=path,
        header=(),
        header_line=0,
        encoding=encoding,
        delimiter=delimiter,
        fallback_lines=fallback,
    )
    return _read_records(
        csv_file, _records(text, delimiter), lines, out, table, known_headers, description_row
    )


def _read_workbook(
    path: Path,
    out: AdapterOutput,
    table: str,
    known_headers: Sequence[str],
    description_row: Callable[[CsvFile, Sequence[str]], bool] | None,
) -> CsvFile:
    name, grid = pick_sheet(path, known_headers)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="")
    lines: list[str] = []
    for row in grid:
        buf.seek(0)
        buf.truncate()
        writer.writerow(row)
        lines.append(buf.getvalue())
    rows = ((n, n, row) for n, row in enumerate(grid, 1) if "".join(row).strip())
    csv_file = CsvFile(
        path=path, header=(), header_line=0, encoding=path.suffix.lower().lstrip("."), sheet=name
    )
    try:
        return _read_records(csv_file, rows, lines, out, table, known_headers, description_row)
    except UserInputError as exc:
        raise UserInputError(f"{exc} (sheet {name!r})") from exc


def _read_records(
    csv_file: CsvFile,
    rows: Iterator[tuple[int, int, list[str] | str]],
    lines: Sequence[str],
    out: AdapterOutput,
    table: str,
    known_headers: Sequence[str],
    description_row: Callable[[CsvFile, Sequence[str]], bool] | None,
) -> CsvFile:
    """The header row among the first records, then every record checked against it."""
    path = csv_file.path
    known = {_norm(h) for h in known_headers}
    header: list[str] | None = None
    header_line = 0
    for seen, (line, _, values) in enumerate(rows, 1):
        if isinstance(values, list) and (not known or any(_norm(v) in known for v in values)):
            header, header_line = values, line
            break
        if seen >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        raise UserInputError(
            f"{path}: no header row found in the first {HEADER_SEARCH_ROWS} rows "
            f"(expected columns such as {', '.join(list(known_headers)[:4])})"
        )
    csv_file.header = tuple(h.strip().lstrip("\ufeff") for h in header)
    csv_file.header_line = header_line
    n = len(header)
    first = True
    for line, end, values in rows:
        rec = CsvRecord(line=line, values=(), end=end, lines=lines)
        if isinstance(values, str):
            out.reject(table, line, f"unreadable CSV record: {values}", rec.raw)
            continue
        if first and description_row is not None and description_row(csv_file, values):
            csv_file.description_line = line
            out.skip("description row under the header")
            first = False
            continue
        first = False
        if len(values) != n:
            reason = f"expected {n} fields as in the header, found {len(values)}"
            out.reject(table, line, reason, rec.raw)
            continue
        csv_file.records.append(CsvRecord(line=line, values=tuple(values), end=end, lines=lines))
    return csv_file


def name_sheet(out: AdapterOutput, csv_file: CsvFile) -> None:
    """When ``csv_file`` is a workbook's sheet, name the sheet as the ``file`` of every row
    and rejected record in ``out`` (quarantine shows ``visitors.xls``, ``Visitor metrics``,
    line 7: the sheet's row 7). Call after the adapter has read the whole file."""
    if csv_file.sheet is not None:
        out.mark_file(csv_file.sheet, {})


@dataclass(frozen=True)
class Field:
    """One value an adapter reads: a name for ``--map`` and the headers it is found under."""

    name: str
    headers: tuple[str, ...]
    required: bool = False


def option(options: Mapping[str, str], *keys: str) -> str | None:
    """The first of ``keys`` set in the adapter options (``[sources]`` of goodwill.toml,
    flattened: ``[sources.linkedin] handle = "x"`` is ``linkedin.handle``)."""
    for key in keys:
        found = options.get(key)
        if found is not None and found.strip():
            return found.strip()
    return None


def header_names(fields: Sequence[Field], mapping: Mapping[str, str]) -> list[str]:
    """Every header the fields may be found under, the ``--map`` ones included (for finding
    the header row)."""
    return [h for f in fields for h in f.headers] + list(mapping.values())


Fields = Mapping[str, int]
"""Field name -> column position in the file (fields not found are absent)."""


def read_export(
    path: Path,
    table: str,
    fields: Sequence[Field],
    mapping: Mapping[str, str],
    *,
    extra: Callable[[str], bool] | None = None,
    description_row: Callable[[CsvFile, Sequence[str]], bool] | None = None,
) -> tuple[AdapterOutput, CsvFile, dict[str, int]]:
    """:func:`read_csv` then :func:`resolve_fields`: a new output (malformed records rejected
    under ``table``), the file and where each field is."""
    out = AdapterOutput()
    csv_file = read_csv(
        path,
        out,
        table,
        known_headers=header_names(fields, mapping),
        description_row=description_row,
    )
    try:
        return out, csv_file, resolve_fields(csv_file, fields, mapping, extra=extra)
    except UserInputError as exc:
        if csv_file.sheet is None:
            raise
        raise UserInputError(
            f"{exc} (read from sheet {csv_file.sheet!r}: of the workbook's sheets, its header "
            "row has the most of the expected columns)"
        ) from exc


def resolve_fields(
    csv_file: CsvFile,
    fields: Sequence[Field],
    mapping: Mapping[str, str],
    *,
    extra: Callable[[str], bool] | None = None,
) -> dict[str, int]:
    """Where each field is in ``csv_file``: ``--map`` first, then the default headers.

    ``extra`` accepts field names beyond ``fields`` that ``--map`` may name (for example
    ``handle:<platform>``)."""
    index = csv_file.index()
    names = {f.name for f in fields}
    have = ", ".join(repr(h) for h in csv_file.header)
    out: dict[str, int] = {}
    for name, header in mapping.items():
        if name not in names and not (extra is not None and extra(name)):
            raise UserInputError(
                f"--map {name}={header}: {name!r} is not a field of this format; "
                f"valid fields: {', '.join(sorted(names))}"
            )
        pos = index.get(_norm(header))
        if pos is None:
            raise UserInputError(
                f"{csv_file.path}: --map {name}={header}: the file has no column {header!r}; "
                f"its columns are {have}"
            )
        out[name] = pos
    for f in fields:
        if f.name in out:
            continue
        pos = next((index[_norm(h)] for h in f.headers if _norm(h) in index), None)
        if pos is not None:
            out[f.name] = pos
        elif f.required:
            raise UserInputError(
                f"{csv_file.path}: no column for {f.name!r} (looked for "
                f"{', '.join(repr(h) for h in f.headers)}); its columns are {have}; "
                f"name one with --map {f.name}=<header>"
            )
    return out


def value(record: CsvRecord, fields: Fields, name: str) -> str | None:
    """The stripped value of field ``name`` in ``record``; ``None`` when absent or empty."""
    pos = fields.get(name)
    if pos is None:
        return None
    v = record.values[pos].strip()
    return v or None


_CURRENCY_MARKS = re.compile(r"[$€£¥₹\s\u00a0\u202f']|\b[A-Z]{3}\b")
_PLAIN = re.compile(r"-?\d+(\.\d+)?")
_THOUSANDS_COMMA = re.compile(r"\d{1,3}(,\d{3})+")
_THOUSANDS_DOT = re.compile(r"\d{1,3}(\.\d{3}){2,}")
_NUMBER = re.compile(r"\d+(\.\d+)?|\.\d+")


def parse_amount(text: str) -> Decimal:
    """A money amount as exports write it: ``1,234.50``, ``1.234,50``, ``1 234,50``,
    ``$12.00``, ``12.00 EUR``, ``(12.00)`` or ``-12`` (negative). Raises ValueError."""
    s = text.strip()
    if _PLAIN.fullmatch(s):
        return Decimal(s)
    negative = s.startswith("(") and s.endswith(")")
    if negative:
        s = s[1:-1]
    s = _CURRENCY_MARKS.sub("", s)
    if s.startswith("-"):
        negative, s = not negative, s[1:]
    if "," in s and "." in s:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if dec == "," else ",", "").replace(",", ".")
    elif "," in s:
        s = s.replace(",", "") if _THOUSANDS_COMMA.fullmatch(s) else s.replace(",", ".")
    elif _THOUSANDS_DOT.fullmatch(s):
        s = s.replace(".", "")
    if not _NUMBER.fullmatch(s):
        raise ValueError(f"not an amount: {text!r}")
    try:
        amount = Decimal(s)
    except InvalidOperation:
        raise ValueError(f"not an amount: {text!r}") from None
    return -amount if negative else amount


_TS_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M %z",
    "%Y-%m-%d %I:%M %p",
    "%Y-%m-%d %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y",
    "%m/%d/%y %H:%M",
    "%m/%d/%y",
    "%b %d, %Y %I:%M %p",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %B %Y",
    "%a %b %d %H:%M:%S %z %Y",
    "%d %b %Y %H:%M",
    "%d %b %Y",
)
_DAYFIRST_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
)


def _parse_dt(text: str, dayfirst: bool) -> datetime:
    s = " ".join(text.strip().split())
    if not s:
        raise ValueError("empty date")
    iso = s[:-1] + "+00:00" if s.endswith(("Z", "z")) else s
    with contextlib.suppress(ValueError):  # not ISO 8601: try the export spellings below
        return datetime.fromisoformat(iso)
    formats = (*_DAYFIRST_FORMATS, *_TS_FORMATS) if dayfirst else _TS_FORMATS
    for fmt in formats:
        try:
            return datetime.strptime(s, fmt)
        except ValueError:
            continue
    raise ValueError(f"not a date/time: {text!r}")


def parse_timestamp(text: str, *, dayfirst: bool = False) -> str:
    """ISO 8601 text for a timestamp as exports write it (ISO with or without offset or
    ``Z``; ``2026-03-01 10:00:00 -0500``; ``03/01/2026 10:00 AM``; ``Mar 1, 2026``...). A
    value without an offset stays naive (UTC, as the model says). ``dayfirst`` reads
    ``01/03/2026`` as 1 March. Raises ValueError."""
    return _parse_dt(text, dayfirst).isoformat()


def parse_date(text: str, *, dayfirst: bool = False) -> str:
    """``YYYY-MM-DD`` for a date (or the date part of a timestamp). Raises ValueError."""
    dt = _parse_dt(text, dayfirst)
    return date(dt.year, dt.month, dt.day).isoformat()


DATE_ORDER_OPTION = "date-order"
"""``--date-order`` (or ``date-order`` under ``[sources]``): ``dmy`` or ``mdy``."""

_DATE_ORDERS = {"dmy": True, "day-first": True, "mdy": False, "month-first": False}
_SLASH_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/\d{2,4}(?!\d)")


def date_orders(
    csv_file: CsvFile, fields: Fields, names: Sequence[str], options: Mapping[str, str]
) -> dict[str, bool]:
    """Whether each date field in ``names`` is day-first (``dd/mm/yyyy``), judged from all
    the column's values: a first part above 12 makes it day-first, a second part above 12
    month-first. A column whose every ``a/b/yyyy`` value has both parts at most 12 (and some
    differ) could be either: :class:`UserInputError` asking for ``--date-order``, unless the
    option says which. A column with both kinds of values is an error too. ISO and
    named-month dates need no order."""
    forced_text = option(options, DATE_ORDER_OPTION, "date_order")
    forced: bool | None = None
    if forced_text is not None:
        if forced_text.casefold() not in _DATE_ORDERS:
            raise UserInputError(
                f"--date-order {forced_text!r}: expected dmy (day first) or mdy (month first)"
            )
        forced = _DATE_ORDERS[forced_text.casefold()]
    out: dict[str, bool] = {}
    for name in names:
        pos = fields.get(name)
        if pos is None:
            continue
        header = csv_file.header[pos]
        day: tuple[str, int] | None = None
        month: tuple[str, int] | None = None
        ambiguous: tuple[str, int] | None = None
        for rec in csv_file.records:
            m = _SLASH_DATE.match(rec.values[pos])
            if m is None:
                continue
            a, b = int(m.group(1)), int(m.group(2))
            if a > 12 and day is None:
                day = (rec.values[pos].strip(), rec.line)
            elif b > 12 and month is None:
                month = (rec.values[pos].strip(), rec.line)
            elif a != b and a <= 12 and b <= 12 and ambiguous is None:
                ambiguous = (rec.values[pos].strip(), rec.line)
        if forced is not None:
            out[name] = forced
        elif day is not None and month is not None:
            raise UserInputError(
                f"{csv_file.path}: column {header!r} has day-first dates ({day[0]!r}, line "
                f"{day[1]}) and month-first dates ({month[0]!r}, line {month[1]}); fix the "
                "column or say which order to use with --date-order dmy or --date-order mdy"
            )
        elif day is not None or month is not None:
            out[name] = day is not None
        elif ambiguous is not None:
            raise UserInputError(
                f"{csv_file.path}: column {header!r}: dates such as {ambiguous[0]!r} (line "
                f"{ambiguous[1]}) can be day-first or month-first and no value in the column "
                "settles it; say which with --date-order dmy (day first) or --date-order mdy "
                "(month first)"
            )
        else:
            out[name] = False
    return out
