"""Rule-based models on hand-computed journeys, and credit conservation for every model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goodwill.attribution.models import MODELS, ModelOptions, attribute
from goodwill.attribution.paths import Journeys
from goodwill.attribution.rules import rule_credit, touch_weights


def credit_map(journeys: Journeys, rule: str, **kw: float) -> dict[str, float]:
    c = rule_credit(journeys, rule, **kw)
    return {ch: round(float(v), 6) for ch, v in zip(c.channels, c.value, strict=True) if v}


# One journey worth 140: touched by A 14 days, B 7 days and direct 0 days before converting.
ONE = Journeys.from_paths([["A", "B", "direct"]], value=[140.0], ages=[[14.0, 7.0, 0.0]])


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("first", {"A": 140.0}),
        ("last", {"direct": 140.0}),
        ("last_non_direct", {"B": 140.0}),
        ("linear", {"A": 46.666667, "B": 46.666667, "direct": 46.666667}),
        # weights 2^-2, 2^-1, 2^0 = 0.25, 0.5, 1 -> 1/7, 2/7, 4/7 of 140
        ("time_decay", {"A": 20.0, "B": 40.0, "direct": 80.0}),
        ("position", {"A": 56.0, "B": 28.0, "direct": 56.0}),
    ],
)
def test_rule_on_hand_computed_journey(rule: str, expected: dict[str, float]) -> None:
    assert credit_map(ONE, rule, half_life_days=7.0) == expected


def test_time_decay_half_life_is_configurable() -> None:
    # half-life 14: weights 0.5, 2^-0.5, 1
    w = np.array([0.5, 2**-0.5, 1.0])
    expected = dict(zip(["A", "B", "direct"], np.round(140 * w / w.sum(), 6), strict=True))
    assert credit_map(ONE, "time_decay", half_life_days=14.0) == expected


def test_position_based_by_length() -> None:
    j = Journeys.from_paths([["A"], ["A", "B"], ["A", "B", "C", "D"]])
    w = touch_weights(j, "position")
    assert w.tolist() == pytest.approx([1.0, 0.5, 0.5, 0.4, 0.1, 0.1, 0.4])


def test_last_non_direct_falls_back_to_direct_when_only_direct() -> None:
    j = Journeys.from_paths([["direct", "direct"], ["(direct)", "google", "(direct)"]])
    w = touch_weights(j, "last_non_direct")
    assert w.tolist() == [0.0, 1.0, 0.0, 1.0, 0.0]


def test_rules_split_each_journey_separately() -> None:
    j = Journeys.from_paths(
        [["A", "B"], ["B"], ["C", "A", "A"]], value=[10.0, 20.0, 30.0], nulls=[0, 0, 0]
    )
    assert credit_map(j, "first") == {"A": 10.0, "B": 20.0, "C": 30.0}
    assert credit_map(j, "last") == {"A": 30.0, "B": 30.0}
    assert credit_map(j, "linear") == {"A": 25.0, "B": 25.0, "C": 10.0}


def test_non_converting_journeys_get_no_credit_from_rules() -> None:
    j = Journeys.from_paths([["A"], ["B"]], conversions=[1, 0], value=[5.0, 0.0], nulls=[0, 1])
    c = rule_credit(j, "linear")
    assert c.conversions.tolist() == [1.0, 0.0]


def test_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown rule"):
        touch_weights(ONE, "u_shaped")


channel = st.sampled_from(["a", "b", "c", "d", "direct"])
journey = st.tuples(
    st.lists(channel, min_size=1, max_size=6),
    st.integers(min_value=0, max_value=3),
    st.floats(min_value=0, max_value=1000, allow_nan=False),
    st.integers(min_value=0, max_value=3),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(journey, min_size=1, max_size=25), st.sampled_from(MODELS))
def test_credit_sums_to_conversions_and_value(
    rows: list[tuple[list[str], int, float, int]], model: str
) -> None:
    paths = [r[0] for r in rows]
    conv = [float(r[1]) for r in rows]
    value = [r[2] if r[1] else 0.0 for r in rows]
    nulls = [float(r[3]) for r in rows]
    j = Journeys.from_paths(
        paths, conversions=conv, value=value, nulls=nulls, ages=[[1.0] * len(p) for p in paths]
    )
    c = attribute(j, model, ModelOptions(markov_order=2))
    total_conv, total_value = sum(conv), sum(value)
    if model in ("markov", "shapley") and total_conv == 0:
        assert c.conversions.sum() == 0
        return
    assert c.conversions.sum() == pytest.approx(total_conv, rel=1e-9, abs=1e-9)
    assert c.value.sum() == pytest.approx(total_value, rel=1e-9, abs=1e-6)
    assert np.all(c.conversions >= -1e-9)
