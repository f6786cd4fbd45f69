"""The FastAPI app factory and the background loader that moves the spool into the warehouse.

``create_app(spool_dir=..., sites=[...], db=...)`` mounts the routers (``collector``,
``links``; the dashboard adds its own). With ``db`` set, a loader thread opens the warehouse
every ``load_interval`` seconds for as long as one load takes: it seals the current spool
segment, loads the spool (:func:`goodwill.web.loader.load_spool`) and re-reads the tracked
links. When another process holds the database, the attempt is counted and retried at the
next tick — events wait safely in the spool meanwhile.

``POST /api/event`` never reaches FastAPI's middleware: :class:`_App` puts
:class:`goodwill.web.collector.EventFastPath` in front of the whole stack. The spool's
durability (``spool_fsync``: ``interval`` or ``always``) is :mod:`goodwill.web.spool`'s.
"""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp

from goodwill.engine import duckdb as duck
from goodwill.errors import GoodwillError
from goodwill.warehouse import Warehouse
from goodwill.web import collector, links
from goodwill.web.dashboard.connections import shared_warehouse
from goodwill.web.loader import load_spool
from goodwill.web.privacy import Salts
from goodwill.web.spool import Spool
from goodwill.web.state import CollectorState, LinkTarget

__all__ = ["create_app", "read_links", "run_loader_once"]


_NO_TELEMETRY: dict[str, Any] = (
    {"telemetry": {"tracing": False, "metrics": False, "logs": False}}
    if "telemetry" in inspect.signature(FastAPI).parameters
    else {}
)
"""FastAPI 0.16x's built-in OpenTelemetry is off: goodwill exports no traces, and asking
whether a provider is configured reads the environment on every request."""


class _App(FastAPI):
    """The FastAPI app with :class:`goodwill.web.collector.EventFastPath` in front of its
    whole middleware stack (outside even the error middleware that FastAPI puts first), so
    that an event costs only its own steps."""

    def build_middleware_stack(self) -> ASGIApp:
        return collector.EventFastPath(super().build_middleware_stack())


def read_links(wh: Warehouse) -> dict[str, LinkTarget]:
    """Every tracked link of the warehouse by code."""
    rows = duck.link_targets(wh.con)
    return {r[0]: LinkTarget(*r) for r in rows}


def run_loader_once(state: CollectorState) -> bool:
    """One loader tick; ``False`` when the warehouse was busy (or failed) this time."""
    if state.db is None:
        return False
    state.spool.rotate()
    try:
        with shared_warehouse(state.db).open() as wh:  # one connection per process
            result = load_spool(
                wh,
                state.spool.folder,
                site_host=state.site_host,
                retention_days=state.retention_days,
            )
            state.links = read_links(wh)
    except (duck.Error, GoodwillError, OSError) as exc:
        state.loader_status["last_error"] = str(exc)[:200]  # before the count a test waits on
        state.count("loader:busy")
        return False
    state.count("loader:runs")
    status = state.loader_status
    update: dict[str, Any] = {
        key: int(status.get(key, 0)) + add
        for key, add in (
            ("total_new", result.new),
            ("quarantined", result.quarantined),
            ("unparsable", result.unparsable),
            ("expired_segments", result.expired),
        )
    }
    if result.reasons:
        update["last_quarantined"] = result.reasons[-1]
    update.update(last_run=time.time(), last_new=result.new, last_read=result.read)
    update["last_error"] = None
    status.update(update)  # one step: /api/stats never sees new totals beside an old error
    return True


def create_app(
    *,
    spool_dir: Path,
    sites: Iterable[str],
    db: Path | None = None,
    site_host: str | None = None,
    load_interval: float = 5.0,
    max_body: int = 8 * 1024,
    trust_proxy: bool = False,
    spool_fsync: str = "interval",
    spool_fsync_interval: float = 1.0,
    secure_cookies: bool | None = None,
    retention_days: float | None = 7.0,
) -> FastAPI:
    """The goodwill web app (see the module docstring)."""
    spool = Spool(spool_dir, durability=spool_fsync, fsync_interval=spool_fsync_interval)
    state = CollectorState(
        spool=spool,
        salts=Salts(spool_dir / "salts"),
        sites=frozenset(s.strip().lower().removeprefix("www.") for s in sites),
        max_body=max_body,
        trust_proxy=trust_proxy,
        db=db,
        site_host=site_host,
        retention_days=retention_days,
    )
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(load_interval):
            try:
                run_loader_once(state)
            except Exception as exc:  # keep loading later; the events stay in the spool
                state.loader_status["last_error"] = repr(exc)[:200]
                state.count("loader:failed")

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        thread = None
        if db is not None:
            run_loader_once(state)
            thread = threading.Thread(target=loop, name="goodwill-loader", daemon=True)
            thread.start()
        try:
            yield
        finally:
            stop.set()
            if thread is not None:
                thread.join(timeout=60)
            spool.close()
            if db is not None:
                run_loader_once(state)

    app = _App(
        title="goodwill",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        **_NO_TELEMETRY,
    )
    app.state.collector = state
    app.include_router(collector.router)
    app.include_router(links.router)
    from goodwill.web.dashboard import install_auth, mount_dashboard

    if db is not None:  # the dashboard, and sign-in for every route but the public ones
        mount_dashboard(app, db, secure_cookies)
    else:
        install_auth(app, None, secure_cookies)
    return app
