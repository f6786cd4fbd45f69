"""Ad spend exports → ``costs`` (category ``ads``), with the impressions and clicks bought.

Four formats, one reader; each row of the export becomes one cost row for its period
(a day when the report is broken down by day), platform and campaign:

=============  ============================  ==========================================
format         period                        spend, impressions, clicks
=============  ============================  ==========================================
meta-ads       "Day", else "Reporting        "Amount spent (USD)" (the currency is in
               starts" … "Reporting ends"    the header), "Impressions", "Link clicks"
                                             (else "Clicks (all)")
google-ads     "Day", else the date range    "Cost" in "Currency code", "Impr.",
               line above the header         "Clicks"; UTF-16 tab-separated or CSV
linkedin-ads   "Start Date (in UTC)" …       "Total Spent" in "Currency", "Impressions",
               "End Date (in UTC)"           "Clicks"; dates month-first (M/D/YYYY)
tiktok-ads     "Date", "By Day", "Stat       "Cost" in "Currency", "Impressions",
               time"                         "Clicks (destination)" (else "Clicks")
=============  ============================  ==========================================

The campaign is "Campaign name" ("Campaign", "Campaign Name"), else the ad set or ad group;
the platform is ``facebook``, ``google``, ``linkedin`` or ``tiktok`` (a Meta report broken
down by "Platform" gives ``facebook``/``instagram`` per row). Rows that only total others
("Total: Account", "Total", a Meta summary row with no campaign, ad set or ad) are counted
as left out; ``--`` is an empty cell. A row's id is a hash of platform, period, campaign, ad
set and ad (the *n*-th identical row gets ``#n``), so a re-imported export replaces its
rows instead of adding to them. Amounts keep every cent (``1,033.33``; ``12,50`` in a
decimal-comma locale). Without a currency column or header, the amount is in the
reporting currency.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format, Row, register
from goodwill.sources.csvmap import (
    HEADER_SEARCH_ROWS,
    CsvFile,
    CsvRecord,
    Field,
    Fields,
    date_orders,
    head_text,
    parse_amount,
    parse_date,
    read_export,
    value,
)
from goodwill.sources.interchange import LINE_COLUMN

__all__ = ["AD_FORMATS", "AdsSpec", "read_ads"]

_SPEND_CURRENCY = re.compile(r"amount spent \(([A-Za-z]{3})\)", re.IGNORECASE)
_RANGE = re.compile(r"^\s*\"?(.+?)\s+-\s+(.+?)\"?\s*$")


@dataclass(frozen=True)
class AdsSpec:
    """What differs between the ad platforms' exports."""

    name: str
    platform: str
    spend: tuple[str, ...]
    clicks: tuple[str, ...]
    start: tuple[str, ...]
    end: tuple[str, ...] = ()
    monthfirst: bool = False
    """Slash dates are month-first whatever their values (LinkedIn writes M/D/YYYY)."""

    def fields(self) -> tuple[Field, ...]:
        return (
            Field("start", self.start),
            Field("end", self.end),
            Field("campaign", ("Campaign name", "Campaign", "Campaign Name")),
            Field("ad_set", ("Ad set name", "Ad group name", "Ad group", "Ad Set Name")),
            Field("ad", ("Ad name", "Ad Name", "Creative Name")),
            Field("spend", self.spend),
            Field("currency", ("Currency code", "Currency")),
            Field("impressions", ("Impressions", "Impr.", "Impression")),
            Field("clicks", self.clicks),
            Field("platform", ("Platform",)),
        )


META = AdsSpec(
    "meta-ads",
    "facebook",
    spend=("Amount spent",),
    clicks=("Link clicks", "Clicks (all)", "Clicks"),
    start=("Day", "Reporting starts"),
    end=("Reporting ends",),
)
GOOGLE = AdsSpec(
    "google-ads",
    "google",
    spend=("Cost",),
    clicks=("Clicks",),
    start=("Day", "Date"),
)
LINKEDIN = AdsSpec(
    "linkedin-ads",
    "linkedin",
    spend=("Total Spent", "Amount Spent"),
    clicks=("Clicks",),
    start=("Start Date (in UTC)",),
    end=("End Date (in UTC)",),
    monthfirst=True,
)
TIKTOK = AdsSpec(
    "tiktok-ads",
    "tiktok",
    spend=("Cost", "Total cost"),
    clicks=("Clicks (destination)", "Clicks (Destination)", "Clicks"),
    start=("Date", "By Day", "Stat time", "Day"),
)


