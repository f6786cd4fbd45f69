from __future__ import annotations

from pathlib import Path

import pandas as pd
from people_fixtures import person_of

from goodwill.people.identity import record_decision, resolve
from goodwill.people.matching import handle_key, normalise_name, score_pairs
from goodwill.warehouse import Warehouse


def test_normalise_name_and_handle_key() -> None:
    assert normalise_name("Boateng, Hiroshi ✨") == "hiroshi boateng"
    assert normalise_name("Zoë K.") == "zoe k"
    assert normalise_name("☕") is None
    assert handle_key("zoe_k@mastodon.social") == "zoek"
    assert handle_key("hiroshi.boateng.bsky.social") == "hiroshiboateng"


def test_score_pairs_links_same_name_across_platforms_only() -> None:
    profiles = pd.DataFrame(
        {
            "unique_id": ["a", "b", "c", "d"],
            "platform": ["x", "mastodon", "x", "bluesky"],
            "name": ["Hiroshi Boateng", "Boateng, Hiroshi", "Hiroshi Boateng", "Ana Silva"],
            "value": ["hiroshib", "hiroshi.boateng@mas.to", "hboateng", "anas.bsky.social"],
        }
    )
    pairs = score_pairs(profiles)
    got = {tuple(sorted((r.unique_id_l, r.unique_id_r))) for r in pairs.itertuples()}
    # a and c are both on x: never the same person; d shares nothing
    assert got == {("a", "b"), ("b", "c")}
    assert (pairs["match_probability"] >= 0.99).all()


def test_deterministic_links(pwh: Warehouse) -> None:
    zoe = person_of(pwh, "email", "zoe@example.com")
    assert zoe == "crm-1"
    assert person_of(pwh, "customer", "C1") == zoe
    assert person_of(pwh, "handle:x", "zoek") == zoe
    assert person_of(pwh, "visitor", "vz") == zoe  # same conversion row as C1
    # bob's customer id, e-mail and visitor id form one person (one conversion row)
    assert person_of(pwh, "visitor", "vb") == person_of(pwh, "email", "bob.smith@example.com")
    assert person_of(pwh, "customer", "C2") == person_of(pwh, "email", "bob.smith@example.com")
    method = pwh.query(
        "SELECT method, evidence FROM person_links WHERE kind = 'visitor' AND value = 'vz'"
    )
    assert method == [("conversion", "conversion c1")]


def test_probabilistic_link_has_score_and_evidence(pwh: Warehouse) -> None:
    assert person_of(pwh, "handle:mastodon", "zoe.kramer@mastodon.social") == "crm-1"
    (row,) = pwh.query(
        "SELECT method, score, evidence FROM person_links "
        "WHERE value = 'zoe.kramer@mastodon.social'"
    )
    assert row[0] == "splink" and float(row[1]) >= 0.99 and "zoe kramer" in row[2]
    # José's x handle matches the CRM name; handle bobsmith matches the e-mail bob.smith@ (same key)
    assert person_of(pwh, "handle:x", "josep") == "crm-2"
    assert person_of(pwh, "handle:x", "bobsmith") == person_of(
        pwh, "email", "bob.smith@example.com"
    )
    assert person_of(pwh, "handle:x", "bobsmith") == "x:bobsmith"
    names = dict(pwh.query("SELECT person_id, display_name FROM people"))
    assert names["crm-1"] == "Zoë Kramer" and names["x:bobsmith"] == "Bob Smith"


def test_split_and_merge_survive_rerun(pwh: Warehouse) -> None:
    record_decision(pwh, "split", ("handle:mastodon", "zoe.kramer@mastodon.social"))
    record_decision(pwh, "split", ("handle:x", "bobsmith"))
    record_decision(pwh, "merge", ("handle:x", "bobsmith"), ("email", "jose@example.com"))
    for _ in range(2):  # decisions are re-applied by every run
        summary = resolve(pwh)
        assert summary.decisions == 3
        assert person_of(pwh, "handle:mastodon", "zoe.kramer@mastodon.social") != "crm-1"
        assert person_of(pwh, "handle:x", "zoek") == "crm-1"
        assert person_of(pwh, "handle:x", "bobsmith") == "crm-2"
        assert person_of(pwh, "customer", "C2") != "crm-2"


def test_confirmed_link_survives_a_stricter_matcher(pwh: Warehouse) -> None:
    from goodwill.people.identity import confirm_link

    node = ("handle:mastodon", "zoe.kramer@mastodon.social")
    assert confirm_link(pwh, node) == ("customer", "C1")  # a rule-linked identity of crm-1
    resolve(pwh, threshold=2.0)  # no probabilistic links at all
    assert person_of(pwh, *node) == "crm-1"
    assert person_of(pwh, "handle:x", "josep") == "x:josep"  # unconfirmed: gone
    (row,) = pwh.query(
        "SELECT method, evidence FROM person_links WHERE kind = ? AND value = ?", list(node)
    )
    assert row == ("decision", "confirmed by the user")


def test_resolve_is_stale_after_an_import(pwh: Warehouse, people_dir: Path) -> None:
    from goodwill.importer import import_paths
    from goodwill.people.identity import is_stale

    assert not is_stale(pwh)
    import_paths(pwh, [people_dir / "visits.csv"], show_progress=False)
    assert is_stale(pwh)
    resolve(pwh)
    assert not is_stale(pwh)
