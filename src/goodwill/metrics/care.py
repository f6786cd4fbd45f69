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
  (wall-clock hours).
* **business-hours first response time** — the open hours between the message and its first
  response: ``Σ over open intervals [o, c) of max(0, min(b, c) − max(a, o))`` (``a`` the
  message, ``b`` the response), with the open calendar of ``[care]`` in ``goodwill.toml``
  (:mod:`goodwill.metrics.business_hours`; default Mon–Fri 09:00–17:00 UTC). The calendar
  covers the data's own dates, a day either side (:func:`calendar_range`; narrowed by
  ``--since``).
* **agent** — who wrote the first response: the outbound interaction's ``agent`` column, else a
  ``^AB`` signature in its text (``^`` followed by 2–4 letters, as TWCS care teams sign), else
  NULL (shown as ``unknown``).
* **resolved** — an answered complaint after whose first response the same author sent the same
  account no further message labelled ``complaint`` within 7 days.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

import ibis
import pandas as pd

from goodwill.metrics.business_hours import BusinessHours, load_business_hours
from goodwill.metrics.common import filter_dates, filter_platform, period_of, ratio
from goodwill.metrics.declarations import Backend, Metric, Query
from goodwill.metrics.params import MetricParams
from goodwill.metrics.shared import shared, shared_tables

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "CARE",
    "CARE_AGENTS",
    "UNANSWERED",
    "calendar_range",
    "care",
    "care_agents",
    "care_threads",
    "shared_threads",
    "unanswered",
]

INBOUND_KINDS = ("mention", "reply", "comment", "dm")
RESOLUTION_WINDOW = timedelta(days=7)
_DAY = timedelta(days=1)
SIGNATURE = r"\^([A-Za-z]{2,4})\b"
"""A care agent's signature in a reply's text (``... ^RR https://t.co/x``): group 1."""


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


def calendar_range(backend: Backend, params: MetricParams) -> tuple[date, date]:
    """The local dates the open calendar must cover: the data's own dates (first to last
    interaction, a day either side for time zones), narrowed by ``--since``; a response is an
    interaction too, so none falls after the last one."""
    interactions = backend.table("interactions")
    span = backend.execute(
        interactions.aggregate(
            lo=interactions.created_at.min().date(), hi=interactions.created_at.max().date()
        )
    )
    lo, hi = span["lo"].iloc[0], span["hi"].iloc[0]
    if lo is None or pd.isna(lo):
        today = date.today()
        return today, today
    start, end = pd.Timestamp(lo).date() - _DAY, pd.Timestamp(hi).date() + _DAY
    if params.since is not None:
        start = max(start, params.since - _DAY)
    if params.until is not None:
        end = min(end, params.until + timedelta(days=400))
    return start, max(start, end)


def _business_seconds(threads: ir.Table, hours: BusinessHours, span: tuple[date, date]) -> ir.Table:
    """``(bp, bid, business_seconds)`` of the answered threads: open seconds between the
    message and its first response (overlap join with the open calendar of the dates
    ``span``)."""
    cal = hours.calendar(*span)
    answered = threads.filter(threads.first_response_at.notnull())
    pairs = answered.select(
        bp=answered.platform,
        bid=answered.interaction_id,
        a=answered.created_at,
        b=answered.first_response_at,
    )
    j = pairs.join(cal, [cal.open_at < pairs.b, cal.close_at > pairs.a])
    overlap = (
        ibis.least(j.b, j.close_at).epoch_seconds() - ibis.greatest(j.a, j.open_at).epoch_seconds()
    )
    return j.group_by("bp", "bid").aggregate(business_seconds=overlap.sum())


def care_threads(
    backend: Backend, params: MetricParams, hours: BusinessHours | None = None
) -> ir.Table:
    """One row per message needing an answer: ``platform, interaction_id, account,
    actor_handle, created_at, text, intent, sentiment_score, first_response_at, responder,
    agent, response_hours, response_business_hours, resolved``.

    ``hours`` defaults to :func:`goodwill.metrics.business_hours.load_business_hours`. Inside
    :func:`shared_threads` the threads of one backend, ``params`` and ``hours`` are computed
    once and reused."""
    hours = hours or load_business_hours()
    key = ("care_threads", id(backend), replace(params, by="month"), hours)  # grain: same rows
    return shared(key, lambda: _care_threads(backend, params, hours))


