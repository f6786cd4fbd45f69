"""``goodwill sync bluesky``: the brand's profile, author feed and notifications, incrementally.

Uses the ``atproto`` client (``pip install 'atproto>=0.0.60,<0.1'``): ``createSession`` with
the handle and an app password, then raw XRPC queries whose JSON is handed to
:class:`goodwill.sources.bluesky.BlueskyReader`, exactly as a saved file would be.

Bluesky pages backwards in time (``cursor`` → older), with no "since" parameter, so each
stream (``feed``: ``app.bsky.feed.getAuthorFeed``; ``notifications``:
``app.bsky.notification.listNotifications``) keeps in ``sync_state``:

* ``high`` — the newest ``indexedAt`` of everything already synced;
* ``pending`` — while a pass is under way: the ``cursor`` of the next older page, the ``stop_at``
  of the pass (the ``high`` it started from) and the ``new_high`` it will leave.

A pass reads from the newest page down to the first item older than ``stop_at``; after each
page is committed, ``pending`` is saved with it. A run first finishes a pending pass (the rest
of an interrupted one), then makes a new pass from the top: so an interruption leaves no gap
and items at the boundary are read twice at most (they merge on their keys).
``app.bsky.actor.getProfile`` gives today's audience snapshot on every run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from goodwill.errors import UserInputError
from goodwill.sources.adapters import AdapterContext
from goodwill.sources.bluesky import PLATFORM, BlueskyReader
from goodwill.sources.context import brand_handles
from goodwill.sources.social_json import sub
from goodwill.sources.sync import MAX_RETRIES, Sleep, SyncReport, SyncRun, retry_wait
from goodwill.warehouse import Warehouse

__all__ = ["WaitingTransport", "sync_bluesky"]

DEFAULT_SERVICE = "https://bsky.social"


class WaitingTransport(httpx.BaseTransport):
    """An httpx transport that waits out ``429`` answers (see :func:`.sync.retry_wait`)."""

    def __init__(self, report: SyncReport, sleep: Sleep = time.sleep) -> None:
        self.inner = httpx.HTTPTransport()
        self.report = report
        self.sleep = sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for attempt in range(MAX_RETRIES + 1):
            resp = self.inner.handle_request(request)
            if resp.status_code != 429 or attempt == MAX_RETRIES:
                return resp
            resp.read()
            resp.close()
            wait = retry_wait(resp.headers, attempt + 1)
            self.report.note_wait(wait)
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        self.inner.close()


def _when(value: object) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _indexed(stream: str, item: Any) -> datetime | None:
    """When the item entered the stream: a notification's ``indexedAt``; in a feed, the
    repost's ``reason.indexedAt`` (the feed is ordered by it) or the post's ``indexedAt``."""
    if stream == "feed":
        node = sub(item, "reason") if sub(item, "reason").get("indexedAt") else sub(item, "post")
    else:
        node = item if isinstance(item, dict) else {}
    return _when(node.get("indexedAt"))


def _why(exc: Exception) -> str:
    """What went wrong, in words: the XRPC error and message, or the network error."""
    resp = getattr(exc, "response", None)
    if resp is not None:
        content = getattr(resp, "content", None)
        error = getattr(content, "error", None)
        message = getattr(content, "message", None)
        text = ": ".join(str(x) for x in (error, message) if x) or str(content)[:200]
        return f"HTTP {getattr(resp, 'status_code', '?')} {text}"
    cause = exc.__cause__ or exc.__context__
    return str(exc) or (f"{type(cause).__name__}: {cause}" if cause else type(exc).__name__)


def sync_bluesky(
    wh: Warehouse,
    handle: str,
    app_password: str,
    *,
    service: str = DEFAULT_SERVICE,
    limit: int = 50,
    sleep: Sleep = time.sleep,
) -> SyncReport:
    """Bring the account's new posts, replies and notifications into ``wh`` (module docs)."""
    try:
        from atproto import Client, models  # type: ignore[import-untyped,import-not-found,unused-ignore]
        from atproto.exceptions import AtProtocolError  # type: ignore[import-untyped,import-not-found,unused-ignore]
        from atproto_client.request import Request  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise UserInputError(
            "goodwill sync bluesky needs the atproto client: pip install 'atproto>=0.0.60,<0.1'"
        ) from exc
    service = service.rstrip("/")
    run = SyncRun(wh, source=PLATFORM, account=f"{service}/{handle.lstrip('@').lower()}")
    transport = WaitingTransport(run.report, sleep)
    client = Client(base_url=service, request=Request(transport=transport))
    try:
        client.login(handle.lstrip("@"), app_password, fetch_bsky_profile=False)
        did = client.me.did if client.me else None
        session = client._session
        did = did or (session.did if session else None)
        profile = client.invoke_query(
            "app.bsky.actor.getProfile", params=models.AppBskyActorGetProfile.Params(actor=did)
        ).content
        ctx = AdapterContext(brand_handles=brand_handles(wh))
        reader = BlueskyReader(ctx, outbound_ids=run.known_ids(PLATFORM), brand_did=did)
        reader.source = "getProfile"
        reader.profile(profile, datetime.now(UTC).date())
        run.commit("profile", reader.out, f"{service} getProfile", None)

        def feed(cursor: str | None) -> tuple[list[Any], str | None]:
            params = models.AppBskyFeedGetAuthorFeed.Params(actor=did, cursor=cursor, limit=limit)
            body = client.invoke_query("app.bsky.feed.getAuthorFeed", params=params).content
            return list(body.get("feed") or []), body.get("cursor")

        def notifications(cursor: str | None) -> tuple[list[Any], str | None]:
            params = models.AppBskyNotificationListNotifications.Params(cursor=cursor, limit=limit)
            nsid = "app.bsky.notification.listNotifications"
            body = client.invoke_query(nsid, params=params).content
            return list(body.get("notifications") or []), body.get("cursor")

        for stream, fetch in (("feed", feed), ("notifications", notifications)):
            _sync_stream(run, reader, stream, fetch, service)
    except AtProtocolError as exc:
        raise UserInputError(f"bluesky sync of {handle} at {service}: {_why(exc)}") from exc
    finally:
        transport.close()
    return run.report


