"""X / Twitter account archive → the brand's posts, its replies, an audience snapshot.

The archive a user downloads ("Download an archive of your data") is a zip, or the folder it
unpacks to, with ``data/*.js`` files that each assign a JSON array to a global:
``window.YTD.tweets.part0 = [ ... ]``. Large files are split (``tweets-part1.js`` assigning
``window.YTD.tweets.part1``). Read here (see ``docs/sources/social.md``):

* ``data/account.js`` — ``account.username`` is the brand's handle, ``accountDisplayName`` its
  name → an ``accounts`` row (owner ``brand``).
* ``data/tweets.js`` (``tweet.js`` in older archives) and its parts — each ``tweet``:
  ``id_str``, ``created_at`` (``Wed Oct 10 20:19:24 +0000 2018``), ``full_text`` (HTML
  entities decoded, ``t.co`` links replaced by their ``expanded_url``),
  ``in_reply_to_status_id_str``, ``in_reply_to_screen_name``. A tweet that is not a reply, or
  answers the brand itself (a thread), is a post; a reply to someone else is an outbound
  ``reply`` interaction addressed to ``in_reply_to_screen_name``. Retweets (``RT @...``) are
  skipped and counted.
* ``data/follower.js``, ``data/following.js`` — ``{"follower": {"accountId": ...,
  "userLink": ...}}``: the distinct ``accountId`` counted → one ``audience_snapshots`` row on
  the archive's date (``data/manifest.js`` ``archiveInfo.generationDate``, else the newest
  tweet's day); a record without ``accountId`` is quarantined.
* ``data/like.js`` — ``{"like": {"tweetId", "fullText", "expandedUrl"}}``: the account's likes
  of other tweets. The file names neither the liked tweet's author nor the day of the like, so
  no interaction can be dated or addressed: distinct ``tweetId`` are counted in the import
  summary (``x: like by the account``), records without ``tweetId`` quarantined.

A byte that is not UTF-8 is a one-line error naming the file, line and column; a record nested
too deeply to decode is quarantined; members of a zip are unpacked within the import's limits
(:mod:`goodwill.sources.limits`).

The URL of a tweet is built as ``https://x.com/<handle>/status/<id>``. Every row and reject
names the file of the archive it came from (``data/tweets-part1.js``), so that line 3 of
``tweets.js`` and line 3 of ``tweets-part1.js`` are quarantined apart.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from goodwill.errors import UserInputError
from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.interchange import FILE_COLUMN
from goodwill.sources.limits import UnpackBudget
from goodwill.sources.social_json import JsonRecord, iter_array, peek, text_or_none, top_level

__all__ = ["FORMAT", "PLATFORM", "detect", "parse_created_at", "read"]

PLATFORM = "x"
_YTD = re.compile(r"^\s*window\.YTD\.([a-z_]+)\.part(\d+)\s*=\s*", re.ASCII)
_PART_FILE = re.compile(r"^([a-z-]+?)(?:-part(\d+))?\.js$")
_WANTED = {"account", "tweets", "tweet", "follower", "following", "manifest", "like"}
_ID_KEYS = {"follower": "accountId", "following": "accountId", "like": "tweetId"}
_CREATED_AT = "%a %b %d %H:%M:%S %z %Y"


def parse_created_at(value: str) -> str:
    """``Wed Oct 10 20:19:24 +0000 2018`` as ISO 8601 with its offset (``ValueError`` if not)."""
    return datetime.strptime(value.strip(), _CREATED_AT).isoformat()


def _members(path: Path) -> dict[str, tuple[str, str]]:
    """name-without-part -> [(file name, text)] of the wanted ``data/*.js`` files."""
    found: dict[str, tuple[str, str]] = {}

    def take(name: str, read: Any) -> None:
        base = name.rsplit("/", 1)[-1]
        m = _PART_FILE.match(base)
        if m is None or m.group(1) not in _WANTED:
            return
        found[base] = (name, read())

    if path.is_file() and zipfile.is_zipfile(path):
        budget = UnpackBudget()
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                n = info.filename
                if n.endswith(".js") and (n.startswith("data/") or "/data/" in n):
                    take(n, lambda info=info: _zip_text(zf, info, path, budget))
    elif path.is_dir():
        data = path / "data" if (path / "data").is_dir() else path
        for p in sorted(data.glob("*.js")):
            take(str(p.relative_to(path)), lambda p=p: _decode(p.read_bytes(), p))
    elif path.is_file():
        take(path.name, lambda: _decode(path.read_bytes(), path))
    return found


def _decode(data: bytes, shown: object) -> str:
    """An archive file's text; a byte that is not UTF-8 is a one-line error naming the file,
    line and column (never a ``UnicodeDecodeError`` traceback)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UserInputError(
            f"{shown}: line {line}, column {col}: not UTF-8 ({exc.reason}); X archives are "
            "UTF-8, so the file was changed after download — download the archive again"
        ) from exc


def _zip_text(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, budget: UnpackBudget) -> str:
    shown = f"{path}/{info.filename}"
    budget.check_declared(path, [(info.filename, info.file_size, info.compress_size)])
    buf = io.BytesIO()
    try:
        with zf.open(info) as src:
            budget.copy(src, buf, shown, info.compress_size)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise UserInputError(f"{shown}: cannot be unpacked ({exc})") from exc
    return _decode(buf.getvalue(), shown)


def detect(path: Path) -> bool:
    """True for an X archive zip, its folder (or ``data/`` folder), or one ``window.YTD`` file."""
    try:
        if path.is_file() and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
            return any(re.search(r"(^|/)data/(tweets?|account)\.js$", n) for n in names)
        if path.is_dir():
            data = path / "data" if (path / "data").is_dir() else path
            return (data / "account.js").is_file() or (data / "tweets.js").is_file()
        return path.suffix == ".js" and _YTD.match(peek(path, 200)) is not None
    except (OSError, zipfile.BadZipFile):
        return False


def _records(name: str, text: str) -> list[JsonRecord]:
    m = _YTD.match(text)
    if m is None:
        raise UserInputError(
            f"{name}: not an X archive data file (expected 'window.YTD.<name>.partN = [')"
        )
    return list(iter_array(text, m.end()))


def _unwrap(value: Any, key: str) -> dict[str, Any] | None:
    if isinstance(value, dict) and isinstance(value.get(key), dict):
        inner: dict[str, Any] = value[key]
        return inner
    return value if isinstance(value, dict) and key == "tweet" and "id_str" in value else None


def _full_text(tw: dict[str, Any]) -> str | None:
    text = tw.get("full_text", tw.get("text"))
    if text is None:
        return None
    text = str(text)
    urls = (tw.get("entities") or {}).get("urls") or ()
    for u in urls:
        if isinstance(u, dict) and u.get("url") and u.get("expanded_url"):
            text = text.replace(str(u["url"]), str(u["expanded_url"]))
    return text_or_none(html.unescape(text))


@dataclass
class _Archive:
    source: Path
    out: AdapterOutput = field(default_factory=AdapterOutput)
    brand: str | None = None
    brand_name: str | None = None
    newest: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    """member base name -> its path inside the archive (none when the source is one file)."""

    def file(self, name: str) -> str | None:
        return self.files.get(name)

    def reject(self, table: str, name: str, rec: JsonRecord, reason: str) -> None:
        self.out.reject(table, rec.line, f"{name}: {reason}", rec.raw, file=self.file(name))

    def tweet(self, name: str, rec: JsonRecord) -> None:
        tw = _unwrap(rec.value, "tweet")
        if tw is None or not (tw.get("id_str") or tw.get("id")):
            self.reject("posts", name, rec, "record without tweet.id_str")
            return
        ident = str(tw.get("id_str") or tw.get("id"))
        raw_at = text_or_none(tw.get("created_at"))
        try:
            created = parse_created_at(raw_at or "")
        except ValueError:
            self.reject("posts", name, rec, f"tweet {ident}: created_at {raw_at!r} is not a date")
            return
        text = _full_text(tw)
        if text is not None and text.startswith("RT @"):
            self.out.skip("x: retweet (not the brand's own post)")
            return
        self.newest = max(self.newest or created[:10], created[:10])
        url = f"https://x.com/{self.brand}/status/{ident}"
        to_name = text_or_none(tw.get("in_reply_to_screen_name"))
        to_status = text_or_none(tw.get("in_reply_to_status_id_str"))
        if to_name is None or to_name.lower() == (self.brand or "").lower():
            row: Row = {"platform": PLATFORM, "post_id": ident, "handle": self.brand}
            row |= {"created_at": created, "text": text, "url": url, "_line": rec.line}
            self.out.add("posts", row | {FILE_COLUMN: self.file(name)})
            return
        self.out.add(
            "interactions",
            {
                "platform": PLATFORM,
                "interaction_id": ident,
                "created_at": created,
                "kind": "reply",
                "direction": "outbound",
                "actor_handle": self.brand,
                "actor_name": self.brand_name,
                "target_handle": to_name,
                "post_id": None,
                "in_reply_to": to_status,
                "text": text,
                "url": url,
                "_line": rec.line,
                FILE_COLUMN: self.file(name),
            },
        )


def _part_kind(base: str) -> str:
    m = _PART_FILE.match(base)
    return m.group(1) if m else ""


def _part_order(base: str) -> tuple[int, str]:
    m = _PART_FILE.match(base)
    return (int(m.group(2) or 0) if m else 0, base)


def _archive_date(members: dict[str, tuple[str, str]]) -> str | None:
    if "manifest.js" not in members:
        return None
    text = members["manifest.js"][1]
    start = text.find("{")
    info = top_level(text[start:]) if start >= 0 else {}
    generated = str((info.get("archiveInfo") or {}).get("generationDate") or "")
    return generated[:10] if re.match(r"\d{4}-\d{2}-\d{2}", generated) else None


def read(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Read an X archive (zip, folder or one ``window.YTD`` file; see the module docs)."""
    members = _members(path)
    arc = _Archive(source=path)
    if not (path.is_file() and not zipfile.is_zipfile(path)):  # a zip or a folder
        arc.files = {base: inner for base, (inner, _text) in members.items()}
    if "account.js" in members:
        for rec in _records(*members["account.js"]):
            acc = _unwrap(rec.value, "account")
            if acc is None or not acc.get("username"):
                arc.reject("accounts", "account.js", rec, "record without account.username")
                continue
            arc.brand, arc.brand_name = (
                str(acc["username"]),
                text_or_none(acc.get("accountDisplayName")),
            )
            row: Row = {"platform": PLATFORM, "handle": arc.brand, "owner": "brand"}
            row |= {"display_name": arc.brand_name, "_line": rec.line}
            arc.out.add("accounts", row | {FILE_COLUMN: arc.file("account.js")})
    arc.brand = arc.brand or ctx.brand_handles.get(PLATFORM)
    if arc.brand is None:
        raise UserInputError(
            f"{path}: no data/account.js, so whose archive this is is unknown; import the "
            "whole archive (zip or folder) or the accounts table first"
        )
    ids: dict[str, set[str]] = {}
    for base in sorted(members, key=_part_order):
        kind = _part_kind(base)
        if kind in ("tweets", "tweet"):
            for rec in _records(*members[base]):
                if rec.error:
                    arc.reject("posts", base, rec, rec.error)
                else:
                    arc.tweet(base, rec)
        elif kind in _ID_KEYS:
            table = "interactions" if kind == "like" else "audience_snapshots"
            for rec in _records(*members[base]):
                inner = _unwrap(rec.value, kind)
                ident = text_or_none(inner.get(_ID_KEYS[kind])) if inner else None
                if rec.error or ident is None:
                    why = rec.error or f"record without {kind}.{_ID_KEYS[kind]}"
                    arc.reject(table, base, rec, why)
                else:
                    ids.setdefault(kind, set()).add(ident)
    counts = {kind: len(found) for kind, found in ids.items()}
    if counts.get("like"):
        # like.js names the liked tweet (id, text) but neither its author nor the day of the
        # like, so there is no interaction to record: the likes are counted in the summary.
        arc.out.skip("x: like by the account (like.js has no author or date)", counts["like"])
    day = _archive_date(members) or arc.newest
    if (counts.get("follower") or counts.get("following")) and day:
        arc.out.add(
            "audience_snapshots",
            {
                "platform": PLATFORM,
                "handle": arc.brand,
                "date": day,
                "followers": str(counts.get("follower", 0)),
                "following": str(counts.get("following", 0)),
                "_line": 1,
            },
        )
    return arc.out


FORMAT = register(
    Format(
        name="x-archive",
        description="X/Twitter account archive (zip or folder with data/tweets.js, account.js)",
        detect=detect,
        read=read,
        tables=("accounts", "posts", "interactions", "audience_snapshots"),
        docs="docs/sources/social.md#x-twitter-archive",
    )
)
