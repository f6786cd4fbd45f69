"""Dates at the ends of the calendar are a 400 with the API's error envelope, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dashboard_server import Demo, sign_in
from fastapi.testclient import TestClient

from goodwill.web.app import create_app
from goodwill.web.dashboard.routes import NAV, PAGES

EXTREMES = ("since=0001-01-01", "until=9999-12-31", "since=9999-12-31", "until=0001-01-01")


@pytest.fixture(scope="module")
def signed_in(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    spool: Path = tmp_path_factory.mktemp("dates-spool")
    app = create_app(spool_dir=spool, sites=["shop.example"], db=demo.db, load_interval=3600)
    app.state.dashboard_warming = True  # no background warm-up
    with TestClient(app, raise_server_exceptions=False) as c:
        sign_in(c)
        yield c


@pytest.mark.parametrize("query", EXTREMES)
def test_extreme_dates_are_a_400_on_every_page_and_api(signed_in: TestClient, query: str) -> None:
    for name in NAV:
        api = signed_in.get(f"/api/{name}?{query}")
        assert api.status_code == 400, (name, query, api.status_code, api.text[:300])
        body = api.json()
        assert body["ok"] is False and "out of range" in str(body), body
        page = signed_in.get(f"{PAGES[name][0]}?{query}")
        assert page.status_code == 400, (name, query, page.status_code)
        assert "out of range" in page.text
