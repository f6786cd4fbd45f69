"""Reading the JSON that social platforms give: record by record, with line numbers.

The social adapters (:mod:`.mastodon`, :mod:`.bluesky`, :mod:`.x_archive`) read JSON arrays
(a Mastodon API response, the ``notifications`` array of an XRPC response, the array after
``window.YTD.tweets.part0 =`` in an X archive). A record that is not valid JSON, or is not an
object, must be quarantined with its line while the records before it load, so arrays are
decoded one element at a time (:func:`iter_array`) instead of with one ``json.loads``.

:class:`SocialReader` is what the Mastodon and Bluesky readers share (the brand, the ids of its
replies, where rows and rejects go), so that a saved file and a live page go through the same
code. Also here: turning Mastodon's status HTML into plain text (:func:`html_to_text`), a date
written in a file name (:func:`date_in_name`) and the helpers that render rows.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import html
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

from goodwill.errors import UserInputError
from goodwill.sources.adapters import AdapterContext, AdapterOutput

__all__ = [
    "JsonRecord",
    "JsonShape",
    "SocialReader",
    "date_in_name",
    "group_files",
    "html_to_text",
    "iso_utc",
    "iter_array",
    "json_files",
    "json_shape",
    "peek",
    "read_text",
    "records_of",
    "sub",
    "text_or_none",
]

_WS = re.compile(r"\s*")
_DECODER = json.JSONDecoder()
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class JsonRecord:
    """One element of a JSON array: its 1-based line, the value or why it failed, the raw text."""

    line: int
    value: Any
    error: str | None
    raw: str


def records_of(values: Iterable[Any]) -> list[JsonRecord]:
    """API objects (already parsed, e.g. by a live client) as records numbered from 1."""
    out = []
    for i, v in enumerate(values, start=1):
        err = None if isinstance(v, dict) else "record is not a JSON object"
        out.append(JsonRecord(i, v, err, json.dumps(v, ensure_ascii=False)[:2000]))
    return out


class _Lines:
    """1-based line numbers of increasing positions in ``text``, counted incrementally."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        if pos < self.pos:
            return self.text.count("\n", 0, pos) + 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def iter_array(text: str, start: int = 0) -> Iterator[JsonRecord]:
    """The elements of the JSON array that begins at ``text[start:]`` (after whitespace).

    Each element is decoded on its own; the first one that cannot be decoded is yielded with
    its ``error`` and ends the iteration (the rest of the file cannot be located reliably).
    Elements that are not objects are yielded with an error but do not stop the iteration.
    """
    lines = _Lines(text)
    pos = _WS.match(text, start).end()  # type: ignore[union-attr]
    if text[pos : pos + 1] != "[":
        yield JsonRecord(lines.at(pos), None, "expected a JSON array", text[pos : pos + 200])
        return
    pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
    if text[pos : pos + 1] == "]":
        return
    while True:
        line = lines.at(pos)
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except RecursionError:
            eol = text.find("\n", pos)
            raw = text[pos : eol if eol >= 0 else len(text)]
            yield JsonRecord(line, None, "not valid JSON (nested too deeply)", raw[:500])
            return
        except json.JSONDecodeError as exc:
            eol = text.find("\n", pos)
            raw = text[pos : eol if eol >= 0 else len(text)]
            where = lines.at(max(exc.pos, pos))
            yield JsonRecord(line, None, f"not valid JSON (line {where}: {exc.msg})", raw[:500])
            return
        raw = text[pos:end]
        error = None if isinstance(value, dict) else "record is not a JSON object"
        yield JsonRecord(line, value, error, raw)
        pos = _WS.match(text, end).end()  # type: ignore[union-attr]
        sep = text[pos : pos + 1]
        if sep == "]":
            return
        if sep != ",":
            yield JsonRecord(
                lines.at(pos), None, "expected ',' or ']' after a record", text[pos:][:200]
            )
            return
        pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]


@dataclass(frozen=True)
class JsonShape:
    """What a JSON file is, read without parsing it whole (:func:`json_shape`)."""

    root: str | None
    """``{`` or ``[`` (None: not a JSON object or array)."""
    keys: frozenset[str]
    """The top-level keys of an object, wherever they are in the file."""
    first: Any
    """The first element of an array when it is an object (None otherwise)."""


_NONWS = re.compile(r"\S")
_SPECIAL = re.compile(r'["{}\[\]]')
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_FIRST_LIMIT = 64 << 20


class _Chunks:
    """A UTF-8 file read in chunks into a growing text buffer."""

    def __init__(self, fh: Any) -> None:
        self.fh, self.buf, self.eof = fh, "", False
        self.dec = codecs.getincrementaldecoder("utf-8")("replace")

    def fill(self) -> bool:
        if self.eof:
            return False
        data = self.fh.read(1 << 20)
        self.eof = not data
        self.buf += self.dec.decode(data, final=self.eof)
        return not self.eof or bool(data)


