from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.config import load_config
from goodwill.errors import UserInputError


def test_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOODWILL_CURRENCY", raising=False)
    cfg = load_config(tmp_path / "absent.toml")
    assert cfg.currency == "USD" and cfg.site_host is None and cfg.path is None


def test_file_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "goodwill.toml"
    f.write_text('[goodwill]\ncurrency = "eur"\nsite_host = "shop.example"\n', encoding="utf-8")
    monkeypatch.delenv("GOODWILL_CURRENCY", raising=False)
    assert load_config(f).currency == "EUR"
    monkeypatch.setenv("GOODWILL_CURRENCY", "GBP")
    cfg = load_config(f)
    assert cfg.currency == "GBP" and cfg.site_host == "shop.example"


def test_unknown_setting_and_bad_currency_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOODWILL_CURRENCY", raising=False)
    f = tmp_path / "goodwill.toml"
    f.write_text('[goodwill]\ncurency = "EUR"\n', encoding="utf-8")
    with pytest.raises(UserInputError, match=r"unknown setting.*curency"):
        load_config(f)
    f.write_text('[goodwill]\ncurrency = "euros"\n', encoding="utf-8")
    with pytest.raises(UserInputError, match="'euros' is not an ISO 4217"):
        load_config(f)


# -- the registry drives docs/settings.md ---------------------------------------------------

ROOT = Path(__file__).parents[1]


def test_docs_settings_md_is_generated_from_the_registry() -> None:
    from goodwill.config import REGISTRY, settings_markdown

    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert text == settings_markdown(), "run python -m goodwill.commands.docs --write"
    for s in REGISTRY:
        assert f"| `{s.key}` |" in text, s.key
        assert s.description.strip(), s.key
        if s.section == "goodwill":
            assert s.env and f"`{s.env}`" in text, s.key


def _valid_list(message: str) -> set[str]:
    return {w.strip() for w in message.rsplit("valid: ", 1)[1].split(",")}


def test_every_key_a_module_accepts_is_registered(tmp_path: Path) -> None:
    """The sections other modules parse accept exactly the keys the registry documents."""
    import re

    from goodwill.attribution.scorecard_config import parse_scorecard
    from goodwill.config import REGISTRY
    from goodwill.metrics.business_hours import load_business_hours

    keys = {s.key for s in REGISTRY}
    with pytest.raises(UserInputError) as exc:
        parse_scorecard({"not_a_key": 1}, "here")
    assert {f"scorecard.{k}" for k in _valid_list(str(exc.value))} <= keys
    # the documented defaults are the ones the parser applies (scorecard.model once read
    # "markov" in docs/settings.md while the scorecard used "incremental")
    parsed = parse_scorecard({}, "here")
    for s in REGISTRY:
        if s.section == "scorecard" and s.default is not None:
            assert str(getattr(parsed, s.name)) == s.default, s.key
    f = tmp_path / "goodwill.toml"
    f.write_text("[care]\nnot_a_key = 1\n", encoding="utf-8")
    with pytest.raises(UserInputError) as exc:
        load_business_hours(f)
    assert {f"care.{k}" for k in _valid_list(str(exc.value))} <= keys
    f.write_text("[goodwill]\nnot_a_key = 1\n", encoding="utf-8")
    with pytest.raises(UserInputError) as exc:
        load_config(f)
    assert {f"goodwill.{k}" for k in _valid_list(str(exc.value))} == {
        k for k in keys if k.startswith("goodwill.")
    }
    # adapter options: every option(ctx.options, "adapter.key") in the sources
    used = set()
    for path in (ROOT / "src" / "goodwill" / "sources").glob("*.py"):
        for found in re.findall(r'option\(\s*ctx\.options,\s*"([\w.-]+)"', path.read_text()):
            adapter, _, name = found.rpartition(".")
            used.add(f"sources.{adapter}.{name}")
    for path in (ROOT / "src" / "goodwill" / "sources").glob("*.py"):
        for found in re.findall(
            r'option\(\s*ctx\.options,\s*f"\{platform\}\.(\w+)"', path.read_text()
        ):
            used.add(f"sources.PLATFORM.{found}")
    from goodwill.sources.csvmap import DATE_ORDER_OPTION
    from goodwill.sources.mapped import SET_PREFIX, TABLE_OPTION

    used |= {f"sources.{DATE_ORDER_OPTION}", f"sources.{TABLE_OPTION}"}
    used.add(f"sources.{SET_PREFIX.rstrip('.')}")
    assert used and used <= keys, sorted(used - keys)


# -- where the file is found ----------------------------------------------------------------


def test_settings_beside_the_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from goodwill.config import find_config, use_warehouse

    monkeypatch.delenv("GOODWILL_CONFIG", raising=False)
    monkeypatch.delenv("GOODWILL_DB", raising=False)
    monkeypatch.delenv("GOODWILL_SITE_HOST", raising=False)
    work, store = tmp_path / "work", tmp_path / "store"
    work.mkdir()
    store.mkdir()
    monkeypatch.chdir(work)
    beside = store / "goodwill.toml"
    beside.write_text('[goodwill]\nsite_host = "beside.example"\n', encoding="utf-8")
    db = store / "goodwill.duckdb"
    assert load_config().path is None  # no warehouse named: only ./goodwill.toml counts
    assert load_config(db=db).site_host == "beside.example"
    with use_warehouse(db):
        assert load_config().path == beside
    assert load_config().path is None  # the command's scope ended
    here = work / "goodwill.toml"
    here.write_text('[goodwill]\nsite_host = "here.example"\n', encoding="utf-8")
    assert find_config(db=db) == Path("goodwill.toml")  # the working folder comes first
    monkeypatch.setenv("GOODWILL_CONFIG", str(beside))
    assert load_config(db=db).site_host == "beside.example"  # and $GOODWILL_CONFIG first of all


def test_name_decorations_are_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from goodwill.people.matching import DECORATIONS, normalise_name

    monkeypatch.delenv("GOODWILL_NAME_DECORATIONS", raising=False)
    f = tmp_path / "goodwill.toml"
    f.write_text("", encoding="utf-8")
    assert set(load_config(f).name_decorations) == set(DECORATIONS)
    assert normalise_name("Dr. Ana Ruiz") == "ana ruiz"
    assert normalise_name("Ana Ruiz coffee lover") == "ana ruiz coffee lover"  # neutral default
    f.write_text('[goodwill]\nname_decorations = ["Gardener", "fan"]\n', encoding="utf-8")
    words = load_config(f).name_decorations
    assert words == ("gardener", "fan")
    assert normalise_name("Ana Ruiz, gardener", words) is not None
    assert normalise_name("Ana Ruiz gardener FAN", words) == "ana ruiz"
    monkeypatch.setenv("GOODWILL_NAME_DECORATIONS", "lover, coffee")
    assert load_config(f).name_decorations == ("lover", "coffee")
