"""Care in business hours (calendar, numpy and Ibis) and per agent, with hand-computed hours."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metric_fixtures import ts
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.errors import UserInputError
from goodwill.metrics import MetricParams, run_query
from goodwill.metrics.business_hours import (
    load_business_hours,
    open_hours_between,
    parse_business_hours,
)
from goodwill.warehouse import Warehouse

WEEKDAYS = parse_business_hours("Mon-Fri 09:00-17:00")


def _hours(pairs: list[tuple[str, str]], hours: Any = WEEKDAYS) -> list[float]:
    starts = np.array([a for a, _ in pairs], dtype="datetime64[s]")
    ends = np.array([b for _, b in pairs], dtype="datetime64[s]")
    intervals = hours.intervals(date(2026, 1, 1), date(2026, 4, 30))
    return [round(float(x), 4) for x in open_hours_between(starts, ends, intervals)]


def test_open_hours_across_weekends_and_nights() -> None:
    # 2026-01-09 is a Friday
    got = _hours(
        [
            ("2026-01-09T16:00", "2026-01-12T10:00"),  # Fri 16-17 + Mon 09-10 = 2 h
            ("2026-01-10T12:00", "2026-01-11T18:00"),  # all weekend = 0 h
            ("2026-01-13T16:30", "2026-01-14T09:15"),  # Tue 16:30-17 + Wed 09-09:15 = 0.75 h
            ("2026-01-12T10:00", "2026-01-12T10:20"),  # inside one day = 1/3 h
            ("2026-01-12T07:00", "2026-01-12T08:00"),  # before opening = 0 h
            ("2026-01-16T18:00", "2026-01-19T08:59"),  # Fri evening to Mon before 9 = 0 h
            ("2026-01-12T09:00", "2026-01-19T09:00"),  # one week = 5 × 8 = 40 h
        ]
    )
    assert got == [2.0, 0.0, 0.75, 0.3333, 0.0, 0.0, 40.0]


def test_holidays_time_zones_and_daylight_saving() -> None:
    london = parse_business_hours("Mon-Fri 09:00-17:00", "Europe/London", ["2026-01-12"])
    # Monday 12 Jan is a holiday: Fri 16:00 -> Tue 10:00 counts Fri 1 h + Tue 1 h
    assert _hours([("2026-01-09T16:00", "2026-01-13T10:00")], london) == [2.0]
    # After the switch to summer time (Sun 29 Mar 2026) London opens at 08:00 UTC
    assert _hours([("2026-03-30T07:30", "2026-03-30T08:30")], london) == [0.5]
    assert _hours([("2026-03-27T07:30", "2026-03-27T09:30")], london) == [0.5]  # GMT still
    new_york = parse_business_hours("Mon-Fri 09:00-17:00", "America/New_York")
    # 09:00 EST = 14:00 UTC on Mon 12 Jan
    assert _hours([("2026-01-12T13:00", "2026-01-12T15:00")], new_york) == [1.0]
    two_blocks = parse_business_hours("Mon-Fri 09:00-12:00, Mon-Fri 13:00-17:00, Sat 10:00-12:00")
    # Fri 11:00 -> Mon 09:30: Fri 1 + 4 h, Sat 2 h, Mon 0.5 h
    assert _hours([("2026-01-09T11:00", "2026-01-12T09:30")], two_blocks) == [7.5]
    # missing response: NaN
    starts = np.array(["2026-01-09T11:00"], dtype="datetime64[s]")
    assert np.isnan(open_hours_between(starts, np.array(["NaT"], "datetime64[s]"), []))[0]


@pytest.mark.parametrize(
    ("spec", "zone", "message"),
    [
        ("Mon-Fri 9-17", "UTC", "is not a block like 'Mon-Fri 09:00-17:00'"),
        ("Fri-Mon 09:00-17:00", "UTC", "runs backwards"),
        ("Mon-Fry 09:00-17:00", "UTC", "day 'fry' is not one of"),
        ("Mon 17:00-09:00", "UTC", "closes before it opens"),
        ("Mon 09:00-17:00, Mon 16:00-18:00", "UTC", "overlaps another block"),
        ("Mon-Fri 09:00-17:00", "Mars/Olympus", "not an IANA time zone"),
    ],
)
def test_bad_business_hours_say_what_is_valid(spec: str, zone: str, message: str) -> None:
    with pytest.raises(UserInputError, match=message):
        parse_business_hours(spec, zone)


def test_business_hours_come_from_goodwill_toml(tmp_path: Path) -> None:
    cfg = tmp_path / "goodwill.toml"
    cfg.write_text(
        '[goodwill]\ncurrency = "EUR"\n[care]\nbusiness_hours = "Mon-Sat 08:00-20:00"\n'
        'timezone = "Europe/Paris"\nholidays = ["2026-12-25"]\n'
    )
    hours = load_business_hours(cfg)
    assert hours.timezone == "Europe/Paris"
    assert hours.holidays == frozenset({date(2026, 12, 25)})
    assert hours.blocks == ((frozenset(range(6)), 8 * 60, 20 * 60),)
    assert load_business_hours(tmp_path / "absent.toml").spec == "Mon-Fri 09:00-17:00"
    cfg.write_text('[care]\nopening = "Mon 09:00-10:00"\n')
    with pytest.raises(UserInputError, match=r"unknown setting.*opening.*valid: business_hours"):
        load_business_hours(cfg)


def test_business_hours_beside_the_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command run from another folder reads ``[care]`` from the goodwill.toml beside its
    warehouse, as every other setting (was: only ./goodwill.toml)."""
    from goodwill.config import use_warehouse

    shop = tmp_path / "shop"
    shop.mkdir()
    (shop / "goodwill.toml").write_text('[care]\nbusiness_hours = "Sat 10:00-14:00"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("GOODWILL_CONFIG", raising=False)
    monkeypatch.delenv("GOODWILL_DB", raising=False)
    assert load_business_hours().spec == "Mon-Fri 09:00-17:00"
    with use_warehouse(shop / "goodwill.duckdb"):
        assert load_business_hours().blocks == ((frozenset({5}), 10 * 60, 14 * 60),)


def _seed(wh: Warehouse) -> None:
    wh.con.execute("INSERT INTO accounts VALUES ('x', 'brand', 'brand', NULL)")
    rows = [
        # id, when, actor, target, direction, reply_to, text, agent
        ("m1", "2026-01-09 16:00", "ann", "brand", "inbound", None, "help", None),
        ("r1", "2026-01-12 10:00", "brand", "ann", "outbound", "m1", "sorry ^JD", None),
        ("r1b", "2026-01-12 11:00", "brand", "ann", "outbound", "m1", "more ^KL", None),
        ("m2", "2026-01-13 16:30", "bo", "brand", "inbound", None, "hello?", None),
        ("r2", "2026-01-14 09:15", "brand", "bo", "outbound", "m2", "hi ^XX", "Sam"),
        ("m3", "2026-01-14 10:00", "cy", "brand", "inbound", None, "broken", None),
        ("r3", "2026-01-14 10:30", "brand", "cy", "outbound", "m3", "on it ^JD t.co/x", None),
        ("m4", "2026-01-15 10:00", "di", "brand", "inbound", None, "where?", None),
        ("r4", "2026-01-15 12:00", "brand", "di", "outbound", "m4", "here it is", None),
        ("m5", "2026-01-15 11:00", "ed", "brand", "inbound", None, "anyone?", None),
    ]
    for iid, when, actor, target, direction, reply_to, text, agent in rows:
        wh.con.execute(
            "INSERT INTO interactions (platform, interaction_id, created_at, kind, direction, "
            "actor_handle, target_handle, in_reply_to, text, agent) "
            "VALUES ('x', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                iid,
                ts(when),
                "reply" if reply_to else "mention",
                direction,
                actor,
                target,
                reply_to,
                text,
                agent,
            ],
        )


