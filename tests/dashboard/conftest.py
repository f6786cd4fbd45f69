"""Fixtures: the demo warehouse with its expected numbers and one real server per session;
an in-process app on an empty warehouse with one user for the sign-in tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from dashboard_server import PASSWORD, USER, Demo, Server, build_demo, free_port
from fastapi.testclient import TestClient

from goodwill.warehouse import Warehouse
from goodwill.web.app import create_app
from goodwill.web.dashboard.users import add_user


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return build_demo(tmp_path_factory.mktemp("dashboard-demo"))


@pytest.fixture(scope="session")
def labelled_db(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse after ``goodwill enrich-labels`` (the default model), labelled once
    for the session; a module that serves it copies it into a folder of its own."""
    from goodwill.enrich.sentiment import enrich_labels

    db: Path = tmp_path_factory.mktemp("dashboard-labelled") / "goodwill.duckdb"
    shutil.copy(demo.db, db)
    with Warehouse.open(db) as wh:
        assert enrich_labels(wh) > 0
    return db


@pytest.fixture(scope="session")
def server(demo: Demo) -> Iterator[Server]:
    s = Server(demo=demo, port=free_port())
    s.start()
    yield s
    s.stop()


@pytest.fixture
def auth_db(tmp_path: Path) -> Path:
    db = tmp_path / "goodwill.duckdb"
    with Warehouse.open(db) as wh:
        add_user(wh, USER, PASSWORD)
    return db


@pytest.fixture
def client(auth_db: Path, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(
        spool_dir=tmp_path / "spool", sites=["shop.example"], db=auth_db, load_interval=3600
    )
    app.state.dashboard_warming = True  # no background warm-up on this empty warehouse
    with TestClient(app) as c:
        yield c
