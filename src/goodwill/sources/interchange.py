"""Adapter for interchange files: one file per canonical table, CSV, JSONL or Parquet.

The format is specified in ``shared/interchange.md`` and declared in :mod:`goodwill.model`.
This module only *reads*: it finds the files, checks their columns against the model and
streams rows in bounded batches. Values stay as the file gave them (text for CSV and JSONL,
native types for Parquet); validation, normalisation and loading happen in
:mod:`goodwill.load`, in the database.

Rows that cannot even be parsed (a CSV record with the wrong number of fields, a JSONL line
that is not a JSON object) come back as :class:`Rejected` so they can be quarantined with
their line and raw text while the rest of the file loads.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from goodwill.errors import (
    UnknownColumnsError,
    UnknownTableError,
    UserInputError,
    column_hints,
)
from goodwill.model import CANONICAL_TABLES, Table, table
from goodwill.sources import limits

__all__ = [
    "FILE_COLUMN",
    "FORMATS",
    "LINE_COLUMN",
    "Batch",
    "Rejected",
    "SourceFile",
    "discover",
    "read_batches",
]

Format = Literal["csv", "jsonl", "parquet", "adapter"]
"""``adapter``: rows an export adapter produced (see :mod:`goodwill.sources.adapters`)."""
LINE_COLUMN = "_line"
"""Name of the column carrying each row's 1-based line (CSV/JSONL) or row (Parquet) number."""
FILE_COLUMN = "_file"
"""Name of the column an adapter's rows may carry: the file inside the export (a member of an
X archive, a file of a folder of logs) that the row's line counts in. Absent or empty: the
source itself is the file."""

FORMATS: dict[str, Format] = {
    ".csv": "csv",
    ".csv.gz": "csv",
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
}
_FILE_TABLES = {t.name for t in CANONICAL_TABLES if t.name != "people"}
ProgressFn = Callable[[int], None]


@dataclass(frozen=True)
class SourceFile:
    """One interchange file and the table it feeds."""

    path: Path
    table: Table
    format: Format

    @property
    def size(self) -> int:
        return self.path.stat().st_size


@dataclass(frozen=True)
class Rejected:
    """A row that could not be parsed."""

    line: int
    reason: str
    raw: str
    column_name: str | None = None
    column_number: int | None = None
    file: str | None = None
    """The file inside the source (e.g. ``data/tweets-part1.js`` of an X archive) that
    ``line`` counts in; ``None`` when the source is itself the file. Carried on the reject, so
    it names the record's own file whichever file the adapter was reading when it gave up."""


@dataclass
class Batch:
    """Up to ``batch_rows`` parsed rows plus the rows rejected while parsing them."""

    rows: pa.Table | None
    rejected: list[Rejected] = field(default_factory=list)
    columns: tuple[str, ...] = ()
    """The file's columns in file order (for column numbers in error messages)."""


def _split_name(path: Path) -> tuple[str, str]:
    name = path.name.lower()
    for ext in sorted(FORMATS, key=len, reverse=True):
        if name.endswith(ext):
            return path.name[: -len(ext)], ext
    return path.stem, path.suffix.lower()


def _source_for(path: Path) -> SourceFile:
    stem, ext = _split_name(path)
    if ext not in FORMATS:
        raise UserInputError(
            f"{path}: unsupported file type {ext or '(none)'!r}; interchange files are "
            f"{', '.join(sorted(FORMATS))}"
        )
    if stem not in _FILE_TABLES:
        raise UnknownTableError(
            f"{path}: {stem!r} is not a canonical table; interchange files are named after "
            f"their table: {', '.join(sorted(_FILE_TABLES))}"
        )
    return SourceFile(path=path, table=table(stem), format=FORMATS[ext])


def discover(paths: Sequence[Path]) -> list[SourceFile]:
    """The interchange files named by ``paths`` (files, or folders holding them).

    In a folder, files with a data extension must be named after a table (a typo must not
    drop data silently); other files (``ground_truth.json``, ``report.html``) are ignored.
    """
    found: list[SourceFile] = []
    for p in paths:
        if not p.exists():
            raise UserInputError(f"{p}: no such file or folder")
        if p.is_dir():
            for child in sorted(p.iterdir()):
                if child.is_file() and _split_name(child)[1] in FORMATS:
                    found.append(_source_for(child))
        else:
            found.append(_source_for(p))
    seen: dict[str, Path] = {}
    for sf in found:
        if sf.table.name in seen and seen[sf.table.name].resolve() == sf.path.resolve():
            raise UserInputError(f"{sf.path}: named twice")
        seen[sf.table.name] = sf.path
    return found


