"""Every attribution model by name, behind one call."""

from __future__ import annotations

from dataclasses import dataclass

from goodwill.attribution.incremental import incremental_credit
from goodwill.attribution.markov import markov_credit
from goodwill.attribution.paths import Credit, Journeys
from goodwill.attribution.rules import RULES, rule_credit
from goodwill.attribution.shapley import shapley_credit

__all__ = ["MODELS", "ModelOptions", "attribute"]

MODELS: tuple[str, ...] = (*RULES, "markov", "shapley", "incremental")
"""Model names accepted by :func:`attribute` and ``goodwill attribution --model``. The
``incremental`` model's credit has one more entry than the journeys' channels: the last,
``(baseline)``, holds the conversions that would have happened anyway."""


@dataclass(frozen=True, kw_only=True)
class ModelOptions:
    """Tuning of the models: time-decay half-life, Markov order, Shapley characteristic."""

    half_life_days: float = 7.0
    markov_order: int = 1
    shapley_characteristic: str = "conversions"


def attribute(journeys: Journeys, model: str, options: ModelOptions | None = None) -> Credit:
    """Credit per channel under ``model`` (one of :data:`MODELS`)."""
    opts = options or ModelOptions()
    if model in RULES:
        return rule_credit(journeys, model, half_life_days=opts.half_life_days)
    if model == "markov":
        return markov_credit(journeys, order=opts.markov_order)
    if model == "shapley":
        return shapley_credit(journeys, characteristic=opts.shapley_characteristic)
    if model == "incremental":
        return incremental_credit(journeys)
    raise ValueError(f"unknown attribution model {model!r}; choose one of {', '.join(MODELS)}")