def json_shape(path: Path) -> JsonShape:
    """The root, top-level keys and first array element of the JSON file ``path``.

    The file is scanned in 1 MiB chunks (strings skipped whole, brackets counted), so the
    answer does not depend on the order of the keys, on the size of a record or of the file,
    and memory stays at a chunk (plus the first element, up to 64 MiB). Never raises on a
    file that is not JSON: its shape just has no root.
    """
    try:
        st = path.stat()
        return _json_shape(str(path), st.st_size, st.st_mtime_ns)
    except OSError:
        return JsonShape(None, frozenset(), None)


@functools.lru_cache(maxsize=256)
def _json_shape(name: str, size: int, mtime: int) -> JsonShape:
    none = JsonShape(None, frozenset(), None)
    with open(name, "rb") as fh:
        t = _Chunks(fh)
        pos = 0
        while (m := _NONWS.search(t.buf, pos)) is None:
            pos = len(t.buf)
            if not t.fill():
                return none
        start = m.start() + (1 if t.buf[m.start()] == "\ufeff" else 0)
        if start != m.start():
            while (m := _NONWS.search(t.buf, start)) is None:
                if not t.fill():
                    return none
        root = t.buf[m.start()]
        if root not in "{[":
            return none
        depth, pos = 1, m.start() + 1
        keys: set[str] = set()
        capture: int | None = None
        if root == "[":
            while (m := _NONWS.search(t.buf, pos)) is None:
                if not t.fill():
                    return JsonShape(root, frozenset(), None)
            if t.buf[m.start()] != "{":
                return JsonShape(root, frozenset(), None)
            capture, pos = m.start(), m.start()
        while True:
            m = _SPECIAL.search(t.buf, pos)
            if m is None:
                if capture is None:
                    t.buf, pos = "", 0
                else:
                    pos = len(t.buf)
                    if pos - capture > _FIRST_LIMIT:
                        return JsonShape(root, frozenset(), None)
                if not t.fill():
                    return JsonShape(root, frozenset(keys), None)
                continue
            i, c = m.start(), m.group()
            if c == '"':
                sm = _STRING_REST.match(t.buf, i + 1)
                nxt = None if sm is None else _NONWS.search(t.buf, sm.end())
                if sm is None or (nxt is None and not t.eof and depth == 1):
                    if capture is None:
                        t.buf, pos = t.buf[i:], 0
                    else:
                        pos = i
                    if not t.fill():
                        return JsonShape(root, frozenset(keys), None)
                    continue
                if depth == 1 and root == "{" and nxt is not None and nxt.group() == ":":
                    with contextlib.suppress(ValueError):
                        keys.add(json.loads(t.buf[i : sm.end()]))
                pos = sm.end()
                continue
            depth += 1 if c in "{[" else -1
            pos = i + 1
            if capture is not None and depth == 1:
                try:
                    first = json.loads(t.buf[capture : i + 1])
                except (ValueError, RecursionError):
                    first = None
                return JsonShape(root, frozenset(), first if isinstance(first, dict) else None)
            if depth == 0:
                return JsonShape(root, frozenset(keys), None)


def array_start(text: str, key: str) -> int | None:
    """Position of the array value of the first ``"key":`` in ``text`` (None if absent)."""
    m = re.search(r'"' + re.escape(key) + r'"\s*:\s*\[', text)
    return None if m is None else m.end() - 1


def top_level(text: str) -> dict[str, Any]:
    """The top-level object of ``text`` when it parses as a whole, else ``{}``."""
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def peek(path: Path, n: int = 4096) -> str:
    """The first ``n`` bytes of ``path`` as text ('' when it cannot be read)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(n).decode("utf-8", errors="replace").lstrip("\ufeff")
    except OSError:
        return ""


def json_files(path: Path) -> list[Path]:
    """``path`` itself, or the ``.json`` files in the folder ``path`` (sorted, not recursive)."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".json")
    return [path]


