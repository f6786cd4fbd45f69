"""Posts, tracked links and social interactions of the demo business and its competitors.

* **Posts.** Every account posts a few times a week per platform (Poisson per day, daytime
  hours). Brand posts inside a campaign window carry the campaign; 40 % of brand posts (80 % of
  campaign posts) carry a tracked link (``links.csv``). Bluesky data starts at the intervention.
* **Inbound.** Each person engages with the brand on each of their platforms as a Poisson
  process at rate ``0.003 + 0.3 * affinity**2`` per day (x1.3 on Bluesky) between arrival and
  drifting away: likes, shares, replies, quote comments, mentions and DMs. Likes, shares, replies
  and comments act on a real post, shortly after it was published. People follow (probability
  rising with affinity) and some unfollow later. The same happens for competitors, driven by the
  competitor affinity; competitor-only people never touch the brand.
* **Outbound (care).** The brand answers 86 % of complaints, 78 % of questions and 25 % of
  praise, after a log-normal delay (median ~25 min in opening hours: Mon-Fri 8-20 UTC, Sat
  10-16; outside them it waits for the next opening; 8 % are forgotten for most of a day).
  55 % of answered complaints get a "thanks, sorted" back (resolution).
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from goodwill.simulate.people import Population
from goodwill.simulate.spec import BRAND, COMPETITORS, DAY, SITE, Calendar
from goodwill.simulate.texts import (
    BRAND_REPLIES,
    MESSAGE_TEXTS,
    PRODUCTS,
    RESOLVED_TEXTS,
    TEXTS,
    brand_post_text,
    competitor_post_text,
    fill,
)

__all__ = ["ACCOUNTS", "Interactions", "Posts", "make_interactions", "make_posts"]

ACCOUNTS = (BRAND, *COMPETITORS)
BSKY = 2
I64 = npt.NDArray[np.int64]
_HOURS = np.array(
    [1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 9, 10, 9, 8, 8, 8, 9, 10, 11, 10, 8, 5, 3], float
)
_HOURS /= _HOURS.sum()
_DEST = {
    "holiday-gifts": "/shop/gift-boxes",
    "spring-launch": "/shop/spring-blend",
    "hello-bluesky": "/hello-bluesky",
    "autumn-harvest": "/shop/autumn-harvest",
}


@dataclass(kw_only=True)
class Posts:
    """Posts of all accounts, sorted by (platform, time). Index = position."""

    platform: I64
    t: I64
    account: I64
    campaign: list[str | None]
    link_code: list[str | None]
    text: list[str]
    destination: list[str | None]


@dataclass(kw_only=True)
class Interactions:
    """Social interactions as columns; ids are given when rendered."""

    platform: list[int] = field(default_factory=list)
    t: list[int] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    outbound: list[bool] = field(default_factory=list)
    person: list[int] = field(default_factory=list)
    account: list[int] = field(default_factory=list)
    """Inbound: the account addressed. Outbound: 0 (the brand acts)."""
    post: list[int] = field(default_factory=list)
    reply_to: list[int] = field(default_factory=list)
    """Row this answers (-1: none; -2: the post in ``post``)."""
    text: list[str | None] = field(default_factory=list)
    intent: list[str | None] = field(default_factory=list)
    message: list[str | None] = field(default_factory=list)
    touch: list[bool] = field(default_factory=list)
    """An inbound brand engagement that counts as a social touch for the causal model."""

    def add(self, **row: object) -> int:
        for name, value in row.items():
            getattr(self, name).append(value)
        return len(self.t) - 1

    def __len__(self) -> int:
        return len(self.t)


def _daytime(rng: np.random.Generator, n: int) -> I64:
    hours = rng.choice(24, n, p=_HOURS)
    return (hours * 3600 + rng.integers(0, 3600, n)).astype(np.int64)


def _link_codes(rng: np.random.Generator, n: int) -> list[str]:
    alphabet = string.ascii_letters + string.digits
    taken: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        code = "".join(alphabet[int(i)] for i in rng.integers(0, len(alphabet), 6))
        if code not in taken:
            taken.add(code)
            out.append(code)
    return out


def make_posts(rng: np.random.Generator, cal: Calendar) -> Posts:
    plat_l, t_l, acc_l = [], [], []
    for p in range(3):
        first = cal.intervention_day if p == BSKY else 0
        days = np.arange(first, cal.days, dtype=np.int64)
        for a, account in enumerate(ACCOUNTS):
            counts = rng.poisson(account.posts_per_week[p] / 7.0, len(days))
            d = np.repeat(days, counts)
            secs = rng.integers(7 * 3600, 20 * 3600, len(d))
            plat_l.append(np.full(len(d), p, np.int64))
            t_l.append(d * DAY + secs)
            acc_l.append(np.full(len(d), a, np.int64))
    plat, t, acc = np.concatenate(plat_l), np.concatenate(t_l), np.concatenate(acc_l)
    order = np.lexsort((acc, t, plat))
    plat, t, acc = plat[order], t[order], acc[order]
    n = len(t)
    campaign: list[str | None] = []
    has_link: list[bool] = []
    for i in range(n):
        c = None
        if acc[i] == 0:
            c = cal.campaign_on(int(t[i] // DAY), ("mastodon", "x", "bluesky")[int(plat[i])])
            if c is not None and rng.random() > 0.65:
                c = None
        campaign.append(c)
        has_link.append(bool(acc[i] == 0 and rng.random() < (0.8 if c else 0.4)))
    codes = iter(_link_codes(rng, sum(has_link)))
    link_code: list[str | None] = []
    text: list[str] = []
    destination: list[str | None] = []
    for i in range(n):
        c = campaign[i]
        body = brand_post_text(rng, c) if acc[i] == 0 else competitor_post_text(rng)
        if has_link[i]:
            code = next(codes)
            link_code.append(code)
            slug = PRODUCTS[int(rng.integers(0, 8))].lower().replace(" ", "-").replace("ú", "u")
            destination.append(SITE + (_DEST[c] if c else f"/shop/{slug}"))
            body = f"{body} https://fhl.example/{code}"
        else:
            link_code.append(None)
            destination.append(None)
        text.append(body)
    return Posts(
        platform=plat,
        t=t,
        account=acc,
        campaign=campaign,
        link_code=link_code,
        text=text,
        destination=destination,
    )


def _intent(rng: np.random.Generator, kind: str, affinity: float) -> str:
    if kind == "dm":
        probs = [0.15, 0.5, 0.35, 0.0]
    else:
        praise = 0.3 + 0.35 * affinity
        probs = [praise, 0.18, 0.11, 1.0 - praise - 0.29]
    u, acc = rng.random(), 0.0
    for intent, prob in zip(("praise", "question", "complaint"), probs, strict=False):
        acc += prob
        if u < acc:
            return intent
    return "neutral"


def _engage(
    rng: np.random.Generator,
    cal: Calendar,
    pop: Population,
    posts: Posts,
    out: Interactions,
    platform: int,
    account: int,
) -> None:
    plat_start = cal.intervention_day if platform == BSKY else 0
    kinds: tuple[str, ...]
    if account == 0:
        eligible = pop.on_platform[:, platform] & ~pop.comp_only
        aff = pop.affinity
        rate = (0.003 + 0.3 * aff**2) * (1.3 if platform == BSKY else 1.0)
        kinds = ("like", "share", "reply", "mention", "comment", "dm")
        kind_p = [0.5, 0.13, 0.14, 0.14, 0.05, 0.04]
    else:
        weight = np.where(pop.comp_pref == account - 1, 1.0, 0.35)
        eligible = pop.on_platform[:, platform] & (weight > 0)
        aff = pop.comp_affinity
        rate = (0.002 + 0.22 * aff**2) * weight
        kinds = ("like", "share", "reply", "mention", "comment")
        kind_p = [0.48, 0.12, 0.14, 0.22, 0.04]
    start = np.maximum(pop.arrival, plat_start)
    length = np.where(eligible, np.maximum(pop.social_end - start, 0), 0)
    n_ev = rng.poisson(rate * length)
    person = np.repeat(np.arange(pop.n), n_ev)
    raw = (start[person] + rng.random(len(person)) * length[person]) * DAY
    kind_idx = rng.choice(len(kinds), len(person), p=kind_p)
    mask = (posts.platform == platform) & (posts.account == account)
    post_idx = np.flatnonzero(mask)
    post_t = posts.t[post_idx]
    j = np.clip(np.searchsorted(post_t, raw, side="right") - 1, 0, len(post_t) - 1)
    delay = rng.lognormal(np.log(7200.0), 1.2, len(person)).astype(np.int64)
    on_post = kind_idx <= 2
    on_post |= kind_idx == 4
    t_post = post_t[j] + delay + 30
    t_free = (raw // DAY).astype(np.int64) * DAY + _daytime(rng, len(person))
    t = np.where(on_post, t_post, t_free)
    keep = t < cal.horizon
    handle = "@" + ACCOUNTS[account].handle
    for i in np.flatnonzero(keep).tolist():
        kind = kinds[int(kind_idx[i])]
        p = int(person[i])
        text = intent = message = None
        if kind in ("reply", "mention", "comment", "dm"):
            intent = _intent(rng, kind, float(aff[p]))
            h = handle if rng.random() < 0.9 else handle.title()
            if account == 0 and intent == "praise" and rng.random() < 0.35:
                message = ("ethical-sourcing", "fresh-roast", "friendly-baristas")[
                    int(rng.choice(3, p=[0.45, 0.35, 0.2]))
                ]
                pool = MESSAGE_TEXTS[message]
            else:
                pool = TEXTS[intent]
            text = fill(pool[int(rng.integers(0, len(pool)))], rng, h)
        out.add(
            platform=platform,
            t=int(t[i]),
            kind=kind,
            outbound=False,
            person=p,
            account=account,
            post=int(post_idx[j[i]]) if on_post[i] else -1,
            reply_to=-2 if kind == "reply" else -1,
            text=text,
            intent=intent,
            message=message,
            touch=account == 0,
        )
    # follows and unfollows
    follow_p = 0.2 + 0.6 * aff if account == 0 else 0.1 + 0.5 * aff
    follows = eligible & (length > 0) & (rng.random(pop.n) < follow_p)
    f_t = (start + np.minimum(rng.exponential(20.0, pop.n), np.maximum(length - 1, 0))) * DAY
    f_t = f_t.astype(np.int64) + _daytime(rng, pop.n)
    unf = rng.random(pop.n) < 0.06 + 0.12 * (1.0 - aff)
    u_t = f_t + (rng.exponential(120.0, pop.n) * DAY).astype(np.int64)
    for p in np.flatnonzero(follows).tolist():
        if f_t[p] >= cal.horizon:
            continue
        out.add(
            platform=platform,
            t=int(f_t[p]),
            kind="follow",
            outbound=False,
            person=p,
            account=account,
            post=-1,
            reply_to=-1,
            text=None,
            intent=None,
            message=None,
            touch=account == 0,
        )
        if unf[p] and u_t[p] < cal.horizon:
            out.add(
                platform=platform,
                t=int(u_t[p]),
                kind="unfollow",
                outbound=False,
                person=p,
                account=account,
                post=-1,
                reply_to=-1,
                text=None,
                intent=None,
                message=None,
                touch=False,
            )


def response_delay(rng: np.random.Generator, cal: Calendar, t: int) -> int:
    """Seconds until the brand answers something posted at ``t`` (opening hours, forgetting)."""
    day, sec = divmod(t, DAY)
    weekday = (cal.weekday0 + day) % 7
    hours = {5: (10, 16), 6: None}.get(weekday, (8, 20))
    if hours is not None and hours[0] * 3600 <= sec < hours[1] * 3600:
        wait = 0
        minutes = rng.lognormal(np.log(25.0), 1.0)
    else:
        wait, d = 0, day
        if hours is not None and sec < hours[0] * 3600:
            wait = hours[0] * 3600 - sec
        else:
            while True:
                d += 1
                h = {5: (10, 16), 6: None}.get((cal.weekday0 + d) % 7, (8, 20))
                if h is not None:
                    wait = (d - day) * DAY + h[0] * 3600 - sec
                    break
        minutes = rng.lognormal(np.log(45.0), 0.8)
    if rng.random() < 0.08:
        minutes += rng.lognormal(np.log(18 * 60.0), 0.5)
    return int(wait + minutes * 60) + 30


def _care(rng: np.random.Generator, cal: Calendar, pop: Population, out: Interactions) -> None:
    answer_p = {"complaint": 0.86, "question": 0.78, "praise": 0.25}
    n = len(out)
    for i in range(n):
        intent = out.intent[i]
        if out.account[i] != 0 or out.outbound[i] or intent not in answer_p:
            continue
        if rng.random() >= answer_p[intent]:
            continue
        t = out.t[i] + response_delay(rng, cal, out.t[i])
        if t >= cal.horizon:
            continue
        p, plat = out.person[i], out.platform[i]
        h = "@" + pop.names.handles[p][plat]
        pool = BRAND_REPLIES[intent]
        kind = "dm" if out.kind[i] == "dm" else "reply"
        r = out.add(
            platform=plat,
            t=t,
            kind=kind,
            outbound=True,
            person=p,
            account=0,
            post=-1,
            reply_to=i,
            text=fill(pool[int(rng.integers(0, len(pool)))], rng, h),
            intent=None,
            message=None,
            touch=False,
        )
        if intent == "complaint" and rng.random() < 0.55:
            t2 = t + int(rng.lognormal(np.log(3 * 3600.0), 1.0))
            if t2 < cal.horizon:
                tpl = RESOLVED_TEXTS[int(rng.integers(0, len(RESOLVED_TEXTS)))]
                out.add(
                    platform=plat,
                    t=t2,
                    kind=kind,
                    outbound=False,
                    person=p,
                    account=0,
                    post=-1,
                    reply_to=r,
                    text=fill(tpl, rng, "@" + BRAND.handle),
                    intent="praise",
                    message=None,
                    touch=False,
                )


def make_interactions(
    rng: np.random.Generator, cal: Calendar, pop: Population, posts: Posts
) -> Interactions:
    out = Interactions()
    for platform in range(3):
        for account in range(len(ACCOUNTS)):
            _engage(rng, cal, pop, posts, out, platform, account)
    _care(rng, cal, pop, out)
    return out
