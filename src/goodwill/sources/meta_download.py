"""Instagram and Facebook "Download your information" (JSON) → followers, posts, the account's
own comments and likes.

Meta's account download is a zip (or the folder it unpacks to) of JSON files. Two formats are
registered (see ``docs/sources/meta-download.md``):

**instagram-download** — recognised by ``followers_and_following/`` (under ``connections/`` in
current downloads) or ``personal_information/personal_information/personal_information.json``:

* ``personal_information.json`` — ``profile_user[0].string_map_data.Username`` is the brand's
  handle → an ``accounts`` row (else the warehouse's Instagram account, else ``handle`` under
  ``[sources.instagram]``);
* ``followers_1.json`` (``_2``...) — ``[{"string_list_data": [{"href", "value", "timestamp"}]}]``:
  each follower → an inbound ``follow`` interaction dated when they followed, by ``value`` (or
  the last part of ``href`` in downloads that leave ``value`` out); ``following.json``
  (``{"relationships_following": [...]}``) is counted. Both counts → one
  ``audience_snapshots`` row dated by the download (a ``YYYY-MM-DD`` in the folder's name,
  else the newest date in the files);
* ``content/posts_1.json`` (under ``your_instagram_activity/`` in current downloads) → posts:
  the id is the media id that ends the first media's file name, the text the caption
  (``title``), the time ``creation_timestamp``;
* ``comments/post_comments_1.json`` — ``string_map_data`` ``Comment``, ``Media Owner``,
  ``Time`` → outbound ``comment`` interactions addressed to the media owner;
* ``likes/liked_posts.json`` — ``{"likes_media_likes": [{"title": owner, "string_list_data":
  [{"href": post URL, "timestamp"}]}]}`` → outbound ``like`` interactions (a like without its
  owner is counted as skipped).

**facebook-download** — recognised by ``your_facebook_activity/`` or ``posts/your_posts_1.json``
with ``comments_and_reactions/``:

* ``profile_information/profile_information.json`` — ``profile_v2.username`` (else the
  warehouse's Facebook account, else ``handle`` under ``[sources.facebook]``);
* ``posts/your_posts_1.json`` (current: ``your_posts__check_ins__photos_and_videos_1.json``) —
  ``[{"timestamp", "data": [{"post": text}], "title"}]`` → posts (id ``dyi-<timestamp>``;
  entries without text are counted as skipped);
* ``comments_and_reactions/comments.json`` (``comments_v2``) → outbound ``comment``
  interactions addressed to the person the title names ("… commented on Anna Berg's post.");
* ``comments_and_reactions/likes_and_reactions_1.json`` → outbound ``like`` interactions the
  same way.

Meta writes text as UTF-8 bytes escaped one by one (``"\\u00f0\\u009f\\u0091\\u008d"`` for 👍);
:func:`fix_text` turns them back into the characters. Timestamps are Unix seconds (UTC).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from goodwill.errors import UserInputError
from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.interchange import FILE_COLUMN, LINE_COLUMN
from goodwill.sources.social_json import date_in_name, read_text

__all__ = ["FACEBOOK", "INSTAGRAM", "fix_text", "read_facebook", "read_instagram"]


def fix_text(value: object) -> str | None:
    """Meta's mis-encoded text (UTF-8 bytes as ``\\u00XX`` characters) as real text."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def _utc(ts: object) -> str | None:
    try:
        return datetime.fromtimestamp(int(str(ts)), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _find(root: Path, *patterns: str) -> list[Path]:
    """Files under ``root`` matching any of the glob ``patterns`` (sorted, no duplicates)."""
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in root.glob(pattern) if p.is_file())
    return sorted(found)


