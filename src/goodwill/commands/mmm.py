"""``goodwill mmm``: the marketing mix model (what the aggregates say each channel returns)."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import ExitStack
from typing import Annotated, Any

import pandas as pd
import typer

from goodwill.commands.common import (
    DbOption,
    FormatOption,
    SinceOption,
    UntilOption,
    cli_config,
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

SUGGESTION = "the model's suggestion, not a guarantee: it knows only the spends it has seen"


def register(app: typer.Typer) -> None:
    app.command("mmm")(mmm)


@user_errors
def mmm(
    outcome: Annotated[
        str,
        typer.Option(
            "--outcome",
            help="What the channels drive: revenue, orders, leads, visits, or sessions "
            "(GA4 sessions by day or week, for a business without an access log).",
        ),
    ] = "revenue",
    db: DbOption = None,
    format: FormatOption = "table",
    since: SinceOption = None,
    until: UntilOption = None,
    holidays: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated holiday dates (YYYY-MM-DD), a control of the model "
            "[default: [care] holidays of goodwill.toml]."
        ),
    ] = None,
    budget: Annotated[
        float | None,
        typer.Option(help="Total paid budget to split [default: what the paid channels spent]."),
    ] = None,
    draws: Annotated[int, typer.Option(help="Draws per chain (after as many warm-up).")] = 1500,
    chains: Annotated[int, typer.Option(help="Independent chains (at least 2).")] = 4,
    seed: Annotated[int, typer.Option(help="Random seed of the sampler.")] = 0,
    progress: Annotated[bool, typer.Option(help="Show a progress bar while sampling.")] = True,
) -> None:
    """Marketing mix model: contribution, ROI and marginal ROI per channel with 90 % credible
    intervals, response curves, the baseline's share, and a suggested budget split."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from goodwill.mmm import FitSettings, run

    fmt = parse_format(format)
    if chains < 2:
        raise UserInputError("--chains: at least 2, so convergence can be checked")
    if draws < 200:
        raise UserInputError("--draws: at least 200")
    hol = tuple(
        d
        for d in (parse_date(v.strip(), "--holidays") for v in (holidays or "").split(",") if v)
        if d is not None
    )
    if holidays is None:
        # default: the days the business is closed, [care] holidays in goodwill.toml
        from goodwill.metrics.business_hours import load_business_hours

        hol = tuple(sorted(load_business_hours(cli_config(db).path).holidays))
    settings = FitSettings(chains=chains, tune=draws, draws=draws, seed=seed)
    with Warehouse.open(db, read_only=True) as wh, ExitStack() as stack:
        tick: Callable[[int, int], None] | None = None
        if progress and err.is_terminal:
            bar = stack.enter_context(
                Progress(
                    TextColumn("sampling"),
                    BarColumn(),
                    TextColumn("{task.completed}/{task.total}"),
                    TimeRemainingColumn(),
                    console=err,
                    transient=True,
                )
            )
            task = bar.add_task("sampling", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            tick = advance

        mix = run(
            wh.ibis(),
            outcome,
            settings,
            holidays=hol,
            since=parse_date(since, "--since"),
            until=parse_date(until, "--until"),
            budget=budget,
            progress=tick,
        )
    res = mix.result
    conv = res.convergence
    if fmt == "json":
        out: dict[str, Any] = {
            "outcome": outcome,
            "weeks": res.weeks,
            "first_week": mix.weeks[0].isoformat(),
            "last_week": mix.weeks[-1].isoformat(),
            "converged": conv.converged,
            "holidays": [d.isoformat() for d in hol],
            "diagnostics": {
                "verdict": conv.words(),
                "rhat_max": round(conv.rhat_max, 4),
                "ess_min": round(conv.ess_min, 1),
                "acceptance": round(conv.acceptance, 3),
                "divergences": 0,
            },
        }
        if conv.converged:
            med, lo, hi = res.baseline_share
            out["baseline_share"] = {"share": med, "low": lo, "high": hi}
            out["channels"] = to_records(res.channels)
            out["curves"] = to_records(res.curves)
            if mix.budget is not None:
                bm, bl, bh = mix.budget.expected_change
                out["budget"] = {
                    "label": SUGGESTION,
                    "total": mix.budget.total,
                    "split": to_records(mix.budget.split),
                    "expected_change": bm,
                    "expected_change_low": bl,
                    "expected_change_high": bh,
                }
        console.file.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        if not conv.converged:
            raise typer.Exit(1)
        return
    err.print(conv.words(), highlight=False, soft_wrap=True)
    if not conv.converged:
        raise typer.Exit(1)
    frame = res.channels.drop(columns=["paid"])
    if fmt == "csv":
        render_frame(frame, fmt, console=console)
        return
    render_frame(
        _narrow(res.channels),
        fmt,
        console=console,
        title=f"Mix model of weekly {outcome}, {res.weeks} weeks (median and 90 % interval)",
    )
    from goodwill.mmm.lenses import baseline_sentence

    console.print(baseline_sentence(*res.baseline_share, outcome=outcome))
    if mix.budget is not None:
        split = mix.budget.split.round(0)
        render_frame(split, fmt, console=console, title=f"Budget split: {SUGGESTION}")
        bm, bl, bh = mix.budget.expected_change
        console.print(
            f"expected change of {outcome} with the suggested split: {bm:+,.0f} "
            f"(90 %: {bl:+,.0f} to {bh:+,.0f})"
        )


def _span(med: Any, lo: Any, hi: Any, digits: int) -> str:
    if med is None or med != med:
        return "-"
    return f"{med:,.{digits}f} ({lo:,.{digits}f} to {hi:,.{digits}f})"


def _narrow(channels: pd.DataFrame) -> pd.DataFrame:
    """One column per quantity, its interval beside it, so the table fits a terminal."""
    rows = []
    for r in channels.to_dict("records"):
        rows.append(
            {
                "channel": r["channel"],
                "spend": round(float(r["spend"])),
                "contribution": _span(
                    r["contribution"], r["contribution_low"], r["contribution_high"], 0
                ),
                "ROI": _span(r["roi"], r["roi_low"], r["roi_high"], 2),
                "marginal ROI": _span(r["mroi"], r["mroi_low"], r["mroi_high"], 2),
                "P(effect)": f"{float(r['p_effect']):.0%}",
            }
        )
    return pd.DataFrame(rows)
