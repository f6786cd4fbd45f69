"""Page one's pure parts: formatting, relationships won and lost, sentences, progress bars."""

from __future__ import annotations

import math
import re
from datetime import date

import pandas as pd

from goodwill.report.charts import ProgressBar, progress_bars
from goodwill.report.summary import (
    Change,
    ExecutiveSummary,
    RoiFigures,
    change_text,
    format_amount,
    money,
    period_name,
    relationship_changes,
    summary_sentences,
)


def test_money_and_amounts_read_as_a_person_writes_them() -> None:
    assert money(12400.4, "USD") == "$12,400"
    assert money(-3.5, "EUR") == "−€3.50"
    assert money(1500, "CHF") == "CHF 1,500"
    assert format_amount(-0.7759, "ratio", "USD") == "−0.78"
    assert format_amount(-0.7759, "percent", "USD") == "−78%"  # how ROI is written
    assert format_amount(3.0, "percent", "USD") == "+300%"


def test_changes_from_a_near_zero_base_are_new_or_a_difference() -> None:
    assert change_text(104.0, 100.0, "count", "USD") == "+4.0%"
    assert change_text(80.0, 100.0, "count", "USD") == "−20.0%"
    assert change_text(500.0, 100.0, "count", "USD") == "+400.0%"  # at NEW_FACTOR: still %
    assert change_text(333.0, 1.0, "count", "USD") == "+332"  # not "+33200.0%"
    assert change_text(1300.0, 100.0, "currency", "USD") == "+$1,200"
    assert change_text(5.0, 0.0, "count", "USD") == "new"
    assert change_text(0.0, 0.0, "count", "USD") == "–"
    assert change_text(None, 3.0, "count", "USD") == "–"
    assert format_amount(0.5425, "signed", "USD") == "+0.54"
    assert format_amount(0.626, "share", "USD") == "63%"
    assert format_amount(1.94, "hours", "USD") == "1.9 hours"
    assert format_amount(float("nan"), "money", "USD") == "no data"
    assert format_amount(1234.0, "count", "USD") == "1,234"


def test_period_names() -> None:
    assert period_name(date(2026, 3, 1), date(2026, 3, 31)) == "March 2026"
    assert period_name(date(2026, 10, 1), date(2026, 12, 31)) == "Q4 2026"
    assert period_name(date(2026, 1, 1), date(2026, 12, 31)) == "2026"
    assert period_name(date(2026, 2, 1), date(2026, 3, 31)) == "2026-02-01 to 2026-03-31"


def test_relationships_won_lost_and_champions_by_hand() -> None:
    before = pd.DataFrame(
        {
            "person_id": ["a", "b", "c", "d", "e"],
            "tier": ["regular", "champion", "occasional", "new", "champion"],
            "score": [40.0, 70.0, 20.0, 10.0, 65.0],
        }
    )
    after = pd.DataFrame(
        {
            "person_id": ["a", "b", "c", "d", "e", "f"],
            "tier": ["occasional", "champion", "regular", "champion", "detractor", "new"],
            "score": [30.0, 72.0, 45.0, 80.0, 20.0, 5.0],
        }
    )
    names = {"a": "Ann", "b": "Bo", "c": "Cy", "d": "Di", "e": "Ed", "f": "Fay"}
    won, lost, champions = relationship_changes(before, after, names)
    # c: occasional -> regular, d: new -> champion (won, highest score now first)
    assert won == [
        Change(person_id="d", name="Di", before="new", after="champion"),
        Change(person_id="c", name="Cy", before="occasional", after="regular"),
    ]
    # e: champion -> detractor, a: regular -> occasional (highest score before first)
    assert [(c.name, c.after) for c in lost] == [("Ed", "detractor"), ("Ann", "occasional")]
    # b stays a champion: neither won nor lost; champions by score now
    assert champions == ["Di", "Bo"]


