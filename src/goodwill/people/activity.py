"""What each resolved person did, read through Ibis: social events, visits, conversions.

Every reader joins the canonical tables with ``person_links`` (written by
:func:`goodwill.people.identity.resolve`): ``*_expr`` is the Ibis expression (so it runs on
any engine, DuckDB or Spark, and can be filtered or aggregated before anything is fetched),
and the function of the same name without ``_expr`` returns its rows as a pandas frame with
``person_id``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

import ibis
import pandas as pd

if TYPE_CHECKING:
    import ibis.expr.types as ir

Backend: TypeAlias = Any
"""An Ibis backend (DuckDB or PySpark)."""

__all__ = [
    "HasIbis",
    "conversions",
    "conversions_expr",
    "revenue",
    "social_events",
    "social_events_expr",
    "visits",
    "visits_expr",
]


class HasIbis(Protocol):
    """A warehouse: anything with an Ibis backend (:class:`goodwill.warehouse.Warehouse`,
    :class:`goodwill.engine.spark.SparkWarehouse`)."""

    def ibis(self) -> Backend: ...


def _links(be: Backend) -> ir.Table:
    return be.table("person_links").select("kind", "value", "person_id")


def social_events_expr(be: Backend) -> ir.Table:
    """``person_id, at, platform, kind, direction, text, interaction_id, sentiment`` of
    interactions with brand accounts: inbound by the person, outbound from the brand to the
    person; ``sentiment`` is ``interaction_labels.sentiment_score`` (NULL when unlabelled)."""
    it = be.table("interactions")
    acc = be.table("accounts")
    brand = acc.filter(acc.owner == "brand").select("platform", "handle")
    inbound = it.filter(it.direction == "inbound").semi_join(
        brand, [it.platform == brand.platform, it.target_handle == brand.handle]
    )
    links = _links(be)
    parts = []
    for part, who in (
        (inbound, "actor_handle"),
        (it.filter(it.direction == "outbound"), "target_handle"),
    ):
        joined = part.join(
            links,
            [links.kind == ibis.literal("handle:") + part.platform, links.value == part[who]],
        )
        parts.append(
            joined.select(
                "person_id",
                at=joined.created_at,
                platform=joined.platform,
                kind=joined.kind,
                direction=joined.direction,
                text=joined.text,
                interaction_id=joined.interaction_id,
            )
        )
    events = ibis.union(*parts)
    labels = be.table("interaction_labels")
    scores = labels.select(
        label_platform=labels.platform,
        label_id=labels.interaction_id,
        sentiment=labels.sentiment_score.cast("float64"),
    )
    joined = events.left_join(
        scores,
        [events.platform == scores.label_platform, events.interaction_id == scores.label_id],
    )
    return joined.select(*events.columns, "sentiment")


def visits_expr(be: Backend) -> ir.Table:
    """``person_id, at, visit_id, landing_url, link_code`` of visits by known visitor ids."""
    v = be.table("visits")
    links = _links(be)
    links = links.filter(links.kind == "visitor")
    joined = v.join(links, v.visitor_id == links.value)
    return joined.select(
        "person_id",
        at=joined.started_at,
        visit_id=joined.visit_id,
        landing_url=joined.landing_url,
        link_code=joined.link_code,
    )


def conversions_expr(be: Backend) -> ir.Table:
    """``person_id, at, conversion_id, kind, value, referral_code`` of conversions, the person
    found by customer id, then e-mail, then visitor id (one row per conversion)."""
    c = be.table("conversions")
    links = _links(be)
    parts = []
    for rank, (kind, column) in enumerate(
        (("customer", "customer_id"), ("email", "email"), ("visitor", "visitor_id"))
    ):
        sub = links.filter(links.kind == kind)
        j = c.join(sub, c[column] == sub.value)
        parts.append(
            j.select(
                "person_id",
                at=j.occurred_at,
                conversion_id=j.conversion_id,
                kind=j.kind,
                value=j.value_reporting.cast("float64"),
                referral_code=j.referral_code,
                _rank=ibis.literal(rank),
            )
        )
    found = ibis.union(*parts)
    first = ibis.row_number().over(group_by=found.conversion_id, order_by=found._rank)
    found = found.mutate(_first=first)
    return found.filter(found._first == 0).drop("_rank", "_first")


def _frame(expr: ir.Table) -> pd.DataFrame:
    frame: pd.DataFrame = expr.to_pandas()
    return frame


def social_events(wh: HasIbis, *, text: bool = True) -> pd.DataFrame:
    """:func:`social_events_expr`'s rows (``sentiment`` NaN when unlabelled), in time order
    (ties by platform, interaction and person: the same order on every engine, so that what
    is built from the frame, e.g. a person's "what they did" line, is too). ``text=False``
    leaves out the ``text`` column (most of the rows' bytes), for callers that count and
    score events: less to carry out of the engine (on Spark, to the driver)."""
    events = social_events_expr(wh.ibis())
    if not text:
        events = events.drop("text")
    return _frame(events.order_by("at", "platform", "interaction_id", "person_id"))


def visits(wh: HasIbis) -> pd.DataFrame:
    """:func:`visits_expr`'s rows, in time order (ties by visit and person)."""
    return _frame(visits_expr(wh.ibis()).order_by("at", "visit_id", "person_id"))


def conversions(wh: HasIbis) -> pd.DataFrame:
    """:func:`conversions_expr`'s rows, in time order (ties by conversion)."""
    return _frame(conversions_expr(wh.ibis()).order_by("at", "conversion_id"))


def revenue(conv: pd.DataFrame) -> dict[str, float]:
    """Order revenue (orders minus refunds) per person."""
    if conv.empty:
        return {}
    sign = conv["kind"].map({"order": 1.0, "refund": -1.0}).fillna(0.0)
    total = (conv["value"].fillna(0.0) * sign).groupby(conv["person_id"]).sum()
    return {str(k): float(v) for k, v in total.items()}
