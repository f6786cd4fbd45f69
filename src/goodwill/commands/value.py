"""``goodwill lift`` (causal lift of an intervention) and ``goodwill customers`` (returning
customers, churn, customer lifetime value, engaged-versus-not comparison)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from goodwill.commands.common import (
    DbOption,
    FormatOption,
    console,
    err,
    parse_date,
    parse_format,
    user_errors,
)
from goodwill.errors import UserInputError
from goodwill.output import render_frame, to_records
from goodwill.warehouse import Warehouse

__all__ = ["register"]

CUSTOMER_VIEWS = ("summary", "clv", "engaged")


def register(app: typer.Typer) -> None:
    app.command("lift")(lift)
    app.command("customers")(customers)


@user_errors
def lift(
    intervention: Annotated[
        str, typer.Option("--intervention", help="First day of the intervention, YYYY-MM-DD.")
    ],
    metric: Annotated[
        str | None,
        typer.Option(
            "--metric",
            help="Warehouse series: visits, visits:CHANNEL, leads, signups, orders, revenue, "
            "mentions, interactions.",
        ),
    ] = None,
    series: Annotated[
        Path | None,
        typer.Option("--series", help="CSV with columns date, y and optional control columns."),
    ] = None,
    controls: Annotated[
        str | None,
        typer.Option(
            "--controls",
            help="Comma-separated control series: metric names (with --metric) or columns "
            "(with --series; default all other columns).",
        ),
    ] = None,
    by: Annotated[str, typer.Option("--by", help="day or week (with --metric).")] = "day",
    trend: Annotated[bool, typer.Option("--trend", help="Local linear trend.")] = False,
    seasonal: Annotated[
        int | None, typer.Option("--seasonal", help="Season length in periods, e.g. 7.")
    ] = None,
    draws: Annotated[int, typer.Option("--draws", help="Simulation draws.")] = 2000,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write the lift plot to this SVG file.")
    ] = None,
    db: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Effect of an intervention on a daily or weekly series (state-space counterfactual)."""
    from goodwill.lift import estimate_lift, lift_svg, metric_series, post_start_of, read_series

    out_format = parse_format(fmt)
    start = parse_date(intervention, "--intervention")
    assert start is not None
    names = tuple(c.strip() for c in controls.split(",") if c.strip()) if controls else None
    if (metric is None) == (series is None):
        raise UserInputError("give exactly one of --metric NAME or --series FILE.csv")
    if draws < 100:
        raise UserInputError(f"--draws {draws}: use at least 100")
    if series is not None:
        frame = read_series(series)
        label = str(series)
    else:
        assert metric is not None
        with Warehouse.open(db, read_only=True) as wh:
            frame = metric_series(wh.ibis(), metric, names or (), by)
        label = metric
    result = estimate_lift(
        frame,
        post_start_of(frame, start, 7 if by == "week" and series is None else 1),
        controls=names,
        trend=trend,
        seasonal=seasonal,
        draws=draws,
        seed=seed,
    )
    if plot is not None:
        plot.write_text(lift_svg(result, f"Lift of {label} from {start}"), encoding="utf-8")
        err.print(f"plot written to {plot}", highlight=False)
    summary: dict[str, Any] = {"series": label, "intervention": start.isoformat()}
    summary.update(result.summary())
    if out_format == "json":
        console.file.write(json.dumps(to_records(pd.DataFrame([summary]))[0], indent=2) + "\n")
        return
    if out_format == "csv":
        render_frame(pd.DataFrame([summary]), out_format, console=console)
        return
    title = (
        f"Causal lift of {label} from {start}: {result.n_pre} periods before, "
        f"{result.n_post} after, {result.level:.0%} intervals, p = {result.p_value:.3f}; "
        f"model: {result.model}"
    )
    render_frame(_lift_rows(summary), out_format, console=console, title=title)
    if result.note:
        console.print(result.note, highlight=False)


