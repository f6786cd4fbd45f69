"""Returning customers: repeat-purchase rate, time between orders, churn (Ibis over the warehouse).

A customer is a person: an order's ``customer_id`` or ``email`` is resolved through
``identities`` (kinds ``customer`` and ``email``) to its ``person_ref``; an order that resolves
to no identity stands for itself (``customer:<id>``, ``email:<address>``, ``visitor:<id>``).
Orders on the same UTC day by one customer count as one purchase (the usual practice for
repeat-buying models); refunds are not orders.

Definitions (``until`` = the end of observation, inclusive; default: the last order's day):

* ``customers`` — customers with at least one order on or before ``until``;
* ``repeat_customers`` — those with purchases on at least two days;
* ``repeat_purchase_rate = repeat_customers / customers``;
* ``mean_days_between_orders`` / ``median_days_between_orders`` — over all consecutive pairs of
  purchase days of the same customer, the gap in days;
* ``churned`` — customers whose last purchase is more than ``churn_days`` days before
  ``until`` (default 180); ``churn_rate = churned / customers``.

Per customer (:func:`customer_summary`), in ``unit_days``-day periods (7: weeks, as BG/NBD on
CDNOW): ``x`` = purchase days − 1 (repeat purchases), ``t_x`` = last − first purchase day,
``T`` = ``until`` − first purchase day, ``m`` = mean value of the repeat purchases (reporting
currency; NULL when ``x = 0``).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import ibis
import pandas as pd

from goodwill.errors import UserInputError
from goodwill.metrics.common import filter_dates, period_of, ratio
from goodwill.metrics.declarations import Backend, Metric, Query
from goodwill.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "DEFAULT_CHURN_DAYS",
    "RETURNING",
    "acquired_customers",
    "customer_status",
    "customer_summary",
    "order_days",
    "repeat_summary",
    "returning",
]

DEFAULT_CHURN_DAYS = 180
"""A customer without a purchase for this many days is counted as churned."""


def order_days(
    backend: Backend, until: date | None = None, people: Collection[str] | None = None
) -> ir.Table:
    """``person, day, value``: each customer's purchase days with the day's order value
    (``people``: only these customers)."""
    rows = _order_rows(backend, until)
    if people is not None:
        rows = rows.filter(rows.person.isin(sorted(people)))
    return rows.group_by(["person", "day"]).aggregate(value=rows.value.sum())


def _order_rows(backend: Backend, until: date | None = None) -> ir.Table:
    """``conversion_id, person, day, value``: every order (on or before ``until``)."""
    conv = backend.table("conversions")
    orders = conv.filter(conv.kind == "order")
    if until is not None:
        end = datetime.combine(until + timedelta(days=1), time())
        orders = orders.filter(orders.occurred_at < ibis.literal(end))
    ids = backend.table("identities")
    by_customer = ids.filter(ids.kind == "customer").select(
        cid=ids.value, customer_person=ids.person_ref
    )
    by_email = ids.filter(ids.kind == "email").select(eid=ids.value, email_person=ids.person_ref)
    joined = orders.left_join(by_customer, orders.customer_id == by_customer.cid).left_join(
        by_email, orders.email == by_email.eid
    )
    person = ibis.coalesce(
        joined.customer_person,
        joined.email_person,
        ibis.literal("customer:") + joined.customer_id,
        ibis.literal("email:") + joined.email,
        ibis.literal("visitor:") + joined.visitor_id,
    )
    return joined.select(
        conversion_id=joined.conversion_id,
        person=person,
        day=joined.occurred_at.date(),
        value=joined.value_reporting.cast("float64").fill_null(0.0),
    )


def acquired_customers(backend: Backend, orders: Collection[str]) -> set[str]:
    """The customers (persons as above) with one of the ``orders`` (conversion ids) on their
    first purchase day: the customers those orders acquired."""
    rows = _order_rows(backend)
    first = rows.day.min().over(ibis.window(group_by=rows.person))
    rows = rows.mutate(first=first)
    rows = rows.filter(rows.day == rows.first)
    frame = backend.execute(rows.select("conversion_id", "person"))
    wanted = set(orders)
    return {
        str(p) for c, p in zip(frame["conversion_id"], frame["person"], strict=True) if c in wanted
    }


def customer_summary(
    backend: Backend,
    until: date | None = None,
    unit_days: int = 7,
    people: Collection[str] | None = None,
) -> pd.DataFrame:
    """Per customer: ``person, first_order, last_order, purchases, x, t_x, T, m, total_value``
    (module docstring), sorted by person; ``people``: only these customers (``until``
    defaults to the last order's day of all customers)."""
    if unit_days < 1:
        raise UserInputError(f"--unit-days {unit_days}: must be at least 1")
    days = order_days(backend, until, people)
    everyone = days if people is None else order_days(backend, until)
    end = until if until is not None else _last_day(backend, everyone)
    per = days.group_by("person").aggregate(
        first_order=days.day.min(),
        last_order=days.day.max(),
        purchases=days.count(),
        total_value=days.value.sum(),
        first_value=days.value.argmin(days.day),
    )
    frame: pd.DataFrame = backend.execute(per)
    if frame.empty:
        return frame.assign(x=[], t_x=[], T=[], m=[])
    first = pd.to_datetime(frame["first_order"])
    last = pd.to_datetime(frame["last_order"])
    frame["x"] = frame["purchases"].astype("int64") - 1
    frame["t_x"] = (last - first).dt.days / unit_days
    frame["T"] = (pd.Timestamp(end) - first).dt.days / unit_days
    repeat_value = frame["total_value"] - frame["first_value"]
    frame["m"] = (repeat_value / frame["x"]).where(frame["x"] > 0)
    frame["first_order"] = first.dt.date
    frame["last_order"] = last.dt.date
    columns = ["person", "first_order", "last_order", "purchases", "x", "t_x", "T", "m"]
    return frame[[*columns, "total_value"]].sort_values("person").reset_index(drop=True)


def repeat_summary(
    backend: Backend,
    until: date | None = None,
    churn_days: int = DEFAULT_CHURN_DAYS,
    people: Collection[str] | None = None,
) -> pd.DataFrame:
    """One row: ``customers, repeat_customers, repeat_purchase_rate,
    mean_days_between_orders, median_days_between_orders, churned, churn_rate, until``;
    ``people``: only these customers (``until`` defaults to the last order's day of all)."""
    if churn_days < 1:
        raise UserInputError(f"--churn-days {churn_days}: must be at least 1")
    days = order_days(backend, until, people)
    everyone = days if people is None else order_days(backend, until)
    end = until if until is not None else _last_day(backend, everyone)
    window = ibis.window(group_by=days.person, order_by=days.day)
    gaps = days.mutate(gap=days.day.delta(days.day.lag().over(window), unit="day"))
    gap_stats = gaps.aggregate(
        mean_gap=gaps.gap.mean(), median_gap=gaps.gap.cast("float64").median()
    )
    per = _customer_status(days, end, churn_days)
    counts = per.aggregate(
        customers=per.count(),
        repeat_customers=per.count(where=per.repeat),
        churned=per.count(where=per.churned),
    )
    c = backend.execute(counts).iloc[0]
    g = backend.execute(gap_stats).iloc[0]
    customers = int(c["customers"])
    return pd.DataFrame(
        [
            {
                "customers": customers,
                "repeat_customers": int(c["repeat_customers"]),
                "repeat_purchase_rate": c["repeat_customers"] / customers if customers else None,
                "mean_days_between_orders": _float(g["mean_gap"]),
                "median_days_between_orders": _float(g["median_gap"]),
                "churned": int(c["churned"]),
                "churn_rate": c["churned"] / customers if customers else None,
                "until": end,
            }
        ]
    )


def _customer_status(days: ir.Table, end: date, churn_days: int) -> ir.Table:
    """Per customer of ``days`` (:func:`order_days`): ``person, first_order, last_order,
    purchases, total_value, repeat`` (purchases on two days or more) and ``churned`` (last
    purchase more than ``churn_days`` days before ``end``)."""
    per = days.group_by("person").aggregate(
        first_order=days.day.min(),
        last_order=days.day.max(),
        purchases=days.count(),
        total_value=days.value.sum(),
    )
    cutoff = end - timedelta(days=churn_days)
    return per.mutate(repeat=per.purchases >= 2, churned=per.last_order < ibis.literal(cutoff))


def customer_status(
    backend: Backend,
    until: date | None = None,
    churn_days: int = DEFAULT_CHURN_DAYS,
    people: Collection[str] | None = None,
) -> pd.DataFrame:
    """The customers :func:`repeat_summary` counts, one row each: ``person, first_order,
    last_order, purchases, total_value, repeat, churned`` (same rules, same ``until`` and
    ``people``), sorted by last order, newest first. ``customers`` is the number of rows,
    ``repeat_customers`` the rows with ``repeat``, ``churned`` the rows with ``churned``."""
    if churn_days < 1:
        raise UserInputError(f"--churn-days {churn_days}: must be at least 1")
    days = order_days(backend, until, people)
    everyone = days if people is None else order_days(backend, until)
    end = until if until is not None else _last_day(backend, everyone)
    frame: pd.DataFrame = backend.execute(_customer_status(days, end, churn_days))
    if frame.empty:
        return frame
    for column in ("first_order", "last_order"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame.sort_values(["last_order", "person"], ascending=[False, True]).reset_index(
        drop=True
    )


def _last_day(backend: Backend, days: ir.Table) -> date:
    value = backend.execute(days.day.max())
    if value is None or pd.isna(value):
        raise UserInputError("the warehouse has no orders (conversions with kind=order)")
    return pd.Timestamp(value).date()


def _float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def returning(backend: Backend, params: MetricParams) -> ir.Table:
    """Per period: customers who bought, how many of them came back, days since their previous
    purchase (``RETURNING``'s declarations). ``platform`` does not apply to orders."""
    days = order_days(backend)
    window = ibis.window(group_by=days.person, order_by=days.day)
    previous = days.day.lag().over(window)
    marked = days.mutate(
        returning=previous.notnull(),
        gap=days.day.delta(previous, unit="day").cast("float64"),
    )
    marked = filter_dates(marked, "day", params)
    marked = marked.mutate(period=period_of(marked.day, params.by))
    per_person = marked.group_by(["period", "person"]).aggregate(
        purchases=marked.count(),
        returning=marked.returning.any(),
        gap_sum=marked.gap.sum(),
        gap_n=marked.gap.count(),
    )
    out = per_person.group_by("period").aggregate(
        customers=per_person.count(),
        returning_customers=per_person.count(where=per_person.returning),
        purchases=per_person.purchases.sum(),
        gap_sum=per_person.gap_sum.sum(),
        gap_n=per_person.gap_n.sum(),
    )
    return out.select(
        "period",
        "customers",
        "returning_customers",
        new_customers=out.customers - out.returning_customers,
        returning_share=ratio(out.returning_customers, out.customers),
        purchases=out.purchases,
        mean_days_since_previous=ratio(out.gap_sum, out.gap_n),
    )


RETURNING = Query(
    name="returning",
    group="loyalty",
    description="Customers who bought in each period and how many of them came back: the "
    "returning-customer share and the time since their previous purchase.",
    dimensions=("period",),
    build=returning,
    metrics=(
        Metric(
            name="customers",
            unit="people",
            formula="count of distinct customers (persons via identities kinds customer and "
            "email; else the order's own customer id, email or visitor id) with an order in "
            "the period",
            description="Customers who bought.",
        ),
        Metric(
            name="returning_customers",
            unit="people",
            formula="customers with a purchase in the period on a day after an earlier "
            "purchase day (any time before)",
            description="Customers who came back.",
        ),
        Metric(
            name="new_customers",
            unit="people",
            formula="customers − returning_customers",
            description="Customers who bought for the first time in the period and not "
            "again on a later day of it (one who comes back within the period counts as "
            "returning).",
        ),
        Metric(
            name="returning_share",
            unit="fraction",
            formula="returning_customers / customers",
            description="Share of the period's buyers who had bought before.",
        ),
        Metric(
            name="purchases",
            unit="count",
            formula="count of (customer, UTC day) pairs with at least one order (same-day orders "
            "of one customer are one purchase; refunds are not orders)",
            description="Purchases.",
        ),
        Metric(
            name="mean_days_since_previous",
            unit="ratio",
            formula="mean over the period's repeat purchases of (purchase day − the customer's "
            "previous purchase day) in days",
            description="Time between orders.",
        ),
    ),
    notes="`--since`/`--until` select purchase days; a purchase counts as returning even when "
    "the earlier purchase lies before `--since`. `--platform` does not apply (orders carry no "
    "platform).",
)
