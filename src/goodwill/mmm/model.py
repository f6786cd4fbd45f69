"""The marketing mix model: adstock, saturation, a baseline, and a posterior by MCMC.

For week ``t`` and channel ``c`` with input ``x[c, t]`` (money spent, or a count such as posts
or newsletters sent)::

    A[c, t] = (1 - θ_c) · x[c, t] + θ_c · A[c, t - 1]          geometric adstock, 0 ≤ θ_c < 1
    s[c, t] = a / (a + K_c)  with  a = A[c, t] / ref_c           Hill saturation (shape 1)
    y[t]    = β_0 + β_trend · t/n + Σ_k Fourier_k(t) + Σ_h β_h · holiday_h(t)
              + Σ_c β_c · s[c, t] + ε_t,   ε_t ~ Normal(0, σ²)

``ref_c`` is the mean non-zero input of the channel, so ``K_c = 1`` means a channel is half
saturated at its average week. The adstock weights sum to one, so a channel's total input is
kept and only spread over later weeks.

**Priors.** ``logit θ_c ~ Normal(-0.5, 1)``, ``log K_c ~ Normal(0, 0.8)``. A channel has an
effect or not: ``γ_c ~ Bernoulli(π)`` (``π`` = ``FitSettings.inclusion``, 0.5) — a
spike-and-slab prior with real mass at zero effect. With ``y`` divided by its mean,
``β_c = 0`` when ``γ_c = 0``, else ``β_c | σ² ~ Normal(0, σ² V)`` with ``V = (1 / σ̂)²``: at the
noise level σ̂ of the data (residual sd of least squares on the baseline and every channel at
the prior's median θ and K) the slab's sd is one mean week of the outcome (a saturated channel
adding about one average week, rarely several). The baseline terms have ``β | σ² ~ Normal(0,
σ² · 10⁴)``, and ``σ² ~ InverseGamma(1, 0.01)``. Both signs are allowed in the slab.

Why the spike: with the slab alone (``inclusion = 1``) a channel without effect gets a
continuous posterior, and a draw of noise that happens to follow its spend (three standard
errors, as in ``benchmarks/mmm_truth.py``'s cafe, where least squares with the *true* carry-over
and saturation gives the zero-effect channel an ROI of 0.49 ± 0.18) puts its interval wholly
above zero. The spike lets the data choose between "no effect" and "an effect of plausible
size" (the Bayes factor of the marginal likelihoods), so the interval of such a channel reaches
zero and its median is zero unless the evidence is strong.

**Sampling.** The linear part (β, σ²) is conjugate: for given (θ, K, γ) it is integrated out
exactly, and adaptive random-walk Metropolis explores (logit θ, log K) one channel at a time
(a two-dimensional step per channel and sweep) on that marginal likelihood — a channel out of
the model (``γ_c = 0``) moves by its prior alone — followed by a proposal to switch ``γ_c``
(Metropolised Gibbs: accepted with the ratio of the marginal likelihoods times the prior odds).
Each kept draw then takes (σ², β) from their exact conditional posterior (``β_c = 0`` for a
channel out of the model).
Several chains start from different prior draws, so split R-hat and the effective sample size
(:mod:`goodwill.mmm.diagnostics`) can say whether they agree.

**Outputs, per posterior draw** (``W`` the weeks of the series, ``S_c = Σ_W spend[c, t]``):

* contribution ``C_c = Σ_W β_c · s[c, t]`` (in outcome units);
* ROI ``= C_c / S_c``;
* marginal ROI ``= (C_c(1.01 · x_c) − C_c(x_c)) / (0.01 · S_c)``: what the next unit of spend
  returns;
* baseline share ``= Σ_W (y[t] − Σ_c β_c s[c, t]) / Σ_W y[t]``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter  # type: ignore[import-untyped]
from scipy.special import gammaln  # type: ignore[import-untyped]

__all__ = [
    "FitSettings",
    "MixData",
    "Posterior",
    "adstock",
    "fit",
    "hill",
    "response",
]

F64 = npt.NDArray[np.float64]
Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while sampling (iterations over all chains)."""

_THETA_MEAN, _THETA_SD = -0.5, 1.0
_LOGK_MEAN, _LOGK_SD = 0.0, 0.8
_V_BASE = 1.0e4
_SLAB_SD = 1.0
"""Prior sd of a channel's effect β_c (when it has one) in units of the mean outcome: a channel
at full saturation adds about one average week's outcome, rarely more than two or three."""
_A0, _B0 = 1.0, 0.01