def _lift_rows(s: dict[str, Any]) -> pd.DataFrame:
    """The summary as rows a person reads: measure, estimate, lower, upper."""
    rows = [
        ("actual (average)", s["actual_mean"], None, None),
        (
            "counterfactual (average)",
            s["predicted_mean"],
            s["predicted_lower"],
            s["predicted_upper"],
        ),
        ("effect (average per period)", s["effect"], s["effect_lower"], s["effect_upper"]),
        ("cumulative effect", s["cumulative_effect"], s["cumulative_lower"], s["cumulative_upper"]),
        ("relative effect", s["relative_effect"], s["relative_lower"], s["relative_upper"]),
    ]
    if s.get("placebo_periods"):
        rows.append(
            (
                f"placebo effect, {s['placebo_periods']} periods before (truth 0)",
                s["placebo_effect"],
                s["placebo_lower"],
                s["placebo_upper"],
            )
        )
    return pd.DataFrame(rows, columns=["measure", "estimate", "lower", "upper"])


@user_errors
def customers(
    view: Annotated[
        str, typer.Argument(help="summary (repeat rate, churn), clv, or engaged (matched).")
    ] = "summary",
    until: Annotated[
        str | None, typer.Option("--until", help="End of observation, YYYY-MM-DD.")
    ] = None,
    churn_days: Annotated[int, typer.Option("--churn-days")] = 180,
    horizon_days: Annotated[int, typer.Option("--horizon-days", help="CLV horizon.")] = 365,
    margin: Annotated[float, typer.Option("--margin", help="Gross margin for CLV.")] = 1.0,
    window_days: Annotated[
        int, typer.Option("--window-days", help="Outcome window after engaging.")
    ] = 90,
    top: Annotated[int, typer.Option("--top", help="Rows of the clv view.")] = 20,
    db: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Returning customers: repeat rate, churn, CLV (BG/NBD + Gamma-Gamma), engaged vs not."""
    from goodwill.value.repeat import customer_summary, repeat_summary

    out_format = parse_format(fmt)
    end = parse_date(until, "--until")
    if view not in CUSTOMER_VIEWS:
        raise UserInputError(f"customers view {view!r}: choose one of {', '.join(CUSTOMER_VIEWS)}")
    with Warehouse.open(db, read_only=True) as wh:
        backend = wh.ibis()
        if view == "summary":
            frame = repeat_summary(backend, end, churn_days)
            render_frame(frame, out_format, console=console, title="Returning customers")
            return
        if view == "clv":
            frame = _clv_frame(customer_summary(backend, end), horizon_days, margin, top)
            render_frame(frame, out_format, console=console, title="Customer lifetime value")
            return
        frame = _engaged_frame(backend, end, window_days)
    render_frame(frame, out_format, console=console, title="Engaged on social vs not (matched)")


def _clv_frame(summary: pd.DataFrame, horizon_days: int, margin: float, top: int) -> pd.DataFrame:
    from goodwill.value.bgnbd import clv_table

    if horizon_days < 1:
        raise UserInputError(f"--horizon-days {horizon_days}: must be at least 1")
    frame, bg, gg = clv_table(summary, horizon_days, margin, top)
    err.print(
        f"BG/NBD r={bg.r:.3f}±{bg.se['r']:.3f} alpha={bg.alpha:.3f}±{bg.se['alpha']:.3f} "
        f"a={bg.a:.3f}±{bg.se['a']:.3f} b={bg.b:.3f}±{bg.se['b']:.3f}; Gamma-Gamma "
        f"p={gg.p:.3f} q={gg.q:.3f} v={gg.v:.3f} (weeks)",
        highlight=False,
    )
    return frame


def _engaged_frame(backend: Any, end: date | None, window_days: int) -> pd.DataFrame:
    from goodwill.metrics.loyalty import attention
    from goodwill.metrics.params import MetricParams
    from goodwill.value.matching import matched_comparison
    from goodwill.value.repeat import order_days

    orders = backend.execute(order_days(backend, end))
    if orders.empty:
        raise UserInputError("the warehouse has no orders (conversions with kind=order)")
    acts = attention(backend, MetricParams())
    acts = acts.filter(acts.person.notnull())
    first = acts.group_by("person").aggregate(engaged_on=acts.created_at.min().date())
    engaged = backend.execute(first)
    last = end or pd.Timestamp(orders["day"].max()).date()
    rows = matched_comparison(orders, engaged, end=last, window_days=window_days)
    return pd.DataFrame([r.__dict__ for r in rows])
