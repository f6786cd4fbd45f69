"""The demo report in plain words: labels, not column names, each with its definition; ROI
as a percentage everywhere; money with its symbol; no statistics jargon."""

from __future__ import annotations

import html as htmllib
import re

from report_support import ReportDemo

from goodwill.report.labels import COLUMN_LABELS, column_label


def _headers(page: str) -> list[tuple[str, str]]:
    """``(label, definition)`` of every table header outside the scorecard table."""
    out = []
    for cell in re.findall(r"<th>(.*?)</th>", page, re.S):
        found = re.match(r'<abbr title="([^"]*)">(.*)</abbr>$', cell, re.S)
        if found:
            out.append((htmllib.unescape(found.group(2)), htmllib.unescape(found.group(1))))
        else:
            out.append((htmllib.unescape(cell), ""))
    return out


def test_headers_are_labels_with_definitions(report_demo: ReportDemo) -> None:
    page = report_demo.html.read_text(encoding="utf-8")
    headers = _headers(page)
    raw = [h for h, _ in headers if "_" in h or h in COLUMN_LABELS]
    assert not raw, raw  # no value_low, frt_p90_hours, first_seen …
    plain = {"Scorecard", "August 2026", "change", "September 2026"}
    undefined = {h for h, d in headers if not d and h not in plain}
    assert not undefined, undefined
    # in print the definitions stand under each table
    assert "<b>Slow first reply (h)</b>: Hours within which 9 in 10 first answers came." in page


def test_no_jargon_and_one_way_to_write_roi(report_demo: ReportDemo) -> None:
    page = report_demo.html.read_text(encoding="utf-8")
    # the two-lenses section (attribution against the mix model) is written elsewhere
    mine = re.sub(r'<style.*?</style>|<section id="lenses">.*?</section>', "", page, flags=re.S)
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", mine))
    for jargon in ("Bayesian", "structural time-series", "t = ", "p = ", "bootstrap"):
        assert jargon not in text, jargon
    tile = re.search(r"ROI \(full cost\)</div><div class=\"tile-value\">([^<]*)<", page)
    assert tile and re.fullmatch(r"[+−]\d+%", tile.group(1)), tile
    section = re.search(r'<section id="money">.*?</section>', page, re.S)
    assert section and "Return on investment, September 2026" in section.group(0)
    cells = re.findall(r"<td>([^<]*)</td>", section.group(0))
    assert any(re.fullmatch(r"[+−]\d+%", c) for c in cells)  # ROI as on page one
    assert any(c.startswith(("$", "−$")) for c in cells)  # money with its symbol
    assert not any(re.fullmatch(r"−?\d+\.\d{3}", c) for c in cells)  # no bare ratios
    assert "e+0" not in page  # no exponent on any axis


def test_unknown_columns_read_as_words() -> None:
    assert column_label("cost_staff") == ("Cost staff", "")
    assert column_label("frt_p90_hours")[0] == "Slow first reply (h)"
