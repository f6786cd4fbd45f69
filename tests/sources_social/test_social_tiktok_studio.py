"""TikTok Studio analytics CSVs (tests/fixtures/tiktok_studio/SOURCES.md names each real
sample): Content → posts and post_stats, FollowerHistory → audience_snapshots, Overview
→ account_metrics. Expected counts are read from the fixture with the csv module here."""

from __future__ import annotations

import csv
import itertools
from datetime import date, datetime
from pathlib import Path

import pytest

from goodwill.errors import UserInputError
from goodwill.importer import ImportSummary, import_paths
from goodwill.sources.registry import all_formats
from goodwill.sources.tiktok_studio import month_day, upload_time
from goodwill.warehouse import Warehouse

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "tiktok_studio"
CONTENT = FIX / "Content.csv"
FOLLOWERS = FIX / "FollowerHistory.csv"
OVERVIEW = FIX / "Overview.csv"
OVERVIEW_ES = FIX / "Overview_es.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _load(wh: Warehouse, *paths: Path, **options: str) -> ImportSummary:
    return import_paths(
        wh, list(paths), show_progress=False, options={f"tiktok.{k}": v for k, v in options.items()}
    )


def test_every_file_is_detected_as_tiktok_studio() -> None:
    fmt = all_formats()["tiktok-studio"]
    for path in (CONTENT, FOLLOWERS, OVERVIEW, OVERVIEW_ES):
        assert fmt.detect(path), path
    others = [n for n, f in all_formats().items() if n != "tiktok-studio" and f.detect(CONTENT)]
    assert others == []


def test_content_gives_posts_and_counts_matching_the_file() -> None:
    expected = _rows(CONTENT)
    with Warehouse.open(":memory:") as wh:
        summary = _load(wh, CONTENT)
        assert summary.formats[str(CONTENT)] == "tiktok-studio"
        assert wh.count("quarantine") == 0
        posts = wh.con.execute(
            "SELECT post_id, handle, created_at, url FROM posts ORDER BY post_id"
        ).fetchall()
        stats = wh.con.execute(
            "SELECT post_id, as_of, reactions, comments, shares, video_views FROM post_stats "
            "ORDER BY post_id"
        ).fetchall()
    by_id = {r["Video link"].rsplit("/", 1)[1]: r for r in expected}
    assert [p[0] for p in posts] == sorted(by_id)
    assert {p[1] for p in posts} == {"fernhillcoffee"}
    assert [p[3] for p in posts] == [by_id[p[0]]["Video link"] for p in posts]
    for pid, as_of, likes, comments, shares, views in stats:
        row = by_id[pid]
        assert (likes, comments, shares, views) == (
            int(row["Total likes"]),
            int(row["Total comments"]),
            int(row["Total shares"]),
            int(row["Total views"]),
        )
        assert as_of == date(2026, 1, 18)  # "18 января" after the newest upload (2026-01-13)
    assert sum(s[5] for s in stats) == sum(int(r["Total views"]) for r in expected) == 343_150
    # the year of "Post time" comes from the video id: "20 апреля" is April 2025, not 2026
    created = {p[0]: p[2] for p in posts}
    april = next(pid for pid, r in by_id.items() if r["Post time"] == "20 апреля")
    assert created[april] == datetime(2025, 4, 20)
    assert upload_time(april) is not None and upload_time(april).date() == date(2025, 4, 20)  # type: ignore[union-attr]


def test_follower_history_walks_back_over_new_year() -> None:
    expected = [r for r in _rows(FOLLOWERS) if r["Followers"] != "undefined"]
    with Warehouse.open(":memory:") as wh:
        summary = _load(wh, FOLLOWERS, handle="@FernhillCoffee", exported_on="2027-01-03")
        got = wh.con.execute(
            "SELECT handle, date, followers, following FROM audience_snapshots ORDER BY date"
        ).fetchall()
    assert summary.skipped[str(FOLLOWERS)] == {
        "TikTok follower day without a count ('undefined')": 1
    }
    assert [g[1] for g in got] == [
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 1, 2),
    ]
    assert [g[2] for g in got] == [int(r["Followers"]) for r in expected]
    assert {(g[0], g[3]) for g in got} == {("fernhillcoffee", 0)}
    # each day's difference is the change from the day before, as the file says
    diffs = [int(r["Difference in followers from previous day"]) for r in expected[1:]]
    assert [b[2] - a[2] for a, b in itertools.pairwise(got)] == diffs


def test_the_export_day_from_the_folder_name(tmp_path: Path) -> None:
    folder = tmp_path / "FollowerHistory_2026-01-05"
    folder.mkdir()
    path = folder / "FollowerHistory.csv"
    path.write_bytes(FOLLOWERS.read_bytes())
    with Warehouse.open(":memory:") as wh:
        _load(wh, path, handle="fernhillcoffee")
        days = [
            r[0]
            for r in wh.con.execute("SELECT date FROM audience_snapshots ORDER BY 1").fetchall()
        ]
    assert days[0] == date(2025, 12, 30) and days[-1] == date(2026, 1, 2)


def test_followers_without_a_brand_handle_say_how_to_give_one() -> None:
    with Warehouse.open(":memory:") as wh, pytest.raises(UserInputError, match=r"tiktok.*handle"):
        _load(wh, FOLLOWERS, exported_on="2027-01-03")


