"""An email click and the visit it opened are one touch; a click without a visit is a touch.

The story: Ann (P1, known by email and by her visitor id) clicks the January newsletter on
Jan 5 at 10:00:00 and lands on the shop 20 s later (one touch: the visit). On Jan 8 she clicks
at 09:00 but visits only at 09:31, past the 30-minute window (two touches), and orders on
Jan 9. Bob (P2) is known only by email; he clicks on Jan 20 at 11:00, and his visit at 11:04
is known only by its visitor id, which his lead at 12:00 carries: in the lead's journey the
two are one touch, while :func:`touch_rows` (by key) keeps both.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from goodwill.attribution.journeys import JourneySpec, build_journeys, touch_rows
from goodwill.importer import import_paths
from goodwill.warehouse import Warehouse

NEWS = "https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=jan-news"
FILES = {
    "identities.csv": "kind,value,person_ref\n"
    "email,ann@ex.com,P1\nvisitor,v-ann,P1\nemail,bob@ex.com,P2\n",
    "posts.csv": "platform,post_id,handle,created_at,campaign\n"
    "email,jan-news,newsletter,2026-01-05T09:00:00,jan-news\n",
    "interactions.csv": "platform,interaction_id,created_at,kind,direction,actor_handle,"
    "target_handle,post_id\n"
    "email,c1,2026-01-05T10:00:00,click,inbound,ann@ex.com,newsletter,jan-news\n"
    "email,c2,2026-01-08T09:00:00,click,inbound,ann@ex.com,newsletter,jan-news\n"
    "email,c3,2026-01-20T11:00:00,click,inbound,bob@ex.com,newsletter,jan-news\n",
    "visits.csv": "visit_id,started_at,visitor_id,landing_url,utm_source,utm_medium,utm_campaign\n"
    f"w1,2026-01-05T10:00:20,v-ann,{NEWS},newsletter,email,jan-news\n"
    "w2,2026-01-08T09:31:00,v-ann,https://shop.example/,,,\n"
    "w3,2026-01-20T11:04:00,v-bob,https://shop.example/,,,\n",
    "conversions.csv": "conversion_id,occurred_at,kind,value,currency,customer_id,email,"
    "visitor_id\n"
    "o1,2026-01-09T12:00:00,order,50,USD,,ann@ex.com,v-ann\n"
    "l1,2026-01-20T12:00:00,lead,0,USD,,bob@ex.com,v-bob\n",
}


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("email_clicks")
    files = [root / name for name in FILES]
    for path in files:
        path.write_text(FILES[path.name], encoding="utf-8")
    with Warehouse.open(root / "story.duckdb") as wh:
        assert import_paths(wh, files, show_progress=False).rows_quarantined == 0
    return root / "story.duckdb"


def _touches(db: Path, by: str) -> list[tuple[str, datetime, str]]:
    with Warehouse.open(db, read_only=True) as wh:
        t = touch_rows(wh.ibis(), by).execute()
    return sorted(zip(t["key"], t["ts"], t["label"], strict=True))


def _paths(db: Path, by: str) -> dict[str, list[str]]:
    with Warehouse.open(db, read_only=True) as wh:
        wj = build_journeys(wh.ibis(), JourneySpec(by=by, include_nonconverting=False))
    j = wj.journeys
    return {
        journey: [j.channels[c] for c in j.touch_channel[j.offsets[i] : j.offsets[i + 1]]]
        for i, journey in enumerate(wj.meta["journey"])
    }


def test_a_click_and_the_visit_it_opened_are_one_touch_per_key(story: Path) -> None:
    assert _touches(story, "channel") == [
        ("P1", datetime(2026, 1, 5, 10, 0, 20), "email"),  # w1; the click c1 is left out
        ("P1", datetime(2026, 1, 8, 9, 0), "email"),  # c2: its visit came 31 min later
        ("P1", datetime(2026, 1, 8, 9, 31), "direct"),  # w2
        ("P2", datetime(2026, 1, 20, 11, 0), "email"),  # c3: w3 is another key
        ("visitor:v-bob", datetime(2026, 1, 20, 11, 4), "direct"),  # w3
    ]


def test_the_rule_does_not_depend_on_the_label(story: Path) -> None:
    # by source the click is "email" and the visit "newsletter"; still one touch
    by_source = _touches(story, "source")
    assert [(ts, label) for k, ts, label in by_source if k == "P1"] == [
        (datetime(2026, 1, 5, 10, 0, 20), "newsletter"),
        (datetime(2026, 1, 8, 9, 0), "email"),
        (datetime(2026, 1, 8, 9, 31), "(direct)"),
    ]
    by_campaign = _touches(story, "campaign")
    assert [label for k, _, label in by_campaign if k == "P1"] == ["jan-news", "jan-news", "(none)"]


def test_journeys_count_a_click_and_its_visit_once(story: Path) -> None:
    # o1: w1 (the click c1 dropped), c2, w2; l1: the click c3 is known by Bob's email and
    # its visit w3 by the lead's visitor id: one touch, the visit
    assert _paths(story, "channel") == {"o1": ["email", "email", "direct"], "l1": ["direct"]}
    assert _paths(story, "campaign") == {
        "o1": ["jan-news", "jan-news", "(none)"],
        "l1": ["(none)"],
    }
