"""Names, not numbers: on every page of the labelled demo warehouse, every count of items or
people (a card or table column whose unit is ``count`` or ``people``) links to the rows behind
it, unless :data:`goodwill.web.dashboard.item_links.NOT_ITEMS` says why not; following a
sample of the links of each kind lists exactly as many rows as the count (or, for a sum, rows
whose column of the same name sums to it)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from dashboard_server import Demo, sign_in
from fastapi.testclient import TestClient

from goodwill.web.app import create_app
from goodwill.web.dashboard.item_links import NOT_ITEMS

PAGES = ("overview", "people", "audience", "listening", "care", "traffic", "money")
COUNT_UNITS = ("count", "people")
SAMPLES = 2
"""Links followed per kind of count (the first non-zero row and the largest)."""


@dataclass(frozen=True)
class Count:
    page: str
    table: str  # "cards" for a headline card
    column: str
    value: float
    href: str | None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.page, self.table, self.column)


@pytest.fixture(scope="module")
def labelled(
    demo: Demo, labelled_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The demo warehouse after ``goodwill enrich-labels`` (so sentiment, complaints and
    resolved complaints are counted too), in its own copy."""
    folder: Path = tmp_path_factory.mktemp("every-count")
    db = folder / "goodwill.duckdb"
    shutil.copy(labelled_db, db)
    app = create_app(spool_dir=folder / "spool", sites=["shop.example"], db=db, load_interval=3600)
    app.state.dashboard_warming = True  # no background warm-up
    with pytest.MonkeyPatch.context() as mp, TestClient(app) as c:
        mp.setenv("GOODWILL_CONFIG", str(demo.config))
        sign_in(c)
        yield c


ALL_DATES = "?since=2000-01-01&until=2100-12-31"
"""Every date of the demo: with no period chosen the pages show the latest month only, whose
funnel has no days to convert yet; the counts of every kind are those of the whole data."""


@pytest.fixture(scope="module")
def counts(labelled: TestClient) -> list[Count]:
    return _counts(labelled, PAGES, ALL_DATES)


def _counts(client: TestClient, pages: tuple[str, ...], query: str = "") -> list[Count]:
    """Every non-zero count of ``pages`` (with the filters ``query``)."""
    found: list[Count] = []
    for page in pages:
        r = client.get(f"/api/{page}{query}")
        assert r.status_code == 200, (page, r.text[:500])
        for section in r.json()["data"]["sections"]:
            for card in section["cards"]:
                if card["unit"] in COUNT_UNITS and card["value"]:
                    found.append(Count(page, "cards", card["name"], card["value"], card["href"]))
            for t in section["tables"]:
                for i, row in enumerate(t["rows"]):
                    links = t["hrefs"][i] if t["hrefs"] else {}
                    for column, unit in t["units"].items():
                        if unit in COUNT_UNITS and row.get(column):
                            found.append(
                                Count(page, t["name"], column, row[column], links.get(column))
                            )
    return found


def _columns(client: TestClient) -> dict[str, set[tuple[str, str]]]:
    """page → ``(table, column)`` of every card and table column it shows (any unit)."""
    shown: dict[str, set[tuple[str, str]]] = {}
    for page in PAGES:
        cells = shown.setdefault(page, set())
        for section in client.get(f"/api/{page}").json()["data"]["sections"]:
            cells.update(("cards", c["name"]) for c in section["cards"])
            cells.update((t["name"], col) for t in section["tables"] for col in t["columns"])
    return shown


def test_the_labelled_demo_has_counts_of_every_kind(counts: list[Count]) -> None:
    kinds = {c.key for c in counts}
    # the pages are not empty: sentiment, complaints, funnel days and tracked links all count
    for key in (
        ("listening", "reputation", "positive"),
        ("care", "care", "complaints"),
        ("traffic", "funnel_days", "people"),
        ("traffic", "link_clicks", "posts"),
        ("audience", "top_posts", "likes"),
        ("overview", "cards", "visits"),
    ):
        assert key in kinds, key
    assert len(kinds) >= 40, sorted(kinds)


