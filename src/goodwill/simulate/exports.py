"""The demo business in the formats users really have (platform exports, logs, CRM CSVs).

``simulate(..., native=True)`` first renders every canonical table as interchange rows, then
hands them to each exporter in :data:`EXPORTERS`. An exporter writes files in one external
format under ``out/exports/`` and says which interchange rows those files now carry; those rows
are left out of the interchange CSVs, so that ``goodwill demo`` imports each fact exactly once,
through the same adapters a user's data goes through.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "EXPORTERS",
    "EXPORTS_DIR",
    "ExportInput",
    "ExportResult",
    "Exporter",
    "demo_visitor_salt",
    "load_exporters",
    "run_exporters",
]

EXPORTS_DIR = "exports"

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
    # -- email (before web, which takes the visits it logs out of what later exporters see) --
    "goodwill.simulate.exports_email:export_email",
    # -- web (before the rest: it rewrites the visitor ids that identities and conversions carry) --
    "goodwill.simulate.exports_web:export_access_log",
    # -- social platforms --
    "goodwill.simulate.exports_social:export_x",
    "goodwill.simulate.exports_social:export_mastodon",
    "goodwill.simulate.exports_social:export_bluesky",
    # -- business sources --
    "goodwill.simulate.exports_business:export_crm",
    "goodwill.simulate.exports_business:export_costs",
)


def load_exporters() -> list[Exporter]:
    out: list[Exporter] = []
    for ref in EXPORTERS:
        mod, _, fn = ref.partition(":")
        out.append(getattr(importlib.import_module(mod), fn))
    return out


def demo_visitor_salt(seed: int) -> bytes:
    """The visitor salt of the demo's warehouse: fixed by the seed (same spec, same bytes),
    so the access log's pseudonymous visitor ids can be computed when the demo is written."""
    return hashlib.blake2b(f"goodwill-demo-visitor-salt-{seed}".encode(), digest_size=32).digest()


def run_exporters(
    tables: Mapping[str, Sequence[SimRow]],
    out_dir: Path,
    *,
    seed: int,
    visitor_salt: bytes,
    exporters: Sequence[Exporter] | None = None,
) -> tuple[dict[str, list[SimRow]], list[Path]]:
    """Run every exporter in turn; returns the rows left for the interchange CSVs and the paths
    written.

    Each exporter sees what the previous ones left: the rows they did not cover plus the
    ``extra`` rows they added (so an exporter that rewrites ids runs before the exporters
    that write those ids into their files). Positions in ``covered`` refer to the tables the
    exporter was given.
    """
    folder = out_dir / EXPORTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    current: dict[str, list[SimRow]] = {name: list(rows) for name, rows in tables.items()}
    paths: list[Path] = []
    for export in load_exporters() if exporters is None else exporters:
        res = export(ExportInput(current, folder, seed, visitor_salt))
        paths.extend(res.paths)
        for name, positions in res.covered.items():
            rows = current.get(name, [])
            bad = [i for i in positions if not 0 <= i < len(rows)]
            if bad:
                raise ValueError(f"{export}: covered positions {bad[:5]} outside {name}")
            current[name] = [r for i, r in enumerate(rows) if i not in positions]
        for name, extra in res.extra.items():
            current.setdefault(name, []).extend(extra)
    return current, paths
