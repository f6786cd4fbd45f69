"""Journeys from the warehouse: the touches before each conversion, and the journeys that did
not convert.

A **touch** is something that brought a person (or a pseudonymous visitor) into contact with
the brand:

* a **visit**, with the channel and source the channel enricher gave it (``visit_channels``;
  ``unclassified`` without a row) and its ``utm_campaign``;
* an **inbound social interaction** (anything but ``unfollow``) by a handle that
  ``identities`` ties to a person — a *view-through* touch, with no click needed; channel
  ``social``, source the platform, campaign the campaign of the post acted on. Interactions on
  platform ``email`` are channel ``email`` and count only when ``kind = click`` (an open may be
  a mail app preloading images). Several interactions of one person
  on one platform and day count as one touch (the first).

An email click and the visit it opened are **one touch**: a click (platform ``email``, kind
``click``) is dropped when the same person has a visit starting at the click or within
:data:`CLICK_VISIT_WINDOW` (30 minutes) after it, whatever the visit's label (channel,
source or campaign). "The same person" is the same key in :func:`touch_rows`, and, within a
conversion's journey, any of its keys (so a click known by the person's email and a visit
known only by the conversion's visitor id are one touch). The rule is a non-equi join (key
equal, visit time in the window), not an asof join. A click with no such visit (the person
read it on a phone and came back later) stays an ``email`` touch.

Touches and conversions meet on a **key**: the ``person_ref`` of the identity (``visitor``
for visits, ``handle:<platform>`` or ``email`` for interactions; ``customer``, ``email`` or
``visitor`` for conversions), or ``visitor:<visitor_id>`` for a visitor nobody identified. A
conversion matches touches on its person's key and on its own visitor's key. An identity that
only ``goodwill people resolve`` knows (a handle the matcher tied to a CRM person) keys by the
person ``person_links`` names, when an imported identity names that person too
(:func:`_identity_keys`).

The journey of a conversion is its touches within ``lookback_days`` before it (``ts ≤
occurred_at``, ``ts ≥ occurred_at − lookback``), in time order; a conversion without any touch
gets one ``direct`` touch (channel) or ``(none)`` (source, campaign), so credit always sums to
the conversions. A key with touches but no conversion in the selection is a non-converting
journey: its touches within ``lookback_days`` before its last touch.

**Timing** (the incremental model's recency features, :class:`TimedJourneys`). A journey
is looked at when its outcome is known: a converting journey at its conversion (``horizon``
0); a non-converting journey at its last touch plus ``horizon = min(G, E − last touch)``
days, where ``E`` is the end of the window the journeys were watched in (the end of
``until``'s day, or the last touch or conversion of any kind the warehouse holds, whichever
is earlier) and ``G`` the :data:`GAP_QUANTILE` (99th) percentile, over the converting
journeys with a touch, of the time from their last touch to their conversion: a
non-converter is looked at when the window ends, but no later after its last touch than
converters are seen converting after theirs (beyond that, its touches would be older than
any converter's: a difference made by when it is looked at, not by what the touches did).
A key whose last touch is after ``E`` gets 0 (its journey keeps the touches after ``E``, as
a non-converting journey always did: the tails are fetched without dates).

**No timing when conversions happen in their last touch's visit**: when the converters'
median gap is at most :data:`IN_SESSION` (an hour), the journeys stay plain
:class:`Journeys` (no recency features). A touch's age at the outcome then says little but
whether it was in the converting visit, and that visit is often caused by the decision to
buy (the order is placed in it); the recency features would give the converting visit's
channel the credit. On the 3,000-person demo every conversion comes within 40 minutes of its
last touch: timed journeys (non-converters looked at the median gap after their last touch,
the rule before this one) moved credit from the baseline to search (worst channel error
0.110 against 0.076 untimed), and looking at every non-converter at ``E`` (months after
the last touch of most) made "a touch in the last hour" the surest sign of a conversion
(social's share of leads 0.19 against a true 0.376). On the truth processes of
``benchmarks/attribution_truth.py --horizon-rule`` (conversion days after the last touch)
the 99th-percentile cap gives the true window ends' errors (within 0.009 on every process
and seed, fresh seeds included, but one where it is better); the median gap as the cap did
not where recency matters (decay seed 3: 0.125 against 0.029 with the true ends, 0.032 with
this rule). Visits of
erased people (``visitor_id = 'erased'``, :mod:`goodwill.people.erase`) are nobody's touch:
pooled under one key they would be one giant non-converting journey, so they are left out.
A withdrawn consent (:mod:`goodwill.people.consent`, permission to market) ends no
observation: touches and conversions are still recorded.

Everything up to the final fetch is an Ibis expression (no SQL strings, no asof joins). The
queries select no dates: they fetch the journeys of every conversion (and each key's last
touches), and the dates are chosen from those rows, so one :class:`JourneyStore` serves any
number of date ranges, and the compiled SQL of each query is kept for the process (compiling
costs more than running it). ``JourneySpec.touched_platform`` / ``touched_campaign`` restrict
the journeys to those with a touch from a platform or of a campaign (:class:`JourneySpec`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import ibis
import numpy as np
import numpy.typing as npt
import pandas as pd

from goodwill.attribution.incremental import TimedJourneys, bare_journeys, journey_fields
from goodwill.attribution.paths import DIRECT, Journeys
from goodwill.metrics.declarations import Backend

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "CLICK_VISIT_WINDOW",
    "DIMENSIONS",
    "ERASED_VISITOR",
    "GAP_QUANTILE",
    "IN_SESSION",
    "NONE_LABEL",
    "JourneySpec",
    "JourneyStore",
    "WarehouseJourneys",
    "build_journeys",
    "conversion_gaps",
    "conversion_rows",
    "horizons_by_rule",
    "timed_by_rule",
    "touch_rows",
    "window_end",
]

DIMENSIONS: tuple[str, ...] = ("channel", "source", "campaign")
"""What a touch can be labelled by (``--by``)."""

NONE_LABEL = "(none)"
CONVERSION_KINDS = ("lead", "signup", "order")
CLICK_VISIT_WINDOW = timedelta(minutes=30)
"""An email click followed by a visit of the same person within this time is one touch."""
IN_SESSION = timedelta(hours=1)
"""A conversion this soon after its journey's last touch happened in that touch's visit
(module docstring: timing)."""
GAP_QUANTILE = 0.99
"""A non-converter is looked at no later after its last touch than this quantile of the
converters' gaps (module docstring: timing)."""
ERASED_VISITOR = "erased"
"""The ``visitor_id`` ``goodwill erase`` leaves on an erased person's visits (no touch)."""


