"""A real goodwill server (``goodwill serve``) on a free loopback port, as a subprocess."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

SITE = "shop.example"
BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0 Safari/537.36"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    """A running ``goodwill serve``."""

    db: Path
    spool: Path
    port: int
    proc: subprocess.Popen[bytes] | None = None
    load_interval: float = 0.3
    extra_args: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if not self.db.exists():  # `goodwill serve` needs a warehouse made by `goodwill init`
            from goodwill.warehouse import Warehouse

            Warehouse.open(self.db).close()
        cmd = [
            sys.executable,
            "-m",
            "goodwill.cli",
            "serve",
            "--db",
            str(self.db),
            "--spool",
            str(self.spool),
            "--site",
            SITE,
            "--port",
            str(self.port),
            "--load-interval",
            str(self.load_interval),
            *self.extra_args,
        ]
        env = {**os.environ, "GOODWILL_CONFIG": str(self.db.parent / "none.toml")}
        self.proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 180  # waits for the server, bounded for loaded machines
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise RuntimeError(f"server exited: {err}")
            try:
                if httpx.get(self.url + "/goodwill.js", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start within 180 s")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.proc.stderr:
            self.proc.stderr.close()
        self.proc = None
