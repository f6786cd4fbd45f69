"""The collector's spool load touches only what it wrote: it classifies the visits it wrote
(not an anti-join of every visit against ``visit_channels``) and derives again only the
people whose identities it may have added (not every identity), yet leaves the warehouse as
the whole-table passes would; and a spool replayed lands each key once."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from goodwill.engine import duckdb as duck
from goodwill.enrich.channel import enrich_visits
from goodwill.importer import import_paths
from goodwill.model import table
from goodwill.warehouse import Warehouse
from goodwill.web.loader import load_spool

WRITTEN = (
    "collected_events",
    "visits",
    "visit_channels",
    "conversions",
    "link_clicks",
    "identities",
    "people",
)


def _import(wh: Warehouse, folder: Path) -> None:
    folder.mkdir()
    (folder / "links.csv").write_text(
        "code,destination_url,person_ref\nL1,https://shop.example/a,p1\n"
        "L2,https://shop.example/b,p2\nL3,https://shop.example/c,\n"
        "L4,https://shop.example/d,p3\n"  # a person with no identity yet
    )
    (folder / "identities.csv").write_text(
        "kind,value,person_ref,display_name\nemail,ann@x.io,p1,Ann\nemail,bo@x.io,p2,Bo\n"
        "visitor,v1,p1,\n"
    )
    (folder / "visits.csv").write_text(
        "visit_id,started_at,visitor_id,landing_url,referrer\n"
        "w1,2026-01-02T10:00:00Z,v1,https://shop.example/?utm_source=newsletter,\n"
        "w2,2026-01-02T11:00:00Z,v2,https://shop.example/,https://www.google.com/\n"
        # the id the collector gives event e1's visit: the collector's replaces it
        "gw:e1,2026-01-01T09:00:00Z,v9,https://shop.example/old,\n"
    )
    (folder / "conversions.csv").write_text(
        "conversion_id,occurred_at,kind,value,visitor_id\n"
        "gw:e5,2026-01-02T10:00:00Z,order,5,v1\nc1,2026-01-02T10:00:00Z,lead,0,v1\n"
    )
    import_paths(wh, [folder], show_progress=False)


def _event(n: int, kind: str, visitor: str, at: str, **more: str) -> dict[str, str]:
    event = {"event_id": f"e{n}", "kind": kind, "site": "shop.example", "visitor_id": visitor}
    return event | {"occurred_at": f"2026-01-04T{at}", "url": "https://shop.example/p"} | more


BATCHES: list[list[dict[str, str]]] = [
    [  # new visitors; v3 through p1's link (a visitor identity), v4 from a search engine
        _event(1, "pageview", "v3", "10:00:00", link_code="L1", url="https://shop.example/a"),
        _event(2, "pageview", "v4", "10:00:30", referrer="https://www.bing.com/"),
        _event(3, "click", "v5", "10:01:00", link_code="L2"),
        _event(4, "pageview", "v5", "10:01:05", link_code="L2", url="https://shop.example/b"),
        _event(5, "event", "v3", "10:02:00", name="order", value="12"),  # id of c gw:e5
        _event(6, "event", "v4", "10:02:30", name="signup"),
    ],
    [  # later pageviews: v3's visit extended, v4 back after the gap (a new visit)
        _event(7, "pageview", "v3", "10:05:00"),
        _event(8, "pageview", "v4", "12:00:00", url="https://shop.example/?utm_source=x"),
        _event(9, "pageview", "v6", "12:00:10", link_code="L3", url="https://shop.example/c"),
        _event(13, "click", "v7", "12:00:20", link_code="L4"),  # p3's first identity
    ],
    [  # late events: v3's and v4's visits are built again
        _event(10, "pageview", "v3", "09:59:00", url="https://shop.example/?gclid=abc"),
        _event(11, "pageview", "v4", "11:00:00", referrer="https://t.co/x"),
        _event(12, "event", "v6", "12:01:00", name="lead", currency="EUR", value="3"),
    ],
]


def _write(spool: Path, name: str, events: list[dict[str, str]]) -> None:
    spool.mkdir(exist_ok=True)
    (spool / name).write_text("".join(json.dumps(e) + "\n" for e in events))


def _snapshot(wh: Warehouse) -> dict[str, list[tuple[Any, ...]]]:
    return {name: sorted(wh.query(f"SELECT * FROM {name}"), key=repr) for name in WRITTEN}


def _duplicates(wh: Warehouse) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    for name in sorted(duck.UNINDEXED_KEYS):
        key = ", ".join(table(name).key)
        rows = wh.query(f"SELECT {key}, count(*) FROM {name} GROUP BY ALL HAVING count(*) > 1")
        if rows:
            out[name] = rows
    return out


def _load_all(wh: Warehouse, spool: Path) -> None:
    for n, batch in enumerate(BATCHES):
        _write(spool, f"events-2026010{n + 4}T000000000000000-1.jsonl", batch)
        load_spool(wh, spool)


def test_a_spool_load_leaves_what_the_whole_table_passes_would(
    wh: Warehouse, tmp_path: Path, whole_table_passes: Callable[[Warehouse, tuple[str, ...]], None]
) -> None:
    """After loads of new, extending and late events, classifying every visit missing a
    channel finds none, classifying every visit again changes nothing, and deriving every
    person again changes nothing: the load's own visits and people were all it had to do."""
    _import(wh, tmp_path / "import")
    _load_all(wh, tmp_path / "spool")
    after = _snapshot(wh)
    # the import's gw:e1 replaced by the collector's, which v3's late e10 then rebuilt into
    # gw:e10 (with e7); v4's late e11 falls between its two visits, a visit of its own
    visits = dict(wh.query("SELECT visit_id, pageviews FROM visits"))
    assert visits == {
        "w1": 1, "w2": 1, "gw:e10": 3, "gw:e2": 1, "gw:e11": 1, "gw:e8": 1, "gw:e4": 1,
        "gw:e9": 1,
    }  # fmt: skip
    channels = dict(wh.query("SELECT visit_id, channel FROM visit_channels"))
    assert len(channels) == len(after["visits"]) == wh.count("visit_channels")
    # the rebuilt visit classified from its new first pageview (gclid), not kept from e1's
    assert (channels["gw:e10"], channels["gw:e2"], channels["w1"]) == (
        "paid_search",
        "search",
        "email",
    )
    visitors = "SELECT value, person_ref FROM identities WHERE kind = 'visitor' ORDER BY 1"
    assert wh.query(visitors) == [("v1", "p1"), ("v3", "p1"), ("v5", "p2"), ("v7", "p3")]
    people = "SELECT person_id, display_name FROM people ORDER BY 1"
    assert wh.query(people) == [("p1", "Ann"), ("p2", "Bo"), ("p3", None)]
    whole_table_passes(wh, WRITTEN)
    assert _snapshot(wh) == after
    assert _duplicates(wh) == {}