@dataclass(frozen=True, kw_only=True)
class JourneySpec:
    """Which journeys to build: the lookback, the conversion kinds, the touch label and the
    conversion dates (inclusive; ``None`` = open).

    ``touched_platform`` / ``touched_campaign`` keep only the journeys, converting or not,
    with a touch from that platform (a touch whose *source* is the platform: an interaction on
    it, or a visit the channel enricher gives that source) / of that campaign (a touch whose
    *campaign* label is it: a visit's ``utm_campaign``, or an interaction on a post of the
    campaign), within the journey's lookback; both: journeys with both.
    """

    lookback_days: int = 30
    kinds: tuple[str, ...] = CONVERSION_KINDS
    by: str = "channel"
    since: date | None = None
    until: date | None = None
    include_nonconverting: bool = True
    touched_platform: str | None = None
    touched_campaign: str | None = None

    def __post_init__(self) -> None:
        if self.lookback_days < 0:
            raise ValueError("lookback_days must be 0 or more")
        if self.by not in DIMENSIONS:
            raise ValueError(f"by must be one of {', '.join(DIMENSIONS)}")
        bad = sorted(set(self.kinds) - set(CONVERSION_KINDS))
        if bad or not self.kinds:
            raise ValueError(f"kinds must be among {', '.join(CONVERSION_KINDS)}")


