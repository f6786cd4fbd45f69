"""The rows behind each count: one :class:`~goodwill.metrics.declarations.Items` declaration per
list, built from the same Ibis expression as the metric that produced the count, with the same
filters, then narrowed to the table row the count sits on (its ``row`` keys).

:data:`ITEMS` holds every list by name (the dashboard's ``/items?metric=NAME``, the CLI's
``goodwill metrics NAME --items``, the API's ``/api/metrics/NAME/items``);
:data:`COUNT_ITEMS` says which list lies behind each ``query.metric`` count, and the registry
hangs those lists on the query declarations (``get_query("care").items["answered"]``).
:func:`run_items` runs a list into a pandas frame; :func:`items_sql` gives the SQL of the lists
that are one Ibis expression.

What each list is:

* ``visits`` / ``pageviews`` / ``engaged_visits`` —
  :func:`goodwill.metrics.traffic_detail.detail_visits` (as ``traffic_detail``: visits started
  within the dates, ``platform`` keeps ``source == platform``), narrowed by ``channel`` and
  ``source``; ``engaged_visits`` keeps the engaged ones. ``pageviews`` is a sum: it lists the
  visits, whose ``pageviews`` column sums to the count. The person is the visitor's resolved
  person (``person_links``).
* ``visitors`` / ``returning_visitors`` — the same visits grouped by ``visitor_id`` (one row
  per visitor, NULL ids left out as ``nunique`` leaves them out); ``returning_visitors`` keeps
  the returning visits only.
* ``social_visits`` — :func:`goodwill.metrics.traffic.classified_visits` where
  :func:`goodwill.metrics.traffic.social_visit` (as ``traffic_share.social_visits``).
* ``needing_answer`` / ``answered`` / ``complaints`` / ``resolved`` —
  :func:`goodwill.metrics.care.care_threads` (as ``care``), narrowed by ``account``.
* ``clicks`` / ``clickers`` — ``link_clicks`` within the dates of the links of ``platform`` (as
  ``link_clicks.clicks``), narrowed by ``code`` and ``campaign``; ``clickers`` one row per
  distinct ``visitor_id``. ``link_visits`` — :func:`goodwill.metrics.traffic_detail.link_visits`
  of those links; ``link_posts`` — :func:`goodwill.metrics.traffic_detail.link_posts`.
* ``funnel`` — :func:`goodwill.metrics.funnel.journeys` (as ``funnel.people``): ``step=social``
  every person of the cohort, ``visit`` those who visited, ``lead`` those who visited and
  became a lead, ``customer`` those who also ordered. ``funnel_days`` —
  :func:`goodwill.metrics.funnel.milestones` narrowed by ``milestone`` and ``days``.
* ``people_active`` / ``repeat_interactors`` / ``new_people`` —
  :func:`goodwill.metrics.loyalty.person_months` (as ``loyalty``: months from ``since``'s
  month), all, the repeat ones, the first-timers; ``attention`` — the interactions of
  :func:`goodwill.metrics.loyalty.attention` in those months (``loyalty.interactions``).
* ``mentions`` — brand mentions of :func:`goodwill.metrics.listening.mentions_of_accounts`;
  ``mention_authors`` one row per distinct author of them; ``competitor_mentions`` the
  mentions of competitor accounts.
* ``posts`` — :func:`goodwill.metrics.engagement.brand_posts` (``campaign``: its posts).
* ``leads`` / ``orders`` — the conversions of that kind within the dates; with a platform or
  campaign those with a touch from it in the 30 days before (as the scorecard).
* ``unanswered`` — the ``unanswered`` query's rows.
* ``post_reactions`` — :func:`goodwill.metrics.engagement.post_reactions` of ``post``
  (``platform:post_id``), narrowed by ``reaction``.
* ``labelled_mentions`` / ``positive_mentions`` / ``negative_mentions`` —
  :func:`goodwill.metrics.reputation.labelled_mentions` of brand accounts (as ``reputation``).
* ``customers`` — :func:`goodwill.value.repeat.customer_status` up to ``until`` (with a
  platform or campaign: the customers acquired with such a touch), narrowed by ``segment``.
* ``relationships`` — :func:`goodwill.attribution.roi.engagers`, one row per person.
* ``tier_moves`` — :func:`goodwill.people.tiers.tier_moves` (all platforms and dates), narrowed
  by ``month``, ``from_tier`` and ``to_tier``.
* ``carrying`` — the brand mentions that :func:`goodwill.text.pullthrough.carried` says carry a
  key message (method :data:`PULLTHROUGH_METHOD`), narrowed by ``message``.

A count that is a sum (``pageviews``; the ``engagement`` table's replies, shares and likes)
lists the rows whose column of the same name sums to it; any other count lists as many rows as
it counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, cast

import ibis
import pandas as pd

from goodwill.errors import UserInputError
from goodwill.metrics.common import (
    filter_dates,
    filter_platform,
    month_start,
    period_of,
    person_of,
)
from goodwill.metrics.declarations import Backend, Items
from goodwill.metrics.params import MetricParams
from goodwill.metrics.scope import campaign_person_months, campaign_visits
from goodwill.metrics.traffic_detail import ENGAGED_PAGEVIEWS

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from goodwill.attribution.journeys import JourneyStore
    from goodwill.warehouse import Warehouse

__all__ = [
    "COUNT_ITEMS",
    "ITEMS",
    "PULLTHROUGH_METHOD",
    "ROW_KEYS",
    "acquired_people",
    "campaign_people",
    "display_names",
    "get_items",
    "items_sql",
    "name_people",
    "narrow",
    "row_of",
    "run_items",
]

PULLTHROUGH_METHOD = "char-tfidf"
"""The similarity the pull-through table and its ``carrying`` lists use (light, no model
download; :mod:`goodwill.text.pullthrough`)."""

ROW_KEYS = (
    "campaign",
    "channel",
    "source",
    "account",
    "code",
    "step",
    "milestone",
    "days",
    "post",
    "reaction",
    "segment",
    "month",
    "from_tier",
    "to_tier",
    "message",
)
"""Every key a row may narrow a list by (``--row KEY=VALUE``; the dashboard's filters)."""

Row = Mapping[str, str]


class _Reader:
    """What :mod:`goodwill.people.activity` reads through: ``ibis()`` (a warehouse's
    interface, over any Ibis backend)."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def ibis(self) -> Backend:
        return self._backend


def _wh(backend: Backend) -> Warehouse:
    return cast("Warehouse", _Reader(backend))


# ---------------------------------------------------------------- visits


def _visitor_people(b: Backend) -> ir.Table:
    links = b.table("person_links")
    return links.filter(links.kind == "visitor").select(pv=links.value, person_id=links.person_id)


def _visit_rows(b: Backend, p: MetricParams, row: Row, metric: str) -> ir.Table:
    from goodwill.metrics.traffic_detail import detail_visits

    v = detail_visits(b, p)
    if row.get("campaign"):  # as the traffic page's campaign narrowing (goodwill.metrics.scope)
        v = campaign_visits(b, v, row["campaign"])
    if row.get("channel"):
        v = v.filter(v.channel == row["channel"])
    if row.get("source"):
        v = v.filter(v.source == row["source"])
    if metric == "engaged_visits":
        v = v.filter(v.engaged)
    if metric == "returning_visitors":
        v = v.filter(v.returning)
    return v


def _list_visits(b: Backend, v: ir.Table) -> ir.Table:
    visits = b.table("visits")
    raw = visits.select(
        rid=visits.visit_id, landing_url=visits.landing_url, referrer=visits.referrer
    )
    owners = _visitor_people(b)
    with_raw = v.left_join(raw, v.visit_id == raw.rid).drop("rid")
    j = with_raw.left_join(owners, with_raw.visitor_id == owners.pv)
    return j.order_by("started_at", "visit_id").select(
        "started_at",
        "visit_id",
        "channel",
        "source",
        "landing_url",
        "referrer",
        "pageviews",
        "person_id",
    )


def _visits(metric: str) -> Any:
    def build(b: Backend, p: MetricParams, row: Row) -> ir.Table:
        return _list_visits(b, _visit_rows(b, p, row, metric))

    return build


def _social_visits(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    from goodwill.metrics.traffic import classified_visits, social_visit

    v = classified_visits(b, p)
    if row.get("campaign"):  # as the scorecard's campaign narrowing (goodwill.metrics.scope)
        v = campaign_visits(b, v, row["campaign"])
    return _list_visits(b, v.filter(social_visit(v, p)))


def _visitors(metric: str) -> Any:
    def build(b: Backend, p: MetricParams, row: Row) -> ir.Table:
        v = _visit_rows(b, p, row, metric)
        v = v.filter(v.visitor_id.notnull())
        per = v.group_by("visitor_id").aggregate(
            visits=v.count(),
            pageviews=v.pageviews.sum(),
            first_visit=v.started_at.min(),
            last_visit=v.started_at.max(),
        )
        owners = _visitor_people(b)
        j = per.left_join(owners, per.visitor_id == owners.pv).drop("pv")
        return j.order_by("first_visit", "visitor_id").select(
            "visitor_id", "visits", "pageviews", "first_visit", "last_visit", "person_id"
        )

    return build


# ---------------------------------------------------------------- care


def _care(metric: str) -> Any:
    def build(b: Backend, p: MetricParams, row: Row) -> ir.Table:
        from goodwill.metrics.care import care_threads

        t = care_threads(b, p)
        if metric == "answered":
            t = t.filter(t.first_response_at.notnull())
        if metric == "complaints":
            t = t.filter(t.intent == "complaint")
        if metric == "resolved":
            t = t.filter(t.resolved)
        if row.get("account"):
            t = t.filter(t.account == row["account"])
        return t.order_by("created_at", "interaction_id").select(
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

    return build


def _unanswered(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    from goodwill.metrics.care import UNANSWERED

    t = UNANSWERED.build(b, p)
    return t.select(*UNANSWERED.columns).order_by(*UNANSWERED.dimensions)


# ---------------------------------------------------------------- tracked links


def _tracked_links(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    """The links of ``link_clicks`` (``platform``), narrowed by ``campaign`` and ``code``."""
    from goodwill.metrics.traffic_detail import filter_platform_links

    links = filter_platform_links(b.table("links"), p)
    if row.get("campaign"):
        links = links.filter(links.campaign == row["campaign"])
    if row.get("code"):
        links = links.filter(links.code == row["code"])
    return links


def _click_rows(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    links = _tracked_links(b, p, row)
    links = links.select(lcode=links.code, platform=links.platform, campaign=links.campaign)
    clicks = filter_dates(b.table("link_clicks"), "clicked_at", p)
    return clicks.join(links, clicks.code == links.lcode)


def _clicks(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    j = _click_rows(b, p, row)
    return j.order_by("clicked_at", "click_id").select(
        "clicked_at", "click_id", "code", "platform", "campaign", "visitor_id", "referrer"
    )


def _clickers(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    j = _click_rows(b, p, row)
    j = j.filter(j.visitor_id.notnull())
    per = j.group_by("visitor_id").aggregate(
        clicks=j.count(), first_click=j.clicked_at.min(), last_click=j.clicked_at.max()
    )
    owners = _visitor_people(b)
    out = per.left_join(owners, per.visitor_id == owners.pv).drop("pv")
    return out.order_by("first_click", "visitor_id").select(
        "visitor_id", "clicks", "first_click", "last_click", "person_id"
    )


def _link_visits(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    from goodwill.metrics.traffic_detail import link_visits

    v = link_visits(b, p)
    links = _tracked_links(b, p, row)
    v = v.semi_join(links, v.link_code == links.code)
    owners = _visitor_people(b)
    j = v.left_join(owners, v.visitor_id == owners.pv)
    return j.order_by("started_at", "visit_id").select(
        "started_at", "visit_id", "link_code", "landing_url", "pageviews", "person_id"
    )


def _link_posts(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    from goodwill.metrics.traffic_detail import link_posts

    links = _tracked_links(b, p, row)
    both = link_posts(b, links)
    both = both.semi_join(links, both.post_code == links.code.cast("string"))
    posts = b.table("posts")
    shown = posts.select(
        ppid=(posts.platform + ":" + posts.post_id).cast("string"),
        created_at=posts.created_at,
        handle=posts.handle,
        text=posts.text,
    )
    j = both.left_join(shown, both.pid == shown.ppid).drop("ppid")
    return j.order_by("post_code", "created_at", "pid").select(
        code=j.post_code, post=j.pid, created_at=j.created_at, handle=j.handle, text=j.text
    )


# ---------------------------------------------------------------- funnel


def _funnel(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    from goodwill.metrics.funnel import journeys

    j = journeys(b, p)
    visited = j.visit_at.notnull()
    lead = visited & j.lead_at.notnull()
    conditions = {"visit": visited, "lead": lead, "customer": lead & j.order_at.notnull()}
    step = row.get("step")
    if step in conditions:
        j = j.filter(conditions[step])
    return j.order_by("touch_at", "person").select(
        "person", "touch_at", "visit_at", "lead_at", "order_at"
    )


def _funnel_days(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    from goodwill.metrics.funnel import milestones

    m = milestones(b, p)
    if row.get("milestone"):
        m = m.filter(m.milestone == row["milestone"])
    if row.get("days") is not None:
        m = m.filter(m.days == _int(row["days"], "days"))
    return m.order_by("milestone", "days", "person").select(
        "person", "milestone", "touch_at", "reached_at", "days"
    )


def _int(value: str, key: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise UserInputError(f"{key}={value!r}: not a whole number") from None


# ---------------------------------------------------------------- loyalty


def _loyalty_months(t: ir.Table, column: str, p: MetricParams) -> ir.Table:
    """``t`` from ``since``'s month on (loyalty counts whole months)."""
    if p.since is None:
        return t
    return t.filter(t[column] >= ibis.literal(month_start(p.since)))


def _loyalty_people(metric: str) -> Any:
    def build(b: Backend, p: MetricParams, row: Row) -> ir.Table:
        from goodwill.metrics.loyalty import person_months

        pm = _loyalty_months(person_months(b, p), "period", p)
        if row.get("campaign"):  # as the scorecard: active on the campaign's posts that month
            cpm = campaign_person_months(b, p, row["campaign"])
            pm = pm.semi_join(cpm, [pm.person == cpm.cperson, pm.period == cpm.cperiod])
        if metric == "repeat_interactors":
            pm = pm.filter(pm.repeat)
        if metric == "new_people":
            pm = pm.filter(pm.first)
        return pm.order_by("period", "person").select(
            "period", "person", "interactions", "repeat", "first"
        )

    return build


def _attention(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    from goodwill.metrics.loyalty import attention

    acts = attention(b, p)
    acts = _loyalty_months(acts.mutate(month=period_of(acts.created_at, "month")), "month", p)
    return acts.order_by("created_at", "interaction_id").select(
        "created_at", "platform", "kind", "actor_handle", "target_handle", "text", "person"
    )


# ---------------------------------------------------------------- listening, posts


def _mentions(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    from goodwill.metrics.listening import mentions_of_accounts

    m = mentions_of_accounts(b, p)
    m = m.filter(m.owner == "brand").order_by("created_at")
    return m.select("created_at", "platform", "actor_handle", "target_handle", "text")


def _competitor_mentions(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    from goodwill.metrics.listening import mentions_of_accounts

    m = person_of(b, mentions_of_accounts(b, p))
    m = m.filter(m.owner == "competitor")
    return m.order_by("created_at", "interaction_id").select(
        "created_at", "platform", "actor_handle", "target_handle", "text", "person"
    )


def _mention_authors(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    from goodwill.metrics.listening import mentions_of_accounts

    m = person_of(b, mentions_of_accounts(b, p))
    m = m.filter(m.owner == "brand")
    per = m.group_by("actor_handle").aggregate(
        mentions=m.count(),
        first_mention=m.created_at.min(),
        last_mention=m.created_at.max(),
        person=m.person.min(),
    )
    return per.order_by("first_mention", "actor_handle")


def _labelled(metric: str) -> Any:
    def build(b: Backend, p: MetricParams, row: Row) -> ir.Table:
        from goodwill.metrics.reputation import labelled_mentions

        m = labelled_mentions(b, p)
        m = m.filter(m.owner == "brand")
        sentiment = {"positive_mentions": "positive", "negative_mentions": "negative"}
        if metric in sentiment:
            m = m.filter(m.sentiment == sentiment[metric])
        m = person_of(b, m)
        return m.order_by("created_at", "interaction_id").select(
            "created_at", "platform", "kind", "actor_handle", "sentiment", "text", "person"
        )

    return build


def _posts(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    from goodwill.metrics.engagement import brand_posts

    posts = brand_posts(b, p)
    if row.get("campaign"):
        posts = posts.filter(posts.campaign == row["campaign"])
    return posts.order_by("created_at").select(
        "created_at", "platform", "handle", "campaign", "text", "replies", "shares", "likes"
    )


def _post_reactions(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    from goodwill.metrics.engagement import post_reactions

    r = post_reactions(b)
    if row.get("post"):
        platform, _, post_id = row["post"].partition(":")
        r = r.filter(r.platform == platform, r.post_id == post_id)
    reaction = row.get("reaction")
    r = r.filter(r.reaction == reaction) if reaction else r.filter(r.reaction.notnull())
    r = person_of(b, r)
    return r.order_by("created_at", "interaction_id").select(
        "created_at", "platform", "post_id", "reaction", "kind", "actor_handle", "text", "person"
    )


# ---------------------------------------------------------------- money


def _conversions(kind: str) -> Any:
    def build(b: Backend, p: MetricParams, row: Row) -> ir.Table:
        from goodwill.metrics.scope import touched_conversions

        conv = filter_dates(b.table("conversions"), "occurred_at", p)
        conv = conv.filter(conv.kind == kind)
        # as the scorecard: a touch from the platform / campaign within the 30 days before
        conv = touched_conversions(b, conv, platform=p.platform, campaign=row.get("campaign"))
        return conv.order_by("occurred_at").select(
            "occurred_at",
            "conversion_id",
            "kind",
            "customer_id",
            "email",
            value=conv.value_reporting.cast("float64"),
        )

    return build


def _conversion_people(b: Backend, frame: pd.DataFrame) -> pd.DataFrame:
    """``person_id`` of each conversion, as :func:`goodwill.people.activity.conversions` finds
    it (customer id, then e-mail, then visitor id)."""
    from goodwill.people import activity

    owners = activity.conversions(_wh(b))[["conversion_id", "person_id"]]
    return frame.merge(owners, on="conversion_id", how="left")


def acquired_people(
    backend: Backend,
    platform: str | None,
    campaign: str | None,
    store: JourneyStore | None = None,
) -> set[str] | None:
    """Customers acquired with a touch from ``platform`` / of ``campaign`` (``None``: neither
    given)."""
    from goodwill.attribution.journeys import JourneySpec, build_journeys
    from goodwill.value.repeat import acquired_customers

    if not (platform or campaign):
        return None
    spec = JourneySpec(
        touched_platform=platform, touched_campaign=campaign, include_nonconverting=False
    )
    meta = build_journeys(backend, spec, store=store).meta
    orders = meta.loc[meta["kind"] == "order", "journey"]
    return acquired_customers(backend, [str(o) for o in orders])


def _customers(b: Backend, p: MetricParams, row: Row) -> pd.DataFrame:
    from goodwill.value.repeat import customer_status

    people = acquired_people(b, p.platform, row.get("campaign"))
    columns = ["person", "first_order", "last_order", "purchases", "total_value"]
    if people is not None and not people:
        return pd.DataFrame(columns=[*columns, "repeat", "churned"])
    frame = customer_status(b, p.until, people=people)
    if frame.empty:
        return frame
    if row.get("segment") == "repeat":
        frame = frame[frame["repeat"]]
    elif row.get("segment") == "churned":
        frame = frame[frame["churned"]]
    return frame[[*columns, "repeat", "churned"]].reset_index(drop=True)


def _relationships(b: Backend, p: MetricParams, row: Row) -> ir.Table:
    from goodwill.attribution.roi import engagers

    e = engagers(b, since=p.since, until=p.until)
    if p.platform:
        e = e.filter(e.platform == p.platform)
    if row.get("campaign"):
        e = e.filter(e.campaign == row["campaign"])
    per = e.group_by("who").aggregate(
        interactions=e.count(),
        platforms=e.platform.collect(distinct=True),
        first=e.created_at.min(),
        last=e.created_at.max(),
    )
    return per.order_by(ibis.desc("interactions"), "who")


# ---------------------------------------------------------------- people, text


def _tier_moves(b: Backend, p: MetricParams, row: Row) -> pd.DataFrame:
    from goodwill.people import activity
    from goodwill.people.tiers import tier_history, tier_moves

    wh = _wh(b)
    moves = tier_moves(tier_history(activity.social_events(wh), activity.conversions(wh)))
    if row.get("month"):
        moves = moves[moves["period"] == _month(row["month"])]
    if row.get("from_tier"):
        moves = moves[moves["from_tier"] == row["from_tier"]]
    if row.get("to_tier"):
        moves = moves[moves["to_tier"] == row["to_tier"]]
    return moves.reset_index(drop=True)


def _month(value: str) -> date:
    try:
        return date.fromisoformat(value + "-01" if len(value) == 7 else value).replace(day=1)
    except ValueError:
        raise UserInputError(f"month={value!r}: expected YYYY-MM") from None


def _carrying(b: Backend, p: MetricParams, row: Row) -> pd.DataFrame:
    from goodwill.metrics.alerts import brand_labelled_mentions
    from goodwill.text.pullthrough import carried

    mentions = brand_labelled_mentions(b, p).reset_index(drop=True)
    messages = b.execute(b.table("key_messages"))
    decision = carried(mentions, messages, method=PULLTHROUGH_METHOD)
    columns = ["created_at", "platform", "kind", "actor_handle", "sentiment", "text"]
    frames = [
        mentions.loc[decision.carries[:, j], columns].assign(
            message=str(message_id), similarity=decision.similarity[decision.carries[:, j], j]
        )
        for j, message_id in enumerate(messages["message_id"])
        if row.get("message") is None or str(message_id) == row["message"]
    ]
    shown = [*columns[:5], "message", "similarity", "text"]
    if not frames:
        frame = pd.DataFrame(columns=shown)
    else:
        frame = pd.concat(frames, ignore_index=True)[shown]
    frame = frame.sort_values(["created_at", "message"], kind="stable").reset_index(drop=True)
    frame["person"] = frame["platform"].astype(str) + ":" + frame["actor_handle"].astype(str)
    return frame


# ---------------------------------------------------------------- the declarations

_VISIT_KEYS = ("campaign", "channel", "source")
_LINK_KEYS = ("campaign", "code")

ITEMS: Mapping[str, Items] = {
    i.name: i
    for i in (
        Items(
            name="visits",
            description="Visits started within the dates.",
            keys=_VISIT_KEYS,
            person="person_id",
            build=_visits("visits"),
        ),
        Items(
            name="pageviews",
            description="The visits behind the pageviews: their pageviews column sums to the "
            "count (a visit without a pageview count counts as 1).",
            keys=_VISIT_KEYS,
            person="person_id",
            build=_visits("pageviews"),
        ),
        Items(
            name="engaged_visits",
            description=f"Visits with at least {ENGAGED_PAGEVIEWS} pageviews.",
            keys=_VISIT_KEYS,
            person="person_id",
            build=_visits("engaged_visits"),
        ),
        Items(
            name="visitors",
            description="One row per distinct visitor, with their visits in the filters.",
            keys=_VISIT_KEYS,
            person="person_id",
            build=_visitors("visitors"),
        ),
        Items(
            name="returning_visitors",
            description="One row per visitor with an earlier visit (any date), with their "
            "returning visits in the filters.",
            keys=_VISIT_KEYS,
            person="person_id",
            build=_visitors("returning_visitors"),
        ),
        Items(
            name="social_visits",
            description="Visits from social media (channel social or paid_social).",
            keys=("campaign",),
            person="person_id",
            build=_social_visits,
        ),
        *(
            Items(
                name=name,
                description=text,
                keys=("account",),
                build=_care(name),
            )
            for name, text in (
                ("needing_answer", "Inbound messages that needed an answer."),
                ("answered", "Messages needing an answer that got a first response."),
                ("complaints", "Messages labelled as complaints that needed an answer."),
                (
                    "resolved",
                    "Answered complaints whose author sent the account no further complaint "
                    "within 7 days after the first response.",
                ),
            )
        ),
        Items(
            name="unanswered",
            description="Messages still without an answer (the unanswered query).",
            build=_unanswered,
        ),
        Items(
            name="clicks",
            description="Clicks on the tracked links.",
            keys=_LINK_KEYS,
            build=_clicks,
        ),
        Items(
            name="clickers",
            description="One row per distinct visitor who clicked the link, with their clicks.",
            keys=_LINK_KEYS,
            person="person_id",
            build=_clickers,
        ),
        Items(
            name="link_visits",
            description="Visits the tracked link brought.",
            keys=_LINK_KEYS,
            person="person_id",
            build=_link_visits,
        ),
        Items(
            name="link_posts",
            description="Posts carrying the tracked link.",
            keys=_LINK_KEYS,
            build=_link_posts,
        ),
        Items(
            name="funnel",
            description="The people of the funnel's cohort at the step (social, visit, lead, "
            "customer).",
            keys=("step",),
            person="person",
            build=_funnel,
        ),
        Items(
            name="funnel_days",
            description="People whose first lead / first order came that many days after "
            "their first social touch.",
            keys=("milestone", "days"),
            person="person",
            build=_funnel_days,
        ),
        *(
            Items(
                name=name,
                description=text,
                keys=("campaign",),
                person="person",
                build=_loyalty_people(name),
            )
            for name, text in (
                ("people_active", "People who paid attention (one row per person and month)."),
                ("repeat_interactors", "Regulars: also active in one of the two months before."),
                ("new_people", "People paying attention for the first time."),
            )
        ),
        Items(
            name="attention",
            description="The inbound interactions that show attention (every kind but unfollow).",
            person="person",
            build=_attention,
        ),
        Items(name="mentions", description="Mentions of the brand's accounts.", build=_mentions),
        Items(
            name="mention_authors",
            description="One row per distinct author of brand mentions.",
            person="person",
            build=_mention_authors,
        ),
        Items(
            name="competitor_mentions",
            description="Mentions of the competitors' accounts.",
            person="person",
            build=_competitor_mentions,
        ),
        Items(
            name="posts",
            description="The brand's posts; their replies, shares and likes sum to the "
            "engagement counts.",
            keys=("campaign",),
            build=_posts,
        ),
        Items(
            name="post_reactions",
            description="The replies, shares and likes on the post, whenever they came.",
            keys=("post", "reaction"),
            person="person",
            build=_post_reactions,
        ),
        *(
            Items(name=name, description=text, person="person", build=_labelled(name))
            for name, text in (
                (
                    "labelled_mentions",
                    "Brand mentions, replies and comments with a sentiment label.",
                ),
                ("positive_mentions", "Labelled brand mentions with positive sentiment."),
                ("negative_mentions", "Labelled brand mentions with negative sentiment."),
            )
        ),
        *(
            Items(
                name=f"{kind}s",
                description=f"The {kind}s within the dates; with a platform or campaign, those "
                "with a touch from it in the 30 days before (as the scorecard).",
                keys=("campaign",),
                person="conversion",
                build=_conversions(kind),
            )
            for kind in ("lead", "order")
        ),
        Items(
            name="customers",
            description="Customers with an order on or before the until date (segment repeat: "
            "purchases on two days or more; churned: no purchase in the 180 days before "
            "until); with a platform or campaign, those acquired with such a touch.",
            keys=("campaign", "segment"),
            person="person",
            build=_customers,
            pandas=True,
        ),
        Items(
            name="relationships",
            description="People with an inbound interaction (not unfollow) within the dates, "
            "on the platform or the campaign's posts: the ROI table's relationships.",
            keys=("campaign",),
            person="who",
            build=_relationships,
        ),
        Items(
            name="tier_moves",
            description="People whose tier at the end of the month before (none: not seen "
            "yet) and at the end of the month are the ones shown (all platforms and dates: "
            "tiers score a person's whole relationship).",
            keys=("month", "from_tier", "to_tier"),
            person="person_id",
            build=_tier_moves,
            pandas=True,
            dated=False,
        ),
        Items(
            name="carrying",
            description="Labelled brand mentions similar to the key message (char-tfidf "
            "cosine at or above the threshold), one row per mention and message; not "
            "narrowed by campaign.",
            keys=("message",),
            person="person",
            build=_carrying,
            pandas=True,
        ),
    )
}
"""Every list of rows behind a count, by name."""

COUNT_ITEMS: Mapping[str, Mapping[str, str]] = {
    "engagement": {"posts": "posts", "replies": "posts", "shares": "posts", "likes": "posts"},
    "top_posts": {
        "replies": "post_reactions",
        "shares": "post_reactions",
        "likes": "post_reactions",
        "engagements": "post_reactions",
    },
    "listening": {
        "mentions": "mentions",
        "unique_authors": "mention_authors",
        "competitor_mentions": "competitor_mentions",
    },
    "reputation": {
        "mentions": "labelled_mentions",
        "positive": "positive_mentions",
        "negative": "negative_mentions",
    },
    "care": {
        "needing_answer": "needing_answer",
        "answered": "answered",
        "complaints": "complaints",
        "resolved": "resolved",
    },
    "loyalty": {
        "people_active": "people_active",
        "repeat_interactors": "repeat_interactors",
        "new_people": "new_people",
        "interactions": "attention",
    },
    "traffic_share": {"visits": "visits", "social_visits": "social_visits"},
    "traffic_detail": {
        "visits": "visits",
        "visitors": "visitors",
        "pageviews": "pageviews",
        "engaged_visits": "engaged_visits",
        "returning_visitors": "returning_visitors",
    },
    "link_clicks": {
        "clicks": "clicks",
        "clickers": "clickers",
        "visits": "link_visits",
        "posts": "link_posts",
    },
    "funnel": {"people": "funnel"},
    "funnel_days": {"people": "funnel_days"},
}
"""``query → metric → list``: the list of rows behind each count of a registry query (the
registry hangs them on the declarations as ``Query.items``)."""


def get_items(name: str) -> Items:
    """The list ``name`` (a list's name, or ``query.metric``); :class:`UserInputError` naming
    the valid ones otherwise."""
    if name in ITEMS:
        return ITEMS[name]
    query, _, metric = name.partition(".")
    if metric and metric in COUNT_ITEMS.get(query, {}):
        return ITEMS[COUNT_ITEMS[query][metric]]
    counts = [f"{q}.{m}" for q, ms in COUNT_ITEMS.items() for m in ms]
    raise UserInputError(
        f"no list of items {name!r}; choose one of {', '.join(ITEMS)} or a count "
        f"({', '.join(counts)})"
    )


def check_row(items: Items, row: Row) -> None:
    """:class:`UserInputError` for a row key the list does not narrow by."""
    for key in row:
        if key not in items.keys:
            accepted = ", ".join(items.keys) or "none"
            raise UserInputError(
                f"{items.name}: row key {key!r} does not apply; it takes {accepted}"
            )


_ROW_OF: Mapping[str, Mapping[str, str | None]] = {
    "engagement": {"platform": "platform"},
    "listening": {"platform": "platform"},
    "reputation": {"platform": "platform"},
    "care": {"platform": "platform", "account": "account"},
    "traffic_share": {"data_source": None},
    "traffic_detail": {"channel": "channel", "source": "source"},
    "link_clicks": {"code": "code", "platform": None, "campaign": None},
    "funnel": {"step": "step", "step_no": None},
    "funnel_days": {"milestone": "milestone", "days": "days"},
}
"""query → dimension → the row key it narrows a list by (``None``: implied by the others);
``period`` narrows the dates to that period, ``platform`` sets the platform."""


def row_of(query: str, metric: str, values: Mapping[str, object]) -> dict[str, str]:
    """The ``--row`` keys that list exactly the count ``query.metric`` of one row of
    ``run_query(query, ...)`` (``values``: that row's dimensions)."""
    if query == "top_posts":
        row = {"post": f"{values['platform']}:{values['post_id']}"}
        return row if metric == "engagements" else {**row, "reaction": metric}
    mapping = _ROW_OF.get(query, {})
    row = {}
    for dimension, value in values.items():
        if value is None or (isinstance(value, float) and pd.isna(value)):
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if dimension == "period":
            row["period"] = str(value)[:10]
        elif mapping.get(dimension):
            row[str(mapping[dimension])] = str(value)
    if query == "loyalty":  # loyalty counts whole months
        row["whole_period"] = "yes"
    return row


def narrow(
    name: str, params: MetricParams, row: Mapping[str, str] | None = None
) -> tuple[MetricParams, dict[str, str]]:
    """``params`` and the list's row keys for ``row``: ``period`` (a period's first day, of
    ``params.by``) narrows the dates to that period within ``params``' own dates,
    ``platform`` sets the platform (``whole_period``: the whole period, not cut to the
    dates); the other keys narrow the list (:data:`ROW_KEYS`)."""
    from datetime import timedelta

    from goodwill.metrics.common import next_month

    keys = dict(row or {})
    platform = keys.pop("platform", None) or params.platform
    since, until = params.since, params.until
    period = keys.pop("period", None)
    whole = keys.pop("whole_period", None) is not None
    if period is not None:
        try:
            start = date.fromisoformat(period[:10])
        except ValueError:
            raise UserInputError(f"period={period!r}: expected YYYY-MM-DD") from None
        if params.by == "month":
            end = next_month(start) - timedelta(days=1)
        else:
            end = start + timedelta(days=0 if params.by == "day" else 6)
        if whole:  # loyalty counts whole months, whatever the dates
            since, until = start, end
        else:
            since = start if since is None else max(since, start)
            until = end if until is None else min(until, end)
    return MetricParams(by=params.by, platform=platform, since=since, until=until), keys


def items_expr(
    name: str, backend: Backend, params: MetricParams, row: Row | None = None
) -> ir.Table | pd.DataFrame:
    """The unexecuted Ibis table of list ``name`` (a pandas frame for the lists computed in
    pandas: ``customers``, ``tier_moves``, ``carrying``)."""
    items = get_items(name)
    row = dict(row or {})
    check_row(items, row)
    if not items.dated:
        params = MetricParams(by=params.by)
    return items.build(backend, params, row)


def items_sql(name: str, backend: Backend, params: MetricParams, row: Row | None = None) -> str:
    """The SQL of list ``name`` (:class:`UserInputError` for a list computed in pandas)."""
    if get_items(name).pandas:
        raise UserInputError(f"{name}: this list is computed in pandas, it has no single SQL query")
    built = items_expr(name, backend, params, row)
    assert not isinstance(built, pd.DataFrame), name
    return str(ibis.to_sql(built))


def run_items(
    name: str, backend: Backend, params: MetricParams, row: Row | None = None
) -> pd.DataFrame:
    """The rows of list ``name`` within ``params`` narrowed by ``row`` (keys of
    :data:`ROW_KEYS` the list takes). A list of people also has ``person`` (the display name)
    and ``person_id`` (the resolved person, ``None`` where the id names none)."""
    items = get_items(name)
    built = items_expr(name, backend, params, row)
    frame = built if isinstance(built, pd.DataFrame) else backend.execute(built)
    frame = frame.reset_index(drop=True)
    if items.person == "conversion":
        frame = _conversion_people(backend, frame)
        names = display_names(backend)
        frame["person"] = [
            (names.get(p) or p) if isinstance(p, str) else None for p in frame["person_id"]
        ]
        return frame
    if items.person is None:
        return frame
    if items.person != "person_id":
        frame = frame.rename(columns={items.person: "person_id"})
    if "platforms" in frame.columns and len(frame) and not isinstance(frame["platforms"][0], str):
        frame["platforms"] = [", ".join(sorted(p)) for p in frame["platforms"]]
    frame = name_people(backend, frame)
    if name in ("relationships", "customers", "tier_moves"):
        first = [c for c in frame.columns if c not in ("person", "person_id")]
        frame = (
            frame[["person", *first, "person_id"]]
            if name != "tier_moves"
            else frame[["period", "person", "from_tier", "to_tier", "person_id"]]
        )
    return frame


def campaign_people(backend: Backend, params: MetricParams, campaign: str) -> set[str]:
    """Persons (``person_links``, as the roster finds them) with an inbound interaction (not
    unfollow) within ``params``' dates on a post of ``campaign`` (on ``params.platform`` when
    given): the People page's campaign filter."""
    from goodwill.metrics.scope import campaign_post_keys

    it = backend.table("interactions")
    it = it.filter(it.direction == "inbound", it.kind != "unfollow")
    it = filter_platform(filter_dates(it, "created_at", params), params)
    keys = campaign_post_keys(backend, campaign)
    it = it.semi_join(keys, [it.platform == keys.cpp, it.post_id == keys.cpid])
    links = backend.table("person_links")
    joined = it.join(
        links, [links.kind == ibis.literal("handle:") + it.platform, links.value == it.actor_handle]
    )
    found = backend.execute(joined.select("person_id").distinct())
    return {str(x) for x in found["person_id"]}


def display_names(backend: Backend) -> dict[str, str]:
    """``person_id → display_name`` of every person of ``people`` (the name may be empty or
    ``None``)."""
    people = backend.table("people")
    frame = backend.execute(people.select("person_id", "display_name"))
    return dict(zip(frame["person_id"], frame["display_name"], strict=True))


def name_people(backend: Backend, frame: pd.DataFrame, column: str = "person_id") -> pd.DataFrame:
    """``person`` (the display name) and ``person_id`` (for a link) of each row's ``column``:
    a person of ``people``, or a metric's ``platform:handle`` person resolved through
    ``person_links``; an unresolved id is shown as it is, with ``person_id`` ``None``."""
    names = display_names(backend)
    links = backend.table("person_links")
    handles = links.filter(links.kind.startswith("handle:"))
    handles = handles.select(
        ref=handles.kind.substr(7) + ibis.literal(":") + handles.value,
        person_id=handles.person_id,
    )
    found = backend.execute(handles)
    by_handle = dict(zip(found["ref"], found["person_id"], strict=True))
    ids: list[str | None] = [
        (p if p in names else by_handle.get(p)) if isinstance(p, str) else None
        for p in frame[column]
    ]
    frame["person"] = [
        ((names.get(i) if i else None) or i or p) if isinstance(p, str) else None
        for p, i in zip(frame[column], ids, strict=True)
    ]
    frame["person_id"] = ids
    return frame
