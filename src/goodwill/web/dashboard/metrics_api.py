"""The generic metrics API: ``/api/metrics/{name}`` (a registry query's rows, as ``goodwill
metrics NAME``) and ``/api/metrics/{name}/items`` (the rows behind a count, as ``goodwill
metrics NAME --items``). Only formatting: the numbers and rows come from the declarations
(:data:`goodwill.metrics.QUERIES`, :data:`goodwill.metrics.items.ITEMS`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd

from goodwill.errors import UserInputError
from goodwill.metrics import MetricParams, get_query
from goodwill.metrics.items import ROW_KEYS, get_items, narrow, run_items
from goodwill.warehouse import Warehouse

__all__ = ["ITEM_PARAMETERS", "QUERY_PARAMETERS", "item_rows", "metric_rows"]

QUERY_PARAMETERS = ("by", "platform", "since", "until")
"""The query-string parameters of ``/api/metrics/{name}``."""

ITEM_PARAMETERS = (*QUERY_PARAMETERS, "period", *ROW_KEYS)
"""The query-string parameters of ``/api/metrics/{name}/items``: the query's, the row's
``period`` and the row keys of :data:`goodwill.metrics.items.ROW_KEYS`."""


def _params(query: Mapping[str, str], allowed: tuple[str, ...]) -> MetricParams:
    from datetime import date

    unknown = sorted(set(query) - set(allowed))
    if unknown:
        raise UserInputError(f"unknown parameter {unknown[0]!r}; use {', '.join(allowed)}")
    dates: dict[str, date | None] = {}
    for key in ("since", "until"):
        value = query.get(key)
        try:
            dates[key] = date.fromisoformat(value) if value else None
        except ValueError:
            raise UserInputError(f"{key}={value!r}: not a date; use YYYY-MM-DD") from None
    return MetricParams(
        by=query.get("by") or "month",
        platform=(query.get("platform") or "").lower() or None,
        **dates,
    )


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows (dates as ISO text, NaN as null)."""
    rows: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", date_format="iso"))
    return rows


def metric_rows(wh: Warehouse, name: str, query: Mapping[str, str]) -> dict[str, Any]:
    """``run_query(name)`` within ``by``/``platform``/``since``/``until`` with its metrics'
    units and formulas and the list of rows behind each count."""
    q = get_query(name)
    params = _params(query, QUERY_PARAMETERS)
    frame = q.run(wh.ibis(), params)
    return {
        "query": q.name,
        "description": q.description,
        "dimensions": list(q.dimensions),
        "metrics": {m.name: {"unit": m.unit, "formula": m.formula} for m in q.metrics},
        "items": {m: i.name for m, i in q.items.items()},
        "rows": _records(frame),
    }


def item_rows(wh: Warehouse, name: str, query: Mapping[str, str]) -> dict[str, Any]:
    """``run_items(name)``: the rows behind a count (``name``: a list, or ``query.metric``),
    narrowed by the row's ``period``, ``platform`` and row keys."""
    items = get_items(name)
    params = _params({k: v for k, v in query.items() if k in QUERY_PARAMETERS}, QUERY_PARAMETERS)
    unknown = sorted(set(query) - set(ITEM_PARAMETERS))
    if unknown:
        raise UserInputError(f"unknown parameter {unknown[0]!r}; use {', '.join(ITEM_PARAMETERS)}")
    row = {k: v for k, v in query.items() if k not in QUERY_PARAMETERS or k == "platform"}
    narrowed, keys = narrow(name, params, row)
    frame = run_items(name, wh.ibis(), narrowed, keys)
    return {
        "items": items.name,
        "description": items.description,
        "since": narrowed.since.isoformat() if narrowed.since else None,
        "until": narrowed.until.isoformat() if narrowed.until else None,
        "platform": narrowed.platform,
        "row": keys,
        "total_rows": len(frame),
        "rows": _records(frame),
    }
