"""The dashboard's routes: each page at ``/<page>`` (HTML) and ``/api/<page>`` (JSON), the
person page, the API documentation (``/docs``: Swagger UI from goodwill's own copy on
``/openapi.json``), sign-in and sign-out.

A page and its API twin call the same builder and return the same :class:`PageResponse`;
the HTML page renders it with Jinja2 (autoescape on). Builders run in FastAPI's thread pool
with the warehouse open for the request only, so other goodwill commands can use the file
between requests.
"""

from __future__ import annotations

import csv
import importlib.resources
import io
import logging
import secrets
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from goodwill.errors import GoodwillError, UserInputError, api_error
from goodwill.output import csv_cell, format_value
from goodwill.people.identity import is_stale, latest_import
from goodwill.web.dashboard.auth import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    DashboardState,
    form_fields,
)
from goodwill.web.dashboard.cache import PageCache, data_state
from goodwill.web.dashboard.definitions import all_definitions, definitions_page
from goodwill.web.dashboard.filters import (
    FilterError,
    Filters,
    filter_choices,
    openapi_parameters,
    page_period,
    parse_filters,
    period_presets,
)
from goodwill.web.dashboard.metrics_api import item_rows, metric_rows
from goodwill.web.dashboard.page_models import (
    VIEW_KEYS,
    PageData,
    PageResponse,
    Period,
    Section,
    TableData,
    plain_words,
    table_view,
)
from goodwill.web.dashboard.pages_channels import (
    audience_page,
    care_page,
    listening_page,
    traffic_page,
)
from goodwill.web.dashboard.pages_money import money_page
from goodwill.web.dashboard.pages_relationships import (
    Ctx,
    items_page,
    overview_page,
    people_page,
    person_page,
)
from goodwill.web.dashboard.users import check_password, create_session, delete_session

__all__ = ["NAV", "PAGES", "install_routes"]

Builder = Callable[[Ctx], list[Section]]

PAGES: dict[str, tuple[str, str, Builder]] = {
    "overview": ("/", "Overview", overview_page),
    "people": ("/people", "People", people_page),
    "audience": ("/audience", "Audience & content", audience_page),
    "listening": ("/listening", "Listening", listening_page),
    "care": ("/care", "Care", care_page),
    "traffic": ("/traffic", "Traffic & funnel", traffic_page),
    "money": ("/money", "Money", money_page),
    "items": ("/items", "Items", items_page),
    "definitions": ("/definitions", "Definitions", definitions_page),
}
"""page name → (HTML path, title, builder); the API twin is ``/api/<name>``."""
NAV = ("overview", "people", "audience", "listening", "care", "traffic", "money", "definitions")
_HERE = Path(__file__).parent
LOG = logging.getLogger("goodwill.dashboard")
_CARRIED = ("since", "until", "platform", "campaign")
DOCS_ASSETS = "/docs/assets"
"""Where Swagger UI's files (from the ``fastapi-offline`` package) are served, after sign-in."""
DOCS_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
"""The /docs page's CSP: the dashboard's, plus ``connect-src 'self'`` (Swagger UI fetches
``/openapi.json`` and, with "Try it out", the API itself)."""


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["fmt"] = format_value
    env.filters["plain"] = plain_words
    return env


_REASONS = {
    400: "bad_request",
    401: "sign_in",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    422: "bad_request",
    500: "page_failed",
    503: "warehouse_unavailable",
}


