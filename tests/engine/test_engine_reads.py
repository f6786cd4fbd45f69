"""Reads that moved behind the engine seam (issue 17 item 3) keep their answers: the
quarantine listing (a named function of :mod:`goodwill.engine.duckdb`, also on a warehouse not
yet migrated to keying quarantine by file) and ``goodwill links list`` (an Ibis expression)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.engine import duckdb as duck
from goodwill.warehouse import Warehouse

ROWS = [
    ("i1", "s", "f", "posts", 3, "text", 2, "empty text", "m2,"),
    ("i1", "s", "", "posts", 1, None, None, "bad header", None),
    ("i0", "t", "g", "posts", 9, "x", 1, "not a number", "z"),
]


def test_quarantine_frame_filters_orders_and_limits(tmp_path: Path) -> None:
    with Warehouse.open(tmp_path / "g.duckdb") as wh:
        wh.con.executemany("INSERT INTO quarantine VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ROWS)
        every = duck.quarantine_frame(wh.con, None, 50)
        assert list(every.columns) == [
            "import_id",
            "source",
            "file",
            "line",
            "column_name",
            "column_number",
            "reason",
            "raw",
        ]
        assert list(zip(every["import_id"], every["file"], every["line"], strict=True)) == [
            ("i0", "g", 9),
            ("i1", "", 1),
            ("i1", "f", 3),
        ]
        assert list(duck.quarantine_frame(wh.con, "i1", 1)["reason"]) == ["bad header"]
        assert duck.quarantine_frame(wh.con, "nope", 50).empty


def test_quarantine_frame_of_a_warehouse_without_the_file_column(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    try:
        con.execute(
            "CREATE TABLE quarantine (import_id VARCHAR, source VARCHAR, table_name VARCHAR, "
            "line BIGINT, column_name VARCHAR, column_number BIGINT, reason VARCHAR, raw VARCHAR)"
        )
        con.executemany(
            "INSERT INTO quarantine VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [r[:2] + r[3:] for r in ROWS]
        )
        frame = duck.quarantine_frame(con, None, 2)
    finally:
        con.close()
    assert list(frame["file"]) == ["", ""]
    assert list(frame["line"]) == [9, 1]


def test_links_list_counts_each_links_clicks(tmp_path: Path) -> None:
    db = tmp_path / "g.duckdb"
    with Warehouse.open(db) as wh:
        duck.insert_link(wh.con, ["a1", "https://x.example/a", "bluesky", "spring", None, None])
        duck.insert_link(wh.con, ["b2", "https://x.example/b", None, None, None, "p-1"])
        wh.con.executemany(
            "INSERT INTO link_clicks VALUES (?, ?, TIMESTAMP '2026-01-01 10:00', 'v', NULL, NULL)",
            [["c1", "a1"], ["c2", "a1"], ["c3", "zz"]],  # zz: a click on no known link
        )
    run = CliRunner().invoke(app, ["links", "list", "--db", str(db), "--format", "json"])
    assert run.exit_code == 0, run.output
    assert json.loads(run.output) == [
        {
            "code": "a1",
            "destination_url": "https://x.example/a",
            "platform": "bluesky",
            "campaign": "spring",
            "person_ref": None,
            "clicks": 2,
        },
        {
            "code": "b2",
            "destination_url": "https://x.example/b",
            "platform": None,
            "campaign": None,
            "person_ref": "p-1",
            "clicks": 0,
        },
    ]
