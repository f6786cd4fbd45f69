"""Bluesky XRPC JSON files → canonical rows (fixtures written from the app.bsky lexicons)."""

from __future__ import annotations

from pathlib import Path

from goodwill.importer import import_paths
from goodwill.sources.adapters import AdapterContext
from goodwill.sources.bluesky import detect, file_kind, read, rkey
from goodwill.warehouse import Warehouse

FIX = Path(__file__).parent / "fixtures" / "bluesky"
BRAND = "fernhill.bsky.social"


def test_kinds_and_rkeys() -> None:
    assert file_kind(FIX / "listNotifications.json") == "notifications"
    assert file_kind(FIX / "getAuthorFeed.json") == "feed"
    assert file_kind(FIX / "getFollowers.json") == "followers"
    assert file_kind(FIX / "getProfile-2026-05-03.json") == "profile"
    assert detect(FIX) and not detect(Path(__file__).parent / "fixtures" / "mastodon")
    assert rkey("at://did:plc:abc/app.bsky.feed.like/3kabc") == "3kabc"
    assert rkey("https://bsky.app/x") is None and rkey(None) is None


def test_notifications_by_reason() -> None:
    out = read(FIX, AdapterContext())
    rows = {r["interaction_id"]: r for r in out.tables["interactions"]}
    inbound = {k: r["kind"] for k, r in rows.items() if r["direction"] == "inbound"}
    assert inbound == {
        "3mkvccccccc2c": "reply",
        "3mkvddddddd2d": "comment",
        "3mkuwviveof2f": "reply",
        "3mkuwf00000m2": "mention",
        "3mkuwr3p0st2a": "share",
        "3mkuwl1ke0002": "like",
        "3mkuwf0110w2a": "follow",
        "3mkuwbadt1me2": "like",
    }
    assert rows["3mkuwviveof2f"]["post_id"] == rows["3mkuwviveof2f"]["in_reply_to"]
    assert rows["3mkuwviveof2f"]["post_id"] == "3mkuvulzxod2d"
    # a reply to our own reply answers an interaction, not a post
    assert rows["3mkvccccccc2c"]["post_id"] is None
    assert rows["3mkvccccccc2c"]["in_reply_to"] == "3mkvbbbbbbb2b"
    quote = rows["3mkvddddddd2d"]
    assert (quote["post_id"], quote["actor_handle"]) == ("3mkuvulzxod2d", "coffee.example.com")
    assert quote["actor_name"] == "Coffee & Co. <Reviews>"
    # post records are plain text: an entity-looking string stays as written
    assert quote["text"] == "Best flat white in town &amp; more, thanks @fernhill.bsky.social ☕"
    assert rows["3mkuwr3p0st2a"]["actor_name"] is None  # empty displayName
    assert {r["target_handle"] for k, r in rows.items() if k in inbound} == {BRAND}
    assert rows["3mkuwf00000m2"]["url"] == (
        "https://bsky.app/profile/theondrej.bsky.social/post/3mkuwf00000m2"
    )
    assert out.skipped["bluesky: our own action"] == 1
    assert out.skipped["bluesky: notification reason starterpack-joined"] == 1


def test_feed_profile_and_followers() -> None:
    out = read(FIX, AdapterContext())
    assert {r["post_id"] for r in out.tables["posts"]} == {"3mkuvulzxod2d", "3mkuwaaaaaa2a"}
    reply = next(r for r in out.tables["interactions"] if r["direction"] == "outbound")
    assert (reply["interaction_id"], reply["target_handle"]) == (
        "3mkvbbbbbbb2b",
        "thomasm.bsky.social",
    )
    assert reply["in_reply_to"] == "3mkuwviveof2f"
    [snap] = out.tables["audience_snapshots"]
    assert (snap["handle"], snap["date"], snap["followers"], snap["following"]) == (
        BRAND,
        "2026-05-03",
        "412",
        "57",
    )
    assert out.skipped["bluesky: follower listed (follows come from notifications)"] == 2
    assert out.skipped["bluesky: repost in the author feed (not the author's post)"] == 1
    reasons = sorted((r.line, r.reason) for rs in out.rejected.values() for r in rs)
    assert reasons == [
        (6, "getAuthorFeed.json: reply whose parent post is missing or blocked"),
        (11, "listNotifications.json: like notification without author or uri"),
    ]


def test_import_quarantine_and_reimport(wh: Warehouse) -> None:
    s = import_paths(wh, [FIX], show_progress=False)
    assert s.rows_quarantined == 3
    counts = wh.counts()
    assert (counts["posts"], counts["interactions"], counts["accounts"]) == (2, 8, 1)
    bad = wh.query("SELECT line, column_name FROM quarantine WHERE column_name IS NOT NULL")
    assert bad == [(12, "created_at")]
    import_paths(wh, [FIX], show_progress=False)
    assert wh.counts() == counts