def _check_columns(sf: SourceFile, columns: Sequence[str], *, line: int = 1) -> None:
    known = [c.name for c in sf.table.file_columns]
    dupes = sorted({c for c in columns if list(columns).count(c) > 1})
    if dupes:
        raise UserInputError(f"{sf.path}:{line}: column(s) named twice: {', '.join(dupes)}")
    unknown = [c for c in columns if c not in known]
    if unknown:
        where = ", ".join(f"{c!r} (column {list(columns).index(c) + 1})" for c in unknown)
        raise UnknownColumnsError(
            f"{sf.path}:{line}: unknown column(s) {where} for table {sf.table.name}"
            f"{column_hints(unknown, known)}; valid columns: {', '.join(known)}"
        )
    missing = [c.name for c in sf.table.file_columns if c.required and c.name not in columns]
    if missing:
        raise UserInputError(
            f"{sf.path}:{line}: missing required column(s) {', '.join(missing)} "
            f"for table {sf.table.name}"
        )


class _CountingReader(io.RawIOBase):
    """Wraps a binary file and reports how many compressed/raw bytes were consumed."""

    def __init__(self, raw: IO[bytes], progress: ProgressFn | None) -> None:
        self._raw = raw
        self._progress = progress

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._raw.close()
        super().close()

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(b))
        n = len(data)
        b[:n] = data
        if self._progress and n:
            self._progress(n)
        return n


@contextmanager
def _open_lines(sf: SourceFile, progress: ProgressFn | None) -> Iterator[Iterator[str]]:
    """The file's lines as text (plain or gzip), decoded one line at a time so that a byte
    that is not UTF-8 is an error naming its line; a leading byte-order mark is dropped."""
    raw: IO[bytes] = open(sf.path, "rb")  # noqa: SIM115 - closed below
    binary: IO[bytes] = io.BufferedReader(_CountingReader(raw, progress), 1 << 20)
    if sf.path.name.lower().endswith(".gz"):
        gz: IO[bytes] = gzip.GzipFile(fileobj=binary, mode="rb")  # type: ignore[assignment]
        binary = limits.guard(gz, sf.path, sf.size)

    def lines() -> Iterator[str]:
        it = limits.lines(binary)
        lineno = 0
        while True:
            try:
                data = next(it)
            except StopIteration:
                return
            except limits.CompressedFileError as exc:
                raise UserInputError(f"{exc} (after line {lineno})") from exc
            lineno += 1
            if isinstance(data, limits.LongLine):
                raise UserInputError(
                    f"{sf.path}: line {lineno}: longer than {data.limit:,} bytes (setting "
                    "max_line_bytes); is this really a CSV/JSONL file with one record a line?"
                )
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise UserInputError(
                    f"{sf.path}: line {lineno}: not UTF-8 ({exc.reason} at byte {exc.start}); "
                    "save the file as UTF-8"
                ) from exc
            yield text.removeprefix("\ufeff") if lineno == 1 else text

    try:
        yield lines()
    finally:
        binary.close()
        raw.close()


def _to_arrow(columns: Sequence[str], values: list[list[str | None]], lines: list[int]) -> pa.Table:
    arrays = [pa.array(col, type=pa.string()) for col in values]
    arrays.append(pa.array(lines, type=pa.int64()))
    return pa.Table.from_arrays(arrays, names=[*columns, LINE_COLUMN])


class _Accumulator:
    """Collects parsed rows column-wise and rejected rows, and hands them out as batches."""

    def __init__(self, columns: tuple[str, ...], batch_rows: int) -> None:
        self.columns = columns
        self.batch_rows = batch_rows
        self._reset()

    def _reset(self) -> None:
        self.values: list[list[str | None]] = [[] for _ in self.columns]
        self.lines: list[int] = []
        self.rejected: list[Rejected] = []

    def add(self, line: int, row: Sequence[str | None]) -> Batch | None:
        """Add one row; returns a full batch when ``batch_rows`` is reached."""
        for i, v in enumerate(row):
            self.values[i].append(v)
        self.lines.append(line)
        return self.flush() if len(self.lines) >= self.batch_rows else None

    def reject(self, rejected: Rejected) -> None:
        self.rejected.append(rejected)

    def flush(self) -> Batch | None:
        """What is left, as a batch (``None`` when nothing is)."""
        if not self.lines and not self.rejected:
            return None
        rows = _to_arrow(self.columns, self.values, self.lines) if self.lines else None
        batch = Batch(rows, self.rejected, self.columns)
        self._reset()
        return batch