def _cell(text: str | None) -> str | None:
    return None if text is None or text.strip() in ("--", "-", "") else text.strip()


def _count(text: str | None) -> str | None:
    t = _cell(text)
    return None if t is None else str(int(parse_amount(t)))


def _preamble_range(csv_file: CsvFile) -> tuple[str, str] | None:
    """The report period on a line above the header ("September 1, 2026 - September 30,
    2026", Google Ads)."""
    text = head_text(csv_file.path, 8192)
    for line in text.splitlines()[: csv_file.header_line - 1]:
        m = _RANGE.match(line.strip().strip('"'))
        if m is None:
            continue
        try:
            return parse_date(m.group(1)), parse_date(m.group(2))
        except ValueError:
            continue
    return None


def _spend_field(csv_file: CsvFile, spec: AdsSpec) -> tuple[dict[str, str], str | None]:
    """``--map`` for Meta's spend header, which names the account's currency ("Amount spent
    (USD)", "Amount spent (EUR)", …), and that currency code."""
    for h in csv_file.header:
        m = _SPEND_CURRENCY.fullmatch(" ".join(h.split()))
        if m:
            return {"spend": h}, m.group(1).upper()
    return {}, None


def _is_total(rec: CsvRecord, f: Fields) -> bool:
    first = next((v.strip() for v in rec.values if v.strip()), "")
    if first.casefold().startswith("total"):
        return True
    names = [value(rec, f, n) for n in ("campaign", "ad_set", "ad")]
    return any(n in f for n in ("campaign", "ad_set", "ad")) and all(n is None for n in names)


def read_ads(spec: AdsSpec) -> Callable[[Path, AdapterContext], AdapterOutput]:
    def read(path: Path, ctx: AdapterContext) -> AdapterOutput:
        fields = spec.fields()
        mapping = dict(ctx.mapping)
        out, csv_file, f = read_export(path, "costs", fields, mapping)
        header_currency: str | None = None
        if "spend" not in f and spec is META:
            extra, header_currency = _spend_field(csv_file, spec)
            f = {**f, "spend": csv_file.header.index(extra["spend"])} if extra else f
        if "spend" not in f:
            from goodwill.errors import UserInputError

            raise UserInputError(
                f"{path}: no spend column (looked for {', '.join(map(repr, spec.spend))}); "
                f"its columns are {', '.join(map(repr, csv_file.header))}; name it with "
                "--map spend=<header>"
            )
        options = dict(ctx.options)
        if spec.monthfirst:
            options.setdefault("date-order", "mdy")
        dayfirst = date_orders(csv_file, f, ("start", "end"), options)
        if "start" in f and " ".join(csv_file.header[f["start"]].split()).casefold() in (
            "day",
            "date",
            "by day",
        ):
            f = {k: v for k, v in f.items() if k != "end"}  # a daily row ends on its day
        period = None if "start" in f else _preamble_range(csv_file)
        seen: dict[str, int] = {}
        for rec in csv_file.records:
            if _is_total(rec, f):
                out.skip("total row")
                continue
            try:
                row = _row(rec, f, spec, dayfirst, period, header_currency)
            except ValueError as exc:
                out.reject("costs", rec.line, str(exc), rec.raw)
                continue
            row["cost_id"] = _cost_id(spec, rec, f, row, seen)
            out.add("costs", row)
        return out

    return read


