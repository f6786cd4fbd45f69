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
* ``accepted`` (202) — durably in the spool; the answer waits for the ``fsync``.
"""

from __future__ import annotations

import json
import uuid
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


async def store(state: CollectorState, request: Request, event: dict[str, Any]) -> str | None:
    """Complete ``event`` (id, time, pseudonymous visitor) and wait until it is durable.
    Returns its id, or ``None`` when it was dropped as a bot."""
    user_agent = request.headers.get("user-agent", "")
    if is_bot(user_agent):
        state.count("dropped:bot")
        return None
    now = datetime.now(UTC)
    ip = client_ip(
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-for"),
        trust_proxy=state.trust_proxy,
    )
    event["event_id"] = uuid.uuid4().hex
    event["occurred_at"] = now.replace(tzinfo=None).isoformat()
    event["visitor_id"] = state.salts.visitor_id(ip, user_agent, event["site"], now)
    event["user_agent"] = user_agent[:_MAX_FIELD]
    if event.get("link_code") is None:
        event["link_code"] = _link_code(event.get("url"))
    problem = event_problem(event)
    if problem:  # a header (user agent) or the link code that the warehouse cannot hold
        raise Rejected(400, "bad_value", problem)
    await state.spool.write(event)
    state.count("accepted")
    return str(event["event_id"])


@router.get("/goodwill.js", include_in_schema=False)
async def snippet() -> Response:
    return Response(
        SNIPPET,
        media_type="application/javascript",
        headers={"Cache-Control": "public, max-age=3600"},
    )


@router.post("/api/event")
async def event(request: Request) -> JSONResponse:
    state = _state(request)
    try:
        declared = int(request.headers.get("content-length") or 0)
        if declared > state.max_body:
            raise Rejected(413, "too_large", f"body over {state.max_body} bytes")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > state.max_body:
                raise Rejected(413, "too_large", f"body over {state.max_body} bytes")
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
            raise Rejected(400, "bad_json", "body is not valid JSON (or nested too deep)") from None
        clean = _validate(state, data)
        event_id = await store(state, request, clean)
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
            "loader": dict(state.loader_status),
            "problems": state.problems(),
        }
    )


class EventFastPath:
    """ASGI middleware (the outermost one): ``POST /api/event`` goes straight to
    :func:`event`, past the dashboard's sign-in middleware (the route is public) and the
    router; the answer gets the same security headers. Everything else passes through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/api/event" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        from goodwill.web.dashboard.auth import security_headers

        request = Request(scope, receive)
        response = await event(request)
        security_headers(response, https=scope.get("scheme") == "https")
        await response(scope, receive, send)
