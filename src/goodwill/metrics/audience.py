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

    For each brand account and period, its last snapshot in the period gives the period-end
    counts; an account without a snapshot in a period keeps its latest earlier one (carried
    forward). Periods are those in which some brand account of the platform has a snapshot.
    Each account's growth is its period-end followers minus those at the end of the previous
    period (in the account's first period: minus its first snapshot); the platform's
    ``net_growth`` is the sum over its accounts, and ``growth_rate`` divides it by the sum of
    the bases. Snapshots after ``until`` are ignored; ``since`` only hides periods without a
    snapshot on or after it, so the first period shown still compares with the one before.
    """
    snapshots = backend.table("audience_snapshots")
    brand = accounts_of(backend, "brand")
    snapshots = snapshots.semi_join(
        brand, [snapshots.platform == brand.platform, snapshots.handle == brand.handle]
    )
    snapshots = filter_dates(filter_platform(snapshots, params), "date", params, since=False)
    # One row per account and period with a snapshot.
    per_account = snapshots.group_by(
        platform=snapshots.platform,
        handle=snapshots.handle,
        period=period_of(snapshots.date, params.by),
    ).aggregate(
        end_followers=snapshots.followers.argmax(snapshots.date),
        end_following=snapshots.following.argmax(snapshots.date),
        start_followers=snapshots.followers.argmin(snapshots.date),
        last_date=snapshots.date.max(),
    )
    # The grid: every period of the platform from each account's first period on.
    periods = per_account.group_by("platform", "period").aggregate(
        last_date=per_account.last_date.max()
    )
    firsts = per_account.group_by(fp=per_account.platform, fh=per_account.handle).aggregate(
        first_period=per_account.period.min()
    )
    grid = periods.join(
        firsts, [periods.platform == firsts.fp, periods.period >= firsts.first_period]
    ).select("platform", "period", "last_date", handle=firsts.fh)
    # Carry each account's latest snapshot forward to the grid's periods.
    known = per_account.select(
        kp=per_account.platform,
        kh=per_account.handle,
        kperiod=per_account.period,
        kfollowers=per_account.end_followers,
        kfollowing=per_account.end_following,
        kstart=per_account.start_followers,
    )
    carried = grid.join(
        known,
        [grid.platform == known.kp, grid.handle == known.kh, known.kperiod <= grid.period],
    )
    carried = carried.group_by("platform", "handle", "period", "last_date").aggregate(
        followers=carried.kfollowers.argmax(carried.kperiod),
        following=carried.kfollowing.argmax(carried.kperiod),
        first_followers=carried.kstart.argmin(carried.kperiod),
    )
    window = ibis.window(group_by=[carried.platform, carried.handle], order_by=carried.period)
    carried = carried.mutate(
        base=carried.followers.lag().over(window).coalesce(carried.first_followers)
    )
    totals = carried.group_by("period", "platform").aggregate(
        followers=carried.followers.sum(),
        following=carried.following.sum(),
        base=carried.base.sum(),
        last_date=carried.last_date.max(),
    )
    if params.since is not None:
        totals = totals.filter(totals.last_date >= ibis.literal(params.since))
    return totals.select(
        "period",
        "platform",
        "followers",
        "following",
        following_follower_ratio=ratio(totals.following, totals.followers),
        net_growth=totals.followers - totals.base,
        growth_rate=ratio(totals.followers - totals.base, totals.base),
    )


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
            "snapshot on or before the period's end",
            description="Size of the brand's audience at the end of the period.",
        ),
        Metric(
            name="following",
            unit="count",
            formula="sum over the brand's accounts of following in each account's last "
            "snapshot on or before the period's end",
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
            formula="sum over the brand's accounts of (followers at the period's end - "
            "followers at the end of the platform's previous period); in an account's first "
            "period the base is its first snapshot",
            description="Followers gained minus followers lost in the period. A newly tracked "
            "account adds its growth, not its whole audience.",
        ),
        Metric(
            name="growth_rate",
            unit="fraction",
            formula="net_growth / sum over the accounts of the same bases",
            description="Relative follower growth. NULL when the base is 0.",
        ),
    ),
    build=audience,
    notes="Periods are those in which some brand account of the platform has a snapshot; an "
    "account without a snapshot in such a period counts with its latest earlier snapshot "
    "(carried forward), from its first snapshot on. The previous period is the platform's "
    "previous period with a snapshot. Snapshots after `until` are ignored; `since` hides "
    "periods without a snapshot on or after it, without changing the growth of later "
    "periods (the base may come from before `since`).",
)
