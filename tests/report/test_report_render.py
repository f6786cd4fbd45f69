"""The executive report on a small simulated business (``goodwill report --month 2026-09``,
see conftest.py): page one equals the metric functions, ``--month`` picks the month, the file
is self-contained, the PDF carries the key numbers, texts written by the public render inert."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from report_support import HOSTILE_NAME, HOSTILE_TEXT, REPLICATES, ReportDemo
from typer.testing import CliRunner

from goodwill.attribution.roi import RoiSettings, roi_table, scorecard_progress
from goodwill.attribution.scorecard_config import load_scorecard_config
from goodwill.attribution.scorecard_levels import level_actual
from goodwill.cli import app
from goodwill.people import activity
from goodwill.people.scores import score_people
from goodwill.report.summary import money, period_name
from goodwill.warehouse import Warehouse

runner = CliRunner()
SEPTEMBER = date(2026, 9, 1)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _tags(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def _page_one(page: str) -> str:
    start = page.index('<section id="summary">')
    part = page[start : page.index("</section>", start)]
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", part)).split())


def _ratio(v: float) -> str:
    """ROI as the report writes it everywhere: a signed whole percent."""
    return f"{v:+.0%}".replace("-", "−")


def _month_end(month: date) -> date:
    return (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()


@dataclass(frozen=True)
class Expected:
    value: float
    cost: float
    roi: tuple[float, float, float]
    targets: list[tuple[str, float, float]]
    won: int
    lost: int
    champions: list[str]
    sentiment: float
    response_rate: float
    hours: float


_EXPECTED: dict[date, Expected] = {}


def _expected(demo: ReportDemo, month: date) -> Expected:
    """Page one's numbers straight from the metric and model functions (once per month)."""
    if month not in _EXPECTED:
        _EXPECTED[month] = _compute_expected(demo, month)
    return _EXPECTED[month]


def _compute_expected(demo: ReportDemo, month: date) -> Expected:
    end = _month_end(month)
    cfg = load_scorecard_config(demo.config)
    cfg = replace(cfg, targets=tuple(t for t in cfg.targets if t.start <= end and t.end >= month))
    settings = RoiSettings(model=cfg.model, hourly_rate=cfg.hourly_rate, replicates=REPLICATES)
    with Warehouse.open(demo.db, read_only=True) as wh:
        b = wh.ibis()
        frame = roi_table(b, "month", replace(settings, since=month, until=end))
        total = frame[frame["month"] == "total"].iloc[0]
        progress = scorecard_progress(b, cfg, settings)
        events, conv = activity.social_events(wh), activity.conversions(wh)
        tiers = []
        for last_day in (month - pd.Timedelta(days=1), end):
            as_of = datetime.combine(last_day, datetime.max.time())
            paid = conv[pd.to_datetime(conv["at"]) <= pd.Timestamp(as_of)]
            tiers.append(score_people(events, activity.revenue(paid), as_of))
        names = dict(wh.query("SELECT person_id, display_name FROM people"))
        sentiment = level_actual(b, "reputation", month, end)
        rate = level_actual(b, "care", month, end)
        hours = level_actual(b, "care_time", month, end)
    close = {"champion", "regular"}
    before = {p for p, t in zip(tiers[0]["person_id"], tiers[0]["tier"], strict=True) if t in close}
    now = {p for p, t in zip(tiers[1]["person_id"], tiers[1]["tier"], strict=True) if t in close}
    champs = tiers[1][tiers[1]["tier"] == "champion"].sort_values("score", ascending=False)
    return Expected(
        value=float(total["value"]),
        cost=float(total["cost"]),
        roi=(float(total["roi"]), float(total["roi_low"]), float(total["roi_high"])),
        targets=[
            (period_name(r["start"], r["end"]), float(r["target"]), float(r["actual"]))
            for r in progress.to_dict("records")
        ],
        won=len(now - before),
        lost=len(before - now),
        champions=[str(names[p]) for p in champs["person_id"]],
        sentiment=sentiment,
        response_rate=rate,
        hours=hours,
    )


def _check_page_one(text: str, e: Expected, month: date) -> None:
    assert (
        f"Social media brought in {money(e.value, 'USD')} of sales in {month:%B %Y} against "
        f"{money(e.cost, 'USD')} of full cost" in text
    )
    roi, low, high = e.roi
    assert f"(ROI {_ratio(roi)}, likely between {_ratio(low)} and {_ratio(high)})" in text
    assert e.targets, "the demo's targets cover the month"
    for name, target, actual in e.targets:
        assert f"Target for {name}: {money(target, 'USD')};" in text
        assert money(actual, "USD") in text
    assert f"We won {e.won:,} relationship" in text and f"we lost {e.lost:,} who" in text
    # champions are the top 5 % of the people active in the last 28 days (issue 18): a few
    assert len(e.champions) >= 2 and f"Our {len(e.champions)} champions" in text
    assert all(name in text for name in e.champions[:3])
    assert f"net sentiment {e.sentiment:+.2f}".replace("-", "−") in text
    assert f"we answered {e.response_rate:.0%} of the messages" in text
    assert f"median first response took {e.hours:.1f} hours" in text


