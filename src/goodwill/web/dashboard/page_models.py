"""The one shape every dashboard page has, for the HTML page and its ``/api/`` twin.

A page is a list of :class:`Section`; a section has headline :class:`Card` numbers, tables
(:class:`TableData`) and inline SVG charts (HTML only). Every number carries its definition
(``definition`` on a card, ``definitions`` per table column) and, where a count stands for
people or items, ``href`` links to them ("names, not numbers"). The JSON API returns
:class:`PageResponse`; FastAPI documents it in ``/openapi.json``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field, PrivateAttr

from goodwill.metrics import QUERIES
from goodwill.output import to_records
from goodwill.web.dashboard.filters import Filters

__all__ = [
    "Card",
    "PageData",
    "PageResponse",
    "Period",
    "Section",
    "TableData",
    "TableView",
    "plain_words",
    "query_definitions",
    "query_units",
    "table",
]


class Card(BaseModel):
    """A headline number."""

    name: str
    label: str
    value: float | None
    unit: str = Field(description="count, people, ratio, fraction, per post or currency")
    previous: float | None = None
    change: float | None = Field(default=None, description="(value - previous) / |previous|")
    definition: str
    href: str | None = Field(default=None, description="the people or items behind the number")
    detail: str | None = None


class TableData(BaseModel):
    """Rows of one table; ``hrefs[i][column]`` links cell ``column`` of row ``i``."""

    name: str
    title: str
    columns: list[str]
    rows: list[dict[str, Any]]
    units: dict[str, str] = {}
    definitions: dict[str, str] = {}
    hrefs: list[dict[str, str]] = []
    total_rows: int = Field(description="rows before the display limit")
    _frame: pd.DataFrame | None = PrivateAttr(default=None)
    _links: Mapping[str, Any] = PrivateAttr(default_factory=dict)
    _limit: int = PrivateAttr(default=200)

    def all_rows(self) -> list[dict[str, Any]]:
        """Every row of the table (not cut at the display limit), as ``rows`` has them: what
        the CSV download writes."""
        if self._frame is None:
            return self.rows
        return to_records(self._frame[self.columns])

    def view(self, view: TableView) -> TableView:
        """The rows ``view`` asks for (sorted by one column, narrowed to rows containing every
        word of the search, a window of the display limit from ``start``), from every row of
        the table, for the page without JavaScript. Sets ``view.rows`` / ``hrefs`` /
        ``matching`` and returns it."""
        frame = self._frame
        if frame is None:
            frame = pd.DataFrame(self.rows, columns=self.columns)
        if view.q:
            text = frame[self.columns].astype("string").fillna("").agg(" ".join, axis=1)
            text = text.str.lower()
            keep = pd.Series(True, index=frame.index)
            for word in view.q.lower().split():
                keep &= text.str.contains(word, regex=False)
            frame = frame[keep]
        if view.sort in self.columns:
            column = frame[view.sort]
            numeric = pd.to_numeric(column, errors="coerce")
            key = numeric if numeric.notna().sum() == column.notna().sum() else column
            if key is column:
                key = column.astype("string").str.lower()
            order = key.sort_values(ascending=not view.desc, na_position="last", kind="stable")
            frame = frame.loc[order.index]
        view.matching = len(frame)
        view.start = min(view.start, max(view.matching - 1, 0))
        window = frame.iloc[view.start : view.start + self._limit]
        view.rows = to_records(window[self.columns])
        view.hrefs = _hrefs(window, self._links)
        return view


class TableView(BaseModel):
    """How the page shows one table without JavaScript (``?t=<table>&sort=<column>&desc=1
    &q=<words>&start=<row>``): the query string applies to the table named ``t``."""

    sort: str | None = None
    desc: bool = False
    q: str = ""
    start: int = 0
    matching: int = 0
    rows: list[dict[str, Any]] = []
    hrefs: list[dict[str, str]] = []


VIEW_KEYS = ("t", "sort", "desc", "q", "start")
"""Query-string parameters of :class:`TableView` (not filters: they change how one table is
shown, not what is computed)."""


def table_view(query: Mapping[str, str]) -> tuple[str | None, TableView]:
    """``(table name, view)`` from a page's query string (bad values are ignored: a view
    parameter never fails a page)."""
    start = query.get("start", "0")
    return query.get("t") or None, TableView(
        sort=query.get("sort") or None,
        desc=query.get("desc", "") in ("1", "true", "yes"),
        q=query.get("q", "").strip()[:200],
        start=int(start) if start.isdigit() else 0,
    )


def _hrefs(frame: pd.DataFrame, links: Mapping[str, Any]) -> list[dict[str, str]]:
    hrefs: list[dict[str, str]] = []
    if not links:
        return hrefs
    for r in frame.to_dict("records"):
        row_links = {}
        for column, make in links.items():
            url = make(r)
            if url:
                row_links[column] = url
        hrefs.append(row_links)
    return hrefs if any(hrefs) else []


class Section(BaseModel):
    """One part of a page. ``not_filtered`` names each page filter (``platform``,
    ``campaign``, ...) this section does NOT apply, with the reason; the page shows it under
    the section's title, so no number looks narrower than it is."""

    id: str
    title: str
    intro: str = ""
    not_filtered: dict[str, str] = Field(
        default={},
        description="filter name → why this section does not apply it (shown on the page)",
    )
    cards: list[Card] = []
    tables: list[TableData] = []
    charts: list[str] = Field(default=[], exclude=True)
    """Inline SVG, built by goodwill's chart functions (escaped text); HTML only."""


