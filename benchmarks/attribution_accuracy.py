"""Accuracy of every attribution model against the demo business's planted ground truth.

    .venv/bin/python benchmarks/attribution_accuracy.py [--seed 7] [--people 3000]

Simulates the demo, imports it, resolves people (as ``goodwill import`` does), builds journeys
(30-day lookback) and compares each model's credited share per channel with
``ground_truth.json``'s true incremental credit. The journeys are the warehouse's
(what every command and page gives the models, :mod:`goodwill.attribution.journeys`: timed,
a non-converter looked at ``min(G, window end − last touch)`` after its last touch with ``G``
the converters' 99th-percentile gap, or untimed when the converters' median gap is within
the hour, as on the demo, where every conversion comes within 40 minutes of its last
touch); each number is shown for the **warehouse** journeys beside **untimed** (the same
journeys without horizons: no recency features; the same journeys on the demo). Only the
incremental model reads the horizons, so the rule-based, Markov and Shapley models give the
same numbers either way. Two last rows time the journeys anyway: ``incremental, median
cap`` looks at a non-converter the converters' median gap after its last touch (the rule
before this one, always timed), ``incremental @ window end`` at the end of the data (the
variant the journey builder never used: it shows why). The truth's causes are mapped onto the
channels a tracker can see: ``social`` = social_engagement + social_click + social_dark;
``direct`` = direct + baseline + word_of_mouth (causes that leave no trackable touch, and the
conversions our journeys give a ``direct`` placeholder; the incremental model's ``(baseline)``
row joins it too); the rest keep their names. Columns: mean and max absolute error of the
channel shares for leads and for first orders (value shares), social's share of leads and of
first-order value (estimate vs truth), and the mean absolute error of the leads credited to
each social platform (x, mastodon, bluesky), as a share of all leads.

Then a **diagnosis of the social gap** (can the warehouse see the touches that caused the
leads?): per true social cause, its credit of leads and how much of it sits on journeys with
a ``social`` touch; how much of the engagement credit is on a person whose handle on that
platform is in ``identities`` (an engagement is a touch only then); the incremental model's
social share once the handles ``goodwill people resolve`` links to a CRM person are added to
``identities`` (what the journey builder now does itself: it reads ``person_links`` too); and
once every person's true handles and visitor ids are added too (an oracle no real warehouse
has).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd

from goodwill.attribution.incremental import BASELINE, TimedJourneys
from goodwill.attribution.journeys import (
    JourneySpec,
    JourneyStore,
    WarehouseJourneys,
    build_journeys,
    conversion_gaps,
    window_end,
)
from goodwill.attribution.models import MODELS, attribute
from goodwill.attribution.paths import Credit, FloatArray, Journeys
from goodwill.importer import import_paths
from goodwill.people.identity import resolve
from goodwill.simulate import DemoSpec, simulate
from goodwill.warehouse import Warehouse

GROUP = {
    "social_engagement": "social",
    "social_click": "social",
    "social_dark": "social",
    "baseline": "direct",
    "word_of_mouth": "direct",
}


def truth_shares(section: dict[str, object], key: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for ch, row in section["channels"].items():  # type: ignore[attr-defined]
        out[GROUP.get(ch, ch)] = out.get(GROUP.get(ch, ch), 0.0) + float(row[key])
    return out


def shares(credit: Credit, of: str) -> dict[str, float]:
    """Each channel's share of all conversions (``of`` = conversions) or value; the
    incremental model's ``(baseline)`` joins ``direct``, as the truth's baseline does."""
    amounts = credit.conversions if of == "conversions" else credit.value
    out: dict[str, float] = {}
    for ch, x in zip(credit.channels, amounts / amounts.sum(), strict=True):
        key = "direct" if ch == BASELINE else ch
        out[key] = out.get(key, 0.0) + float(x)
    return out


def watched(wj: WarehouseJourneys, store: JourneyStore, spec: JourneySpec) -> FloatArray:
    """Each non-converter's time (days) from its last touch to the end of the window (0 for a
    converter): the ``watched`` of :func:`goodwill.attribution.journeys.horizons_by_rule`."""
    got = store.fetched(spec)
    end = window_end(spec, got)
    last = got.tails.groupby("key")["end"].max()
    j = wj.journeys
    idle = wj.meta["kind"].isna().to_numpy()
    keys = wj.meta["journey"].astype(str)[idle].str.slice(len("null:"))
    out = np.zeros(j.n)
    gone = end - pd.to_datetime(last.reindex(keys).to_numpy())
    out[idle] = np.clip(gone.total_seconds().to_numpy() / 86400.0, 0.0, None)
    return out


def timed(wj: WarehouseJourneys, horizon: FloatArray) -> TimedJourneys:
    """``wj``'s journeys with these horizons."""
    j = wj.journeys
    return TimedJourneys(
        channels=j.channels,
        offsets=j.offsets,
        touch_channel=j.touch_channel,
        touch_age=j.touch_age,
        conversions=j.conversions,
        value=j.value,
        nulls=j.nulls,
        horizon=horizon,
    )


