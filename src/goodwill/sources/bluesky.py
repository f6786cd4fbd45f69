"""Bluesky: XRPC responses as the endpoints return them → interactions, posts, snapshots.

Read (see ``docs/sources/social.md``), each recognised by its top-level keys:

* ``app.bsky.notification.listNotifications`` (``{"notifications": [...], "cursor": ...}``) →
  inbound interactions by ``author.handle``: reason ``like`` → ``like``, ``repost`` →
  ``share``, ``follow`` → ``follow``, ``mention`` → ``mention``, ``reply`` → ``reply``,
  ``quote`` → ``comment``; other reasons (starterpack-joined, verified, like-via-repost, ...)
  are counted as skipped. ``interaction_id`` is the record key of the notification's ``uri``;
  ``post_id`` the record key of the post acted on (``reasonSubject``, the reply's parent, the
  quoted record).
* ``app.bsky.feed.getAuthorFeed`` (``{"feed": [...]}``) → the author's posts; the brand's
  replies to someone else → outbound ``reply`` interactions addressed to the parent's author.
  Reposts in the feed are skipped.
* ``app.bsky.actor.getProfile`` (a profile with ``followersCount``) → an
  ``audience_snapshots`` row for the day in the file name, else the file's modification day,
  and the brand's ``accounts`` row.
* ``app.bsky.actor.getProfiles`` (``{"profiles": [...]}``) → one ``audience_snapshots`` row per
  profile; an ``accounts`` row for the brand's own when it is among them.
* ``app.bsky.graph.getFollowers`` (``{"subject": ..., "followers": [...]}``) → names the brand
  (``subject.handle``); its followers are counted as skipped (a follower list has no dates:
  follows come from follow notifications, counts from the profile).

A file's kind comes from its top-level keys wherever they are in the file (the XRPC server
writes ``subject`` after a long ``followers`` list), never from its first kilobytes.

Ids are record keys (the last part of an ``at://`` URI), post URLs
``https://bsky.app/profile/<handle>/post/<rkey>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Literal

from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.social_json import (
    JsonRecord,
    SocialReader,
    array_start,
    file_date,
    group_files,
    iter_array,
    json_files,
    json_shape,
    read_text,
    sub,
    text_or_none,
    top_level,
)

__all__ = ["FORMAT", "PLATFORM", "BlueskyReader", "detect", "file_kind", "read", "rkey"]

PLATFORM = "bluesky"
FileKind = Literal["notifications", "feed", "followers", "profile", "profiles"]
_REASONS = {
    "like": "like",
    "repost": "share",
    "follow": "follow",
    "mention": "mention",
    "reply": "reply",
    "quote": "comment",
}


def rkey(uri: object) -> str | None:
    """The record key of an ``at://did/collection/rkey`` URI."""
    text = text_or_none(uri)
    if text is None or not text.startswith("at://"):
        return None
    parts = text[5:].split("/")
    return parts[2] if len(parts) == 3 and parts[2] else None


def _did(uri: object) -> str | None:
    text = text_or_none(uri)
    return text[5:].split("/")[0] if text and text.startswith("at://") else None


def file_kind(path: Path) -> FileKind | None:
    """Which XRPC response ``path`` holds (None: not one of ours), from its top-level keys
    wherever they are in the file (:func:`~.social_json.json_shape`: key order and size do not
    matter)."""
    if path.suffix.lower() != ".json":
        return None
    shape = json_shape(path)
    if shape.root != "{":
        return None
    keys = shape.keys
    if "notifications" in keys:
        return "notifications"
    if "feed" in keys:
        return "feed"
    if "followers" in keys and "subject" in keys:
        return "followers"
    if "profiles" in keys:
        return "profiles"
    if {"did", "handle", "followersCount"} <= keys:
        return "profile"
    return None


def detect(path: Path) -> bool:
    """True for a Bluesky XRPC JSON file, or a folder holding at least one."""
    if path.is_dir():
        return any(file_kind(p) for p in json_files(path))
    return path.is_file() and file_kind(path) is not None


def _post_url(handle: str | None, key: str | None) -> str | None:
    return f"https://bsky.app/profile/{handle}/post/{key}" if handle and key else None


def _quoted(record: dict[str, Any]) -> str | None:
    embed = sub(record, "embed")
    inner = sub(embed, "record")
    if isinstance(inner.get("record"), dict):  # app.bsky.embed.recordWithMedia
        inner = inner["record"]
    return rkey(inner.get("uri"))


def _parent(record: dict[str, Any]) -> str | None:
    reply = sub(record, "reply")
    parent = sub(reply, "parent")
    return text_or_none(parent.get("uri"))


