"""X / Twitter account archive (folder, zip, parts) → posts, outbound replies, snapshot."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from goodwill.importer import import_paths
from goodwill.sources.adapters import AdapterContext
from goodwill.sources.x_archive import detect, parse_created_at, read
from goodwill.warehouse import Warehouse

FIX = Path(__file__).parent / "fixtures" / "x_archive"


def _zip(tmp_path: Path) -> Path:
    z = tmp_path / "twitter-2026-05-02-abc123.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for p in sorted((FIX / "data").iterdir()):
            zf.write(p, f"data/{p.name}")
        zf.writestr("Your archive.html", "<html></html>")
    return z


def test_created_at_format() -> None:
    assert parse_created_at("Wed Oct 10 20:19:24 +0000 2018") == "2018-10-10T20:19:24+00:00"
    with pytest.raises(ValueError):
        parse_created_at("2018-10-10")


def test_detects_folder_data_folder_zip_and_one_file(tmp_path: Path) -> None:
    assert detect(FIX) and detect(FIX / "data") and detect(FIX / "data" / "tweets-part1.js")
    assert detect(_zip(tmp_path))
    assert not detect(Path(__file__).parent / "fixtures" / "mastodon")
    (tmp_path / "other.zip").write_bytes(b"not a zip")
    assert not detect(tmp_path / "other.zip")


@pytest.mark.parametrize("kind", ["folder", "zip"])
def test_archive_rows(tmp_path: Path, kind: str) -> None:
    out = read(FIX if kind == "folder" else _zip(tmp_path), AdapterContext())
    posts = {r["post_id"]: r for r in out.tables["posts"]}
    # the thread reply to ourselves is a post; the part1 tweet is read; the retweet is skipped
    assert set(posts) == {"1985087136004571152", "1985087200000000003", "1990000000000000005"}
    first = posts["1985087136004571152"]
    assert first["text"] == (
        "Beans & brews: Yirgacheffe is back 🌸 #coffee https://fernhill.example/shop/yirgacheffe"
    )
    assert first["created_at"] == "2025-11-02T20:50:29+00:00"
    assert first["url"] == "https://x.com/Fernhill/status/1985087136004571152"
    [reply] = out.tables["interactions"]
    assert reply["kind"] == "reply" and reply["direction"] == "outbound"
    assert (reply["actor_handle"], reply["target_handle"]) == ("Fernhill", "andres_a")
    assert reply["in_reply_to"] == "1985090000000000001"
    assert reply["text"] == (
        "@andres_a ugh, sorry! Looking into it right now, can you DM us your email? <3"
    )
    [snap] = out.tables["audience_snapshots"]
    assert (snap["date"], snap["followers"], snap["following"]) == ("2026-05-02", "3", "1")
    assert out.skipped == {"x: retweet (not the brand's own post)": 1}
    assert [(r.line, r.reason) for r in out.rejected["posts"]] == [
        (
            12,
            "tweets-part1.js: tweet 1990000000000000006: created_at 'sometime in November' "
            "is not a date",
        ),
        (20, "tweets-part1.js: record without tweet.id_str"),
    ]


def test_import_and_reimport(wh: Warehouse, tmp_path: Path) -> None:
    s = import_paths(wh, [_zip(tmp_path)], show_progress=False)
    assert s.rows_quarantined == 2
    counts = wh.counts()
    assert (counts["posts"], counts["interactions"], counts["accounts"]) == (3, 1, 1)
    assert wh.query("SELECT DISTINCT handle FROM posts") == [("fernhill",)]
    import_paths(wh, [FIX], show_progress=False)  # the same archive, unzipped
    assert wh.counts() == counts
