"""Convergence checks of a posterior sample, in numbers and in plain words.

* **split R-hat** (rank-normalised, Vehtari et al. 2021): each chain is cut in half, draws are
  replaced by the normal quantiles of their ranks, and ``R̂ = sqrt(((n-1)/n · W + B/n) / W)``
  compares the variance between the half-chains (``B``) with the variance within them (``W``).
  Chains that agree give ``R̂ ≈ 1``; we require ``R̂ ≤ 1.05``.
* **bulk effective sample size**: ``ESS = m·n / (1 + 2 Σ_t ρ_t)`` over the rank-normalised
  half-chains, the autocorrelations ``ρ_t`` summed in pairs while positive (Geyer's initial
  positive sequence). We require ``ESS ≥ 100`` for every reported quantity.
* **divergences**: a Hamiltonian sampler reports divergent transitions; the random-walk
  Metropolis sampler of :mod:`goodwill.mmm.model` has none by construction, so the check is
  its acceptance rate instead (between 5 % and 80 %).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import norm, rankdata  # type: ignore[import-untyped]

__all__ = ["Convergence", "check", "ess_bulk", "rhat"]

F64 = npt.NDArray[np.float64]

RHAT_MAX = 1.05
ESS_MIN = 100.0


def _split(draws: F64) -> F64:
    n = draws.shape[1]
    half = n // 2
    return np.vstack([draws[:, :half], draws[:, n - half :]])


def _ranknorm(draws: F64) -> F64:
    flat = draws.ravel()
    ranks = rankdata(flat, method="average")
    z = norm.ppf((ranks - 3.0 / 8.0) / (flat.size + 0.25))
    return np.asarray(z, dtype=np.float64).reshape(draws.shape)


def rhat(draws: F64) -> float:
    """Rank-normalised split R-hat of ``draws`` shaped (chains, draws)."""
    x = _ranknorm(_split(np.asarray(draws, dtype=np.float64)))
    n = x.shape[1]
    if np.ptp(x) == 0:
        return 1.0
    means = x.mean(axis=1)
    w = float(x.var(axis=1, ddof=1).mean())
    b = n * float(means.var(ddof=1))
    if w <= 0:
        return float("inf")
    return float(np.sqrt(((n - 1) / n * w + b / n) / w))


def ess_bulk(draws: F64) -> float:
    """Bulk effective sample size of ``draws`` shaped (chains, draws)."""
    x = _ranknorm(_split(np.asarray(draws, dtype=np.float64)))
    m, n = x.shape
    if np.ptp(x) == 0:
        return float(m * n)
    centred = x - x.mean(axis=1, keepdims=True)
    size = 1 << int(np.ceil(np.log2(2 * n)))
    f = np.fft.rfft(centred, n=size, axis=1)
    acov = np.fft.irfft(f * np.conj(f), n=size, axis=1)[:, :n] / n
    chain_var = acov[:, 0] * n / (n - 1)
    w = float(chain_var.mean())
    var_plus = w * (n - 1) / n + float(x.mean(axis=1).var(ddof=1)) if m > 1 else w
    rho = 1.0 - (w - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    total = 0.0
    t = 0
    while t + 1 < n:
        pair = rho[t] + rho[t + 1]
        if pair < 0:
            break
        total += pair
        t += 2
    tau = max(-1.0 + 2.0 * total, 1.0 / np.log10(m * n))
    return float(m * n / tau)


@dataclass(frozen=True)
class Convergence:
    """The checks of one fit: worst R-hat, smallest ESS, acceptance, and what they mean."""

    rhat_max: float
    ess_min: float
    acceptance: float
    worst: str
    """The quantity with the worst R-hat."""

    @property
    def converged(self) -> bool:
        return (
            self.rhat_max <= RHAT_MAX
            and self.ess_min >= ESS_MIN
            and (0.05 <= self.acceptance <= 0.8)
        )

    def words(self) -> str:
        """The verdict in one or two plain sentences."""
        facts = (
            f"R-hat at most {self.rhat_max:.3f} (needs ≤ {RHAT_MAX}), effective sample size "
            f"at least {self.ess_min:.0f} (needs ≥ {ESS_MIN:.0f}), acceptance "
            f"{self.acceptance:.0%}; divergences: none (a Metropolis sampler has none)."
        )
        if self.converged:
            return "The chains agree: the fit converged. " + facts
        return (
            "The fit did NOT converge, so no result is shown: the chains disagree about "
            f"{self.worst} (try more --draws, fewer channels or a longer series). " + facts
        )


def check(quantities: dict[str, F64], acceptance: float) -> Convergence:
    """R-hat and ESS of each named quantity (chains, draws); the worst of each."""
    worst_name, worst_r, ess_min = "", 0.0, float("inf")
    for name, draws in quantities.items():
        r = rhat(draws)
        if not np.isfinite(r) or r > worst_r:
            worst_name, worst_r = name, r if np.isfinite(r) else float("inf")
        ess_min = min(ess_min, ess_bulk(draws))
    return Convergence(rhat_max=worst_r, ess_min=ess_min, acceptance=acceptance, worst=worst_name)
