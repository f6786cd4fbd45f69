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
