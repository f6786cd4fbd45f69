"""Website visits as a web-analytics export would show them.

People's visits come from the factual world (:mod:`goodwill.simulate.journeys`); each is shown
the way its channel looks in a log: tracked-link clicks land with ``utm_*`` and the link code
(the platform's referrer is often stripped by apps), dark-social and direct visits have no
referrer (mobile dark-social visits often come from an in-app browser: Instagram, FBAN/FBIOS,
LinkedInApp), search visits come from Google/DuckDuckGo/Bing, e-mail clicks carry
``utm_medium=email``, ads carry ``utm_medium=paid_social`` or ``cpc`` and a click id.

On top come **background visits** from anonymous people outside the simulated population
(search, direct, blogs, other social sites, 60 % of the ad clicks), about 52 a day with a weekly
pattern, a slow trend and a holiday bump. They never convert and do not react to the
intervention, so they are a clean control series. About 2.5 % of all visits are **bots**
(Googlebot, bingbot, AhrefsBot, scripts), which metrics must filter out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from goodwill.simulate.clock import Clock
from goodwill.simulate.journeys import REPEAT, World
from goodwill.simulate.people import Population
from goodwill.simulate.social import Posts
from goodwill.simulate.social_rows import Row
from goodwill.simulate.spec import DAY, SITE, SOCIAL_PLATFORMS, Calendar
from goodwill.simulate.texts import BOT_AGENTS, DESKTOP_AGENTS, INAPP_AGENTS, MOBILE_AGENTS
from goodwill.simulate.touches import (
    AD_PLATFORMS,
    BLOGS,
    CLICK,
    CPC,
    DARK,
    DIRECT,
    EMAIL,
    PAID,
    REFERRAL,
    SEARCH,
    WOM,
    Touches,
)

__all__ = ["VisitRows", "render_visits"]

PAGES = (
    "/",
    "/",
    "/shop",
    "/shop/house-espresso",
    "/about",
    "/blog/brew-guide",
    "/cafe",
    "/subscriptions",
    "/shop/decaf-swiss-water",
)
SEARCH_REFERRERS = (
    ("https://www.google.com/", 0.8),
    ("https://duckduckgo.com/", 0.1),
    ("https://www.bing.com/", 0.1),
)
OTHER_SOCIAL = (
    "https://www.reddit.com/r/coffee/",
    "https://l.facebook.com/",
    "https://www.linkedin.com/",
    "https://l.instagram.com/",
)
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_MOBILE_P = {
    CLICK: 0.75,
    DARK: 0.7,
    PAID: 0.8,
    EMAIL: 0.5,
    SEARCH: 0.45,
    DIRECT: 0.5,
    WOM: 0.8,
    REFERRAL: 0.5,
}


@dataclass(frozen=True, kw_only=True)
class VisitRows:
    rows: list[Row]
    """All visits with ids, sorted by time."""
    person_visitor: list[str]
    """Visitor id of each factual-world visit (by world visit index)."""
    person_visit_id: list[str]
    background_per_day: npt.NDArray[np.int64]
    """Non-bot background visits per day (the part identical in both worlds)."""
    bots: int


class _Shape:
    """Shared state while rendering."""

    def __init__(self, rng: np.random.Generator, cal: Calendar, clock: Clock) -> None:
        self.rng, self.cal, self.clock = rng, cal, clock

    def pick(self, seq: tuple[str, ...]) -> str:
        return seq[int(self.rng.integers(0, len(seq)))]

    def tco(self) -> str:
        return "https://t.co/" + self.token(10)

    def token(self, n: int) -> str:
        return "".join(_ALNUM[i] for i in self.rng.integers(0, len(_ALNUM), n).tolist())

    def search_ref(self) -> str:
        u = self.rng.random()
        acc = 0.0
        for url, w in SEARCH_REFERRERS:
            acc += w
            if u < acc:
                return url
        return SEARCH_REFERRERS[0][0]

    def row(
        self,
        t: int,
        visitor: str,
        landing: str,
        referrer: str | None,
        agent: str,
        utm: tuple[str, str, str, str | None] | None = None,
        link_code: str | None = None,
        pageviews: int | None = None,
    ) -> Row:
        style = "naive" if self.rng.random() < 0.85 else "Z"
        cols = utm is not None and self.rng.random() < 0.5
        return {
            "visit_id": None,
            "started_at": self.clock.iso(t, style),
            "visitor_id": visitor,
            "landing_url": landing,
            "referrer": referrer,
            "utm_source": utm[0] if cols and utm else None,
            "utm_medium": utm[1] if cols and utm else None,
            "utm_campaign": utm[2] if cols and utm else None,
            "utm_content": utm[3] if cols and utm else None,
            "pageviews": str(pageviews if pageviews else int(self.rng.geometric(0.45))),
            "link_code": link_code,
            "user_agent": agent,
        }


def _tagged(url: str, utm: tuple[str, str, str, str | None], extra: str = "") -> str:
    q = f"utm_source={utm[0]}&utm_medium={utm[1]}&utm_campaign={utm[2]}"
    if utm[3]:
        q += f"&utm_content={utm[3]}"
    return f"{url}?{q}{extra}"


def _ad(shape: _Shape, t: int, visitor: str, mobile: bool, agent: str, detail: int) -> Row:
    ad_platform = AD_PLATFORMS[detail // 100]
    campaign = shape.cal.campaigns[detail % 100].name
    medium = "cpc" if ad_platform == "x" else "paid_social"
    utm = (ad_platform, medium, campaign, None)
    click = shape.token(16)
    extra = f"&twclid={click}" if ad_platform == "x" else f"&fbclid={click}"
    referrer = (
        (shape.tco() if ad_platform == "x" else f"https://l.{ad_platform}.com/")
        if shape.rng.random() < 0.5
        else None
    )
    if mobile and ad_platform != "x" and shape.rng.random() < 0.7:
        agent = INAPP_AGENTS[0] if ad_platform == "instagram" else INAPP_AGENTS[1]
    return shape.row(t, visitor, _tagged(SITE + "/shop", utm, extra), referrer, agent, utm)


def render_visits(
    rng: np.random.Generator,
    cal: Calendar,
    clock: Clock,
    pop: Population,
    posts: Posts,
    touches: Touches,
    world: World,
) -> VisitRows:
    shape = _Shape(rng, cal, clock)
    rows: list[tuple[int, Row]] = []
    person_visitor: list[str] = []
    codes = pop.names.referral_codes
    for k in range(len(world.v_t)):
        p, t, ch = world.v_person[k], world.v_t[k], world.v_channel[k]
        root, touch = world.v_root[k], world.v_touch[k]
        mobile = bool(rng.random() < _MOBILE_P.get(ch, 0.5))
        devs = pop.mobile[p]
        d = devs.index(mobile) if mobile in devs else 0
        visitor = pop.visitor_ids[p][d]
        agent = (MOBILE_AGENTS if devs[d] else DESKTOP_AGENTS)[pop.agent[p][d]]
        page = SITE + shape.pick(PAGES)
        person_visitor.append(visitor)
        if ch == CLICK and root >= 0:
            plat = SOCIAL_PLATFORMS[root]
            post = int(touches.post[touch]) if touch >= 0 else -1
            instance = pop.names.handles[p][0].partition("@")[2]
            if post >= 0:
                code = posts.link_code[post]
                utm = (plat, "social", posts.campaign[post] or "always-on", code)
                ref = (f"https://{instance}/", shape.tco(), "https://bsky.app/")[root]
                row = shape.row(
                    t,
                    visitor,
                    _tagged(posts.destination[post] or SITE, utm),
                    ref if rng.random() < 0.55 else None,
                    agent,
                    utm,
                    code,
                )
            else:
                ref = (
                    f"https://{instance}/@fernhill",
                    shape.tco(),
                    "https://bsky.app/profile/fernhill.bsky.social",
                )[root]
                row = shape.row(t, visitor, SITE + "/", ref, agent)
        elif ch == PAID:
            row = _ad(shape, t, visitor, devs[d], agent, int(touches.detail[touch]))
        elif ch == SEARCH:
            row = shape.row(t, visitor, page, shape.search_ref(), agent)
        elif ch == EMAIL and world.v_source[k] == REPEAT:
            utm = ("crm", "email", "reorder-reminder", None)
            row = shape.row(t, visitor, _tagged(SITE + "/account/reorder", utm), None, agent, utm)
        elif ch == EMAIL:
            day = cal.date_of(cal.newsletters[world.v_extra[k]] // DAY)
            utm = ("newsletter", "email", f"newsletter-{day.isoformat()}", None)
            row = shape.row(t, visitor, _tagged(SITE + "/shop", utm), None, agent, utm)
        elif ch == REFERRAL:
            row = shape.row(t, visitor, SITE + "/", BLOGS[int(touches.detail[touch])], agent)
        elif ch == WOM:
            row = shape.row(t, visitor, f"{SITE}/?ref={codes[world.v_extra[k]]}", None, agent)
        else:  # direct, dark social, follow-ups
            dark = root >= 0
            if dark and devs[d] and rng.random() < 0.35:
                agent = shape.pick(INAPP_AGENTS)
            row = shape.row(t, visitor, page, None, agent)
        rows.append((t, row))
    bg = _background(shape, rows, set(v for vs in pop.visitor_ids for v in vs))
    order = sorted(range(len(rows)), key=lambda i: (rows[i][0], i))
    person_visit_id = [""] * len(world.v_t)
    out: list[Row] = []
    for n, i in enumerate(order):
        row = rows[i][1]
        row["visit_id"] = f"v{n + 1:08d}"
        if i < len(person_visit_id):
            person_visit_id[i] = row["visit_id"] or ""
        out.append(row)
    return VisitRows(
        rows=out,
        person_visitor=person_visitor,
        person_visit_id=person_visit_id,
        background_per_day=bg[0],
        bots=bg[1],
    )


def _background(
    shape: _Shape, rows: list[tuple[int, Row]], taken: set[str]
) -> tuple[npt.NDArray[np.int64], int]:
    rng, cal = shape.rng, shape.cal
    days = np.arange(cal.days)
    weekday = (cal.weekday0 + days) % 7
    level = 52.0 * np.where(weekday >= 5, 0.8, 1.05) * (1.0 + 0.12 * days / cal.days)
    month_day = np.array([cal.date_of(int(d)).month for d in days])
    level *= np.where(month_day == 12, 1.3, 1.0)
    n_day = rng.poisson(level)
    pool: list[str] = []

    def visitor() -> str:
        if pool and rng.random() < 0.3:
            return pool[int(rng.integers(0, len(pool)))]
        while True:
            v = f"{int(rng.integers(0, 2**63 - 1)):016x}"
            if v not in taken:
                taken.add(v)
                pool.append(v)
                return v

    per_day = np.zeros(cal.days, np.int64)
    for day in days.tolist():
        for _ in range(int(n_day[day])):
            t = day * DAY + int(rng.integers(0, DAY))
            mobile = rng.random() < 0.55
            agent = shape.pick(MOBILE_AGENTS if mobile else DESKTOP_AGENTS)
            page = SITE + shape.pick(PAGES)
            u = rng.random()
            if u < 0.46:
                row = shape.row(t, visitor(), page, shape.search_ref(), agent)
            elif u < 0.72:
                row = shape.row(t, visitor(), page, None, agent)
            elif u < 0.8:
                row = shape.row(t, visitor(), SITE + "/", shape.pick(BLOGS), agent)
            else:
                ref = shape.pick(OTHER_SOCIAL)
                if mobile and "facebook" in ref:
                    agent = INAPP_AGENTS[1]
                elif mobile and "linkedin" in ref:
                    agent = INAPP_AGENTS[3]
                row = shape.row(t, visitor(), page, ref, agent)
            rows.append((t, row))
            per_day[day] += 1
    for ci, camp in enumerate(cal.campaigns):
        for ad_platform, budget in camp.ads:
            for day in range(camp.first_day, camp.last_day + 1):
                for _ in range(int(rng.poisson(budget / 30.0 / CPC * 0.6))):
                    t = day * DAY + int(rng.integers(6 * 3600, 23 * 3600))
                    mobile = rng.random() < 0.8
                    agent = shape.pick(MOBILE_AGENTS if mobile else DESKTOP_AGENTS)
                    det = AD_PLATFORMS.index(ad_platform) * 100 + ci
                    rows.append((t, _ad(shape, t, visitor(), mobile, agent, det)))
                    per_day[day] += 1
    bots = int(rng.poisson(0.025 * (len(rows)) / cal.days * cal.days))
    bot_ids = [f"b07{int(rng.integers(0, 2**52)):013x}" for _ in range(6)]
    for _ in range(bots):
        t = int(rng.integers(0, cal.horizon))
        row = shape.row(
            t,
            shape.pick(tuple(bot_ids)),
            SITE + shape.pick(PAGES),
            None,
            shape.pick(BOT_AGENTS),
            pageviews=int(rng.integers(5, 40)),
        )
        rows.append((t, row))
    return per_day, bots
