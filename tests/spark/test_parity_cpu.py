"""The parity table's CPU seconds count a child process's CPU (a local Spark session's JVM is
one), not only this process's: on a busy machine they are the steadier figure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from goodwill.engine.parity import _cpu_seconds

BURN = """
import sys, time
while time.process_time() < 0.5:  # spin: spend 0.5 s of CPU (not of wall-clock time)
    pass
print("burnt", flush=True)
sys.stdin.readline()
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="children's CPU from /proc")
def test_cpu_seconds_count_a_running_child() -> None:
    before = _cpu_seconds()
    with subprocess.Popen(
        [sys.executable, "-c", BURN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "burnt"  # its 0.5 CPU s are spent
        spent = _cpu_seconds() - before
        child.stdin.write("\n")
        child.stdin.flush()
    # the child's 0.5 s (less a clock tick), while this process only waited
    assert spent >= 0.45
