"""Markov attribution: goodwill against the ChannelAttribution package and against a plain
Python reference implementation, on ChannelAttribution's example paths and on 1M synthetic
paths. Prints one side-by-side table.

    .venv/bin/python benchmarks/attribution_markov.py [--paths 1000000] [--orders 1,2,3]

ChannelAttribution (GPL-3) is used only here, if installed (``pip install ChannelAttribution
matplotlib``); it is never a dependency of goodwill. Its ``markov_model`` estimates removal
effects by simulating ``nsim_start`` walks (seeded), goodwill solves the chain exactly, so the
two agree up to ChannelAttribution's simulation error, which shrinks as ``nsim`` grows (the table
shows the default 1e5 and 1e7); the plain reference solves the same chain with dictionaries and a
dense numpy solve. Removal effects are compared directly (columns ``*_RE``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
from collections import defaultdict
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


def channelattribution_effects(
    d: pd.DataFrame, order: int, nsim: float
) -> tuple[dict[str, float], float]:
    """ChannelAttribution's removal effects (conversions) and its run time."""
    import ChannelAttribution as ca  # GPL: benchmark only, never a dependency

    t = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        r = ca.markov_model(
            d,
            "path",
            "total_conversions",
            var_value="total_conversion_value",
            var_null="total_null",
            order=order,
            nsim_start=nsim,
            out_more=True,
            verbose=0,
            flg_pro=False,
        )
    elapsed = time.perf_counter() - t
    re = r["removal_effects"]
    return dict(zip(re["channel_name"], re["removal_effects_conversion"], strict=True)), elapsed


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


def compare(
    name: str, d: pd.DataFrame, order: int, nsims: list[float], rows: list[dict[str, object]]
) -> None:
    j = journeys_from_frame(d)
    t = time.perf_counter()
    result = removal_effects(j, order=order)
    ours_s = time.perf_counter() - t
    ours = dict(zip(result.channels, result.removal_effect, strict=True))
    shares = {c: e / result.removal_effect.sum() for c, e in ours.items()}
    base: dict[str, object] = {
        "data": name,
        "paths": len(d),
        "order": order,
        "goodwill_s": round(ours_s, 3),
    }
    if len(d) <= 200_000:
        t = time.perf_counter()
        ref = reference_shares(d, order)
        base["plain_ref_s"] = round(time.perf_counter() - t, 3)
        base["max_share_diff_vs_plain"] = f"{max(abs(shares[c] - ref[c]) for c in ref):.1e}"
    else:
        base["plain_ref_s"] = "-"
        base["max_share_diff_vs_plain"] = "-"
    for nsim in nsims:
        row = dict(base)
        row["CA_nsim"] = f"{nsim:.0e}"
        try:
            ca, ca_s = channelattribution_effects(d, order, nsim)
        except ImportError:
            row["CA_s"] = "not installed"
            rows.append(row)
            continue
        big = [c for c in ca if ca[c] > 0.01]
        row["CA_s"] = round(ca_s, 2)
        row["CA_s/goodwill_s"] = round(ca_s / ours_s, 1)
        row["max_rel_diff_RE(RE>0.01)"] = f"{max(abs(ours[c] - ca[c]) / ca[c] for c in big):.2%}"
        row["max_abs_diff_RE"] = f"{max(abs(ours[c] - ca[c]) for c in ca):.4f}"
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
    parser.add_argument("--nsim", default="1e5,1e7", help="ChannelAttribution nsim_start values")
    args = parser.parse_args(argv)
    orders = [int(o) for o in args.orders.split(",")]
    nsims = [float(x) for x in args.nsim.split(",")]
    rows: list[dict[str, object]] = []
    removal_effects(Journeys.from_paths([["a"]]))  # warm-up: import scipy before timing
    data = pd.read_csv(DATA / "Data.csv", sep=";")
    for order in [] if args.skip_example else orders:
        compare("ChannelAttribution Data.csv", data, order, nsims, rows)
    synth = synthetic(args.paths, aggregate=not args.rows) if args.paths > 0 else None
    for order in orders if synth is not None else []:
        assert synth is not None
        label = "rows" if args.rows else "journeys (aggregated)"
        compare(f"synthetic {args.paths:,} {label}", synth, order, nsims, rows)
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print(table.to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
