"""Tracked links: ``GET /r/<code>`` records the click and redirects (302) to the destination.

The destination gets ``utm_source=<platform>``, ``utm_medium=social``,
``utm_campaign=<campaign>`` and ``utm_content=<code>`` (each only where the destination has no
value of its own) and ``gwl=<code>``, which the collector reads from the landing page's URL
to tie the visit to the link. Bots (link-preview fetchers) are redirected but not counted.
Unknown codes give a plain 404 page. Codes are the ones the app's loader last read from the
warehouse's ``links`` table (at start and after every load).
"""

from __future__ import annotations

import html
import secrets
import string
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from goodwill.web.collector import LINK_PARAM, Rejected, store
from goodwill.web.events import MAX_TEXT
from goodwill.web.state import CollectorState, LinkTarget

__all__ = ["CODE_ALPHABET", "new_code", "router", "tracked_destination"]

CODE_ALPHABET: Final = string.ascii_letters + string.digits
router = APIRouter()


def new_code(length: int = 7) -> str:
    """A random short code (62^7 ≈ 3.5e12 codes)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def tracked_destination(link: LinkTarget) -> str:
    """The destination URL with the link's UTM parameters and code added."""
    parts = urlsplit(link.destination_url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {k for k, v in query if v}
    extra = {
        "utm_source": link.platform,
        "utm_medium": "social",
        "utm_campaign": link.campaign,
        "utm_content": link.code,
    }
    query = [(k, v) for k, v in query if k != LINK_PARAM]
    query += [(k, v) for k, v in extra.items() if v and k not in present]
    query.append((LINK_PARAM, link.code))
    return urlunsplit(parts._replace(query=urlencode(query)))


_NOT_FOUND: Final = (
    "<!doctype html><html><head><meta charset=utf-8><title>Link not found</title></head>"
    "<body><h1>Link not found</h1><p>There is no link <code>{code}</code> here.</p></body></html>"
)


@router.get("/r/{code}", include_in_schema=False)
async def redirect(code: str, request: Request) -> Response:
    state: CollectorState = request.app.state.collector
    link = state.links.get(code)
    if link is None:
        state.count("rejected:unknown_link")
        return HTMLResponse(_NOT_FOUND.format(code=html.escape(code[:64])), status_code=404)
    site = (urlsplit(link.destination_url).hostname or "link").lower().removeprefix("www.")
    try:
        await store(
            state,
            request,
            {
                "site": site,
                "kind": "click",
                "name": None,
                "url": link.destination_url[:MAX_TEXT],
                "referrer": (request.headers.get("referer") or "")[:MAX_TEXT] or None,
                "link_code": link.code,
            },
        )
    except Rejected as exc:  # the visitor still gets where the link goes
        state.count(f"rejected:{exc.reason}")
    return RedirectResponse(tracked_destination(link), status_code=302)