def at_window_end(wj: WarehouseJourneys, store: JourneyStore, spec: JourneySpec) -> Journeys:
    """``wj``'s journeys with every non-converter looked at the end of the window (``horizon``
    = window end − its last touch), the variant of the module docstring."""
    return timed(wj, watched(wj, store, spec))


def at_median_gap(wj: WarehouseJourneys, store: JourneyStore, spec: JourneySpec) -> Journeys:
    """``wj``'s journeys with every non-converter looked at ``min(median gap, window end −
    last touch)`` after its last touch (the rule before the warehouse's: always timed)."""
    seen = watched(wj, store, spec)
    converted = wj.meta["kind"].notna().to_numpy()
    gap = float(np.median(conversion_gaps(wj.journeys, converted)))
    horizon = np.where(converted, 0.0, np.minimum(gap, seen))
    return timed(wj, horizon)


def untimed(j: Journeys) -> Journeys:
    return j.untimed() if isinstance(j, TimedJourneys) else j


def errors(est: dict[str, float], truth: dict[str, float]) -> tuple[float, float]:
    chans = sorted(set(est) | set(truth))
    diff = np.array([abs(est.get(c, 0.0) - truth.get(c, 0.0)) for c in chans])
    return float(diff.mean()), float(diff.max())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--people", type=int, default=3000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "demo"
        simulate(DemoSpec(seed=args.seed, people=args.people), out)
        truth = json.loads((out / "ground_truth.json").read_text())["attribution"]
        wh = Warehouse.open(Path(tmp) / "demo.duckdb")
        import_paths(wh, [out], show_progress=False)
        resolve(wh)  # as `goodwill import` does at its end
        backend = wh.ibis()
        store = JourneyStore(backend)
        lead_spec, order_spec = JourneySpec(kinds=("lead",)), JourneySpec(kinds=("order",))
        built_leads = build_journeys(backend, lead_spec, store=store)
        leads = built_leads.journeys
        orders = build_journeys(backend, order_spec, store=store)
        leads_src = build_journeys(backend, JourneySpec(kinds=("lead",), by="source")).journeys
        lead_ids = built_leads.meta["journey"]
        late = {
            "leads": at_window_end(built_leads, store, lead_spec),
            "orders": at_window_end(orders, store, order_spec),
        }
        median = {
            "leads": at_median_gap(built_leads, store, lead_spec),
            "orders": at_median_gap(orders, store, order_spec),
        }
        wh.close()
        full = json.loads((out / "ground_truth.json").read_text())
        diagnosis = diagnose(Path(tmp) / "demo.duckdb", full, leads, lead_ids)
    first = orders.meta["first_order"].to_numpy() | orders.meta["kind"].isna().to_numpy()
    first_orders = orders.journeys.subset(first)
    variants = {
        "warehouse": (leads, first_orders, leads_src),
        "untimed": (untimed(leads), untimed(first_orders), untimed(leads_src)),
    }
    t_leads = truth_shares(truth["leads"], "share")
    t_first = truth_shares(truth["first_orders"], "value_share")
    n_leads = truth["leads"]["conversions"]
    t_platform = {p: v / n_leads for p, v in truth["social_by_platform"]["leads"].items()}
    rows = []
    for model in MODELS:
        row: dict[str, object] = {"model": model}
        for name, (j_leads, j_first, j_src) in variants.items():
            est_l = shares(attribute(j_leads, model), "conversions")
            est_o = shares(attribute(j_first, model), "value")
            est_p = shares(attribute(j_src, model), "conversions")
            row[name] = (est_l, est_o, est_p)
        rows.append(_row(model, row, t_leads, t_first, t_platform))
    for name, forced in (
        ("incremental, median cap (old rule)", median),
        ("incremental @ window end", late),
    ):
        est = (
            shares(attribute(forced["leads"], "incremental"), "conversions"),
            shares(attribute(forced["orders"].subset(first), "incremental"), "value"),
            None,
        )
        rows.append(_row(name, {"warehouse": est, "untimed": None}, t_leads, t_first, t_platform))
    print(
        "journeys timed:",
        {
            "leads": isinstance(leads, TimedJourneys),
            "orders": isinstance(orders.journeys, TimedJourneys),
        },
    )
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print(pd.DataFrame(rows).to_string(index=False))
    print("truth leads:", {k: round(v, 4) for k, v in sorted(t_leads.items())})
    print("truth first-order value:", {k: round(v, 4) for k, v in sorted(t_first.items())})
    print("truth platform leads share:", {k: round(v, 4) for k, v in sorted(t_platform.items())})
    print()
    print("diagnosis of the social gap (leads):")
    for line in diagnosis:
        print(" ", line)
    return 0


