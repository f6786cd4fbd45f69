"""The Money page: attribution models side by side with bootstrap intervals (``goodwill
attribution --compare``), ROI with the full cost (``goodwill roi``), returning customers and
lifetime value (``goodwill customers summary|clv``) and the lift of the newest platform with
its counterfactual plot (``goodwill lift``, as the report shows it).

What the filters mean here (each section also says it, and lists what it does not apply in
``not_filtered``):

* ``since`` / ``until`` — conversion dates (attribution, ROI and its costs); customers are
  counted up to ``until``.
* ``platform`` P — attribution: only the journeys, converting or not, with a touch from P (a
  touch whose source is P: an interaction on P, or a visit from P) —
  ``JourneySpec.touched_platform``, as ``goodwill attribution --touched-platform``; ROI: the
  row of P (and the total of every platform); customers and lifetime value: the customers
  acquired with a touch from P (within the lookback before their first order); lift: the lift
  of starting P.
* ``campaign`` C — the same with a touch of C (``--touched-campaign``); ROI by campaign, the
  row of C; lift: not applied (a campaign has no start to measure).

Counts of rows link to the rows (the leads and orders of the dates:
``/items?metric=leads|orders``; a customer of the lifetime-value table: the person); credited
conversions, leads and customers are model output, not rows, and link to the definitions of
the models; customers, returning and churned customers link to ``/items?metric=customers``
(``segment``), an ROI row's relationships to ``/items?metric=relationships`` of its platform or
campaign.

These are the expensive pages (bootstraps, model fits); one request fetches the journeys once
for every section (:class:`goodwill.attribution.journeys.JourneyStore`), and the app caches
each page per warehouse state and filters (:mod:`goodwill.web.dashboard.cache`). The model
runs of the default filters (every bootstrap refit, the lift) are computed by ``goodwill
import`` / ``goodwill demo`` and stored beside the warehouse (:func:`store_money_credits`,
:mod:`goodwill.attribution.stored`): a view looks each run up by its exact inputs, computes
it when not found (other filters, or data changed since the import), and each section says
which.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from goodwill.attribution.stored import CreditMemo, load_memo, stored_path
from goodwill.metrics.items import acquired_people, name_people
from goodwill.web.dashboard.context import Ctx, person_href
from goodwill.web.dashboard.filters import Filters
from goodwill.web.dashboard.page_models import Card, Section, table

if TYPE_CHECKING:
    from goodwill.attribution.bootstrap import BootstrapDraws
    from goodwill.attribution.journeys import JourneyStore
    from goodwill.warehouse import Warehouse

__all__ = ["CREDIT_HREF", "REPLICATES", "credit_sections", "money_page", "store_money_credits"]

REPLICATES = 100
"""Bootstrap replicates for the intervals shown (the CLI's ``goodwill roi`` default); the
page states the number. The replicates share their draws and are solved in batches, so 100
cost less than the 50 of the one-by-one bootstrap did (benchmarks/dashboard_pages.py)."""

STORE_MIN_CONVERSIONS = 20
"""Below this many conversions in the warehouse :func:`store_money_credits` stores nothing:
the bootstraps of a handful of journeys cost a view little, and an import (many small ones
in tests) would pay the page's queries for nothing."""

CREDIT_HREF = "/definitions#models"
"""Where a credited (fractional) number links: the attribution models that produce it."""

_DATES_ONLY = {
    "since": "customers are counted from their first order ever",
}


def _touch_note(f: Filters) -> str:
    parts = []
    if f.platform:
        parts.append(f"a touch from {f.platform} (an interaction on it or a visit from it)")
    if f.campaign:
        parts.append(f"a touch of the campaign {f.campaign}")
    return " and ".join(parts)


def _items_href(f: Filters, metric: str) -> str:
    return "/items" + Filters(since=f.since, until=f.until).query(metric=metric)


def _stored_note(memo: CreditMemo) -> str:
    """Where the section's model runs came from (:mod:`goodwill.attribution.stored`)."""
    if memo.hits and not memo.misses:
        return f" Computed at import ({memo.stored_at}) for these exact data and filters."
    if memo.stored_at and memo.misses:
        return (
            " Computed now: the results stored at import are of other data or filters "
            "(goodwill import stores those of the page's default filters)."
        )
    return ""


def _attribution(ctx: Ctx, store: JourneyStore, memo: CreditMemo) -> Section:
    from goodwill.attribution.bootstrap import AttributionResult, bootstrap_draws
    from goodwill.attribution.journeys import JourneySpec, build_journeys
    from goodwill.attribution.models import MODELS

    f = ctx.filters
    spec = JourneySpec(
        since=f.since, until=f.until, touched_platform=f.platform, touched_campaign=f.campaign
    )
    journeys = build_journeys(ctx.backend, spec, store=store).journeys
    touch = _touch_note(f)
    scope = (
        f" Only the journeys (converting or not) with {touch} in their lookback "
        "(goodwill attribution --touched-platform/--touched-campaign); their whole journeys "
        "are credited, so other channels share the credit."
        if touch
        else ""
    )
    if journeys.conversions.sum() == 0:
        return Section(
            id="attribution", title="Attribution", intro="No conversions." + scope.rstrip()
        )
    parts = []
    shared: list[BootstrapDraws] = []

    def draws() -> BootstrapDraws:  # one set for every model, drawn on the first miss
        if not shared:
            shared.append(bootstrap_draws(journeys, replicates=REPLICATES, seed=0))
        return shared[0]

    for name in MODELS:
        # as attribute_with_intervals(journeys, name, draws=...), looked up first
        conv, val = memo.bootstrap(journeys, name, replicates=REPLICATES, seed=0, draws=draws)
        result = AttributionResult(
            model=name,
            point=memo.attribute(journeys, name),
            conversions_draws=conv,
            value_draws=val,
            level=0.9,
        )
        frame = result.frame()[["channel", "conversions", "value", "share", "ci_low", "ci_high"]]
        parts.append(frame.assign(model=name))
    long = pd.concat(parts, ignore_index=True)
    wide = long.pivot_table(index="channel", columns="model", values="share", aggfunc="sum")
    wide = wide[list(MODELS)].reset_index()
    share = {m: "fraction" for m in MODELS}
    credit_link = {"conversions": lambda r: CREDIT_HREF}
    return Section(
        id="attribution",
        title="Attribution: share of conversions by model",
        intro=f"{int(journeys.conversions.sum()):,} conversions in {journeys.n:,} journeys. "
        f"Every model side by side; 90% bootstrap intervals from {REPLICATES} replicates "
        "in the second table (goodwill attribution --compare). Credited conversions are "
        "fractions of conversions, model output (linked to the models' definitions)."
        + scope
        + _stored_note(memo),
        tables=[
            table(
                "attribution",
                "Share by model",
                wide,
                units=share,
                definitions={m: f"share of conversion credit under the {m} model" for m in MODELS},
            ),
            table(
                "attribution_intervals",
                "Each model with its interval",
                long[["model", "channel", "conversions", "value", "share", "ci_low", "ci_high"]],
                units={"share": "fraction", "ci_low": "fraction", "ci_high": "fraction"},
                definitions={
                    "conversions": "conversions credited to the channel by the model",
                    "ci_low": "5th percentile of the bootstrap shares",
                    "ci_high": "95th percentile of the bootstrap shares",
                    "value": "credited conversion value (reporting currency)",
                },
                links=credit_link,
            ),
        ],
    )


def _roi(ctx: Ctx, store: JourneyStore, memo: CreditMemo) -> Section:
    from goodwill.attribution.roi import RoiSettings, roi_table
    from goodwill.attribution.scorecard_config import load_scorecard_config
    from goodwill.config import load_config
    from goodwill.metrics.common import filter_dates

    f = ctx.filters
    cfg = load_config()
    config = load_scorecard_config(cfg.path)
    settings = RoiSettings(
        model=config.model,
        hourly_rate=config.hourly_rate,
        replicates=REPLICATES,
        since=f.since,
        until=f.until,
    )
    by = "campaign" if f.campaign else "platform"
    frame = roi_table(ctx.backend, by, settings, store=store, memo=memo)
    not_filtered: dict[str, str] = {}
    if f.campaign:
        frame = frame[frame["campaign"].isin([f.campaign, "total"])]
        scope = f" The row of the campaign {f.campaign} and the total of every campaign."
        if f.platform:
            not_filtered["platform"] = (
                "with a campaign chosen, ROI is by campaign: a campaign's credit and costs "
                "are not split by platform"
            )
    elif f.platform:
        frame = frame[frame["platform"].isin([f.platform, "total"])]
        scope = f" The row of {f.platform} and the total of every platform."
    else:
        scope = ""
    conv = filter_dates(ctx.backend.table("conversions"), "occurred_at", f.params())
    counts = ctx.backend.execute(conv.group_by("kind").aggregate(n=conv.count()))
    n_by_kind = dict(zip(counts["kind"], counts["n"], strict=True))
    everywhere = "all platforms and campaigns" if f.platform or f.campaign else None
    cards = [
        Card(
            name="money_leads",
            label="Leads in the dates",
            value=float(n_by_kind.get("lead", 0)),
            unit="count",
            definition="conversions of kind lead within the dates (every platform; the rows "
            "the ROI table credits)",
            href=_items_href(f, "leads"),
            detail=everywhere,
        ),
        Card(
            name="money_orders",
            label="Orders in the dates",
            value=float(n_by_kind.get("order", 0)),
            unit="count",
            definition="conversions of kind order within the dates (every platform)",
            href=_items_href(f, "orders"),
            detail=everywhere,
        ),
    ]
    total = frame[frame[by] == "total"]
    if len(total):
        row = total.iloc[0]
        cards += [
            Card(
                name="roi",
                label="ROI",
                value=float(row["roi"]),
                unit="fraction",
                definition="(attributed value - full cost) / full cost",
                detail=f"interval {row['roi_low']:.0%} to {row['roi_high']:.0%}",
            ),
            Card(
                name="cost",
                label=f"Full cost ({cfg.currency})",
                value=float(row["cost"]),
                unit="currency",
                definition="staff time, tools, prizes, ads, content, other",
            ),
        ]
        baseline = float(frame.attrs.get("baseline_value", float("nan")))
        if baseline == baseline:  # the incremental model's (baseline): not NaN
            cards.append(
                Card(
                    name="baseline_value",
                    label=f"Sales that would have happened anyway ({cfg.currency})",
                    value=baseline,
                    unit="currency",
                    definition="order value the incremental model's baseline explains: no "
                    "platform is credited with it (the attributed value is what social added)"
                    + _caveat(frame.attrs.get("baseline_unidentified", ())),
                )
            )
    money = {c: "currency" for c in frame.columns if c.startswith(("value", "cost"))}
    links: dict[str, Any] = {c: (lambda r: CREDIT_HREF) for c in ("leads", "customers")}
    links["relationships"] = lambda r: _relationships_href(f, by, r)
    return Section(
        id="roi",
        title=f"Return on investment by {by} ({config.model} model)",
        intro=f"Money in {cfg.currency}; attributed value with a 90% bootstrap interval "
        f"({REPLICATES} replicates) against the full cost (goodwill roi). Leads and "
        "customers are credited by the model (fractions, linked to its definition); the "
        "cards count the conversions behind them." + scope + _stored_note(memo),
        not_filtered=not_filtered,
        cards=cards,
        tables=[
            table(
                "roi",
                "ROI",
                frame,
                units={
                    **money,
                    "roi": "fraction",
                    "roi_low": "fraction",
                    "roi_high": "fraction",
                    "relationships": "people",
                },
                definitions={
                    "roi": "(value - cost) / cost",
                    "leads": "leads credited to the row by the model",
                    "customers": "first orders credited to the row by the model",
                    "cost_per_lead": "cost / leads",
                    "cost_per_customer": "cost / customers",
                    "cost_per_relationship": "cost / engaged relationships",
                },
                links=links,
            )
        ],
    )


def _relationships_href(f: Filters, by: str, row: dict[str, Any]) -> str | None:
    """The people behind an ROI row's ``relationships``: of its platform or campaign (the
    ``total`` row: everyone) within the dates; none without any (the ``(shared)`` costs row,
    a platform with costs but no account)."""
    key = str(row[by])
    if not row.get("relationships"):
        return None
    scope = {} if key == "total" else {by: key}
    return "/items" + Filters(since=f.since, until=f.until, **scope).query(metric="relationships")


def _customer_href(person: object) -> str | None:
    """A customer resolved to a person links to the person; an unresolved order key does
    not (it is no person)."""
    if not isinstance(person, str) or person.startswith(("customer:", "email:", "visitor:")):
        return None
    return person_href(person)


def _named(ctx: Ctx, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``name``: the display name of its ``person`` (names, not ids), or the
    person key itself when it is no known person (an unresolved order key)."""
    named = name_people(ctx.backend, frame.rename(columns={"person": "person_id"}))
    out = frame.copy()
    out["name"] = list(named["person"])
    return out


def _customers(ctx: Ctx, store: JourneyStore) -> Section:
    from goodwill.value.bgnbd import clv_table
    from goodwill.value.repeat import customer_summary, repeat_summary

    f = ctx.filters
    people = acquired_people(ctx.backend, f.platform, f.campaign, store)
    touch = _touch_note(f)
    scope = (
        f" Only the customers acquired with {touch} within the 30 days before their first order."
        if touch
        else ""
    )
    if people is not None and not people:
        return Section(
            id="customers",
            title="Returning customers and lifetime value",
            intro="No customers." + scope,
            not_filtered=_DATES_ONLY,
        )
    summary = repeat_summary(ctx.backend, f.until, people=people)
    segments = {"customers": "all", "repeat_customers": "repeat", "churned": "churned"}
    base = Filters(until=f.until, platform=f.platform, campaign=f.campaign)
    tables = [
        table(
            "returning_customers",
            "Returning customers and churn",
            summary,
            definitions={"customers": "customers with an order on or before until"},
            units={c: "people" for c in segments},
            links={
                c: (lambda r, seg=seg: "/items" + base.query(metric="customers", segment=seg))
                for c, seg in segments.items()
            },
        )
    ]
    per_customer = customer_summary(ctx.backend, f.until, people=people)
    if len(per_customer) >= 10:
        clv = _named(ctx, clv_table(per_customer, 365, 1.0, 20)[0])
        tables.append(
            table(
                "clv",
                "Customer lifetime value, next 365 days (BG/NBD + Gamma-Gamma)",
                clv,
                columns=["name", *(c for c in clv.columns if c not in ("name", "person"))],
                definitions={
                    "name": "the customer (their name; the order key when not a known person)",
                    "clv": "expected value over 365 days × margin",
                    "p_alive": "probability the customer is still active (BG/NBD)",
                },
                links={"name": lambda r: _customer_href(r.get("person"))},
            )
        )
    return Section(
        id="customers",
        title="Returning customers and lifetime value",
        intro="Customers up to the until date (goodwill customers summary|clv); a customer "
        "links to the person." + scope,
        not_filtered=_DATES_ONLY,
        tables=tables,
    )


_LIFT_NOT_FILTERED = {
    "campaign": "a campaign has no start date in the data to measure the lift of; this is "
    "the lift of starting a platform",
    "since": "the counterfactual needs the whole series before and after the start",
    "until": "the counterfactual needs the whole series before and after the start",
}


def _lift(ctx: Ctx, memo: CreditMemo) -> Section | None:
    from goodwill.lift.plot import lift_svg
    from goodwill.lift.series import (
        metric_series,
        newest_platform_start,
        platform_starts,
        post_start_of,
    )

    f = ctx.filters
    if f.platform:
        starts = platform_starts(ctx.backend)
        found = [(p, d) for p, d in starts if p == f.platform]
        if not found or found[0][1] == starts[0][1]:
            why = (
                "the brand was on it from the start of the data: no series before it"
                if found
                else "the brand has no audience snapshots on it, so no start date"
            )
            return Section(
                id="lift",
                title=f"Lift of starting on {f.platform}",
                intro=f"Not estimated: {why}.",
                not_filtered=_LIFT_NOT_FILTERED,
            )
        start: tuple[str, Any] | None = found[0]
    else:
        start = newest_platform_start(ctx.backend)
    if start is None:
        return None
    platform, day = start
    series = metric_series(ctx.backend, "visits")
    post = post_start_of(series, day)
    if post < 28 or len(series) - post < 14:
        if not f.platform:
            return None
        return Section(
            id="lift",
            title=f"Lift of starting on {platform} ({day:%d %B %Y})",
            intro="Not estimated: it needs 28 days of visits before the start and 14 after.",
            not_filtered=_LIFT_NOT_FILTERED,
        )
    result = memo.lift(series, post)  # estimate_lift(series, post, controls=()), looked up
    s = result.summary()
    frame = pd.DataFrame([{k: v for k, v in s.items() if not isinstance(v, list | dict)}])
    chosen = "the platform filter" if f.platform else "the platform the brand started on last"
    return Section(
        id="lift",
        title=f"Lift of starting on {platform} ({day:%d %B %Y}) on daily visits",
        intro=f"{result.effect:+.1f} visits a day (95% interval {result.effect_lower:+.1f} "
        f"to {result.effect_upper:+.1f}); p = {result.p_value:.3f} (goodwill lift). "
        f"The platform is {chosen}. {result.note}" + _stored_note(memo),
        not_filtered=_LIFT_NOT_FILTERED,
        cards=[
            Card(
                name="lift_effect",
                label="Visits a day from the intervention",
                value=float(result.effect),
                unit="visits a day (estimate)",
                definition="mean of actual - counterfactual after the intervention "
                "(state-space model of the series before)",
                detail=f"{result.effect_lower:+.1f} to {result.effect_upper:+.1f}",
            ),
            Card(
                name="lift_cumulative",
                label="Extra visits in all",
                value=float(result.cumulative_effect),
                unit="visits (estimate)",
                definition="sum of actual - counterfactual after the intervention",
            ),
        ],
        charts=[lift_svg(result, title=f"Daily visits: actual vs without {platform}")],
        tables=[table("lift", "Lift summary", frame)],
    )


def credit_sections(
    ctx: Ctx, store: JourneyStore, memo: CreditMemo | None = None
) -> tuple[Section, Section]:
    """The attribution and ROI sections of ``ctx`` (its headline dates), their model runs
    looked up in ``memo`` first: by default the runs stored at import beside the warehouse
    (:mod:`goodwill.attribution.stored`; the bootstraps' refits)."""
    if memo is None:
        memo = load_memo(Path(ctx.wh.path) if ctx.wh.path is not None else None)
    roi = _roi(ctx, store, memo.fork())
    return _attribution(ctx, store, memo.fork()), roi


def money_page(ctx: Ctx) -> list[Section]:
    """Attribution, ROI, customers, the two lenses and lift. With no period chosen, the
    conversions and costs are those of the default period of every page
    (:meth:`Ctx.headline_ctx`)."""
    from goodwill.attribution.journeys import JourneyStore

    ctx = ctx.headline_ctx()

    store = JourneyStore(ctx.backend)  # one fetch of the journeys for every section
    from goodwill.web.dashboard.pages_lenses import lenses_section

    # the model runs stored at import (the bootstraps' refits, the lift), looked up by inputs
    memo = load_memo(Path(ctx.wh.path) if ctx.wh.path is not None else None)
    attribution, roi = credit_sections(ctx, store, memo)
    sections = [attribution, roi, _customers(ctx, store)]
    lenses = lenses_section(ctx, roi)
    if lenses is not None:
        sections.append(lenses)
    lift = _lift(ctx, memo.fork())
    if lift is not None:
        sections.append(lift)
    return sections


def store_money_credits(wh: Warehouse) -> str:
    """Run the Money page's attribution, ROI and lift for its default filters, recording every
    model run, and store them beside the warehouse (:mod:`goodwill.attribution.stored`;
    ``goodwill import`` and ``goodwill demo`` call it; runs already stored for the same
    inputs are kept, not recomputed). A line saying what was stored."""
    from goodwill.attribution.journeys import JourneyStore
    from goodwill.errors import GoodwillError

    where = Path(wh.path) if wh.path is not None else None
    path = stored_path(where)
    if path is None:
        return "money page: not stored (in-memory warehouse)"
    backend = wh.ibis()
    conversions = int(backend.execute(backend.table("conversions").count()))
    if conversions < STORE_MIN_CONVERSIONS:
        return f"money page: not stored ({conversions} conversions: a view computes them at once)"
    memo = load_memo(where, record=True)
    try:
        ctx = Ctx(wh, Filters()).headline_ctx()
        credit_sections(ctx, JourneyStore(ctx.backend), memo)
        _lift(ctx, memo.fork())
    except (GoodwillError, ValueError, np.linalg.LinAlgError) as exc:
        return f"money page: intervals not stored ({exc})"
    memo.save(path)
    computed = memo.misses
    return (
        f"money page: {memo.recorded} model runs stored in {path.name} "
        f"({computed} computed, {memo.recorded - computed} unchanged)"
    )


def _caveat(unidentified: tuple[str, ...]) -> str:
    from goodwill.attribution.roi import baseline_caveat  # lazy, as the page's other roi use

    caveat = baseline_caveat(unidentified)
    return f"; {caveat}" if caveat else ""