def adstock(x: F64, theta: float) -> F64:
    """Geometric adstock with weights ``(1 - θ) θ^k`` (they sum to one), along the last axis."""
    return np.asarray(lfilter([1.0 - theta], [1.0, -theta], x, axis=-1), dtype=np.float64)


def hill(a: F64, k: float) -> F64:
    """Hill saturation of shape one: ``a / (a + K)``; 0 at 0, ½ at ``K``, towards 1 above."""
    return a / (a + k)


@dataclass(frozen=True)
class MixData:
    """A weekly series ready to fit: the outcome, the channels' inputs and money, controls."""

    y: F64
    """The outcome per week (revenue, orders, leads or visits)."""
    channels: tuple[str, ...]
    x: F64
    """Input per channel and week, shape (channels, weeks): money, or a count of activity."""
    spend: F64
    """Money spent per channel and week, shape (channels, weeks); zero where not known."""
    paid: tuple[bool, ...]
    """Whether a channel's input is its money (so a budget can move between them)."""
    controls: F64 = field(default_factory=lambda: np.zeros((0, 0)))
    """Extra control columns, shape (weeks, k) (holidays)."""
    control_names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n = len(self.y)
        if self.x.shape != (len(self.channels), n) or self.spend.shape != self.x.shape:
            raise ValueError("x and spend must have shape (channels, weeks)")
        if len(self.paid) != len(self.channels):
            raise ValueError("one paid flag per channel")


@dataclass(frozen=True)
class FitSettings:
    chains: int = 4
    tune: int = 1500
    draws: int = 1500
    thin: int = 3
    seasonality: int | None = None
    """Fourier pairs of the yearly season (0: none; None: two when the series covers at least
    78 weeks, else none — one year cannot tell a season from the channels that ran in it)."""
    trend: bool = True
    seed: int = 0
    inclusion: float = 0.5
    """Prior probability that a channel has any effect (γ_c = 1); 1 keeps every channel in
    the model (no mass at zero effect)."""

    def __post_init__(self) -> None:
        if not 0.0 < self.inclusion <= 1.0:
            raise ValueError("inclusion must be in (0, 1]")


@dataclass(frozen=True)
class Posterior:
    """Draws of every quantity (first axis: chain, second: draw) and the data they came from."""

    data: MixData
    theta: F64
    """(chains, draws, channels)"""
    k: F64
    beta: F64
    """(chains, draws, channels): channel coefficients, in outcome units."""
    baseline: F64
    """(chains, draws, weeks): the outcome without any channel."""
    ref: F64
    acceptance: float
    stored_contribution: F64 | None = field(default=None, compare=False, repr=False)
    """``contribution()`` at the inputs as they were, when read back from a stored fit."""

    def contribution(self, scale: F64 | None = None) -> F64:
        """Σ_W β_c s[c, t] per (chain, draw, channel), the inputs multiplied by ``scale``
        (per channel; default 1)."""
        if scale is None and self.stored_contribution is not None:
            return self.stored_contribution
        mult = np.ones(len(self.data.channels)) if scale is None else scale
        return np.stack([_one(self, c, mult) for c in range(len(self.data.channels))], axis=-1)


def _fourier(n: int, pairs: int) -> F64:
    t = np.arange(n, dtype=np.float64)
    cols = []
    for k in range(1, pairs + 1):
        cols += [np.sin(2 * np.pi * k * t / 52.1775), np.cos(2 * np.pi * k * t / 52.1775)]
    return np.column_stack(cols) if cols else np.zeros((n, 0))


def _base_design(data: MixData, settings: FitSettings) -> F64:
    n = len(data.y)
    parts: list[F64] = [np.ones((n, 1))]
    if settings.trend:
        parts.append((np.arange(n, dtype=np.float64) / max(n - 1, 1))[:, None])
    pairs = settings.seasonality
    if pairs is None:
        pairs = 2 if n >= 78 else 0
    parts.append(_fourier(n, pairs))
    if data.controls.size:
        parts.append(data.controls)
    return np.hstack(parts)


def _reference(x: F64) -> F64:
    ref = np.empty(x.shape[0])
    for c, row in enumerate(x):
        nz = row[row > 0]
        ref[c] = float(nz.mean()) if nz.size else 1.0
    return ref


