"""The demo's website visits as a web server would log them: ``exports/access.log.gz``.

Apache ``vhost_combined`` lines (``fernhill.example:443 ip - - [time] "GET ..." ...``), in time
order, that :mod:`goodwill.sources.accesslog` turns back into exactly the simulated visits:

* every simulated visitor (``visitor_id``) gets one synthetic address from the documentation
  ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32), so the adapter's
  pseudonymous id ``visitor_id(salt, ip, user agent)`` is one per simulated visitor and user
  agent. Only visitors whose visits all share one (human) user agent are rewritten; their
  ``visitor_id`` becomes the adapter's id everywhere: in visits, in identities of kind
  ``visitor`` and in conversions (rewritten rows go back as ``extra``, so the exporters that
  run after this one write the new ids into their files);
* a visit of such a visitor goes into the log when the adapter reproduces it exactly: its
  landing page is on the site, it carries no tracked-link code (a log cannot say which link
  was clicked), and it starts more than 30 minutes after that visitor's previous logged
  request (otherwise the two would be one session). Its ``pageviews`` become page requests
  20-90 s apart, the first carrying the visit's referrer; the page's stylesheet, script and
  an image follow the first request, as a browser fetches them. Other visits stay
  interchange rows (with the rewritten id);
* a little traffic that must not count is mixed in: a search crawler (with robots.txt), a
  scraper with a browser user agent that fetches no assets, 404 probes and a form spammer
  posting to /contact. The adapter leaves all of it out.
"""

from __future__ import annotations

import gzip
import ipaddress
from collections import defaultdict
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import numpy as np

from goodwill.simulate.exports import ExportInput, ExportResult, SimRow
from goodwill.simulate.spec import SITE
from goodwill.sources.accesslog import SESSION_GAP, visitor_id
from goodwill.sources.accesslog_rules import is_log_bot

__all__ = ["ACCESS_LOG", "export_access_log"]

ACCESS_LOG = "access.log.gz"
_HOST = urlsplit(SITE).hostname or "fernhill.example"
_V4_NETS = ("192.0.2.", "198.51.100.", "203.0.113.")
_ASSETS = ("/static/site.css", "/static/app.js", "/static/img/logo.png")
_CRAWLER = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
_SCRAPER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0"
_SPAMMER = "Mozilla/5.0 (Windows NT 6.1; rv:35.0) Gecko/20100101 Firefox/35.0"
_PAGES = ("/", "/shop", "/shop/espresso-blend", "/shop/filter-roast", "/about", "/journal")


def _parse(ts: str | None) -> datetime:
    text = (ts or "").removesuffix("Z")
    return datetime.fromisoformat(text).replace(tzinfo=None)


def _addresses(visitors: list[str], rng: np.random.Generator) -> dict[str, str]:
    """One distinct documentation-range address per visitor (60 % IPv4 while they last)."""
    v4 = [f"{net}{i}" for net in _V4_NETS for i in range(1, 240)]  # .240+ for the bots
    rng.shuffle(v4)
    out: dict[str, str] = {}
    for n, v in enumerate(visitors):
        if v4 and rng.random() < 0.6:
            out[v] = v4.pop()
        else:
            suffix = int(rng.integers(1, 2**63))
            out[v] = str(ipaddress.IPv6Address((0x20010DB8 << 96) | (n << 64) | suffix))
    return out


def _line(ip: str, when: datetime, request: str, status: int, size: int, ref: str, ua: str) -> str:
    stamp = when.strftime("%d/%b/%Y:%H:%M:%S +0000")
    ua_q = ua.replace("\\", "\\\\").replace('"', '\\"')
    ref_q = ref.replace('"', "%22")
    return f'{_HOST}:443 {ip} - - [{stamp}] "{request}" {status} {size} "{ref_q}" "{ua_q}"'


def _loggable(row: SimRow) -> bool:
    """Whether the adapter rebuilds this visit's landing URL exactly (and it has no link)."""
    landing = row.get("landing_url") or ""
    url = urlsplit(landing)
    target = url.path + ("?" + url.query if url.query else "")
    return (
        url.hostname == _HOST
        and url.path.startswith("/")
        and f"{SITE}{target}" == landing
        and not row.get("link_code")
    )


def _session_lines(
    row: SimRow, ip: str, start: datetime, rng: np.random.Generator
) -> tuple[list[tuple[datetime, str]], datetime]:
    ua = row.get("user_agent") or ""
    url = urlsplit(row.get("landing_url") or "")
    target = url.path or "/"
    if url.query:
        target += "?" + url.query
    ref = row.get("referrer") or "-"
    lines = [(start, _line(ip, start, f"GET {target} HTTP/1.1", 200, 8123, ref, ua))]
    page_ref = f"{SITE}{url.path or '/'}"
    for k, asset in enumerate(_ASSETS):
        t = start + timedelta(seconds=k + 1)
        lines.append((t, _line(ip, t, f"GET {asset} HTTP/1.1", 200, 2048, page_ref, ua)))
    t = start
    for _ in range(int(row.get("pageviews") or 1) - 1):
        t += timedelta(seconds=int(rng.integers(20, 91)))
        page = _PAGES[int(rng.integers(0, len(_PAGES)))]
        lines.append((t, _line(ip, t, f"GET {page} HTTP/2.0", 200, 6100, page_ref, ua)))
        page_ref = SITE + page
    return lines, max(t, start + timedelta(seconds=len(_ASSETS)))


