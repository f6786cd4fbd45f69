"""Interchange import: validation, quarantine, normalisation, fx, idempotence, atomicity."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from goodwill.errors import UnknownColumnsError, UnknownTableError, UserInputError
from goodwill.importer import import_paths
from goodwill.load import FAULT_ENV
from goodwill.warehouse import Warehouse

EXPECTED = {
    "accounts": 3,
    "posts": 2,
    "interactions": 4,
    "audience_snapshots": 2,
    "identities": 3,
    "people": 2,
    "visits": 2,
    "conversions": 3,
    "costs": 2,
    "links": 1,
    "key_messages": 1,
    "fx_rates": 2,
    "post_stats": 0,
    "traffic_aggregates": 0,
    "activities": 0,
    "account_metrics": 0,
    "consent": 0,
}


def _imp(wh: Warehouse, *paths: Path, **kw: object) -> object:
    return import_paths(wh, list(paths), show_progress=False, **kw)  # type: ignore[arg-type]


def test_fixture_folder_loads_every_row(wh: Warehouse, interchange_dir: Path) -> None:
    summary = _imp(wh, interchange_dir)
    assert wh.counts() == EXPECTED
    assert summary.rows_quarantined == 0  # type: ignore[attr-defined]
    assert wh.count("visit_channels") == 2


def test_second_import_changes_no_count(wh: Warehouse, interchange_dir: Path) -> None:
    _imp(wh, interchange_dir)
    summary = _imp(wh, interchange_dir)
    assert wh.counts() == EXPECTED
    assert all(f.new == 0 for f in summary.files)  # type: ignore[attr-defined]


def test_handles_are_normalised(wh: Warehouse, interchange_dir: Path) -> None:
    _imp(wh, interchange_dir)
    assert sorted(r[0] for r in wh.query("SELECT handle FROM accounts")) == [
        "brewhaus",
        "fernhill",
        "fernhill",
    ]
    actors = {r[0] for r in wh.query("SELECT actor_handle FROM interactions")}
    assert actors == {"zoe_k@mastodon.social", "bob", "fernhill", "josep"}
    emails = wh.query("SELECT value FROM identities WHERE kind = 'email'")
    assert emails == [("zoe@example.com",)]
    handle = wh.query("SELECT value FROM identities WHERE kind = 'handle:mastodon'")
    assert handle == [("zoe_k@mastodon.social",)]


def test_timestamps_with_offsets_become_utc(wh: Warehouse, interchange_dir: Path) -> None:
    _imp(wh, interchange_dir)
    rows = dict(wh.query("SELECT interaction_id, created_at FROM interactions"))
    assert rows["n1"] == datetime(2026, 1, 3, 9, 0)  # 10:00+01:00
    assert rows["t1"] == datetime(2026, 1, 5, 8, 0)
    posts = dict(wh.query("SELECT post_id, created_at FROM posts"))
    assert posts["p2"] == datetime(2026, 1, 4, 10, 30)  # naive means UTC


def test_fx_conversion_uses_latest_rate_on_or_before(wh: Warehouse, interchange_dir: Path) -> None:
    _imp(wh, interchange_dir)
    conv = {
        r[0]: r[1:]
        for r in wh.query("SELECT conversion_id, value, currency, value_reporting FROM conversions")
    }
    # c2: 40 EUR on 2026-01-09, rate of 2026-01-08 = 1.20
    assert conv["c2"] == (Decimal("40"), "EUR", Decimal("48"))
    assert conv["c3"] == (Decimal("25.5"), "USD", Decimal("25.5"))
    # c1: value and currency absent -> 0 in the reporting currency
    assert conv["c1"] == (Decimal("0"), "USD", Decimal("0"))
    costs = dict(wh.query("SELECT cost_id, amount_reporting FROM costs"))
    assert costs == {"k1": Decimal("1200"), "k2": Decimal("110")}  # rate of 2026-01-01


def test_people_are_derived_from_identities(wh: Warehouse, interchange_dir: Path) -> None:
    _imp(wh, interchange_dir)
    assert dict(wh.query("SELECT person_id, display_name FROM people")) == {
        "crm-1": "Zoë Kramer",
        "crm-2": "José Pérez",
    }


def test_bad_rows_are_quarantined_and_good_rows_load(wh: Warehouse, tmp_path: Path) -> None:
    f = tmp_path / "interactions.csv"
    f.write_text(
        "platform,interaction_id,created_at,kind,direction,actor_handle,target_handle,text\n"
        "x,a,2026-02-01T10:00:00Z,like,inbound,amy,fernhill,\n"
        "x,b,yesterday,like,inbound,amy,fernhill,\n"
        'x,c,2026-02-01T10:00:00Z,mention,inbound,amy,fernhill,"multi\nline text"\n'
        "x,d,2026-02-01T10:00:00Z,cheer,inbound,amy,fernhill,\n"
        "x,e,2026-02-01T10:00:00Z,like,sideways,amy,fernhill,\n"
        "x,f,2026-02-01T10:00:00Z,like,inbound,@,fernhill,\n"
        "x,g,2026-02-01T10:00:00Z,like,inbound,amy\n"
        "x,h,2026-02-01T10:00:00Z,share,inbound,amy,fernhill,\n",
        encoding="utf-8",
    )
    summary = _imp(wh, f)
    assert sorted(r[0] for r in wh.query("SELECT interaction_id FROM interactions")) == [
        "a",
        "c",
        "h",
    ]
    q = wh.query(
        "SELECT line, column_name, column_number, reason, raw FROM quarantine ORDER BY line"
    )
    assert [(r[0], r[1], r[2]) for r in q] == [
        (3, "created_at", 3),
        (6, "kind", 4),
        (7, "direction", 5),
        (8, "actor_handle", 6),
        (9, None, 7),
    ]
    reasons = [r[3] for r in q]
    assert reasons[0] == "not an ISO 8601 timestamp: yesterday"
    assert "'cheer' is not one of mention" in reasons[1]
    assert reasons[3] == "empty handle: @"
    assert reasons[4] == "expected 8 fields as in the header, found 6"
    assert json.loads(q[0][4])["created_at"] == "yesterday"
    assert q[4][4] == "x,g,2026-02-01T10:00:00Z,like,inbound,amy"
    assert summary.rows_read == 8  # type: ignore[attr-defined]
    assert summary.rows_loaded == 3  # type: ignore[attr-defined]
    assert summary.rows_quarantined == 5  # type: ignore[attr-defined]


def test_unknown_column_is_an_error_naming_it(wh: Warehouse, tmp_path: Path) -> None:
    f = tmp_path / "accounts.csv"
    f.write_text("platform,handle,owner,dispaly_name\nx,a,brand,A\n", encoding="utf-8")
    with pytest.raises(
        UnknownColumnsError,
        match=r"accounts.csv:1: unknown column\(s\) 'dispaly_name' \(column 4\)",
    ):
        _imp(wh, f)
    assert wh.count("accounts") == 0


def test_missing_required_column_is_an_error(wh: Warehouse, tmp_path: Path) -> None:
    f = tmp_path / "accounts.csv"
    f.write_text("platform,handle\nx,a\n", encoding="utf-8")
    with pytest.raises(UserInputError, match="missing required column"):
        _imp(wh, f)


def test_unknown_table_name_in_folder_is_an_error(wh: Warehouse, tmp_path: Path) -> None:
    (tmp_path / "interaction.csv").write_text("platform\n", encoding="utf-8")
    (tmp_path / "ground_truth.json").write_text("{}", encoding="utf-8")
    with pytest.raises(UnknownTableError, match="'interaction' is not a canonical table"):
        _imp(wh, tmp_path)


def test_duplicate_keys_within_a_file_keep_the_last(wh: Warehouse, tmp_path: Path) -> None:
    f = tmp_path / "key_messages.csv"
    f.write_text("message_id,text\nm1,first\nm1,second\n", encoding="utf-8")
    summary = _imp(wh, f)
    assert wh.query("SELECT text FROM key_messages") == [("second",)]
    assert summary.files[0].duplicates == 1  # type: ignore[attr-defined]


def test_changed_content_replaces_the_row(wh: Warehouse, tmp_path: Path) -> None:
    f = tmp_path / "accounts.csv"
    f.write_text("platform,handle,owner,display_name\nx,a,brand,Old\n", encoding="utf-8")
    _imp(wh, f)
    f.write_text("platform,handle,owner,display_name\nx,@A,brand,New\n", encoding="utf-8")
    summary = _imp(wh, f)
    assert wh.query("SELECT handle, display_name FROM accounts") == [("a", "New")]
    assert summary.files[0].new == 0  # type: ignore[attr-defined]


def test_missing_fx_rate_quarantines_with_reason(wh: Warehouse, tmp_path: Path) -> None:
    f = tmp_path / "costs.csv"
    f.write_text(
        "cost_id,period_start,period_end,category,amount,currency\n"
        "k1,2026-01-01,2026-01-31,tools,10,GBP\n"
        "k2,2026-01-01,2026-01-31,tools,10,dollars\n"
        "k3,2026-01-01,2026-01-31,tools,10,\n",
        encoding="utf-8",
    )
    _imp(wh, f, currency="EUR")
    reasons = dict(wh.query("SELECT line, reason FROM quarantine"))
    assert reasons == {
        2: "no fx rate for GBP on or before 2026-01-01 (add it to fx_rates)",
        3: "not an ISO 4217 currency code: dollars",
    }
    assert wh.query("SELECT cost_id, currency, amount_reporting FROM costs") == [
        ("k3", "EUR", Decimal("10"))
    ]


def test_reporting_currency_is_fixed_by_the_first_import(
    wh: Warehouse, interchange_dir: Path
) -> None:
    _imp(wh, interchange_dir / "key_messages.csv", currency="EUR")
    with pytest.raises(UserInputError, match="this warehouse reports in EUR"):
        _imp(wh, interchange_dir / "key_messages.csv", currency="USD")


def test_jsonl_bad_lines_and_unknown_keys(wh: Warehouse, tmp_path: Path) -> None:
    f = tmp_path / "key_messages.jsonl"
    f.write_text(
        '{"message_id": "m1", "text": "fresh"}\n'
        "{not json}\n"
        '["a list"]\n'
        '{"message_id": "m2", "text": {"nested": 1}}\n'
        "\n"
        '{"message_id": 3, "text": "numbers are text"}\n',
        encoding="utf-8",
    )
    _imp(wh, f)
    assert sorted(wh.query("SELECT message_id FROM key_messages")) == [("3",), ("m1",)]
    lines = [r[0] for r in wh.query("SELECT line FROM quarantine ORDER BY line")]
    assert lines == [2, 3, 4]
    f.write_text('{"message_id": "m1", "txt": "typo"}\n', encoding="utf-8")
    with pytest.raises(
        UnknownColumnsError, match=r"key_messages.jsonl:1: unknown column\(s\) 'txt'"
    ):
        _imp(wh, f)


def test_parquet_and_gzip_inputs(wh: Warehouse, tmp_path: Path, interchange_dir: Path) -> None:
    table = pa.table(
        {
            "platform": ["x", "x", "x"],
            "handle": ["fernhill", "fernhill", "fernhill"],
            "date": pa.array([datetime(2026, 1, 1).date(), datetime(2026, 1, 2).date(), None]),
            "followers": pa.array([10, 12, 13], type=pa.int64()),
            "following": pa.array([1, 1, 1], type=pa.int64()),
        }
    )
    pq.write_table(table, tmp_path / "audience_snapshots.parquet")
    with gzip.open(tmp_path / "posts.csv.gz", "wb") as gz:
        gz.write((interchange_dir / "posts.csv").read_bytes())
    _imp(wh, tmp_path)
    assert wh.count("audience_snapshots") == 2
    assert wh.query("SELECT line, column_name, reason FROM quarantine") == [
        (3, "date", "missing required value")
    ]
    assert wh.count("posts") == 2


def test_bom_and_crlf_csv(wh: Warehouse, tmp_path: Path) -> None:
    f = tmp_path / "key_messages.csv"
    f.write_bytes('\ufeffmessage_id,text\r\nm1,fresh\r\nm2,"two\r\nlines"\r\n'.encode())
    _imp(wh, f)
    assert dict(wh.query("SELECT message_id, text FROM key_messages")) == {
        "m1": "fresh",
        "m2": "two\r\nlines",
    }


def test_a_failing_import_leaves_the_previous_state(
    wh: Warehouse, interchange_dir: Path, tmp_path: Path
) -> None:
    _imp(wh, interchange_dir / "accounts.csv")
    shutil.copy(interchange_dir / "posts.csv", tmp_path / "posts.csv")
    (tmp_path / "links.csv").write_text("code,destination_url,bogus\n", encoding="utf-8")
    with pytest.raises(UnknownColumnsError):
        _imp(wh, tmp_path)
    assert wh.count("posts") == 0
    assert wh.count("accounts") == 3


def _run_import(db: Path, src: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "goodwill.cli",
            "import",
            str(src),
            "--db",
            str(db),
            "--no-progress",
            # the stored mix fit and Money-page credits are not what these tests check
            "--no-mmm",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        # a guard against a hang, not a speed check: generous for a loaded machine
        timeout=900,
        check=False,
    )


def test_killed_import_leaves_no_trace_and_rerun_matches_a_clean_run(
    tmp_path: Path, interchange_dir: Path
) -> None:
    db = tmp_path / "killed.duckdb"
    # kill -9 right after interactions were merged, before the commit
    killed = _run_import(db, interchange_dir, {FAULT_ENV: "interactions"})
    assert killed.returncode == -9, killed.stderr
    with Warehouse.open(db) as w:
        assert all(n == 0 for n in w.counts().values())
    rerun = _run_import(db, interchange_dir, {})
    assert rerun.returncode == 0, rerun.stderr
    clean_db = tmp_path / "clean.duckdb"
    assert _run_import(clean_db, interchange_dir, {}).returncode == 0
    with Warehouse.open(db) as a, Warehouse.open(clean_db) as b:
        assert a.counts() == b.counts()
        # `goodwill import` also resolves people (identities -> people), the library call not
        assert {**a.counts(), "people": EXPECTED["people"]} == EXPECTED


def test_sigkill_at_an_arbitrary_moment_is_all_or_nothing(tmp_path: Path) -> None:
    """A real kill -9 during a larger import (no injection point): the warehouse holds either
    nothing or everything, and re-running gives the counts of a clean run."""
    import signal
    import time

    from goodwill.simulate import write_scale

    data = tmp_path / "scale"
    write_scale(60_000, data)
    db = tmp_path / "g.duckdb"
    cmd = [sys.executable, "-m", "goodwill.cli", "import", str(data), "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=600)
    with Warehouse.open(db) as w:
        partial = w.counts()
    assert set(partial.values()) == {0} or partial["interactions"] == 60_000
    assert _run_import(db, data, {}).returncode == 0
    clean = tmp_path / "clean.duckdb"
    assert _run_import(clean, data, {}).returncode == 0
    with Warehouse.open(db) as a, Warehouse.open(clean) as b:
        assert a.counts() == b.counts()
        assert a.count("interactions") == 60_000


@pytest.mark.parametrize("name", ["key_messages.csv", "key_messages.jsonl"])
def test_a_file_that_is_not_utf8_names_the_line(wh: Warehouse, tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    good = (
        "message_id,text\nm1,fresh\n"
        if name.endswith(".csv")
        else '{"message_id": "m1", "text": "fresh"}\n'
    )
    f.write_bytes(good.encode() + b"m2,caf\xe9\n")
    line = 3 if name.endswith(".csv") else 2
    with pytest.raises(UserInputError, match=rf"line {line}: not UTF-8"):
        _imp(wh, f)
    assert wh.count("key_messages") == 0


def test_parquet_is_validated_deduped_and_quarantined_with_its_row(
    wh: Warehouse, tmp_path: Path
) -> None:
    """DuckDB reads Parquet itself: a bad row is quarantined with its row number and the row as
    read, the last row of a repeated key wins, and a second import replaces by key."""
    table = pa.table(
        {
            "platform": ["x", "x", "x", "x"],
            "post_id": ["1", "2", "1", "3"],
            "handle": ["@Fernhill", "fernhill", "fernhill", "fernhill"],
            "created_at": ["2026-01-01T10:00:00Z", "yesterday", "2026-01-02T10:00:00+02:00", None],
            "text": ["first", "bad", "last wins", "no time"],
        }
    )
    pq.write_table(table, tmp_path / "posts.parquet")
    summary = _imp(wh, tmp_path / "posts.parquet")
    assert wh.query("SELECT post_id, handle, created_at, text FROM posts") == [
        ("1", "fernhill", datetime(2026, 1, 2, 8, 0), "last wins")
    ]
    rows = wh.query("SELECT line, column_name, column_number, reason, raw FROM quarantine")
    assert sorted(rows) == [
        (
            2,
            "created_at",
            4,
            "not an ISO 8601 timestamp: yesterday",
            '{"platform":"x","post_id":"2","handle":"fernhill","created_at":"yesterday",'
            '"text":"bad"}',
        ),
        (
            4,
            "created_at",
            4,
            "missing required value",
            '{"platform":"x","post_id":"3","handle":"fernhill","created_at":null,"text":"no time"}',
        ),
    ]
    (f,) = summary.files  # type: ignore[attr-defined]
    assert (f.rows_read, f.loaded, f.new, f.duplicates, f.quarantined) == (4, 1, 1, 1, 2)
    pq.write_table(table.slice(2, 1), tmp_path / "posts.parquet")
    (f,) = _imp(wh, tmp_path / "posts.parquet").files  # type: ignore[attr-defined]
    assert (f.rows_read, f.loaded, f.new) == (1, 1, 0)
    assert wh.count("posts") == 1


def _interactions(path: Path, rows: list[tuple[str, str]]) -> Path:
    """An interactions CSV of ``(interaction_id, text)`` rows (same platform, time, kind)."""
    lines = ["platform,interaction_id,created_at,kind,direction,actor_handle,target_handle,text"]
    lines += [f"x,{i},2026-01-03T10:00:00Z,reply,inbound,zoe,brand,{text}" for i, text in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("old_schema", [False, True], ids=["unindexed", "keyed-by-old-schema"])
def test_interactions_stay_unique_by_key_without_an_index(
    wh: Warehouse, tmp_path: Path, old_schema: bool
) -> None:
    """``interactions`` has no primary key (engine.duckdb.UNINDEXED_KEYS): the import alone
    keeps one row per key. Within a file the last row of a key wins, a known key with new
    content replaces its row, and importing the same file again changes nothing at all (no
    row rewritten). A warehouse whose table still has the key (made before) merges alike."""
    (tmp_path / "a").mkdir()
    rows = [("i1", "a"), ("i2", "b"), ("i2", "b2"), ("i3", "c")]
    first = _interactions(tmp_path / "a" / "interactions.csv", rows)
    (f,) = _imp(wh, first).files  # type: ignore[attr-defined]
    assert (f.rows_read, f.loaded, f.duplicates, f.new) == (4, 3, 1, 3)
    if old_schema:
        wh.con.execute("ALTER TABLE interactions ADD PRIMARY KEY (platform, interaction_id)")
    (tmp_path / "b").mkdir()
    rows = [("i1", "a"), ("i3", "c2"), ("i4", "d"), ("i4", "d2")]
    second = _interactions(tmp_path / "b" / "interactions.csv", rows)
    (f,) = _imp(wh, second).files  # type: ignore[attr-defined]
    assert (f.rows_read, f.loaded, f.duplicates, f.new) == (4, 3, 1, 1)
    sql = "SELECT rowid, interaction_id, text FROM interactions ORDER BY interaction_id"
    assert [r[1:] for r in wh.query(sql)] == [("i1", "a"), ("i2", "b2"), ("i3", "c2"), ("i4", "d2")]
    before = wh.query(sql)
    (f,) = _imp(wh, second).files  # type: ignore[attr-defined]
    assert (f.loaded, f.new) == (3, 0)
    assert wh.query(sql) == before  # the same rows, not deleted and written again


def _duplicate_keys(wh: Warehouse) -> dict[str, list[tuple[object, ...]]]:
    """Every key that more than one row of an unindexed table holds (none, ever)."""
    from goodwill.engine.duckdb import UNINDEXED_KEYS
    from goodwill.model import table

    out = {}
    for name in sorted(UNINDEXED_KEYS):
        key = ", ".join(table(name).key)
        rows = wh.query(f"SELECT {key}, count(*) FROM {name} GROUP BY ALL HAVING count(*) > 1")
        if rows:
            out[name] = rows
    return out


@pytest.mark.parametrize("old_schema", [False, True], ids=["unindexed", "keyed-by-old-schema"])
def test_no_writer_lands_a_duplicate_key_in_an_unindexed_table(
    wh: Warehouse, tmp_path: Path, old_schema: bool
) -> None:
    """``visits``, ``identities``, ``conversions``, ``people`` (and ``interactions``,
    ``visit_channels``) have no primary key (``engine.duckdb.UNINDEXED_KEYS``): each writer
    keeps their keys unique (people: one row per person, its name changed in place). The
    import (a key repeated in a file, a file whose keys are known, the same file twice) and
    the collector's spool loader (a visit sessionised again, a conversion whose id the import
    already holds, a visitor identity already known) never leave two rows of one key; a
    warehouse whose tables still have their keys (made before) takes the same writes."""
    import json

    from goodwill.web.loader import load_spool

    def files(folder: Path, visit_rows: list[str], conv_rows: list[str], name: str) -> Path:
        folder.mkdir()
        (folder / "links.csv").write_text(
            "code,destination_url,person_ref\nL1,https://shop.example/a,p1\n"
        )
        (folder / "identities.csv").write_text(
            "kind,value,person_ref,display_name\nvisitor,v1,p1,Ann\nemail,a@x.io,p1,Ann\n"
            f"email,A@x.io,p1,{name}\nvisitor,v2,p2,\n"
        )
        (folder / "visits.csv").write_text(
            "visit_id,started_at,visitor_id,landing_url\n" + "\n".join(visit_rows) + "\n"
        )
        (folder / "conversions.csv").write_text(
            "conversion_id,occurred_at,kind,value,visitor_id\n" + "\n".join(conv_rows) + "\n"
        )
        return folder

    first = files(
        tmp_path / "a",
        [
            "w1,2026-01-02T10:00:00Z,v1,https://shop.example/a",
            "w1,2026-01-02T10:05:00Z,v1,/b",
            "gw:e2,2026-01-01T10:00:00Z,v9,/old",  # the id the collector gives e2's visit
        ],
        ["gw:e3,2026-01-02T10:00:00Z,order,5,v1", "c1,2026-01-02T10:00:00Z,lead,0,v1"],
        "Ann B",
    )
    _imp(wh, first)
    assert wh.query("SELECT visit_id, landing_url FROM visits ORDER BY 1") == [
        ("gw:e2", "/old"),
        ("w1", "/b"),
    ]
    assert wh.count("identities") == 3  # the email twice in other case: the last row wins
    people = "SELECT person_id, display_name FROM people ORDER BY 1"
    assert wh.query(people) == [("p1", "Ann B"), ("p2", None)]
    if old_schema:
        for name, key in (
            ("visits", "visit_id"),
            ("identities", "kind, value"),
            ("conversions", "conversion_id"),
            ("people", "person_id"),
        ):
            wh.con.execute(f"ALTER TABLE {name} ADD PRIMARY KEY ({key})")
    second = files(
        tmp_path / "b",
        ["w1,2026-01-02T10:00:00Z,v1,/c", "w2,2026-01-03T10:00:00Z,v2,/d"],
        ["c1,2026-01-02T10:00:00Z,lead,7,v1", "c2,2026-01-02T11:00:00Z,order,9,v2"],
        "Anna",  # p1's display name: the largest of Ann and Anna
    )
    for _ in range(2):  # the same files twice change nothing
        _imp(wh, second)
        assert _duplicate_keys(wh) == {}
    assert wh.query("SELECT visit_id, landing_url FROM visits ORDER BY 1") == [
        ("gw:e2", "/old"),
        ("w1", "/c"),
        ("w2", "/d"),
    ]
    assert wh.query(people) == [("p1", "Anna"), ("p2", None)]
    assert wh.query("SELECT conversion_id, value FROM conversions ORDER BY 1") == [
        ("c1", Decimal("7.0000")),
        ("c2", Decimal("9.0000")),
        ("gw:e3", Decimal("5.0000")),
    ]
    spool = tmp_path / "spool"
    spool.mkdir()
    events = [
        # v3 comes through the person's link (a visitor identity), v1 is known already
        {"event_id": "e1", "kind": "pageview", "site": "shop.example", "visitor_id": "v3",
         "occurred_at": "2026-01-04T10:00:00", "url": "https://shop.example/a", "link_code": "L1"},
        {"event_id": "e2", "kind": "pageview", "site": "shop.example", "visitor_id": "v1",
         "occurred_at": "2026-01-04T10:01:00", "url": "https://shop.example/a", "link_code": "L1"},
        # its conversion id gw:e3 is the imported one's
        {"event_id": "e3", "kind": "event", "name": "order", "site": "shop.example",
         "visitor_id": "v3", "occurred_at": "2026-01-04T10:02:00", "value": "12"},
    ]  # fmt: skip
    late = {  # an earlier pageview of v3, in a later load: v3's visit is built again
        "event_id": "e0", "kind": "pageview", "site": "shop.example", "visitor_id": "v3",
        "occurred_at": "2026-01-04T09:59:00", "url": "https://shop.example/z", "link_code": "L1",
    }  # fmt: skip
    for n, batch in enumerate((events, [late], [late])):
        (spool / f"events-2026010{n + 1}T000000000000000-1.jsonl").write_text(
            "\n".join(json.dumps(e) for e in batch) + "\n"
        )
        load_spool(wh, spool)
        assert _duplicate_keys(wh) == {}
    assert wh.query("SELECT value FROM conversions WHERE conversion_id = 'gw:e3'") == [
        (Decimal("12.0000"),)
    ]
    assert wh.query(
        "SELECT kind, value, person_ref FROM identities WHERE kind = 'visitor' ORDER BY 2"
    ) == [("visitor", "v1", "p1"), ("visitor", "v2", "p2"), ("visitor", "v3", "p1")]
    visits = "SELECT visit_id, visitor_id, landing_url, pageviews FROM visits ORDER BY 1"
    assert wh.query(visits) == [
        ("gw:e0", "v3", "https://shop.example/z", 2),  # v3's visit built again from e0
        ("gw:e2", "v1", "https://shop.example/a", 1),  # the collector's replaced the import's
        ("w1", "v1", "/c", 1),
        ("w2", "v2", "/d", 1),
    ]


def test_a_first_import_recreates_an_empty_interactions_table_atomically(
    wh: Warehouse, tmp_path: Path
) -> None:
    """A warehouse made when ``interactions`` had a primary key loses it at the first import
    into the empty table (created again inside the import's transaction): a later file's
    error rolls that back too, the old keyed empty table is there again. Tables that keep
    their key (posts) enforce it after an import."""
    pk = (
        "SELECT table_name FROM duckdb_constraints() "
        "WHERE table_name IN ('interactions', 'posts') AND constraint_type = 'PRIMARY KEY' "
        "ORDER BY 1"
    )
    wh.con.execute("ALTER TABLE interactions ADD PRIMARY KEY (platform, interaction_id)")
    _interactions(tmp_path / "interactions.csv", [("i1", "a"), ("i2", "b")])
    pq.write_table(
        pa.table(
            {
                "platform": ["x"],
                "post_id": ["1"],
                "handle": ["fernhill"],
                "created_at": ["2026-01-01T10:00:00Z"],
                "text": ["one"],
            }
        ),
        tmp_path / "posts.parquet",
    )
    bad = tmp_path / "conversions.csv"  # loaded after both; every amount lacks an fx rate
    bad.write_text(
        "conversion_id,occurred_at,kind,value,currency\nc1,2026-01-02T10:00:00Z,order,10,GBP\n"
    )
    with pytest.raises(UserInputError, match="amounts are in GBP"):
        _imp(wh, tmp_path)
    assert (wh.count("interactions"), wh.count("posts")) == (0, 0)
    assert wh.query(pk) == [("interactions",), ("posts",)]
    bad.unlink()
    _imp(wh, tmp_path)
    assert (wh.count("interactions"), wh.count("posts")) == (2, 1)
    assert wh.query(pk) == [("posts",)]
    import duckdb

    with pytest.raises(duckdb.ConstraintException, match=r"(?i)duplicate key"):  # enforced
        wh.query("INSERT INTO posts (platform, post_id, handle) VALUES ('x', '1', 'fernhill')")
