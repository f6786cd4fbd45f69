"""A demo warehouse with hostile texts, the numbers the pages must show, and a real
``goodwill serve`` on a free loopback port (shared by the dashboard tests)."""

from __future__ import annotations

import csv
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from goodwill.importer import import_paths
from goodwill.metrics import MetricParams, run_query, scorecard
from goodwill.people.identity import resolve
from goodwill.people.roster import monthly_roster
from goodwill.report.html import default_month
from goodwill.report.summary import month_end
from goodwill.simulate import DemoSpec, simulate
from goodwill.warehouse import Warehouse
from goodwill.web.dashboard.users import add_user, create_token

USER, PASSWORD = "alice", "correct horse battery"
MONTH = date(2026, 10, 1)
HOSTILE_NAME = "<img src=x onerror=window.__pwned=1>"
HOSTILE_TEXTS = (
    "<script>window.__pwned=1</script> where is my order",
    '"><svg onload=window.__pwned=1> still waiting',
)
CONFIG = """
[scorecard]
currency = "revenue"
[scorecard.targets]
"2026-10" = 600
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _hostile_files(folder: Path) -> None:
    """A person with a hostile display name who mentions the brand twice with hostile texts."""
    folder.mkdir()
    with open(folder / "identities.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["kind", "value", "person_ref", "display_name"])
        w.writerow(["handle:x", "evil_one", "evil-1", HOSTILE_NAME])
    with open(folder / "interactions.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "platform",
                "interaction_id",
                "created_at",
                "kind",
                "direction",
                "actor_handle",
                "actor_name",
                "target_handle",
                "text",
            ]
        )
        for i, text in enumerate(HOSTILE_TEXTS, start=1):
            w.writerow(
                [
                    "x",
                    f"hostile-{i}",
                    f"2026-10-2{i}T10:00:00Z",
                    "mention",
                    "inbound",
                    "evil_one",
                    HOSTILE_NAME,
                    "fernhill",
                    text,
                ]
            )


@dataclass
class Demo:
    """The demo warehouse and what its pages must show, computed with the metric functions."""

    folder: Path
    db: Path
    config: Path
    token: str
    expected: dict[str, Any] = field(default_factory=dict)


def build_demo(folder: Path, people: int = 80) -> Demo:
    simulate(DemoSpec(people=people), folder / "data")
    _hostile_files(folder / "hostile")
    db = folder / "goodwill.duckdb"
    config = folder / "goodwill.toml"
    config.write_text(CONFIG, encoding="utf-8")
    with Warehouse.open(db) as wh:
        import_paths(wh, [folder / "data", folder / "hostile"], show_progress=False)
        resolve(wh)
        add_user(wh, USER, PASSWORD)
        _, token = create_token(wh, USER, "tests")
        backend = wh.ibis()
        rows = {r.name: r for r in scorecard(backend, month=MONTH)}
        roster = monthly_roster(wh, MONTH)
        # with no period chosen every page shows the report's default month
        shown = default_month(wh)
        assert shown is not None
        month = {"since": shown, "until": month_end(shown)}
        listening_x = run_query("listening", backend, MetricParams(platform="x", **month))
        listening_all = run_query("listening", backend, MetricParams(**month))
        expected = {
            "scorecard": {k: (r.value, r.unit) for k, r in rows.items()},
            "roster_size": len(roster.people),
            "champions": roster.people[roster.people["tier"] == "champion"]["name"].tolist(),
            "top_names": roster.people.sort_values(["score", "interactions"], ascending=False)[
                "name"
            ]
            .head(5)
            .tolist(),
            "default_month": shown,
            "mentions_month": int(listening_all["mentions"].sum()),
            "mentions_month_x": int(listening_x["mentions"].sum()),
        }
    return Demo(folder=folder, db=db, config=config, token=token, expected=expected)


@dataclass
class Server:
    """A running ``goodwill serve`` on the demo warehouse."""

    demo: Demo
    port: int
    proc: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        cmd = [
            sys.executable,
            "-m",
            "goodwill.cli",
            "serve",
            "--db",
            str(self.demo.db),
            "--spool",
            str(self.demo.folder / "spool"),
            "--site",
            "shop.example",
            "--port",
            str(self.port),
            "--load-interval",
            "3600",
        ]
        env = {**os.environ, "GOODWILL_CONFIG": str(self.demo.config)}
        self.log = self.demo.folder / "server.log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"goodwill serve exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/goodwill.js", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("goodwill serve did not start within 60 s")

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "form without a csrf_token field"
    return found.group(1)


def sign_in(c: TestClient) -> None:
    token = csrf_of(c.get("/login").text)
    r = c.post(
        "/login",
        data={"username": USER, "password": PASSWORD, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