def test_page_one_equals_the_metric_functions_for_the_chosen_month(
    report_demo: ReportDemo,
) -> None:
    page = report_demo.html.read_text(encoding="utf-8")
    written = (
        f"report written to {report_demo.pdf} (and {report_demo.html})"
        if report_demo.pdf
        else f"report written to {report_demo.html}"
    )
    assert written in report_demo.cli_output
    # --month 2026-09 picks September, not the last month with data (October)
    assert "<title>goodwill report — September 2026</title>" in page
    text = _page_one(page)
    assert text.startswith("What matters in September 2026") and "October" not in text
    _check_page_one(text, _expected(report_demo, SEPTEMBER), SEPTEMBER)
    # then the sections, progress against target first
    assert page.index('id="summary"') < page.index('id="progress"') < page.index('id="people"')
    assert "Long-term targets" in page and "Q4 2026" in page and "October 2026" in page


def test_report_is_self_contained(report_demo: ReportDemo) -> None:
    page = report_demo.html.read_text(encoding="utf-8")
    tags = _tags(page)
    names = {t for t, _ in tags}
    assert "svg" in names and "style" in names
    assert not names & {"script", "link", "img", "iframe", "object", "embed", "base"}
    for _, attrs in tags:
        for key, value in attrs:
            if key in ("src", "href", "xlink:href", "action", "srcset", "poster", "data"):
                pytest.fail(f"{key}={value!r}: the report must not reference any resource")
    styles = re.findall(r"<style>(.*?)</style>", page, flags=re.S)
    assert styles and not any(re.search(r"url\(|@import", css) for css in styles)
    assert "https://fhl.example/" in page  # links in post texts are shown as text only


def test_hostile_texts_render_inert(report_demo: ReportDemo) -> None:
    page = report_demo.html.read_text(encoding="utf-8")
    tags = _tags(page)
    assert not [t for t, _ in tags if t in ("script", "img")]
    assert not [k for _, attrs in tags for k, _ in attrs if k.startswith("on")]
    # shown as text: Eve's complaint (oldest unanswered) and her name (most engaged people)
    assert htmllib.escape(HOSTILE_TEXT, quote=False) in page
    assert htmllib.escape(HOSTILE_NAME, quote=False) in page


def test_pdf_pages_carry_the_key_numbers(report_demo: ReportDemo) -> None:
    from pypdf import PdfReader

    if report_demo.pdf is None:
        pytest.skip("no Chromium to print with (install Debian's chromium package: make browser)")
    pages = [page.extract_text() for page in PdfReader(report_demo.pdf).pages]
    ligatures = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl"})
    text = [" ".join(p.translate(ligatures).split()) for p in pages]
    e = _expected(report_demo, SEPTEMBER)
    first = text[0]
    assert "What matters in September 2026" in first
    assert money(e.value, "USD") in first and money(e.cost, "USD") in first
    assert f"ROI {_ratio(e.roi[0])}" in first
    assert all(money(actual, "USD") in first for _, _, actual in e.targets)
    shown = [n for n in e.champions[:8] if n.isascii()]
    assert shown and all(name in first for name in shown)
    # page one fits one page: it ends with care, the sections start on page two
    assert "Care: we answered" in first and "progress against target" not in first
    assert len(pages) >= 4 and text[1].startswith("Scorecard: progress against target")


def test_no_pdf_page_but_the_last_is_more_than_half_blank(report_demo: ReportDemo) -> None:
    from goodwill.report.layout import page_fill

    if report_demo.pdf is None:
        pytest.skip("no Chromium to print with (install Debian's chromium package: make browser)")
    fills = page_fill(report_demo.pdf)
    assert len(fills) >= 4
    # how far down each page's printable height the last text, rule or chart mark reaches
    assert all(fill >= 0.5 for fill in fills[:-1]), [f"{f:.0%}" for f in fills]
    assert fills[-1] > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026-13"], "--month '2026-13': expected YYYY-MM"),
        (["--month", "March"], "--month 'March': expected YYYY-MM"),
        (["--month", "2031-01"], "--month 2031-01: the warehouse has no data after 2026-10"),
        (["--format", "docx"], "--format 'docx': choose html or pdf"),
    ],
)
def test_bad_options_give_one_clear_line(
    report_demo: ReportDemo, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", "--db", str(report_demo.db), "--out", str(out), *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not out.exists()
