"""Links from a dashboard row to the message on its platform.

:func:`post_permalink` is the one rule; :func:`post_links` looks the stored ``url`` and
``kind`` of listed interactions up in the warehouse so a table can link each row."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from urllib.parse import quote, urlsplit

import ibis
import pandas as pd

from goodwill.metrics.declarations import Backend

POST_KINDS = frozenset({"mention", "reply", "comment", "post", "quote"})
_X_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
_X_ID = re.compile(r"[0-9]{1,20}")
_RKEY = re.compile(r"[A-Za-z0-9._:~-]{1,512}")
_AT_POST = re.compile(r"at://([^/\s]+)/app\.bsky\.feed\.post/([^/\s?#]+)")


def safe_http_url(url: object) -> str | None:
    """``url`` when it is an absolute ``http(s)://host/...`` URL, else ``None`` (so a
    ``javascript:`` or relative value is never rendered as a link)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c in url for c in "\"'<> \t\r\n"):
        return None
    return url


def post_permalink(
    platform: str | None,
    interaction_id: str | None,
    actor_handle: str | None,
    url: str | None = None,
    kind: str | None = None,
) -> str | None:
    """The address of one message on its platform, or ``None`` when there is none to trust.

    1. The interaction's own stored ``url`` when it is an http(s) URL.
    2. Else, for a public post (``kind`` mention/reply/comment/post/quote, or unknown),
       built from stable permalink patterns:
       ``x`` (or ``twitter``): ``https://x.com/{handle}/status/{id}`` when the id is numeric
       and the handle a valid X handle; ``bluesky``: ``https://bsky.app/profile/{handle}/post/{rkey}``
       with ``rkey`` taken from an ``at://…/app.bsky.feed.post/{rkey}`` id (or the id itself
       when it is a bare record key), the handle falling back to the URI's DID.
    3. Else ``None``: direct messages, Mastodon (its status URL depends on the author's
       server and is only trusted when stored) and every other platform.
    """
    stored = safe_http_url(url)
    if stored:
        return stored
    if kind is not None and kind not in POST_KINDS:
        return None
    ident = (interaction_id or "").strip()
    handle = (actor_handle or "").strip().lstrip("@")
    name = (platform or "").strip().lower()
    if name in ("x", "twitter"):
        if _X_ID.fullmatch(ident) and _X_HANDLE.fullmatch(handle):
            return f"https://x.com/{handle}/status/{ident}"
        return None
    if name == "bluesky":
        at = _AT_POST.fullmatch(ident)
        rkey, authority = (at.group(2), at.group(1)) if at else (ident, "")
        if ident.startswith("at://") and not at:
            return None  # a like, repost or follow record: not a post
        who = handle or authority
        if not (_RKEY.fullmatch(rkey) and rkey not in (".", "..") and who):
            return None
        return f"https://bsky.app/profile/{quote(who, safe=':.')}/post/{quote(rkey, safe='')}"
    return None


def post_links(backend: Backend, frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    """``(platform, interaction_id) -> permalink`` for the rows of ``frame`` (which has
    ``platform``, ``interaction_id`` and ``actor_handle``), reading each interaction's stored
    ``url`` and ``kind``; rows without a trustworthy link are left out."""
    if frame.empty:
        return {}
    ids = sorted({str(i) for i in frame["interaction_id"].dropna()})
    t = backend.table("interactions")
    found = (
        t.filter(t.interaction_id.isin(ids) if ids else ibis.literal(False))
        .select("platform", "interaction_id", "kind", "url")
        .to_pandas()
    )
    stored = {
        (str(r.platform), str(r.interaction_id)): (r.kind, r.url)
        for r in found.itertuples(index=False)
    }
    out: dict[tuple[str, str], str] = {}
    for r in frame.to_dict("records"):
        key = (str(r.get("platform")), str(r.get("interaction_id")))
        kind, url = stored.get(key, (None, None))
        link = post_permalink(key[0], key[1], _text(r.get("actor_handle")), _text(url), _text(kind))
        if link:
            out[key] = link
    return out


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def row_link(links: Mapping[tuple[str, str], str]) -> Callable[[Mapping[str, object]], str | None]:
    """A ``table(links=...)`` function giving a row's permalink from :func:`post_links`."""

    def make(r: Mapping[str, object]) -> str | None:
        return links.get((str(r.get("platform")), str(r.get("interaction_id"))))

    return make
