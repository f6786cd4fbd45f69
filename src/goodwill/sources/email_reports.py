"""Email campaign reports (Klaviyo, Mailchimp) → one ``posts`` row and one ``post_stats`` row
per campaign.

**email-campaigns** reads the campaign list a mail tool exports, one row per campaign:

==============  =================================  ====================================
post_stats      Klaviyo (Campaigns › Export)        Mailchimp (Reports › Export)
==============  =================================  ====================================
impressions     Successful Deliveries (else         Successful Deliveries (else Total
                Total Recipients)                   Recipients)
reach           Unique Opens                        Unique Opens
clicks          Unique Clicks                       Unique Clicks
orders          Unique Placed Order                 Total Orders
revenue         Revenue                             Total Revenue
==============  =================================  ====================================

The post is on platform ``email`` (``sms`` for a Klaviyo row whose "Campaign Channel" is
SMS), ``post_id`` the campaign title as a slug (the same slug :mod:`.email` gives the
campaign of per-recipient activity, so clicks and stats meet on one post), published at
"Send Time" / "Send Date", text the subject, campaign the title; the stats are as of the
send day. Counts written as floats (Klaviyo's ``64517.0``) are whole numbers; rates are not
stored (they follow from the counts). The revenue is the tool's own attribution (opens and
clicks within its window), kept beside the post and never added to conversions: the shop's
orders carry the revenue once. The sender handle is as in :mod:`.email` (the brand's email
account, else ``[sources.email] sender``, else ``newsletter``).
"""

from __future__ import annotations

from pathlib import Path

from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.crm import first_line
from goodwill.sources.csvmap import (
    CsvRecord,
    Field,
    Fields,
    date_orders,
    option,
    parse_amount,
    parse_timestamp,
    read_export,
    value,
)
from goodwill.sources.email import _slug
from goodwill.sources.interchange import LINE_COLUMN

__all__ = ["EMAIL_CAMPAIGNS", "FIELDS", "read_campaigns"]

FIELDS: tuple[Field, ...] = (
    Field("title", ("Campaign Name", "Title", "Campaign Title"), required=True),
    Field("subject", ("Subject", "Subject Line")),
    Field("sent_at", ("Send Time", "Send Date", "Sent At"), required=True),
    Field("recipients", ("Total Recipients", "Recipients")),
    Field("delivered", ("Successful Deliveries", "Delivered")),
    Field("opens", ("Unique Opens",)),
    Field("clicks", ("Unique Clicks",)),
    Field("orders", ("Unique Placed Order", "Total Orders", "Placed Order")),
    Field("revenue", ("Revenue", "Total Revenue")),
    Field("channel", ("Campaign Channel",)),
)


def _count(rec: CsvRecord, f: Fields, name: str) -> str | None:
    text = value(rec, f, name)
    if text is None:
        return None
    return str(int(parse_amount(text)))


def _rows(rec: CsvRecord, f: Fields, sender: str, dayfirst: bool) -> tuple[Row, Row]:
    title = value(rec, f, "title") or ""
    at = parse_timestamp(value(rec, f, "sent_at") or "", dayfirst=dayfirst)
    channel = (value(rec, f, "channel") or "email").casefold()
    platform = "sms" if channel == "sms" else "email"
    slug = _slug(title)
    post: Row = {
        "platform": platform,
        "post_id": slug,
        "handle": sender,
        "created_at": at,
        "text": value(rec, f, "subject"),
        "campaign": title,
        LINE_COLUMN: rec.line,
    }
    revenue = value(rec, f, "revenue")
    stats: Row = {
        "platform": platform,
        "post_id": slug,
        "as_of": at[:10],
        "impressions": _count(rec, f, "delivered") or _count(rec, f, "recipients"),
        "reach": _count(rec, f, "opens"),
        "clicks": _count(rec, f, "clicks"),
        "orders": _count(rec, f, "orders"),
        "revenue": None if revenue is None else str(parse_amount(revenue)),
        LINE_COLUMN: rec.line,
    }
    return post, stats


def read_campaigns(path: Path, ctx: AdapterContext) -> AdapterOutput:
    """A campaign report -> posts and post_stats (module docstring)."""
    out, csv_file, f = read_export(path, "posts", FIELDS, ctx.mapping)
    sender = ctx.brand_handles.get("email") or option(ctx.options, "email.sender") or "newsletter"
    dayfirst = date_orders(csv_file, f, ("sent_at",), ctx.options).get("sent_at", False)
    for rec in csv_file.records:
        try:
            post, stats = _rows(rec, f, sender, dayfirst)
        except ValueError as exc:
            out.reject("posts", rec.line, str(exc), rec.raw)
            continue
        out.add("posts", post)
        out.add("post_stats", stats)
    return out


def _detect(path: Path) -> bool:
    line = first_line(path)
    if "unique opens" not in line or "email address" in line:
        return False
    klaviyo = "campaign name" in line and "send time" in line
    mailchimp = "title" in line and "send date" in line
    return klaviyo or mailchimp


EMAIL_CAMPAIGNS = register(
    Format(
        name="email-campaigns",
        description="Klaviyo or Mailchimp campaign report: deliveries, opens, clicks, orders",
        detect=_detect,
        read=read_campaigns,
        tables=("posts", "post_stats"),
        docs="docs/sources/email-campaigns.md",
    )
)
