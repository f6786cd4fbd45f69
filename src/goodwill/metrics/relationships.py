"""Relationship metrics over *resolved* people (``person_links``, written by
``goodwill people resolve``): attention and customers per month, retention of engaged people
by first month, and customers who engage versus those who do not.

A person is ``person_links.person_id`` of the identity; an interaction actor without a link
(before the first resolve) falls back to the ``identities``/``platform:handle`` person of
:func:`goodwill.metrics.common.person_of`. A conversion's person is found by its customer id,
else its e-mail, else its visitor id.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

import ibis

from goodwill.metrics.common import month_start, next_month, period_of, ratio
from goodwill.metrics.declarations import Backend, Metric, Query
from goodwill.metrics.loyalty import attention, attention_months
from goodwill.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "CUSTOMER_ENGAGEMENT",
    "RELATIONSHIPS",
    "RETENTION",
    "customer_engagement",
    "engaged_people",
    "relationships",
    "retention",
]

RETENTION_MONTHS = (1, 3, 6)
"""The points of the retention curve: months after the first month."""


def _links(backend: Backend, kind: str, name: str) -> ir.Table:
    links = backend.table("person_links")
    return links.filter(links.kind == kind).select(
        **{f"{name}_value": links.value, f"{name}_person": links.person_id}
    )


def engaged_people(backend: Backend, params: MetricParams) -> ir.Table:
    """Attention events (:func:`goodwill.metrics.loyalty.attention`) with ``who``: the
    resolved person (:func:`goodwill.metrics.common.person_of`, ``person_links`` first)."""
    acts = attention(backend, params)
    return acts.select(who=acts.person, created_at=acts.created_at)


def _engaged_months(backend: Backend, params: MetricParams) -> ir.Table:
    """``who, period, index``: each resolved person's months with attention
    (:func:`goodwill.metrics.loyalty.attention_months`, shared by the loyalty queries)."""
    months = attention_months(backend, params)
    return months.select(who=months.person, period=months.period, index=months.index)


def _orders(backend: Backend, params: MetricParams) -> ir.Table:
    """Orders with ``who`` (customer id, else e-mail, else visitor id) and value."""
    conv = backend.table("conversions")
    conv = conv.filter(conv.kind == "order")
    if params.until is not None:
        end = datetime.combine(next_month(params.until), time())
        conv = conv.filter(conv.occurred_at < ibis.literal(end))
    for kind, column in (
        ("customer", "customer_id"),
        ("email", "email"),
        ("visitor", "visitor_id"),
    ):
        links = _links(backend, kind, kind)
        conv = conv.left_join(links, conv[column] == links[f"{kind}_value"])
    who = conv.customer_person.coalesce(conv.email_person, conv.visitor_person)
    conv = conv.mutate(who=who)
    return conv.filter(conv.who.notnull()).select(
        "who",
        "occurred_at",
        "conversion_id",
        value=conv.value_reporting.cast("float64").coalesce(0.0),
    )


def relationships(backend: Backend, params: MetricParams) -> ir.Table:
    """People who paid attention per month and how many of them were customers by then."""
    months = _engaged_months(backend, params).select("who", "period")
    orders = _orders(backend, params)
    first_order = orders.group_by("who").aggregate(
        first_order=period_of(orders.occurred_at.min(), "month")
    )
    joined = months.left_join(first_order, months.who == first_order.who)
    per = joined.group_by("period").aggregate(
        people_attending=joined.count(),
        customers_attending=joined.count(where=joined.first_order <= joined.period),
    )
    if params.since is not None:
        per = per.filter(per.period >= ibis.literal(month_start(params.since)))
    return per.select(
        "period",
        "people_attending",
        "customers_attending",
        customer_share=ratio(per.customers_attending, per.people_attending),
    )


def retention(backend: Backend, params: MetricParams) -> ir.Table:
    """Cohorts of engaged people by first month, and the share active 1, 3 and 6 months on."""
    months = _engaged_months(backend, params)
    first = months.group_by("who").aggregate(first_index=months.index.min())
    joined = months.join(first, months.who == first.who)
    joined = joined.mutate(after=joined.index - joined.first_index)
    cohort_period = joined.filter(joined.after == 0).select("who", cohort=joined.period)
    joined = joined.join(cohort_period, joined.who == cohort_period.who)
    aggs = {"cohort_size": joined.count(where=joined.after == 0)}
    for m in RETENTION_MONTHS:
        aggs[f"active_m{m}"] = joined.count(where=joined.after == m)
    per = joined.group_by(period=joined.cohort).aggregate(**aggs)
    if params.since is not None:
        per = per.filter(per.period >= ibis.literal(month_start(params.since)))
    return per.select(
        "period",
        "cohort_size",
        **{
            f"retention_m{m}": ratio(per[f"active_m{m}"], per.cohort_size) for m in RETENTION_MONTHS
        },
    )


def customer_engagement(backend: Backend, params: MetricParams) -> ir.Table:
    """Customers who paid attention at least once versus those who never did."""
    orders = _orders(backend, params)
    customers = orders.group_by("who").aggregate(orders=orders.count(), revenue=orders.value.sum())
    engaged = _engaged_months(backend, params)
    engaged = engaged.select(engaged_who=engaged.who).distinct()
    joined = customers.left_join(engaged, customers.who == engaged.engaged_who)
    joined = joined.mutate(
        segment=ibis.ifelse(joined.engaged_who.notnull(), "engaged", "not engaged")
    )
    per = joined.group_by("segment").aggregate(
        customers=joined.count(),
        revenue=joined.revenue.sum(),
        repeat_customers=joined.count(where=joined.orders >= 2),
    )
    return per.select(
        "segment",
        "customers",
        "revenue",
        revenue_per_customer=ratio(per.revenue, per.customers),
        repeat_purchase_rate=ratio(per.repeat_customers, per.customers),
    )


_PERSON_NOTE = (
    "A person is the resolved person of `person_links` (run `goodwill people resolve` after "
    "imports); before any resolve, the identities/platform:handle person of the loyalty metrics."
)

RELATIONSHIPS = Query(
    name="relationships",
    group="loyalty",
    description="People who paid attention each month, resolved across platforms, and how many "
    "of them were customers.",
    dimensions=("period",),
    metrics=(
        Metric(
            name="people_attending",
            unit="people",
            formula="count of distinct resolved persons with an inbound interaction (any kind but "
            "unfollow) addressed to a brand account in the month",
            description="Who paid attention this month, as people rather than handles.",
        ),
        Metric(
            name="customers_attending",
            unit="people",
            formula="people_attending whose first order (conversion kind order, person found by "
            "customer id, else e-mail, else visitor id) was in or before the month",
            description="Customers among the people who paid attention.",
        ),
        Metric(
            name="customer_share",
            unit="fraction",
            formula="customers_attending / people_attending",
            description="Share of the month's attentive people who are customers.",
        ),
    ),
    build=relationships,
    notes=_PERSON_NOTE + " Monthly; `--by` is ignored. `--platform` keeps that platform's "
    "interactions; orders are counted on every platform.",
)

RETENTION = Query(
    name="retention",
    group="loyalty",
    description="Retention curves of engaged people by the month they first paid attention.",
    dimensions=("period",),
    metrics=(
        Metric(
            name="cohort_size",
            unit="people",
            formula="people whose first month with attention (an inbound interaction to a brand "
            "account, not unfollow) is `period`",
            description="The cohort.",
        ),
        *(
            Metric(
                name=f"retention_m{m}",
                unit="fraction",
                formula=f"cohort members with attention in the month {m} month(s) after their "
                "first / cohort_size",
                description=f"Share of the cohort still paying attention {m} month(s) later "
                "(0 until that month has data).",
            )
            for m in RETENTION_MONTHS
        ),
    ),
    build=retention,
    notes=_PERSON_NOTE + " `period` is the cohort's first month; `--since` keeps cohorts from "
    "that month on.",
)

CUSTOMER_ENGAGEMENT = Query(
    name="customer_engagement",
    group="loyalty",
    description="Customers who engage with the brand on social versus those who do not: "
    "revenue and repeat purchases.",
    dimensions=("segment",),
    metrics=(
        Metric(
            name="customers",
            unit="people",
            formula="distinct persons with at least one order; segment `engaged` when the person "
            "has any attention event, else `not engaged`",
            description="Customers in the segment.",
        ),
        Metric(
            name="revenue",
            unit="currency",
            formula="sum of value_reporting of the segment's orders",
            description="Order revenue of the segment, reporting currency.",
        ),
        Metric(
            name="revenue_per_customer",
            unit="currency",
            formula="revenue / customers",
            description="Average revenue per customer.",
        ),
        Metric(
            name="repeat_purchase_rate",
            unit="fraction",
            formula="customers with 2 or more orders / customers",
            description="Share of the segment's customers who bought again.",
        ),
    ),
    build=customer_engagement,
    notes=_PERSON_NOTE + " All time up to `until`'s month; `--since` is not applied.",
)