@dataclass
class BlueskyReader(SocialReader):
    """Turns XRPC records into canonical rows; keeps what later records need."""

    brand_did: str | None = None
    platform: ClassVar[str] = PLATFORM

    def stream(self, stream: str, records: list[JsonRecord]) -> None:
        if stream == "feed":
            self.note_feed(records)
            self.feed(records)
        else:
            self.notifications(records)

    def _is_brand(self, author: dict[str, Any]) -> bool:
        if self.brand_did is not None and author.get("did") == self.brand_did:
            return True
        return str(author.get("handle") or "").lower() == (self.brand or "").lower() != ""

    # -- profile and followers -----------------------------------------------------------------
    def profile(self, obj: dict[str, Any], day: date, line: int = 1, *, one: bool = True) -> None:
        """A profile seen on ``day``; with ``one`` (getProfile) it is the brand's when the
        brand is not known yet, in a list (getProfiles) only when it is the brand's."""
        handle = text_or_none(obj.get("handle"))
        own = (one and self.brand is None) or self._is_brand(obj)
        if own:
            self.brand = self.brand or handle
            self.brand_did = text_or_none(obj.get("did"))
            name = text_or_none(obj.get("displayName"))
            row: Row = {"platform": PLATFORM, "handle": self.brand, "owner": "brand"}
            self.out.add("accounts", row | {"display_name": name, "_line": line})
        self.out.add(
            "audience_snapshots",
            {
                "platform": PLATFORM,
                "handle": self.brand if own else handle,
                "date": day.isoformat(),
                "followers": text_or_none(obj.get("followersCount")),
                "following": text_or_none(obj.get("followsCount")),
                "_line": line,
            },
        )

    def profiles(self, obj: dict[str, Any], day: date) -> None:
        """``app.bsky.actor.getProfiles``: one snapshot per profile (record number = line)."""
        for i, prof in enumerate(obj.get("profiles") or (), start=1):
            if isinstance(prof, dict) and prof.get("handle"):
                self.profile(prof, day, i, one=False)
            else:
                self.out.reject("audience_snapshots", i, "profile without handle", str(prof)[:500])

    def followers(self, obj: dict[str, Any]) -> None:
        subject = sub(obj, "subject")
        if self.brand is None and subject.get("handle"):
            self.brand = str(subject["handle"])
            self.brand_did = text_or_none(subject.get("did"))
        n = len(obj.get("followers") or ())
        self.out.skip("bluesky: follower listed (follows come from notifications)", n)

    # -- author feed -------------------------------------------------------------------------
    def note_feed(self, records: Iterable[JsonRecord]) -> None:
        """First pass: learn the brand (when unknown) and the ids of its replies."""
        for rec in records:
            post = rec.value.get("post") if isinstance(rec.value, dict) else None
            if not isinstance(post, dict) or rec.value.get("reason"):
                continue
            author = sub(post, "author")
            if self.brand is None and author.get("handle"):
                self.brand, self.brand_did = str(author["handle"]), text_or_none(author.get("did"))
            record = sub(post, "record")
            parent = _parent(record)
            if parent and self._is_brand(author) and _did(parent) != author.get("did"):
                key = rkey(post.get("uri"))
                if key:
                    self.outbound_ids.add(key)

    def feed(self, records: Iterable[JsonRecord]) -> None:
        self.each(records, "posts", self.feed_item)

    def feed_item(self, rec: JsonRecord) -> None:
        item: dict[str, Any] = rec.value
        post = item.get("post")
        if not isinstance(post, dict):
            self._reject("posts", rec, "feed item without post")
            return
        if isinstance(item.get("reason"), dict) and "Repost" in str(item["reason"].get("$type")):
            self.out.skip("bluesky: repost in the author feed (not the author's post)")
            return
        author = sub(post, "author")
        record = sub(post, "record")
        key = rkey(post.get("uri"))
        if key is None or not author.get("handle"):
            self._reject("posts", rec, "post without at:// uri or author")
            return
        own = self._is_brand(author)
        handle = self.brand if own else str(author["handle"])
        created = text_or_none(record.get("createdAt")) or text_or_none(post.get("indexedAt"))
        text = text_or_none(record.get("text"))
        url = _post_url(str(author["handle"]), key)
        parent = _parent(record)
        if parent is None or _did(parent) == author.get("did"):
            row: Row = {"platform": PLATFORM, "post_id": key, "handle": handle}
            row |= {"created_at": created, "text": text, "url": url, "_line": rec.line}
            self.out.add("posts", row)
            return
        if not own:
            self.out.skip("bluesky: reply by another account in an author feed")
            return
        reply = sub(item, "reply")
        parent_view = sub(reply, "parent")
        to = sub(parent_view, "author")
        if not to.get("handle"):
            self._reject("interactions", rec, "reply whose parent post is missing or blocked")
            return
        self.out.add(
            "interactions",
            {
                "platform": PLATFORM,
                "interaction_id": key,
                "created_at": created,
                "kind": "reply",
                "direction": "outbound",
                "actor_handle": self.brand,
                "actor_name": text_or_none(author.get("displayName")),
                "target_handle": str(to["handle"]),
                "post_id": None,
                "in_reply_to": rkey(parent),
                "text": text,
                "url": url,
                "_line": rec.line,
            },
        )

    # -- notifications -----------------------------------------------------------------------
    def notifications(self, records: Iterable[JsonRecord]) -> None:
        self.each(records, "interactions", self.notification)

    def notification(self, rec: JsonRecord) -> None:
        n: dict[str, Any] = rec.value
        reason = str(n.get("reason") or "")
        if reason not in _REASONS:
            self.out.skip(f"bluesky: notification reason {reason or '(none)'}")
            return
        author = n.get("author")
        key = rkey(n.get("uri"))
        if not isinstance(author, dict) or not author.get("handle") or key is None:
            self._reject("interactions", rec, f"{reason} notification without author or uri")
            return
        if self._is_brand(author):
            self.out.skip("bluesky: our own action")
            return
        record = sub(n, "record")
        has_post = reason in ("mention", "reply", "quote")
        post_id: str | None = None
        in_reply_to: str | None = None
        if reason in ("like", "repost"):
            post_id = rkey(n.get("reasonSubject")) or rkey(
                (record.get("subject") or {}).get("uri") if isinstance(record, dict) else None
            )
        elif reason == "reply":
            in_reply_to = rkey(_parent(record))
            post_id = in_reply_to if in_reply_to not in self.outbound_ids else None
        elif reason == "quote":
            post_id = _quoted(record)
        created = text_or_none(record.get("createdAt")) or text_or_none(n.get("indexedAt"))
        self.out.add(
            "interactions",
            {
                "platform": PLATFORM,
                "interaction_id": key,
                "created_at": created,
                "kind": _REASONS[reason],
                "direction": "inbound",
                "actor_handle": str(author["handle"]),
                "actor_name": text_or_none(author.get("displayName")),
                "target_handle": self.brand,
                "post_id": post_id,
                "in_reply_to": in_reply_to,
                "text": text_or_none(record.get("text")) if has_post else None,
                "url": _post_url(str(author["handle"]), key) if has_post else None,
                "_line": rec.line,
            },
        )


