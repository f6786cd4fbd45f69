"""Load benchmark of the collector against a bare uvicorn endpoint, on 127.0.0.1 only.

One run starts, side by side:

1. a bare uvicorn "hello" endpoint (a plain ASGI app answering ``POST /`` with 202 and a tiny
   JSON body with its ``Content-Length``) — the ceiling of uvicorn on this machine;
2. the same hello endpoint as a FastAPI route — the framework's share;
3. goodwill's collector ``POST /api/event`` as ``goodwill serve`` runs it, with the default
   durability (``spool_fsync = "interval"``: written before the answer, ``fsync`` every
   second) and the loader moving the spool into a DuckDB warehouse every 2 s in a thread of
   its own;
4. the same with ``spool_fsync = "always"`` (every answer waits for an ``fsync``, shared by
   the requests waiting at the same time).

At each concurrency of ``--connections`` (default 8, 32 and 128) it runs ``--rounds`` rounds
(default 7) of ``--seconds`` (default 2) each, the four endpoints one after the other in each
round (in a rotating order): short runs side by side, so that a change in the machine's load
hits every endpoint alike (the machine this runs on is shared; a burst of other work can
halve one run). It prints, per endpoint and concurrency, the median requests/s, p50
and p99 latency over the rounds, the ratio to bare uvicorn (median and worst of the per-round
ratios), and the load average when the concurrency began and ended. It then stops the
collectors (SIGTERM: their final load runs), loads each spool once more and prints events
acknowledged (2xx answers the load generator counted) against events stored (rows in
``collected_events``). Stored may exceed acknowledged by at most the requests in flight when
a generator stopped.

**SIGKILL check** (``--kill``, on by default): a fresh collector is killed with SIGKILL in the
middle of a load run, restarted (which seals the dead server's segment and loads the spool) and
stopped; every acknowledged event must be stored exactly once. ``--kills`` runs of it with the
default durability, and one with ``always``.

**Soak** (``--soak-minutes N``): the collector (default durability, loader every 2 s) under
steady load at ``--soak-connections`` for N minutes, its resident memory sampled every 10 s;
prints req/s, p99 and RSS per minute, and acknowledged against stored.

**Spool loads into a large warehouse** (``--spool-load WAREHOUSE``, alone): milliseconds per
``load_spool`` of ``--spool-sizes`` events (default 100 and 1,000: a collector's loader tick
on a busy site) into two copies of ``WAREHOUSE`` (the original is only read) that first took
``--spool-history`` collector events (default 100,000): one as it is (``visits``,
``identities``, ``conversions``, ``people`` without a primary key, ``UNINDEXED_KEYS``) and one
with those keys added back, each load's same events into both, alternating which goes first;
median and p90 per cell over ``--spool-rounds`` loads, and whether the two copies hold the same
rows after. The events (:func:`spool_events`): pageviews of a pool of 20,000 visitors (one in
ten through one of 50 links made for a person), clicks, orders and leads, signups, 5 % late
pageviews that rebuild their visitor's visits.

The load generator is ``wrk`` (Debian package ``wrk``) when installed, else a small asyncio
HTTP/1.1 keep-alive client in this file (``--generator python`` forces it; it is slower than
wrk, so the ratios, not the absolute numbers, are what compare).

    .venv/bin/python benchmarks/collector_load.py
    .venv/bin/python benchmarks/collector_load.py --only-soak --soak-minutes 10
    .venv/bin/python benchmarks/collector_load.py --spool-load W/goodwill-10000000.duckdb \
        --workdir /tmp                              # a large warehouse (run.py --keep)
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import httpx

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"
BODY = '{"site":"shop.example","url":"https://shop.example/?utm_source=fb","referrer":null}'

HELLO_ASGI = """
import uvicorn
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    more = True
    while more:
        msg = await receive()
        more = msg.get("more_body", False)
    await send({"type": "http.response.start", "status": 202,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"11")]})
    await send({"type": "http.response.body", "body": b'{"ok":true}'})
uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="warning", access_log=False)
"""

HELLO_FASTAPI = """
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
app = FastAPI()
@app.post("/")
async def hello(request: Request) -> JSONResponse:
    await request.body()
    return JSONResponse({"ok": True}, status_code=202)
uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="warning", access_log=False)
"""

COLLECTOR = """
from pathlib import Path
import uvicorn
from goodwill.warehouse import Warehouse
from goodwill.web.app import create_app
db = None if DB == "" else Path(DB)
if db is not None:
    Warehouse.open(db).close()
app = create_app(spool_dir=Path(SPOOL), sites=["shop.example"], db=db, load_interval=2.0,
                 spool_fsync=FSYNC)
uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="warning", access_log=False,
            proxy_headers=False)
"""

LUA = f"""
wrk.method = "POST"
wrk.body = '{BODY}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "{UA}"
"""


@dataclass
class LoadResult:
    requests: int
    non_2xx: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: str

    @property
    def acked(self) -> int:
        return self.requests - self.non_2xx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# -- load generators ------------------------------------------------------------------------
def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not m:
        return float("nan")
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def _wrk_cmd(url: str, lua: Path, seconds: float, connections: int, threads: int) -> list[str]:
    threads = max(1, min(threads, connections))
    return [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{int(seconds)}s",
        "--latency",
        "-s",
        str(lua),
        url,
    ]


def _parse_wrk(out: str) -> LoadResult:
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"^\s*50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s*99%\s+(\S+)", out, re.M)
    err = re.search(r"Socket errors: (.*)", out)
    return LoadResult(
        total,
        int(non.group(1)) if non else 0,
        rps,
        _ms(p50.group(1)) if p50 else float("nan"),
        _ms(p99.group(1)) if p99 else float("nan"),
        err.group(1) if err else "",
    )


async def _python_load(url: str, seconds: float, connections: int) -> LoadResult:
    """A keep-alive HTTP/1.1 client: ``connections`` loops posting BODY for ``seconds``."""
    parts = httpx.URL(url)
    request = (
        f"POST {parts.raw_path.decode()} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"User-Agent: {UA}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(BODY)}\r\n\r\n{BODY}"
    ).encode()
    latencies: list[float] = []
    counts = {"ok": 0, "non_2xx": 0, "errors": 0}
    deadline = time.monotonic() + seconds

    async def one() -> None:
        try:
            reader, writer = await asyncio.open_connection(parts.host, parts.port)
        except OSError:
            counts["errors"] += 1
            return
        try:
            while time.monotonic() < deadline:
                start = time.perf_counter()
                writer.write(request)
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - start)
                counts["ok" if head[9:10] == b"2" else "non_2xx"] += 1
        except (OSError, asyncio.IncompleteReadError):
            counts["errors"] += 1
        finally:
            writer.close()

    began = time.monotonic()
    await asyncio.gather(*(one() for _ in range(connections)))
    elapsed = time.monotonic() - began
    latencies.sort()

    def pct(q: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
            if latencies
            else float("nan")
        )

    total = counts["ok"] + counts["non_2xx"]
    errors = f"connection errors {counts['errors']}" if counts["errors"] else ""
    return LoadResult(total, counts["non_2xx"], total / elapsed, pct(0.5), pct(0.99), errors)


class Generator:
    def __init__(self, kind: str, work: Path, threads: int) -> None:
        self.kind = kind
        self.threads = threads
        self.lua = work / "post.lua"
        self.lua.write_text(LUA)

    def run(self, url: str, seconds: float, connections: int) -> LoadResult:
        if self.kind == "wrk":
            cmd = _wrk_cmd(url, self.lua, seconds, connections, self.threads)
            out = subprocess.run(
                cmd, capture_output=True, text=True, timeout=seconds + 120, check=True
            ).stdout
            return _parse_wrk(out)
        return asyncio.run(_python_load(url, seconds, connections))


# -- servers --------------------------------------------------------------------------------
def start(code: str, port: int, **names: str) -> subprocess.Popen[bytes]:
    src = code.replace("PORT", str(port))
    for k, v in names.items():
        src = src.replace(k, repr(v))
    proc = subprocess.Popen([sys.executable, "-c", src])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited at start")
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=300)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of ``pid`` in MB: ``VmRSS`` (all), ``RssAnon`` (the heap: what a leak
    grows) or ``RssFile`` (mapped files, such as DuckDB's library once its code has run)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    m = re.search(field + r":\s+(\d+) kB", text)
    return int(m.group(1)) / 1024 if m else float("nan")


def stored_events(db: Path, spool: Path) -> tuple[int, int, int]:
    """(rows, distinct event ids, lines in the spool) after one more load of the spool."""
    from goodwill.warehouse import Warehouse
    from goodwill.web.loader import load_spool

    with Warehouse.open(db) as wh:
        load_spool(wh, spool)
        stored = int(wh.query("SELECT count(*) FROM collected_events")[0][0])
        distinct = int(wh.query("SELECT count(DISTINCT event_id) FROM collected_events")[0][0])
    spooled = sum(len(p.read_bytes().splitlines()) for p in spool.rglob("events-*"))
    return stored, distinct, spooled


# -- the runs -------------------------------------------------------------------------------
BARE = "uvicorn hello (ASGI)"
ENDPOINTS: tuple[tuple[str, str, dict[str, str], str], ...] = (
    (BARE, HELLO_ASGI, {}, "/"),
    ("FastAPI hello", HELLO_FASTAPI, {}, "/"),
    ("collector (interval)", COLLECTOR, {"FSYNC": "interval"}, "/api/event"),
    ("collector (always)", COLLECTOR, {"FSYNC": "always"}, "/api/event"),
)
"""(name, server code, its names, path); the collectors get a spool and a warehouse each."""


def _load() -> float:
    return os.getloadavg()[0]


def compare(gen: Generator, work: Path, seconds: float, levels: list[int], rounds: int) -> None:
    procs: dict[str, subprocess.Popen[bytes]] = {}
    urls: dict[str, str] = {}
    stores: dict[str, tuple[Path, Path]] = {}
    runs: dict[tuple[str, int], list[LoadResult]] = {}
    ratios: dict[tuple[str, int], list[float]] = {}
    loads: dict[int, tuple[float, float]] = {}
    try:
        for i, (name, code, names, path) in enumerate(ENDPOINTS):
            port = free_port()
            if code is COLLECTOR:
                spool, db = work / f"spool-{i}", work / f"goodwill-{i}.duckdb"
                stores[name] = (spool, db)
                names = {**names, "SPOOL": str(spool), "DB": str(db)}
            procs[name] = start(code, port, **names)
            urls[name] = f"http://127.0.0.1:{port}{path}"
        order = [name for name, *_ in ENDPOINTS]
        for c in levels:
            before = _load()
            for r in range(rounds):
                this_round: dict[str, LoadResult] = {}
                for name in order[r % len(order) :] + order[: r % len(order)]:
                    this_round[name] = gen.run(urls[name], seconds, c)
                    runs.setdefault((name, c), []).append(this_round[name])
                for name, result in this_round.items():
                    ratios.setdefault((name, c), []).append(result.rps / this_round[BARE].rps)
            loads[c] = (before, _load())
    finally:
        for proc in procs.values():
            stop(proc)
    print(
        f"\n{gen.kind} load, 127.0.0.1, {os.cpu_count()} CPUs (shared with whatever else runs); "
        f"per concurrency {rounds} rounds of {seconds:g} s per endpoint, interleaved; medians "
        "over the rounds; 'vs bare' is the median (and worst) of the per-round ratios\n"
    )
    print(
        f"{'endpoint':<22} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'vs bare':>8} {'worst':>6} {'non-2xx':>8}  errors"
    )
    for c in levels:
        for name, *_ in ENDPOINTS:
            rs = runs[name, c]
            print(
                f"{name:<22} {c:>5} {statistics.median(r.rps for r in rs):>8.0f} "
                f"{statistics.median(r.p50_ms for r in rs):>8.2f} "
                f"{statistics.median(r.p99_ms for r in rs):>8.2f} "
                f"{statistics.median(ratios[name, c]):>8.2f} {min(ratios[name, c]):>6.2f} "
                f"{sum(r.non_2xx for r in rs):>8}  {'; '.join(r.errors for r in rs if r.errors)}"
            )
        print(f"{'':<22} load average (1 min) {loads[c][0]:.1f} at start, {loads[c][1]:.1f} at end")
    for name, (spool, db) in stores.items():
        stored, distinct, spooled = stored_events(db, spool)
        acked = sum(r.acked for (n, _), rs in runs.items() if n == name for r in rs)
        print(f"\n{name}: events acknowledged (2xx counted): {acked}")
        print(f"{'':<22} events in the spool:               {spooled}")
        print(f"{'':<22} events stored (collected_events):  {stored} ({distinct} distinct ids)")
        print(
            f"{'':<22} stored - acknowledged:             {stored - acked} "
            f"(at most {sum(levels) * rounds} in flight when a generator stopped)"
        )


def kill_check(
    gen: Generator, work: Path, seconds: float, connections: int, fsync: str, run: int
) -> None:
    spool, db = work / f"kill-spool-{fsync}-{run}", work / f"kill-{fsync}-{run}.duckdb"
    port = free_port()
    proc = start(COLLECTOR, port, SPOOL=str(spool), DB=str(db), FSYNC=fsync)
    result: list[LoadResult] = []
    runner = threading.Thread(
        target=lambda: result.append(
            gen.run(f"http://127.0.0.1:{port}/api/event", seconds, connections)
        )
    )
    runner.start()
    time.sleep(seconds / 2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    runner.join()
    restarted = start(COLLECTOR, port, SPOOL=str(spool), DB=str(db), FSYNC=fsync)  # seals, loads
    stop(restarted)
    stored, distinct, spooled = stored_events(db, spool)
    acked = result[0].acked if result else 0
    lost = max(0, acked - stored)
    print(
        f"\nSIGKILL #{run} (spool_fsync={fsync}) after {seconds / 2:g} s of {seconds:g} s at "
        f"{connections} connections, load average {_load():.1f}:"
    )
    print(f"  acknowledged {acked}, stored {stored} ({distinct} distinct), spool lines {spooled}")
    print(
        f"  acknowledged but not stored: at least {lost}; duplicates: {stored - distinct} "
        f"-> {'OK' if lost == 0 and stored == distinct else 'FAILED'}"
    )


def soak(gen: Generator, work: Path, minutes: float, connections: int) -> None:
    spool, db = work / "soak-spool", work / "soak.duckdb"
    port = free_port()
    proc = start(COLLECTOR, port, SPOOL=str(spool), DB=str(db), FSYNC="interval")
    rss: list[tuple[float, float, float]] = []  # (seconds since start, RSS, anon MB), 0.5 s
    runs: list[tuple[float, LoadResult, float]] = []  # (end, 10-s load run, load average)
    stop_at = time.monotonic() + minutes * 60
    began = time.monotonic()
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss.append((time.monotonic() - began, rss_mb(proc.pid), rss_mb(proc.pid, "RssAnon")))
            done.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        while stop_at - time.monotonic() >= 1:
            result = gen.run(
                f"http://127.0.0.1:{port}/api/event",
                min(10.0, stop_at - time.monotonic()),
                connections,
            )
            runs.append((time.monotonic() - began, result, _load()))
    finally:
        done.set()
        sampler.join()
        stop(proc)
    stored, distinct, _ = stored_events(db, spool)
    acked = sum(r.acked for _, r, _ in runs)
    last = max(0, math.ceil(minutes) - 1)

    def minute(at: float) -> int:
        return min(last, int(at // 60))

    print(
        f"\nsoak: {minutes:g} min at {connections} connections, collector with "
        "spool_fsync=interval and the loader every 2 s; RSS sampled every 0.5 s (the lowest "
        "is the memory kept between loads, the highest includes a load's working memory)"
    )
    print(
        f"{'minute':>6} {'req/s':>8} {'p99 ms':>8} {'RSS low':>8} {'RSS high':>9} "
        f"{'anon low':>9} {'anon high':>10} {'load':>6}"
    )
    for m in range(last + 1):
        rs = [r for at, r, _ in runs if minute(at - 0.001) == m]
        mbs = [mb for at, mb, _ in rss if minute(at) == m]
        anon = [mb for at, _, mb in rss if minute(at) == m]
        loads = [la for at, _, la in runs if minute(at - 0.001) == m]
        if not rs or not mbs:
            continue
        print(
            f"{m + 1:>6} {statistics.mean(r.rps for r in rs):>8.0f} "
            f"{max(r.p99_ms for r in rs):>8.1f} {min(mbs):>8.0f} {max(mbs):>9.0f} "
            f"{min(anon):>9.0f} {max(anon):>10.0f} "
            f"{max(loads):>6.1f}"
        )
    mbs = [mb for _, mb, _ in rss]
    print(f"  collector RSS MB: start {mbs[0]:.0f}, max {max(mbs):.0f}, end {mbs[-1]:.0f}")
    print("  (anon: the heap, RssAnon; the rest is mapped files such as DuckDB's library)")
    print(f"  acknowledged {acked}, stored {stored} ({distinct} distinct)")


# -- spool loads into a large warehouse ------------------------------------------------------

_KEYS: Final = (
    ("visits", "visit_id"),
    ("identities", "kind, value"),
    ("conversions", "conversion_id"),
    ("people", "person_id"),
)
"""The primary keys the four tables had before they became ``UNINDEXED_KEYS``."""

_PERSON_LINKS: Final = 50
"""Tracked links made for a person (``bench-L<k>`` → the k-th person) added to the warehouse:
clicks and visits through them add visitor identities."""


def spool_events(seed: int, n: int, start: float, visitors: int = 20_000) -> list[dict[str, str]]:
    """``n`` collector events as a busy site spools them in a few seconds from ``start`` (a
    POSIX time): 75 % pageviews (one in ten through a link made for a person), 10 % clicks
    through such a link, 8 % orders and leads (some in EUR), 2 % signups, 5 % a pageview that
    arrives late (two hours back: its visitor's visits are rebuilt). Visitors come from a pool
    of ``visitors``, so later loads extend earlier visits."""
    import datetime as dt
    import random

    rng = random.Random(seed)
    out: list[dict[str, str]] = []
    for i in range(n):
        at = start + i * 0.05
        r = rng.random()
        link = f"bench-L{rng.randrange(_PERSON_LINKS)}"
        e: dict[str, str] = {
            "event_id": f"s{seed}-{i}",
            "kind": "pageview",
            "site": "shop.example",
            "visitor_id": f"bv{rng.randrange(visitors):05d}",
            "url": f"https://shop.example/p/{rng.randrange(300)}",
        }
        if r < 0.75:
            if rng.random() < 0.1:
                e["link_code"] = link
                e["url"] += f"?gw={link}"
            elif rng.random() < 0.3:
                e["referrer"] = rng.choice(("https://www.google.com/", "https://t.co/x"))
        elif r < 0.85:
            e.update(kind="click", link_code=link, url=f"https://shop.example/?gw={link}")
        elif r < 0.93:
            e.update(
                kind="event", name=rng.choice(("order", "lead")), value=f"{rng.uniform(5, 200):.2f}"
            )
            if rng.random() < 0.2:
                e["currency"] = "EUR"
        elif r < 0.95:
            e.update(kind="event", name="signup")
        else:
            at -= 7200
        e["occurred_at"] = dt.datetime.fromtimestamp(at, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
        out.append(e)
    return out


def _write_segment(folder: Path, events: list[dict[str, str]], n: int) -> None:
    import json

    folder.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in events)
    (folder / f"events-{n:012d}T000000000000000-1.jsonl").write_text(text)


def _fingerprint(db: Path) -> dict[str, tuple[int, int]]:
    """Rows and an order-free hash of each table a spool load writes."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        out = {}
        for name in ("collected_events", "visits", "visit_channels", "conversions",
                     "link_clicks", "identities", "people"):  # fmt: skip
            row = con.execute(f"SELECT count(*), sum(hash(t)) FROM {name} AS t").fetchone()
            out[name] = (int(row[0]), int(row[1] or 0)) if row else (0, 0)
    return out


def spool_load_bench(source: Path, work: Path, sizes: list[int], rounds: int, history: int) -> None:
    """ms per spool load of ``sizes`` events into two copies of ``source`` (never written):
    as it is (visits, identities, conversions, people without a primary key) and with those
    keys added back, loads alternating between the two; same events, same results."""
    import duckdb

    from goodwill.warehouse import Warehouse
    from goodwill.web.loader import load_spool

    base = work / "spool-base.duckdb"
    shutil.copyfile(source, base)
    with duckdb.connect(str(base)) as con:
        end = con.execute("SELECT max(started_at) FROM visits").fetchone()
        first = f"SELECT person_id FROM people ORDER BY person_id LIMIT {_PERSON_LINKS}"
        people = [r[0] for r in con.execute(first).fetchall()]
        con.executemany(
            "INSERT INTO links (code, destination_url, person_ref) VALUES (?, ?, ?)",
            [(f"bench-L{k}", "https://shop.example/", p) for k, p in enumerate(people)],
        )
    start = (end[0].timestamp() if end and end[0] else time.time()) + 86400
    t = time.perf_counter()
    with Warehouse.open(base) as wh:  # the collector's own history before the timed loads
        for k in range(0, history, 5000):
            _write_segment(work / "history", spool_events(10_000 + k, 5000, start), k)
            start += 5000 * 0.05 + 1
        load_spool(wh, work / "history")
    print(f"history: {history:,} collector events loaded in {time.perf_counter() - t:.1f} s")
    copies = {
        "no keys (now)": work / "spool-nokeys.duckdb",
        "keys kept": work / "spool-keyed.duckdb",
    }
    for db in copies.values():
        shutil.copyfile(base, db)
    with duckdb.connect(str(copies["keys kept"])) as con:
        for name, key in _KEYS:
            con.execute(f"ALTER TABLE {name} ADD PRIMARY KEY ({key})")
    base.unlink()
    with duckdb.connect(str(source), read_only=True) as con:
        sizes_line = ", ".join(
            f"{name} {con.execute(f'SELECT count(*) FROM {name}').fetchone()[0]:,}"  # type: ignore[index]
            for name in ("visits", "identities", "conversions", "people")
        )
    print(f"warehouse {source.name}: {sizes_line}; load average {_load():.1f}")
    times: dict[tuple[int, str], list[float]] = {}
    cpu: dict[tuple[int, str], list[float]] = {}  # the process's CPU: DuckDB's threads too
    whs = {label: Warehouse.open(db) for label, db in copies.items()}
    try:
        seq = 0
        for r in range(rounds):
            for n in sizes:
                events = spool_events(seq, n, start)
                start += n * 0.05 + 1
                labels = list(whs) if (r + seq) % 2 == 0 else list(whs)[::-1]
                for label in labels:
                    folder = work / f"spool-{label.split()[0]}"
                    _write_segment(folder, events, 10**9 + seq)
                    t, c = time.perf_counter(), time.process_time()
                    load_spool(whs[label], folder)
                    times.setdefault((n, label), []).append((time.perf_counter() - t) * 1000)
                    cpu.setdefault((n, label), []).append((time.process_time() - c) * 1000)
                seq += 1
    finally:
        for wh in whs.values():
            wh.close()
    print(f"\n{'events per load':<16} {'no keys (now) ms':>30} {'keys kept ms':>30} {'ratio':>7}")
    print(f"{'':<16} {'wall, p90 (CPU)':>30} {'wall, p90 (CPU)':>30} {'wall':>7}")

    def cell(n: int, label: str) -> str:
        v, c = times[(n, label)], cpu[(n, label)]
        p90 = sorted(v)[int(0.9 * (len(v) - 1))]
        return f"{statistics.median(v):8.1f}, {p90:8.1f} ({statistics.median(c):7.1f})"

    for n in sizes:
        a, b = times[(n, "no keys (now)")], times[(n, "keys kept")]
        ratio = statistics.median(a) / statistics.median(b)
        print(f"{n:<16,} {cell(n, 'no keys (now)'):>30} {cell(n, 'keys kept'):>30} {ratio:6.2f}x")
    prints = _fingerprint(copies["no keys (now)"])
    same = prints == _fingerprint(copies["keys kept"])
    digest = hashlib.sha256(repr(sorted(prints.items())).encode()).hexdigest()[:16]
    print(
        f"{rounds} loads per cell, alternating; same tables after: {'yes' if same else 'NO'} "
        f"(digest {digest}: equal across runs of the same arguments when the loads write the "
        f"same rows); load average {_load():.1f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2, help="seconds per load run")
    ap.add_argument("--rounds", type=int, default=7, help="rounds per concurrency")
    ap.add_argument("--connections", default="8,32,128", help="comma-separated levels")
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    ap.add_argument("--kill", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--kills", type=int, default=2, help="SIGKILL runs, default durability")
    ap.add_argument("--soak-minutes", type=float, default=0)
    ap.add_argument("--soak-connections", type=int, default=32)
    ap.add_argument(
        "--only-soak", action="store_true", help="skip the comparison and the SIGKILL check"
    )
    ap.add_argument(
        "--spool-load",
        type=Path,
        metavar="WAREHOUSE",
        help="only time spool loads into copies of WAREHOUSE (with and without its old keys)",
    )
    ap.add_argument("--spool-sizes", default="100,1000", help="events per timed spool load")
    ap.add_argument("--spool-rounds", type=int, default=15, help="timed loads per size")
    ap.add_argument("--spool-history", type=int, default=100_000, help="events loaded first")
    ap.add_argument("--workdir", type=Path, default=None, help="for --spool-load's copies")
    args = ap.parse_args()
    if args.spool_load is not None:
        work = Path(tempfile.mkdtemp(prefix="goodwill-spool-", dir=args.workdir))
        try:
            sizes = [int(n) for n in args.spool_sizes.split(",") if n.strip()]
            spool_load_bench(args.spool_load, work, sizes, args.spool_rounds, args.spool_history)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    kind = args.generator
    if kind == "auto":
        kind = "wrk" if shutil.which("wrk") else "python"
    if kind == "wrk" and shutil.which("wrk") is None:
        sys.exit("wrk not found: apt-get install -y wrk, or --generator python")
    levels = [int(c) for c in args.connections.split(",") if c.strip()]
    work = Path(tempfile.mkdtemp(prefix="goodwill-bench-"))
    gen = Generator(kind, work, args.threads)
    try:
        if not args.only_soak:
            compare(gen, work, args.seconds, levels, args.rounds)
        if args.kill and not args.only_soak:
            for run in range(1, args.kills + 1):
                kill_check(gen, work, max(args.seconds, 6), 32, "interval", run)
            kill_check(gen, work, max(args.seconds, 6), 32, "always", 1)
        if args.soak_minutes > 0:
            soak(gen, work, args.soak_minutes, args.soak_connections)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
