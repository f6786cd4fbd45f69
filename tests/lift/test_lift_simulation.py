"""The counterfactual draws simulated for all repetitions at once equal statsmodels' one
repetition at a time (same random numbers, same recursion) to 1e-12, for every model the lift
estimator fits, and so does the whole estimate."""

from __future__ import annotations

import warnings
from dataclasses import fields
from typing import Any

import numpy as np
import pandas as pd
import pytest

from goodwill.lift import model as lift_model
from goodwill.lift.model import _fit, estimate_lift, simulate_forward


def _series(n: int = 150, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2)).cumsum(axis=0)
    y = 5 + 0.02 * np.arange(n) + x @ np.array([0.5, -0.3]) + rng.normal(size=n)
    return (y - y[:100].mean()) / y[:100].std(), x


def _statsmodels(result: Any, steps: int, draws: int, exog: Any, seed: int) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sims = result.simulate(
            steps,
            anchor="end",
            repetitions=draws,
            exog=exog,
            random_state=np.random.default_rng(seed),
        )
    return np.asarray(sims).reshape(steps, draws)


@pytest.mark.parametrize(
    ("trend", "seasonal", "level_sd", "controls"),
    [
        (False, None, 0.01, False),
        (False, None, None, False),
        (True, None, None, False),
        (False, 7, 0.01, False),
        (False, None, 0.01, True),
        (True, 7, None, True),
    ],
)
def test_batched_simulation_equals_statsmodels(
    trend: bool, seasonal: int | None, level_sd: float | None, controls: bool
) -> None:
    y, x = _series()
    post = 100
    result = _fit(y[:post], x[:post] if controls else None, trend, seasonal, level_sd)
    exog = x[post:] if controls else None
    expected = _statsmodels(result, len(y) - post, 400, exog, seed=5)
    got = simulate_forward(result, len(y) - post, 400, exog, np.random.default_rng(5))
    assert got.shape == expected.shape and np.ptp(expected) > 1
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_estimate_equals_the_one_by_one_simulation(monkeypatch: pytest.MonkeyPatch) -> None:
    y, x = _series(seed=11)
    y[110:] += 0.8  # an effect after the intervention
    frame = pd.DataFrame({"y": y * 10 + 100, "c1": x[:, 0], "c2": x[:, 1]})
    for controls in ((), ("c1", "c2")):
        new = estimate_lift(frame, 110, controls=controls, draws=500)

        def one_by_one(result: Any, steps: int, draws: int, exog: Any, rng: Any) -> Any:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sims = result.simulate(
                    steps, anchor="end", repetitions=draws, exog=exog, random_state=rng
                )
            return np.asarray(sims).reshape(steps, draws)

        with monkeypatch.context() as m:
            m.setattr(lift_model, "simulate_forward", one_by_one)
            old = estimate_lift(frame, 110, controls=controls, draws=500)
        for f in fields(new):
            a, b = getattr(new, f.name), getattr(old, f.name)
            if isinstance(a, pd.DataFrame):
                pd.testing.assert_frame_equal(a, b, rtol=1e-12, atol=1e-10)
            elif isinstance(a, float):
                assert a == pytest.approx(b, rel=1e-12, abs=1e-10, nan_ok=True), f.name
            else:
                assert a == b, f.name
        assert new.placebo_periods > 0 and new.verdict
