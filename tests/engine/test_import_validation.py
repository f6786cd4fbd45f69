"""The import's validation pass and its insert (``engine.duckdb.validate_and_merge``): the paths
it picks by what the validation pass counted (every row good; bad rows; a repeated key; both)
each keep every good row and quarantine every bad one with its line and reason."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from goodwill.importer import import_paths
from goodwill.warehouse import Warehouse

VISITS = "visit_id,started_at,visitor_id,landing_url,pageviews\n"


def _imp(wh: Warehouse, path: Path) -> object:
    return import_paths(wh, [path], show_progress=False)


def _quarantine(wh: Warehouse) -> list[tuple[object, ...]]:
    return wh.query("SELECT line, column_name, reason FROM quarantine ORDER BY line")


def test_a_value_that_does_not_parse_is_quarantined_not_given_the_default(
    wh: Warehouse, tmp_path: Path
) -> None:
    """``pageviews`` defaults to 1 and ``conversions.value`` to 0 when absent; a value that is
    there but is not a number is an error (it was stored as the default before)."""
    (tmp_path / "a").mkdir()
    visits = tmp_path / "a" / "visits.csv"
    visits.write_text(
        VISITS + "v1,2026-01-01T00:00:00Z,a,https://x.example/,abc\n"
        "v2,2026-01-01T00:00:00Z,a,https://x.example/,\n"
        "v3,2026-01-01T00:00:00Z,a,https://x.example/,3\n",
        encoding="utf-8",
    )
    _imp(wh, visits)
    assert wh.query("SELECT visit_id, pageviews FROM visits ORDER BY 1") == [("v2", 1), ("v3", 3)]
    assert _quarantine(wh) == [(2, "pageviews", "not an integer: abc")]
    (tmp_path / "b").mkdir()
    conversions = tmp_path / "b" / "conversions.csv"
    conversions.write_text(
        "conversion_id,occurred_at,kind,value,currency,customer_id\n"
        "c1,2026-01-01T00:00:00Z,order,n/a,USD,k1\n"
        "c2,2026-01-01T00:00:00Z,order,,USD,k1\n",
        encoding="utf-8",
    )
    _imp(wh, conversions)
    assert wh.query("SELECT conversion_id, value FROM conversions") == [("c2", Decimal(0))]
    assert _quarantine(wh) == [
        (2, "pageviews", "not an integer: abc"),
        (2, "value", "not a decimal number: n/a"),
    ]


def test_a_repeated_key_and_bad_rows_in_one_file(wh: Warehouse, tmp_path: Path) -> None:
    """The last good row of a key wins: a later bad row of the same key is quarantined and does
    not hide the good one; a key repeated only among good rows keeps its last row."""
    table = pa.table(
        {
            "visit_id": ["v1", "v2", "v1", "v2", "v3"],
            "started_at": ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "soon", None, None],
            "visitor_id": ["a", "a", "a", "a", "a"],
            "landing_url": ["https://x.example/1", "https://x.example/2", "u", "u", "u"],
        }
    )
    pq.write_table(table, tmp_path / "visits.parquet")
    (f,) = _imp(wh, tmp_path / "visits.parquet").files  # type: ignore[attr-defined]
    assert wh.query("SELECT visit_id, landing_url FROM visits ORDER BY 1") == [
        ("v1", "https://x.example/1"),
        ("v2", "https://x.example/2"),
    ]
    assert _quarantine(wh) == [
        (3, "started_at", "not an ISO 8601 timestamp: soon"),
        (4, "started_at", "missing required value"),
        (5, "started_at", "missing required value"),
    ]
    assert (f.rows_read, f.loaded, f.quarantined, f.duplicates) == (5, 2, 3, 0)


def test_a_clean_file_with_a_repeated_key_keeps_the_last_row(wh: Warehouse, tmp_path: Path) -> None:
    """No bad row, one repeated key: the window path without the reason's filter."""
    visits = tmp_path / "visits.csv"
    visits.write_text(
        VISITS + "v1,2026-01-01T00:00:00Z,a,https://x.example/first,\n"
        "v2,2026-01-01T00:00:00Z,a,https://x.example/,\n"
        "v1,2026-01-02T00:00:00Z,a,https://x.example/last,2\n",
        encoding="utf-8",
    )
    (f,) = _imp(wh, visits).files  # type: ignore[attr-defined]
    assert wh.query("SELECT visit_id, landing_url, pageviews FROM visits ORDER BY 1") == [
        ("v1", "https://x.example/last", 2),
        ("v2", "https://x.example/", 1),
    ]
    assert (f.rows_read, f.loaded, f.quarantined, f.duplicates) == (3, 2, 0, 1)
    assert _quarantine(wh) == []


def test_every_choice_of_an_enum_loads_and_another_is_quarantined(
    wh: Warehouse, tmp_path: Path
) -> None:
    """The enum check (a list lookup, not an IN list) accepts each declared choice, in any case,
    and names the bad value and the choices."""
    kinds = ["mention", "reply", "comment", "share", "like", "follow", "unfollow", "dm"]
    kinds += ["click", "open"]
    rows = [
        f"x,i{n},2026-01-03T10:00:00Z,{k.upper()},inbound,zoe,brand" for n, k in enumerate(kinds)
    ]
    rows.append("x,bad,2026-01-03T10:00:00Z,poke,inbound,zoe,brand")
    f = tmp_path / "interactions.csv"
    f.write_text(
        "platform,interaction_id,created_at,kind,direction,actor_handle,target_handle\n"
        + "\n".join(rows)
        + "\n",
        encoding="utf-8",
    )
    _imp(wh, f)
    assert sorted(r[0] for r in wh.query("SELECT kind FROM interactions")) == sorted(kinds)
    ((line, column, reason),) = _quarantine(wh)
    assert (line, column) == (len(kinds) + 2, "kind")
    assert reason.startswith("'poke' is not one of mention, reply, comment")  # type: ignore[union-attr]
