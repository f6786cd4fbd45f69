"""Moving spooled events into the warehouse, idempotently by ``event_id``.

One load, in one transaction:

1. every complete event of every spool segment is staged and inserted into
   ``collected_events`` unless its ``event_id`` is already there (so a segment read twice, or
   a server killed before it archived a segment, never duplicates anything);
2. the pageviews of each visitor with new pageviews are sessionised again into ``visits``:
   a visit is a run of one visitor's pageviews on one site with no gap over 30 minutes
   (``SESSION_GAP``); its id is ``gw:`` + the id of its first pageview, its landing page and
   referrer those of that pageview, ``pageviews`` the count, ``link_code`` the first tracked
   link seen in it. When the new pageviews all come after the visitor's earlier ones, only
   they are sessionised and the first session extends the visitor's last visit; otherwise the
   visits from the last one that began at or before the earliest new pageview on are rebuilt
   (so a late event merges into its session). Either way a load costs the new events' visits,
   not the visitor's whole history. New visits are classified by the channel enricher;
3. new custom events named ``lead``, ``signup``, ``order`` or ``refund`` become
   ``conversions`` (id ``gw:<event_id>``, value converted with the latest ``fx_rates`` rate
   on or before the day when its currency is not the reporting one);
4. new clicks become ``link_clicks``; a click or visit through a link made for one person adds
   the identity ``visitor:<visitor_id>`` → that person, which ties the visit and the visitor's
   later leads to them.

The spool is read as a stream, in batches of at most ``batch_size`` events (one transaction
each), so a backlog of any size needs memory for one batch only. Only after the commit of the
batch that holds a sealed segment's last event is the segment moved to ``loaded/``; loaded
segments older than ``retention_days`` (setting ``spool_retention_days``) are deleted.

A bad event never stops a load. Every event is checked first
(:func:`goodwill.web.events.event_problem`); when the warehouse still refuses a batch (a value
that overflows ``DECIMAL(18,4)`` once converted at an exchange rate, say), the batch is split in
halves until the refused event is alone. Such an event, and every line that is not a JSON
object, is *quarantined*: appended to ``<spool>/quarantine/quarantine.jsonl`` with its reason,
segment and line number, and counted in :class:`LoadResult` (and ``/api/stats``). This happens
once, when its segment is sealed: a ``.open`` segment (read again after its rotation) has its
bad lines only skipped, and its torn last line is never read.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from goodwill.engine import duckdb as duck
from goodwill.warehouse import Warehouse
from goodwill.web.events import event_problem
from goodwill.web.spool import (
    LOADED_DIR,
    QUARANTINE_DIR,
    QUARANTINE_FILE,
    SPOOL_META,
    seal_orphans,
    segments,
)

__all__ = [
    "BATCH_SIZE",
    "CONVERSION_EVENTS",
    "EVENT_COLUMNS",
    "QUARANTINE_DIR",
    "QUARANTINE_FILE",
    "SESSION_GAP_MINUTES",
    "LoadResult",
    "expire_loaded",
    "load_spool",
]

SESSION_GAP_MINUTES: Final = 30
BATCH_SIZE: Final = 5000
"""Events per load transaction (and the most events the loader holds in memory)."""

CONVERSION_EVENTS: Final = ("lead", "signup", "order", "refund")
EVENT_COLUMNS: Final = (
    "event_id",
    "kind",
    "name",
    "site",
    "occurred_at",
    "visitor_id",
    "url",
    "referrer",
    "user_agent",
    "link_code",
    "value",
    "currency",
    "email",
)


@dataclass
class LoadResult:
    """What one load did."""

    read: int = 0
    new: int = 0
    visits: int = 0
    conversions: int = 0
    clicks: int = 0
    archived: int = 0
    batches: int = 0
    quarantined: int = 0
    """Events (or lines) set aside in the quarantine file instead of being loaded."""
    unparsable: int = 0
    """Lines of sealed segments that are not a JSON object (also quarantined)."""
    expired: int = 0
    """Loaded segments deleted because they were older than the retention."""
    reasons: list[str] = field(default_factory=list)
    """The reasons of the first quarantined events (at most 20)."""


def _stage(events: list[dict[str, Any]]) -> Any:
    import pyarrow as pa

    columns: dict[str, list[Any]] = {c: [] for c in EVENT_COLUMNS}
    for event in events:
        for c in EVENT_COLUMNS:
            value = event.get(c)
            columns[c].append(None if value is None else str(value))
    return pa.table({c: pa.array(v, type=pa.string()) for c, v in columns.items()})


@dataclass
class _Line:
    """A spooled event with where it came from."""

    event: dict[str, Any]
    segment: str
    line: int
    sealed: bool = True
    """``False``: from a segment still being written, which is read again once sealed, so
    a refused event of it is only skipped this time (quarantined once, from the sealed one)."""


def _read_lines(path: Path, *, sealed: bool) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, raw line)`` of every complete line; a last line without its newline
    is skipped in a segment still being written and yielded as ``None`` in a sealed one."""
    with path.open("rb") as f:
        for n, raw in enumerate(f, start=1):
            if not raw.endswith(b"\n"):
                if sealed:
                    yield n, None
                return
            yield n, raw


