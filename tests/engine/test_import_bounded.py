"""An import into a warehouse that has rows touches only what it imported: it classifies the
channel of the visits it writes (from its staged rows, not an anti-join of every visit against
``visit_channels``) and derives again only the people whose identities it writes (their
``person_ref`` s, new and old; not every identity), yet leaves the warehouse as the
whole-table passes would. A visit it replaces gets its new channel; a visit left without a
channel by someone else is caught up (the row counts say so)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from goodwill.importer import import_paths
from goodwill.warehouse import Warehouse

WRITTEN = ("visits", "visit_channels", "identities", "people")


def _files(folder: Path, identities: list[str], visits: list[str]) -> Path:
    folder.mkdir()
    (folder / "identities.csv").write_text(
        "kind,value,person_ref,display_name\n" + "\n".join(identities) + "\n"
    )
    (folder / "visits.csv").write_text(
        "visit_id,started_at,visitor_id,landing_url,referrer\n" + "\n".join(visits) + "\n"
    )
    return folder


def _first(wh: Warehouse, tmp_path: Path) -> None:
    import_paths(
        wh,
        [
            _files(
                tmp_path / "first",
                [
                    "email,ann@x.io,p1,Ann",
                    "visitor,v1,p1,",
                    "email,bo@x.io,p2,Bo",
                    "email,zed@x.io,p9,Zed",
                ],
                [
                    "w1,2026-01-02T10:00:00Z,v1,https://shop.example/?utm_source=newsletter,",
                    "w2,2026-01-02T11:00:00Z,v2,https://shop.example/,https://www.google.com/",
                    "w3,2026-01-02T12:00:00Z,v3,https://shop.example/,",
                ],
            )
        ],
        show_progress=False,
    )


SECOND_IDENTITIES = [
    "email,ann2@x.io,p1,Anna",  # p1's name: the largest of Ann and Anna
    "email,bo@x.io,p3,Bo",  # moved from p2 (left with no identity) to a new person
]
SECOND_VISITS = [
    # w2 replaced: its landing page now carries a click id (paid search, not search)
    "w2,2026-01-02T11:00:00Z,v2,https://shop.example/?gclid=abc,https://www.google.com/",
    "w3,2026-01-02T12:00:00Z,v3,https://shop.example/,",  # the same row again
    "w4,2026-01-03T09:00:00Z,v4,https://shop.example/,https://t.co/x",  # new
]


def _second(wh: Warehouse, tmp_path: Path, name: str = "second") -> int:
    folder = _files(tmp_path / name, SECOND_IDENTITIES, SECOND_VISITS)
    return import_paths(wh, [folder], show_progress=False).enriched_visits


def _snapshot(wh: Warehouse) -> dict[str, list[tuple[Any, ...]]]:
    return {name: sorted(wh.query(f"SELECT * FROM {name}"), key=repr) for name in WRITTEN}


def test_an_incremental_import_leaves_what_the_whole_table_passes_would(
    wh: Warehouse, tmp_path: Path, whole_table_passes: Callable[[Warehouse, tuple[str, ...]], None]
) -> None:
    """After an import of a replaced, an unchanged and a new visit, and of an identity moved
    to another person: classifying every visit missing a channel finds none, classifying
    every visit again and deriving every person again change nothing."""
    _first(wh, tmp_path)
    assert _second(wh, tmp_path) == 3  # the file's visits (w3's row unchanged)
    after = _snapshot(wh)
    channels = dict(wh.query("SELECT visit_id, channel FROM visit_channels"))
    assert channels == {"w1": "email", "w2": "paid_search", "w3": "direct", "w4": "social"}
    people = "SELECT person_id, display_name FROM people ORDER BY 1"
    # p2 keeps its row (as the whole-table pass keeps a person with no identity left)
    assert wh.query(people) == [("p1", "Anna"), ("p2", "Bo"), ("p3", "Bo"), ("p9", "Zed")]
    whole_table_passes(wh, WRITTEN)
    assert _snapshot(wh) == after


def test_an_incremental_import_touches_only_what_it_imported(wh: Warehouse, tmp_path: Path) -> None:
    """Rows the import did not write stay as they were — even ones a whole-table pass would
    change (planted here): the import did not run one. The unchanged visit keeps its row."""
    _first(wh, tmp_path)
    w3 = "SELECT rowid FROM visit_channels WHERE visit_id = 'w3'"
    before_w3 = wh.query(w3)
    with wh.transaction():
        wh.con.execute("UPDATE people SET display_name = 'planted' WHERE person_id = 'p9'")
    _second(wh, tmp_path)
    assert wh.query("SELECT display_name FROM people WHERE person_id = 'p9'") == [("planted",)]
    assert wh.query(w3) == before_w3
    assert wh.query("SELECT channel FROM visit_channels WHERE visit_id = 'w2'") == [
        ("paid_search",)
    ]


def test_a_visit_left_without_a_channel_is_caught_up(wh: Warehouse, tmp_path: Path) -> None:
    """A visit with no channel row (left by a version or a writer that did not classify it)
    gets one at the next import of visits, even one the import does not hold: the two
    tables' row counts tell the import to look for it."""
    _first(wh, tmp_path)
    with wh.transaction():
        wh.con.execute("DELETE FROM visit_channels WHERE visit_id = 'w1'")
    assert _second(wh, tmp_path) == 3 + 1
    channels = dict(wh.query("SELECT visit_id, channel FROM visit_channels"))
    assert channels == {"w1": "email", "w2": "paid_search", "w3": "direct", "w4": "social"}
    assert _second(wh, tmp_path, "again") == 3  # nothing left to catch up
