"""Determinism of simulate() and the Parquet files of write_scale()."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from goodwill.model import table
from goodwill.simulate import DemoSpec, simulate, write_scale


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_simulate_is_deterministic_per_seed(tmp_path: Path) -> None:
    spec = DemoSpec(seed=11, people=300, months=4, start=date(2026, 1, 1))
    a = simulate(spec, tmp_path / "a")
    b = simulate(spec, tmp_path / "b")
    c = simulate(DemoSpec(seed=12, people=300, months=4, start=date(2026, 1, 1)), tmp_path / "c")
    assert a.counts == b.counts
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")
    other = _bytes(tmp_path / "c")
    assert other["interactions.csv"] != _bytes(tmp_path / "a")["interactions.csv"]
    assert other["ground_truth.json"] != _bytes(tmp_path / "a")["ground_truth.json"]
    assert c.ground_truth_path == tmp_path / "c" / "ground_truth.json"


def test_spec_is_validated() -> None:
    with pytest.raises(ValueError):
        DemoSpec(months=1)
    with pytest.raises(ValueError):
        DemoSpec(people=10)


def test_write_scale_writes_canonical_parquet(tmp_path: Path) -> None:
    counts = write_scale(50_000, tmp_path / "a", seed=3)
    assert counts["interactions"] == 50_000
    assert counts["visits"] == 10_000 and counts["conversions"] == 500
    assert counts["posts"] == 250
    for name, n in counts.items():
        t = pq.read_table(tmp_path / "a" / f"{name}.parquet")
        assert t.num_rows == n, name
        assert t.schema.names == [c.name for c in table(name).file_columns], name
        key = table(name).key
        keys = t.group_by(list(key)).aggregate([]).num_rows
        assert keys == n, (name, "duplicate keys")
        for c in table(name).file_columns:
            if c.kind == "timestamp":
                assert t.schema.field(c.name).type == pa.timestamp("us")
            if c.kind == "date":
                assert t.schema.field(c.name).type == pa.date32()
            if c.required:
                assert t[c.name].null_count == 0, (name, c.name)
    inter = pq.read_table(tmp_path / "a" / "interactions.parquet")
    actors = inter.group_by("actor_handle").aggregate([("kind", "count")])
    top = max(actors["kind_count"].to_pylist())
    assert top > 100  # Zipf-like: some people act very often
    posts = set(pq.read_table(tmp_path / "a" / "posts.parquet")["post_id"].to_pylist())
    assert set(inter["post_id"].drop_null().to_pylist()) <= posts
    write_scale(50_000, tmp_path / "b", seed=3)
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")
