"""`goodwill import` wiring: detection, --format, --map, folders, zips, summary, `sources`."""

from __future__ import annotations

import json
import shutil
import zipfile
from contextlib import ExitStack
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.config import load_config
from goodwill.errors import UnknownTableError, UserInputError
from goodwill.importer import import_paths
from goodwill.sources.adapters import AdapterContext, AdapterOutput, Format
from goodwill.sources.context import parse_mapping, set_visitor_salt, visitor_salt
from goodwill.sources.discovery import detect_formats, plan_sources
from goodwill.sources.registry import all_formats
from goodwill.warehouse import Warehouse

HERE = Path(__file__).parent
TESTS = HERE.parent
AWKWARD = HERE / "fixtures" / "awkward_access.log"
INTERCHANGE = TESTS / "fixtures" / "interchange"
runner = CliRunner()


def _imp(wh: Warehouse, *paths: Path, **kw: object) -> object:
    return import_paths(wh, list(paths), show_progress=False, **kw)  # type: ignore[arg-type]


def _fixture_paths() -> list[Path]:
    """Every export fixture of every adapter area (files and folders at the top level)."""
    out: list[Path] = []
    shared = [
        TESTS / "fixtures" / name
        for name in (
            "access_logs",
            "ga4",
            "meta_download",
            "tiktok_studio",
            "mailchimp_api",
            "klaviyo_api",
            "linkedin_pages",
        )
    ]
    shared += sorted((TESTS / "fixtures" / "youtube").iterdir())  # the export's own folder
    for folder in [*sorted(TESTS.glob("sources_*/fixtures")), *shared]:
        out.extend(p for p in sorted(folder.iterdir()) if not p.name.startswith("."))
    return out


def test_every_fixture_is_recognised_by_exactly_one_format() -> None:
    formats = list(all_formats().values())
    seen: dict[str, int] = {}
    for path in _fixture_paths():
        found = [f.name for f in detect_formats(path, formats)]
        assert len(found) <= 1, f"{path}: {found}"
        for name in found:
            seen[name] = seen.get(name, 0) + 1
    assert "access-log" in seen
    # every registered format recognises at least one fixture written for it (mapped-csv is
    # never detected: --table chooses it)
    missing = sorted(set(all_formats()) - set(seen) - {"mapped-csv"})
    assert not missing, f"formats without a detected fixture: {missing}"


def test_interchange_fixtures_are_not_taken_by_any_format() -> None:
    formats = list(all_formats().values())
    for path in sorted(INTERCHANGE.iterdir()):
        assert detect_formats(path, formats) == [], path


def test_ambiguous_detection_names_the_candidates(tmp_path: Path) -> None:
    def yes(p: Path) -> bool:
        return True

    def nothing(p: Path, ctx: AdapterContext) -> AdapterOutput:
        return AdapterOutput()

    fmts = [Format("one", "", yes, nothing), Format("two", "", yes, nothing)]
    f = tmp_path / "export.csv"
    f.write_text("a\n", encoding="utf-8")
    with ExitStack() as stack, pytest.raises(UserInputError, match=r"\(one, two\).*--format"):
        plan_sources([f], fmts, stack)


def test_a_raising_detector_says_no(tmp_path: Path) -> None:
    def boom(p: Path) -> bool:
        raise RuntimeError("bad detector")

    fmt = Format("boom", "", boom, lambda p, c: AdapterOutput())
    assert detect_formats(tmp_path, [fmt]) == []


