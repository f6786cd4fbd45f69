"""Daily follower and following counts of every tracked account.

A snapshot is taken at 00:00 UTC each day: the starting count, plus the simulated people's
follows minus their unfollows before that day, plus a background drift of followers from outside
the simulated population (Poisson in and out). Bluesky accounts are tracked from the
intervention date; the brand's starts there with 0 followers and 0 following, then follows a
few dozen accounts in its first week.
"""

from __future__ import annotations

import numpy as np

from goodwill.simulate.social import ACCOUNTS, BSKY, Interactions
from goodwill.simulate.social_rows import Row
from goodwill.simulate.spec import DAY, SOCIAL_PLATFORMS, Calendar

__all__ = ["make_snapshots"]

_DRIFT_IN = (1.0, 1.6, 1.2)
_DRIFT_OUT = (0.6, 1.3, 0.4)


def make_snapshots(rng: np.random.Generator, cal: Calendar, social: Interactions) -> list[Row]:
    plat = np.array(social.platform, np.int64)
    acc = np.array(social.account, np.int64)
    day = np.array(social.t, np.int64) // DAY
    kind = np.array(social.kind, dtype=object)
    inbound = ~np.array(social.outbound, dtype=bool)
    rows: list[Row] = []
    for p in range(3):
        first = cal.intervention_day if p == BSKY else 0
        n = cal.days - first
        for a, account in enumerate(ACCOUNTS):
            sel = inbound & (plat == p) & (acc == a)
            net = np.zeros(cal.days + 1, np.int64)
            np.add.at(net, day[sel & (kind == "follow")] + 1, 1)
            np.add.at(net, day[sel & (kind == "unfollow")] + 1, -1)
            scale = max(account.initial_followers[p], 800) / 800.0
            boost = np.where(np.arange(n) < 60, 2.0, 1.0) if p == BSKY and a == 0 else 1.0
            drift = rng.poisson(_DRIFT_IN[p] * scale * boost, n) - rng.poisson(
                _DRIFT_OUT[p] * scale, n
            )
            drift = np.concatenate([[0], drift[:-1]])
            followers = (
                account.initial_followers[p] + np.cumsum(net[first : cal.days]) + np.cumsum(drift)
            )
            followers = np.maximum(followers, 0)
            follow_adds = rng.poisson(0.15, n)
            if p == BSKY and a == 0:
                follow_adds[1:8] += rng.poisson(6.0, 7)
            follow_adds[0] = 0
            following = account.initial_following[p] + np.cumsum(follow_adds)
            for k in range(n):
                rows.append(
                    {
                        "platform": SOCIAL_PLATFORMS[p],
                        "handle": account.handle,
                        "date": cal.date_of(first + k).isoformat(),
                        "followers": str(int(followers[k])),
                        "following": str(int(following[k])),
                    }
                )
    return rows
