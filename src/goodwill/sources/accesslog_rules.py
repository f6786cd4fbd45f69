"""What an access-log request is, by its path: a page, a static asset, a feed, robots.txt, a
JSON API call (``/api/...``, ``/graphql``, ``/wp-json/...``, ``/v2/...``, ``*.json``, a jQuery
``_=<timestamp>`` or ``format=json`` query) or another file (a download). Only pages become page
views; see :mod:`goodwill.sources.accesslog`. The ``Accept`` header is not in the combined or
common log formats, so an API call is told by its path and query alone.
"""

from __future__ import annotations

import functools
import re
from typing import Final, Literal

from goodwill.web.bots import is_bot

__all__ = [
    "API_EXTENSIONS",
    "API_SEGMENTS",
    "ASSET_EXTENSIONS",
    "FEED_EXTENSIONS",
    "LOG_BOT_TOKENS",
    "PAGE_EXTENSIONS",
    "RequestKind",
    "is_log_bot",
    "request_kind",
]

RequestKind = Literal["page", "asset", "feed", "robots", "file", "api"]

ASSET_EXTENSIONS: Final = frozenset(
    {
        "css", "js", "mjs", "map", "png", "jpg", "jpeg", "gif", "svg", "ico", "webp", "avif",
        "bmp", "tif", "tiff", "woff", "woff2", "ttf", "otf", "eot", "mp4", "webm", "ogg", "mp3",
        "wav", "m4a", "swf", "cur", "webmanifest",
    }
)  # fmt: skip
"""Files a browser fetches to render a page."""
PAGE_EXTENSIONS: Final = frozenset(
    {"html", "htm", "xhtml", "shtml", "php", "asp", "aspx", "jsp", "cgi", "pl", "cfm"}
)
"""Extensions of pages (a path without an extension is a page too)."""
FEED_EXTENSIONS: Final = frozenset({"rss", "atom", "xml", "rdf"})
_FEED_SEGMENTS: Final = frozenset({"feed", "rss", "atom", "feeds"})
_ASSET_PREFIXES: Final = ("/favicon", "/apple-touch-icon", "/wp-content/", "/wp-includes/")
API_SEGMENTS: Final = frozenset(
    {"api", "apis", "graphql", "gql", "wp-json", "ajax", "xhr", "rest", "rpc", "jsonrpc", "_api"}
)
"""A first path segment that names a JSON API (``/api/...``, ``/wp-json/...``, ``/graphql``):
what a single-page app fetches with XHR/fetch after the page, never a page view."""
API_EXTENSIONS: Final = frozenset({"json", "jsonld", "ndjson"})
_API_PREFIXES: Final = ("/_next/data/", "/wp-admin/admin-ajax.php", "/__data.json")
_API_VERSION: Final = re.compile(r"^/v\d+(?:\.\d+)?/")
_API_QUERY: Final = re.compile(r"(?:^|&)(?:format=json|_=\d{10,13}(?:&|$)|callback=jQuery)", re.I)


LOG_BOT_TOKENS: Final[tuple[str, ...]] = (
    "feed",
    "rss",
    "liferea",
    "netnewswire",
    "newsblur",
    "inoreader",
    "portscout",
    "livejournal",
    "monitor",
    "check_http",
    "zgrab",
    "masscan",
    "nmap",
    "nikto",
    "sqlmap",
)
"""User-agent words, besides :data:`goodwill.web.bots.BOT_TOKENS`, of clients seen in access
logs that are not people: feed readers (Tiny Tiny RSS, UniversalFeedParser, Feedbin, Liferea
made 350 of the elastic log's asset-less sessions), monitors and scanners."""
_LOG_BOT_RE: Final = re.compile("|".join(re.escape(t) for t in LOG_BOT_TOKENS))
_FEED_QUERY: Final = re.compile(r"(?:^|&)(?:flav|format|feed|type)=(?:rss|atom|feed)", re.I)


@functools.lru_cache(maxsize=8192)
def is_log_bot(user_agent: str) -> bool:
    """Whether an access log's ``user_agent`` is a bot (``-`` and empty ones are)."""
    ua = user_agent.strip()
    if ua in ("", "-") or is_bot(ua):
        return True
    return _LOG_BOT_RE.search(ua.lower()) is not None


@functools.lru_cache(maxsize=16_384)
def request_kind(path: str, query: str = "") -> RequestKind:
    """The kind of request for the URL ``path`` and its ``query`` string."""
    low = path.lower()
    if low == "/robots.txt":
        return "robots"
    if query and _FEED_QUERY.search(query):
        return "feed"
    if low.startswith(_ASSET_PREFIXES):
        return "asset"
    first = low.lstrip("/").split("/", 1)[0]
    if (
        first in API_SEGMENTS
        or low.startswith(_API_PREFIXES)
        or _API_VERSION.match(low)
        or (query and _API_QUERY.search(query))
    ):
        return "api"
    last = low.rstrip("/").rsplit("/", 1)[-1]
    if last in _FEED_SEGMENTS:
        return "feed"
    if "." not in last:
        return "page"
    ext = last.rsplit(".", 1)[1]
    if ext in PAGE_EXTENSIONS or not ext.isalpha():  # "/release-1.5" is a page
        return "page"
    if ext in ASSET_EXTENSIONS:
        return "asset"
    if ext in FEED_EXTENSIONS:
        return "feed"
    if ext in API_EXTENSIONS:
        return "api"
    return "file"
