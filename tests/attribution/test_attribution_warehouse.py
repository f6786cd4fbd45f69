"""Journeys, ROI, the scorecard config and the CLI on a small warehouse built by hand.

The story: Alice (person P1) likes a brand post on x on Jan 2 (twice: one touch), visits from
the newsletter on Jan 5 and directly on Jan 9, and orders for 90 USD on Jan 9 at 12:00. An
unknown visitor arrives from Google and never converts. Zed leaves a lead in March with no
touch. Bob (unidentified) likes the post too: a relationship but no touch.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from goodwill.attribution.journeys import JourneySpec, build_journeys
from goodwill.attribution.models import attribute
from goodwill.attribution.roi import RoiSettings, roi_table, scorecard_progress
from goodwill.attribution.scorecard_config import load_scorecard_config, parse_scorecard
from goodwill.cli import app
from goodwill.errors import UserInputError
from goodwill.importer import import_paths
from goodwill.warehouse import Warehouse

FILES = {
    "accounts.csv": "platform,handle,owner\nx,brand,brand\n",
    "identities.csv": "kind,value,person_ref\n"
    "handle:x,alice,P1\nemail,alice@ex.com,P1\nvisitor,v-alice,P1\ncustomer,C1,P1\n"
    "email,zed@ex.com,P2\n",
    "posts.csv": "platform,post_id,handle,created_at,campaign\n"
    "x,p1,brand,2026-01-01T00:00:00,spring\n",
    "interactions.csv": "platform,interaction_id,created_at,kind,direction,actor_handle,"
    "target_handle,post_id\n"
    "x,i1,2026-01-02T10:00:00,like,inbound,alice,brand,p1\n"
    "x,i2,2026-01-02T11:00:00,share,inbound,alice,brand,p1\n"
    "x,i3,2026-01-03T10:00:00,like,inbound,bob,brand,p1\n",
    "visits.csv": "visit_id,started_at,visitor_id,landing_url,referrer\n"
    "w1,2026-01-05T12:00:00,v-alice,"
    "https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=jan,\n"
    "w2,2026-01-09T11:50:00,v-alice,https://shop.example/,\n"
    "w3,2026-01-03T09:00:00,v-zzz,https://shop.example/,https://www.google.com/\n",
    "conversions.csv": "conversion_id,occurred_at,kind,value,currency,customer_id,email,"
    "visitor_id\n"
    "o1,2026-01-09T12:00:00,order,90,USD,C1,,v-alice\n"
    "l1,2026-03-01T08:00:00,lead,0,USD,,zed@ex.com,\n",
    "costs.csv": "cost_id,period_start,period_end,category,amount,currency,hours,platform,"
    "campaign\n"
    "c1,2026-01-01,2026-01-31,staff,100,USD,10,x,\n"
    "c2,2026-01-15,2026-02-13,ads,300,USD,,x,spring\n",
}


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("story")
    src = tmp_path / "in"
    src.mkdir()
    for name, text in FILES.items():
        (src / name).write_text(text, encoding="utf-8")
    db = tmp_path / "story.duckdb"
    wh = Warehouse.open(db)
    import_paths(wh, [src], show_progress=False)
    wh.close()
    return db


def test_journeys_of_the_story(story: Path) -> None:
    with Warehouse.open(story, read_only=True) as wh:
        wj = build_journeys(wh.ibis(), JourneySpec())
    j = wj.journeys
    paths = {
        journey: [j.channels[c] for c in j.touch_channel[j.offsets[i] : j.offsets[i + 1]]]
        for i, journey in enumerate(wj.meta["journey"])
    }
    assert paths == {
        "o1": ["social", "email", "direct"],
        "l1": ["direct"],  # no touch: the placeholder
        "null:visitor:v-zzz": ["search"],
    }
    i = list(wj.meta["journey"]).index("o1")
    ages = j.touch_age[j.offsets[i] : j.offsets[i + 1]]
    assert ages.tolist() == pytest.approx([7 + 2 / 24, 4.0, 10 / 1440])
    assert j.conversions.tolist() == [1.0 if x != "null:visitor:v-zzz" else 0.0 for x in paths]
    assert attribute(j, "linear").value.sum() == pytest.approx(90.0)


def test_lookback_and_labels(story: Path) -> None:
    with Warehouse.open(story, read_only=True) as wh:
        short = build_journeys(wh.ibis(), JourneySpec(lookback_days=5, kinds=("order",)))
        by_source = build_journeys(wh.ibis(), JourneySpec(by="source", kinds=("order",)))
        by_campaign = build_journeys(wh.ibis(), JourneySpec(by="campaign", kinds=("order",)))
    j = short.journeys
    i = list(short.meta["journey"]).index("o1")
    touches = j.touch_channel[j.offsets[i] : j.offsets[i + 1]]
    assert [j.channels[c] for c in touches] == ["email", "direct"]
    assert "x" in by_source.journeys.channels
    c = attribute(by_campaign.journeys, "first")
    assert dict(zip(c.channels, c.value, strict=True))["spring"] == pytest.approx(90.0)


def test_roi_by_platform_with_full_cost(story: Path) -> None:
    with Warehouse.open(story, read_only=True) as wh:
        plain = roi_table(wh.ibis(), "platform", RoiSettings(model="linear", replicates=20))
        rated = roi_table(
            wh.ibis(), "platform", RoiSettings(model="linear", replicates=20, hourly_rate=20.0)
        )
    x = plain.set_index("platform").loc["x"]
    assert x["value"] == pytest.approx(30.0)  # a third of 90
    assert x["cost"] == pytest.approx(400.0)
    assert (x["cost_staff"], x["cost_ads"]) == pytest.approx((100.0, 300.0))
    assert x["roi"] == pytest.approx((30 - 400) / 400)
    assert x["customers"] == pytest.approx(1 / 3)
    assert x["cost_per_customer"] == pytest.approx(1200.0)
    assert x["relationships"] == 2  # alice and bob
    assert x["cost_per_relationship"] == pytest.approx(200.0)
    assert math.isnan(x["cost_per_lead"])
    assert plain["platform"].tolist()[-1] == "total"
    total = plain.set_index("platform").loc["total"]
    assert total["cost"] == pytest.approx(400.0)
    assert total["value_low"] <= total["value"] <= total["value_high"]
    # staff hours x rate replaces the amount: 10 h x 20 = 200
    assert rated.set_index("platform").loc["x", "cost"] == pytest.approx(500.0)


def test_roi_by_month_spreads_costs_over_days(story: Path) -> None:
    with Warehouse.open(story, read_only=True) as wh:
        frame = roi_table(wh.ibis(), "month", RoiSettings(model="linear", replicates=10))
    rows = frame.set_index("month")
    # ads: 300 over 30 days -> 17 days in January, 13 in February
    assert rows.loc[date(2026, 1, 1), "cost"] == pytest.approx(100 + 170)
    assert rows.loc[date(2026, 2, 1), "cost"] == pytest.approx(130)
    assert rows.loc[date(2026, 1, 1), "value"] == pytest.approx(30.0)
    assert rows.loc["total", "cost"] == pytest.approx(400.0)


def test_roi_by_campaign(story: Path) -> None:
    with Warehouse.open(story, read_only=True) as wh:
        frame = roi_table(wh.ibis(), "campaign", RoiSettings(model="linear", replicates=10))
    rows = frame.set_index("campaign")
    assert rows.loc["spring", "value"] == pytest.approx(30.0)
    assert rows.loc["spring", "cost"] == pytest.approx(300.0)
    assert rows.loc["(shared)", "cost"] == pytest.approx(100.0)


def test_scorecard_config_and_progress(story: Path, tmp_path: Path) -> None:
    toml = tmp_path / "goodwill.toml"
    toml.write_text(
        '[scorecard]\ncurrency = "revenue"\nmodel = "linear"\n'
        '[scorecard.targets]\n"2026-01" = 60\n"2026-Q1" = 20\n',
        encoding="utf-8",
    )
    cfg = load_scorecard_config(toml)
    assert [(t.label, t.horizon, t.start, t.end) for t in cfg.targets] == [
        ("2026-01", "short", date(2026, 1, 1), date(2026, 1, 31)),
        ("2026-Q1", "long", date(2026, 1, 1), date(2026, 3, 31)),
    ]
    with Warehouse.open(story, read_only=True) as wh:
        progress = scorecard_progress(wh.ibis(), cfg, RoiSettings(model="linear", replicates=10))
    rows = progress.set_index("period")
    assert rows.loc["2026-01", "actual"] == pytest.approx(30.0)
    assert rows.loc["2026-01", "progress"] == pytest.approx(0.5)
    assert rows.loc["2026-01", "status"] == "behind"
    assert rows.loc["2026-Q1", "status"] == "met"


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"currency": "likes"}, "currency 'likes'; choose one of revenue"),
        ({"targets": {"2026-13": 5}}, "has no month 13"),
        ({"targets": {"May": 5}}, "not YYYY-MM, YYYY-Qn or YYYY"),
        ({"hourly_rate": "high"}, "hourly_rate 'high'"),
        ({"colour": 1}, "unknown key(s) colour"),
    ],
)
def test_scorecard_config_errors(section: dict[str, object], message: str) -> None:
    with pytest.raises(UserInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_scorecard(section, "goodwill.toml")


def test_cli_attribution_and_roi(
    story: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    out = runner.invoke(
        app,
        [
            "attribution",
            "--db",
            str(story),
            "--model",
            "linear",
            "--kind",
            "order",
            "--replicates",
            "20",
            "--format",
            "json",
        ],
    )
    assert out.exit_code == 0, out.output
    rows = {r["channel"]: r for r in json.loads(out.stdout)}
    assert set(rows) == {"social", "email", "direct", "search"}
    assert rows["email"]["value"] == pytest.approx(30.0)
    assert rows["search"]["conversions"] == 0
    assert set(rows["email"]) == {"channel", "conversions", "value", "share", "ci_low", "ci_high"}

    out = runner.invoke(
        app,
        ["attribution", "--db", str(story), "--compare", "--replicates", "5", "--format", "csv"],
    )
    assert out.exit_code == 0, out.output
    frame = pd.read_csv(__import__("io").StringIO(out.stdout))
    assert set(frame["model"]) == {
        "first",
        "last",
        "last_non_direct",
        "linear",
        "time_decay",
        "position",
        "markov",
        "shapley",
        "incremental",
    }

    bad = runner.invoke(app, ["attribution", "--db", str(story), "--by", "colour"])
    assert bad.exit_code == 2
    assert "--by 'colour': choose one of channel, source, campaign" in bad.output

    out = runner.invoke(
        app,
        ["roi", "--db", str(story), "--model", "linear", "--replicates", "5", "--format", "json"],
    )
    assert out.exit_code == 0, out.output
    x = {r["platform"]: r for r in json.loads(out.stdout)}["x"]
    assert x["cost"] == pytest.approx(400.0)

    missing = runner.invoke(app, ["roi", "--db", str(story), "--targets"])
    assert missing.exit_code == 2
    assert "no targets" in missing.output


def test_email_clicks_and_first_order_ever(tmp_path: Path) -> None:
    files = dict(FILES)
    files["interactions.csv"] += (
        "email,e1,2026-01-07T08:00:00,click,inbound,alice@ex.com,brand,\n"
        # an open is no touch: mail apps preload images with nobody reading
        "email,e0,2026-01-05T08:00:00,open,inbound,alice@ex.com,brand,\n"
    )
    files["conversions.csv"] += "o2,2026-02-20T10:00:00,order,50,USD,C1,,\n"
    src = tmp_path / "in"
    src.mkdir()
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    with Warehouse.open(tmp_path / "w.duckdb") as wh:
        import_paths(wh, [src], show_progress=False)
        every = build_journeys(wh.ibis(), JourneySpec(kinds=("order",)))
        late = build_journeys(wh.ibis(), JourneySpec(kinds=("order",), since=date(2026, 2, 1)))
    j = every.journeys
    i = list(every.meta["journey"]).index("o1")
    touches = j.touch_channel[j.offsets[i] : j.offsets[i + 1]]
    assert [j.channels[c] for c in touches] == ["social", "email", "email", "direct"]
    assert every.meta.set_index("journey").loc[["o1", "o2"], "first_order"].tolist() == [
        True,
        False,
    ]
    # o2 alone in the dates is still not Alice's first order
    assert late.meta.set_index("journey").loc["o2", "first_order"] == False  # noqa: E712
