"""What the platform and campaign filters keep, where a metric query has no such parameter.

The metric queries take ``MetricParams.platform``; nothing in them knows a campaign, and
conversions and costs have no platform in the metric queries. These row-level Ibis
expressions say, once, what "of platform P" and "of campaign C" mean for them, for the
scorecard (:mod:`goodwill.metrics.scorecard`) and the dashboard pages:

* **posts of a campaign** — brand posts (:func:`goodwill.metrics.engagement.brand_posts`)
  whose ``campaign`` is C; their engagement is the inbound replies, shares and likes on them;
* **attention on a campaign** — inbound interactions (any kind but unfollow, as
  :func:`goodwill.metrics.loyalty.attention`) whose ``post_id`` is one of the campaign's
  posts (of the same platform);
* **visits of a campaign** — visits whose ``utm_campaign`` is C, or that came through a
  tracked link (``visits.link_code``) whose ``links.campaign`` is C;
* **conversions of a platform or campaign** — conversions whose person (or visitor) had a
  touch from that platform (touch ``source``) or campaign (touch ``campaign``) within
  :data:`LOOKBACK_DAYS` before the conversion: ``occurred_at − 30 days ≤ touch ≤
  occurred_at``. Touches and keys are those of attribution
  (:func:`goodwill.attribution.journeys.touch_rows`: visits with their ``visit_channels``
  source and ``utm_campaign``, and inbound social interactions of identified people with
  their platform and the campaign of the post acted on); a conversion's keys are its
  person's ``person_ref`` (by customer id, then e-mail, then visitor id) and
  ``visitor:<visitor_id>``. Refunds follow the same rule, so revenue of P is the touched
  orders minus the touched refunds;
* **costs of a platform or campaign** — costs whose ``platform`` / ``campaign`` column is P /
  C; shared costs without one (staff, tools) are left out.

:func:`campaign_engagement`, :func:`campaign_top_posts` and :func:`campaign_traffic_detail`
give the ``engagement``, ``top_posts`` and ``traffic_detail`` queries' rows over a campaign's
posts / visits, for the dashboard pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis

from goodwill.errors import UserInputError
from goodwill.metrics.declarations import Backend
from goodwill.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "LOOKBACK_DAYS",
    "campaign_attention",
    "campaign_choices",
    "campaign_engagement",
    "campaign_person_months",
    "campaign_post_keys",
    "campaign_posts",
    "campaign_top_posts",
    "campaign_traffic_detail",
    "campaign_visit_ids",
    "campaign_visits",
    "check_campaign",
    "check_platform",
    "conversion_keys",
    "costs_of",
    "platform_choices",
    "touched_conversions",
]

LOOKBACK_DAYS = 30
"""A conversion belongs to a platform or campaign with a touch from it this many days before."""


def platform_choices(backend: Backend) -> list[str]:
    """Every platform in the data — of accounts, posts, post stats and interactions (a page
    export may bring posts of a platform with no account row): what a platform filter
    accepts."""
    parts = [
        backend.table(name).select("platform").distinct()
        for name in ("accounts", "posts", "post_stats", "interactions")
    ]
    union = parts[0]
    for part in parts[1:]:
        union = union.union(part)
    values = backend.execute(union)["platform"]
    return sorted({str(v).lower() for v in values if v is not None})


def campaign_choices(backend: Backend) -> list[str]:
    """The campaigns named by posts, tracked links or costs: what a campaign filter accepts."""
    named = [backend.table(name).select("campaign") for name in ("posts", "links", "costs")]
    values = backend.execute(named[0].union(named[1]).union(named[2]))["campaign"]
    return sorted({str(v) for v in values if v is not None})


def check_platform(backend: Backend, value: str, label: str) -> str:
    """``value`` lowercased if it is one of :func:`platform_choices`; else a
    :class:`UserInputError` naming it (``label``: ``--platform `` or ``platform=``) and the
    valid platforms."""
    known = platform_choices(backend)
    platform = value.strip().lower()
    if platform not in known:
        raise UserInputError(
            f"{label}{value!r}: not a platform of this warehouse; use one of "
            f"{', '.join(known) or '(none imported)'}"
        )
    return platform


def check_campaign(backend: Backend, value: str, label: str) -> str:
    """``value`` if it is one of :func:`campaign_choices`; else a :class:`UserInputError`
    naming it and the valid campaigns (the first 20)."""
    known = campaign_choices(backend)
    if value not in known:
        shown = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
        raise UserInputError(
            f"{label}{value!r}: no such campaign; use one of {shown or '(none imported)'}"
        )
    return value


def campaign_posts(backend: Backend, params: MetricParams, campaign: str) -> ir.Table:
    """Brand posts of ``campaign`` within the filters, with their ``replies``, ``shares``,
    ``likes`` and ``engagements`` (as :func:`~goodwill.metrics.engagement.brand_posts`)."""
    from goodwill.metrics.engagement import brand_posts

    posts = brand_posts(backend, params)
    return posts.filter(posts.campaign == ibis.literal(campaign))


def campaign_post_keys(backend: Backend, campaign: str) -> ir.Table:
    """``(cpp, cpid)``: platform and post id of every post of ``campaign`` (any date)."""
    posts = backend.table("posts")
    posts = posts.filter(posts.campaign == ibis.literal(campaign))
    return posts.select(cpp=posts.platform, cpid=posts.post_id)


def campaign_attention(backend: Backend, params: MetricParams, campaign: str) -> ir.Table:
    """:func:`goodwill.metrics.loyalty.attention` rows (with ``person``) on a post of
    ``campaign``."""
    from goodwill.metrics.loyalty import attention

    acts = attention(backend, params)
    keys = campaign_post_keys(backend, campaign)
    return acts.semi_join(keys, [acts.platform == keys.cpp, acts.post_id == keys.cpid])


def campaign_person_months(backend: Backend, params: MetricParams, campaign: str) -> ir.Table:
    """``(cperson, cperiod)``: each person and month (first day) with attention on a post of
    ``campaign`` (:func:`campaign_attention`; months as loyalty reads them: up to ``until``'s
    month, all months before, ``since`` not applied)."""
    from goodwill.metrics.common import period_of

    acts = campaign_attention(backend, params, campaign)
    return acts.select(cperson=acts.person, cperiod=period_of(acts.created_at, "month")).distinct()


def campaign_visit_ids(backend: Backend, campaign: str) -> ir.Table:
    """``(cvid)``: the ids of the visits of ``campaign``: ``utm_campaign`` is it, or the
    visit's tracked link (``link_code``) belongs to it (``links.campaign``)."""
    raw = backend.table("visits")
    links = backend.table("links")
    links = links.filter(links.campaign == ibis.literal(campaign)).select(lcode=links.code)
    ids = raw.filter((raw.utm_campaign == ibis.literal(campaign)) | raw.link_code.isin(links.lcode))
    return ids.select(cvid=ids.visit_id)


