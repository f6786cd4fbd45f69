from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from goodwill.warehouse import Warehouse

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def wh(tmp_path: Path) -> Iterator[Warehouse]:
    """A fresh warehouse file in a temporary folder."""
    w = Warehouse.open(tmp_path / "goodwill.duckdb")
    yield w
    w.close()


@pytest.fixture
def interchange_dir() -> Path:
    return FIXTURES / "interchange"
