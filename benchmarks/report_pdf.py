"""PDF rendering of the executive report: headless Chromium (what ``goodwill report --format
pdf`` uses) side by side with WeasyPrint, on the same HTML file.

    .venv/bin/goodwill demo --out demo                   # writes demo/report.html
    .venv/bin/python benchmarks/report_pdf.py demo/report.html

WeasyPrint is not a goodwill dependency; to include it, run this script with a Python that has
it (``python -m venv /tmp/wp && /tmp/wp/bin/pip install 'weasyprint>=62' pypdf``, then
``PYTHONPATH=src /tmp/wp/bin/python benchmarks/report_pdf.py demo/report.html``).

Columns: seconds to print, pages (the report has page one plus one page per section when
every section fits a page), whether page one's text holds the page-one headline and the
first sentence of care (page one fits one page), and whether the text extracted from the PDF
is searchable (the ROI's minus sign and words come back as written).
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

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
    roi = re.search(r"ROI (−?\d+\.\d\d)", html.read_text(encoding="utf-8"))
    searchable = roi is not None and f"ROI {roi.group(1)}" in first
    return len(pages), fits, searchable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="a report written by goodwill report/demo")
    args = parser.parse_args()
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
