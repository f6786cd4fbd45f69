"""The demo business in the formats users really have (platform exports, logs, CRM CSVs).

``simulate(..., native=True)`` first renders every canonical table as interchange rows, then
hands them to each exporter in :data:`EXPORTERS`. An exporter writes files in one external
format under ``out/exports/`` and says which interchange rows those files now carry; those rows
are left out of the interchange CSVs, so that ``goodwill demo`` imports each fact exactly once,
through the same adapters a user's data goes through.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["EXPORTERS", "ExportInput", "ExportResult", "Exporter", "load_exporters"]

SimRow = dict[str, str | None]


@dataclass(frozen=True)
class ExportInput:
    """What an exporter gets: the simulated business as interchange rows."""

    tables: Mapping[str, Sequence[SimRow]]
    """Canonical table name -> rows, exactly as they would be written to ``<table>.csv``."""
    out_dir: Path
    """The folder to write export files into (``<demo out>/exports``; it exists)."""
    seed: int
    """The demo's seed, for any randomness an exporter needs (user agents, IPs)."""
    visitor_salt: bytes = b""
    """The salt the demo's warehouse will use for pseudonymous visitor ids."""


@dataclass
class ExportResult:
    """What an exporter wrote."""

    paths: list[Path] = field(default_factory=list)
    covered: dict[str, set[int]] = field(default_factory=dict)
    """Table name -> positions (in ``ExportInput.tables[name]``) of the rows the written files
    carry; they are left out of the interchange CSVs."""
    extra: dict[str, list[SimRow]] = field(default_factory=dict)
    """Interchange rows to add that the export format needs alongside (rare: e.g. identity
    rows tying a log's pseudonymous visitor ids to the people the demo knows)."""


Exporter = Callable[[ExportInput], ExportResult]

EXPORTERS: tuple[str, ...] = (
    # "module:function", in the order they run
    # -- social platforms --
    # -- business sources --
)


def load_exporters() -> list[Exporter]:
    out: list[Exporter] = []
    for ref in EXPORTERS:
        mod, _, fn = ref.partition(":")
        out.append(getattr(importlib.import_module(mod), fn))
    return out
