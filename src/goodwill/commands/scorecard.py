"""``goodwill scorecard``: a month's headline numbers beside the month before, optionally
narrowed to one platform and/or one campaign (:func:`goodwill.metrics.scorecard`)."""

from __future__ import annotations

from typing import Annotated

import typer

from goodwill.commands.common import (
    DbOption,
    FormatOption,
    PlatformOption,
    cli_config,
    console,
    parse_format,
    parse_month,
    user_errors,
    warn_if_unresolved,
)

__all__ = ["register"]

CampaignOption = Annotated[
    str | None, typer.Option(help="Only this campaign (posts, links or costs name it).")
]


def register(app: typer.Typer) -> None:
    @app.command()
    @user_errors
    def scorecard(
        db: DbOption = None,
        month: Annotated[
            str | None, typer.Option(help="Month, YYYY-MM [default: the last with data].")
        ] = None,
        platform: PlatformOption = None,
        campaign: CampaignOption = None,
        format: FormatOption = "table",
    ) -> None:
        """The month's headline numbers beside the month before. --platform and --campaign
        narrow each headline as docs/metrics.md (Scorecard) says; a headline a filter does
        not narrow says so in the not_narrowed column."""
        import pandas as pd

        from goodwill.metrics import scorecard as compute
        from goodwill.metrics.scope import check_campaign, check_platform
        from goodwill.output import format_value, render_frame
        from goodwill.warehouse import Warehouse as Open

        fmt = parse_format(format)
        when = parse_month(month)
        with Open.open(db, read_only=True) as wh:
            if platform is not None:
                platform = check_platform(wh.ibis(), platform, "--platform ")
            if campaign is not None:
                campaign = check_campaign(wh.ibis(), campaign, "--campaign ")
            warn_if_unresolved(wh)
            rows = compute(wh.ibis(), month=when, platform=platform, campaign=campaign)
        frame = pd.DataFrame(
            [
                {
                    "headline": r.name,
                    "label": r.label,
                    "value": r.value,
                    "previous": r.previous,
                    "change": r.change,
                    "unit": r.unit,
                    "not_narrowed": r.not_narrowed or "",
                }
                for r in rows
            ],
            columns=["headline", "label", "value", "previous", "change", "unit", "not_narrowed"],
        )
        if fmt == "table":
            code = cli_config(db).currency  # money with the reporting currency's symbol
            for col in ("value", "previous"):
                frame[col] = [
                    format_value(v, u, code) for v, u in zip(frame[col], frame["unit"], strict=True)
                ]
            frame["change"] = ["–" if pd.isna(c) else f"{c:+.1%}" for c in frame["change"]]
            frame = frame.drop(columns=["headline", "unit"])
            if not frame["not_narrowed"].astype(bool).any():
                frame = frame.drop(columns=["not_narrowed"])
        scope = ", ".join(
            f"{k} {v}" for k, v in (("platform", platform), ("campaign", campaign)) if v
        )
        render_frame(
            frame, fmt, console=console, title="scorecard" + (f" ({scope})" if scope else "")
        )