class _Marginal:
    """log p(y | θ, K, γ) with β and σ² integrated out, plus the conditional posterior of both.
    ``s`` holds the saturated features of the channels in the model (γ = 1) only."""

    def __init__(self, base: F64, y: F64, v_channel: float) -> None:
        self.base, self.y, self.v_channel = base, y, v_channel
        self.n = len(y)
        self.yy = float(y @ y)
        self.bty = base.T @ y
        self.btb = base.T @ base

    def solve(self, s: F64) -> tuple[F64, F64, float, float]:
        """The lower Cholesky factor ``L`` of the posterior precision ``P = L Lᵀ`` of β (in
        σ² units), β's posterior mean, and σ²'s inverse-gamma shape and scale."""
        nb = self.base.shape[1]
        p = nb + s.shape[0]
        prec = np.empty((p, p))
        prec[:nb, :nb] = self.btb
        cross = self.base.T @ s.T
        prec[:nb, nb:] = cross
        prec[nb:, :nb] = cross.T
        prec[nb:, nb:] = s @ s.T
        v0inv = np.concatenate(
            [np.full(nb, 1.0 / _V_BASE), np.full(s.shape[0], 1.0 / self.v_channel)]
        )
        prec[np.diag_indices(p)] += v0inv
        xty = np.concatenate([self.bty, s @ self.y])
        chol = np.linalg.cholesky(prec)
        mean = np.linalg.solve(prec, xty)
        an = _A0 + self.n / 2
        bn = _B0 + 0.5 * max(self.yy - float(xty @ mean), 1e-12)
        return chol, mean, an, bn

    def logml_of(self, s: F64) -> float:
        """log p(y | θ, K, γ) up to a constant (the same for every γ), given the saturated
        features ``s`` of the channels in the model."""
        try:
            chol, _, an, bn = self.solve(s)
        except np.linalg.LinAlgError:
            return -np.inf
        # |V0|^{-1/2} of the channels in the model: each adds log(1/V) / 2
        logdet = 2.0 * float(np.log(np.diag(chol)).sum()) + s.shape[0] * np.log(self.v_channel)
        return float(-0.5 * logdet - an * np.log(bn) + float(gammaln(an)))


def _channel_variance(base: F64, xs: F64, y: F64) -> float:
    """``V`` of the channels' prior ``β_c | σ² ~ Normal(0, σ² V)``, set so that at the noise
    level σ̂ of the data the prior sd of β_c is :data:`_SLAB_SD` (``V = (_SLAB_SD / σ̂)²``).
    σ̂: residual sd of least squares on the baseline terms and every channel at the prior's
    median carry-over and saturation."""
    feats = np.stack([_feature(row, np.array([_THETA_MEAN, _LOGK_MEAN])) for row in xs])
    design = np.hstack([base, feats.T])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    dof = max(len(y) - design.shape[1], 1)
    sigma = max(float(np.sqrt(resid @ resid / dof)), 1e-3)
    return (_SLAB_SD / sigma) ** 2


def _log_prior(z: F64) -> float:
    """Log prior density (up to a constant) of one channel's (logit θ, log K)."""
    return float(
        -0.5 * ((z[0] - _THETA_MEAN) / _THETA_SD) ** 2 - 0.5 * ((z[1] - _LOGK_MEAN) / _LOGK_SD) ** 2
    )


def _unpack(z: F64) -> tuple[F64, F64]:
    """θ and K of every channel from rows of (logit θ, log K)."""
    theta = 1.0 / (1.0 + np.exp(-z[:, 0]))
    return np.minimum(theta, 0.98), np.exp(z[:, 1])


def _feature(xs: F64, z: F64) -> F64:
    theta = min(1.0 / (1.0 + float(np.exp(-z[0]))), 0.98)
    return hill(adstock(xs, theta), float(np.exp(z[1])))


