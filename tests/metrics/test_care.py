"""Care: needing an answer, response rate, first response times, resolution, unanswered."""

from __future__ import annotations

from typing import Any

import pytest
from metric_fixtures import d, ts

from goodwill.metrics import MetricParams, run_query
from goodwill.warehouse import Warehouse


def _msg(
    wh: Warehouse,
    iid: str,
    when: str,
    actor: str,
    target: str,
    *,
    direction: str = "inbound",
    reply_to: str | None = None,
    intent: str | None = None,
    platform: str = "x",
) -> None:
    wh.con.execute(
        "INSERT INTO interactions (platform, interaction_id, created_at, kind, direction, "
        "actor_handle, target_handle, in_reply_to, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            platform,
            iid,
            ts(when),
            "reply" if reply_to else "mention",
            direction,
            actor,
            target,
            reply_to,
            f"text of {iid}",
        ],
    )
    if intent is not None:
        score = {"complaint": -0.8, "question": 0.0, "praise": 0.9}[intent]
        sentiment = {"complaint": "negative", "question": "neutral", "praise": "positive"}[intent]
        wh.con.execute(
            "INSERT INTO interaction_labels VALUES (?, ?, ?, ?, ?, 'test@1', ?, NULL)",
            [platform, iid, sentiment, score, intent, ts("2026-02-01")],
        )


@pytest.fixture
def care_seed(wh: Warehouse) -> Warehouse:
    wh.con.execute("INSERT INTO accounts VALUES ('x', 'brand', 'brand', NULL)")
    wh.con.execute("INSERT INTO accounts VALUES ('x', 'rival', 'competitor', NULL)")
    m = _msg
    m(wh, "m1", "2026-01-05 10:00", "alice", "brand", intent="complaint")
    m(wh, "r1", "2026-01-05 11:00", "brand", "alice", direction="outbound", reply_to="m1")
    m(wh, "r1b", "2026-01-05 12:00", "brand", "alice", direction="outbound", reply_to="m1")
    m(wh, "m2", "2026-01-06 09:00", "bob", "brand", intent="question")
    m(wh, "r2", "2026-01-06 09:30", "brand", "bob", direction="outbound", reply_to="m2")
    m(wh, "m4", "2026-01-07 08:00", "alice", "brand", intent="complaint")  # alice again
    m(wh, "m3", "2026-01-08 12:00", "carol", "brand", intent="complaint")
    m(wh, "r3", "2026-01-08 16:00", "brand", "carol", direction="outbound", reply_to="m3")
    m(wh, "m5", "2026-01-09 10:00", "dave", "brand", intent="praise")  # needs no answer
    m(wh, "m6", "2026-01-10 10:00", "erin", "brand", intent="complaint")
    m(wh, "x6", "2026-01-10 11:00", "rival", "erin", direction="outbound", reply_to="m6")
    m(wh, "m7", "2026-01-11 10:00", "frank", "brand")  # unlabelled: counts
    m(wh, "c1", "2026-01-12 10:00", "gina", "rival", intent="complaint")  # a competitor's
    m(wh, "f1", "2026-02-02 10:00", "hank", "brand", intent="question")
    return wh


def test_monthly_care(care_seed: Warehouse, backend: Any) -> None:
    frame = run_query("care", backend, MetricParams())
    jan, feb = frame.to_dict("records")
    # Jan needs an answer: m1 m2 m4 m3 m6 m7 (not the praise m5, not the rival's c1)
    # answered by the addressed account: m1 (1 h; the second reply does not count), m2 (0.5 h),
    # m3 (4 h); m6's reply came from another account
    assert (jan["period"], jan["account"]) == (d("2026-01-01"), "brand")
    assert (jan["needing_answer"], jan["answered"], jan["complaints"]) == (6, 3, 4)
    assert jan["response_rate"] == pytest.approx(0.5)
    assert jan["frt_median_hours"] == pytest.approx(1.0)
    assert jan["frt_p90_hours"] == pytest.approx(1.0 + 0.8 * 3.0)  # [0.5, 1, 4] at 0.9
    # m1 is followed by alice's complaint m4 within 7 days: not resolved; m3 is resolved
    assert jan["resolved"] == 1
    assert jan["resolution_rate"] == pytest.approx(0.5)
    assert (feb["needing_answer"], feb["answered"]) == (1, 0)
    assert feb["resolution_rate"] != feb["resolution_rate"]  # NaN: no complaint answered


def test_unanswered_complaints_oldest_first(care_seed: Warehouse, backend: Any) -> None:
    frame = run_query("unanswered", backend, MetricParams())
    assert list(frame.interaction_id) == ["m4", "m6"]
    assert list(frame.actor_handle) == ["alice", "erin"]
    assert list(frame.sentiment_score) == pytest.approx([-0.8, -0.8])


