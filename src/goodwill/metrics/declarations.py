"""How a metric and a named query are declared.

A :class:`Query` is what ``goodwill metrics NAME`` runs: a builder that returns an unexecuted
Ibis table expression, the dimension columns it groups by, and a :class:`Metric` for every
other column it outputs. Beside each count it carries the :class:`Items` that list the rows
behind it (``Query.items``, from :data:`goodwill.metrics.items.COUNT_ITEMS`), built with the
same filters: ``goodwill metrics NAME --items``. The CLI, the report, the API, the dashboard
and ``docs/metrics.md`` are all driven from these declarations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from goodwill.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd

__all__ = ["UNITS", "Backend", "Builder", "Items", "ItemsBuilder", "Metric", "Query"]

Backend: TypeAlias = Any
"""An Ibis backend (``Warehouse.ibis()`` for DuckDB; another Ibis backend at scale)."""

Builder: TypeAlias = "Callable[[Backend, MetricParams], ir.Table]"

ItemsBuilder: TypeAlias = (
    "Callable[[Backend, MetricParams, Mapping[str, str]], ir.Table | pd.DataFrame]"
)
"""``build(backend, params, row)``: the rows behind a count within ``params``, narrowed by the
``row`` keys (an unexecuted Ibis table; a pandas frame where the pipeline is pandas)."""

UNITS: Mapping[str, str] = {
    "count": "int64",
    "people": "int64",
    "ratio": "float64",
    "fraction": "float64",
    "per post": "float64",
    "currency": "float64",
}
"""The units a metric may have, and the pandas dtype ``run_query`` gives each.

``count`` — a whole number of things; ``people`` — a number of distinct people; ``ratio`` —
one quantity divided by another, may exceed 1; ``fraction`` — a share between 0 and 1 (growth
rates may be negative or exceed 1); ``per post`` — an average per post; ``currency`` — an
amount in the reporting currency."""


@dataclass(frozen=True, kw_only=True)
class Metric:
    """One metric: the column ``name`` a query outputs, its unit and its formula."""

    name: str
    unit: str
    formula: str
    description: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"metric {self.name}: unit {self.unit!r} is not one of {list(UNITS)}")
        if not self.formula.strip() or not self.description.strip():
            raise ValueError(f"metric {self.name}: formula and description are required")

    @property
    def dtype(self) -> str:
        """The pandas dtype of this metric's column in ``run_query``'s output."""
        return UNITS[self.unit]


@dataclass(frozen=True, kw_only=True)
class Query:
    """A named query: ``goodwill metrics NAME``.

    ``build(backend, params)`` returns an unexecuted Ibis table whose columns are
    ``dimensions`` followed by the metrics' names.
    """

    name: str
    group: str
    description: str
    dimensions: tuple[str, ...]
    metrics: tuple[Metric, ...]
    build: Builder
    notes: str = ""
    """Longer text for the docs: how filters apply, edge cases."""
    items: Mapping[str, Items] = field(default_factory=dict)
    """metric name → the list of rows behind that count (set by the registry)."""

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.dimensions, *(m.name for m in self.metrics))

    def metric(self, name: str) -> Metric:
        for m in self.metrics:
            if m.name == name:
                return m
        raise KeyError(f"query {self.name} has no metric {name!r}")

    def run(self, backend: Backend, params: MetricParams) -> pd.DataFrame:
        """Run this query on ``backend``: its rows sorted by its dimensions. Columns: the
        dimensions, then one per metric; ``period`` holds ``datetime.date`` values, ``rank``
        is ``int64``; counts are ``int64``, every other unit ``float64`` (NaN where the
        formula is undefined, e.g. a division by zero)."""
        import pandas as pd

        if not isinstance(params, MetricParams):
            raise TypeError(f"params must be MetricParams, not {type(params).__name__}")
        frame: pd.DataFrame = backend.execute(self.build(backend, params))
        frame = frame[list(self.columns)]
        if "period" in frame.columns:
            frame["period"] = _as_dates(frame["period"])
        if "rank" in frame.columns:
            frame["rank"] = frame["rank"].astype("int64")
        for metric in self.metrics:
            values = frame[metric.name]
            if metric.dtype == "int64":
                # an all-NULL column comes back as object dtype: numeric first, then fill
                numbers = pd.to_numeric(values, errors="raise")
                frame[metric.name] = numbers.fillna(0).astype("int64")
            else:
                frame[metric.name] = pd.to_numeric(values, errors="raise").astype("float64")
        return frame.sort_values(list(self.dimensions), kind="stable").reset_index(drop=True)

    def sql(self, backend: Backend, params: MetricParams) -> str:
        """The SQL this query compiles to on ``backend`` (``goodwill metrics NAME --sql``)."""
        import ibis

        return str(ibis.to_sql(self.build(backend, params)))


def _as_dates(values: pd.Series) -> pd.Series:
    """Any date-like column as ``datetime.date`` objects (object dtype)."""
    import pandas as pd

    def to_date(value: object) -> dt.date | None:
        if value is None or value is pd.NaT:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return pd.Timestamp(value).date()  # type: ignore[arg-type]

    return pd.Series([to_date(v) for v in values], index=values.index, dtype="object")


@dataclass(frozen=True, kw_only=True)
class Items:
    """A list of the rows behind a count: ``goodwill metrics NAME --items``.

    ``build(backend, params, row)`` narrows the rows to ``row`` (only the ``keys`` given);
    ``person`` names the column holding each row's person (``None``: rows are no people;
    ``"conversion"``: found from the conversion); ``dated=False``: the list ignores the dates
    and platform, as the count it lists does; ``pandas=True``: the list is computed in pandas
    (no single SQL query to show). A count that is a sum (``pageviews``, an
    engagement count) lists the rows whose column of the count's name sums to it; any other
    count lists as many rows as it counts."""

    name: str
    description: str
    build: ItemsBuilder
    keys: tuple[str, ...] = ()
    person: str | None = None
    dated: bool = True
    pandas: bool = False

    def __post_init__(self) -> None:
        if not self.description.strip():
            raise ValueError(f"items {self.name}: a description is required")