def _row(
    model: str,
    got: dict[str, object],
    t_leads: dict[str, float],
    t_first: dict[str, float],
    t_platform: dict[str, float],
) -> dict[str, object]:
    """One printed row: per variant (warehouse, untimed) the errors and social's shares."""
    out: dict[str, object] = {"model": model}
    cols: dict[str, list[object]] = {}
    for name in ("warehouse", "untimed"):
        est = got.get(name)
        if est is None:
            values: list[object] = ["–"] * 6
        else:
            est_l, est_o, est_p = est  # type: ignore[misc]
            l_mae, l_max = errors(est_l, t_leads)
            _, o_max = errors(est_o, t_first)
            p_mae = (
                float(np.mean([abs(est_p.get(p, 0.0) - t) for p, t in t_platform.items()]))
                if est_p is not None
                else float("nan")
            )
            values = [
                round(l_max, 3),
                round(o_max, 3),
                round(est_l.get("social", 0.0), 3),
                round(est_o.get("social", 0.0), 3),
                round(p_mae, 3),
                round(l_mae, 3),
            ]
        for label, v in zip(
            (
                "leads max err",
                "1st-order max err",
                "social/leads",
                "social/1st-order value",
                "platform leads MAE",
                "leads MAE",
            ),
            values,
            strict=True,
        ):
            cols.setdefault(label, []).append(v)
    for label, (in_warehouse, plain) in cols.items():
        out[f"{label} warehouse"] = in_warehouse
        out[f"{label} untimed"] = plain
        if label == "social/leads":
            out["social/leads truth"] = round(t_leads.get("social", 0.0), 3)
        if label == "social/1st-order value":
            out["social/1st-order truth"] = round(t_first.get("social", 0.0), 3)
    return out


def _has(journeys: Journeys, channel: str) -> npt.NDArray[np.bool_]:
    has = np.zeros(journeys.n, dtype=bool)
    if channel in journeys.channels:
        code = journeys.channels.index(channel)
        has[journeys.touch_journey[journeys.touch_channel == code]] = True
    return has


