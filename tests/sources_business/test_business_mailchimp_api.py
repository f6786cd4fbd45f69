"""Mailchimp Marketing API report pages (tests/fixtures/mailchimp_api/SOURCES.md: real
responses, people replaced) → email interactions. Expected events are read from the fixture
with the json module here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from business_helpers import load, rows

from goodwill.sources.registry import all_formats
from goodwill.warehouse import Warehouse

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "mailchimp_api"
ACTIVITY = FIX / "email-activity.json"
UNSUBSCRIBED = FIX / "unsubscribed.json"


def _doc(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def _events(action: str) -> list[tuple[str, str | None]]:
    return sorted(
        (e["email_address"], a.get("url"))
        for e in _doc(ACTIVITY)["emails"]
        for a in e["activity"]
        if a["action"] == action
    )


def test_both_reports_are_detected_and_nothing_else_claims_them() -> None:
    for path in (ACTIVITY, UNSUBSCRIBED):
        found = [n for n, f in all_formats().items() if f.detect(path)]
        assert found == ["mailchimp-activity"], path


def test_clicks_become_interactions_and_opens_are_left_out(wh: Warehouse) -> None:
    summary = load(wh, ACTIVITY)
    assert summary.rows_quarantined == 0
    got = rows(
        wh,
        "SELECT actor_handle, url, kind, post_id, target_handle FROM interactions ORDER BY 1",
    )
    assert [(g[0], g[1]) for g in got] == _events("click") != []
    assert {(g[2], g[3], g[4]) for g in got} == {("click", "aycl4", "newsletter")}
    doc = _doc(ACTIVITY)
    skipped = summary.skipped[str(ACTIVITY)]
    assert skipped["email open ([sources.email] opens = true imports them)"] == len(_events("open"))
    on_other_pages = doc["total_items"] - len(doc["emails"])
    assert on_other_pages == 270
    assert sum(v for k, v in skipped.items() if "another page" in k) == on_other_pages
    assert rows(wh, "SELECT post_id, created_at FROM posts") == [("aycl4", min_event_time(doc))]


def min_event_time(doc: dict[str, Any]) -> Any:
    from datetime import UTC, datetime

    stamps = [a["timestamp"] for e in doc["emails"] for a in e["activity"]]
    first = min(datetime.fromisoformat(s) for s in stamps)
    return first.astimezone(UTC).replace(tzinfo=None)


def test_opens_with_the_option_and_no_ip_is_stored(wh: Warehouse) -> None:
    load(wh, ACTIVITY, options={"email.opens": "true", "email.campaign": "Mapping UX"})
    kinds = rows(wh, "SELECT kind, count(*) FROM interactions GROUP BY 1 ORDER BY 1")
    assert kinds == [("click", len(_events("click"))), ("open", len(_events("open")))]
    assert rows(wh, "SELECT DISTINCT post_id FROM interactions") == [("mapping-ux",)]
    stored = " ".join(str(r) for r in rows(wh, "SELECT * FROM interactions"))
    assert "192.0.2." not in stored


def test_unsubscribes_become_unfollows(wh: Warehouse) -> None:
    summary = load(wh, UNSUBSCRIBED, options={"email.identities": "true"})
    doc = _doc(UNSUBSCRIBED)
    got = rows(wh, "SELECT actor_handle, kind FROM interactions ORDER BY 1")
    assert got == sorted((u["email_address"], "unfollow") for u in doc["unsubscribes"])
    assert wh.count("identities") == len(doc["unsubscribes"]) == 3
    assert sum(summary.skipped[str(UNSUBSCRIBED)].values()) == doc["total_items"] - 3 == 5


def test_importing_twice_adds_nothing(wh: Warehouse) -> None:
    load(wh, ACTIVITY, UNSUBSCRIBED)
    before = wh.counts()
    load(wh, ACTIVITY, UNSUBSCRIBED)
    assert wh.counts() == before


def test_a_bad_address_is_quarantined_the_rest_loads(wh: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "activity.json"
    click = next(e for e in _doc(ACTIVITY)["emails"] if _has_click(e))["email_address"]
    path.write_text(
        ACTIVITY.read_text(encoding="utf-8").replace('"reader1@example.com"', '"reader1@"'),
        encoding="utf-8",
    )
    summary = load(wh, path)
    assert summary.rows_quarantined == 1
    assert rows(wh, "SELECT actor_handle FROM interactions") == [(click,)]


def _has_click(e: dict[str, Any]) -> bool:
    return any(a["action"] == "click" for a in e["activity"])
