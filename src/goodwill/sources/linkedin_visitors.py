"""LinkedIn Page visitor analytics (Analytics › Visitors › Export, the "Visitor metrics"
sheet saved as CSV) → recognised, nothing imported.

The export counts views of the **LinkedIn page itself** per day ("Date", "Overview page views
(desktop)", ..., "Total page views (total)", "Total unique visitors (desktop)", "Total unique
visitors (mobile)", "Total unique visitors (total)"): not visits to the business's website
(``visits`` / ``traffic_aggregates``), not followers (``audience_snapshots``) and not post
counts (``post_stats``). goodwill has no table for a social page's own page views, so each
day is counted as left out with that reason, instead of the file being refused as unknown.
LinkedIn writes the export as ``.xls``; goodwill reads the sheet saved as CSV (UTF-8 or
UTF-16, as the other page exports).
"""

from __future__ import annotations

from pathlib import Path

from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, register
from goodwill.sources.csvmap import Field, head_text, read_export

__all__ = ["LINKEDIN_VISITORS", "detect", "read"]

FIELDS: tuple[Field, ...] = (
    Field("date", ("Date",), required=True),
    Field("views", ("Total page views (total)",), required=True),
    Field("unique", ("Total unique visitors (total)",)),
)

REASON = (
    "LinkedIn page visitor day (views of the LinkedIn page itself: goodwill has no table "
    "for them; followers and posts come from the followers and content exports)"
)


def detect(path: Path) -> bool:
    if not path.is_file():
        return False
    head = "\n".join(head_text(path).splitlines()[:3]).casefold()
    return "overview page views" in head and "total unique visitors" in head


def read(path: Path, ctx: AdapterContext) -> AdapterOutput:
    out, csv_file, _ = read_export(path, "audience_snapshots", FIELDS, ctx.mapping)
    out.skip(REASON, len(csv_file.records))
    return out


LINKEDIN_VISITORS = register(
    Format(
        name="linkedin-visitors",
        description="LinkedIn Page visitor metrics (sheet as CSV): recognised, not stored "
        "(views of the LinkedIn page itself)",
        detect=detect,
        read=read,
        tables=(),
        docs="docs/sources/business.md#linkedin-visitors",
    )
)
