"""Sign-in, sessions, API tokens, CSRF, login backoff, security headers and filters — over
the in-process app (no browser)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from dashboard_server import PASSWORD, USER, csrf_of, sign_in
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route
from typer.testing import CliRunner

from goodwill.cli import app as cli
from goodwill.warehouse import Warehouse
from goodwill.web.dashboard.auth import PUBLIC_PATHS, LoginLimiter, is_public
from goodwill.web.dashboard.users import (
    create_token,
    hash_password,
    revoke_token,
    verify_password,
)


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


def _all_routes(routes: list[Any]) -> list[Any]:
    """Every route, also those of included routers (FastAPI keeps them nested)."""
    out = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        out += _all_routes(list(inner.routes)) if inner is not None else [route]
    return out


def test_every_non_public_route_needs_sign_in(client: TestClient) -> None:
    checked = 0
    for route in _all_routes(client.app.routes):  # type: ignore[attr-defined]
        if isinstance(route, Mount):
            path, methods = route.path + "/dashboard.css", {"GET"}
        elif isinstance(route, APIRoute | Route):
            path, methods = _concrete(route.path), set(route.methods or {"GET"})
        else:
            continue
        if is_public(path):
            continue
        for method in methods - {"HEAD"}:
            r = client.request(method, path, follow_redirects=False)
            if path.startswith("/api/") or path == "/openapi.json":
                assert r.status_code == 401, (method, path, r.status_code)
                assert r.headers["www-authenticate"] == "Bearer"
            elif method == "GET":
                assert r.status_code == 303, (method, path, r.status_code)
                assert r.headers["location"].startswith("/login?next=")
            else:  # a POST without a session is refused before any CSRF check
                assert r.status_code == 303, (method, path, r.status_code)
            checked += 1
    assert checked >= 20  # every page, its API twin, the person page, /openapi.json


def test_public_allow_list_is_explicit_and_works_without_sign_in(client: TestClient) -> None:
    assert {"/goodwill.js", "/api/event", "/p.gif", "/login"} <= PUBLIC_PATHS
    assert client.get("/goodwill.js").status_code == 200
    # the collector answers for itself (here: no site referrer), never with a sign-in demand
    assert client.get("/p.gif").status_code not in (303, 401)
    event = client.post("/api/event", content=b"{}")
    assert event.status_code not in (303, 401) and "CSRF" not in event.text
    assert client.get("/login").status_code == 200
    assert client.get("/static/dashboard/dashboard.css").status_code == 200
    assert client.get("/r/nosuchcode", follow_redirects=False).status_code in (302, 404)
    assert is_public("/r/abc") and not is_public("/api/overview") and not is_public("/")


def test_sign_in_sets_a_hashed_http_only_session_and_sign_out_ends_it(
    client: TestClient, auth_db: Path
) -> None:
    assert client.get("/definitions", follow_redirects=False).status_code == 303
    sign_in(client)
    cookie = client.cookies.get("gw_session")
    assert cookie
    page = client.get("/definitions")
    assert page.status_code == 200 and "Scorecard headlines" in page.text
    with Warehouse.open(auth_db) as wh:
        stored = [r[0] for r in wh.query("SELECT session_hash FROM dashboard_sessions")]
    assert stored == [hashlib.sha256(cookie.encode()).hexdigest()]  # never the id itself
    r = client.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    client.cookies.set("gw_session", cookie)  # replaying the old cookie no longer works
    assert client.get("/definitions", follow_redirects=False).status_code == 303


def test_session_cookie_flags(auth_db: Path, tmp_path: Path) -> None:
    from goodwill.web.app import create_app

    app = create_app(
        spool_dir=tmp_path / "s2", sites=["shop.example"], db=auth_db, secure_cookies=True
    )
    with TestClient(app, base_url="https://testserver") as c:
        login = c.get("/login")
        assert "Strict-Transport-Security" in login.headers
        r = c.post(
            "/login",
            data={"username": USER, "password": PASSWORD, "csrf_token": csrf_of(login.text)},
            follow_redirects=False,
        )
        header = next(h for h in r.headers.get_list("set-cookie") if h.startswith("gw_session"))
        assert "HttpOnly" in header and "SameSite=lax" in header and "Secure" in header


def test_csrf_missing_or_wrong_token_is_403(client: TestClient) -> None:
    form = {"username": USER, "password": PASSWORD}
    client.get("/login")
    assert client.post("/login", data=form).status_code == 403
    assert client.post("/login", data={**form, "csrf_token": "wrong"}).status_code == 403
    assert client.cookies.get("gw_session") is None
    sign_in(client)
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert (
        client.post("/logout", data={"csrf_token": "x"}, follow_redirects=False).status_code == 403
    )
    assert client.get("/definitions", follow_redirects=False).status_code == 200  # still in


def test_wrong_passwords_are_slowed_down(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    for _ in range(5):
        r = client.post(
            "/login", data={"username": USER, "password": "nope nope nope", "csrf_token": token}
        )
        assert r.status_code == 401 and "Wrong user name or password" in r.text
    r = client.post("/login", data={"username": USER, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429 and "try again in" in r.text


def test_login_limiter_backs_off_exponentially() -> None:
    limiter = LoginLimiter()
    keys = ["user:a"]
    for i in range(5):
        assert limiter.retry_after(keys, now=100.0 + i) == 0
        limiter.failed(keys, now=100.0 + i)
    assert limiter.retry_after(keys, now=104.0) == pytest.approx(30.0)
    limiter.failed(keys, now=140.0)
    assert limiter.retry_after(keys, now=140.0) == pytest.approx(60.0)
    assert limiter.retry_after(keys, now=140.0 + 901) == 0  # the window has passed


def test_api_tokens_are_hashed_and_revocable(client: TestClient, auth_db: Path) -> None:
    with Warehouse.open(auth_db) as wh:
        token_id, token = create_token(wh, USER, "script")
        stored = wh.query("SELECT token_hash FROM dashboard_tokens")[0][0]
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    bearer = {"Authorization": f"Bearer {token}"}
    r = client.get("/api/definitions", headers=bearer)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {
        "page",
        "title",
        "filters",
        "period",
        "generated_at",
        "data",
        "definitions",
    }
    assert client.get("/openapi.json", headers=bearer).json()["components"]["schemas"][
        "PageResponse"
    ]
    wrong = {"Authorization": f"Bearer {token[:-2]}xx"}
    assert client.get("/api/definitions", headers=wrong).status_code == 401
    with Warehouse.open(auth_db) as wh:
        revoke_token(wh, token_id)
    assert client.get("/api/definitions", headers=bearer).status_code == 401


def test_security_headers_on_pages_and_collector(client: TestClient) -> None:
    for path in ("/login", "/goodwill.js"):
        h = client.get(path).headers
        csp = h["content-security-policy"]
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp
        assert h["x-content-type-options"] == "nosniff"
        assert h["x-frame-options"] == "DENY"
        assert h["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in client.get("/login").headers  # plain http


def test_bad_filters_are_400_with_what_is_valid(client: TestClient) -> None:
    sign_in(client)
    r = client.get("/api/audience?since=2026-13-01")
    assert r.status_code == 400 and "since='2026-13-01': not a date" in r.json()["detail"]
    r = client.get("/api/audience?platform=myspace")
    assert r.status_code == 400 and "not a platform" in r.json()["detail"]
    r = client.get("/audience?colour=red")
    assert r.status_code == 400 and "unknown parameter &#39;colour&#39;" in r.text
    r = client.get("/api/audience?since=2026-05-02&until=2026-05-01")
    assert r.status_code == 400 and "since must come first" in r.json()["detail"]
    r = client.get("/api/people?tier=vip")
    assert r.status_code == 400 and "champion" in r.json()["detail"]


def test_next_after_sign_in_stays_on_this_site(client: TestClient) -> None:
    for target, expected in (
        ("/care?since=2026-01-01", "/care?since=2026-01-01"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
    ):
        token = csrf_of(client.get("/login").text)  # a new token after each sign-in
        r = client.post(
            "/login",
            data={"username": USER, "password": PASSWORD, "csrf_token": token, "next": target},
            follow_redirects=False,
        )
        assert r.headers["location"] == expected


def test_password_hashes() -> None:
    stored = hash_password("a long passphrase", n=2**10)
    assert stored.startswith("scrypt$1024$8$1$")
    assert verify_password("a long passphrase", stored)
    assert not verify_password("a long passphrasE", stored)
    assert not verify_password("x", "md5$nonsense")
    assert hash_password("same", n=2**10) != hash_password("same", n=2**10)  # salted


def test_users_and_tokens_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "g.duckdb")
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--db", db]).exit_code == 0  # users add never creates
    add = runner.invoke(
        cli,
        ["users", "add", "Bob", "--db", db, "--password-stdin"],
        input="a long enough password\n",
    )
    assert add.exit_code == 0, add.output
    assert "user bob added" in add.output
    again = runner.invoke(
        cli,
        ["users", "add", "bob", "--db", db, "--password-stdin"],
        input="a long enough password\n",
    )
    assert again.exit_code == 2 and "exists" in again.output
    short = runner.invoke(
        cli, ["users", "add", "carol", "--db", db, "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 2 and "at least 10 characters" in short.output
    made = runner.invoke(cli, ["tokens", "create", "bob", "--db", db, "--name", "cron"])
    assert made.exit_code == 0 and "gw_" in made.output
    token_id = made.output.split()[1]
    listed = runner.invoke(cli, ["tokens", "list", "--db", db, "--format", "csv"])
    assert token_id in listed.output and "gw_" not in listed.output.replace(token_id, "")
    assert runner.invoke(cli, ["tokens", "revoke", token_id, "--db", db]).exit_code == 0
    users = runner.invoke(cli, ["users", "list", "--db", db, "--format", "csv"])
    assert "bob" in users.output
    assert runner.invoke(cli, ["users", "remove", "bob", "--db", db]).exit_code == 0
    gone = runner.invoke(cli, ["users", "remove", "bob", "--db", db])
    assert gone.exit_code == 2 and "no user 'bob'" in gone.output
