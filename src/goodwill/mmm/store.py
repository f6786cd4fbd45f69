"""The mix model fitted once per import, read by the report and the Money page.

Fitting takes seconds to minutes; a page view must not. ``goodwill import`` and ``goodwill
demo`` call :func:`store_fit` after loading: it builds the weekly series, fits the model with
:data:`VIEW_FIT` and writes the posterior and its summary to a file beside the warehouse
(``<warehouse>.mmm-<outcome>.npz``: numpy arrays and one JSON string, read with
``allow_pickle=False``). The file carries a **key**: a SHA-256 of the exact series (outcome,
inputs, money, controls, weeks), the sampler settings and :data:`MODEL_VERSION`.

Readers (:func:`fit_for_view`) open the warehouse read-only, build the series again (about
half a second on the demo), and use the stored fit only when its key matches; otherwise the
fit is stale (the data or the model changed since) and is computed in memory, never written
(GET routes never write), and the caller says so.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from goodwill.errors import UserInputError
from goodwill.metrics.declarations import Backend
from goodwill.mmm import MixRun, run_data
from goodwill.mmm.diagnostics import Convergence
from goodwill.mmm.model import FitSettings, MixData, Posterior, Progress
from goodwill.mmm.results import Budget, MixResult
from goodwill.mmm.series import build_series

__all__ = [
    "MODEL_VERSION",
    "VIEW_FIT",
    "ViewFit",
    "fit_for_view",
    "fit_key",
    "load_fit",
    "save_fit",
    "store_fit",
    "stored_path",
]

MODEL_VERSION = "4"
"""Changes whenever the model or its outputs change, so older stored fits count as stale."""

VIEW_FIT = FitSettings(chains=4, tune=800, draws=900, thin=3, seed=0)
"""Sampler settings of the stored fit, the report and the Money page (fewer draws than
``goodwill mmm``'s defaults)."""


def stored_path(warehouse: Path | None, outcome: str = "revenue") -> Path | None:
    """The file beside the warehouse holding its stored fit; ``None`` for an in-memory one."""
    if warehouse is None:
        return None
    return warehouse.with_name(f"{warehouse.name}.mmm-{outcome}.npz")


def fit_key(data: MixData, weeks: list[date], outcome: str, settings: FitSettings) -> str:
    """SHA-256 of everything a fit depends on: the series, the settings, the model version."""
    h = hashlib.sha256()
    meta = {
        "version": MODEL_VERSION,
        "outcome": outcome,
        "channels": list(data.channels),
        "paid": list(data.paid),
        "controls": list(data.control_names),
        "weeks": [w.isoformat() for w in weeks],
        "settings": asdict(settings),
    }
    h.update(json.dumps(meta, sort_keys=True).encode())
    for arr in (data.y, data.x, data.spend, data.controls):
        h.update(np.ascontiguousarray(arr, dtype=np.float64).tobytes())
    return h.hexdigest()


def _frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records) if records else pd.DataFrame()


def save_fit(path: Path, mix: MixRun, key: str, *, seconds: float) -> None:
    """Write ``mix`` to ``path`` (atomically: a temporary file, then a rename)."""
    post, res, data = mix.posterior, mix.result, mix.data
    meta = {
        "key": key,
        "version": MODEL_VERSION,
        "outcome": mix.outcome,
        "weeks": [w.isoformat() for w in mix.weeks],
        "channels": list(data.channels),
        "paid": list(data.paid),
        "control_names": list(data.control_names),
        "acceptance": post.acceptance,
        "result_channels": json.loads(res.channels.to_json(orient="records")),
        "curves": json.loads(res.curves.to_json(orient="records")),
        "baseline_share": list(res.baseline_share),
        "convergence": asdict(res.convergence),
        "result_weeks": res.weeks,
        "budget": None
        if mix.budget is None
        else {
            "split": json.loads(mix.budget.split.to_json(orient="records")),
            "expected_change": list(mix.budget.expected_change),
            "total": mix.budget.total,
        },
        "fitted_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "fit_seconds": seconds,
    }
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        meta=np.array(json.dumps(meta)),
        y=data.y,
        x=data.x,
        spend=data.spend,
        controls=data.controls,
        theta=post.theta,
        k=post.k,
        beta=post.beta,
        baseline=post.baseline,
        ref=post.ref,
        contribution=post.contribution(),
    )
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(path)


