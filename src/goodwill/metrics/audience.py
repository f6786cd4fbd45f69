"""Audience: how big and how healthy the brand's network is.

Read from ``audience_snapshots`` of the brand's own accounts (``accounts.owner = 'brand'``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis

from goodwill.metrics.common import accounts_of, filter_dates, filter_platform, period_of, ratio
from goodwill.metrics.declarations import Backend, Metric, Query
from goodwill.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["AUDIENCE", "audience"]


def audience(backend: Backend, params: MetricParams) -> ir.Table:
    """Followers, following and growth of the brand's accounts per period and platform.

    For each brand account and period the last snapshot in the period gives the period-end
    counts and the first snapshot the period-start count; these are summed over the brand's
    accounts of each platform. ``net_growth`` and ``growth_rate`` compare with the previous
    period that has snapshots (``lag`` over the periods of each platform). Snapshots after
    ``until`` are ignored; ``since`` only hides earlier periods, so the first period shown
    still compares with the one before it.
    """
    snapshots = backend.table("audience_snapshots")
    brand = accounts_of(backend, "brand")
    snapshots = snapshots.semi_join(
        brand, [snapshots.platform == brand.platform, snapshots.handle == brand.handle]
    )
    snapshots = filter_dates(filter_platform(snapshots, params), "date", params, since=False)
    per_account = snapshots.group_by(
        period=period_of(snapshots.date, params.by),
        platform=snapshots.platform,
        handle=snapshots.handle,
    ).aggregate(
        end_followers=snapshots.followers.argmax(snapshots.date),
        end_following=snapshots.following.argmax(snapshots.date),
        start_followers=snapshots.followers.argmin(snapshots.date),
        last_date=snapshots.date.max(),
    )
    per_platform = per_account.group_by("period", "platform").aggregate(
        followers=per_account.end_followers.sum(),
        following=per_account.end_following.sum(),
        start_followers=per_account.start_followers.sum(),
        last_date=per_account.last_date.max(),
    )
    window = ibis.window(group_by=per_platform.platform, order_by=per_platform.period)
    with_previous = per_platform.mutate(
        previous=per_platform.followers.lag().over(window).coalesce(per_platform.start_followers)
    )
    result = with_previous.select(
        "period",
        "platform",
        "followers",
        "following",
        following_follower_ratio=ratio(with_previous.following, with_previous.followers),
        net_growth=with_previous.followers - with_previous.previous,
        growth_rate=ratio(
            with_previous.followers - with_previous.previous, with_previous.previous
        ),
        last_date=with_previous.last_date,
    )
    if params.since is not None:
        result = result.filter(result.last_date >= ibis.literal(params.since))
    return result.drop("last_date")


AUDIENCE = Query(
    name="audience",
    group="audience",
    description="Followers, following and follower growth of the brand's own accounts.",
    dimensions=("period", "platform"),
    metrics=(
        Metric(
            name="followers",
            unit="count",
            formula="sum over the brand's accounts of followers in each account's last "
            "snapshot of the period",
            description="Size of the brand's audience at the end of the period.",
        ),
        Metric(
            name="following",
            unit="count",
            formula="sum over the brand's accounts of following in each account's last "
            "snapshot of the period",
            description="How many accounts the brand follows at the end of the period.",
        ),
        Metric(
            name="following_follower_ratio",
            unit="ratio",
            formula="following / followers",
            description="Below 1: more people follow the brand than it follows. NULL "
            "without followers.",
        ),
        Metric(
            name="net_growth",
            unit="count",
            formula="followers - followers at the end of the previous period with snapshots; "
            "in the first period: followers - followers in the first snapshot of the period",
            description="Followers gained minus followers lost in the period.",
        ),
        Metric(
            name="growth_rate",
            unit="fraction",
            formula="net_growth / followers at the end of the previous period (first period: "
            "followers in its first snapshot)",
            description="Relative follower growth. NULL when the base is 0.",
        ),
    ),
    build=audience,
    notes="A period appears for a platform when the brand has a snapshot in it; gaps between "
    "snapshots are not filled, so growth compares with the last period that has one. An "
    "account with no snapshot in a period adds nothing to that period's sums. Snapshots "
    "after `until` are ignored; `since` hides periods whose last snapshot is before it "
    "without changing the growth of later periods.",
)
