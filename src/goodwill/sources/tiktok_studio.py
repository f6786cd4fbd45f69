"""TikTok Studio analytics downloads (Analytics › Download data › CSV) → posts, post counts,
follower counts and the account's own daily totals.

TikTok Studio hands out one CSV per tab, each quoted field by field, with dates **without a
year** written in the account's display language ("April 12", "8 de marzo", "18 января",
"9月13日") while the headers stay English:

* ``Content.csv`` — ``"Time","Video title","Video link","Post time","Total likes",
  "Total comments","Total shares","Total views"``: one row per video. Each becomes a ``posts``
  row on platform ``tiktok`` (``post_id`` the numeric video id of the link, ``handle`` the
  ``@handle`` of the link, ``text`` the title, ``url`` the link) and a ``post_stats`` row as of
  "Time" (the day of the download): ``reactions`` = Total likes, ``comments``, ``shares``,
  ``video_views`` = Total views.
* ``FollowerHistory.csv`` — ``"Date","Followers","Difference in followers from previous
  day"``: the follower total per day → ``audience_snapshots`` of the brand's TikTok account
  (``following`` 0: the export has no following count). A day whose count TikTok writes as
  ``undefined`` is left out and counted.
* ``Overview.csv`` — ``"Date","Video Views","Profile Views","Likes","Comments","Shares"``:
  account totals per day → one ``account_metrics`` row per day and column of the brand's
  TikTok account (``video_views``, ``profile_views``, ``likes``, ``comments``, ``shares``).
* ``Viewers.csv`` — ``"Date","Total Viewers","New Viewers","Returning Viewers"`` → the same,
  metrics ``viewers``, ``new_viewers``, ``returning_viewers``. A count TikTok writes as
  ``undefined`` is left out and counted; one that is not a whole number quarantines its day.
* The download's other tabs — ``FollowerActivity.csv`` (``"Date","Hour","Active
  followers"``), ``FollowerGender.csv`` (``"Gender","Distribution"``),
  ``FollowerTopTerritories.csv`` (``"Top territories","Distribution"``): recognised (so a
  whole download folder imports) and left out, each row counted.

**The year.** A video id's upper 32 bits are its upload time (Unix seconds), so a Content
row's "Post time" takes the year that puts it nearest the upload, and "Time" the first such
day on or after the newest upload. FollowerHistory, Overview and Viewers rows carry no id:
each date is the latest day with that month and day on or before the export's day, which is
``exported_on = "YYYY-MM-DD"`` under ``[sources.tiktok]`` in goodwill.toml, else the last date
in the file's or its folder's name (``Overview_2026-04-18``), else the file's modification day
(the day it was downloaded, as long as it was not copied since). A download covers at most a
year, so each date is then unambiguous. Numbers may carry thousands separators (``"5,431"``).

The brand's handle for follower counts and daily totals: the brand account on platform
``tiktok`` in the warehouse, else ``handle`` under ``[sources.tiktok]``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from goodwill.errors import UserInputError
from goodwill.sources.account_metrics import TABLE as METRICS_TABLE
from goodwill.sources.account_metrics import metric_name
from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, register
from goodwill.sources.crm import clean_handle
from goodwill.sources.csvmap import CsvRecord, Field, head_text, option, read_export, value
from goodwill.sources.interchange import LINE_COLUMN
from goodwill.sources.page_insights import file_date

__all__ = [
    "CONTENT_FIELDS",
    "FOLLOWER_FIELDS",
    "OVERVIEW_FIELDS",
    "TIKTOK_STUDIO",
    "month_day",
    "read",
    "upload_time",
]

PLATFORM = "tiktok"

CONTENT_FIELDS: tuple[Field, ...] = (
    Field("as_of", ("Time",), required=True),
    Field("title", ("Video title",)),
    Field("url", ("Video link",), required=True),
    Field("posted", ("Post time",), required=True),
    Field("likes", ("Total likes",)),
    Field("comments", ("Total comments",)),
    Field("shares", ("Total shares",)),
    Field("views", ("Total views",)),
)
FOLLOWER_FIELDS: tuple[Field, ...] = (
    Field("date", ("Date",), required=True),
    Field("followers", ("Followers",), required=True),
    Field("difference", ("Difference in followers from previous day",)),
)
DATE_FIELD = Field("date", ("Date",), required=True)
OVERVIEW_FIELDS: tuple[Field, ...] = (
    Field("date", ("Date",), required=True),
    Field("video_views", ("Video Views",), required=True),
    Field("profile_views", ("Profile Views",), required=True),
)

_CONTENT_HEAD = ("time", "video link", "post time", "total views")
_FOLLOWER_HEAD = ("date", "followers", "difference in followers from previous day")
_OVERVIEW_HEAD = ("date", "video views", "profile views", "likes")
# the download's other tabs: recognised so that importing the whole download works, and left
# out (audience shares and viewer counts have no table)
_VIEWERS_HEAD = ("date", "total viewers", "new viewers", "returning viewers")
_OTHER_HEADS: dict[str, tuple[str, ...]] = {
    "FollowerActivity": ("date", "hour", "active followers"),
    "FollowerGender": ("gender", "distribution"),
    "FollowerTopTerritories": ("top territories", "distribution"),
}

# month names as TikTok Studio writes them (the display language decides), by month number;
# a name matches a word that starts with it (Russian genitive "января", Spanish "marzo")
_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("jan", "ene", "janv", "gen", "янв"),
    2: ("feb", "fev", "fév", "févr", "фев"),
    3: ("mar", "mär", "мар"),
    4: ("apr", "abr", "avr", "апр"),
    5: ("may", "mai", "mag", "mayo", "maio", "мая", "май"),
    6: ("jun", "juin", "giu", "июн"),
    7: ("jul", "juil", "lug", "июл"),
    8: ("aug", "ago", "août", "aoû", "авг"),
    9: ("sep", "set", "сен"),
    10: ("oct", "okt", "out", "ott", "окт"),
    11: ("nov", "ноя"),
    12: ("dec", "dic", "dez", "déc", "дек"),
}
# Vietnamese: "18 tháng Tám" (the month's number in words)
_VI_MONTHS = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười một": 11,
    "mười hai": 12,
}
_CJK = re.compile(r"^(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)
_VIDEO = re.compile(r"tiktok\.com/@([^/?#]+)/(?:video|photo)/(\d+)")


def month_day(text: str) -> tuple[int, int] | date:
    """(month, day) of a TikTok Studio date without a year ("April 12", "8 de marzo",
    "18 января", "9月13日", "18 tháng Tám"); a full ISO date as a :class:`date`. Raises
    ``ValueError`` for anything else."""
    s = " ".join(text.split())
    iso = _ISO.match(s)
    if iso:
        return date(int(iso[1]), int(iso[2]), int(iso[3]))
    cjk = _CJK.match(s)
    if cjk:
        return _checked(int(cjk[1]), int(cjk[2]), text)
    days = re.findall(r"\d{1,2}", s)
    if len(days) != 1:
        raise ValueError(f"not a TikTok date (month and day): {text!r}")
    low = s.casefold()
    if "tháng" in low:
        words = low.split("tháng", 1)[1].strip()
        if words in _VI_MONTHS:
            return _checked(_VI_MONTHS[words], int(days[0]), text)
        raise ValueError(f"not a TikTok date (month and day): {text!r}")
    for word in _WORDS.findall(low):
        for month, stems in _MONTHS.items():
            if any(word.startswith(stem) for stem in stems):
                return _checked(month, int(days[0]), text)
    raise ValueError(f"not a TikTok date (month and day): {text!r}")


def _checked(month: int, day: int, text: str) -> tuple[int, int]:
    try:
        date(2000, month, day)  # a leap year: 29 February is a day
    except ValueError:
        raise ValueError(f"not a day of the year: {text!r}") from None
    return month, day


def _on_or_before(md: tuple[int, int] | date, limit: date) -> date:
    """The latest day with month/day ``md`` on or before ``limit``."""
    if isinstance(md, date):
        return md
    for year in range(limit.year, limit.year - 9, -1):
        try:
            day = date(year, *md)
        except ValueError:  # 29 February of a common year
            continue
        if day <= limit:
            return day
    raise ValueError(f"no day {md} before {limit}")  # pragma: no cover - 8 years hold one


def _nearest(md: tuple[int, int] | date, around: date) -> date:
    """The day with month/day ``md`` nearest ``around`` (a year either side)."""
    if isinstance(md, date):
        return md
    days = []
    for year in (around.year - 1, around.year, around.year + 1):
        try:
            days.append(date(year, *md))
        except ValueError:
            continue
    return min(days, key=lambda d: abs((d - around).days))


def upload_time(video_id: str) -> datetime | None:
    """A TikTok video id's upload time (its upper 32 bits are Unix seconds, UTC); ``None``
    for an id that is not one."""
    if not video_id.isdigit() or int(video_id) < 2**32:
        return None
    seconds = int(video_id) >> 32
    if seconds < 1_400_000_000:  # before 2014: not a TikTok id
        return None
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def _count(text: str | None) -> int | None:
    if text is None:
        return None
    digits = re.sub(r"[\s,.\u00a0\u202f']", "", text)
    if not digits.isdigit():
        raise ValueError(f"not a whole count: {text!r}")
    return int(digits)


def _reference_day(path: Path, ctx: AdapterContext) -> date:
    """The export's day (module docstring): ``exported_on``, a date in the file's or its
    folder's name, else the file's modification day."""
    given = option(ctx.options, "tiktok.exported_on")
    if given is not None:
        try:
            return date.fromisoformat(given)
        except ValueError:
            raise UserInputError(
                f'[sources.tiktok] exported_on = {given!r}: expected a date, "YYYY-MM-DD"'
            ) from None
    for p in (path, path.parent):
        named = file_date(p)
        if named is not None:
            return date.fromisoformat(named)
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).date()


def _brand_handle(ctx: AdapterContext) -> str:
    handle = ctx.brand_handles.get(PLATFORM) or option(ctx.options, "tiktok.handle")
    if handle is None:
        raise UserInputError(
            "no tiktok handle for the brand: import an accounts row (platform tiktok, owner "
            'brand) first, or set it in goodwill.toml: [sources.tiktok] handle = "..."'
        )
    return clean_handle(PLATFORM, handle)


def _kind(path: Path) -> str | None:
    """content, followers, overview or another tab's name (:data:`_OTHER_HEADS`), by the
    header line; ``None`` for another file."""
    line = next(iter(head_text(path, 2048).splitlines()), "").lstrip("\ufeff").casefold()
    cells = tuple(c.strip().strip('"') for c in line.split(","))
    heads: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("content", _CONTENT_HEAD),
        ("followers", _FOLLOWER_HEAD),
        ("overview", _OVERVIEW_HEAD),
        ("viewers", _VIEWERS_HEAD),
    )
    for kind, head in heads:
        if all(h in cells for h in head):
            return kind
    for tab, other in _OTHER_HEADS.items():
        if all(h in cells for h in other) and len(cells) == len(other):
            return tab
    return None


def detect(path: Path) -> bool:
    return path.is_file() and _kind(path) is not None


def read(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """One TikTok Studio CSV (module docstring)."""
    kind = _kind(path)
    if kind == "content":
        return _read_content(path, ctx)
    if kind == "followers":
        return _read_followers(path, ctx)
    if kind in ("overview", "viewers"):
        return _read_account_metrics(path, ctx)
    if kind in _OTHER_HEADS:
        out, csv_file, _ = read_export(
            path, "audience_snapshots", (Field("first", (_OTHER_HEADS[kind][0],)),), {}
        )
        out.skip(f"TikTok {kind} row (not stored: no table for it)", len(csv_file.records))
        return out
    raise UserInputError(
        f"{path}: not a TikTok Studio Content, FollowerHistory or Overview CSV (its first line "
        "names none of their columns)"
    )


def _read_content(path: Path, ctx: AdapterContext) -> AdapterOutput:
    out, csv_file, f = read_export(path, "posts", CONTENT_FIELDS, ctx.mapping)
    parsed: list[tuple[CsvRecord, str, str, date | None]] = []
    for rec in csv_file.records:
        m = _VIDEO.search(value(rec, f, "url") or "")
        if m is None:
            out.reject(
                "posts", rec.line, "no TikTok video link (tiktok.com/@.../video/<id>)", rec.raw
            )
            continue
        uploaded = upload_time(m[2])
        parsed.append((rec, m[1], m[2], uploaded.date() if uploaded else None))
    uploads = [u for *_, u in parsed if u is not None]
    newest = max(uploads) if uploads else _reference_day(path, ctx)
    for rec, handle, vid, up in parsed:
        try:
            as_of_md = month_day(value(rec, f, "as_of") or "")
            as_of = as_of_md if isinstance(as_of_md, date) else _first_on_or_after(as_of_md, newest)
            posted_md = month_day(value(rec, f, "posted") or "")
            posted = _nearest(posted_md, up) if up else _on_or_before(posted_md, as_of)
            counts = {
                col: _count(value(rec, f, name))
                for col, name in (
                    ("reactions", "likes"),
                    ("comments", "comments"),
                    ("shares", "shares"),
                    ("video_views", "views"),
                )
            }
        except ValueError as exc:
            out.reject("posts", rec.line, str(exc), rec.raw)
            continue
        out.add(
            "posts",
            {
                "platform": PLATFORM,
                "post_id": vid,
                "handle": clean_handle(PLATFORM, handle),
                "created_at": f"{posted.isoformat()} 00:00:00",
                "text": value(rec, f, "title"),
                "url": value(rec, f, "url"),
                LINE_COLUMN: rec.line,
            },
        )
        out.add(
            "post_stats",
            {
                "platform": PLATFORM,
                "post_id": vid,
                "as_of": as_of.isoformat(),
                **{k: None if v is None else str(v) for k, v in counts.items()},
                LINE_COLUMN: rec.line,
            },
        )
    return out


def _read_account_metrics(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Overview or Viewers: each count column of a day → one ``account_metrics`` row."""
    out, csv_file, f = read_export(path, METRICS_TABLE, (DATE_FIELD,), ctx.mapping)
    reference = _reference_day(path, ctx)
    metrics = [
        (i, metric_name(h))
        for i, h in enumerate(csv_file.header)
        if i != f["date"] and metric_name(h)
    ]
    brand: str | None = None  # asked for once there is a row
    for rec in csv_file.records:
        counts: list[tuple[str, int]] = []
        try:
            day = _on_or_before(month_day(value(rec, f, "date") or ""), reference)
            for i, metric in metrics:
                text = rec.values[i].strip()
                if text.casefold() == "undefined" or not text:
                    out.skip(f"TikTok {metric} without a count ('undefined' or empty)")
                    continue
                n = _count(text)
                assert n is not None
                counts.append((metric, n))
        except ValueError as exc:
            out.reject(METRICS_TABLE, rec.line, str(exc), rec.raw)
            continue
        brand = brand or _brand_handle(ctx)
        for metric, n in counts:
            out.add(
                METRICS_TABLE,
                {
                    "platform": PLATFORM,
                    "handle": brand,
                    "date": day.isoformat(),
                    "metric": metric,
                    "value": str(n),
                    LINE_COLUMN: rec.line,
                },
            )
    return out


