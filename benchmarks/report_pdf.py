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

| report print CSS                   | pages | under half full    | tables cut   | table font |
|------------------------------------|------:|--------------------|--------------|-----------:|
| before: page break at every section | 16   | 6 (28 % to 45 %)   | 1 (706 > 703 px) | 8 pt   |
| after: page one, then sections flow | 12   | 0 (emptiest 64 %)  | 0            | 8 pt       |
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from goodwill.report.layout import page_fill
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
