"""``goodwill channel``: channel, source and evidence of one visit or of each CSV row, for a
table of real in-app, click-id and UTM cases. (Agreement with the referer-parser test cases is
measured in tests/enrich/test_channel.py.)"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goodwill.cli import app

IPHONE_FB = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 [FBAN/FBIOS;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.1;FBSS/3;"
    "FBID/phone;FBLC/en_US;FBOP/5]"
)
ANDROID_IG = (
    "Mozilla/5.0 (Linux; Android 13; SM-S911B Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 Instagram "
    "309.0.0.40.113 Android (33/13; 420dpi; 1080x2340; samsung; SM-S911B; dm3q; qcom; en_US)"
)
LINKEDIN_APP = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 [LinkedInApp]/9.29.6471"
)

# referrer, landing, user agent -> channel, source, evidence
CASES = [
    ("", "https://shop.example/?utm_source=fb&utm_medium=social", "", "social", "facebook"),
    (
        "",
        "https://shop.example/?utm_source=ig&utm_medium=paid_social",
        "",
        "paid_social",
        "instagram",
    ),
    ("", "https://shop.example/?utm_source=t.co", "", "social", "x"),
    ("", "https://shop.example/?utm_source=twitter&utm_medium=cpc", "", "paid_social", "x"),
    ("", "https://shop.example/?utm_source=newsletter&utm_medium=email", "", "email", "newsletter"),
    ("", "https://shop.example/?gclid=Cj0KCQiA", "", "paid_search", "google"),
    ("", "https://shop.example/?fbclid=IwAR2x", "", "social", "facebook"),
    ("", "https://shop.example/?msclkid=abc", "", "paid_search", "bing"),
    ("", "https://shop.example/?li_fat_id=abc", "", "paid_social", "linkedin"),
    ("", "https://shop.example/p", IPHONE_FB, "social", "facebook"),
    ("", "https://shop.example/p", ANDROID_IG, "social", "instagram"),
    ("", "https://shop.example/p", LINKEDIN_APP, "social", "linkedin"),
    ("https://t.co/Abc123", "https://shop.example/", "", "social", "x"),
    ("https://bsky.app/profile/ann.bsky.social", "https://shop.example/", "", "social", "bluesky"),
    ("https://fosstodon.org/@ann/1123581321", "https://shop.example/", "", "social", "mastodon"),
    ("https://www.google.de/", "https://shop.example/", "", "search", "google"),
    ("https://blog.example.org/post", "https://shop.example/", "", "referral", "blog.example.org"),
    ("", "https://shop.example/", "", "direct", "(direct)"),
]


def run(args: list[str]) -> list[dict[str, str]]:
    result = CliRunner().invoke(app, ["channel", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, str]] = json.loads(result.output)
    return rows


@pytest.mark.parametrize(("referrer", "landing", "ua", "channel", "source"), CASES)
def test_one_visit(referrer: str, landing: str, ua: str, channel: str, source: str) -> None:
    args = ["--landing", landing]
    if referrer:
        args += ["--referrer", referrer]
    if ua:
        args += ["--user-agent", ua]
    [row] = run(args)
    assert (row["channel"], row["source"]) == (channel, source)
    assert row["evidence"]


def test_evidence_says_which_rule_decided() -> None:
    [row] = run(["--landing", "https://shop.example/p", "--user-agent", IPHONE_FB])
    assert row["evidence"] == "in_app:FBAN"
    [row] = run(["--landing", "https://shop.example/?gclid=x"])
    assert row["evidence"] == "click_id:gclid"


def test_file_classifies_every_row(tmp_path: Path) -> None:
    path = tmp_path / "visits.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["referrer", "landing_url", "user_agent"])
        for referrer, landing, ua, *_ in CASES:
            w.writerow([referrer, landing, ua])
    rows = run(["--file", str(path)])
    assert [(r["channel"], r["source"]) for r in rows] == [(c[3], c[4]) for c in CASES]


def test_file_with_unknown_column_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("referer,landing_url\nhttps://t.co/x,https://shop.example/\n")
    result = CliRunner().invoke(app, ["channel", "--file", str(path)])
    assert result.exit_code == 2
    assert "referer" in result.output and "referrer, landing_url, user_agent" in result.output
