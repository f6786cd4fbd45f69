"""Time every dashboard page on the demo warehouse: first view (computed) and second view
(cached), HTML and JSON, side by side.

    .venv/bin/python benchmarks/dashboard_pages.py [--people 300] [--db existing.duckdb]
        [--query platform=x]

A simulated warehouse gets what ``goodwill import`` stores beside it (the mix model's fit,
the Money page's model runs); with ``--db`` use one made by ``goodwill import`` or ``goodwill
demo``, or first view Money computes its bootstraps.

The Money page's first view, 300-person demo (seed 0), before and after the journey store,
the shared and batched bootstrap and the batched lift simulation (Nov 2026, on a shared
2-core machine under a load of 3-4, so both columns are slower than on an idle one; each
the best of three runs in a fresh process after the overview page; the numbers on the page
are the same):

| Money page, first view                     | before (50 replicates) | after (100 replicates) |
|--------------------------------------------|-----------------------:|-----------------------:|
| no filters (journey SQL compiled)          | 4.5 s                  | 3.1 s                  |
| other dates (`since=2026-01-01`)           | 5.0 s                  | 2.3 s                  |
| `platform=x`                               | 4.7 s                  | 1.7 s                  |
| `scorecard_progress` (3 targets, overview) | 5.3 s                  | 0.8 s (1.6 s cold)     |

In this script's table (all pages in one process, same load) Money went from 10.6 s to
7.5 s. What is left of a first view: compiling the Ibis queries of ROI, costs and customers
(journey SQL is compiled once per process), the BG/NBD and lift fits, and the Poisson draws.

Every page on the 3,000-person demo (``goodwill demo``, seed 7; ``--db`` a copy of its
warehouse), Dec 2026, first view (nothing cached, pages in this order in one process) and
warm view (cached). The machine was shared (load average 8 before, 22 after), so wall
seconds were 3-7 times the CPU seconds and only CPU seconds compare between the runs. CPU is
this process's (every thread, DuckDB's included). Before: the tree at 31b5168 plus this
script; after: filter choices and default month once per data state, dict lookups in
``score_people`` and the roster, People's tier history shared across its filters, and the
new Traffic (landing pages, devices) and People (tiers over time) charts:

| page                   | first CPU before | first CPU after | warm CPU before | warm CPU after |
|------------------------|-----------------:|----------------:|----------------:|---------------:|
| `/` (first in process) | 1.52             | 1.80            | 0.093           | 0.070          |
| `/people`              | 2.74             | 2.26            | 0.216           | 0.101          |
| `/audience`            | 0.32             | 0.31            | 0.086           | 0.070          |
| `/listening`           | 0.59             | 0.72            | 0.086           | 0.067          |
| `/care`                | 0.62             | 0.52            | 0.085           | 0.067          |
| `/traffic`             | 0.56             | 0.82 (more)     | 0.109           | 0.085          |
| `/money`               | 15.22            | 13.63           | 0.116           | 0.077          |
| `/definitions`         | 0.10             | 0.09            | 0.101           | 0.066          |
| `/items?metric=visits` | 0.29             | 0.40            | 0.299           | 0.125          |
| `/people?platform=x`   | –                | 1.10            | –               | 0.269          |

The first page of a process also pays for compiling its first Ibis queries, about 1 s CPU
(``--pages definitions,overview,people``: definitions 1.08 s, then the overview 0.67 s and
People 2.23 s). Money's first view is mostly the mix model's fit (being moved to import
time). The server computes every page in the background from the first view of the sign-in
form, so a person who signs in usually meets warm pages.

Then (Dec 2026, issue 18; same demo, seed 7, one process, first views; the mix model's fit
already stored at import in both columns; load 1.6-1.9, so wall ≈ CPU): the Money page's
model runs (every bootstrap refit of the incremental model for attribution and ROI, and the
lift) stored at import beside the warehouse (``goodwill.attribution.stored``, written by
``goodwill import``/``goodwill demo``, keyed by the runs' exact inputs and code; the figures
and the lift chart are byte-for-byte those computed in memory), and ``score_people`` grouping
by person number instead of Arrow strings (the People page's 16 scorings; same output).
Before: the tree at 80f072d with pages_money, roi, scores and roster of 98d5854:

| page                   | first CPU before | first CPU after | warm CPU before | warm CPU after |
|------------------------|-----------------:|----------------:|----------------:|---------------:|
| `/` (first in process) | 1.58             | 1.49            | 0.071           | 0.066          |
| `/people`              | 1.79             | 1.42            | 0.104           | 0.216          |
| `/audience`            | 0.26             | 0.27            | 0.055           | 0.060          |
| `/listening`           | 0.60             | 0.51            | 0.056           | 0.055          |
| `/care`                | 0.46             | 0.57            | 0.062           | 0.057          |
| `/traffic`             | 0.59             | 0.58            | 0.079           | 0.076          |
| `/money`               | 7.71             | 1.28            | 0.104           | 0.184          |
| `/definitions`         | 0.07             | 0.07            | 0.053           | 0.056          |
| `/items?metric=visits` | 0.35             | 0.24            | 0.120           | 0.235          |
| `/people?platform=x`   | 0.94             | 0.77            | 0.233           | 0.252          |

A Money view the store does not hold (another platform, campaign or period; or the data or
the attribution code changed since the import) computes its runs as before (7-8 s CPU for the
default view) and says so on the page; ``platform=x`` reuses the stored ROI runs (2.9 s
instead of 7.3 s, measured with the page builder alone). Store the runs first with
``goodwill import``/``goodwill demo``, or for an existing warehouse
``goodwill.web.dashboard.pages_money.store_money_credits``.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from goodwill.importer import import_paths
from goodwill.mmm.store import store_fit
from goodwill.simulate import DemoSpec, simulate
from goodwill.warehouse import Warehouse
from goodwill.web.app import create_app
from goodwill.web.dashboard.pages_money import store_money_credits
from goodwill.web.dashboard.routes import NAV, PAGES
from goodwill.web.dashboard.users import add_user

USER, PASSWORD = "bench", "benchmark password"


def _timed(c: TestClient, url: str) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds of this process (every thread: the test client runs the page
    in a worker thread) and bytes of one GET."""
    wall, cpu = time.perf_counter(), time.process_time()
    resp = c.get(url)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert resp.status_code == 200, (url, resp.status_code, resp.text[:300])
    return wall, cpu, len(resp.content)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--people", type=int, default=300)
    ap.add_argument("--db", type=Path, help="use this warehouse instead of simulating one")
    ap.add_argument(
        "--query",
        default="",
        help="filters added to every page, e.g. 'platform=x' (the Money page's filters)",
    )
    ap.add_argument("--pages", default="", help="comma-separated page names (default: every page)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="goodwill-dash-"))
    db = args.db or tmp / "goodwill.duckdb"
    if args.db is None:
        simulate(DemoSpec(people=args.people), tmp / "data")
        with Warehouse.open(db) as wh:
            import_paths(wh, [tmp / "data"], show_progress=False)
            # what goodwill import stores for the report and the Money page
            print(store_fit(wh.ibis(), wh.path))
            print(store_money_credits(wh))
    with Warehouse.open(db) as wh:
        add_user(wh, USER, PASSWORD, replace=True)
    load_before = os.getloadavg()
    wall, cpu = time.perf_counter(), time.process_time()
    app = create_app(spool_dir=tmp / "spool", sites=["shop.example"], db=db, load_interval=3600)
    app.state.dashboard_warming = True  # time cold pages, no background warm-up
    rows = []
    with TestClient(app) as c:
        start = (time.perf_counter() - wall, time.process_time() - cpu)
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text)
        assert token
        r = c.post(
            "/login",
            data={"username": USER, "password": PASSWORD, "csrf_token": token.group(1)},
            follow_redirects=False,
        )
        assert r.status_code == 303
        extra = ("?" + args.query) if args.query else ""
        names = [n for n in args.pages.split(",") if n] or list(NAV)
        pages = [(name, PAGES[name][0] + extra) for name in names]
        if not args.pages:
            pages += [("items", f"/items?metric={m}") for m in ("mentions", "visits", "funnel")]
            pages.append(("people", "/people?platform=x"))  # another filter, same data
        for name, path in pages:
            api = "/api/" + name + path[len(PAGES[name][0]) :]
            load = os.getloadavg()[0]
            first, warm, api_warm = (_timed(c, u) for u in (path, path, api))
            rows.append((path, first, warm, api_warm, load))
    print(f"app start (imports done before): {start[0]:.2f} s wall, {start[1]:.2f} s CPU")
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    print(
        f"{'page':<24}{'first wall':>11}{'first CPU':>10}{'warm wall':>10}{'warm CPU':>9}"
        f"{'API warm':>9}{'HTML bytes':>11}{'load':>6}"
    )
    for path, first, warm, api, load in rows:
        print(
            f"{path:<24}{first[0]:>11.2f}{first[1]:>10.2f}{warm[0]:>10.3f}{warm[1]:>9.3f}"
            f"{api[0]:>9.3f}{first[2]:>11,}{load:>6.1f}"
        )


if __name__ == "__main__":
    main()