@contextmanager
def shared_threads() -> Iterator[None]:
    """Within the block, :func:`care_threads` is built once per backend, params and business
    hours (an engine-side temporary table, Ibis's ``cache``) and shared by ``care``,
    ``care_agents``, ``unanswered`` and the scorecard's care level; so are the other shared
    building blocks of :mod:`goodwill.metrics.shared` (:func:`shared_tables`, of which this is
    the older name). The tables are dropped when the block ends (so nothing outlives the data
    it was computed from)."""
    with shared_tables():
        yield


def _care_threads(backend: Backend, params: MetricParams, hours: BusinessHours) -> ir.Table:
    # every labelled inbound message on the platform: the later complaints come from all of
    # them, the messages needing an answer from those within the dates (one scan, not two)
    labelled = _labelled_inbound(backend, MetricParams(platform=params.platform))
    inbound = filter_dates(labelled, "created_at", params)
    needs = inbound.filter(inbound.intent.isnull() | inbound.intent.isin(("complaint", "question")))
    interactions = backend.table("interactions")
    outbound = interactions.filter(
        interactions.direction == "outbound", interactions.in_reply_to.notnull()
    )
    signed = outbound.agent.nullif("").fill_null(outbound.text.re_extract(SIGNATURE, 1).nullif(""))
    first = outbound.group_by(
        rp=outbound.platform, rid=outbound.in_reply_to, ra=outbound.actor_handle
    ).aggregate(
        first_response_at=outbound.created_at.min(),
        first_agent=signed.argmin(outbound.created_at),
    )
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
        agent=threads.first_agent,
    )
    threads = threads.mutate(
        response_hours=(
            threads.first_response_at.epoch_seconds() - threads.created_at.epoch_seconds()
        ).cast("float64")
        / 3600.0
    )
    business = _business_seconds(threads, hours, calendar_range(backend, params))
    threads = threads.left_join(
        business,
        [threads.platform == business.bp, threads.interaction_id == business.bid],
    ).drop("bp", "bid")
    threads = threads.mutate(
        response_business_hours=ibis.ifelse(
            threads.first_response_at.notnull(),
            threads.business_seconds.fill_null(0).cast("float64") / 3600.0,
            ibis.null("float64"),
        )
    ).drop("business_seconds")
    # the author's next complaint to the same account after the first response
    following = _next_complaints(labelled, threads)
    out = threads.left_join(
        following, [threads.platform == following.np, threads.interaction_id == following.nid]
    ).drop("np", "nid")
    window_end = out.first_response_at + ibis.interval(days=RESOLUTION_WINDOW.days)
    return out.mutate(
        resolved=(out.intent == "complaint")
        & out.first_response_at.notnull()
        & (out.next_complaint_at.isnull() | (out.next_complaint_at > window_end))
    ).drop("next_complaint_at")


def _next_complaints(labelled: ir.Table, threads: ir.Table) -> ir.Table:
    """``(np, nid, next_complaint_at)`` of the answered complaints among ``threads``: the
    first message labelled ``complaint`` that the same author sent the same account strictly
    after the first response (at any date; NULL when none).

    One sort instead of a pairing: the answered complaints' first responses and every
    complaint are ordered by time within (platform, account, author), a complaint before a
    response at the same instant, and each response takes the earliest complaint among the
    rows after it. "No complaint within 7 days" is then ``next_complaint_at`` NULL or later
    than the window, the same as counting the complaints inside it (a join of each thread
    with all of its author's complaints grows with the square of a busy author's
    messages). ``labelled``: the platform's inbound messages with their labels, all dates."""
    complaints = labelled.filter(labelled.intent == "complaint").select(
        platform=labelled.platform,
        account=labelled.target_handle,
        actor_handle=labelled.actor_handle,
        at=labelled.created_at,
        is_response=ibis.literal(0, type="int8"),
        interaction_id=ibis.null("string"),
        complaint_at=labelled.created_at,
    )
    answered = threads.filter(threads.intent == "complaint", threads.first_response_at.notnull())
    responses = answered.select(
        platform=answered.platform,
        account=answered.account,
        actor_handle=answered.actor_handle,
        at=answered.first_response_at,
        is_response=ibis.literal(1, type="int8"),
        interaction_id=answered.interaction_id.cast("string"),
        complaint_at=ibis.null(complaints.complaint_at.type()),
    )
    events = complaints.union(responses, distinct=False)
    # "the rows after it" in (at, is_response) order, written as the rows before it in the
    # reverse order: the same rows, but a frame that ends before the current row is a running
    # minimum, while Spark recomputes an "N FOLLOWING to UNBOUNDED FOLLOWING" frame for every
    # row (quadratic in a busy author's messages: at 10M interactions one task ran for most
    # of an hour)
    after = ibis.window(
        group_by=[events.platform, events.account, events.actor_handle],
        order_by=[events.at.desc(), events.is_response.desc()],
        rows=(None, -1),
    )
    events = events.mutate(next_complaint_at=events.complaint_at.min().over(after))
    events = events.filter(events.is_response == 1)
    return events.select(
        np=events.platform, nid=events.interaction_id, next_complaint_at=events.next_complaint_at
    )


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
        frt_business_median_hours=t.response_business_hours.quantile(0.5),
        frt_business_p90_hours=t.response_business_hours.quantile(0.9),
        complaints=t.count(where=is_complaint),
        answered_complaints=t.count(where=is_complaint & answered),
        resolved=t.count(where=t.resolved),
    )
    return grouped.mutate(
        response_rate=ratio(grouped.answered, grouped.needing_answer),
        resolution_rate=ratio(grouped.resolved, grouped.answered_complaints),
    ).drop("answered_complaints")


