"""Markov attribution: goodwill against the ChannelAttribution package on ChannelAttribution's
example paths (Data.csv) and on 1M synthetic journeys. Prints one side-by-side table.

    .venv/bin/python benchmarks/attribution_markov.py [--paths 1000000] [--orders 1,2,3]
        [--nsim 1e7] [--nfold 1] [--seeds 1] [--plain]

ChannelAttribution (GPL-3) is used only here, if installed (``pip install ChannelAttribution``);
it is never a dependency of goodwill. Both compute the same removal effect,
``P(walk visits c | walk converts) = 1 − p₋c / p`` (see goodwill.attribution.markov):
ChannelAttribution by simulating walks, goodwill exactly. Columns (channels with RE > 0.01):

* ``exact(CA matrix)_vs_goodwill`` — ChannelAttribution's own transition matrix solved exactly
  against goodwill's removal effects: the definitions agree when this is ~1e-14;
* ``CA_sim_vs_goodwill`` — its simulated removal effects against goodwill's exact ones;
* ``CA_cut`` / ``CA_sim_vs_goodwill_cut`` — ChannelAttribution stops a walk after ``max_step``
  steps (the longest journey); goodwill with ``max_steps = CA_cut + 1`` computes that cut chain
  exactly, and this is the like-for-like gap;
* ``CA_1sigma`` — the simulation's relative standard error for the smallest such channel,
  ``sqrt(RE (1 − RE) / n_conv) / RE`` with ``n_conv = p × nsim / nfold`` converting walks
  (ChannelAttribution returns one of its ``nfold`` batches); ``max_|z|`` — the largest gap in
  those units (≲ 3 over a dozen channels = sampling noise);
* ``CA_meanN_vs_goodwill_cut`` — with ``--seeds N``, the mean of N seeded runs;
* ``CA_s/goodwill_s`` — ChannelAttribution's time over goodwill's (one exact solve).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from goodwill.attribution.markov import removal_effects
from goodwill.attribution.paths import Journeys

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "channelattribution-paths"


def journeys_from_frame(d: pd.DataFrame) -> Journeys:
    paths = [[c.strip() for c in p.split(">")] for p in d["path"]]
    return Journeys.from_paths(
        paths,
        conversions=d["total_conversions"].to_numpy(float),
        value=d["total_conversion_value"].to_numpy(float),
        nulls=d["total_null"].to_numpy(float),
    )


def reference_shares(d: pd.DataFrame, order: int) -> dict[str, float]:
    """Removal-effect shares with plain dicts and a dense solve (independent of goodwill)."""
    counts: dict[tuple[str, ...], dict[object, float]] = defaultdict(lambda: defaultdict(float))
    channels: set[str] = set()
    for path, conv, null in zip(d["path"], d["total_conversions"], d["total_null"], strict=True):
        seq = [c.strip() for c in path.split(">")]
        channels.update(seq)
        states = [tuple(seq[max(0, i - order + 1) : i + 1]) for i in range(len(seq))]
        prev: tuple[str, ...] = ("(start)",)
        for s in states:
            counts[prev][s] += conv + null
            prev = s
        counts[prev]["(conversion)"] += conv
        counts[prev]["(null)"] += null
    names = list(counts)

    def p_convert(removed: str | None) -> float:
        keep = [s for s in names if removed is None or removed not in s]
        pos = {s: i for i, s in enumerate(keep)}
        a = np.eye(len(keep))
        b = np.zeros(len(keep))
        for s in keep:
            row = counts[s]
            total = sum(row.values())
            for t, w in row.items():
                if t == "(conversion)":
                    b[pos[s]] += w / total
                elif t != "(null)" and t in pos:
                    a[pos[s], pos[t]] -= w / total
        x = np.linalg.solve(a, b)
        return float(x[pos[("(start)",)]])

    p = p_convert(None)
    effects = {c: 1 - p_convert(c) / p for c in sorted(channels)}
    total = sum(effects.values())
    return {c: e / total for c, e in effects.items()}


@dataclass(frozen=True)
class CaRun:
    """One ChannelAttribution ``markov_model`` run: removal effects (conversions), its own
    transition matrix, the step cut it used (``max_step``) and its run time."""

    effects: dict[str, float]
    matrix: pd.DataFrame
    channels: list[str]
    max_step: int
    seconds: float


def channelattribution_run(
    d: pd.DataFrame, order: int, nsim: float, *, nfold: int = 10, seed: int = 0
) -> CaRun:
    import ChannelAttribution as ca  # type: ignore[import-untyped]  # GPL: benchmark only

    out = io.StringIO()
    t = time.perf_counter()
    with contextlib.redirect_stdout(out):
        r = ca.markov_model(
            d,
            "path",
            "total_conversions",
            var_value="total_conversion_value",
            var_null="total_null",
            order=order,
            nsim_start=nsim,
            out_more=True,
            verbose=1,
            flg_pro=False,
            nfold=nfold,
            seed=seed,
        )
    elapsed = time.perf_counter() - t
    step = re.search(r"maximum number of steps \((\d+)\)", out.getvalue())
    assert step is not None, out.getvalue()
    effects = r["removal_effects"]
    return CaRun(
        effects=dict(
            zip(effects["channel_name"], effects["removal_effects_conversion"], strict=True)
        ),
        matrix=r["transition_matrix"],
        channels=list(r["result"]["channel_name"]),
        max_step=int(step.group(1)),
        seconds=elapsed,
    )


def exact_on_ca_matrix(run: CaRun) -> dict[str, float]:
    """Removal effects solved exactly (no simulation) on ChannelAttribution's own transition
    matrix: its states are ``"3 5"`` (channel ids, 1-based in ``run.channels`` order)."""
    from scipy import sparse  # type: ignore[import-untyped]
    from scipy.sparse.linalg import splu  # type: ignore[import-untyped]

    tm = run.matrix
    states = sorted(set(tm["channel_from"]) | set(tm["channel_to"]))
    idx = {s: i for i, s in enumerate(states)}
    n = len(states)
    rows = [idx[s] for s in tm["channel_from"]]
    cols = [idx[s] for s in tm["channel_to"]]
    p_all = sparse.csr_matrix((tm["transition_probability"].to_numpy(), (rows, cols)), (n, n))
    transient = [i for i, s in enumerate(states) if s not in ("(conversion)", "(null)")]
    q = p_all[transient][:, transient].tocsc()
    r = np.asarray(p_all[transient][:, [idx["(conversion)"]]].todense()).ravel()
    start = transient.index(idx["(start)"])
    ids = [set() if s.startswith("(") else {int(t) for t in s.split()} for s in states]

    def p_convert(removed: int | None) -> float:
        keep = np.array([removed not in ids[t] for t in transient])
        keep[start] = True
        ii = np.flatnonzero(keep)
        system = sparse.identity(len(ii), format="csc") - q[ii][:, ii]
        x = splu(system.tocsc()).solve(r[ii])
        return float(x[int(np.searchsorted(ii, start))])

    p = p_convert(None)
    return {c: 1 - p_convert(i + 1) / p for i, c in enumerate(run.channels)}


def synthetic(n: int, seed: int = 0, *, aggregate: bool = True) -> pd.DataFrame:
    """``n`` journeys over 10 channels, aggregated to distinct paths with counts (or one row
    per journey with ``aggregate=False``)."""
    rng = np.random.default_rng(seed)
    names = np.array([f"ch{i}" for i in range(10)])
    popularity = rng.dirichlet(np.ones(10) * 2)
    lift = rng.uniform(0.01, 0.12, 10)
    lengths = rng.geometric(0.35, n).clip(1, 12)
    touches = rng.choice(10, size=lengths.sum(), p=popularity)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    miss = np.multiply.reduceat(1 - lift[touches], offsets[:-1])
    converted = rng.random(n) < 1 - miss
    value = np.where(converted, rng.gamma(2.0, 25.0, n), 0.0)
    path_text = [" > ".join(names[touches[offsets[i] : offsets[i + 1]]]) for i in range(n)]
    frame = pd.DataFrame({"path": path_text, "c": converted.astype(int), "v": value})
    frame["null"] = 1 - frame["c"]
    if not aggregate:
        return frame.rename(
            columns={"c": "total_conversions", "v": "total_conversion_value", "null": "total_null"}
        )
    agg = frame.groupby("path", as_index=False).agg(
        total_conversions=("c", "sum"),
        total_conversion_value=("v", "sum"),
        total_null=("null", "sum"),
    )
    return agg


def _max_rel(a: dict[str, float], b: dict[str, float], keys: list[str]) -> float:
    return max(abs(a[c] - b[c]) / b[c] for c in keys)


def compare(
    name: str,
    d: pd.DataFrame,
    order: int,
    args: argparse.Namespace,
    rows: list[dict[str, object]],
) -> None:
    j = journeys_from_frame(d)
    t = time.perf_counter()
    result = removal_effects(j, order=order)
    ours_s = time.perf_counter() - t
    ours = dict(zip(result.channels, result.removal_effect, strict=True))
    big = [c for c in ours if ours[c] > 0.01]
    row: dict[str, object] = {"data": name, "paths": len(d), "order": order}
    row["goodwill_s"] = round(ours_s, 3)
    if args.plain and len(d) <= 200_000:
        ref = reference_shares(d, order)
        shares = {c: e / result.removal_effect.sum() for c, e in ours.items()}
        row["share_diff_plain"] = f"{max(abs(shares[c] - ref[c]) for c in ref):.0e}"
    try:
        runs = [
            channelattribution_run(d, order, args.nsim, nfold=args.nfold, seed=1000 * k)
            for k in range(args.seeds)
        ]
    except ImportError:
        row["CA_s"] = "not installed"
        rows.append(row)
        return
    ca = runs[0]
    exact = exact_on_ca_matrix(ca)
    cut = removal_effects(j, order=order, max_steps=ca.max_step + 1)
    ours_cut = dict(zip(cut.channels, cut.removal_effect, strict=True))
    # CA's sampling error: RE is a share of n_conv converting walks (one fold of nsim/nfold)
    n_conv = cut.p_conversion * args.nsim / args.nfold
    sigma = {c: np.sqrt(ours_cut[c] * (1 - ours_cut[c]) / n_conv) for c in big}
    row["CA_s"] = round(ca.seconds, 2)
    row["CA_s/goodwill_s"] = round(ca.seconds / ours_s, 1)
    row["exact(CA matrix)_vs_goodwill"] = f"{_max_rel(exact, ours, big):.0e}"
    row["CA_sim_vs_goodwill"] = f"{_max_rel(ca.effects, ours, big):.2%}"
    row["CA_cut"] = ca.max_step
    row["CA_sim_vs_goodwill_cut"] = f"{_max_rel(ca.effects, ours_cut, big):.2%}"
    row["CA_1sigma"] = f"{max(sigma[c] / ours_cut[c] for c in big):.2%}"
    row["max_|z|"] = round(max(abs(ca.effects[c] - ours_cut[c]) / sigma[c] for c in big), 1)
    if len(runs) > 1:
        mean = {c: float(np.mean([r.effects[c] for r in runs])) for c in big}
        row[f"CA_mean{len(runs)}_vs_goodwill_cut"] = f"{_max_rel(mean, ours_cut, big):.2%}"
    rows.append(row)
    print("  done:", row, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--paths", type=int, default=1_000_000, help="0: no synthetic paths")
    parser.add_argument("--orders", default="1,2,3")
    parser.add_argument("--skip-example", action="store_true", help="only the synthetic paths")
    parser.add_argument(
        "--rows", action="store_true", help="synthetic journeys one row each (not aggregated)"
    )
    parser.add_argument("--nsim", type=float, default=1e7, help="ChannelAttribution nsim_start")
    parser.add_argument("--nfold", type=int, default=1, help="ChannelAttribution nfold")
    parser.add_argument("--seeds", type=int, default=1, help="ChannelAttribution runs per row")
    parser.add_argument("--plain", action="store_true", help="also the plain dict reference")
    args = parser.parse_args(argv)
    orders = [int(o) for o in args.orders.split(",")]
    rows: list[dict[str, object]] = []
    removal_effects(Journeys.from_paths([["a"]]))  # warm-up: import scipy before timing
    data = pd.read_csv(DATA / "Data.csv", sep=";")
    for order in [] if args.skip_example else orders:
        compare("Data.csv", data, order, args, rows)
    synth = synthetic(args.paths, aggregate=not args.rows) if args.paths > 0 else None
    for order in orders if synth is not None else []:
        assert synth is not None
        label = "rows" if args.rows else "journeys"
        compare(f"synthetic {args.paths:,} {label}", synth, order, args, rows)
    table = pd.DataFrame(rows)
    print(f"ChannelAttribution nsim_start={args.nsim:.0e}, nfold={args.nfold}; RE > 0.01 only")
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(table.to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
