"""GA4 sessions as the mix model's outcome (``--outcome sessions``): the weekly sum of a daily
Traffic acquisition export, each channel group counted once; a row covering more than a week
is refused, naming it (it has no weekly shape)."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from goodwill.errors import UserInputError
from goodwill.importer import import_paths
from goodwill.mmm.series import build_series
from goodwill.warehouse import Warehouse

MONDAY = date(2025, 3, 3)


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _ga4(day: date, group: str, channel: str, sessions: int, last: date | None = None) -> dict:
    return {
        "source": "ga4",
        "report": "traffic_acquisition",
        "period_start": day.isoformat(),
        "period_end": (last or day).isoformat(),
        "channel_group": group,
        "channel": channel,
        "sessions": sessions,
    }


def _folder(tmp: Path, extra: list[dict[str, object]]) -> Path:
    rng = np.random.default_rng(4)
    rows: list[dict[str, object]] = []
    # a Wednesday start and end: the first and last weeks are partial and left out
    for d in range(2, 7 * 12 + 2):
        day = MONDAY + timedelta(days=d)
        rows.append(_ga4(day, "Organic Search", "search", int(rng.integers(20, 40))))
        rows.append(_ga4(day, "Paid Social", "paid_social", int(rng.integers(5, 15))))
    # the users report counts people by their first channel: not sessions, left out
    rows.append(
        {
            **_ga4(MONDAY + timedelta(days=9), "Organic Search", "search", 0),
            "report": "user_acquisition",
        }
    )
    costs = [
        {
            "cost_id": f"ads-{w}",
            "period_start": (MONDAY + timedelta(weeks=w)).isoformat(),
            "period_end": (MONDAY + timedelta(weeks=w, days=6)).isoformat(),
            "category": "ads",
            "amount": "100.00",
            "currency": "USD",
            "platform": "meta",
        }
        for w in range(0, 12, 2)
    ]
    folder = tmp / "in"
    folder.mkdir()
    _write(folder / "traffic_aggregates.csv", rows + extra)
    _write(folder / "costs.csv", costs)
    return folder


def test_weekly_ga4_sessions_are_the_outcome(tmp_path: Path) -> None:
    folder = _folder(tmp_path, [])
    with Warehouse.open(tmp_path / "w.duckdb") as wh:
        import_paths(wh, [folder], show_progress=False)
        data, weeks = build_series(wh.ibis(), "sessions")
        per_week = wh.query(
            "SELECT date_trunc('week', period_start) AS w, sum(sessions) FROM traffic_aggregates "
            "WHERE report = 'traffic_acquisition' GROUP BY w ORDER BY w"
        )
    assert weeks[0] == MONDAY + timedelta(weeks=1) and len(weeks) == 11
    expected = {w.date() if hasattr(w, "date") else w: float(v) for w, v in per_week}
    assert data.y.tolist() == [expected[w] for w in weeks]
    assert data.channels == ("ads:meta",)


def test_a_ga4_row_longer_than_a_week_is_refused(tmp_path: Path) -> None:
    month = _ga4(date(2025, 6, 1), "Referral", "referral", 300, last=date(2025, 6, 30))
    folder = _folder(tmp_path, [month])
    with Warehouse.open(tmp_path / "w.duckdb") as wh:
        import_paths(wh, [folder], show_progress=False)
        with pytest.raises(UserInputError, match="'Referral' covers 2025-06-01 to 2025-06-30"):
            build_series(wh.ibis(), "sessions")


def test_no_ga4_sessions_says_what_to_import(tmp_path: Path) -> None:
    with (
        Warehouse.open(tmp_path / "w.duckdb") as wh,
        pytest.raises(UserInputError, match="no GA4 sessions"),
    ):
        build_series(wh.ibis(), "sessions")
