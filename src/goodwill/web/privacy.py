"""Pseudonymous visitors: a hash of IP, user agent, site and a salt that rotates every UTC day.

``visitor_id = blake2b(salt(day) || site || ip || user_agent, digest_size=8).hex()``

The salt of a day is 32 random bytes kept in ``<spool>/salts/<YYYY-MM-DD>.salt`` (so a restart
on the same day gives the same visitor ids); salts older than yesterday are deleted, so after
two days nobody — the operator included — can recompute a visitor id from an IP. The raw IP is
used only inside :meth:`Salts.visitor_id` and never written anywhere.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

__all__ = ["Salts", "client_ip"]


class Salts:
    """The daily salts of one spool folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._cache: dict[date, bytes] = {}

    def salt(self, day: date) -> bytes:
        """The salt of ``day`` (created on first use; older salts are then deleted)."""
        cached = self._cache.get(day)
        if cached is not None:
            return cached
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{day.isoformat()}.salt"
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                value = path.read_bytes()
            else:
                value = secrets.token_bytes(32)
                with os.fdopen(fd, "wb") as f:
                    f.write(value)
                    f.flush()
                    os.fsync(f.fileno())
            if len(value) != 32:  # a torn write from a crash: replace it
                value = secrets.token_bytes(32)
                path.write_bytes(value)
            self._forget_before(day - timedelta(days=1))
            self._cache = {d: v for d, v in self._cache.items() if d >= day - timedelta(days=1)}
            self._cache[day] = value
            return value

    def _forget_before(self, keep_from: date) -> None:
        for old in self.folder.glob("*.salt"):
            try:
                if date.fromisoformat(old.stem) < keep_from:
                    old.unlink(missing_ok=True)
            except ValueError:
                continue

    def visitor_id(self, ip: str, user_agent: str, site: str, when: datetime | None = None) -> str:
        """The pseudonymous id of a visitor on the UTC day of ``when`` (default: now)."""
        day = (when or datetime.now(UTC)).astimezone(UTC).date()
        h = hashlib.blake2b(digest_size=8)
        h.update(self.salt(day))
        for part in (site, ip, user_agent):
            h.update(b"\x00" + part.encode("utf-8", "replace"))
        return h.hexdigest()


def client_ip(peer: str | None, forwarded_for: str | None, *, trust_proxy: bool) -> str:
    """The client's IP: the first ``X-Forwarded-For`` entry behind a trusted proxy, else the
    peer address. Only ever passed to :meth:`Salts.visitor_id`."""
    if trust_proxy and forwarded_for:
        return forwarded_for.split(",")[0].strip()
    return peer or ""
