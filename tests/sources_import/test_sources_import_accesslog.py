"""Access logs → visits: sessions, bots, assets, quarantine with masked IPs, shared logs."""

from __future__ import annotations

import gzip
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from goodwill.errors import UserInputError
from goodwill.importer import import_paths
from goodwill.sources.accesslog import detect, mask_ip, read, visitor_id
from goodwill.sources.accesslog_rules import is_log_bot, request_kind
from goodwill.sources.adapters import AdapterContext
from goodwill.warehouse import Warehouse

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
FIXTURES = Path(__file__).parent / "fixtures"
AWKWARD = FIXTURES / "awkward_access.log"
SALT = b"k" * 32
FF = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
ELASTIC = SHARED_DATA / "apache-access-logs-elastic" / "apache_logs"
BASJES = SHARED_DATA / "apache-access-logs-basjes-bots" / "hackers-access.log"


def _ctx(**kw: object) -> AdapterContext:
    return AdapterContext(visitor_salt=SALT, site_host="shop.example", **kw)  # type: ignore[arg-type]


def _line(ip: str, when: str, target: str, ua: str = FF, status: int = 200) -> str:
    return f'{ip} - - [{when} +0000] "GET {target} HTTP/1.1" {status} 10 "-" "{ua}"\n'


def test_awkward_fixture_gives_the_hand_counted_visits() -> None:
    out = read(AWKWARD, _ctx())
    visits = out.tables["visits"]
    # 24 lines = 6 page views in 4 visits + 15 left out + 3 quarantined
    assert len(visits) == 4
    assert sum(int(str(v["pageviews"])) for v in visits) == 6
    assert out.skipped == {
        "bot user agent": 1,
        "status 4xx": 2,
        "method HEAD": 1,
        "method POST": 1,
        "static asset": 5,
        "bot behaviour: robots.txt": 3,
        "bot behaviour: no assets": 2,
    }
    assert [r.line for r in out.rejected["visits"]] == [11, 12, 13]
    first = visits[0]
    assert first["started_at"] == "2026-05-05 08:00:00"  # 10:00 +0200 in UTC
    assert first["landing_url"] == (
        "https://shop.example/shop?utm_source=mastodon&utm_medium=social&utm_campaign=spring%20sale"
    )
    assert (first["utm_source"], first["utm_medium"], first["utm_campaign"]) == (
        "mastodon",
        "social",
        "spring sale",
    )
    assert first["referrer"] == "https://mastodon.social/" and first["pageviews"] == "2"
    assert first["visitor_id"] == visitor_id(SALT, "203.0.113.7", FF)


def test_ipv6_spellings_and_escaped_quotes_are_one_visitor() -> None:
    visits = read(AWKWARD, _ctx()).tables["visits"]
    ios = [v for v in visits if "iPhone" in str(v["user_agent"])]
    assert len(ios) == 1  # 2001:db8::1 and 2001:DB8:0::1 are the same client
    assert str(ios[0]["user_agent"]).endswith('[FBAN/FBIOS;FBAV/"450.0"]')
    assert ios[0]["referrer"] is None  # "-"
    assert ios[0]["pageviews"] == "2"  # the POST is not a page view; /thanks is


def test_a_gap_of_more_than_30_minutes_starts_a_new_visit() -> None:
    visits = read(AWKWARD, _ctx()).tables["visits"]
    mine = [v for v in visits if v["visitor_id"] == visitor_id(SALT, "203.0.113.7", FF)]
    assert [v["started_at"] for v in mine] == ["2026-05-05 08:00:00", "2026-05-05 08:36:02"]


def test_session_boundary_is_exactly_30_minutes(tmp_path: Path) -> None:
    log = tmp_path / "a.log"
    log.write_text(
        _line("192.0.2.1", "05/May/2026:08:00:00", "/")
        + _line("192.0.2.1", "05/May/2026:08:00:01", "/a.css")
        + _line("192.0.2.1", "05/May/2026:08:30:01", "/two")  # 30:00 after the asset
        + _line("192.0.2.1", "05/May/2026:09:00:02", "/three")  # 30:01 later
        + _line("192.0.2.1", "05/May/2026:09:00:03", "/b.js"),
        encoding="utf-8",
    )
    visits = read(log, _ctx()).tables["visits"]
    assert [(v["started_at"], v["pageviews"]) for v in visits] == [
        ("2026-05-05 08:00:00", "2"),
        ("2026-05-05 09:00:02", "1"),
    ]


