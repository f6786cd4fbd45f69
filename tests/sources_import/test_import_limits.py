"""Issue 19 items 6-7: bad and hostile input ends in a one-line error naming the file (and line)
or a quarantined record, never a traceback; line length, unpacked size and compression ratio
are capped (each cap is tested with a small limit set here, not with gigabyte files)."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.errors import UserInputError
from goodwill.importer import import_paths
from goodwill.sources.limits import Limits
from goodwill.warehouse import Warehouse

FIX = Path(__file__).parents[1] / "fixtures" / "access_logs"
X_FIX = Path(__file__).parents[1] / "sources_social" / "fixtures" / "x_archive"
SPA = FIX / "spa_access.log"
PLAIN_LOG = SPA.read_bytes().split(b"\n", 1)[1]  # without its comment line: any version reads it
SMALL = Limits(max_line_bytes=4096, max_decompressed_bytes=1 << 30, max_decompression_ratio=200)


@pytest.fixture
def wh() -> Warehouse:
    return Warehouse.open(":memory:")


def _import(wh: Warehouse, *paths: Path, limits: Limits = SMALL) -> object:
    return import_paths(
        wh, list(paths), show_progress=False, site_host="shop.example", limits=limits
    )


def test_truncated_gzip_log_names_the_file_in_the_cli(tmp_path: Path) -> None:
    varied = b"".join(
        PLAIN_LOG.replace(b"/products/42", b"/products/%d" % (i * 7919 % 100_003))
        for i in range(400)
    )
    data = gzip.compress(varied)
    bad = tmp_path / "access.log.1.gz"
    bad.write_bytes(data[: len(data) // 2])
    res = CliRunner().invoke(app, ["import", str(bad), "--db", str(tmp_path / "g.duckdb")])
    assert res.exit_code != 0
    assert "Aborted" not in res.output
    assert "access.log.1.gz" in res.output and "truncated or corrupt" in res.output
    assert "Traceback" not in res.output


def test_truncated_gzip_interchange_file_names_file_and_line(wh: Warehouse, tmp_path: Path) -> None:
    rows = "".join(f"v{i},2026-05-01 10:00:00,vis{i},https://shop.example/\n" for i in range(3000))
    data = gzip.compress(("visit_id,started_at,visitor_id,landing_url\n" + rows).encode())
    bad = tmp_path / "visits.csv.gz"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(UserInputError, match=r"visits\.csv\.gz: .*truncated.*after line \d+"):
        _import(wh, bad)
    assert wh.counts().get("visits", 0) == 0  # nothing half-imported


def test_an_overlong_access_log_line_is_quarantined_and_the_rest_loads(
    wh: Warehouse, tmp_path: Path
) -> None:
    log = tmp_path / "access.log"
    long_line = b'198.51.100.77 - - [06/May/2026:09:30:00 +0000] "GET /' + b"a" * 200_000
    log.write_bytes(PLAIN_LOG + long_line + b' HTTP/1.1" 200 1 "-" "x"\n')
    summary = _import(wh, log)
    assert wh.query("SELECT count(*) FROM visits") == [(2,)]
    [(reason, raw)] = wh.query("SELECT reason, raw FROM quarantine")
    assert "longer than 4,096 bytes" in reason
    assert len(raw) <= 200 and "198.51.100.77" not in raw  # kept short, IP masked
    assert summary.rows_quarantined == 1  # type: ignore[attr-defined]


def test_an_overlong_csv_line_is_an_error_naming_its_line(wh: Warehouse, tmp_path: Path) -> None:
    f = tmp_path / "visits.csv"
    head = "visit_id,started_at,visitor_id,landing_url\n"
    ok = "v1,2026-05-01 10:00:00,a,https://shop.example/\n"
    f.write_text(head + ok + "v2,2026-05-01 10:00:00,b,https://shop.example/" + "x" * 50_000)
    with pytest.raises(UserInputError, match=r"visits\.csv: line 3: longer than 4,096 bytes"):
        _import(wh, f)


def test_deeply_nested_jsonl_record_is_quarantined(wh: Warehouse, tmp_path: Path) -> None:
    f = tmp_path / "visits.jsonl"
    good = {"visit_id": "v1", "started_at": "2026-05-01 10:00:00", "visitor_id": "a",
            "landing_url": "https://shop.example/"}  # fmt: skip
    f.write_text(json.dumps(good) + "\n" + "[" * 50_000 + "]" * 50_000 + "\n")
    _import(wh, f, limits=Limits(max_line_bytes=1 << 20))
    assert wh.query("SELECT count(*) FROM visits") == [(1,)]
    [(line, reason)] = wh.query("SELECT line, reason FROM quarantine")
    assert line == 2 and "nested too deeply" in reason


def test_gzip_bomb_is_refused_by_ratio(wh: Warehouse, tmp_path: Path) -> None:
    bomb = tmp_path / "access.log.gz"
    bomb.write_bytes(gzip.compress(PLAIN_LOG + b"\n" * 5_000_000))
    with pytest.raises(UserInputError, match=r"access\.log\.gz: unpacks to more than 200 times"):
        _import(wh, bomb)


def test_decompressed_size_cap(wh: Warehouse, tmp_path: Path) -> None:
    big = tmp_path / "access.log.gz"
    big.write_bytes(gzip.compress(PLAIN_LOG * 100))
    cap = Limits(max_decompressed_bytes=100_000)
    with pytest.raises(UserInputError, match=r"unpacks to more than 100,000 bytes"):
        _import(wh, big, limits=cap)
    _import(wh, big)  # within the default-sized limits it loads


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_nested_zip_bomb_writes_nothing_big(wh: Warehouse, tmp_path: Path) -> None:
    inner = _zip({f"part{i}.log": b"\0" * 3_000_000 for i in range(4)})
    outer = tmp_path / "logs.zip"
    outer.write_bytes(_zip({"a.zip": inner, "b.zip": inner}))
    with pytest.raises(UserInputError, match=r"logs\.zip/a\.zip.*unpacks to more than 200 times"):
        _import(wh, outer)
    total = Limits(max_decompressed_bytes=5_000_000, max_decompression_ratio=10_000)
    with pytest.raises(UserInputError, match=r"unpacks to more than 5,000,000 bytes"):
        _import(wh, outer, limits=total)


def test_x_archive_with_an_invalid_byte_names_file_line_and_column(tmp_path: Path) -> None:
    arc = tmp_path / "archive"
    (arc / "data").mkdir(parents=True)
    for f in (X_FIX / "data").iterdir():
        (arc / "data" / f.name).write_bytes(f.read_bytes())
    tweets = arc / "data" / "tweets.js"
    data = tweets.read_bytes()
    at = data.index(b'"full_text"')
    tweets.write_bytes(data[:at] + b"\xc3\x28" + data[at:])
    line = data[:at].count(b"\n") + 1
    with Warehouse.open(":memory:") as wh, pytest.raises(UserInputError) as err:
        _import(wh, arc)
    assert f"tweets.js: line {line}, column" in str(err.value)
    assert "not UTF-8" in str(err.value) and "\n" not in str(err.value)


def test_x_archive_deeply_nested_record_is_quarantined(tmp_path: Path) -> None:
    arc = tmp_path / "archive"
    (arc / "data").mkdir(parents=True)
    for f in (X_FIX / "data").iterdir():
        (arc / "data" / f.name).write_bytes(f.read_bytes())
    tweets = arc / "data" / "tweets.js"
    text = tweets.read_text(encoding="utf-8").rstrip()
    assert text.endswith("]")
    tweets.write_text(text[:-1] + ", " + "[" * 100_000 + "]" * 100_000 + " ]", encoding="utf-8")
    with Warehouse.open(":memory:") as wh:
        _import(wh, arc)
        reasons = [r for (r,) in wh.query("SELECT reason FROM quarantine")]
        assert any("tweets.js: not valid JSON (nested too deeply)" in r for r in reasons), reasons
        assert wh.query("SELECT count(*) FROM posts")[0][0] > 0


def test_the_setting_reaches_an_import_without_explicit_limits(
    wh: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no goodwill.toml here
    monkeypatch.setenv("GOODWILL_MAX_LINE_BYTES", "1000")
    log = tmp_path / "access.log"
    log.write_bytes(
        PLAIN_LOG + b'198.51.100.9 - - [06/May/2026:09:40:00 +0000] "GET /' + b"b" * 5000
    )
    import_paths(wh, [log], show_progress=False, site_host="shop.example")
    [(reason,)] = wh.query("SELECT reason FROM quarantine")
    assert "longer than 1,000 bytes (setting max_line_bytes)" in reason
