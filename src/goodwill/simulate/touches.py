"""Exogenous touches: every contact a person has with the brand that does not depend on
whether they already converted.

A touch is either a **social engagement** (an inbound interaction with the brand; no visit) or a
**visit** to the website through one channel:

==================  ===========================================================================
channel             how it arises
==================  ===========================================================================
social_click        a click on a tracked link in a brand post (``0.004 + 0.06 a^2`` per post per
                    active follower-to-be; x1.5 on Bluesky) or on the profile link
social_dark         a direct visit days after a social engagement (4-7 % of engagements): no
                    referrer, sometimes an in-app browser: "dark social"
paid_social         a click on a campaign ad (facebook, instagram, x); 40 % of the ad clicks
                    bought by the budget come from the simulated people
search              a search-engine visit, Poisson ``0.002 + 0.012 a`` per day after arrival
referral            a click from a blog that wrote about the brand (three bursts a year)
direct              a typed-in or bookmarked visit, Poisson ``0.001 + 0.012 a`` per day
==================  ===========================================================================

Each touch carries two uniforms (``u_lead``, ``u_order``) that decide, in
:mod:`goodwill.simulate.journeys`, whether it persuades the person; drawing them here, once,
makes the factual world and the no-intervention counterfactual share every random number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from goodwill.simulate.people import Population
from goodwill.simulate.social import BSKY, Interactions, Posts
from goodwill.simulate.spec import DAY, Calendar

__all__ = [
    "AD_PLATFORMS",
    "BLOGS",
    "CHANNELS",
    "Touches",
    "make_touches",
]

CHANNELS = (
    "baseline",
    "social_engagement",
    "social_click",
    "social_dark",
    "paid_social",
    "email",
    "search",
    "referral",
    "direct",
    "word_of_mouth",
)
ENGAGEMENT, CLICK, DARK, PAID, EMAIL, SEARCH, REFERRAL, DIRECT, WOM = range(1, 10)
AD_PLATFORMS = ("facebook", "instagram", "x")
BLOGS = (
    "https://coffeegeek.example/blog/best-small-roasters",
    "https://www.brewguide.example/reviews/fernhill-coffee-roasters",
    "https://morningcup.example/2026/local-roasters-we-love",
)
CPC = 0.85
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class Touches:
    """Exogenous touches sorted by (person, time); ``bounds[p]:bounds[p+1]`` are person p's."""

    person: I64
    t: I64
    channel: I64
    platform: I64
    """Social platform 0-2 for social touches, else -1."""
    is_visit: npt.NDArray[np.bool_]
    post: I64
    """Post whose tracked link was clicked (-1: none)."""
    detail: I64
    """paid: index into AD_PLATFORMS * 100 + campaign index; referral: blog index; else -1."""
    u_lead: F64
    u_order: F64
    followup_delay: I64
    followup_search: npt.NDArray[np.bool_]
    bounds: I64


def _poisson_visits(
    rng: np.random.Generator, cal: Calendar, pop: Population, rate: F64
) -> tuple[I64, I64]:
    length = cal.days - pop.arrival
    n = rng.poisson(rate * length)
    person = np.repeat(np.arange(pop.n), n)
    day = pop.arrival[person] + (rng.random(len(person)) * length[person]).astype(np.int64)
    t = day * DAY + rng.integers(6 * 3600, 23 * 3600, len(person))
    return person, t.astype(np.int64)


