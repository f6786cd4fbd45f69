"""Causal lift of an intervention on a series: a CausalImpact-style state-space counterfactual.

The model (Brodersen et al. 2015, "Inferring causal impact using Bayesian structural
time-series models") is fitted to the pre-period only and projected over the post-period:

    y_t = mu_t [+ gamma_t] + beta' x_t + eps_t,      eps_t ~ N(0, sigma_eps^2)
    mu_{t+1} = mu_t [+ delta_t] + eta_t,             eta_t ~ N(0, sigma_mu^2)
    [delta_{t+1} = delta_t + zeta_t]                 (``trend=True``: local linear trend)
    [gamma_t = -sum_{s=1}^{S-1} gamma_{t-s} + w_t]   (``seasonal=S``)

with the control series ``x_t`` as regressors. It is a statsmodels ``UnobservedComponents``
model; the variances are maximum-likelihood estimates on the (standardised) pre-period, and the
regression coefficients ``beta`` are part of the state vector (``mle_regression=False``), so
their uncertainty is carried by the Kalman filter into the counterfactual.

The counterfactual ``ŷ_t`` for each post-period ``t`` is simulated ``draws`` times from the
predictive distribution (state at the end of the pre-period drawn from its filtered
distribution, then state and observation shocks), given the observed controls. With ``y_t`` the
observed post-period values, ``n`` post periods and draws ``ŷ^(k)``:

* average effect  ``effect = mean_t (y_t − E[ŷ_t])``, interval = quantiles over k of
  ``mean_t (y_t − ŷ_t^(k))``;
* cumulative effect ``= n × effect``, interval likewise from ``sum_t (y_t − ŷ_t^(k))``;
* relative effect ``= sum_t (y_t − E[ŷ_t]) / sum_t E[ŷ_t]``, interval from
  ``sum_t (y_t − ŷ_t^(k)) / sum_t ŷ_t^(k)``;
* tail probability ``p = min(#{k: S^(k) ≥ S}, #{k: S^(k) ≤ S}) + 1) / (draws + 1)`` with
  ``S = sum_t y_t`` and ``S^(k) = sum_t ŷ_t^(k)`` — the one-sided posterior predictive tail
  area as CausalImpact reports it.

Unlike R's CausalImpact (MCMC over the variances, spike-and-slab prior on ``beta``), the
variances are fixed at their MLE, so intervals ignore the variances' own uncertainty.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

from goodwill.errors import UserInputError

__all__ = ["MIN_PRE_PERIODS", "LiftResult", "estimate_lift"]

MIN_PRE_PERIODS = 8
"""Fewer pre-period points than this cannot support a counterfactual."""


@dataclass(frozen=True, kw_only=True)
class LiftResult:
    """What :func:`estimate_lift` found. Effects are in the series' unit per period."""

    effect: float
    effect_lower: float
    effect_upper: float
    cumulative_effect: float
    cumulative_lower: float
    cumulative_upper: float
    relative_effect: float
    relative_lower: float
    relative_upper: float
    p_value: float
    actual_mean: float
    predicted_mean: float
    predicted_lower: float
    predicted_upper: float
    n_pre: int
    n_post: int
    level: float
    series: pd.DataFrame = field(repr=False)
    """One row per period: ``date, actual, predicted, predicted_lower, predicted_upper,
    point_effect, cumulative_effect, cumulative_lower, cumulative_upper, post`` (post-period
    flag; in the pre-period ``predicted`` is the one-step-ahead prediction)."""

    def summary(self) -> dict[str, Any]:
        """The scalar results as a JSON-ready dict."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "series"}


def estimate_lift(
    frame: pd.DataFrame,
    post_start: int,
    *,
    y: str = "y",
    controls: tuple[str, ...] | None = None,
    trend: bool = False,
    seasonal: int | None = None,
    level_sd: float | None = 0.01,
    draws: int = 2000,
    level: float = 0.95,
    seed: int = 0,
) -> LiftResult:
    """Estimate the effect of an intervention on ``frame[y]`` starting at row ``post_start``.

    ``frame`` is ordered in time, one row per period, with column ``y``, the ``controls``
    (default: every numeric column but ``y``) and optionally ``date``. Rows before
    ``post_start`` are the pre-period. Controls must not be affected by the intervention.
    """
    if y not in frame.columns:
        raise UserInputError(f"series has no column {y!r}; columns: {', '.join(frame.columns)}")
    if controls is None:
        controls = tuple(
            c
            for c in frame.columns
            if c not in (y, "date") and pd.api.types.is_numeric_dtype(frame[c])
        )
    missing = [c for c in controls if c not in frame.columns]
    if missing:
        raise UserInputError(f"control series {missing} not in the series columns")
    n = len(frame)
    if post_start < MIN_PRE_PERIODS:
        raise UserInputError(
            f"only {post_start} periods before the intervention; need at least {MIN_PRE_PERIODS}"
        )
    if post_start >= n:
        raise UserInputError("no periods on or after the intervention date; nothing to measure")
    if not 0 < level < 1:
        raise UserInputError(f"interval level {level}: must lie between 0 and 1")
    values = frame[y].to_numpy(dtype="float64")
    x = frame[list(controls)].to_numpy(dtype="float64") if controls else None
    if np.isnan(values[post_start:]).any() or (x is not None and np.isnan(x).any()):
        raise UserInputError("missing values in the post-period or in a control series")

    # standardise on the pre-period (as CausalImpact does) so the optimiser sees unit scale
    pre = values[:post_start]
    mu, sd = float(np.nanmean(pre)), float(np.nanstd(pre))
    sd = sd if sd > 0 else 1.0
    ys = (values - mu) / sd
    xs = None
    if x is not None:
        xm, xsd = x[:post_start].mean(axis=0), x[:post_start].std(axis=0)
        xsd[xsd == 0] = 1.0
        xs = (x - xm) / xsd

    result = _fit(
        ys[:post_start], None if xs is None else xs[:post_start], trend, seasonal, level_sd
    )
    n_post = n - post_start
    exog_post = None if xs is None else xs[post_start:]
    forecast = result.get_forecast(steps=n_post, exog=exog_post)
    pred_mean = np.asarray(forecast.predicted_mean) * sd + mu
    rng = np.random.default_rng(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sims = result.simulate(
            n_post, anchor="end", repetitions=draws, exog=exog_post, random_state=rng
        )
    sims = np.asarray(sims).reshape(n_post, draws) * sd + mu

    actual = values[post_start:]
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    sim_sums = sims.sum(axis=0)
    effects_cum = actual.sum() - sim_sums
    cum = float(actual.sum() - pred_mean.sum())
    cum_lo, cum_hi = np.quantile(effects_cum, [lo_q, hi_q])
    rel_draws = effects_cum / sim_sums
    rel_lo, rel_hi = np.quantile(rel_draws, [lo_q, hi_q])
    s = actual.sum()
    tail = min(int((sim_sums >= s).sum()), int((sim_sums <= s).sum())) + 1
    pred_lo_t, pred_hi_t = np.quantile(sims, [lo_q, hi_q], axis=1)
    cum_path = np.cumsum(actual[:, None] - sims, axis=0)
    cpath_lo, cpath_hi = np.quantile(cum_path, [lo_q, hi_q], axis=1)

    in_sample = result.get_prediction()
    pre_pred = np.asarray(in_sample.predicted_mean) * sd + mu
    pre_ci = np.asarray(in_sample.conf_int(alpha=1 - level)) * sd + mu
    nan_pre = np.full(post_start, np.nan)
    series = pd.DataFrame(
        {
            "date": frame["date"].to_numpy() if "date" in frame.columns else np.arange(n),
            "actual": values,
            "predicted": np.concatenate([pre_pred, pred_mean]),
            "predicted_lower": np.concatenate([pre_ci[:, 0], pred_lo_t]),
            "predicted_upper": np.concatenate([pre_ci[:, 1], pred_hi_t]),
            "point_effect": np.concatenate([values[:post_start] - pre_pred, actual - pred_mean]),
            "cumulative_effect": np.concatenate([nan_pre, np.cumsum(actual - pred_mean)]),
            "cumulative_lower": np.concatenate([nan_pre, cpath_lo]),
            "cumulative_upper": np.concatenate([nan_pre, cpath_hi]),
            "post": np.arange(n) >= post_start,
        }
    )
    p_lo, p_hi = np.quantile(sim_sums / n_post, [lo_q, hi_q])
    return LiftResult(
        effect=cum / n_post,
        effect_lower=float(cum_lo) / n_post,
        effect_upper=float(cum_hi) / n_post,
        cumulative_effect=cum,
        cumulative_lower=float(cum_lo),
        cumulative_upper=float(cum_hi),
        relative_effect=cum / float(pred_mean.sum()),
        relative_lower=float(rel_lo),
        relative_upper=float(rel_hi),
        p_value=tail / (draws + 1),
        actual_mean=float(actual.mean()),
        predicted_mean=float(pred_mean.mean()),
        predicted_lower=float(p_lo),
        predicted_upper=float(p_hi),
        n_pre=post_start,
        n_post=n_post,
        level=level,
        series=series,
    )


def _fit(
    y: np.ndarray, x: np.ndarray | None, trend: bool, seasonal: int | None, level_sd: float | None
) -> Any:
    """The pre-period ``UnobservedComponents`` fit (MLE of the variances)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' import uses a pandas API pandas 4 drops
        from statsmodels.tsa.statespace.structural import (  # type: ignore[import-untyped]
            UnobservedComponents,
        )

    if seasonal is not None and seasonal < 2:
        raise UserInputError(f"--seasonal {seasonal}: a season needs at least 2 periods")
    model = UnobservedComponents(
        y,
        level="local linear trend" if trend else "local level",
        seasonal=seasonal,
        exog=x,
        mle_regression=False,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter from the optimiser
        if level_sd is None:
            return model.fit(disp=False, maxiter=500)
        with model.fix_params({"sigma2.level": level_sd**2}):
            return model.fit(disp=False, maxiter=500)
