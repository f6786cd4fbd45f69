"""Counts on the traffic and care pages link to the rows behind them: following a count's link
lists exactly that many rows (visits, care threads, tracked-link clicks, funnel people)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from dashboard_server import Demo, sign_in
from fastapi.testclient import TestClient

from goodwill.warehouse import Warehouse
from goodwill.web.app import create_app

ALL_DATES = "?since=2000-01-01&until=2100-12-31"
"""Every date of the demo: with no period chosen the pages show the latest month only, whose
funnel has too few conversions to check."""


@pytest.fixture(scope="module")
def signed_in(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    spool: Path = tmp_path_factory.mktemp("items-spool")
    app = create_app(spool_dir=spool, sites=["shop.example"], db=demo.db, load_interval=3600)
    app.state.dashboard_warming = True  # no background warm-up
    with TestClient(app) as c:
        sign_in(c)
        yield c


def _table(client: TestClient, url: str, name: str) -> dict[str, Any]:
    r = client.get(url)
    assert r.status_code == 200, r.text
    for section in r.json()["data"]["sections"]:
        for t in section["tables"]:
            if t["name"] == name:
                return dict(t)
    raise AssertionError(f"no table {name} at {url}")


def _followed(client: TestClient, table: dict[str, Any], column: str) -> list[tuple[int, int]]:
    """``(count shown, rows listed by its link)`` for every row of ``table`` with a count > 0
    in ``column`` (at most 6 rows, to stay fast)."""
    pairs = []
    for row, links in zip(table["rows"], table["hrefs"], strict=True):
        if not row[column]:
            continue
        href = links[column]
        assert href.startswith("/items?")
        items = _table(client, "/api" + href, href.split("metric=")[1].split("&")[0])
        assert items["total_rows"] == len(items["rows"])  # all shown (under the limit)
        pairs.append((int(row[column]), items["total_rows"]))
        if len(pairs) == 6:
            break
    return pairs


def test_traffic_visits_count_links_to_as_many_visits(signed_in: TestClient) -> None:
    detail = _table(signed_in, "/api/traffic", "traffic_detail")
    pairs = _followed(signed_in, detail, "visits")
    assert pairs and all(shown == listed for shown, listed in pairs), pairs
    # a social row lists visits of that channel and source only
    row = next(r for r in detail["rows"] if r["channel"] != "unclassified")
    href = detail["hrefs"][detail["rows"].index(row)]["visits"]
    items = _table(signed_in, "/api" + href, "visits")
    assert {r["channel"] for r in items["rows"]} == {row["channel"]}
    assert {r["source"] for r in items["rows"]} == {row["source"]}


def test_traffic_visits_link_keeps_the_platform_filter(signed_in: TestClient) -> None:
    detail = _table(signed_in, "/api/traffic?platform=bluesky", "traffic_detail")
    pairs = _followed(signed_in, detail, "visits")
    assert pairs and all(shown == listed for shown, listed in pairs), pairs
    assert all("platform=bluesky" in h["visits"] for h in detail["hrefs"])


def test_care_counts_link_to_as_many_threads(signed_in: TestClient) -> None:
    care = _table(signed_in, "/api/care", "care")
    for column in ("needing_answer", "answered"):
        pairs = _followed(signed_in, care, column)
        assert pairs and all(shown == listed for shown, listed in pairs), (column, pairs)
    row, links = care["rows"][0], care["hrefs"][0]
    answered = _table(signed_in, "/api" + links["answered"], "answered")
    assert all(r["first_response_at"] for r in answered["rows"])
    assert {r["account"] for r in answered["rows"]} <= {row["account"]}


def test_funnel_counts_link_to_their_people(signed_in: TestClient) -> None:
    funnel = _table(signed_in, "/api/traffic" + ALL_DATES, "funnel")
    pairs = _followed(signed_in, funnel, "people")
    assert len(pairs) == 4 and all(shown == listed for shown, listed in pairs), pairs
    assert [listed for _, listed in pairs] == sorted((p[1] for p in pairs), reverse=True)


def test_the_html_page_shows_the_links_and_bad_detail_filters_are_400(
    signed_in: TestClient,
) -> None:
    html = signed_in.get("/traffic").text
    assert "/items?" in html and "metric=visits" in html
    detail = _table(signed_in, "/api/traffic", "traffic_detail")
    every = _table(signed_in, "/api/items?metric=visits", "visits")  # no channel/source
    assert every["total_rows"] == sum(r["visits"] for r in detail["rows"])
    assert len(every["rows"]) == min(every["total_rows"], 1000)
    page = signed_in.get(detail["hrefs"][0]["visits"])  # the HTML list keeps the narrowing
    assert page.status_code == 200
    assert f'name="channel" value="{detail["rows"][0]["channel"]}"' in page.text
    r = signed_in.get("/api/items?metric=visits&channel=nosuch")
    assert r.status_code == 400 and "channel='nosuch'" in r.json()["detail"]
    r = signed_in.get("/api/items?metric=funnel&step=buyer")
    assert r.status_code == 400 and "social" in r.json()["detail"]


def test_tracked_link_clicks_link_to_the_clicks(client: TestClient, auth_db: Path) -> None:
    """Two links, three clicks in May (one on 2026-05-31 23:59) and one in June: with
    until=2026-05-31, link a shows 2 clicks and b 1, and their links list those clicks."""
    with Warehouse.open(auth_db) as wh:
        wh.con.executemany(
            "INSERT INTO links (code, destination_url, platform, campaign) VALUES (?, ?, ?, ?)",
            [
                ("a", "https://shop.example/a", "x", "spring"),
                ("b", "https://shop.example/b", "x", None),
            ],
        )
        wh.con.executemany(
            "INSERT INTO link_clicks (click_id, code, clicked_at, visitor_id) VALUES (?, ?, ?, ?)",
            [
                ("c1", "a", datetime(2026, 5, 2, 10), "v1"),
                ("c2", "a", datetime(2026, 5, 31, 23, 59), "v2"),
                ("c3", "b", datetime(2026, 5, 3), "v1"),
                ("c4", "a", datetime(2026, 6, 1), "v3"),
            ],
        )
    sign_in(client)
    clicks = _table(client, "/api/traffic?until=2026-05-31", "link_clicks")
    shown = {r["code"]: r["clicks"] for r in clicks["rows"]}
    assert shown == {"a": 2, "b": 1}
    listed = {}
    for row, links in zip(clicks["rows"], clicks["hrefs"], strict=True):
        items = _table(client, "/api" + links["clicks"], "clicks")
        listed[row["code"]] = sorted(r["click_id"] for r in items["rows"])
    assert listed == {"a": ["c1", "c2"], "b": ["c3"]}


def test_traffic_detail_counts_list_visitors_and_sum_pageviews(signed_in: TestClient) -> None:
    detail = _table(signed_in, "/api/traffic", "traffic_detail")
    row, links = detail["rows"][0], detail["hrefs"][0]
    pageviews = signed_in.get("/api" + links["pageviews"]).json()
    assert "sums to the count" in pageviews["data"]["sections"][0]["intro"]
    listed = pageviews["data"]["sections"][0]["tables"][0]["rows"]
    assert sum(r["pageviews"] for r in listed) == row["pageviews"]
    assert len(listed) == row["visits"]
    visitors = _table(signed_in, "/api" + links["visitors"], "visitors")
    ids = [r["visitor_id"] for r in visitors["rows"]]
    assert len(ids) == len(set(ids)) == row["visitors"]
    assert sum(r["visits"] for r in visitors["rows"]) <= row["visits"]
    engaged = _table(signed_in, "/api" + links["engaged_visits"], "engaged_visits")
    assert engaged["total_rows"] == row["engaged_visits"]
    assert all(r["pageviews"] >= 2 for r in engaged["rows"])
    returning = _table(signed_in, "/api" + links["returning_visitors"], "returning_visitors")
    assert returning["total_rows"] == row["returning_visitors"]


def test_returning_visitors_had_an_earlier_visit(signed_in: TestClient, demo: Demo) -> None:
    detail = _table(signed_in, "/api/traffic", "traffic_detail")
    links = detail["hrefs"][0]
    returning = _table(signed_in, "/api" + links["returning_visitors"], "returning_visitors")
    with Warehouse.open(demo.db, read_only=True) as wh:
        firsts = dict(wh.query("SELECT visitor_id, min(started_at) FROM visits GROUP BY 1"))
    assert returning["rows"]
    for r in returning["rows"]:
        assert datetime.fromisoformat(str(r["first_visit"])) > firsts[r["visitor_id"]], r


def test_overview_visit_cards_link_to_the_visits(signed_in: TestClient) -> None:
    from goodwill.metrics.traffic import SOCIAL_CHANNELS

    cards = {
        c["name"]: c
        for s in signed_in.get("/api/overview").json()["data"]["sections"]
        for c in s["cards"]
    }
    visits = _table(signed_in, "/api" + cards["visits"]["href"], "visits")
    assert visits["total_rows"] == cards["visits"]["value"]
    social = _table(signed_in, "/api" + cards["social_share_of_visits"]["href"], "social_visits")
    assert {r["channel"] for r in social["rows"]} <= set(SOCIAL_CHANNELS)
    share = social["total_rows"] / visits["total_rows"]
    assert abs(share - cards["social_share_of_visits"]["value"]) < 1e-9


def test_days_to_convert_link_to_the_people_who_converted(signed_in: TestClient) -> None:
    days = _table(signed_in, "/api/traffic" + ALL_DATES, "funnel_days")
    pairs = _followed(signed_in, days, "people")
    assert pairs and all(shown == listed for shown, listed in pairs), pairs
    row, links = days["rows"][-1], days["hrefs"][-1]
    people = _table(signed_in, "/api" + links["people"], "funnel_days")
    assert {(r["milestone"], r["days"]) for r in people["rows"]} == {
        (row["milestone"], row["days"])
    }
    page = signed_in.get(links["people"])
    assert f'name="days" value="{row["days"]}"' in page.text


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("metric=funnel_days&days=-1", "days='-1'"),
        ("metric=funnel_days&days=two", "whole number"),
        ("metric=funnel_days&milestone=visit", "lead, order"),
        ("metric=post_reactions&post=x:nosuch", "no such post"),
        ("metric=post_reactions&reaction=hugs", "replies, shares, likes"),
    ],
)
def test_bad_detail_filters_are_400(signed_in: TestClient, query: str, says: str) -> None:
    r = signed_in.get("/api/items?" + query)
    assert r.status_code == 400 and says in r.json()["detail"], r.text


@pytest.fixture(scope="module")
def labelled_items(
    labelled_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The demo warehouse after ``goodwill enrich-labels`` (in its own copy), so the
    Listening page's pull-through has labelled mentions to count."""
    folder: Path = tmp_path_factory.mktemp("items-labelled")
    db = folder / "goodwill.duckdb"
    shutil.copy(labelled_db, db)
    app = create_app(spool_dir=folder / "spool", sites=["shop.example"], db=db, load_interval=3600)
    app.state.dashboard_warming = True  # no background warm-up
    with TestClient(app) as c:
        sign_in(c)
        yield c