def _noise(start: datetime, days: int, rng: np.random.Generator) -> list[tuple[datetime, str]]:
    """Crawler, scraper, probes and a form spammer: traffic the adapter must leave out."""
    out: list[tuple[datetime, str]] = []
    for day in range(0, days, 3):
        t = start + timedelta(days=day, seconds=int(rng.integers(0, 86_000)))
        out.append((t, _line("192.0.2.250", t, "GET /robots.txt HTTP/1.1", 200, 120, "-", "-")))
        crawl = "198.51.100.250"
        for k, page in enumerate(_PAGES[:3]):
            tk = t + timedelta(seconds=5 * (k + 1))
            out.append((tk, _line(crawl, tk, f"GET {page} HTTP/1.1", 200, 8000, "-", _CRAWLER)))
        ts = t + timedelta(hours=2)
        robots = day % 2 == 1  # then the scraper reads robots.txt first (and ignores it)
        scraper = "203.0.113.252" if robots else "203.0.113.250"
        pages = (["/robots.txt"] if robots else []) + list(_PAGES)
        for k, page in enumerate(pages):
            tk = ts + timedelta(seconds=2 * k)
            line = _line(scraper, tk, f"GET {page} HTTP/1.1", 200, 8000, SITE + "/", _SCRAPER)
            out.append((tk, line))
        tp = t + timedelta(hours=5)
        out.append(
            (tp, _line("203.0.113.251", tp, "GET /wp-login.php HTTP/1.1", 404, 0, "-", _SCRAPER))
        )
        out.append(
            (
                tp,
                _line(
                    "2001:db8:ffff::1",
                    tp,
                    "POST /contact HTTP/1.1",
                    302,
                    0,
                    SITE + "/contact",
                    _SPAMMER,
                ),
            )
        )
    return out


def export_access_log(inp: ExportInput) -> ExportResult:
    """Write ``access.log.gz`` and rewrite the logged visitors' ids (module docstring)."""
    rng = np.random.default_rng([inp.seed, 31])
    visits = list(inp.tables.get("visits", ()))
    by_visitor: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(visits):
        if row.get("visitor_id"):
            by_visitor[str(row["visitor_id"])].append(i)
    eligible = sorted(
        v
        for v, idx in by_visitor.items()
        if len({visits[i].get("user_agent") for i in idx}) == 1
        and not is_log_bot(visits[idx[0]].get("user_agent") or "")
    )
    ips = _addresses(eligible, rng)
    agent = {v: visits[by_visitor[v][0]].get("user_agent") or "" for v in eligible}
    new_id = {v: visitor_id(inp.visitor_salt, ips[v], agent[v]) for v in eligible}
    lines: list[tuple[datetime, str]] = []
    covered: set[int] = set()
    extra_visits: list[SimRow] = []
    for v in eligible:
        last: datetime | None = None
        for i in sorted(by_visitor[v], key=lambda i: _parse(visits[i].get("started_at"))):
            row = visits[i]
            covered.add(i)
            start = _parse(row.get("started_at"))
            if _loggable(row) and (last is None or start - last > SESSION_GAP):
                session, last = _session_lines(row, ips[v], start, rng)
                lines.extend(session)
            else:
                extra_visits.append({**row, "visitor_id": new_id[v]})
    result = ExportResult(covered={"visits": covered}, extra={"visits": extra_visits})
    for name, column in (("identities", "value"), ("conversions", "visitor_id")):
        rows = inp.tables.get(name, ())
        hit = {
            i
            for i, r in enumerate(rows)
            if r.get(column) in new_id and (name != "identities" or r.get("kind") == "visitor")
        }
        result.covered[name] = hit
        result.extra[name] = [
            {**rows[i], column: new_id[str(rows[i][column])]} for i in sorted(hit)
        ]
    if lines:
        first = min(t for t, _ in lines)
        days = (max(t for t, _ in lines) - first).days + 1
        lines.extend(_noise(first, days, rng))
    lines.sort(key=lambda x: x[0])
    path = inp.out_dir / ACCESS_LOG
    with gzip.GzipFile(path, "wb", mtime=0) as fh:  # mtime 0: same spec, same bytes
        for _, text in lines:
            fh.write(text.encode("utf-8") + b"\n")
    result.paths.append(path)
    return result
