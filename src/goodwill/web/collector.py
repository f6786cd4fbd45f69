"""The collector router: the JS snippet, the event endpoint and the pixel fallback.

Every request goes through named steps; one that fails answers with a status and counts a
reason (see ``GET /api/stats``):

* ``rejected:too_large`` (413) — body over ``max_body`` bytes;
* ``rejected:bad_json`` (400) — not a JSON object, or fields of the wrong type;
* ``rejected:bad_value`` (400) — a field that does not fit its warehouse column
  (:func:`goodwill.web.events.event_problem`): a value out of ``DECIMAL(18,4)``'s range, a
  currency that is not three letters, text with a NUL character or a lone surrogate;
* ``rejected:bad_kind`` (400) — ``kind`` other than ``pageview`` or ``event``, or an event
  without a ``name``;
* ``rejected:unknown_site`` (403) — a ``site`` this server does not collect for;
* ``dropped:bot`` (202, not stored) — a bot, crawler or preview fetcher (``bots.is_bot``);
* ``failed:spool`` (503) — the spool could not be written (a full disk, say): not stored;
* ``accepted`` (202) — in the spool as its durability mode promises (``spool_fsync``: written
  to the file, or also ``fsync``'d; see :mod:`goodwill.web.spool`).

``POST /api/event`` is served by :class:`EventFastPath`, a plain ASGI handler placed in front
of the whole FastAPI stack (its error middleware, the dashboard's sign-in): it reads the
headers and the body from the ASGI messages itself and answers with pre-built headers. The
FastAPI route of the same path (the one the OpenAPI schema shows) does the same steps; it
answers only when the app is used without the fast path.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from goodwill.errors import api_error
from goodwill.web.bots import is_bot
from goodwill.web.events import MAX_TEXT, event_problem, text_problem, value_problem
from goodwill.web.privacy import client_ip
from goodwill.web.state import CollectorState

__all__ = ["LINK_PARAM", "PIXEL", "SNIPPET", "EventFastPath", "router"]

LINK_PARAM: Final = "gwl"
"""Query parameter that carries a tracked link's code onto the landing page."""

SNIPPET: Final = """(function(w,d){var s=d.currentScript,a=s.getAttribute('data-api')||\
s.src.replace(/\\/goodwill\\.js.*$/,''),t=s.getAttribute('data-site')||location.hostname;\
function g(k,n,p){p=p||{};var b=JSON.stringify({site:t,kind:k,name:n||null,url:location.href,\
referrer:d.referrer||null,value:p.value==null?null:String(p.value),currency:p.currency||null,\
email:p.email||null});if(!(navigator.sendBeacon&&navigator.sendBeacon(a+'/api/event',b)))\
{fetch(a+'/api/event',{method:'POST',body:b,keepalive:true,credentials:'omit'})}}\
w.goodwill=function(n,p){g('event',n,p)};g('pageview')})(window,document);
"""
"""The tracking snippet: no cookies, no storage; ``goodwill('lead', {email, value})`` sends a
custom event. Embed with ``<script defer data-site="shop.example" src=".../goodwill.js">``."""

PIXEL: Final = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
_TEXT_FIELDS: Final = ("site", "kind", "name", "url", "referrer", "currency", "email")
_MAX_FIELD: Final = MAX_TEXT
_BOT_CACHE_UA: Final = 512
"""User agents up to this length have their bot verdict cached (4,096 of them at most)."""

router = APIRouter()


class Rejected(Exception):
    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason


def _state(request: Request) -> CollectorState:
    state: CollectorState = request.app.state.collector
    return state


def _error(state: CollectorState, exc: Rejected) -> JSONResponse:
    state.count(f"rejected:{exc.reason}")
    return JSONResponse(api_error(exc.status, exc.reason, str(exc)), status_code=exc.status)


def _link_code(url: str | None) -> str | None:
    if not url or LINK_PARAM + "=" not in url:
        return None
    try:
        values = parse_qs(urlsplit(url).query).get(LINK_PARAM)
    except ValueError:
        return None
    return values[0][:64] if values else None