def _load(path: Path) -> tuple[str, dict[str, Any]]:
    text = read_text(path)
    return text, top_level(text)


def _array(text: str, key: str) -> list[JsonRecord]:
    start = array_start(text, key)
    return [] if start is None else list(iter_array(text, start))


def read(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Read an XRPC JSON file, or a folder of them (see the module docs)."""
    reader = BlueskyReader(ctx)
    expected = (
        "a Bluesky XRPC response (listNotifications, getAuthorFeed, getFollowers, getProfile "
        "or getProfiles JSON)"
    )
    files = group_files(path, file_kind, reader.out, expected)
    for p in files.get("followers", []):
        reader.followers(_load(p)[1])
    for p in files.get("profile", []):
        reader.source = p.name
        since = reader.out.mark()
        reader.profile(_load(p)[1], file_date(p))
        if path.is_dir():  # line 1 of two profile files are two records
            reader.out.mark_file(p.name, since)
    for p in files.get("profiles", []):
        reader.source = p.name
        since = reader.out.mark()
        reader.profiles(_load(p)[1], file_date(p))
        if path.is_dir():
            reader.out.mark_file(p.name, since)
    return reader.read_files(
        "feed",
        {p: _array(_load(p)[0], "feed") for p in files.get("feed", [])},
        {p: _array(_load(p)[0], "notifications") for p in files.get("notifications", [])},
        "add the brand's profile (app.bsky.actor.getProfile) or author feed, or import the "
        "accounts table first",
    )


FORMAT = register(
    Format(
        name="bluesky",
        description="Bluesky XRPC JSON: listNotifications, getAuthorFeed, getFollowers, "
        "getProfile, getProfiles",
        detect=detect,
        read=read,
        tables=("accounts", "audience_snapshots", "posts", "interactions"),
        docs="docs/sources/social.md#bluesky",
    )
)
