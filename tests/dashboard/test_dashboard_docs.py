"""The API documentation page ``/docs``: Swagger UI served by goodwill itself (no CDN, no
inline script), after sign-in — over the in-process app, then in a real browser against a
real ``goodwill serve`` on the demo warehouse."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from dashboard_server import PASSWORD, USER, Server, sign_in
from fastapi.testclient import TestClient

CHROMIUM = Path("/usr/bin/chromium")
_CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def _assets(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)


def test_docs_needs_sign_in_and_serves_its_assets_itself(client: TestClient) -> None:
    r = client.get("/docs", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fdocs"
    assets = client.get("/docs/assets/swagger-ui-bundle.js", follow_redirects=False)
    assert assets.status_code == 303  # Swagger UI's files are behind sign-in too
    sign_in(client)
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.text
    assert 'id="swagger-ui"' in html and 'data-spec="/openapi.json"' in html
    assert not re.search(r"https?://", html)  # nothing from another host
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/' in attrs and not body.strip() for attrs, body in scripts)
    urls = _assets(html)
    assert "/docs/assets/swagger-ui-bundle.js" in urls and "/docs/assets/swagger-ui.css" in urls
    for url in urls:
        served = client.get(url)
        assert served.status_code == 200, url
        kind = {".css": "css", ".svg": "image/svg+xml"}.get(Path(url).suffix, "javascript")
        assert kind in served.headers["content-type"], url
    bundle = client.get("/docs/assets/swagger-ui-bundle.js").text
    assert "SwaggerUIBundle" in bundle and len(bundle) > 500_000
    csp = page.headers["content-security-policy"]
    assert "connect-src 'self'" in csp and "script-src 'self';" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    # every other page keeps the strict policy (no connect-src)
    assert "connect-src" not in client.get("/definitions").headers["content-security-policy"]
    # FastAPI's own CDN-based pages stay off
    assert client.get("/redoc").status_code == 404
    assert client.app.docs_url is None and client.app.redoc_url is None  # type: ignore[attr-defined]


def test_openapi_documents_every_filter_the_api_accepts(client: TestClient) -> None:
    """Each ``/api/<page>`` lists its query parameters; each one documented is accepted (a
    valid value answers 200) and an undocumented one is refused with 400."""
    sign_in(client)
    paths = client.get("/openapi.json").json()["paths"]
    overview = {p["name"]: p for p in paths["/api/overview"]["get"]["parameters"]}
    assert set(overview) == {"since", "until", "month", "platform", "campaign"}
    assert overview["since"]["schema"] == {"type": "string", "format": "date"}
    people = {p["name"] for p in paths["/api/people"]["get"]["parameters"]}
    assert "tier" in people
    items = {p["name"]: p for p in paths["/api/items"]["get"]["parameters"]}
    assert items["metric"]["required"] and "visits" in items["metric"]["schema"]["enum"]
    assert {"channel", "source", "code", "segment"} <= set(items)
    assert client.get("/api/overview?since=2026-05-01&until=2026-05-31").status_code == 200
    bad = client.get("/api/overview?colour=red")
    assert bad.status_code == 400 and "since" in bad.text


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent")
def test_docs_renders_the_api_in_a_browser(server: Server) -> None:
    # in a thread of its own: the browser tests' session-wide Playwright may be running in
    # this one, and the sync API allows one per thread
    with ThreadPoolExecutor(1) as pool:
        pool.submit(_docs_in_a_browser, server).result()


def _docs_in_a_browser(server: Server) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        try:
            context = browser.new_context(base_url=server.url)
            context.add_init_script(_CSP_LISTENER)
            tab: Any = context.new_page()
            tab.set_default_timeout(120_000)
            expect.set_options(timeout=120_000)  # a loaded machine renders slowly
            errors: list[str] = []
            foreign: list[str] = []
            tab.on(
                "console",
                lambda m: errors.append(f"{m.text} {m.location}") if m.type == "error" else None,
            )
            tab.on("pageerror", lambda e: errors.append(str(e)))
            tab.on(
                "request",
                lambda r: None if r.url.startswith(server.url) else foreign.append(r.url),
            )
            tab.goto("/definitions")
            tab.fill("input[name=username]", USER)
            tab.fill("input[name=password]", PASSWORD)
            tab.click("button[type=submit]")
            tab.wait_for_url(re.compile(r"/definitions$"))
            tab.wait_for_load_state("networkidle")
            errors.clear()  # the browser's own /favicon.ico (404) on the tab's first page
            tab.click("text=API documentation")  # the Definitions page links the docs
            tab.wait_for_url(re.compile(r"/docs$"))
            operation = tab.locator("#operations-default-api_overview_api_overview_get")
            operation.wait_for()
            summary = operation.locator(".opblock-summary-path").inner_text()
            assert summary.replace("\u200b", "") == "/api/overview"
            # expect(...).to_have_count waits for Swagger to render (count() does not wait)
            expect(tab.locator(".opblock-summary-path", has_text="/api/people")).to_have_count(1)
            operation.locator(".opblock-summary-control").click()
            body = operation.locator(".opblock-body")
            body.wait_for()
            for code in ("200", "400", "401"):
                expect(body.locator(f"tr.response[data-code='{code}']")).to_have_count(1)
            for key in ("generated_at", "sections", "filters"):  # the answer's shape
                expect(body).to_contain_text(f'"{key}"')
            expect(tab.locator("section.models")).to_contain_text("PageResponse")
            assert tab.evaluate("window.__csp") == []
            assert errors == [] and foreign == []
        finally:
            browser.close()
