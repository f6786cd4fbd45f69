"""Return on investment of social media by platform, campaign and month, and the scorecard's
progress against its targets.

For each row (a platform, a campaign or a month):

* ``value`` — order value the attribution model credits to it: by platform, the credit of
  touches whose source is the platform; by campaign, of touches carrying the campaign; by
  month, of social touches (channels ``social`` and ``paid_social``) for orders placed that
  month. ``value_low``/``value_high`` — its bootstrap percentile interval.
* ``cost`` — the full cost (staff, tools, prizes, ads, content, other; see
  :mod:`goodwill.attribution.costs`), ``cost_staff`` … its parts.
* ``roi = (value − cost) / cost`` with ``roi_low``/``roi_high`` from the value's interval;
  NaN without cost.
* ``leads`` / ``customers`` — leads and first orders credited the same way;
  ``relationships`` — distinct people (the person of
  :func:`goodwill.metrics.common.person_of`, the roster's) with an inbound interaction other
  than ``unfollow`` within the dates (by month: in that month; by campaign: on its posts).
* ``cost_per_lead = cost / leads``, ``cost_per_customer = cost / customers``,
  ``cost_per_relationship = cost / relationships`` (NaN when the divisor is 0).

A ``(shared)`` platform or campaign row holds costs not tied to one; the ``total`` row sums
every row (its value interval sums the rows' bootstrap replicates; by month the months are
resampled independently).

The frame's ``attrs`` name the ``model`` and, for the incremental model, hold
``baseline_value``: the order value of the dates that would have happened anyway (the
model's ``(baseline)`` row; NaN for the other models, which credit every sale to a touch),
and ``baseline_unidentified``: the channels too few people went without for the data to
separate their credit from the baseline (:func:`~goodwill.attribution.incremental.unidentified`;
empty for the other models). Where it is not empty the split between those channels and
``baseline_value`` is an extrapolation, and its interval says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

import ibis
import numpy as np
import pandas as pd

from goodwill.attribution.costs import SHARED, allocate_costs, cost_rows
from goodwill.attribution.incremental import unidentified
from goodwill.attribution.journeys import (
    JourneySpec,
    JourneyStore,
    WarehouseJourneys,
    build_journeys,
)
from goodwill.attribution.models import ModelOptions
from goodwill.attribution.paths import FloatArray
from goodwill.attribution.scorecard_config import ScorecardConfig
from goodwill.attribution.scorecard_levels import judge, last_data_day, level_actual
from goodwill.attribution.stored import CreditMemo
from goodwill.metrics.common import person_of
from goodwill.metrics.declarations import Backend

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "COST_CATEGORIES",
    "ROI_COLUMNS",
    "SOCIAL_CHANNELS",
    "RoiSettings",
    "engagers",
    "relationships",
    "roi_table",
    "scorecard_progress",
]

SOCIAL_CHANNELS = ("social", "paid_social")
COST_CATEGORIES = ("staff", "tools", "prizes", "ads", "content", "other")
ROI_COLUMNS = (
    "value",
    "value_low",
    "value_high",
    "cost",
    *(f"cost_{c}" for c in COST_CATEGORIES),
    "roi",
    "roi_low",
    "roi_high",
    "leads",
    "customers",
    "relationships",
    "cost_per_lead",
    "cost_per_customer",
    "cost_per_relationship",
)


@dataclass(frozen=True, kw_only=True)
class RoiSettings:
    """How ROI is computed: model, its options, lookback, bootstrap size, interval level,
    staff hourly rate and dates (conversions and costs, inclusive)."""

    model: str = "markov"
    options: ModelOptions = field(default_factory=ModelOptions)
    lookback_days: int = 30
    replicates: int = 100
    level: float = 0.9
    seed: int = 0
    hourly_rate: float | None = None
    since: date | None = None
    until: date | None = None


def engagers(backend: Backend, *, since: date | None = None, until: date | None = None) -> ir.Table:
    """Every inbound interaction (not ``unfollow``) on or between the dates (``created_at``'s
    day, inclusive): ``platform, created_at, campaign`` (of the post acted on) and ``who``,
    the person of :func:`goodwill.metrics.common.person_of` (the roster's person). The
    relationships of :func:`relationships` are its distinct ``who``."""
    inter = backend.table("interactions")
    inter = inter.filter((inter.direction == "inbound") & (inter.kind != "unfollow"))
    inter = person_of(backend, inter)
    posts = backend.table("posts")
    p = posts.select(pplatform=posts.platform, ppost=posts.post_id, pcampaign=posts.campaign)
    j = inter.left_join(p, [inter.platform == p.pplatform, inter.post_id == p.ppost])
    e = j.select(
        platform=j.platform,
        created_at=j.created_at,
        campaign=j.pcampaign,
        kind=j.kind,
        who=j.person,
    )
    if since is not None:
        e = e.filter(e.created_at.date() >= since)
    if until is not None:
        e = e.filter(e.created_at.date() <= until)
    return e


def relationships(
    backend: Backend, by: str, *, since: date | None = None, until: date | None = None
) -> pd.DataFrame:
    """Distinct engaged people per ``by`` (platform, campaign, month or ``all``): columns
    ``key, relationships``."""
    e = engagers(backend, since=since, until=until)
    if by == "all":
        expr = e.aggregate(relationships=e.who.nunique()).mutate(key=ibis.literal("all"))
    else:
        key = {
            "platform": e.platform,
            "campaign": e.campaign,
            "month": e.created_at.truncate("M").cast("date"),
        }[by]
        e = e.mutate(key=key).filter(key.notnull())
        expr = e.group_by("key").aggregate(relationships=e.who.nunique())
    frame: pd.DataFrame = backend.execute(expr.select("key", "relationships"))
    if by == "month":
        frame["key"] = [pd.Timestamp(k).date() for k in frame["key"]]
    return frame


def _brand_platforms(backend: Backend) -> list[str]:
    acc = backend.table("accounts")
    expr = acc.filter(acc.owner == "brand").select("platform").distinct()
    return sorted(str(p) for p in backend.execute(expr)["platform"])


def _post_campaigns(backend: Backend) -> list[str]:
    posts = backend.table("posts")
    expr = posts.filter(posts.campaign.notnull()).select("campaign").distinct()
    return sorted(str(c) for c in backend.execute(expr)["campaign"])


class _Credited:
    """Credit per label: order value (with bootstrap draws), leads and first orders, each
    computed when first read (the scorecard needs one of them; each is a model fit)."""

    def __init__(
        self,
        orders: Callable[[], tuple[FloatArray, FloatArray]],
        leads: Callable[[], FloatArray],
        customers: Callable[[], FloatArray],
    ) -> None:
        self._orders_of, self._leads_of, self._customers_of = orders, leads, customers

    @cached_property
    def _orders(self) -> tuple[FloatArray, FloatArray]:
        return self._orders_of()

    @property
    def value(self) -> FloatArray:
        return self._orders[0]

    @property
    def value_draws(self) -> FloatArray:
        return self._orders[1]

    @cached_property
    def leads(self) -> FloatArray:
        return self._leads_of()

    @cached_property
    def customers(self) -> FloatArray:
        return self._customers_of()

    def baseline(self, labels: tuple[str, ...]) -> float:
        """The ``(baseline)`` value (incremental model: one entry more than the labels)."""
        return float(self.value[-1]) if len(self.value) == len(labels) + 1 else float("nan")


def _credited(
    wj: WarehouseJourneys, mask: np.ndarray, s: RoiSettings, memo: CreditMemo | None = None
) -> _Credited:
    """Credit per label for the converting journeys in ``mask`` (plus every non-converting
    journey): order value (with bootstrap draws), leads and first orders, each fitted when
    first read. ``memo``: runs looked up by their inputs first
    (:mod:`goodwill.attribution.stored`; same numbers)."""
    m = memo or CreditMemo()
    j, meta = wj.journeys, wj.meta
    idle = meta["kind"].isna().to_numpy()
    kind = meta["kind"].fillna("").to_numpy()
    first = meta["first_order"].to_numpy(dtype=bool)
    # the incremental model's credit has one more entry: (baseline)
    k = len(j.channels) + (s.model == "incremental")

    def run(select: np.ndarray) -> FloatArray:
        sub = j.subset(select | idle)
        if sub.conversions.sum() == 0:
            return np.zeros(k)
        return m.attribute(sub, s.model, s.options).conversions

    def orders() -> tuple[FloatArray, FloatArray]:
        sub = j.subset((mask & (kind == "order")) | idle)
        if sub.conversions.sum() == 0:
            return np.zeros(k), np.zeros((s.replicates, k))
        point = m.attribute(sub, s.model, s.options).value
        _, draws = m.bootstrap(
            sub, s.model, replicates=s.replicates, seed=s.seed, options=s.options
        )
        return point, draws

    return _Credited(
        orders,
        lambda: run(mask & (kind == "lead")),
        lambda: run(mask & first),
    )


def _interval(draws: FloatArray, level: float) -> tuple[float, float]:
    if len(draws) == 0:
        return float("nan"), float("nan")
    a = (1 - level) / 2
    return float(np.quantile(draws, a)), float(np.quantile(draws, 1 - a))


def _row(
    key: object, c: _Credited, columns: list[int], s: RoiSettings, counts: bool = True
) -> dict[str, object]:
    lo, hi = _interval(c.value_draws[:, columns].sum(axis=1), s.level)
    nan = float("nan")
    return {
        "key": key,
        "value": float(c.value[columns].sum()),
        "value_low": lo,
        "value_high": hi,
        "leads": float(c.leads[columns].sum()) if counts else nan,
        "customers": float(c.customers[columns].sum()) if counts else nan,
    }


def baseline_caveat(unidentified: tuple[str, ...]) -> str:
    """What page one and the Money page add to the incremental model's baseline when the data
    cannot separate it from the ``unidentified`` channels (``baseline_unidentified``); empty
    when every channel is identified."""
    if not unidentified:
        return ""
    return (
        f"a rough split: too few people went without {', '.join(unidentified)} for the data "
        "to say how much of it would have happened without them"
    )


def roi_table(
    backend: Backend,
    by: str,
    settings: RoiSettings | None = None,
    *,
    store: JourneyStore | None = None,
    memo: CreditMemo | None = None,
    counts: bool = True,
) -> pd.DataFrame:
    """ROI rows by ``platform``, ``campaign`` or ``month`` (module docstring), then ``total``.

    Columns: ``by`` then :data:`ROI_COLUMNS`. ``store``: the journey rows to share with other
    calls (:class:`~goodwill.attribution.journeys.JourneyStore`); ``memo``: model runs looked
    up by their inputs first (:class:`~goodwill.attribution.stored.CreditMemo`, the runs
    stored at import); same result. ``counts=False``: ``leads``, ``customers`` and their
    costs per are NaN, not fitted (two model fits fewer, for callers that read value and
    ROI only); the other columns are the same.
    """
    s = settings or RoiSettings()
    if by not in ("platform", "campaign", "month"):
        raise ValueError("by must be platform, campaign or month")
    label_dim = {"platform": "source", "campaign": "campaign", "month": "channel"}[by]
    spec = JourneySpec(lookback_days=s.lookback_days, by=label_dim, since=s.since, until=s.until)
    wj = build_journeys(backend, spec, store=store)
    labels = wj.journeys.channels
    converted = wj.meta["kind"].notna().to_numpy()
    costs = allocate_costs(
        cost_rows(backend), by, hourly_rate=s.hourly_rate, since=s.since, until=s.until
    )
    rows: list[dict[str, object]] = []
    total_draws = np.zeros(s.replicates)
    baseline = 0.0 if s.model == "incremental" else float("nan")
    if by == "month":
        social = [i for i, c in enumerate(labels) if c in SOCIAL_CHANNELS]
        months = pd.to_datetime(wj.meta["occurred_at"]).dt.to_period("M")
        for month in sorted(months[converted].unique()):
            mask = (months == month).to_numpy() & converted
            credited_m = _credited(wj, mask, s, memo)
            rows.append(_row(month.start_time.date(), credited_m, social, s, counts))
            total_draws += credited_m.value_draws[:, social].sum(axis=1)
            baseline += float(np.nan_to_num(credited_m.baseline(labels)))
    else:
        credited = _credited(wj, converted, s, memo)
        if s.model == "incremental":
            baseline = float(np.nan_to_num(credited.baseline(labels)))
        named = _brand_platforms(backend) if by == "platform" else _post_campaigns(backend)
        keys = sorted({*named, *(str(k) for k in costs["key"] if k != SHARED)})
        for key in keys:
            columns = [labels.index(key)] if key in labels else []
            rows.append(_row(key, credited, columns, s, counts))
            total_draws += credited.value_draws[:, columns].sum(axis=1)
    frame = pd.DataFrame(
        rows, columns=["key", "value", "value_low", "value_high", "leads", "customers"]
    )
    wide = costs.pivot_table(index="key", columns="category", values="cost", aggfunc="sum")
    wide = wide.reindex(columns=list(COST_CATEGORIES)).fillna(0.0)
    wide.columns = [f"cost_{c}" for c in wide.columns]
    wide["cost"] = wide.sum(axis=1)
    frame = frame.merge(wide.reset_index(), on="key", how="outer")
    rel = relationships(backend, by, since=s.since, until=s.until)
    frame = frame.merge(rel, on="key", how="left")
    frame["relationships"] = frame["relationships"].fillna(0).astype("float64")
    for col in ("value", "leads", "customers", "cost", *(f"cost_{c}" for c in COST_CATEGORIES)):
        frame[col] = frame[col].astype("float64").fillna(0.0)
    frame = frame.sort_values("key", key=lambda k: k.astype(str)).reset_index(drop=True)
    total = _total_row(frame, backend, s)
    total["value_low"], total["value_high"] = _interval(total_draws, s.level)
    # rows as records, not concat: concatenating an all-NA column is deprecated in pandas
    numeric = [c for c in frame.columns if c != "key"]
    frame = pd.DataFrame([*frame.to_dict("records"), total], columns=list(frame.columns))
    frame[numeric] = frame[numeric].astype("float64")
    if not counts:  # not fitted
        frame["leads"] = frame["customers"] = np.nan
    frame = _ratios(frame)
    frame = frame.rename(columns={"key": by})
    out = frame[[by, *ROI_COLUMNS]]
    loose = unidentified(wj.journeys) if s.model == "incremental" else ()
    out.attrs.update(model=s.model, baseline_value=baseline, baseline_unidentified=loose)
    return out


def _total_row(frame: pd.DataFrame, backend: Backend, s: RoiSettings) -> dict[str, object]:
    sums = {c: float(frame[c].sum()) for c in frame.columns if c not in ("key", "relationships")}
    rel = relationships(backend, "all", since=s.since, until=s.until)
    sums["relationships"] = float(rel["relationships"].sum())
    return {"key": "total", **sums}


def _ratios(frame: pd.DataFrame) -> pd.DataFrame:
    cost = frame["cost"]

    def div(a: pd.Series, b: pd.Series) -> pd.Series:
        return (a / b.where(b > 0)).astype("float64")

    frame["roi"] = div(frame["value"] - cost, cost)
    frame["roi_low"] = div(frame["value_low"] - cost, cost)
    frame["roi_high"] = div(frame["value_high"] - cost, cost)
    frame["cost_per_lead"] = div(cost, frame["leads"])
    frame["cost_per_customer"] = div(cost, frame["customers"])
    frame["cost_per_relationship"] = div(cost, frame["relationships"])
    return frame


def scorecard_progress(
    backend: Backend, config: ScorecardConfig, settings: RoiSettings | None = None
) -> pd.DataFrame:
    """Progress against each configured target: columns ``period, horizon, start, end,
    currency, target, actual, actual_low, actual_high, baseline, progress, elapsed,
    status``; ``attrs["model"]`` names the attribution model.

    The journeys are fetched once for every period (a
    :class:`~goodwill.attribution.journeys.JourneyStore`; the same numbers as a build per
    period). ``actual`` is the chosen currency over the period's days: a sum (social's attributed
    revenue, leads or customers; engaged relationships) or a level (ROI; ``reputation`` = net
    sentiment; ``care`` = response rate; ``care_time`` = median first response hours), see
    :mod:`goodwill.attribution.scorecard_levels`. ``actual_low``/``actual_high`` is the
    bootstrap interval (revenue and ROI; NaN otherwise). ``baseline``: with the incremental
    model and a sum credited by it (revenue, leads, customers), the period's amount its
    ``(baseline)`` row holds, what would have happened anyway without social (NaN
    otherwise; ``actual`` is what social added). ``elapsed`` is the share of the
    period's days up to the last day with data (last interaction for relationships,
    reputation and care; last conversion otherwise).

    Sums: ``progress = actual / target``; ``status`` is ``met`` (progress ≥ 1), ``on track``
    (progress ≥ elapsed) or ``behind``. Levels do not accumulate: ``progress = actual /
    target`` (``care_time``: ``target / actual``); ``met`` when the target is reached and the
    period is over, ``on track`` when reached while it runs, else ``behind``. ``no data`` when
    ``actual`` is NaN.
    """
    base = settings or RoiSettings(model=config.model, hourly_rate=config.hourly_rate)
    rows = []
    last_day = last_data_day(backend, config.currency)
    store = JourneyStore(backend)  # one fetch of the journeys for every period
    for t in config.targets:
        s = replace(base, since=t.start, until=t.end)
        actual, low, high, baseline = _period_actual(backend, config.currency, s, store)
        days = (t.end - t.start).days + 1
        if last_day is None or last_day < t.start:
            elapsed = 0.0
        else:
            elapsed = min(1.0, ((min(last_day, t.end) - t.start).days + 1) / days)
        progress, status = judge(config.currency, actual, t.target, elapsed)
        rows.append(
            {
                "period": t.label,
                "horizon": t.horizon,
                "start": t.start,
                "end": t.end,
                "currency": config.currency,
                "target": t.target,
                "actual": actual,
                "actual_low": low,
                "actual_high": high,
                "baseline": baseline,
                "progress": progress,
                "elapsed": elapsed,
                "status": status,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "period",
            "horizon",
            "start",
            "end",
            "currency",
            "target",
            "actual",
            "actual_low",
            "actual_high",
            "baseline",
            "progress",
            "elapsed",
            "status",
        ],
    )
    out.attrs["model"] = base.model
    return out


def _period_actual(
    backend: Backend, currency: str, s: RoiSettings, store: JourneyStore | None = None
) -> tuple[float, float, float, float]:
    """``actual, actual_low, actual_high, baseline`` of one period (:func:`scorecard_progress`)."""
    nan = float("nan")
    if currency in ("reputation", "care", "care_time"):
        assert s.since is not None and s.until is not None
        return level_actual(backend, currency, s.since, s.until), nan, nan, nan
    if currency == "relationships":
        rel = relationships(backend, "all", since=s.since, until=s.until)
        return float(rel["relationships"].sum()), nan, nan, nan
    wj = build_journeys(
        backend,
        JourneySpec(lookback_days=s.lookback_days, by="channel", since=s.since, until=s.until),
        store=store,
    )
    converted = wj.meta["kind"].notna().to_numpy()
    social = [i for i, c in enumerate(wj.journeys.channels) if c in SOCIAL_CHANNELS]
    c = _credited(wj, converted, s)  # only the credit the currency reads is fitted
    labels = wj.journeys.channels
    if currency == "leads":
        return float(c.leads[social].sum()), nan, nan, _baseline_of(c.leads, labels)
    if currency == "customers":
        return float(c.customers[social].sum()), nan, nan, _baseline_of(c.customers, labels)
    value = float(c.value[social].sum())
    low, high = _interval(c.value_draws[:, social].sum(axis=1), s.level)
    if currency == "revenue":
        return value, low, high, c.baseline(labels)
    costs = allocate_costs(
        cost_rows(backend), "month", hourly_rate=s.hourly_rate, since=s.since, until=s.until
    )
    cost = float(costs["cost"].sum())
    if cost <= 0:
        return nan, nan, nan, nan
    return (value - cost) / cost, (low - cost) / cost, (high - cost) / cost, nan


def _baseline_of(credited: FloatArray, labels: tuple[str, ...]) -> float:
    """The ``(baseline)`` entry of a credit (incremental model: one more than the labels)."""
    return float(credited[-1]) if len(credited) == len(labels) + 1 else float("nan")
