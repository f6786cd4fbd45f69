from __future__ import annotations

from datetime import datetime
from pathlib import Path

from business_helpers import FIXTURES, load, quarantined, rows

from goodwill.attribution.journeys import touch_rows
from goodwill.config import load_config
from goodwill.warehouse import Warehouse

ACTIVITY = FIXTURES / "mailchimp_activity.csv"


def _interactions(wh: Warehouse) -> list[tuple[object, ...]]:
    return rows(
        wh,
        "SELECT created_at, kind, direction, actor_handle, actor_name, target_handle, post_id, "
        "url FROM interactions WHERE platform = 'email' ORDER BY created_at",
    )


def test_clicks_and_unsubscribes_become_email_interactions(wh: Warehouse) -> None:
    summary = load(wh, ACTIVITY)
    assert summary.formats[str(ACTIVITY)] == "email-activity"
    camp = "spring-newsletter"
    assert _interactions(wh) == [
        (datetime(2026, 3, 10, 8, 6, 30), "click", "inbound", "ana.lopez@example.com",
         "Ana Lopez", "newsletter", camp, "https://shop.example/spring?utm_source=newsletter"),
        (datetime(2026, 3, 11, 19), "click", "inbound", "dev.patel@example.net", "Dev Patel",
         "newsletter", camp, "https://shop.example/spring?a=1,2"),
        (datetime(2026, 3, 11, 19, 1), "unfollow", "inbound", "dev.patel@example.net",
         "Dev Patel", "newsletter", camp, None),
    ]  # fmt: skip
    assert rows(wh, "SELECT platform, post_id, handle, created_at, text, campaign FROM posts") == [
        ("email", camp, "newsletter", datetime(2026, 3, 10, 8), "Spring Newsletter",
         "Spring Newsletter")
    ]  # fmt: skip
    assert quarantined(wh) == [
        ("mailchimp_activity.csv", "interactions", 9, "not an email address: 'not-an-email'"),
        ("mailchimp_activity.csv", "interactions", 10,
         "action 'forwarded' is not one of bounce, bounced, click, clicked, clk, delivered, "
         "hard bounce, nco, open, opened, opn, send, sent, snt, soft bounce, unsubscribe, "
         "unsubscribed"),
        ("mailchimp_activity.csv", "interactions", 11, "not a date/time: 'yesterday'"),
    ]  # fmt: skip
    assert summary.skipped[str(ACTIVITY)] == {
        "email send": 2,
        "email open ([sources.email] opens = true imports them)": 1,
        "email bounce": 1,
    }
    assert wh.counts()["identities"] == 0
    before = wh.counts()
    load(wh, ACTIVITY)
    assert wh.counts() == before


def test_opens_identities_and_the_brand_sender_on_request(wh: Warehouse, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("platform,handle,owner\nemail,News@Fernhill.example,brand\n")
    wide = FIXTURES / "mailchimp_opened.csv"
    config = tmp_path / "goodwill.toml"
    config.write_text(
        '[sources.email]\nopens = true\nidentities = true\ncampaign = "April news"\n',
        encoding="utf-8",
    )
    summary = load(wh, accounts, wide, options=load_config(config).sources)
    assert summary.formats[str(wide)] == "email-activity"
    assert _interactions(wh) == [
        (datetime(2026, 4, 2, 9), "open", "inbound", "ana.lopez@example.com", "Ana Lopez",
         "news@fernhill.example", "april-news", None),
        (datetime(2026, 4, 2, 9, 1), "click", "inbound", "ana.lopez@example.com", "Ana Lopez",
         "news@fernhill.example", "april-news", None),
        (datetime(2026, 4, 2, 10), "open", "inbound", "gus@example.com", "Gus Ward",
         "news@fernhill.example", "april-news", None),
    ]  # fmt: skip
    assert rows(wh, "SELECT kind, value, person_ref FROM identities ORDER BY 2") == [
        ("email", "ana.lopez@example.com", "email-ana.lopez@example.com"),
        ("email", "gus@example.com", "email-gus@example.com"),
    ]


def test_an_email_click_is_an_email_touch_for_attribution(wh: Warehouse) -> None:
    load(wh, FIXTURES / "hubspot_contacts.csv", ACTIVITY)
    touches = touch_rows(wh.ibis(), "channel").execute()
    ana = touches[touches["key"] == "email-ana.lopez@example.com"]
    assert list(zip(ana["ts"], ana["label"], strict=True)) == [
        (datetime(2026, 3, 10, 8, 6, 30), "email")
    ]
