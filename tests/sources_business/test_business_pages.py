from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from business_helpers import FIXTURES, load, quarantined, rows

from goodwill.errors import UserInputError
from goodwill.warehouse import Warehouse

BRAND = {"facebook.handle": "FernhillTeas", "linkedin.handle": "FernhillTeas"}


def _posts(wh: Warehouse) -> list[tuple[object, ...]]:
    return rows(
        wh,
        "SELECT platform, post_id, handle, created_at, text, url, campaign FROM posts ORDER BY 4",
    )


def test_facebook_post_data_with_its_description_row(wh: Warehouse) -> None:
    path = FIXTURES / "facebook_post_data.csv"
    summary = load(wh, path, options=BRAND)
    assert summary.formats[str(path)] == "facebook-posts"
    url = "https://www.facebook.com/fernhillteas/posts/"
    assert _posts(wh) == [
        ("facebook", "123456789012345_987654321098765", "fernhillteas",
         datetime(2026, 3, 2, 9, 30), "Spring teas are here, with a giveaway!",
         url + "987654321098765", None),
        ("facebook", "123456789012345_987654321098766", "fernhillteas",
         datetime(2026, 3, 6, 17), "Tasting evening, Friday 6pm", url + "987654321098766", None),
    ]  # fmt: skip
    assert quarantined(wh) == [
        ("facebook_post_data.csv", "posts", 5, "not a date/time: '32/13/2026 05:00:00 PM'")
    ]
    assert summary.skipped[str(path)] == {
        "description row under the header": 1,
        # 2 posts x (organic reach, engaged users); total reach and impressions are stored
        "post count columns not stored": 4,
    }
    before = wh.counts()
    load(wh, path, options=BRAND)
    assert wh.counts() == before


def test_business_suite_facebook_export_uses_the_brand_account(
    wh: Warehouse, tmp_path: Path
) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("platform,handle,owner\nfacebook,fernhillteas,brand\n")
    load(wh, accounts, FIXTURES / "facebook_content.csv")
    got = [(p[1], p[2], p[3], p[4]) for p in _posts(wh)]
    assert got == [
        ("987654321098770", "fernhillteas", datetime(2026, 3, 12, 8, 15),
         'New oolong, "Misty Peak", in store'),
        ("987654321098771", "fernhillteas", datetime(2026, 3, 14, 10), "Weekend opening hours"),
    ]  # fmt: skip


def test_a_facebook_export_without_a_known_handle_is_a_user_error(wh: Warehouse) -> None:
    with pytest.raises(UserInputError, match=r"no facebook handle.*\[sources.facebook\] handle ="):
        load(wh, FIXTURES / "facebook_content.csv")


def test_instagram_and_linkedin_posts(wh: Warehouse) -> None:
    load(wh, FIXTURES / "instagram_content.csv")
    load(wh, FIXTURES / "linkedin_content.csv", options=BRAND)
    assert _posts(wh) == [
        ("linkedin", "urn:li:activity:7170000000000000001", "fernhillteas",
         datetime(2026, 3, 4), "We're hiring a tea buyer, apply by Friday",
         "https://www.linkedin.com/feed/update/urn:li:activity:7170000000000000001", None),
        ("linkedin", "urn:li:share:7170000000000000002", "fernhillteas", datetime(2026, 3, 9),
         "Spring wholesale catalogue",
         "https://www.linkedin.com/feed/update/urn:li:share:7170000000000000002",
         "Spring wholesale"),
        ("instagram", "18012345678901234", "fernhillteas", datetime(2026, 3, 11, 18, 45),
         "Matcha, whisked 🍵 #tea", "https://www.instagram.com/p/C4abcDEFghi/", None),
        ("instagram", "18012345678901235", "fernhillteas", datetime(2026, 3, 13, 12),
         "Reel: how we blend", "https://www.instagram.com/reel/C4xyzABCdef/", None),
    ]  # fmt: skip


