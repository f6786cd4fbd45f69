"""The dashboard: server-rendered pages, their JSON API twins, sign-in and API tokens.

``mount_dashboard(app, db=...)`` adds the sign-in middleware (see :mod:`.auth` for the
public allow-list), the pages and ``/api/...`` (:mod:`.routes`) to the goodwill web app.
Users and tokens are managed with ``goodwill users ...`` and ``goodwill tokens ...``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from goodwill.web.dashboard.auth import AuthMiddleware, DashboardState
from goodwill.web.dashboard.routes import install_routes

__all__ = ["install_auth", "mount_dashboard"]


def install_auth(app: FastAPI, db: Path | None, secure_cookies: bool | None = None) -> None:
    """Guard every non-public route of ``app`` (also when no dashboard is mounted)."""
    app.state.dashboard = DashboardState(db=db, secure_cookies=secure_cookies)
    app.add_middleware(AuthMiddleware)


def mount_dashboard(app: FastAPI, db: Path | None, secure_cookies: bool | None = None) -> None:
    """Sign-in for every non-public route, and the dashboard's pages and API."""
    install_auth(app, db, secure_cookies)
    install_routes(app, app.state.dashboard)
