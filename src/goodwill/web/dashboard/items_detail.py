"""The rows behind the traffic, care, tracked-link and funnel counts (``/items?metric=``).

Each list is built from the same Ibis expression as the metric that produced the count, with
the same filters, then narrowed to the table row that links to it:

* ``visits`` — :func:`goodwill.metrics.traffic.classified_visits` (as ``traffic_detail.visits``:
  visits started within the dates, ``platform`` keeps ``source == platform``), narrowed by
  ``channel`` and ``source``; the person is the visitor's resolved person (``person_links``).
* ``needing_answer`` / ``answered`` — :func:`goodwill.metrics.care.care_threads` (as
  ``care.needing_answer`` / ``care.answered``: answered = has a first response), narrowed by
  ``account``.
* ``clicks`` — ``link_clicks`` within the dates of the links of ``platform`` (as
  ``link_clicks.clicks``), narrowed by ``code`` and ``campaign``.
* ``funnel`` — :func:`goodwill.metrics.funnel.journeys` (as ``funnel.people``): ``step=social``
  every person of the cohort, ``visit`` those who visited, ``lead`` those who visited and
  became a lead, ``customer`` those who also ordered.

The ``*_href`` functions make the links from a table row (its ``period`` month, intersected
with the page's date filters).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from goodwill.errors import UserInputError
from goodwill.metrics.common import filter_dates
from goodwill.web.dashboard.filters import Filters
from goodwill.web.dashboard.pages_relationships import Ctx, person_href

__all__ = [
    "DETAIL_METRICS",
    "care_href",
    "clicks_href",
    "detail_items",
    "funnel_href",
    "visits_href",
]

DETAIL_METRICS = ("visits", "needing_answer", "answered", "clicks", "funnel")


def _period_range(f: Filters, period: object) -> Filters:
    """``since``/``until`` of the row's month within the page's own dates (with ``platform``)."""
    if period is None or (isinstance(period, float) and pd.isna(period)):
        return Filters(platform=f.platform, since=f.since, until=f.until)
    p = f.month_params(pd.Timestamp(period).date().replace(day=1))  # type: ignore[arg-type]
    since = max(d for d in (p.since, f.since) if d is not None)
    until = min(d for d in (p.until, f.until) if d is not None)
    return Filters(platform=f.platform, since=since, until=until)


def visits_href(f: Filters, row: dict[str, Any]) -> str:
    """The visits of a ``traffic_detail`` row (month, channel, source)."""
    base = _period_range(f, row.get("period"))
    return "/items" + base.query(
        metric="visits", channel=str(row["channel"]), source=str(row["source"])
    )


def care_href(f: Filters, row: dict[str, Any], metric: str) -> str:
    """The threads of a ``care`` row (month, platform, account)."""
    base = _period_range(f, row.get("period")).model_copy(update={"platform": str(row["platform"])})
    return "/items" + base.query(metric=metric, account=str(row["account"]))


def clicks_href(f: Filters, row: dict[str, Any]) -> str:
    """The clicks on one tracked link (a ``link_clicks`` row) within the page's dates."""
    base = Filters(platform=f.platform, since=f.since, until=f.until)
    return "/items" + base.query(metric="clicks", code=str(row["code"]))


def funnel_href(f: Filters, row: dict[str, Any]) -> str:
    """The people at one funnel step within the page's dates and platform."""
    base = Filters(platform=f.platform, since=f.since, until=f.until)
    return "/items" + base.query(metric="funnel", step=str(row["step"]))


def _names(ctx: Ctx, frame: pd.DataFrame, column: str = "person_id") -> pd.DataFrame:
    names = dict(ctx.wh.query("SELECT person_id, display_name FROM people"))
    frame["person"] = [(names.get(p) or p) if isinstance(p, str) else None for p in frame[column]]
    return frame


