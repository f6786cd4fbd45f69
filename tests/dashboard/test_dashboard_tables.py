"""Long tables and the filter bar: every table downloads as CSV (formula cells escaped), the
filter bar offers the warehouse's platforms and campaigns as choices and date presets ending
on the last day with data; in a real browser (Debian's Chromium) tables are searchable,
sortable and paginated, and a page that computes shows that it is loading."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest
from dashboard_server import HOSTILE_NAME, HOSTILE_TEXTS, PASSWORD, USER, Demo, Server

from goodwill.metrics.scope import campaign_choices, platform_choices
from goodwill.warehouse import Warehouse
from goodwill.web.dashboard.charts import hover_line_chart, trend_chart
from goodwill.web.dashboard.filters import Filters, last_data_day, period_presets
from goodwill.web.dashboard.page_models import TableData, plain_words
from goodwill.web.dashboard.routes import csv_response

CHROMIUM = Path("/usr/bin/chromium")


def _get(server: Server, path: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {server.demo.token}"}
    return httpx.get(server.url + path, headers=headers, timeout=300)


def _csv(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.text)))


class _Options(HTMLParser):
    """The option values of each <select> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.selects: dict[str, list[str]] = {}
        self._current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "select":
            self._current = a.get("name") or ""
            self.selects[self._current] = []
        elif tag == "option" and self._current is not None:
            self.selects[self._current].append(a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._current = None


def test_a_formula_in_a_cell_is_escaped_in_the_csv() -> None:
    t = TableData(
        name="people",
        title="People",
        columns=["name", "score", "note"],
        rows=[
            {"name": '=HYPERLINK("http://evil","x")', "score": 92.5, "note": None},
            {"name": "+1 555", "score": -3, "note": '@me, "quoted"\nnext line'},
        ],
        total_rows=2,
    )
    rows = list(csv.reader(io.StringIO(bytes(csv_response(t, "p/../x.csv").body).decode())))
    assert rows == [
        ["name", "score", "note"],
        ['\'=HYPERLINK("http://evil","x")', "92.5", ""],
        ["'+1 555", "-3", '\'@me, "quoted"\nnext line'],
    ]
    disposition = csv_response(t, "p/../x.csv").headers["content-disposition"]
    assert disposition == 'attachment; filename="p_.._x.csv"'


def test_every_table_of_a_page_downloads_as_csv_with_the_page_filters(server: Server) -> None:
    api = _get(server, "/api/people?month=2026-10").json()
    tables = [t for s in api["data"]["sections"] for t in s["tables"]]
    assert tables
    for t in tables:
        rows = _csv(_get(server, f"/csv/people/{t['name']}.csv?month=2026-10"))
        assert rows[0] == t["columns"]
        assert len(rows) - 1 == len(t["rows"]), t["name"]
    roster = _csv(_get(server, "/csv/people/roster.csv?month=2026-10&tier=champion"))
    tiers = {r[roster[0].index("tier")] for r in roster[1:]}
    assert tiers == {"champion"}
    names = [r[roster[0].index("name")] for r in _csv(_get(server, "/csv/people/roster.csv"))]
    assert HOSTILE_NAME in names  # kept as text (it starts with "<", not a formula)
    mentions = _get(server, "/csv/items/mentions.csv?metric=mentions&since=2026-10-21")
    assert all(text in mentions.text for text in HOSTILE_TEXTS)
    person = _csv(_get(server, "/csv/person/evil-1/timeline.csv"))
    assert len(person) > 1
    missing = _get(server, "/csv/people/nope.csv")
    assert missing.status_code == 404 and "roster" in missing.text
    assert _get(server, "/csv/people/roster.csv?platform=nowhere").status_code == 400


def test_the_filter_bar_offers_the_warehouses_choices_and_presets(
    server: Server, demo: Demo
) -> None:
    with Warehouse.open(demo.db, read_only=True, create=False) as wh:
        platforms = platform_choices(wh.ibis())
        campaigns = campaign_choices(wh.ibis())
        last = last_data_day(wh)
    assert platforms and campaigns and last is not None
    html = _get(server, "/listening").text
    parser = _Options()
    parser.feed(html)
    assert parser.selects["platform"] == ["", *platforms]
    assert parser.selects["campaign"] == ["", *campaigns]  # a choice, not a text box
    assert "trends: the twelve months up to it" in html  # the default period, stated
    week = f"since={(last - timedelta(days=6)).isoformat()}&amp;until={last.isoformat()}"
    assert week in html
    chosen = _get(server, f"/traffic?campaign={campaigns[0]}&platform={platforms[0]}").text
    assert f'<option value="{campaigns[0]}" selected>' in chosen
    assert f'<option value="{platforms[0]}" selected>' in chosen


def test_presets_end_on_the_last_day_with_data_and_step_back_a_period() -> None:
    choices = {"last_day": ["2026-10-20"]}
    presets = {label: q for label, q, _ in period_presets(Filters(platform="x"), choices)}
    assert presets["Last 7 days"] == "?since=2026-10-14&until=2026-10-20&platform=x"
    assert presets["Last 90 days"].startswith("?since=2026-07-23&until=2026-10-20")
    assert presets["Latest month"].startswith("?since=2026-10-01&until=2026-10-20")
    assert presets["Latest quarter"].startswith("?since=2026-10-01&until=2026-10-20")
    assert "Previous period" not in presets  # only when a period is chosen
    f = Filters(since=date(2026, 10, 1), until=date(2026, 10, 31), month="2026-10")
    chosen = {label: (q, on) for label, q, on in period_presets(f, choices)}
    assert chosen["Previous period"] == ("?since=2026-08-31&until=2026-09-30", False)
    assert period_presets(Filters(), {"last_day": []}) == []
    f = Filters(since=date(2026, 10, 14), until=date(2026, 10, 20))
    assert [label for label, _, on in period_presets(f, choices) if on] == ["Last 7 days"]


browser_only = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (make test installs it)"
)


