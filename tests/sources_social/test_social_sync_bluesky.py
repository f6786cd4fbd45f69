"""``goodwill sync bluesky`` against a local server speaking the XRPC endpoints."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from social_servers import FakeApi, serve

pytest.importorskip("atproto")

from goodwill.errors import UserInputError
from goodwill.sources.bluesky_sync import sync_bluesky
from goodwill.warehouse import Warehouse

NOTIFS = "/xrpc/app.bsky.notification.listNotifications"
FEED = "/xrpc/app.bsky.feed.getAuthorFeed"
DID = "did:plc:fe4nh1llc0ffee5r0aster5x"
BRAND = {"did": DID, "handle": "fernhill.bsky.social", "displayName": "Fernhill"}
POST = f"at://{DID}/app.bsky.feed.post/3aaaaaaaaaa2a"


def _notification(k: int) -> dict[str, Any]:
    at = f"2026-05-02T10:{k:02d}:00.000Z"
    author = {
        "did": f"did:plc:fan{k:021d}",
        "handle": f"fan{k}.bsky.social",
        "displayName": f"Fan {k}",
    }
    reason = ("like", "repost", "follow", "mention", "reply", "quote")[k % 6]
    collection = {
        "like": "app.bsky.feed.like",
        "repost": "app.bsky.feed.repost",
        "follow": "app.bsky.graph.follow",
    }.get(reason, "app.bsky.feed.post")
    record: dict[str, Any] = {"createdAt": at}
    n: dict[str, Any] = {
        "uri": f"at://{author['did']}/{collection}/3n{k:011d}",
        "cid": f"bafy{k}",
        "author": author,
        "reason": reason,
        "record": record,
        "isRead": False,
        "indexedAt": at,
        "labels": [],
    }
    if reason in ("like", "repost"):
        n["reasonSubject"] = POST
    if reason in ("mention", "reply", "quote"):
        record["text"] = f"hello @fernhill.bsky.social {k}"
    if reason == "reply":
        record["reply"] = {"parent": {"uri": POST, "cid": "c"}, "root": {"uri": POST, "cid": "c"}}
    return n


def _feed_item(k: int) -> dict[str, Any]:
    at = f"2026-05-01T0{k}:00:00.000Z"
    uri = f"at://{DID}/app.bsky.feed.post/3p{k:011d}"
    return {
        "post": {
            "uri": uri,
            "cid": f"c{k}",
            "author": BRAND,
            "record": {"text": f"post {k} 🌸", "createdAt": at},
            "indexedAt": at,
        }
    }


def _api(n: int = 10) -> FakeApi:
    return FakeApi(
        data={
            "notifications": [_notification(k) for k in range(1, n + 1)],
            "feed": [_feed_item(k) for k in range(1, 5)],
        },
        account=BRAND | {"followersCount": 40, "followsCount": 12},
    )


def _ids(wh: Warehouse) -> list[str]:
    return [str(r[0]) for r in wh.query("SELECT interaction_id FROM interactions ORDER BY 1")]


def _expected(n: int) -> list[str]:
    return sorted(f"3n{k:011d}" for k in range(1, n + 1))


def _sync(wh: Warehouse, url: str) -> Any:
    return sync_bluesky(wh, "fernhill.bsky.social", "app-pass-1234", service=url, limit=3)


def test_pages_with_cursor_and_is_idempotent(tmp_path: Path) -> None:
    api = _api(10)
    with serve(api) as url, Warehouse.open(tmp_path / "g.duckdb") as wh:
        report = _sync(wh, url)
        assert report.pages == {"profile": 1, "feed": 2, "notifications": 4}
        assert _ids(wh) == _expected(10)
        assert wh.count("posts") == 4
        assert wh.query("SELECT followers, following FROM audience_snapshots") == [(40, 12)]
        assert [q.get("cursor") for q in api.calls(NOTIFS)] == [
            None,
            "2026-05-02T10:08:00.000Z",
            "2026-05-02T10:05:00.000Z",
            "2026-05-02T10:02:00.000Z",
        ]
        counts = wh.counts()
        again = _sync(wh, url)
        assert wh.counts() == counts and again.new_rows == 0
        assert again.pages["notifications"] == 1  # stops at the first page: nothing newer
        api.data["notifications"] += [_notification(k) for k in range(11, 16)]
        _sync(wh, url)
        assert _ids(wh) == _expected(15)


def test_resumes_after_interruption_without_gaps_or_duplicates(tmp_path: Path) -> None:
    api = _api(10)
    api.fail[NOTIFS] = {3}
    with serve(api) as url, Warehouse.open(tmp_path / "g.duckdb") as wh:
        with pytest.raises(UserInputError, match="bluesky sync"):
            _sync(wh, url)
        assert _ids(wh) == _expected(10)[-6:]  # the two newest pages were committed
        [(cursor,)] = wh.query("SELECT cursor FROM sync_state WHERE stream = 'notifications'")
        assert json.loads(cursor)["pending"]["cursor"] == "2026-05-02T10:05:00.000Z"
        # new activity arrives while we were down
        api.data["notifications"] += [_notification(11), _notification(12)]
        _sync(wh, url)
        assert api.calls(NOTIFS)[3].get("cursor") == "2026-05-02T10:05:00.000Z"  # resumed
        assert _ids(wh) == _expected(12)
        [(n, distinct)] = wh.query(
            "SELECT count(*), count(DISTINCT interaction_id) FROM interactions"
        )
        assert n == distinct == 12
        state = json.loads(
            wh.query("SELECT cursor FROM sync_state WHERE stream = 'notifications'")[0][0]
        )
        assert state == {"high": "2026-05-02T10:12:00+00:00"}


def test_waits_out_429_retry_after(tmp_path: Path) -> None:
    api = _api(5)
    api.throttle[NOTIFS] = {1}
    with serve(api) as url, Warehouse.open(tmp_path / "g.duckdb") as wh:
        start = time.monotonic()
        report = _sync(wh, url)
        assert time.monotonic() - start >= 1.0
        assert report.waits == [1.0]
        assert _ids(wh) == _expected(5)


def test_wrong_password_is_a_user_error(tmp_path: Path) -> None:
    with serve(_api(1)) as url, Warehouse.open(tmp_path / "g.duckdb") as wh:
        with pytest.raises(
            UserInputError,
            match=r"fernhill\.bsky\.social at .*: HTTP 401 AuthenticationRequired: bad password",
        ):
            sync_bluesky(wh, "fernhill.bsky.social", "wrong", service=url)
        assert wh.count("interactions") == 0


def test_the_warehouse_brand_handle_names_the_account(tmp_path: Path) -> None:
    with serve(_api(3)) as url, Warehouse.open(tmp_path / "g.duckdb") as wh:
        wh.con.execute("INSERT INTO accounts VALUES ('bluesky', 'fernhill', 'brand', 'F')")
        _sync(wh, url)
        assert wh.query("SELECT DISTINCT target_handle FROM interactions") == [("fernhill",)]
        assert wh.query("SELECT DISTINCT handle FROM posts") == [("fernhill",)]
        assert wh.query("SELECT handle, followers FROM audience_snapshots") == [("fernhill", 40)]
        assert wh.query("SELECT handle, display_name FROM accounts") == [("fernhill", "Fernhill")]
