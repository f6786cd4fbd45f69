"""The demo's newsletter activity export round-trips through the email-activity adapter."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from business_helpers import load, rows

from goodwill.attribution.journeys import JourneySpec, build_journeys
from goodwill.importer import ImportSummary
from goodwill.simulate import DemoSpec, simulate
from goodwill.simulate.exports import EXPORTERS, EXPORTS_DIR
from goodwill.simulate.exports_email import EMAIL_ACTIVITY_FILE, HEADER
from goodwill.sources.context import set_visitor_salt
from goodwill.warehouse import Warehouse

SPEC = DemoSpec(seed=11, people=120)

# newsletter visits whose visitor a conversion ties to a person with an email identity
KNOWN_NEWSLETTER_VISITS = """
SELECT count(*) FROM visits v JOIN visit_channels ch USING (visit_id)
WHERE ch.channel = 'email' AND ch.source = 'newsletter' AND EXISTS (
    SELECT 1 FROM conversions c JOIN identities i
      ON (i.kind = 'email' AND i.value = lower(c.email))
      OR (i.kind = 'customer' AND i.value = c.customer_id)
    WHERE c.visitor_id = v.visitor_id AND EXISTS (
        SELECT 1 FROM identities e WHERE e.kind = 'email' AND e.person_ref = i.person_ref))
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ImportSummary]]:
    root = tmp_path_factory.mktemp("demo_email")
    result = simulate(SPEC, root / "native", native=True)
    with Warehouse.open(root / "native.duckdb") as wh:
        set_visitor_salt(wh, result.visitor_salt)
        summary = load(wh, result.out_dir)
    yield root, summary


def test_the_email_exporter_runs_before_the_web_one() -> None:
    ref = "goodwill.simulate.exports_email:export_email"
    assert EXPORTERS.index(ref) < EXPORTERS.index("goodwill.simulate.exports_web:export_access_log")


def test_the_export_is_detected_and_imports_without_quarantine(
    demo: tuple[Path, ImportSummary],
) -> None:
    root, summary = demo
    path = root / "native" / EXPORTS_DIR / EMAIL_ACTIVITY_FILE
    with path.open(encoding="utf-8", newline="") as fh:
        records = list(csv.reader(fh))
    assert tuple(records[0]) == HEADER and len(records) > 10
    assert {r[4] for r in records[1:]} == {"click"}
    assert summary.formats[str(path)] == "email-activity"
    assert summary.rows_quarantined == 0


def test_one_click_per_newsletter_visit_of_a_known_person(
    demo: tuple[Path, ImportSummary],
) -> None:
    root = demo[0]
    with Warehouse.open(root / "native.duckdb", read_only=True) as wh:
        clicks = rows(
            wh, "SELECT count(*) FROM interactions WHERE platform = 'email' AND kind = 'click'"
        )[0][0]
        want = rows(wh, KNOWN_NEWSLETTER_VISITS)[0][0]
        strangers = rows(
            wh,
            "SELECT count(*) FROM interactions WHERE platform = 'email' AND actor_handle NOT IN "
            "(SELECT value FROM identities WHERE kind = 'email')",
        )[0][0]
        campaigns = rows(
            wh, "SELECT DISTINCT post_id FROM interactions WHERE platform = 'email' ORDER BY 1"
        )
    assert isinstance(clicks, int) and clicks == want > 0
    assert strangers == 0
    assert all(str(c).startswith("newsletter-20") for (c,) in campaigns)


def test_demo_journeys_do_not_count_a_click_and_its_visit_twice(
    demo: tuple[Path, ImportSummary],
) -> None:
    root = demo[0]
    with Warehouse.open(root / "native.duckdb", read_only=True) as wh:
        j = build_journeys(wh.ibis(), JourneySpec(include_nonconverting=False)).journeys
    email = j.channels.index("email")
    pairs = 0  # two email touches of one journey less than a minute apart: click + its visit
    for i in range(len(j.offsets) - 1):
        lo, hi = int(j.offsets[i]), int(j.offsets[i + 1])
        labels, ages = j.touch_channel[lo:hi], j.touch_age[lo:hi]
        both = (labels[:-1] == email) & (labels[1:] == email)
        pairs += int(np.sum(both & (np.abs(np.diff(ages)) < 60 / 86400)))
    assert int(np.sum(j.touch_channel == email)) > 0
    assert pairs == 0