def test_common_format_has_no_user_agent_and_is_not_a_bot() -> None:
    visits = read(AWKWARD, _ctx()).tables["visits"]
    common = [v for v in visits if v["landing_url"] == "https://shop.example/pricing"]
    assert len(common) == 1 and common[0]["user_agent"] is None


def test_too_many_pages_a_minute_is_a_bot(tmp_path: Path) -> None:
    lines = [_line("192.0.2.9", "05/May/2026:08:00:00", "/x.css")]
    lines += [_line("192.0.2.9", f"05/May/2026:08:00:{2 * i:02d}", f"/p{i}") for i in range(25)]
    log = tmp_path / "fast.log"
    log.write_text("".join(lines), encoding="utf-8")
    out = read(log, _ctx())
    assert "visits" not in out.tables
    assert out.skipped == {"bot behaviour: rate": 26}


def test_assets_from_a_cdn_option_keeps_asset_less_visits(tmp_path: Path) -> None:
    log = tmp_path / "cdn.log"
    log.write_text(_line("192.0.2.5", "05/May/2026:08:00:00", "/"), encoding="utf-8")
    assert "visits" not in read(log, _ctx()).tables
    opts = {"accesslog.require_assets": "false"}
    assert len(read(log, _ctx(options=opts)).tables["visits"]) == 1


def test_vhost_combined_gives_absolute_landing_urls(tmp_path: Path) -> None:
    log = tmp_path / "vhost.log"
    vhost = "www.fernhill.example:443 "
    log.write_text(
        vhost
        + _line("192.0.2.1", "05/May/2026:08:00:00", "/?a=1")
        + vhost
        + _line("192.0.2.1", "05/May/2026:08:00:01", "/s.js"),
        encoding="utf-8",
    )
    assert detect(log)
    visits = read(log, AdapterContext(visitor_salt=SALT)).tables["visits"]
    assert visits[0]["landing_url"] == "https://www.fernhill.example/?a=1"


def test_gzip_log_reads_like_the_plain_one(tmp_path: Path) -> None:
    gz = tmp_path / "access.log.gz"
    with gzip.open(gz, "wb") as fh:
        fh.write(AWKWARD.read_bytes())
    assert detect(gz)
    assert read(gz, _ctx()).tables == read(AWKWARD, _ctx()).tables


def test_detect_rejects_other_files(tmp_path: Path) -> None:
    csv = tmp_path / "visits.csv"
    csv.write_text("visit_id,started_at\n", encoding="utf-8")
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x1f\x8b\x00garbage")
    garbage_first = tmp_path / "g.log"
    garbage_first.write_text("hello\n" + _line("192.0.2.1", "05/May/2026:08:00:00", "/"))
    assert not detect(csv) and not detect(binary) and not detect(tmp_path)
    assert not detect(garbage_first)
    assert detect(AWKWARD)  # its first five lines parse; the garbage comes later


def test_request_kinds_and_log_bots() -> None:
    assert request_kind("/blog/release-1.5") == "page"
    assert request_kind("/index.php") == "page" and request_kind("/") == "page"
    assert request_kind("/img/a.PNG") == "asset" and request_kind("/favicon.ico") == "asset"
    assert request_kind("/feed") == "feed" and request_kind("/blog", "flav=rss") == "feed"
    assert request_kind("/robots.txt") == "robots" and request_kind("/a.tar.gz") == "file"
    assert is_log_bot("Tiny Tiny RSS/1.11 (http://tt-rss.org/)") and is_log_bot("-")
    assert not is_log_bot(FF)


def test_mask_ip_masks_every_address() -> None:
    raw = '2001:db8::7 - - [05/May/2026:08:01:00 +0000] "GET /?f=10.0.0.1 HTTP/1.1" 200 1'
    masked = mask_ip(raw)
    assert masked.startswith("x.x.x.x - - [05/May/2026:08:01:00 +0000]")
    assert "10.0.0.1" not in masked and "2001" not in masked


