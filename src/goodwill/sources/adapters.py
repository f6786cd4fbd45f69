"""The adapter contract: one external format in, canonical rows out.

An adapter turns one file (or folder, or zip) in a format a platform, web server, shop or CRM
gives its users into rows of the canonical tables declared in :mod:`goodwill.model`, and
nothing else: validation, money conversion, deduplication and merging happen in
:mod:`goodwill.load`, exactly as for interchange files.

Rows are dicts keyed by the table's file columns (values as text, or ``None``); a row may carry
:data:`~goodwill.sources.interchange.LINE_COLUMN` (``"_line"``), the 1-based line (or record
number) in the source file, so that a row the loader quarantines names where it came from.
An adapter that reads several files for one source (an X archive's ``tweets.js`` and
``tweets-part1.js``, a folder of access logs) also sets
:data:`~goodwill.sources.interchange.FILE_COLUMN` (``"_file"``) on rows and ``file`` on
rejects: the quarantine is keyed by source, file and line, so records on the same line of two
files are both kept.
Records the adapter cannot parse at all come back as
:class:`~goodwill.sources.interchange.Rejected` and are quarantined with their line, reason
and raw text while the rest loads. Records an adapter leaves out on purpose (a static asset in
an access log, a bot, a non-GET request) are counted in :attr:`AdapterOutput.skipped` and
shown in the import summary.

Every adapter registers one :class:`Format` in :data:`FORMATS` (see
:func:`register`); ``goodwill import`` recognises the format of each path with
:attr:`Format.detect` (or takes ``--format NAME``), and ``goodwill sources`` lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from goodwill.sources.interchange import FILE_COLUMN, Rejected

__all__ = [
    "FORMATS",
    "AdapterContext",
    "AdapterOutput",
    "Format",
    "Row",
    "get_format",
    "register",
]

Row = dict[str, str | int | None]
"""One canonical row: file columns (and optionally ``_line``, ``_file``) to text values."""


@dataclass(frozen=True)
class AdapterContext:
    """What an adapter may need beyond the file itself."""

    mapping: dict[str, str] = field(default_factory=dict)
    """``--map canonical=Header,...``: the user's column mapping for CSV exports."""
    site_host: str | None = None
    """The business's own web host (access logs: internal referrers)."""
    visitor_salt: bytes = b""
    """The warehouse's secret salt for pseudonymous visitor ids (access logs)."""
    brand_handles: dict[str, str] = field(default_factory=dict)
    """platform -> the brand's own handle, when the warehouse knows it (accounts table)."""
    options: dict[str, str] = field(default_factory=dict)
    """Format-specific settings (from goodwill.toml ``[sources]`` or the command line)."""


@dataclass
class AdapterOutput:
    """Everything one adapter read from one source."""

    tables: dict[str, list[Row]] = field(default_factory=dict)
    """Canonical table name -> rows (file columns; optional ``_line``)."""
    rejected: dict[str, list[Rejected]] = field(default_factory=dict)
    """Canonical table name -> records that could not be parsed (quarantined with reason)."""
    skipped: dict[str, int] = field(default_factory=dict)
    """Reason -> count of records left out on purpose (static asset, bot, non-GET...)."""

    def add(self, table: str, row: Row) -> None:
        self.tables.setdefault(table, []).append(row)

    def extend(self, table: str, rows: Iterable[Row]) -> None:
        self.tables.setdefault(table, []).extend(rows)

    def reject(self, table: str, line: int, reason: str, raw: str, file: str | None = None) -> None:
        """Reject a record of ``file`` (inside the source; ``None``: the source itself)."""
        self.rejected.setdefault(table, []).append(
            Rejected(line=line, reason=reason, raw=raw, file=file)
        )

    def mark_file(self, file: str, since: dict[str, tuple[int, int]]) -> None:
        """Name ``file`` on every row and reject added after :meth:`mark` returned ``since``
        that names no file yet. Only for a reader whose every record between the two calls
        comes from ``file`` (it reads one file completely before the next)."""
        for name, rows in self.tables.items():
            for row in rows[since.get(name, (0, 0))[0] :]:
                row.setdefault(FILE_COLUMN, file)
        for name, rejected in self.rejected.items():
            start = since.get(name, (0, 0))[1]
            rejected[start:] = [r if r.file else replace(r, file=file) for r in rejected[start:]]

    def mark(self) -> dict[str, tuple[int, int]]:
        """How many rows and rejects each table has now (for :meth:`mark_file`)."""
        names = set(self.tables) | set(self.rejected)
        return {n: (len(self.tables.get(n, [])), len(self.rejected.get(n, []))) for n in names}

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n


@dataclass(frozen=True)
class Format:
    """One supported external format."""

    name: str
    """Short name for ``--format`` (e.g. ``mastodon``, ``access-log``)."""
    description: str
    """One line for ``goodwill sources``."""
    detect: Callable[[Path], bool]
    """True when ``path`` (file, folder or zip) is in this format. Must be cheap: read at most
    the first few kB, never the whole file, and never raise on a file of another format."""
    read: Callable[[Path, AdapterContext], AdapterOutput]
    """Read ``path`` into canonical rows."""
    tables: tuple[str, ...] = ()
    """The canonical tables this format can produce (for ``goodwill sources``)."""
    docs: str = ""
    """Where the supported export and columns are documented (docs/sources.md anchor)."""


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add ``fmt`` to :data:`FORMATS` (adapter modules call this at import time)."""
    if fmt.name in FORMATS and FORMATS[fmt.name] is not fmt:
        raise ValueError(f"format {fmt.name!r} registered twice")
    FORMATS[fmt.name] = fmt
    return fmt


def get_format(name: str) -> Format:
    from goodwill.errors import UserInputError

    try:
        return FORMATS[name]
    except KeyError:
        raise UserInputError(
            f"--format {name!r}: unknown format; known formats: {', '.join(sorted(FORMATS))} "
            "(see `goodwill sources`)"
        ) from None