def test_unrecognised_data_file_in_a_folder_is_an_error(wh: Warehouse, tmp_path: Path) -> None:
    shutil.copy(INTERCHANGE / "accounts.csv", tmp_path / "accounts.csv")
    (tmp_path / "export_2026.json").write_text('{"hello": 1}', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not data", encoding="utf-8")
    (tmp_path / "error.log").write_text("[Tue May 05 08:00:00 2026] [error] x\n", "utf-8")
    with pytest.raises(UserInputError, match=r"export_2026.json: not an interchange file"):
        _imp(wh, tmp_path)
    (tmp_path / "export_2026.json").unlink()
    summary = _imp(wh, tmp_path)
    assert wh.count("accounts") == 3
    ignored = [Path(p).name for p in summary.ignored]  # type: ignore[attr-defined]
    assert ignored == ["error.log", "notes.txt"]  # the warehouse file is not even listed


def test_misnamed_interchange_file_is_still_an_unknown_table(wh: Warehouse, tmp_path: Path) -> None:
    (tmp_path / "interaction.csv").write_text("platform\n", encoding="utf-8")
    with pytest.raises(UnknownTableError, match="'interaction' is not a canonical table"):
        _imp(wh, tmp_path)


def test_mixed_folder_loads_interchange_and_exports(wh: Warehouse, tmp_path: Path) -> None:
    shutil.copytree(INTERCHANGE, tmp_path / "in")
    shutil.copy(AWKWARD, tmp_path / "in" / "access_log")
    shutil.copytree(TESTS / "sources_social" / "fixtures" / "mastodon", tmp_path / "in" / "m")
    summary = _imp(wh, tmp_path / "in", site_host="shop.example")
    formats = sorted(set(summary.formats.values()))  # type: ignore[attr-defined]
    assert formats == ["access-log", "mastodon"]
    assert wh.count("visits") == 2 + 4  # the interchange fixture's 2 and the log's 4
    assert wh.count("accounts") >= 3 and wh.count("interactions") > 4
    loaded = [(Path(f.source).name, f.table) for f in summary.files]  # type: ignore[attr-defined]
    assert ("access_log", "visits") in loaded and ("visits.csv", "visits") in loaded
    before = wh.counts()
    _imp(wh, tmp_path / "in", site_host="shop.example")
    assert wh.counts() == before


def test_zip_of_a_folder_imports_like_the_folder(wh: Warehouse, tmp_path: Path) -> None:
    z = tmp_path / "bundle.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(AWKWARD, "logs/access.log")
        zf.write(INTERCHANGE / "accounts.csv", "accounts.csv")
    summary = _imp(wh, z, site_host="shop.example")
    assert wh.count("visits") == 4 and wh.count("accounts") == 3
    assert list(summary.formats.values()) == ["access-log"]  # type: ignore[attr-defined]
    assert str(next(iter(summary.skipped))).endswith("bundle.zip/logs/access.log")  # type: ignore[attr-defined]


def test_zip_slip_is_refused(wh: Warehouse, tmp_path: Path) -> None:
    z = tmp_path / "evil.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("../outside.csv", "x\n")
    with pytest.raises(UserInputError, match="outside the archive"):
        _imp(wh, z)


def test_format_forces_an_adapter(wh: Warehouse, tmp_path: Path) -> None:
    log = tmp_path / "weird.txt"
    # a banner line on top (a comment line starting with '#' is recognised since issue 14)
    log.write_text("exported by our host\n" + AWKWARD.read_text(encoding="latin-1"), "latin-1")
    with pytest.raises(UserInputError, match="no format recognises it"):
        _imp(wh, log)
    summary = _imp(wh, log, format="access-log", site_host="shop.example")
    assert wh.count("visits") == 4
    assert summary.rows_quarantined == 4  # type: ignore[attr-defined]  # + the banner line
    with pytest.raises(UserInputError, match=r"unknown format; known formats: .*access-log"):
        _imp(wh, log, format="apache")


def test_parse_mapping() -> None:
    assert parse_mapping("email=E-mail, customer_id = Customer ID") == {
        "email": "E-mail",
        "customer_id": "Customer ID",
    }
    assert parse_mapping(None) == {} and parse_mapping(" ") == {}
    for bad, match in (
        ("email", r"pair 1 'email' is not canonical=Header"),
        ("email=E-mail,=X", r"pair 2 '=X'"),
        ("email=", "pair 1"),
        ("email=A,email=B", "'email' is mapped twice"),
    ):
        with pytest.raises(UserInputError, match=match):
            parse_mapping(bad)


def test_cli_map_error_exits_2(tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["import", str(AWKWARD), "--db", str(tmp_path / "g.duckdb"), "--map", "email"]
    )
    assert res.exit_code == 2 and "--map: pair 1 'email'" in res.output


def test_mapping_and_options_reach_the_adapter(wh: Warehouse, tmp_path: Path) -> None:
    seen: list[AdapterContext] = []

    def read(p: Path, ctx: AdapterContext) -> AdapterOutput:
        seen.append(ctx)
        out = AdapterOutput()
        out.add("key_messages", {"message_id": "m1", "text": "hello", "_line": 2})
        out.skip("blank", 3)
        return out

    from goodwill.sources.adapters import FORMATS

    fmt = Format("test-probe", "probe", lambda p: False, read, tables=("key_messages",))
    FORMATS[fmt.name] = fmt
    try:
        f = tmp_path / "probe.dat"
        f.write_text("x", encoding="utf-8")
        shutil.copy(INTERCHANGE / "accounts.csv", tmp_path / "accounts.csv")
        summary = _imp(
            wh, f, format="test-probe", mapping={"email": "E-mail"}, options={"a.b": "1"}
        )
    finally:
        del FORMATS[fmt.name]
    ctx = seen[0]
    assert ctx.mapping == {"email": "E-mail"} and ctx.options == {"a.b": "1"}
    assert ctx.visitor_salt == visitor_salt(wh) and len(ctx.visitor_salt) == 32
    assert wh.query("SELECT text FROM key_messages") == [("hello",)]
    assert summary.skipped == {str(f): {"blank": 3}}  # type: ignore[attr-defined]


def test_brand_handles_come_from_accounts(wh: Warehouse, tmp_path: Path) -> None:
    seen: list[AdapterContext] = []

    def read(p: Path, ctx: AdapterContext) -> AdapterOutput:
        seen.append(ctx)
        return AdapterOutput()

    from goodwill.sources.adapters import FORMATS

    fmt = Format("test-brand", "probe", lambda p: p.name == "probe.brand", read)
    FORMATS[fmt.name] = fmt
    try:
        (tmp_path / "probe.brand").write_text("x", encoding="utf-8")
        shutil.copy(INTERCHANGE / "accounts.csv", tmp_path / "accounts.csv")
        _imp(wh, tmp_path)
    finally:
        del FORMATS[fmt.name]
    brand = {
        str(r[0]): str(r[1])
        for r in wh.query("SELECT platform, handle FROM accounts WHERE owner = 'brand'")
    }
    assert brand and all(seen[0].brand_handles[k] == v for k, v in brand.items())


def test_set_visitor_salt_refuses_to_change_it(wh: Warehouse) -> None:
    set_visitor_salt(wh, b"a" * 32)
    set_visitor_salt(wh, b"a" * 32)
    assert visitor_salt(wh) == b"a" * 32
    with pytest.raises(UserInputError, match="different visitor salt"):
        set_visitor_salt(wh, b"b" * 32)


def test_sources_config_table(tmp_path: Path) -> None:
    cfg = tmp_path / "goodwill.toml"
    cfg.write_text(
        '[goodwill]\ncurrency = "EUR"\n[sources]\nx = 1\n[sources.accesslog]\n'
        "require_assets = false\n",
        encoding="utf-8",
    )
    assert load_config(cfg).sources == {"x": "1", "accesslog.require_assets": "False"}


def test_cli_import_prints_skipped_counts(tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["import", str(AWKWARD), "--db", str(tmp_path / "g.duckdb"), "--no-progress"]
    )
    assert res.exit_code == 0, res.output
    assert "left out 15 record(s)" in res.output and "5 static asset" in res.output
    assert "(access-log)" in res.output and "3 row(s) quarantined" in res.output


def test_sources_command_lists_every_format() -> None:
    res = runner.invoke(app, ["sources", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    names = [r["format"] for r in rows]
    assert names[0] == "interchange" and set(all_formats()) <= set(names)
    log = next(r for r in rows if r["format"] == "access-log")
    assert log["tables"] == "visits" and "Apache" in log["description"]
    bad = runner.invoke(app, ["sources", "--format", "xml"])
    assert bad.exit_code == 2


def test_sources_readme_lists_every_format() -> None:
    from goodwill.commands.sources import formats_markdown

    readme = (TESTS.parent / "docs" / "sources" / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- formats: generated by python -m goodwill.commands.sources -->\n")
    end = readme.index("<!-- /formats -->")
    section = readme[readme.index("\n", start) + 1 : end]
    assert section == formats_markdown(), (
        "docs/sources/README.md is stale: paste `python -m goodwill.commands.sources` "
        "between the formats markers"
    )
