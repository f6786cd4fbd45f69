"""Who may see what: the public allow-list, sign-in checks, CSRF, login backoff and the
security headers every response carries.

* :data:`PUBLIC_PATHS` / :data:`PUBLIC_PREFIXES` — the **only** routes served without
  sign-in: the collector (snippet, events, pixel, its counters), tracked-link redirects, the
  sign-in form and the dashboard's CSS. Everything else — every page, ``/api/...`` and
  ``/openapi.json`` — needs a session cookie or ``Authorization: Bearer TOKEN``; without one,
  ``/api/...`` and ``/openapi.json`` answer ``401`` and pages answer ``303`` to
  ``/login?next=...``. ``/docs`` (Swagger UI, goodwill's own copy) is a page like the others.
* CSRF: double-submit. Every response sets a random ``gw_csrf`` cookie (HttpOnly, SameSite=Lax)
  when the browser has none; every form carries the same value in a hidden ``csrf_token``
  field, and every POST (other than the collector's) must send it back (form field or
  ``X-CSRF-Token`` header), compared in constant time; otherwise ``403``. Requests
  authenticated by a Bearer token carry no ambient credential and need no CSRF token.
* Login backoff (:class:`LoginLimiter`): after 5 failed sign-ins for a user name or from an
  address within 15 minutes, further attempts are refused with ``429`` for 30 s, doubling with
  each further failure up to 15 minutes.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote

from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from goodwill.errors import GoodwillError, WarehouseError, api_error
from goodwill.warehouse import Warehouse
from goodwill.web.dashboard.connections import shared_warehouse
from goodwill.web.dashboard.users import User, session_user, token_user

__all__ = [
    "CSRF_COOKIE",
    "PUBLIC_PATHS",
    "PUBLIC_PREFIXES",
    "SESSION_COOKIE",
    "AuthMiddleware",
    "DashboardState",
    "LoginLimiter",
    "form_fields",
    "is_public",
    "security_headers",
]

PUBLIC_PATHS: frozenset[str] = frozenset(
    {
        "/goodwill.js",  # the collector's snippet
        "/api/event",  # the collector's event endpoint (has its own CORS)
        "/p.gif",  # the no-JS pixel
        "/api/stats",  # the collector's counters (no personal data), used by monitoring
        "/login",  # the sign-in form and its POST
    }
)
"""Exact paths served without sign-in."""
PUBLIC_PREFIXES: tuple[str, ...] = ("/r/", "/static/dashboard/")
"""Path prefixes served without sign-in: tracked-link redirects and the dashboard's CSS."""
_COLLECTOR = frozenset({"/api/event", "/p.gif", "/goodwill.js", "/api/stats"})
SESSION_COOKIE = "gw_session"
CSRF_COOKIE = "gw_csrf"
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def is_public(path: str) -> bool:
    """Whether ``path`` is served without sign-in (the one place that decides)."""
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def _wants_json(path: str) -> bool:
    return path.startswith("/api/") or path == "/openapi.json"


@dataclass
class LoginLimiter:
    """Failed sign-ins per key (user name, client address) in a sliding window."""

    allowed: int = 5
    window_s: float = 900.0
    base_delay_s: float = 30.0
    max_delay_s: float = 900.0
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, keys: list[str], now: float | None = None) -> float:
        """Seconds until the next attempt is allowed for these keys (0: allowed now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            return self._wait_locked(keys, now)

    def attempt(self, keys: list[str], now: float | None = None) -> tuple[float, float]:
        """Check and count a sign-in attempt in one step, *before* the password is hashed:
        ``(wait, stamp)``; with ``wait > 0`` the attempt is refused and not counted, else it
        is counted as failed until :meth:`succeeded` takes it back. Counting first is what
        keeps a parallel burst to ``allowed`` guesses (hashing takes a while)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            wait = self._wait_locked(keys, now)
            if wait <= 0:
                for key in keys:
                    self._failures.setdefault(key, []).append(now)
        return wait, now

    def _wait_locked(self, keys: list[str], now: float) -> float:
        wait = 0.0
        for key in keys:
            recent = [t for t in self._failures.get(key, []) if now - t < self.window_s]
            self._failures[key] = recent
            extra = len(recent) - self.allowed
            if extra >= 0:
                delay = min(self.base_delay_s * 2**extra, self.max_delay_s)
                wait = max(wait, recent[-1] + delay - now)
        return max(wait, 0.0)

    def failed(self, keys: list[str], now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, []).append(now)

    def succeeded(self, keys: list[str], stamp: float | None = None) -> None:
        """A sign-in succeeded: the first key (the user name) is cleared; the others (the
        address) only lose the attempt counted at ``stamp`` by :meth:`attempt`."""
        with self._lock:
            if keys:
                self._failures.pop(keys[0], None)
            for key in keys[1:] if stamp is not None else ():
                stamps = self._failures.get(key, [])
                if stamp in stamps:
                    stamps.remove(stamp)