def test_follower_totals_and_daily_gains(wh: Warehouse) -> None:
    fb = FIXTURES / "facebook_page_data.csv"
    li = FIXTURES / "linkedin_followers.csv"
    summary = load(wh, fb, li, options={**BRAND, "linkedin.followers_now": "100"})
    assert summary.formats == {str(fb): "page-followers", str(li): "page-followers"}
    assert rows(
        wh,
        "SELECT platform, handle, date, followers, following FROM audience_snapshots ORDER BY 1, 3",
    ) == [
        ("facebook", "fernhillteas", date(2026, 3, 1), 1500, 0),
        ("facebook", "fernhillteas", date(2026, 3, 2), 1503, 0),
        # gains 3, 3, -1 worked back from 100 on the last day
        ("linkedin", "fernhillteas", date(2026, 3, 1), 98, 0),
        ("linkedin", "fernhillteas", date(2026, 3, 2), 101, 0),
        ("linkedin", "fernhillteas", date(2026, 3, 3), 100, 0),
    ]
    assert quarantined(wh) == [
        ("facebook_page_data.csv", "audience_snapshots", 5, "no follower count"),
        ("linkedin_followers.csv", "audience_snapshots", 5, "not an amount: 'x'"),
    ]


def test_daily_gains_need_the_current_count(wh: Warehouse) -> None:
    expected = r"daily follower gains.*\[sources.linkedin\] followers_now = N"
    with pytest.raises(UserInputError, match=expected):
        load(wh, FIXTURES / "linkedin_followers.csv", options=BRAND)


def test_business_suite_metric_export_with_sep_line(wh: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "Follows.csv"
    path.write_bytes(
        b'\xef\xbb\xbfsep=,\n"Instagram follows"\n"Date","Primary"\n'
        b'"2026-03-01T00:00:00","4"\n"2026-03-02T00:00:00","6"\n'
    )
    opts = {
        "page-followers.platform": "instagram",
        "instagram.followers_now": "510",
        "instagram.handle": "fernhillteas",
    }
    load(wh, path, format="page-followers", options=opts)
    assert rows(wh, "SELECT platform, date, followers FROM audience_snapshots ORDER BY 2") == [
        ("instagram", date(2026, 3, 1), 504),
        ("instagram", date(2026, 3, 2), 510),
    ]


def test_linkedin_visitors_become_account_metrics(wh: Warehouse) -> None:
    """The Visitor metrics sheet counts views of the LinkedIn page itself: each count column
    of a day is one account_metrics row; totals match the file read with the csv module."""
    path = FIXTURES / "linkedin_visitors.csv"
    summary = load(wh, path, options=BRAND)
    assert summary.formats[str(path)] == "linkedin-visitors"
    with path.open(encoding="utf-8", newline="") as fh:
        days = list(csv.DictReader(fh))
    got = {
        (str(d), str(m)): int(str(v))
        for d, m, v in rows(wh, "SELECT date, metric, value FROM account_metrics")
    }
    assert len(got) == len(days) * (len(days[0]) - 1) == 48
    assert set(rows(wh, "SELECT DISTINCT platform, handle FROM account_metrics")) == {
        ("linkedin", "fernhillteas")
    }
    for day in days:
        iso = datetime.strptime(day["Date"], "%m/%d/%Y").date().isoformat()
        assert got[(iso, "page_views")] == int(day["Total page views (total)"])
        assert got[(iso, "unique_visitors")] == int(day["Total unique visitors (total)"])
        assert got[(iso, "page_views_mobile")] == int(day["Total page views (mobile)"])
        assert got[(iso, "overview_page_views_desktop")] == int(
            day["Overview page views (desktop)"]
        )
    assert sum(v for (_, m), v in got.items() if m == "page_views") == 19 + 41
    before = wh.counts()
    load(wh, path, options=BRAND)
    assert wh.counts() == before


def test_linkedin_visitors_without_a_brand_handle_say_how_to_give_one(wh: Warehouse) -> None:
    with pytest.raises(UserInputError, match=r"\[sources.linkedin\] handle"):
        load(wh, FIXTURES / "linkedin_visitors.csv")
