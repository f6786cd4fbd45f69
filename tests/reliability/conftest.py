"""Fixtures: the real-server helper of ``tests/web`` (``goodwill serve`` on a free port)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from goodwill.warehouse import Warehouse

sys.path.insert(0, str(Path(__file__).parents[1] / "web"))

from web_server import Server, free_port


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Server]:
    server = Server(db=tmp_path / "w.duckdb", spool=tmp_path / "spool", port=free_port())
    Warehouse.open(server.db).close()  # `goodwill init`
    yield server
    server.stop()
