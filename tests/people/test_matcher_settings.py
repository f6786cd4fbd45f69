"""The matcher knows no simulator: the words it drops from names come from settings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import goodwill.people.matching as matching
from goodwill.people.matching import DECORATIONS, score_pairs


def test_the_matcher_carries_no_simulator_words() -> None:
    source = Path(matching.__file__).read_text(encoding="utf-8").lower()
    for word in ("coffee", "nerd", "beans", "lover"):
        assert word not in source
    assert not {"coffee", "nerd", "beans", "lover", "fan"} & DECORATIONS


def _pair(words: tuple[str, ...]) -> set[tuple[str, str]]:
    profiles = pd.DataFrame(
        {
            "unique_id": ["a", "b"],
            "platform": ["x", "mastodon"],
            "name": ["Hiroshi Boateng gardener", "Hiroshi Boateng"],
            "value": ["hb1970", "h.b@mas.to"],
        }
    )
    pairs = score_pairs(profiles, decorations=words)
    return {(r.unique_id_l, r.unique_id_r) for r in pairs.itertuples()}


def test_decorations_change_what_is_compared() -> None:
    assert _pair(("gardener",)) == {("a", "b")}
    assert _pair(()) == set()  # "hiroshi boateng gardener" is another full name


def test_resolve_reads_the_setting(
    pwh: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from goodwill.people.identity import resolve
    from goodwill.warehouse import Warehouse

    assert isinstance(pwh, Warehouse)
    cfg = tmp_path / "goodwill.toml"
    cfg.write_text('[goodwill]\nname_decorations = ["zzz"]\n', encoding="utf-8")
    monkeypatch.setenv("GOODWILL_CONFIG", str(cfg))
    seen: list[tuple[str, ...]] = []
    original = matching.score_pairs

    def spy(profiles: pd.DataFrame, **kw: object) -> pd.DataFrame:
        seen.append(tuple(kw["decorations"]))  # type: ignore[arg-type]
        return original(profiles, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr("goodwill.people.identity.score_pairs", spy)
    resolve(pwh)
    assert seen == [("zzz",)]
