"""How a metric and a named query are declared.

A :class:`Query` is what ``goodwill metrics NAME`` runs: a builder that returns an unexecuted
Ibis table expression, the dimension columns it groups by, and a :class:`Metric` for every
other column it outputs. The CLI, the report, the API and ``docs/metrics.md`` are all driven
from these declarations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from goodwill.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["UNITS", "Backend", "Builder", "Metric", "Query"]

Backend: TypeAlias = Any
"""An Ibis backend (``Warehouse.ibis()`` for DuckDB; another Ibis backend at scale)."""

Builder: TypeAlias = "Callable[[Backend, MetricParams], ir.Table]"

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

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.dimensions, *(m.name for m in self.metrics))

    def metric(self, name: str) -> Metric:
        for m in self.metrics:
            if m.name == name:
                return m
        raise KeyError(f"query {self.name} has no metric {name!r}")
