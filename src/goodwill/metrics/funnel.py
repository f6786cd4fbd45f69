"""The funnel from social to sales: social interaction → visit → lead → customer, and the days
from a person's first social touch to their first lead and first order.

People are joined across sources by one rule: the resolved person of ``person_links`` first,
else the ``person_ref`` of ``identities``. An interaction's actor through
:func:`goodwill.metrics.common.person_of`; a conversion through its ``customer_id`` (kind
``customer``), then ``email`` (kind ``email``), then ``visitor_id`` (kind ``visitor``); a visit
through its ``visitor_id``: an identity ``(kind='visitor', value=visitor_id)`` (the collector
adds one for each click on a link made for a person) or a conversion of an identified person
that carries the same ``visitor_id`` (the visitor identified itself by converting).

A person's **first social touch** is their earliest inbound interaction (on ``--platform`` when
given); the funnel's cohort is the people whose first touch lies within ``--since``/``--until``.
Every later step counts only what happened at or after that touch.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import ibis

from goodwill.metrics.common import filter_dates, filter_platform, person_of, ratio
from goodwill.metrics.declarations import Backend, Metric, Query
from goodwill.metrics.params import MetricParams
from goodwill.metrics.shared import shared

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "FUNNEL",
    "FUNNEL_DAYS",
    "LEAD_KINDS",
    "STEPS",
    "funnel",
    "funnel_days",
    "journeys",
    "milestones",
]

LEAD_KINDS = ("lead", "signup", "order")
"""Conversion kinds that make a person a lead (a customer is a lead too)."""
STEPS = ("social", "visit", "lead", "customer")


def _people_of(backend: Backend, kind: str, prefix: str) -> ir.Table:
    """``<prefix>_value, <prefix>_person`` of every identity of ``kind``: the resolved person
    (``person_links``) first, else the identity's ``person_ref`` — the rule of
    :func:`goodwill.metrics.common.person_of`, so a conversion's person is the person its
    customer's handles count as."""
    ids = backend.table("identities")
    ids = ids.filter(ids.kind == kind).select(i_value=ids.value, i_person=ids.person_ref)
    links = backend.table("person_links")
    links = links.filter(links.kind == kind).select(l_value=links.value, l_person=links.person_id)
    both = ids.outer_join(links, ids.i_value == links.l_value)
    return both.select(
        **{
            f"{prefix}_value": both.l_value.coalesce(both.i_value),
            f"{prefix}_person": both.l_person.coalesce(both.i_person),
        }
    )


def journeys(backend: Backend, params: MetricParams) -> ir.Table:
    """One row per person in the cohort: ``person``, ``touch_at`` (first social touch) and the
    first ``visit_at``, ``lead_at`` and ``order_at`` at or after it (NULL if none). Inside
    :func:`goodwill.metrics.shared.shared_tables` computed once per backend and filters and
    shared by ``funnel`` and ``funnel_days`` (the grain ``by`` does not change them)."""
    key = ("journeys", id(backend), replace(params, by="month"))
    return shared(key, lambda: _journeys(backend, params))


def _journeys(backend: Backend, params: MetricParams) -> ir.Table:
    inter = backend.table("interactions")
    inter = filter_platform(inter.filter(inter.direction == "inbound"), params)
    # each handle's first touch, then each person's: the person found once per handle
    per_handle = inter.group_by("platform", "actor_handle").aggregate(
        created_at=inter.created_at.min()
    )
    touched = person_of(backend, per_handle)
    firsts = touched.group_by("person").aggregate(touch_at=touched.created_at.min())
    firsts = filter_dates(firsts, "touch_at", params)

    conv = backend.table("conversions")
    by_customer = _people_of(backend, "customer", "c")
    by_email = _people_of(backend, "email", "e")
    by_visitor = _people_of(backend, "visitor", "w")
    cj = (
        conv.left_join(by_customer, conv.customer_id == by_customer.c_value)
        .left_join(by_email, conv.email == by_email.e_value)
        .left_join(by_visitor, conv.visitor_id == by_visitor.w_value)
    )
    pc = cj.select(
        k_person=cj.c_person.coalesce(cj.e_person, cj.w_person),
        k_at=cj.occurred_at,
        k_kind=cj.kind,
        k_visitor=cj.visitor_id,
    ).filter(lambda t: t.k_person.notnull())

    # a visitor belongs to a person by a visitor identity, or by a conversion that carries
    # both the visitor id and an identified customer id / email (the visitor identified itself)
    known = _people_of(backend, "visitor", "v")
    vp = known.select(v_value=known.v_value.cast("string"), v_person=known.v_person.cast("string"))
    by_conversion = pc.filter(pc.k_visitor.notnull()).select(
        v_value=pc.k_visitor.cast("string"), v_person=pc.k_person.cast("string")
    )
    vp = vp.union(by_conversion, distinct=True)
    visits = backend.table("visits")
    pv = visits.join(vp, visits.visitor_id == vp.v_value).select(
        v_person=vp.v_person, v_at=visits.started_at
    )

    vj = firsts.join(pv, firsts.person == pv.v_person).filter(lambda t: t.v_at >= t.touch_at)
    first_visit = vj.group_by(vf_person=vj.person).aggregate(visit_at=vj.v_at.min())
    kj = firsts.join(pc, firsts.person == pc.k_person).filter(lambda t: t.k_at >= t.touch_at)
    first_conv = kj.group_by(kf_person=kj.person).aggregate(
        lead_at=kj.k_at.min(where=kj.k_kind.isin(LEAD_KINDS)),
        order_at=kj.k_at.min(where=kj.k_kind == "order"),
    )
    out = firsts.left_join(first_visit, firsts.person == first_visit.vf_person).left_join(
        first_conv, firsts.person == first_conv.kf_person
    )
    return out.select("person", "touch_at", "visit_at", "lead_at", "order_at")