def _csv_raw(record: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(record)
    return buf.getvalue()


def _read_csv(sf: SourceFile, batch_rows: int, progress: ProgressFn | None) -> Iterator[Batch]:
    with _open_lines(sf, progress) as fh:
        reader = csv.reader(fh, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise UserInputError(f"{sf.path}: empty file (expected a header row)") from None
        except csv.Error as exc:
            raise UserInputError(f"{sf.path}:1: cannot read the header: {exc}") from exc
        header = [h.strip() for h in header]
        _check_columns(sf, header)
        cols = tuple(header)
        width = len(cols)
        acc = _Accumulator(cols, batch_rows)
        prev_end = reader.line_num
        while True:
            start = prev_end + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                acc.reject(Rejected(start, f"malformed CSV: {exc}", "", None, None))
                prev_end = reader.line_num
                continue
            prev_end = reader.line_num
            if not record:
                continue  # a blank line
            if len(record) != width:
                acc.reject(
                    Rejected(
                        start,
                        f"expected {width} fields as in the header, found {len(record)}",
                        _csv_raw(record),
                        None,
                        min(len(record), width) + 1,
                    )
                )
                continue
            full = acc.add(start, record)
            if full:
                yield full
        last = acc.flush()
        if last:
            yield last


def _json_value(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str | int | float):
        return str(v)
    raise TypeError(type(v).__name__)


def _read_jsonl(sf: SourceFile, batch_rows: int, progress: ProgressFn | None) -> Iterator[Batch]:
    cols = tuple(c.name for c in sf.table.file_columns)
    index = {c: i for i, c in enumerate(cols)}
    acc = _Accumulator(cols, batch_rows)
    checked: set[frozenset[str]] = set()
    with _open_lines(sf, progress) as fh:
        for lineno, text in enumerate(fh, start=1):
            if not text.strip():
                continue
            try:
                obj = json.loads(text)
            except RecursionError:
                acc.reject(
                    Rejected(lineno, "invalid JSON: nested too deeply", text[:2000], None, None)
                )
                continue
            except json.JSONDecodeError as exc:
                acc.reject(
                    Rejected(
                        lineno, f"invalid JSON: {exc.msg}", text.rstrip("\r\n"), None, exc.colno
                    )
                )
                continue
            if not isinstance(obj, dict):
                acc.reject(
                    Rejected(lineno, "expected a JSON object", text.rstrip("\r\n"), None, None)
                )
                continue
            keys = frozenset(obj)
            if keys not in checked:
                _check_columns(sf, list(obj), line=lineno)
                checked.add(keys)
            row: list[str | None] = [None] * len(cols)
            bad: str | None = None
            for k, v in obj.items():
                try:
                    row[index[k]] = _json_value(v)
                except TypeError as exc:
                    bad = f"{k}: expected a string or number, found a JSON {exc}"
                    break
            if bad:
                acc.reject(Rejected(lineno, bad, text.rstrip("\r\n"), bad.split(":")[0]))
                continue
            full = acc.add(lineno, row)
            if full:
                yield full
    last = acc.flush()
    if last:
        yield last


def _read_parquet(sf: SourceFile, batch_rows: int, progress: ProgressFn | None) -> Iterator[Batch]:
    try:
        pf = pq.ParquetFile(sf.path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise UserInputError(f"{sf.path}: not a readable Parquet file: {exc}") from exc
    cols = tuple(pf.schema_arrow.names)
    _check_columns(sf, cols)
    total_bytes = sf.size
    total_rows = max(pf.metadata.num_rows, 1)
    row = 0
    for rb in pf.iter_batches(batch_size=batch_rows):
        n = rb.num_rows
        lines = pa.array(range(row + 1, row + n + 1), type=pa.int64())
        tbl = pa.Table.from_batches([rb]).append_column(LINE_COLUMN, lines)
        row += n
        if progress:
            progress(int(total_bytes * n / total_rows))
        yield Batch(tbl, [], cols)


def read_batches(
    sf: SourceFile, *, batch_rows: int = 200_000, progress: ProgressFn | None = None
) -> Iterator[Batch]:
    """Stream ``sf`` in batches of at most ``batch_rows`` rows.

    ``progress`` is called with the number of file bytes consumed since its last call.
    Raises :class:`UnknownColumnsError` or :class:`UserInputError` for a file that cannot be
    loaded at all (unknown or missing columns, empty, not UTF-8).
    """
    readers = {"csv": _read_csv, "jsonl": _read_jsonl, "parquet": _read_parquet}
    yield from readers[sf.format](sf, batch_rows, progress)
