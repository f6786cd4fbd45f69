"""LinkedIn Page visitor analytics (Analytics › Visitors › Export) → ``account_metrics``.

LinkedIn writes the export as an ``.xls`` workbook: its "Visitor metrics" sheet counts, per
day, **views of the LinkedIn page itself** ("Date", "Overview page views (desktop)", ...,
"Total page views (total)", "Total unique visitors (desktop)", "Total unique visitors
(mobile)", "Total unique visitors (total)"); the other sheets ("Location", "Job function",
"Seniority", "Industry", "Company size") share out the period's views and are not read. The
workbook itself (``.xls`` or ``.xlsx``, :mod:`goodwill.sources.spreadsheet`) or the sheet saved
as CSV (UTF-8 or UTF-16, as the other page exports) is read.

These are not visits to the business's website (``visits`` / ``traffic_aggregates``), not
followers (``audience_snapshots``) and not post counts (``post_stats``): each count column of
a day becomes one ``account_metrics`` row of the brand's LinkedIn page (platform
``linkedin``), the metric named after its header in snake case with the "total" words dropped
(:func:`~goodwill.sources.account_metrics.metric_name`): "Total page views (total)" →
``page_views``, "Total unique visitors (mobile)" → ``unique_visitors_mobile``, "Overview page
views (desktop)" → ``overview_page_views_desktop``. A section LinkedIn adds later (a "Life" or
"Jobs" tab) comes in the same way. Dates are LinkedIn's ``MM/DD/YYYY``. A count that is not a
whole number quarantines its line, the column named (the day's other counts load).

The brand's handle: the brand account on platform ``linkedin`` in the warehouse, else
``handle`` under ``[sources.linkedin]`` in goodwill.toml.
"""

from __future__ import annotations

import re
from pathlib import Path

from goodwill.errors import UserInputError
from goodwill.sources.account_metrics import TABLE, metric_name
from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, register
from goodwill.sources.crm import clean_handle
from goodwill.sources.csvmap import Field, head_text, name_sheet, option, parse_date, read_export
from goodwill.sources.interchange import LINE_COLUMN
from goodwill.sources.spreadsheet import is_workbook, sheet_heads

__all__ = ["LINKEDIN_VISITORS", "detect", "read"]

PLATFORM = "linkedin"

FIELDS: tuple[Field, ...] = (
    Field("date", ("Date",), required=True),
    Field("views", ("Total page views (total)",), required=True),
    Field("unique", ("Total unique visitors (total)",)),
)

_DEVICE = re.compile(r"\((desktop|mobile|mobile devices|total)\)\s*$", re.IGNORECASE)


def _is_visitors_head(text: str) -> bool:
    head = "\n".join(text.splitlines()[:3]).casefold()
    return "overview page views" in head and "total unique visitors" in head


def detect(path: Path) -> bool:
    if not path.is_file():
        return False
    if is_workbook(path):
        return any(_is_visitors_head(text) for _, text in sheet_heads(path))
    return _is_visitors_head(head_text(path))


def _brand_handle(ctx: AdapterContext) -> str:
    handle = ctx.brand_handles.get(PLATFORM) or option(ctx.options, f"{PLATFORM}.handle")
    if handle is None:
        raise UserInputError(
            "no linkedin handle for the brand's page: import an accounts row (platform "
            "linkedin, owner brand) first, or set it in goodwill.toml: [sources.linkedin] "
            'handle = "..."'
        )
    return clean_handle(PLATFORM, handle)


def read(path: Path, ctx: AdapterContext) -> AdapterOutput:
    out, csv_file, f = read_export(path, TABLE, FIELDS, ctx.mapping)
    metrics = [
        (i, metric_name(h))
        for i, h in enumerate(csv_file.header)
        if i != f["date"] and _DEVICE.search(h) and metric_name(h)
    ]
    brand = _brand_handle(ctx) if csv_file.records else ""
    for rec in csv_file.records:
        try:
            day = parse_date(rec.values[f["date"]])
        except ValueError as exc:
            out.reject(TABLE, rec.line, f"Date: {exc}", rec.raw)
            continue
        bad: list[str] = []
        for i, metric in metrics:
            text = rec.values[i].replace(",", "").strip()
            if not text:
                continue
            if not text.isdigit():
                bad.append(f"{csv_file.header[i]}: not a whole count: {rec.values[i]!r}")
                continue
            out.add(
                TABLE,
                {
                    "platform": PLATFORM,
                    "handle": brand,
                    "date": day,
                    "metric": metric,
                    "value": text,
                    LINE_COLUMN: rec.line,
                },
            )
        if bad:  # one quarantine record per line; the day's other counts load
            out.reject(TABLE, rec.line, "; ".join(bad), rec.raw)
    name_sheet(out, csv_file)
    return out


LINKEDIN_VISITORS = register(
    Format(
        name="linkedin-visitors",
        description="LinkedIn Page visitor metrics (.xls/.xlsx export or the sheet as CSV): "
        "page views and unique visitors per day",
        detect=detect,
        read=read,
        tables=(TABLE,),
        docs="docs/sources/business.md#linkedin-visitors",
    )
)