@dataclass(frozen=True, kw_only=True)
class WarehouseJourneys:
    """Journeys plus one row per journey: ``journey`` (conversion_id, or ``null:<key>``),
    ``kind`` (conversion kind; None for a non-converting journey), ``occurred_at``,
    ``first_order`` (an order that is its key's first). The journeys are
    :class:`TimedJourneys`, or plain :class:`Journeys` where the timing rule finds no timing to
    use (module docstring: timing)."""

    journeys: Journeys
    meta: pd.DataFrame


def _identity_keys(backend: Backend) -> ir.Table:
    """``kind, value, person`` of every identity a journey can be keyed by: the imported
    ``identities`` (person = ``person_ref``), plus the identities that ``goodwill people
    resolve`` linked (``person_links``) to a person some imported identity names — a handle
    the matcher tied to a CRM person is that person's touch. A link to a person nothing
    imported names (a handle resolve keeps on its own) adds no key: it would make the
    handle's owner look like a separate person who never converted."""
    ids = backend.table("identities")
    imported = ids.select(
        kind=ids.kind.cast("string"),
        value=ids.value.cast("string"),
        person=ids.person_ref.cast("string"),
    )
    links = backend.table("person_links")
    known = imported.select(kperson=imported.person).distinct()
    j = links.join(known, links.person_id == known.kperson)
    linked = j.select(
        kind=j.kind.cast("string"), value=j.value.cast("string"), person=j.person_id.cast("string")
    )
    have = ids.select(hkind=ids.kind, hvalue=ids.value)
    extra = linked.anti_join(have, [linked.kind == have.hkind, linked.value == have.hvalue])
    return imported.union(extra, distinct=False)


def _handles(backend: Backend) -> ir.Table:
    """(platform, handle, person) for handle:<platform> identities and for emails (platform
    ``email``)."""
    ids = _identity_keys(backend)
    handles = ids.filter(ids.kind.startswith("handle:")).select(
        iplatform=ids.kind.substr(7), ihandle=ids.value, person=ids.person
    )
    emails = ids.filter(ids.kind == "email").select(
        iplatform=ibis.literal("email"), ihandle=ids.value, person=ids.person
    )
    return handles.union(emails)


def touch_rows(backend: Backend, by: str) -> ir.Table:
    """Every touch: ``key, ts, label`` (label = the touch's channel, source or campaign); an
    email click that opened a visit of the same key is left out (module docstring)."""
    return _touches(backend, by).select("key", "ts", "label")


