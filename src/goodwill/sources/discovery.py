"""Which reader takes each path given to ``goodwill import``.

A path is one of:

* an **interchange file**, named after its table (``visits.csv``, ``costs.parquet``): read by
  :mod:`goodwill.sources.interchange`, streaming;
* an **export** that exactly one registered :class:`~goodwill.sources.adapters.Format`
  recognises with its ``detect`` (a file, a folder such as an X archive, or a zip);
* a **folder** (or a zip) that is neither: it is walked, and each file or sub-folder in it is
  resolved by the same rules. In a folder, a file with a data extension (``.csv``, ``.jsonl``,
  ``.parquet``, ``.zip``, ``.json``...) that nothing recognises is an error (a typo or
  an unsupported export must not drop data silently); other files are listed as ignored.

``--format NAME`` skips detection: every path goes to that format's adapter whole.
"""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from goodwill.errors import UnknownTableError, UserInputError
from goodwill.model import CANONICAL_TABLES
from goodwill.sources.adapters import Format
from goodwill.sources.interchange import FORMATS as INTERCHANGE_EXTENSIONS
from goodwill.sources.interchange import SourceFile, discover
from goodwill.sources.limits import UnpackBudget

__all__ = ["DATA_EXTENSIONS", "ExportSource", "Plan", "detect_formats", "plan_sources"]

_FILE_TABLES = frozenset(t.name for t in CANONICAL_TABLES if t.name != "people")

DATA_EXTENSIONS: tuple[str, ...] = (
    *INTERCHANGE_EXTENSIONS,
    ".zip",
    ".json",
    ".js",
    ".tsv",
)
"""Extensions of files that must be recognised when found in a folder (``.log`` is not one:
a web server's folder holds error logs next to its access logs)."""

_IGNORED_NAMES = frozenset({"ground_truth.json"})
_WAREHOUSE_SUFFIXES = (".duckdb", ".duckdb.wal")


@dataclass(frozen=True)
class ExportSource:
    """One path that one adapter reads whole."""

    path: Path
    format: Format
    shown: Path
    """The path as the user knows it (inside a zip: ``archive.zip/inner``)."""


@dataclass
class Plan:
    """Everything an import will read."""

    interchange: list[SourceFile] = field(default_factory=list)
    exports: list[ExportSource] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)


def _ext(path: Path) -> str:
    name = path.name.lower()
    for ext in sorted(DATA_EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext):
            return ext
    return path.suffix.lower()


def _is_interchange_name(path: Path) -> bool:
    name = path.name.lower()
    for ext in INTERCHANGE_EXTENSIONS:
        if name.endswith(ext) and path.name[: -len(ext)] in _FILE_TABLES:
            return True
    return False


def detect_formats(path: Path, formats: Sequence[Format]) -> list[Format]:
    """The formats whose ``detect`` accepts ``path`` (a detector that raises says no)."""
    found: list[Format] = []
    for fmt in formats:
        try:
            ok = fmt.detect(path)
        except Exception:  # a detector must never break another format's import
            ok = False
        if ok:
            found.append(fmt)
    return found


def _ambiguous(path: Path, found: Sequence[Format]) -> UserInputError:
    names = ", ".join(f.name for f in found)
    return UserInputError(
        f"{path}: recognised as more than one format ({names}); choose one with --format NAME"
    )