def campaign_visits(backend: Backend, visits: ir.Table, campaign: str) -> ir.Table:
    """``visits`` (any table with ``visit_id``) of ``campaign`` (:func:`campaign_visit_ids`)."""
    ids = campaign_visit_ids(backend, campaign)
    return visits.semi_join(ids, visits.visit_id == ids.cvid)


def conversion_keys(backend: Backend, conversions: ir.Table) -> ir.Table:
    """``(kconv, key)``: each conversion's person key (``person_ref`` by customer id, then
    e-mail, then visitor id) and its visitor key ``visitor:<visitor_id>``, as attribution
    matches them to touches."""
    ids = backend.table("identities")
    ids = ids.select(kind=ids.kind, value=ids.value, person=ids.person_ref)
    cust = ids.filter(ids.kind == "customer").select(k1=ids.value, p1=ids.person)
    mail = ids.filter(ids.kind == "email").select(k2=ids.value, p2=ids.person)
    vis = ids.filter(ids.kind == "visitor").select(k3=ids.value, p3=ids.person)
    c = conversions.select("conversion_id", "customer_id", "email", "visitor_id")
    c = c.left_join(cust, c.customer_id == cust.k1)
    c = c.left_join(mail, c.email == mail.k2)
    c = c.left_join(vis, c.visitor_id == vis.k3)
    person = c.select(kconv=c.conversion_id, key=c.p1.coalesce(c.p2, c.p3))
    visitor = c.select(kconv=c.conversion_id, key=ibis.literal("visitor:").concat(c.visitor_id))
    keys = person.union(visitor, distinct=True)
    return keys.filter(keys.key.notnull())


