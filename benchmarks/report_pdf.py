"""PDF rendering of the executive report: headless Chromium (what ``goodwill report --format
pdf`` uses) side by side with WeasyPrint, on the same HTML file.

    .venv/bin/goodwill demo --out demo                   # writes demo/report.html
    .venv/bin/python benchmarks/report_pdf.py demo/report.html

WeasyPrint is not a goodwill dependency; to include it, run this script with a Python that has
it (``python -m venv /tmp/wp && /tmp/wp/bin/pip install 'weasyprint>=62' pypdf``, then
``PYTHONPATH=src /tmp/wp/bin/python benchmarks/report_pdf.py demo/report.html``).

Columns: seconds to print, pages, whether page one's text holds the page-one headline and the
first sentence of care (page one fits one page), and whether the text extracted from the PDF
is searchable (the ROI's minus sign and words come back as written).

``--layout``: the Chromium PDF's fill per page (how far down the printable height the last
text, rule or chart mark reaches; the issue: no page more than half blank) and each table laid
out for print at the page's printable width (186 mm) in headless Chromium: its width against
the room it has (wider is cut off in the PDF) and its smallest cell font (at least 8 pt).
On the 3,000-person demo's report (seed 7, Dec 2026):

| report CSS                                   | pages | pages under half full | tables cut | smallest table font |
|----------------------------------------------|------:|----------------------:|-----------:|--------------------:|
| before: a page break before every section    | 16    | 6 (42 %, 44 %, 42 %, 28 %, 45 %, 44 %) | 1 (706 px in 703) | 8 pt |
| after: page one alone, then sections flow    | 12    | 0 (lowest 64 %)       | 0          | 8 pt                |
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from goodwill.report.pdf import chromium_path, html_to_pdf


def _weasyprint(html: Path, pdf: Path) -> None:
    import weasyprint  # type: ignore[import-not-found]

    weasyprint.HTML(filename=str(html)).write_pdf(str(pdf))


def _chromium(html: Path, pdf: Path) -> None:
    html_to_pdf(html, pdf)


def _check(pdf: Path, html: Path) -> tuple[int, bool, bool]:
    pages = [p.extract_text() for p in PdfReader(pdf).pages]
    first = " ".join(pages[0].split())
    fits = "What matters in" in first and "Care: we answered" in first
    roi = re.search(r"ROI ([−+]?\d+%)", html.read_text(encoding="utf-8"))
    searchable = roi is not None and f"ROI {roi.group(1)}" in first
    return len(pages), fits, searchable


A4_HEIGHT_PT = 841.89
MARGIN_TOP_PT, MARGIN_BOTTOM_PT = 12 / 25.4 * 72, 14 / 25.4 * 72
"""The report's ``@page`` (A4, margins 12 mm top, 14 mm bottom): the printable height."""


