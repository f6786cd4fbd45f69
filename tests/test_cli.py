"""The command line: user errors are one line with exit status 2; commands do their job."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.model import SCHEMA_VERSION

runner = CliRunner()


def _gw(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "goodwill.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )


def test_init_creates_the_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "g.duckdb"
    result = runner.invoke(app, ["init", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert db.exists() and f"schema version {SCHEMA_VERSION}" in result.output


def test_import_prints_a_summary_with_quarantine_reasons(tmp_path: Path) -> None:
    f = tmp_path / "key_messages.csv"
    f.write_text("message_id,text\nm1,fresh\nm2,\n", encoding="utf-8")
    result = runner.invoke(
        app, ["import", str(f), "--db", str(tmp_path / "g.duckdb"), "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert "1 row(s) quarantined" in result.output
    assert "line 3, column text: missing required value" in result.output


def test_user_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    f = tmp_path / "accounts.csv"
    f.write_text("platform,handle,owner,colour\nx,a,brand,red\n", encoding="utf-8")
    proc = _gw("import", str(f), "--db", str(tmp_path / "g.duckdb"), "--no-progress")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1
    assert "accounts.csv:1: unknown column(s) 'colour' (column 4)" in lines[0]


def test_missing_path_and_bad_options_are_user_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "g.duckdb")
    proc = _gw("import", str(tmp_path / "nope"), "--db", db)
    assert proc.returncode == 2 and "no such file or folder" in proc.stderr
    proc = _gw("import", str(tmp_path), "--db", db, "--currency", "dollars")
    assert proc.returncode == 2 and "--currency: 'dollars' is not an ISO 4217" in proc.stderr


def test_metrics_rejects_bad_dates_and_formats(tmp_path: Path) -> None:
    db = tmp_path / "g.duckdb"
    runner.invoke(app, ["init", "--db", str(db)])
    result = runner.invoke(app, ["metrics", "audience", "--db", str(db), "--since", "last week"])
    assert result.exit_code == 2
    assert "--since 'last week': expected a date YYYY-MM-DD" in result.output
    result = runner.invoke(app, ["metrics", "audience", "--db", str(db), "--format", "xml"])
    assert result.exit_code == 2 and "--format 'xml'" in result.output


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_metrics_outputs(tmp_path: Path, interchange_dir: Path, fmt: str) -> None:
    db = str(tmp_path / "g.duckdb")
    assert (
        runner.invoke(app, ["import", str(interchange_dir), "--db", db, "--no-progress"]).exit_code
        == 0
    )
    result = runner.invoke(app, ["metrics", "audience", "--db", db, "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        rows = json.loads(result.output)
        assert rows[0]["platform"] == "mastodon" and rows[0]["followers"] == 120
    elif fmt == "csv":
        assert result.output.splitlines()[0].startswith("period,platform")
    else:
        assert "120" in result.output


def test_quarantine_command_lists_rows(tmp_path: Path) -> None:
    db = str(tmp_path / "g.duckdb")
    f = tmp_path / "key_messages.csv"
    f.write_text("message_id,text\nm2,\n", encoding="utf-8")
    runner.invoke(app, ["import", str(f), "--db", db, "--no-progress"])
    result = runner.invoke(app, ["quarantine", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["line"] == 2 and rows[0]["column_name"] == "text"


# -- help texts, -h, --version -------------------------------------------------------------


def _commands() -> list[tuple[list[str], object]]:
    """``(path, click command)`` of every command and group below ``goodwill``."""
    import typer

    out: list[tuple[list[str], object]] = []

    def walk(cmd: object, path: list[str]) -> None:
        out.append((path, cmd))
        for name, child in sorted(getattr(cmd, "commands", {}).items()):
            walk(child, [*path, name])

    walk(typer.main.get_command(app), [])
    return out


def _squash(text: str) -> str:
    return "".join(text.split())


def test_every_help_text_shows_every_word() -> None:
    """Each command's and option's help appears whole in ``--help``: nothing inside [...]
    is eaten as markup, and no reStructuredText ``literals`` leak."""
    checked = 0
    for path, cmd in _commands():
        res = runner.invoke(app, [*path, "--help"], terminal_width=80)
        assert res.exit_code == 0, (path, res.output)
        shown = _squash(res.output)
        assert "``" not in res.output, (path, res.output)
        texts = [str(getattr(cmd, "help", None) or "").split("\f")[0].replace("\b", "")]
        texts += [str(p.help) for p in getattr(cmd, "params", []) if getattr(p, "help", None)]
        for text in texts:
            assert _squash(text) in shown, (path, text, res.output)
            checked += 1
    assert checked > 150  # every command and option, not a few


def test_help_keeps_bracketed_words() -> None:
    shown = _squash(runner.invoke(app, ["report", "--help"]).output)
    assert _squash("[default: the last with data]") in shown
    assert _squash("[scorecard] in goodwill.toml") in shown


def test_short_help_and_version() -> None:
    from importlib.metadata import version

    assert runner.invoke(app, ["-h"]).output == runner.invoke(app, ["--help"]).output
    res = runner.invoke(app, ["people", "resolve", "-h"])
    assert res.exit_code == 0 and "Resolve every identity" in res.output
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.strip() == f"goodwill {version('goodwill')}"


def test_metrics_help_lists_every_metric() -> None:
    from goodwill.metrics import QUERIES

    out = runner.invoke(app, ["metrics", "--help"], terminal_width=100).output
    shown = _squash(out)
    for name, query in QUERIES.items():
        assert name in out
        for m in query.metrics:
            assert m.name in shown, (name, m.name)


def test_the_readme_command_table_is_generated_from_the_cli() -> None:
    from goodwill.commands.docs import README_START, readme_with_table

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert README_START in readme
    assert readme == readme_with_table(readme), "run python -m goodwill.commands.docs --write"
    for path, cmd in _commands():
        if path and not getattr(cmd, "hidden", False):
            assert f"| `goodwill {' '.join(path)}" in readme, path


# -- reads never create a warehouse --------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["report"],
        ["people"],
        ["people", "tiers"],
        ["person", "zoe"],
        ["referrals"],
        ["metrics", "audience"],
        ["scorecard"],
        ["quarantine"],
        ["users", "list"],
        ["tokens", "create", "alice"],
        ["enrich"],
        ["serve"],
        ["consent", "list"],
    ],
)
def test_read_commands_do_not_create_a_missing_warehouse(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "nothing.duckdb"
    res = runner.invoke(app, [*args, "--db", str(db)])
    assert res.exit_code == 2, res.output
    assert "no such warehouse" in res.output and "goodwill init" in res.output
    assert len([ln for ln in res.output.splitlines() if ln.strip()]) == 1, res.output
    assert not db.exists()


def test_users_add_does_not_create_a_missing_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "nothing.duckdb"
    res = runner.invoke(
        app, ["users", "add", "alice", "--password-stdin", "--db", str(db)], input="pw\n"
    )
    assert res.exit_code == 2 and "no such warehouse" in res.output
    assert not db.exists()


def test_serve_without_site_runs_the_dashboard_with_the_collector_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    db = tmp_path / "g.duckdb"
    assert runner.invoke(app, ["init", "--db", str(db)]).exit_code == 0
    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda web_app, **kw: served.append(web_app))
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["serve", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "collector is off" in res.output and "--site" in res.output
    (web_app,) = served
    assert web_app.state.collector.sites == frozenset()  # type: ignore[attr-defined]
    assert web_app.state.dashboard.db == db  # type: ignore[attr-defined]


# -- import: quarantine and strict, near-miss columns --------------------------------------


def test_import_with_quarantined_rows_says_so_and_strict_fails(tmp_path: Path) -> None:
    f = tmp_path / "key_messages.csv"
    f.write_text("message_id,text\nm1,fresh\nm2,\n", encoding="utf-8")
    db = str(tmp_path / "g.duckdb")
    res = runner.invoke(app, ["import", str(f), "--db", db, "--no-progress"])
    assert res.exit_code == 0
    assert "1 row(s) quarantined: the other rows were imported" in res.output
    res = runner.invoke(app, ["import", str(f), "--db", db, "--no-progress", "--strict"])
    assert res.exit_code == 1
    assert "exit status 1 (--strict)" in res.output


def test_near_miss_column_and_semicolon_file_get_a_hint(tmp_path: Path) -> None:
    f = tmp_path / "interactions.csv"
    f.write_text(
        "platform,interaction_id,created_at,direction,kind,actr_handle\n"
        "x,1,2026-01-01T00:00:00,inbound,reply,a\n",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["import", str(f), "--db", str(tmp_path / "g.duckdb")])
    assert res.exit_code == 2
    assert "did you mean actor_handle for 'actr_handle'?" in res.output
    f.write_text("platform;interaction_id;created_at\nx;1;2026-01-01\n", encoding="utf-8")
    res = runner.invoke(app, ["import", str(f), "--db", str(tmp_path / "g.duckdb")])
    assert res.exit_code == 2 and "';'-separated" in res.output


# -- settings: found beside the warehouse, and applied after an import ---------------------


def _visits(folder: Path) -> Path:
    f = folder / "visits.csv"
    f.write_text(
        "visit_id,started_at,visitor_id,landing_url,referrer\n"
        "v1,2026-03-02T10:00:00,a,https://shop.myshopplatform.example/p/1,"
        "https://fernhill.example/blog/post\n",
        encoding="utf-8",
    )
    return f


def _channel(db: Path) -> tuple[str, str]:
    from goodwill.warehouse import Warehouse

    with Warehouse.open(db, read_only=True) as wh:
        ((channel, source),) = wh.query("SELECT channel, source FROM visit_channels")
    return str(channel), str(source)


def test_site_host_set_after_the_import_applies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOODWILL_CONFIG", raising=False)
    monkeypatch.delenv("GOODWILL_SITE_HOST", raising=False)
    work = tmp_path / "elsewhere"
    work.mkdir()
    monkeypatch.chdir(work)
    wh_dir = tmp_path / "wh"
    wh_dir.mkdir()
    db = wh_dir / "goodwill.duckdb"
    res = runner.invoke(app, ["import", str(_visits(tmp_path)), "--db", str(db), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert _channel(db) == ("referral", "fernhill.example")
    # the setting is written next to the warehouse, and the command runs from another folder
    (wh_dir / "goodwill.toml").write_text(
        '[goodwill]\nsite_host = "fernhill.example"\n', encoding="utf-8"
    )
    res = runner.invoke(app, ["metrics", "traffic", "--db", str(db), "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert "run `goodwill enrich`" in res.output  # a read says so, and does not write
    assert _channel(db) == ("referral", "fernhill.example")
    res = runner.invoke(app, ["enrich", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert f"settings: {wh_dir / 'goodwill.toml'}" in res.output
    assert "visit_channels: recomputed 1 row(s)" in res.output
    assert _channel(db)[0] == "direct"  # the site's own referrer is internal
    res = runner.invoke(app, ["enrich", "--db", str(db)])
    assert "up to date" in res.output


# -- tables fit 80 columns ------------------------------------------------------------------


def test_wide_tables_come_in_parts_that_fit_80_columns() -> None:
    import io

    import pandas as pd
    from rich.console import Console

    from goodwill.output import format_value, render_frame

    df = pd.DataFrame({"period": ["2026-01", "2026-02"], "platform": ["x", "mastodon"]})
    for i in range(9):
        df[f"metric_number_{i}"] = [123456789.25 * (i + 1), 5.5]
    df["note"] = ["a long sentence that has to wrap inside its own column", "short"]
    buf = io.StringIO()
    render_frame(df, "table", console=Console(file=buf, width=80), title="wide")
    out = buf.getvalue()
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "part 1 of" in out and "--wide" in out
    shown = _squash(out)
    for col in df.columns[2:]:  # every value whole, none cut with an ellipsis
        assert col in shown
        for v in df[col]:
            assert _squash(format_value(v)) in shown, (col, v)
    assert out.count("2026-02") == out.count("part ")  # the key columns start every part
    buf = io.StringIO()
    render_frame(df, "table", console=Console(file=buf, width=100_000), title="wide")
    assert "part" not in buf.getvalue() and buf.getvalue().count("┏") == 1


def test_wide_option_prints_one_table(tmp_path: Path) -> None:
    f = tmp_path / "key_messages.csv"
    f.write_text("message_id,text\nm1,fresh\nm2,\n", encoding="utf-8")
    db = str(tmp_path / "g.duckdb")
    assert runner.invoke(app, ["import", str(f), "--db", db, "--no-progress"]).exit_code == 0
    narrow = runner.invoke(app, ["quarantine", "--db", db], terminal_width=80).stdout
    assert max(len(line) for line in narrow.splitlines()) <= 80
    wide = runner.invoke(app, ["--wide", "quarantine", "--db", db]).stdout
    assert wide.count("┏") == 1 and "missing required value" in wide
    again = runner.invoke(app, ["quarantine", "--db", db], terminal_width=80).stdout
    assert again == narrow  # --wide lasts for its own command only
