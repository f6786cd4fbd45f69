"""The append-only spool: an acknowledged event is in a spool file before the collector answers.

Events are JSON objects, one per line, appended to segment files in one folder:

* ``events-<start>-<pid>.open`` — the segment a running server appends to;
* ``events-<start>-<pid>.jsonl`` — a sealed segment (rotated, or left by a dead server);
* ``loaded/`` — sealed segments whose events are in the warehouse (deleted after the
  retention, setting ``spool_retention_days``);
* ``quarantine/quarantine.jsonl`` — events the loader could not store, with the reason.

How durable an acknowledged event is depends on the durability mode (setting
``spool_fsync``; Redis's ``appendfsync`` and Kafka's ``flush.ms`` make the same choice):

* ``"interval"`` (the default) — the request writes its line into the segment with one
  ``write`` (into the kernel's page cache) and is acknowledged at once; a background thread
  calls ``fsync`` on the segment every ``fsync_interval`` seconds (setting
  ``spool_fsync_interval``, default 1 s) when something was written. A killed server
  (``SIGKILL``, a crash, the OOM killer) loses **no** acknowledged event: what ``write``
  handed to the kernel is in the file whatever happens to the process. Only an operating
  system crash or a power cut can lose the events acknowledged in the last
  ``fsync_interval`` seconds (plus a segment created within that time, whose directory entry
  is synced with it).
* ``"always"`` — a single writer thread takes the events waiting in a queue (at most
  ``batch_max``), writes them with one ``write``, calls ``fsync`` and only then
  resolves each event's future: callers are acknowledged after their event is on the disk,
  and concurrent requests share one ``fsync`` (group commit). Nothing acknowledged is lost
  even to a power cut, at the price of one ``fsync`` (milliseconds) in every answer.

A server killed mid-write leaves at most one torn last line, which was never acknowledged;
readers skip a line without its ``\\n``. Loading is idempotent by ``event_id``, so reading a
segment twice never duplicates an event.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Final

__all__ = [
    "LOADED_DIR",
    "QUARANTINE_DIR",
    "QUARANTINE_FILE",
    "SPOOL_META",
    "Spool",
    "read_segment",
    "seal_orphans",
    "segments",
]

LOADED_DIR: Final = "loaded"
QUARANTINE_DIR: Final = "quarantine"
"""Events the loader could not store, with their reasons (see :mod:`goodwill.web.loader`)."""
QUARANTINE_FILE: Final = "quarantine.jsonl"
SPOOL_META: Final = "spool_dir"
"""``goodwill_meta`` key naming the spool folder last loaded (``goodwill erase`` scrubs it)."""
_STOP: Final = object()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _truncate_torn_tail(path: Path) -> None:
    """Cut a last line that lacks its newline (a write the server never acknowledged)."""
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb+") as f:
        f.seek(-1, os.SEEK_END)
        if f.read(1) == b"\n":
            return
        data_end = size
        block = 4096
        pos = size
        while pos > 0:
            start = max(0, pos - block)
            f.seek(start)
            chunk = f.read(pos - start)
            nl = chunk.rfind(b"\n")
            if nl >= 0:
                data_end = start + nl + 1
                break
            pos = start
        else:
            data_end = 0
        f.truncate(data_end)
        f.flush()
        os.fsync(f.fileno())


def seal_orphans(folder: Path) -> list[Path]:
    """Seal the ``.open`` segments of servers that are no longer running (killed or crashed):
    cut a torn last line and rename them to ``.jsonl``. Returns the sealed files. Segments of
    this process are left to its :class:`Spool`."""
    sealed = []
    for path in sorted(folder.glob("events-*.open")):
        try:
            pid = int(path.stem.rsplit("-", 1)[1])
        except (IndexError, ValueError):
            continue
        if pid == os.getpid() or _pid_alive(pid):
            continue
        _truncate_torn_tail(path)
        target = path.with_suffix(".jsonl")
        path.rename(target)
        sealed.append(target)
    return sealed


def segments(folder: Path) -> tuple[list[Path], list[Path]]:
    """(sealed ``.jsonl`` segments, ``.open`` segments still being written), oldest first."""
    return sorted(folder.glob("events-*.jsonl")), sorted(folder.glob("events-*.open"))


def read_segment(path: Path) -> Iterator[dict[str, Any]]:
    """The complete, well-formed events of a segment (a torn last line is skipped)."""
    with path.open("rb") as f:
        for raw in f:
            if not raw.endswith(b"\n"):
                break
            try:
                event = json.loads(raw)
            except ValueError:
                continue
            if isinstance(event, dict) and isinstance(event.get("event_id"), str):
                yield event


def _settle(futures: list[asyncio.Future[None]], error: BaseException | None) -> None:
    for fut in futures:
        if fut.done():  # the request was cancelled (client gone)
            continue
        if error is None:
            fut.set_result(None)
        else:
            fut.set_exception(error)


DURABILITY: Final = ("interval", "always")
"""The durability modes (see the module docstring)."""


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _fsync_dir(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class Spool:
    """The writing side of a spool folder (one per server process); ``durability`` is
    ``"interval"`` (``write`` now, ``fsync`` every ``fsync_interval`` seconds) or
    ``"always"`` (``fsync`` before each acknowledgement, shared by concurrent events)."""

    def __init__(
        self,
        folder: Path,
        *,
        durability: str = "interval",
        fsync_interval: float = 1.0,
        batch_max: int = 256,
        segment_bytes: int = 16 * 1024 * 1024,
    ) -> None:
        if durability not in DURABILITY:
            raise ValueError(f"durability {durability!r}: use one of {', '.join(DURABILITY)}")
        if not fsync_interval > 0:
            raise ValueError(f"fsync_interval {fsync_interval!r}: must be > 0 seconds")
        self.folder = folder
        self.durability = durability
        self.fsync_interval = fsync_interval
        self.batch_max = batch_max
        self.segment_bytes = segment_bytes
        folder.mkdir(parents=True, exist_ok=True)
        (folder / LOADED_DIR).mkdir(exist_ok=True)
        seal_orphans(folder)
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._file_lock = threading.Lock()
        self._path: Path | None = None
        self._fd: int | None = None
        self._size = 0
        self._unsynced: list[int] = []
        """Descriptors of sealed segments whose last ``fsync`` is still due (interval)."""
        self._dirty = False
        self._dir_dirty = False
        self._stop = threading.Event()
        self.written = 0
        """Events written (handed to the kernel)."""
        self.synced = 0
        """Events known to be on the disk (``fsync`` done)."""
        self.batches = 0
        """``fsync`` calls on segments."""
        self.sync_error: str | None = None
        """The last ``fsync`` failure (interval mode), ``None`` once one succeeds again."""
        run = self._run if durability == "always" else self._sync_loop
        self._thread = threading.Thread(target=run, name="goodwill-spool", daemon=True)
        self._thread.start()

    # -- writing ---------------------------------------------------------------------------
    @staticmethod
    def _line(event: dict[str, Any]) -> bytes:
        return (json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n").encode()

    def append(self, event: dict[str, Any]) -> None:
        """Write ``event`` into the current segment now (interval mode): once this returns,
        the event survives the death of this process (see the module docstring). Raises
        ``OSError`` when it could not be written."""
        line = self._line(event)
        with self._file_lock:
            if self._fd is None:
                self._open_segment()
            assert self._fd is not None
            _write_all(self._fd, line)
            self._size += len(line)
            self.written += 1
            self._dirty = True
            if self._size >= self.segment_bytes:
                self._seal_locked()

    def submit(self, event: dict[str, Any]) -> Future[None]:
        """Queue ``event``; the future resolves once it is written as the mode promises."""
        fut: Future[None] = Future()
        if self.durability == "always":
            self._queue.put((self._line(event), fut))
            return fut
        try:
            self.append(event)
        except OSError as exc:
            fut.set_exception(exc)
        else:
            fut.set_result(None)
        return fut

    async def write(self, event: dict[str, Any]) -> None:
        """Write ``event`` as the mode promises before returning. In ``always`` mode this
        waits (in the running event loop) for the ``fsync``; the waiters of one ``fsync``
        are woken with one call into their loop."""
        if self.durability != "always":
            self.append(event)
            return
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[None] = loop.create_future()
        self._queue.put((self._line(event), (loop, fut)))
        await fut

    def _open_segment(self) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"{time.time_ns() % 10**9:09d}"
        self._path = self.folder / f"events-{stamp}-{os.getpid()}.open"
        self._fd = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._size = 0
        if self.durability == "always":
            _fsync_dir(self.folder)
        else:  # the next sync makes the new name durable too
            self._dir_dirty = True

    def _run(self) -> None:
        """The group-commit writer (``always`` mode)."""
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            batch = [item]
            stop = False
            while len(batch) < self.batch_max:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is _STOP:
                    stop = True
                    break
                batch.append(nxt)
            error: BaseException | None = None
            try:
                self._write(b"".join(line for line, _ in batch), len(batch))
            except BaseException as exc:  # every waiter learns its event was not stored
                error = exc
            loops: dict[asyncio.AbstractEventLoop, list[asyncio.Future[None]]] = {}
            for _, waiter in batch:
                if isinstance(waiter, Future):
                    if error is None:
                        waiter.set_result(None)
                    else:
                        waiter.set_exception(error)
                else:
                    loops.setdefault(waiter[0], []).append(waiter[1])
            for loop, futures in loops.items():
                with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits
                    loop.call_soon_threadsafe(_settle, futures, error)
            if stop:
                return

    def _write(self, data: bytes, events: int) -> None:
        with self._file_lock:
            if self._fd is None:
                self._open_segment()
            assert self._fd is not None
            _write_all(self._fd, data)
            os.fsync(self._fd)
            self._size += len(data)
            self.written += events
            self.synced = self.written
            self.batches += 1
            if self._size >= self.segment_bytes:
                self._seal_locked()

    # -- interval mode: the background fsync -----------------------------------------------
    def _sync_loop(self) -> None:
        while not self._stop.wait(self.fsync_interval):
            self.sync()

    def sync(self) -> None:
        """Make every event written so far durable (``fsync`` of the segments written since
        the last sync, and of the folder when a segment was created or renamed). The lock is
        held only to take the work: requests keep writing during the ``fsync``."""
        with self._file_lock:
            fds, self._unsynced = self._unsynced, []
            if self._fd is not None and self._dirty:
                fds.append(os.dup(self._fd))
            self._dirty = False
            dir_dirty, self._dir_dirty = self._dir_dirty, False
            written = self.written
        try:
            for fd in fds:
                os.fsync(fd)
                self.batches += 1
            if dir_dirty:
                _fsync_dir(self.folder)
        except OSError as exc:
            self.sync_error = f"fsync of the spool failed: {exc}"
            with self._file_lock:  # try again at the next tick
                self._dirty = self._dirty or bool(fds)
                self._dir_dirty = self._dir_dirty or dir_dirty
        else:
            self.synced = max(self.synced, written)
            self.sync_error = None
        finally:
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)

    # -- rotation --------------------------------------------------------------------------
    def _seal_locked(self) -> None:
        if self._fd is None or self._path is None:
            return
        if self.durability == "always":
            os.close(self._fd)
        elif self._dirty:
            self._unsynced.append(self._fd)  # synced (and closed) by the next sync
            self._dirty = False
        else:
            os.close(self._fd)
        self._path.rename(self._path.with_suffix(".jsonl"))
        self._dir_dirty = self.durability != "always"
        self._fd = None
        self._path = None

    def rotate(self) -> None:
        """Seal the current segment (if it holds anything) so a loader can archive it."""
        with self._file_lock:
            if self._size > 0:
                self._seal_locked()

    def close(self) -> None:
        """Write what is queued, stop the writer, seal the segment and make it durable."""
        if self.durability == "always":
            self._queue.put(_STOP)
        else:
            self._stop.set()
        self._thread.join(timeout=30)
        with self._file_lock:
            self._seal_locked()
        if self.durability != "always":
            self.sync()
