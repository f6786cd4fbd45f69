"""Issue 19, item 4: the login backoff holds against a parallel burst, and a client cannot
rotate its address with ``X-Forwarded-For`` unless the server runs with ``--trust-proxy``."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from web_server import Server, free_port

from goodwill.warehouse import Warehouse
from goodwill.web.app import create_app
from goodwill.web.dashboard.auth import LoginLimiter
from goodwill.web.dashboard.users import add_user

CSRF = "reliability-csrf-token"


def _form(username: str, password: str) -> dict[str, str]:
    return {"username": username, "password": password, "csrf_token": CSRF, "next": "/"}


def test_a_parallel_burst_gets_only_the_allowed_guesses(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Warehouse.open(db) as wh:
        add_user(wh, "ann", "correct horse battery staple")
    app = create_app(spool_dir=tmp_path / "spool", sites=["shop.example"], db=db)

    async def burst() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", cookies={"gw_csrf": CSRF}
        ) as client:
            answers = await asyncio.gather(
                *(client.post("/login", data=_form("ann", f"guess {i}")) for i in range(30))
            )
        return [r.status_code for r in answers]

    codes = asyncio.run(burst())
    allowed = LoginLimiter().allowed
    assert codes.count(401) == allowed  # the password was checked 5 times, not 30
    assert codes.count(429) == 30 - allowed


def test_a_success_does_not_count_against_the_address() -> None:
    limiter = LoginLimiter()
    keys = ["user:ann", "ip:10.0.0.1"]
    for _ in range(limiter.allowed - 1):
        limiter.attempt(["user:bob", "ip:10.0.0.1"])
    wait, stamp = limiter.attempt(keys)
    assert wait == 0
    limiter.succeeded(keys, stamp)
    assert limiter.attempt(["user:cy", "ip:10.0.0.1"])[0] == 0  # the 5th failure: allowed
    assert limiter.attempt(["user:dee", "ip:10.0.0.1"])[0] > 0  # the 6th: refused


def _rotating_failures(server: Server) -> list[int]:
    codes = []
    with httpx.Client(base_url=server.url, cookies={"gw_csrf": CSRF}, timeout=30) as client:
        for i in range(LoginLimiter().allowed + 2):
            r = client.post(
                "/login",
                data=_form(f"nobody{i}", "wrong"),  # a new user name each time
                headers={"X-Forwarded-For": f"203.0.113.{i}"},  # and a new claimed address
            )
            codes.append(r.status_code)
    return codes


def test_forwarded_for_is_ignored_without_trust_proxy(make_server: Server) -> None:
    make_server.start()
    codes = _rotating_failures(make_server)
    allowed = LoginLimiter().allowed
    assert codes[:allowed] == [401] * allowed
    assert set(codes[allowed:]) == {429}  # one address: 127.0.0.1


def test_forwarded_for_is_honoured_with_trust_proxy(tmp_path: Path) -> None:
    server = Server(
        db=tmp_path / "w.duckdb",
        spool=tmp_path / "spool",
        port=free_port(),
        extra_args=("--trust-proxy",),
    )
    server.start()
    try:
        codes = _rotating_failures(server)
    finally:
        server.stop()
    assert set(codes) == {401}  # each claimed address is its own, as behind a real proxy
