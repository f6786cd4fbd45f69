"""Tables without JavaScript and charts with hover: every table sorts, searches and pages on
the server (``?t=<table>&sort=<column>&desc=1&q=<words>&start=<row>``, over every row, not
only the rows the page shows), its CSV has every row, the API states its period, Traffic has
landing pages and devices, People tiers over time, and each chart answers a hover."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest
from dashboard_server import PASSWORD, USER, Demo, Server

from goodwill.web.dashboard.page_models import TableView, table, table_view
from goodwill.web.dashboard.pages_channels import device_of
from goodwill.web.dashboard.routes import csv_response

CHROMIUM = Path("/usr/bin/chromium")


def _get(server: Server, path: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {server.demo.token}"}
    r = httpx.get(server.url + path, headers=headers, timeout=300)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    return r


class _Cells(HTMLParser):
    """``data-v`` of each column of one table, the caption and the pager links."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.inside, self.caption = table_id, False, ""
        self.cells: dict[str, list[str]] = {}
        self.links: list[str] = []
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.inside = a.get("id") == self.table_id
        elif self.inside and tag == "td" and a.get("data-col"):
            self.cells.setdefault(str(a["data-col"]), []).append(a.get("data-v") or "")
        elif self.inside and tag == "caption":
            self._in_caption = True
        elif tag == "a" and a.get("href", "").endswith("#" + self.table_id):
            self.links.append(str(a["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
        if tag == "table":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.caption += data


def _table(html: str, name: str) -> _Cells:
    parsed = _Cells(f"table-{name}")
    parsed.feed(html)
    return parsed


def test_a_table_view_sorts_searches_and_pages_over_every_row() -> None:
    frame = pd.DataFrame(
        {
            "name": [f"person {i:02d}" for i in range(30)],
            "score": [float((i * 7) % 30) for i in range(30)],
            "platform": ["x" if i % 3 else "bluesky" for i in range(30)],
        }
    )
    t = table("roster", "People", frame, limit=5, links={"name": lambda r: f"/p/{r['name']}"})
    assert len(t.rows) == 5 and t.total_rows == 30
    assert len(t.all_rows()) == 30  # the CSV's rows
    top = t.view(TableView(sort="score", desc=True))
    assert [r["score"] for r in top.rows] == [29.0, 28.0, 27.0, 26.0, 25.0]
    assert top.hrefs[0]["name"] == f"/p/{top.rows[0]['name']}"  # links follow their rows
    found = t.view(TableView(q="BLUESKY person 1"))  # every word, any case, any column
    texts = [" ".join(str(v) for v in r.values()) for r in frame.to_dict("records")]
    expected = [x for x in texts if "bluesky" in x and "person" in x and "1" in x]
    assert found.matching == len(expected) == 7 and len(found.rows) == 5  # the display limit
    assert all(r["platform"] == "bluesky" for r in found.rows)
    later = t.view(TableView(sort="name", start=25))
    assert [r["name"] for r in later.rows] == [f"person {i}" for i in range(25, 30)]
    assert table_view({"t": "roster", "sort": "score", "desc": "1", "start": "x"}) == (
        "roster",
        TableView(sort="score", desc=True, start=0),
    )
    lines = list(csv.reader(io.StringIO(csv_response(t, "roster.csv").body.decode())))
    assert len(lines) == 31 and lines[0] == ["name", "score", "platform"]


def test_devices_from_user_agents() -> None:
    iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"
    ipad = "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15"
    assert device_of(iphone) == "mobile"
    assert device_of(ipad) == "tablet"
    assert device_of("Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36") == "mobile"
    assert device_of("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0") == "desktop"
    assert device_of(None) == device_of("  ") == "unknown"


def test_the_server_sorts_and_searches_a_page_table(server: Server, demo: Demo) -> None:
    html = _get(server, "/people?month=2026-10&t=roster&sort=score&desc=1").text
    roster = _table(html, "roster")
    scores = [float(v) for v in roster.cells["score"]]
    assert len(scores) == demo.expected["roster_size"] > 5
    assert scores == sorted(scores, reverse=True)
    assert "sorted by score, largest first" in roster.caption
    name = demo.expected["top_names"][0]
    word = name.split()[0]
    found = _table(_get(server, f"/people?month=2026-10&t=roster&q={word}").text, "roster")
    assert 0 < len(found.cells["name"]) < len(scores)
    assert all(word.lower() in n.lower() for n in found.cells["name"])
    # other tables of the page are not narrowed; filters still apply to the view's links
    assert any("month=2026-10" in link and "t=roster" in link for link in found.links)
    api = _get(server, "/api/people?month=2026-10").json()
    assert api["period"]["since"] == "2026-10-01" and api["period"]["chosen"] is False
    default = _get(server, "/api/listening").json()["period"]
    assert default["since"] == demo.expected["default_month"].isoformat()
    assert default["statement"].startswith(demo.expected["default_month"].strftime("%B %Y"))


def test_traffic_and_people_have_their_charts_with_hover(server: Server) -> None:
    traffic = _get(server, "/traffic").text
    for title in ("Top ", "Visits by device", "Visits by channel", "Visits by month"):
        assert title in traffic
    devices = _table(traffic, "devices").cells
    assert devices["device"] and set(devices["device"]) <= {
        "mobile",
        "tablet",
        "desktop",
        "unknown",
    }
    assert "goodwill keeps no IP address" in traffic  # why there are no countries
    people = _get(server, "/people").text
    assert "People per tier at each month" in people
    for page in ("/", "/people", "/audience", "/listening", "/care", "/traffic", "/money"):
        html = _get(server, page).text
        charts = re.findall(r'<figure class="chart-box">(.*?)</figure>', html, re.S)
        assert charts, page
        for svg in charts:  # every chart has its hover bands, each with words
            assert re.search(r'<g class="hover">\s*<rect[^>]*>\s*<title>[^<]+</title>', svg), page


browser_only = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (make test installs it)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Module-scoped: a live sync Playwright keeps an asyncio loop running in this thread."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        yield b
        b.close()


def _signed_in(browser: Any, server: Server, *, javascript: bool) -> Any:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        base_url=server.url,
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.set_default_timeout(300_000)  # as httpx here: bounds a wait on a loaded machine
    page.goto("/login")
    page.fill("input[name=username]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    return page


@browser_only
def test_without_javascript_headings_sort_and_the_form_searches(
    browser: Any, server: Server, demo: Demo
) -> None:
    page = _signed_in(browser, server, javascript=False)
    page.goto("/people?month=2026-10")
    head = page.locator("#table-roster th[data-col=score] a.sort-link")
    head.click()  # ascending
    page.wait_for_url(re.compile(r"sort=score"))
    page.locator("#table-roster th[data-col=score] a.sort-link").click()  # then descending
    page.wait_for_url(re.compile(r"desc=1"))
    values = page.locator("#table-roster td[data-col=score]").evaluate_all(
        "cells => cells.map(c => parseFloat(c.getAttribute('data-v')))"
    )
    assert len(values) == demo.expected["roster_size"]
    assert values == sorted(values, reverse=True)
    word = demo.expected["top_names"][0].split()[0]
    box = page.locator(".table-box", has=page.locator("#table-roster"))
    box.locator("input[name=q]").fill(word)
    box.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q="))
    names = page.locator("#table-roster td[data-col=name]").all_inner_texts()
    assert names and all(word.lower() in n.lower() for n in names)
    assert "month=2026-10" in page.url  # the filters are kept
    page.context.close()


@browser_only
def test_a_chart_shows_its_values_on_hover(browser: Any, server: Server) -> None:
    page = _signed_in(browser, server, javascript=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path, title in (("/traffic", "Visits by device"), ("/people", "People per tier")):
        page.goto(path)
        box = page.locator("figure.chart-box", has=page.locator(f"svg[aria-label^='{title}']"))
        band = box.locator(".hover rect").first
        band.hover()
        tip = box.locator(".chart-tip")
        tip.wait_for(state="visible")
        expected = band.locator("title").text_content()
        assert expected and tip.inner_text() == expected
        page.mouse.move(0, 0)
        tip.wait_for(state="hidden")
    assert errors == []  # no CSP violation (no inline script), no script error
    page.context.close()
