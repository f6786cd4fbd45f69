"""The rows behind the traffic, care, tracked-link, funnel, loyalty and listening counts
(``/items?metric=``).

Each list is built from the same Ibis expression as the metric that produced the count, with
the same filters, then narrowed to the table row that links to it:

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
* ``needing_answer`` / ``answered`` — :func:`goodwill.metrics.care.care_threads` (as
  ``care.needing_answer`` / ``care.answered``: answered = has a first response), narrowed by
  ``account``.
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
* ``mention_authors`` / ``competitor_mentions`` —
  :func:`goodwill.metrics.listening.mentions_of_accounts` (as ``listening``): one row per
  distinct author of brand mentions; the mentions of competitor accounts.
* ``tier_moves`` — :func:`goodwill.people.tiers.tier_moves` (as the People page's
  ``tier_migration``, which counts it; over all platforms and dates like that table), narrowed
  by ``month`` (the row's ``period``), ``from_tier`` and ``to_tier``.
* ``carrying`` — the brand mentions of
  :func:`goodwill.metrics.alerts.brand_labelled_mentions` that
  :func:`goodwill.text.pullthrough.carried` says carry a key message (as the Listening page's
  ``pullthrough.carrying``, method :data:`PULLTHROUGH_METHOD`), narrowed by ``message``; one
  row per mention and message it carries. The table's ``mentions`` links to
  ``labelled_mentions``: the same brand mentions.

A count that is a sum (``pageviews``; the ``engagement`` table's replies, shares and likes)
links to the rows whose column of the same name sums to it; any other count links to as many
rows as it counts. The ``*_href`` functions make the links from a table row (its ``period``
month, intersected with the page's date filters). :data:`NOT_ITEMS` names the counts that
link to nothing, with the reason.
"""

from __future__ import annotations

from typing import Any

import ibis
import pandas as pd

from goodwill.errors import UserInputError
from goodwill.metrics.common import filter_dates
from goodwill.metrics.scope import campaign_person_months, campaign_visits
from goodwill.metrics.traffic_detail import ENGAGED_PAGEVIEWS
from goodwill.web.dashboard.filters import Filters
from goodwill.web.dashboard.pages_relationships import Ctx, person_href

__all__ = [
    "DETAIL_METRICS",
    "NOT_ITEMS",
    "PULLTHROUGH_METHOD",
    "care_href",
    "clicks_href",
    "detail_intro",
    "detail_items",
    "funnel_days_href",
    "funnel_href",
    "listening_href",
    "loyalty_href",
    "month_filters",
    "post_href",
    "pullthrough_href",
    "tier_moves_href",
    "visits_href",
]

PULLTHROUGH_METHOD = "char-tfidf"
"""The similarity the dashboard's pull-through table and its ``carrying`` lists use (light,
no model download; :mod:`goodwill.text.pullthrough`)."""

_SNAPSHOT = (
    "the platforms' reported audience totals (audience_snapshots): the warehouse holds the "
    "numbers, not the followers behind them"
)
_CREDITED = (
    "credited by the attribution model: fractional model output, not rows; linked to the "
    "models' definitions"
)

NOT_ITEMS: dict[tuple[str, str, str], str] = {
    ("overview", "cards", "followers"): _SNAPSHOT,
    ("overview", "cards", "net_growth"): _SNAPSHOT,
    ("audience", "audience", "followers"): _SNAPSHOT,
    ("audience", "audience", "following"): _SNAPSHOT,
    ("audience", "audience", "net_growth"): _SNAPSHOT,
    ("money", "attribution_intervals", "conversions"): "credited conversions are fractional "
    "model credit, not rows",
    ("money", "roi", "leads"): _CREDITED,
    ("money", "roi", "customers"): _CREDITED,
    ("money", "clv", "purchases"): "the customer's purchase days; the person column links to "
    "the person's page, whose timeline lists the orders",
}
"""``(page, table, column)`` (``table`` is ``"cards"`` for a headline card) → why a count on
that page links to no list of people or items. Every other count (unit ``count`` or
``people``) links to the rows behind it."""