def read_text(path: Path) -> str:
    """A UTF-8 file's text (a byte-order mark dropped); a user error if it is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UserInputError(
            f"{path}: line {line}: not UTF-8 ({exc.reason}); save the file as UTF-8"
        ) from exc


def group_files(
    path: Path, kind_of: Callable[[Path], str | None], out: AdapterOutput, expected: str
) -> dict[str, list[Path]]:
    """The JSON files of ``path`` (a file or folder) by their kind. In a folder, files of no
    known kind are counted as skipped; a single such file is a user error naming ``expected``."""
    files: dict[str, list[Path]] = {}
    for p in json_files(path):
        kind = kind_of(p)
        if kind is None:
            if not path.is_dir():
                read_text(p)  # a byte that is not UTF-8 is named first, with its line
                raise UserInputError(f"{p}: not {expected}")
            out.skip("JSON file of another kind")
            continue
        files.setdefault(kind, []).append(p)
    return files


def date_in_name(path: Path) -> date | None:
    """A ``YYYY-MM-DD`` date written in the file name, if any."""
    m = _DATE_IN_NAME.search(path.name)
    if m is None:
        return None
    try:
        return date.fromisoformat(m.group(1))
    except ValueError:
        return None


def file_date(path: Path) -> date:
    """The date a snapshot file speaks for: a date in its name, else its modification day."""
    return date_in_name(path) or datetime.fromtimestamp(path.stat().st_mtime, UTC).date()


def iso_utc(value: datetime) -> str:
    """``value`` (naive means UTC) as ISO 8601 with milliseconds and ``Z``."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="milliseconds") + "Z"


def sub(value: object, key: str) -> dict[str, Any]:
    """``value[key]`` when both are JSON objects, else an empty dict (missing or deleted)."""
    if isinstance(value, dict):
        inner = value.get(key)
        if isinstance(inner, dict):
            return inner
    return {}


def text_or_none(value: object) -> str | None:
    """A JSON value as row text: ``None``/empty stays absent, numbers become text."""
    if value is None:
        return None
    text = str(value)
    return text if text.strip() else None


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(content: str | None) -> str | None:
    """Mastodon status HTML as plain text.

    ``<br>`` is a line break, a new ``<p>`` a blank line; entities are decoded; links keep their
    full text (the parts Mastodon hides on screen with ``class="invisible"`` included).
    """
    if content is None:
        return None
    if "<" not in content:
        return text_or_none(html.unescape(content))
    parser = _TextExtractor()
    parser.feed(content)
    parser.close()
    return text_or_none("".join(parser.parts).strip())


def text_to_html(text: str) -> str:
    """Plain text as status HTML that :func:`html_to_text` turns back into ``text``."""
    paras = text.split("\n\n")
    return "".join(
        "<p>" + "<br />".join(html.escape(line, quote=False) for line in p.split("\n")) + "</p>"
        for p in paras
    )


@dataclass
class SocialReader(ABC):
    """Base of the platform readers: turns records into rows of :attr:`out`.

    ``brand`` is the brand's handle (from the context, else learnt from the data);
    ``outbound_ids`` the ids of the brand's replies, so that an answer to one of them is told
    from an answer to a post; ``source`` names the file or page in reject reasons.
    """

    ctx: AdapterContext
    out: AdapterOutput = field(default_factory=AdapterOutput)
    brand: str | None = None
    outbound_ids: set[str] = field(default_factory=set)
    source: str = ""
    platform: ClassVar[str] = ""

    def __post_init__(self) -> None:
        self.brand = self.ctx.brand_handles.get(self.platform) or self.brand

    def _reject(self, table: str, rec: JsonRecord, reason: str) -> None:
        where = f"{self.source}: " if self.source else ""
        self.out.reject(table, rec.line, where + reason, rec.raw)

    def each(self, records: Iterable[JsonRecord], table: str, read: Any) -> None:
        """``read(record)`` for each parsed record; unparsable ones are rejected to ``table``."""
        for rec in records:
            if rec.error:
                self._reject(table, rec, rec.error)
            else:
                read(rec)

    @abstractmethod
    def stream(self, stream: str, records: list[JsonRecord]) -> None:
        """Read the records of one API stream (``statuses``, ``feed``, ``notifications``)."""

    def read_files(
        self,
        own_stream: str,
        own: dict[Path, list[JsonRecord]],
        notifications: dict[Path, list[JsonRecord]],
        hint: str,
    ) -> AdapterOutput:
        """Read the account's own records (``own_stream``) file by file, then the
        notifications, which need the brand (``hint`` says how to name it). With more than one
        file, every row and reject names its file (records are read one file at a time), so
        the same line of two files is quarantined twice, not once."""
        several = len(own) + len(notifications) > 1
        for p, recs in own.items():
            self.source = p.name
            since = self.out.mark()
            self.stream(own_stream, recs)
            if several:
                self.out.mark_file(p.name, since)
        for p, recs in notifications.items():
            if self.brand is None:
                raise UserInputError(f"{p}: cannot tell whose notifications these are; {hint}")
            self.source = p.name
            since = self.out.mark()
            self.stream("notifications", recs)
            if several:
                self.out.mark_file(p.name, since)
        return self.out

    def page(self, stream: str, values: Iterable[Any], source: str) -> AdapterOutput:
        """The rows of one page of a live API ``stream`` (objects as the server sent them)."""
        self.out, self.source = AdapterOutput(), source
        self.stream(stream, records_of(values))
        return self.out
