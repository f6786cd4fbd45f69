"""The causal engine: from touches to visits, leads and orders, with the true credit of each.

**Conversions are a union of independent causes.** For each person there is a *base* cause
(they would become a lead, or order, anyway: an exponential waiting time from arrival with a
daily hazard rising with affinity) and one cause per touch: touch *i* of channel *c* persuades
toward a lead when ``u_lead[i] < q_lead[c] * (0.5 + affinity)`` and toward a first order when
``u_order[i] < q_order[c] * (0.5 + affinity) * (1 if already a lead else 0.4)``. A persuaded
person converts at the first visit within 30 days of a fired cause; a fired cause that is not a
visit (a social engagement, the base cause) brings the person to the site itself, by a direct
("dark social") or search visit a few days later. The conversion records every cause that
fired within the 30 days before it; **true credit = those causes split equally**.

After the first order a customer buys again as in BG/NBD: Poisson purchases at their own rate,
dropping out after each purchase with their own probability. Repeat orders are credited to
``baseline`` (no touch causes them). Leads and customers receive the fortnightly newsletter;
clicks on it are ``email`` touches. A customer's friend may be referred (``word_of_mouth``), with
the customer's referral code on the friend's order.

**The counterfactual.** :func:`run_world` runs the same people with the same pre-drawn random
numbers twice: with all touches, and without every touch rooted on the intervention platform
(Bluesky). The difference between the two worlds per day is the true effect of the intervention.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from goodwill.simulate.people import Population
from goodwill.simulate.social import BSKY
from goodwill.simulate.spec import DAY, SOCIAL_PLATFORMS, Calendar
from goodwill.simulate.touches import (
    CHANNELS,
    DIRECT,
    EMAIL,
    SEARCH,
    WOM,
    Touches,
)

__all__ = ["Draws", "World", "make_draws", "run_world"]

Q_LEAD = (0.0, 0.02, 0.06, 0.05, 0.03, 0.0, 0.07, 0.05, 0.05, 0.25)
Q_ORDER = (0.0, 0.006, 0.035, 0.03, 0.025, 0.05, 0.05, 0.035, 0.04, 0.3)
WINDOW = 30 * DAY
REFERRAL_WINDOW = 60 * DAY
MAX_ORDERS = 40
REFER_P = 0.35
_SOCIAL = {1, 2, 3}
EXO, BASE_L, BASE_O, FOLLOW, EMAIL_V, WOM_V, REPEAT = range(7)
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Push = Callable[[int, int, int], None]


@dataclass(frozen=True, kw_only=True)
class Draws:
    """Per-person random numbers shared by both worlds."""

    base_lead: I64
    base_order: I64
    base_search: npt.NDArray[np.bool_]
    lead_delay: I64
    order_delay: I64
    gaps: F64
    """(n, MAX_ORDERS) Exp(1) inter-purchase gaps in units of 1 / buy_rate."""
    drop: F64
    repeat_channel: I64
    """(n, MAX_ORDERS): 0 direct, 1 email, 2 search."""
    values: F64
    """(n, MAX_ORDERS) order values in USD."""
    news_click: F64
    news_order: F64
    news_delay: I64
    wom: F64
    wom_delay: I64
    wom_lead: F64
    wom_order: F64


def make_draws(rng: np.random.Generator, cal: Calendar, pop: Population) -> Draws:
    n, a = pop.n, pop.affinity
    b_lead = 0.0003 + 0.0015 * a
    b_order = 0.0001 + 0.0006 * a
    k = len(cal.newsletters)

    def base(rate: F64) -> I64:
        days = pop.arrival + rng.exponential(1.0 / rate)
        return (np.minimum(days, cal.days + 1) * DAY).astype(np.int64) + 7200

    return Draws(
        base_lead=base(b_lead),
        base_order=base(b_order),
        base_search=rng.random(n) < 0.4,
        lead_delay=rng.integers(60, 900, n),
        order_delay=rng.integers(900, 2400, n),
        gaps=rng.exponential(1.0, (n, MAX_ORDERS)),
        drop=rng.random((n, MAX_ORDERS)),
        repeat_channel=rng.choice(3, (n, MAX_ORDERS), p=[0.5, 0.35, 0.15]).astype(np.int64),
        values=np.round(rng.gamma(6.0, pop.spend[:, None] / 6.0, (n, MAX_ORDERS)), 2),
        news_click=rng.random((n, k)),
        news_order=rng.random((n, k)),
        news_delay=rng.lognormal(np.log(3 * 3600.0), 1.0, (n, k)).astype(np.int64) + 60,
        wom=rng.random(n),
        wom_delay=(rng.exponential(20.0, n) * DAY).astype(np.int64) + 3600,
        wom_lead=rng.random(n),
        wom_order=rng.random(n),
    )


@dataclass(kw_only=True)
class World:
    """What happened in one world. Visits and conversions are in processing order."""

    factual: bool
    # visits: person, time, source, channel shown, root social platform, touch index, extra
    v_person: list[int] = field(default_factory=list)
    v_t: list[int] = field(default_factory=list)
    v_source: list[int] = field(default_factory=list)
    v_channel: list[int] = field(default_factory=list)
    v_root: list[int] = field(default_factory=list)
    v_touch: list[int] = field(default_factory=list)
    v_extra: list[int] = field(default_factory=list)
    # conversions
    c_person: list[int] = field(default_factory=list)
    c_t: list[int] = field(default_factory=list)
    c_kind: list[str] = field(default_factory=list)
    c_credits: list[dict[str, float]] = field(default_factory=list)
    c_visit: list[int] = field(default_factory=list)
    c_order_no: list[int] = field(default_factory=list)
    c_referrer: list[int] = field(default_factory=list)
    c_value: list[float] = field(default_factory=list)
    lead_t: list[int] = field(default_factory=list)
    first_order_t: list[int] = field(default_factory=list)

    def visit(
        self, p: int, t: int, source: int, channel: int, root: int, touch: int, extra: int
    ) -> int:
        self.v_person.append(p)
        self.v_t.append(t)
        self.v_source.append(source)
        self.v_channel.append(channel)
        self.v_root.append(root)
        self.v_touch.append(touch)
        self.v_extra.append(extra)
        return len(self.v_t) - 1

    def convert(
        self,
        p: int,
        t: int,
        kind: str,
        credits: dict[str, float],
        visit: int,
        order_no: int,
        referrer: int,
        value: float,
    ) -> None:
        self.c_person.append(p)
        self.c_t.append(t)
        self.c_kind.append(kind)
        self.c_credits.append(credits)
        self.c_visit.append(visit)
        self.c_order_no.append(order_no)
        self.c_referrer.append(referrer)
        self.c_value.append(value)


def _key(channel: int, platform: int) -> str:
    name = CHANNELS[channel]
    return f"{name}:{SOCIAL_PLATFORMS[platform]}" if channel in _SOCIAL and platform >= 0 else name


def _split(keys: list[str]) -> dict[str, float]:
    share = 1.0 / len(keys)
    out: dict[str, float] = {}
    for k in keys:
        out[k] = out.get(k, 0.0) + share
    return out


class _State:
    """One person's journey while it is simulated: pending events and fired causes."""

    def __init__(self, horizon: int) -> None:
        self.horizon = horizon
        self.heap: list[tuple[int, int, int, int]] = []
        self.seq = 0
        self.fired_l: list[tuple[int, str]] = []
        self.fired_o: list[tuple[int, str]] = []
        self.lead_t = -1
        self.cust_t = -1
        self.wom_t = -1

    def push(self, t: int, ev: int, arg: int) -> None:
        if t < self.horizon:
            heapq.heappush(self.heap, (t, self.seq, ev, arg))
            self.seq += 1

    def open_lead(self) -> bool:
        return self.lead_t < 0 and self.cust_t < 0

    def persuade(self, t: int, key: str, ql: float, qo: float, ul: float, uo: float) -> int:
        """Record the causes a touch fires: bit 1 toward a lead, bit 2 toward an order."""
        bits = 0
        if self.open_lead() and ul < ql:
            self.fired_l.append((t, key))
            bits |= 1
        if self.cust_t < 0 and uo < qo * (1.0 if self.lead_t >= 0 else 0.4):
            self.fired_o.append((t, key))
            bits |= 2
        return bits