Fetch = Callable[[str | None], tuple[list[Any], str | None]]


def _sync_stream(
    run: SyncRun, reader: BlueskyReader, stream: str, fetch: Fetch, service: str
) -> None:
    state = run.cursor(stream) or {}
    high: str | None = state.get("high")
    pending = state.get("pending")
    if isinstance(pending, dict):
        high = _pass(run, reader, stream, fetch, service, high, pending)
    _pass(run, reader, stream, fetch, service, high, {"cursor": None, "stop_at": high})


def _pass(
    run: SyncRun,
    reader: BlueskyReader,
    stream: str,
    fetch: Fetch,
    service: str,
    high: str | None,
    start: dict[str, Any],
) -> str | None:
    """One pass from ``start['cursor']`` down to ``start['stop_at']``; returns the new high."""
    cursor: str | None = start.get("cursor")
    stop_at = _when(start["stop_at"]) if start.get("stop_at") else None
    new_high: str | None = start.get("new_high")
    page = 0
    while True:
        items, next_cursor = fetch(cursor)
        page += 1
        times = [t for t in (_indexed(stream, i) for i in items) if t is not None]
        if new_high is None and times:
            new_high = max(times).isoformat()
        keep = [i for i in items if stop_at is None or (_indexed(stream, i) or stop_at) >= stop_at]
        done = not items or not next_cursor or len(keep) < len(items)
        out = reader.page(stream, keep, f"{stream} page {page}")
        finished = new_high or high
        state: dict[str, Any] = {"high": finished if done else high}
        if not done:
            state["pending"] = {
                "cursor": next_cursor,
                "stop_at": start.get("stop_at"),
                "new_high": new_high,
            }
        label = f"{service} {stream} cursor={cursor or '(newest)'}"
        run.commit(stream, out, label, state)
        if done:
            return finished
        cursor = next_cursor
