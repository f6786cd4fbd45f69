"""Web server access logs (Apache/Nginx combined, common, vhost_combined and common with
virtual host; plain, .gz or .bz2; comment lines starting with ``#`` skipped) → visits.

Each line is parsed with :data:`LINE_RE`; a line that does not parse, is not UTF-8 or has an
impossible timestamp is quarantined with its line number and the reason, its client address
masked (:func:`mask_ip`) — the raw IP is never stored anywhere.

Per line, in this order (the first that applies leaves the line out, counted by reason in the
import summary; see :mod:`goodwill.sources.accesslog_rules` for the lists):

1. status not 2xx/3xx → ``status 4xx/5xx`` (checked before the request line, so the garbage
   of TLS handshakes sent to port 80, answered with 400, is not quarantined);
2. a bot user agent (:func:`goodwill.sources.accesslog_rules.is_log_bot`: the collector's
   :mod:`goodwill.web.bots` list plus feed readers and scanners) → ``bot user agent``;
3. method not GET → ``method <M>``;
4. static assets (css, js, images, fonts...), feeds, JSON API calls of single-page apps
   (``/api/...``, ``*.json``...) and other files → ``static asset``, ``feed``,
   ``api call (XHR/JSON)``, ``file`` (assets still mark their visitor as a browser, see below;
   an API call is never a page view or a landing page).

A line longer than the ``max_line_bytes`` setting is quarantined from its first 200 bytes: it
is never held whole, nor scanned by the IP-masking expressions.

The remaining page requests are grouped by visitor, ``visitor_id =``
:func:`visitor_id` ``(salt, ip, user agent)`` — ``blake2b(key=warehouse salt, ip NUL ua)``, 8
bytes hex — and split into sessions after :data:`SESSION_GAP` (30 minutes) without a request.
A session becomes one visit: ``started_at`` is its first page request (converted to UTC),
``landing_url``, ``referrer`` and ``utm_*`` come from that request, ``pageviews`` counts its
page requests. A session is left out as a bot by behaviour (every line it had, counted by
reason) when its visitor

* fetched ``/robots.txt`` during or before the session (``bot behaviour: robots.txt``), or
* made more than :data:`MAX_PAGES_PER_MINUTE` page requests within one minute
  (``bot behaviour: rate``), or
* requested no static asset at all during the session (``bot behaviour: no assets``): a
  browser loads the page's stylesheets, scripts and images; form spammers and scrapers do
  not. Sites whose assets come from another host (a CDN) set ``accesslog.require_assets =
  false`` in ``[sources]``.

Memory is bounded by the sessions open at once: a session is closed and emitted as soon as the
log has moved :data:`SESSION_GAP` past its last request. ``visit_id`` is
``blake2b(salt, visitor_id NUL started_at)``, so importing the same log again changes nothing.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final
from urllib.parse import parse_qs, urlsplit

from goodwill.errors import UserInputError
from goodwill.sources.accesslog_rules import RequestKind, is_log_bot, request_kind
from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.limits import CompressedFileError, LongLine, lines, open_bytes

__all__ = [
    "FORMAT",
    "LINE_RE",
    "MAX_PAGES_PER_MINUTE",
    "SESSION_GAP",
    "detect",
    "mask_ip",
    "read",
    "visit_id",
    "visitor_id",
]

SESSION_GAP: Final = timedelta(minutes=30)
MAX_PAGES_PER_MINUTE: Final = 20
_Q = r'[^"\\]*(?:\\.[^"\\]*)*'  # a quoted field's inside, backslash escapes allowed
LINE_RE: Final = re.compile(
    r"^(?:(?P<vhost>[A-Za-z0-9.\-]+(?::\d+)?) )?"
    r'(?P<ip>[0-9A-Za-z:.\-]+) [^ ]+ (?:[^ "]+|"' + _Q + r'") '
    r'\[(?P<ts>[^\]]+)\] "(?P<req>' + _Q + r')" (?P<status>\d{3}) (?P<size>[^ ]+)'
    r'(?: "(?P<ref>' + _Q + r')" "(?P<ua>' + _Q + r')")?'
    r"(?: .*)?$"
)
"""``[vhost[:port] ]client ident user [time] "request" status size ["referer" "user-agent"]``
(Apache's ``vhost_combined`` has ``host:port``, its "common with virtual host" ``%v %h ...``
the host alone); the client is an IPv4/IPv6 address, or a host name where the server looks
them up."""
_TS_RE: Final = re.compile(r"^(\d{2})/([A-Za-z]{3})/(\d{4}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$")
_MONTHS: Final = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_UTM: Final = ("utm_source", "utm_medium", "utm_campaign", "utm_content")
_ESCAPE_RE: Final = re.compile(r"\\(.)")


def visitor_id(salt: bytes, ip: str, user_agent: str) -> str:
    """The pseudonymous id of a client: ``blake2b(key=salt, ip NUL user_agent)``, 16 hex."""
    h = hashlib.blake2b(key=salt[:64], digest_size=8)
    h.update(ip.encode("utf-8", "replace") + b"\x00" + user_agent.encode("utf-8", "replace"))
    return h.hexdigest()


def visit_id(salt: bytes, visitor: str, started_at: str) -> str:
    """The id of the visit of ``visitor`` that started at ``started_at`` (ISO, UTC)."""
    h = hashlib.blake2b(key=salt[:64], digest_size=8)
    h.update(visitor.encode() + b"\x00" + started_at.encode())
    return "al-" + h.hexdigest()


_IPV4_RE: Final = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])")
_IPV6_RE: Final = re.compile(
    r"(?<![\w:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
    r"|(?:[0-9A-Fa-f]{1,4}:)*[0-9A-Fa-f]{0,4}::(?:[0-9A-Fa-f]{1,4}:)*[0-9A-Fa-f]{0,4})(?![\w:])"
)


_MASK_MAX: Final = 4096


def mask_ip(text: str) -> str:
    """``text`` (its first 4,096 characters: a quarantined line is kept that long) with every
    IPv4 (``x.x.x.x``) and IPv6 (``x::x``) address masked, and the client field of a log line
    masked whatever it holds (quarantined raw lines)."""
    text = text[:_MASK_MAX]
    m = LINE_RE.match(text)
    if m is not None:
        text = text[: m.start("ip")] + "x.x.x.x" + text[m.end("ip") :]
    return _IPV6_RE.sub("x::x", _IPV4_RE.sub("x.x.x.x", text))


_HOSTNAME_RE: Final = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9\-.]*[A-Za-z0-9])?$")


@functools.lru_cache(maxsize=65_536)
def _normal_ip(text: str) -> str | None:
    """The canonical text of the client: an IPv4/IPv6 address (so ``2001:DB8::1`` and
    ``2001:db8:0::1`` are one visitor) or a lowercased host name; None when it is neither."""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text.lower() if _HOSTNAME_RE.match(text) else None


def _unescape(s: str) -> str:
    return _ESCAPE_RE.sub(r"\1", s) if "\\" in s else s


def parse_time(text: str) -> datetime | None:
    """``17/May/2015:10:05:03 +0200`` → naive UTC datetime (None when malformed)."""
    if len(text) != 26 or text[17] != ":" or not text[18:20].isdigit() or text[18] > "5":
        return None
    base = _minute(text[:17] + text[20:])  # cached by minute: a log repeats it
    return None if base is None else base + timedelta(seconds=int(text[18:20]))


@functools.lru_cache(maxsize=1024)
def _minute(text: str) -> datetime | None:
    """``17/May/2015:10:05 +0200`` → the naive UTC datetime of that minute."""
    m = _TS_RE.match(text)
    month = _MONTHS.get(m[2].lower()) if m else None
    if m is None or month is None:
        return None
    try:
        local = datetime(int(m[3]), month, int(m[1]), int(m[4]), int(m[5]))
    except ValueError:
        return None
    offset = timedelta(hours=int(m[7]), minutes=int(m[8]))
    return local - offset if m[6] == "+" else local + offset


def _open(path: Path) -> Iterator[bytes | LongLine]:
    """The lines of a plain, gzip or bzip2 log, within the import's limits (a line longer than
    ``max_line_bytes`` comes as a :class:`~.limits.LongLine`, never whole)."""
    with open_bytes(path) as fh:
        yield from lines(fh)


def _is_comment(data: bytes) -> bool:
    """A comment line (``# ...``, ``#Fields: ...`` of a W3C header, a note someone added)."""
    return data.lstrip()[:1] == b"#"


def _head_lines(path: Path, n: int = 5) -> list[str]:
    out: list[str] = []
    size = 0
    for data in _open(path):
        if isinstance(data, LongLine):
            return []
        size += len(data)
        if size > 65_536:
            break
        text = data.decode("utf-8", "replace").strip()
        if text and not _is_comment(data):
            out.append(text)
        if len(out) >= n:
            break
    return out


def detect(path: Path) -> bool:
    """A file whose first non-empty, non-comment lines (up to 5) all parse as access-log
    lines (plain, gzip or bzip2)."""
    if not path.is_file():
        return False
    with path.open("rb") as fh:
        if fh.read(4) == b"PK\x03\x04":  # a zip (its first member may be a log)
            return False
    try:
        head = _head_lines(path)
    except (OSError, EOFError, UserInputError):
        return False
    return bool(head) and all(
        (m := LINE_RE.match(t)) is not None and parse_time(m["ts"]) is not None for t in head
    )


@dataclass
class _Session:
    visitor: str
    first: datetime
    last: datetime
    url: str
    referrer: str | None
    user_agent: str | None
    line: int
    pages: int = 1
    assets: int = 0
    other_lines: dict[str, int] = field(default_factory=dict)
    recent: list[datetime] = field(default_factory=list)
    too_fast: bool = False

    def lines(self) -> int:
        return self.pages + self.assets + sum(self.other_lines.values())


@dataclass
class _Settings:
    salt: bytes
    host: str | None
    require_assets: bool
    max_per_minute: int


def _settings(ctx: AdapterContext) -> _Settings:
    opts = ctx.options
    require = opts.get("accesslog.require_assets", "true").strip().lower()
    if require not in ("true", "false", "1", "0", "yes", "no", "on", "off"):
        raise UserInputError(
            f"[sources.accesslog] require_assets = {require!r}: expected true or false"
        )
    rate = opts.get("accesslog.max_pages_per_minute", str(MAX_PAGES_PER_MINUTE)).strip()
    if not rate.isdigit() or int(rate) < 1:
        raise UserInputError(
            f"[sources.accesslog] max_pages_per_minute = {rate!r}: expected a whole number >= 1"
        )
    return _Settings(
        salt=ctx.visitor_salt,
        host=ctx.site_host,
        require_assets=require in ("true", "1", "yes", "on"),
        max_per_minute=int(rate),
    )


def _base(vhost: str | None, site_host: str | None) -> str:
    if vhost:
        host, _, port = vhost.partition(":")
        scheme = "http" if port in ("80", "8080") else "https"
        return f"{scheme}://{host.lower()}" + ("" if port in ("", "80", "443") else f":{port}")
    if site_host:
        return site_host.rstrip("/") if "://" in site_host else f"https://{site_host}"
    return ""


class _Reader:
    def __init__(self, settings: _Settings, out: AdapterOutput) -> None:
        self.s = settings
        self.out = out
        self.open: dict[str, _Session] = {}
        self.robots: dict[str, datetime] = {}
        """visitor -> when it first fetched /robots.txt"""
        self.newest = datetime.min
        self._ids: dict[tuple[str, str], str] = {}
        self._next_sweep = datetime.min

    def _visitor(self, ip: str, ua: str) -> str:
        key = (ip, ua)
        found = self._ids.get(key)
        if found is None:
            if len(self._ids) > 100_000:
                self._ids.clear()
            found = self._ids[key] = visitor_id(self.s.salt, ip, ua)
        return found

    # -- one line ------------------------------------------------------------------------
    def line(self, lineno: int, data: bytes | LongLine) -> None:
        if isinstance(data, LongLine):
            raw = mask_ip(data.head.decode("utf-8", "replace"))
            why = f"line longer than {data.limit:,} bytes (setting max_line_bytes)"
            self.out.reject("visits", lineno, why, raw)
            return
        if _is_comment(data):
            self.out.skip("comment line")
            return
        try:
            text = data.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            raw = mask_ip(data.decode("utf-8", "replace").rstrip("\r\n"))
            self.out.reject("visits", lineno, f"not UTF-8 (byte {exc.start})", raw)
            return
        if not text.strip():
            return
        m = LINE_RE.match(text)
        if m is None:
            self.out.reject("visits", lineno, "not an access-log line", mask_ip(text))
            return
        when = parse_time(m["ts"])
        if when is None:
            self.out.reject("visits", lineno, f"bad timestamp {m['ts']!r}", mask_ip(text))
            return
        status = int(m["status"])
        if not 200 <= status < 400:  # before the request line: TLS probes get 400
            self.out.skip(f"status {status // 100}xx")
            return
        parts = _unescape(m["req"]).split(" ")
        if len(parts) != 3 or not parts[1].startswith(("/", "http://", "https://")):
            self.out.reject("visits", lineno, "malformed request line", mask_ip(text))
            return
        method, target, _ = parts
        ua = _unescape(m["ua"]) if m["ua"] is not None else None
        ref = _unescape(m["ref"]) if m["ref"] is not None else None
        if when > self.newest:
            self.newest = when
            if when > self._next_sweep:  # close idle sessions: memory stays bounded
                self.sweep()
                self._next_sweep = when + SESSION_GAP
        if ua is not None and is_log_bot(ua):
            self.out.skip("bot user agent")
            return
        ip = _normal_ip(m["ip"])
        if ip is None:
            self.out.reject("visits", lineno, "not an IP address", mask_ip(text))
            return
        visitor = self._visitor(ip, ua or "")
        if "://" in target:  # an absolute-form request (proxies)
            split = urlsplit(target)
            path, query = split.path, split.query
        else:
            path, _, query = target.partition("?")
        kind = request_kind(path, query)
        if kind == "robots":
            self.robots.setdefault(visitor, when)
        sess = self.open.get(visitor)
        if sess is not None and when - sess.last > SESSION_GAP:
            self.close(sess)
            sess = None
        if method != "GET" or kind != "page":
            self._not_a_page(sess, visitor, when, lineno, method, kind)
            return
        if sess is None or sess.pages == 0:
            base = _base(m["vhost"], self.s.host)
            url = target if "://" in target else base + target
            referrer = None if ref in (None, "-", "") else ref
            if sess is None:
                sess = _Session(visitor, when, when, url, referrer, ua, lineno)
                self.open[visitor] = sess
            else:
                sess.first, sess.url, sess.referrer, sess.user_agent = when, url, referrer, ua
                sess.line, sess.pages = lineno, 1
            sess.recent = [when]
            sess.last = max(sess.last, when)
            return
        sess.pages += 1
        sess.last = max(sess.last, when)
        sess.recent = [t for t in sess.recent if when - t < timedelta(minutes=1)] + [when]
        if len(sess.recent) > self.s.max_per_minute:
            sess.too_fast = True

    def _not_a_page(
        self,
        sess: _Session | None,
        visitor: str,
        when: datetime,
        lineno: int,
        method: str,
        kind: RequestKind,
    ) -> None:
        """A request that is not a page view: it extends an open session (an asset also marks
        the visitor as a browser, even before the first page, e.g. a cached page)."""
        asset = kind == "asset" and method == "GET"
        if sess is None and asset:
            sess = _Session(visitor, when, when, "", None, None, lineno, pages=0)
            self.open[visitor] = sess
        reason = f"method {method[:10]}" if method != "GET" else _REASONS[kind]
        if sess is None:
            self.out.skip(reason)
            return
        sess.last = max(sess.last, when)
        if asset:
            sess.assets += 1
        else:
            sess.other_lines[reason] = sess.other_lines.get(reason, 0) + 1

    # -- sessions ------------------------------------------------------------------------
    def sweep(self) -> None:
        horizon = self.newest - SESSION_GAP
        for sess in [s for s in self.open.values() if s.last < horizon]:
            self.close(sess)

    def close(self, sess: _Session) -> None:
        del self.open[sess.visitor]
        if sess.pages == 0:
            self.out.skip("static asset", sess.assets)
            for reason, n in sess.other_lines.items():
                self.out.skip(reason, n)
            return
        why = None
        fetched = self.robots.get(sess.visitor)
        if fetched is not None and fetched <= sess.last:  # during or before the session
            why = "bot behaviour: robots.txt"
        elif sess.too_fast:
            why = "bot behaviour: rate"
        elif self.s.require_assets and sess.assets == 0:
            why = "bot behaviour: no assets"
        if why is not None:
            self.out.skip(why, sess.lines())
            return
        self.out.skip("static asset", sess.assets)
        for reason, n in sess.other_lines.items():
            self.out.skip(reason, n)
        self.out.add("visits", self._row(sess))

    def _row(self, sess: _Session) -> Row:
        started = sess.first.isoformat(sep=" ")
        query = parse_qs(urlsplit(sess.url).query)
        row: Row = {
            "visit_id": visit_id(self.s.salt, sess.visitor, started),
            "started_at": started,
            "visitor_id": sess.visitor,
            "landing_url": sess.url,
            "referrer": sess.referrer,
            "pageviews": str(sess.pages),
            "user_agent": sess.user_agent,
            "_line": sess.line,
        }
        for key in _UTM:
            values = query.get(key)
            row[key] = values[0] if values else None
        return row

    def finish(self) -> None:
        for sess in list(self.open.values()):
            self.close(sess)


_REASONS: Final[dict[RequestKind, str]] = {
    "asset": "static asset",
    "feed": "feed",
    "file": "file",
    "robots": "bot behaviour: robots.txt",
    "page": "page",
    "api": "api call (XHR/JSON)",
}


def read(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """Read an access log (or a folder of them) into visits (see the module docstring)."""
    out = AdapterOutput()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for f in files:
        reader = _Reader(_settings(ctx), out)
        since = out.mark()
        lineno = 0
        try:
            for lineno, data in enumerate(_open(f), start=1):
                reader.line(lineno, data)
        except CompressedFileError as exc:  # a truncated or corrupt .gz/.bz2, a bomb
            raise UserInputError(f"{exc} (after line {lineno})") from exc
        reader.finish()
        if len(files) > 1:  # line 7 of access.log and of access.log.1 are two records
            out.mark_file(f.name, since)
    return out


FORMAT = register(
    Format(
        name="access-log",
        description="Apache/Nginx access log (combined, common, vhost_combined or common with "
        "virtual host; plain, .gz or .bz2) → visits: 30-minute sessions of pseudonymous "
        "visitors, bots and API calls left out",
        detect=detect,
        read=read,
        tables=("visits",),
        docs="docs/sources/access-logs.md",
    )
)
