"""The spool's durability modes (issue 19, item 2): ``interval`` acknowledges after ``write``
and syncs in the background, ``always`` acknowledges after ``fsync``; either way a killed
process loses no acknowledged event. Every wait here is on a condition."""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from goodwill.config import load_config
from goodwill.errors import UserInputError
from goodwill.web.app import create_app
from goodwill.web.spool import Spool, read_segment, seal_orphans

SITE = "shop.example"
UA = {"user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36"}


def ev(event_id: str) -> dict[str, str]:
    return {
        "event_id": event_id,
        "kind": "pageview",
        "site": SITE,
        "occurred_at": "2026-01-01T10:00:00",
        "visitor_id": "v1",
        "url": "https://shop.example/",
    }


def wait_until(condition: object, what: str, bound_s: float = 120) -> None:
    """Wait for ``condition()`` (a generous bound for a loaded machine, not a timing)."""
    deadline = time.monotonic() + bound_s
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.01)


CHILD = """
import sys
from pathlib import Path
from goodwill.web.spool import Spool
sp = Spool(Path(sys.argv[1]), durability="interval", fsync_interval=3600)
i = 0
while True:
    sp.append({"event_id": f"e{i}", "kind": "pageview", "site": "shop.example",
               "occurred_at": "2026-01-01T10:00:00", "visitor_id": "v1"})
    print(f"e{i} {sp.batches}", flush=True)  # acknowledged, and how many fsyncs so far
    i += 1
"""


def test_interval_mode_loses_no_acknowledged_event_to_sigkill(tmp_path: Path) -> None:
    """Acknowledged events are in the file although nothing was ever fsync'd: the data
    written is the kernel's, not the killed process's."""
    spool = tmp_path / "spool"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(spool)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    acked: list[str] = []
    fsyncs: set[str] = set()
    for line in child.stdout:
        event_id, batches = line.split()
        acked.append(event_id)
        fsyncs.add(batches)
        if len(acked) == 2000:
            break
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    for line in child.stdout.read().splitlines():  # acknowledged before the kill, unread
        parts = line.split()
        if len(parts) == 2:  # not a line torn by the kill
            acked.append(parts[0])
            fsyncs.add(parts[1])
    child.stdout.close()
    assert fsyncs == {"0"}  # not one fsync before the acknowledgements
    sealed = seal_orphans(spool)
    assert len(sealed) == 1
    stored = [e["event_id"] for e in read_segment(sealed[0])]
    assert stored[: len(acked)] == acked
    assert len(stored) - len(acked) <= 1  # at most the one written but not yet acknowledged


def test_interval_mode_syncs_in_the_background(tmp_path: Path) -> None:
    sp = Spool(tmp_path / "spool", durability="interval", fsync_interval=0.05)
    try:
        for i in range(3):
            sp.append(ev(f"e{i}"))
        assert sp.written == 3
        # readable at once, before any fsync
        (open_,) = sorted((tmp_path / "spool").glob("events-*.open"))
        assert [e["event_id"] for e in read_segment(open_)] == ["e0", "e1", "e2"]
        wait_until(lambda: sp.synced == 3, "the background fsync")
        assert sp.batches >= 1
        before = sp.batches
        sp.sync()  # nothing written since: nothing to sync
        assert sp.batches == before
        sp.append(ev("e3"))
        wait_until(lambda: sp.synced == 4, "the next background fsync")
        assert sp.batches > before
    finally:
        sp.close()


def test_a_segment_sealed_in_interval_mode_is_synced_and_closed(tmp_path: Path) -> None:
    fds = Path("/proc/self/fd")
    sp = Spool(tmp_path / "spool", durability="interval", fsync_interval=3600)
    try:
        open_before = len(list(fds.iterdir()))
        sp.append(ev("a"))
        sp.rotate()  # sealed while its fsync is still due
        (sealed,) = sorted((tmp_path / "spool").glob("events-*.jsonl"))
        assert [e["event_id"] for e in read_segment(sealed)] == ["a"]
        assert sp.synced == 0
        sp.sync()
        assert (sp.synced, sp.batches) == (1, 1)
        assert len(list(fds.iterdir())) == open_before  # the sealed segment's file is closed
    finally:
        sp.close()


