"""Mastodon API JSON files → canonical rows (fixtures written from docs.joinmastodon.org)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from goodwill.errors import UserInputError
from goodwill.importer import import_paths
from goodwill.sources.adapters import AdapterContext
from goodwill.sources.mastodon import detect, file_kind, read
from goodwill.sources.social_json import html_to_text, text_to_html
from goodwill.warehouse import Warehouse

FIX = Path(__file__).parent / "fixtures" / "mastodon"


def _by_id(rows: list[dict[str, object]], key: str) -> dict[object, dict[str, object]]:
    return {r[key]: r for r in rows}


def test_detects_each_response_by_content() -> None:
    assert file_kind(FIX / "notifications.json") == "notifications"
    assert file_kind(FIX / "statuses.json") == "statuses"
    assert file_kind(FIX / "account-2026-05-01.json") == "account"
    assert detect(FIX)
    assert not detect(Path(__file__).parent / "fixtures" / "bluesky" / "getAuthorFeed.json")
    assert not detect(Path(__file__))


def test_notifications_become_inbound_interactions_by_name() -> None:
    out = read(FIX, AdapterContext())
    rows = _by_id(out.tables["interactions"], "interaction_id")
    inbound = {k: r for k, r in rows.items() if r["direction"] == "inbound"}
    assert {k: r["kind"] for k, r in inbound.items()} == {
        "4011": "like",
        "4008": "follow",
        "4006": "share",
        "4005": "like",
        "114419960000000001": "reply",  # answers our reply: no post
        "114419900000000001": "dm",
        "114419900000000002": "reply",
        "114419800000000001": "mention",
    }
    # remote accounts keep their instance; local ones get the instance of their url
    assert inbound["4006"]["actor_handle"] == "sofia83@fosstodon.org"
    assert inbound["4008"]["actor_handle"] == "niamhrob93@mastodon.social"
    assert inbound["4008"]["actor_name"] == "niamhrob93"  # empty display_name → username
    # the brand is named like everyone else: user@instance (issue 14, item 7)
    assert {r["target_handle"] for r in inbound.values()} == {"fernhill@mastodon.social"}
    reply = inbound["114419900000000002"]
    assert reply["post_id"] == reply["in_reply_to"] == "114400000000000001"
    assert reply["text"] == "@fernhill is the Yirgacheffe good for espresso & filter? 🤔"
    assert reply["url"] == "https://mastodon.social/@samuel18/114419900000000002"
    follow_up = inbound["114419960000000001"]
    assert follow_up["post_id"] is None and follow_up["in_reply_to"] == "114419950000000004"
    assert inbound["114419800000000001"]["text"] == (
        "reading about Kenya AA processing, via @fernhill@mastodon.social <3"
    )
    assert inbound["4005"]["post_id"] == "114400000000000001"
    assert out.skipped == {
        "mastodon: boost by the account (not its own post)": 1,
        "mastodon: notification type update": 1,
        "mastodon: notification type poll": 1,
        "mastodon: our own action": 1,  # we boosted our own post
    }
    [bad] = out.rejected["interactions"]
    assert (bad.line, bad.reason) == (4, "notifications.json: mention notification without status")


def test_statuses_become_posts_and_outbound_replies() -> None:
    out = read(FIX, AdapterContext())
    posts = _by_id(out.tables["posts"], "post_id")
    assert set(posts) == {"114400000000000001", "114400000000000002"}  # thread reply = post
    assert posts["114400000000000001"]["text"] == (
        "New roast: Ethiopia Yirgacheffe 🌸 #coffee\n\n"
        "Order at https://fernhill.example/shop/yirgacheffe"
    )
    assert posts["114400000000000002"]["text"] == (
        "Tasting notes: bergamot, jasmine & a little lemon.\nBrew it as filter."
    )
    rows = _by_id(out.tables["interactions"], "interaction_id")
    reply, dm = rows["114419950000000004"], rows["114420000000000006"]
    assert (reply["kind"], reply["direction"], reply["actor_handle"]) == (
        "reply",
        "outbound",
        "fernhill@mastodon.social",
    )
    assert reply["target_handle"] == "samuel18@mastodon.social"
    assert reply["in_reply_to"] == "114419900000000002"
    assert (dm["kind"], dm["target_handle"], dm["url"]) == ("dm", "ananya_a@hachyderm.io", None)
    assert dm["text"] == "@ananya_a we've refunded order #48021 – sorry!"
    [acc] = out.tables["accounts"]
    assert (acc["handle"], acc["owner"]) == ("fernhill@mastodon.social", "brand")
    [snap] = out.tables["audience_snapshots"]
    assert (snap["date"], snap["followers"], snap["following"]) == ("2026-05-01", "1287", "312")


def test_notifications_alone_need_to_know_the_brand(tmp_path: Path) -> None:
    shutil.copy(FIX / "notifications.json", tmp_path / "n.json")
    with pytest.raises(UserInputError, match="whose notifications"):
        read(tmp_path / "n.json", AdapterContext())
    out = read(tmp_path / "n.json", AdapterContext(brand_handles={"mastodon": "fernhill"}))
    assert len(out.tables["interactions"]) == 8


def test_import_quarantines_bad_records_and_reimport_changes_nothing(wh: Warehouse) -> None:
    first = import_paths(wh, [FIX], show_progress=False)
    counts = wh.counts()
    assert (counts["posts"], counts["interactions"], counts["audience_snapshots"]) == (2, 9, 1)
    assert first.rows_quarantined == 2
    q = wh.query("SELECT line, column_name, reason FROM quarantine ORDER BY line")
    assert q == [
        (3, "created_at", "not an ISO 8601 timestamp: yesterday"),
        (4, None, "notifications.json: mention notification without status"),
    ]
    [(at,)] = wh.query("SELECT created_at FROM interactions WHERE interaction_id = '4005'")
    assert at == datetime(2026, 4, 28, 10, 0, 0, 123000)
    import_paths(wh, [FIX], show_progress=False)
    assert wh.counts() == counts


def test_html_round_trip() -> None:
    text = 'Beans & <brews>\nline two\n\nnew paragraph 🌸 "quoted" it\'s'
    assert html_to_text(text_to_html(text)) == text
    assert html_to_text("<p>a&amp;b<br>c</p><p>d</p>") == "a&b\nc\n\nd"
    assert html_to_text(None) is None and html_to_text("<p></p>") is None


def test_broken_json_quarantines_from_the_bad_record_on(wh: Warehouse, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    shutil.copy(FIX / "account-2026-05-01.json", folder / "account.json")
    good = FIX.joinpath("notifications.json").read_text(encoding="utf-8").splitlines()
    # line 9 is the favourite by ananya (4005); cut line 10 in half: the file ends mid-record
    (folder / "notifications.json").write_text("\n".join([*good[:9], good[9][:80]]) + "\n")
    out = read(folder, AdapterContext())
    [bad] = out.rejected["interactions"][1:]
    assert bad.line == 10 and bad.reason.startswith("notifications.json: not valid JSON")
    import_paths(wh, [folder], show_progress=False)
    assert wh.count("interactions") == 3  # 4008, 4006 and 4005 (4011 has a bad date)
    lines = wh.query("SELECT line FROM quarantine ORDER BY line")
    assert lines == [(3,), (4,), (10,)]
