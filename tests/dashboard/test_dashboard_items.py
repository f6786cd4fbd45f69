"""Counts on the traffic and care pages link to the rows behind them: following a count's link
lists exactly that many rows (visits, care threads, tracked-link clicks, funnel people)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from dashboard_server import Demo, sign_in
from fastapi.testclient import TestClient

from goodwill.warehouse import Warehouse
from goodwill.web.app import create_app


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
    funnel = _table(signed_in, "/api/traffic", "funnel")
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
