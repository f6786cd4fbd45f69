"""How much of the demo's social data the platform exports carry, and what reading them costs.

Simulates the default demo, runs the social exporters, and prints per platform: the
interchange rows each export covers (by table) next to the rows left in the interchange files;
the brand's own interactions (by or addressed to it), covered / total by direction and kind;
and the time to import the exports next to the same rows as interchange CSVs.
Run: ``.venv/bin/python benchmarks/social_exports.py [people]``.
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from goodwill.importer import import_paths
from goodwill.simulate import simulate
from goodwill.simulate.csvio import write_table
from goodwill.simulate.exports import ExportInput, SimRow
from goodwill.simulate.exports_social import (
    export_bluesky,
    export_mastodon,
    export_x,
    norm_handle,
)
from goodwill.simulate.spec import DemoSpec
from goodwill.warehouse import Warehouse

SOCIAL = ("accounts", "posts", "interactions", "audience_snapshots")


def main() -> None:
    people = int(sys.argv[1]) if len(sys.argv) > 1 else DemoSpec().people
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "demo"
        simulate(DemoSpec(people=people), out)
        tables: dict[str, list[SimRow]] = {}
        for name in SOCIAL:
            with (out / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
                tables[name] = [{k: (v or None) for k, v in r.items()} for r in csv.DictReader(fh)]
        print(f"demo people={people}: " + ", ".join(f"{n} {len(tables[n])}" for n in SOCIAL))
        print(f"{'platform':10} {'table':20} {'covered':>8} {'left':>8}")
        for platform, fn, folder in (
            ("mastodon", export_mastodon, "mastodon"),
            ("x", export_x, "x-archive"),
            ("bluesky", export_bluesky, "bluesky"),
        ):
            exp = Path(tmp) / "exports"
            res = fn(ExportInput(tables=tables, out_dir=exp, seed=7))
            for name in SOCIAL:
                mine = [i for i, r in enumerate(tables[name]) if r.get("platform") == platform]
                cov = res.covered.get(name, set())
                print(f"{platform:10} {name:20} {len(cov):8} {len(mine) - len(cov):8}")
            brand = next(
                norm_handle(a["handle"])
                for a in tables["accounts"]
                if a["platform"] == platform and a["owner"] == "brand"
            )
            by_kind = Counter(
                (r["direction"], r["kind"], i in res.covered.get("interactions", set()))
                for i, r in enumerate(tables["interactions"])
                if r.get("platform") == platform
                and brand in (norm_handle(r["actor_handle"]), norm_handle(r["target_handle"]))
            )
            kinds = sorted({(d, k) for d, k, _c in by_kind})
            print(
                "   "
                + ", ".join(
                    f"{d[:3]} {k} {by_kind[(d, k, True)]}/"
                    f"{by_kind[(d, k, True)] + by_kind[(d, k, False)]}"
                    for d, k in kinds
                )
            )
            cov_csv = Path(tmp) / f"csv-{platform}"
            cov_csv.mkdir()
            for name in SOCIAL:
                write_table(
                    cov_csv, name, [tables[name][i] for i in sorted(res.covered.get(name, ()))]
                )
            timings = []
            for paths in ([exp / folder], [cov_csv]):
                with Warehouse.open(":memory:") as wh:
                    t0 = time.perf_counter()
                    s = import_paths(wh, paths, show_progress=False)
                    timings.append((time.perf_counter() - t0, s.rows_loaded))
            (te, ne), (tc, nc) = timings
            print(f"   import: export {te:.2f} s ({ne} rows) vs same rows as CSV {tc:.2f} s ({nc})")


if __name__ == "__main__":
    main()