def _lowest_mark(page: Any) -> float:
    """The lowest point (PDF units, 0 at the bottom) of any text or painted path of ``page``,
    each point transformed by the current matrix (``cm``) as the page draws it; paths that
    only clip (ended by ``n``) are not marks."""
    low = [A4_HEIGHT_PT]
    path: list[float] = []  # points of the path being built, kept only if painted

    def on_text(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            low.append(cm[1] * tm[4] + cm[3] * tm[5] + cm[5])

    def on_op(op: bytes, args: list[object], cm: list[float], tm: list[float]) -> None:
        nums = [float(a) for a in args if isinstance(a, (int, float))]
        if op == b"re" and len(nums) == 4:
            x, y, _, h = nums
            path.extend((cm[1] * x + cm[3] * y + cm[5], cm[1] * x + cm[3] * (y + h) + cm[5]))
        elif op in (b"m", b"l") and len(nums) == 2:
            path.append(cm[1] * nums[0] + cm[3] * nums[1] + cm[5])
        elif op == b"c" and len(nums) == 6:
            path.append(cm[1] * nums[4] + cm[3] * nums[5] + cm[5])
        elif op in (b"f", b"F", b"f*", b"S", b"s", b"B", b"B*", b"b", b"b*"):
            low.extend(path)  # painted: a rule, a bar, a chart line
            path.clear()
        elif op == b"n":  # a clip or nothing: not a mark on the page
            path.clear()

    page.extract_text(visitor_text=on_text, visitor_operand_before=on_op)
    return min(low)


def page_fill(pdf: Path) -> list[float]:
    """Per page of ``pdf``, how far down its printable area the content reaches (0: blank,
    1: to the bottom margin), from :func:`_lowest_mark` (charts and rules count, not only
    text)."""
    top = A4_HEIGHT_PT - MARGIN_TOP_PT
    height = top - MARGIN_BOTTOM_PT
    fills = []
    for page in PdfReader(pdf).pages:
        lowest = max(_lowest_mark(page), MARGIN_BOTTOM_PT)
        fills.append(max(0.0, min(1.0, (top - lowest) / height)))
    return fills


def table_fit(html: Path) -> list[tuple[str, float, float, float]]:
    """Each table of the report laid out for print at the A4 page's printable width (186 mm)
    in headless Chromium: ``(caption or first heading, table width px, available width px,
    smallest cell font in pt)``; a table wider than what is available is cut in the PDF."""
    from playwright.sync_api import sync_playwright

    binary = chromium_path()
    script = """() => Array.from(document.querySelectorAll('table')).map(t => {
        const box = t.parentElement.getBoundingClientRect();
        const name = (t.caption && t.caption.textContent) ||
            (t.closest('section') && t.closest('section').querySelector('h2') &&
             t.closest('section').querySelector('h2').textContent) || 'table';
        const sizes = Array.from(t.querySelectorAll('td, th')).map(
            c => parseFloat(getComputedStyle(c).fontSize));
        return [name.trim().slice(0, 40), t.scrollWidth, Math.min(box.width,
            document.documentElement.clientWidth), Math.min(...sizes) * 0.75];
    })"""
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(binary) if binary else None, args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": round(186 / 25.4 * 96), "height": 1100})
        page.emulate_media(media="print")
        page.goto(html.resolve().as_uri())
        found = page.evaluate(script)
        browser.close()
    return [(str(n), float(w), float(a), float(f)) for n, w, a, f in found]


def layout(html: Path) -> None:
    """Print ``html`` with Chromium and say, per page, how full it is, and per table whether
    it fits the page's width at a font of at least 8 pt."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "report.pdf"
        html_to_pdf(html, pdf)
        fills = page_fill(pdf)
    print(f"{'page':>4} {'filled':>7}  (share of the printable height down to the last mark)")
    for i, fill in enumerate(fills, 1):
        note = (
            "" if fill >= 0.5 else ("  last page" if i == len(fills) else "  MORE THAN HALF BLANK")
        )
        print(f"{i:>4} {fill:>7.0%}{note}")
    print(f"\n{'table':42} {'width px':>9} {'room px':>8} {'min pt':>7} fits")
    for name, width, room, pt in table_fit(html):
        fits = width <= room + 1 and pt >= 8 - 1e-6
        print(f"{name:42} {width:9.0f} {room:8.0f} {pt:7.1f} {'yes' if fits else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="a report written by goodwill report/demo")
    parser.add_argument(
        "--layout",
        action="store_true",
        help="instead: page fill and table widths of the Chromium PDF (no page more than half "
        "blank, no table cut off, tables at 8 pt or more)",
    )
    args = parser.parse_args()
    if args.layout:
        layout(args.html)
        return
    engines: list[tuple[str, Callable[[Path, Path], None]]] = []
    if chromium_path() is not None:
        engines.append((f"chromium ({chromium_path()})", _chromium))
    try:
        import weasyprint  # type: ignore[import-not-found]  # noqa: F401

        engines.append(("weasyprint", _weasyprint))
    except ImportError:
        print("weasyprint: not installed in this Python (see the module docstring)")
    print(f"{'engine':45} {'seconds':>8} {'pages':>6} {'page one fits':>14} {'searchable':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, render in engines:
            pdf = Path(tmp) / f"{name.split()[0]}.pdf"
            t0 = time.perf_counter()
            render(args.html, pdf)
            seconds = time.perf_counter() - t0
            pages, fits, searchable = _check(pdf, args.html)
            print(f"{name:45} {seconds:8.2f} {pages:6d} {fits!s:>14} {searchable!s:>11}")


if __name__ == "__main__":
    main()
