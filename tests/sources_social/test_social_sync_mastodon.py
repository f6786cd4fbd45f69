"""``goodwill sync mastodon`` against a local server speaking the Mastodon REST API."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from social_servers import FakeApi, serve

pytest.importorskip("mastodon")
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.errors import UserInputError
from goodwill.sources.mastodon_sync import sync_mastodon
from goodwill.warehouse import Warehouse

NOTIFS = "/api/v1/notifications"
STATUSES = "/api/v1/accounts/1/statuses"
BRAND = {
    "id": "1",
    "username": "fernhill",
    "acct": "fernhill",
    "display_name": "Fernhill",
    "url": "https://social.example/@fernhill",
}


def _person(k: int) -> dict[str, Any]:
    return {
        "id": str(500 + k),
        "username": f"fan{k}",
        "acct": f"fan{k}@other.example",
        "display_name": f"Fan {k}",
        "url": f"https://other.example/@fan{k}",
    }


def _notification(k: int) -> dict[str, Any]:
    at = f"2026-05-01T10:{k:02d}:00.000Z"
    kind = ("favourite", "reblog", "follow", "mention")[k % 4]
    n: dict[str, Any] = {"id": str(1000 + k), "type": kind, "created_at": at, "account": _person(k)}
    if kind in ("favourite", "reblog"):
        n["status"] = {"id": "900", "uri": "u", "content": "<p>post</p>", "account": BRAND}
    if kind == "mention":
        n["status"] = {
            "id": str(2000 + k),
            "created_at": at,
            "in_reply_to_id": None,
            "visibility": "public",
            "uri": f"https://other.example/{k}",
            "url": f"https://other.example/@fan{k}/{2000 + k}",
            "content": f"<p>hi @fernhill number {k}</p>",
            "account": _person(k),
            "mentions": [],
        }
    return n


def _status(k: int) -> dict[str, Any]:
    return {
        "id": str(900 + k),
        "created_at": f"2026-04-30T09:0{k}:00.000Z",
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "visibility": "public",
        "uri": f"https://social.example/users/fernhill/statuses/{900 + k}",
        "url": f"https://social.example/@fernhill/{900 + k}",
        "content": f"<p>post {k} &amp; more</p>",
        "reblog": None,
        "account": BRAND,
        "mentions": [],
    }


def _api(n: int = 10) -> FakeApi:
    account = BRAND | {
        "followers_count": 120,
        "following_count": 30,
        "source": {"privacy": "public", "note": ""},
    }
    return FakeApi(
        data={
            "notifications": [_notification(k) for k in range(1, n + 1)],
            "statuses": [_status(k) for k in range(0, 4)],
        },
        account=account,
    )


def _interactions(wh: Warehouse) -> list[str]:
    return [str(r[0]) for r in wh.query("SELECT interaction_id FROM interactions ORDER BY 1")]


def _expected(n: int) -> list[str]:
    return sorted(str(2000 + k if k % 4 == 3 else 1000 + k) for k in range(1, n + 1))


def test_pages_forward_and_is_idempotent(tmp_path: Path) -> None:
    api = _api(10)
    with serve(api) as url, Warehouse.open(tmp_path / "g.duckdb") as wh:
        report = sync_mastodon(wh, url, "tok", limit=3)
        assert report.pages == {"account": 1, "statuses": 2, "notifications": 4}
        assert _interactions(wh) == _expected(10)
        assert wh.count("posts") == 4 and wh.count("audience_snapshots") == 1
        # forward paging: min_id 0, then the highest id of each committed page
        assert [q["min_id"] for q in api.calls(NOTIFS)] == ["0", "1003", "1006", "1009", "1010"]
        counts = wh.counts()
        again = sync_mastodon(wh, url, "tok", limit=3)
        assert wh.counts() == counts
        assert again.new_rows == 0  # the account and today's snapshot merge onto themselves
        assert again.pages == {"account": 1}
        # new activity arrives: only it is fetched
        api.data["notifications"] += [_notification(11), _notification(12)]
        sync_mastodon(wh, url, "tok", limit=3)
        assert _interactions(wh) == _expected(12)
        assert api.calls(NOTIFS)[-2]["min_id"] == "1010"


def test_resumes_after_interruption_without_gaps_or_duplicates(tmp_path: Path) -> None:
    api = _api(10)
    api.fail[NOTIFS] = {3}  # the server breaks on the third page
    with serve(api) as url, Warehouse.open(tmp_path / "g.duckdb") as wh:
        with pytest.raises(UserInputError, match="500"):
            sync_mastodon(wh, url, "tok", limit=3)
        assert _interactions(wh) == _expected(6)  # pages 1 and 2 were committed
        [(cursor,)] = wh.query("SELECT cursor FROM sync_state WHERE stream = 'notifications'")
        assert cursor == '{"min_id": "1006"}'
        report = sync_mastodon(wh, url, "tok", limit=3)
        assert api.calls(NOTIFS)[3]["min_id"] == "1006"  # resumed where it stopped
        assert report.pages["notifications"] == 2
        assert _interactions(wh) == _expected(10)
        [(n, distinct)] = wh.query(
            "SELECT count(*), count(DISTINCT interaction_id) FROM interactions"
        )
        assert n == distinct == 10


def test_waits_out_429_retry_after(tmp_path: Path) -> None:
    api = _api(5)
    api.throttle[NOTIFS] = {2}
    with serve(api) as url, Warehouse.open(tmp_path / "g.duckdb") as wh:
        start = time.monotonic()
        report = sync_mastodon(wh, url, "tok", limit=3)
        assert time.monotonic() - start >= 1.0
        assert report.waits == [1.0]
        assert _interactions(wh) == _expected(5)


def test_cli_summary(tmp_path: Path) -> None:
    api = _api(4)
    with serve(api) as url:
        db = str(tmp_path / "g.duckdb")
        res = CliRunner().invoke(
            app, ["sync", "mastodon", "--instance", url, "--token", "tok", "--db", db]
        )
    assert res.exit_code == 0, res.output
    assert "pages fetched: 1 account, 1 statuses, 1 notifications" in res.output
    assert "rows loaded: 10 (10 new), quarantined: 0" in res.output
