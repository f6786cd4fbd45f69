"""The collector over real HTTP: snippet, events, pixel, rejections, bots, and the loader."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import httpx
import pytest
from web_server import BROWSER_UA, SITE, Server

H = {"user-agent": BROWSER_UA}
T = TypeVar("T")


def query(server: Server, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(server.db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_snippet_is_small_javascript_without_cookies(server: Server) -> None:
    r = httpx.get(server.url + "/goodwill.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/javascript")
    assert len(r.content) < 2048
    assert "cookie" not in r.text.lower() and "localStorage" not in r.text
    assert "/api/event" in r.text and "sendBeacon" in r.text
    assert "set-cookie" not in r.headers


def test_events_pixel_and_rejections_over_http(server: Server) -> None:
    url = server.url
    pv = httpx.post(
        url + "/api/event",
        json={
            "site": SITE,
            "kind": "pageview",
            "url": "https://shop.example/?utm_source=ig",
            "referrer": None,
        },
        headers=H,
    )
    assert pv.status_code == 202 and pv.json()["stored"] is True
    lead = httpx.post(
        url + "/api/event",
        json={"site": "WWW.Shop.Example", "kind": "event", "name": "lead", "email": "Ann@X.org"},
        headers=H,
    )
    assert lead.status_code == 202
    px = httpx.get(
        url + "/p.gif",
        params={"s": SITE, "u": "https://shop.example/about", "r": "https://bsky.app/profile/a"},
        headers=H,
    )
    assert px.status_code == 200 and px.content.startswith(b"GIF89a")
    assert px.headers["content-type"] == "image/gif"
    # rejections: 4xx with a reason, counted
    assert httpx.post(url + "/api/event", content=b"{not json", headers=H).status_code == 400
    assert httpx.post(url + "/api/event", json=[1, 2], headers=H).status_code == 400
    assert (
        httpx.post(url + "/api/event", json={"site": SITE, "url": 5}, headers=H).status_code == 400
    )
    assert (
        httpx.post(url + "/api/event", json={"site": SITE, "kind": "event"}, headers=H).status_code
        == 400
    )
    unknown = httpx.post(url + "/api/event", json={"site": "other.example"}, headers=H)
    assert unknown.status_code == 403 and unknown.json()["reason"] == "unknown_site"
    big = httpx.post(url + "/api/event", content=b'{"site":"' + b"x" * 9000 + b'"}', headers=H)
    assert big.status_code == 413
    assert httpx.get(url + "/p.gif", params={"s": "other.example"}, headers=H).status_code == 403
    # bots are answered but not stored
    bot = httpx.post(
        url + "/api/event",
        json={"site": SITE},
        headers={"user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"},
    )
    assert bot.status_code == 202 and bot.json()["stored"] is False
    counters = httpx.get(url + "/api/stats").json()["counters"]
    assert counters["accepted"] == 3
    assert counters["rejected:bad_json"] == 3
    assert counters["rejected:bad_kind"] == 1
    assert counters["rejected:unknown_site"] == 2
    assert counters["rejected:too_large"] == 1
    assert counters["dropped:bot"] == 1
    server.stop()  # SIGTERM: the final load runs at shutdown
    rows = query(server, "SELECT kind, name, site, email FROM collected_events ORDER BY kind")
    assert rows == [
        ("event", "lead", SITE, "ann@x.org"),
        ("pageview", None, SITE, None),
        ("pageview", None, SITE, None),
    ]
    visits = query(
        server,
        "SELECT v.pageviews, c.channel, c.source FROM visits v JOIN visit_channels c "
        "USING (visit_id)",
    )
    # one visitor (same IP and UA), two pageviews within 30 minutes: one visit, first page wins
    assert visits == [(2, "social", "instagram")]
    conv = query(server, "SELECT kind, email, value_reporting FROM conversions")
    assert conv == [("lead", "ann@x.org", 0)]
    ids = query(server, "SELECT DISTINCT visitor_id FROM collected_events")
    assert len(ids) == 1 and len(str(ids[0][0])) == 16
    raw = b"".join(p.read_bytes() for p in server.spool.rglob("events-*"))
    assert b"127.0.0.1" not in raw  # the raw IP is never written


def wait_for(what: str, check: Callable[[], T | None], timeout: float = 60) -> T:
    """Poll ``check`` until it returns something truthy (a condition, never a fixed time)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_events_wait_in_the_spool_while_another_process_holds_the_warehouse(
    make_server: Server,
) -> None:
    from goodwill.errors import WarehouseError
    from goodwill.warehouse import Warehouse

    make_server.load_interval = 0.2
    make_server.start()
    url = make_server.url

    def open_when_free() -> Warehouse | None:
        try:  # the server's loader holds the file while it loads: take it between two loads
            return Warehouse.open(make_server.db)
        except WarehouseError:
            return None

    def stats() -> dict[str, Any]:
        data: dict[str, Any] = httpx.get(url + "/api/stats").json()
        return data

    busy = wait_for("the warehouse to be free", open_when_free)  # like a long `goodwill import`
    try:
        busy_before = stats()["counters"].get("loader:busy", 0)
        for n in range(5):
            r = httpx.post(
                url + "/api/event",
                json={"site": SITE, "url": f"https://shop.example/{n}"},
                headers=H,
            )
            assert r.status_code == 202  # acknowledged although the warehouse is locked
        # two loads found the warehouse busy after the events were acknowledged
        wait_for(
            "two busy loads",
            lambda: stats()["counters"].get("loader:busy", 0) >= busy_before + 2,
        )
        assert busy.count("collected_events") == 0
        assert "events wait in the spool" in stats()["problems"][0]
    finally:
        busy.close()
    wait_for("the 5 events to be loaded", lambda: stats()["loader"].get("total_new", 0) == 5)
    assert stats()["problems"] == []
    make_server.stop()
    assert query(make_server, "SELECT count(*), sum(pageviews) FROM visits") == [(1, 5)]


NODE_HARNESS = """
const [api, code] = [process.argv[2], process.argv[3]];
const sent = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (url, init) => { const p = realFetch(url, init); sent.push(p); return p; };
globalThis.window = globalThis;
globalThis.location = {href: "https://shop.example/?utm_source=fb", hostname: "shop.example"};
globalThis.document = {referrer: "https://t.co/xyz", cookie: "",
  currentScript: {src: api + "/goodwill.js", getAttribute: (n) => null}};
Object.defineProperty(globalThis, "navigator", {value: {}, configurable: true});
eval(code);
window.goodwill("lead", {email: "Zoe@Example.org", value: 12.5});
Promise.all(sent).then((rs) => { console.log(rs.map((r) => r.status).join(",")); });
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_snippet_runs_and_reports_pageview_and_lead(server: Server, tmp_path: Path) -> None:
    """The served snippet, run by node with a minimal page, calls the collector."""
    code = httpx.get(server.url + "/goodwill.js").text
    harness = tmp_path / "harness.js"
    harness.write_text(NODE_HARNESS)
    out = subprocess.run(
        ["node", str(harness), server.url, code],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert out.stdout.strip() == "202,202"
    server.stop()
    rows = query(server, "SELECT kind, name, url, referrer, value, email FROM collected_events")
    assert sorted(rows, key=str) == sorted(
        [
            (
                "pageview",
                None,
                "https://shop.example/?utm_source=fb",
                "https://t.co/xyz",
                None,
                None,
            ),
            (
                "event",
                "lead",
                "https://shop.example/?utm_source=fb",
                "https://t.co/xyz",
                Decimal("12.5"),
                "zoe@example.org",
            ),
        ],
        key=str,
    )
