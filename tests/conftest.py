from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


# `make test` runs pytest with `-n 2 --dist loadgroup` (pytest-xdist). Each worker runs whole
# groups, so it builds a group's module- and session-scoped fixtures once: a group is a test
# file, or a folder whose files share a session fixture (the dashboard demo and its server, the
# report, the 3000-person demo) or one JVM (Spark). The groups are made here, from the test's
# path, by the scheduler below, not by `xdist_group` marks: pytest 9.2's structured node ids
# lose the marks' group (pytest-xdist issue #1386) and the tests would run one by one anywhere.
SHARED_FOLDERS = ("dashboard", "report", "simulate", "spark")

# Under xdist the groups are handed out in this order, longest first (seconds of the serial
# run), then the rest in file order: a long group started last would leave the other worker
# idle at the end. Only the order changes, and only under xdist.
LONGEST_FIRST = (
    "tests/dashboard",
    "tests/spark",
    "tests/report",
    "tests/test_demo_e2e.py",
    "tests/attribution/test_attribution_incremental.py",
)


def group_of(nodeid: str) -> str:
    """The group of the test ``nodeid`` (relative to the rootdir): its file, or its folder."""
    path = nodeid.split("::", 1)[0]
    parts = path.split("/")
    if len(parts) > 2 and parts[0] == "tests" and parts[1] in SHARED_FOLDERS:
        return "/".join(parts[:2])
    return path


class _GroupScheduling:
    """Makes the scheduler of `--dist loadgroup`: xdist's scope scheduling (a worker takes a
    whole scope) with :func:`group_of` as the scope."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_xdist_make_scheduler(self, config: pytest.Config, log: Any) -> Any:
        if config.getoption("dist") != "loadgroup":
            return None
        from xdist.scheduler import LoadScopeScheduling

        class GroupScheduling(LoadScopeScheduling):  # type: ignore[misc]
            def _split_scope(self, nodeid: str) -> str:
                return group_of(nodeid)

        return GroupScheduling(config, log)


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_GroupScheduling(), "goodwill-test-groups")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker collects; all sort alike
        rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
        items.sort(key=lambda item: rank.get(group_of(item.nodeid), len(rank)))


WholeTablePasses = Callable[[Warehouse, tuple[str, ...]], None]


@pytest.fixture
def whole_table_passes() -> WholeTablePasses:
    """``check(wh, tables)``: the whole-table passes that an import or a spool load keeps
    itself from running change nothing in ``tables`` — classifying every visit missing a
    channel finds none, deriving every person again and classifying every visit again leave
    every row as it was (the load already did all it had to)."""
    from goodwill.engine import duckdb as duck
    from goodwill.enrich.channel import enrich_visits

    def rows(wh: Warehouse, tables: tuple[str, ...]) -> dict[str, list[tuple[Any, ...]]]:
        return {t: sorted(wh.query(f"SELECT * FROM {t}"), key=repr) for t in tables}

    def check(wh: Warehouse, tables: tuple[str, ...]) -> None:
        before = rows(wh, tables)
        with wh.transaction():
            assert enrich_visits(wh.con) == 0  # no visit left without its channel
            duck.refresh_people(wh.con)  # every person derived again
        assert rows(wh, tables) == before
        with wh.transaction():
            enrich_visits(wh.con, only_missing=False)  # every visit classified again
        assert rows(wh, tables) == before

    return check