_NOTES = {
    "pageviews": "The visits behind the pageviews: their pageviews column sums to the count "
    "(a visit without a pageview count counts as 1).",
    "engaged_visits": f"Visits with at least {ENGAGED_PAGEVIEWS} pageviews.",
    "visitors": "One row per distinct visitor, with their visits in the filters.",
    "returning_visitors": "One row per visitor with an earlier visit (any date), with their "
    "returning visits in the filters.",
    "social_visits": "Visits from social media (channel social or paid_social).",
    "clickers": "One row per distinct visitor who clicked the link, with their clicks.",
    "link_visits": "Visits the tracked link brought.",
    "link_posts": "Posts carrying the tracked link.",
    "funnel_days": "People whose first lead / first order came that many days after their "
    "first social touch.",
    "people_active": "People who paid attention (one row per person and month).",
    "repeat_interactors": "Regulars: also active in one of the two months before.",
    "new_people": "People paying attention for the first time.",
    "attention": "The inbound interactions that show attention (every kind but unfollow).",
    "mention_authors": "One row per distinct author of brand mentions.",
    "competitor_mentions": "Mentions of the competitors' accounts.",
    "post_reactions": "The replies, shares and likes on the post, whenever they came.",
    "complaints": "Messages labelled as complaints that needed an answer.",
    "resolved": "Answered complaints whose author sent the account no further complaint "
    "within 7 days after the first response.",
    "labelled_mentions": "Brand mentions, replies and comments with a sentiment label.",
    "positive_mentions": "Labelled brand mentions with positive sentiment.",
    "negative_mentions": "Labelled brand mentions with negative sentiment.",
    "customers": "Customers with an order on or before the until date (segment repeat: "
    "purchases on two days or more; churned: no purchase in the 180 days before until); with "
    "a platform or campaign, those acquired with such a touch.",
    "relationships": "People with an inbound interaction (not unfollow) within the dates, on "
    "the platform or the campaign's posts: the ROI table's relationships.",
    "tier_moves": "People whose tier at the end of the month before (none: not seen yet) and "
    "at the end of the month are the ones shown (all platforms and dates: tiers score a "
    "person's whole relationship).",
    "carrying": "Labelled brand mentions similar to the key message (char-tfidf cosine at or "
    "above the threshold), one row per mention and message; not narrowed by campaign.",
}


def detail_intro(metric: str | None) -> str:
    """What the ``/items`` list of ``metric`` shows."""
    note = _NOTES.get(metric or "", "")
    return ("The rows behind the count, within the filters. " + note).strip()


def month_filters(f: Filters, period: object) -> Filters:
    """``since``/``until`` of the row's month within the page's own dates (with ``platform``)."""
    if period is None or (isinstance(period, float) and pd.isna(period)):
        return Filters(platform=f.platform, since=f.since, until=f.until)
    p = f.month_params(pd.Timestamp(period).date().replace(day=1))  # type: ignore[arg-type]
    since = max(d for d in (p.since, f.since) if d is not None)
    until = min(d for d in (p.until, f.until) if d is not None)
    return Filters(platform=f.platform, since=since, until=until)


def visits_href(f: Filters, row: dict[str, Any], metric: str = "visits") -> str:
    """The visits (or visitors, ``metric``) of a ``traffic_detail`` row (month, channel,
    source)."""
    base = month_filters(f, row.get("period")).model_copy(update={"campaign": f.campaign})
    return "/items" + base.query(
        metric=metric, channel=str(row["channel"]), source=str(row["source"])
    )


def care_href(f: Filters, row: dict[str, Any], metric: str) -> str:
    """The threads of a ``care`` row (month, platform, account)."""
    base = month_filters(f, row.get("period")).model_copy(update={"platform": str(row["platform"])})
    return "/items" + base.query(metric=metric, account=str(row["account"]))


def clicks_href(f: Filters, row: dict[str, Any], metric: str = "clicks") -> str:
    """The clicks (clickers, visits, posts: ``metric``) of one tracked link (a
    ``link_clicks`` row) within the page's dates."""
    base = Filters(platform=f.platform, since=f.since, until=f.until)
    return "/items" + base.query(metric=metric, code=str(row["code"]))


