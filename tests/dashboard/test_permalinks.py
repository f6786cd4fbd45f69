"""The permalink rule: a stored http(s) URL first, else X and Bluesky patterns, else no link;
and the Care page's unanswered complaints link to their posts (new tab, no opener)."""

from __future__ import annotations

import html
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dashboard_server import sign_in
from fastapi.testclient import TestClient

from goodwill.warehouse import Warehouse
from goodwill.web.app import create_app
from goodwill.web.dashboard.permalinks import post_permalink, safe_http_url

ALL_DATES = "?since=2000-01-01&until=2100-12-31"


def test_a_stored_url_is_used_as_it_is() -> None:
    url = "https://mastodon.social/@ana/113456789012345678"
    assert post_permalink("mastodon", "113456789012345678", "ana@mastodon.social", url) == url
    assert post_permalink("x", "123", "ana", "https://x.com/ana/status/123") == (
        "https://x.com/ana/status/123"
    )


def test_x_is_built_from_handle_and_numeric_id() -> None:
    assert post_permalink("x", "1985730382917533727", "hector35") == (
        "https://x.com/hector35/status/1985730382917533727"
    )
    assert post_permalink("twitter", "42", "@Ana_B", kind="reply") == (
        "https://x.com/Ana_B/status/42"
    )


@pytest.mark.parametrize(
    ("ident", "handle", "kind"),
    [
        ("12ab", "ana", None),  # not a tweet id
        ("123", "not a handle", None),
        ("123", "", None),
        ("123", "ana", "dm"),  # direct messages have no public address
        ("123", "ana", "like"),
    ],
)
def test_x_without_a_sound_permalink_gets_no_link(ident: str, handle: str, kind: str) -> None:
    assert post_permalink("x", ident, handle, kind=kind) is None


def test_bluesky_takes_the_record_key_of_an_at_uri() -> None:
    uri = "at://did:plc:abc123/app.bsky.feed.post/3mz5yrhbjmdad"
    assert post_permalink("bluesky", uri, "lucia69.bsky.social") == (
        "https://bsky.app/profile/lucia69.bsky.social/post/3mz5yrhbjmdad"
    )
    assert post_permalink("bluesky", uri, None) == (
        "https://bsky.app/profile/did:plc:abc123/post/3mz5yrhbjmdad"
    )
    assert post_permalink("bluesky", "3mz5yrhbjmdad", "lucia69.bsky.social", kind="mention") == (
        "https://bsky.app/profile/lucia69.bsky.social/post/3mz5yrhbjmdad"
    )


@pytest.mark.parametrize(
    ("ident", "handle", "kind"),
    [
        ("at://did:plc:abc/app.bsky.feed.like/3mz", "ana.bsky.social", None),  # not a post
        ("3mz5yrhbjmdad", "", None),  # no author
        ("../x", "ana.bsky.social", None),
        ("3ml2yszt25636", "ana.bsky.social", "dm"),
    ],
)
def test_bluesky_without_a_post_gets_no_link(ident: str, handle: str, kind: str | None) -> None:
    assert post_permalink("bluesky", ident, handle, kind=kind) is None


def test_mastodon_and_other_platforms_are_never_guessed() -> None:
    assert post_permalink("mastodon", "113456789012345678", "ana@mastodon.social") is None
    assert post_permalink("instagram", "17890", "ana") is None
    assert post_permalink(None, None, None) is None


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,hi",
        "//x.com/a/status/1",
        "/relative",
        "https://",
        'https://x.com/a"onmouseover="x',
        "ftp://example.org/post",
    ],
)
def test_only_http_urls_are_links(url: str) -> None:
    assert safe_http_url(url) is None
    assert post_permalink("mastodon", "1", "ana", url) is None
    # on X the stored value is ignored and the pattern used instead
    assert post_permalink("x", "1", "ana", url) == "https://x.com/ana/status/1"


@pytest.fixture(scope="module")
def labelled(
    labelled_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, dict[tuple[str, str], str]]]:
    """The demo warehouse after ``goodwill enrich-labels`` (in its own copy), so care has
    labelled complaints, some unanswered."""
    folder: Path = tmp_path_factory.mktemp("permalinks-labelled")
    db = folder / "goodwill.duckdb"
    shutil.copy(labelled_db, db)
    with Warehouse.open(db) as wh:
        stored = wh.con.sql(
            "select platform, interaction_id, url from interactions where url is not null"
        ).fetchall()
    urls = {(str(p), str(i)): str(u) for p, i, u in stored}
    app = create_app(spool_dir=folder / "spool", sites=["shop.example"], db=db, load_interval=3600)
    app.state.dashboard_warming = True  # no background warm-up
    with TestClient(app) as c:
        sign_in(c)
        yield c, urls


def _unanswered(client: TestClient) -> dict[str, Any]:
    r = client.get("/api/care" + ALL_DATES)
    assert r.status_code == 200, r.text
    for section in r.json()["data"]["sections"]:
        for t in section["tables"]:
            if t["name"] == "unanswered":
                return dict(t)
    raise AssertionError("no unanswered table")


def test_care_unanswered_rows_link_to_their_posts(
    labelled: tuple[TestClient, dict[tuple[str, str], str]],
) -> None:
    client, urls = labelled
    t = _unanswered(client)
    assert t["rows"] and t["hrefs"], "the labelled demo has unanswered complaints with posts"
    linked = set()
    for row, links in zip(t["rows"], t["hrefs"], strict=True):
        key = (row["platform"], row["interaction_id"])
        # each complaint whose post has an address links to exactly that address
        assert links.get("interaction_id") == urls.get(key), (row, links)
        if key in urls:
            linked.add(row["platform"])
    assert {"x", "bluesky"} <= linked, linked
    x_row, href = next(
        (r, h["interaction_id"])
        for r, h in zip(t["rows"], t["hrefs"], strict=True)
        if r["platform"] == "x" and "interaction_id" in h
    )
    # the demo's X posts follow the platform's pattern
    assert href == f"https://x.com/{x_row['actor_handle']}/status/{x_row['interaction_id']}"
    page = client.get("/care" + ALL_DATES)
    assert page.status_code == 200
    anchor = f'<a href="{html.escape(href)}" target="_blank" rel="noopener noreferrer">'
    assert anchor in page.text
    assert 'href="javascript:' not in page.text.lower()


def test_the_unanswered_items_list_links_the_same_posts(
    labelled: tuple[TestClient, dict[tuple[str, str], str]],
) -> None:
    client, urls = labelled
    r = client.get("/api/items" + ALL_DATES + "&metric=unanswered")
    assert r.status_code == 200, r.text
    (t,) = [t for s in r.json()["data"]["sections"] for t in s["tables"]]
    assert t["rows"] and t["hrefs"]
    for row, links in zip(t["rows"], t["hrefs"], strict=True):
        assert links.get("interaction_id") == urls.get((row["platform"], row["interaction_id"]))