def _drop_opened_clicks(t: ir.Table, group: str) -> ir.Table:
    """``t`` (with ``group``, ``ts`` and ``source`` = visit/click/social) without the clicks
    followed by a visit of the same ``group`` within :data:`CLICK_VISIT_WINDOW`:
    ``click.ts ≤ visit.ts ≤ click.ts + window``."""
    clicks = t.filter(t.source == "click")
    visits = t.filter(t.source == "visit").select(vgroup=t[group], vts=t.ts)
    window = ibis.interval(minutes=int(CLICK_VISIT_WINDOW.total_seconds() // 60))
    unopened = clicks.anti_join(
        visits,
        [
            clicks[group] == visits.vgroup,
            visits.vts >= clicks.ts,
            visits.vts <= clicks.ts + window,
        ],
    )
    return t.filter(t.source != "click").union(unopened, distinct=False)


def _touches(backend: Backend, by: str) -> ir.Table:
    """:func:`touch_rows` plus ``source``: ``visit``, ``click`` (an email click) or
    ``social``."""
    ids = _identity_keys(backend)
    visitors = ids.filter(ids.kind == "visitor").select(vv=ids.value, vperson=ids.person)
    visits = backend.table("visits")
    visits = visits.filter(visits.visitor_id != ERASED_VISITOR)
    vc = backend.table("visit_channels")
    channels = vc.select(cv=vc.visit_id, vchannel=vc.channel, vsource=vc.source)
    v = visits.left_join(channels, visits.visit_id == channels.cv)
    v = v.left_join(visitors, v.visitor_id == visitors.vv)
    visit_label = {
        "channel": v.vchannel.coalesce("unclassified"),
        "source": v.vsource.coalesce("unclassified"),
        "campaign": v.utm_campaign.coalesce(NONE_LABEL),
    }[by]
    visit_touches = v.select(
        key=v.vperson.coalesce(ibis.literal("visitor:").concat(v.visitor_id)),
        ts=v.started_at,
        label=visit_label.cast("string"),
        source=ibis.literal("visit"),
    )
    inter = backend.table("interactions")
    inter = inter.filter((inter.direction == "inbound") & (inter.kind != "unfollow"))
    # an email is a touch only when clicked: opens are recorded by mail apps that preload
    # images, with nobody reading
    inter = inter.filter((inter.platform != "email") | (inter.kind == "click"))
    handles = _handles(backend)
    s = inter.join(
        handles,
        [inter.platform == handles.iplatform, inter.actor_handle == handles.ihandle],
    )
    posts = backend.table("posts")
    p = posts.select(pplatform=posts.platform, ppost=posts.post_id, pcampaign=posts.campaign)
    s = s.left_join(p, [s.platform == p.pplatform, s.post_id == p.ppost])
    social_label = {
        "channel": ibis.cases((s.platform == "email", "email"), else_="social"),
        "source": s.platform,
        "campaign": s.pcampaign.coalesce(NONE_LABEL),
    }[by]
    social = s.select(
        key=s.person,
        day=s.created_at.truncate("D"),
        ts=s.created_at,
        label=social_label,
        source=ibis.cases((s.platform == "email", "click"), else_="social"),
    )
    social = social.group_by(["key", "day", "label", "source"]).aggregate(ts=social.ts.min())
    social_touches = social.select("key", "ts", "label", "source")
    return _drop_opened_clicks(visit_touches.union(social_touches, distinct=False), "key")


def conversion_rows(backend: Backend, spec: JourneySpec) -> ir.Table:
    """Selected conversions: ``conversion_id, kind, occurred_at, value, pkey, vkey,
    first_order`` (pkey: the person's key or NULL; vkey: ``visitor:<id>`` or NULL)."""
    ids = _identity_keys(backend)
    conv = backend.table("conversions")
    conv = conv.filter(conv.kind.isin(spec.kinds))
    cust = ids.filter(ids.kind == "customer").select(k1=ids.value, p1=ids.person)
    mail = ids.filter(ids.kind == "email").select(k2=ids.value, p2=ids.person)
    vis = ids.filter(ids.kind == "visitor").select(k3=ids.value, p3=ids.person)
    c = conv.left_join(cust, conv.customer_id == cust.k1)
    c = c.left_join(mail, c.email == mail.k2)
    c = c.left_join(vis, c.visitor_id == vis.k3)
    person = c.p1.coalesce(c.p2, c.p3)
    c = c.select(
        conversion_id=c.conversion_id,
        kind=c.kind,
        occurred_at=c.occurred_at,
        value=c.value_reporting.coalesce(c.value).cast("float64"),
        pkey=person,
        vkey=ibis.literal("visitor:").concat(c.visitor_id),
        okey=person.coalesce(
            ibis.literal("visitor:").concat(c.visitor_id),
            ibis.literal("email:").concat(c.email),
            ibis.literal("customer:").concat(c.customer_id),
        ),
    )
    is_order = c.kind == "order"
    w = ibis.window(group_by=[c.okey, is_order], order_by=[c.occurred_at, c.conversion_id])
    c = c.mutate(first_order=is_order & (ibis.row_number().over(w) == 0)).drop("okey")
    # dates last, so that first_order means the customer's first order ever
    if spec.since is not None:
        c = c.filter(c.occurred_at >= datetime.combine(spec.since, time()))
    if spec.until is not None:
        c = c.filter(c.occurred_at < datetime.combine(spec.until + timedelta(days=1), time()))
    return c


def _journey_rows(backend: Backend, spec: JourneySpec) -> ir.Table:
    """One query for :func:`_converting_touches` (``part = 'c'``, ``id`` = the journey) and
    :func:`_tail_touches` (``part = 't'``, ``id`` = the key): ``part, id, ts, end, label``.
    Together they share the touch expression, which halves the compilation."""
    touches = _touches(backend, spec.by)
    c = _converting_touches(backend, spec, touches)
    t = _tail_touches(spec, touches)
    return c.select(part=ibis.literal("c"), id=c.journey, ts=c.ts, end=c.end, label=c.label).union(
        t.select(part=ibis.literal("t"), id=t.key, ts=t.ts, end=t.end, label=t.label),
        distinct=False,
    )


def _converting_touches(backend: Backend, spec: JourneySpec, touches: ir.Table) -> ir.Table:
    """The touches of every conversion of ``spec.kinds`` (any date): ``journey, ts, end,
    label``."""
    conv = conversion_rows(backend, _undated(spec))
    keys = _conversion_keys(conv)
    lookback = ibis.interval(days=spec.lookback_days)
    j = keys.join(touches, keys.key == touches.key)
    j = j.filter((j.ts <= j.occurred_at) & (j.ts >= j.occurred_at - lookback))
    j = j.select(
        journey=j.conversion_id, ts=j.ts, end=j.occurred_at, label=j.label, source=j.source
    )
    # a click known by the person's email, its visit only by the conversion's visitor id
    return _drop_opened_clicks(j, "journey").drop("source")


def _conversion_keys(conv: ir.Table) -> ir.Table:
    keys = conv.filter(conv.pkey.notnull()).select("conversion_id", "occurred_at", key=conv.pkey)
    return keys.union(
        conv.filter(conv.vkey.notnull()).select("conversion_id", "occurred_at", key=conv.vkey)
    )


def _tail_touches(spec: JourneySpec, touches: ir.Table) -> ir.Table:
    """Every key's touches within the lookback before its last touch: ``key, ts, end,
    label`` (a key's non-converting journey, when no selected conversion has the key)."""
    lookback = ibis.interval(days=spec.lookback_days)
    last = touches.ts.max().over(ibis.window(group_by=touches.key))
    tails = touches.mutate(end=last)
    tails = tails.filter(tails.ts >= tails.end - lookback)
    return tails.select("key", "ts", "end", "label")


def _undated(spec: JourneySpec) -> JourneySpec:
    return JourneySpec(
        lookback_days=spec.lookback_days, kinds=spec.kinds, by=spec.by, include_nonconverting=True
    )


_SQL: dict[tuple[object, ...], tuple[str, object]] = {}
"""Compiled SQL and result schema of the (date-free) journey queries, by query and spec
fields: compiling the Ibis expressions costs more than running them."""


def _fetch(backend: Backend, key: tuple[object, ...], make: Callable[[], ir.Table]) -> pd.DataFrame:
    """``backend.execute(make())``, with the expression's SQL compiled once per process on
    DuckDB (:func:`goodwill.engine.duckdb.execute_compiled`); another Ibis backend (Spark)
    runs the expression as it is."""
    if getattr(backend, "name", None) != "duckdb":
        result: pd.DataFrame = backend.execute(make())
        return result
    from goodwill.engine import duckdb as duck

    cached = _SQL.get(key)
    if cached is None:
        expr = make()
        cached = (backend.compile(expr), expr.schema())
        _SQL[key] = cached
    sql, schema = cached
    return duck.execute_compiled(backend, str(sql), schema)


@dataclass(frozen=True, kw_only=True)
class _Fetched:
    """One labelling's journey rows for every date: conversions (:func:`conversion_rows`
    without dates), each conversion's touches, and each key's tail of touches."""

    conv: pd.DataFrame
    converting: pd.DataFrame
    tails: pd.DataFrame
    data_end: pd.Timestamp | None
    """The last touch or conversion (of any kind) the warehouse holds."""


class JourneyStore:
    """The journey rows fetched from one warehouse state, for every conversion date, so that
    several journey sets (dates, labels, restrictions) cost one set of queries.

    :func:`build_journeys` with ``store=`` selects its dates from the rows here; the result is
    identical to a build without a store. Make one per request (or per command): the rows
    do not follow later changes to the warehouse.
    """

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._fetched: dict[tuple[object, ...], _Fetched] = {}

    def fetched(self, spec: JourneySpec) -> _Fetched:
        key = (spec.by, spec.lookback_days, spec.kinds)
        got = self._fetched.get(key)
        if got is None:
            b, undated = self.backend, _undated(spec)
            rows = _fetch(b, ("rows", *key), lambda: _journey_rows(b, undated))
            columns = ["ts", "end", "label"]
            converting = rows.loc[rows["part"] == "c", ["id", *columns]]
            tails = rows.loc[rows["part"] == "t", ["id", *columns]]
            last = _fetch(b, ("last_conversion",), lambda: _last_conversion(b))
            ends = [pd.to_datetime(tails["end"]).max(), pd.to_datetime(last["last"]).max()]
            known = [pd.Timestamp(e) for e in ends if not pd.isna(e)]
            got = _Fetched(
                conv=_fetch(b, ("conv", *key), lambda: conversion_rows(b, undated)),
                converting=converting.rename(columns={"id": "journey"}),
                tails=tails.rename(columns={"id": "key"}),
                data_end=max(known) if known else None,
            )
            self._fetched[key] = got
        return got


def _select(spec: JourneySpec, got: _Fetched) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The conversions within ``spec``'s dates, their touches, and the non-converting
    journeys (tails of the keys none of those conversions has)."""
    conv = got.conv
    if spec.since is not None:
        conv = conv[conv["occurred_at"] >= datetime.combine(spec.since, time())]
    if spec.until is not None:
        conv = conv[conv["occurred_at"] < datetime.combine(spec.until + timedelta(days=1), time())]
    touches = got.converting[_isin(got.converting["journey"], conv["conversion_id"])]
    keys = pd.concat([conv["pkey"].dropna(), conv["vkey"].dropna()])
    tails = got.tails[~_isin(got.tails["key"], keys)]
    idle = pd.DataFrame(
        {
            "journey": "null:" + tails["key"].astype(str),
            "ts": tails["ts"],
            "end": tails["end"],
            "label": tails["label"],
        }
    )
    return conv, touches, idle


def _isin(values: pd.Series, among: pd.Series | set[str]) -> npt.NDArray[np.bool_]:
    """``values.isin(among)`` for strings, hashed as Python objects: pandas' ``isin`` on its
    Arrow-backed strings makes a scalar of every value (27 of the 62 s of a 10M-interaction
    build)."""
    wanted = np.asarray(list(among) if isinstance(among, set) else among, dtype=object)
    return np.asarray(pd.Series(values.to_numpy(dtype=object)).isin(wanted), dtype=bool)


def _touched_journeys(store: JourneyStore, spec: JourneySpec) -> set[str] | None:
    """Journeys with a touch from ``spec.touched_platform`` (source) and of
    ``spec.touched_campaign`` (campaign); ``None`` when neither is set."""
    wanted = [("source", spec.touched_platform), ("campaign", spec.touched_campaign)]
    found: set[str] | None = None
    for by, label in wanted:
        if label is None:
            continue
        got = store.fetched(replace(spec, by=by, touched_platform=None, touched_campaign=None))
        _, touches, idle = _select(spec, got)
        these = set(touches.loc[touches["label"] == label, "journey"]) | set(
            idle.loc[idle["label"] == label, "journey"]
        )
        found = these if found is None else found & these
    return found


def build_journeys(
    backend: Backend, spec: JourneySpec | None = None, *, store: JourneyStore | None = None
) -> WarehouseJourneys:
    """Fetch the journeys described by ``spec`` (module docstring) as :class:`Journeys`.

    ``store``: take the rows from this :class:`JourneyStore` (fetching what it lacks) instead
    of querying the warehouse again; the journeys are the same.
    """
    spec = spec or JourneySpec()
    store = store or JourneyStore(backend)
    got = store.fetched(spec)
    conv, touches, idle = _select(spec, got)
    touched = _touched_journeys(store, spec)
    if touched is not None:
        conv = conv[_isin(conv["conversion_id"], touched)]
        touches = touches[_isin(touches["journey"], touched)]
        idle = idle[_isin(idle["journey"], touched)]
    parts = [touches]
    if spec.include_nonconverting:
        parts.append(idle)
    frame = pd.concat(parts, ignore_index=True)
    # conversions with no touch in the window: one placeholder touch
    bare = conv[~_isin(conv["conversion_id"], touches["journey"])]
    fill = DIRECT if spec.by == "channel" else NONE_LABEL
    frame = pd.concat(
        [
            frame,
            pd.DataFrame(
                {
                    "journey": bare["conversion_id"],
                    "ts": bare["occurred_at"],
                    "end": bare["occurred_at"],
                    "label": fill,
                }
            ),
        ],
        ignore_index=True,
    )
    return _to_journeys(frame, conv, window_end(spec, got))


def _last_conversion(backend: Backend) -> ir.Table:
    conv = backend.table("conversions")
    return conv.aggregate(last=conv.occurred_at.max())


def window_end(spec: JourneySpec, got: _Fetched) -> pd.Timestamp | None:
    """``E`` of the module docstring (timing): the end of ``spec.until``'s day, or the last
    touch or conversion (of any kind) the warehouse holds, whichever is earlier; ``None``
    when it holds neither."""
    end = got.data_end
    if end is None:
        return None
    if spec.until is not None:
        end = min(end, pd.Timestamp(datetime.combine(spec.until + timedelta(days=1), time())))
    return end


def _timed(
    journeys: Journeys, last_touch: pd.Series, converted: np.ndarray, end: pd.Timestamp | None
) -> Journeys:
    """``journeys`` timed by :func:`timed_by_rule`, ``E − last touch`` from the warehouse's
    clock (module docstring: timing)."""
    watched = np.zeros(journeys.n, dtype=np.float64)
    if end is not None:
        gone = (end - pd.to_datetime(last_touch)).dt.total_seconds().to_numpy()
        watched = np.asarray(gone, dtype=np.float64) / 86400.0
    return timed_by_rule(journeys, watched, converted)


def timed_by_rule(journeys: Journeys, watched: np.ndarray, converted: np.ndarray) -> Journeys:
    """``journeys`` as :class:`TimedJourneys` with :func:`horizons_by_rule`'s horizons, or
    as they are (untimed: no recency features) where the rule finds no timing to use."""
    horizon = horizons_by_rule(journeys, watched, converted)
    if horizon is None:
        return Journeys(**journey_fields(journeys))
    return TimedJourneys(**journey_fields(journeys), horizon=horizon)


def conversion_gaps(journeys: Journeys, converted: np.ndarray) -> np.ndarray:
    """Days from each converting journey's last touch to its conversion (the converting
    journeys with a touch; a conversion without one has no gap)."""
    has = np.diff(journeys.offsets) > 0
    last_age = np.zeros(journeys.n, dtype=np.float64)
    last_age[has] = journeys.touch_age[journeys.offsets[1:][has] - 1]  # touches in time order
    timed = converted & ~bare_journeys(journeys) & has
    return last_age[timed]


def horizons_by_rule(
    journeys: Journeys, watched: np.ndarray, converted: np.ndarray
) -> np.ndarray | None:
    """Each journey's ``horizon`` (module docstring: timing): 0 for a converting journey;
    ``min(G, watched)`` days, at least 0, for a non-converting one, ``watched`` = ``E − last
    touch`` in days and ``G`` the :data:`GAP_QUANTILE` quantile of the converting journeys'
    last-touch-to-conversion gaps (:func:`conversion_gaps`). ``None`` (no timing: the
    journeys stay untimed) when the median gap is at most :data:`IN_SESSION` (conversions
    happen in the visit of their last touch) or no converting journey has a touch.
    Apart from the warehouse so that ``benchmarks/attribution_truth.py --horizon-rule`` can
    check the rule on processes with known window ends."""
    gaps = conversion_gaps(journeys, converted)
    if len(gaps) == 0 or float(np.median(gaps)) <= IN_SESSION.total_seconds() / 86400.0:
        return None
    horizon = np.zeros(journeys.n, dtype=np.float64)
    idle = ~converted
    cap = float(np.quantile(gaps, GAP_QUANTILE))
    horizon[idle] = np.clip(np.minimum(cap, watched[idle]), 0.0, None)
    return horizon


def _to_journeys(
    frame: pd.DataFrame, conv: pd.DataFrame, end: pd.Timestamp | None = None
) -> WarehouseJourneys:
    # sorted by journey, time and label, on integer codes of each in sorted order (pandas'
    # sort of its Arrow-backed strings took 17 of the 62 s of a 10M-interaction build);
    # journeys in the order of their ids, labels sorted
    journey, journey_ids = pd.factorize(frame["journey"].to_numpy(dtype=object), sort=True)
    label, names = pd.factorize(frame["label"].astype(str).to_numpy(dtype=object), sort=True)
    when, _ = pd.factorize(frame["ts"], sort=True)
    order = np.lexsort((label, when, journey))
    frame = frame.iloc[order].reset_index(drop=True)
    labels = tuple(str(name) for name in names)
    journey_ids = np.asarray(journey_ids, dtype=object)
    per_journey = np.bincount(journey, minlength=len(journey_ids))
    offsets = np.concatenate([[0], np.cumsum(per_journey)]).astype(np.int64)
    ends = pd.to_datetime(frame["end"])
    ages = (ends - pd.to_datetime(frame["ts"])).dt.total_seconds().to_numpy() / 86400.0
    meta = pd.DataFrame({"journey": journey_ids})
    meta = meta.merge(
        conv[["conversion_id", "kind", "occurred_at", "value", "first_order"]],
        left_on="journey",
        right_on="conversion_id",
        how="left",
    ).drop(columns="conversion_id")
    converted = meta["kind"].notna().to_numpy()
    plain = Journeys(
        channels=labels,
        offsets=offsets,
        touch_channel=label[order].astype(np.int64),
        touch_age=np.asarray(ages, dtype=np.float64),
        conversions=converted.astype(np.float64),
        value=meta["value"].fillna(0.0).to_numpy(dtype=np.float64),
        nulls=(~converted).astype(np.float64),
    )
    last_touch = frame["ts"].iloc[offsets[1:] - 1].reset_index(drop=True)
    journeys = _timed(plain, last_touch, converted, end)
    # == True, not fillna(False): no silent downcasting of an object column (a FutureWarning)
    meta["first_order"] = meta["first_order"].eq(True).astype(bool)
    return WarehouseJourneys(journeys=journeys, meta=meta)
