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
from goodwill.sources.csvmap import (
    CsvFile,
    Field,
    Fields,
    head_text,
    name_sheet,
    option,
    parse_date,
    read_export,
)
from goodwill.sources.interchange import LINE_COLUMN
from goodwill.sources.spreadsheet import is_workbook, sheet_heads

__all__ = ["LINKEDIN_VISITORS", "detect", "read", "read_content_metrics"]

PLATFORM = "linkedin"

FIELDS: tuple[Field, ...] = (
    Field("date", ("Date",), required=True),
    Field("views", ("Total page views (total)",), required=True),
    Field("unique", ("Total unique visitors (total)",)),
)

_DEVICE = re.compile(
    r"\((desktop|mobile|mobile devices|organic|sponsored|total)\)\s*$", re.IGNORECASE
)


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
    _metric_rows(out, csv_file, f, ctx)
    return out


CONTENT_FIELDS: tuple[Field, ...] = (
    Field("date", ("Date",), required=True),
    Field("impressions", ("Impressions (total)",), required=True),
    Field("unique", ("Unique impressions (organic)",)),
    Field("clicks", ("Clicks (total)",)),
    Field("reactions", ("Reactions (total)",)),
)


def read_content_metrics(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """The content workbook's "Metrics" sheet (the page's impressions, clicks, reactions,
    comments and reposts per day, organic / sponsored / total) → ``account_metrics``
    (``impressions``, ``impressions_organic``, ``clicks_sponsored``, ...). Engagement rates
    are ratios of these counts: counted as left out."""
    out, csv_file, f = read_export(path, TABLE, CONTENT_FIELDS, ctx.mapping)
    _metric_rows(out, csv_file, f, ctx)
    return out


_COUNT = re.compile(r"^-?\d+$")


def _metric_rows(out: AdapterOutput, csv_file: CsvFile, f: Fields, ctx: AdapterContext) -> None:
    """Each count column of each day → an ``account_metrics`` row (module docstring)."""
    metrics: list[tuple[int, str]] = []
    for i, h in enumerate(csv_file.header):
        if i == f["date"] or not _DEVICE.search(h) or not metric_name(h):
            continue
        if "rate" in metric_name(h).split("_"):
            out.skip(f"LinkedIn {h} (a ratio of the stored counts)", len(csv_file.records))
            continue
        metrics.append((i, metric_name(h)))
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
            if not _COUNT.match(text):
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