def test_care_reports_business_hours_and_agents(
    wh: Warehouse, backend: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GOODWILL_CONFIG", str(tmp_path / "none.toml"))  # the default calendar
    _seed(wh)
    (row,) = run_query("care", backend, MetricParams()).to_dict("records")
    # wall-clock: m1 66 h, m2 16.75 h, m3 0.5 h, m4 2 h (m5 unanswered)
    # business:   m1 2 h,  m2 0.75 h,  m3 0.5 h, m4 2 h
    assert row["needing_answer"] == 5 and row["answered"] == 4
    assert row["frt_median_hours"] == pytest.approx((2 + 16.75) / 2)
    assert row["frt_business_median_hours"] == pytest.approx((0.75 + 2) / 2)
    # p90 (continuous) of [0.5, 0.75, 2, 2]: position 2.7 -> 2.0
    assert row["frt_business_p90_hours"] == pytest.approx(2.0)
    agents = run_query("care_agents", backend, MetricParams()).set_index("agent")
    # first responses: m1 by ^JD (r1; r1b is later), m2 by the agent column Sam (not ^XX),
    # m3 by ^JD, m4 unsigned
    assert agents["answered"].to_dict() == {"JD": 2, "Sam": 1, "unknown": 1}
    assert agents.loc["JD", "frt_median_hours"] == pytest.approx((66 + 0.5) / 2)
    assert agents.loc["JD", "frt_business_median_hours"] == pytest.approx((2 + 0.5) / 2)
    assert agents.loc["Sam", "frt_business_p90_hours"] == pytest.approx(0.75)


def test_care_by_agent_command_uses_goodwill_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "g.duckdb"
    with Warehouse.open(db) as w:
        _seed(w)
    cfg = tmp_path / "goodwill.toml"
    # open around the clock on weekdays: business hours = wall-clock minus weekends
    cfg.write_text('[care]\nbusiness_hours = "Mon-Fri 00:00-24:00"\n')
    monkeypatch.setenv("GOODWILL_CONFIG", str(cfg))
    runner = CliRunner()
    result = runner.invoke(app, ["care", "--by", "agent", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["agent"]: r for r in json.loads(result.output)}
    # JD: m1 Fri 16:00 -> Mon 10:00 = 8 + 10 = 18 h open; m3 0.5 h
    assert rows["JD"]["frt_business_median_hours"] == pytest.approx((18 + 0.5) / 2)
    result = runner.invoke(app, ["care", "--by", "team", "--db", str(db)])
    assert result.exit_code == 2
    assert "use one of day, week, month, agent" in result.output