def _first_on_or_after(md: tuple[int, int], start: date) -> date:
    for year in range(start.year, start.year + 9):
        try:
            day = date(year, *md)
        except ValueError:
            continue
        if day >= start:
            return day
    raise ValueError(f"no day {md} after {start}")  # pragma: no cover


def _read_followers(path: Path, ctx: AdapterContext) -> AdapterOutput:
    out, csv_file, f = read_export(path, "audience_snapshots", FOLLOWER_FIELDS, ctx.mapping)
    reference = _reference_day(path, ctx)
    brand: str | None = None  # asked for once there is a row
    for rec in csv_file.records:
        text = value(rec, f, "followers")
        if text is None or text.casefold() == "undefined":
            out.skip("TikTok follower day without a count ('undefined')")
            continue
        try:
            day = _on_or_before(month_day(value(rec, f, "date") or ""), reference)
            n = _count(text)
        except ValueError as exc:
            out.reject("audience_snapshots", rec.line, str(exc), rec.raw)
            continue
        brand = brand or _brand_handle(ctx)
        out.add(
            "audience_snapshots",
            {
                "platform": PLATFORM,
                "handle": brand,
                "date": day.isoformat(),
                "followers": str(n),
                "following": "0",
                LINE_COLUMN: rec.line,
            },
        )
    return out


TIKTOK_STUDIO = register(
    Format(
        name="tiktok-studio",
        description="TikTok Studio analytics CSV: Content (posts and counts), FollowerHistory "
        "(followers per day), Overview and Viewers (account totals per day)",
        detect=detect,
        read=read,
        tables=("posts", "post_stats", "audience_snapshots", METRICS_TABLE),
        docs="docs/sources/tiktok-studio.md",
    )
)
