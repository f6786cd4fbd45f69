"""The demo business: a seeded, deterministic simulator with planted ground truth.

:func:`simulate` writes twelve months of *Fernhill Coffee Roasters* (social posts and
interactions, audience counts, website visits, leads and orders, costs) as interchange CSV files
plus ``ground_truth.json``, the answers every estimator is checked against (true incremental
credit per channel, the true effect of starting on Bluesky, care response times, key-message
pull-through, every person's full identity). :func:`write_scale` writes canonical Parquet files
of any size, vectorised, for speed tests.
"""

from __future__ import annotations

from goodwill.simulate.business import simulate
from goodwill.simulate.scale import write_scale
from goodwill.simulate.spec import DemoSpec, SimulationResult

__all__ = ["DemoSpec", "SimulationResult", "simulate", "write_scale"]