def fit(
    data: MixData, settings: FitSettings | None = None, *, progress: Progress | None = None
) -> Posterior:
    """Sample the posterior of the model above for ``data``."""
    s = settings or FitSettings()
    c = len(data.channels)
    n = len(data.y)
    if n < 8:
        raise ValueError(f"a mix model needs at least 8 weeks of data, got {n}")
    scale = float(np.mean(np.abs(data.y))) or 1.0
    y = data.y / scale
    ref = _reference(data.x)
    xs = data.x / ref[:, None]
    base = _base_design(data, s)
    ml = _Marginal(base, y, _channel_variance(base, xs, y))
    incl = s.inclusion
    log_odds = None if incl >= 1.0 else float(np.log(incl) - np.log1p(-incl))
    rng = np.random.default_rng(s.seed)
    kept = s.draws // s.thin
    out_theta = np.empty((s.chains, kept, c))
    out_k = np.empty((s.chains, kept, c))
    out_beta = np.empty((s.chains, kept, c))
    out_base = np.empty((s.chains, kept, n))
    total = s.chains * (s.tune + s.draws)
    done = 0
    accepted = 0
    for chain in range(s.chains):
        # per channel (logit θ, log K), started from an over-dispersed prior draw
        z = np.column_stack(
            [
                rng.normal(_THETA_MEAN, _THETA_SD * 0.7, c),
                rng.normal(_LOGK_MEAN, _LOGK_SD * 0.7, c),
            ]
        )
        feats = np.stack([_feature(xs[i], z[i]) for i in range(c)])
        # γ: which channels are in the model; every chain starts with all of them
        gamma = np.ones(c, dtype=bool)
        lml = ml.logml_of(feats[gamma])
        covs = np.stack([np.eye(2) * 0.3 for _ in range(c)])
        roots = np.linalg.cholesky(covs)  # proposal steps: roots @ standard normal
        steps = np.full(c, 2.38**2 / 2)
        history: list[F64] = []
        window_acc = np.zeros(c)
        for it in range(s.tune + s.draws):
            for i in range(c):
                prop = z[i] + np.sqrt(steps[i]) * (roots[i] @ rng.standard_normal(2))
                row = feats[i].copy()
                feats[i] = _feature(xs[i], prop)
                # a channel out of the model leaves the likelihood unchanged: prior only
                lml_prop = ml.logml_of(feats[gamma]) if gamma[i] else lml
                delta = lml_prop + _log_prior(prop) - lml - _log_prior(z[i])
                if np.log(rng.uniform()) < delta:
                    z[i], lml = prop, lml_prop
                    window_acc[i] += 1
                    if it >= s.tune:
                        accepted += 1
                else:
                    feats[i] = row
                if log_odds is not None:
                    # propose switching the channel in or out (Metropolised Gibbs on γ_i)
                    gamma[i] = not gamma[i]
                    lml_flip = ml.logml_of(feats[gamma])
                    odds = log_odds if gamma[i] else -log_odds
                    if np.log(rng.uniform()) < lml_flip - lml + odds:
                        lml = lml_flip
                    else:
                        gamma[i] = not gamma[i]
            if it < s.tune:
                history.append(z.copy())
                if (it + 1) % 100 == 0:
                    steps *= np.exp(window_acc / 100 - 0.35)
                    window_acc[:] = 0
                    if len(history) >= 200:
                        recent = np.array(history[len(history) // 2 :])
                        for i in range(c):
                            covs[i] = np.cov(recent[:, i, :].T) + np.eye(2) * 1e-6
                        roots = np.linalg.cholesky(covs)
            elif (it - s.tune) % s.thin == 0 and (it - s.tune) // s.thin < kept:
                j = (it - s.tune) // s.thin
                chol, mean, an, bn = ml.solve(feats[gamma])
                sigma2 = bn / rng.gamma(an)
                noise = rng.standard_normal(len(mean))
                # β ~ Normal(mean, σ² P⁻¹): solve Lᵀ u = noise with P = L Lᵀ
                draw = mean + np.sqrt(sigma2) * np.linalg.solve(chol.T, noise)
                nb = base.shape[1]
                theta, k = _unpack(z)
                out_theta[chain, j] = theta
                out_k[chain, j] = k
                out_beta[chain, j] = 0.0
                out_beta[chain, j, gamma] = draw[nb:] * scale
                out_base[chain, j] = (base @ draw[:nb]) * scale
            done += 1
            if progress is not None and (done % 50 == 0 or done == total):
                progress(done, total)
    return Posterior(
        data=data,
        theta=out_theta,
        k=out_k,
        beta=out_beta,
        baseline=out_base,
        ref=ref,
        acceptance=accepted / max(s.chains * s.draws * c, 1),
    )


def response(post: Posterior, channel: int, multipliers: Sequence[float]) -> F64:
    """Contribution of one channel (draws flattened) at each spend multiplier: shape
    (len(multipliers), chains · draws)."""
    rows = []
    for m in multipliers:
        scale = np.ones(len(post.data.channels))
        scale[channel] = m
        rows.append(_one(post, channel, scale).ravel())
    return np.array(rows)


def _one(post: Posterior, channel: int, scale: F64) -> F64:
    xs = post.data.x[channel] * scale[channel] / post.ref[channel]
    th = post.theta[..., channel].ravel()
    kk = post.k[..., channel].ravel()
    tot = np.array(
        [hill(adstock(xs, float(t)), float(q)).sum() for t, q in zip(th, kk, strict=True)]
    )
    return tot.reshape(post.beta.shape[:2]) * post.beta[..., channel]
