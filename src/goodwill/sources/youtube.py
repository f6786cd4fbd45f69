"""YouTube Studio analytics export ("Table data.csv") → posts and post_stats.

YouTube Studio › Analytics › Advanced mode › Export current view › Comma-separated values
gives a zip of ``Chart data.csv``, ``Table data.csv`` and ``Totals.csv``, in a folder named
after the content and the range (``Content 2023-11-18_2024-02-25 Channel name``). The table,
by video, is read here (see ``docs/sources/youtube.md``):

* header ``Content,Video title,Video publish time,...`` then the metrics the view shows
  (``Views``, ``Watch time (hours)``, ``Subscribers``, ``Impressions``, ``Likes``...);
* a first row ``Total`` (the channel's total for the range; left out, counted);
* one row per video: ``Content`` is the video id — YouTube writes an id that starts with ``-``
  with a leading space (`` -GhQQTIylYY``) so that spreadsheets do not read it as a formula;
  the space is dropped — ``Video publish time`` is ``Dec 15, 2023`` (empty for a private,
  unlisted or deleted video: such a row is counted as skipped, there is no post to attach it
  to).

Each video → a ``posts`` row of the brand's YouTube account (``handle`` under
``[sources.youtube]``, else the warehouse's YouTube account: the file does not name the
channel) with its title and ``https://www.youtube.com/watch?v=<id>``, and a ``post_stats``
row dated ``as_of``: the last date in the folder's or file's name (the export's end), else
``as_of`` under ``[sources.youtube]``, else the publish date. ``Views`` → ``video_views``,
``Impressions`` → ``impressions``, ``Subscribers`` (net gained, may be negative) →
``follows``, ``Likes`` → ``reactions``, ``Comments added`` → ``comments``, ``Shares`` →
``shares``. Watch time, rates and revenue are not stored. A count that is not a whole number
quarantines the row's ``post_stats`` (the post is kept).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Final

from goodwill.errors import UserInputError
from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.interchange import LINE_COLUMN
from goodwill.sources.limits import LongLine, lines, open_bytes

__all__ = ["FORMAT", "detect", "read"]

PLATFORM: Final = "youtube"
_HEADER: Final = ("content", "video title", "video publish time")
STATS: Final[dict[str, str]] = {
    "views": "video_views",
    "impressions": "impressions",
    "subscribers": "follows",
    "likes": "reactions",
    "comments added": "comments",
    "shares": "shares",
}
_DATE_IN_NAME: Final = re.compile(r"(\d{4}-\d{2}-\d{2})")


def _text(path: Path) -> str:
    parts: list[str] = []
    with open_bytes(path) as fh:
        for n, data in enumerate(lines(fh), start=1):
            if isinstance(data, LongLine):
                raise UserInputError(
                    f"{path}: line {n}: longer than {data.limit:,} bytes (setting max_line_bytes)"
                )
            parts.append(data.decode("utf-8-sig" if n == 1 else "utf-8", "strict"))
    return "".join(parts)


def detect(path: Path) -> bool:
    """A CSV whose header starts ``Content,Video title,Video publish time``."""
    if not path.is_file() or path.suffix.lower() != ".csv":
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8-sig", "replace")
    except OSError:
        return False
    first = next(csv.reader([head.split("\n", 1)[0]]), [])
    return tuple(c.strip().lower() for c in first[:3]) == _HEADER


def _as_of(path: Path, ctx: AdapterContext) -> str | None:
    for part in (path.name, *(p.name for p in path.parents)):
        found = _DATE_IN_NAME.findall(part)
        if found:
            return str(found[-1])
    opt = ctx.options.get("youtube.as_of")
    return date.fromisoformat(opt).isoformat() if opt else None


def _count(text: str) -> str | None:
    value = text.strip().replace(",", "")
    if not value:
        return None
    if not re.fullmatch(r"-?\d+", value):
        raise ValueError(value)
    return value


def read(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Read a YouTube Studio ``Table data.csv`` (see the module docstring)."""
    out = AdapterOutput()
    handle = ctx.options.get("youtube.handle") or ctx.brand_handles.get(PLATFORM)
    if not handle:
        raise UserInputError(
            f"{path}: a YouTube Studio export does not name the channel; set handle under "
            "[sources.youtube] in goodwill.toml or import the accounts table first"
        )
    try:
        text = _text(path)
    except UnicodeDecodeError as exc:
        raise UserInputError(f"{path}: not UTF-8 ({exc.reason})") from exc
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise UserInputError(f"{path}: empty file")
    header = [h.strip().lower() for h in rows[0]]
    stats = {i: STATS[h] for i, h in enumerate(header) if h in STATS}
    as_of = _as_of(path, ctx)
    for line, values in enumerate(rows[1:], start=2):
        if not values:
            continue
        raw = ",".join(values)
        if len(values) != len(header):
            why = f"expected {len(header)} fields as in the header, found {len(values)}"
            out.reject("posts", line, why, raw)
            continue
        video = values[0].strip()
        if video.lower() == "total":
            out.skip("youtube: Total row (the channel's total for the range)")
            continue
        published = values[2].strip()
        if not published:
            out.skip("youtube: video without publish time (private, unlisted or deleted)")
            continue
        try:
            day = datetime.strptime(published, "%b %d, %Y").date().isoformat()
        except ValueError:
            out.reject("posts", line, f"publish time {published!r} is not like 'Dec 15, 2023'", raw)
            continue
        post: Row = {"platform": PLATFORM, "post_id": video, "handle": handle}
        post |= {"created_at": day, "text": values[1] or None, LINE_COLUMN: line}
        out.add("posts", post | {"url": f"https://www.youtube.com/watch?v={video}"})
        row: Row = {"platform": PLATFORM, "post_id": video, "as_of": as_of or day}
        try:
            for i, col in stats.items():
                row[col] = _count(values[i])
        except ValueError as exc:
            out.reject("post_stats", line, f"{exc} is not a whole number", raw)
            continue
        out.add("post_stats", row | {LINE_COLUMN: line})
    return out


FORMAT = register(
    Format(
        name="youtube-studio",
        description="YouTube Studio analytics export (Table data.csv): videos with views, "
        "impressions, subscribers gained",
        detect=detect,
        read=read,
        tables=("posts", "post_stats"),
        docs="docs/sources/youtube.md",
    )
)
