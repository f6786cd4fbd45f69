"""Helpers shared by the simulator tests: the demo read back from its files."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from typing import Any

from goodwill.simulate import SimulationResult


def ts(value: str) -> datetime:
    """Parse an interchange timestamp to naive UTC."""
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    offset = dt.utcoffset()
    if offset is not None:
        dt = (dt - offset).replace(tzinfo=None)
    return dt


def handle(value: str) -> str:
    """A handle as the model compares it."""
    return value.strip().lstrip("@").lower()


class Demo:
    """One simulated demo business, read back from its files."""

    def __init__(self, result: SimulationResult) -> None:
        self.result = result
        self.dir = result.out_dir
        self.truth: dict[str, Any] = json.loads(result.ground_truth_path.read_text("utf-8"))
        self._tables: dict[str, list[dict[str, str]]] = {}

    def rows(self, table: str) -> list[dict[str, str]]:
        if table not in self._tables:
            with (self.dir / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
                self._tables[table] = list(csv.DictReader(fh))
        return self._tables[table]

    def header(self, table: str) -> list[str]:
        with (self.dir / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            return next(csv.reader(fh))