def test_import_quarantines_with_masked_ip_and_reimport_changes_nothing(wh: Warehouse) -> None:
    s1 = import_paths(wh, [AWKWARD], show_progress=False, site_host="shop.example")
    assert wh.count("visits") == 4 and s1.rows_quarantined == 3
    assert s1.skipped == {str(AWKWARD): read(AWKWARD, _ctx()).skipped}
    assert s1.rows_skipped == 15 and s1.formats == {str(AWKWARD): "access-log"}
    raws = [r[0] for r in wh.query("SELECT raw FROM quarantine")]
    assert len(raws) == 3 and all("x.x.x.x" in r for r in raws)
    for needle in ("198.51.100", "10.1.2.3", "203.0.113"):
        assert not any(needle in r for r in raws)
    reasons = sorted(r[0] for r in wh.query("SELECT reason FROM quarantine"))
    assert reasons == ["malformed request line", "not UTF-8 (byte 56)", "not an access-log line"]
    before = wh.counts()
    s2 = import_paths(wh, [AWKWARD], show_progress=False, site_host="shop.example")
    assert wh.counts() == before and all(f.new == 0 for f in s2.files)


def test_visitor_salt_is_per_warehouse_and_kept(tmp_path: Path) -> None:
    ids = []
    for name in ("a", "b"):
        with Warehouse.open(tmp_path / f"{name}.duckdb") as w:
            import_paths(w, [AWKWARD], show_progress=False)
            import_paths(w, [AWKWARD], show_progress=False)
            assert w.get_meta("visitor_salt") is not None
            ids.append(sorted(r[0] for r in w.query("SELECT DISTINCT visitor_id FROM visits")))
    assert len(ids[0]) == 3 and set(ids[0]).isdisjoint(ids[1])


@pytest.mark.skipif(not ELASTIC.is_file(), reason="shared elastic access log absent")
def test_elastic_log_counts() -> None:
    out = read(ELASTIC, _ctx())
    visits = out.tables["visits"]
    pageviews = sum(int(str(v["pageviews"])) for v in visits)
    assert (len(visits), len({v["visitor_id"] for v in visits}), pageviews) == (691, 645, 903)
    assert pageviews + sum(out.skipped.values()) == 10_000 and not out.rejected
    assert out.skipped == {
        "static asset": 5201,
        "bot user agent": 2462,
        "bot behaviour: no assets": 669,
        "bot behaviour: robots.txt": 297,
        "status 4xx": 217,
        "file": 139,
        "bot behaviour: rate": 68,
        "method HEAD": 26,
        "feed": 13,
        "status 5xx": 3,
        "method POST": 2,
    }
    first = min(datetime.fromisoformat(str(v["started_at"])) for v in visits)
    assert first.date().isoformat() == "2015-05-17"


@pytest.mark.skipif(not BASJES.is_file(), reason="shared basjes access log absent")
def test_basjes_bot_log_yields_no_visits_and_no_leads(tmp_path: Path) -> None:
    log = tmp_path / "hackers-access.log"
    shutil.copyfile(BASJES, log)
    with Warehouse.open(tmp_path / "g.duckdb") as w:
        summary = import_paths(w, [log], show_progress=False)
        assert w.count("visits") == 0 and w.count("conversions") == 0
    assert summary.skipped[str(log)] == {
        "bot behaviour: no assets": 3406,
        "status 4xx": 25,
        "method POST": 25,
    }
    assert summary.rows_quarantined == 0


def test_host_name_clients_are_visitors_too(tmp_path: Path) -> None:
    log = tmp_path / "hosts.log"
    log.write_text(
        _line("dsl-7.Example.NET", "05/May/2026:08:00:00", "/")
        + _line("dsl-7.example.net", "05/May/2026:08:00:01", "/s.css"),
        encoding="utf-8",
    )
    visits = read(log, _ctx()).tables["visits"]
    assert [v["visitor_id"] for v in visits] == [visitor_id(SALT, "dsl-7.example.net", FF)]
    assert mask_ip(_line("dsl-7.example.net", "05/May/2026:08:00:00", "/")).startswith("x.x.x.x")


def test_bad_options_are_user_errors(tmp_path: Path) -> None:
    for opts, match in (
        ({"accesslog.require_assets": "maybe"}, "require_assets = 'maybe'"),
        ({"accesslog.max_pages_per_minute": "0"}, "max_pages_per_minute = '0'"),
    ):
        with pytest.raises(UserInputError, match=match):
            read(AWKWARD, _ctx(options=opts))
