"""Exports made of several files: a record rejected on line N of one file and one rejected on
line N of another are two quarantine rows, each naming its file (quarantine is keyed by import,
source, file inside the source and line); an old warehouse is migrated to that key."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goodwill import model
from goodwill.cli import app
from goodwill.importer import import_paths
from goodwill.sources.accesslog import read as read_access_log
from goodwill.sources.adapters import AdapterContext
from goodwill.warehouse import Warehouse

FIX = Path(__file__).parent / "fixtures" / "x_archive"
AWKWARD = Path(__file__).parents[1] / "sources_import" / "fixtures" / "awkward_access.log"
runner = CliRunner()


def _tweets(part: int, first_id: int) -> str:
    """A tweets file: line 3 has no id (the adapter rejects it), line 4 answers the handle
    ``@`` (the loader rejects the reply: empty target_handle), lines 2 and 5 load."""
    at = "Sat Nov 15 09:30:00 +0000 2025"
    records = [
        {"tweet": {"id_str": str(first_id), "created_at": at, "full_text": "open today"}},
        {"tweet": {"created_at": at, "full_text": "a record without an id"}},
        {
            "tweet": {
                "id_str": str(first_id + 1),
                "created_at": at,
                "full_text": "@ thanks",
                "in_reply_to_screen_name": "@",
                "in_reply_to_status_id_str": "42",
            }
        },
        {"tweet": {"id_str": str(first_id + 2), "created_at": at, "full_text": "closed"}},
    ]
    body = ",\n".join(json.dumps(r) for r in records)
    return f"window.YTD.tweets.part{part} = [\n{body}\n]\n"


def _archive(tmp_path: Path, kind: str) -> Path:
    folder = tmp_path / "archive"
    shutil.copytree(FIX, folder)
    (folder / "data" / "tweets.js").write_text(_tweets(0, 100), encoding="utf-8")
    (folder / "data" / "tweets-part1.js").write_text(_tweets(1, 200), encoding="utf-8")
    if kind == "folder":
        return folder
    z = tmp_path / "twitter-2026-05-02.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for p in sorted((folder / "data").iterdir()):
            zf.write(p, f"data/{p.name}")
    return z


@pytest.mark.parametrize("kind", ["folder", "zip"])
def test_the_same_line_of_two_archive_files_is_quarantined_twice(
    wh: Warehouse, tmp_path: Path, kind: str
) -> None:
    archive = _archive(tmp_path, kind)
    summary = import_paths(wh, [archive], show_progress=False)
    got = wh.query(
        "SELECT file, line, table_name, column_name, reason FROM quarantine ORDER BY line, file"
    )
    assert got == [
        ("data/tweets-part1.js", 3, "posts", None, "tweets-part1.js: record without tweet.id_str"),
        ("data/tweets.js", 3, "posts", None, "tweets.js: record without tweet.id_str"),
        ("data/tweets-part1.js", 4, "interactions", "target_handle", "empty handle: @"),
        ("data/tweets.js", 4, "interactions", "target_handle", "empty handle: @"),
    ]
    assert summary.rows_quarantined == 4
    raw = wh.query("SELECT file, raw FROM quarantine WHERE line = 4 ORDER BY file")
    assert ['"interaction_id":"201"' in r for _f, r in raw] == [True, False]
    assert ['"interaction_id":"101"' in r for _f, r in raw] == [False, True]
    posts = {r[0] for r in wh.query("SELECT post_id FROM posts")}
    assert posts == {"100", "102", "200", "202"}
    reasons = [r for f in summary.files for r in f.reasons]
    assert "data/tweets-part1.js line 3: tweets-part1.js: record without tweet.id_str" in reasons
    assert "data/tweets.js line 4, column target_handle: empty handle: @" in reasons
    # importing it again quarantines the same four records under the new import id
    import_paths(wh, [archive], show_progress=False)
    assert wh.query("SELECT count(*), count(DISTINCT (source, file, line)) FROM quarantine") == [
        (8, 4)
    ]


def test_import_summary_and_quarantine_command_show_the_file(tmp_path: Path) -> None:
    db = str(tmp_path / "g.duckdb")
    res = runner.invoke(app, ["import", str(_archive(tmp_path, "zip")), "--db", db])
    assert res.exit_code == 0, res.output
    assert "4 row(s) quarantined" in res.output
    assert "data/tweets-part1.js line 3" in res.output and "data/tweets.js line 4" in res.output
    res = runner.invoke(app, ["quarantine", "--db", db, "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert sorted((r["file"], r["line"]) for r in rows) == [
        ("data/tweets-part1.js", 3),
        ("data/tweets-part1.js", 4),
        ("data/tweets.js", 3),
        ("data/tweets.js", 4),
    ]
    assert {r["source"] for r in rows} == {str(tmp_path / "twitter-2026-05-02.zip")}


def test_a_single_file_names_no_inner_file(wh: Warehouse, tmp_path: Path) -> None:
    one = tmp_path / "key_messages.csv"
    one.write_text("message_id,text\nm1,\nm2,ok\n", encoding="utf-8")
    import_paths(wh, [one], show_progress=False)
    assert wh.query("SELECT source, file, line FROM quarantine") == [(str(one), "", 2)]


def test_a_folder_of_access_logs_names_each_log_on_its_rejects(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    for name in ("access.log", "access.log.1"):  # a log and its rotated copy
        shutil.copy(AWKWARD, logs / name)
    out = read_access_log(logs, AdapterContext(visitor_salt=b"k" * 32))
    rejected = [(r.file, r.line) for r in out.rejected["visits"]]
    lines = sorted({line for _f, line in rejected})
    assert len(lines) == 3  # the fixture's three bad lines, once per file
    assert sorted(rejected) == sorted((f, n) for f in ("access.log", "access.log.1") for n in lines)
    files = [str(v["_file"]) for v in out.tables["visits"]]
    assert sorted(files) == ["access.log"] * 4 + ["access.log.1"] * 4


def test_a_version_2_warehouse_gets_the_file_column_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with Warehouse.open(path) as w:  # made into what version 2 wrote: no quarantine.file
        w.con.execute("DROP TABLE quarantine")
        w.con.execute(
            "CREATE TABLE quarantine (import_id VARCHAR NOT NULL, source VARCHAR NOT NULL, "
            "table_name VARCHAR NOT NULL, line BIGINT NOT NULL, column_name VARCHAR, "
            "column_number BIGINT, reason VARCHAR NOT NULL, raw VARCHAR, "
            "PRIMARY KEY (import_id, source, line))"
        )
        w.con.execute(
            "INSERT INTO quarantine VALUES ('i1', 'a.zip', 'posts', 3, NULL, NULL, 'bad', '{}')"
        )
        w.set_meta("schema_version", "2")
    res = runner.invoke(app, ["quarantine", "--db", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output  # read-only, not migrated yet: still listed
    assert [(r["file"], r["line"]) for r in json.loads(res.output)] == [("", 3)]
    with Warehouse.open(path) as w:
        assert w.schema_version() == model.SCHEMA_VERSION  # migrated to the current schema
        columns = [r[0] for r in w.query("SELECT name FROM pragma_table_info('quarantine')")]
        assert columns == [
            c.name for c in next(t for t in model.SYSTEM_TABLES if t.name == "quarantine").columns
        ]
        pk = w.query(
            "SELECT constraint_column_names FROM duckdb_constraints() "
            "WHERE table_name = 'quarantine' AND constraint_type = 'PRIMARY KEY'"
        )
        assert list(pk[0][0]) == ["import_id", "source", "file", "line"]
        assert w.query("SELECT import_id, source, file, line, reason FROM quarantine") == [
            ("i1", "a.zip", "", 3, "bad")
        ]
        # the new key: line 3 of a second file of the same source is a second row
        w.con.execute(
            "INSERT INTO quarantine VALUES "
            "('i1', 'a.zip', 'data/b.js', 'posts', 3, NULL, NULL, 'bad', '{}')"
        )
        assert w.count("quarantine") == 2


def test_a_folder_of_mastodon_files_names_each_file_on_its_rows() -> None:
    from goodwill.sources.mastodon import read as read_mastodon

    out = read_mastodon(Path(__file__).parent / "fixtures" / "mastodon", AdapterContext())
    assert {r["_file"] for r in out.tables["posts"]} == {"statuses.json"}
    inbound = [r for r in out.tables["interactions"] if r["direction"] == "inbound"]
    assert inbound and {r["_file"] for r in inbound} == {"notifications.json"}
    assert {r["_file"] for r in out.tables["accounts"]} == {"account-2026-05-01.json"}
