"""A small cache of computed pages, keyed by page, filters and the warehouse's data state.

The data state is a handful of cheap numbers (imports run, rows in the tables pages read), so
a new import, a spool load, an identity resolve or a label correction changes the key and
the next request recomputes; sign-ins (which write sessions) do not.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from goodwill.engine import duckdb as duck
from goodwill.warehouse import Warehouse

__all__ = ["PageCache", "data_state", "remember"]

T = TypeVar("T")

_TABLES = (
    "interactions",
    "posts",
    "visits",
    "conversions",
    "costs",
    "audience_snapshots",
    "person_links",
    "link_clicks",
    "interaction_labels",
    "label_corrections",
    "identity_decisions",
    "people",
    "accounts",
    "key_messages",
)


def data_state(wh: Warehouse) -> tuple[Any, ...]:
    """Numbers that change whenever the data behind a page changes."""
    return duck.data_fingerprint(wh.con, _TABLES)


class PageCache:
    """Least-recently-used pages, at most ``size``."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[tuple[Any, ...], threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[Any, ...]) -> Any | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
            return None

    def lock_for(self, key: tuple[Any, ...]) -> threading.Lock:
        """A lock per key, so one page is computed once when requests arrive together."""
        with self._lock:
            if len(self._computing) > 4 * self.size:
                self._computing.clear()
            return self._computing.setdefault(key, threading.Lock())

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_REMEMBERED: PageCache = PageCache(size=32)


def remember(wh: Warehouse, name: str, compute: Callable[[], T]) -> T:
    """``compute()``, once per warehouse file and data state (:func:`data_state`): what every
    request needs before its page (the filter bar's choices, the default month) is computed
    once per import, not once per view."""
    if wh.path is None or str(wh.path) == ":memory:":
        return compute()  # no file to name: nothing to share between requests
    key = (str(wh.path), name, data_state(wh))
    found = _REMEMBERED.get(key)
    if found is None:
        found = (compute(),)
        _REMEMBERED.put(key, found)
    value: T = found[0]
    return value
