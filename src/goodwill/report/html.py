"""The executive report: one self-contained HTML file (styles and SVG charts inline).

It only formats what :mod:`goodwill.metrics` returns; texts written by the public (post texts,
names) are escaped by Jinja2's autoescaping.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from goodwill import __version__
from goodwill.attribution.scorecard_config import load_scorecard_config
from goodwill.errors import UserInputError
from goodwill.metrics import QUERIES, MetricParams, ScorecardRow, run_query, scorecard
from goodwill.metrics.common import previous_month
from goodwill.metrics.scorecard import last_month_with_data
from goodwill.output import format_value
from goodwill.report.charts import bar_chart, line_chart
from goodwill.report.demo_config import demo_mmm_truth
from goodwill.report.labels import label_table
from goodwill.report.lenses import lenses_section
from goodwill.report.sections import (
    Section,
    TableBlock,
    lift_section,
    money_section,
    progress_section,
    reputation_care_section,
    roster_section,
)
from goodwill.report.summary import (
    ExecutiveSummary,
    change_text,
    covering_targets,
    executive_summary,
    format_amount,
    money,
    month_end,
    period_name,
    summary_sentences,
)
from goodwill.warehouse import Warehouse

__all__ = ["ENOUGH_DATA", "default_month", "render_report", "unlabelled_texts", "write_report"]

_TEMPLATES = Path(__file__).with_name("templates")


def _definitions(query: str) -> dict[str, str]:
    return {m.name: f"{m.formula} ({m.unit})" for m in QUERIES[query].metrics}


def _units(query: str) -> dict[str, str]:
    return {m.name: m.unit for m in QUERIES[query].metrics}


def report_value(v: object, unit: str, code: str) -> str:
    """A table cell as the report writes it: money with its currency symbol (``$12,400``),
    counts and people as whole numbers (credited fractions rounded), shares as percentages;
    anything else as :func:`goodwill.output.format_value` writes it."""
    if isinstance(v, int | float) and not isinstance(v, bool) and not pd.isna(v):
        if unit == "currency":
            return money(float(v), code)
        if unit in ("count", "people"):
            return f"{round(float(v)):,}"
    return format_value(v, unit)


def _frame_table(
    df: pd.DataFrame, query: str, code: str, *, text: tuple[str, ...] = ()
) -> TableBlock:
    units = _units(query)
    headers = [str(c) for c in df.columns]
    rows = [
        [
            _period_label(v) if c == "period" else report_value(v, units.get(c, ""), code)
            for c, v in zip(headers, row, strict=True)
        ]
        for row in df.itertuples(index=False)
    ]
    return TableBlock(
        headers=headers,
        rows=rows,
        definitions=_definitions(query),
        text_columns={headers.index(c) for c in text if c in headers},
    )


def _period_label(v: object) -> str:
    try:
        return pd.Timestamp(v).strftime("%b %Y")  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return format_value(v)


def _in_month(df: pd.DataFrame, month: date | None) -> pd.DataFrame:
    """The rows of the report's month (``period`` column), else of the last period: a
    table beside the report's figures covers the same month as they do."""
    if month is not None:
        periods = pd.to_datetime(df["period"])
        rows: pd.DataFrame = df[(periods.dt.year == month.year) & (periods.dt.month == month.month)]
        if len(rows):
            return rows
    last: pd.DataFrame = df[df["period"] == df["period"].max()]
    return last


def _series(
    df: pd.DataFrame, key: str, value: str
) -> tuple[list[str], dict[str, list[float | None]]]:
    periods = sorted(df["period"].unique())
    labels = [pd.Timestamp(p).strftime("%b %y") for p in periods]
    out: dict[str, list[float | None]] = {}
    for name, grp in df.groupby(key):
        by_period = dict(zip(grp["period"], grp[value], strict=True))
        out[str(name)] = [
            None if pd.isna(by_period.get(p)) else float(by_period[p]) for p in periods
        ]
    return labels, out


def _scorecard_rows(rows: list[ScorecardRow], code: str) -> list[dict[str, str]]:
    out = []
    for r in rows:
        direction = ""
        if r.value is not None and r.previous is not None:
            direction = "up" if r.value > r.previous else "down" if r.value < r.previous else ""
        out.append(
            {
                "label": r.label,
                "definition": r.definition,
                "value_text": report_value(r.value, r.unit, code),
                "previous_text": report_value(r.previous, r.unit, code),
                "change_text": change_text(r.value, r.previous, r.unit, code),
                "direction": direction,
            }
        )
    return out