def make_touches(
    rng: np.random.Generator, cal: Calendar, pop: Population, posts: Posts, social: Interactions
) -> Touches:
    cols: dict[str, list[I64]] = {
        k: [] for k in ("person", "t", "channel", "platform", "post", "detail", "visit")
    }

    def add(
        person: I64,
        t: I64,
        channel: int,
        platform: I64 | int = -1,
        post: I64 | int = -1,
        detail: I64 | int = -1,
        visit: bool = True,
    ) -> None:
        m = len(person)
        cols["person"].append(person.astype(np.int64))
        cols["t"].append(t.astype(np.int64))
        cols["channel"].append(np.full(m, channel, np.int64))
        for name, val in (("platform", platform), ("post", post), ("detail", detail)):
            arr = np.full(m, val, np.int64) if isinstance(val, int) else val.astype(np.int64)
            cols[name].append(arr)
        cols["visit"].append(np.full(m, int(visit), np.int64))

    aff = pop.affinity
    # social engagements (and dark-social visits following some of them)
    touch = np.flatnonzero(np.array(social.touch, dtype=bool))
    e_person = np.array(social.person, np.int64)[touch]
    e_t = np.array(social.t, np.int64)[touch]
    e_plat = np.array(social.platform, np.int64)[touch]
    add(e_person, e_t, ENGAGEMENT, e_plat, visit=False)
    kinds = np.array(social.kind, dtype=object)[touch]
    talk = np.isin(kinds, ["share", "reply", "mention", "comment"])
    dark = rng.random(len(touch)) < np.where(talk, 0.07, 0.04)
    d_t = e_t + (rng.exponential(2.0, len(touch)) * DAY).astype(np.int64) + 600
    dark &= d_t < cal.horizon
    add(e_person[dark], d_t[dark], DARK, e_plat[dark])
    # tracked-link clicks
    active_from = pop.arrival
    for p in range(3):
        linked = np.flatnonzero(
            (posts.platform == p)
            & (posts.account == 0)
            & np.array([c is not None for c in posts.link_code])
        )
        if len(linked) == 0:
            continue
        eligible = pop.on_platform[:, p] & ~pop.comp_only
        prob = (0.004 + 0.06 * aff**2) * (1.5 if p == BSKY else 1.0)
        day = posts.t[linked] // DAY
        active = (active_from[:, None] <= day[None, :]) & (day[None, :] < pop.social_end[:, None])
        hit = active & eligible[:, None] & (rng.random((pop.n, len(linked))) < prob[:, None])
        who, which = np.nonzero(hit)
        t = posts.t[linked][which] + rng.lognormal(np.log(5400.0), 1.3, len(who)).astype(np.int64)
        ok = t < cal.horizon
        add(who[ok], t[ok], CLICK, p, linked[which][ok])
        # clicks on the profile link (no tracked code)
        start = np.maximum(pop.arrival, cal.intervention_day if p == BSKY else 0)
        length = np.where(eligible, np.maximum(pop.social_end - start, 0), 0)
        rate = 0.0015 * (0.3 + aff) * (1.3 if p == BSKY else 1.0)
        n = rng.poisson(rate * length)
        who = np.repeat(np.arange(pop.n), n)
        when = (start[who] + rng.random(len(who)) * length[who]) * DAY
        add(who, when.astype(np.int64), CLICK, p)
    # search and direct
    for rate, kind_ch in ((0.002 + 0.012 * aff, SEARCH), (0.001 + 0.012 * aff, DIRECT)):
        who, t = _poisson_visits(rng, cal, pop, rate)
        add(who, t, kind_ch)
    # paid social
    weight = 0.3 + aff
    for ci, camp in enumerate(cal.campaigns):
        for ad_platform, budget in camp.ads:
            days = np.arange(camp.first_day, camp.last_day + 1)
            per_day = budget / 30.0 / CPC * 0.4
            n_d = rng.poisson(per_day, len(days))
            day = np.repeat(days, n_d)
            who = rng.choice(pop.n, len(day), p=weight / weight.sum())
            ok = pop.arrival[who] <= day
            t = day * DAY + rng.integers(6 * 3600, 23 * 3600, len(day))
            det = AD_PLATFORMS.index(ad_platform) * 100 + ci
            add(who[ok], t[ok], PAID, detail=det)
    # blog referrals
    for bi, bday in enumerate(cal.blog_days):
        hit = (rng.random(pop.n) < 0.03 + 0.05 * aff) & (pop.arrival <= bday)
        who = np.flatnonzero(hit)
        t = bday * DAY + (rng.exponential(4.0, len(who)) * DAY).astype(np.int64) + 3600
        ok = t < cal.horizon
        add(who[ok], t[ok], REFERRAL, detail=bi)

    person = np.concatenate(cols["person"])
    t = np.concatenate(cols["t"])
    channel = np.concatenate(cols["channel"])
    order = np.lexsort((channel, t, person))
    m = len(order)
    bounds = np.searchsorted(person[order], np.arange(pop.n + 1)).astype(np.int64)
    return Touches(
        person=person[order],
        t=t[order],
        channel=channel[order],
        platform=np.concatenate(cols["platform"])[order],
        is_visit=np.concatenate(cols["visit"])[order].astype(bool),
        post=np.concatenate(cols["post"])[order],
        detail=np.concatenate(cols["detail"])[order],
        u_lead=rng.random(m),
        u_order=rng.random(m),
        followup_delay=np.minimum(rng.exponential(1.5 * DAY, m), 20 * DAY).astype(np.int64) + 300,
        followup_search=rng.random(m) < 0.3,
        bounds=bounds,
    )
