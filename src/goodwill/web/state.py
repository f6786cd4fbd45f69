"""What the web app's routers share: the spool, the salts, the sites, counters and links."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from goodwill.web.privacy import Salts
from goodwill.web.spool import QUARANTINE_DIR, QUARANTINE_FILE, Spool

__all__ = ["CollectorState", "LinkTarget"]


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """A tracked link as the redirect needs it."""

    code: str
    destination_url: str
    platform: str | None
    campaign: str | None
    person_ref: str | None


@dataclass
class CollectorState:
    """Shared state of one running app."""

    spool: Spool
    salts: Salts
    sites: frozenset[str]
    max_body: int = 8 * 1024
    trust_proxy: bool = False
    db: Path | None = None
    site_host: str | None = None
    retention_days: float | None = 7.0
    """Days loaded spool segments are kept (``None``: forever)."""
    links: dict[str, LinkTarget] = field(default_factory=dict)
    counters: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    loader_status: dict[str, Any] = field(default_factory=dict)

    def count(self, key: str) -> None:
        with self.lock:
            self.counters[key] += 1

    def stats(self) -> dict[str, int]:
        with self.lock:
            return dict(self.counters)

    def problems(self) -> list[str]:
        """What is wrong with collecting, in words (for ``/api/stats``); empty when all is
        well."""
        status = dict(self.loader_status)
        counters = self.stats()
        out = []
        if self.spool.sync_error:
            out.append(
                f"{self.spool.sync_error}; {self.spool.written - self.spool.synced} written "
                "event(s) may not be on the disk yet (they survive a crash of goodwill, not "
                "of the machine)"
            )
        if counters.get("failed:spool"):
            out.append(
                f"{counters['failed:spool']} event(s) could not be written to the spool and "
                "were answered 503 (is the disk full, or the spool folder gone?)"
            )
        if status.get("last_error"):
            out.append(
                f"the last load of the spool failed ({counters.get('loader:busy', 0)} busy, "
                f"{counters.get('loader:failed', 0)} failed so far): {status['last_error']}; "
                "the events wait in the spool"
            )
        if status.get("quarantined"):
            where = f"{QUARANTINE_DIR}/{QUARANTINE_FILE}"  # in the spool: no server path here
            out.append(
                f"{status['quarantined']} spooled event(s) could not be stored and were "
                f"quarantined in the spool's {where} ({status.get('unparsable', 0)} unparsable "
                "line(s)); "
                f"last: {status.get('last_quarantined')}"
            )
        return out