def test_platform_and_date_filters(care_seed: Warehouse, backend: Any) -> None:
    frame = run_query("care", backend, MetricParams(since=d("2026-01-08"), by="day"))
    assert [(r.period, r.needing_answer, r.answered) for r in frame.itertuples()] == [
        (d("2026-01-08"), 1, 1),
        (d("2026-01-10"), 1, 0),
        (d("2026-01-11"), 1, 0),
        (d("2026-02-02"), 1, 0),
    ]
    assert run_query("care", backend, MetricParams(platform="mastodon")).empty


def test_shared_threads_are_built_once_and_give_the_same_answers(
    care_seed: Warehouse, backend: Any
) -> None:
    from goodwill.metrics.care import care_threads, shared_threads

    names = ("care", "care_agents", "unanswered")
    alone = {n: run_query(n, backend, MetricParams(by="week")) for n in names}
    before = set(backend.list_tables())
    with shared_threads():
        first = care_threads(backend, MetricParams(by="month"))
        assert care_threads(backend, MetricParams(by="week")) is first  # grain: same threads
        assert care_threads(backend, MetricParams(platform="x")) is not first
        cached = {t for t in set(backend.list_tables()) - before if "cache" in t}
        assert len(cached) == 2  # one table per distinct threads
        shared = {n: run_query(n, backend, MetricParams(by="week")) for n in names}
    assert not cached & set(backend.list_tables())  # released at the end of the block
    for n in names:
        assert shared[n].equals(alone[n]), n


def test_the_business_calendar_covers_only_the_datas_dates(
    care_seed: Warehouse, backend: Any
) -> None:
    from goodwill.metrics.care import calendar_range

    lo, hi = care_seed.query(
        "SELECT min(created_at)::DATE, max(created_at)::DATE FROM interactions"
    )[0]
    one = __import__("datetime").timedelta(days=1)
    assert calendar_range(backend, MetricParams()) == (lo - one, hi + one)
    assert calendar_range(backend, MetricParams(since=d("2026-01-06"))) == (
        d("2026-01-05"),
        hi + one,
    )


def test_resolution_window_edges(wh: Warehouse, backend: Any) -> None:
    """Resolved: no further complaint by the same author to the same account in
    (first response, first response + 7 days]. A complaint at the very instant of the
    response is not after it; one exactly 7 days later is inside; questions, complaints to
    another account, another author's and later answered complaints' own responses do not
    count."""
    from goodwill.metrics.care import care_threads

    wh.con.execute("INSERT INTO accounts VALUES ('x', 'brand', 'brand', NULL)")
    wh.con.execute("INSERT INTO accounts VALUES ('x', 'help', 'brand', NULL)")
    m = _msg

    def answered(iid: str, at: str, actor: str, reply_at: str, account: str = "brand") -> None:
        m(wh, iid, at, actor, account, intent="complaint")
        m(wh, f"r-{iid}", reply_at, account, actor, direction="outbound", reply_to=iid)

    # a: a complaint at the response's instant (not after it), then nothing for 7 days
    answered("a1", "2026-03-02 09:00", "ann", "2026-03-02 10:00")
    m(wh, "a2", "2026-03-02 10:00", "ann", "brand", intent="complaint")
    # b: a complaint exactly 7 days after the response: inside the window
    answered("b1", "2026-03-02 09:00", "ben", "2026-03-02 10:00")
    m(wh, "b2", "2026-03-09 10:00", "ben", "brand", intent="complaint")
    # c: one a second after the window, a question and a complaint to another account inside
    answered("c1", "2026-03-02 09:00", "cat", "2026-03-02 10:00")
    m(wh, "c2", "2026-03-09 10:00:01", "cat", "brand", intent="complaint")
    m(wh, "c3", "2026-03-03 10:00", "cat", "brand", intent="question")
    m(wh, "c4", "2026-03-03 10:00", "cat", "help", intent="complaint")
    m(wh, "c5", "2026-03-03 10:00", "dan", "brand", intent="complaint")
    # e: two complaints answered at the same instant, a third answered a day later: the
    # third counts against both earlier ones; nothing follows the third
    answered("e1", "2026-03-02 09:00", "eve", "2026-03-02 12:00")
    answered("e2", "2026-03-02 10:00", "eve", "2026-03-02 12:00")
    answered("e3", "2026-03-03 10:00", "eve", "2026-03-03 11:00")
    t = backend.execute(care_threads(backend, MetricParams()))
    resolved = dict(zip(t.interaction_id, t.resolved, strict=True))
    assert {k: bool(v) for k, v in resolved.items() if not k.startswith(("a2", "b2"))} == {
        "a1": True,
        "b1": False,
        "c1": True,
        "c2": False,  # unanswered
        "c3": False,  # a question
        "c4": False,
        "c5": False,
        "e1": False,
        "e2": False,
        "e3": True,
    }
    assert not resolved["a2"] and not resolved["b2"]  # unanswered
