"""Facebook Page, Instagram and LinkedIn page insights exports → posts and follower counts.

Formats (exact exports and columns in docs/sources/business.md):

* **facebook-posts** — Meta Business Suite › Insights › Content › Export (Facebook): "Post ID",
  "Page name", "Publish time", "Permalink", "Title"/"Description", "Reach", "Reactions",
  "Comments", "Shares", ...; and the older Page Insights "Post data" export: "Post ID",
  "Permalink", "Post Message", "Posted", "Lifetime Post Total Reach", ... with a row of
  metric descriptions under the header.
* **instagram-posts** — the same Business Suite export for Instagram: "Post ID",
  "Account username", "Publish time", "Permalink", "Description", "Reach", "Likes", ...
* **linkedin-posts** — LinkedIn Page › Analytics › Content › Export (the workbook, whose "All
  posts" sheet is read, or that sheet as CSV): a title line, then "Post title", "Post link",
  "Created date", "Campaign name", "Impressions", "Likes", "Comments", "Reposts", ... The
  post id is the ``urn:li:...`` of the post link. The workbook's "Metrics" sheet (the page's
  counts per day) goes to ``account_metrics``
  (:func:`goodwill.sources.linkedin_visitors.read_content_metrics`).
* **page-followers** — followers per day: a "Date" column and either a running total
  ("Lifetime Total Likes", "Lifetime Total Followers", "Followers", "Total Followers" of
  Facebook's Page data export, with its description row) or the daily gains (LinkedIn's
  followers export "Organic followers" + "Sponsored followers" (+ "Auto-invited followers"),
  Business Suite's "Primary" or "Daily New Likes"). Gains need ``followers_now = N`` under
  ``[sources.<platform>]`` in goodwill.toml, the count on the export's last day (shown on the
  page), from which each earlier day's total is worked back. The platform is detected from
  the columns or set with ``platform`` under ``[sources.page-followers]``.

Posts become ``posts`` rows of the brand's account: the handle is the brand account of the
platform in the warehouse (accounts table), else ``handle`` under ``[sources.<platform>]``,
else Instagram's "Account username" (a Facebook "Page name" is a title, not a handle, so it
is not used). Per-post counts are aggregates without names, so they are never turned into
interactions (no invented likers): they become one ``post_stats`` row per post (see
:data:`STAT_FIELDS` for the headers of each column), dated ``as_of`` = the export's "Date"
column when it holds a date, else ``as_of`` under ``[sources.<platform>]``, else the last
date in the file name (Business Suite names its exports ``Mar-01-2026_Mar-31-2026_....csv``),
else the post's publish date. A count that is not a whole number quarantines that post's
``post_stats`` row (the post itself is kept); count columns not stored (Business Suite's
"Reactions, Comments and Shares", Facebook's organic reach...) are counted as skipped. Follower
counts become ``audience_snapshots`` with ``following`` 0 (pages follow nobody). Times without
an offset ("Publish time") are read as UTC.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from goodwill.errors import UserInputError
from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, register
from goodwill.sources.crm import clean_handle
from goodwill.sources.csvmap import (
    CsvFile,
    CsvRecord,
    Field,
    Fields,
    head_text,
    name_sheet,
    option,
    parse_amount,
    parse_date,
    parse_timestamp,
    read_export,
    value,
)
from goodwill.sources.interchange import LINE_COLUMN
from goodwill.sources.linkedin_visitors import read_content_metrics
from goodwill.sources.spreadsheet import is_workbook, sheet_heads

__all__ = [
    "FACEBOOK_POSTS",
    "FOLLOWER_FIELDS",
    "INSTAGRAM_POSTS",
    "LINKEDIN_POSTS",
    "METRIC_HEADERS",
    "PAGE_FOLLOWERS",
    "POST_FIELDS",
    "STAT_FIELDS",
    "file_date",
    "read_followers",
    "read_posts",
]

POST_FIELDS: tuple[Field, ...] = (
    Field("post_id", ("Post ID",)),
    Field("url", ("Permalink", "Post link")),
    Field("created_at", ("Publish time", "Posted", "Created date"), required=True),
    Field("text", ("Post Message", "Description", "Title", "Post title")),
    Field("handle", ("Account username",)),
    Field("campaign", ("Campaign name",)),
    Field("as_of", ("Date",)),
)

STAT_FIELDS: tuple[Field, ...] = (
    Field("impressions", ("Impressions", "Lifetime Post Total Impressions", "Views")),
    Field("reach", ("Reach", "Lifetime Post Total Reach")),
    Field("reactions", ("Reactions", "Likes")),
    Field("comments", ("Comments",)),
    Field("shares", ("Shares", "Reposts")),
    Field("saves", ("Saves",)),
    Field("clicks", ("Total clicks", "Clicks")),
    Field("video_views", ("Views (excluding off-site video views)",)),
    Field("follows", ("Follows",)),
)
"""``post_stats`` columns and the export headers they are read from, the first found wins
(Meta's "Views" is the impressions of exports made after it replaced Impressions)."""

METRIC_HEADERS: tuple[str, ...] = (
    "Reach",
    "Impressions",
    "Views",
    "Reactions",
    "Likes",
    "Comments",
    "Shares",
    "Reposts",
    "Saves",
    "Clicks",
    "Total clicks",
    "Follows",
    "Reactions, Comments and Shares",
    "Lifetime Post organic reach",
    "Lifetime Engaged Users",
    "Lifetime Post Total Reach",
    "Lifetime Post Total Impressions",
    "Lifetime Total Likes",
    "Daily New Likes",
    "Organic followers",
)
"""Count columns: a description row has text in them; those not in :data:`STAT_FIELDS` are
counted as skipped."""

FOLLOWER_FIELDS: tuple[Field, ...] = (
    Field("date", ("Date",), required=True),
    Field(
        "followers",
        (
            "Lifetime Total Followers",
            "Lifetime Total Likes",
            "Total Followers (lifetime)",
            "Followers",
            "Followers count",
        ),
    ),
    Field("organic", ("Organic followers",)),
    Field("sponsored", ("Sponsored followers",)),
    Field("invited", ("Auto-invited followers",)),
    Field("new", ("Daily New Followers", "Daily New Likes", "Primary", "New followers")),
)

_LINKEDIN_URN = re.compile(r"(urn:li:[a-zA-Z]+:\d+)")


def _description_row(headers: Sequence[str]) -> Callable[[CsvFile, Sequence[str]], bool]:
    """True for the row under the header that describes each metric in words."""
    wanted = {h.casefold() for h in headers}

    def check(csv_file: CsvFile, values: Sequence[str]) -> bool:
        cols = [i for i, h in enumerate(csv_file.header) if h.casefold() in wanted]
        texts = [values[i] for i in cols if i < len(values) and values[i].strip()]
        return bool(texts) and all(re.search(r"[A-Za-z]{3,}\s", t) for t in texts)

    return check


def _brand_handle(platform: str, ctx: AdapterContext, rec: CsvRecord, f: Fields) -> str:
    handle = (
        ctx.brand_handles.get(platform)
        or option(ctx.options, f"{platform}.handle")
        or value(rec, f, "handle")
    )
    if handle is None:
        raise UserInputError(
            f"no {platform} handle for the brand: import an accounts row (platform {platform}, "
            f'owner brand) first, or set it in goodwill.toml: [sources.{platform}] handle = "..."'
        )
    return clean_handle(platform, handle)


def _post_id(platform: str, rec: CsvRecord, f: Fields) -> str:
    pid = value(rec, f, "post_id")
    if pid is not None:
        return pid.lstrip("'")
    url = value(rec, f, "url") or ""
    m = _LINKEDIN_URN.search(url)
    if m:
        return m.group(1)
    if url:
        return url.rstrip("/").rsplit("/", 1)[-1]
    raise ValueError("no post id or link")


_NAMED_DATE = re.compile(r"(?<![A-Za-z])([A-Z][a-z]{2})-(\d{1,2})-(\d{4})(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def file_date(path: Path) -> str | None:
    """The last date written in a file name (``Mar-01-2026_Mar-31-2026_1.csv`` ->
    ``2026-03-31``; ``posts_2026-03-31.csv``), as ``YYYY-MM-DD``; ``None`` without one."""
    found: list[str] = []
    for mon, day, year in _NAMED_DATE.findall(path.name):
        try:
            found.append(datetime.strptime(f"{mon} {day} {year}", "%b %d %Y").date().isoformat())
        except ValueError:
            continue
    for year, month, day in _ISO_DATE.findall(path.name):
        try:
            found.append(date(int(year), int(month), int(day)).isoformat())
        except ValueError:
            continue
    return max(found) if found else None


def _as_of(rec: CsvRecord, f: Fields, default: str | None, created_at: str) -> str:
    """The day of a post's counts (module docstring): the record's date, else ``default``,
    else the publish date."""
    text = value(rec, f, "as_of")
    if text is not None:
        # Business Suite writes "Lifetime" there, which names no day: fall through
        with contextlib.suppress(ValueError):
            return parse_date(text)
    return default or created_at[:10]


def _stats_row(
    platform: str, post_id: str, as_of: str, rec: CsvRecord, f: Fields
) -> dict[str, str | int | None]:
    """The ``post_stats`` row of a record; ValueError naming the column of a bad count."""
    row: dict[str, str | int | None] = {"platform": platform, "post_id": post_id, "as_of": as_of}
    for field_ in STAT_FIELDS:
        if field_.name not in f:
            continue
        text = value(rec, f, field_.name)
        try:
            n = None if text is None else _count(text)
            if n is not None and n < 0:
                raise ValueError(f"a negative count: {text!r}")
            row[field_.name] = n
        except ValueError as exc:
            raise ValueError(f"{field_.name}: {exc}") from None
    row[LINE_COLUMN] = rec.line
    return row


def read_posts(platform: str) -> Callable[[Path, AdapterContext], AdapterOutput]:
    """A reader for ``platform``'s post export (module docstring)."""

    def read(path: Path, ctx: AdapterContext) -> AdapterOutput:
        out, csv_file, f = read_export(
            path,
            "posts",
            (*POST_FIELDS, *STAT_FIELDS),
            ctx.mapping,
            description_row=_description_row(METRIC_HEADERS),
        )
        stored = {f[s.name] for s in STAT_FIELDS if s.name in f}
        metrics = {h.casefold() for h in METRIC_HEADERS}
        n_metrics = sum(
            1 for i, h in enumerate(csv_file.header) if h.casefold() in metrics and i not in stored
        )
        default_as_of = option(ctx.options, f"{platform}.as_of")
        if default_as_of is not None:
            try:
                default_as_of = parse_date(default_as_of)
            except ValueError:
                raise UserInputError(
                    f"[sources.{platform}] as_of = {default_as_of!r}: expected a date (YYYY-MM-DD)"
                ) from None
        else:
            default_as_of = file_date(path)
        for rec in csv_file.records:
            handle = _brand_handle(platform, ctx, rec, f)
            try:
                row = {
                    "platform": platform,
                    "post_id": _post_id(platform, rec, f),
                    "handle": handle,
                    "created_at": parse_timestamp(value(rec, f, "created_at") or ""),
                    "text": value(rec, f, "text"),
                    "url": value(rec, f, "url"),
                    "campaign": value(rec, f, "campaign"),
                    LINE_COLUMN: rec.line,
                }
            except ValueError as exc:
                out.reject("posts", rec.line, str(exc), rec.raw)
                continue
            out.add("posts", row)
            if n_metrics:
                out.skip("post count columns not stored", n_metrics)
            if not stored:
                continue
            post_id, created = str(row["post_id"]), str(row["created_at"])
            try:
                stats = _stats_row(
                    platform, post_id, _as_of(rec, f, default_as_of, created), rec, f
                )
            except ValueError as exc:
                out.reject("post_stats", rec.line, str(exc), rec.raw)
                continue
            out.add("post_stats", stats)
        name_sheet(out, csv_file)
        if platform == "linkedin" and csv_file.sheet is not None:
            _merge(out, _content_metrics(path, ctx))
        return out

    return read


def _content_metrics(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """The LinkedIn content workbook's "Metrics" sheet (daily totals of the page) →
    ``account_metrics``; nothing when the workbook has no such sheet."""
    if not any("impressions (total)" in text.casefold() for _, text in sheet_heads(path)):
        return AdapterOutput()
    return read_content_metrics(path, ctx)


def _merge(out: AdapterOutput, more: AdapterOutput) -> None:
    for table, rows in more.tables.items():
        out.extend(table, rows)
    for table, rejected in more.rejected.items():
        out.rejected.setdefault(table, []).extend(rejected)
    for reason, n in more.skipped.items():
        out.skip(reason, n)


def _count(text: str | None) -> int:
    if text is None:
        return 0
    amount = parse_amount(text)
    if amount != amount.to_integral_value():
        raise ValueError(f"not a whole count: {text!r}")
    return int(amount)


def _platform_of(csv_file: CsvFile, ctx: AdapterContext) -> str:
    given = option(ctx.options, "page-followers.platform")
    if given is not None:
        return given.lower()
    headers = {h.casefold() for h in csv_file.header}
    if "organic followers" in headers:
        return "linkedin"
    if {"lifetime total likes", "daily new likes"} & headers:
        return "facebook"
    raise UserInputError(
        f"{csv_file.path}: cannot tell which platform these follower counts are for; "
        'set it in goodwill.toml: [sources.page-followers] platform = "instagram" (or '
        "facebook, linkedin)"
    )


def read_followers(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Followers per day -> audience_snapshots (module docstring)."""
    counts = [h for fl in FOLLOWER_FIELDS[1:] for h in fl.headers]
    out, csv_file, f = read_export(
        path,
        "audience_snapshots",
        FOLLOWER_FIELDS,
        ctx.mapping,
        description_row=_description_row(counts),
    )
    platform = _platform_of(csv_file, ctx)
    gains = [n for n in ("organic", "sponsored", "invited", "new") if n in f]
    if "followers" not in f and not gains:
        raise UserInputError(
            f"{csv_file.path}: no follower column (a total such as 'Lifetime Total Likes' or "
            "daily gains such as 'Organic followers'); name one with --map followers=<header>"
        )
    days: list[tuple[str, int, CsvRecord]] = []
    for rec in csv_file.records:
        try:
            day = parse_date(value(rec, f, "date") or "")
            if "followers" in f:
                count_text = value(rec, f, "followers")
                if count_text is None:
                    raise ValueError("no follower count")
                n = _count(count_text)
            else:
                n = sum(_count(value(rec, f, g)) for g in gains)
        except ValueError as exc:
            out.reject("audience_snapshots", rec.line, str(exc), rec.raw)
            continue
        days.append((day, n, rec))
    days.sort(key=lambda d: d[0])
    if "followers" not in f and days:
        now = option(ctx.options, f"{platform}.followers_now")
        if now is None:
            raise UserInputError(
                f"{csv_file.path}: this export has daily follower gains, not totals; give the "
                f"follower count on its last day ({days[-1][0]}) in goodwill.toml: "
                f"[sources.{platform}] followers_now = N"
            )
        if not now.strip().isdigit():
            raise UserInputError(
                f"[sources.{platform}] followers_now = {now!r}: expected a whole number"
            )
        total = int(now)
        totals: list[int] = []
        for _, gain, _ in reversed(days):
            totals.append(total)
            total -= gain
        days = [(d, t, r) for (d, _, r), t in zip(days, reversed(totals), strict=True)]
    for day, n, rec in days:
        out.add(
            "audience_snapshots",
            {
                "platform": platform,
                "handle": _brand_handle(platform, ctx, rec, f),
                "date": day,
                "followers": str(n),
                "following": "0",
                LINE_COLUMN: rec.line,
            },
        )
    name_sheet(out, csv_file)
    return out


def _first_lines(path: Path, n: int = 3) -> list[str]:
    """The first ``n`` lines of the file, casefolded; of each sheet for a workbook."""
    texts = [text for _, text in sheet_heads(path)] if is_workbook(path) else [head_text(path)]
    return ["\n".join(ln for ln in t.splitlines()[:n]).casefold() for t in texts]


def _detect_posts(platform: str) -> Callable[[Path], bool]:
    def detect(path: Path) -> bool:
        return any(_posts_head(platform, head) for head in _first_lines(path))

    return detect


def _posts_head(platform: str, head: str) -> bool:
    if platform == "linkedin":
        return "post link" in head and "created date" in head
    if "post id" not in head or "permalink" not in head:
        return False
    if platform == "instagram":
        return "account username" in head
    return "account username" not in head


def _detect_followers(path: Path) -> bool:
    return any(_followers_head(head) for head in _first_lines(path))


def _followers_head(head: str) -> bool:
    if "date" not in head or "post id" in head:
        return False
    return any(
        w in head for w in ("organic followers", "lifetime total likes", "lifetime total followers")
    )


FACEBOOK_POSTS = register(
    Format(
        name="facebook-posts",
        description="Facebook Page post export (Business Suite or Page Insights post data)",
        detect=_detect_posts("facebook"),
        read=read_posts("facebook"),
        tables=("posts", "post_stats"),
        docs="docs/sources/business.md#facebook-instagram-and-linkedin-posts",
    )
)

INSTAGRAM_POSTS = register(
    Format(
        name="instagram-posts",
        description="Instagram post export (Meta Business Suite content export)",
        detect=_detect_posts("instagram"),
        read=read_posts("instagram"),
        tables=("posts", "post_stats"),
        docs="docs/sources/business.md#facebook-instagram-and-linkedin-posts",
    )
)

LINKEDIN_POSTS = register(
    Format(
        name="linkedin-posts",
        description="LinkedIn Page content export (all posts; .xls/.xlsx or the sheet as CSV; "
        "the workbook's daily Metrics sheet too)",
        detect=_detect_posts("linkedin"),
        read=read_posts("linkedin"),
        tables=("posts", "post_stats", "account_metrics"),
        docs="docs/sources/business.md#facebook-instagram-and-linkedin-posts",
    )
)

PAGE_FOLLOWERS = register(
    Format(
        name="page-followers",
        description="Followers per day of a Facebook, Instagram or LinkedIn page (LinkedIn's "
        ".xls/.xlsx too)",
        detect=_detect_followers,
        read=read_followers,
        tables=("audience_snapshots",),
        docs="docs/sources/business.md#page-followers",
    )
)