def _tiles(s: ExecutiveSummary) -> list[dict[str, str]]:
    """Page one's key figures: label, number, and a line under it."""
    code, r = s.money_code, s.roi
    won_lost = f"+{len(s.won):,} / −{len(s.lost):,}"
    covering = covering_targets(s)
    target = (
        f"{float(covering['progress'].iloc[0]):.0%} of the target for "
        + period_name(covering["start"].iloc[0], covering["end"].iloc[0])
        if len(covering) and not pd.isna(covering["progress"].iloc[0])
        else f"no target set; {previous_month(s.month):%B}: {s.amount(s.previous)}"
        if s.progress.empty
        else f"previous month {s.amount(s.previous)}"
    )
    roi_range = (
        "no cost recorded"
        if pd.isna(r.roi)
        else f"likely {format_amount(r.roi_low, 'percent', code)} to "
        f"{format_amount(r.roi_high, 'percent', code)}"
    )
    return [
        {"label": s.label[0].upper() + s.label[1:], "value": s.amount(s.value), "note": target},
        {
            "label": "ROI (full cost)",
            "value": format_amount(r.roi, "percent", code),
            "note": roi_range,
        },
        {"label": "Relationships won / lost", "value": won_lost, "note": "regulars and champions"},
        {
            "label": "Net sentiment",
            "value": format_amount(s.net_sentiment, "signed", code),
            "note": f"{previous_month(s.month):%B}: "
            + format_amount(s.net_sentiment_previous, "signed", code),
        },
        {
            "label": "Messages answered",
            "value": format_amount(s.response_rate, "share", code),
            "note": "median first response "
            + format_amount(s.median_response_hours, "hours", code),
        },
    ]


ENOUGH_DATA = 0.5
"""A month has enough data for the default report when its interactions and visits together
are at least this share of the median month's (see :func:`default_month`)."""


def default_month(wh: Warehouse) -> date | None:
    """The month a report covers without ``--month``: the latest month whose interactions
    plus website visits are at least :data:`ENOUGH_DATA` (half) of the median month's, over
    the months that have any. A last month that has only just begun (a few days imported) or
    a few stray late rows is skipped; ``None`` for a warehouse with neither, then the last
    month with any data (:func:`goodwill.metrics.scorecard.last_month_with_data`)."""
    counts: dict[date, int] = {}
    b = wh.ibis()
    for name, column in (("interactions", "created_at"), ("visits", "started_at")):
        t = b.table(name)
        t = t.filter(t[column].notnull())
        per = b.execute(t.group_by(m=t[column].truncate("M").cast("date")).aggregate(n=t.count()))
        for m, n in zip(per["m"], per["n"], strict=True):
            day = pd.Timestamp(m).date()
            counts[day] = counts.get(day, 0) + int(n)
    if not counts:
        return last_month_with_data(wh.ibis())
    median = float(pd.Series(list(counts.values())).median())
    return max(m for m, n in counts.items() if n >= ENOUGH_DATA * median)


