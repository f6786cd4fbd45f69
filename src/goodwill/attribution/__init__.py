"""Journeys, attribution models and the return on investment of social media.

* :mod:`~goodwill.attribution.journeys` — the touches before each conversion (and the journeys
  that did not convert), built from the warehouse with Ibis.
* :mod:`~goodwill.attribution.paths` — journeys as flat numpy arrays, the models' input.
* :mod:`~goodwill.attribution.rules` — first, last, last non-direct, linear, time decay,
  position-based (40/20/40).
* :mod:`~goodwill.attribution.markov` — Markov-chain removal effects of any order.
* :mod:`~goodwill.attribution.shapley` — exact Shapley values over channel coalitions.
* :mod:`~goodwill.attribution.incremental` — the conversions each channel added over a
  baseline fitted on every journey, converting and not (the default for ROI and the
  scorecard; :mod:`~goodwill.attribution.docs` holds its accuracy for docs/metrics.md).
* :mod:`~goodwill.attribution.bootstrap` — bootstrap intervals for every model.
* :mod:`~goodwill.attribution.costs`, :mod:`~goodwill.attribution.roi` — the full cost and
  ROI by platform, campaign and month; the scorecard's progress against its targets
  (:mod:`~goodwill.attribution.scorecard_config` reads ``[scorecard]`` from goodwill.toml;
  :mod:`~goodwill.attribution.scorecard_levels` defines the level currencies reputation, care
  and care_time, and how sums and levels are judged against a target).

The models are pure numpy/scipy and take :class:`Journeys`; only ``journeys``, ``costs`` and
``roi`` read the warehouse.
"""

from __future__ import annotations

from goodwill.attribution.bootstrap import AttributionResult, attribute_with_intervals
from goodwill.attribution.journeys import (
    JourneySpec,
    JourneyStore,
    WarehouseJourneys,
    build_journeys,
)
from goodwill.attribution.models import MODELS, ModelOptions, attribute
from goodwill.attribution.paths import Credit, Journeys
from goodwill.attribution.roi import RoiSettings, roi_table, scorecard_progress
from goodwill.attribution.scorecard_config import ScorecardConfig, load_scorecard_config

__all__ = [
    "MODELS",
    "AttributionResult",
    "Credit",
    "JourneySpec",
    "JourneyStore",
    "Journeys",
    "ModelOptions",
    "RoiSettings",
    "ScorecardConfig",
    "WarehouseJourneys",
    "attribute",
    "attribute_with_intervals",
    "build_journeys",
    "load_scorecard_config",
    "roi_table",
    "scorecard_progress",
]
