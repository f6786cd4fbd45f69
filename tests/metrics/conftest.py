from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from metric_fixtures import Seed

from goodwill.warehouse import Warehouse


@pytest.fixture
def wh() -> Iterator[Warehouse]:
    warehouse = Warehouse.open(":memory:")
    try:
        yield warehouse
    finally:
        warehouse.close()


@pytest.fixture
def seed(wh: Warehouse) -> Seed:
    return Seed(wh)


@pytest.fixture
def backend(wh: Warehouse) -> Any:
    return wh.ibis()
