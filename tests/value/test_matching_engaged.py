"""The matched comparison removes confounding that the raw difference keeps."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from goodwill.value.matching import matched_comparison


def _customers(seed: int, effect: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """January customers buy every 10 days and mostly engage; February ones every 40 days and
    rarely engage. Engaging adds exactly ``effect`` purchases in the 90 days after it."""
    rng = np.random.default_rng(seed)
    rows, engaged = [], []
    for i in range(400):
        january = i % 2 == 0
        first = pd.Timestamp("2025-01-01" if january else "2025-02-01")
        gap = 10 if january else 40
        days = [first + timedelta(days=gap * k) for k in range(30)]
        days = [d for d in days if d <= pd.Timestamp("2025-12-31")]
        if rng.random() < (0.8 if january else 0.2):
            on = first + timedelta(days=95)  # early May
            engaged.append((f"p{i}", on))
            days += [on + timedelta(days=3 + 7 * k) for k in range(effect)]
        rows += [(f"p{i}", d, 10.0) for d in sorted(set(days))]
    orders = pd.DataFrame(rows, columns=["person", "day", "value"])
    return orders, pd.DataFrame(engaged, columns=["person", "engaged_on"])


def test_matched_effect_recovers_the_planted_effect() -> None:
    orders, engaged = _customers(1, effect=2)
    purchases, value = matched_comparison(orders, engaged, end=date(2025, 12, 31), draws=100)
    assert purchases.outcome == "purchases" and value.outcome == "value"
    # raw difference mixes the effect with the January customers' higher purchase rate
    assert purchases.raw_difference > 4
    assert purchases.att_lower <= 2 <= purchases.att_upper
    assert purchases.att == pytest.approx(2, abs=0.5)
    assert value.att == pytest.approx(10 * purchases.att)
    assert purchases.matched + purchases.unmatched == len(engaged)