class PageError(Exception):
    """A page that cannot be shown: HTTP ``status``, a ``reason`` code and a sentence."""

    def __init__(self, status: int, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.reason = reason or _REASONS.get(status, "error")

    def json(self) -> JSONResponse:
        """The API's error envelope (:func:`goodwill.errors.api_error`)."""
        return JSONResponse(api_error(self.status, self.reason, self.message), self.status)


def _compute(
    state: DashboardState,
    cache: PageCache,
    page: str,
    builder: Callable[[Ctx], list[Section]],
    query: dict[str, str],
    ref: str | None = None,
) -> tuple[PageResponse, dict[str, list[str]]]:
    """``(response, choices)`` for ``page`` (cached per filters and data state); ``choices``:
    the platforms and campaigns the filter bar offers (:func:`filter_choices`)."""
    if state.db is None:
        raise PageError(503, "no warehouse: start goodwill serve with --db")
    try:
        with state.warehouse() as wh:
            filters = parse_filters(wh, query)
            platforms = filter_choices(wh)
            period = page_period(wh, filters)
            platforms["period"] = [period.statement()]
            stale = page in PEOPLE_PAGES and bool(latest_import(wh)) and is_stale(wh)
            derived = _stale_derived(wh) if page in VISIT_PAGES else []
            key = (page, ref, filters.model_dump_json(), data_state(wh), stale, tuple(derived))
            with cache.lock_for(key):
                cached = cache.get(key)
                if cached is not None:
                    return cached, platforms
                sections = builder(Ctx(wh, filters, period))
                if stale:
                    sections = [_stale_section(), *sections]
                if derived:
                    sections = [_derived_section(derived), *sections]
                response = _respond(page, sections, filters)
                response.period = Period(
                    since=period.since,
                    until=period.until,
                    trend_since=period.trend_since,
                    trend_until=period.trend_until,
                    chosen=period.chosen,
                    statement=period.statement(),
                )
                cache.put(key, response)
                return response, platforms
    except FilterError as exc:
        raise PageError(400, str(exc), "bad_filter") from None
    except UserInputError as exc:
        raise PageError(404 if ref is not None else 400, str(exc)) from None
    except GoodwillError as exc:
        raise PageError(503, str(exc)) from None
    except Exception as exc:  # a bug or an old warehouse: say so, log the traceback
        LOG.exception("page %s failed", page)
        raise PageError(
            500, f"the {page} page could not be computed ({exc!r:.200}); see the server log"
        ) from None


PEOPLE_PAGES = frozenset({"overview", "people", "items", "person"})
"""Pages whose numbers count resolved people (they say so when resolution is stale)."""


def _stale_section() -> Section:
    """The note a people page carries when data was imported after the last resolve: pages
    only read, so they cannot resolve by themselves."""
    return Section(
        id="unresolved",
        title="People not resolved since the last import",
        intro="Data was imported after the last identity resolution, so new handles count as "
        "people of their own until `goodwill people resolve` runs (`goodwill import` runs it "
        "at its end unless given --no-resolve).",
    )


VISIT_PAGES = frozenset({"overview", "traffic", "items"})
"""Pages whose numbers use visit channels (derived from the ``site_host`` setting)."""


def _stale_derived(wh: Any) -> list[str]:
    """Derived tables computed with other settings than the ones in use (a page cannot
    recompute them: it only reads)."""
    from goodwill.config import load_config
    from goodwill.derived import stale_derived

    return stale_derived(wh, load_config(db=wh.path))


def _derived_section(tables: list[str]) -> Section:
    return Section(
        id="settings-changed",
        title="Settings changed since these numbers were derived",
        intro=f"{', '.join(tables)} was computed with another site_host than goodwill.toml "
        "says now: run `goodwill enrich` (or the next `goodwill import`) to recompute it.",
    )


def _respond(page: str, sections: list[Section], filters: Filters) -> PageResponse:
    definitions: dict[str, str] = {}
    for s in sections:
        for card in s.cards:
            definitions[card.name] = card.definition
        for t in s.tables:
            definitions.update(t.definitions)
    title = PAGES[page][1] if page in PAGES else "Person"
    return PageResponse(
        page=page,
        title=sections[0].title if page == "person" and sections else title,
        filters=filters,
        generated_at=datetime.now(UTC).replace(tzinfo=None),
        data=PageData(sections=sections),
        definitions=definitions,
    )


def csv_response(t: TableData, filename: str) -> Response:
    """Table ``t`` as a CSV download: its columns and every row (not cut at the page's display
    limit; unformatted values), each text cell through :func:`goodwill.output.csv_cell`
    (formula injection)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(c) for c in t.columns])
    for row in t.all_rows():
        writer.writerow([csv_cell("" if row.get(c) is None else row.get(c)) for c in t.columns])
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in filename)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{safe}"'},
    )


def swagger_ui_dir() -> Path:
    """The folder of Swagger UI's files (``swagger-ui-bundle.js``, ``swagger-ui.css``; Swagger UI
    5, which reads the OpenAPI 3.1 that FastAPI writes) shipped by the ``fastapi-offline``
    package. Only the files are used, never its app factory."""
    folder = Path(str(importlib.resources.files("fastapi_offline") / "static"))
    if not (folder / "swagger-ui-bundle.js").is_file():
        raise FileNotFoundError(f"fastapi-offline ships no swagger-ui-bundle.js under {folder}")
    return folder


def warm(state: DashboardState, cache: PageCache) -> None:
    """Compute every page with no filters, so they open fast (run in a thread from the first
    view of the sign-in form). A page that fails is logged with its name (a bug's traceback
    is logged by :func:`_compute`) and shows its own error when opened; warming goes on."""
    for name in NAV:
        try:
            _compute(state, cache, name, PAGES[name][2], {})
        except PageError as exc:
            LOG.warning("warming the %s page failed (%s): %s", name, exc.status, exc.message)


def csrf_token(request: Request) -> str:
    """The browser's CSRF token (a new one, set as a cookie by the middleware, when absent)."""
    token = request.cookies.get(CSRF_COOKIE) or request.scope.get("gw_csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.scope["gw_csrf"] = token
    return str(token)


def _safe_next(target: str | None) -> str:
    """Only same-site paths ("/..."), never another host or scheme."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and "\\" not in target else "/"


def _views(html_page: Any, api_page: Any, name: str, builder: Builder) -> tuple[Any, Any]:
    """The HTML and API view functions of page ``name``."""

    def html_view(request: Request) -> Response:
        result: Response = html_page(request, name, builder)
        return result

    def api_view(request: Request) -> Any:
        return api_page(name, builder, request)

    return html_view, api_view


def install_routes(app: FastAPI, state: DashboardState) -> None:
    """Mount the dashboard on ``app`` (the auth middleware is added by the caller)."""
    env = _env()
    cache = PageCache()
    app.state.dashboard_cache = cache
    app.mount("/static/dashboard", StaticFiles(directory=_HERE / "static"), name="dashboard-static")
    app.mount(DOCS_ASSETS, StaticFiles(directory=swagger_ui_dir()), name="docs-assets")
    router = APIRouter()

    def render(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        user = getattr(request.state, "user", None)
        html = env.get_template(template).render(
            user=user,
            csrf=csrf_token(request),
            nav=[(n, PAGES[n][0], PAGES[n][1]) for n in NAV],
            carried=_CARRIED,
            **ctx,
        )
        return HTMLResponse(html, status_code=status)

    def html_page(
        request: Request, page: str, builder: Builder, ref: str | None = None
    ) -> Response:
        query = {k: v for k, v in request.query_params.items() if k not in VIEW_KEYS}
        chosen, view = table_view(request.query_params)
        try:
            response, platforms = _compute(state, cache, page, builder, query, ref)
        except PageError as exc:
            return render(
                request,
                "error.html",
                exc.status,
                message=exc.message,
                filters=Filters(),
                platforms=[],
                page=page,
            )
        charts = {s.id: [Markup(c) for c in s.charts] for s in response.data.sections}
        return render(
            request,
            "page.html",
            page=page,
            r=response,
            charts=charts,
            filters=response.filters,
            choices=platforms,
            ref=ref or "",
            presets=period_presets(response.filters, platforms),
            views={
                t.name: t.view(view)
                for s in response.data.sections
                for t in s.tables
                if t.name == chosen
            },
            chosen=chosen or "",
        )

    def api_page(page: str, builder: Builder, request: Request, ref: str | None = None) -> Any:
        try:
            response, _ = _compute(state, cache, page, builder, dict(request.query_params), ref)
        except PageError as exc:
            return exc.json()
        return response

    for name, (path, title, builder) in PAGES.items():
        html_view, api_view = _views(html_page, api_page, name, builder)
        router.add_api_route(
            path,
            html_view,
            methods=["GET"],
            include_in_schema=False,
            response_class=HTMLResponse,
            name=f"page-{name}",
        )
        router.add_api_route(
            f"/api/{name}",
            api_view,
            methods=["GET"],
            response_model=PageResponse,
            summary=f"{title} (the data of the {path} page)",
            name=f"api-{name}",
            openapi_extra={"parameters": openapi_parameters(name)},
            responses={
                400: {"description": "a filter is invalid"},
                401: {"description": "sign in"},
            },
        )

    @router.get("/person/{ref}", include_in_schema=False, response_class=HTMLResponse)
    def person_html(ref: str, request: Request) -> Response:
        return html_page(request, "person", lambda ctx: person_page(ctx, ref), ref)

    @router.get(
        "/api/person/{ref}",
        response_model=PageResponse,
        summary="A person's identities and timeline",
    )
    def person_api(ref: str, request: Request) -> Any:
        return api_page("person", lambda ctx: person_page(ctx, ref), request, ref)

    def csv_download(
        request: Request, page: str, builder: Builder, table: str, ref: str | None = None
    ) -> Response:
        try:
            response, _ = _compute(state, cache, page, builder, dict(request.query_params), ref)
        except PageError as exc:
            return render(
                request, "error.html", exc.status, message=exc.message, filters=Filters(), page=page
            )
        for section in response.data.sections:
            for t in section.tables:
                if t.name == table:
                    return csv_response(t, f"{page}-{ref + '-' if ref else ''}{table}.csv")
        names = ", ".join(t.name for s in response.data.sections for t in s.tables)
        message = f"the {page} page has no table {table!r}; its tables: {names or '(none)'}"
        return render(request, "error.html", 404, message=message, filters=Filters(), page=page)

    @router.get("/csv/{page}/{table}.csv", include_in_schema=False)
    def page_csv(page: str, table: str, request: Request) -> Response:
        """A table of a page as CSV (the page's filters apply; text cells that a spreadsheet
        would run as a formula are escaped)."""
        if page not in PAGES:
            message = f"no page {page!r}; the pages are {', '.join(PAGES)}"
            return render(request, "error.html", 404, message=message, filters=Filters(), page=page)
        return csv_download(request, page, PAGES[page][2], table)

    @router.get("/csv/person/{ref}/{table}.csv", include_in_schema=False)
    def person_csv(ref: str, table: str, request: Request) -> Response:
        return csv_download(request, "person", lambda ctx: person_page(ctx, ref), table, ref)

    @router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def api_docs(request: Request) -> Response:
        """Swagger UI on /openapi.json, from goodwill's own copy (no CDN, no inline script)."""
        response = render(
            request, "docs.html", filters=Filters(), platforms=[], page="docs", assets=DOCS_ASSETS
        )
        response.headers["Content-Security-Policy"] = DOCS_CSP
        return response

    @router.get("/api/definitions/all", summary="Every metric's formula and unit")
    def definitions_api() -> dict[str, str]:
        return all_definitions()

    def metrics_json(what: str, name: str, request: Request, run: Callable[..., Any]) -> Any:
        """A generic metrics answer, or the error envelope (a bad name or parameter: 400)."""
        if state.db is None:
            return PageError(503, "no warehouse: start goodwill serve with --db").json()
        try:
            with state.warehouse() as wh:
                body = run(wh, name, dict(request.query_params))
                body["people_stale"] = bool(latest_import(wh)) and is_stale(wh)
                return body
        except UserInputError as exc:
            return PageError(400, str(exc)).json()
        except Exception as exc:  # a bug or an old warehouse: say so, log the traceback
            LOG.exception("%s %s failed", what, name)
            return PageError(500, f"{what} {name} failed ({exc!r:.200}); see the server log").json()

    @router.get("/api/metrics/{name}", summary="A metric query's rows (goodwill metrics NAME)")
    def metric_api(name: str, request: Request) -> Any:
        """Parameters: ``by``, ``platform``, ``since``, ``until``."""
        return metrics_json("metric", name, request, metric_rows)

    @router.get(
        "/api/metrics/{name}/items",
        summary="The rows behind a count (goodwill metrics NAME --items)",
    )
    def metric_items_api(name: str, request: Request) -> Any:
        """``name``: a list (``answered``) or a count (``care.answered``). Parameters: ``by``,
        ``platform``, ``since``, ``until``, the row's ``period`` and row keys (``account``,
        ``channel``, ``code``, ...)."""
        return metrics_json("items", name, request, item_rows)

    def start_warming() -> None:
        """Compute every page in the background once per process, from the first view of
        the sign-in form: the pages are ready by the time someone has signed in."""
        if state.db is not None and not getattr(app.state, "dashboard_warming", None):
            app.state.dashboard_warming = threading.Thread(
                target=warm, args=(state, cache), name="goodwill-dashboard-warm", daemon=True
            )
            app.state.dashboard_warming.start()

    def login_page(
        request: Request, target: str, status: int = 200, message: str | None = None
    ) -> HTMLResponse:
        return render(
            request,
            "login.html",
            status,
            next=target,
            message=message,
            filters=Filters(),
            platforms=[],
            page="login",
        )

    @router.get("/login", include_in_schema=False, response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/") -> Response:
        start_warming()
        return login_page(request, _safe_next(next))

    @router.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        fields = form_fields(await request.body())
        username = fields.get("username", "").strip().lower()
        password = fields.get("password", "")
        target = _safe_next(fields.get("next"))
        keys = [f"user:{username}", f"ip:{request.client.host if request.client else '-'}"]
        wait, stamp = state.limiter.attempt(keys)  # counted before the password is hashed
        if wait > 0:
            message = f"Too many failed sign-ins; try again in {wait:.0f} s."
            return login_page(request, target, 429, message)
        if state.db is None:
            return login_page(request, target, 503, "No warehouse configured.")

        def attempt() -> str | None:
            with state.warehouse(read_only=False) as wh:
                user = check_password(wh, username, password)
                return create_session(wh, user) if user else None

        sid = await run_in_threadpool(attempt)
        if sid is None:  # already counted by attempt()
            return login_page(request, target, 401, "Wrong user name or password.")
        state.limiter.succeeded(keys, stamp)
        start_warming()
        response = RedirectResponse(target, 303)
        # the session, and a fresh CSRF token with it
        for name, value in ((SESSION_COOKIE, sid), (CSRF_COOKIE, secrets.token_urlsafe(32))):
            response.set_cookie(
                name, value, httponly=True, samesite="lax", secure=state.secure(request), path="/"
            )
        return response

    @router.post("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        sid = request.cookies.get(SESSION_COOKIE)
        if sid and state.db is not None:
            with state.warehouse(read_only=False) as wh:
                delete_session(wh, sid)
        response = RedirectResponse("/login", 303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    app.include_router(router)
    _install_error_envelope(app)


def _install_error_envelope(app: FastAPI) -> None:
    """Errors FastAPI itself raises (an unknown ``/api/...`` path, a bad path parameter)
    answer ``/api`` requests in the same envelope as the pages' errors."""
    from fastapi.exception_handlers import (
        http_exception_handler,
        request_validation_exception_handler,
    )
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/api"

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if not is_api(request):
            return await http_exception_handler(request, exc)
        return PageError(exc.status_code, str(exc.detail)).json()

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if not is_api(request):
            return await request_validation_exception_handler(request, exc)
        detail = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
            for e in exc.errors()
        )
        return PageError(400, detail).json()

    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