def _row(
    rec: CsvRecord,
    f: Fields,
    spec: AdsSpec,
    dayfirst: dict[str, bool],
    period: tuple[str, str] | None,
    header_currency: str | None,
) -> Row:
    start_text = _cell(value(rec, f, "start"))
    if start_text is not None:
        start = parse_date(start_text, dayfirst=dayfirst.get("start", False))
        end_text = _cell(value(rec, f, "end"))
        end = parse_date(end_text, dayfirst=dayfirst.get("end", False)) if end_text else start
    elif period is not None:
        start, end = period
    else:
        raise ValueError("no date: the row has no day and the report no date range")
    if end < start:
        raise ValueError(f"period ends ({end}) before it starts ({start})")
    spend = _cell(value(rec, f, "spend"))
    if spend is None:
        raise ValueError("no spend")
    platform = (_cell(value(rec, f, "platform")) or spec.platform).casefold()
    campaign = _cell(value(rec, f, "campaign")) or _cell(value(rec, f, "ad_set"))
    return {
        "period_start": start,
        "period_end": end,
        "category": "ads",
        "amount": str(parse_amount(spend)),
        "currency": _cell(value(rec, f, "currency")) or header_currency,
        "platform": platform,
        "campaign": campaign or _cell(value(rec, f, "ad")),
        "impressions": _count(value(rec, f, "impressions")),
        "clicks": _count(value(rec, f, "clicks")),
        LINE_COLUMN: rec.line,
    }


def _cost_id(spec: AdsSpec, rec: CsvRecord, f: Fields, row: Row, seen: dict[str, int]) -> str:
    parts = [row["platform"], row["period_start"], row["period_end"], row["campaign"]]
    parts += [value(rec, f, "ad_set"), value(rec, f, "ad")]
    digest = hashlib.sha1("\x1f".join(str(p or "") for p in parts).encode()).hexdigest()[:16]
    seen[digest] = seen.get(digest, 0) + 1
    n = seen[digest]
    return f"{spec.name}-{digest}" + (f"#{n}" if n > 1 else "")


def _headers(path: Path) -> list[set[str]]:
    """The normalised cells of each of the first lines (tab, comma or semicolon)."""
    text = head_text(path, 8192)
    out: list[set[str]] = []
    for line in text.splitlines()[: HEADER_SEARCH_ROWS + 2]:
        cells = re.split(r"[\t,;]", line)
        out.append({" ".join(c.strip().strip('"').split()).casefold() for c in cells})
    return out


def _detector(test: Callable[[set[str]], bool]) -> Callable[[Path], bool]:
    def detect(path: Path) -> bool:
        if not path.name.lower().endswith((".csv", ".tsv", ".txt")):
            return False
        return any(test(cells) for cells in _headers(path))

    return detect


def _is_meta(c: set[str]) -> bool:
    spent = any(x.startswith("amount spent") for x in c)
    return spent and bool({"reporting starts", "campaign name", "ad set name", "ad name"} & c)


def _is_google(c: set[str]) -> bool:
    return "cost" in c and "campaign" in c and bool({"impr.", "currency code"} & c)


def _is_linkedin(c: set[str]) -> bool:
    return "total spent" in c and "start date (in utc)" in c


def _is_tiktok(c: set[str]) -> bool:
    if "cost" not in c or "campaign name" not in c or _is_google(c):
        return False
    return bool({"clicks (destination)", "ad group name", "by day", "stat time"} & c)


def _format(spec: AdsSpec, test: Callable[[set[str]], bool], description: str) -> Format:
    return register(
        Format(
            name=spec.name,
            description=description,
            detect=_detector(test),
            read=read_ads(spec),
            tables=("costs",),
            docs=f"docs/sources/{spec.name}.md",
        )
    )


AD_FORMATS: Sequence[Format] = (
    _format(META, _is_meta, "Meta Ads Manager export: spend, impressions, link clicks by day"),
    _format(GOOGLE, _is_google, "Google Ads report: cost, impressions, clicks by campaign/day"),
    _format(LINKEDIN, _is_linkedin, "LinkedIn Campaign Manager export: spend by campaign/day"),
    _format(TIKTOK, _is_tiktok, "TikTok Ads Manager export: cost, impressions, clicks by day"),
)