class _Quarantine:
    """Appends refused events to ``<spool>/quarantine/quarantine.jsonl``."""

    def __init__(self, folder: Path, result: LoadResult) -> None:
        self.path = folder / QUARANTINE_DIR / QUARANTINE_FILE
        self.result = result
        self.pending: list[bytes] = []

    def add(self, reason: str, segment: str, line: int, **what: Any) -> None:
        record = {"reason": reason, "segment": segment, "line": line, "at": time.time(), **what}
        text = json.dumps(record, ensure_ascii=True, separators=(",", ":"), default=str)
        self.pending.append(text.encode() + b"\n")
        self.result.quarantined += 1
        if len(self.result.reasons) < 20:
            self.result.reasons.append(f"{segment}:{line}: {reason}")

    def flush(self) -> None:
        if not self.pending:
            return
        self.path.parent.mkdir(exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, b"".join(self.pending))
            os.fsync(fd)
        finally:
            os.close(fd)
        self.pending.clear()


def _parse(raw: bytes | None) -> tuple[dict[str, Any] | None, str]:
    if raw is None:
        return None, "torn last line (no newline) in a sealed segment"
    try:
        event = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        return None, f"not JSON: {str(exc)[:120]}"
    if not isinstance(event, dict):
        return None, "not a JSON object"
    return event, ""


def _insert(
    wh: Warehouse, events: list[dict[str, Any]], site_host: str | None, reporting: str
) -> LoadResult:
    """Load ``events`` in one transaction (all or nothing)."""
    from goodwill.enrich.channel import enrich_visits

    result = LoadResult()
    with wh.transaction():
        counts = duck.insert_spool_events(
            wh.con,
            _stage(events),
            columns=EVENT_COLUMNS,
            reporting=reporting,
            session_gap_minutes=SESSION_GAP_MINUTES,
            conversion_events=CONVERSION_EVENTS,
        )
        # only the visits this load wrote (every other one has its channel already), each
        # classified again: a visit it replaced may have come with another referrer or landing
        enrich_visits(wh.con, site_host=site_host, among=duck.SPOOL_VISITS, only_missing=False)
        duck.drop_table_if_exists(wh.con, duck.SPOOL_VISITS)
    result.new, result.visits = counts.new, counts.visits
    result.conversions, result.clicks = counts.conversions, counts.clicks
    return result


_DATA_ERRORS: Final[tuple[type[BaseException], ...]] = (
    *duck.DATA_ERRORS,
    UnicodeError,
    ValueError,  # pyarrow.ArrowInvalid
)
"""Errors that one event's data can cause (not a busy or broken warehouse)."""


