"""How full each page of the report's PDF is: a check of the print layout (no page more than
half blank), used by ``benchmarks/report_pdf.py --layout`` and the report's tests.

It reads the PDF with ``pypdf``, which the ``test`` extra installs (goodwill itself never
needs it: nothing here runs when a report is written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["A4_HEIGHT_PT", "MARGIN_BOTTOM_PT", "MARGIN_TOP_PT", "page_fill"]

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
    from pypdf import PdfReader

    for page in PdfReader(pdf).pages:
        lowest = max(_lowest_mark(page), MARGIN_BOTTOM_PT)
        fills.append(max(0.0, min(1.0, (top - lowest) / height)))
    return fills
