"""Issue 14 items 6-7 and issue 19 item 8: Bluesky and Mastodon files are recognised by their
keys whatever their order and size; Mastodon v2 grouped notifications, single objects and an
archive's outbox.json are read; the brand's Mastodon handle has its instance.

Expected values are read from the fixtures with ``json`` here, independently of the adapter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goodwill.errors import UserInputError
from goodwill.sources import bluesky, mastodon
from goodwill.sources.adapters import AdapterContext

FIX = Path(__file__).parent / "fixtures"


def _pad_followers(tmp_path: Path) -> Path:
    """The getFollowers fixture as the AppView writes it: ``followers`` first, ``subject`` after
    a list well past the old 8 KB window."""
    data = json.loads((FIX / "bluesky" / "getFollowers.json").read_text(encoding="utf-8"))
    many = [dict(f, did=f"did:plc:pad{i:021d}") for i, f in enumerate(data["followers"] * 60)]
    out = tmp_path / "getFollowers.json"
    out.write_text(
        json.dumps({"followers": many, "cursor": data["cursor"], "subject": data["subject"]}),
        encoding="utf-8",
    )
    assert out.stat().st_size > 8192 and out.read_text()[:8192].find('"subject"') < 0
    return out


def test_bluesky_get_followers_with_subject_last_is_recognised(tmp_path: Path) -> None:
    path = _pad_followers(tmp_path)
    assert bluesky.file_kind(path) == "followers"
    out = bluesky.read(path, AdapterContext())
    want = len(json.loads(path.read_text())["followers"])
    assert sum(out.skipped.values()) == want == 120


def test_bluesky_get_profiles_is_not_get_profile(tmp_path: Path) -> None:
    one = json.loads((FIX / "bluesky" / "getProfile-2026-05-03.json").read_text())
    other = dict(one, did="did:plc:other", handle="other.bsky.social", followersCount=7)
    path = tmp_path / "getProfiles-2026-05-04.json"
    path.write_text(json.dumps({"profiles": [other, one]}), encoding="utf-8")
    assert bluesky.file_kind(path) == "profiles"
    ctx = AdapterContext(brand_handles={"bluesky": one["handle"]})
    out = bluesky.read(path, ctx)
    snaps = {r["handle"]: r["followers"] for r in out.tables["audience_snapshots"]}
    assert snaps == {"other.bsky.social": "7", one["handle"]: str(one["followersCount"])}
    [acc] = out.tables["accounts"]
    assert acc["handle"] == one["handle"] and acc["_line"] == 2


def test_mastodon_statuses_with_a_first_record_over_64_kb(tmp_path: Path) -> None:
    statuses = json.loads((FIX / "mastodon" / "statuses.json").read_text(encoding="utf-8"))
    statuses[0]["content"] = "<p>" + "long read " * 8000 + "</p>"
    path = tmp_path / "statuses.json"
    path.write_text(json.dumps(statuses, indent=2), encoding="utf-8")
    assert len(json.dumps(statuses[0])) > 65_536
    assert mastodon.file_kind(path) == "statuses"
    out = mastodon.read(tmp_path, AdapterContext())
    assert "JSON file of another kind" not in out.skipped
    got = len(out.tables.get("posts", [])) + len(out.tables.get("interactions", []))
    assert got + sum(out.skipped.values()) == len(statuses)


def test_mastodon_grouped_notifications_v2() -> None:
    path = FIX / "mastodon_v2" / "notifications_v2.json"
    assert mastodon.file_kind(path) == "grouped"
    raw = json.loads(path.read_text(encoding="utf-8"))
    [group] = raw["notification_groups"]
    out = mastodon.read(FIX / "mastodon_v2", AdapterContext())
    likes = [r for r in out.tables["interactions"] if r["kind"] == "like"]
    assert len(likes) == len(group["sample_account_ids"]) == group["notifications_count"] == 2
    assert {r["actor_handle"] for r in likes} == {"reader_two@localhost", "admin@localhost"}
    assert {r["post_id"] for r in likes} == {group["status_id"]}
    assert {r["created_at"] for r in likes} == {group["latest_page_notification_at"]}
    # the most recent keeps the v1 notification id, so v1 and v2 imports of it meet
    assert str(group["most_recent_notification_id"]) in {r["interaction_id"] for r in likes}
    # the brand (author of status.json, a single Status object) is named with its instance
    assert {r["target_handle"] for r in likes} == {"fernhill@localhost"}
    [post] = out.tables["posts"]
    assert (post["post_id"], post["handle"]) == (group["status_id"], "fernhill@localhost")


def test_mastodon_group_counts_actors_it_does_not_name(tmp_path: Path) -> None:
    raw = json.loads((FIX / "mastodon_v2" / "notifications_v2.json").read_text())
    raw["notification_groups"][0]["notifications_count"] = 14
    path = tmp_path / "grouped.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    out = mastodon.read(path, AdapterContext(brand_handles={"mastodon": "fernhill@localhost"}))
    assert len(out.tables["interactions"]) == 2
    assert out.skipped == {"mastodon: grouped favourite by accounts the group does not name": 12}


def test_mastodon_single_notification_object(tmp_path: Path) -> None:
    items = json.loads((FIX / "mastodon" / "notifications.json").read_text(encoding="utf-8"))
    first_mention = next(n for n in items if n["type"] == "mention" and n.get("status"))
    path = tmp_path / "notification.json"
    path.write_text(json.dumps(first_mention), encoding="utf-8")
    assert mastodon.file_kind(path) == "notification"
    out = mastodon.read(path, AdapterContext(brand_handles={"mastodon": "fernhill"}))
    [row] = out.tables["interactions"]
    assert row["interaction_id"] == first_mention["status"]["id"]


def test_mastodon_archive_outbox() -> None:
    path = FIX / "mastodon_archive" / "outbox.json"
    assert mastodon.file_kind(path) == "outbox"
    raw = json.loads(path.read_text(encoding="utf-8"))
    creates = [i for i in raw["orderedItems"] if i["type"] == "Create"]
    replies = [i for i in creates if i["object"]["inReplyTo"]]
    out = mastodon.read(path, AdapterContext())
    posts = {r["post_id"]: r for r in out.tables["posts"]}
    assert set(posts) == {
        i["object"]["id"].rsplit("/", 1)[1] for i in creates if not i["object"]["inReplyTo"]
    }
    assert {r["handle"] for r in posts.values()} == {"fernhill@social.example"}
    assert posts["105965176447809959"]["text"] == "第一次见沙尘暴 — roastery closed today"
    [reply] = out.tables["interactions"]
    assert len(replies) == 1
    assert (reply["direction"], reply["kind"], reply["target_handle"]) == (
        "outbound",
        "reply",
        "mira@other.example",
    )
    assert reply["in_reply_to"] == "105965400000000001"
    assert out.skipped == {"mastodon: boost by the account (not its own post)": 1}


def test_deeply_nested_json_is_quarantined_not_a_recursion_error(tmp_path: Path) -> None:
    statuses = json.loads((FIX / "mastodon" / "statuses.json").read_text(encoding="utf-8"))
    text = json.dumps(statuses[:1])[:-1] + ", " + "[" * 100_000 + "]" * 100_000 + "]"
    path = tmp_path / "statuses.json"
    path.write_text(text, encoding="utf-8")
    out = mastodon.read(path, AdapterContext())
    assert len(out.tables.get("posts", [])) + len(out.tables.get("interactions", [])) == 1
    [bad] = out.rejected["posts"]
    assert "nested too deeply" in bad.reason


def test_non_utf8_mastodon_file_names_file_and_line(tmp_path: Path) -> None:
    data = (FIX / "mastodon" / "statuses.json").read_bytes()
    cut = data.index(b"\n", 200)
    path = tmp_path / "statuses.json"
    path.write_bytes(data[:cut] + b"\xff" + data[cut:])
    with pytest.raises(UserInputError, match=r"statuses\.json: line \d+: not UTF-8"):
        mastodon.read(path, AdapterContext())
