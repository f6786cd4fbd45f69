"""Time every dashboard page on the demo warehouse: first view (computed) and second view
(cached), HTML and JSON, side by side.

    .venv/bin/python benchmarks/dashboard_pages.py [--people 300] [--db existing.duckdb]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from goodwill.importer import import_paths
from goodwill.simulate import DemoSpec, simulate
from goodwill.warehouse import Warehouse
from goodwill.web.app import create_app
from goodwill.web.dashboard.routes import NAV, PAGES
from goodwill.web.dashboard.users import add_user

USER, PASSWORD = "bench", "benchmark password"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--people", type=int, default=300)
    ap.add_argument("--db", type=Path, help="use this warehouse instead of simulating one")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="goodwill-dash-"))
    db = args.db or tmp / "goodwill.duckdb"
    if args.db is None:
        simulate(DemoSpec(people=args.people), tmp / "data")
        with Warehouse.open(db) as wh:
            import_paths(wh, [tmp / "data"], show_progress=False)
    with Warehouse.open(db) as wh:
        add_user(wh, USER, PASSWORD, replace=True)
    app = create_app(spool_dir=tmp / "spool", sites=["shop.example"], db=db, load_interval=3600)
    app.state.dashboard_warming = True  # time cold pages, no background warm-up
    rows = []
    with TestClient(app) as c:
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text)
        assert token
        r = c.post(
            "/login",
            data={"username": USER, "password": PASSWORD, "csrf_token": token.group(1)},
            follow_redirects=False,
        )
        assert r.status_code == 303
        pages = [(name, PAGES[name][0]) for name in NAV]
        pages += [("items", f"/items?metric={m}") for m in ("mentions", "visits", "funnel")]
        for name, path in pages:
            times = []
            for url in (path, path, "/api/" + name + path[len(PAGES[name][0]) :]):
                t = time.perf_counter()
                resp = c.get(url)
                times.append(time.perf_counter() - t)
                assert resp.status_code == 200, (url, resp.status_code)
            rows.append((path, *times, len(resp.content)))
    print(f"{'page':<24}{'first (s)':>10}{'cached (s)':>12}{'API cached (s)':>16}{'API bytes':>11}")
    for path, first, cached, api, size in rows:
        print(f"{path:<24}{first:>10.2f}{cached:>12.3f}{api:>16.3f}{size:>11,}")


if __name__ == "__main__":
    main()
