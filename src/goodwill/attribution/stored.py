"""Attribution credits and their bootstrap replicates (and the Money page's lift) computed
once per import, read by the Money page.

The Money page's intervals refit the incremental model on every bootstrap replicate (100 of
them, for the attribution table and again for ROI): seconds of CPU on the 3,000-person demo,
too slow for a page view. ``goodwill import`` and ``goodwill demo`` call
:func:`goodwill.web.dashboard.pages_money.store_money_credits` after loading: it runs the
Money page's attribution, ROI and lift for the page's default filters while recording every
model run, and writes the results to a file beside the warehouse
(``<warehouse>.credits.npz``: numpy arrays and JSON strings, read with
``allow_pickle=False``).

Every stored result carries a **key**: a SHA-256 of the exact inputs of the run (every array
of the journeys, their channels and type, the model and its options, the replicates and the
seed; for the lift the daily series and its start) and of the code that computes it (the
source of every module of :mod:`goodwill.attribution`, or of :mod:`goodwill.lift`, and the
numpy, scipy and statsmodels versions). A page view (the warehouse opened
read-only) looks each run up by its key: a hit is the very numbers the run would give, a miss
(other filters, or the data or the code changed since the import) is computed in memory and
never written (GET routes never write). :attr:`CreditMemo.hits` and :attr:`CreditMemo.misses`
say which happened, and the page says so.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from goodwill.attribution.models import ModelOptions, attribute
from goodwill.attribution.paths import Credit, FloatArray, Journeys

if TYPE_CHECKING:
    from goodwill.lift.model import LiftResult

__all__ = ["CreditMemo", "code_version", "journeys_key", "load_memo", "stored_path"]

FORMAT = "1"
"""Changes whenever the file's layout changes."""


def stored_path(warehouse: Path | None) -> Path | None:
    """The file beside the warehouse holding its stored credits; ``None`` in memory."""
    if warehouse is None or str(warehouse) == ":memory:":
        return None
    return warehouse.with_name(f"{warehouse.name}.credits.npz")


_CODE: dict[str, str] = {}


def code_version(package: str = "attribution") -> str:
    """SHA-256 of the source of every module of ``goodwill.<package>`` (attribution, or lift)
    and the numpy, scipy and statsmodels versions: a stored result of other code is never
    used."""
    if package not in _CODE:
        import scipy  # type: ignore[import-untyped]
        import statsmodels  # type: ignore[import-untyped]

        versions = f"{FORMAT} {np.__version__} {scipy.__version__} {statsmodels.__version__}"
        h = hashlib.sha256(versions.encode())
        for src in sorted((Path(__file__).parents[1] / package).glob("*.py")):
            h.update(src.name.encode())
            h.update(src.read_bytes())
        _CODE[package] = h.hexdigest()
    return _CODE[package]


def journeys_key(journeys: Journeys) -> str:
    """SHA-256 of every field of ``journeys`` and its type (a subclass's fields included)."""
    h = hashlib.sha256(type(journeys).__qualname__.encode())
    for f in dataclasses.fields(journeys):
        v = getattr(journeys, f.name)
        h.update(f.name.encode())
        if isinstance(v, np.ndarray):
            h.update(str(v.dtype).encode() + str(v.shape).encode())
            h.update(np.ascontiguousarray(v).tobytes())
        else:
            h.update(json.dumps(v, default=str).encode())
    return h.hexdigest()


def _run_key(
    kind: str, journeys: Journeys, model: str, options: ModelOptions | None, **extra: object
) -> str:
    meta = {
        "kind": kind,
        "code": code_version(),
        "journeys": journeys_key(journeys),
        "model": model,
        "options": dataclasses.asdict(options or ModelOptions()),
        **extra,
    }
    return hashlib.sha256(json.dumps(meta, sort_keys=True).encode()).hexdigest()