def test_always_mode_acknowledges_after_the_fsync(tmp_path: Path) -> None:
    sp = Spool(tmp_path / "spool", durability="always")
    try:
        sp.submit(ev("a")).result(timeout=60)
        assert sp.synced == sp.written == 1
        assert sp.batches == 1

        async def many() -> None:
            await asyncio.gather(*(sp.write(ev(f"b{i}")) for i in range(200)))

        asyncio.run(many())
        assert sp.synced == sp.written == 201
        assert sp.batches <= 201  # concurrent events share fsyncs
    finally:
        sp.close()
    (sealed,) = sorted((tmp_path / "spool").glob("events-*.jsonl"))
    assert len(list(read_segment(sealed))) == 201


def test_a_spool_that_cannot_be_written_answers_503(tmp_path: Path) -> None:
    app = create_app(spool_dir=tmp_path / "spool", sites=[SITE], db=None)
    client = TestClient(app)
    assert client.post("/api/event", json={"site": SITE}, headers=UA).status_code == 202
    app.state.collector.spool.rotate()  # as the loader does: the next event opens a segment
    shutil.rmtree(tmp_path / "spool")  # the folder is gone: no segment can be opened
    r = client.post("/api/event", json={"site": SITE}, headers=UA)
    assert r.status_code == 503, r.text
    assert r.json()["reason"] == "spool_unavailable"
    assert r.headers["x-content-type-options"] == "nosniff"
    stats = client.get("/api/stats").json()
    assert stats["counters"]["accepted"] == 1
    assert stats["counters"]["failed:spool"] == 1
    assert any("could not be written to the spool" in p for p in stats["problems"])
    assert stats["spool"]["durability"] == "interval"


@pytest.mark.parametrize("mode", ["interval", "always"])
def test_every_mode_answers_with_the_event_in_the_file(tmp_path: Path, mode: str) -> None:
    app = create_app(spool_dir=tmp_path / "spool", sites=[SITE], db=None, spool_fsync=mode)
    with TestClient(app) as client:  # the lifespan: the spool is closed (sealed) at the end
        r = client.post("/api/event", json={"site": SITE}, headers=UA)
        assert r.status_code == 202, r.text
        event_id = r.json()["event_id"]
        (segment,) = sorted((tmp_path / "spool").glob("events-*.open"))
        assert [e["event_id"] for e in read_segment(segment)] == [event_id]
        assert client.get("/api/stats").json()["spool"]["durability"] == mode
    (sealed,) = sorted((tmp_path / "spool").glob("events-*.jsonl"))  # sealed at shutdown
    assert [e["event_id"] for e in read_segment(sealed)] == [event_id]


def test_durability_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GOODWILL_SPOOL_FSYNC", "GOODWILL_SPOOL_FSYNC_INTERVAL"):
        monkeypatch.delenv(name, raising=False)
    f = tmp_path / "goodwill.toml"
    f.write_text("[goodwill]\ncurrency = 'EUR'\n", encoding="utf-8")
    cfg = load_config(f)
    assert (cfg.spool_fsync, cfg.spool_fsync_interval) == ("interval", 1.0)
    f.write_text("[goodwill]\nspool_fsync = 'always'\nspool_fsync_interval = 0.2\n")
    cfg = load_config(f)
    assert (cfg.spool_fsync, cfg.spool_fsync_interval) == ("always", 0.2)
    monkeypatch.setenv("GOODWILL_SPOOL_FSYNC", "interval")
    assert load_config(f).spool_fsync == "interval"
    monkeypatch.delenv("GOODWILL_SPOOL_FSYNC")
    for bad, named in (
        ("spool_fsync = 'sometimes'", "spool_fsync"),
        ("spool_fsync_interval = 0", "spool_fsync_interval"),
        ("spool_fsync_interval = 'soon'", "spool_fsync_interval"),
    ):
        f.write_text(f"[goodwill]\n{bad}\n", encoding="utf-8")
        with pytest.raises(UserInputError, match=named) as exc:
            load_config(f)
        assert str(f) in str(exc.value)