def care_agents(backend: Backend, params: MetricParams) -> ir.Table:
    """Answered messages and first response times per agent (whole selected range)."""
    t = care_threads(backend, params)
    t = t.filter(t.first_response_at.notnull())
    return t.group_by(
        platform=t.platform, account=t.account, agent=t.agent.fill_null("unknown")
    ).aggregate(
        answered=t.count(),
        frt_median_hours=t.response_hours.quantile(0.5),
        frt_p90_hours=t.response_hours.quantile(0.9),
        frt_business_median_hours=t.response_business_hours.quantile(0.5),
        frt_business_p90_hours=t.response_business_hours.quantile(0.9),
        resolved=t.count(where=t.resolved),
        answered_complaints=t.count(where=t.intent == "complaint"),
    )


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

_BUSINESS_FRT = (
    Metric(
        name="frt_business_median_hours",
        unit="ratio",
        formula="median over answered messages of the open hours between message and first "
        "response: Σ over open intervals [o, c) of max(0, min(response, c) − max(message, o)), "
        "calendar from [care] business_hours/timezone/holidays in goodwill.toml (default "
        "Mon-Fri 09:00-17:00 UTC)",
        description="Median first response time counting only business hours.",
    ),
    Metric(
        name="frt_business_p90_hours",
        unit="ratio",
        formula="90th percentile (continuous) of the same business-hours response times",
        description="Business-hours first response time that 90 % of answers beat.",
    ),
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
        *_BUSINESS_FRT,
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

CARE_AGENTS = Query(
    name="care_agents",
    group="listening",
    description="Customer care per agent: answers and first response times (wall-clock and "
    "business hours) over the selected dates.",
    dimensions=("platform", "account", "agent"),
    metrics=(
        Metric(
            name="answered",
            unit="count",
            formula="count of messages needing an answer whose first response the agent wrote "
            "(agent column of the outbound reply, else its ^AB signature, else 'unknown')",
            description="Messages this agent answered first.",
        ),
        Metric(
            name="frt_median_hours",
            unit="ratio",
            formula="median of (first response created_at − message created_at) in hours over "
            "those messages",
            description="Median first response time (wall-clock hours).",
        ),
        Metric(
            name="frt_p90_hours",
            unit="ratio",
            formula="90th percentile (continuous) of the same times",
            description="First response time that 90 % of this agent's answers beat.",
        ),
        *_BUSINESS_FRT,
        Metric(
            name="resolved",
            unit="count",
            formula="of those, complaints whose author sent no further complaint within 7 days",
            description="Complaints this agent fixed at the first answer.",
        ),
        Metric(
            name="answered_complaints",
            unit="count",
            formula="of those, messages labelled complaint",
            description="Complaints this agent answered first.",
        ),
    ),
    build=care_agents,
    notes="Not split by period: use --since/--until to choose the dates. Run `goodwill care "
    "--by agent`.",
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
