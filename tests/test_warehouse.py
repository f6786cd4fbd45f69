"""The warehouse: schema, keys, versions, transactions."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from goodwill import model, model_docs
from goodwill.engine.duckdb import UNINDEXED_KEYS
from goodwill.errors import UserInputError, WarehouseError
from goodwill.warehouse import Warehouse, default_db_path

ROOT = Path(__file__).resolve().parents[1]


def test_every_canonical_table_exists_with_its_key(wh: Warehouse) -> None:
    for t in model.CANONICAL_TABLES:
        cols = [
            r[0]
            for r in wh.query(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position",
                [t.name],
            )
        ]
        assert cols == list(t.column_names)
        pk = wh.query(
            "SELECT constraint_column_names FROM duckdb_constraints() "
            "WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'",
            [t.name],
        )
        if t.name in UNINDEXED_KEYS:  # unique by the import (tests/test_import.py), no index
            assert pk == []
            continue
        assert pk and list(pk[0][0]) == list(t.key)


def test_primary_key_rejects_a_second_row_with_the_same_key(wh: Warehouse) -> None:
    wh.con.execute("INSERT INTO key_messages VALUES ('m1', 'a')")
    with pytest.raises(duckdb.ConstraintException):
        wh.con.execute("INSERT INTO key_messages VALUES ('m1', 'b')")


def test_schema_version_is_recorded_and_reopening_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with Warehouse.open(path) as w:
        assert w.schema_version() == model.SCHEMA_VERSION
        w.con.execute("INSERT INTO key_messages VALUES ('m1', 'a')")
    with Warehouse.open(path) as w:
        assert w.count("key_messages") == 1


def test_a_version_1_warehouse_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with Warehouse.open(path) as w:  # made into what version 1 wrote: no interactions.agent
        w.con.execute("ALTER TABLE interactions DROP COLUMN agent")
        w.con.execute("DROP TABLE sync_state")
        w.con.execute(
            "INSERT INTO interactions (platform, interaction_id, created_at, kind, direction, "
            "actor_handle, target_handle) VALUES ('x', 'i1', TIMESTAMP '2026-01-01', 'reply', "
            "'outbound', 'brand', 'ann')"
        )
        w.set_meta("schema_version", "1")
    with Warehouse.open(path) as w:
        assert w.schema_version() == model.SCHEMA_VERSION == 6
        columns = [r[0] for r in w.query("SELECT name FROM pragma_table_info('interactions')")]
        assert columns[-1] == "agent"
        assert w.query("SELECT interaction_id, agent FROM interactions") == [("i1", None)]
        assert w.count("sync_state") == 0


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with Warehouse.open(path) as w:
        w.set_meta("schema_version", str(model.SCHEMA_VERSION + 1))
    with pytest.raises(WarehouseError, match="newer than this goodwill"):
        Warehouse.open(path)


def test_transaction_rolls_back_on_error(wh: Warehouse) -> None:
    with pytest.raises(RuntimeError), wh.transaction():
        wh.con.execute("INSERT INTO key_messages VALUES ('m1', 'a')")
        raise RuntimeError("boom")
    assert wh.count("key_messages") == 0


def test_read_only_open_of_a_missing_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="no such warehouse"):
        Warehouse.open(tmp_path / "nope.duckdb", read_only=True)


def test_default_path_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOODWILL_DB", raising=False)
    assert default_db_path() == Path("goodwill.duckdb")
    monkeypatch.setenv("GOODWILL_DB", "/tmp/x.duckdb")
    assert default_db_path() == Path("/tmp/x.duckdb")


def test_count_refuses_unknown_tables(wh: Warehouse) -> None:
    with pytest.raises(KeyError):
        wh.count("accounts; DROP TABLE posts")


def test_interchange_docs_are_generated_from_the_model() -> None:
    assert (ROOT / "docs" / "interchange.md").read_text(encoding="utf-8") == model_docs.render()


def test_model_declares_every_interchange_table_of_the_shared_contract() -> None:
    names = {t.name for t in model.CANONICAL_TABLES}
    assert {
        "accounts",
        "posts",
        "interactions",
        "audience_snapshots",
        "identities",
        "people",
        "visits",
        "conversions",
        "costs",
        "links",
        "key_messages",
        "fx_rates",
        "post_stats",  # issue 3: page insights post counts (beyond shared/interchange.md)
        "traffic_aggregates",  # issue 14: GA4 exports (beyond shared/interchange.md)
        "activities",  # issue 20: offline tactics for the mix model (beyond the shared file)
        "account_metrics",  # issue 14: an account's own daily counts (beyond the shared file)
        "consent",  # the consent ledger: exports (Klaviyo profiles) and interchange files
    } == names
    assert set(model.IMPORT_ORDER) == names - {"people"}


def test_memory_limit_and_temp_directory_come_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOODWILL_MEMORY_LIMIT", "300MiB")
    monkeypatch.setenv("GOODWILL_TEMP_DIRECTORY", str(tmp_path / "spill"))
    with Warehouse.open(tmp_path / "w.duckdb") as wh:
        assert wh.query(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        ) == [("300.0 MiB", str(tmp_path / "spill"))]


def test_defaults_bound_memory_and_spill_beside_the_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOODWILL_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("GOODWILL_TEMP_DIRECTORY", raising=False)
    monkeypatch.setenv("GOODWILL_CONFIG", str(tmp_path / "none.toml"))
    with Warehouse.open(tmp_path / "w.duckdb") as wh:
        (limit,) = wh.con.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchall()
        half = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 / 2**30
        value, unit = limit[0].split()
        assert unit == "GiB" and abs(float(value) - half) < 0.1
        assert limit[1] == f"{tmp_path / 'w.duckdb'}.tmp"


def test_a_memory_limit_that_is_not_a_size_is_a_user_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOODWILL_MEMORY_LIMIT", "lots")
    with pytest.raises(UserInputError, match="memory_limit: 'lots'"):
        Warehouse.open(tmp_path / "w.duckdb")