def funnel_href(f: Filters, row: dict[str, Any]) -> str:
    """The people at one funnel step within the page's dates and platform."""
    base = Filters(platform=f.platform, since=f.since, until=f.until)
    return "/items" + base.query(metric="funnel", step=str(row["step"]))


def funnel_days_href(f: Filters, row: dict[str, Any]) -> str:
    """The people of a ``funnel_days`` row (milestone, days)."""
    base = Filters(platform=f.platform, since=f.since, until=f.until)
    days = str(int(row["days"]))
    return "/items" + base.query(metric="funnel_days", milestone=str(row["milestone"]), days=days)


def loyalty_href(f: Filters, row: dict[str, Any], metric: str) -> str:
    """The people (or interactions) of a ``loyalty`` row: its whole month, as loyalty counts
    whole months."""
    p = f.month_params(pd.Timestamp(row["period"]).date().replace(day=1))
    return "/items" + Filters(platform=f.platform, since=p.since, until=p.until).query(
        metric=metric
    )


def listening_href(f: Filters, row: dict[str, Any], metric: str) -> str:
    """The authors or competitor mentions of a ``listening`` row (month, platform)."""
    base = month_filters(f, row.get("period")).model_copy(update={"platform": str(row["platform"])})
    return "/items" + base.query(metric=metric)


def post_href(row: dict[str, Any], column: str) -> str:
    """The interactions behind a ``top_posts`` count (``replies``, ``shares``, ``likes``;
    ``engagements``: all three) of one post, whenever they happened (as ``brand_posts``)."""
    reaction = None if column == "engagements" else column
    post = f"{row['platform']}:{row['post_id']}"
    return "/items" + Filters().query(metric="post_reactions", post=post, reaction=reaction)


def tier_moves_href(row: dict[str, Any]) -> str:
    """The people of a ``tier_migration`` row (period, from_tier, to_tier): the table is
    not narrowed by the page's filters, nor is the list."""
    month = f"{pd.Timestamp(row['period']):%Y-%m}"
    return "/items" + Filters(month=month).query(
        metric="tier_moves", from_tier=str(row["from_tier"]), to_tier=str(row["to_tier"])
    )


def pullthrough_href(f: Filters, row: dict[str, Any], column: str) -> str:
    """The brand mentions of a ``pullthrough`` row within the page's platform and dates:
    all labelled ones (``mentions``) or those carrying its message (``carrying``)."""
    base = Filters(platform=f.platform, since=f.since, until=f.until)
    if column == "mentions":
        return "/items" + base.query(metric="labelled_mentions")
    return "/items" + base.query(metric="carrying", message=str(row["message_id"]))


def _names(ctx: Ctx, frame: pd.DataFrame, column: str = "person_id") -> pd.DataFrame:
    """``person`` (the display name) and ``person_id`` (for the link) of each row's
    ``column``: a person of ``people``, or a metric's ``platform:handle`` person resolved
    through ``person_links``; unresolved ids are shown as they are, without a link."""
    names = dict(ctx.wh.query("SELECT person_id, display_name FROM people"))
    handles = dict(
        ctx.wh.query(
            "SELECT substr(kind, 8) || ':' || value, person_id FROM person_links "
            "WHERE kind LIKE 'handle:%'"
        )
    )
    ids = [
        (p if p in names else handles.get(p)) if isinstance(p, str) else None for p in frame[column]
    ]
    frame["person"] = [
        (names.get(i) or i or p) if isinstance(p, str) else None
        for p, i in zip(frame[column], ids, strict=True)
    ]
    frame["person_id"] = ids
    return frame


def _visit_rows(ctx: Ctx) -> Any:
    """:func:`detail_visits` within the filters, narrowed by ``channel`` and ``source``."""
    from goodwill.metrics.traffic_detail import detail_visits

    f, b = ctx.filters, ctx.backend
    v = detail_visits(b, f.params())
    if f.campaign:  # as the traffic page's campaign narrowing (goodwill.metrics.scope)
        v = campaign_visits(b, v, f.campaign)
    if f.channel:
        v = v.filter(v.channel == f.channel)
    if f.source:
        v = v.filter(v.source == f.source)
    if f.metric == "engaged_visits":
        v = v.filter(v.engaged)
    if f.metric == "returning_visitors":
        v = v.filter(v.returning)
    return v


