"""The spool (torn tails, idempotent loads), sessionisation, daily salts and bot filtering."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from goodwill.warehouse import Warehouse
from goodwill.web.bots import is_bot
from goodwill.web.loader import load_spool
from goodwill.web.privacy import Salts, client_ip
from goodwill.web.spool import Spool, read_segment, seal_orphans


def ev(event_id: str, at: str, visitor: str = "v1", **kw: str) -> dict[str, str]:
    base = {
        "event_id": event_id,
        "kind": "pageview",
        "site": "shop.example",
        "occurred_at": at,
        "visitor_id": visitor,
        "url": "https://shop.example/",
    }
    return {**base, **kw}


def test_torn_tail_of_dead_server_is_cut_and_not_loaded(tmp_path: Path, wh: Warehouse) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    dead = spool / "events-20260101T000000000000000-999999999.open"
    good = json.dumps(ev("a", "2026-01-01T10:00:00")) + "\n"
    dead.write_text(good + '{"event_id": "torn", "kin')
    assert [e["event_id"] for e in read_segment(dead)] == ["a"]
    sealed = seal_orphans(spool)
    assert [p.suffix for p in sealed] == [".jsonl"]
    assert sealed[0].read_text() == good
    result = load_spool(wh, spool)
    assert (result.read, result.new, result.archived) == (1, 1, 1)
    assert (spool / "loaded" / sealed[0].name).exists()


def test_loads_are_idempotent_and_late_events_merge_into_their_session(
    tmp_path: Path, wh: Warehouse
) -> None:
    sp = Spool(tmp_path / "spool")
    for e in (
        ev("a", "2026-01-01T10:00:00", url="https://shop.example/?utm_source=fb"),
        ev("c", "2026-01-01T10:40:00"),  # 40 min after a: a new visit
        ev("d", "2026-01-01T10:45:00", visitor="v2", referrer="https://t.co/x"),
    ):
        sp.submit(e).result(timeout=10)
    first = load_spool(wh, sp.folder)
    assert (first.read, first.new) == (3, 3)
    assert wh.query("SELECT visit_id, pageviews FROM visits ORDER BY visit_id") == [
        ("gw:a", 1),
        ("gw:c", 1),
        ("gw:d", 1),
    ]
    # an event at 10:20 arrives late: it bridges a and c into one visit of 3 pageviews
    sp.submit(ev("b", "2026-01-01T10:20:00")).result(timeout=10)
    second = load_spool(wh, sp.folder)
    assert (second.read, second.new) == (4, 1)
    assert wh.query("SELECT visit_id, pageviews FROM visits ORDER BY visit_id") == [
        ("gw:a", 3),
        ("gw:d", 1),
    ]
    assert wh.query("SELECT visit_id, channel, source FROM visit_channels ORDER BY 1") == [
        ("gw:a", "social", "facebook"),
        ("gw:d", "social", "x"),
    ]
    sp.close()
    third = load_spool(wh, sp.folder)
    assert (third.read, third.new, third.archived) == (4, 0, 1)
    assert wh.count("visits") == 2


def test_conversion_in_other_currency_uses_latest_rate(tmp_path: Path, wh: Warehouse) -> None:
    wh.con.execute(
        "INSERT INTO fx_rates VALUES ('2026-01-01', 'EUR', 1.1), ('2026-02-01', 'EUR', 2)"
    )
    sp = Spool(tmp_path / "spool")
    order = ev("o", "2026-01-15T09:00:00", kind="event", name="order", value="20", currency="eur")
    sp.submit(order).result(timeout=10)
    sp.submit(ev("n", "2026-01-15T09:01:00", kind="event", name="newsletter_open")).result(
        timeout=10
    )
    sp.close()
    load_spool(wh, sp.folder, currency="USD")
    rows = wh.query("SELECT conversion_id, kind, currency, value_reporting FROM conversions")
    assert [(r[0], r[1], r[2], float(r[3])) for r in rows] == [("gw:o", "order", "EUR", 22.0)]


def test_visitor_ids_rotate_daily_and_old_salts_are_deleted(tmp_path: Path) -> None:
    salts = Salts(tmp_path)
    d1 = datetime(2026, 1, 1, 12, tzinfo=UTC)
    a = salts.visitor_id("10.0.0.1", "UA", "shop.example", d1)
    assert a == Salts(tmp_path).visitor_id("10.0.0.1", "UA", "shop.example", d1)  # restart
    assert a != salts.visitor_id("10.0.0.2", "UA", "shop.example", d1)
    assert a != salts.visitor_id("10.0.0.1", "UA2", "shop.example", d1)
    d3 = datetime(2026, 1, 3, 12, tzinfo=UTC)
    assert a != salts.visitor_id("10.0.0.1", "UA", "shop.example", d3)
    assert sorted(p.stem for p in tmp_path.glob("*.salt")) == ["2026-01-03"]
    assert date(2026, 1, 1) not in salts._cache
    assert client_ip("1.2.3.4", "9.9.9.9, 1.2.3.4", trust_proxy=False) == "1.2.3.4"
    assert client_ip("1.2.3.4", "9.9.9.9, 1.2.3.4", trust_proxy=True) == "9.9.9.9"


@pytest.mark.parametrize(
    ("ua", "bot"),
    [
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", True),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", True),
        ("Mastodon/4.2.1 (http.rb/5.1.1; +https://mastodon.social/) Bot", True),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) HeadlessChrome/120.0", True),
        ("curl/8.5.0", True),
        ("", True),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) [FBAN/FBIOS;FBAV/440.0]", False),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130 Safari/537", False),
    ],
)
def test_bots(ua: str, bot: bool) -> None:
    assert is_bot(ua) is bot


def test_spool_load_command(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from goodwill.cli import app

    sp = Spool(tmp_path / "spool")
    sp.submit(ev("a", "2026-01-01T10:00:00")).result(timeout=10)
    sp.submit(ev("b", "2026-01-01T10:05:00", kind="event", name="lead")).result(timeout=10)
    sp.close()
    db = tmp_path / "g.duckdb"
    Warehouse.open(db).close()  # `goodwill init`: commands do not create a warehouse
    args = ["spool", "load", "--db", str(db), "--spool", str(tmp_path / "spool")]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "read 2 event(s), 2 new; 1 visit(s) rebuilt, 1 conversion(s)" in first.output
    again = CliRunner().invoke(app, args)  # the segment was archived after the first load
    assert "read 0 event(s), 0 new" in again.output
    with Warehouse.open(db) as wh:
        assert wh.count("visits") == 1 and wh.count("conversions") == 1
    missing = CliRunner().invoke(app, ["spool", "load", "--spool", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "no such folder" in missing.output