def funnel(backend: Backend, params: MetricParams) -> ir.Table:
    """People at each step; a step requires the steps before it. No rows without a cohort."""
    j = journeys(backend, params)
    visited = j.visit_at.notnull()
    lead = visited & j.lead_at.notnull()
    customer = lead & j.order_at.notnull()
    agg = j.aggregate(
        social=j.count(),
        visit=j.count(where=visited),
        lead=j.count(where=lead),
        customer=j.count(where=customer),
    )
    agg = agg.filter(agg.social > 0)  # no cohort, no rows (like every other query)
    parts = []
    for i, step in enumerate(STEPS):
        previous = agg[STEPS[i - 1]] if i else agg.social
        parts.append(
            agg.select(
                step_no=ibis.literal(i + 1, type="int64"),
                step=ibis.literal(step),
                people=agg[step],
                rate_from_previous=ratio(agg[step], previous),
                rate_from_social=ratio(agg[step], agg.social),
            )
        )
    return ibis.union(*parts)


def milestones(backend: Backend, params: MetricParams) -> ir.Table:
    """One row per person of the funnel's cohort and milestone (``lead``, ``order``) they
    reached: ``person, milestone, touch_at, reached_at, days`` (whole UTC calendar days from
    the first social touch to the first lead / first order)."""
    j = journeys(backend, params)
    parts = [
        j.filter(j[column].notnull()).select(
            person=j.person,
            milestone=ibis.literal(name),
            touch_at=j.touch_at,
            reached_at=j[column],
            days=j[column].date().delta(j.touch_at.date(), unit="day").cast("int64"),
        )
        for name, column in (("lead", "lead_at"), ("order", "order_at"))
    ]
    return ibis.union(*parts)


def funnel_days(backend: Backend, params: MetricParams) -> ir.Table:
    """How many people reached their first lead / first order N whole days (UTC calendar
    days) after their first social touch (:func:`milestones` counted)."""
    both = milestones(backend, params)
    counted = both.group_by("milestone", "days").aggregate(people=both.count())
    total = ibis.window(group_by=counted.milestone)
    running = ibis.window(
        group_by=counted.milestone, order_by=counted.days, preceding=None, following=0
    )
    return counted.mutate(
        share=ratio(counted.people, counted.people.sum().over(total)),
        cumulative_share=ratio(
            counted.people.sum().over(running), counted.people.sum().over(total)
        ),
    )


FUNNEL = Query(
    name="funnel",
    group="traffic",
    description="Social interaction → visit → lead → customer: people at each step and the "
    "conversion rate between steps.",
    dimensions=("step_no", "step"),
    metrics=(
        Metric(
            name="people",
            unit="people",
            formula="social: people whose first inbound interaction is within the dates; visit: "
            "of them, people with a visit at or after it; lead: of those, people with a lead, "
            "signup or order after the touch; customer: of those, people with an order",
            description="People who reached the step (and every step before it).",
        ),
        Metric(
            name="rate_from_previous",
            unit="fraction",
            formula="people at this step / people at the previous step (social: 1)",
            description="Conversion rate of the step.",
        ),
        Metric(
            name="rate_from_social",
            unit="fraction",
            formula="people at this step / people at the social step",
            description="Share of the socially touched people who got this far.",
        ),
    ),
    build=funnel,
    notes="People are joined across interactions, visits and conversions through the resolved "
    "person (`person_links`), else identities (see `goodwill.metrics.funnel`); a visit or "
    "conversion that no identity ties to a person "
    "cannot enter the funnel, so the visit step counts only visitors who were identified "
    "(by a personal tracked link or by converting) and the visit → lead rate is biased upward. "
    "`--platform P` uses only interactions on P. `--by` is ignored.",
)

FUNNEL_DAYS = Query(
    name="funnel_days",
    group="traffic",
    description="Days from a person's first social touch to their first lead and first order.",
    dimensions=("milestone", "days"),
    metrics=(
        Metric(
            name="people",
            unit="people",
            formula="people of the funnel's cohort whose first lead (lead, signup or order) / "
            "first order came `days` calendar days after their first social touch",
            description="Distribution of the time from social to sale.",
        ),
        Metric(
            name="share",
            unit="fraction",
            formula="people / all people of the milestone",
            description="Share of the milestone's people at this many days.",
        ),
        Metric(
            name="cumulative_share",
            unit="fraction",
            formula="people with at most `days` days / all people of the milestone",
            description="Share reached within this many days.",
        ),
    ),
    build=funnel_days,
    notes="Unlike the funnel, a lead or order counts here without a tracked visit. `--by` is "
    "ignored.",
)