class _Resolver:
    def __init__(self, formats: Sequence[Format], stack: ExitStack) -> None:
        self.formats = formats
        self.stack = stack
        self.plan = Plan()
        self.budget = UnpackBudget()

    def top(self, path: Path) -> None:
        if not path.exists():
            raise UserInputError(f"{path}: no such file or folder")
        if path.is_dir():
            self.folder(path, path, explicit=True)
        else:
            self.file(path, path, explicit=True)

    def _export(self, path: Path, shown: Path) -> bool:
        found = detect_formats(path, self.formats)
        if len(found) > 1:
            raise _ambiguous(shown, found)
        if found:
            self.plan.exports.append(ExportSource(path, found[0], shown))
            return True
        return False

    def folder(self, path: Path, shown: Path, *, explicit: bool) -> None:
        if self._export(path, shown):
            return
        for child in sorted(path.iterdir()):
            if child.name.startswith(".") or child.name.endswith(_WAREHOUSE_SUFFIXES):
                continue  # hidden files, and a warehouse kept next to its data
            if child.is_dir():
                self.folder(child, shown / child.name, explicit=False)
            elif child.is_file():
                self.file(child, shown / child.name, explicit=False)

    def file(self, path: Path, shown: Path, *, explicit: bool) -> None:
        if _is_interchange_name(path):
            self.plan.interchange.extend(discover([path]))
            return
        if self._export(path, shown):
            return
        ext = _ext(path)
        if ext == ".zip" and zipfile.is_zipfile(path):
            tmp = Path(self.stack.enter_context(tempfile.TemporaryDirectory(prefix="goodwill-")))
            with zipfile.ZipFile(path) as zf:
                _safe_extract(zf, tmp, shown, self.budget)
            self.folder(tmp, shown, explicit=explicit)
            return
        if path.name in _IGNORED_NAMES and not explicit:
            self.plan.ignored.append(shown)
            return
        if explicit or ext in DATA_EXTENSIONS:
            names = ", ".join(f.name for f in self.formats) or "none registered"
            if ext in INTERCHANGE_EXTENSIONS:
                raise UnknownTableError(
                    f"{shown}: {path.name[: -len(ext)]!r} is not a canonical table and no "
                    f"format recognises the file; interchange files are named after their "
                    f"table ({', '.join(sorted(_FILE_TABLES))}); export formats: {names} "
                    "(see `goodwill sources`, or force one with --format NAME)"
                )
            raise UserInputError(
                f"{shown}: not an interchange file and no format recognises it; "
                f"export formats: {names} (see `goodwill sources`, or force one with "
                "--format NAME)"
            )
        self.plan.ignored.append(shown)


def _safe_extract(zf: zipfile.ZipFile, dest: Path, shown: Path, budget: UnpackBudget) -> None:
    """Extract ``zf`` into ``dest``: no member outside it, and no more unpacked than the
    import's limits allow (declared sizes checked first, real bytes counted while copying)."""
    root = dest.resolve()
    infos = zf.infolist()
    for info in infos:
        target = (dest / info.filename).resolve()
        if root not in target.parents and target != root:
            raise UserInputError(f"{shown}: member {info.filename!r} points outside the archive")
    budget.check_declared(shown, [(i.filename, i.file_size, i.compress_size) for i in infos])
    for info in infos:
        target = (dest / info.filename).resolve()
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with zf.open(info) as src, target.open("wb") as dst:
                budget.copy(src, dst, f"{shown}/{info.filename}", info.compress_size)
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
            raise UserInputError(
                f"{shown}: member {info.filename!r} cannot be unpacked ({exc})"
            ) from exc


def plan_sources(
    paths: Sequence[Path],
    formats: Sequence[Format],
    stack: ExitStack,
    *,
    forced: Format | None = None,
) -> Plan:
    """Resolve ``paths`` into interchange files and exports (temporary folders for zips live
    as long as ``stack``)."""
    if forced is not None:
        plan = Plan()
        for p in paths:
            if not p.exists():
                raise UserInputError(f"{p}: no such file or folder")
            plan.exports.append(ExportSource(p, forced, p))
        return plan
    resolver = _Resolver(formats, stack)
    for p in paths:
        resolver.top(p)
    seen: set[Path] = set()
    for sf in resolver.plan.interchange:
        key = sf.path.resolve()
        if key in seen:
            raise UserInputError(f"{sf.path}: named twice")
        seen.add(key)
    for ex in resolver.plan.exports:
        key = ex.path.resolve()
        if key in seen:
            raise UserInputError(f"{ex.shown}: named twice")
        seen.add(key)
    return resolver.plan