def render_report(
    wh: Warehouse,
    *,
    month: date | None = None,
    config_path: Path | None = None,
    replicates: int = 100,
) -> str:
    """The report as an HTML string: page one (what matters in ``month``, default
    :func:`default_month`: the last month with enough data), then the sections. The
    scorecard's currency and targets come from the ``[scorecard]`` section of
    ``config_path`` (defaults when ``None`` or absent); ``replicates`` is the bootstrap size
    of page one's intervals."""
    backend = wh.ibis()
    code = wh.get_meta("reporting_currency") or "USD"
    monthly = MetricParams(by="month")
    audience = run_query("audience", backend, monthly)
    engagement = run_query("engagement", backend, monthly)
    listening = run_query("listening", backend, monthly)
    loyalty = run_query("loyalty", backend, monthly)
    traffic = run_query("traffic", backend, monthly)
    if month is None:
        month = default_month(wh)
    rows = scorecard(backend, month=month)
    month_label = month.strftime("%B %Y") if month else "no data yet"
    top = run_query(
        "top_posts",
        backend,
        MetricParams(by="month", since=month, until=month_end(month) if month else None),
    )

    sections: list[Section] = []
    summary = None
    if month is not None:
        config = load_scorecard_config(config_path)
        summary = executive_summary(wh, month, config, replicates=replicates)
        sections.append(progress_section(summary))
    if rows:
        sections.append(
            Section(
                id="scorecard",
                title=f"Scorecard: the month's headline numbers, {month_label}",
                intro="Each number beside the month before; hover a name for its definition.",
            )
        )
    if month is not None:
        built = (
            roster_section(wh, month),
            money_section(wh, month=month, model=config.model, hourly_rate=config.hourly_rate),
            lenses_section(wh, model=config.model, truth=demo_mmm_truth(config_path)),
            lift_section(wh),
            reputation_care_section(wh, month),
        )
        sections.extend(section for section in built if section is not None)
    if len(audience):
        sections.append(
            _platform_trend(
                audience,
                "audience",
                "followers",
                "audience",
                "Audience: how big and how healthy is our network",
                "Followers by platform",
                code,
                month,
            )
        )
    if len(engagement):
        recent = engagement[engagement["period"] >= sorted(engagement["period"].unique())[-3:][0]]
        tables = [_frame_table(recent, "engagement", code)]
        if len(top):
            cols = ["platform", "text", "replies", "shares", "likes", "engagements"]
            tables.append(_frame_table(top.head(10)[cols], "top_posts", code, text=("text",)))
        sections.append(
            Section(
                id="content",
                title="Content: is what we post useful",
                intro="Conversation, amplification and applause per post, last three months; "
                "then the month's top posts.",
                tables=tables,
            )
        )
    if len(listening):
        sections.append(
            _platform_trend(
                listening,
                "listening",
                "mentions",
                "listening",
                "Listening: how much people talk about us",
                "Mentions of the brand by platform",
                code,
                month,
            )
        )
    if len(loyalty):
        labels, series = _series(loyalty.assign(all="people"), "all", "people_active")
        _, regular = _series(loyalty.assign(all="regulars"), "all", "repeat_interactors")
        series.update(regular)
        sections.append(
            Section(
                id="relationships",
                title="Relationships: who pays attention, regulars and one-offs",
                charts=[line_chart(labels, series, title="People who paid attention per month")],
                tables=[_frame_table(loyalty.tail(3), "loyalty", code)],
            )
        )
    if len(traffic):
        last = _in_month(traffic, month)
        by_channel = last.groupby("channel")["visits"].sum().sort_values(ascending=False)
        sections.append(
            Section(
                id="traffic",
                title="Traffic: visits to the website by channel",
                charts=[
                    bar_chart(
                        [(str(k), float(v)) for k, v in by_channel.items()],
                        title=f"Visits by channel, {month_label}",
                    )
                ],
                tables=[
                    _frame_table(
                        last.sort_values("visits", ascending=False).head(15), "traffic", code
                    )
                ],
            )
        )

    for section in sections:
        for table in section.tables:
            label_table(table)  # column names as labels with their definitions
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )
    context: dict[str, Any] = {
        "business": "goodwill",
        "month_label": month_label,
        "previous_label": f"{previous_month(month):%B %Y}" if month else "previous month",
        "version": __version__,
        "db_name": wh.path.name if wh.path else "memory",
        "currency": wh.get_meta("reporting_currency") or "USD",
        "scorecard": _scorecard_rows(rows, code),
        "summary": summary,
        "sentences": summary_sentences(summary) if summary else [],
        "tiles": _tiles(summary) if summary else [],
        "sections": sections,
    }
    return env.get_template("report.html").render(**context)


def _platform_trend(
    df: pd.DataFrame,
    query: str,
    value: str,
    section_id: str,
    title: str,
    chart_title: str,
    code: str,
    month: date | None,
) -> Section:
    """A section with ``value`` by platform over time and the last period's table."""
    labels, series = _series(df, "platform", value)
    return Section(
        id=section_id,
        title=title,
        charts=[line_chart(labels, series, title=chart_title)],
        tables=[_frame_table(_in_month(df, month), query, code)],
    )


def unlabelled_texts(wh: Warehouse) -> int:
    """How many interactions with text have no sentiment/intent label yet (``goodwill
    enrich-labels`` labels them; a report only reads, so it cannot)."""
    b = wh.ibis()
    it = b.table("interactions")
    labels = b.table("interaction_labels")
    texts = it.filter(it.text.notnull())
    missing = texts.anti_join(
        labels,
        [texts.platform == labels.platform, texts.interaction_id == labels.interaction_id],
    )
    return int(b.execute(missing.count()))


def check_month(wh: Warehouse, month: date | None, option: str = "--month") -> None:
    """Refuse a month after the last month with data (nothing to report)."""
    if month is None:
        return
    last = last_month_with_data(wh.ibis())
    if last is None:
        raise UserInputError(f"{option} {month:%Y-%m}: the warehouse is empty; import data first")
    if month > last:
        raise UserInputError(
            f"{option} {month:%Y-%m}: the warehouse has no data after {last:%Y-%m}; "
            f"choose {last:%Y-%m} or earlier"
        )


def write_report(
    wh: Warehouse,
    out: Path,
    *,
    month: date | None = None,
    config_path: Path | None = None,
    replicates: int = 100,
) -> Path:
    """Render the report and write it to ``out`` (folders are created). The warehouse is only
    read (it may be open read-only): people are counted as the last ``goodwill people
    resolve`` left them and texts as ``goodwill enrich-labels`` labelled them (the command says
    when either is out of date). ``config_path``: the
    ``goodwill.toml`` whose ``[scorecard]`` section sets the currency and targets."""
    check_month(wh, month)
    out.parent.mkdir(parents=True, exist_ok=True)
    html = render_report(wh, month=month, config_path=config_path, replicates=replicates)
    out.write_text(html, encoding="utf-8")
    return out