def test_tier_migration_counts_list_the_people_who_moved(signed_in: TestClient, demo: Demo) -> None:
    from goodwill.people import activity
    from goodwill.people.tiers import tier_history

    migration = _table(signed_in, "/api/people", "tier_migration")
    assert migration["units"]["people"] == "people"
    pairs = _followed(signed_in, migration, "people")
    assert len(pairs) == 6 and all(shown == listed for shown, listed in pairs), pairs
    with Warehouse.open(demo.db, read_only=True) as wh:
        history = tier_history(activity.social_events(wh), activity.conversions(wh))
    tier_at = {(r.person_id, str(r.period)): r.tier for r in history.itertuples()}
    # the last rows: the latest month, whose moves include regulars who stayed regular
    row, links = migration["rows"][-1], migration["hrefs"][-1]
    moved = _table(signed_in, "/api" + links["people"], "tier_moves")
    assert moved["total_rows"] == row["people"] > 0
    period = date.fromisoformat(row["period"])
    before = str((period - timedelta(days=1)).replace(day=1))
    for r, person in zip(moved["rows"], moved["hrefs"], strict=True):
        assert (r["period"], r["from_tier"], r["to_tier"]) == (
            row["period"],
            row["from_tier"],
            row["to_tier"],
        )
        person_id = unquote(person["person"].removeprefix("/person/"))
        assert tier_at[(person_id, row["period"])] == row["to_tier"]
        assert tier_at.get((person_id, before), "none") == row["from_tier"]
    page = signed_in.get("/api" + moved["hrefs"][0]["person"])
    assert page.status_code == 200 and moved["rows"][0]["person"] in page.json()["title"]
    # every person scored at a month's end made exactly one move into that month
    month = _table(
        signed_in, f"/api/items?metric=tier_moves&month={row['period'][:7]}", "tier_moves"
    )
    assert month["total_rows"] == int((history["period"] == period).sum())
    newcomers = _table(signed_in, "/api/items?metric=tier_moves&from_tier=none", "tier_moves")
    assert newcomers["rows"] and {r["from_tier"] for r in newcomers["rows"]} == {"none"}


