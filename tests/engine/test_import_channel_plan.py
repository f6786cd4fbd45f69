"""The import's channel classification builds its hash tables on the small side.

Inside an import DuckDB estimates rows the transaction has just written (not yet committed:
the visits, or a CSV file's staged rows) at 0 rows, so by its estimates it built each hash
table of the channel step of them (at 50M interactions 10M visits: 2 GB, the import's memory
peak). The visits are now classified from the file's staged rows before they are appended,
with the joins as written (``engine.duckdb.merge_staged_visit_channels``): the visits probe
a hash table of the few combinations of channel inputs. Checked on DuckDB's own profile of
each statement (the rows each hash join's build side produced), on a first import of visits
that share three landing pages and on the same file imported again (the merge's path).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from goodwill.importer import import_paths
from goodwill.warehouse import Warehouse

N_VISITS = 3000


class _Profiled:
    """The warehouse's connection, profiling the channel step's statements to JSON files."""

    def __init__(self, con: Any, folder: Path) -> None:
        self._con = con
        self._folder = folder
        self.profiles: list[Path] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)

    def execute(self, sql: str, *args: Any) -> Any:
        # the statements that join the visits with their combinations' channels (not the
        # merge's anti-join of the new channel rows against the stored ones)
        channel = "_goodwill_channel_features" in sql and sql.lstrip().startswith(
            ("INSERT INTO visit_channels", "CREATE OR REPLACE TEMP TABLE _goodwill_channel")
        )
        if not channel:
            return self._con.execute(sql, *args)
        out = self._folder / f"profile-{len(self.profiles)}.json"
        self.profiles.append(out)
        self._con.execute("SET enable_profiling = 'json'")
        self._con.execute(f"SET profiling_output = '{out}'")
        try:
            return _Rows(self._con.execute(sql, *args).fetchall())
        finally:
            self._con.execute("RESET enable_profiling")


class _Rows:
    """A statement's rows, fetched before the profiling setting is reset."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None


def _hash_joins(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = [node] if node.get("operator_type") == "HASH_JOIN" else []
    for child in node.get("children", []):
        found.extend(_hash_joins(child))
    return found


def _rows(node: dict[str, Any]) -> int:
    return int(node.get("operator_cardinality", 0))


def test_channel_step_hashes_the_combinations_not_the_uncommitted_visits(
    wh: Warehouse, tmp_path: Path
) -> None:
    pages = ["https://shop.example/?utm_source=news&utm_medium=email", "https://shop.example/"]
    lines = ["visit_id,started_at,visitor_id,landing_url,referrer"]
    for i in range(N_VISITS):
        referrer = "https://www.google.com/" if i % 3 == 2 else ""
        lines.append(f"v{i},2026-01-01T00:00:00Z,p{i % 50},{pages[1 if i % 3 else 0]},{referrer}")
    visits = tmp_path / "visits.csv"
    visits.write_text("\n".join(lines) + "\n", encoding="utf-8")
    profiled = _Profiled(wh.con, tmp_path)
    wh.con = profiled  # type: ignore[assignment]
    summary = import_paths(wh, [visits], show_progress=False)
    wh.con = profiled._con
    assert summary.enriched_visits == N_VISITS
    first = len(profiled.profiles)
    wh.con = profiled  # type: ignore[assignment]
    again = import_paths(wh, [visits], show_progress=False)  # into a warehouse with rows
    wh.con = profiled._con
    assert again.enriched_visits == N_VISITS
    assert len(profiled.profiles) > first
    assert wh.query("SELECT count(*), count(DISTINCT visit_id) FROM visit_channels") == [
        (N_VISITS, N_VISITS)
    ]
    assert wh.query("SELECT channel, count(*) FROM visit_channels GROUP BY 1 ORDER BY 1") == [
        ("direct", 1000),
        ("email", 1000),
        ("search", 1000),
    ]
    joins = [
        j for p in profiled.profiles for j in _hash_joins(json.loads(p.read_text(encoding="utf-8")))
    ]
    assert joins, "the channel step ran no hash join"
    for join in joins:
        probe, build = join["children"]
        # the build side: the combinations (three); never the 3,000 visits, which probe
        assert _rows(build) <= 3, (join.get("extra_info"), _rows(probe), _rows(build))
