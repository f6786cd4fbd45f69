"""What each resolved person did, read through Ibis: social events, visits, conversions.

Every reader joins the canonical tables with ``person_links`` (written by
:func:`goodwill.people.identity.resolve`) and returns a pandas frame with ``person_id``.
"""

from __future__ import annotations

import ibis
import pandas as pd

from goodwill.warehouse import Warehouse

__all__ = ["conversions", "revenue", "social_events", "visits"]


def _links(wh: Warehouse) -> ibis.expr.types.Table:
    return wh.ibis().table("person_links").select("kind", "value", "person_id")


def social_events(wh: Warehouse) -> pd.DataFrame:
    """``person_id, at, platform, kind, direction, text, interaction_id, sentiment`` of
    interactions with brand accounts: inbound by the person, outbound from the brand to the
    person; ``sentiment`` is ``interaction_labels.sentiment_score`` (NaN when unlabelled)."""
    be = wh.ibis()
    it = be.table("interactions")
    acc = be.table("accounts")
    brand = acc.filter(acc.owner == "brand").select("platform", "handle")
    inbound = it.filter(it.direction == "inbound").semi_join(
        brand, [it.platform == brand.platform, it.target_handle == brand.handle]
    )
    links = _links(wh)
    frames = []
    for part, who in (
        (inbound, "actor_handle"),
        (it.filter(it.direction == "outbound"), "target_handle"),
    ):
        joined = part.join(
            links,
            [links.kind == ibis.literal("handle:") + part.platform, links.value == part[who]],
        )
        frames.append(
            joined.select(
                "person_id",
                at=joined.created_at,
                platform=joined.platform,
                kind=joined.kind,
                direction=joined.direction,
                text=joined.text,
                interaction_id=joined.interaction_id,
            ).to_pandas()
        )
    out: pd.DataFrame = pd.concat(frames, ignore_index=True)
    labels = wh.ibis().table("interaction_labels")
    scores = labels.select(
        "platform", "interaction_id", sentiment=labels.sentiment_score.cast("float64")
    ).to_pandas()
    out = out.merge(scores, on=["platform", "interaction_id"], how="left")
    return out


def visits(wh: Warehouse) -> pd.DataFrame:
    """``person_id, at, visit_id, landing_url, link_code`` of visits by known visitor ids."""
    v = wh.ibis().table("visits")
    links = _links(wh)
    links = links.filter(links.kind == "visitor")
    joined = v.join(links, v.visitor_id == links.value)
    frame: pd.DataFrame = joined.select(
        "person_id",
        at=joined.started_at,
        visit_id=joined.visit_id,
        landing_url=joined.landing_url,
        link_code=joined.link_code,
    ).to_pandas()
    return frame


def conversions(wh: Warehouse) -> pd.DataFrame:
    """``person_id, at, conversion_id, kind, value, referral_code`` of conversions, the person
    found by customer id, then e-mail, then visitor id."""
    c = wh.ibis().table("conversions")
    links = _links(wh)
    frames = []
    for kind, column in (
        ("customer", "customer_id"),
        ("email", "email"),
        ("visitor", "visitor_id"),
    ):
        sub = links.filter(links.kind == kind)
        j = c.join(sub, c[column] == sub.value)
        frames.append(
            j.select(
                "person_id",
                at=j.occurred_at,
                conversion_id=j.conversion_id,
                kind=j.kind,
                value=j.value_reporting.cast("float64"),
                referral_code=j.referral_code,
            ).to_pandas()
        )
    out = pd.concat(frames, ignore_index=True)
    result: pd.DataFrame = out.drop_duplicates("conversion_id", keep="first")
    return result.reset_index(drop=True)


def revenue(conv: pd.DataFrame) -> dict[str, float]:
    """Order revenue (orders minus refunds) per person."""
    if conv.empty:
        return {}
    sign = conv["kind"].map({"order": 1.0, "refund": -1.0}).fillna(0.0)
    total = (conv["value"].fillna(0.0) * sign).groupby(conv["person_id"]).sum()
    return {str(k): float(v) for k, v in total.items()}
