"""Precision and recall of identity resolution on the demo business (ground_truth.json).

Simulates the demo, imports it, runs :func:`goodwill.people.identity.resolve` at several
Splink thresholds (and with Splink off: deterministic links only), and compares the resolved
persons with the true ones. Pairwise metrics over identities that are handles, e-mails or
customer ids (visitor ids are excluded: most belong to anonymous visitors):

* precision = true pairs among predicted same-person pairs / predicted same-person pairs
* recall    = true pairs among predicted same-person pairs / true same-person pairs

Usage: ``.venv/bin/python benchmarks/identity_matcher.py [--out DIR]``
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from goodwill.importer import import_paths
from goodwill.people import identity, matching
from goodwill.simulate import DemoSpec, simulate
from goodwill.warehouse import Warehouse


def _truth(path: Path) -> dict[tuple[str, str], str]:
    truth: dict[tuple[str, str], str] = {}
    for p in json.loads(path.read_text())["people"]:
        pid = p["person_id"]
        for platform, handle in p["handles"].items():
            truth[(f"handle:{platform}", handle.lower().lstrip("@"))] = pid
        for email in p["emails"]:
            truth[("email", email.lower())] = pid
        if p["customer_id"]:
            truth[("customer", p["customer_id"])] = pid
    return truth


def _pairs(groups: dict[str, list[tuple[str, str]]]) -> set[tuple[tuple[str, str], ...]]:
    out: set[tuple[tuple[str, str], ...]] = set()
    for members in groups.values():
        out.update(combinations(sorted(members), 2))
    return out


def evaluate(wh: Warehouse, truth: dict[tuple[str, str], str]) -> tuple[float, float, int, int]:
    predicted: dict[str, list[tuple[str, str]]] = defaultdict(list)
    actual: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for kind, value, pid in wh.query("SELECT kind, value, person_id FROM person_links"):
        if (kind, value) in truth:
            predicted[pid].append((kind, value))
            actual[truth[(kind, value)]].append((kind, value))
    pred, true = _pairs(predicted), _pairs(actual)
    hit = len(pred & true)
    return hit / max(len(pred), 1), hit / max(len(true), 1), len(pred), len(true)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="goodwill-identity-"))
    if not (out / "ground_truth.json").exists():
        simulate(DemoSpec(), out)
    truth = _truth(out / "ground_truth.json")
    wh = Warehouse.open(":memory:")
    import_paths(wh, [out], show_progress=False)
    print(
        f"{'matcher':<28} {'precision':>9} {'recall':>7} {'pred pairs':>10} "
        f"{'true pairs':>10} {'seconds':>7}"
    )
    for label, threshold in [
        ("deterministic only", 1.01),
        ("splink p>=0.5", 0.5),
        ("splink p>=0.9", 0.9),
        ("splink p>=0.99 (default)", 0.99),
    ]:
        start = time.perf_counter()
        identity.resolve(wh, threshold=threshold)
        seconds = time.perf_counter() - start
        p, r, n_pred, n_true = evaluate(wh, truth)
        print(f"{label:<28} {p:>9.3f} {r:>7.3f} {n_pred:>10} {n_true:>10} {seconds:>7.1f}")
    print(f"(default threshold matching.THRESHOLD = {matching.THRESHOLD})")


if __name__ == "__main__":
    main()