def load_fit(path: Path) -> tuple[str, MixRun, dict[str, Any]]:
    """The key, the fit and its metadata (``fitted_at``, ``fit_seconds``) stored in ``path``."""
    with np.load(path, allow_pickle=False) as z:
        arrays = {name: np.asarray(z[name]) for name in z.files}
    meta: dict[str, Any] = json.loads(str(arrays.pop("meta")))
    data = MixData(
        y=arrays["y"],
        channels=tuple(meta["channels"]),
        x=arrays["x"],
        spend=arrays["spend"],
        paid=tuple(bool(p) for p in meta["paid"]),
        controls=arrays["controls"],
        control_names=tuple(meta["control_names"]),
    )
    post = Posterior(
        data=data,
        theta=arrays["theta"],
        k=arrays["k"],
        beta=arrays["beta"],
        baseline=arrays["baseline"],
        ref=arrays["ref"],
        acceptance=float(meta["acceptance"]),
        stored_contribution=arrays["contribution"],
    )
    share = meta["baseline_share"]
    result = MixResult(
        channels=_frame(meta["result_channels"]),
        curves=_frame(meta["curves"]),
        baseline_share=(float(share[0]), float(share[1]), float(share[2])),
        convergence=Convergence(**meta["convergence"]),
        weeks=int(meta["result_weeks"]),
    )
    budget = None
    if meta["budget"] is not None:
        b = meta["budget"]
        change = b["expected_change"]
        budget = Budget(
            split=_frame(b["split"]),
            expected_change=(float(change[0]), float(change[1]), float(change[2])),
            total=float(b["total"]),
        )
    mix = MixRun(
        outcome=str(meta["outcome"]),
        weeks=[date.fromisoformat(w) for w in meta["weeks"]],
        data=data,
        result=result,
        budget=budget,
        posterior=post,
    )
    return str(meta["key"]), mix, meta


def store_fit(
    backend: Backend,
    warehouse: Path | None,
    outcome: str = "revenue",
    settings: FitSettings = VIEW_FIT,
    *,
    progress: Progress | None = None,
) -> str:
    """Fit the mix model of ``outcome`` and store it beside ``warehouse`` unless the stored fit
    is already that of the current data; a sentence saying what was done."""
    path = stored_path(warehouse, outcome)
    if path is None:
        return "mix model: not stored (in-memory warehouse)"
    try:
        data, weeks = build_series(backend, outcome)
    except UserInputError as exc:
        path.unlink(missing_ok=True)  # an older fit no longer describes this warehouse
        return f"mix model: not fitted ({exc})"
    key = fit_key(data, weeks, outcome, settings)
    replaced = ""
    if path.exists():
        try:
            if load_fit(path)[0] == key:
                return f"mix model: the stored fit is up to date ({path.name})"
        except (OSError, ValueError, KeyError) as exc:
            # unreadable, or written by an older goodwill: fitted again below, and said
            replaced = f"; the stored fit could not be read ({exc}) and was replaced"
    t0 = time.process_time()
    try:
        mix = run_data(data, weeks, outcome, settings, progress=progress)
    except (ValueError, np.linalg.LinAlgError) as exc:
        # an import must not fail for its optional model: say why, keep no stale fit
        path.unlink(missing_ok=True)
        return f"mix model: not fitted ({exc})"
    seconds = time.process_time() - t0
    save_fit(path, mix, key, seconds=seconds)
    verdict = "converged" if mix.result.convergence.converged else "did NOT converge"
    return (
        f"mix model: fitted {len(weeks)} weeks × {len(data.channels)} channels of {outcome} "
        f"in {seconds:.1f}s CPU ({verdict}), stored in {path.name}{replaced}"
    )


@dataclass(frozen=True)
class ViewFit:
    mix: MixRun
    state: Literal["stored", "stale", "missing"]
    """stored: read from the file, current; stale: the file is of other data or settings and
    the fit was computed in memory; missing: no stored fit, computed in memory."""

    def words(self) -> str:
        """One sentence for the reader, empty when the stored fit was used."""
        if self.state == "stored":
            return ""
        why = (
            "the stored mix model is out of date (data imported since without it, or a "
            "newer goodwill)"
            if self.state == "stale"
            else "no mix model was stored by an import"
        )
        return f"Note: {why}; it was fitted now, in memory (goodwill import stores it)."


def fit_for_view(
    backend: Backend,
    warehouse: Path | None,
    outcome: str = "revenue",
    settings: FitSettings = VIEW_FIT,
) -> ViewFit:
    """The stored fit when it is that of the current data, else a fit in memory (nothing is
    written). Raises :class:`UserInputError` when the warehouse has too little for a model."""
    data, weeks = build_series(backend, outcome)
    key = fit_key(data, weeks, outcome, settings)
    path = stored_path(warehouse, outcome)
    state: Literal["stored", "stale", "missing"] = "missing"
    if path is not None and path.exists():
        try:
            stored_key, mix, _ = load_fit(path)
        except (OSError, ValueError, KeyError):
            stored_key = ""
        if stored_key == key:
            return ViewFit(mix=mix, state="stored")
        state = "stale"
    return ViewFit(mix=run_data(data, weeks, outcome, settings), state=state)
