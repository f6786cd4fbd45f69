"""The dashboard in a real browser: headless Chromium (Debian's, never downloaded) against a
real ``goodwill serve`` on the demo warehouse. Screenshots of every page are saved under
``$GOODWILL_SCREENSHOTS`` (default: pytest's temporary folder, printed)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dashboard_server import HOSTILE_NAME, HOSTILE_TEXTS, PASSWORD, USER, Demo, Server

from goodwill.output import format_value
from goodwill.web.dashboard.page_models import plain_words

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
PAGES = (
    "/",
    "/people",
    "/audience",
    "/listening",
    "/care",
    "/traffic",
    "/money",
    "/definitions",
    "/items?metric=posts&since=2026-10-01&until=2026-10-31",
)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (make test installs it)"
)


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(
        os.environ.get("GOODWILL_SCREENSHOTS") or tmp_path_factory.getbasetemp() / "screenshots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Module-scoped: a live sync Playwright keeps an asyncio loop running in this thread,
    which later modules (other browsers, asyncio.run) must not find."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def page(browser: Any, server: Server) -> Iterator[Any]:
    """One signed-in tab; console errors (e.g. a CSP violation) are collected."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server.url)
    tab = context.new_page()
    tab.set_default_timeout(300_000)  # as httpx here: bounds a wait on a loaded machine
    tab.errors = []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.goto("/people?month=2026-10")
    assert "/login?next=" in tab.url
    tab.fill("input[name=username]", USER)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url(re.compile(r"/people\?month=2026-10$"))
    yield tab
    context.close()


def _card(tab: Any, name: str) -> str:
    return str(tab.inner_text(f"#card-{name} .value")).strip()


def _shoot(tab: Any, folder: Path, name: str, phone: bool = False) -> None:
    tab.screenshot(path=str(folder / f"{name}-desktop.png"), full_page=True)
    if phone:
        tab.set_viewport_size(PHONE)
        tab.screenshot(path=str(folder / f"{name}-phone.png"), full_page=True)
        tab.set_viewport_size({"width": 1280, "height": 900})


def test_overview_shows_the_scorecard_the_metrics_compute(
    page: Any, demo: Demo, shots: Path
) -> None:
    page.goto("/?month=2026-10")
    for name in ("visits", "leads", "orders", "revenue", "mentions", "people_active", "posts"):
        value, unit = demo.expected["scorecard"][name]
        assert _card(page, name) == format_value(value, unit), name
    title = page.get_attribute("#card-visits abbr", "title")
    assert title and "visits" in title  # every number says what it is, in plain words
    assert "traffic_share." not in title and "goodwill." not in title
    assert page.locator("#targets table").count() == 1  # progress against goodwill.toml
    api = page.request.get("/api/overview?month=2026-10").json()
    cards = {c["name"]: c["value"] for c in api["data"]["sections"][0]["cards"]}
    assert cards["visits"] == demo.expected["scorecard"]["visits"][0]
    assert api["filters"]["month"] == "2026-10" and "visits" in api["definitions"]
    assert title == plain_words(api["definitions"]["visits"])  # the API keeps the exact one
    _shoot(page, shots, "overview", phone=True)


def test_a_count_leads_to_the_people_behind_it(page: Any, demo: Demo, shots: Path) -> None:
    page.goto("/?month=2026-10")
    page.click("#card-people_active .value a")
    page.wait_for_url(re.compile(r"/items\?.*metric=people_active"))
    active = page.locator("#table-people_active tbody tr")
    assert active.count() == demo.expected["scorecard"]["people_active"][0]
    assert page.locator("#table-people_active td[data-col=person] a").count() > 0
    page.goto("/people?month=2026-10")
    page.click("#card-people .value a")
    page.wait_for_url(re.compile(r"/people\?month=2026-10"))
    rows = page.locator("#table-roster tbody tr")
    assert rows.count() == demo.expected["roster_size"]
    body = page.inner_text("#table-roster")
    for name in demo.expected["top_names"]:
        assert name in body
    _shoot(page, shots, "people", phone=True)
    page.click("#card-tier_champion .value a")
    page.wait_for_url(re.compile(r"tier=champion"))
    tiers = page.locator("#table-roster td[data-col=tier]").all_inner_texts()
    assert tiers and set(tiers) == {"champion"}
    assert len(tiers) == len(demo.expected["champions"])
    first = demo.expected["champions"][0]
    page.locator("#table-roster td[data-col=name] a", has_text=first).first.click()
    page.wait_for_url(re.compile(r"/person/"))
    assert page.inner_text("h1").strip() == first
    assert page.locator("#table-timeline tbody tr").count() > 0
    _shoot(page, shots, "person")


def test_every_page_opens_with_charts_and_no_console_errors(page: Any, shots: Path) -> None:
    page.errors.clear()
    for path in PAGES:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.locator("h1").count() == 1
        name = path.strip("/").split("?")[0] or "overview"
        if name in ("overview", "audience", "listening", "traffic", "money"):
            assert page.locator("figure.chart-box svg").count() >= 1, path
        _shoot(page, shots, name)
    assert page.errors == []  # no CSP violation, no script error


def test_a_filter_changes_the_url_and_the_numbers(page: Any, demo: Demo) -> None:
    page.goto("/listening")
    assert _card(page, "mentions") == format_value(demo.expected["mentions_month"], "count")
    page.select_option("select[name=platform]", "x")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"platform=x"))
    assert _card(page, "mentions") == format_value(demo.expected["mentions_month_x"], "count")
    assert demo.expected["mentions_month_x"] != demo.expected["mentions_month"]
    nav = page.get_attribute("nav a[href^='/care']", "href")
    assert nav is not None and "platform=x" in nav  # links keep the filters
    count = page.locator("#table-listening td[data-col=mentions] a").last
    expected = int(count.inner_text().replace(",", ""))
    count.click()  # a month's count leads to the mentions behind it
    page.wait_for_url(re.compile(r"/items\?.*metric=mentions"))
    assert page.locator("#table-mentions tbody tr").count() == expected > 0


def test_hostile_names_and_texts_stay_inert(page: Any) -> None:
    page.goto("/people?month=2026-10")
    assert HOSTILE_NAME in page.text_content("#table-roster")  # (maybe on a later page)
    page.goto("/items?metric=mentions&since=2026-10-21&until=2026-10-22")
    body = page.inner_text("body")
    for text in HOSTILE_TEXTS:
        assert text in body
    page.goto("/person/evil-1")
    assert HOSTILE_NAME in page.inner_text("h1")
    assert all(t in page.inner_text("#table-timeline") for t in HOSTILE_TEXTS)
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_the_menu_collapses_on_a_phone(page: Any) -> None:
    page.set_viewport_size(PHONE)
    try:
        page.goto("/care")
        assert not page.is_visible("nav.nav")
        page.click("label.nav-button")
        assert page.is_visible("nav.nav a[href^='/money']")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
