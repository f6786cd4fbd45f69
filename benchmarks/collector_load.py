"""Load benchmark of the collector: wrk (Debian package ``wrk``) against 127.0.0.1 only.

Drives, one after the other and for ``--seconds`` each, with the same wrk settings:

1. a bare uvicorn "hello" endpoint (a plain ASGI app answering ``POST /`` with 202 and a tiny
   JSON body) — the ceiling of uvicorn on this machine;
2. the same hello endpoint as a FastAPI route — the framework's share;
3. goodwill's collector ``POST /api/event`` (JSON pageview, fsync'd spool with group commit)
   without a warehouse (spool only);
4. the same with the background loader moving the spool into a DuckDB warehouse every 2 s
   (the configuration ``goodwill serve`` runs).

It then stops the collector (SIGTERM: its final load runs), loads the spool once more and
prints requests/s, p50/p99 latency and events acknowledged (2xx answers wrk counted) against
events stored (rows in ``collected_events``) side by side. Stored may exceed acknowledged by at
most the requests in flight when wrk stops (wrk does not count those answers).

    .venv/bin/python benchmarks/collector_load.py --seconds 10 --connections 32
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

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
                "headers": [(b"content-type", b"application/json")]})
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
from goodwill.web.app import create_app
db = None if DB == "" else Path(DB)
app = create_app(spool_dir=Path(SPOOL), sites=["shop.example"], db=db, load_interval=2.0)
uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="warning", access_log=False)
"""

LUA = f"""
wrk.method = "POST"
wrk.body = '{BODY}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "{UA}"
"""


@dataclass
class WrkResult:
    requests: int
    non_2xx: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not m:
        return float("nan")
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def run_wrk(url: str, lua: Path, seconds: int, connections: int, threads: int) -> WrkResult:
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(lua),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    err = re.search(r"Socket errors: (.*)", out)
    return WrkResult(
        total, int(non.group(1)) if non else 0, rps, p50, p99, err.group(1) if err else ""
    )


def start(code: str, port: int, **names: str) -> subprocess.Popen[bytes]:
    src = code.replace("PORT", str(port))
    for k, v in names.items():
        src = src.replace(k, repr(v))
    proc = subprocess.Popen([sys.executable, "-c", src])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk not found: apt-get install -y wrk")
    work = Path(tempfile.mkdtemp(prefix="goodwill-bench-"))
    lua = work / "post.lua"
    lua.write_text(LUA)
    results: dict[str, WrkResult] = {}
    for name, code, path in (
        ("uvicorn hello (ASGI)", HELLO_ASGI, "/"),
        ("FastAPI hello", HELLO_FASTAPI, "/"),
    ):
        port = free_port()
        proc = start(code, port)
        try:
            results[name] = run_wrk(
                f"http://127.0.0.1:{port}{path}", lua, args.seconds, args.connections, args.threads
            )
        finally:
            stop(proc)
    port = free_port()
    proc = start(COLLECTOR, port, SPOOL=str(work / "spool-only"), DB="")
    try:
        results["collector, no loader"] = run_wrk(
            f"http://127.0.0.1:{port}/api/event", lua, args.seconds, args.connections, args.threads
        )
    finally:
        stop(proc)
    port = free_port()
    spool, db = work / "spool", work / "goodwill.duckdb"
    proc = start(COLLECTOR, port, SPOOL=str(spool), DB=str(db))
    try:
        results["collector + loader"] = run_wrk(
            f"http://127.0.0.1:{port}/api/event", lua, args.seconds, args.connections, args.threads
        )
    finally:
        stop(proc)
    from goodwill.warehouse import Warehouse
    from goodwill.web.loader import load_spool

    with Warehouse.open(db) as wh:
        load_spool(wh, spool)
        stored = int(wh.query("SELECT count(*) FROM collected_events")[0][0])
        distinct = int(wh.query("SELECT count(DISTINCT event_id) FROM collected_events")[0][0])
    spooled = sum(len(p.read_bytes().splitlines()) for p in spool.rglob("events-*"))

    base = results["uvicorn hello (ASGI)"].rps
    print(
        f"\nwrk -t{args.threads} -c{args.connections} -d{args.seconds}s on 127.0.0.1, "
        f"{os.cpu_count()} CPUs\n"
    )
    print(
        f"{'endpoint':<22} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8} "
        f"{'non-2xx':>8}  socket errors"
    )
    for name, r in results.items():
        print(
            f"{name:<22} {r.rps:>9.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} "
            f"{r.rps / base:>8.2f} {r.non_2xx:>8}  {r.errors}"
        )
    c = results["collector + loader"]
    acked = c.requests - c.non_2xx
    print(f"\nevents acknowledged (wrk counted 2xx): {acked}")
    print(f"events in the spool:                   {spooled}")
    print(f"events stored (collected_events):      {stored} ({distinct} distinct ids)")
    print(
        f"stored - acknowledged:                 {stored - acked} "
        f"(at most {args.connections} in flight at the end)"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