def test_every_count_links_to_its_rows_or_says_why_not(counts: list[Count]) -> None:
    missing = sorted({c.key for c in counts if not c.href and c.key not in NOT_ITEMS})
    assert not missing, f"counts without a link and without a reason in NOT_ITEMS: {missing}"
    listed_anyway = sorted(
        {c.key for c in counts if (c.href or "").startswith("/items") and c.key in NOT_ITEMS}
    )
    assert not listed_anyway, f"exempt in NOT_ITEMS but linked to a list: {listed_anyway}"


def test_every_exemption_names_a_shown_cell_and_a_reason(labelled: TestClient) -> None:
    shown = _columns(labelled)
    for (page, table, column), reason in NOT_ITEMS.items():
        assert len(reason) > 20, (page, table, column)
        assert (table, column) in shown[page], f"stale exemption {(page, table, column)}"


def _list_of(client: TestClient, href: str) -> dict[str, Any]:
    """The first table of the linked page (the ``/items`` list or the roster)."""
    r = client.get("/api" + href)
    assert r.status_code == 200, (href, r.text[:500])
    sections = r.json()["data"]["sections"]
    return dict(sections[0]["tables"][0])


def _samples(counts: list[Count], samples: int = SAMPLES) -> list[Count]:
    by_kind: dict[tuple[str, str, str], list[Count]] = {}
    for c in counts:
        if c.href:
            by_kind.setdefault(c.key, []).append(c)
    chosen = []
    for group in by_kind.values():
        picks = [group[0], max(group, key=lambda c: c.value)]
        chosen += list({c.href: c for c in picks}.values())[:samples]
    return chosen


def _wrong_lists(client: TestClient, samples: list[Count]) -> list[tuple[Any, ...]]:
    """``(kind, count, listed, href)`` of each sampled link whose list does not add up."""
    wrong = []
    for c in samples:
        assert c.href is not None
        listed = _list_of(client, c.href)
        if c.column in listed["columns"]:  # a sum: the rows whose column sums to it
            assert listed["total_rows"] == len(listed["rows"]), c
            got = sum(r[c.column] or 0 for r in listed["rows"])
        else:
            got = listed["total_rows"]
        if abs(got - c.value) > 1e-9:
            wrong.append((c.key, c.value, got, c.href))
    return wrong


def test_following_a_count_lists_exactly_that_many_rows(
    labelled: TestClient, counts: list[Count]
) -> None:
    samples = _samples(counts)
    assert {c.key for c in samples} == {c.key for c in counts if c.href}
    wrong = _wrong_lists(labelled, samples)
    assert not wrong, wrong


def test_links_keep_the_page_filters(labelled: TestClient) -> None:
    """With a platform and dates that cut months in half, each link still lists its count
    (a row's month is narrowed to the page's dates). Money is left out here (slow)."""
    query = "?platform=x&since=2026-03-10&until=2026-08-20"
    counts = _counts(labelled, PAGES[:-1], query)
    assert len({c.key for c in counts if c.href}) >= 30
    assert all("platform=x" in (c.href or "") for c in counts if c.table == "traffic_detail")
    wrong = _wrong_lists(labelled, _samples(counts, samples=1))
    assert not wrong, wrong


def test_lists_name_the_people_behind_a_count(labelled: TestClient, counts: list[Count]) -> None:
    """Lists of people link each named row to the person's page."""
    metrics = {"people_active", "funnel_days", "mention_authors", "post_reactions"}
    seen = set()
    for c in counts:
        metric = parse_qs(urlsplit(c.href or "").query).get("metric", [""])[0]
        if metric not in metrics or metric in seen:
            continue
        seen.add(metric)
        listed = _list_of(labelled, c.href or "")
        named = [i for i, r in enumerate(listed["rows"]) if r.get("person")]
        assert named, (metric, listed["rows"][:3])
        assert all(listed["hrefs"][i]["person"].startswith("/person/") for i in named)
        person = labelled.get("/api" + listed["hrefs"][named[0]]["person"])
        assert person.status_code == 200, person.text[:300]
    assert seen == metrics