def touched_conversions(
    backend: Backend,
    conversions: ir.Table,
    *,
    platform: str | None = None,
    campaign: str | None = None,
) -> ir.Table:
    """``conversions`` (rows of the ``conversions`` table) with a touch from ``platform``
    (touch source) and, when given, one of ``campaign`` within :data:`LOOKBACK_DAYS` before
    (module docstring); both ``None``: ``conversions`` unchanged."""
    from goodwill.attribution.journeys import touch_rows

    lookback = ibis.interval(days=LOOKBACK_DAYS)
    for by, value in (("source", platform), ("campaign", campaign)):
        if value is None:
            continue
        touches = touch_rows(backend, by)
        touches = touches.filter(touches.label == ibis.literal(value))
        keys = conversion_keys(backend, conversions)
        when = conversions.select(wconv=conversions.conversion_id, wat=conversions.occurred_at)
        keys = keys.join(when, keys.kconv == when.wconv)
        hit = keys.join(touches, keys.key == touches.key)
        hit = hit.filter((hit.ts <= hit.wat) & (hit.ts >= hit.wat - lookback))
        ids = hit.select(hconv=hit.kconv).distinct()
        conversions = conversions.semi_join(ids, conversions.conversion_id == ids.hconv)
    return conversions


def costs_of(
    backend: Backend, *, platform: str | None = None, campaign: str | None = None
) -> ir.Table:
    """The ``costs`` rows of ``platform`` and ``campaign`` (their columns equal to them)."""
    costs = backend.table("costs")
    if platform is not None:
        costs = costs.filter(costs.platform == ibis.literal(platform))
    if campaign is not None:
        costs = costs.filter(costs.campaign == ibis.literal(campaign))
    return costs


def campaign_engagement(backend: Backend, params: MetricParams, campaign: str) -> ir.Table:
    """The ``engagement`` query's columns (per period and platform) over the posts of
    ``campaign`` only: posts, the replies, shares and likes on them, the three rates and
    ``engagement_rate`` (followers as in the engagement query)."""
    from goodwill.metrics.engagement import engagement_of

    posts = campaign_posts(backend, params, campaign)
    return engagement_of(backend, params, posts).order_by("period", "platform")


def campaign_top_posts(backend: Backend, params: MetricParams, campaign: str) -> ir.Table:
    """The ``top_posts`` query's rows ranked among the posts of ``campaign`` only."""
    from goodwill.metrics.engagement import rank_posts

    return rank_posts(campaign_posts(backend, params, campaign)).order_by("rank")


def campaign_traffic_detail(backend: Backend, params: MetricParams, campaign: str) -> ir.Table:
    """The ``traffic_detail`` query's rows over the visits of ``campaign`` only
    (:func:`campaign_visit_ids`)."""
    from goodwill.metrics.common import period_of
    from goodwill.metrics.traffic_detail import detail_visits

    v = campaign_visits(backend, detail_visits(backend, params), campaign)
    return v.group_by(
        period=period_of(v.started_at, params.by), channel=v.channel, source=v.source
    ).aggregate(
        visits=v.count(),
        visitors=v.visitor_id.nunique(),
        pageviews=v.pageviews.sum(),
        engaged_visits=v.count(where=v.engaged),
        returning_visitors=v.visitor_id.nunique(where=v.returning),
    )
