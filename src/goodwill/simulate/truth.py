"""The ground truth of the demo business: what every estimator is checked against.

Sections of ``ground_truth.json`` (sorted keys, indent 2):

* ``intervention``: the true daily effect of starting on Bluesky on visits, leads, orders and
  revenue: factual minus the counterfactual world without any Bluesky-rooted touch, per day
  (``series``), as a post-period mean (``daily_*_effect``) and sum (``cumulative_*_effect``);
  ``extra_visits_per_day`` counts the visits whose root cause is Bluesky, ``extra_leads_per_day``
  the lead credit of Bluesky causes.
* ``attribution``: true incremental credit per channel for leads, first orders and all orders
  (repeat orders are ``baseline``), per social platform, and per conversion.
* ``care``, ``pull_through``, ``sentiment``, ``share_of_voice``, ``relationships``,
  ``people`` (every person's full identity), ``identities``, ``totals`` and ``counts``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import numpy as np
import numpy.typing as npt

from goodwill.simulate.commerce import Commerce, priced
from goodwill.simulate.journeys import World
from goodwill.simulate.people import CURRENCIES, Population, segment_of
from goodwill.simulate.social import ACCOUNTS, Interactions
from goodwill.simulate.social_rows import SocialRows
from goodwill.simulate.spec import (
    BRAND,
    COMPETITORS,
    DAY,
    INTERVENTION_PLATFORM,
    REPORTING_CURRENCY,
    SITE,
    SOCIAL_PLATFORMS,
    Calendar,
)
from goodwill.simulate.texts import KEY_MESSAGES, SENTIMENT
from goodwill.simulate.touches import CHANNELS
from goodwill.simulate.web_rows import VisitRows

__all__ = ["build_truth", "world_series"]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


def _r(x: float, nd: int = 4) -> float:
    return round(float(x), nd)


def _per_day(cal: Calendar, t: list[int], weights: list[float] | None = None) -> F64:
    out = np.zeros(cal.days, np.float64)
    if t:
        np.add.at(out, np.array(t, np.int64) // DAY, 1.0 if weights is None else weights)
    return out


def _usd(world: World, pop: Population, fx: F64, i: int) -> float:
    cur = int(pop.currency[world.c_person[i]])
    rate = float(fx[world.c_t[i] // DAY, cur])
    return priced(world.c_value[i], cur, rate)[1]


def world_series(cal: Calendar, world: World, pop: Population, fx: F64) -> dict[str, F64]:
    kinds = {"lead": [], "order": []}  # type: dict[str, list[int]]
    revenue_t: list[int] = []
    revenue_v: list[float] = []
    for i, kind in enumerate(world.c_kind):
        kinds[kind].append(world.c_t[i])
        if kind == "order":
            revenue_t.append(world.c_t[i])
            revenue_v.append(_usd(world, pop, fx, i))
    return {
        "visits": _per_day(cal, world.v_t),
        "leads": _per_day(cal, kinds["lead"]),
        "orders": _per_day(cal, kinds["order"]),
        "revenue": _per_day(cal, revenue_t, revenue_v),
    }


def _intervention(
    cal: Calendar, pop: Population, fx: F64, fact: World, cf: World, visits: VisitRows
) -> dict[str, Any]:
    f = world_series(cal, fact, pop, fx)
    c = world_series(cal, cf, pop, fx)
    bg = visits.background_per_day.astype(np.float64)
    f["visits"] += bg
    c["visits"] += bg
    i0 = cal.intervention_day
    post = cal.days - i0
    bsky = [t for t, r in zip(fact.v_t, fact.v_root, strict=True) if r == 2]
    bsky_leads = 0.0
    for t, kind, credits in zip(fact.c_t, fact.c_kind, fact.c_credits, strict=True):
        if kind == "lead" and t >= i0 * DAY:
            bsky_leads += sum(v for k, v in credits.items() if k.endswith(":bluesky"))
    out: dict[str, Any] = {
        "date": cal.date_of(i0).isoformat(),
        "platform": INTERVENTION_PLATFORM,
        "handle": BRAND.handle,
        "post_period_days": post,
        "description": "The brand starts posting on Bluesky. Counterfactual: the same people "
        "and random numbers without any touch rooted on Bluesky.",
        "metrics": {
            "visits": "website visits per UTC day in visits.csv, without bots (user agents "
            "containing Googlebot, bingbot, AhrefsBot or python-requests)",
            "leads": "conversions with kind=lead per UTC day",
            "orders": "conversions with kind=order per UTC day",
            "revenue": "order value in USD per UTC day (refunds not deducted)",
        },
        "extra_visits_per_day": _r(sum(1 for t in bsky if t >= i0 * DAY) / post),
        "extra_leads_per_day": _r(bsky_leads / post),
        "pre_period_difference": _r(float(np.abs(f["visits"][:i0] - c["visits"][:i0]).sum())),
    }
    for name in ("visits", "leads", "orders", "revenue"):
        diff = f[name][i0:] - c[name][i0:]
        out[f"daily_{name}_effect"] = _r(diff.mean())
        out[f"cumulative_{name}_effect"] = _r(diff.sum(), 2)
    out["series"] = [
        {
            "date": cal.date_of(d).isoformat(),
            "visits": int(f["visits"][d]),
            "visits_counterfactual": int(c["visits"][d]),
            "leads": int(f["leads"][d]),
            "leads_counterfactual": int(c["leads"][d]),
            "orders": int(f["orders"][d]),
            "orders_counterfactual": int(c["orders"][d]),
            "revenue": _r(f["revenue"][d], 2),
            "revenue_counterfactual": _r(c["revenue"][d], 2),
        }
        for d in range(cal.days)
    ]
    return out


def _attribution(world: World, commerce: Commerce) -> dict[str, Any]:
    sections: dict[str, dict[str, Any]] = {}
    by_conversion: dict[str, dict[str, float]] = {}
    social: dict[str, defaultdict[str, float]] = {
        "leads": defaultdict(float),
        "orders": defaultdict(float),
        "orders_value": defaultdict(float),
    }
    for name in ("leads", "first_orders", "orders"):
        credit: defaultdict[str, float] = defaultdict(float)
        value: defaultdict[str, float] = defaultdict(float)
        n, total_value = 0, 0.0
        for i, kind in enumerate(world.c_kind):
            if (kind == "lead") != (name == "leads"):
                continue
            if name == "first_orders" and world.c_order_no[i] != 0:
                continue
            n += 1
            v = commerce.value_usd[i]
            total_value += v
            for key, share in world.c_credits[i].items():
                base, _, plat = key.partition(":")
                credit[base] += share
                value[base] += share * v
                if plat and name != "first_orders":
                    social[name][plat] += share
                    if name == "orders":
                        social["orders_value"][plat] += share * v
        channels = {
            ch: {
                "conversions": _r(credit[ch]),
                "share": _r(credit[ch] / n) if n else 0.0,
                **(
                    {
                        "value": _r(value[ch], 2),
                        "value_share": _r(value[ch] / total_value) if total_value else 0.0,
                    }
                    if name != "leads"
                    else {}
                ),
            }
            for ch in CHANNELS
        }
        sections[name] = {
            "conversions": n,
            "channels": channels,
            **({"value": _r(total_value, 2)} if name != "leads" else {}),
        }
    for i, credits in enumerate(world.c_credits):
        by_conversion[commerce.conversion_ids[i]] = {k: _r(v) for k, v in credits.items()}
    return {
        "method": "union of independent causes: a base cause and one cause per touch; a "
        "conversion credits every cause that fired in the 30 days before it, split equally. "
        "Repeat orders are credited to baseline. Values in USD.",
        "channels": list(CHANNELS),
        **sections,
        "social_by_platform": {
            "leads": {p: _r(social["leads"][p]) for p in SOCIAL_PLATFORMS},
            "orders": {p: _r(social["orders"][p]) for p in SOCIAL_PLATFORMS},
            "orders_value": {p: _r(social["orders_value"][p], 2) for p in SOCIAL_PLATFORMS},
        },
        "by_conversion": by_conversion,
    }


def _care(social: Interactions) -> dict[str, Any]:
    answers: dict[int, int] = {}
    followups: set[int] = set()
    for i in range(len(social)):
        r = social.reply_to[i]
        if r >= 0 and social.outbound[i]:
            answers.setdefault(r, social.t[i])
        elif r >= 0:
            followups.add(social.reply_to[r])
    out: dict[str, Any] = {"business_hours": "Mon-Fri 08-20 UTC, Sat 10-16 UTC, Sun closed"}
    for intent in ("complaint", "question"):
        idx = [
            i
            for i in range(len(social))
            if social.intent[i] == intent and social.account[i] == 0 and not social.outbound[i]
        ]
        minutes = np.array([(answers[i] - social.t[i]) / 60 for i in idx if i in answers])
        key = intent + "s"
        out[key] = len(idx)
        out[f"{key}_answered"] = len(minutes)
        out[f"{key}_median_first_response_minutes"] = (
            _r(np.median(minutes), 2) if len(minutes) else None
        )
        out[f"{key}_p90_first_response_minutes"] = (
            _r(np.percentile(minutes, 90), 2) if len(minutes) else None
        )
        out[f"{key}_by_platform"] = dict(Counter(SOCIAL_PLATFORMS[social.platform[i]] for i in idx))
        if intent == "complaint":
            out["complaints_resolved"] = sum(1 for i in idx if i in followups)
    out["answered"] = out["complaints_answered"]
    out["median_first_response_minutes"] = out["complaints_median_first_response_minutes"]
    out["p90_first_response_minutes"] = out["complaints_p90_first_response_minutes"]
    out["response_time_definition"] = (
        "created_at of the first outbound interaction whose "
        "in_reply_to is the inbound one, minus the inbound created_at"
    )
    return out


def _texts(social: Interactions, rows: SocialRows) -> dict[str, Any]:
    pull: Counter[str] = Counter()
    intents: Counter[str] = Counter()
    labels: dict[str, str] = {}
    sov: Counter[str] = Counter()
    for i in range(len(social)):
        intent = social.intent[i]
        if social.outbound[i] or intent is None:
            continue
        if social.kind[i] == "mention":
            sov[ACCOUNTS[social.account[i]].handle] += 1
        if social.account[i] == 0:
            intents[intent] += 1
            if social.message[i]:
                pull[social.message[i] or ""] += 1
        key = f"{SOCIAL_PLATFORMS[social.platform[i]]}:{rows.interaction_ids[i]}"
        labels[key] = "|".join(
            (ACCOUNTS[social.account[i]].handle, intent, SENTIMENT[intent], social.message[i] or "")
        )
    total = sum(sov.values())
    return {
        "pull_through": {mid: pull[mid] for mid, _ in KEY_MESSAGES},
        "sentiment": {
            "brand_inbound_by_intent": dict(intents),
            "labels_format": "'<platform>:<interaction_id>' -> "
            "'<target handle>|<intent>|<sentiment>|<key message id or empty>'",
            "labels": labels,
        },
        "share_of_voice": {
            "definition": "inbound interactions of kind mention, per account addressed",
            "mentions": dict(sov),
            "share": {h: _r(v / total) for h, v in sov.items()},
        },
    }


def _people(
    cal: Calendar, pop: Population, social: Interactions, world: World, commerce: Commerce
) -> list[dict[str, Any]]:
    first = [cal.horizon] * pop.n
    brand_n = [0] * pop.n
    months: list[set[tuple[int, int]]] = [set() for _ in range(pop.n)]
    for i in range(len(social)):
        if social.outbound[i]:
            continue
        p = social.person[i]
        first[p] = min(first[p], social.t[i])
        if social.account[i] == 0:
            brand_n[p] += 1
            d = cal.date_of(social.t[i] // DAY)
            months[p].add((d.year, d.month))
    for p, t in zip(world.v_person, world.v_t, strict=True):
        first[p] = min(first[p], t)
    out = []
    for p in range(pop.n):
        handles = {
            SOCIAL_PLATFORMS[k]: pop.names.handles[p][k] for k in range(3) if pop.on_platform[p, k]
        }
        cust = p in commerce.customer_id
        out.append(
            {
                "person_id": f"p{p + 1:05d}",
                "display_name": pop.names.real_names[p],
                "social_names": {
                    SOCIAL_PLATFORMS[k]: pop.names.social_names[p][k]
                    for k in range(3)
                    if pop.on_platform[p, k]
                },
                "affinity": _r(pop.affinity[p]),
                "segment": segment_of(float(pop.affinity[p]), bool(pop.comp_only[p])),
                "competitor_only": bool(pop.comp_only[p]),
                "handles": handles,
                "emails": [pop.names.emails[p]],
                "visitor_ids": list(pop.visitor_ids[p]),
                "customer_id": commerce.customer_id.get(p),
                "crm_ref": commerce.crm_ref.get(p),
                "is_lead": world.lead_t[p] >= 0,
                "is_customer": cust,
                "currency": CURRENCIES[int(pop.currency[p])],
                "referral_code": pop.names.referral_codes[p] if cust else None,
                "purchase_rate_per_day": _r(pop.buy_rate[p], 6) if cust else None,
                "dropout_probability": _r(pop.dropout[p]) if cust else None,
                "brand_interactions": brand_n[p],
                "active_months": len(months[p]),
                "first_active": cal.date_of(first[p] // DAY).isoformat()
                if first[p] < cal.horizon
                else None,
            }
        )
    return out


def build_truth(
    *,
    cal: Calendar,
    pop: Population,
    social: Interactions,
    social_rows: SocialRows,
    fact: World,
    cf: World,
    visits: VisitRows,
    commerce: Commerce,
    fx: F64,
    counts: dict[str, int],
) -> dict[str, Any]:
    people = _people(cal, pop, social, fact, commerce)
    revenue = sum(commerce.value_usd[i] for i, k in enumerate(fact.c_kind) if k == "order")
    texts = _texts(social, social_rows)
    return {
        "seed": cal.spec.seed,
        "start": cal.start.isoformat(),
        "end": cal.spec.end.isoformat(),
        "reporting_currency": REPORTING_CURRENCY,
        "brand": {
            "handle": BRAND.handle,
            "display_name": BRAND.display_name,
            "site": SITE,
            "platforms": list(SOCIAL_PLATFORMS),
            "platform_start": {
                p: (
                    cal.date_of(cal.intervention_day) if p == INTERVENTION_PLATFORM else cal.start
                ).isoformat()
                for p in SOCIAL_PLATFORMS
            },
        },
        "competitors": [
            {
                "handle": c.handle,
                "display_name": c.display_name,
                "platforms": list(SOCIAL_PLATFORMS),
            }
            for c in COMPETITORS
        ],
        "intervention": _intervention(cal, pop, fx, fact, cf, visits),
        "attribution": _attribution(fact, commerce),
        "care": _care(social),
        **texts,
        "relationships": {
            "definition": "latent tier from affinity: champion >= 0.6, regular >= 0.35, "
            "occasional >= 0.15, else casual; competitor_only never engage with the brand",
            "segments": dict(Counter(p["segment"] for p in people)),
        },
        "identities": {
            "crm_contacts": len(commerce.crm_ref),
            "crm_rows": len(commerce.identity_rows),
            "crm_handles": sum(
                1 for r in commerce.identity_rows if (r["kind"] or "").startswith("handle:")
            ),
        },
        "totals": {
            "leads": fact.c_kind.count("lead"),
            "orders": fact.c_kind.count("order"),
            "customers": len(commerce.customer_id),
            "revenue_usd": _r(revenue, 2),
            "refunds": len(commerce.refunds),
            "refunds_usd": _r(sum(v for _, v in commerce.refunds), 2),
            "bot_visits": visits.bots,
        },
        "people": people,
        "counts": dict(counts),
    }
