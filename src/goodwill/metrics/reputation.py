"""Reputation: how people talk about the brand — net sentiment, its trend, and share of voice
weighted by sentiment against the tracked competitors. Ibis only.

Mentions here are inbound ``mention``, ``reply`` and ``comment`` interactions addressed to a
brand or competitor account that carry a label in ``interaction_labels`` (run
``goodwill enrich-labels``).

* net sentiment = (positive − negative) / (positive + negative), −1 … 1, NULL without any
  positive or negative mention;
* trend = net sentiment − net sentiment of the platform's previous period that had mentions;
* sentiment-weighted share of voice: each mention weighs ``w = (1 + sentiment_score) / 2``
  (1 for a fully positive mention, 0 for a fully negative one);
  ``Σ_brand w / Σ_(brand + competitors) w``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis

from goodwill.metrics.common import filter_dates, filter_platform, period_of, ratio
from goodwill.metrics.declarations import Backend, Metric, Query
from goodwill.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["REPUTATION", "labelled_mentions", "reputation"]

TALK_KINDS = ("mention", "reply", "comment")


def labelled_mentions(backend: Backend, params: MetricParams) -> ir.Table:
    """Labelled inbound mentions of brand and competitor accounts, with ``owner``,
    ``sentiment``, ``sentiment_score`` and ``intent``."""
    interactions = backend.table("interactions")
    accounts = backend.table("accounts")
    acc = accounts.select(ap=accounts.platform, ah=accounts.handle, owner=accounts.owner)
    talk = interactions.filter(
        interactions.direction == "inbound", interactions.kind.isin(TALK_KINDS)
    )
    talk = filter_dates(filter_platform(talk, params), "created_at", params)
    talk = talk.join(acc, [talk.platform == acc.ap, talk.target_handle == acc.ah]).drop("ap", "ah")
    labels = backend.table("interaction_labels")
    lab = labels.select(
        lp=labels.platform,
        lid=labels.interaction_id,
        sentiment=labels.sentiment,
        sentiment_score=labels.sentiment_score.cast("float64"),
        intent=labels.intent,
    )
    return talk.join(lab, [talk.platform == lab.lp, talk.interaction_id == lab.lid]).drop(
        "lp", "lid"
    )


def reputation(backend: Backend, params: MetricParams) -> ir.Table:
    """Net sentiment, its trend and sentiment-weighted share of voice per period and platform."""
    m = labelled_mentions(backend, params)
    brand = m.owner == "brand"
    weight = (m.sentiment_score + 1.0) / 2.0
    per = m.group_by(period=period_of(m.created_at, params.by), platform=m.platform).aggregate(
        mentions=m.count(where=brand),
        positive=m.count(where=brand & (m.sentiment == "positive")),
        negative=m.count(where=brand & (m.sentiment == "negative")),
        brand_weight=weight.sum(where=brand),
        all_weight=weight.sum(),
    )
    per = per.mutate(net_sentiment=ratio(per.positive - per.negative, per.positive + per.negative))
    window = ibis.window(group_by=per.platform, order_by=per.period)
    per = per.mutate(net_sentiment_change=per.net_sentiment - per.net_sentiment.lag().over(window))
    return per.mutate(
        weighted_share_of_voice=ratio(per.brand_weight.fill_null(0.0), per.all_weight)
    ).drop("brand_weight", "all_weight")


REPUTATION = Query(
    name="reputation",
    group="listening",
    description="Net sentiment of what people say to the brand, its trend, and share of voice "
    "weighted by sentiment against the competitors.",
    dimensions=("period", "platform"),
    metrics=(
        Metric(
            name="mentions",
            unit="count",
            formula="labelled inbound mentions/replies/comments addressed to a brand account",
            description="How many labelled messages people sent the brand.",
        ),
        Metric(
            name="positive",
            unit="count",
            formula="those labelled positive",
            description="Positive messages.",
        ),
        Metric(
            name="negative",
            unit="count",
            formula="those labelled negative",
            description="Negative messages.",
        ),
        Metric(
            name="net_sentiment",
            unit="ratio",
            formula="(positive − negative) / (positive + negative)",
            description="−1 (all negative) … 1 (all positive); NULL without any.",
        ),
        Metric(
            name="net_sentiment_change",
            unit="ratio",
            formula="net_sentiment − net_sentiment of the platform's previous row (period)",
            description="The trend: up is better. NULL for the first period.",
        ),
        Metric(
            name="weighted_share_of_voice",
            unit="fraction",
            formula="Σ_brand w / Σ_(brand + competitors) w, with w = (1 + sentiment_score) / 2 "
            "per mention",
            description="Share of voice where a positive mention counts fully and a negative "
            "one not at all.",
        ),
    ),
    build=reputation,
    notes="Only labelled messages count: run `goodwill enrich-labels` after importing. The "
    "previous period is the platform's previous row, which may be more than one period back "
    "when a period had no mentions.",
)
