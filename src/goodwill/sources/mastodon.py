"""Mastodon: JSON exactly as the REST API returns it → posts, interactions, snapshots, accounts.

Three responses are read (see ``docs/sources/social.md``):

* ``GET /api/v1/accounts/verify_credentials`` (or ``GET /api/v1/accounts/:id``): one Account
  object → an ``audience_snapshots`` row (``followers_count``, ``following_count``) for the
  day written in the file name (``account-2026-05-01.json``), else the file's modification day;
  the credential account (it carries ``source``) is the brand's own → an ``accounts`` row.
* ``GET /api/v1/accounts/:id/statuses``: an array of Status → the account's posts; its replies
  to other people → outbound interactions (``reply``, or ``dm`` for direct visibility) with
  ``in_reply_to`` = ``in_reply_to_id`` and the person addressed from ``mentions``.
* ``GET /api/v1/notifications``: an array of Notification → inbound interactions by
  ``account.acct`` (who pays attention to us, by name): ``mention`` (``reply`` when the status
  answers another, ``dm`` when its visibility is direct), ``reblog`` → ``share``, ``favourite``
  → ``like``, ``follow`` → ``follow``. Other types (status, update, poll, follow_request, admin
  and moderation notices, quotes) are counted as skipped.

A file's kind is recognised from its content (the first record's keys), so files can be named
freely; a folder is read as a whole (account files first, then statuses, then notifications),
which lets a reply to one of our own replies be told from a reply to a post.

Handles: people are always ``user@instance`` (a local ``acct`` is completed with the host of the
account's ``url``); the brand's handle is the one the warehouse's ``accounts`` table knows
(``AdapterContext.brand_handles``), else the ``acct`` of the credential account, else the author
of the statuses.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Literal
from urllib.parse import urlparse

from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.social_json import (
    JsonRecord,
    SocialReader,
    file_date,
    group_files,
    html_to_text,
    iter_array,
    json_files,
    json_shape,
    peek,
    read_text,
    sub,
    text_or_none,
    top_level,
)

__all__ = ["FORMAT", "PLATFORM", "MastodonReader", "detect", "file_kind", "read"]

PLATFORM = "mastodon"
FileKind = Literal[
    "account", "statuses", "notifications", "status", "notification", "grouped", "outbox"
]

_NOTIFICATION_KINDS = {"reblog": "share", "favourite": "like", "follow": "follow"}


def _kind_of(value: Any) -> FileKind | None:
    if isinstance(value, dict):
        if "type" in value and "account" in value:
            return "notifications"
        if "content" in value and "uri" in value:
            return "statuses"
        if "acct" in value and "followers_count" in value:
            return "account"
    return None


def _object_kind(keys: frozenset[str]) -> FileKind | None:
    """The kind of a file whose root is an object, from its top-level keys."""
    if "notification_groups" in keys:
        return "grouped"
    if "orderedItems" in keys and "type" in keys:
        return "outbox"
    if {"type", "account"} <= keys and "group_key" not in keys:
        return "notification"
    if {"id", "content", "uri", "account"} <= keys:
        return "status"
    if {"acct", "followers_count"} <= keys:
        return "account"
    return None


def file_kind(path: Path) -> FileKind | None:
    """Which Mastodon response ``path`` holds (None: not Mastodon): an array's first record,
    or an object's top-level keys, read without limit on a record's size
    (:func:`~.social_json.json_shape`)."""
    if path.suffix.lower() != ".json":
        return None
    shape = json_shape(path)
    if shape.root == "{":
        kind = _object_kind(shape.keys)
        if kind == "outbox" and not _is_outbox(path):
            return None
        return kind
    if shape.root == "[":
        return _kind_of(shape.first)
    return None


def _is_outbox(path: Path) -> bool:
    """An ActivityPub OrderedCollection of activities (a Mastodon archive's outbox.json)."""
    head = peek(path, 4096)
    return '"OrderedCollection' in head or path.name.lower() == "outbox.json"


def detect(path: Path) -> bool:
    """True for a Mastodon API JSON file, or a folder holding at least one."""
    if path.is_dir():
        return any(file_kind(p) for p in json_files(path))
    return path.is_file() and file_kind(path) is not None


def _host(url: object) -> str | None:
    host = urlparse(str(url or "")).hostname
    return host.lower() if host else None


def person_handle(account: dict[str, Any]) -> str | None:
    """``user@instance`` for an Account (a local ``acct`` completed from its ``url``)."""
    acct = text_or_none(account.get("acct"))
    if acct is None:
        return None
    acct = acct.lstrip("@")
    if "@" in acct:
        return acct
    host = _host(account.get("url"))
    return f"{acct}@{host}" if host else acct


def _name(account: dict[str, Any]) -> str | None:
    return text_or_none(account.get("display_name")) or text_or_none(account.get("username"))


@dataclass
class MastodonReader(SocialReader):
    """Turns Mastodon API records into canonical rows; keeps what later records need."""

    brand_id: str | None = None
    brand_name: str | None = None
    platform: ClassVar[str] = PLATFORM

    def stream(self, stream: str, records: list[JsonRecord]) -> None:
        if stream == "statuses":
            self.note_statuses(records)
            self.statuses(records)
        else:
            self.notifications(records)

    # -- account -----------------------------------------------------------------------------
    def account(self, obj: dict[str, Any], line: int, day: date) -> None:
        """A verify_credentials (brand) or plain Account object seen on ``day``."""
        own = "source" in obj
        acct = text_or_none(obj.get("acct"))
        if own and acct:
            self.brand = self.brand or person_handle(obj)
            self.brand_id = text_or_none(obj.get("id"))
            self.brand_name = _name(obj)
            self.out.add(
                "accounts",
                {
                    "platform": PLATFORM,
                    "handle": self.brand,
                    "owner": "brand",
                    "display_name": self.brand_name,
                    "_line": line,
                },
            )
        handle = self.brand if own else person_handle(obj)
        self.out.add(
            "audience_snapshots",
            {
                "platform": PLATFORM,
                "handle": handle,
                "date": day.isoformat(),
                "followers": text_or_none(obj.get("followers_count")),
                "following": text_or_none(obj.get("following_count")),
                "_line": line,
            },
        )

    # -- statuses ----------------------------------------------------------------------------
    def note_statuses(self, records: Iterable[JsonRecord]) -> None:
        """First pass: learn the brand (when unknown) and the ids of its replies."""
        for rec in records:
            if rec.error or not isinstance(rec.value, dict):
                continue
            st = rec.value
            acc = sub(st, "account")
            if self.brand is None and acc.get("acct"):
                self.brand = person_handle(acc)
            to_other = str(st.get("in_reply_to_account_id")) != str(acc.get("id"))
            reply = bool(st.get("in_reply_to_id")) and to_other and not st.get("reblog")
            if reply and self._is_brand(acc):
                self.outbound_ids.add(str(st.get("id")))

    def _is_brand(self, acc: dict[str, Any]) -> bool:
        if self.brand_id is not None and str(acc.get("id")) == self.brand_id:
            return True
        acct = str(acc.get("acct") or "").lstrip("@").lower()
        brand = (self.brand or "").lower()
        return bool(acct) and (acct == brand or person_handle(acc) == brand)

    def statuses(self, records: Iterable[JsonRecord]) -> None:
        self.each(records, "posts", self.status)

    def status(self, rec: JsonRecord) -> None:
        st: dict[str, Any] = rec.value
        acc = st.get("account")
        if not isinstance(acc, dict) or not st.get("id"):
            self._reject("posts", rec, "status without id or account")
            return
        if st.get("reblog"):
            self.out.skip("mastodon: boost by the account (not its own post)")
            return
        own = self._is_brand(acc)
        handle = self.brand if own else person_handle(acc)
        reply_to = text_or_none(st.get("in_reply_to_id"))
        to_self = str(st.get("in_reply_to_account_id")) == str(acc.get("id"))
        if reply_to is None or to_self:
            self.out.add(
                "posts",
                {
                    "platform": PLATFORM,
                    "post_id": str(st["id"]),
                    "handle": handle,
                    "created_at": text_or_none(st.get("created_at")),
                    "text": html_to_text(st.get("content")),
                    "url": text_or_none(st.get("url")),
                    "_line": rec.line,
                },
            )
            return
        if not own:
            self.out.skip("mastodon: reply by another account in a statuses file")
            return
        target = self._addressee(st)
        if target is None:
            self._reject("interactions", rec, "reply without addressee (no mentions)")
            return
        self.out.add(
            "interactions",
            {
                "platform": PLATFORM,
                "interaction_id": str(st["id"]),
                "created_at": text_or_none(st.get("created_at")),
                "kind": "dm" if st.get("visibility") == "direct" else "reply",
                "direction": "outbound",
                "actor_handle": self.brand,
                "actor_name": _name(acc),
                "target_handle": target,
                "post_id": None,
                "in_reply_to": reply_to,
                "text": html_to_text(st.get("content")),
                "url": text_or_none(st.get("url")),
                "_line": rec.line,
            },
        )

    def _addressee(self, st: dict[str, Any]) -> str | None:
        mentions = [m for m in st.get("mentions") or () if isinstance(m, dict)]
        wanted = str(st.get("in_reply_to_account_id"))
        for m in mentions:
            if str(m.get("id")) == wanted:
                return person_handle(m)
        others = [m for m in mentions if not self._is_brand(m)]
        return person_handle(others[0]) if others else None

    # -- notifications -----------------------------------------------------------------------
    def notifications(self, records: Iterable[JsonRecord]) -> None:
        self.each(records, "interactions", self.notification)

    def notification(self, rec: JsonRecord) -> None:
        n: dict[str, Any] = rec.value
        kind = str(n.get("type") or "")
        if "unnamed" in n:
            self.out.skip(
                f"mastodon: grouped {kind} by accounts the group does not name", n["unnamed"]
            )
            return
        acc = n.get("account")
        if kind not in ("mention", *_NOTIFICATION_KINDS):
            self.out.skip(f"mastodon: notification type {kind or '(none)'}")
            return
        if not isinstance(acc, dict) or not acc.get("acct"):
            self._reject("interactions", rec, f"{kind} notification without account")
            return
        if self._is_brand(acc):
            self.out.skip("mastodon: our own action")
            return
        status = n.get("status") if isinstance(n.get("status"), dict) else None
        row: Row = {
            "platform": PLATFORM,
            "interaction_id": text_or_none(n.get("id")),
            "created_at": text_or_none(n.get("created_at")),
            "kind": _NOTIFICATION_KINDS.get(kind),
            "direction": "inbound",
            "actor_handle": person_handle(acc),
            "actor_name": _name(acc),
            "target_handle": self.brand,
            "post_id": None,
            "in_reply_to": None,
            "text": None,
            "url": None,
            "_line": rec.line,
        }
        if kind in ("reblog", "favourite"):
            if status is None or not status.get("id"):
                self._reject("interactions", rec, f"{kind} notification without status")
                return
            row["post_id"] = str(status["id"])
        elif kind == "mention":
            if status is None or not status.get("id"):
                self._reject("interactions", rec, "mention notification without status")
                return
            reply_to = text_or_none(status.get("in_reply_to_id"))
            direct = status.get("visibility") == "direct"
            row["kind"] = "dm" if direct else "reply" if reply_to else "mention"
            row["interaction_id"] = str(status["id"])
            row["created_at"] = text_or_none(status.get("created_at")) or row["created_at"]
            row["in_reply_to"] = reply_to
            if reply_to and not direct and reply_to not in self.outbound_ids:
                row["post_id"] = reply_to
            row["text"] = html_to_text(status.get("content"))
            row["url"] = text_or_none(status.get("url"))
        self.out.add("interactions", row)


def _records(path: Path) -> list[JsonRecord]:
    return list(iter_array(read_text(path)))


def _single(path: Path) -> list[JsonRecord]:
    """A file holding one Status or one Notification object: one record, line 1."""
    text = read_text(path)
    value = top_level(text)
    return [JsonRecord(1, value, None if value else "not a JSON object", text[:2000])]


def ungroup(response: dict[str, Any]) -> list[JsonRecord]:
    """``GET /api/v2/notifications`` (grouped notifications) as v1 Notification records.

    A group (``favourite`` of one status by 14 people) names up to 8 ``sample_account_ids``,
    the most recent first, and its ``notifications_count``: each sample becomes one
    notification (the first keeps ``most_recent_notification_id``, the same id as in
    ``/api/v1/notifications``, so both imports meet; the others get ``group_key:account``),
    dated ``latest_page_notification_at``. Accounts are looked up in ``accounts`` and
    ``partial_accounts``, statuses in ``statuses``. Actors the group counts but does not name
    come back as records with ``unnamed`` set (counted as skipped: there is no one to name).
    """
    accounts: dict[str, dict[str, Any]] = {}
    for key in ("partial_accounts", "accounts"):
        for acc in response.get(key) or ():
            if isinstance(acc, dict) and acc.get("id") is not None:
                accounts[str(acc["id"])] = acc
    statuses = {
        str(st["id"]): st
        for st in response.get("statuses") or ()
        if isinstance(st, dict) and st.get("id") is not None
    }
    out: list[JsonRecord] = []
    for i, group in enumerate(response.get("notification_groups") or (), start=1):
        if not isinstance(group, dict):
            out.append(JsonRecord(i, None, "notification group is not an object", str(group)))
            continue
        samples = [str(a) for a in group.get("sample_account_ids") or ()]
        status = statuses.get(str(group.get("status_id"))) if group.get("status_id") else None
        for n, acc_id in enumerate(samples):
            nid = group.get("most_recent_notification_id") if n == 0 else None
            value: dict[str, Any] = {
                "id": str(nid) if nid is not None else f"{group.get('group_key')}:{acc_id}",
                "type": group.get("type"),
                "created_at": group.get("latest_page_notification_at"),
                "account": accounts.get(acc_id, {"id": acc_id}),
                "status": status,
            }
            out.append(JsonRecord(i, value, None, json.dumps(group)[:2000]))
        try:
            unnamed = int(group.get("notifications_count") or 0) - len(samples)
        except (TypeError, ValueError):
            unnamed = 0
        if unnamed > 0:
            out.append(JsonRecord(i, {"unnamed": unnamed, "type": group.get("type")}, None, ""))
    return out


def _actor_handle(actor: object) -> str | None:
    """``https://host/users/name`` → ``name@host``."""
    url = urlparse(str(actor or ""))
    parts = [p for p in url.path.split("/") if p]
    if url.hostname and len(parts) == 2 and parts[0] == "users":
        return f"{parts[1]}@{url.hostname.lower()}"
    return None


def outbox_statuses(response: dict[str, Any]) -> list[JsonRecord]:
    """An ActivityPub outbox (``outbox.json`` of a Mastodon account archive) as Status records.

    ``Create`` activities of a ``Note`` become statuses (``id`` = the last part of the
    object's id, which is the status id of the REST API; ``in_reply_to_id`` and
    ``in_reply_to_account_id`` from ``inReplyTo``; ``mentions`` from the ``Mention`` tags);
    ``Announce`` (a boost) becomes a status with ``reblog`` so it is counted as skipped;
    anything else is rejected with its type.
    """
    out: list[JsonRecord] = []
    for i, item in enumerate(response.get("orderedItems") or (), start=1):
        raw = json.dumps(item, ensure_ascii=False)[:2000]
        if not isinstance(item, dict):
            out.append(JsonRecord(i, None, "activity is not an object", raw))
            continue
        actor = str(item.get("actor") or "")
        handle = _actor_handle(actor)
        account = {"id": actor, "acct": handle, "url": actor}
        kind = item.get("type")
        obj = item.get("object")
        st: dict[str, Any]
        if kind == "Announce":
            st = {"id": str(item.get("id")), "account": account, "reblog": {"uri": obj}}
            out.append(JsonRecord(i, st, None, raw))
            continue
        if kind != "Create" or not isinstance(obj, dict) or obj.get("type") != "Note":
            out.append(JsonRecord(i, None, f"activity {kind} is not a post (Create Note)", raw))
            continue
        reply_to = text_or_none(obj.get("inReplyTo"))
        parent_actor = reply_to.rsplit("/statuses/", 1)[0] if reply_to else None
        mentions = [
            {
                "id": t.get("href"),
                "acct": str(t.get("name") or "").lstrip("@"),
                "url": t.get("href"),
            }
            for t in obj.get("tag") or ()
            if isinstance(t, dict) and t.get("type") == "Mention"
        ]
        public = "https://www.w3.org/ns/activitystreams#Public"
        audience = [*(obj.get("to") or ()), *(obj.get("cc") or ())]
        followers_only = any(str(a).endswith("/followers") for a in audience)
        st = {
            "id": str(obj.get("id") or "").rstrip("/").rsplit("/", 1)[-1],
            "uri": obj.get("id"),
            "created_at": obj.get("published"),
            "content": obj.get("content"),
            "url": obj.get("url"),
            "account": account,
            "in_reply_to_id": reply_to.rstrip("/").rsplit("/", 1)[-1] if reply_to else None,
            "in_reply_to_account_id": parent_actor,
            "mentions": mentions,
            "visibility": "public"
            if public in audience
            else "private"
            if followers_only
            else "direct",
        }
        out.append(JsonRecord(i, st, None, raw))
    return out


def read(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Read a Mastodon API JSON file, or a folder of them (see the module docs)."""
    reader = MastodonReader(ctx)
    expected = (
        "a Mastodon API response (an Account, Status or Notification object, an array of "
        "Status or Notification objects, grouped notifications) or an archive's outbox.json"
    )
    files = group_files(path, file_kind, reader.out, expected)
    for p in files.get("account", []):
        obj = top_level(read_text(p))
        reader.source = p.name
        since = reader.out.mark()
        reader.account(obj, 1, file_date(p))
        if path.is_dir():  # line 1 of two account files are two records
            reader.out.mark_file(p.name, since)
    own = {p: _records(p) for p in files.get("statuses", [])}
    own |= {p: _single(p) for p in files.get("status", [])}
    own |= {p: outbox_statuses(top_level(read_text(p))) for p in files.get("outbox", [])}
    notes = {p: _records(p) for p in files.get("notifications", [])}
    notes |= {p: _single(p) for p in files.get("notification", [])}
    notes |= {p: ungroup(top_level(read_text(p))) for p in files.get("grouped", [])}
    return reader.read_files(
        "statuses",
        own,
        notes,
        "add the brand's account (GET /api/v1/accounts/verify_credentials saved as "
        "account.json) or its statuses, or import the accounts table first",
    )


FORMAT = register(
    Format(
        name="mastodon",
        description="Mastodon REST API JSON (account, statuses, notifications v1 and v2 "
        "grouped, single status/notification) and an account archive's outbox.json",
        detect=detect,
        read=read,
        tables=("accounts", "audience_snapshots", "posts", "interactions"),
        docs="docs/sources/social.md#mastodon",
    )
)
