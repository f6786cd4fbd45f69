"""The platform and campaign filters apply on every page (but the Money page): each section
either narrows its numbers to the chosen minority platform / campaign, or says on the page
and in its JSON that it does not apply that filter, and why. The overview cards link to
lists that apply the same filters and hold as many rows as the card counts."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from dashboard_server import Demo, sign_in
from fastapi.testclient import TestClient

from goodwill.enrich.sentiment import enrich_labels
from goodwill.warehouse import Warehouse
from goodwill.web.app import create_app

PAGES = ("overview", "people", "audience", "listening", "care", "traffic")
CHOICES = {"platform": "bluesky", "campaign": "autumn-harvest"}
"""A minority platform and a campaign that runs in the demo's last month."""
WHOLLY_DECLARED = {("listening", "campaign"), ("care", "campaign")}
"""Pages none of whose sections a filter narrows (mentions and care threads name accounts)."""


@pytest.fixture(scope="module")
def labelled(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A signed-in client on a copy of the demo warehouse with sentiment labels (so that
    sentiment, pull-through and the complaints queue have rows), with the demo's targets."""
    folder = tmp_path_factory.mktemp("filters-everywhere")
    db = folder / "goodwill.duckdb"
    shutil.copy(demo.db, db)
    with Warehouse.open(db) as wh:
        assert enrich_labels(wh, model="fast") > 0
    mp = pytest.MonkeyPatch()
    mp.setenv("GOODWILL_CONFIG", str(demo.config))
    app = create_app(spool_dir=folder / "spool", sites=["shop.example"], db=db, load_interval=3600)
    app.state.dashboard_warming = True  # no background warm-up
    try:
        with TestClient(app) as c:
            sign_in(c)
            yield c
    finally:
        mp.undo()


def _api(client: TestClient, url: str) -> dict[str, Any]:
    r = client.get("/api" + url)
    assert r.status_code == 200, r.text
    return dict(r.json())


def _numbers(section: dict[str, Any]) -> list[Any]:
    """What a section shows: card values and table rows."""
    return [[c["name"], c["value"], c["previous"]] for c in section["cards"]] + [
        [t["name"], t["total_rows"], t["rows"]] for t in section["tables"]
    ]


@pytest.mark.parametrize("key", sorted(CHOICES))
@pytest.mark.parametrize("page", PAGES)
def test_each_section_applies_the_filter_or_says_why_not(
    labelled: TestClient, page: str, key: str
) -> None:
    # over every date (no period chosen shows the latest month only, which has no alerts)
    all_dates = "?since=2000-01-01&until=2100-12-31"
    base = _api(labelled, f"/{page}{all_dates}")["data"]["sections"]
    query = f"{all_dates}&{key}={CHOICES[key]}"
    narrowed = _api(labelled, f"/{page}{query}")["data"]["sections"]
    assert [s["id"] for s in base] == [s["id"] for s in narrowed]
    html = labelled.get(f"/{'' if page == 'overview' else page}{query}").text
    applied = declared = 0
    for before, after in zip(base, narrowed, strict=True):
        reason = after["not_filtered"].get(key)
        if reason:
            declared += 1
            assert len(reason) > 15, reason
            # shown on the page, under the section's title
            part = html.split(f'<section id="{after["id"]}">', 1)[1].split("</section>", 1)[0]
            assert f'data-filter="{key}"' in part, after["id"]
            assert reason.replace("'", "&#39;") in part
        else:
            applied += 1
            assert _numbers(before) != _numbers(after), (
                f"{page}: section {after['id']} neither changes with {key}={CHOICES[key]} "
                "nor declares it not filtered"
            )
    if (page, key) in WHOLLY_DECLARED:
        assert applied == 0
    else:
        assert applied >= 1, f"{page}: {key} narrows nothing"
    # without the filter the page does not list what it would leave out
    assert f'data-filter="{key}"' not in labelled.get(f"/{'' if page == 'overview' else page}").text
    assert declared + applied == len(narrowed)


def test_not_filtered_is_in_every_section_of_the_json(labelled: TestClient) -> None:
    for page in PAGES:
        for section in _api(labelled, f"/{page}")["data"]["sections"]:
            assert isinstance(section["not_filtered"], dict), (page, section["id"])
            assert set(section["not_filtered"]) <= {"platform", "campaign", "since", "until"}


@pytest.mark.parametrize(
    "query",
    ["platform=bluesky", "campaign=autumn-harvest", "platform=x&campaign=autumn-harvest"],
)
def test_overview_cards_link_to_lists_with_the_same_filters(
    labelled: TestClient, query: str
) -> None:
    wanted = parse_qs(query)
    page = _api(labelled, f"/overview?{query}")
    cards = page["data"]["sections"][0]["cards"]
    # the same page without the campaign (the only filter some cards do not apply)
    wider = "&".join(p for p in query.split("&") if not p.startswith("campaign="))
    plain = {
        c["name"]: c["value"]
        for c in _api(labelled, f"/overview?{wider}")["data"]["sections"][0]["cards"]
    }
    followed = 0
    for card in cards:
        href = card["href"]
        assert href, card["name"]
        params = parse_qs(urlsplit(href).query)
        for k, v in wanted.items():
            assert params.get(k) == v, (card["name"], href)
        if card["detail"]:  # not narrowed by a filter: the card says so, and its value is all
            assert re.match(r"all campaigns: ", card["detail"]), card
            assert card["value"] == plain[card["name"]]
        if href.startswith("/items?") and card["unit"] in ("count", "people"):
            items = _api(labelled, href)["data"]["sections"][0]["tables"][0]
            assert items["total_rows"] == card["value"], (card["name"], href)
            followed += 1
    assert followed >= 5
    html = labelled.get(f"/?{query}").text
    if "campaign" in wanted:
        card = html.split('id="card-followers"', 1)[1].split('<div class="card"', 1)[0]
        assert "all campaigns: follower counts have no campaign" in card


def test_campaign_narrows_people_and_traffic_lists(labelled: TestClient) -> None:
    query = "?campaign=autumn-harvest"
    people = _api(labelled, "/people" + query)["data"]["sections"][0]
    everyone = _api(labelled, "/people")["data"]["sections"][0]
    assert 0 < people["cards"][0]["value"] < everyone["cards"][0]["value"]
    assert people["tables"][0]["total_rows"] == people["cards"][0]["value"]
    traffic = _api(labelled, "/traffic" + query)["data"]["sections"][0]["tables"][0]
    row, links = traffic["rows"][0], traffic["hrefs"][0]
    listed = _api(labelled, links["visits"])["data"]["sections"][0]["tables"][0]
    assert "campaign=autumn-harvest" in links["visits"]
    assert listed["total_rows"] == row["visits"]
