"""Marketing mix modelling: the aggregate lens on what each channel returns.

:func:`run` builds the weekly series from the warehouse (:mod:`.series`), fits the model
(:mod:`.model`), checks convergence (:mod:`.diagnostics`), and summarises contribution, ROI,
marginal ROI, response curves, the baseline share and a suggested budget split
(:mod:`.results`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from goodwill.metrics.declarations import Backend
from goodwill.mmm.model import FitSettings, MixData, Posterior, Progress, fit
from goodwill.mmm.results import Budget, MixResult, reallocate, summarise
from goodwill.mmm.series import OUTCOMES, build_series

__all__ = ["OUTCOMES", "FitSettings", "MixRun", "run", "run_data"]


@dataclass(frozen=True)
class MixRun:
    outcome: str
    weeks: list[date]
    data: MixData
    result: MixResult
    budget: Budget | None
    """None when the fit did not converge or no paid channel had spend."""
    posterior: Posterior


def run_data(
    data: MixData,
    weeks: list[date],
    outcome: str,
    settings: FitSettings | None = None,
    *,
    budget: float | None = None,
    progress: Progress | None = None,
) -> MixRun:
    post = fit(data, settings, progress=progress)
    result = summarise(post)
    plan = None
    if result.convergence.converged and any(
        p and s > 0 for p, s in zip(data.paid, data.spend.sum(axis=1), strict=True)
    ):
        plan = reallocate(post, budget)
    return MixRun(
        outcome=outcome, weeks=weeks, data=data, result=result, budget=plan, posterior=post
    )


def run(
    backend: Backend,
    outcome: str = "revenue",
    settings: FitSettings | None = None,
    *,
    holidays: tuple[date, ...] = (),
    since: date | None = None,
    until: date | None = None,
    budget: float | None = None,
    progress: Progress | None = None,
) -> MixRun:
    """Fit the mix model of ``outcome`` on the warehouse behind ``backend``."""
    data, weeks = build_series(backend, outcome, holidays=holidays, since=since, until=until)
    return run_data(data, weeks, outcome, settings, budget=budget, progress=progress)
