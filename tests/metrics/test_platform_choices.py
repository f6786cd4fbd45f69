"""The platform filter offers every platform in the data, not only those with an account row."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.errors import UserInputError
from goodwill.importer import import_paths
from goodwill.metrics.scope import check_platform, platform_choices
from goodwill.warehouse import Warehouse


def test_a_platform_known_only_from_its_posts_is_a_choice(wh: Warehouse, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "accounts.csv").write_text(
        "platform,handle,owner,display_name\nx,fernhill,brand,Fernhill\n", encoding="utf-8"
    )
    # a page export: Instagram posts, no Instagram account row
    (data / "posts.csv").write_text(
        "platform,post_id,handle,created_at,text\n"
        "instagram,p1,fernhill,2026-10-01T10:00:00Z,new roast\n",
        encoding="utf-8",
    )
    import_paths(wh, [data], show_progress=False)
    backend = wh.ibis()
    choices = platform_choices(backend)
    assert "x" in choices
    assert "instagram" in choices
    assert check_platform(backend, "INSTAGRAM", "--platform ") == "instagram"
    with pytest.raises(UserInputError, match="facebook"):
        check_platform(backend, "facebook", "--platform ")
