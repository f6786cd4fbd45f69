"""Fixtures: a real goodwill server on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from web_server import Server, free_port

from goodwill.warehouse import Warehouse


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Server]:
    server = Server(db=tmp_path / "goodwill.duckdb", spool=tmp_path / "spool", port=free_port())
    Warehouse.open(server.db).close()  # `goodwill init`
    yield server
    server.stop()


@pytest.fixture
def server(make_server: Server) -> Server:
    make_server.start()
    return make_server