@pytest.mark.parametrize("query", ["", "?platform=x&since=2026-03-10&until=2026-08-20"])
def test_pull_through_counts_list_the_mentions(labelled_items: TestClient, query: str) -> None:
    from goodwill.text.pullthrough import THRESHOLDS

    pulled = _table(labelled_items, "/api/listening" + query, "pullthrough")
    assert pulled["units"]["mentions"] == pulled["units"]["carrying"] == "count"
    labelled = _table(labelled_items, "/api" + pulled["hrefs"][0]["mentions"], "labelled_mentions")
    assert len({h["mentions"] for h in pulled["hrefs"]}) == 1  # one set of mentions
    assert labelled["total_rows"] == pulled["rows"][0]["mentions"] > 0
    texts = {r["text"] for r in labelled["rows"]}
    for row, links in zip(pulled["rows"], pulled["hrefs"], strict=True):
        carrying = _table(labelled_items, "/api" + links["carrying"], "carrying")
        assert carrying["total_rows"] == row["carrying"], (row, links)
        assert {r["message"] for r in carrying["rows"]} <= {row["message_id"]}
        assert all(r["similarity"] >= THRESHOLDS["char-tfidf"] for r in carrying["rows"])
        assert {r["text"] for r in carrying["rows"]} <= texts
    if not query:
        assert sum(r["carrying"] for r in pulled["rows"]) > 0
        every = _table(labelled_items, "/api/items?metric=carrying", "carrying")
        assert every["total_rows"] == sum(r["carrying"] for r in pulled["rows"])
        named = [i for i, r in enumerate(every["rows"]) if every["hrefs"][i].get("person")]
        assert named
        person = labelled_items.get("/api" + every["hrefs"][named[0]]["person"])
        assert person.status_code == 200


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("metric=tier_moves&from_tier=gold", "none, champion"),
        ("metric=tier_moves&to_tier=none", "use one of champion"),
        ("metric=carrying&message=nosuch", "fresh-roast"),
    ],
)
def test_bad_tier_and_message_filters_are_400(signed_in: TestClient, query: str, says: str) -> None:
    r = signed_in.get("/api/items?" + query)
    assert r.status_code == 400 and says in r.json()["detail"], r.text
