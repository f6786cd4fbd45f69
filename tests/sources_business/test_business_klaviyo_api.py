"""Klaviyo ``/api/events/`` pages (tests/fixtures/klaviyo_api/SOURCES.md says what is real)
→ email interactions. Expected events are read from the fixture with the json module here."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from business_helpers import load, rows

from goodwill.errors import UserInputError
from goodwill.sources.registry import all_formats
from goodwill.warehouse import Warehouse

EVENTS = Path(__file__).resolve().parents[1] / "fixtures" / "klaviyo_api" / "events.json"


def _doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(EVENTS.read_text(encoding="utf-8"))
    return doc


def _by_metric(name: str) -> list[dict[str, Any]]:
    doc = _doc()
    ids = {i["id"] for i in doc["included"] if i["type"] == "metric"}
    metric_id = next(
        i["id"]
        for i in doc["included"]
        if i["type"] == "metric" and i["attributes"]["name"] == name
    )
    assert metric_id in ids
    return [e for e in doc["data"] if e["relationships"]["metric"]["data"]["id"] == metric_id]


def _email(event: dict[str, Any]) -> str:
    pid = event["relationships"]["profile"]["data"]["id"]
    profile = next(i for i in _doc()["included"] if i["type"] == "profile" and i["id"] == pid)
    return str(profile["attributes"]["email"]).lower()


def test_an_events_page_is_detected_and_nothing_else_claims_it() -> None:
    assert [n for n, f in all_formats().items() if f.detect(EVENTS)] == ["klaviyo-events"]


def test_clicks_and_unsubscribes_become_interactions(wh: Warehouse) -> None:
    summary = load(wh, EVENTS)
    assert summary.formats[str(EVENTS)] == "klaviyo-events"
    assert summary.rows_quarantined == 0
    got = rows(
        wh,
        "SELECT interaction_id, kind, actor_handle, actor_name, target_handle, post_id, url, "
        "created_at FROM interactions ORDER BY created_at",
    )
    (click,) = _by_metric("Clicked Email")
    (unsub,) = _by_metric("Unsubscribed from Email Marketing")
    assert got == [
        (f"klaviyo-{click['id']}", "click", _email(click), "Ana Lopez", "newsletter",
         "daily-newsletter-2023-08-10", click["attributes"]["event_properties"]["URL"],
         datetime(2023, 8, 10, 9, 42)),
        (f"klaviyo-{unsub['id']}", "unfollow", _email(unsub), "Ben Okafor", "newsletter",
         "daily-newsletter-2023-08-10", None, datetime(2023, 8, 10, 12, 40)),
    ]  # fmt: skip
    skipped = summary.skipped[str(EVENTS)]
    assert skipped == {
        "Klaviyo machine open (machine_open: true)": len(_by_metric("Opened Email")),
        "Klaviyo Received Email event (not a recipient's act on an email)": 1,
        "Klaviyo Placed Order event (not a recipient's act on an email)": 1,
    }
    # the campaign is a post published at its first event that was imported
    assert rows(wh, "SELECT post_id, text, created_at FROM posts") == [
        (
            "daily-newsletter-2023-08-10",
            "Daily Newsletter: 2023-08-10",
            datetime(2023, 8, 10, 9, 42),
        )
    ]
    before = wh.counts()
    load(wh, EVENTS)
    assert wh.counts() == before


def test_no_ip_is_ever_stored(wh: Warehouse) -> None:
    load(wh, EVENTS, options={"email.opens": "true", "email.identities": "true"})
    ips = [i["attributes"]["location"]["ip"] for i in _doc()["included"] if i["type"] == "profile"]
    assert ips and all(ip.count(".") == 3 for ip in ips)
    for table in ("interactions", "posts", "identities", "quarantine"):
        text = json.dumps(rows(wh, f"SELECT * FROM {table}"), default=str)
        assert not any(ip in text for ip in ips), table
    assert rows(wh, "SELECT value, display_name FROM identities ORDER BY 1") == [
        ("ana.lopez@example.com", "Ana Lopez"),
        ("ben.okafor@example.net", "Ben Okafor"),
    ]


def test_an_event_without_its_profile_is_quarantined(wh: Warehouse, tmp_path: Path) -> None:
    doc = _doc()
    doc["included"] = [i for i in doc["included"] if i.get("id") != "01GDDKB7RQ2M4XJ9T0VWZ3N8C5"]
    path = tmp_path / "events-page2.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    load(wh, path)
    (unsub,) = _by_metric("Unsubscribed from Email Marketing")
    n = 1 + [e["id"] for e in doc["data"]].index(unsub["id"])
    assert rows(wh, "SELECT table_name, line, reason FROM quarantine") == [
        ("interactions", n, f"event {unsub['id']}: profile not included (save with "
         "?include=metric,profile)")
    ]  # fmt: skip
    assert wh.count("interactions") == 1  # the click still loads


def test_a_page_without_metrics_says_how_to_save_it(wh: Warehouse, tmp_path: Path) -> None:
    doc = _doc()
    doc.pop("included")
    path = tmp_path / "events.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(UserInputError, match=r"events\.json: .*include=metric,profile"):
        load(wh, path)


PROFILES = EVENTS.parent / "profiles.csv"


def test_a_profile_export_gives_email_identities_and_no_ip(wh: Warehouse) -> None:
    with PROFILES.open(encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    summary = load(wh, PROFILES)
    assert summary.formats[str(PROFILES)] == "klaviyo-profiles"
    expected = sorted(
        (r["Email"].lower(), f"{r['First Name']} {r['Last Name']}".strip())
        for r in records
        if "@" in r["Email"]
    )
    assert rows(wh, "SELECT value, display_name FROM identities ORDER BY 1") == expected
    assert rows(wh, "SELECT DISTINCT kind FROM identities") == [("email",)]
    assert rows(wh, "SELECT table_name, line, reason FROM quarantine") == [
        ("identities", 5, "not an email address: 'dana at example.org'")
    ]
    assert summary.skipped[str(PROFILES)] == {
        "Klaviyo profile without an email (phone only: not an identity)": 1
    }
    ips = [r["IP Address"] for r in records]
    for table in ("identities", "people", "quarantine"):
        text = json.dumps(rows(wh, f"SELECT * FROM {table}"), default=str)
        assert not any(ip in text for ip in ips), table
    (raw,) = rows(wh, "SELECT raw FROM quarantine")
    assert "dana at example.org" in str(raw[0]) and "x.x.x.x" in str(raw[0])


def test_a_profile_export_records_email_consent_in_the_ledger(wh: Warehouse) -> None:
    """SUBSCRIBED / UNSUBSCRIBED become granted / withdrawn events at the consent timestamp;
    NEVER_SUBSCRIBED records nothing; importing the file again adds no event."""
    from goodwill.people.consent import marketing_list

    with PROFILES.open(encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    expected = sorted(
        (
            r["Email"].lower(),
            {"SUBSCRIBED": "granted", "UNSUBSCRIBED": "withdrawn"}[r["Email Marketing Consent"]],
            datetime.fromisoformat(r["Email Marketing Consent Timestamp"]),
        )
        for r in records
        if "@" in r["Email"] and r["Email Marketing Consent"] != "NEVER_SUBSCRIBED"
    )
    load(wh, PROFILES)
    load(wh, PROFILES)
    sql = "SELECT value, status, recorded_at FROM consent WHERE channel = 'email' ORDER BY 1"
    assert rows(wh, sql) == expected and len(expected) == 2
    assert rows(wh, "SELECT DISTINCT source FROM consent") == [("klaviyo",)]
    granted = [e for e, status, _ in expected if status == "granted"]
    # not resolved yet: each identity is its own person ``kind:value``
    assert sorted(marketing_list(wh, "email")["person_id"]) == [f"email:{e}" for e in granted]


def test_a_bad_consent_cell_is_quarantined_and_the_identity_loads(
    wh: Warehouse, tmp_path: Path
) -> None:
    with PROFILES.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        ana, ben = next(reader), next(reader)
    state, at = (
        header.index("Email Marketing Consent"),
        header.index("Email Marketing Consent Timestamp"),
    )
    ana[state] = "MAYBE"
    ben[at] = ""
    path = tmp_path / "profiles.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows([header, ana, ben])
    load(wh, path)
    assert rows(wh, "SELECT count(*) FROM identities") == [(2,)]
    assert rows(wh, "SELECT count(*) FROM consent") == [(0,)]
    assert rows(wh, "SELECT table_name, line, reason FROM quarantine ORDER BY line") == [
        (
            "consent",
            2,
            "Email Marketing Consent 'MAYBE': expected SUBSCRIBED, UNSUBSCRIBED or "
            "NEVER_SUBSCRIBED",
        ),
        ("consent", 3, "Email Marketing Consent 'UNSUBSCRIBED' without its timestamp"),
    ]
    (raw,) = rows(wh, "SELECT raw FROM quarantine WHERE line = 2")
    assert ana[header.index("IP Address")] not in str(raw[0])
