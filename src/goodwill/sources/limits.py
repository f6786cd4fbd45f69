"""Resource limits of an import: line length, unpacked size and compression ratio.

A file given to ``goodwill import`` is not trusted: a 2 GB line, a gzip or zip bomb, or a zip
holding zips must fail with a one-line error naming the file (and line), not fill the disk or
the memory. The limits are settings (:mod:`goodwill.config`: ``max_line_bytes``,
``max_decompressed_bytes``, ``max_decompression_ratio``); :func:`goodwill.importer.import_paths`
makes them current for the import (:func:`using`), and the readers here apply them:

* :func:`open_bytes` opens a plain, ``.gz`` or ``.bz2`` file (by its magic bytes) and counts the
  bytes it unpacks: past ``max_decompressed_bytes``, or past ``max_decompression_ratio`` times
  the compressed size once more than :data:`RATIO_FLOOR` bytes are out, it raises
  :class:`~goodwill.errors.UserInputError`; a truncated or corrupt stream is one too, naming
  the file (never an ``EOFError`` traceback or a bare "Aborted.").
* :func:`lines` yields a file's lines without ever holding more than ``max_line_bytes`` of one:
  a longer line is yielded as a :class:`LongLine` (its head kept for the quarantine) and the rest
  of it is read past in chunks.
* :class:`UnpackBudget` counts what zips unpack, across nesting (a zip in a zip in a zip).
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final, cast

from goodwill.errors import UserInputError

__all__ = [
    "RATIO_FLOOR",
    "CompressedFileError",
    "Limits",
    "LongLine",
    "UnpackBudget",
    "compression",
    "current",
    "guard",
    "lines",
    "open_bytes",
    "using",
]

RATIO_FLOOR: Final = 1 << 20
"""The ratio limit applies once a file has unpacked more than this (small files that compress
very well, such as a repetitive log, are fine)."""


@dataclass(frozen=True)
class Limits:
    max_line_bytes: int = 8_388_608
    max_decompressed_bytes: int = 21_474_836_480
    max_decompression_ratio: int = 200

    @classmethod
    def from_config(cls, cfg: object) -> Limits:
        return cls(
            max_line_bytes=int(getattr(cfg, "max_line_bytes", cls.max_line_bytes)),
            max_decompressed_bytes=int(
                getattr(cfg, "max_decompressed_bytes", cls.max_decompressed_bytes)
            ),
            max_decompression_ratio=int(
                getattr(cfg, "max_decompression_ratio", cls.max_decompression_ratio)
            ),
        )


_DEFAULT: Final = Limits()
_CURRENT: ContextVar[Limits] = ContextVar("goodwill_import_limits", default=_DEFAULT)


def current() -> Limits:
    """The limits of the import under way (the defaults outside one)."""
    return _CURRENT.get()


@contextlib.contextmanager
def using(limits: Limits) -> Iterator[Limits]:
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


def _too_big(shown: object, limits: Limits, out: int, packed: int) -> UserInputError | None:
    if out > limits.max_decompressed_bytes:
        return UserInputError(
            f"{shown}: unpacks to more than {limits.max_decompressed_bytes:,} bytes "
            "(setting max_decompressed_bytes); unpack it yourself if it is genuine"
        )
    if out > RATIO_FLOOR and out > limits.max_decompression_ratio * max(packed, 1):
        return UserInputError(
            f"{shown}: unpacks to more than {limits.max_decompression_ratio} times its "
            f"compressed size ({packed:,} bytes) — a compression bomb? (setting "
            "max_decompression_ratio)"
        )
    return None


class UnpackBudget:
    """Bytes unpacked from the zips of one import, nested ones included."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or current()
        self.total = 0

    def check_declared(self, shown: object, sizes: list[tuple[str, int, int]]) -> None:
        """Refuse a zip whose members' declared sizes (name, size, compressed size) break a
        limit, before anything is written."""
        total = self.total
        for name, size, compressed in sizes:
            total += size
            err = _too_big(f"{shown}/{name}", self.limits, size, compressed)
            if err is None and total > self.limits.max_decompressed_bytes:
                err = _too_big(shown, self.limits, total, total)
            if err is not None:
                raise err

    def copy(self, src: IO[bytes], dst: IO[bytes], shown: object, compressed: int) -> None:
        """Copy one member, counting what it really unpacks (a header can lie)."""
        written = 0
        while chunk := src.read(1 << 20):
            written += len(chunk)
            self.total += len(chunk)
            err = _too_big(shown, self.limits, self.total, compressed) or (
                _too_big(shown, self.limits, written, compressed) if written > RATIO_FLOOR else None
            )
            if err is not None:
                raise err
            dst.write(chunk)


class CompressedFileError(UserInputError):
    """A compressed file that is truncated, corrupt, or unpacks past the limits."""


class _Counted(io.RawIOBase):
    """A decompressing stream that stops at the limits and names its file on any error."""

    def __init__(self, inner: IO[bytes], path: Path, packed: int, limits: Limits) -> None:
        self._inner, self._path, self._packed, self._limits = inner, path, packed, limits
        self.out = 0

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._inner.close()
        super().close()

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(b))
        except (EOFError, OSError, zlib.error, ValueError) as exc:
            raise CompressedFileError(
                f"{self._path}: the compressed file is truncated or corrupt after "
                f"{self.out:,} unpacked bytes ({exc or type(exc).__name__})"
            ) from exc
        n = len(data)
        self.out += n
        err = _too_big(self._path, self._limits, self.out, self._packed)
        if err is not None:
            raise CompressedFileError(str(err))
        b[:n] = data
        return n


def compression(path: Path) -> str | None:
    """``gzip``, ``bz2`` or None, from the file's first bytes."""
    try:
        with path.open("rb") as fh:
            head = fh.read(3)
    except OSError:
        return None
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    if head == b"BZh":
        return "bz2"
    return None


def open_bytes(path: Path, limits: Limits | None = None) -> IO[bytes]:
    """``path``'s bytes, unpacked when it is gzip or bzip2 (within the limits)."""
    limits = limits or current()
    kind = compression(path)
    if kind is None:
        return path.open("rb")
    opener = gzip.open if kind == "gzip" else bz2.open
    inner = cast(IO[bytes], opener(path, "rb"))  # closed with the stream returned
    return guard(inner, path, path.stat().st_size, limits)


def guard(inner: IO[bytes], path: Path, packed: int, limits: Limits | None = None) -> IO[bytes]:
    """``inner`` (a decompressing stream of the file ``path``, ``packed`` bytes on disk) within
    the limits, its decompression errors turned into a user error naming ``path``."""
    return io.BufferedReader(_Counted(inner, path, packed, limits or current()), 1 << 16)


@dataclass(frozen=True)
class LongLine:
    """A line longer than ``max_line_bytes``: its first bytes, for a quarantine."""

    head: bytes
    limit: int


def lines(stream: IO[bytes], limit: int | None = None) -> Iterator[bytes | LongLine]:
    """The lines of ``stream`` (with their ends); one longer than ``limit`` (default
    ``max_line_bytes``) comes as a :class:`LongLine` and is never held whole."""
    limit = limit or current().max_line_bytes
    while True:
        data = stream.readline(limit + 1)
        if not data:
            return
        if len(data) <= limit or (data.endswith(b"\n") and len(data) == limit + 1):
            yield data
            continue
        head = data[:200]
        while data and not data.endswith(b"\n"):
            data = stream.readline(1 << 20)
        yield LongLine(head, limit)