def test_a_spool_replayed_lands_each_key_once(wh: Warehouse, tmp_path: Path) -> None:
    """The same events again — in a new segment, and the archived segments put back — change
    nothing: no key lands twice in any table the load writes."""
    _import(wh, tmp_path / "import")
    spool = tmp_path / "spool"
    _load_all(wh, spool)
    after = _snapshot(wh)
    assert _duplicates(wh) == {}
    _write(spool, "events-20260110T000000000000000-1.jsonl", [e for b in BATCHES for e in b])
    assert load_spool(wh, spool).new == 0
    assert _snapshot(wh) == after
    for path in sorted((spool / "loaded").iterdir()):  # replayed as they were
        path.rename(spool / path.name)
    result = load_spool(wh, spool)
    assert (result.read, result.new, result.archived) == (2 * 13, 0, 4)
    assert _snapshot(wh) == after
    assert _duplicates(wh) == {}


def test_a_visit_the_spool_replaces_is_classified_from_its_new_content(
    wh: Warehouse, tmp_path: Path
) -> None:
    """The import's visit gw:e1 (no referrer: direct) is replaced by the collector's visit of
    event e1, which came from a search engine: its channel follows the new visit, as
    classifying every visit again would say (the load used to classify only visits without a
    channel row, so the replaced visit kept "direct")."""
    _import(wh, tmp_path / "import")
    assert wh.query("SELECT channel FROM visit_channels WHERE visit_id = 'gw:e1'") == [("direct",)]
    first = [dict(BATCHES[0][0], referrer="https://www.bing.com/"), *BATCHES[0][1:]]
    _write(tmp_path / "spool", "events-20260104T000000000000000-1.jsonl", first)
    load_spool(wh, tmp_path / "spool")
    got = "SELECT channel, source FROM visit_channels WHERE visit_id = 'gw:e1'"
    assert wh.query(got) == [("search", "bing")]
    loaded = _snapshot(wh)["visit_channels"]
    with wh.transaction():
        enrich_visits(wh.con, only_missing=False)
    assert _snapshot(wh)["visit_channels"] == loaded
    assert _duplicates(wh) == {}