def run_world(
    cal: Calendar,
    pop: Population,
    touches: Touches,
    draws: Draws,
    *,
    factual: bool,
    without: npt.NDArray[np.bool_] | None = None,
    newsletters: bool = True,
) -> World:
    """Simulate every person's journey; ``factual=False`` drops the intervention's touches.
    ``without`` (one flag per touch) drops those touches too and ``newsletters=False`` sends no
    newsletter: the world without one mix-model channel, with every other random number the
    same (:func:`goodwill.simulate.activities.channel_effects`)."""
    world = World(factual=factual)
    dropped = [False] * len(touches.t) if without is None else without.tolist()
    horizon = cal.horizon
    tt = touches.t.tolist()
    ch = touches.channel.tolist()
    plat = touches.platform.tolist()
    is_visit = touches.is_visit.tolist()
    u_lead = touches.u_lead.tolist()
    u_order = touches.u_order.tolist()
    fu_delay = touches.followup_delay.tolist()
    fu_search = touches.followup_search.tolist()
    bounds = touches.bounds.tolist()
    aff = pop.affinity.tolist()
    friend = pop.friend.tolist()
    news = list(cal.newsletters)
    lead_at = [-1] * pop.n
    first_order_at = [-1] * pop.n
    for p in range(pop.n):
        g = 0.5 + aff[p]
        st = _State(horizon)
        for i in range(bounds[p], bounds[p + 1]):
            if (factual or plat[i] != BSKY) and not dropped[i]:
                st.push(tt[i], EXO, i)
        st.push(int(draws.base_lead[p]), BASE_L, 0)
        st.push(int(draws.base_order[p]), BASE_O, 0)
        f = friend[p]
        if f >= 0 and draws.wom[p] < REFER_P and first_order_at[f] >= 0:
            st.push(first_order_at[f] + int(draws.wom_delay[p]), WOM_V, 0)
        while st.heap:
            t, _, ev, arg = heapq.heappop(st.heap)
            v = -1
            if ev == EXO:
                c, pl = ch[arg], plat[arg]
                key = _key(c, pl)
                bits = st.persuade(t, key, Q_LEAD[c] * g, Q_ORDER[c] * g, u_lead[arg], u_order[arg])
                if is_visit[arg]:
                    v = world.visit(p, t, EXO, c, pl, arg, -1)
                elif bits:
                    st.push(t + fu_delay[arg], FOLLOW, arg * 4 + bits)
            elif ev == FOLLOW:
                i, bits = divmod(arg, 4)
                if (bits & 1 and st.open_lead()) or (bits & 2 and st.cust_t < 0):
                    shown = SEARCH if fu_search[i] else DIRECT
                    v = world.visit(p, t, FOLLOW, shown, plat[i], i, -1)
            elif ev in (BASE_L, BASE_O):
                if ev == BASE_L and st.open_lead():
                    st.fired_l.append((t, "baseline"))
                elif ev == BASE_O and st.cust_t < 0:
                    st.fired_o.append((t, "baseline"))
                else:
                    continue
                shown = SEARCH if draws.base_search[p] else DIRECT
                v = world.visit(p, t, ev, shown, -1, -1, -1)
            elif ev == EMAIL_V:
                v = world.visit(p, t, EMAIL_V, EMAIL, -1, -1, arg)
                qo = Q_ORDER[EMAIL] * g
                st.persuade(t, "email", 0.0, qo, 1.0, float(draws.news_order[p, arg]))
            elif ev == WOM_V:
                st.wom_t = t
                v = world.visit(p, t, WOM_V, WOM, -1, -1, f)
                ul, uo = float(draws.wom_lead[p]), float(draws.wom_order[p])
                st.persuade(t, "word_of_mouth", Q_LEAD[WOM], Q_ORDER[WOM], ul, uo)
            elif ev == REPEAT:
                shown = (DIRECT, EMAIL, SEARCH)[int(draws.repeat_channel[p, arg])]
                v = world.visit(p, t, REPEAT, shown, -1, -1, arg)
                ot = t + int(draws.order_delay[p])
                if ot < horizon:
                    value = float(draws.values[p, arg])
                    world.convert(p, ot, "order", {"baseline": 1.0}, v, arg, -1, value)
                continue
            if v < 0:
                continue
            # conversion check at this visit
            if st.open_lead():
                active = [k for (tf, k) in st.fired_l if t - tf <= WINDOW]
                lt = t + int(draws.lead_delay[p])
                if active and lt < horizon:
                    st.lead_t = lt
                    world.convert(p, lt, "lead", _split(active), v, -1, -1, 0.0)
                    if newsletters:
                        _newsletters(st.push, news, lt, draws, p, g)
            if st.cust_t < 0:
                active = [k for (tf, k) in st.fired_o if t - tf <= WINDOW]
                ot = t + int(draws.order_delay[p])
                if active and ot < horizon:
                    if st.lead_t < 0 and newsletters:
                        _newsletters(st.push, news, ot, draws, p, g)
                    st.cust_t = ot
                    ref = f if st.wom_t >= 0 and ot - st.wom_t <= REFERRAL_WINDOW else -1
                    value = float(draws.values[p, 0])
                    world.convert(p, ot, "order", _split(active), v, 0, ref, value)
                    _repeats(st.push, ot, draws, pop, p)
        lead_at[p] = st.lead_t
        first_order_at[p] = st.cust_t
    world.lead_t = lead_at
    world.first_order_t = first_order_at
    return world


def _newsletters(push: Push, news: list[int], after: int, draws: Draws, p: int, g: float) -> None:
    click_p = 0.08 + 0.25 * (g - 0.5)
    for k, send in enumerate(news):
        if send > after and draws.news_click[p, k] < click_p:
            push(send + int(draws.news_delay[p, k]), EMAIL_V, k)


def _repeats(push: Push, first: int, draws: Draws, pop: Population, p: int) -> None:
    t = float(first)
    rate = float(pop.buy_rate[p])
    for k in range(1, MAX_ORDERS):
        if draws.drop[p, k - 1] < pop.dropout[p]:
            return
        t += float(draws.gaps[p, k]) / rate * DAY
        if t >= 1e12:
            return
        push(max(int(t) - int(draws.order_delay[p]) + 1, first + 3600 * k), REPEAT, k)