def _visitor_people(ctx: Ctx) -> Any:
    links = ctx.backend.table("person_links")
    return links.filter(links.kind == "visitor").select(pv=links.value, person_id=links.person_id)


def _list_visits(ctx: Ctx, v: Any) -> pd.DataFrame:
    b = ctx.backend
    visits = b.table("visits")
    raw = visits.select(
        rid=visits.visit_id, landing_url=visits.landing_url, referrer=visits.referrer
    )
    owners = _visitor_people(ctx)
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


def _visits(ctx: Ctx) -> pd.DataFrame:
    return _list_visits(ctx, _visit_rows(ctx))


def _social_visits(ctx: Ctx) -> pd.DataFrame:
    from goodwill.metrics.traffic import classified_visits, social_visit

    params = ctx.filters.params()
    v = classified_visits(ctx.backend, params)
    if ctx.filters.campaign:  # as the scorecard's campaign narrowing (goodwill.metrics.scope)
        v = campaign_visits(ctx.backend, v, ctx.filters.campaign)
    return _list_visits(ctx, v.filter(social_visit(v, params)))


def _visitors(ctx: Ctx) -> pd.DataFrame:
    v = _visit_rows(ctx)
    v = v.filter(v.visitor_id.notnull())
    per = v.group_by("visitor_id").aggregate(
        visits=v.count(),
        pageviews=v.pageviews.sum(),
        first_visit=v.started_at.min(),
        last_visit=v.started_at.max(),
    )
    owners = _visitor_people(ctx)
    j = per.left_join(owners, per.visitor_id == owners.pv).drop("pv")
    frame = ctx.backend.execute(
        j.order_by("first_visit", "visitor_id").select(
            "visitor_id", "visits", "pageviews", "first_visit", "last_visit", "person_id"
        )
    )
    return _names(ctx, frame)


def _care(ctx: Ctx) -> pd.DataFrame:
    from goodwill.metrics.care import care_threads

    f, b = ctx.filters, ctx.backend
    t = care_threads(b, f.params())
    if f.metric == "answered":
        t = t.filter(t.first_response_at.notnull())
    if f.metric == "complaints":
        t = t.filter(t.intent == "complaint")
    if f.metric == "resolved":
        t = t.filter(t.resolved)
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


def _tracked_links(ctx: Ctx) -> Any:
    """The links of ``link_clicks`` (``platform``), narrowed by ``campaign`` and ``code``."""
    from goodwill.metrics.traffic_detail import filter_platform_links

    f, b = ctx.filters, ctx.backend
    links = filter_platform_links(b.table("links"), f.params())
    if f.campaign:
        links = links.filter(links.campaign == f.campaign)
    if f.code:
        links = links.filter(links.code == f.code)
    return links


def _click_rows(ctx: Ctx) -> Any:
    b = ctx.backend
    links = _tracked_links(ctx)
    links = links.select(lcode=links.code, platform=links.platform, campaign=links.campaign)
    clicks = filter_dates(b.table("link_clicks"), "clicked_at", ctx.filters.params())
    return clicks.join(links, clicks.code == links.lcode)


def _clicks(ctx: Ctx) -> pd.DataFrame:
    j = _click_rows(ctx)
    frame: pd.DataFrame = ctx.backend.execute(
        j.order_by("clicked_at", "click_id").select(
            "clicked_at", "click_id", "code", "platform", "campaign", "visitor_id", "referrer"
        )
    )
    return frame


def _clickers(ctx: Ctx) -> pd.DataFrame:
    j = _click_rows(ctx)
    j = j.filter(j.visitor_id.notnull())
    per = j.group_by("visitor_id").aggregate(
        clicks=j.count(), first_click=j.clicked_at.min(), last_click=j.clicked_at.max()
    )
    owners = _visitor_people(ctx)
    out = per.left_join(owners, per.visitor_id == owners.pv).drop("pv")
    frame = ctx.backend.execute(
        out.order_by("first_click", "visitor_id").select(
            "visitor_id", "clicks", "first_click", "last_click", "person_id"
        )
    )
    return _names(ctx, frame)


