"""``goodwill attribution`` and ``goodwill roi``: who gets the credit, and what social returns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer

from goodwill.commands.common import (
    DbOption,
    FormatOption,
    SinceOption,
    UntilOption,
    console,
    err,
    parse_date,
    parse_format,
    user_errors,
)
from goodwill.errors import UserInputError
from goodwill.output import render_frame
from goodwill.warehouse import Warehouse

if TYPE_CHECKING:
    from goodwill.attribution.models import ModelOptions
    from goodwill.attribution.paths import Journeys
    from goodwill.output import OutputFormat

__all__ = ["register"]

_KINDS = ("lead", "signup", "order")
_ROI_TABLE_COLUMNS = (
    "value",
    "cost",
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


def _kinds(value: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in value.split(",") if k.strip())
    bad = [k for k in kinds if k not in _KINDS]
    if bad or not kinds:
        raise UserInputError(
            f"--kind {value!r}: expected a comma-separated list of {', '.join(_KINDS)}"
        )
    return kinds


def _check(name: str, value: str, valid: tuple[str, ...]) -> None:
    if value not in valid:
        raise UserInputError(f"{name} {value!r}: choose one of {', '.join(valid)}")


def attribution(
    db: DbOption = None,
    model: Annotated[str, typer.Option(help="Attribution model (see --compare for all).")] = (
        "markov"
    ),
    lookback_days: Annotated[int, typer.Option(help="Touches this many days before.")] = 30,
    by: Annotated[str, typer.Option(help="Credit by channel, source or campaign.")] = "channel",
    kind: Annotated[str, typer.Option(help="Conversion kinds, comma-separated.")] = (
        "lead,signup,order"
    ),
    since: Annotated[str | None, typer.Option(help="First conversion day, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Last conversion day, YYYY-MM-DD.")] = None,
    half_life_days: Annotated[float, typer.Option(help="Time-decay half-life.")] = 7.0,
    order: Annotated[int, typer.Option(help="Markov chain order.")] = 1,
    replicates: Annotated[int, typer.Option(help="Bootstrap replicates.")] = 200,
    level: Annotated[float, typer.Option(help="Interval level.")] = 0.9,
    compare: Annotated[bool, typer.Option("--compare", help="All models side by side.")] = False,
    touched_platform: Annotated[
        str | None,
        typer.Option(
            help="Only journeys (converting or not) with a touch from this platform "
            "(an interaction on it or a visit from it)."
        ),
    ] = None,
    touched_campaign: Annotated[
        str | None,
        typer.Option(help="Only journeys (converting or not) with a touch of this campaign."),
    ] = None,
    format: FormatOption = "table",
) -> None:
    """Credit conversions to channels: rows channel, conversions, value, share, ci_low,
    ci_high (the share's bootstrap interval). --model incremental adds a (baseline) row: the
    conversions that would have happened anyway; its channels' shares are of the rest."""
    from goodwill.attribution.incremental import MIN_WITHOUT, MIN_WITHOUT_SHARE, unidentified
    from goodwill.attribution.journeys import DIMENSIONS, JourneySpec, build_journeys
    from goodwill.attribution.models import MODELS, ModelOptions

    fmt = parse_format(format)
    _check("--model", model, MODELS)
    _check("--by", by, DIMENSIONS)
    if lookback_days < 0:
        raise UserInputError(f"--lookback-days {lookback_days}: expected 0 or more")
    if half_life_days <= 0:
        raise UserInputError(f"--half-life-days {half_life_days}: expected a positive number")
    if not 1 <= order <= 4:
        raise UserInputError(f"--order {order}: expected 1 to 4")
    if replicates < 0:
        raise UserInputError(f"--replicates {replicates}: expected 0 or more")
    if not 0 < level < 1:
        raise UserInputError(f"--level {level}: expected a number between 0 and 1")
    spec = JourneySpec(
        lookback_days=lookback_days,
        kinds=_kinds(kind),
        by=by,
        since=parse_date(since, "--since"),
        until=parse_date(until, "--until"),
        touched_platform=touched_platform,
        touched_campaign=touched_campaign,
    )
    options = ModelOptions(half_life_days=half_life_days, markov_order=order)
    with Warehouse.open(db, read_only=True) as wh:
        journeys = build_journeys(wh.ibis(), spec).journeys
    if journeys.conversions.sum() == 0:
        raise UserInputError(
            f"no conversions of kind {kind} in the selected dates; import conversions first "
            "or widen --since/--until"
        )
    loose = unidentified(journeys) if compare or model == "incremental" else ()
    if loose:
        err.print(
            f"incremental: too few journeys (under {MIN_WITHOUT_SHARE:.0%}, or under "
            f"{MIN_WITHOUT}) went without {', '.join(loose)}: its effect cannot be told from "
            "the baseline (identified: false), and its interval spans every split between them"
        )
    _attribution_out(journeys, model, compare, fmt, replicates, level, options, loose)


def _attribution_out(
    journeys: Journeys,
    model: str,
    compare: bool,
    fmt: OutputFormat,
    replicates: int,
    level: float,
    options: ModelOptions,
    loose: tuple[str, ...],
) -> None:
    """Run the model(s) with bootstrap intervals and print them (``goodwill attribution``)."""
    from goodwill.attribution.bootstrap import attribute_with_intervals, bootstrap_draws
    from goodwill.attribution.incremental import BASELINE
    from goodwill.attribution.models import MODELS

    columns = ["channel", "conversions", "value", "share", "ci_low", "ci_high"]
    units = {"share": "share", "ci_low": "share", "ci_high": "share"}
    if not compare:
        result = attribute_with_intervals(
            journeys, model, replicates=replicates, level=level, options=options
        )
        frame = result.frame()[columns]
        title = f"attribution: {model}"
        if model == "incremental":
            # a channel too few went without is not identified against the baseline, and so
            # neither is the baseline
            frame["identified"] = [
                not loose if c == BASELINE else c not in loose for c in frame["channel"]
            ]
            title += (
                " (shares of the incremental conversions; (baseline): would have happened anyway)"
            )
        render_frame(frame, fmt, console=console, title=title, units=units)
        return
    parts = []
    draws = bootstrap_draws(journeys, replicates=replicates)  # the same for every model
    for name in MODELS:
        result = attribute_with_intervals(journeys, name, level=level, options=options, draws=draws)
        parts.append(result.frame()[columns].assign(model=name))
    long = pd.concat(parts, ignore_index=True)[["model", *columns]]
    if fmt != "table":
        render_frame(long, fmt, console=console)
        return
    wide = long.pivot_table(index="channel", columns="model", values="share", aggfunc="sum")
    wide = wide[list(MODELS)].reset_index().sort_values("channel").reset_index(drop=True)
    render_frame(
        wide,
        fmt,
        console=console,
        title="attribution: share of conversions by model",
        units={m: "share" for m in MODELS},
    )


def roi(
    db: DbOption = None,
    by: Annotated[str, typer.Option(help="Rows by platform, campaign or month.")] = "platform",
    model: Annotated[str | None, typer.Option(help="Attribution model [default: config].")] = (
        None
    ),
    lookback_days: Annotated[int, typer.Option(help="Touches this many days before.")] = 30,
    since: SinceOption = None,
    until: UntilOption = None,
    hourly_rate: Annotated[
        float | None, typer.Option(help="Staff cost per hour [default: config].")
    ] = None,
    replicates: Annotated[int, typer.Option(help="Bootstrap replicates.")] = 100,
    targets: Annotated[
        bool, typer.Option("--targets", help="Progress against the [scorecard] targets.")
    ] = False,
    format: FormatOption = "table",
) -> None:
    """Return on investment with the full cost: ROI = (value - cost) / cost, cost per lead,
    customer and engaged relationship; --targets shows the scorecard's progress."""
    from goodwill.attribution.models import MODELS
    from goodwill.attribution.roi import RoiSettings, roi_table, scorecard_progress
    from goodwill.attribution.scorecard_config import load_scorecard_config
    from goodwill.config import load_config

    fmt = parse_format(format)
    _check("--by", by, ("platform", "campaign", "month"))
    config = load_scorecard_config(load_config().path)
    chosen = model or config.model
    _check("--model", chosen, MODELS)
    if hourly_rate is not None and hourly_rate < 0:
        raise UserInputError(f"--hourly-rate {hourly_rate}: expected 0 or more")
    if replicates < 1:
        raise UserInputError(f"--replicates {replicates}: expected 1 or more")
    settings = RoiSettings(
        model=chosen,
        lookback_days=lookback_days,
        replicates=replicates,
        hourly_rate=hourly_rate if hourly_rate is not None else config.hourly_rate,
        since=parse_date(since, "--since"),
        until=parse_date(until, "--until"),
    )
    with Warehouse.open(db, read_only=True) as wh:
        if targets:
            if not config.targets:
                raise UserInputError(
                    "no targets: add a [scorecard.targets] table to goodwill.toml, e.g. "
                    '"2026-03" = 120 (see goodwill.attribution.scorecard_config)'
                )
            frame = scorecard_progress(wh.ibis(), config, settings)
            title = f"scorecard: {config.currency} against target"
            if config.currency in ("revenue", "leads", "customers", "roi"):
                title += f" (credited by the {chosen} model"
                if chosen == "incremental" and config.currency != "roi":
                    title += "; baseline: would have happened anyway without social"
                title += ")"
            units = {"progress": "share", "elapsed": "share"}
            if config.currency in ("roi", "care"):  # ratios shown as percentages
                units |= dict.fromkeys(("target", "actual", "actual_low", "actual_high"), "share")
        else:
            frame = roi_table(wh.ibis(), by, settings)
            title = f"ROI by {by} ({chosen}; csv/json add value intervals and cost by category)"
            baseline = float(frame.attrs.get("baseline_value", float("nan")))
            if baseline == baseline:  # incremental: what would have happened anyway
                title += f"; {baseline:,.2f} of sales would have happened anyway"
            units = {"roi": "share", "roi_low": "share", "roi_high": "share"}
            if fmt == "table":
                frame = frame[[by, *_ROI_TABLE_COLUMNS]]
    render_frame(frame, fmt, console=console, title=title, units=units)


def register(app: typer.Typer) -> None:
    app.command("attribution")(user_errors(attribution))
    app.command("roi")(user_errors(roi))
