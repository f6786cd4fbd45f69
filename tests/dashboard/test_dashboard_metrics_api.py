"""The generic metrics API: ``/api/metrics/{name}`` gives a registry query's rows (as
``goodwill metrics NAME``) with the list behind each count, ``/api/metrics/{name}/items`` the
rows behind one count of one row (as ``goodwill metrics NAME --items --row ...``); bad names
and parameters are 400 in the API's error envelope."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from dashboard_server import Demo, sign_in
from fastapi.testclient import TestClient

from goodwill.metrics import MetricParams, run_query
from goodwill.warehouse import Warehouse
from goodwill.web.app import create_app


@pytest.fixture(scope="module")
def signed_in(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    spool: Path = tmp_path_factory.mktemp("metrics-api-spool")
    app = create_app(spool_dir=spool, sites=["shop.example"], db=demo.db, load_interval=3600)
    app.state.dashboard_warming = True  # no background warm-up
    with TestClient(app) as c:
        sign_in(c)
        yield c


def test_a_query_answers_its_rows_units_and_lists(signed_in: TestClient, demo: Demo) -> None:
    r = signed_in.get("/api/metrics/care?since=2000-01-01&platform=x")
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    with Warehouse.open(demo.db, read_only=True) as wh:
        expected = run_query("care", wh.ibis(), MetricParams(platform="x", since=date(2000, 1, 1)))
    assert len(body["rows"]) == len(expected)
    assert [r["needing_answer"] for r in body["rows"]] == list(expected["needing_answer"])
    assert body["metrics"]["needing_answer"]["unit"] == "count"
    assert body["items"]["answered"] == "answered"
    assert body["people_stale"] is False


def test_a_counts_items_list_as_many_rows_as_it_counts(signed_in: TestClient) -> None:
    rows = signed_in.get("/api/metrics/traffic_detail?since=2000-01-01").json()["rows"]
    row = max(rows, key=lambda r: r["visits"])
    query = (
        f"?since=2000-01-01&period={row['period'][:10]}&channel={row['channel']}"
        f"&source={row['source']}"
    )
    r = signed_in.get("/api/metrics/traffic_detail.visits/items" + query)
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    assert body["items"] == "visits"
    assert body["total_rows"] == row["visits"] == len(body["rows"])
    assert {v["channel"] for v in body["rows"]} == {row["channel"]}
    pageviews = signed_in.get("/api/metrics/traffic_detail.pageviews/items" + query).json()
    assert sum(v["pageviews"] for v in pageviews["rows"]) == row["pageviews"]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("/api/metrics/nope", "no metric query 'nope'"),
        ("/api/metrics/care?since=March", "since='March': not a date"),
        ("/api/metrics/care?colour=red", "unknown parameter 'colour'"),
        ("/api/metrics/nope/items", "no list of items 'nope'"),
        ("/api/metrics/answered/items?channel=x", "row key 'channel' does not apply"),
        ("/api/metrics/answered/items?period=soon", "period='soon': expected YYYY-MM-DD"),
    ],
)
def test_bad_names_and_parameters_are_400_in_the_envelope(
    signed_in: TestClient, url: str, says: str
) -> None:
    r = signed_in.get(url)
    assert r.status_code == 400, r.text[:300]
    body = r.json()
    assert body["ok"] is False and body["status"] == 400
    assert says in body["detail"]
