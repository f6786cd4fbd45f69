"""Care: do we answer the people who need an answer, how fast, and does it fix things?

Definitions (Ibis only):

* **needs an answer** — an inbound ``mention``, ``reply``, ``comment`` or ``dm`` addressed to a
  brand account (``target_handle``), whose intent (``interaction_labels``) is ``complaint`` or
  ``question``; a message without a label counts as needing an answer (run
  ``goodwill enrich-labels`` first to leave out praise and chatter).
* **response** — an outbound interaction of the same platform whose ``in_reply_to`` is the
  message's ``interaction_id``, sent by the addressed brand account; the first response is the
  earliest.
* **first response time** — ``first_response.created_at − message.created_at`` in hours
  (wall-clock hours; business-hours clocks are not implemented).
* **resolved** — an answered complaint after whose first response the same author sent the same
  account no further message labelled ``complaint`` within 7 days.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import ibis

from goodwill.metrics.common import filter_dates, filter_platform, period_of, ratio
from goodwill.metrics.declarations import Backend, Metric, Query
from goodwill.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["CARE", "UNANSWERED", "care", "care_threads", "unanswered"]

INBOUND_KINDS = ("mention", "reply", "comment", "dm")
RESOLUTION_WINDOW = timedelta(days=7)


def _labelled_inbound(backend: Backend, params: MetricParams) -> ir.Table:
    """Inbound messages to brand accounts with their label (NULL when unlabelled)."""
    interactions = backend.table("interactions")
    accounts = backend.table("accounts")
    brand = accounts.filter(accounts.owner == "brand").select(
        bp=accounts.platform, bh=accounts.handle
    )
    inbound = interactions.filter(
        interactions.direction == "inbound", interactions.kind.isin(INBOUND_KINDS)
    )
    inbound = filter_dates(filter_platform(inbound, params), "created_at", params)
    inbound = inbound.join(
        brand, [inbound.platform == brand.bp, inbound.target_handle == brand.bh]
    ).drop("bp", "bh")
    labels = backend.table("interaction_labels")
    labels = labels.select(
        lp=labels.platform,
        lid=labels.interaction_id,
        intent=labels.intent,
        sentiment_score=labels.sentiment_score,
    )
    return inbound.left_join(
        labels, [inbound.platform == labels.lp, inbound.interaction_id == labels.lid]
    ).drop("lp", "lid")


def care_threads(backend: Backend, params: MetricParams) -> ir.Table:
    """One row per message needing an answer: ``platform, interaction_id, account,
    actor_handle, created_at, text, intent, sentiment_score, first_response_at, responder,
    response_hours, resolved``."""
    inbound = _labelled_inbound(backend, params)
    needs = inbound.filter(inbound.intent.isnull() | inbound.intent.isin(("complaint", "question")))
    interactions = backend.table("interactions")
    outbound = interactions.filter(
        interactions.direction == "outbound", interactions.in_reply_to.notnull()
    )
    first = outbound.group_by(
        rp=outbound.platform, rid=outbound.in_reply_to, ra=outbound.actor_handle
    ).aggregate(first_response_at=outbound.created_at.min())
    threads = needs.left_join(
        first,
        [
            needs.platform == first.rp,
            needs.interaction_id == first.rid,
            needs.target_handle == first.ra,
        ],
    )
    threads = threads.select(
        platform=threads.platform,
        interaction_id=threads.interaction_id,
        account=threads.target_handle,
        actor_handle=threads.actor_handle,
        created_at=threads.created_at,
        text=threads.text,
        intent=threads.intent,
        sentiment_score=threads.sentiment_score.cast("float64"),
        first_response_at=threads.first_response_at,
        responder=threads.ra,
    )
    threads = threads.mutate(
        response_hours=(
            threads.first_response_at.epoch_seconds() - threads.created_at.epoch_seconds()
        ).cast("float64")
        / 3600.0
    )
    # later complaints by the same author to the same account, after the first response
    labelled = _labelled_inbound(backend, MetricParams(platform=params.platform))
    later = labelled.filter(labelled.intent == "complaint").select(
        cp=labelled.platform,
        ca=labelled.target_handle,
        cu=labelled.actor_handle,
        cat=labelled.created_at,
    )
    joined = threads.left_join(
        later,
        [
            threads.platform == later.cp,
            threads.account == later.ca,
            threads.actor_handle == later.cu,
            later.cat > threads.first_response_at,
            later.cat <= threads.first_response_at + ibis.interval(days=RESOLUTION_WINDOW.days),
        ],
    )
    repeat = joined.group_by("platform", "interaction_id").aggregate(repeats=joined.cat.count())
    repeat = repeat.select(pp=repeat.platform, pid=repeat.interaction_id, repeats=repeat.repeats)
    out = threads.left_join(
        repeat, [threads.platform == repeat.pp, threads.interaction_id == repeat.pid]
    ).drop("pp", "pid")
    return out.mutate(
        resolved=(out.intent == "complaint")
        & out.first_response_at.notnull()
        & (out.repeats.fill_null(0) == 0)
    ).drop("repeats")


def care(backend: Backend, params: MetricParams) -> ir.Table:
    """Care metrics per period, platform and brand account."""
    t = care_threads(backend, params)
    answered = t.first_response_at.notnull()
    is_complaint = t.intent == "complaint"
    grouped = t.group_by(
        period=period_of(t.created_at, params.by), platform=t.platform, account=t.account
    ).aggregate(
        needing_answer=t.count(),
        answered=t.count(where=answered),
        frt_median_hours=t.response_hours.quantile(0.5),
        frt_p90_hours=t.response_hours.quantile(0.9),
        complaints=t.count(where=is_complaint),
        answered_complaints=t.count(where=is_complaint & answered),
        resolved=t.count(where=t.resolved),
    )
    return grouped.mutate(
        response_rate=ratio(grouped.answered, grouped.needing_answer),
        resolution_rate=ratio(grouped.resolved, grouped.answered_complaints),
    ).drop("answered_complaints")


def unanswered(backend: Backend, params: MetricParams) -> ir.Table:
    """Complaints without any response, oldest first."""
    t = care_threads(backend, params)
    t = t.filter(t.first_response_at.isnull(), t.intent == "complaint")
    return t.select(
        "created_at",
        "platform",
        "account",
        "actor_handle",
        "interaction_id",
        "text",
        "sentiment_score",
    )


_NEEDS = (
    "inbound mention/reply/comment/dm to a brand account whose label intent is complaint or "
    "question (unlabelled messages count)"
)

CARE = Query(
    name="care",
    group="listening",
    description="Customer care: messages needing an answer, response rate, first response "
    "time and resolution, per brand account.",
    dimensions=("period", "platform", "account"),
    metrics=(
        Metric(
            name="needing_answer",
            unit="count",
            formula=f"count of messages needing an answer: {_NEEDS}",
            description="Messages the care team had to act on.",
        ),
        Metric(
            name="answered",
            unit="count",
            formula="count of those with an outbound reply (in_reply_to = the message) "
            "from the addressed account",
            description="Messages that got an answer.",
        ),
        Metric(
            name="frt_median_hours",
            unit="ratio",
            formula="median over answered messages of (first response created_at − "
            "message created_at) in hours",
            description="Median first response time (wall-clock hours).",
        ),
        Metric(
            name="frt_p90_hours",
            unit="ratio",
            formula="90th percentile (continuous) of the same first response times",
            description="First response time that 90 % of answers beat.",
        ),
        Metric(
            name="complaints",
            unit="count",
            formula="count of messages needing an answer labelled complaint",
            description="Complaints received.",
        ),
        Metric(
            name="resolved",
            unit="count",
            formula="answered complaints whose author sent the account no further complaint "
            "within 7 days after the first response",
            description="Complaints fixed at the first answer.",
        ),
        Metric(
            name="response_rate",
            unit="fraction",
            formula="answered / needing_answer",
            description="Share of messages needing an answer that were answered.",
        ),
        Metric(
            name="resolution_rate",
            unit="fraction",
            formula="resolved / answered complaints",
            description="Share of answered complaints that stayed resolved. NULL when no "
            "complaint was answered.",
        ),
    ),
    build=care,
    notes="Messages are bucketed by their own `created_at`; a response in a later period "
    "still counts for the message's period. Without labels (`goodwill enrich-labels`) every "
    "inbound message counts as needing an answer and none as a complaint.",
)

UNANSWERED = Query(
    name="unanswered",
    group="listening",
    description="Complaints that got no answer, oldest first.",
    dimensions=(
        "created_at",
        "platform",
        "account",
        "actor_handle",
        "interaction_id",
        "text",
    ),
    metrics=(
        Metric(
            name="sentiment_score",
            unit="ratio",
            formula="the message's sentiment_score from interaction_labels",
            description="How negative the complaint is (−1 … 1).",
        ),
    ),
    build=unanswered,
    notes="Only labelled complaints appear: run `goodwill enrich-labels` first.",
)
