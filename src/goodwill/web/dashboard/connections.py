"""One warehouse connection per process for the web app, open only while it is used.

DuckDB lets one process share a database file between connections, but opening and closing
the file from several threads at once races (a connect during another thread's close fails
with "Unique file handle conflict"). So the web app — dashboard requests, the warm-up thread
and the spool loader — opens the file through :func:`shared_warehouse`: the first user opens
it under a lock (the first time in this process also checking the schema), every user gets
its own cursor, and the last one to leave closes it, so other goodwill commands can use the
file between requests.

**Reads never write.** Dashboard pages and the sign-in check open the file read-only
(``open(read_only=True)``: DuckDB itself then refuses any write statement); only the spool
loader, sign-in and sign-out open it for writing. DuckDB cannot hold one file open in both
modes in one process, so the connection is opened in the mode its first user asks for; a user
wanting the other mode waits until the current users have left (a waiting writer holds back
new readers, so the loader is not starved by a busy dashboard).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from goodwill.engine import duckdb as duck
from goodwill.warehouse import Warehouse

__all__ = ["SharedWarehouse", "shared_warehouse"]

_REGISTRY: dict[Path, SharedWarehouse] = {}
_REGISTRY_LOCK = threading.Lock()


class SharedWarehouse:
    """The process's connection to one warehouse file (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Condition()
        self._base: Warehouse | None = None
        self._read_only = False
        self._users = 0
        self._writers_waiting = 0
        self._schema_checked = False

    @contextmanager
    def open(self, *, read_only: bool = False) -> Iterator[Warehouse]:
        """A warehouse on a cursor of the shared connection; ``read_only``: one that cannot
        write (see the module docstring)."""
        with self._lock:
            if not read_only:
                self._writers_waiting += 1
            try:
                while self._base is not None and (
                    self._read_only != read_only or (read_only and self._writers_waiting)
                ):
                    self._lock.wait()
            finally:
                if not read_only:
                    self._writers_waiting -= 1
            if self._base is None:
                self._base = self._connect(read_only)
                self._read_only = read_only
            self._users += 1
            try:
                cursor = self._base.con.cursor()
                duck.use_utc(cursor)
            except BaseException:
                self._release()
                raise
        try:
            yield Warehouse(cursor, self.path)
        finally:
            cursor.close()
            with self._lock:
                self._release()

    def _connect(self, read_only: bool) -> Warehouse:
        """The first open for writing checks (and migrates) the schema; later ones only
        connect, which keeps each use of the file short (the schema check writes)."""
        if read_only:
            return Warehouse.open(self.path, read_only=True)
        if not self._schema_checked or not self.path.exists():
            wh = Warehouse.open(self.path)
            self._schema_checked = True
            return wh
        return Warehouse(duck.connect_shared(self.path), self.path)

    def _release(self) -> None:
        self._users -= 1
        if self._users == 0 and self._base is not None:
            self._base.close()
            self._base = None
            self._lock.notify_all()


def shared_warehouse(path: Path) -> SharedWarehouse:
    """The process's :class:`SharedWarehouse` of ``path``."""
    key = Path(path).resolve()
    with _REGISTRY_LOCK:
        if key not in _REGISTRY:
            _REGISTRY[key] = SharedWarehouse(key)
        return _REGISTRY[key]
