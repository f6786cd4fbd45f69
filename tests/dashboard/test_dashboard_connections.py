"""The web app's shared warehouse connection: threads open and close it at once without the
DuckDB file-handle race, and the file is free for other processes between uses."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from goodwill.web.dashboard.connections import shared_warehouse


def test_threads_share_one_connection_and_release_the_file(tmp_path: Path) -> None:
    db = tmp_path / "goodwill.duckdb"
    shared = shared_warehouse(db)
    assert shared_warehouse(tmp_path / "." / "goodwill.duckdb") is shared
    errors: list[BaseException] = []
    counts: list[int] = []

    def work() -> None:
        try:
            for _ in range(15):
                with shared.open() as wh:
                    counts.append(int(wh.query("SELECT count(*) FROM dashboard_users")[0][0]))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and counts == [0] * 90
    probe = subprocess.run(
        [sys.executable, "-c", f"import duckdb; duckdb.connect({str(db)!r}); print('free')"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.stdout.strip() == "free", probe.stderr
