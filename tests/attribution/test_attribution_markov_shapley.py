"""Markov removal effects and Shapley values on small examples computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from goodwill.attribution.markov import markov_credit, removal_effects
from goodwill.attribution.paths import Journeys
from goodwill.attribution.shapley import shapley_credit, shapley_values

# a -> b -> conversion, b -> null, a -> null
SMALL = Journeys.from_paths(
    [["a", "b"], ["b"], ["a"]], conversions=[1, 0, 0], value=[30.0, 0, 0], nulls=[0, 1, 1]
)


def test_markov_first_order_by_hand() -> None:
    # start: a 2/3, b 1/3; a: b 1/2, null 1/2; b: conversion 1/2, null 1/2.
    # p = 2/3 * 1/2 * 1/2 + 1/3 * 1/2 = 1/3
    # without a: 1/3 * 1/2 = 1/6 -> RE_a = 1/2; without b: 0 -> RE_b = 1
    r = removal_effects(SMALL, order=1)
    assert r.p_conversion == pytest.approx(1 / 3)
    assert r.removal_effect.tolist() == pytest.approx([0.5, 1.0])
    c = markov_credit(SMALL, order=1)
    assert c.conversions.tolist() == pytest.approx([1 / 3, 2 / 3])
    assert c.value.tolist() == pytest.approx([10.0, 20.0])


def test_markov_second_order_by_hand() -> None:
    # states (a), (a,b), (b): start -> (a) 2/3, (b) 1/3; (a) -> (a,b) 1/2, null 1/2;
    # (a,b) -> conversion 1; (b) -> null 1.  p = 1/3.
    # Removing a drops (a) and (a,b): p = 0; removing b drops (a,b) and (b): p = 0.
    r = removal_effects(SMALL, order=2)
    assert r.p_conversion == pytest.approx(1 / 3)
    assert r.removal_effect.tolist() == pytest.approx([1.0, 1.0])
    assert markov_credit(SMALL, order=2).conversions.tolist() == pytest.approx([0.5, 0.5])


def test_markov_with_loops_and_counts() -> None:
    # Aggregated rows: "a > a" converts 2 of 4, "b" converts 1 of 4.
    # start: a 1/2, b 1/2; a: a 1/2, conv 1/4, null 1/4 -> from a: x = 1/4 + x/2 -> x = 1/2;
    # b: conv 1/4.  p = 1/2 * 1/2 + 1/2 * 1/4 = 3/8.
    # without a: 1/8 -> RE_a = 2/3; without b: 1/4 -> RE_b = 1/3.
    j = Journeys.from_paths([["a", "a"], ["b"]], conversions=[2, 1], nulls=[2, 3])
    r = removal_effects(j)
    assert r.p_conversion == pytest.approx(3 / 8)
    assert r.removal_effect.tolist() == pytest.approx([2 / 3, 1 / 3])
    assert markov_credit(j).conversions.tolist() == pytest.approx([2.0, 1.0])


def test_markov_finite_horizon_by_hand() -> None:
    # "a > b" and "b", each 1 conversion and 1 null. start: a 1/2, b 1/2; a: b 1;
    # b: conversion 1/2, null 1/2. Exact: p = 1/2 * 1/2 + 1/2 * 1/2 = 1/2; without a 1/4
    # -> RE_a = 1/2; without b 0 -> RE_b = 1.
    # Cut after 2 transitions (ChannelAttribution's max_step = 1): x_1(b) = 1/2, x_1(a) = 0,
    # x_2(start) = 1/4: the walk through a needs 3. Without a still 1/4 -> RE_a = 0.
    j = Journeys.from_paths([["a", "b"], ["b"]], conversions=[1, 1], nulls=[1, 1])
    assert removal_effects(j).removal_effect.tolist() == pytest.approx([0.5, 1.0])
    r = removal_effects(j, max_steps=2)
    assert r.p_conversion == pytest.approx(1 / 4)
    assert r.removal_effect.tolist() == pytest.approx([0.0, 1.0])
    assert removal_effects(j, max_steps=3).removal_effect.tolist() == pytest.approx([0.5, 1.0])
    # a self-loop changes no absorption probability; a cut chain drops it (as ChannelAttribution
    # merges repeats) so it does not use up steps: "a > a" is the walk start -> a -> conversion
    loop = Journeys.from_paths([["a", "a"], ["b"]], conversions=[2, 1], nulls=[2, 3])
    assert removal_effects(loop, max_steps=2).p_conversion == pytest.approx(3 / 8)
    assert removal_effects(loop).p_conversion == pytest.approx(3 / 8)
    # order 2: ChannelAttribution's chain goes start -> "a b" -> conversion (2 transitions);
    # ours passes the prefix state (a) first, so it gets one more transition
    assert removal_effects(SMALL, order=2, max_steps=2).p_conversion == pytest.approx(1 / 3)
    assert removal_effects(SMALL, order=2, max_steps=1).p_conversion == 0.0
    with pytest.raises(ValueError, match="max_steps"):
        removal_effects(j, max_steps=0)


def test_shapley_two_channels_by_hand() -> None:
    # conversions by exact channel set: {a}: 1, {b}: 2, {a,b}: 3
    # v(a)=1, v(b)=2, v(ab)=6; phi_a = 1/2 (1 - 0) + 1/2 (6 - 2) = 2.5; phi_b = 3.5
    j = Journeys.from_paths([["a"], ["b"], ["b"], ["a", "b"], ["b", "a", "a"], ["a", "b"]])
    c = shapley_credit(j)
    assert c.conversions.tolist() == pytest.approx([2.5, 3.5])


def test_shapley_three_player_game() -> None:
    # v by bitmask (a=1, b=2, c=4): glove game: a holds a left glove, b and c right gloves;
    # v(S) = 1 when S holds a and one of b, c. Known values: a 2/3, b 1/6, c 1/6.
    v = np.zeros(8)
    v[0b011] = v[0b101] = v[0b111] = 1.0
    assert shapley_values(v, 3).tolist() == pytest.approx([2 / 3, 1 / 6, 1 / 6])


def test_shapley_rate_characteristic() -> None:
    # rates: {a}: 1/2, {b}: 1/4, {a,b}: 1 -> v(a)=.5, v(b)=.25, v(ab)=1.75
    # phi_a = 1/2 (.5) + 1/2 (1.75 - .25) = 1.0; phi_b = 1/2 (.25) + 1/2 (1.25) = 0.75
    j = Journeys.from_paths(
        [["a"], ["b"], ["a", "b"]], conversions=[1, 1, 2], value=[10, 10, 20], nulls=[1, 3, 0]
    )
    c = shapley_credit(j, characteristic="rate")
    share = np.array([1.0, 0.75]) / 1.75
    assert c.conversions.tolist() == pytest.approx((share * 4).tolist())
    assert c.value.tolist() == pytest.approx((share * 40).tolist())


def test_shapley_refuses_too_many_channels() -> None:
    j = Journeys.from_paths([[f"c{i}" for i in range(21)]])
    with pytest.raises(ValueError, match="limited to 20"):
        shapley_credit(j)
