"""The /definitions page: every number the dashboard shows, with its formula and unit, and
the models behind the estimates — all read from the declarations (``QUERIES``,
``HEADLINES``), never restated."""

from __future__ import annotations

import pandas as pd

from goodwill.metrics import HEADLINES, QUERIES
from goodwill.web.dashboard.context import Ctx
from goodwill.web.dashboard.page_models import Section, table

__all__ = ["all_definitions", "definitions_page"]


def all_definitions() -> dict[str, str]:
    """``name → formula (unit)`` for every headline and every query metric
    (``query.metric``)."""
    out = {h.name: f"{h.definition} ({h.unit})" for h in HEADLINES}
    for q in QUERIES.values():
        for m in q.metrics:
            out[f"{q.name}.{m.name}"] = f"{m.formula} ({m.unit})"
    return out


def definitions_page(ctx: Ctx) -> list[Section]:
    from goodwill import __version__
    from goodwill.attribution.models import MODELS

    headlines = pd.DataFrame(
        [
            {"name": h.name, "label": h.label, "unit": h.unit, "definition": h.definition}
            for h in HEADLINES
        ]
    )
    metrics = pd.DataFrame(
        [
            {
                "name": f"{q.name}.{m.name}",
                "unit": m.unit,
                "formula": m.formula,
                "description": m.description,
            }
            for q in QUERIES.values()
            for m in q.metrics
        ]
    )
    b = ctx.backend
    t = b.table("interaction_labels")
    labels = b.execute(t.group_by("model").aggregate(interactions=t.count()).order_by("model"))
    models = pd.DataFrame(
        [
            {"what": "goodwill", "model": __version__},
            {"what": "attribution models", "model": ", ".join(MODELS)},
            {"what": "lift", "model": "local-level state-space counterfactual (statsmodels)"},
            {"what": "lifetime value", "model": "BG/NBD + Gamma-Gamma (scipy)"},
        ]
    )
    return [
        Section(
            id="headlines",
            title="Scorecard headlines",
            tables=[table("headlines", "Headlines", headlines, limit=1000)],
        ),
        Section(
            id="metrics",
            title="Metrics (goodwill metrics NAME; docs/metrics.md)",
            tables=[table("metrics", "Metrics", metrics, limit=1000)],
        ),
        Section(
            id="models",
            title="Models and versions",
            tables=[
                table("models", "Models", models),
                table("label_models", "Sentiment labels by model", labels),
            ],
        ),
    ]
