"""Loyalty: who pays attention to the brand month after month, and who only once.

People, not handles: an interaction's person is the resolved person of ``person_links``
(written by ``goodwill people resolve``), falling back to ``identities`` and then
``platform:handle`` for a handle not resolved yet (see
:func:`goodwill.metrics.common.person_of`). So one person with handles on two platforms is
counted once, and ``people_active`` of a month is the number of rows of that month's roster
(:func:`goodwill.people.roster.monthly_roster`) once resolution has run since the last import.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

import ibis

from goodwill.errors import UserInputError
from goodwill.metrics.common import (
    PERSON_RULE,
    accounts_of,
    filter_platform,
    month_index,
    month_start,
    next_month,
    period_of,
    person_of,
    ratio,
)
from goodwill.metrics.declarations import Backend, Metric, Query
from goodwill.metrics.params import MetricParams
from goodwill.metrics.shared import shared, sharing

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "LOYALTY",
    "REPEAT_WINDOW_MONTHS",
    "attention",
    "attention_months",
    "loyalty",
    "person_months",
]

REPEAT_WINDOW_MONTHS = 3
"""A repeat interactor is active in the month and in at least one of the two months before."""

NOT_ATTENTION = ("unfollow",)
"""Inbound kinds that do not count as paying attention."""


def attention(backend: Backend, params: MetricParams) -> ir.Table:
    """Inbound interactions to the brand's accounts that show attention (every kind but
    ``unfollow``), with their ``person``, on ``params.platform``; whole months: everything
    before the month after ``until``'s month (``since`` is not applied here)."""
    return person_of(backend, _attention_events(backend, params))


def _attention_events(backend: Backend, params: MetricParams) -> ir.Table:
    """:func:`attention` without the ``person`` column."""
    interactions = backend.table("interactions")
    brand = accounts_of(backend, "brand")
    inbound = interactions.filter(
        interactions.direction == "inbound", ~interactions.kind.isin(NOT_ATTENTION)
    )
    inbound = inbound.semi_join(
        brand, [inbound.platform == brand.platform, inbound.target_handle == brand.handle]
    )
    inbound = filter_platform(inbound, params)
    if params.until is not None:
        end = datetime.combine(next_month(params.until), time())
        inbound = inbound.filter(inbound.created_at < ibis.literal(end))
    return inbound


def attention_months(backend: Backend, params: MetricParams) -> ir.Table:
    """One row per person and month with attention (:func:`attention`): ``person, period``
    (the month's first day), ``index`` (:func:`~goodwill.metrics.common.month_index`) and
    ``interactions`` (the person's attention events that month). Inside
    :func:`goodwill.metrics.shared.shared_tables` it is computed once per backend and platform
    (for all months) and ``until`` keeps the months up to ``until``'s: the same rows, since
    :func:`attention` keeps whole months."""
    if not sharing():
        return _attention_months(backend, params)
    every = shared(
        ("attention_months", id(backend), params.platform),
        lambda: _attention_months(backend, MetricParams(platform=params.platform)),
    )
    if params.until is None:
        return every
    return every.filter(every.period < ibis.literal(next_month(params.until)))


def _attention_months(backend: Backend, params: MetricParams) -> ir.Table:
    # counted per handle and month first, then per person: the same sums, with the person
    # found once per handle-month instead of once per interaction
    events = _attention_events(backend, params)
    per_handle = events.group_by(
        platform=events.platform,
        actor_handle=events.actor_handle,
        period=period_of(events.created_at, "month"),
        index=month_index(events.created_at),
    ).aggregate(interactions=events.count())
    acts = person_of(backend, per_handle)
    return acts.group_by("person", "period", "index").aggregate(
        interactions=acts.interactions.sum()
    )


def person_months(backend: Backend, params: MetricParams) -> ir.Table:
    """One row per person and month they were active: ``person, period, interactions,
    repeat`` (active in at least one of the two months before too) and ``first`` (no
    earlier active month)."""
    months = attention_months(backend, params)
    window = ibis.window(group_by=months.person, order_by=months.index)
    previous = months.index.lag().over(window)
    return months.mutate(
        repeat=previous.notnull() & (months.index - previous < REPEAT_WINDOW_MONTHS),
        first=previous.isnull(),
    )


def loyalty(backend: Backend, params: MetricParams) -> ir.Table:
    """Active people, repeat interactors and where the month's interactions came from."""
    if params.by != "month":
        raise UserInputError(
            f"--by {params.by}: loyalty is computed per calendar month only; use --by month"
        )
    pm = person_months(backend, params)
    per_month = pm.group_by("period").aggregate(
        people_active=pm.count(),
        repeat_interactors=pm.count(where=pm.repeat),
        new_people=pm.count(where=pm.first),
        interactions=pm.interactions.sum(),
        regular_interactions=pm.interactions.sum(where=pm.repeat).coalesce(0),
        one_off_interactions=pm.interactions.sum(where=pm.first).coalesce(0),
    )
    if params.since is not None:
        per_month = per_month.filter(per_month.period >= ibis.literal(month_start(params.since)))
    return per_month.select(
        "period",
        "people_active",
        "repeat_interactors",
        "new_people",
        regular_share_of_people=ratio(per_month.repeat_interactors, per_month.people_active),
        interactions=per_month.interactions,
        interactions_from_regulars_share=ratio(
            per_month.regular_interactions, per_month.interactions
        ),
        one_off_share=ratio(per_month.one_off_interactions, per_month.interactions),
    )


LOYALTY = Query(
    name="loyalty",
    group="loyalty",
    description="People who paid attention to the brand each month: regulars, newcomers, and "
    "the share of the conversation each brings.",
    dimensions=("period",),
    metrics=(
        Metric(
            name="people_active",
            unit="people",
            formula="count of distinct persons with at least one inbound interaction (any kind "
            "but unfollow) addressed to a brand account in the month",
            description="People who paid attention to the brand this month: the rows of the "
            "month's roster (goodwill people) once people are resolved. " + PERSON_RULE,
        ),
        Metric(
            name="repeat_interactors",
            unit="people",
            formula="active people of the month who were also active in at least one of the "
            "two months before (active in at least 2 of the last 3 months, this one included)",
            description="Regulars: people who keep coming back.",
        ),
        Metric(
            name="new_people",
            unit="people",
            formula="active people of the month with no active month before it (in all data)",
            description="People paying attention for the first time.",
        ),
        Metric(
            name="regular_share_of_people",
            unit="fraction",
            formula="repeat_interactors / people_active",
            description="Share of the month's active people who are regulars.",
        ),
        Metric(
            name="interactions",
            unit="count",
            formula="count of the month's inbound interactions (any kind but unfollow) "
            "addressed to brand accounts",
            description="All the attention of the month.",
        ),
        Metric(
            name="interactions_from_regulars_share",
            unit="fraction",
            formula="interactions in the month by repeat interactors / interactions",
            description="Share of the month's attention that came from regulars.",
        ),
        Metric(
            name="one_off_share",
            unit="fraction",
            formula="interactions in the month by people whose only active month so far is "
            "this one (new_people) / interactions",
            description="Share of the month's attention from people never active before. "
            "Later months do not change it.",
        ),
    ),
    build=loyalty,
    notes="Monthly only: `--by day` or `--by week` is rejected with an error, because the "
    "regular/one-off rules are defined on calendar months. There is no platform column: a "
    "person is counted once across platforms. `--platform` keeps only that platform's "
    "interactions (both for the month and for the look-back). Months are whole: `since` and "
    "`until` select the months that contain them; interactions before `since` still count "
    "for the look-back, and none after `until`'s month are read.",
)