def _validate(state: CollectorState, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise Rejected(400, "bad_json", "expected a JSON object")
    clean: dict[str, Any] = {}
    for key in _TEXT_FIELDS:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise Rejected(400, "bad_json", f"field {key!r} must be a string")
        clean[key] = value[:_MAX_FIELD] if value else None
        problem = text_problem(key, clean[key])
        if problem:
            raise Rejected(400, "bad_value", problem)
    value = data.get("value")
    problem = value_problem(value)
    if problem:
        raise Rejected(400, "bad_json" if "must be a number" in problem else "bad_value", problem)
    clean["value"] = None if value is None else str(value).strip()
    kind = clean["kind"] or "pageview"
    if kind not in ("pageview", "event") or (kind == "event" and not clean["name"]):
        raise Rejected(400, "bad_kind", "kind must be 'pageview' or 'event' (with a name)")
    clean["kind"] = kind
    site = (clean["site"] or "").strip().lower().removeprefix("www.")
    if site not in state.sites:
        raise Rejected(403, "unknown_site", f"site {site!r} is not collected by this server")
    clean["site"] = site
    currency = clean["currency"]
    if currency is not None and not (
        len(currency) == 3 and currency.isascii() and currency.isalpha()
    ):
        raise Rejected(400, "bad_value", f"field 'currency' {currency[:40]!r} is not ISO 4217")
    return clean


@functools.lru_cache(maxsize=4096)
def _cached_is_bot(user_agent: str) -> bool:
    return is_bot(user_agent)


def _complete(
    state: CollectorState,
    event: dict[str, Any],
    user_agent: str,
    peer: str | None,
    forwarded_for: str | None,
) -> bool:
    """Complete ``event`` in place (id, time, pseudonymous visitor, user agent, link code);
    ``False`` when it is a bot's (counted, not to be stored)."""
    if is_bot(user_agent) if len(user_agent) > _BOT_CACHE_UA else _cached_is_bot(user_agent):
        state.count("dropped:bot")
        return False
    now = datetime.now(UTC)
    ip = client_ip(peer, forwarded_for, trust_proxy=state.trust_proxy)
    event["event_id"] = os.urandom(16).hex()  # 128 random bits, as uuid4 without its object
    event["occurred_at"] = now.replace(tzinfo=None).isoformat()
    event["visitor_id"] = state.salts.visitor_id(ip, user_agent, event["site"], now)
    event["user_agent"] = user_agent[:_MAX_FIELD]
    if event.get("link_code") is None:
        event["link_code"] = _link_code(event.get("url"))
    # the other fields were checked by _validate (or by the caller); these come from headers
    problem = text_problem("user_agent", event["user_agent"]) or text_problem(
        "link_code", event["link_code"]
    )
    if problem:
        raise Rejected(400, "bad_value", problem)
    return True


async def _spool(state: CollectorState, event: dict[str, Any]) -> None:
    try:
        await state.spool.write(event)
    except OSError as exc:
        state.count("failed:spool")
        raise Rejected(503, "spool_unavailable", f"the event could not be spooled: {exc}") from None
    state.count("accepted")


async def store(state: CollectorState, request: Request, event: dict[str, Any]) -> str | None:
    """Complete ``event`` (id, time, pseudonymous visitor) and write it to the spool.
    Returns its id, or ``None`` when it was dropped as a bot."""
    if not _complete(
        state,
        event,
        request.headers.get("user-agent", ""),
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-for"),
    ):
        return None
    problem = event_problem(event)  # the whole event: a caller (tracked links) may skip _validate
    if problem:
        raise Rejected(400, "bad_value", problem)
    await _spool(state, event)
    return str(event["event_id"])


@router.get("/goodwill.js", include_in_schema=False)
async def snippet() -> Response:
    return Response(
        SNIPPET,
        media_type="application/javascript",
        headers={"Cache-Control": "public, max-age=3600"},
    )


def _parse(state: CollectorState, body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        raise Rejected(400, "bad_json", "body is not valid JSON (or nested too deep)") from None
    return _validate(state, data)


def _too_large(state: CollectorState) -> Rejected:
    return Rejected(413, "too_large", f"body over {state.max_body} bytes")


@router.post("/api/event")
async def event(request: Request) -> JSONResponse:
    state = _state(request)
    try:
        declared = int(request.headers.get("content-length") or 0)
        if declared > state.max_body:
            raise _too_large(state)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > state.max_body:
                raise _too_large(state)
        event_id = await store(state, request, _parse(state, body))
    except Rejected as exc:
        return _error(state, exc)
    return JSONResponse({"ok": True, "event_id": event_id, "stored": event_id is not None}, 202)


@router.get("/p.gif", include_in_schema=False)
async def pixel(request: Request) -> Response:
    """Pixel fallback: ``/p.gif?s=SITE&u=URL&r=REFERRER[&n=EVENT]``; the page's URL defaults
    to the ``Referer`` header (the page that shows the pixel)."""
    state = _state(request)
    q = request.query_params
    data = {
        "site": q.get("s"),
        "kind": "event" if q.get("n") else "pageview",
        "name": q.get("n"),
        "url": q.get("u") or request.headers.get("referer"),
        "referrer": q.get("r"),
    }
    try:
        clean = _validate(state, data)
        await store(state, request, clean)
    except Rejected as exc:
        state.count(f"rejected:{exc.reason}")
        return Response(PIXEL, status_code=exc.status, media_type="image/gif")
    return Response(
        PIXEL, status_code=200, media_type="image/gif", headers={"Cache-Control": "no-store"}
    )


@router.get("/api/stats")
async def stats(request: Request) -> JSONResponse:
    state = _state(request)
    return JSONResponse(
        {
            "ok": True,
            "counters": state.stats(),
            "spooled": state.spool.written,
            "fsync_batches": state.spool.batches,
            "spool": {
                "durability": state.spool.durability,
                "fsync_interval_s": state.spool.fsync_interval,
                "written": state.spool.written,
                "synced": state.spool.synced,
            },
            "loader": dict(state.loader_status),
            "problems": state.problems(),
        }
    )


_log = logging.getLogger("goodwill.web")
_NOT_STORED: Final[dict[str, object]] = {"ok": True, "event_id": None, "stored": False}
_NOT_STORED_BODY: Final = b'{"ok":true,"event_id":null,"stored":false}'


@functools.cache
def _response_headers(https: bool) -> tuple[tuple[bytes, bytes], ...]:
    """The headers of every answer of the fast path: JSON, and the dashboard's security
    headers (:func:`goodwill.web.dashboard.auth.security_headers`), built once."""
    from goodwill.web.dashboard.auth import security_headers

    probe = Response(b"", media_type="application/json")
    security_headers(probe, https=https)
    return tuple((k, v) for k, v in probe.headers.raw if k != b"content-length")


async def _read_body(state: CollectorState, receive: Receive) -> bytes | None:
    """The request body from the ASGI messages; ``None`` when the client has gone."""
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk: bytes = message.get("body", b"")
        body += chunk
        if len(body) > state.max_body:
            raise _too_large(state)
        if not message.get("more_body", False):
            return body


class EventFastPath:
    """ASGI handler in front of the whole app (see the module docstring): ``POST
    /api/event`` is answered here, from the ASGI messages, with the same steps, counters and
    security headers as the route; everything else passes through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/api/event" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        state: CollectorState = scope["app"].state.collector
        status = 202
        payload: dict[str, object] = _NOT_STORED
        try:
            user_agent, forwarded_for, declared = "", None, b""
            for name, value in scope["headers"]:
                if name == b"user-agent":
                    user_agent = value.decode("latin-1")
                elif name == b"content-length":
                    declared = value
                elif name == b"x-forwarded-for":
                    forwarded_for = value.decode("latin-1")
            if declared and int(declared) > state.max_body:
                raise _too_large(state)
            body = await _read_body(state, receive)
            if body is None:
                return  # the client has gone: nothing to answer, nothing stored
            clean = _parse(state, body)
            client = scope.get("client")
            if _complete(state, clean, user_agent, client[0] if client else None, forwarded_for):
                await _spool(state, clean)
                payload = {"ok": True, "event_id": clean["event_id"], "stored": True}
        except Rejected as exc:
            state.count(f"rejected:{exc.reason}")
            status, payload = exc.status, api_error(exc.status, exc.reason, str(exc))
        except Exception:
            _log.exception("POST /api/event failed")
            state.count("failed:internal")
            status = 500
            payload = api_error(500, "internal", "the event could not be handled")
        if payload is _NOT_STORED:
            body = _NOT_STORED_BODY
        elif status == 202:  # the usual answer, without a JSON encoder
            body = b'{"ok":true,"event_id":"%s","stored":true}' % str(payload["event_id"]).encode()
        else:
            body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    *_response_headers(scope.get("scheme") == "https"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