def test_overview_gives_the_account_totals_of_each_day() -> None:
    """Overview.csv (real, byte for byte) → account_metrics; each metric's total over the
    days equals the column's sum read with the csv module."""
    expected = _rows(OVERVIEW)
    with Warehouse.open(":memory:") as wh:
        summary = _load(wh, OVERVIEW, handle="@FernhillCoffee", exported_on="2026-04-18")
        assert summary.formats[str(OVERVIEW)] == "tiktok-studio"
        assert wh.count("quarantine") == 0
        got = wh.con.execute(
            "SELECT platform, handle, date, metric, value FROM account_metrics"
        ).fetchall()
    assert {(g[0], g[1]) for g in got} == {("tiktok", "fernhillcoffee")}
    assert sorted({g[2] for g in got}) == [date(2026, 4, d) for d in range(12, 19)]
    assert len(got) == len(expected) * 5 == 35
    for metric, header in (
        ("video_views", "Video Views"),
        ("profile_views", "Profile Views"),
        ("likes", "Likes"),
        ("comments", "Comments"),
        ("shares", "Shares"),
    ):
        total = sum(g[4] for g in got if g[3] == metric)
        assert total == sum(int(r[header]) for r in expected), metric
    views = {g[2]: g[4] for g in got if g[3] == "video_views"}
    assert views[date(2026, 4, 12)] == int(expected[0]["Video Views"]) == 1591


def test_overview_in_spanish_and_a_bad_count(tmp_path: Path) -> None:
    path = tmp_path / "Overview_2026-03-14.csv"
    path.write_text(
        OVERVIEW_ES.read_text(encoding="utf-8").replace('"10 de marzo","1"', '"10 de marzo","x"'),
        encoding="utf-8",
    )
    with Warehouse.open(":memory:") as wh:
        _load(wh, path, handle="fernhillcoffee")
        bad = wh.con.execute("SELECT table_name, line, reason FROM quarantine").fetchall()
        days = wh.con.execute("SELECT DISTINCT date FROM account_metrics ORDER BY 1").fetchall()
    assert bad == [("account_metrics", 4, "not a whole count: 'x'")]
    assert [d[0] for d in days] == [date(2026, 3, d) for d in (8, 9, 11, 12, 13, 14)]


def test_localised_dates_of_real_exports() -> None:
    assert [month_day(r["Date"]) for r in _rows(OVERVIEW_ES)][:3] == [(3, 8), (3, 9), (3, 10)]
    assert month_day(_rows(OVERVIEW)[0]["Date"]) == (4, 12)
    assert month_day("18 января") == (1, 18) and month_day("20 апреля") == (4, 20)
    assert month_day("9月13日") == (9, 13) and month_day("18 tháng Tám") == (8, 18)
    assert month_day("2026-07-12 09:00") == date(2026, 7, 12)
    with pytest.raises(ValueError, match="not a TikTok date"):
        month_day("Lifetime")
    with pytest.raises(ValueError, match="not a day of the year"):
        month_day("February 30")


def test_a_bad_count_is_quarantined_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "Content.csv"
    text = CONTENT.read_text(encoding="utf-8").replace('"529"', '"lots"')
    path.write_text(text, encoding="utf-8")
    with Warehouse.open(":memory:") as wh:
        _load(wh, path)
        bad = wh.con.execute("SELECT line, reason FROM quarantine").fetchall()
        assert wh.count("posts") == len(_rows(CONTENT)) - 1
    assert bad == [(2, "not a whole count: 'lots'")]


def test_a_whole_download_folder_imports(tmp_path: Path) -> None:
    """Every tab of a download is recognised: the stored ones load, the others (viewers,
    audience shares) are counted as left out instead of stopping the import. The Viewers and
    FollowerGender files are written for the test in the layout public parsers read."""
    folder = tmp_path / "tiktok_2027-01-03"
    folder.mkdir()
    for path in (CONTENT, FOLLOWERS, OVERVIEW):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "Viewers.csv").write_text(
        '"Date","Total Viewers","New Viewers","Returning Viewers"\n'
        '"January 1","120","80","40"\n"January 2","90","50","40"',
        encoding="utf-8",
    )
    (folder / "FollowerGender.csv").write_text(
        '"Gender","Distribution"\n"Female","0.59"\n"Male","0.41"', encoding="utf-8"
    )
    with Warehouse.open(":memory:") as wh:
        summary = _load(wh, folder, handle="fernhillcoffee")
        assert wh.count("posts") == len(_rows(CONTENT))
        assert wh.count("audience_snapshots") == 4
        viewers = wh.con.execute(
            "SELECT date, metric, value FROM account_metrics WHERE metric LIKE '%viewers' "
            "ORDER BY 1, 2"
        ).fetchall()
        assert wh.count("account_metrics") == 7 * 5 + 2 * 3
    assert viewers[:3] == [
        (date(2027, 1, 1), "new_viewers", 80),
        (date(2027, 1, 1), "returning_viewers", 40),
        (date(2027, 1, 1), "viewers", 120),
    ]
    skipped = {k: v for s in summary.skipped.values() for k, v in s.items()}
    assert "TikTok Viewers row (not stored: no table for it)" not in skipped
    assert skipped["TikTok FollowerGender row (not stored: no table for it)"] == 2
    assert set(summary.formats.values()) == {"tiktok-studio"}
