"""The demo business's CRM and cost records, in the formats the business sources read.

* :func:`export_crm` — ``crm_contacts.csv`` (crm-contacts: "Contact ID", "Name", "Email",
  "Customer ID", "Referral Code", "X", "Mastodon", "Bluesky"; one row per person, more rows
  when a person has several values of one kind) covering every ``identities`` row of kind
  ``email``, ``customer``, ``referral`` and ``handle:x|mastodon|bluesky``; and
  ``crm_conversions.csv`` (crm-conversions: "Conversion ID", "Date", "Type", "Value",
  "Currency", "Customer ID", "Email", "Visitor ID", "Referral Code") covering every
  ``conversions`` row. The generic formats are used because the demo's conversions carry the
  visitor id and referral code that tie them to visits and referrers, which a Shopify export
  does not have.
* :func:`export_costs` — ``goodwill_tools.toml`` (costs-tools: the recurring subscriptions
  as ``[[costs.tools]]``), covering the monthly ``tools-<YYYY-MM>-<name>`` rows it reproduces
  exactly, and ``spend_and_hours.csv`` (costs-csv: "ID", "Period Start", "Period End",
  "Category", "Amount", "Currency", "Hours", "Platform", "Campaign") covering every other
  ``costs`` row.

The newsletter's clicks are exported by :mod:`goodwill.simulate.exports_email`.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from goodwill.simulate.exports import ExportInput, ExportResult, SimRow
from goodwill.sources.costs import tool_rows

__all__ = [
    "CONTACT_COLUMNS",
    "CONVERSION_COLUMNS",
    "COST_COLUMNS",
    "export_costs",
    "export_crm",
]

CONTACT_COLUMNS: dict[str, str] = {
    "email": "Email",
    "customer": "Customer ID",
    "referral": "Referral Code",
    "handle:x": "X",
    "handle:mastodon": "Mastodon",
    "handle:bluesky": "Bluesky",
}
"""Identity kind -> the crm_contacts.csv column that carries it."""

CONVERSION_COLUMNS: dict[str, str] = {
    "conversion_id": "Conversion ID",
    "occurred_at": "Date",
    "kind": "Type",
    "value": "Value",
    "currency": "Currency",
    "customer_id": "Customer ID",
    "email": "Email",
    "visitor_id": "Visitor ID",
    "referral_code": "Referral Code",
}

COST_COLUMNS: dict[str, str] = {
    "cost_id": "ID",
    "period_start": "Period Start",
    "period_end": "Period End",
    "category": "Category",
    "amount": "Amount",
    "currency": "Currency",
    "hours": "Hours",
    "platform": "Platform",
    "campaign": "Campaign",
}


def _write(path: Path, header: Sequence[str], rows: Sequence[Sequence[str | None]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])


def export_crm(inp: ExportInput) -> ExportResult:
    """Contacts and conversions as the generic CRM CSVs (module docstring)."""
    res = ExportResult()
    ids = inp.tables.get("identities", ())
    people: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str | None] = {}
    covered: set[int] = set()
    for i, row in enumerate(ids):
        kind, ref, val = row.get("kind"), row.get("person_ref"), row.get("value")
        if kind not in CONTACT_COLUMNS or not ref or not val:
            continue
        if ref in names and names[ref] != row.get("display_name"):
            continue  # one name per contact row: keep such identities in the interchange
        names[ref] = row.get("display_name")
        people[ref][kind].append(val)
        covered.add(i)
    contact_rows: list[list[str | None]] = []
    for ref in sorted(people):
        kinds = people[ref]
        for n in range(max(len(v) for v in kinds.values())):
            contact_rows.append(
                [ref, names[ref]]
                + [kinds[k][n] if n < len(kinds[k]) else None for k in CONTACT_COLUMNS]
            )
    contacts = inp.out_dir / "crm_contacts.csv"
    _write(contacts, ["Contact ID", "Name", *CONTACT_COLUMNS.values()], contact_rows)
    res.paths.append(contacts)
    res.covered["identities"] = covered
    conv = inp.tables.get("conversions", ())
    conversions = inp.out_dir / "crm_conversions.csv"
    _write(
        conversions,
        list(CONVERSION_COLUMNS.values()),
        [[row.get(c) for c in CONVERSION_COLUMNS] for row in conv],
    )
    res.paths.append(conversions)
    res.covered["conversions"] = set(range(len(conv)))
    return res


def _tools(costs: Sequence[SimRow]) -> list[dict[str, str]]:
    """One subscription per tool name, from the demo's monthly ``tools-<YYYY-MM>-<name>``
    rows (first and last month, price and currency of the first month)."""
    tools: dict[str, dict[str, str]] = {}
    for row in costs:
        cid = row.get("cost_id") or ""
        if row.get("category") != "tools" or not cid.startswith("tools-") or len(cid) < 15:
            continue
        ym, name = cid[6:13], cid[14:]
        tool = tools.setdefault(
            name,
            {
                "name": name,
                "monthly": row.get("amount") or "0",
                "currency": row.get("currency") or "",
                "since": ym,
            },
        )
        tool["until"] = max(tool.get("until", ym), ym)
    return list(tools.values())


def _toml(tools: Sequence[dict[str, str]]) -> str:
    parts = ["# Recurring tool subscriptions of the demo business (goodwill costs-tools).\n"]
    for t in tools:
        parts.append("\n[[costs.tools]]\n")
        for key in ("name", "monthly", "currency", "since", "until"):
            if t.get(key):
                parts.append(f'{key} = "{t[key]}"\n')
    return "".join(parts)


def _key(row: SimRow) -> tuple[str | None, ...]:
    return tuple(row.get(c) or None for c in COST_COLUMNS)


def export_costs(inp: ExportInput) -> ExportResult:
    """Tool subscriptions as goodwill.toml, the rest as the spend CSV (module docstring).

    A tool goes to the TOML file only when its expansion reproduces exactly its monthly rows
    (same months, price and currency); otherwise all its rows stay in the CSV."""
    res = ExportResult()
    costs = inp.tables.get("costs", ())
    kept: list[dict[str, str]] = []
    toml_covered: set[int] = set()
    for tool in _tools(costs):
        prefix = f"-{tool['name']}"
        mine = {
            i
            for i, row in enumerate(costs)
            if row.get("category") == "tools"
            and (row.get("cost_id") or "").startswith("tools-")
            and (row.get("cost_id") or "")[13:] == prefix
        }
        expanded = {
            _key({k: None if v is None else str(v) for k, v in r.items() if k in COST_COLUMNS})
            for r in tool_rows([tool], "demo", today=date.max)
        }
        if expanded == {_key(costs[i]) for i in mine} and len(expanded) == len(mine):
            kept.append(tool)
            toml_covered |= mine
    tools_path = inp.out_dir / "goodwill_tools.toml"
    tools_path.write_text(_toml(kept), encoding="utf-8")
    rest = [i for i in range(len(costs)) if i not in toml_covered]
    spend = inp.out_dir / "spend_and_hours.csv"
    rows = [[costs[i].get(c) for c in COST_COLUMNS] for i in rest]
    _write(spend, list(COST_COLUMNS.values()), rows)
    res.paths += [tools_path, spend]
    res.covered["costs"] = toml_covered | set(rest)
    return res
