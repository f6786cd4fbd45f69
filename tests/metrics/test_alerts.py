"""Alerts: spikes against the series' own weekly seasonality, with their mentions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from goodwill.metrics import MetricParams, run_query
from goodwill.metrics.alerts import alert_mentions, detect_spikes
from goodwill.warehouse import Warehouse

START = date(2026, 1, 5)  # a Monday


def _series(values: list[tuple[int, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"period": START + timedelta(days=i), "platform": "x", "mentions": m, "negative": n}
            for i, (m, n) in enumerate(values)
        ]
    )


def test_weekly_seasonality_is_not_a_spike_but_a_jump_is() -> None:
    # five weeks: 4 a day on weekdays, 12 on Saturdays, 1 on Sundays; then a Wednesday of 20
    week = [(4, 0)] * 5 + [(12, 1), (1, 0)]
    values = week * 5 + [(4, 0), (4, 0), (20, 9)]
    alerts = detect_spikes(_series(values))
    spike_day = START + timedelta(days=37)
    # expected 4, spread max(0, 2, 1) = 2 → threshold 10; negative: expected 0 → threshold 3
    assert alerts.to_dict("records") == [
        {
            "day": spike_day,
            "platform": "x",
            "series": "mentions",
            "value": 20,
            "expected": 4.0,
            "threshold": 10.0,
        },
        {
            "day": spike_day,
            "platform": "x",
            "series": "negative",
            "value": 9,
            "expected": 0.0,
            "threshold": 3.0,
        },
    ]


def test_missing_days_count_as_zero_and_small_counts_never_alert() -> None:
    frame = _series([(1, 0)] * 21 + [(4, 4)])
    frame = frame[frame.period != START + timedelta(days=7)]  # a day with no row
    assert detect_spikes(frame).empty  # 4 is above 1 + 3·1 but below min_count 5
    assert len(detect_spikes(frame, min_count=3)) == 2


def test_series_and_alert_mentions_from_the_warehouse(wh: Warehouse, backend: Any) -> None:
    wh.con.execute("INSERT INTO accounts VALUES ('x', 'brand', 'brand', NULL)")
    for i, (hour, score) in enumerate([(9, -0.9), (10, 0.5), (11, -0.4), (12, None)]):
        wh.con.execute(
            "INSERT INTO interactions (platform, interaction_id, created_at, kind, direction, "
            "actor_handle, target_handle, text) VALUES ('x', ?, ?, 'mention', 'inbound', ?, "
            "'brand', ?)",
            [f"m{i}", datetime(2026, 1, 7, hour), f"user{i}", f"text {i}"],
        )
        if score is not None:
            sentiment = "negative" if score < 0 else "positive"
            wh.con.execute(
                "INSERT INTO interaction_labels VALUES ('x', ?, ?, ?, 'other', 't@1', ?, NULL)",
                [f"m{i}", sentiment, score, datetime(2026, 2, 1)],
            )
    series = run_query("mention_series", backend, MetricParams(by="month"))
    assert series[["mentions", "negative"]].values.tolist() == [[4, 2]]
    assert series.period.tolist() == [date(2026, 1, 7)]
    negative = backend.execute(alert_mentions(backend, date(2026, 1, 7), "x", negative_only=True))
    assert negative.interaction_id.tolist() == ["m0", "m2"]  # most negative first
    everything = backend.execute(alert_mentions(backend, date(2026, 1, 7), "x"))
    assert everything.interaction_id.tolist() == ["m0", "m2", "m1", "m3"]


class _Counting:
    """A backend that counts the queries it runs (``execute``)."""

    def __init__(self, backend: Any) -> None:
        self._backend = backend
        self.executed = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)

    def execute(self, expr: Any, **kwargs: Any) -> Any:
        self.executed += 1
        return self._backend.execute(expr, **kwargs)


def test_alerts_with_examples_match_each_alerts_own_mentions(wh: Warehouse, backend: Any) -> None:
    """All alerts' examples come from one query; they are exactly the first three of each
    alert's own :func:`alert_mentions` (negative-only for a negative spike)."""
    from goodwill.metrics.alerts import alerts_with_examples

    rows: list[tuple[str, str, datetime, str, str]] = []
    labels: list[tuple[str, str, str, float]] = []
    for platform in ("x", "mastodon"):
        wh.con.execute(f"INSERT INTO accounts VALUES ('{platform}', 'brand', 'brand', NULL)")
        for d in range(35):
            day = START + timedelta(days=d)
            spike = d == 30 if platform == "x" else d == 32
            for k in range(14 if spike else 1):
                iid = f"{platform}-{d}-{k}"
                rows.append(
                    (
                        platform,
                        iid,
                        datetime.combine(day, datetime.min.time()) + timedelta(minutes=7 * k),
                        f"u{k}",
                        f"{platform} day {d} #{k}",
                    )
                )
                if spike and k % 2 == 0:
                    labels.append((platform, iid, "negative", -0.1 * (k % 5) - 0.05 * k))
    wh.con.executemany(
        "INSERT INTO interactions (platform, interaction_id, created_at, kind, direction, "
        "actor_handle, target_handle, text) VALUES (?, ?, ?, 'mention', 'inbound', ?, 'brand', ?)",
        rows,
    )
    wh.con.executemany(
        "INSERT INTO interaction_labels VALUES (?, ?, ?, ?, 'other', 't@1', "
        "TIMESTAMP '2026-03-01', NULL)",
        labels,
    )
    counting = _Counting(backend)
    found = alerts_with_examples(counting, MetricParams())
    assert counting.executed == 2  # the daily series, then every alert's examples at once
    assert sorted({(r.platform, r.series) for r in found.itertuples()}) == [
        ("mastodon", "mentions"),
        ("mastodon", "negative"),
        ("x", "mentions"),
        ("x", "negative"),
    ]
    for alert in found.itertuples():
        own = backend.execute(
            alert_mentions(
                backend, alert.day, alert.platform, negative_only=alert.series == "negative"
            ).limit(3)
        )
        assert alert.examples == " | ".join(own.text), alert
        assert alert.examples.count(" | ") == 2
