"""Imported links.csv destinations are checked like `goodwill links create` (issue 19 item 9)."""

from __future__ import annotations

from pathlib import Path

from business_helpers import load, quarantined, rows

from goodwill.warehouse import Warehouse


def test_imported_link_destinations_must_be_http_urls_with_a_host(
    wh: Warehouse, tmp_path: Path
) -> None:
    path = tmp_path / "links.csv"
    path.write_text(
        "code,destination_url,platform\n"
        "ok1,https://shop.example/spring,x\n"
        "ok2,HTTP://shop.example,x\n"
        "js,javascript:alert(document.cookie),x\n"
        'dat,"data:text/html;base64,PHNjcmlwdD4=",x\n'
        "rel,//evil.example/login,x\n"
        "nohost,https:///path,x\n"
        "ftp,ftp://files.example/a,x\n",
        encoding="utf-8",
    )
    load(wh, path)
    assert rows(wh, "SELECT code FROM links ORDER BY 1") == [("ok1",), ("ok2",)]
    got = quarantined(wh)
    assert [line for _, _, line, _ in got] == [4, 5, 6, 7, 8]
    assert all("not an http(s) URL with a host" in reason for *_, reason in got)


def test_an_id_with_a_nul_byte_is_rejected(wh: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_bytes(
        b"code,destination_url\ngood,https://shop.example/a\nba\x00d,https://shop.example/b\n"
    )
    load(wh, path)
    assert rows(wh, "SELECT code FROM links") == [("good",)]
    assert [(line, reason) for _, _, line, reason in quarantined(wh)] == [
        (3, "an id with a NUL byte")
    ]
