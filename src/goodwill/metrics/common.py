"""Building blocks the metric definitions share: period bucketing, filters, brand accounts,
person resolution and safe division. Ibis expressions only, no engine-specific SQL."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import ibis

from goodwill.metrics.declarations import Backend
from goodwill.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "PERSON_RULE",
    "TRUNCATE_UNITS",
    "accounts_of",
    "filter_dates",
    "filter_platform",
    "month_index",
    "month_start",
    "next_month",
    "period_of",
    "person_of",
    "previous_month",
    "ratio",
]

TRUNCATE_UNITS: Mapping[str, str] = {"day": "D", "week": "W", "month": "M"}
"""Ibis truncation unit of each period grain (weeks start on Monday)."""


def period_of(value: ir.Value, by: str) -> ir.DateValue:
    """The date the ``by`` period containing ``value`` (a date or timestamp) starts."""
    return value.truncate(TRUNCATE_UNITS[by]).cast("date")


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s month."""
    return (month_start(day) + timedelta(days=32)).replace(day=1)


def previous_month(day: date) -> date:
    """The first day of the month before ``day``'s month."""
    return (month_start(day) - timedelta(days=1)).replace(day=1)


def month_index(value: ir.Value) -> ir.IntegerValue:
    """Months since year 0 (``year * 12 + month - 1``): consecutive months differ by 1."""
    return value.year() * 12 + value.month() - 1


def accounts_of(backend: Backend, owner: str) -> ir.Table:
    """``platform, handle`` of the accounts with ``owner`` (``brand`` or ``competitor``)."""
    accounts = backend.table("accounts")
    return accounts.filter(accounts.owner == owner).select("platform", "handle")


def filter_platform(table: ir.Table, params: MetricParams, column: str = "platform") -> ir.Table:
    """Keep the rows of ``params.platform`` (all rows when it is ``None``)."""
    if params.platform is None:
        return table
    return table.filter(table[column] == params.platform)


def filter_dates(
    table: ir.Table,
    column: str,
    params: MetricParams,
    *,
    since: bool = True,
    until: bool = True,
) -> ir.Table:
    """Keep rows whose ``column`` (a date or a naive-UTC timestamp) lies within
    ``params.since`` .. ``params.until``, both days inclusive."""
    col = table[column]
    is_timestamp = col.type().is_timestamp()
    conditions = []
    if since and params.since is not None:
        start = datetime.combine(params.since, time()) if is_timestamp else params.since
        conditions.append(col >= ibis.literal(start))
    if until and params.until is not None:
        if is_timestamp:
            end = datetime.combine(params.until + timedelta(days=1), time())
            conditions.append(col < ibis.literal(end))
        else:
            conditions.append(col <= ibis.literal(params.until))
    return table.filter(*conditions) if conditions else table


PERSON_RULE = (
    "A person is the resolved person (person_links.person_id, written by goodwill people "
    "resolve) of the identity (kind = 'handle:' || platform, value = actor_handle); for a "
    "handle not resolved yet, the identity's person_ref where identities has that identity, "
    "else platform || ':' || actor_handle."
)
"""The one definition of "a person" behind every people count (:func:`person_of`)."""


def person_of(backend: Backend, interactions: ir.Table) -> ir.Table:
    """``interactions`` with a ``person`` column (:data:`PERSON_RULE`): the ``person_id`` that
    ``person_links`` gives the identity ``(kind='handle:'||platform, value=actor_handle)`` —
    the same person the roster (:func:`goodwill.people.roster.monthly_roster`) names, so
    handles merged by resolution (identities, a merge decision, a probabilistic match) are
    one person; for a handle not in ``person_links`` (imported after the last resolve), the
    ``person_ref`` of that identity in ``identities``, else ``platform||':'||actor_handle``
    (which is also the id resolve gives a handle that nothing links)."""
    links_table = backend.table("person_links")
    links = links_table.select(
        link_kind=links_table.kind, link_value=links_table.value, link_person=links_table.person_id
    )
    table = backend.table("identities")
    identities = table.select(
        identity_kind=table.kind, identity_value=table.value, person_ref=table.person_ref
    )
    kind = ibis.literal("handle:") + interactions.platform
    joined = interactions.left_join(
        links, [links.link_kind == kind, links.link_value == interactions.actor_handle]
    )
    joined = joined.left_join(
        identities,
        [
            identities.identity_kind == ibis.literal("handle:") + joined.platform,
            identities.identity_value == joined.actor_handle,
        ],
    )
    fallback = joined.platform + ibis.literal(":") + joined.actor_handle
    person = joined.link_person.coalesce(joined.person_ref, fallback)
    return joined.mutate(person=person).drop(
        "link_kind", "link_value", "link_person", "identity_kind", "identity_value", "person_ref"
    )


def ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.FloatingValue:
    """``numerator / denominator`` as a float; NULL when the denominator is 0 or NULL."""
    return numerator.cast("float64") / denominator.cast("float64").nullif(0.0)
