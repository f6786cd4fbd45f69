"""Business-source adapters: speed of reading exports vs importing the same rows as interchange.

For each size, writes a Shopify orders export (two line items per order, every 25th order
partly refunded), a generic CRM conversions CSV and a spend/hours CSV, then times

* ``read``: the adapter alone (parse, group, normalise) — rows per second;
* ``import``: ``goodwill import`` of the export (adapter + validation + merge);
* ``interchange``: ``goodwill import`` of the same canonical rows as an interchange CSV.

``check`` says whether both imports left the same rows in the warehouse.

    .venv/bin/python benchmarks/business_sources.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from goodwill.importer import import_paths
from goodwill.sources.adapters import AdapterContext, Format
from goodwill.sources.registry import all_formats
from goodwill.warehouse import Warehouse

SQL = {
    "conversions": "SELECT conversion_id, occurred_at, kind, value, currency, email "
    "FROM conversions ORDER BY 1",
    "costs": "SELECT cost_id, period_start, period_end, category, amount, hours, platform "
    "FROM costs ORDER BY 1",
}


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def shopify(n: int, d: Path) -> tuple[Path, Path, str]:
    head = ["Name", "Email", "Financial Status", "Currency", "Total", "Created at",
            "Lineitem name", "Lineitem price", "Refunded Amount"]  # fmt: skip
    rows, canon = [], []
    for i in range(n):
        name = f"#{1000 + i}"
        total = f"{10 + i % 90}.50"
        at = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d} 10:{i % 60:02d}:00 -0500"
        iso = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T10:{i % 60:02d}:00-05:00"
        refund = "5.00" if i % 25 == 0 else "0.00"
        email = f"Buyer{i % 5000}@Example.com"
        rows.append([name, email, "paid", "USD", total, at, "Tea, green", total, refund])
        rows.append([name, "", "", "", "", "", "Cup", "0.00", ""])
        canon.append([f"shopify-{name}", iso, "order", total, "USD", email.lower()])
        if refund != "0.00":
            canon.append([f"shopify-{name}-refund", iso, "refund", refund, "USD", email.lower()])
    export, inter = d / "orders_export.csv", d / "conversions.csv"
    _write(export, head, rows)
    _write(inter, ["conversion_id", "occurred_at", "kind", "value", "currency", "email"], canon)
    return export, inter, "conversions"


def crm(n: int, d: Path) -> tuple[Path, Path, str]:
    head = ["Conversion ID", "Date", "Type", "Value", "Currency", "Email"]
    rows, canon = [], []
    for i in range(n):
        kind = ("Lead", "Purchase", "Sign-up")[i % 3]
        value = "1.234,50" if kind == "Purchase" else "0"
        at = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T09:00:00Z"
        email = f"p{i % 7000}@example.com"
        rows.append([f"C-{i}", at, kind, value, "USD" if kind == "Purchase" else "", email])
        canon_kind = {"Lead": "lead", "Purchase": "order", "Sign-up": "signup"}[kind]
        canon.append([f"C-{i}", at, canon_kind, "1234.50" if value != "0" else "0", "USD", email])
    export, inter = d / "crm_conversions_export.csv", d / "conversions.csv"
    _write(export, head, rows)
    _write(inter, ["conversion_id", "occurred_at", "kind", "value", "currency", "email"], canon)
    return export, inter, "conversions"


def spend(n: int, d: Path) -> tuple[Path, Path, str]:
    head = ["ID", "Date", "Category", "Platform", "Amount", "Currency", "Hours"]
    rows, canon = [], []
    for i in range(n):
        day = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"
        staff = i % 2 == 0
        amount = f"{(i % 8 + 1) * 40}.00" if staff else f"{i % 300}.25"
        hours = str(i % 8 + 1) if staff else ""
        cat = "staff" if staff else "ads"
        rows.append([f"k-{i}", day, cat, "x", amount, "USD", hours])
        canon.append([f"k-{i}", day, day, cat, amount, "USD", hours, "x"])
    export, inter = d / "spend_export.csv", d / "costs.csv"
    _write(export, head, rows)
    cols = ["cost_id", "period_start", "period_end", "category", "amount", "currency", "hours",
            "platform"]  # fmt: skip
    _write(inter, cols, canon)
    return export, inter, "costs"


CASES: dict[str, tuple[str, Callable[[int, Path], tuple[Path, Path, str]]]] = {
    "shopify-orders": ("shopify-orders", shopify),
    "crm-conversions": ("crm-conversions", crm),
    "costs-csv": ("costs-csv", spend),
}


def _timed_import(db: Path, path: Path) -> tuple[float, list[tuple[object, ...]], str]:
    with Warehouse.open(db) as wh:
        t0 = time.perf_counter()
        import_paths(wh, [path], show_progress=False)
        took = time.perf_counter() - t0
        table = "costs" if "cost" in path.name or "spend" in path.name else "conversions"
        got = [tuple(r) for r in wh.con.execute(SQL[table]).fetchall()]
    return took, got, table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = ap.parse_args()
    formats: dict[str, Format] = all_formats()
    print(f"{'format':<16} {'records':>8} {'read s':>7} {'rows/s':>9} {'import s':>9} "
          f"{'interchange s':>14} {'ratio':>6}  check")  # fmt: skip
    for size in args.sizes:
        for label, (fmt_name, make) in CASES.items():
            with tempfile.TemporaryDirectory() as tmp:
                d = Path(tmp)
                export, inter, _ = make(size, d)
                t0 = time.perf_counter()
                out = formats[fmt_name].read(export, AdapterContext())
                read_s = time.perf_counter() - t0
                n_rows = sum(len(v) for v in out.tables.values())
                imp_s, got, _ = _timed_import(d / "a.duckdb", export)
                base_s, want, _ = _timed_import(d / "b.duckdb", inter)
                check = "same" if got == want else "DIFFERENT"
                print(f"{label:<16} {size:>8} {read_s:>7.2f} {n_rows / read_s:>9.0f} "
                      f"{imp_s:>9.2f} {base_s:>14.2f} {imp_s / base_s:>6.2f}  {check}")  # fmt: skip


if __name__ == "__main__":
    main()