class PageData(BaseModel):
    sections: list[Section]


class Period(BaseModel):
    """The dates a page's numbers cover (:class:`goodwill.web.dashboard.filters.PagePeriod`):
    with no ``since``/``until``/``month`` chosen, the default month (the latest month with
    enough data, as the report) and the twelve months up to it for trends."""

    since: date | None = Field(description="first day of the headline numbers and lists")
    until: date | None = Field(description="last day of the headline numbers and lists")
    trend_since: date | None = Field(description="first day of the trend charts")
    trend_until: date | None = Field(description="last day of the trend charts")
    chosen: bool = Field(description="false: the default period (no dates in the query)")
    statement: str = Field(description="the period in words, as the page's filter bar says it")


class PageResponse(BaseModel):
    """What ``/api/<page>`` returns (and what the HTML page renders)."""

    page: str
    title: str
    filters: Filters
    period: Period | None = Field(
        default=None, description="the dates the numbers cover (the default period when none)"
    )
    generated_at: datetime
    data: PageData
    definitions: dict[str, str] = Field(
        description="metric name → formula (unit); see /definitions for all"
    )


_PREFIX = re.compile(r"^([a-z_]+)\.([a-z_]+): ")
_REF = re.compile(r"\b([a-z_]+)\.([a-z_]+)\b")
_MODULE = re.compile(r"\s*\(?(?::\w+:)?`*goodwill(?:\.\w+)+`*\)?")


def _known(query: str, metric: str) -> bool:
    return query in QUERIES and any(m.name == metric for m in QUERIES[query].metrics)


def plain_words(text: str | None) -> str:
    """A definition as a tooltip says it: no ``query.metric:`` prefix, ``query.metric``
    references as the metric's words ("listening.mentions" → "mentions"), no module paths
    (``goodwill.metrics.scope``) and no backticks. The API keeps the exact definitions."""
    if not text:
        return ""
    found = _PREFIX.match(text)
    if found and _known(*found.groups()):
        text = text[found.end() :]
    text = _REF.sub(
        lambda m: m.group(2).replace("_", " ") if _known(*m.groups()) else m.group(0), text
    )
    return _MODULE.sub("", text).replace("`", "")


def query_units(name: str) -> dict[str, str]:
    return {m.name: m.unit for m in QUERIES[name].metrics}


def query_definitions(name: str) -> dict[str, str]:
    return {m.name: f"{name}.{m.name}: {m.formula} ({m.unit})" for m in QUERIES[name].metrics}


def table(
    name: str,
    title: str,
    frame: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    units: Mapping[str, str] | None = None,
    definitions: Mapping[str, str] | None = None,
    links: Mapping[str, Any] | None = None,
    limit: int = 200,
) -> TableData:
    """A table from ``frame``; ``links[column]`` is a function of the row's dict giving the
    URL of that cell (or ``None``); ``definitions`` falls back to the query of ``name``."""
    cols = list(columns or frame.columns)
    shown = frame.head(limit)
    defs = dict(query_definitions(name)) if name in QUERIES else {}
    defs.update(definitions or {})
    unit_map = dict(query_units(name)) if name in QUERIES else {}
    unit_map.update(units or {})
    data = TableData(
        name=name,
        title=title,
        columns=cols,
        rows=to_records(shown[cols]),
        units={c: u for c, u in unit_map.items() if c in cols},
        definitions={c: d for c, d in defs.items() if c in cols},
        hrefs=_hrefs(shown, links or {}),
        total_rows=len(frame),
    )
    data._frame = frame
    data._links = dict(links or {})
    data._limit = limit
    return data
