"""Report sections built from the relationship, ROI and lift modules.

Each builder returns a :class:`Section` (or ``None`` when the warehouse has nothing for it);
the report template renders sections in order. Builders only format what the modules return.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from goodwill.output import format_value
from goodwill.report.charts import ProgressBar, progress_bars
from goodwill.report.summary import ExecutiveSummary, period_name
from goodwill.report.summary import month_end as _month_end
from goodwill.warehouse import Warehouse

__all__ = [
    "Section",
    "TableBlock",
    "frame_block",
    "lift_section",
    "money_section",
    "progress_section",
    "roster_section",
]


@dataclass
class TableBlock:
    headers: list[str]
    rows: list[list[str]]
    definitions: dict[str, str] = field(default_factory=dict)
    text_columns: set[int] = field(default_factory=set)
    caption: str = ""
    labelled: bool = False
    """Whether the headers are already labels (:func:`goodwill.report.labels.label_table`)."""


@dataclass
class Section:
    id: str
    title: str
    intro: str = ""
    charts: list[str] = field(default_factory=list)
    tables: list[TableBlock] = field(default_factory=list)


def frame_block(
    df: pd.DataFrame,
    *,
    units: dict[str, str] | None = None,
    definitions: dict[str, str] | None = None,
    text: tuple[str, ...] = (),
    caption: str = "",
) -> TableBlock:
    units = units or {}
    headers = [str(c) for c in df.columns]
    rows = [
        [format_value(v, units.get(c, "")) for c, v in zip(headers, row, strict=True)]
        for row in df.itertuples(index=False)
    ]
    return TableBlock(
        headers=headers,
        rows=rows,
        definitions=definitions or {},
        text_columns={headers.index(c) for c in text if c in headers},
        caption=caption,
    )


def progress_section(summary: ExecutiveSummary) -> Section:
    """Progress against every target in ``[scorecard.targets]``: short-term (months), then
    long-term (quarters, years), as bars (the tick marks how much of the period is gone) and a
    table (``goodwill scorecard``'s progress)."""
    from goodwill.attribution.scorecard_levels import LEVEL_CURRENCIES

    frame, amount = summary.progress, summary.amount
    title = "Scorecard: progress against target"
    now = f"{summary.label[0].upper()}{summary.label[1:]}: {amount(summary.value)} in "
    now += f"{summary.month:%B %Y}" + (
        "." if pd.isna(summary.previous) else f", {amount(summary.previous)} the month before."
    )
    if frame.empty:
        intro = (
            f"No targets are set. {now} Set them in goodwill.toml, e.g. "
            '[scorecard.targets] "2026-03" = 120 (a month), "2026-Q2" = 400, "2026" = 1500.'
        )
        return Section(id="progress", title=title, intro=intro)
    level = summary.currency in LEVEL_CURRENCIES
    charts = []
    for horizon, name in (("short", "Short-term targets"), ("long", "Long-term targets")):
        part = frame[frame["horizon"] == horizon]
        if part.empty:
            continue
        bars = [
            ProgressBar(
                label=period_name(r["start"], r["end"]),
                progress=float(r["progress"]),
                elapsed=None if level else float(r["elapsed"]),
                status=str(r["status"]),
                note=f"{amount(float(r['actual']))} of {amount(float(r['target']))}"
                f" · {r['status']}",
            )
            for r in part.to_dict("records")
        ]
        charts.append(progress_bars(bars, title=f"{name}: {summary.label}"))
    table = pd.DataFrame(
        {
            "period": frame["period"],
            "horizon": frame["horizon"].map({"short": "short-term", "long": "long-term"}),
            "target": [amount(float(v)) for v in frame["target"]],
            "actual": [amount(float(v)) for v in frame["actual"]],
            "likely between": [
                "–" if pd.isna(lo) else f"{amount(float(lo))} – {amount(float(hi))}"
                for lo, hi in zip(frame["actual_low"], frame["actual_high"], strict=True)
            ],
            "progress": frame["progress"],
            "period gone": frame["elapsed"],
            "status": frame["status"],
        }
    )
    if "baseline" in frame and frame["baseline"].notna().any():  # the incremental model's
        table.insert(
            4,
            "would have happened anyway",
            ["–" if pd.isna(v) else amount(float(v)) for v in frame["baseline"]],
        )
    intro = f"{now} Each bar fills as the actual approaches its target" + (
        "." if level else "; the dark tick marks how much of the period has gone."
    )
    return Section(
        id="progress",
        title=title,
        intro=intro,
        charts=charts,
        tables=[frame_block(table, units={"progress": "share", "period gone": "share"})],
    )


def roster_section(wh: Warehouse, month: date) -> Section | None:
    """Who paid attention this month, by name; newcomers, champions gone quiet, people to
    thank (``goodwill people --month``)."""
    from goodwill.people.roster import monthly_roster

    roster = monthly_roster(wh, month)
    if roster.people.empty:
        return None
    people = roster.people.sort_values(["score", "interactions"], ascending=False)
    champions = people[people["tier"] == "champion"]["name"].head(10).tolist()
    regulars = int((people["regular"] == "regular").sum())
    intro = (
        f"{len(people):,} people paid attention to us in {month:%B %Y}: {regulars:,} regulars, "
        f"{len(roster.newcomers):,} newcomers. "
        + (f"Our champions this month include {', '.join(champions)}. " if champions else "")
        + f"{len(roster.gone_quiet):,} champions have gone quiet and "
        f"{len(roster.to_thank):,} people deserve a thank-you."
    )
    cols = ["name", "platforms", "did", "tier", "customer", "first_seen", "regular"]
    return Section(
        id="people",
        title=f"Who paid attention in {month:%B %Y}, by name",
        intro=intro,
        tables=[
            frame_block(
                # most engaged = most interactions in the month (the score also weighs
                # sentiment, so a loud complainer is engaged but not close; issue 18)
                people.sort_values(["interactions", "score"], ascending=False)[cols].head(25),
                text=("name", "did"),
                caption="The month's most engaged people (goodwill people lists all)",
            ),
            frame_block(
                roster.to_thank[["name", "reason"]].head(10),
                text=("name", "reason"),
                caption="People to thank",
            ),
            frame_block(
                roster.gone_quiet[["name", "reason"]].head(10),
                text=("name", "reason"),
                caption="Champions gone quiet",
            ),
        ],
    )


def money_section(
    wh: Warehouse,
    *,
    replicates: int = 20,
    month: date | None = None,
    model: str | None = None,
    hourly_rate: float | None = None,
) -> Section | None:
    """ROI by platform with the full cost and its interval (``goodwill roi``), in ``month``
    (the report's month, as page one; ``None``: all the data), credited
    by attribution ``model`` (default: roi's). ROI as a signed whole percent, money with its
    symbol, credited leads and customers rounded."""
    from dataclasses import replace

    from goodwill.attribution.roi import RoiSettings, roi_table
    from goodwill.report.summary import format_amount, money

    settings = RoiSettings(replicates=replicates, hourly_rate=hourly_rate)
    if model:
        settings = replace(settings, model=model)
    if month is not None:
        settings = replace(settings, since=month, until=_month_end(month))
    frame = roi_table(wh.ibis(), "platform", settings)
    if frame.empty:
        return None
    code = wh.get_meta("reporting_currency") or "USD"
    key = frame.columns[0]

    def num(v: object) -> float | None:
        return None if v is None or pd.isna(float(v)) else float(v)  # type: ignore[arg-type]

    def cash(v: object) -> str:
        x = num(v)
        return "–" if x is None else money(x, code)

    def pct(v: object) -> str:
        x = num(v)
        return "–" if x is None else format_amount(x, "percent", code)

    def whole(v: object) -> str:
        x = num(v)
        return "–" if x is None else f"{round(x):,}"

    rows = frame.to_dict("records")
    table = pd.DataFrame(
        {
            "Platform": [str(r[key]) for r in rows],
            "Sales credited": [cash(r["value"]) for r in rows],
            "likely between": [_range(cash(r["value_low"]), cash(r["value_high"])) for r in rows],
            "Full cost": [cash(r["cost"]) for r in rows],
            "ROI": [pct(r["roi"]) for r in rows],
            "ROI likely between": [_range(pct(r["roi_low"]), pct(r["roi_high"])) for r in rows],
            "Leads (credited)": [whole(r["leads"]) for r in rows],
            "New customers (credited)": [whole(r["customers"]) for r in rows],
            "Cost per lead": [cash(r["cost_per_lead"]) for r in rows],
        }
    )
    period = f"{month:%B %Y}" if month is not None else "all the data"
    name = str(frame.attrs.get("model", settings.model))
    intro = (
        f"{period}: sales credited to each platform ({name} attribution model; the likely "
        "range covers 9 chances in 10) against its full cost: staff time, tools, prizes, ads "
        "and content. ROI = (sales credited − full cost) / full cost."
    )
    intro += (
        " Each platform is credited separately here, so the total row can differ from page "
        "one's ROI, which credits social media as one channel."
    )
    definitions = {
        "likely between": "The range the sales credited lie in with 9 chances in 10.",
        "ROI likely between": "The range ROI lies in with 9 chances in 10.",
    }
    return Section(
        id="money",
        title=f"Return on investment, {period}",
        intro=intro,
        tables=[frame_block(table, definitions=definitions)],
    )


def _range(low: str, high: str) -> str:
    """``$369 – $1,009``; ``–`` when neither end is known."""
    return "–" if low == high == "–" else f"{low} – {high}"


def lift_section(wh: Warehouse) -> Section | None:
    """The causal lift of the newest platform the brand started on, on daily visits."""
    from goodwill.lift.model import estimate_lift
    from goodwill.lift.plot import lift_svg
    from goodwill.lift.series import metric_series, newest_platform_start, post_start_of

    start = newest_platform_start(wh.ibis())
    if start is None:
        return None
    platform, day = start
    series = metric_series(wh.ibis(), "visits")
    post = post_start_of(series, day)
    if post < 28 or len(series) - post < 14:
        return None
    result = estimate_lift(series, post, controls=())
    chance = (
        "very unlikely to be chance"
        if result.p_value < 0.01
        else "unlikely to be chance"
        if result.p_value < 0.05
        else "could well be chance"
    )
    end = pd.Timestamp(series["date"].iloc[-1])
    intro = (
        f"We started on {platform} on {day:%d %B %Y}. From the {post:,} days of visits before, "
        f"we forecast the visits we would have had without {platform} (the dashed line; the "
        "shaded band is where they would likely have been, 95 chances in 100). From then "
        f"until {end:%d %B %Y} "
    )
    intro += (
        f"actual visits differed from that forecast by {result.effect:+,.1f} a day (likely "
        f"{result.effect_lower:+,.1f} to {result.effect_upper:+,.1f}; "
        f"{result.relative_effect:+.0%}), {result.cumulative_effect:+,.0f} visits in all; a "
        f"difference this large {chance}. "
    ).replace("-", "−") + _lift_caveat(result)
    return Section(
        id="lift",
        title=f"Did starting on {platform} change anything?",
        intro=intro,
        charts=[
            lift_svg(
                result,
                title=f"Daily visits: actual (solid) vs expected without {platform} (dashed, "
                "band: likely range)",
            )
        ],
    )


def _lift_caveat(result: object) -> str:
    """The lift check's verdict in plain words (the lift module's note has the statistics)."""
    from goodwill.lift.model import DRIFT_T, LiftResult

    assert isinstance(result, LiftResult)
    out = ""
    if "trend" in result.model and abs(result.pre_trend_t) > DRIFT_T:
        out = (
            "Visits were already rising or falling before, so the forecast follows that trend "
            "and its band is wider. "
        )
    if result.verdict == "unreliable":
        out += (
            "Treat this with caution: the same forecast also finds an 'effect' on a date "
            "before we started, where there was none, so the visits' own ups and downs could "
            "explain it."
        )
    elif result.verdict == "not distinguishable from zero":
        out += "The likely range includes no change at all: we cannot say it made a difference."
    elif result.verdict:
        out += "A check on a date before we started found no false effect."
    return out.strip()


def reputation_care_section(wh: Warehouse, month: date) -> Section | None:
    """Net sentiment, key-message pull-through, the month's alerts with the mentions behind
    them, and care (response rate, first response time, resolution), with the oldest unanswered
    complaints (``goodwill metrics reputation|care|unanswered``, ``goodwill pullthrough``,
    ``goodwill alerts``)."""
    from goodwill.metrics import QUERIES, MetricParams, run_query
    from goodwill.metrics.alerts import alerts_with_examples, brand_pull_through

    backend = wh.ibis()
    params = MetricParams(by="month", since=month, until=_month_end(month))
    reputation = run_query("reputation", backend, params)
    care = run_query("care", backend, params)
    if reputation.empty and care.empty:
        return None
    unanswered = run_query("unanswered", backend, MetricParams(by="month", until=_month_end(month)))
    blocks = []
    for name, frame in (("reputation", reputation), ("care", care)):
        if len(frame):
            q = QUERIES[name]
            blocks.append(
                frame_block(
                    frame.drop(columns=["period"]),
                    units={m.name: m.unit for m in q.metrics},
                    definitions={m.name: f"{m.formula} ({m.unit})" for m in q.metrics},
                    caption=q.description,
                )
            )
    intro = ""
    pulled = brand_pull_through(backend, params, method="char-tfidf")
    if len(pulled) and int(pulled["mentions"].max()):
        best = pulled.sort_values("share", ascending=False).iloc[0]
        intro += (
            f"Of our key messages, {best['message_id']} came back most: in {best['share']:.0%} "
            f"of the month's {int(best['mentions']):,} mentions. "
        )
        blocks.append(
            frame_block(
                pulled[["message_id", "mentions", "carrying", "share", "net_sentiment"]],
                units={"share": "share", "net_sentiment": "ratio"},
                definitions={
                    "share": "carrying / mentions: brand mentions whose similarity to the "
                    "message passes the method's threshold (char-tfidf)",
                    "net_sentiment": "(positive - negative) / (positive + negative) among them",
                },
                caption="Key-message pull-through: do our messages come back?",
            )
        )
    alerts = alerts_with_examples(backend, params)
    if len(alerts):
        days = alerts["day"].nunique()
        intro += f"Mentions spiked on {days} day{'s' if days != 1 else ''} this month (below). "
        blocks.append(
            frame_block(
                alerts[["day", "platform", "series", "value", "expected", "examples"]]
                .rename(columns={"value": "count"})
                .head(10),
                text=("examples",),
                caption="Alerts: days when mentions or negative mentions spiked beyond the "
                "series' own weekly pattern, with the mentions behind them (goodwill alerts)",
            )
        )
    if len(care):
        need, answered = int(care["needing_answer"].sum()), int(care["answered"].sum())
        intro += (
            f"We answered {answered:,} of the {need:,} messages that needed an answer "
            f"({answered / need:.0%})."
            if need
            else ""
        )
    if len(unanswered):
        oldest = unanswered.sort_values("created_at").head(10)
        intro += f" {len(unanswered):,} complaints are still unanswered; the oldest are below."
        blocks.append(
            frame_block(
                oldest[["created_at", "platform", "actor_handle", "text"]],
                text=("text",),
                caption="Unanswered complaints, oldest first",
            )
        )
    return Section(
        id="reputation",
        title="Reputation, listening and customer care",
        intro=intro.strip(),
        tables=blocks,
    )
