"""Scorecard currencies that are levels: reputation (net sentiment), care (response rate),
care_time (median first response hours), judged against targets by hand.

Messages to x/brand (sentiment, intent; answered after … hours):

* Jan: m1 positive praise; m2 positive question (2 h); m3 negative complaint (6 h);
  m4 neutral question (4 h); m5 neutral question, unanswered.
* Feb: m6 negative complaint (24 h); m7 (Feb 14, the last interaction) negative complaint,
  unanswered.

Jan: net sentiment (2 − 1) / 3 = 1/3; needing an answer m2–m5 (praise needs none), answered 3
→ response rate 0.75; median first response of 2, 6, 4 h = 4 h.
Feb: net sentiment (0 − 2) / 2 = −1; response rate 1/2; median 24 h; Feb 14 is 14/28 of Feb.
Q1: net sentiment (2 − 3) / 5 = −0.2; response rate 4/6; Jan 1 … Feb 14 is 45/90 of Q1.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from goodwill.attribution.roi import RoiSettings, scorecard_progress
from goodwill.attribution.scorecard_config import parse_scorecard
from goodwill.attribution.scorecard_levels import judge
from goodwill.cli import app
from goodwill.warehouse import Warehouse

MESSAGES = [
    # id, created_at, sentiment, intent, reply hours (None: unanswered)
    ("m1", "2026-01-02 10:00", "positive", "praise", None),
    ("m2", "2026-01-03 10:00", "positive", "question", 2),
    ("m3", "2026-01-04 10:00", "negative", "complaint", 6),
    ("m4", "2026-01-05 10:00", "neutral", "question", 4),
    ("m5", "2026-01-06 10:00", "neutral", "question", None),
    ("m6", "2026-02-01 10:00", "negative", "complaint", 24),
    ("m7", "2026-02-14 10:00", "negative", "complaint", None),
]
SCORE = {"positive": 0.8, "neutral": 0.0, "negative": -0.8}


def _seed(wh: Warehouse) -> None:
    wh.con.execute("INSERT INTO accounts VALUES ('x', 'brand', 'brand', NULL)")
    insert = (
        "INSERT INTO interactions (platform, interaction_id, created_at, kind, direction, "
        "actor_handle, target_handle, in_reply_to, text) VALUES ('x', ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    for iid, when, sentiment, intent, hours in MESSAGES:
        author, at = f"user_{iid}", datetime.fromisoformat(when)
        wh.con.execute(insert, [iid, at, "mention", "inbound", author, "brand", None, "hi"])
        wh.con.execute(
            "INSERT INTO interaction_labels VALUES ('x', ?, ?, ?, ?, 'test@1', ?, NULL)",
            [iid, sentiment, SCORE[sentiment], intent, datetime(2026, 3, 1)],
        )
        if hours is not None:
            reply_at = at + timedelta(hours=hours)
            wh.con.execute(
                insert, [f"r{iid}", reply_at, "reply", "outbound", "brand", author, iid, "thanks"]
            )


@pytest.fixture
def seeded(wh: Warehouse) -> Warehouse:
    _seed(wh)
    return wh


def _progress(wh: Warehouse, currency: str, targets: dict[str, float]) -> dict[str, Any]:
    config = parse_scorecard({"currency": currency, "targets": targets}, "test")
    frame = scorecard_progress(wh.ibis(), config, RoiSettings(replicates=5))
    assert list(frame["currency"]) == [currency] * len(targets)
    return {str(r["period"]): r for r in frame.to_dict("records")}


def test_reputation_currency(seeded: Warehouse) -> None:
    rows = _progress(seeded, "reputation", {"2026-01": 0.3, "2026-02": 0.3, "2026-Q1": -0.5})
    jan, feb, q1 = rows["2026-01"], rows["2026-02"], rows["2026-Q1"]
    assert jan["actual"] == pytest.approx(1 / 3)
    assert jan["progress"] == pytest.approx((1 / 3) / 0.3)
    assert (jan["elapsed"], jan["status"]) == (1.0, "met")
    assert feb["actual"] == pytest.approx(-1.0)
    assert feb["elapsed"] == pytest.approx(0.5)
    assert feb["status"] == "behind"
    # a level is judged on its level: reached while Q1 runs → on track; target ≤ 0 → no ratio
    assert q1["actual"] == pytest.approx(-0.2)
    assert q1["elapsed"] == pytest.approx(0.5)
    assert q1["status"] == "on track"
    assert math.isnan(q1["progress"])


def test_care_currency(seeded: Warehouse) -> None:
    rows = _progress(seeded, "care", {"2026-01": 0.8, "2026-02": 0.5, "2026-03": 0.5})
    jan, feb, mar = rows["2026-01"], rows["2026-02"], rows["2026-03"]
    assert jan["actual"] == pytest.approx(0.75)
    assert jan["progress"] == pytest.approx(0.75 / 0.8)
    assert jan["status"] == "behind"
    assert feb["actual"] == pytest.approx(0.5)
    assert (feb["progress"], feb["status"]) == (pytest.approx(1.0), "on track")
    assert math.isnan(mar["actual"])
    assert (mar["elapsed"], mar["status"]) == (0.0, "no data")


def test_care_time_currency_lower_is_better(seeded: Warehouse) -> None:
    rows = _progress(seeded, "care_time", {"2026-01": 5, "2026-02": 12})
    jan, feb = rows["2026-01"], rows["2026-02"]
    assert jan["actual"] == pytest.approx(4.0)
    assert (jan["progress"], jan["status"]) == (pytest.approx(5 / 4), "met")
    assert feb["actual"] == pytest.approx(24.0)
    assert (feb["progress"], feb["status"]) == (pytest.approx(0.5), "behind")


@pytest.mark.parametrize(
    ("currency", "actual", "target", "elapsed", "expected"),
    [
        ("revenue", 40.0, 100.0, 0.5, (0.4, "behind")),
        ("revenue", 60.0, 100.0, 0.5, (0.6, "on track")),
        ("revenue", 100.0, 100.0, 0.5, (1.0, "met")),
        ("roi", 0.6, 0.5, 0.5, (1.2, "on track")),  # a level: not 0.6 ≥ 0.5 × elapsed
        ("roi", 0.4, 0.5, 0.9, (0.8, "behind")),
        ("roi", 0.6, 0.5, 1.0, (1.2, "met")),
        ("care_time", 3.0, 6.0, 1.0, (2.0, "met")),
        ("care_time", 8.0, 6.0, 0.2, (0.75, "behind")),
    ],
)
def test_judge(
    currency: str, actual: float, target: float, elapsed: float, expected: tuple[float, str]
) -> None:
    progress, status = judge(currency, actual, target, elapsed)
    assert progress == pytest.approx(expected[0])
    assert status == expected[1]


def test_cli_roi_targets_care(
    seeded: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "goodwill.duckdb"  # the wh fixture's file
    seeded.close()
    (tmp_path / "goodwill.toml").write_text(
        '[scorecard]\ncurrency = "care"\n[scorecard.targets]\n"2026-01" = 0.8\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOODWILL_CONFIG", raising=False)
    out = CliRunner().invoke(app, ["roi", "--db", str(db), "--targets", "--format", "json"])
    assert out.exit_code == 0, out.output
    (row,) = json.loads(out.output)
    assert (row["currency"], row["actual"], row["status"]) == ("care", 0.75, "behind")
    table = CliRunner().invoke(app, ["roi", "--db", str(db), "--targets"])
    assert table.exit_code == 0 and "scorecard: care against target" in table.output
