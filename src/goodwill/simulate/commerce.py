"""Money and customers: fx rates, conversions (leads, orders, refunds) and the CRM identities.

* **fx_rates**: a daily rate for EUR and GBP (USD per unit) over the whole period, a small
  random walk around 1.08 and 1.27.
* **conversions**: the factual world's leads and orders in time order. Orders are in the
  customer's home currency (78 % USD, 14 % EUR, 8 % GBP) at the day's rate; 4 % of orders are
  refunded (``kind=refund``, positive value) 1-20 days later. Customers get ids ``C10001``...
  in order of their first purchase; a referred friend's order carries the referrer's code.
* **identities**: only what a business knows for sure (also each customer's referral code, kind
  ``referral``): for every lead or customer a CRM contact
  (``person_ref = crm-000001``...) with their e-mail and customer id, plus a platform handle for
  the 40 % of customers (and 10 % of leads) who gave one. The full truth is in the ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from goodwill.simulate.clock import Clock
from goodwill.simulate.journeys import World
from goodwill.simulate.people import CURRENCIES, Population
from goodwill.simulate.social_rows import Row
from goodwill.simulate.spec import DAY, SOCIAL_PLATFORMS, Calendar

__all__ = ["Commerce", "make_commerce", "make_fx", "priced"]

F64 = npt.NDArray[np.float64]


def make_fx(rng: np.random.Generator, cal: Calendar) -> F64:
    """(days, 3) USD per unit of USD, EUR, GBP."""
    eur = 1.08 * np.exp(np.cumsum(rng.normal(0.0, 0.003, cal.days)))
    gbp = 1.27 * np.exp(np.cumsum(rng.normal(0.0, 0.0035, cal.days)))
    rates = np.column_stack([np.ones(cal.days), eur, gbp]).astype(np.float64)
    return np.asarray(np.round(rates, 6), dtype=np.float64)


@dataclass(frozen=True, kw_only=True)
class Commerce:
    fx_rows: list[Row]
    conversion_rows: list[Row]
    identity_rows: list[Row]
    customer_id: dict[int, str]
    crm_ref: dict[int, str]
    conversion_ids: list[str]
    """Id of each factual-world conversion (by world conversion index)."""
    value_usd: list[float]
    """Value in USD of each factual-world conversion, as the importer will convert it."""
    refunds: list[tuple[int, float]]
    """(person, value in USD) of every refund."""


def priced(value_usd: float, currency: int, rate: float) -> tuple[float, float]:
    """(value in the customer's currency, that value in USD at ``rate`` as the importer
    converts it) for an order drawn as ``value_usd``."""
    local = round(value_usd / rate, 2) if currency else value_usd
    return local, round(local * rate, 4)


def _email(rng: np.random.Generator, email: str) -> str:
    if rng.random() < 0.06:
        local, _, domain = email.partition("@")
        return local.title() + "@" + domain.capitalize()
    return email


def _style(currency: int) -> str:
    return ("naive", "+01:00", "Z")[currency]


def make_commerce(
    rng: np.random.Generator,
    cal: Calendar,
    clock: Clock,
    pop: Population,
    world: World,
    person_visitor: list[str],
    fx: F64,
) -> Commerce:
    fx_rows: list[Row] = []
    for day in range(cal.days):
        for c in (1, 2):
            fx_rows.append(
                {
                    "date": cal.date_of(day).isoformat(),
                    "currency": CURRENCIES[c],
                    "rate": f"{fx[day, c]:.6f}",
                }
            )
    order = sorted(range(len(world.c_t)), key=lambda i: (world.c_t[i], i))
    customer_id: dict[int, str] = {}
    crm_ref: dict[int, str] = {}
    ids = [""] * len(world.c_t)
    values = [0.0] * len(world.c_t)
    rows: list[tuple[int, Row]] = []
    refunds: list[tuple[int, float]] = []
    n_lead = n_order = n_refund = 0
    codes = pop.names.referral_codes
    for i in order:
        p, t, kind = world.c_person[i], world.c_t[i], world.c_kind[i]
        cur = int(pop.currency[p])
        crm_ref.setdefault(p, f"crm-{len(crm_ref) + 1:06d}")
        visitor = person_visitor[world.c_visit[i]]
        if kind == "lead":
            n_lead += 1
            ids[i] = f"lead-{n_lead:05d}"
            rows.append(
                (
                    t,
                    {
                        "conversion_id": ids[i],
                        "occurred_at": clock.iso(t, _style(cur)),
                        "kind": "lead",
                        "value": "0",
                        "currency": None,
                        "customer_id": None,
                        "email": _email(rng, pop.names.emails[p]),
                        "visitor_id": visitor,
                        "referral_code": None,
                    },
                )
            )
            continue
        n_order += 1
        customer_id.setdefault(p, f"C{10000 + len(customer_id) + 1}")
        rate = float(fx[t // DAY, cur])
        local, values[i] = priced(world.c_value[i], cur, rate)
        ids[i] = f"order-{10000 + n_order}"
        ref = world.c_referrer[i]
        rows.append(
            (
                t,
                {
                    "conversion_id": ids[i],
                    "occurred_at": clock.iso(t, _style(cur)),
                    "kind": "order",
                    "value": f"{local:.2f}",
                    "currency": CURRENCIES[cur],
                    "customer_id": customer_id[p],
                    "email": _email(rng, pop.names.emails[p]),
                    "visitor_id": visitor,
                    "referral_code": codes[ref] if ref >= 0 else None,
                },
            )
        )
        if rng.random() < 0.04:
            rt = t + int((1.0 + rng.exponential(5.0)) * DAY)
            if rt < cal.horizon:
                n_refund += 1
                amount = local if rng.random() < 0.7 else round(local * 0.5, 2)
                refunds.append((p, round(amount * float(fx[rt // DAY, cur]), 4)))
                rows.append(
                    (
                        rt,
                        {
                            "conversion_id": f"refund-{n_refund:05d}",
                            "occurred_at": clock.iso(rt, _style(cur)),
                            "kind": "refund",
                            "value": f"{amount:.2f}",
                            "currency": CURRENCIES[cur],
                            "customer_id": customer_id[p],
                            "email": pop.names.emails[p],
                            "visitor_id": None,
                            "referral_code": None,
                        },
                    )
                )
    rows.sort(key=lambda r: r[0])
    identity_rows = _identities(rng, pop, crm_ref, customer_id)
    return Commerce(
        fx_rows=fx_rows,
        conversion_rows=[r for _, r in rows],
        identity_rows=identity_rows,
        customer_id=customer_id,
        crm_ref=crm_ref,
        conversion_ids=ids,
        value_usd=values,
        refunds=refunds,
    )


def _identities(
    rng: np.random.Generator, pop: Population, crm_ref: dict[int, str], customer_id: dict[int, str]
) -> list[Row]:
    rows: list[Row] = []
    for p, ref in sorted(crm_ref.items(), key=lambda kv: kv[1]):
        name = pop.names.real_names[p]
        rows.append(
            {"kind": "email", "value": pop.names.emails[p], "person_ref": ref, "display_name": name}
        )
        if p in customer_id:
            rows.append(
                {
                    "kind": "customer",
                    "value": customer_id[p],
                    "person_ref": ref,
                    "display_name": name,
                }
            )
            # the shop knows each customer's own referral code (given to friends)
            rows.append(
                {
                    "kind": "referral",
                    "value": pop.names.referral_codes[p],
                    "person_ref": ref,
                    "display_name": name,
                }
            )
        if rng.random() < (0.4 if p in customer_id else 0.1):
            plats = np.flatnonzero(pop.on_platform[p]).tolist()
            for k in plats[: int(rng.integers(1, 3))]:
                handle = pop.names.handles[p][k]
                if rng.random() < 0.2:
                    handle = "@" + handle[:1].upper() + handle[1:]
                rows.append(
                    {
                        "kind": f"handle:{SOCIAL_PLATFORMS[k]}",
                        "value": handle,
                        "person_ref": ref,
                        "display_name": name,
                    }
                )
    return rows