class CreditMemo:
    """Model runs looked up by the key of their inputs (module docstring): ``stored`` (read
    from the file), plus those computed in this memo. ``record``: remember every run asked
    for (computed, or found in ``stored``) so that :meth:`save` writes them (import time)."""

    def __init__(
        self,
        stored: dict[str, dict[str, FloatArray]] | None = None,
        *,
        record: bool = False,
        stored_at: str | None = None,
    ) -> None:
        self._runs: dict[str, dict[str, FloatArray]] = dict(stored or {})
        self._new: dict[str, dict[str, FloatArray]] = {}
        self._record = record
        self.stored_at = stored_at
        self.hits = 0
        self.misses = 0
        self._parent: CreditMemo | None = None

    def _count(self, hit: bool) -> None:
        memo: CreditMemo | None = self
        while memo is not None:
            if hit:
                memo.hits += 1
            else:
                memo.misses += 1
            memo = memo._parent

    def _get(self, key: str, compute: Callable[[], dict[str, FloatArray]]) -> dict[str, FloatArray]:
        found = self._runs.get(key)
        if found is not None:
            self._count(True)
            if self._record:
                self._new[key] = found
            return found
        self._count(False)
        out = _computed(key, compute)
        if self._record:
            self._runs[key] = out
            self._new[key] = out
        return out

    def attribute(
        self, journeys: Journeys, model: str, options: ModelOptions | None = None
    ) -> Credit:
        """:func:`goodwill.attribution.models.attribute`, looked up first."""

        def run() -> dict[str, FloatArray]:
            c = attribute(journeys, model, options)
            return {
                "channels": np.array(c.channels, dtype=str),
                "conversions": c.conversions,
                "value": c.value,
            }

        r = self._get(_run_key("attribute", journeys, model, options), run)
        return Credit(
            channels=tuple(str(c) for c in r["channels"]),
            conversions=np.array(r["conversions"], dtype=np.float64),
            value=np.array(r["value"], dtype=np.float64),
        )

    def bootstrap(
        self,
        journeys: Journeys,
        model: str,
        *,
        replicates: int,
        seed: int,
        options: ModelOptions | None = None,
        draws: Callable[[], Any] | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """:func:`goodwill.attribution.bootstrap.bootstrap_credits` with ``replicates`` and
        ``seed``, looked up first. ``draws``: makes the replicates' weights on a miss (they
        must be ``bootstrap_draws(journeys, replicates=replicates, seed=seed)``, shared by
        several models); without it the run draws its own."""
        from goodwill.attribution.bootstrap import bootstrap_credits

        def run() -> dict[str, FloatArray]:
            conv, val = bootstrap_credits(
                journeys,
                model,
                replicates=replicates,
                seed=seed,
                options=options,
                draws=None if draws is None else draws(),
            )
            return {"conversions": conv, "value": val}

        key = _run_key("bootstrap", journeys, model, options, replicates=replicates, seed=seed)
        r = self._get(key, run)
        return (
            np.array(r["conversions"], dtype=np.float64),
            np.array(r["value"], dtype=np.float64),
        )

    def lift(self, series: pd.DataFrame, post: int) -> LiftResult:
        """``estimate_lift(series, post, controls=())`` (the Money page's lift of daily
        ``date, y``), looked up first (keyed by the series, ``post`` and the code of
        :mod:`goodwill.lift`)."""
        from goodwill.lift.model import LiftResult, estimate_lift

        h = hashlib.sha256(f"lift {code_version('lift')} {post}".encode())
        h.update(json.dumps([str(d) for d in series["date"]]).encode())
        h.update(np.ascontiguousarray(series["y"].to_numpy(dtype=np.float64)).tobytes())

        def run() -> dict[str, FloatArray]:
            r = estimate_lift(series, post, controls=())
            scalars = {
                f.name: getattr(r, f.name) for f in dataclasses.fields(r) if f.name != "series"
            }
            out = {"scalars": np.array(json.dumps(scalars, default=lambda o: o.item()))}
            for col in r.series.columns:
                values = r.series[col]
                if col == "date":
                    out["s_date"] = np.array([d.isoformat() for d in values], dtype=str)
                else:
                    out[f"s_{col}"] = values.to_numpy()
            out["columns"] = np.array(list(r.series.columns), dtype=str)
            return out

        found = self._get(h.hexdigest(), run)
        scalars = json.loads(str(found["scalars"]))
        scalars["model_controls"] = tuple(scalars["model_controls"])
        columns = [str(c) for c in found["columns"]]
        frame = pd.DataFrame(
            {
                c: [date.fromisoformat(str(d)) for d in found["s_date"]]
                if c == "date"
                else found[f"s_{c}"]
                for c in columns
            }
        )
        return LiftResult(series=frame, **scalars)

    def fork(self) -> CreditMemo:
        """A memo sharing these runs (and recording into the same store) with its own
        :attr:`hits` and :attr:`misses` (one per page section), added to this memo's too."""
        out = CreditMemo(record=self._record, stored_at=self.stored_at)
        out._runs, out._new, out._parent = self._runs, self._new, self
        return out

    @property
    def recorded(self) -> int:
        return len(self._new)

    def save(self, path: Path) -> None:
        """Write the runs this recording memo was asked for to ``path`` (atomically: a
        temporary file, then a rename)."""
        keys = sorted(self._new)
        arrays: dict[str, Any] = {}
        fields: dict[str, list[str]] = {}
        for i, key in enumerate(keys):
            fields[key] = sorted(self._new[key])
            for name in fields[key]:
                arrays[f"r{i}_{name}"] = self._new[key][name]
        meta = {
            "format": FORMAT,
            "keys": keys,
            "fields": fields,
            "stored_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        buf = io.BytesIO()
        np.savez_compressed(buf, meta=np.array(json.dumps(meta)), **arrays)
        tmp = path.with_name(path.name + f".tmp{os.getpid()}")
        tmp.write_bytes(buf.getvalue())
        tmp.replace(path)


PROCESS_RUNS = 256
"""Model runs computed in this process that are kept for the next memo asking for the same
inputs (:func:`_computed`)."""

_PROCESS: dict[str, dict[str, FloatArray]] = {}


def _computed(key: str, compute: Callable[[], dict[str, FloatArray]]) -> dict[str, FloatArray]:
    """``compute()``, or the result of the same run (same ``key``: the same inputs and code)
    computed earlier in this process: the report and ``goodwill demo`` ask for the same
    journeys' credit several times (a month's sales for the scorecard and for ROI), each
    with a memo of its own. The :data:`PROCESS_RUNS` most recent runs are kept; a reuse counts
    as a miss (it was not stored at import). The returned arrays are not to be changed
    (every reader copies them)."""
    with _LOCK:
        found = _PROCESS.pop(key, None)
        if found is not None:
            _PROCESS[key] = found  # most recently used last
            return found
    out = compute()
    with _LOCK:
        _PROCESS[key] = out
        while len(_PROCESS) > PROCESS_RUNS:
            _PROCESS.pop(next(iter(_PROCESS)))
    return out


_LOADED: dict[tuple[str, int, int], tuple[dict[str, dict[str, FloatArray]], str | None]] = {}
_LOCK = threading.Lock()


def load_memo(warehouse: Path | None, *, record: bool = False) -> CreditMemo:
    """A memo of the runs stored beside ``warehouse`` (none when there is no file, or it is
    unreadable or of another format: then every run is computed). The file is read once per
    version of it in a process. ``record``: as :class:`CreditMemo`'s."""
    path = stored_path(warehouse)
    if path is None or not path.exists():
        return CreditMemo(record=record)
    st = path.stat()
    ident = (str(path), st.st_mtime_ns, st.st_size)
    with _LOCK:
        if ident not in _LOADED:
            try:
                with np.load(path, allow_pickle=False) as z:
                    meta = json.loads(str(z["meta"]))
                    if meta.get("format") != FORMAT:
                        raise ValueError("other format")
                    runs = {
                        key: {name: np.asarray(z[f"r{i}_{name}"]) for name in meta["fields"][key]}
                        for i, key in enumerate(meta["keys"])
                    }
                _LOADED.clear()
                _LOADED[ident] = (runs, meta.get("stored_at"))
            except (OSError, ValueError, KeyError):
                return CreditMemo(record=record)
        runs, at = _LOADED[ident]
    return CreditMemo(runs, stored_at=at, record=record)
