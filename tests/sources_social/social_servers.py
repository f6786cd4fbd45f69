"""Tiny local servers that speak the documented Mastodon REST and Bluesky XRPC APIs.

Each runs ``http.server`` in a thread on a loopback port. They page exactly as documented:
Mastodon by ``max_id``/``since_id``/``min_id`` with ``Link: <...>; rel="next", <...>;
rel="prev"`` headers; Bluesky by an opaque ``cursor``. Faults are injected per request number
of one path (``fail``: answer 500; ``throttle``: answer 429 with ``Retry-After: 1``).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse


@dataclass
class FakeApi:
    """State shared with the handler: data, the requests seen, the faults to inject."""

    data: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    account: dict[str, Any] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    fail: dict[str, set[int]] = field(default_factory=dict)
    """path -> 1-based request numbers (of that path) answered with 500."""
    throttle: dict[str, set[int]] = field(default_factory=dict)
    """path -> 1-based request numbers answered with 429 Retry-After: 1."""
    base: str = ""

    def calls(self, path: str) -> list[dict[str, str]]:
        return [q for p, q in self.requests if p == path]


def _mastodon_page(
    items: list[dict[str, Any]], q: dict[str, str]
) -> tuple[list[dict[str, Any]], bool]:
    """Items (newest first) as Mastodon pages them; second value: whether older ones remain."""

    def num(v: str) -> int:
        return int(v)

    limit = int(q.get("limit", "20"))
    rows = sorted(items, key=lambda r: num(r["id"]), reverse=True)
    if "max_id" in q:
        rows = [r for r in rows if num(r["id"]) < num(q["max_id"])]
    if "since_id" in q:
        rows = [r for r in rows if num(r["id"]) > num(q["since_id"])]
    if "min_id" in q:
        newer = [r for r in rows if num(r["id"]) > num(q["min_id"])]
        page = sorted(newer, key=lambda r: num(r["id"]))[:limit]
        return sorted(page, key=lambda r: num(r["id"]), reverse=True), False
    return rows[:limit], len(rows) > limit


def _jwt(did: str) -> str:
    def b64(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    now = int(time.time())
    claims = {"scope": "com.atproto.appPass", "sub": did, "iat": now, "exp": now + 7200}
    return f"{b64({'typ': 'at+jwt', 'alg': 'ES256K'})}.{b64(claims)}.c2lnbmF0dXJl"


def _bluesky_page(
    items: list[dict[str, Any]], q: dict[str, str], stamp: Any
) -> tuple[list[dict[str, Any]], str | None]:
    limit = int(q.get("limit", "50"))
    rows = sorted(items, key=stamp, reverse=True)
    if q.get("cursor"):
        rows = [r for r in rows if stamp(r) < q["cursor"]]
    page = rows[:limit]
    return page, (stamp(page[-1]) if len(rows) > limit else None)


class _Handler(BaseHTTPRequestHandler):
    api: FakeApi

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)

    def _fault(self, path: str) -> bool:
        n = len(self.api.calls(path))
        if n in self.api.throttle.get(path, set()):
            self._send(429, {"error": "Too many requests"}, {"Retry-After": "1"})
            return True
        if n in self.api.fail.get(path, set()):
            self._send(500, {"error": "Internal server error"})
            return True
        return False

    def do_POST(self) -> None:
        path = urlparse(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.api.requests.append((path, {"identifier": str(body.get("identifier"))}))
        if path == "/xrpc/com.atproto.server.createSession":
            if body.get("password") != "app-pass-1234":
                self._send(401, {"error": "AuthenticationRequired", "message": "bad password"})
                return
            acc = self.api.account
            jwt = _jwt(acc["did"])
            self._send(
                200,
                {
                    "did": acc["did"],
                    "handle": acc["handle"],
                    "accessJwt": jwt,
                    "refreshJwt": jwt,
                    "active": True,
                },
            )
            return
        self._send(404, {"error": "not found"})

    def do_GET(self) -> None:
        url = urlparse(self.path)
        q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        self.api.requests.append((url.path, q))
        if self._fault(url.path):
            return
        p = url.path
        if p == "/api/v1/accounts/verify_credentials":
            self._send(200, self.api.account)
        elif p.startswith("/api/v1/accounts/") and p.endswith("/statuses"):
            self._mastodon_list(p, self.api.data.get("statuses", []), q)
        elif p == "/api/v1/notifications":
            self._mastodon_list(p, self.api.data.get("notifications", []), q)
        elif p == "/xrpc/app.bsky.actor.getProfile":
            self._send(200, self.api.account)
        elif p == "/xrpc/app.bsky.feed.getAuthorFeed":
            page, cursor = _bluesky_page(
                self.api.data.get("feed", []), q, lambda r: r["post"]["indexedAt"]
            )
            self._send(200, {"feed": page} | ({"cursor": cursor} if cursor else {}))
        elif p == "/xrpc/app.bsky.notification.listNotifications":
            page, cursor = _bluesky_page(
                self.api.data.get("notifications", []), q, lambda r: r["indexedAt"]
            )
            self._send(200, {"notifications": page} | ({"cursor": cursor} if cursor else {}))
        else:
            self._send(404, {"error": "not found"})

    def _mastodon_list(self, path: str, items: list[dict[str, Any]], q: dict[str, str]) -> None:
        page, _more = _mastodon_page(items, q)
        links = []
        if page:
            base = f"{self.api.base}{path}?"
            links.append(f'<{base}{urlencode({"max_id": page[-1]["id"]})}>; rel="next"')
            links.append(f'<{base}{urlencode({"min_id": page[0]["id"]})}>; rel="prev"')
        self._send(200, page, {"Link": ", ".join(links)} if links else {})


@contextmanager
def serve(api: FakeApi) -> Iterator[str]:
    """Run a server for ``api`` on a loopback port; yields its base URL."""
    handler = type("Handler", (_Handler,), {"api": api})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    api.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api.base
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