def _load(path: Path) -> Any:
    text = read_text(path)
    try:
        return json.loads(text)
    except RecursionError:
        raise UserInputError(f"{path}: JSON nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise UserInputError(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from exc


class _Download:
    def __init__(self, root: Path, platform: str, ctx: AdapterContext) -> None:
        self.root, self.platform, self.ctx = root, platform, ctx
        self.out = AdapterOutput()
        self.brand: str | None = None
        self.newest: str | None = None

    def rel(self, path: Path) -> str:
        return str(path.relative_to(self.root)) if path.is_relative_to(self.root) else path.name

    def set_brand(self, found: str | None, name: str | None, source: Path | None) -> None:
        known = self.ctx.brand_handles.get(self.platform) or self.ctx.options.get(
            f"{self.platform}.handle"
        )
        self.brand = (known or found or "").lstrip("@") or None
        if found and source is not None:
            row: Row = {"platform": self.platform, "handle": self.brand, "owner": "brand"}
            row |= {"display_name": fix_text(name), LINE_COLUMN: 1, FILE_COLUMN: self.rel(source)}
            self.out.add("accounts", row)
        if self.brand is None:
            raise UserInputError(
                f"{self.root}: cannot tell whose {self.platform} download this is (no profile "
                f"file); import the accounts table first or set handle under "
                f"[sources.{self.platform}]"
            )

    def add(self, table: str, path: Path, line: int, row: Row) -> None:
        created = row.get("created_at")
        if isinstance(created, str):
            self.newest = max(self.newest or created[:10], created[:10])
        self.out.add(table, row | {LINE_COLUMN: line, FILE_COLUMN: self.rel(path)})

    def reject(self, table: str, path: Path, line: int, reason: str, raw: object) -> None:
        text = json.dumps(raw, ensure_ascii=False)[:2000]
        self.out.reject(table, line, f"{self.rel(path)}: {reason}", text, file=self.rel(path))

    def interaction(self, path: Path, line: int, kind: str, **fields: str | None) -> None:
        basis = f"{kind}|{fields.get('target_handle')}|{fields.get('created_at')}|"
        basis += f"{fields.get('post_id') or ''}|{fields.get('text') or ''}"
        ident = f"dyi-{kind}-" + hashlib.blake2b(basis.encode(), digest_size=8).hexdigest()
        row: Row = {
            "platform": self.platform,
            "interaction_id": fields.pop("interaction_id", None) or ident,
            "kind": kind,
            "direction": fields.pop("direction", "outbound"),
            "actor_handle": fields.pop("actor_handle", None) or self.brand,
            **fields,
        }
        self.add("interactions", path, line, row)

    def snapshot_day(self) -> str | None:
        for part in (self.root, *self.root.parents):
            day = date_in_name(part)
            if day is not None:
                return day.isoformat()
        return self.newest


# -- Instagram ---------------------------------------------------------------------------------
_IG_MARKERS = (
    "connections/followers_and_following/followers_1.json",
    "followers_and_following/followers_1.json",
    "personal_information/personal_information/personal_information.json",
)
_MEDIA_ID = re.compile(r"_(\d{8,})\.[A-Za-z0-9]+$|_(\d{8,})$")
_POST_CODE = re.compile(r"instagram\.com/(?:[^/]+/)?(?:p|reel|tv)/([^/?#]+)")


def _detect_instagram(path: Path) -> bool:
    return path.is_dir() and any((path / m).is_file() for m in _IG_MARKERS)


def _username(item: dict[str, Any]) -> tuple[str | None, str | None]:
    """(username, timestamp) of a followers/following entry (``value``, else the title or the
    last part of ``href``: current downloads leave ``value`` out)."""
    entries = item.get("string_list_data") or [{}]
    first = entries[0] if isinstance(entries[0], dict) else {}
    name = first.get("value") or item.get("title")
    if not name and first.get("href"):
        name = str(first["href"]).rstrip("/").rsplit("/", 1)[-1]
    return (str(name) if name else None), _utc(first.get("timestamp"))


def read_instagram(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Read an Instagram account download (see the module docstring)."""
    d = _Download(path, "instagram", ctx)
    profile = _find(path, "personal_information/personal_information/personal_information.json")
    found = name = None
    for p in profile:
        users = _load(p).get("profile_user") or [{}]
        data = users[0].get("string_map_data") or {}
        found = (data.get("Username") or {}).get("value")
        name = (data.get("Name") or {}).get("value")
    d.set_brand(found, name, profile[0] if profile and found else None)
    rel = ("", "connections/", "your_instagram_activity/", "data/")
    followers = following = 0
    seen: set[str] = set()
    for p in _find(path, *(f"{r}followers_and_following/followers_*.json" for r in rel)):
        for i, item in enumerate(_load(p), start=1):
            who, when = _username(item) if isinstance(item, dict) else (None, None)
            if who is None or when is None:
                d.reject("interactions", p, i, "follower without username or timestamp", item)
                continue
            followers += who.lower() not in seen
            seen.add(who.lower())
            d.interaction(
                p,
                i,
                "follow",
                interaction_id=f"dyi-follow-{who.lower()}",
                direction="inbound",
                actor_handle=who,
                target_handle=d.brand,
                created_at=when,
            )
    for p in _find(path, *(f"{r}followers_and_following/following.json" for r in rel)):
        following += len(_load(p).get("relationships_following") or ())
    for p in _find(path, *(f"{r}content/posts_*.json" for r in rel)):
        for i, item in enumerate(_load(p), start=1):
            _ig_post(d, p, i, item)
    for p in _find(path, *(f"{r}comments/post_comments_*.json" for r in rel)):
        data = _load(p)
        items = data.get("comments_media_comments", []) if isinstance(data, dict) else data
        for i, item in enumerate(items, start=1):
            m = (item.get("string_map_data") or {}) if isinstance(item, dict) else {}
            owner = (m.get("Media Owner") or {}).get("value")
            when = _utc((m.get("Time") or {}).get("timestamp"))
            if not owner or when is None:
                d.reject("interactions", p, i, "comment without media owner or time", item)
                continue
            text = fix_text((m.get("Comment") or {}).get("value"))
            d.interaction(p, i, "comment", target_handle=owner, created_at=when, text=text)
    for p in _find(path, *(f"{r}likes/liked_posts.json" for r in rel)):
        for i, item in enumerate(_load(p).get("likes_media_likes") or (), start=1):
            owner = item.get("title")
            first = (item.get("string_list_data") or [{}])[0]
            when, href = _utc(first.get("timestamp")), str(first.get("href") or "")
            code = _POST_CODE.search(href)
            if not owner:
                d.out.skip("instagram: like of a post whose owner the download does not name")
                continue
            if when is None:
                d.reject("interactions", p, i, "like without timestamp", item)
                continue
            post = code.group(1) if code else None
            d.interaction(
                p, i, "like", target_handle=owner, created_at=when, post_id=post, url=href or None
            )
    _snapshot(d, followers, following)
    return d.out


def _ig_post(d: _Download, p: Path, i: int, item: Any) -> None:
    media = item.get("media") if isinstance(item, dict) else None
    if not media or not isinstance(media[0], dict):
        d.reject("posts", p, i, "post without media", item)
        return
    first = media[0]
    m = _MEDIA_ID.search(str(first.get("uri") or ""))
    when = _utc(item.get("creation_timestamp") or first.get("creation_timestamp"))
    if m is None or when is None:
        d.reject("posts", p, i, "post without a media id or a time", item)
        return
    text = fix_text(item.get("title")) if "title" in item else fix_text(first.get("title"))
    row: Row = {"platform": "instagram", "post_id": m.group(1) or m.group(2)}
    d.add("posts", p, i, row | {"handle": d.brand, "created_at": when, "text": text})


def _snapshot(d: _Download, followers: int, following: int) -> None:
    day = d.snapshot_day()
    if (followers or following) and day:
        row: Row = {"platform": d.platform, "handle": d.brand, "date": day}
        row |= {"followers": str(followers), "following": str(following), LINE_COLUMN: 1}
        d.out.add("audience_snapshots", row)


# -- Facebook ----------------------------------------------------------------------------------
_FB_ROOTS = ("", "your_facebook_activity/")
_FB_TARGET = re.compile(
    r" (?:commented on|replied to|likes|liked|reacted to) (?P<who>.+?)'s? "
    r"(?:own )?(?:post|comment|photo|video|status|link|album|reel)"
)


def _detect_facebook(path: Path) -> bool:
    if not path.is_dir():
        return False
    if (path / "your_facebook_activity").is_dir():
        return True
    return (path / "posts" / "your_posts_1.json").is_file() and (
        path / "comments_and_reactions"
    ).is_dir()


def read_facebook(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Read a Facebook account download (see the module docstring)."""
    d = _Download(path, "facebook", ctx)
    profile = _find(
        path,
        "profile_information/profile_information.json",
        "personal_information/profile_information/profile_information.json",
    )
    found = name = None
    for p in profile:
        info = _load(p).get("profile_v2") or {}
        found = info.get("username")
        name = (info.get("name") or {}).get("full_name")
    d.set_brand(found, name, profile[0] if profile and found else None)
    for p in _find(path, *(f"{r}posts/your_posts*.json" for r in _FB_ROOTS)):
        for i, item in enumerate(_load(p), start=1):
            texts = [x.get("post") for x in item.get("data") or () if isinstance(x, dict)]
            text = fix_text(next((t for t in texts if t), None))
            when = _utc(item.get("timestamp"))
            if when is None:
                d.reject("posts", p, i, "post without timestamp", item)
            elif not text:
                d.out.skip("facebook: activity without text (photo, check-in, event...)")
            else:
                row: Row = {"platform": "facebook", "post_id": f"dyi-{item['timestamp']}"}
                d.add("posts", p, i, row | {"handle": d.brand, "created_at": when, "text": text})
    sources: list[tuple[str, Callable[[Any], Iterable[Any]], str]] = [
        ("comments_and_reactions/comments.json", lambda x: x.get("comments_v2") or (), "comment"),
        ("comments_and_reactions/likes_and_reactions_*.json", lambda x: x, "like"),
    ]
    for pattern, items_of, kind in sources:
        for p in _find(path, *(f"{r}{pattern}" for r in _FB_ROOTS)):
            for i, item in enumerate(items_of(_load(p)), start=1):
                _fb_action(d, p, i, item, kind)
    return d.out


def _fb_action(d: _Download, p: Path, i: int, item: Any, kind: str) -> None:
    title = fix_text(item.get("title")) if isinstance(item, dict) else None
    when = _utc(item.get("timestamp")) if isinstance(item, dict) else None
    m = _FB_TARGET.search(title or "")
    if when is None:
        d.reject("interactions", p, i, f"{kind} without timestamp", item)
        return
    if m is None or m["who"] in ("his", "her", "their", "your"):
        d.out.skip(f"facebook: {kind} on the account's own or an unnamed post")
        return
    text = None
    for x in item.get("data") or ():
        if isinstance(x, dict) and isinstance(x.get("comment"), dict):
            text = fix_text(x["comment"].get("comment"))
    d.interaction(p, i, kind, target_handle=m["who"], created_at=when, text=text)


INSTAGRAM = register(
    Format(
        name="instagram-download",
        description="Instagram account download (Download your information, JSON): "
        "followers with dates, posts, the account's comments and likes",
        detect=_detect_instagram,
        read=read_instagram,
        tables=("accounts", "audience_snapshots", "posts", "interactions"),
        docs="docs/sources/meta-download.md",
    )
)

FACEBOOK = register(
    Format(
        name="facebook-download",
        description="Facebook account download (Download your information, JSON): posts, "
        "the account's comments and reactions",
        detect=_detect_facebook,
        read=read_facebook,
        tables=("accounts", "posts", "interactions"),
        docs="docs/sources/meta-download.md",
    )
)
