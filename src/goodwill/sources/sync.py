"""What every live sync shares: the cursor table, one transaction per page, 429 waits.

A sync (``goodwill sync mastodon``, ``goodwill sync bluesky``) reads a platform's API page by
page and hands each page to the same reader the file adapter uses. Its guarantees:

* **one transaction per page** — a page's rows are validated and merged through
  :class:`goodwill.load.Loader` and the stream's cursor is saved in ``sync_state`` in the same
  transaction (:meth:`SyncRun.commit`): the cursor never runs ahead of the rows, so a sync that
  dies on any page resumes from the last committed one — no gaps;
* **idempotent** — rows merge on their keys, so a page read twice changes no count;
* **rate limits** — a ``429 Too Many Requests`` is waited out (``Retry-After`` seconds or
  HTTP date, else the ``X-RateLimit-Reset``/``RateLimit-Reset`` time, else a doubling backoff)
  and the request retried (:func:`retry_wait`); each wait is counted in the summary.

Each run is recorded in ``imports`` (import id ``sync-...``) like a file import.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from goodwill.engine import duckdb as duck
from goodwill.load import Loader
from goodwill.sources.adapters import AdapterOutput
from goodwill.sources.social_load import load_output
from goodwill.warehouse import Warehouse

__all__ = ["MAX_WAIT_S", "SyncReport", "SyncRun", "retry_wait"]

MAX_WAIT_S = 300.0
"""No single rate-limit wait is longer than this (5 minutes)."""
MAX_RETRIES = 8

Sleep = Callable[[float], None]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _reset_at(value: str, now: float) -> float | None:
    """Seconds until a reset time given as epoch seconds, ISO 8601 or an HTTP date."""
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is not None:
        return number - now if number > 1e9 else number
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp() - now


def retry_wait(headers: Mapping[str, str], attempt: int, now: float | None = None) -> float:
    """How long to wait before retrying a request answered ``429``.

    ``Retry-After`` (seconds, or an HTTP date) wins; else Mastodon's ``X-RateLimit-Reset`` (ISO
    time) or Bluesky's ``RateLimit-Reset`` (epoch seconds); else ``2 ** attempt`` seconds.
    Clamped to ``[0, MAX_WAIT_S]``.
    """
    now = time.time() if now is None else now
    lower = {k.lower(): v for k, v in headers.items()}
    for name in ("retry-after", "x-ratelimit-reset", "ratelimit-reset"):
        if name in lower:
            wait = _reset_at(lower[name], now)
            if wait is not None:
                return min(max(wait, 0.0), MAX_WAIT_S)
    return min(float(2**attempt), MAX_WAIT_S)


@dataclass
class SyncReport:
    """What one sync run did (the command prints it)."""

    source: str
    account: str
    pages: dict[str, int] = field(default_factory=dict)
    """Stream -> pages fetched and committed."""
    rows_loaded: int = 0
    new_rows: int = 0
    quarantined: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    waits: list[float] = field(default_factory=list)
    """Seconds waited on each 429 answer."""

    def note_wait(self, seconds: float) -> None:
        self.waits.append(seconds)


class SyncRun:
    """One run of a sync: commits pages with their cursor, and records the run in imports."""

    def __init__(self, wh: Warehouse, *, source: str, account: str) -> None:
        self.wh = wh
        self.report = SyncReport(source=source, account=account)
        stamp = _now()
        self.started = stamp
        self.import_id = f"sync-{stamp:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
        currency = wh.get_meta("reporting_currency") or "USD"
        self.loader = Loader(wh, import_id=self.import_id, reporting_currency=currency)

    def cursor(self, stream: str) -> dict[str, Any] | None:
        """The saved position of ``stream`` (None before its first committed page)."""
        saved = duck.sync_cursor(self.wh.con, self.report.source, self.report.account, stream)
        if saved is None:
            return None
        value = json.loads(str(saved))
        return value if isinstance(value, dict) else None

    def known_ids(self, platform: str) -> set[str]:
        """Ids of the brand's outbound interactions already in the warehouse."""
        return duck.interaction_ids(self.wh.con, platform, "outbound")

    def commit(
        self, stream: str, output: AdapterOutput, page: str, cursor: dict[str, Any] | None
    ) -> None:
        """Load ``output`` and save ``stream``'s new ``cursor``, in one transaction."""
        with self.wh.transaction():
            results = load_output(self.loader, output, page)
            if cursor is not None:
                duck.store_sync_cursor(
                    self.wh.con,
                    [self.report.source, self.report.account, stream, json.dumps(cursor), _now()],
                )
            r = self.report
            r.pages[stream] = r.pages.get(stream, 0) + 1
            r.rows_loaded += sum(x.loaded for x in results)
            r.new_rows += sum(x.new for x in results)
            r.quarantined += sum(x.quarantined for x in results)
            for reason, n in output.skipped.items():
                r.skipped[reason] = r.skipped.get(reason, 0) + n
            duck.store_import(
                self.wh.con,
                [
                    self.import_id,
                    self.started,
                    _now(),
                    f"{r.source} sync {r.account}",
                    r.rows_loaded,
                    r.quarantined,
                ],
            )