@pytest.fixture(scope="module")
def tab(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, base_url=server.url, accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(300_000)  # as httpx here: bounds a wait on a loaded machine
        page.errors = []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto("/login")
        page.fill("input[name=username]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/$"))
        yield page
        browser.close()


def _visible(tab: Any, table: str, col: str) -> list[str]:
    texts: list[str] = tab.locator(
        f"#table-{table} tbody tr:visible td[data-col={col}]"
    ).all_inner_texts()
    return [t.strip() for t in texts]


@browser_only
def test_a_long_table_is_paginated_searchable_and_sortable(tab: Any, demo: Demo) -> None:
    from playwright.sync_api import expect

    tab.errors.clear()  # (the sign-in page's missing favicon)
    tab.goto("/people?month=2026-10")
    total = demo.expected["roster_size"]
    assert total > 25  # long enough to page
    rows = tab.locator("#table-roster tbody tr:visible")
    expect(rows).to_have_count(25)
    info = tab.locator("#table-roster ~ .pager .pager-info")
    expect(info).to_have_text(f"rows 1–25 of {total}")
    box = tab.locator(".table-box", has=tab.locator("#table-roster"))
    box.get_by_role("button", name="Next").click()
    expect(info).to_have_text(f"rows 26–{min(50, total)} of {total}")
    # sort by score, highest first (two clicks: ascending, then descending)
    score = tab.locator("#table-roster th[data-col=score] button")
    score.click()
    expect(tab.locator("#table-roster th[data-col=score]")).to_have_attribute(
        "aria-sort", "ascending"
    )
    ascending = [float(v) for v in _visible_values(tab, "score")]
    assert ascending == sorted(ascending) and len(ascending) == 25
    score.click()
    expect(tab.locator("#table-roster th[data-col=score]")).to_have_attribute(
        "aria-sort", "descending"
    )
    descending = [float(v) for v in _visible_values(tab, "score")]
    assert descending == sorted(descending, reverse=True)
    assert descending[0] >= ascending[-1]
    # search: a name narrows the list to the rows that contain it
    name = demo.expected["top_names"][0]
    box.get_by_role("searchbox").fill(name)
    expect(info).to_contain_text("matching")
    assert all(name in n for n in _visible(tab, "roster", "name"))
    box.get_by_role("searchbox").fill("no such person at all")
    expect(info).to_have_text("no row matches")
    expect(rows).to_have_count(0)
    box.get_by_role("searchbox").fill("")
    expect(rows).to_have_count(25)
    # the CSV link downloads the whole table, not the visible page
    with tab.expect_download() as download:
        box.locator("a.csv").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert len(list(csv.reader(io.StringIO(text)))) == total + 1
    assert tab.errors == []  # no CSP violation, no script error


def _visible_values(tab: Any, col: str) -> list[str]:
    values: list[str] = tab.locator(
        f"#table-roster tbody tr:visible td[data-col={col}]"
    ).evaluate_all("cells => cells.map(c => c.getAttribute('data-v'))")
    return values


@browser_only
def test_a_page_that_computes_shows_it_is_loading(tab: Any) -> None:
    from playwright.sync_api import expect

    tab.goto("/listening")
    loading = tab.locator("#loading")
    expect(loading).to_be_hidden()
    # the click's handlers run before click() returns, in the same task, so the state is
    # read while the next page is still being computed by the server
    shown = tab.locator("nav a[href^='/care']").evaluate(
        """link => {
            link.click();
            const note = document.getElementById("loading");
            return [getComputedStyle(note).display, note.textContent,
                    document.body.classList.contains("busy")];
        }"""
    )
    assert shown == ["block", "Computing the page…", True]
    tab.wait_for_url(re.compile(r"/care"))
    expect(tab.locator("h1")).to_have_text("Care")
    expect(loading).to_be_hidden()  # the new page is not loading
    # a preset applies a period and says so
    tab.locator("nav.presets a", has_text="Last 30 days").click()
    tab.wait_for_url(re.compile(r"since=.*until="))
    expect(tab.locator("nav.presets a[aria-current]")).to_have_text("Last 30 days")
    expect(tab.locator("#period strong")).to_contain_text(" to ")


