"""Issue 19, item 7 (the spool's part): the loader streams the spool in batches, so the memory
it needs does not grow with the backlog."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from goodwill.warehouse import Warehouse
from goodwill.web.loader import load_spool


def _spool(folder: Path, events: int) -> Path:
    folder.mkdir()
    for segment in range(4):
        lines = (
            json.dumps(
                {
                    "event_id": f"s{segment}-{i}",
                    "kind": "pageview",
                    "site": "shop.example",
                    "occurred_at": f"2026-01-01T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:00",
                    "visitor_id": f"v{i % 97}",
                    "url": f"https://shop.example/{'x' * 200}/{i}",
                    "user_agent": "Mozilla/5.0 " + "y" * 200,
                }
            )
            for i in range(events // 4)
        )
        (folder / f"events-2026010{segment}T000000000000000-1.jsonl").write_text(
            "\n".join(lines) + "\n"
        )
    return folder


def _peak(tmp_path: Path, name: str, events: int) -> tuple[int, int]:
    spool = _spool(tmp_path / name, events)
    with Warehouse.open(tmp_path / f"{name}.duckdb") as wh:
        tracemalloc.start()
        try:
            result = load_spool(wh, spool, batch_size=250)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert wh.count("collected_events") == events
    assert result.batches == -(-events // 250)
    return peak, result.archived


def test_memory_does_not_grow_with_the_backlog(tmp_path: Path) -> None:
    _peak(tmp_path, "warm", 400)  # imports and caches of a first load
    small, _ = _peak(tmp_path, "small", 1_000)
    large, archived = _peak(tmp_path, "large", 4_000)  # four times the backlog
    assert archived == 4
    # holding the backlog (the old loader) needs about 4x; a stream needs about the same
    assert large < 1.6 * small, (small, large)


@pytest.mark.parametrize("in_order", [False, True])
def test_visits_built_in_many_small_loads_equal_one_load(tmp_path: Path, in_order: bool) -> None:
    """Batches, late events (``in_order=False``) or visits that go on from load to load
    (``in_order=True``: each load extends the visits) give the same visits as loading
    everything at once."""
    import random

    rng = random.Random(19)
    events = []
    for i in range(1_000):
        minute = rng.randrange(0, 6 * 60)
        events.append(
            {
                "event_id": f"p{i:04d}",
                "kind": "pageview",
                "site": "shop.example",
                "occurred_at": f"2026-01-01T{minute // 60:02d}:{minute % 60:02d}:{i % 60:02d}",
                "visitor_id": f"v{rng.randrange(12)}",
                "url": f"https://shop.example/{i}",
                "link_code": f"L{i}" if rng.random() < 0.05 else None,
            }
        )
    if in_order:
        events.sort(key=lambda e: (e["occurred_at"], e["event_id"]))
    whole = tmp_path / "whole"
    whole.mkdir()
    (whole / "events-20260101T000000000000000-1.jsonl").write_text(
        "\n".join(json.dumps(e) for e in events) + "\n"
    )
    parts = tmp_path / "parts"
    parts.mkdir()
    query = (
        "SELECT visit_id, started_at, visitor_id, landing_url, pageviews, link_code "
        "FROM visits ORDER BY 1"
    )
    with Warehouse.open(tmp_path / "parts.duckdb") as wh:
        for n in range(0, len(events), 250):  # four loads, in batches of 100, out of order
            (parts / f"events-2026010{n // 250}T000000000000000-1.jsonl").write_text(
                "\n".join(json.dumps(e) for e in events[n : n + 250]) + "\n"
            )
            load_spool(wh, parts, batch_size=100)
        in_parts = wh.query(query)
        channels = wh.query("SELECT count(*) FROM visit_channels")
    with Warehouse.open(tmp_path / "whole.duckdb") as wh:
        load_spool(wh, whole)
        at_once = wh.query(query)
    assert in_parts == at_once
    assert channels == [(len(at_once),)]
    assert sum(row[4] for row in at_once) == 1_000
