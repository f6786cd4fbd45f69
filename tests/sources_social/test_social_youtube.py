"""YouTube Studio "Table data.csv" → posts and post_stats (issue 14). The fixture is reduced
from two real exports (see docs/sources/youtube.md); expected values are read with the csv
module here."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from goodwill.errors import UserInputError
from goodwill.importer import import_paths
from goodwill.sources.adapters import AdapterContext
from goodwill.sources.registry import all_formats
from goodwill.sources.youtube import detect, read
from goodwill.warehouse import Warehouse

FOLDER = Path(__file__).parents[1] / "fixtures" / "youtube"
TABLE = FOLDER / "Content 2023-11-18_2024-02-25 Fernhill Coffee" / "Table data.csv"
CTX = AdapterContext(options={"youtube.handle": "fernhillcoffee"})


def test_detected_only_as_youtube() -> None:
    assert detect(TABLE)
    assert [f.name for f in all_formats().values() if f.detect(TABLE)] == ["youtube-studio"]


def test_videos_and_their_counts() -> None:
    with TABLE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    videos = [r for r in rows if r["Content"] != "Total" and r["Video publish time"]]
    out = read(TABLE, CTX)
    posts = {r["post_id"]: r for r in out.tables["posts"]}
    assert set(posts) == {r["Content"].strip() for r in videos}
    assert "-GhQQTIylYY" in posts  # the leading space YouTube adds is dropped
    assert posts["OrVFdHWj3p4"]["created_at"] == "2024-02-02"
    assert posts["OrVFdHWj3p4"]["url"] == "https://www.youtube.com/watch?v=OrVFdHWj3p4"
    stats = {r["post_id"]: r for r in out.tables["post_stats"]}
    assert {r["as_of"] for r in stats.values()} == {"2024-02-25"}  # the range's end
    assert sum(int(str(r["video_views"])) for r in stats.values()) == sum(
        int(r["Views"]) for r in videos
    )
    assert sum(int(str(r["impressions"])) for r in stats.values()) == sum(
        int(r["Impressions"]) for r in videos
    )
    assert stats["M1fTBQ96BRM"]["follows"] == "3" and stats["M1fTBQ96BRM"]["reactions"] == "134"
    assert out.skipped == {
        "youtube: Total row (the channel's total for the range)": 1,
        "youtube: video without publish time (private, unlisted or deleted)": 1,
    }


def test_channel_must_be_named_and_import_is_idempotent() -> None:
    with pytest.raises(UserInputError, match=r"does not name the channel"):
        read(TABLE, AdapterContext())
    with Warehouse.open(":memory:") as wh:
        import_paths(wh, [TABLE], show_progress=False, options={"youtube.handle": "fernhill"})
        counts = wh.counts()
        import_paths(wh, [TABLE], show_progress=False, options={"youtube.handle": "fernhill"})
        assert wh.counts() == counts and counts["posts"] == 4