def test_tooltips_say_definitions_in_plain_words() -> None:
    assert (
        plain_words("listening.mentions: count of mentions (count)") == "count of mentions (count)"
    )
    assert (
        plain_words("care.answered summed over the periods") == "answered summed over the periods"
    )
    assert plain_words("posts (:func:`goodwill.metrics.scope.campaign_engagement`); more") == (
        "posts; more"
    )
    assert plain_words("answered / needing_answer, e.g. per month") == (
        "answered / needing_answer, e.g. per month"  # not a metric reference: kept
    )
    assert plain_words(None) == ""


def test_no_tooltip_shows_a_module_path_or_a_query_name(server: Server) -> None:
    for path in ("/", "/listening", "/care", "/money"):
        html = _get(server, path).text
        titles = re.findall(r'title="([^"]*)"', html)
        assert len(titles) > 5, path
        for title in titles:
            assert "goodwill." not in title and "`" not in title, (path, title)
            assert not re.match(r"^[a-z_]+\.[a-z_]+: ", title), (path, title)


def test_hover_bands_sit_on_the_chart_points_and_name_the_values() -> None:
    svg = hover_line_chart(
        ["Sep 26", "Oct 26", "Nov 26"],
        {"x": [3.0, 12.0, None], "bluesky": [1.0, 0.0, 2.0]},
        title="Mentions",
    )
    line = re.search(r'<polyline points="([^"]+)"', svg)
    assert line is not None
    xs = [float(p.split(",")[0]) for p in line.group(1).split()]
    centres = [float(v) for v in re.findall(r'data-x="([^"]+)"', svg)]
    assert centres[:2] == xs[:2] and len(centres) == 3  # one band per month, on its point
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    assert titles == [
        "Sep 26 · x: 3 · bluesky: 1",
        "Oct 26 · x: 12 · bluesky: 0",
        "Nov 26 · x: – · bluesky: 2",
    ]
    assert svg.endswith("</svg>") and "<script" not in svg


def test_a_trend_weights_rates_by_their_rows() -> None:
    frame = pd.DataFrame(
        {
            "period": ["2026-09-01", "2026-09-01", "2026-10-01"],
            "answered": [1, 3, 0],
            "needing_answer": [4, 4, 0],
            "response_rate": [0.25, 0.75, None],
        }
    )
    rate = trend_chart(
        frame, {"rate": ("response_rate", "needing_answer")}, title="t", unit="fraction"
    )
    answered = trend_chart(frame, {"answered": ("answered", None)}, title="t", unit="count")
    assert rate is not None and answered is not None
    # September: (0.25 × 4 + 0.75 × 4) / 8, i.e. 4 answered of 8; October: nothing to weigh
    rates = re.findall(r"<title>([^<]*)</title>", rate)
    assert rates == ["Sep 26 · rate: 50.0%", "Oct 26 · rate: –"]
    counts = re.findall(r"<title>([^<]*)</title>", answered)
    assert counts == ["Sep 26 · answered: 4", "Oct 26 · answered: 0"]
    assert (
        trend_chart(frame.iloc[0:0], {"rate": ("answered", None)}, title="t", unit="count") is None
    )


@browser_only
def test_trend_charts_render_with_hover(tab: Any) -> None:
    for path, count in (("/listening", 2), ("/care", 2), ("/traffic", 1)):
        tab.goto(path)
        bands = tab.locator("figure.chart-box svg g.hover rect[data-x]")  # trends, not bars
        assert bands.count() >= count, path
        band = bands.nth(bands.count() // 2)
        band.hover()
        # the band is what the pointer is on, so the browser shows its <title> as the tooltip
        on_top = band.evaluate(
            """rect => {
                const box = rect.getBoundingClientRect();
                const x = box.x + box.width / 2, y = box.y + box.height / 2;
                const hit = document.elementFromPoint(x, y);
                return hit === rect || rect.contains(hit);
            }"""
        )
        assert on_top, path
        title = band.locator("title").text_content()
        assert title and re.match(r"^[A-Z][a-z]{2} \d\d · ", title), (path, title)


@browser_only
def test_a_link_to_a_row_opens_the_page_of_rows_that_holds_it(tab: Any) -> None:
    from playwright.sync_api import expect

    api = tab.request.get("/api/definitions").json()
    rows = next(t for s in api["data"]["sections"] for t in s["tables"] if t["name"] == "metrics")
    assert len(rows["rows"]) > 25
    last = rows["rows"][-1]["name"]
    tab.goto(f"/definitions#{last}")
    expect(tab.locator(f"#table-metrics tr[id='{last}']")).to_be_visible()
    expect(tab.locator("#table-metrics tbody tr:visible")).to_have_count(
        len(rows["rows"]) % 25 or 25
    )