def _link_visits(ctx: Ctx) -> pd.DataFrame:
    from goodwill.metrics.traffic_detail import link_visits

    v = link_visits(ctx.backend, ctx.filters.params())
    links = _tracked_links(ctx)
    v = v.semi_join(links, v.link_code == links.code)
    owners = _visitor_people(ctx)
    j = v.left_join(owners, v.visitor_id == owners.pv)
    frame = ctx.backend.execute(
        j.order_by("started_at", "visit_id").select(
            "started_at", "visit_id", "link_code", "landing_url", "pageviews", "person_id"
        )
    )
    return _names(ctx, frame)


def _link_posts(ctx: Ctx) -> pd.DataFrame:
    from goodwill.metrics.traffic_detail import link_posts

    b = ctx.backend
    links = _tracked_links(ctx)
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
    frame: pd.DataFrame = b.execute(
        j.order_by("post_code", "created_at", "pid").select(
            code=j.post_code, post=j.pid, created_at=j.created_at, handle=j.handle, text=j.text
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


def _funnel_days(ctx: Ctx) -> pd.DataFrame:
    from goodwill.metrics.funnel import milestones

    f, b = ctx.filters, ctx.backend
    m = milestones(b, f.params())
    if f.milestone:
        m = m.filter(m.milestone == f.milestone)
    if f.days is not None:
        m = m.filter(m.days == int(f.days))
    frame = b.execute(
        m.order_by("milestone", "days", "person").select(
            "person", "milestone", "touch_at", "reached_at", "days"
        )
    )
    frame = frame.rename(columns={"person": "person_id"})
    return _names(ctx, frame)


def _loyalty_months(ctx: Ctx, t: Any, column: str) -> Any:
    """``t`` from ``since``'s month on (loyalty counts whole months)."""
    import ibis

    from goodwill.metrics.common import month_start

    since = ctx.filters.since
    return t if since is None else t.filter(t[column] >= ibis.literal(month_start(since)))


def _loyalty_people(ctx: Ctx) -> pd.DataFrame:
    from goodwill.metrics.loyalty import person_months

    f, b = ctx.filters, ctx.backend
    pm = _loyalty_months(ctx, person_months(b, f.params()), "period")
    if f.campaign:  # as the scorecard: people active on the campaign's posts that month
        cpm = campaign_person_months(b, f.params(), f.campaign)
        pm = pm.semi_join(cpm, [pm.person == cpm.cperson, pm.period == cpm.cperiod])
    if f.metric == "repeat_interactors":
        pm = pm.filter(pm.repeat)
    if f.metric == "new_people":
        pm = pm.filter(pm.first)
    frame = b.execute(
        pm.order_by("period", "person").select(
            "period", "person", "interactions", "repeat", "first"
        )
    )
    frame = frame.rename(columns={"person": "person_id"})
    return _names(ctx, frame)


def _attention(ctx: Ctx) -> pd.DataFrame:
    from goodwill.metrics.common import period_of
    from goodwill.metrics.loyalty import attention

    f, b = ctx.filters, ctx.backend
    acts = attention(b, f.params())
    acts = _loyalty_months(ctx, acts.mutate(month=period_of(acts.created_at, "month")), "month")
    frame = b.execute(
        acts.order_by("created_at", "interaction_id").select(
            "created_at", "platform", "kind", "actor_handle", "target_handle", "text", "person"
        )
    )
    frame = frame.rename(columns={"person": "person_id"})
    return _names(ctx, frame)


def _mentions(ctx: Ctx) -> pd.DataFrame:
    from goodwill.metrics.common import person_of
    from goodwill.metrics.listening import mentions_of_accounts

    b = ctx.backend
    m = person_of(b, mentions_of_accounts(b, ctx.filters.params()))
    if ctx.filters.metric == "competitor_mentions":
        m = m.filter(m.owner == "competitor")
        frame = b.execute(
            m.order_by("created_at", "interaction_id").select(
                "created_at", "platform", "actor_handle", "target_handle", "text", "person"
            )
        )
    else:
        m = m.filter(m.owner == "brand")
        per = m.group_by("actor_handle").aggregate(
            mentions=m.count(),
            first_mention=m.created_at.min(),
            last_mention=m.created_at.max(),
            person=m.person.min(),
        )
        frame = b.execute(per.order_by("first_mention", "actor_handle"))
    frame = frame.rename(columns={"person": "person_id"})
    return _names(ctx, frame)


def _labelled(ctx: Ctx) -> pd.DataFrame:
    from goodwill.metrics.common import person_of
    from goodwill.metrics.reputation import labelled_mentions

    f, b = ctx.filters, ctx.backend
    m = labelled_mentions(b, f.params())
    m = m.filter(m.owner == "brand")
    sentiment = {"positive_mentions": "positive", "negative_mentions": "negative"}
    if f.metric in sentiment:
        m = m.filter(m.sentiment == sentiment[f.metric])
    m = person_of(b, m)
    frame = b.execute(
        m.order_by("created_at", "interaction_id").select(
            "created_at", "platform", "kind", "actor_handle", "sentiment", "text", "person"
        )
    )
    frame = frame.rename(columns={"person": "person_id"})
    return _names(ctx, frame)


def _post_reactions(ctx: Ctx) -> pd.DataFrame:
    from goodwill.metrics.common import person_of
    from goodwill.metrics.engagement import post_reactions

    f, b = ctx.filters, ctx.backend
    r = post_reactions(b)
    if f.post:
        platform, _, post_id = f.post.partition(":")
        r = r.filter(r.platform == platform, r.post_id == post_id)
    r = r.filter(r.reaction == f.reaction) if f.reaction else r.filter(r.reaction.notnull())
    r = person_of(b, r)
    frame = b.execute(
        r.order_by("created_at", "interaction_id").select(
            "created_at",
            "platform",
            "post_id",
            "reaction",
            "kind",
            "actor_handle",
            "text",
            "person",
        )
    )
    frame = frame.rename(columns={"person": "person_id"})
    return _names(ctx, frame)


def _customers(ctx: Ctx) -> pd.DataFrame:
    """:func:`goodwill.value.repeat.customer_status` as the Money page's returning-customers
    table computes it (``until``; with a platform or campaign filter, the customers acquired
    with such a touch), narrowed by ``segment``."""
    from goodwill.attribution.journeys import JourneyStore
    from goodwill.value.repeat import customer_status
    from goodwill.web.dashboard.pages_money import acquired_people

    f = ctx.filters
    people = acquired_people(ctx, JourneyStore(ctx.backend))
    if people is not None and not people:
        return pd.DataFrame(columns=["person", "first_order", "last_order", "purchases"])
    frame = customer_status(ctx.backend, f.until, people=people)
    if frame.empty:
        return frame
    if f.segment == "repeat":
        frame = frame[frame["repeat"]]
    elif f.segment == "churned":
        frame = frame[frame["churned"]]
    frame = frame.rename(columns={"person": "person_id"}).reset_index(drop=True)
    return _names(ctx, frame)[
        [
            "person",
            "first_order",
            "last_order",
            "purchases",
            "total_value",
            "repeat",
            "churned",
            "person_id",
        ]
    ]


def _relationships(ctx: Ctx) -> pd.DataFrame:
    """:func:`goodwill.attribution.roi.engagers` within the dates, of the ``platform`` or
    ``campaign`` (an ROI row), one row per person: the ROI table's ``relationships``."""
    from goodwill.attribution.roi import engagers

    f, b = ctx.filters, ctx.backend
    e = engagers(b, since=f.since, until=f.until)
    if f.platform:
        e = e.filter(e.platform == f.platform)
    if f.campaign:
        e = e.filter(e.campaign == f.campaign)
    per = e.group_by("who").aggregate(
        interactions=e.count(),
        platforms=e.platform.collect(distinct=True),
        first=e.created_at.min(),
        last=e.created_at.max(),
    )
    frame = b.execute(per.order_by(ibis.desc("interactions"), "who"))
    frame["platforms"] = [", ".join(sorted(p)) for p in frame["platforms"]]
    frame = frame.rename(columns={"who": "person_id"})
    return _names(ctx, frame)[["person", "platforms", "interactions", "first", "last", "person_id"]]


def _tier_moves(ctx: Ctx) -> pd.DataFrame:
    """:func:`goodwill.people.tiers.tier_moves` of the People page's tier history, narrowed
    by ``month``, ``from_tier`` and ``to_tier``."""
    from goodwill.people import activity
    from goodwill.people.tiers import tier_history, tier_moves

    f = ctx.filters
    moves = tier_moves(tier_history(activity.social_events(ctx.wh), activity.conversions(ctx.wh)))
    if f.month:
        moves = moves[moves["period"] == f.month_date()]
    if f.from_tier:
        moves = moves[moves["from_tier"] == f.from_tier]
    if f.to_tier:
        moves = moves[moves["to_tier"] == f.to_tier]
    frame = _names(ctx, moves.reset_index(drop=True))
    return frame[["period", "person", "from_tier", "to_tier", "person_id"]]


def _carrying(ctx: Ctx) -> pd.DataFrame:
    """The brand mentions carrying each key message (``message``: that one) as the Listening
    page's pull-through counts them."""
    from goodwill.metrics.alerts import brand_labelled_mentions
    from goodwill.text.pullthrough import carried

    f, b = ctx.filters, ctx.backend
    mentions = brand_labelled_mentions(b, f.params()).reset_index(drop=True)
    messages = b.execute(b.table("key_messages"))
    decision = carried(mentions, messages, method=PULLTHROUGH_METHOD)
    columns = ["created_at", "platform", "kind", "actor_handle", "sentiment", "text"]
    frames = [
        mentions.loc[decision.carries[:, j], columns].assign(
            message=str(message_id), similarity=decision.similarity[decision.carries[:, j], j]
        )
        for j, message_id in enumerate(messages["message_id"])
        if f.message is None or str(message_id) == f.message
    ]
    shown = [*columns[:5], "message", "similarity", "text"]
    if not frames:
        frame = pd.DataFrame(columns=shown)
    else:
        frame = pd.concat(frames, ignore_index=True)[shown]
    frame = frame.sort_values(["created_at", "message"], kind="stable").reset_index(drop=True)
    frame["person_id"] = frame["platform"].astype(str) + ":" + frame["actor_handle"].astype(str)
    return _names(ctx, frame)


_BUILDERS = {
    "visits": _visits,
    "pageviews": _visits,
    "engaged_visits": _visits,
    "visitors": _visitors,
    "returning_visitors": _visitors,
    "social_visits": _social_visits,
    "needing_answer": _care,
    "answered": _care,
    "complaints": _care,
    "resolved": _care,
    "clicks": _clicks,
    "clickers": _clickers,
    "link_visits": _link_visits,
    "link_posts": _link_posts,
    "funnel": _funnel,
    "funnel_days": _funnel_days,
    "people_active": _loyalty_people,
    "repeat_interactors": _loyalty_people,
    "new_people": _loyalty_people,
    "attention": _attention,
    "mention_authors": _mentions,
    "competitor_mentions": _mentions,
    "post_reactions": _post_reactions,
    "labelled_mentions": _labelled,
    "positive_mentions": _labelled,
    "negative_mentions": _labelled,
    "customers": _customers,
    "relationships": _relationships,
    "tier_moves": _tier_moves,
    "carrying": _carrying,
}
DETAIL_METRICS = tuple(_BUILDERS)
"""The ``/items?metric=`` lists this module builds (each also in ``filters.ITEM_METRICS``)."""


def detail_items(ctx: Ctx) -> tuple[pd.DataFrame, dict[str, Any]]:
    """``(rows, links)`` of ``ctx.filters.metric`` (one of :data:`DETAIL_METRICS`)."""
    metric = ctx.filters.metric
    build = _BUILDERS.get(metric or "")
    if build is None:
        raise UserInputError(f"metric={metric!r}: use one of {', '.join(DETAIL_METRICS)}")
    frame = build(ctx)
    links = {"person": lambda r: person_href(r.get("person_id"))} if "person" in frame else {}
    return frame, links
