"""Customers who engage on social versus those who don't — matched, not a raw difference.

Coarsened exact matching (Iacus, King & Porro 2012) on what is known *before* the engagement.
For each engaged customer with first engagement ``e`` after their first purchase:

* covariates at ``e``: month of the first purchase (cohort), first purchase value bucket
  (quartile of all customers' first purchase values), purchases before ``e`` (buckets
  1, 2, 3, 4–5, 6–8, 9–12, 13+);
* outcome: purchases (and value) in the ``window_days`` days after ``e``.

Controls are customers who never engaged; a control is evaluated at the first day of ``e``'s
month (the same covariates and outcome window from that day), so it is compared over the same
calendar time. Engaged customers whose stratum (cohort, value bucket, purchases before, month of
``e``) holds no control are left out (reported as ``unmatched``); so are those whose window ends
after ``end``.

The effect on the engaged (ATT):

    ATT = (1/n) Σ_i ( y_i − mean{ y_c : c in stratum(i) } )

over the ``n`` matched engaged customers. The interval is a percentile bootstrap (engaged and
control customers resampled independently, ``draws`` times). The raw difference
``mean(y | engaged) − mean(y | controls)`` is reported next to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from goodwill.errors import UserInputError

__all__ = ["BEFORE_EDGES", "MatchedComparison", "matched_comparison"]

BEFORE_EDGES = (2, 3, 4, 6, 9, 13)
"""Buckets of purchases before the index day: 1, 2, 3, 4–5, 6–8, 9–12, 13+."""


@dataclass(frozen=True, kw_only=True)
class MatchedComparison:
    """Outcome ``purchases`` or ``value`` in the window: matched effect and raw difference."""

    outcome: str
    att: float
    att_lower: float
    att_upper: float
    raw_difference: float
    engaged_mean: float
    matched_control_mean: float
    matched: int
    unmatched: int
    controls: int
    window_days: int


def _first_days(orders: pd.DataFrame) -> pd.DataFrame:
    orders = orders.sort_values(["person", "day"])
    first = orders.groupby("person", as_index=False).first()
    return first.rename(columns={"day": "first_day", "value": "first_value"})


def matched_comparison(
    orders: pd.DataFrame,
    engaged: pd.DataFrame,
    *,
    end: date,
    window_days: int = 90,
    draws: int = 500,
    level: float = 0.95,
    seed: int = 0,
) -> list[MatchedComparison]:
    """Matched comparisons for outcomes ``purchases`` and ``value``.

    ``orders``: ``person, day, value`` (one row per purchase day); ``engaged``: ``person,
    engaged_on`` (first engagement day). ``end``: last day with complete data."""
    if window_days < 1:
        raise UserInputError(f"--window-days {window_days}: must be at least 1")
    orders = orders.assign(day=pd.to_datetime(orders["day"]))
    first = _first_days(orders)
    edges = np.quantile(first["first_value"], [0.25, 0.5, 0.75])
    first["bucket"] = np.searchsorted(edges, first["first_value"], side="right")
    first["cohort"] = first["first_day"].dt.to_period("M")
    eng = engaged.assign(engaged_on=pd.to_datetime(engaged["engaged_on"]))
    eng = eng.merge(first, on="person")
    last_start = pd.Timestamp(end) - timedelta(days=window_days)
    eng = eng[(eng["engaged_on"] > eng["first_day"]) & (eng["engaged_on"] <= last_start)]
    if eng.empty:
        raise UserInputError(
            "no engaged customer with a first engagement after their first purchase and a full "
            f"{window_days}-day window before {end}"
        )
    eng = eng.assign(index_day=eng["engaged_on"], month=eng["engaged_on"].dt.to_period("M"))
    never = first[~first["person"].isin(engaged["person"])]
    months = eng["month"].unique()
    ctrl = never.merge(pd.DataFrame({"month": months}), how="cross")
    ctrl = ctrl.assign(index_day=ctrl["month"].dt.to_timestamp())
    ctrl = ctrl[ctrl["first_day"] < ctrl["index_day"]]
    eng = _covariates_and_outcomes(eng, orders, window_days)
    ctrl = _covariates_and_outcomes(ctrl, orders, window_days)
    strata = ["cohort", "bucket", "before", "month"]
    has_control = eng.set_index(strata).index.isin(ctrl.set_index(strata).index)
    matched = eng[has_control]
    if matched.empty:
        raise UserInputError("no engaged customer has a comparable non-engaged customer")
    rng = np.random.default_rng(seed)
    out = []
    for outcome in ("purchases", "value"):
        att, control_mean = _att(matched, ctrl, strata, outcome)
        boots = []
        for _ in range(draws):
            e = matched.iloc[rng.integers(0, len(matched), len(matched))]
            c = ctrl.iloc[rng.integers(0, len(ctrl), len(ctrl))]
            value, _ = _att(e, c, strata, outcome)
            if np.isfinite(value):
                boots.append(value)
        lo, hi = np.quantile(boots, [(1 - level) / 2, (1 + level) / 2])
        out.append(
            MatchedComparison(
                outcome=outcome,
                att=att,
                att_lower=float(lo),
                att_upper=float(hi),
                raw_difference=float(eng[outcome].mean() - ctrl[outcome].mean()),
                engaged_mean=float(matched[outcome].mean()),
                matched_control_mean=control_mean,
                matched=len(matched),
                unmatched=len(eng) - len(matched),
                controls=int(ctrl["person"].nunique()),
                window_days=window_days,
            )
        )
    return out


def _covariates_and_outcomes(
    rows: pd.DataFrame, orders: pd.DataFrame, window_days: int
) -> pd.DataFrame:
    """Add ``before`` (bucket of purchases before index_day), ``purchases`` and ``value``
    (in [index_day, index_day + window))."""
    pairs = rows[["person", "index_day"]].reset_index(drop=True).reset_index(names="row")
    joined = pairs.merge(orders, on="person")
    before = joined["day"] < joined["index_day"]
    inside = (joined["day"] >= joined["index_day"]) & (
        joined["day"] < joined["index_day"] + timedelta(days=window_days)
    )
    n_before = joined[before].groupby("row").size()
    n_in = joined[inside].groupby("row").size()
    v_in = joined[inside].groupby("row")["value"].sum()
    rows = rows.reset_index(drop=True)
    counts = n_before.reindex(rows.index, fill_value=0).to_numpy()
    rows["before"] = np.searchsorted(BEFORE_EDGES, counts, side="right")
    rows["purchases"] = n_in.reindex(rows.index, fill_value=0).astype("float64").to_numpy()
    rows["value"] = v_in.reindex(rows.index, fill_value=0.0).astype("float64").to_numpy()
    return rows


def _att(
    engaged: pd.DataFrame, controls: pd.DataFrame, strata: list[str], outcome: str
) -> tuple[float, float]:
    """ATT and the matched control mean (each engaged weighted once)."""
    means = controls.groupby(strata, observed=True)[outcome].mean().rename("control")
    both = engaged.join(means, on=strata, how="inner")
    if both.empty:
        return float("nan"), float("nan")
    return float((both[outcome] - both["control"]).mean()), float(both["control"].mean())
