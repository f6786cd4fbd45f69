"""BG/NBD repeat-purchase model and Gamma-Gamma spend model, fitted by maximum likelihood.

**BG/NBD** (Fader, Hardie & Lee 2005, "Counting your customers the easy way"). A customer
buys at Poisson rate ``λ ~ Gamma(r, α)`` while alive and dies after each purchase with
probability ``p ~ Beta(a, b)``. For a customer with ``x`` repeat purchases, the last at
``t_x``, observed for ``T`` (time since the first purchase):

    L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
        + [x > 0] · B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x))

Expected purchases in the next ``t`` periods:

    E[X(t) | x, t_x, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x)
                          · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] / D,
    D = 1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x),   P(alive) = 1/D.

**Gamma-Gamma** (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang 1999). The values
of a customer's repeat purchases are Gamma(p, ν) with ``ν ~ Gamma(q, γ)``; for ``x`` repeat
purchases with mean value ``m``:

    log L = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ+m x)
    E[M | m, x] = p (γ + m x) / (p x + q − 1)

Both are fitted by minimising the negative log-likelihood over the log-parameters (scipy,
Nelder–Mead then BFGS); standard errors come from the inverse of a finite-difference Hessian
of the log-likelihood at the optimum (delta method back to the parameters).

CLV over a horizon (undiscounted): ``E[X(horizon)] · E[M] · margin``, with an interval from
parameter draws (asymptotic normal of the log-parameters).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special  # type: ignore[import-untyped]

from goodwill.errors import UserInputError

__all__ = [
    "BgNbdFit",
    "GammaGammaFit",
    "bgnbd_log_likelihood",
    "clv",
    "clv_table",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "gamma_gamma_log_likelihood",
]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True, kw_only=True)
class BgNbdFit:
    """Fitted BG/NBD parameters, their standard errors and the log-likelihood."""

    r: float
    alpha: float
    a: float
    b: float
    se: dict[str, float]
    log_likelihood: float
    n_customers: int
    log_cov: FloatArray | None = None
    """Covariance of the log-parameters (inverse Hessian); ``None`` when unknown."""

    def p_alive(self, x: FloatArray, t_x: FloatArray, big_t: FloatArray) -> FloatArray:
        """P(alive | x, t_x, T) = 1/D (module docstring)."""
        return 1.0 / self._d(np.asarray(x, float), np.asarray(t_x, float), np.asarray(big_t, float))

    def expected_purchases(
        self, t: float, x: FloatArray, t_x: FloatArray, big_t: FloatArray
    ) -> FloatArray:
        """E[X(t) | x, t_x, T]: expected repeat purchases in the next ``t`` periods."""
        x, t_x, big_t = (np.asarray(v, float) for v in (x, t_x, big_t))
        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        z = t / (alpha + big_t + t)
        hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, z)
        num = 1.0 - ((alpha + big_t) / (alpha + big_t + t)) ** (r + x) * hyp
        return np.asarray((a + b + x - 1) / (a - 1) * num / self._d(x, t_x, big_t))

    def _d(self, x: FloatArray, t_x: FloatArray, big_t: FloatArray) -> FloatArray:
        ratio = (self.alpha + big_t) / (self.alpha + t_x)
        extra = np.where(
            x > 0, self.a / np.maximum(self.b + x - 1, 1e-12) * ratio ** (self.r + x), 0.0
        )
        return np.asarray(1.0 + extra)


@dataclass(frozen=True, kw_only=True)
class GammaGammaFit:
    """Fitted Gamma-Gamma parameters (``v`` is γ), standard errors, log-likelihood."""

    p: float
    q: float
    v: float
    se: dict[str, float]
    log_likelihood: float
    n_customers: int
    log_cov: FloatArray | None = None
    """Covariance of the log-parameters (inverse Hessian); ``None`` when unknown."""

    def expected_value(self, x: FloatArray, m: FloatArray) -> FloatArray:
        """E[M | m, x] = p (γ + m x) / (p x + q − 1); the population mean p γ/(q − 1) at x=0."""
        x, m = np.asarray(x, float), np.nan_to_num(np.asarray(m, float))
        return np.asarray(self.p * (self.v + m * x) / (self.p * x + self.q - 1))


def bgnbd_log_likelihood(
    params: tuple[float, float, float, float], x: FloatArray, t_x: FloatArray, big_t: FloatArray
) -> FloatArray:
    """Per-customer BG/NBD log-likelihood (module docstring)."""
    r, alpha, a, b = params
    lgamma, betaln = special.gammaln, special.betaln
    a1 = lgamma(r + x) - lgamma(r) + r * math.log(alpha)
    a2 = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + big_t)
    with np.errstate(invalid="ignore", divide="ignore"):
        a3 = np.where(
            x > 0,
            betaln(a + 1, np.maximum(b + x - 1, 1e-12))
            - betaln(a, b)
            - (r + x) * np.log(alpha + t_x),
            -np.inf,
        )
    return np.asarray(a1 + np.logaddexp(a2, a3))


def gamma_gamma_log_likelihood(
    params: tuple[float, float, float], x: FloatArray, m: FloatArray
) -> FloatArray:
    """Per-customer Gamma-Gamma log-likelihood for customers with ``x > 0``."""
    p, q, v = params
    lg = special.gammaln
    px = p * x
    return np.asarray(
        lg(px + q)
        - lg(px)
        - lg(q)
        + q * math.log(v)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * np.log(v + m * x)
    )


def fit_bgnbd(x: Any, t_x: Any, big_t: Any) -> BgNbdFit:
    """Fit BG/NBD to per-customer ``x`` (repeat purchases), ``t_x`` (time of the last one
    since the first purchase; 0 when ``x = 0``) and ``T`` (time observed since the first)."""
    xa, ta, ba = (np.asarray(v, dtype="float64") for v in (x, t_x, big_t))
    if len(xa) < 4:
        raise UserInputError(f"BG/NBD needs at least 4 customers; got {len(xa)}")
    if (xa < 0).any() or (ta > ba + 1e-9).any() or (ta < 0).any():
        raise UserInputError("BG/NBD input: need x >= 0 and 0 <= t_x <= T for every customer")
    if not (xa > 0).any():
        raise UserInputError("BG/NBD: no customer bought twice; repeat behaviour is unknowable")

    def nll(theta: FloatArray) -> float:
        params = tuple(float(v) for v in np.exp(theta))
        ll = bgnbd_log_likelihood(params, xa, ta, ba).sum()  # type: ignore[arg-type]
        return float(-ll) if np.isfinite(ll) else 1e300

    theta, ll, se, cov = _maximise(nll, np.log([1.0, max(float(ba.mean()), 1.0), 1.0, 1.0]))
    r, alpha, a, b = np.exp(theta)
    names = ("r", "alpha", "a", "b")
    return BgNbdFit(
        r=float(r),
        alpha=float(alpha),
        a=float(a),
        b=float(b),
        se=dict(zip(names, se, strict=True)),
        log_likelihood=ll,
        log_cov=cov,
        n_customers=len(xa),
    )


def fit_gamma_gamma(x: Any, m: Any) -> GammaGammaFit:
    """Fit Gamma-Gamma to customers with ``x > 0`` repeat purchases of mean value ``m``
    (customers with ``x = 0`` are left out, as the model requires)."""
    xa, ma = np.asarray(x, dtype="float64"), np.asarray(m, dtype="float64")
    keep = (xa > 0) & (ma > 0) & np.isfinite(ma)
    xa, ma = xa[keep], ma[keep]
    if len(xa) < 3:
        raise UserInputError(f"Gamma-Gamma needs at least 3 repeat customers; got {len(xa)}")

    def nll(theta: FloatArray) -> float:
        params = tuple(float(v) for v in np.exp(theta))
        ll = gamma_gamma_log_likelihood(params, xa, ma).sum()  # type: ignore[arg-type]
        return float(-ll) if np.isfinite(ll) else 1e300

    theta, ll, se, cov = _maximise(nll, np.log([1.0, 1.0, max(float(ma.mean()), 1.0)]))
    p, q, v = np.exp(theta)
    return GammaGammaFit(
        p=float(p),
        q=float(q),
        v=float(v),
        se=dict(zip(("p", "q", "v"), se, strict=True)),
        log_likelihood=ll,
        log_cov=cov,
        n_customers=len(xa),
    )


def clv(
    bg: BgNbdFit,
    gg: GammaGammaFit,
    customers: pd.DataFrame,
    horizon: float,
    margin: float = 1.0,
    *,
    draws: int = 200,
    level: float = 0.9,
    seed: int = 0,
) -> pd.DataFrame:
    """Per customer: ``p_alive, expected_purchases, expected_value, clv, clv_lower,
    clv_upper`` over ``horizon`` (in the fit's time unit).

    ``customers`` has columns ``x, t_x, T, m`` (m: mean repeat value, NaN when x = 0). The
    interval reflects parameter uncertainty: log-parameters drawn ``draws`` times from their
    asymptotic normal distribution (MLE, inverse Hessian), CLV recomputed, ``level`` quantiles.
    """
    out = customers.copy()
    x, t_x, big_t = (customers[c].to_numpy(float) for c in ("x", "t_x", "T"))
    m = customers["m"].to_numpy(float)
    out["p_alive"] = bg.p_alive(x, t_x, big_t)
    out["expected_purchases"] = bg.expected_purchases(horizon, x, t_x, big_t)
    out["expected_value"] = gg.expected_value(x, m)
    out["clv"] = out["expected_purchases"] * out["expected_value"] * margin
    out["clv_lower"], out["clv_upper"] = np.nan, np.nan
    if bg.log_cov is None or gg.log_cov is None or draws < 2:
        return out
    rng = np.random.default_rng(seed)
    bg_theta = np.log([bg.r, bg.alpha, bg.a, bg.b])
    gg_theta = np.log([gg.p, gg.q, gg.v])
    samples = np.empty((draws, len(out)))
    for k in range(draws):
        r, alpha, a, b = np.exp(rng.multivariate_normal(bg_theta, bg.log_cov))
        p, q, v = np.exp(rng.multivariate_normal(gg_theta, gg.log_cov))
        bgk = BgNbdFit(r=r, alpha=alpha, a=a, b=b, se={}, log_likelihood=0.0, n_customers=0)
        ggk = GammaGammaFit(p=p, q=q, v=v, se={}, log_likelihood=0.0, n_customers=0)
        value = ggk.expected_value(x, m) if q > 1 else np.full(len(out), np.nan)
        # a draw next to a = 1 overflows E[X(t)] ((a + b + x - 1) / (a - 1) times a term near
        # 0): its non-finite values say nothing and are left out of the quantiles (nanquantile)
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            drawn = bgk.expected_purchases(horizon, x, t_x, big_t) * value * margin
        samples[k] = np.where(np.isfinite(drawn), drawn, np.nan)
    lo, hi = np.nanquantile(samples, [(1 - level) / 2, (1 + level) / 2], axis=0)
    out["clv_lower"], out["clv_upper"] = lo, hi
    return out


def _maximise(
    nll: Any, start: FloatArray
) -> tuple[FloatArray, float, tuple[float, ...], FloatArray | None]:
    """Minimise ``nll`` over log-parameters; returns (theta, log-likelihood, SEs of exp(theta))."""
    first = optimize.minimize(nll, start, method="Nelder-Mead", options={"maxiter": 4000})
    best = optimize.minimize(nll, first.x, method="BFGS")
    theta = best.x if best.fun <= first.fun else first.x
    hessian = _hessian(nll, theta)
    cov: FloatArray | None
    try:
        cov = np.asarray(np.linalg.inv(hessian), dtype="float64")
        var = np.diag(cov)
        se = tuple(
            float(np.exp(t) * math.sqrt(v)) if v > 0 else math.nan
            for t, v in zip(theta, var, strict=True)
        )
    except np.linalg.LinAlgError:
        cov = None
        se = tuple(math.nan for _ in theta)
    return np.asarray(theta, dtype="float64"), -float(nll(theta)), se, cov


def _hessian(f: Any, theta: FloatArray, h: float = 1e-4) -> FloatArray:
    """Central finite-difference Hessian of ``f`` at ``theta``."""
    k = len(theta)
    out = np.zeros((k, k))
    for i in range(k):
        for j in range(i, k):
            ei, ej = np.eye(k)[i] * h, np.eye(k)[j] * h
            val = (
                f(theta + ei + ej) - f(theta + ei - ej) - f(theta - ei + ej) + f(theta - ei - ej)
            ) / (4 * h * h)
            out[i, j] = out[j, i] = val
    return out


def clv_table(
    summary: pd.DataFrame, horizon_days: int, margin: float = 1.0, top: int = 20
) -> tuple[pd.DataFrame, BgNbdFit, GammaGammaFit]:
    """Fit BG/NBD and Gamma-Gamma to ``summary`` (one row per customer: ``x``, ``t_x``, ``T``
    in weeks, ``m``) and return the ``top`` customers by :func:`clv` over ``horizon_days``,
    with both fits. The one computation behind ``goodwill customers clv``, the dashboard and
    the report."""
    bg = fit_bgnbd(summary["x"], summary["t_x"], summary["T"])
    gg = fit_gamma_gamma(summary["x"], summary["m"])
    values = clv(bg, gg, summary, horizon_days / 7, margin)
    columns = ["person", "purchases", "last_order", "p_alive", "expected_purchases"]
    values = values.sort_values("clv", ascending=False).head(top)
    frame = values[[*columns, "expected_value", "clv", "clv_lower", "clv_upper"]]
    return frame.reset_index(drop=True), bg, gg
