"""Issue 13 item 4 on the report's small demo business (its ``goodwill.toml`` sets the
scorecard in revenue with the default model, ``incremental``): ``goodwill roi``, the
scorecard's sales credited to social (``goodwill roi --targets`` and the report's progress),
page one and the Money page name the model they use and show what would have happened
anyway next to the credited value."""

from __future__ import annotations

import html as htmllib
import json
import math
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from report_support import ReportDemo
from typer.testing import CliRunner

from goodwill.attribution.journeys import JourneyStore
from goodwill.attribution.roi import RoiSettings, roi_table
from goodwill.attribution.scorecard_config import load_scorecard_config
from goodwill.attribution.stored import CreditMemo
from goodwill.cli import app
from goodwill.report.summary import RoiFigures, _model_note, money
from goodwill.warehouse import Warehouse
from goodwill.web.dashboard import pages_money
from goodwill.web.dashboard.context import Ctx
from goodwill.web.dashboard.filters import Filters

SEPTEMBER = date(2026, 9, 1)


def _text(page: str, section: str) -> str:
    start = page.index(f'<section id="{section}">')
    part = page[start : page.index("</section>", start)]
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", part)).split())


def test_the_default_model_is_incremental(report_demo: ReportDemo) -> None:
    assert load_scorecard_config(report_demo.config).model == "incremental"
    assert load_scorecard_config(None).model == "incremental"  # no [scorecard] section


def test_page_one_names_the_model_and_what_would_have_happened_anyway(
    report_demo: ReportDemo,
) -> None:
    text = _text(report_demo.html.read_text(encoding="utf-8"), "summary")
    config = load_scorecard_config(report_demo.config)
    with Warehouse.open(report_demo.db, read_only=True) as wh:
        frame = roi_table(
            wh.ibis(),
            "month",
            RoiSettings(
                model=config.model,
                replicates=1,  # the point estimate and the baseline do not depend on it
                since=SEPTEMBER,
                until=date(2026, 9, 30),
            ),
        )
    baseline = float(frame.attrs["baseline_value"])
    assert frame.attrs["model"] == "incremental" and baseline > 0
    assert "(incremental attribution model)" in text  # the scorecard's sentence
    said = (
        f"(Credited by the incremental attribution model: the sales social media added; "
        f"{money(baseline, 'USD')} of the month's sales would have happened anyway"
    )
    loose = frame.attrs["baseline_unidentified"]
    assert (said + (" — a rough split: too few people went without" if loose else ".)")) in text


def test_page_one_says_when_the_data_cannot_split_social_from_the_baseline() -> None:
    figures = RoiFigures(
        value=618.0, value_low=400.0, value_high=800.0, cost=300.0, roi=1.06, roi_low=0.3,
        roi_high=1.7, level=0.9, model="incremental", baseline=1200.0,
    )  # fmt: skip
    plain = _model_note(figures, "USD")
    assert plain.endswith("would have happened anyway.)") and "rough split" not in plain
    loose = _model_note(replace(figures, unidentified=("facebook", "x")), "USD")
    assert loose.endswith(
        "would have happened anyway — a rough split: too few people went without facebook, "
        "x for the data to say how much of it would have happened without them.)"
    )
    assert _model_note(replace(figures, model=""), "USD") == ""


def test_goodwill_roi_and_its_targets_name_the_model_and_the_baseline(
    report_demo: ReportDemo, tmp_path: Path
) -> None:
    # the demo's scorecard (revenue, the default model) with one of its targets: quicker
    config = tmp_path / "goodwill.toml"
    config.write_text(
        '[scorecard]\ncurrency = "revenue"\n[scorecard.targets]\n"2026-09" = 100\n',
        encoding="utf-8",
    )
    env = {"GOODWILL_CONFIG": str(config), "COLUMNS": "400"}
    runner = CliRunner()
    base = ["--db", str(report_demo.db), "--replicates", "2"]
    out = runner.invoke(app, ["roi", *base], env=env)
    assert out.exit_code == 0, out.output
    flat = " ".join(out.output.split())
    assert "ROI by platform (incremental;" in flat
    assert re.search(r"[\d,]+\.\d\d of sales would have happened anyway", flat)

    targets = runner.invoke(app, ["roi", "--targets", *base, "--format", "json"], env=env)
    assert targets.exit_code == 0, targets.output
    rows = json.loads(targets.stdout)
    assert [(r["period"], r["currency"]) for r in rows] == [("2026-09", "revenue")]
    # the sales credited to social beside those the baseline explains, in every period
    for r in rows:
        assert r["baseline"] is not None and r["baseline"] >= 0 and r["actual"] >= 0
    table = runner.invoke(app, ["roi", "--targets", *base], env=env)
    assert table.exit_code == 0, table.output
    assert "credited by the incremental model; baseline: would have happened anyway" in " ".join(
        table.output.split()
    )


def test_money_page_roi_names_the_model_and_shows_the_baseline(
    report_demo: ReportDemo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOODWILL_CONFIG", str(report_demo.config))
    monkeypatch.setattr(pages_money, "REPLICATES", 2)
    with Warehouse.open(report_demo.db, read_only=True) as wh:
        ctx = Ctx(wh, Filters()).headline_ctx()
        section = pages_money._roi(ctx, JourneyStore(ctx.backend), CreditMemo())
        f = ctx.filters
        frame = roi_table(
            ctx.backend,
            "platform",
            replace(RoiSettings(model="incremental", replicates=1), since=f.since, until=f.until),
        )
    assert section.title == "Return on investment by platform (incremental model)"
    cards = {c.name: c for c in section.cards}
    assert "would have happened anyway" in cards["baseline_value"].label
    assert cards["baseline_value"].value == pytest.approx(frame.attrs["baseline_value"])
    assert not math.isnan(cards["baseline_value"].value)
    # the card's definition carries the caveat exactly when the data cannot split the baseline
    loose = frame.attrs["baseline_unidentified"]
    assert ("rough split" in cards["baseline_value"].definition) == bool(loose)
    assert pages_money._caveat(("x",)).startswith("; a rough split") and not pages_money._caveat(())
