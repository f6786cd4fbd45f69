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
from datetime import datetime
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field

from goodwill.metrics import QUERIES
from goodwill.output import to_records
from goodwill.web.dashboard.filters import Filters

__all__ = [
    "Card",
    "PageData",
    "PageResponse",
    "Section",
    "TableData",
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


class PageResponse(BaseModel):
    """What ``/api/<page>`` returns (and what the HTML page renders)."""

    page: str
    title: str
    filters: Filters
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
    shown = frame[cols].head(limit)
    records = to_records(shown)
    raw = frame.head(limit).to_dict("records")
    hrefs: list[dict[str, str]] = []
    for r in raw:
        row_links = {}
        for column, make in (links or {}).items():
            url = make(r)
            if url:
                row_links[column] = url
        hrefs.append(row_links)
    defs = dict(query_definitions(name)) if name in QUERIES else {}
    defs.update(definitions or {})
    unit_map = dict(query_units(name)) if name in QUERIES else {}
    unit_map.update(units or {})
    return TableData(
        name=name,
        title=title,
        columns=cols,
        rows=records,
        units={c: u for c, u in unit_map.items() if c in cols},
        definitions={c: d for c, d in defs.items() if c in cols},
        hrefs=hrefs if any(hrefs) else [],
        total_rows=len(frame),
    )
