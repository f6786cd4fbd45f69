"""Listening: how much people talk about the brand, and about its competitors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from goodwill.metrics.common import filter_dates, filter_platform, period_of, ratio
from goodwill.metrics.declarations import Backend, Metric, Query
from goodwill.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["LISTENING", "listening", "mentions_of_accounts"]


def mentions_of_accounts(backend: Backend, params: MetricParams) -> ir.Table:
    """Inbound interactions of kind ``mention`` addressed to a brand or competitor account,
    within the filters, with the addressed account's ``owner``."""
    interactions = backend.table("interactions")
    table = backend.table("accounts")
    accounts = table.select(ap=table.platform, ah=table.handle, owner=table.owner)
    mentions = interactions.filter(
        interactions.kind == "mention", interactions.direction == "inbound"
    )
    mentions = filter_dates(filter_platform(mentions, params), "created_at", params)
    return mentions.join(
        accounts,
        [mentions.platform == accounts.ap, mentions.target_handle == accounts.ah],
    ).drop("ap", "ah")


def listening(backend: Backend, params: MetricParams) -> ir.Table:
    """Brand mentions, their unique authors, competitor mentions and share of voice per period
    and platform."""
    mentions = mentions_of_accounts(backend, params)
    is_brand = mentions.owner == "brand"
    per_period = mentions.group_by(
        period=period_of(mentions.created_at, params.by), platform=mentions.platform
    ).aggregate(
        mentions=mentions.count(where=is_brand),
        unique_authors=mentions.actor_handle.nunique(where=is_brand),
        competitor_mentions=mentions.count(where=mentions.owner == "competitor"),
    )
    return per_period.mutate(
        share_of_voice=ratio(
            per_period.mentions, per_period.mentions + per_period.competitor_mentions
        )
    )


LISTENING = Query(
    name="listening",
    group="listening",
    description="Mentions of the brand, who made them, and the brand's share of voice against "
    "its competitors.",
    dimensions=("period", "platform"),
    metrics=(
        Metric(
            name="mentions",
            unit="count",
            formula="count of inbound interactions of kind mention whose target_handle is a "
            "brand account of the platform",
            description="How often people mentioned the brand.",
        ),
        Metric(
            name="unique_authors",
            unit="count",
            formula="count of distinct actor_handle among those mentions",
            description="How many different accounts mentioned the brand (per platform: one "
            "handle, not a resolved person).",
        ),
        Metric(
            name="competitor_mentions",
            unit="count",
            formula="count of inbound interactions of kind mention whose target_handle is a "
            "competitor account of the platform",
            description="How often people mentioned the competitors the brand tracks.",
        ),
        Metric(
            name="share_of_voice",
            unit="fraction",
            formula="mentions / (mentions + competitor_mentions)",
            description="The brand's share of the mentions of the brand and its tracked "
            "competitors. NULL when neither was mentioned.",
        ),
    ),
    build=listening,
    notes="A period appears for a platform when the brand or a competitor was mentioned in it. "
    "Mentions are bucketed and filtered by their `created_at`.",
)
