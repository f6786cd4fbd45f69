"""Instagram and Facebook "Download your information" JSON (issue 14). Fixtures reduced from
real downloads in public repositories (see docs/sources/meta-download.md); the expected rows
are read from the fixture files with ``json`` here, independently of the adapter."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from goodwill.errors import UserInputError
from goodwill.importer import import_paths
from goodwill.sources.adapters import AdapterContext
from goodwill.sources.meta_download import (
    FACEBOOK,
    INSTAGRAM,
    fix_text,
    read_facebook,
    read_instagram,
)
from goodwill.sources.registry import all_formats
from goodwill.warehouse import Warehouse

FIX = Path(__file__).parents[1] / "fixtures" / "meta_download"
IG = FIX / "instagram-fernhillcoffee-2026-05-04-AbCdEf"
FB = FIX / "facebook-fernhill-2026-05-04"


def _json(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def test_detected_by_their_folders_only() -> None:
    assert [f.name for f in all_formats().values() if f.detect(IG)] == [INSTAGRAM.name]
    assert [f.name for f in all_formats().values() if f.detect(FB)] == [FACEBOOK.name]


def test_meta_mojibake_is_decoded() -> None:
    assert fix_text("\u00f0\u009f\u0091\u008d") == "👍"
    assert fix_text("Tobias L\u00c3\u00b8ye") == "Tobias Løye"
    assert fix_text("already fine ✓") == "already fine ✓"


def test_instagram_download() -> None:
    followers = _json(IG / "connections/followers_and_following/followers_1.json")
    following = _json(IG / "connections/followers_and_following/following.json")
    posts = _json(IG / "your_instagram_activity/content/posts_1.json")
    comments = _json(IG / "your_instagram_activity/comments/post_comments_1.json")
    likes = _json(IG / "your_instagram_activity/likes/liked_posts.json")
    assert isinstance(followers, list) and isinstance(following, dict)
    assert isinstance(posts, list) and isinstance(comments, list) and isinstance(likes, dict)
    out = read_instagram(IG, AdapterContext())
    [acc] = out.tables["accounts"]
    assert (acc["handle"], acc["display_name"]) == ("fernhillcoffee", "Fernhill Café")
    rows = out.tables["interactions"]
    follows = {r["actor_handle"]: r for r in rows if r["kind"] == "follow"}
    assert set(follows) == {f["string_list_data"][0]["value"] for f in followers}
    assert all(r["direction"] == "inbound" for r in follows.values())
    assert follows["mila.reads"]["created_at"] == "2025-01-09T00:28:55Z"  # 1736382535
    [snap] = out.tables["audience_snapshots"]
    assert (snap["date"], snap["followers"], snap["following"]) == (
        "2026-05-04",  # from the download's folder name
        str(len(followers)),
        str(len(following["relationships_following"])),
    )
    got_posts = {r["post_id"]: r for r in out.tables["posts"]}
    assert set(got_posts) == {"18032017582961826", "17881210856973858"}  # media ids
    assert got_posts["17881210856973858"]["text"] == "Colombia in the cup 🇨🇴"
    assert len(got_posts) == len(posts)
    outbound = [r for r in rows if r["direction"] == "outbound"]
    named_likes = [x for x in likes["likes_media_likes"] if x.get("title")]
    assert len([r for r in outbound if r["kind"] == "like"]) == len(named_likes)
    assert len([r for r in outbound if r["kind"] == "comment"]) == len(comments)
    like = next(r for r in outbound if r["target_handle"] == "coffee.collective")
    assert like["post_id"] == "C9ASp1Lx0Ni" and like["actor_handle"] == "fernhillcoffee"
    comment = next(r for r in outbound if r["target_handle"] == "kbl.brews")
    assert comment["text"] == "@kbl.brews see you Saturday 🙄"
    assert out.skipped == {"instagram: like of a post whose owner the download does not name": 1}
    assert out.rejected == {}


def test_instagram_zip_imports_and_reimport_changes_nothing(tmp_path: Path) -> None:
    archive = Path(shutil.make_archive(str(tmp_path / "instagram-download"), "zip", IG))
    with Warehouse.open(":memory:") as wh:
        first = import_paths(wh, [archive], show_progress=False)
        assert first.formats == {str(archive): "instagram-download"}
        counts = wh.counts()
        import_paths(wh, [archive], show_progress=False)
        assert wh.counts() == counts
        assert wh.query("SELECT count(*) FROM interactions WHERE kind = 'follow'") == [(3,)]


def test_facebook_download() -> None:
    posts = _json(
        FB / "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json"
    )
    assert isinstance(posts, list)
    with_text = [p for p in posts if any(d.get("post") for d in p["data"])]
    out = read_facebook(FB, AdapterContext())
    [acc] = out.tables["accounts"]
    assert (acc["handle"], acc["display_name"]) == ("fernhillcafe", "Fernhill Café")
    got = {r["post_id"]: r["text"] for r in out.tables["posts"]}
    assert got == {
        "dyi-1242901624": "Open late on Fridays from now on",
        "dyi-1305050046": "Kan næsten ikke blive bedre :O)",
    }
    assert len(got) == len(with_text)
    acts = sorted((r["kind"], r["target_handle"], r["text"]) for r in out.tables["interactions"])
    assert acts == [
        ("comment", "Sabine Jo", "fedt"),
        ("comment", "Tobias Løye", "Tak!"),
        ("like", "Kim Larsen", None),
    ]
    assert out.skipped == {
        "facebook: activity without text (photo, check-in, event...)": 1,
        "facebook: comment on the account's own or an unnamed post": 1,
    }


def test_download_without_profile_needs_the_brand(tmp_path: Path) -> None:
    copy = tmp_path / "ig"
    shutil.copytree(IG, copy)
    shutil.rmtree(copy / "personal_information")
    with pytest.raises(UserInputError, match=r"cannot tell whose instagram download"):
        read_instagram(copy, AdapterContext())
    out = read_instagram(copy, AdapterContext(brand_handles={"instagram": "fernhillcoffee"}))
    assert "accounts" not in out.tables and len(out.tables["posts"]) == 2
