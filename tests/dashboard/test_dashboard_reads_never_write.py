"""Every GET route of the dashboard reads the warehouse through a read-only connection (DuckDB
itself refuses a write there), and no page resolves identities: a stale resolution is shown
as a note, not fixed by a read."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from dashboard_server import Demo
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from goodwill.people.identity import RESOLVED_META, is_stale
from goodwill.warehouse import Warehouse
from goodwill.web.dashboard import connections, mount_dashboard


@pytest.fixture
def stale_copy(demo: Demo, tmp_path: Path) -> Path:
    """A copy of the demo warehouse whose identity resolution is out of date."""
    db = tmp_path / "goodwill.duckdb"
    shutil.copy(demo.db, db)
    with Warehouse.open(db) as wh:
        wh.set_meta(RESOLVED_META, "an-import-before-the-latest")
    return db


def _routes(routes: list[Any]) -> list[Any]:
    """The routes, those of included routers too."""
    out = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        out += _routes(inner.routes) if inner is not None else [route]
    return out


def _get_paths(app: FastAPI, person: str) -> list[str]:
    paths = []
    for route in _routes(app.routes):
        if isinstance(route, APIRoute) and "GET" in route.methods:
            paths.append(route.path.replace("{ref}", person))
    return sorted(set(paths))


def test_every_get_route_opens_the_warehouse_read_only(
    stale_copy: Path, demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Warehouse.open(stale_copy, read_only=True) as wh:
        person = str(wh.query("SELECT min(person_id) FROM people")[0][0])
        links_before = wh.query("SELECT * FROM person_links ORDER BY ALL")
    modes: list[bool] = []
    connect = connections.SharedWarehouse._connect

    def spy(self: connections.SharedWarehouse, read_only: bool) -> Any:
        modes.append(read_only)
        return connect(self, read_only)

    monkeypatch.setattr(connections.SharedWarehouse, "_connect", spy)
    app = FastAPI()
    mount_dashboard(app, stale_copy)
    app.state.dashboard_warming = True  # no background warm-up: every open is a request's
    paths = _get_paths(app, person)
    assert {"/", "/people", "/api/people", "/person/{ref}".replace("{ref}", person)} <= set(paths)
    headers = {"Authorization": f"Bearer {demo.token}"}
    with TestClient(app) as client:
        for path in paths:
            r = client.get(path, headers=headers)
            assert r.status_code < 500, (path, r.status_code, r.text[:300])
    assert modes and all(modes), f"{modes.count(False)} writable open(s) from GET routes"
    with Warehouse.open(stale_copy, read_only=True) as wh:
        assert is_stale(wh), "a GET route resolved identities"
        assert wh.query("SELECT * FROM person_links ORDER BY ALL") == links_before


def test_a_people_page_says_resolution_is_stale(stale_copy: Path, demo: Demo) -> None:
    app = FastAPI()
    mount_dashboard(app, stale_copy)
    app.state.dashboard_warming = True
    with TestClient(app) as client:
        r = client.get("/api/people", headers={"Authorization": f"Bearer {demo.token}"})
        assert r.status_code == 200, r.text
        first = r.json()["data"]["sections"][0]
        assert first["id"] == "unresolved"
        assert "goodwill people resolve" in first["intro"]
        r = client.get("/api/traffic", headers={"Authorization": f"Bearer {demo.token}"})
        assert r.json()["data"]["sections"][0]["id"] != "unresolved"  # counts no people


def test_a_write_on_the_read_only_connection_is_refused(stale_copy: Path) -> None:
    shared = connections.shared_warehouse(stale_copy)
    with shared.open(read_only=True) as wh, pytest.raises(Exception, match="read-only"):
        wh.con.execute("DELETE FROM person_links")
