"""BG/NBD + Gamma-Gamma on CDNOW: published parameters, holdout accuracy, speed.

    .venv/bin/python benchmarks/clv_cdnow.py

Data: ``../shared/data/cdnow-transactions`` (1/10 sample: 2,357 customers, first purchase in
Q1 1997). Calibration: each customer's first purchase to 1997-09-30 (39 weeks from Jan 1);
holdout: 1997-10-01 … 1998-06-30 (39 weeks). Same-day purchases are merged.

Printed: (1) our BG/NBD and Gamma-Gamma parameters next to Fader, Hardie & Lee (2005), with
standard errors; (2) expected versus actual repeat purchases in the holdout, in total and by
number of calibration repeat purchases (the paper's conditional-expectation check);
(3) Gamma-Gamma expected average spend versus the actual average holdout spend.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

from goodwill.value.bgnbd import fit_bgnbd, fit_gamma_gamma

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "cdnow-transactions"
PUBLISHED_BG = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_GG = {"p": 6.25, "q": 3.74, "v": 15.44}
CAL_END = pd.Timestamp("1997-09-30")
HOLDOUT_WEEKS = 39.0


def load() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per-customer calibration summary in weeks with holdout counts, purchase days)."""
    tx = pd.read_csv(
        DATA / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["original_id", "id", "date", "cds", "dollars"],
    )
    tx["date"] = pd.to_datetime(tx["date"].astype(str))
    days = tx.groupby(["id", "date"], as_index=False)["dollars"].sum().sort_values(["id", "date"])
    days["k"] = days.groupby("id").cumcount()
    first = days[days["k"] == 0].set_index("id")["date"]
    cal = days[days["date"] <= CAL_END]
    hold = days[days["date"] > CAL_END]
    per = pd.DataFrame({"first": first})
    per["x"] = cal.groupby("id").size().reindex(per.index).fillna(1) - 1
    last = cal.groupby("id")["date"].max().reindex(per.index)
    per["t_x"] = (last - per["first"]).dt.days / 7
    per["T"] = (CAL_END - per["first"]).dt.days / 7
    repeat = cal[cal["k"] > 0].groupby("id")["dollars"].mean()
    per["m"] = repeat.reindex(per.index)
    per["holdout"] = hold.groupby("id").size().reindex(per.index).fillna(0)
    per["holdout_mean"] = hold.groupby("id")["dollars"].mean().reindex(per.index)
    return per, days


def main() -> None:
    console = Console(width=140)
    per, _ = load()
    start = time.perf_counter()
    bg = fit_bgnbd(per["x"], per["t_x"], per["T"])
    bg_secs = time.perf_counter() - start
    start = time.perf_counter()
    gg = fit_gamma_gamma(per["x"], per["m"])
    gg_secs = time.perf_counter() - start

    t = Table(title="CDNOW sample: goodwill MLE vs published (Fader, Hardie & Lee 2005)")
    for c in ("model", "parameter", "published", "goodwill", "s.e.", "fit time s"):
        t.add_column(c, justify="right")
    for name, value in PUBLISHED_BG.items():
        ours = getattr(bg, name)
        t.add_row("BG/NBD", name, f"{value}", f"{ours:.4f}", f"{bg.se[name]:.4f}", f"{bg_secs:.2f}")
    t.add_row("BG/NBD", "log-lik", "-9582.4", f"{bg.log_likelihood:.1f}", "", "")
    for name, value in PUBLISHED_GG.items():
        ours = getattr(gg, name)
        t.add_row(
            "Gamma-Gamma", name, f"{value}", f"{ours:.4f}", f"{gg.se[name]:.4f}", f"{gg_secs:.2f}"
        )
    t.add_row("Gamma-Gamma", "customers", "946", f"{gg.n_customers}", "", "")
    console.print(t)

    x, t_x, big_t = (per[c].to_numpy(float) for c in ("x", "t_x", "T"))
    per["expected"] = bg.expected_purchases(HOLDOUT_WEEKS, x, t_x, big_t)
    h = Table(title="Holdout (39 weeks): expected vs actual repeat purchases per customer")
    for c in ("calibration repeats", "customers", "expected (mean)", "actual (mean)"):
        h.add_column(c, justify="right")
    group = per["x"].clip(upper=7).astype(int)
    for k, rows in per.groupby(group):
        label = f"{k}+" if k == 7 else str(k)
        h.add_row(
            label, str(len(rows)), f"{rows['expected'].mean():.3f}", f"{rows['holdout'].mean():.3f}"
        )
    h.add_row(
        "all (total)",
        str(len(per)),
        f"{per['expected'].sum():.0f}",
        f"{per['holdout'].sum():.0f}",
    )
    console.print(h)

    buyers = per[(per["x"] > 0) & (per["holdout"] > 0)]
    expected_value = gg.expected_value(buyers["x"].to_numpy(float), buyers["m"].to_numpy(float))
    g = Table(title="Gamma-Gamma: expected average spend vs actual holdout average spend")
    for c in ("customers", "expected mean $", "actual mean $", "corr"):
        g.add_column(c, justify="right")
    corr = float(np.corrcoef(expected_value, buyers["holdout_mean"])[0, 1])
    g.add_row(
        str(len(buyers)),
        f"{expected_value.mean():.2f}",
        f"{buyers['holdout_mean'].mean():.2f}",
        f"{corr:.2f}",
    )
    console.print(g)


if __name__ == "__main__":
    main()
