"""The Money page: attribution models side by side with bootstrap intervals (``goodwill
attribution --compare``), ROI with the full cost (``goodwill roi``), returning customers and
lifetime value (``goodwill customers summary|clv``) and the lift of the newest platform with
its counterfactual plot (``goodwill lift``, as the report shows it).

These are the expensive pages (bootstraps, model fits); the app caches each result per
warehouse state and filters (:mod:`goodwill.web.dashboard.cache`).
"""

from __future__ import annotations

import pandas as pd

from goodwill.web.dashboard.page_models import Card, Section, table
from goodwill.web.dashboard.pages_relationships import Ctx

__all__ = ["REPLICATES", "money_page"]

REPLICATES = 50
"""Bootstrap replicates for the intervals shown (the CLI's ``--replicates``; its default is
larger). 50 keeps the first view of the page a few seconds shorter (the Markov model's
bootstrap dominates, see benchmarks/dashboard_pages.py); the page states the number."""


def _attribution(ctx: Ctx) -> Section:
    from goodwill.attribution.bootstrap import attribute_with_intervals
    from goodwill.attribution.journeys import JourneySpec, build_journeys
    from goodwill.attribution.models import MODELS

    f = ctx.filters
    journeys = build_journeys(ctx.backend, JourneySpec(since=f.since, until=f.until)).journeys
    if journeys.conversions.sum() == 0:
        return Section(id="attribution", title="Attribution", intro="No conversions.")
    parts = []
    for name in MODELS:
        result = attribute_with_intervals(journeys, name, replicates=REPLICATES)
        frame = result.frame()[["channel", "conversions", "value", "share", "ci_low", "ci_high"]]
        parts.append(frame.assign(model=name))
    long = pd.concat(parts, ignore_index=True)
    wide = long.pivot_table(index="channel", columns="model", values="share", aggfunc="sum")
    wide = wide[list(MODELS)].reset_index()
    share = {m: "fraction" for m in MODELS}
    return Section(
        id="attribution",
        title="Attribution: share of conversions by model",
        intro=f"Every model side by side; 90% bootstrap intervals from {REPLICATES} replicates "
        "in the second table (goodwill attribution --compare).",
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
                    "ci_low": "5th percentile of the bootstrap shares",
                    "ci_high": "95th percentile of the bootstrap shares",
                    "value": "credited conversion value (reporting currency)",
                },
            ),
        ],
    )


def _roi(ctx: Ctx) -> Section:
    from goodwill.attribution.roi import RoiSettings, roi_table
    from goodwill.attribution.scorecard_config import load_scorecard_config
    from goodwill.config import load_config

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
    frame = roi_table(ctx.backend, by, settings)
    if f.campaign:
        frame = frame[frame["campaign"].isin([f.campaign, "total"])]
    elif f.platform:
        frame = frame[frame["platform"].isin([f.platform, "total"])]
    cards = []
    total = frame[frame[by] == "total"]
    if len(total):
        row = total.iloc[0]
        cards = [
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
    money = {c: "currency" for c in frame.columns if c.startswith(("value", "cost"))}
    return Section(
        id="roi",
        title=f"Return on investment by {by} ({config.model} model)",
        intro=f"Money in {cfg.currency}; attributed value with a 90% bootstrap interval "
        f"({REPLICATES} replicates) against the full cost (goodwill roi).",
        cards=cards,
        tables=[
            table(
                "roi",
                "ROI",
                frame,
                units={**money, "roi": "fraction", "roi_low": "fraction", "roi_high": "fraction"},
                definitions={
                    "roi": "(value - cost) / cost",
                    "cost_per_lead": "cost / leads",
                    "cost_per_customer": "cost / customers",
                    "cost_per_relationship": "cost / engaged relationships",
                },
            )
        ],
    )


def _customers(ctx: Ctx) -> Section:
    from goodwill.value.bgnbd import clv_table
    from goodwill.value.repeat import customer_summary, repeat_summary

    summary = repeat_summary(ctx.backend, ctx.filters.until)
    tables = [table("returning_customers", "Returning customers and churn", summary)]
    per_customer = customer_summary(ctx.backend, ctx.filters.until)
    if len(per_customer) >= 10:
        clv = clv_table(per_customer, 365, 1.0, 20)[0]
        tables.append(
            table(
                "clv",
                "Customer lifetime value, next 365 days (BG/NBD + Gamma-Gamma)",
                clv,
                definitions={
                    "clv": "expected value over 365 days × margin",
                    "p_alive": "probability the customer is still active (BG/NBD)",
                },
            )
        )
    return Section(id="customers", title="Returning customers and lifetime value", tables=tables)


def _lift(ctx: Ctx) -> Section | None:
    from goodwill.lift.model import estimate_lift
    from goodwill.lift.plot import lift_svg
    from goodwill.lift.series import metric_series, newest_platform_start, post_start_of

    start = newest_platform_start(ctx.backend)
    if start is None:
        return None
    platform, day = start
    series = metric_series(ctx.backend, "visits")
    post = post_start_of(series, day)
    if post < 28 or len(series) - post < 14:
        return None
    result = estimate_lift(series, post, controls=())
    s = result.summary()
    frame = pd.DataFrame([{k: v for k, v in s.items() if not isinstance(v, list | dict)}])
    return Section(
        id="lift",
        title=f"Lift of starting on {platform} ({day:%d %B %Y}) on daily visits",
        intro=f"{result.effect:+.1f} visits a day (95% interval {result.effect_lower:+.1f} "
        f"to {result.effect_upper:+.1f}); p = {result.p_value:.3f} (goodwill lift). {result.note}",
        cards=[
            Card(
                name="lift_effect",
                label="Visits a day from the intervention",
                value=float(result.effect),
                unit="count",
                definition="mean of actual - counterfactual after the intervention "
                "(state-space model of the series before)",
                detail=f"{result.effect_lower:+.1f} to {result.effect_upper:+.1f}",
            ),
            Card(
                name="lift_cumulative",
                label="Extra visits in all",
                value=float(result.cumulative_effect),
                unit="count",
                definition="sum of actual - counterfactual after the intervention",
            ),
        ],
        charts=[lift_svg(result, title=f"Daily visits: actual vs without {platform}")],
        tables=[table("lift", "Lift summary", frame)],
    )


def money_page(ctx: Ctx) -> list[Section]:
    sections = [_attribution(ctx), _roi(ctx), _customers(ctx)]
    lift = _lift(ctx)
    if lift is not None:
        sections.append(lift)
    return sections