def _load_batch(
    wh: Warehouse,
    batch: list[_Line],
    quarantine: _Quarantine,
    total: LoadResult,
    site_host: str | None,
    reporting: str,
) -> int:
    """Load ``batch``; when the warehouse refuses it, split it in halves until each refused
    event is alone, and quarantine that event with the warehouse's reason. Returns the
    number of events loaded. When *every* event of a batch of several is refused and an empty
    load fails too, the fault is the warehouse's: nothing is quarantined and the error is
    raised."""
    try:
        done = _insert(wh, [item.event for item in batch], site_host, reporting)
    except _DATA_ERRORS as exc:
        if len(batch) == 1:
            item = batch[0]
            reason = f"refused by the warehouse: {str(exc).splitlines()[0][:200]}"
            if item.sealed:
                quarantine.add(reason, item.segment, item.line, event=item.event)
            return 0
        mark = (len(quarantine.pending), total.quarantined, len(total.reasons))
        half = len(batch) // 2
        loaded = _load_batch(wh, batch[:half], quarantine, total, site_host, reporting)
        loaded += _load_batch(wh, batch[half:], quarantine, total, site_host, reporting)
        if loaded == 0:  # every event refused: is it the warehouse that fails?
            try:
                _insert(wh, [], site_host, reporting)
            except _DATA_ERRORS:
                del quarantine.pending[mark[0] :]
                total.quarantined = mark[1]
                del total.reasons[mark[2] :]
                raise exc from None
        return loaded
    total.batches += 1
    total.new += done.new
    total.visits += done.visits
    total.conversions += done.conversions
    total.clicks += done.clicks
    return len(batch)


def expire_loaded(folder: Path, retention_days: float, now: float | None = None) -> int:
    """Delete loaded segments archived more than ``retention_days`` ago; returns how many."""
    loaded = folder / LOADED_DIR
    if not loaded.is_dir():
        return 0
    cutoff = (time.time() if now is None else now) - retention_days * 86400
    expired = 0
    for path in loaded.glob("events-*"):
        try:
            if path.stat().st_mtime <= cutoff:
                path.unlink()
                expired += 1
        except FileNotFoundError:
            continue
    return expired


def load_spool(
    wh: Warehouse,
    folder: Path,
    *,
    site_host: str | None = None,
    currency: str | None = None,
    batch_size: int = BATCH_SIZE,
    retention_days: float | None = None,
) -> LoadResult:
    """Load every complete event in the spool ``folder`` into ``wh`` (see the module
    docstring), ``batch_size`` events per transaction; sealed segments are archived into
    ``loaded/`` once their events are committed, and loaded segments older than
    ``retention_days`` (``None``: kept) are deleted."""
    result = LoadResult()
    if not folder.is_dir():
        return result
    seal_orphans(folder)
    where = str(folder.resolve())
    if wh.get_meta(SPOOL_META) != where:  # so that `goodwill erase` finds the spool
        wh.set_meta(SPOOL_META, where)
    sealed, open_ = segments(folder)
    reporting = currency or wh.get_meta("reporting_currency") or "USD"
    quarantine = _Quarantine(folder, result)
    loaded = folder / LOADED_DIR
    loaded.mkdir(exist_ok=True)
    batch: list[_Line] = []
    done_segments: list[Path] = []

    def flush() -> None:
        if batch:
            _load_batch(wh, batch, quarantine, result, site_host, reporting)
            batch.clear()
        quarantine.flush()  # before archiving: a segment leaves only when all is recorded
        for path in done_segments:
            target = loaded / path.name
            path.rename(target)
            os.utime(target)  # the retention counts from the archiving
            result.archived += 1
        done_segments.clear()

    for path in (*sealed, *open_):
        is_sealed = path.suffix == ".jsonl"
        try:
            for n, raw in _read_lines(path, sealed=is_sealed):
                event, why = _parse(raw)
                if event is None and not is_sealed:  # quarantined once it is sealed
                    continue
                if event is None:
                    result.unparsable += 1
                    text = (raw or b"")[:4096].decode("utf-8", "replace")
                    quarantine.add(why, path.name, n, raw=text)
                    continue
                result.read += 1
                problem = event_problem(event)
                if problem:
                    if is_sealed:
                        quarantine.add(problem, path.name, n, event=event)
                    continue
                batch.append(_Line(event, path.name, n, is_sealed))
                if len(batch) >= batch_size:
                    flush()
        except FileNotFoundError:  # archived meanwhile by another loader
            continue
        if is_sealed:
            done_segments.append(path)
    flush()
    if retention_days is not None:
        result.expired = expire_loaded(folder, retention_days)
    return result