def _summary(**kw: object) -> ExecutiveSummary:
    base: dict[str, object] = {
        "month": date(2026, 3, 1),
        "money_code": "USD",
        "currency": "revenue",
        "value": 12400.0,
        "previous": 10000.0,
        "progress": pd.DataFrame(
            columns=[
                *("period", "horizon", "start", "end", "target", "actual"),
                *("progress", "elapsed", "status"),
            ]
        ),
        "roi": RoiFigures(
            value=12400.0,
            value_low=9610.0,
            value_high=15190.0,
            cost=3100.0,
            roi=3.0,
            roi_low=2.1,
            roi_high=3.9,
            level=0.9,
        ),
        "won": [Change(person_id="p1", name="Ann Lee", before="new", after="regular")],
        "lost": [Change(person_id="p2", name="Bo Chan", before="champion", after="detractor")],
        "champions": ["Cy Moss", "Di Park"],
        "net_sentiment": 0.42,
        "net_sentiment_previous": 0.5,
        "response_rate": 0.8,
        "median_response_hours": 2.25,
    }
    base.update(kw)
    return ExecutiveSummary(**base)  # type: ignore[arg-type]


def test_sentences_without_targets_give_value_trend_and_every_number() -> None:
    lines = summary_sentences(_summary())
    assert lines[0] == (
        "Our scorecard measures sales credited to social media: $12,400 in March 2026, "
        "up 24% from $10,000 in February."
    )
    assert lines[1] == "No targets are set yet ([scorecard.targets] in goodwill.toml)."
    assert lines[2] == (
        "Social media brought in $12,400 of sales in March 2026 against $3,100 of full cost — "
        "staff time, tools, prizes, ads and content (ROI +300%, likely between +210% and +390%): "
        "each $1.00 spent brought back $4.00."
    )
    assert lines[3] == (
        "We won 1 relationship — someone who became a regular or champion: Ann Lee; we lost 1 "
        "who was a regular or champion a month ago: Bo Chan (now a detractor)."
    )
    assert lines[4] == (
        "Our 2 champions — the people closest to us: Cy Moss and Di Park. Thank them by name."
    )
    assert lines[5].startswith("Reputation: net sentiment +0.42") and "down 0.08" in lines[5]
    assert lines[6] == (
        "Care: we answered 80% of the messages that needed an answer; the median first response "
        "took 2.2 hours."
    )


def test_sentences_with_targets_judge_the_periods_covering_the_month() -> None:
    progress = pd.DataFrame(
        {
            "period": ["2026-Q1", "2026-03", "2026-04"],
            "horizon": ["long", "short", "short"],
            "start": [date(2026, 1, 1), date(2026, 3, 1), date(2026, 4, 1)],
            "end": [date(2026, 3, 31), date(2026, 3, 31), date(2026, 4, 30)],
            "target": [30000.0, 10000.0, 11000.0],
            "actual": [27000.0, 12400.0, math.nan],
            "progress": [0.9, 1.24, math.nan],
            "elapsed": [1.0, 1.0, 0.0],
            "status": ["behind", "met", "no data"],
        }
    )
    lines = summary_sentences(_summary(progress=progress, previous=math.nan))
    assert (
        lines[0] == "Our scorecard measures sales credited to social media: $12,400 in March 2026."
    )
    # the month first (shortest period), then the quarter; April does not cover March
    assert lines[1] == "Target for March 2026: $10,000; we reached $12,400, 124% of it — met."
    assert lines[2] == "Target for Q1 2026: $30,000; we reached $27,000, 90% of it — behind."
    assert not any("April" in line for line in lines)


def test_roi_sentence_without_cost_says_what_is_missing() -> None:
    roi = RoiFigures(
        value=500.0,
        value_low=400.0,
        value_high=600.0,
        cost=0.0,
        roi=math.nan,
        roi_low=math.nan,
        roi_high=math.nan,
        level=0.9,
    )
    lines = summary_sentences(_summary(roi=roi))
    assert "no costs are recorded, so there is no ROI" in lines[2]


def test_progress_bars_fill_to_progress_and_mark_elapsed() -> None:
    svg = progress_bars(
        [
            ProgressBar(label="March", progress=0.5, elapsed=0.25, status="on track", note="n"),
            ProgressBar(label="Q1", progress=1.7, elapsed=None, status="met", note="<b>"),
        ],
        title="Targets",
    )
    widths = [float(w) for w in re.findall(r'<rect x="150" y="\d+" width="([\d.]+)"', svg)]
    # track (300 wide) then fill per bar: half, then full (capped at the target)
    assert widths == [300.0, 150.0, 300.0, 300.0]
    assert svg.count("<line") == 1 and 'x1="225.0"' in svg
    assert "&lt;b&gt;" in svg and "<b>" not in svg
