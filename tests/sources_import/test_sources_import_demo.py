"""The demo in native formats: exports + the rest as interchange import to the same business."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from goodwill.importer import ImportSummary, import_paths
from goodwill.simulate import DemoSpec, simulate
from goodwill.simulate.exports import EXPORTS_DIR
from goodwill.simulate.exports_web import ACCESS_LOG
from goodwill.sources.context import set_visitor_salt
from goodwill.warehouse import Warehouse

SPEC = DemoSpec(seed=11, people=120)
VisitKey = tuple[str, str, str, int, str]
Demos = tuple[Path, Path, ImportSummary]


@pytest.fixture(scope="module")
def demos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demos]:
    root = tmp_path_factory.mktemp("native")
    native = simulate(SPEC, root / "native", native=True)
    plain = simulate(SPEC, root / "plain")
    assert native.counts == plain.counts and not plain.exports
    with Warehouse.open(root / "native.duckdb") as wh:
        set_visitor_salt(wh, native.visitor_salt)
        summary = import_paths(wh, [native.out_dir], show_progress=False)
    yield root / "native", root / "plain", summary


def _visits(wh: Warehouse) -> Counter[VisitKey]:
    rows = wh.query(
        "SELECT strftime(started_at, '%Y-%m-%dT%H:%M:%S'), landing_url, coalesce(referrer, ''),"
        " pageviews, coalesce(user_agent, '') FROM visits"
    )
    return Counter((str(a), str(b), str(c), int(d), str(e)) for a, b, c, d, e in rows)


def _csv(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_native_demo_writes_an_access_log_and_leaves_covered_rows_out(
    demos: Demos,
) -> None:
    native, plain, _ = demos
    assert (native / EXPORTS_DIR / ACCESS_LOG).is_file()
    assert (native / "ground_truth.json").read_bytes() == (plain / "ground_truth.json").read_bytes()
    assert 0 < len(_csv(native, "visits")) < len(_csv(plain, "visits"))


def test_native_import_gives_the_simulated_counts(demos: Demos) -> None:
    native = demos[0]
    truth = json.loads((native / "ground_truth.json").read_text(encoding="utf-8"))
    with Warehouse.open(native.parent / "native.duckdb", read_only=True) as wh:
        counts = wh.counts()
        # the newsletter export adds email clicks and campaign posts the interchange lacks
        for t in ("interactions", "posts"):
            counts[t] -= int(wh.query(f"SELECT count(*) FROM {t} WHERE platform = 'email'")[0][0])
    assert {t: counts[t] for t in truth["counts"]} == truth["counts"]


def test_log_sessions_reproduce_the_simulated_visits_exactly(demos: Demos) -> None:
    native, plain, _ = demos
    with Warehouse.open(native.parent / "native.duckdb", read_only=True) as wh:
        got = _visits(wh)
        channels = wh.query("SELECT channel, count(*) FROM visit_channels GROUP BY 1 ORDER BY 1")
        orphans = wh.query(
            "SELECT count(*) FROM conversions WHERE visitor_id IS NOT NULL AND visitor_id NOT IN "
            "(SELECT visitor_id FROM visits)"
        )
        unlinked = wh.query(
            "SELECT count(*) FROM identities WHERE kind = 'visitor' AND value NOT IN "
            "(SELECT visitor_id FROM visits)"
        )
        from_log = wh.query("SELECT count(*) FROM visits WHERE visit_id LIKE 'al-%'")[0][0]
    want: Counter[VisitKey] = Counter(
        (
            r["started_at"].removesuffix("Z"),
            r["landing_url"],
            r["referrer"],
            int(r["pageviews"]),
            r["user_agent"],
        )
        for r in _csv(plain, "visits")
    )
    visitors = {r["visitor_id"] for r in _csv(plain, "visits")}
    want_orphans = sum(
        1 for r in _csv(plain, "conversions") if r["visitor_id"] and r["visitor_id"] not in visitors
    )
    assert got == want
    assert orphans == [(want_orphans,)] and unlinked == [(0,)]
    assert {c for c, _ in channels} >= {"search", "direct", "social", "email"}
    assert int(from_log) > sum(want.values()) // 3  # most visits come through the log


def test_the_log_carries_traffic_the_adapter_leaves_out(
    demos: Demos,
) -> None:
    summary = demos[2]
    assert summary.rows_quarantined == 0
    skipped = next(v for k, v in summary.skipped.items() if k.endswith(ACCESS_LOG))
    assert skipped["static asset"] > 0 and skipped["bot user agent"] > 0
    assert skipped["bot behaviour: no assets"] > 0 and skipped["bot behaviour: robots.txt"] > 0
    assert skipped["status 4xx"] > 0 and skipped["method POST"] > 0