def _visits(ctx: Ctx) -> pd.DataFrame:
    from goodwill.metrics.traffic import classified_visits

    f, b = ctx.filters, ctx.backend
    params = f.params()
    v = classified_visits(b, params)
    if params.platform is not None:
        v = v.filter(v.source == params.platform)
    if f.channel:
        v = v.filter(v.channel == f.channel)
    if f.source:
        v = v.filter(v.source == f.source)
    raw = b.table("visits").select(
        rid=b.table("visits").visit_id,
        landing_url=b.table("visits").landing_url,
        referrer=b.table("visits").referrer,
    )
    links = b.table("person_links")
    owners = links.filter(links.kind == "visitor").select(pv=links.value, person_id=links.person_id)
    with_raw = v.left_join(raw, v.visit_id == raw.rid).drop("rid")
    j = with_raw.left_join(owners, with_raw.visitor_id == owners.pv)
    frame = b.execute(
        j.order_by("started_at", "visit_id").select(
            "started_at",
            "visit_id",
            "channel",
            "source",
            "landing_url",
            "referrer",
            "pageviews",
            "person_id",
        )
    )
    return _names(ctx, frame)


def _care(ctx: Ctx) -> pd.DataFrame:
    from goodwill.metrics.care import care_threads

    f, b = ctx.filters, ctx.backend
    t = care_threads(b, f.params())
    if f.metric == "answered":
        t = t.filter(t.first_response_at.notnull())
    if f.account:
        t = t.filter(t.account == f.account)
    frame: pd.DataFrame = b.execute(
        t.order_by("created_at", "interaction_id").select(
            "created_at",
            "platform",
            "account",
            "actor_handle",
            "intent",
            "text",
            "first_response_at",
            "response_hours",
            "agent",
        )
    )
    return frame


def _clicks(ctx: Ctx) -> pd.DataFrame:
    from goodwill.metrics.traffic_detail import filter_platform_links

    f, b = ctx.filters, ctx.backend
    params = f.params()
    links = filter_platform_links(b.table("links"), params)
    if f.campaign:
        links = links.filter(links.campaign == f.campaign)
    if f.code:
        links = links.filter(links.code == f.code)
    links = links.select(lcode=links.code, platform=links.platform, campaign=links.campaign)
    clicks = filter_dates(b.table("link_clicks"), "clicked_at", params)
    j = clicks.join(links, clicks.code == links.lcode)
    frame: pd.DataFrame = b.execute(
        j.order_by("clicked_at", "click_id").select(
            "clicked_at", "click_id", "code", "platform", "campaign", "visitor_id", "referrer"
        )
    )
    return frame


def _funnel(ctx: Ctx) -> pd.DataFrame:
    from goodwill.metrics.funnel import journeys

    f, b = ctx.filters, ctx.backend
    j = journeys(b, f.params())
    visited = j.visit_at.notnull()
    lead = visited & j.lead_at.notnull()
    conditions = {"visit": visited, "lead": lead, "customer": lead & j.order_at.notnull()}
    if f.step in conditions:
        j = j.filter(conditions[f.step])
    frame = b.execute(
        j.order_by("touch_at", "person").select(
            "person", "touch_at", "visit_at", "lead_at", "order_at"
        )
    )
    frame = frame.rename(columns={"person": "person_id"})
    return _names(ctx, frame)


def detail_items(ctx: Ctx) -> tuple[pd.DataFrame, dict[str, Any]]:
    """``(rows, links)`` of ``ctx.filters.metric`` (one of :data:`DETAIL_METRICS`)."""
    metric = ctx.filters.metric
    person = {"person": lambda r: person_href(r.get("person_id"))}
    if metric == "visits":
        return _visits(ctx), person
    if metric in ("needing_answer", "answered"):
        return _care(ctx), {}
    if metric == "clicks":
        return _clicks(ctx), {}
    if metric == "funnel":
        return _funnel(ctx), person
    raise UserInputError(f"metric={metric!r}: use one of {', '.join(DETAIL_METRICS)}")