@dataclass
class DashboardState:
    """What the dashboard's routes share: the warehouse path and cookie policy."""

    db: Path | None
    secure_cookies: bool | None = None
    """``True``/``False``: always/never mark cookies Secure; ``None``: when served over https."""
    limiter: LoginLimiter = field(default_factory=LoginLimiter)

    def warehouse(self, *, read_only: bool = True) -> AbstractContextManager[Warehouse]:
        """The warehouse, opened for one use, read-only unless ``read_only=False`` (only
        sign-in and sign-out write; see :mod:`.connections`)."""
        if self.db is None:
            raise WarehouseError("no warehouse: start goodwill serve with --db")
        return shared_warehouse(self.db).open(read_only=read_only)

    def secure(self, request: Request) -> bool:
        if self.secure_cookies is not None:
            return self.secure_cookies
        return request.url.scheme == "https"


def form_fields(body: bytes) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body as a dict (first value of each key)."""
    parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[0] for k, v in parsed.items()}


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _authenticate(state: DashboardState, request: Request) -> tuple[User | None, bool]:
    """``(user, by_token)`` from the Bearer token or the session cookie."""
    if state.db is None:
        return None, False
    token = _bearer(request)
    sid = request.cookies.get(SESSION_COOKIE)
    if token is None and not sid:
        return None, False
    with state.warehouse() as wh:
        if token is not None:
            return token_user(wh, token), True
        assert sid is not None
        return session_user(wh, sid), False


async def _csrf_ok(request: Request) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        "application/x-www-form-urlencoded"
    ):
        sent = form_fields(await request.body()).get("csrf_token")
    return bool(cookie) and sent is not None and hmac.compare_digest(cookie, sent)


def security_headers(response: Response, *, https: bool) -> None:
    """Add the security headers (kept when a route already set one, e.g. the collector)."""
    headers = {
        "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
        "script-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if https:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    for name, value in headers.items():
        response.headers.setdefault(name, value)


class AuthMiddleware(BaseHTTPMiddleware):
    """Sign-in for every non-public route, CSRF on unsafe methods, security headers."""

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        state: DashboardState = request.app.state.dashboard
        path = request.url.path
        response = await self._guarded(state, request, path, call_next)
        security_headers(response, https=request.url.scheme == "https")
        if path not in _COLLECTOR and CSRF_COOKIE not in request.cookies:
            response.set_cookie(
                CSRF_COOKIE,
                request.scope.get("gw_csrf") or secrets.token_urlsafe(32),
                httponly=True,
                samesite="lax",
                secure=state.secure(request),
                path="/",
            )
        return response

    async def _guarded(
        self,
        state: DashboardState,
        request: Request,
        path: str,
        call_next: Callable[[Request], Awaitable[Response]],
    ) -> Response:
        if is_public(path):
            if path == "/login" and request.method in _UNSAFE and not await _csrf_ok(request):
                return PlainTextResponse("CSRF token missing or wrong; reload the form", 403)
            return await call_next(request)
        try:
            user, by_token = await run_in_threadpool(_authenticate, state, request)
        except GoodwillError as exc:
            if _wants_json(path):
                body = api_error(503, "warehouse_unavailable", f"warehouse unavailable: {exc}")
                return JSONResponse(body, 503)
            return PlainTextResponse(f"warehouse unavailable: {exc}", 503)
        if user is None:
            if _wants_json(path):
                return JSONResponse(
                    api_error(
                        401,
                        "sign_in",
                        "sign in: send a session cookie or Authorization: Bearer TOKEN",
                    ),
                    401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
            target = path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", 303)
        if request.method in _UNSAFE and not by_token and not await _csrf_ok(request):
            return PlainTextResponse("CSRF token missing or wrong; reload the page", 403)
        request.state.user = user
        return await call_next(request)
