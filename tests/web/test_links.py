"""Tracked links over real HTTP: redirect with UTM, click recorded, person tied to visit/lead."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import duckdb
import httpx
from typer.testing import CliRunner
from web_server import BROWSER_UA, SITE, Server

from goodwill.cli import app

H = {"user-agent": BROWSER_UA}


def test_links_create_redirect_click_and_person(make_server: Server) -> None:
    runner = CliRunner()
    made = runner.invoke(
        app,
        [
            "links",
            "create",
            "https://shop.example/thanks?ref=x",
            "--db",
            str(make_server.db),
            "--platform",
            "Mastodon",
            "--campaign",
            "spring",
            "--person",
            "p-ann",
            "--code",
            "ann1",
        ],
    )
    assert made.exit_code == 0, made.output
    assert made.output.strip() == "ann1"
    again = runner.invoke(
        app,
        ["links", "create", "https://shop.example/", "--db", str(make_server.db), "--code", "ann1"],
    )
    assert again.exit_code == 2 and "already used" in again.output
    bad = runner.invoke(app, ["links", "create", "shop.example", "--db", str(make_server.db)])
    assert bad.exit_code == 2 and "http(s) URL" in bad.output

    make_server.start()
    url = make_server.url
    r = httpx.get(url + "/r/ann1", headers={**H, "referer": "https://mastodon.social/@shop"})
    assert r.status_code == 302
    location = r.headers["location"]
    parts = urlsplit(location)
    assert (parts.netloc, parts.path) == ("shop.example", "/thanks")
    assert parse_qs(parts.query) == {
        "ref": ["x"],
        "utm_source": ["mastodon"],
        "utm_medium": ["social"],
        "utm_campaign": ["spring"],
        "utm_content": ["ann1"],
        "gwl": ["ann1"],
    }
    # a preview fetcher is redirected but its fetch is not a click
    preview = httpx.get(url + "/r/ann1", headers={"user-agent": "Mastodon/4.3 (+https://m.s/)"})
    assert preview.status_code == 302
    missing = httpx.get(url + "/r/nosuch", headers=H)
    assert missing.status_code == 404 and "Link not found" in missing.text
    assert missing.headers["content-type"].startswith("text/html")
    # the landing page's snippet reports the visit, then a lead follows
    pv = httpx.post(
        url + "/api/event",
        json={"site": SITE, "url": location, "referrer": "https://mastodon.social/@shop"},
        headers=H,
    )
    assert pv.status_code == 202
    lead = httpx.post(
        url + "/api/event", json={"site": SITE, "kind": "event", "name": "lead"}, headers=H
    )
    assert lead.status_code == 202
    make_server.stop()

    con = duckdb.connect(str(make_server.db), read_only=True)
    try:
        clicks = con.execute("SELECT code, person_ref, referrer FROM link_clicks").fetchall()
        assert clicks == [("ann1", "p-ann", "https://mastodon.social/@shop")]
        visit = con.execute(
            "SELECT v.link_code, c.channel, c.source, i.person_ref FROM visits v "
            "JOIN visit_channels c USING (visit_id) "
            "JOIN identities i ON i.kind = 'visitor' AND i.value = v.visitor_id"
        ).fetchall()
        assert visit == [("ann1", "social", "mastodon", "p-ann")]
        lead_person = con.execute(
            "SELECT i.person_ref FROM conversions c "
            "JOIN identities i ON i.kind = 'visitor' AND i.value = c.visitor_id"
        ).fetchall()
        assert lead_person == [("p-ann",)]
    finally:
        con.close()
    listed = runner.invoke(app, ["links", "list", "--db", str(make_server.db), "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert '"clicks": 1' in listed.output
