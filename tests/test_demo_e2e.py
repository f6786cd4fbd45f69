"""The main job end to end: simulate → import → metrics → scorecard → report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.importer import import_paths
from goodwill.metrics import MetricParams, run_query
from goodwill.metrics.alerts import alerts_with_examples
from goodwill.warehouse import Warehouse

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("demo")
    result = runner.invoke(app, ["demo", "--out", str(out), "--people", "600"])
    assert result.exit_code == 0, result.output
    assert "scorecard" in result.output and "People who paid attention" in result.output
    yield out


def test_demo_writes_files_report_and_warehouse(demo_dir: Path) -> None:
    for name in ("interactions.csv", "visits.csv", "conversions.csv", "ground_truth.json"):
        assert (demo_dir / name).is_file()
    html = (demo_dir / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "Scorecard" in html and "October 2026" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    # the report leads (after the scorecard) with the month's roster by name
    roster_at = html.index("Who paid attention in October 2026, by name")
    assert roster_at < html.index("Return on investment") < html.index("Did starting on bluesky")
    assert "People to thank" in html and "Champions gone quiet" in html
    assert "Reputation, listening and customer care" in html and "Unanswered complaints" in html
    assert "Key-message pull-through" in html
    with Warehouse.open(demo_dir / "goodwill.duckdb", read_only=True) as wh:
        counts = wh.counts()
        names = [r[0] for r in wh.query("SELECT display_name FROM people") if r[0]]
        messages = [r[0] for r in wh.query("SELECT message_id FROM key_messages")]
        october = MetricParams(by="month", since=date(2026, 10, 1), until=date(2026, 10, 31))
        alerts = alerts_with_examples(wh.ibis(), october)
    assert messages and all(m in html for m in messages)
    # the month's alerts are listed exactly when the alert function finds some
    assert ("Alerts: days when mentions" in html) == (len(alerts) > 0)
    for day in alerts["day"].head(10):
        assert str(day) in html
    assert sum(name in html for name in names) >= 20  # names, not numbers
    truth = json.loads((demo_dir / "ground_truth.json").read_text(encoding="utf-8"))
    with Warehouse.open(demo_dir / "goodwill.duckdb", read_only=True) as wh:
        # the newsletter export adds email clicks the interchange lacks
        email = wh.query("SELECT count(*) FROM interactions WHERE platform = 'email'")[0][0]
    assert counts["interactions"] - int(email) == truth["counts"]["interactions"]
    assert counts["visits"] == truth["counts"]["visits"]


def test_importing_the_demo_again_changes_no_count(demo_dir: Path) -> None:
    with Warehouse.open(demo_dir / "goodwill.duckdb") as wh:
        before = wh.counts()
        channels = wh.count("visit_channels")
        summary = import_paths(wh, [demo_dir], show_progress=False)
        assert wh.counts() == before
        assert wh.count("visit_channels") == channels
    assert summary.rows_quarantined == 0
    assert all(f.new == 0 for f in summary.files)


def test_demo_metrics_reflect_the_planted_story(demo_dir: Path) -> None:
    with Warehouse.open(demo_dir / "goodwill.duckdb", read_only=True) as wh:
        audience = run_query("audience", wh.ibis(), MetricParams(by="month"))
        share = run_query("traffic_share", wh.ibis(), MetricParams(by="month"))
    # Bluesky starts at the intervention (2026-05-01): no audience rows before
    bsky = audience[audience["platform"] == "bluesky"]
    assert len(bsky) and min(bsky["period"]).isoformat() == "2026-05-01"
    assert set(audience["platform"]) == {"bluesky", "mastodon", "x"}
    assert share["social_visits"].sum() > 0


def test_report_escapes_text_written_by_the_public(tmp_path: Path) -> None:
    from goodwill.report.html import render_report

    d = tmp_path / "in"
    d.mkdir()
    (d / "accounts.csv").write_text("platform,handle,owner\nx,brand,brand\n", encoding="utf-8")
    (d / "posts.csv").write_text(
        "platform,post_id,handle,created_at,text\n"
        'x,p1,brand,2026-01-02T10:00:00Z,"<script>alert(1)</script><img src=x onerror=alert(2)>"\n',
        encoding="utf-8",
    )
    (d / "interactions.csv").write_text(
        "platform,interaction_id,created_at,kind,direction,actor_handle,target_handle,post_id\n"
        "x,i1,2026-01-02T11:00:00Z,like,inbound,amy,brand,p1\n",
        encoding="utf-8",
    )
    with Warehouse.open(tmp_path / "g.duckdb") as wh:
        import_paths(wh, [d], show_progress=False)
        html = render_report(wh)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
