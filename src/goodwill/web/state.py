"""What the web app's routers share: the spool, the salts, the sites, counters and links."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from goodwill.web.privacy import Salts
from goodwill.web.spool import Spool

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
