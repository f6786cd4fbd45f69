"""Reading Excel workbooks (``.xls``, ``.xlsx``) as the rows of one sheet.

LinkedIn's page analytics exports (followers, content, visitors) are workbooks of several
sheets ("New followers", "Location", ...; "Metrics", "All posts"; "Visitor metrics", ...).
:mod:`goodwill.sources.csvmap` reads such a file like a CSV: it takes the sheet whose header
row holds the most of the adapter's known headers (:func:`pick_sheet`), and each record's line
is its 1-based row in that sheet.

* **Which library**: the file's first bytes decide, not its name — an OLE2 compound file
  (``D0 CF 11 E0``, the ``.xls`` Excel 97-2003 binary) is read with ``xlrd`` (2.x reads only
  these); a zip (``PK``, Office Open XML) with ``openpyxl`` in read-only mode. Anything else
  named ``.xls``/``.xlsx`` (an HTML table saved with an Excel name) is a
  :class:`~goodwill.errors.UserInputError` naming the file.
* **Cells as text**: a whole number is written without a decimal point (``19.0`` -> ``19``),
  a date cell as ``YYYY-MM-DD`` (``YYYY-MM-DD HH:MM:SS`` when it has a time), an empty cell
  as ``""``; text is kept as it is (LinkedIn writes its dates as ``MM/DD/YYYY`` text).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path

from goodwill.errors import UserInputError

__all__ = ["WORKBOOK_SUFFIXES", "Sheet", "is_workbook", "pick_sheet", "read_sheets", "sheet_heads"]

WORKBOOK_SUFFIXES = (".xls", ".xlsx")

Sheet = tuple[str, list[list[str]]]
"""A sheet's name and its rows, every cell as text."""

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER_ROWS = 10  # as csvmap.HEADER_SEARCH_ROWS: how far down a sheet the header may be


def is_workbook(path: Path) -> bool:
    """Whether ``path`` is named as an Excel workbook."""
    return path.suffix.lower() in WORKBOOK_SUFFIXES


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time() else cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def _read_xls(path: Path, limit: int | None) -> list[Sheet]:
    import xlrd

    book = xlrd.open_workbook(str(path), on_demand=True)
    try:
        sheets: list[Sheet] = []
        for index in range(book.nsheets):
            sh = book.sheet_by_index(index)
            rows: list[list[str]] = []
            for r in range(sh.nrows if limit is None else min(sh.nrows, limit)):
                row: list[str] = []
                for c in range(sh.ncols):
                    cell = sh.cell(r, c)
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        row.append(_text(xlrd.xldate_as_datetime(float(cell.value), book.datemode)))
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        row.append(_text(bool(cell.value)))
                    elif cell.ctype == xlrd.XL_CELL_ERROR:
                        row.append(xlrd.error_text_from_code.get(int(cell.value), "#ERROR"))
                    else:
                        row.append(_text(cell.value))
                rows.append(row)
            sheets.append((sh.name, rows))
            book.unload_sheet(index)
        return sheets
    finally:
        book.release_resources()


def _read_xlsx(path: Path, limit: int | None) -> list[Sheet]:
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it ignores; values are read all the same
        warnings.simplefilter("ignore")
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            sheets: list[Sheet] = []
            for ws in book.worksheets:
                rows: list[list[str]] = []
                for n, values in enumerate(ws.iter_rows(values_only=True)):
                    if limit is not None and n >= limit:
                        break
                    rows.append([_text(v) for v in values])
                width = max((len(r) for r in rows), default=0)
                sheets.append((ws.title, [r + [""] * (width - len(r)) for r in rows]))
            return sheets
        finally:
            book.close()


def read_sheets(path: Path, limit: int | None = None) -> list[Sheet]:
    """Every sheet of the workbook ``path`` (at most ``limit`` rows of each), cells as text.

    Raises :class:`UserInputError` naming the file for anything that is not a readable
    workbook."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(8)
    except OSError as exc:
        raise UserInputError(f"{path}: cannot be read ({exc})") from exc
    try:
        if magic == _OLE2:
            return _read_xls(path, limit)
        if magic.startswith(b"PK"):
            return _read_xlsx(path, limit)
    except UserInputError:
        raise
    except Exception as exc:  # xlrd, openpyxl and zipfile each raise their own errors
        kind = ".xls (Excel 97-2003)" if magic == _OLE2 else ".xlsx"
        raise UserInputError(f"{path}: not a readable {kind} workbook ({exc})") from exc
    raise UserInputError(
        f"{path}: named as an Excel workbook but it is neither an .xls (Excel 97-2003) nor an "
        ".xlsx file (open it in a spreadsheet and save it as .xlsx or CSV)"
    )


def _norm(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").split()).casefold()


def _score(rows: Sequence[Sequence[str]], known: set[str]) -> int:
    """How many known headers the best of the first rows holds."""
    return max((sum(_norm(v) in known for v in row) for row in rows[:_HEADER_ROWS]), default=0)


def pick_sheet(path: Path, known_headers: Sequence[str]) -> Sheet:
    """The sheet of ``path`` whose header row holds the most of ``known_headers`` (the first
    such sheet; the first sheet when none are known). Raises :class:`UserInputError` naming
    the file, its sheets and the headers looked for when no sheet holds any."""
    sheets = read_sheets(path)
    if not sheets:
        raise UserInputError(f"{path}: the workbook has no sheet")
    known = {_norm(h) for h in known_headers}
    if not known:
        return sheets[0]
    scores = [_score(rows, known) for _, rows in sheets]
    best = max(range(len(sheets)), key=lambda i: (scores[i], -i))
    if scores[best] == 0:
        names = ", ".join(repr(name) for name, _ in sheets)
        raise UserInputError(
            f"{path}: no sheet has a header row with the expected columns (such as "
            f"{', '.join(list(known_headers)[:4])}) in its first {_HEADER_ROWS} rows; "
            f"sheets: {names}"
        )
    return sheets[best]


def sheet_heads(path: Path, rows: int = 12) -> list[tuple[str, str]]:
    """(sheet name, its first ``rows`` rows as comma-separated text) of each sheet, for cheap
    format detection; ``[]`` when ``path`` is not a readable workbook (never raises). Cached
    by path, size and modification time: every LinkedIn detector asks for the same file."""
    if not (path.is_file() and is_workbook(path)):
        return []
    st = path.stat()
    return list(_heads(str(path.resolve()), st.st_size, st.st_mtime_ns, rows))


@functools.lru_cache(maxsize=32)
def _heads(path: str, size: int, mtime_ns: int, rows: int) -> tuple[tuple[str, str], ...]:
    try:
        sheets = read_sheets(Path(path), limit=rows)
    except UserInputError:
        return ()
    return tuple((name, "\n".join(",".join(r) for r in grid)) for name, grid in sheets)
