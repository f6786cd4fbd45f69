"""The append-only spool: acknowledged events are on disk before the collector answers.

Events are JSON objects, one per line, appended to segment files in one folder:

* ``events-<start>-<pid>.open`` — the segment a running server appends to;
* ``events-<start>-<pid>.jsonl`` — a sealed segment (rotated, or left by a dead server);
* ``loaded/`` — sealed segments whose events are in the warehouse (deleted after the
  retention, setting ``spool_retention_days``);
* ``quarantine/quarantine.jsonl`` — events the loader could not store, with the reason.

A single writer thread takes the events waiting in a queue (at most ``batch_max``), writes them
with one ``write``, ``fsync``s the file and only then resolves each event's future: callers are
acknowledged after their event is durable, and concurrent requests share one ``fsync`` (group
commit). A server killed mid-write leaves at most one torn last line, which was never
acknowledged; readers skip a line without its ``\\n``. Loading is idempotent by ``event_id``, so
reading a segment twice never duplicates an event.
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


class Spool:
    """The writing side of a spool folder (one per server process)."""

    def __init__(
        self,
        folder: Path,
        *,
        batch_max: int = 256,
        segment_bytes: int = 16 * 1024 * 1024,
        fsync: bool = True,
    ) -> None:
        self.folder = folder
        self.batch_max = batch_max
        self.segment_bytes = segment_bytes
        self.fsync = fsync
        folder.mkdir(parents=True, exist_ok=True)
        (folder / LOADED_DIR).mkdir(exist_ok=True)
        seal_orphans(folder)
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._file_lock = threading.Lock()
        self._path: Path | None = None
        self._fd: int | None = None
        self._size = 0
        self.written = 0
        self.batches = 0
        self._thread = threading.Thread(target=self._run, name="goodwill-spool", daemon=True)
        self._thread.start()

    # -- writing ---------------------------------------------------------------------------
    @staticmethod
    def _line(event: dict[str, Any]) -> bytes:
        return (json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n").encode()

    def submit(self, event: dict[str, Any]) -> Future[None]:
        """Queue ``event``; the future resolves once it is durably written."""
        fut: Future[None] = Future()
        self._queue.put((self._line(event), fut))
        return fut

    async def write(self, event: dict[str, Any]) -> None:
        """Queue ``event`` and wait (in the running event loop) until it is durably written.
        The waiters of one ``fsync`` are woken with one call into their loop."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[None] = loop.create_future()
        self._queue.put((self._line(event), (loop, fut)))
        await fut

    def _open_segment(self) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"{time.time_ns() % 10**9:09d}"
        self._path = self.folder / f"events-{stamp}-{os.getpid()}.open"
        self._fd = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._size = 0
        if self.fsync:
            dir_fd = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def _run(self) -> None:
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
                self._write(b"".join(line for line, _ in batch))
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

    def _write(self, data: bytes) -> None:
        with self._file_lock:
            if self._fd is None:
                self._open_segment()
            assert self._fd is not None
            view = memoryview(data)
            while view:
                n = os.write(self._fd, view)
                view = view[n:]
            if self.fsync:
                os.fsync(self._fd)
            self._size += len(data)
            self.written += data.count(b"\n")
            self.batches += 1
            if self._size >= self.segment_bytes:
                self._seal_locked()

    # -- rotation --------------------------------------------------------------------------
    def _seal_locked(self) -> None:
        if self._fd is None or self._path is None:
            return
        os.close(self._fd)
        self._path.rename(self._path.with_suffix(".jsonl"))
        self._fd = None
        self._path = None

    def rotate(self) -> None:
        """Seal the current segment (if it holds anything) so a loader can archive it."""
        with self._file_lock:
            if self._size > 0:
                self._seal_locked()

    def close(self) -> None:
        """Write what is queued, stop the writer and seal the segment."""
        self._queue.put(_STOP)
        self._thread.join(timeout=30)
        with self._file_lock:
            self._seal_locked()
