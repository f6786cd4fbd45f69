"""Reputation: net sentiment, its trend, sentiment-weighted share of voice."""

from __future__ import annotations

from itertools import count
from typing import Any

import pytest
from metric_fixtures import d, ts

from goodwill.metrics import MetricParams, run_query
from goodwill.warehouse import Warehouse

_ids = count(1)


def _said(
    wh: Warehouse, when: str, target: str, score: float | None, *, kind: str = "mention"
) -> None:
    iid = f"i{next(_ids)}"
    wh.con.execute(
        "INSERT INTO interactions (platform, interaction_id, created_at, kind, direction, "
        "actor_handle, target_handle, text) VALUES ('x', ?, ?, ?, 'inbound', 'someone', ?, 't')",
        [iid, ts(when), kind, target],
    )
    if score is not None:
        sentiment = "positive" if score > 0.3 else "negative" if score < -0.3 else "neutral"
        wh.con.execute(
            "INSERT INTO interaction_labels VALUES ('x', ?, ?, ?, 'other', 'test@1', ?, NULL)",
            [iid, sentiment, score, ts("2026-03-01")],
        )


def test_net_sentiment_trend_and_weighted_share(wh: Warehouse, backend: Any) -> None:
    wh.con.execute("INSERT INTO accounts VALUES ('x', 'brand', 'brand', NULL)")
    wh.con.execute("INSERT INTO accounts VALUES ('x', 'rival', 'competitor', NULL)")
    for score in (0.8, 0.6, -0.8, 0.0):
        _said(wh, "2026-01-10 10:00", "brand", score)
    _said(wh, "2026-01-11 10:00", "brand", None)  # unlabelled: left out
    _said(wh, "2026-01-12 10:00", "brand", 1.0, kind="like")  # not talk
    _said(wh, "2026-01-12 10:00", "rival", 1.0)
    _said(wh, "2026-01-12 10:00", "rival", -1.0, kind="reply")
    _said(wh, "2026-02-03 10:00", "brand", -0.6)
    _said(wh, "2026-02-04 10:00", "brand", -1.0, kind="comment")
    frame = run_query("reputation", backend, MetricParams())
    jan, feb = frame.to_dict("records")
    assert (jan["period"], jan["mentions"], jan["positive"], jan["negative"]) == (
        d("2026-01-01"),
        4,
        2,
        1,
    )
    assert jan["net_sentiment"] == pytest.approx(1 / 3)
    assert jan["net_sentiment_change"] != jan["net_sentiment_change"]  # NaN: first period
    # weights (1+s)/2: brand 0.9 + 0.8 + 0.1 + 0.5 = 2.3; rival 1.0 + 0.0
    assert jan["weighted_share_of_voice"] == pytest.approx(2.3 / 3.3)
    assert (feb["mentions"], feb["positive"], feb["negative"]) == (2, 0, 2)
    assert feb["net_sentiment"] == pytest.approx(-1.0)
    assert feb["net_sentiment_change"] == pytest.approx(-1.0 - 1 / 3)
    assert feb["weighted_share_of_voice"] == pytest.approx(1.0)
