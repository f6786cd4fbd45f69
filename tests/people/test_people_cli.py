"""The people commands on the fixture warehouse, in process."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.importer import import_paths
from goodwill.people.identity import resolve
from goodwill.warehouse import Warehouse

runner = CliRunner()


def _db(tmp_path: Path, people_dir: Path) -> str:
    db = tmp_path / "cli.duckdb"
    with Warehouse.open(db) as wh:
        import_paths(wh, [people_dir], show_progress=False)
        resolve(wh)  # as `goodwill import` does at its end; the read commands never resolve
    return str(db)


def test_roster_json_and_bad_month(tmp_path: Path, people_dir: Path) -> None:
    db = _db(tmp_path, people_dir)
    res = runner.invoke(app, ["people", "--db", db, "--month", "2026-03", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["month"] == "2026-03"
    assert {p["name"] for p in data["people"]} == {"Zoë Kramer", "José Pérez", "Bob Smith"}
    res = runner.invoke(app, ["people", "--db", db, "--month", "March"])
    assert res.exit_code == 2 and "expected YYYY-MM" in res.output


def test_person_merge_split_consent_erase(tmp_path: Path, people_dir: Path) -> None:
    db = _db(tmp_path, people_dir)
    res = runner.invoke(app, ["person", "@zoek", "--db", db, "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0] == "at,what,platform,detail"
    assert len(res.output.splitlines()) == 7
    res = runner.invoke(
        app, ["people", "split", "handle:mastodon:zoe.kramer@mastodon.social", "--db", db]
    )
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["people", "confirm", "handle:x:josep", "--db", db])
    assert res.exit_code == 0 and "with email:jose@example.com" in res.output, res.output
    res = runner.invoke(app, ["people", "merge", "josep", "nobody", "--db", db])
    assert res.exit_code == 2 and "no such identity" in res.output
    res = runner.invoke(app, ["people", "merge", "josep", "handle:x:bobsmith", "--db", db])
    assert res.exit_code == 0 and "into crm-2" in res.output, res.output
    res = runner.invoke(app, ["consent", "grant", "zoe@example.com", "--db", db])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["consent", "export", "--db", db])
    assert res.output.splitlines() == ["person_id,name,email", "crm-1,Zoë Kramer,zoe@example.com"]
    res = runner.invoke(app, ["referrals", "--db", db, "--format", "json"])
    assert json.loads(res.output)[0]["person_id"] == "crm-1"
    res = runner.invoke(app, ["erase", "zoe@example.com", "--yes", "--db", db])
    assert res.exit_code == 0 and "erased crm-1" in res.output, res.output
    res = runner.invoke(app, ["person", "zoek", "--db", db])
    assert res.exit_code == 2 and "no person" in res.output


def test_tiers_command(tmp_path: Path, people_dir: Path) -> None:
    db = _db(tmp_path, people_dir)
    res = runner.invoke(app, ["people", "tiers", "--db", db, "--format", "json"])
    assert res.exit_code == 0, res.output
    flows = json.loads(res.output)
    assert {"period": "2026-03-01", "from_tier": "none", "to_tier": "new", "people": 2} in flows
    res = runner.invoke(app, ["people", "tiers", "--db", db, "--view", "cash"])
    assert res.exit_code == 2 and "migration or revenue" in res.output
