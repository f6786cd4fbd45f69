"""Issue 14 item 5: a single-page app's JSON calls are not page views or landing pages; Apache's
"common with virtual host" layout, ``.bz2`` rotations and a comment line at the top are read.

Expected counts are worked out from the fixture's lines here (independently of the adapter)."""

from __future__ import annotations

import bz2
import re
import shutil
from pathlib import Path

from goodwill.sources.accesslog import detect, read
from goodwill.sources.accesslog_rules import request_kind
from goodwill.sources.adapters import AdapterContext

FIX = Path(__file__).parents[1] / "fixtures" / "access_logs"
SPA = FIX / "spa_access.log"
VHOST_COMMON = FIX / "vhost_common.log"


def _ctx() -> AdapterContext:
    return AdapterContext(visitor_salt=b"s" * 32, site_host="shop.example")


def _requests(path: Path) -> list[tuple[str, str, str]]:
    """(client, method, target) of each log line, read with a plain regex."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.search(r'^(?:\S+ )?(\S+) - - \[[^\]]+\] "(\S+) (\S+) ', line)
        if m:
            out.append((m[1], m[2], m[3]))
    return out


def test_api_paths_are_api_calls_not_pages() -> None:
    for path in ("/api/v1/products", "/graphql", "/wp-json/wc/store/cart", "/v2/orders",
                 "/locales/en.json", "/_next/data/b/x.json"):  # fmt: skip
        assert request_kind(path) == "api", path
    assert request_kind("/api") == "api"
    assert request_kind("/session", "_=1715000000000") == "api"
    for path in ("/", "/products/42", "/journal/brew-guide", "/apiary-tour", "/v2-launch"):
        assert request_kind(path) == "page", path


def test_single_page_app_log_counts_only_pages() -> None:
    reqs = _requests(SPA)
    gets = [r for r in reqs if r[1] == "GET"]
    kinds = [request_kind(*t.partition("?")[::2]) for _c, _m, t in gets]
    n_pages, n_api = kinds.count("page"), kinds.count("api")
    assert (n_pages, n_api) == (4, 10)  # hand count of the fixture
    clients_with_pages = {c for (c, _m, _t), k in zip(gets, kinds, strict=True) if k == "page"}
    assert detect(SPA)  # the comment line at the top does not hide the log
    out = read(SPA, _ctx())
    visits = out.tables["visits"]
    assert len(visits) == len(clients_with_pages) == 2  # the API-only tab is no visit
    assert sum(int(str(v["pageviews"])) for v in visits) == n_pages
    landings = sorted(str(v["landing_url"]) for v in visits)
    assert landings == [
        "https://shop.example/?utm_source=chatgpt.com",
        "https://shop.example/journal/brew-guide",
    ]
    assert out.skipped["api call (XHR/JSON)"] == n_api
    assert out.skipped["comment line"] == 1
    assert out.skipped["method POST"] == 1
    assert out.rejected == {}


def test_common_with_virtual_host_layout() -> None:
    assert detect(VHOST_COMMON)
    out = read(VHOST_COMMON, _ctx())
    visits = sorted(out.tables["visits"], key=lambda v: str(v["landing_url"]))
    assert [v["landing_url"] for v in visits] == [
        "https://blog.shop.example/journal",
        "https://shop.example/shop",
    ]
    assert [v["pageviews"] for v in visits] == ["1", "2"]
    assert all(v["referrer"] is None and v["user_agent"] is None for v in visits)
    assert out.rejected == {}


def test_bz2_rotation_reads_like_the_plain_log(tmp_path: Path) -> None:
    packed = tmp_path / "access.log.2.bz2"
    packed.write_bytes(bz2.compress(SPA.read_bytes()))
    assert detect(packed)
    plain, compressed = read(SPA, _ctx()), read(packed, _ctx())
    assert compressed.tables == plain.tables and compressed.skipped == plain.skipped
    folder = tmp_path / "logs"
    folder.mkdir()
    shutil.copy(packed, folder / packed.name)
    shutil.copy(VHOST_COMMON, folder / "access.log")
    both = read(folder, _ctx())
    assert len(both.tables["visits"]) == 4