def diagnose(db: Path, truth: dict[str, Any], leads: Journeys, lead_ids: pd.Series) -> list[str]:
    """The diagnosis of the module docstring, as printable lines."""
    lines = []
    by_conv = truth["attribution"]["by_conversion"]
    has = _has(leads, "social")
    credit: dict[str, list[float]] = {}
    for i, jid in enumerate(lead_ids.astype(str)):
        if leads.conversions[i] == 0:
            continue
        for key, share in by_conv[jid].items():
            cause = key.partition(":")[0]
            got = credit.setdefault(cause, [0.0, 0.0])
            got[0] += share
            got[1] += share * bool(has[i])
    n = float(leads.conversions.sum())
    for cause in ("social_engagement", "social_click", "social_dark"):
        total, seen = credit.get(cause, [0.0, 0.0])
        lines.append(
            f"{cause}: {total / n:.3f} of leads; {seen / max(total, 1e-12):.0%} of it on "
            "journeys with a social touch"
        )
    con = duckdb.connect(str(db))
    ids = con.execute("select kind, value from identities").fetchall()
    known = {(k, v) for k, v in ids}
    conv = con.execute("select conversion_id, email from conversions where kind = 'lead'")
    email_of = dict(conv.fetchall())
    person_of = {e: p for p in truth["people"] for e in p["emails"]}
    total = linked = 0.0
    for jid, credits in by_conv.items():
        if jid not in email_of:  # an order
            continue
        person = person_of.get(email_of[jid] or "")
        for key, share in credits.items():
            if not key.startswith("social_engagement:"):
                continue
            platform = key.partition(":")[2]
            total += share
            handle = (person or {}).get("handles", {}).get(platform)
            linked += share * ((f"handle:{platform}", handle) in known)
    handles = sum(1 for k, _ in known if k.startswith("handle:"))
    true_handles = sum(len(p["handles"]) for p in truth["people"])
    lines.append(
        f"engagement credit on a person whose handle is in identities: {linked / total:.0%} "
        f"(identities know {handles} of the people's {true_handles} handles)"
    )
    # what `goodwill people resolve` (run by `goodwill import`) links: its handle links to a
    # CRM person, made visible to the journey builder (which reads identities only)
    con.close()
    wh = Warehouse.open(db)
    resolve(wh)
    wh.close()
    con = duckdb.connect(str(db))
    refs = {r for (r,) in con.execute("select distinct person_ref from identities").fetchall()}
    links = con.execute(
        "select kind, value, person_id from person_links where kind like 'handle:%'"
    ).fetchall()
    owner = {
        (f"handle:{pl}", h): p["crm_ref"] for p in truth["people"] for pl, h in p["handles"].items()
    }
    resolved = [(k, v, pid) for k, v, pid in links if (k, v) not in known and pid in refs]
    right = sum(owner.get((k, v)) == pid for k, v, pid in resolved)
    con.register("resolved", pd.DataFrame(resolved, columns=["kind", "value", "person_ref"]))
    con.execute(
        "insert into identities (kind, value, person_ref) select kind, value, person_ref "
        "from resolved"
    )
    con.close()
    wh = Warehouse.open(db)
    linked_journeys = build_journeys(wh.ibis(), JourneySpec(kinds=("lead",))).journeys
    wh.close()
    est_resolved = shares(attribute(linked_journeys, "incremental"), "conversions")
    seen = _has(linked_journeys, "social")[linked_journeys.conversions > 0].mean()
    lines.append(
        f"`goodwill people resolve` links {len(resolved)} more handles to a CRM person "
        f"({right} of them right by the truth); the journey builder reads those links: "
        f"with those links {seen:.0%} "
        f"of leads have a social touch and the incremental model credits social "
        f"{est_resolved.get('social', 0.0):.3f}"
    )
    known |= {(k, v) for k, v, _ in resolved}
    con = duckdb.connect(str(db))
    add = []
    for p in truth["people"]:
        ref = p["crm_ref"] or p["person_id"]
        add += [(f"handle:{pl}", h, ref) for pl, h in p["handles"].items()]
        add += [("visitor", v, ref) for v in p["visitor_ids"]]
    frame = pd.DataFrame(
        [a for a in add if (a[0], a[1]) not in known], columns=["kind", "value", "person_ref"]
    )
    con.register("oracle", frame)
    con.execute(
        "insert into identities (kind, value, person_ref) select kind, value, person_ref "
        "from oracle"
    )
    con.close()
    wh = Warehouse.open(db)
    oracle = build_journeys(wh.ibis(), JourneySpec(kinds=("lead",))).journeys
    wh.close()
    est = shares(attribute(oracle, "incremental"), "conversions")
    lines.append(
        f"leads with a social touch: {has[leads.conversions > 0].mean():.0%} as imported, "
        f"{_has(oracle, 'social')[oracle.conversions > 0].mean():.0%} with every true handle "
        "and visitor id in identities (oracle)"
    )
    true_social = truth_shares(truth["attribution"]["leads"], "share")["social"]
    lines.append(
        f"incremental model's social share of leads with the oracle identities: "
        f"{est.get('social', 0.0):.3f} (truth {true_social:.3f})"
    )
    return lines


if __name__ == "__main__":
    sys.exit(main())
