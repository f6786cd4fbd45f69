"""Post-level counts of the Facebook, Instagram and LinkedIn exports -> post_stats, and the
post_stats metric query."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from business_helpers import FIXTURES, load, quarantined, rows

from goodwill.errors import UserInputError
from goodwill.metrics import MetricParams, run_query
from goodwill.sources.page_insights import file_date
from goodwill.warehouse import Warehouse

BRAND = {"facebook.handle": "FernhillTeas", "linkedin.handle": "FernhillTeas"}
STAT_SQL = (
    "SELECT platform, post_id, as_of, impressions, reach, reactions, comments, shares, saves, "
    "clicks, video_views, follows FROM post_stats ORDER BY 1, 2, 3"
)
EXPORTS = ("facebook_post_data.csv", "facebook_content.csv", "instagram_content.csv")


def _load_all(wh: Warehouse) -> None:
    for name in (*EXPORTS, "linkedin_content.csv"):
        load(wh, FIXTURES / name, options=BRAND)


def test_each_export_stores_its_post_counts(wh: Warehouse) -> None:
    _load_all(wh)
    fb = "123456789012345_98765432109876"
    li = "urn:li:"
    # as_of: no export carries a date ("Date" is "Lifetime"), so the publish date
    assert rows(wh, STAT_SQL) == [
        # Page Insights post data: total impressions and total reach only
        ("facebook", fb + "5", date(2026, 3, 2), 2345, 1234, None, None, None, None, None,
         None, None),
        ("facebook", fb + "6", date(2026, 3, 6), 610, 455, None, None, None, None, None,
         None, None),
        # Business Suite: Impressions, Reach, Reactions, Comments, Shares, Total clicks
        ("facebook", "987654321098770", date(2026, 3, 12), 3210, 2900, 120, 15, 5, None, 60,
         None, None),
        ("facebook", "987654321098771", date(2026, 3, 14), 800, 700, 18, 2, 0, None, 4,
         None, None),
        # Instagram: Views (as impressions), Reach, Likes, Comments, Shares, Saves, Follows
        ("instagram", "18012345678901234", date(2026, 3, 11), 5400, 3100, 410, 31, 22, 57,
         None, None, 9),
        ("instagram", "18012345678901235", date(2026, 3, 13), 12345, 9876, 980, 77, 140, 210,
         None, None, 40),
        # LinkedIn: Impressions, Likes, Comments, Reposts, Clicks, Follows; empty Views
        ("linkedin", li + "activity:7170000000000000001", date(2026, 3, 4), 1020, None, 31, 4,
         2, None, 44, None, 1),
        ("linkedin", li + "share:7170000000000000002", date(2026, 3, 9), 8800, None, 120, 9,
         6, None, 300, None, 14),
    ]  # fmt: skip
    # the post with a broken date is quarantined once, under posts; it has no stats row
    assert quarantined(wh) == [
        ("facebook_post_data.csv", "posts", 5, "not a date/time: '32/13/2026 05:00:00 PM'")
    ]


def test_reimport_changes_no_count(wh: Warehouse) -> None:
    _load_all(wh)
    before = wh.counts()
    assert before["post_stats"] == 8 and before["posts"] == 8
    _load_all(wh)
    assert wh.counts() == before


def test_unstored_count_columns_are_counted_as_skipped(wh: Warehouse) -> None:
    path = FIXTURES / "facebook_content.csv"
    summary = load(wh, path, options=BRAND)
    # "Reactions, Comments and Shares" of each of the 2 posts
    assert summary.skipped[str(path)] == {"post count columns not stored": 2}
    summary = load(wh, FIXTURES / "instagram_content.csv")
    assert summary.skipped == {}


def test_a_bad_count_quarantines_the_stats_row_and_keeps_the_post(
    wh: Warehouse, tmp_path: Path
) -> None:
    lines = (FIXTURES / "linkedin_content.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(',"8,800",', ",lots,")
    lines[2] = lines[2].replace(",31,4,2,", ",-31,4,2,")
    path = tmp_path / "linkedin.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load(wh, path, options=BRAND)
    assert rows(wh, "SELECT count(*) FROM posts") == [(2,)]
    assert rows(wh, "SELECT count(*) FROM post_stats") == [(0,)]
    assert quarantined(wh) == [
        ("linkedin.csv", "post_stats", 3, "reactions: a negative count: '-31'"),
        ("linkedin.csv", "post_stats", 4, "impressions: not an amount: 'lots'"),
    ]


def test_as_of_from_the_date_column_the_setting_or_the_file_name(
    wh: Warehouse, tmp_path: Path
) -> None:
    src = (FIXTURES / "instagram_content.csv").read_text(encoding="utf-8")
    dated = tmp_path / "instagram_dated.csv"
    dated.write_text(src.replace(",Lifetime,", ",2026-03-20,", 1), encoding="utf-8")
    load(wh, dated)
    named = tmp_path / "Mar-01-2026_Mar-31-2026_1234.csv"
    named.write_text(src, encoding="utf-8")
    load(wh, named)
    load(wh, FIXTURES / "instagram_content.csv", options={"instagram.as_of": "04/02/2026"})
    assert rows(wh, "SELECT post_id, as_of FROM post_stats ORDER BY 1, 2") == [
        ("18012345678901234", date(2026, 3, 20)),  # its Date column
        ("18012345678901234", date(2026, 3, 31)),  # the file name's last day
        ("18012345678901234", date(2026, 4, 2)),  # [sources.instagram] as_of
        ("18012345678901235", date(2026, 3, 13)),  # Date "Lifetime": its publish date
        ("18012345678901235", date(2026, 3, 31)),
        ("18012345678901235", date(2026, 4, 2)),
    ]


def test_a_bad_as_of_setting_is_a_user_error(wh: Warehouse) -> None:
    with pytest.raises(UserInputError, match=r"\[sources.instagram\] as_of = 'soon'"):
        load(wh, FIXTURES / "instagram_content.csv", options={"instagram.as_of": "soon"})


def test_file_date() -> None:
    assert file_date(Path("Mar-01-2026_Mar-31-2026_99.csv")) == "2026-03-31"
    assert file_date(Path("posts_2026-02-01_2026-02-28.csv")) == "2026-02-28"
    assert file_date(Path("Feb-30-2026_x.csv")) is None
    assert file_date(Path("content.csv")) is None


def test_post_stats_metric(wh: Warehouse, tmp_path: Path) -> None:
    _load_all(wh)
    # a later snapshot of one Instagram post replaces its earlier counts
    later = tmp_path / "instagram_later.csv"
    src = (FIXTURES / "instagram_content.csv").read_text(encoding="utf-8")
    later.write_text(src.replace(",Lifetime,", ",2026-04-30,", 1), encoding="utf-8")
    load(wh, later)
    wh.con.execute(
        "UPDATE post_stats SET impressions = 6000, reactions = 500 "
        "WHERE post_id = '18012345678901234' AND as_of = DATE '2026-04-30'"
    )
    frame = run_query("post_stats", wh.ibis(), MetricParams())
    got = {r.platform: r for r in frame.itertuples()}
    assert list(frame.platform) == ["facebook", "instagram", "linkedin"]
    assert set(frame.period) == {date(2026, 3, 1)}
    fb, ig, li = got["facebook"], got["instagram"], got["linkedin"]
    assert (fb.posts, fb.impressions, fb.reach, fb.reactions, fb.comments, fb.shares) == (
        4, 2345 + 610 + 3210 + 800, 1234 + 455 + 2900 + 700, 138, 17, 5
    )  # fmt: skip
    assert fb.clicks == 64
    assert fb.impressions_per_post == pytest.approx(6965 / 4)
    assert fb.engagements_per_post == pytest.approx((140 + 20) / 4)
    assert fb.engagement_rate == pytest.approx(160 / 6965)
    assert fb.click_rate == pytest.approx(64 / (3210 + 800))  # posts with clicks only
    # instagram: the 2026-04-30 snapshot of the first post (6000 views, 500 likes)
    assert (ig.posts, ig.impressions, ig.reactions) == (2, 6000 + 12345, 500 + 980)
    assert ig.engagement_rate == pytest.approx((500 + 31 + 22 + 980 + 77 + 140) / 18345)
    assert ig.clicks == 0 and math.isnan(ig.click_rate)
    assert li.reach == 0 and math.isnan(li.reach_per_post)
    assert li.engagement_rate == pytest.approx((31 + 4 + 2 + 120 + 9 + 6) / 9820)
    # counts as known on `until`: the later snapshot is not yet there
    march = run_query(
        "post_stats",
        wh.ibis(),
        MetricParams(platform="instagram", by="day", until=date(2026, 3, 31)),
    )
    assert list(zip(march.period, march.impressions, march.reactions, strict=True)) == [
        (date(2026, 3, 11), 5400, 410),
        (date(2026, 3, 13), 12345, 980),
    ]


def test_post_stats_interchange_file(wh: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "post_stats.csv"
    path.write_text(
        "platform,post_id,as_of,impressions,reach,reactions,comments,shares\n"
        "x,p1,2026-03-31,1000,,40,5,3\n"
        "x,p2,2026-03-31,many,,1,0,0\n",
        encoding="utf-8",
    )
    load(wh, path)
    assert rows(wh, "SELECT post_id, as_of, impressions, reach, reactions FROM post_stats") == [
        ("p1", date(2026, 3, 31), 1000, None, 40)
    ]
    got = rows(wh, "SELECT line, column_name FROM quarantine")
    assert got == [(3, "impressions")]
