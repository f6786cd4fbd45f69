"""The small tables of :func:`goodwill.simulate.scale.write_scale`: accounts, daily audience
snapshots, monthly costs, fx rates, identities (an e-mail for every person, a handle for 40 %)
and key messages."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from goodwill.simulate.scale_common import (
    BLUESKY_DAY,
    DAYS,
    EPOCH_DAY,
    HANDLES,
    ScalePeople,
    strings,
    take,
)
from goodwill.simulate.spec import BRAND, COMPETITORS, SOCIAL_PLATFORMS

__all__ = ["small_tables"]


def small_tables(rng: np.random.Generator, people: ScalePeople) -> dict[str, pa.Table]:
    accounts = pa.table(
        {
            "platform": strings([p for p in SOCIAL_PLATFORMS for _ in HANDLES]),
            "handle": strings([h for _ in SOCIAL_PLATFORMS for h in HANDLES]),
            "owner": strings(
                [
                    ("brand" if h == BRAND.handle else "competitor")
                    for _ in SOCIAL_PLATFORMS
                    for h in HANDLES
                ]
            ),
            "display_name": strings(
                [
                    a
                    for _ in SOCIAL_PLATFORMS
                    for a in (BRAND.display_name, *(c.display_name for c in COMPETITORS))
                ]
            ),
        }
    )
    plat_l, handle_l, day_l, fol_l, fing_l = [], [], [], [], []
    for p, plat in enumerate(SOCIAL_PLATFORMS):
        first = BLUESKY_DAY if plat == "bluesky" else 0
        for h in HANDLES:
            n = DAYS - first
            growth = np.cumsum(rng.poisson(3.0, n) - rng.poisson(1.5, n))
            plat_l += [plat] * n
            handle_l += [h] * n
            day_l.append(np.arange(first, DAYS, dtype=np.int32) + EPOCH_DAY)
            base = 0 if (plat == "bluesky" and h == BRAND.handle) else 1000 * (p + 1)
            fol_l.append(np.maximum(base + growth, 0))
            fing_l.append(np.full(n, 100 + 50 * p, np.int64))
    snapshots = pa.table(
        {
            "platform": strings(plat_l),
            "handle": strings(handle_l),
            "date": pa.array(np.concatenate(day_l), pa.date32()),
            "followers": pa.array(np.concatenate(fol_l).astype(np.int64)),
            "following": pa.array(np.concatenate(fing_l)),
        }
    )
    months = [(EPOCH_DAY + int(d)) for d in range(0, DAYS, 30)]
    cost_rows: dict[str, list[object]] = {
        k: []
        for k in (
            "cost_id",
            "period_start",
            "period_end",
            "category",
            "amount",
            "currency",
            "hours",
            "platform",
            "campaign",
        )
    }
    for i, d in enumerate(months):
        monthly: tuple[tuple[str, float, str, float | None, str | None], ...] = (
            ("staff", 1520.0, "USD", 40.0, "x"),
            ("staff", 988.0, "USD", 26.0, "mastodon"),
            ("tools", 49.0, "USD", None, None),
            ("tools", 29.0, "EUR", None, None),
            ("ads", 800.0, "USD", None, "facebook"),
        )
        for cat, amount, cur, hours, cplat in monthly:
            cost_rows["cost_id"].append(f"cost-{i:02d}-{cat}-{cplat or cur.lower()}")
            cost_rows["period_start"].append(d)
            cost_rows["period_end"].append(min(d + 29, EPOCH_DAY + DAYS - 1))
            cost_rows["category"].append(cat)
            cost_rows["amount"].append(amount)
            cost_rows["currency"].append(cur)
            cost_rows["hours"].append(hours)
            cost_rows["platform"].append(cplat)
            cost_rows["campaign"].append(None)
    costs = pa.table(
        {
            "cost_id": strings([str(x) for x in cost_rows["cost_id"]]),
            "period_start": pa.array(cost_rows["period_start"], pa.date32()),
            "period_end": pa.array(cost_rows["period_end"], pa.date32()),
            "category": pa.array(cost_rows["category"], pa.string()),
            "amount": pa.array(cost_rows["amount"], pa.float64()),
            "currency": pa.array(cost_rows["currency"], pa.string()),
            "hours": pa.array(cost_rows["hours"], pa.float64()),
            "platform": pa.array(cost_rows["platform"], pa.string()),
            "campaign": pa.array(cost_rows["campaign"], pa.string()),
            # staff, tools and prizes have no ad impressions or clicks
            "impressions": pa.nulls(len(cost_rows["cost_id"]), pa.int64()),
            "clicks": pa.nulls(len(cost_rows["cost_id"]), pa.int64()),
        }
    )
    fx_days = np.repeat(np.arange(DAYS, dtype=np.int32) + EPOCH_DAY, 2)
    fx = pa.table(
        {
            "date": pa.array(fx_days, pa.date32()),
            "currency": strings(["EUR", "GBP"] * DAYS),
            "rate": pa.array(
                np.round(np.tile([1.08, 1.27], DAYS) * np.exp(rng.normal(0, 0.004, 2 * DAYS)), 6)
            ),
        }
    )
    n = people.n
    ref = pc.binary_join_element_wise(
        pa.scalar("crm-"), pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), ""
    )
    hs = np.flatnonzero(rng.random(n) < 0.4)
    hp = rng.integers(0, 3, len(hs))
    handle = pc.case_when(
        pc.make_struct(pc.equal(pa.array(hp), 0), pc.equal(pa.array(hp), 1)),
        *(pc.take(people.handles[p], pa.array(hs)) for p in range(3)),
    )
    identities = pa.concat_tables(
        [
            pa.table(
                {
                    "kind": pa.array(["email"] * n, pa.string()),
                    "value": people.emails,
                    "person_ref": ref,
                    "display_name": people.names,
                }
            ),
            pa.table(
                {
                    "kind": take(strings([f"handle:{p}" for p in SOCIAL_PLATFORMS]), hp),
                    "value": handle,
                    "person_ref": pc.take(ref, pa.array(hs)),
                    "display_name": pc.take(people.names, pa.array(hs)),
                }
            ),
        ]
    )
    key_messages = pa.table(
        {
            "message_id": strings(["ethical-sourcing", "fresh-roast", "friendly-baristas"]),
            "text": strings(
                [
                    "ethically sourced beans",
                    "roasted fresh every week",
                    "friendly baristas who remember your name",
                ]
            ),
        }
    )
    return {
        "accounts": accounts,
        "audience_snapshots": snapshots,
        "costs": costs,
        "fx_rates": fx,
        "identities": identities,
        "key_messages": key_messages,
    }
