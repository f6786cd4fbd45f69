"""Issue 19, item 3: after ``goodwill erase`` no byte of the person is left in the warehouse
file (free blocks included) or in the collector's spool (loaded segments, quarantine)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.importer import import_paths
from goodwill.people.identity import resolve
from goodwill.warehouse import Warehouse
from goodwill.web.loader import load_spool

EMAIL = "zoe.kramer.erase@example.com"
NAME = "Zoë Kramerová"
HANDLE = "zoekramer_erase"
SECRETS = (EMAIL, NAME, HANDLE)


def _event(i: int, **kw: str) -> dict[str, str]:
    return {
        "event_id": f"e{i}",
        "kind": "pageview",
        "site": "shop.example",
        "occurred_at": f"2026-01-0{i % 9 + 1}T10:00:00",
        "visitor_id": f"v{i}",
        "url": "https://shop.example/",
        **kw,
    }


def _files(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def _found(data: bytes) -> list[str]:
    low = data.lower()
    return [s for s in SECRETS if s.lower().encode() in low]


def test_erase_leaves_no_byte_of_the_person(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "identities.csv").write_text(
        "kind,value,person_ref,display_name\n"
        f"email,{EMAIL},crm-9,{NAME}\n"
        f"handle:x,{HANDLE},crm-9,{NAME}\n"
        "email,other@example.com,crm-2,Someone Else\n",
        encoding="utf-8",
    )
    (inbox / "interactions.csv").write_text(
        "platform,interaction_id,created_at,kind,direction,actor_handle,actor_name,"
        "target_handle,post_id,in_reply_to,text,url\n"
        + "".join(
            f"x,i{i},2026-01-05T10:00:00Z,reply,inbound,{HANDLE},{NAME},shop,,,"
            f"note {i} from {EMAIL},\n"
            for i in range(50)
        ),
        encoding="utf-8",
    )
    db = tmp_path / "w.duckdb"
    spool = tmp_path / "spool"
    spool.mkdir()
    lines = [json.dumps(_event(i)) for i in range(20)]
    lines.append(json.dumps(_event(20, kind="event", name="lead", email=EMAIL, value="5")))
    lines.append(json.dumps(_event(21, occurred_at="bad", email=EMAIL)))  # quarantined
    (spool / "events-20260101T000000000000000-1.jsonl").write_text("\n".join(lines) + "\n")
    with Warehouse.open(db) as wh:
        import_paths(wh, [inbox], show_progress=False)
        resolve(wh)
        load_spool(wh, spool)  # records where the spool is; archives the segment
        wh.con.execute("CHECKPOINT")
    assert _found(db.read_bytes())  # the test can see the person in the file
    assert EMAIL in _files(spool).decode()  # in loaded/ and quarantine/

    res = CliRunner().invoke(app, ["erase", EMAIL, "--yes", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "spool lines 3" in res.output  # 2 in the loaded segment, 1 quarantined
    left = b"".join(p.read_bytes() for p in tmp_path.glob("w.duckdb*"))
    assert _found(left) == []
    assert _found(_files(spool)) == []
    # the warehouse still works and kept everyone else
    with Warehouse.open(db) as wh:
        assert wh.count("collected_events") == 21
        assert wh.query("SELECT count(*) FROM identities WHERE value = 'other@example.com'") == [
            (1,)
        ]
        assert wh.count("interactions") == 0
        assert wh.query("SELECT email FROM collected_events WHERE event_id = 'e20'") == [
            ("[erased]",)
        ]


def test_loaded_segments_expire_after_the_retention(tmp_path: Path) -> None:
    from goodwill.web.loader import expire_loaded

    spool = tmp_path / "spool"
    spool.mkdir()
    for n in range(3):
        (spool / f"events-2026010{n}T000000000000000-1.jsonl").write_text(
            json.dumps(_event(n)) + "\n"
        )
    with Warehouse.open(tmp_path / "w.duckdb") as wh:
        kept = load_spool(wh, spool, retention_days=1)
    assert (kept.archived, kept.expired) == (3, 0)
    old = sorted((spool / "loaded").iterdir())[0]
    two_days_ago = time.time() - 2 * 86400
    os.utime(old, (two_days_ago, two_days_ago))
    assert expire_loaded(spool, 1) == 1
    assert not old.exists() and len(list((spool / "loaded").iterdir())) == 2
    (spool / "events-20260109T000000000000000-1.jsonl").write_text(json.dumps(_event(9)) + "\n")
    with Warehouse.open(tmp_path / "w.duckdb") as wh:
        gone = load_spool(wh, spool, retention_days=0)  # 0: deleted once loaded
    assert (gone.new, gone.archived, gone.expired) == (1, 1, 3)
    assert list((spool / "loaded").iterdir()) == []
