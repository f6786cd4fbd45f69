"""The journey builder as it was before the journey store (one Ibis query per build, dates in
the SQL): the reference that tests/attribution/test_attribution_fast_paths.py compares
:func:`goodwill.attribution.journeys.build_journeys` with. Not used by goodwill itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import ibis
import numpy as np
import pandas as pd

from goodwill.attribution.paths import DIRECT, Journeys
from goodwill.metrics.declarations import Backend

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "CLICK_VISIT_WINDOW",
    "DIMENSIONS",
    "NONE_LABEL",
    "JourneySpec",
    "WarehouseJourneys",
    "build_journeys",
    "conversion_rows",
    "touch_rows",
]

DIMENSIONS: tuple[str, ...] = ("channel", "source", "campaign")
"""What a touch can be labelled by (``--by``)."""

NONE_LABEL = "(none)"
CONVERSION_KINDS = ("lead", "signup", "order")
CLICK_VISIT_WINDOW = timedelta(minutes=30)
"""An email click followed by a visit of the same person within this time is one touch."""


@dataclass(frozen=True, kw_only=True)
class JourneySpec:
    """Which journeys to build: the lookback, the conversion kinds, the touch label and the
    conversion dates (inclusive; ``None`` = open)."""

    lookback_days: int = 30
    kinds: tuple[str, ...] = CONVERSION_KINDS
    by: str = "channel"
    since: date | None = None
    until: date | None = None
    include_nonconverting: bool = True

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
    ``first_order`` (an order that is its key's first)."""

    journeys: Journeys
    meta: pd.DataFrame


def _identity_keys(backend: Backend) -> ir.Table:
    ids = backend.table("identities")
    return ids.select(kind=ids.kind, value=ids.value, person=ids.person_ref)


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


def _journey_touches(backend: Backend, spec: JourneySpec) -> tuple[ir.Table, ir.Table]:
    touches = _touches(backend, spec.by)
    conv = conversion_rows(backend, spec)
    keys = conv.filter(conv.pkey.notnull()).select("conversion_id", "occurred_at", key=conv.pkey)
    keys = keys.union(
        conv.filter(conv.vkey.notnull()).select("conversion_id", "occurred_at", key=conv.vkey)
    )
    lookback = ibis.interval(days=spec.lookback_days)
    j = keys.join(touches, keys.key == touches.key)
    j = j.filter((j.ts <= j.occurred_at) & (j.ts >= j.occurred_at - lookback))
    j = j.select(
        journey=j.conversion_id, ts=j.ts, end=j.occurred_at, label=j.label, source=j.source
    )
    # a click known by the person's email, its visit only by the conversion's visitor id
    converting = _drop_opened_clicks(j, "journey").drop("source")
    all_keys = keys.select(ckey=keys.key).distinct()
    idle = touches.anti_join(all_keys, touches.key == all_keys.ckey)
    last = idle.ts.max().over(ibis.window(group_by=idle.key))
    idle = idle.mutate(end=last)
    idle = idle.filter(idle.ts >= idle.end - lookback)
    nonconverting = idle.select(
        journey=ibis.literal("null:").concat(idle.key), ts=idle.ts, end=idle.end, label=idle.label
    )
    return converting, nonconverting


def build_journeys(backend: Backend, spec: JourneySpec | None = None) -> WarehouseJourneys:
    """Fetch the journeys described by ``spec`` (module docstring) as :class:`Journeys`."""
    spec = spec or JourneySpec()
    converting, nonconverting = _journey_touches(backend, spec)
    conv: pd.DataFrame = backend.execute(conversion_rows(backend, spec))
    touches: pd.DataFrame = backend.execute(converting)
    parts = [touches]
    if spec.include_nonconverting:
        parts.append(backend.execute(nonconverting))
    frame = pd.concat(parts, ignore_index=True) if parts else touches
    # conversions with no touch in the window: one placeholder touch
    touched = set(touches["journey"])
    bare = conv[~conv["conversion_id"].isin(touched)]
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
    return _to_journeys(frame, conv)


def _to_journeys(frame: pd.DataFrame, conv: pd.DataFrame) -> WarehouseJourneys:
    frame = frame.sort_values(["journey", "ts", "label"], kind="stable").reset_index(drop=True)
    labels = tuple(sorted(frame["label"].astype(str).unique()))
    journey_ids, starts = np.unique(frame["journey"].to_numpy(dtype=object), return_index=True)
    order = np.argsort(starts)
    journey_ids, starts = journey_ids[order], starts[order]
    offsets = np.append(starts, len(frame)).astype(np.int64)
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
    journeys = Journeys(
        channels=labels,
        offsets=offsets,
        touch_channel=np.asarray(
            pd.Categorical(frame["label"].astype(str), categories=list(labels)).codes,
            dtype=np.int64,
        ),
        touch_age=np.asarray(ages, dtype=np.float64),
        conversions=converted.astype(np.float64),
        value=meta["value"].fillna(0.0).to_numpy(dtype=np.float64),
        nulls=(~converted).astype(np.float64),
    )
    meta["first_order"] = meta["first_order"].fillna(False).astype(bool)
    return WarehouseJourneys(journeys=journeys, meta=meta)
