"""Loading an adapter's output into the warehouse through :class:`goodwill.load.Loader`.

Live sync (:mod:`.sync`) loads one page of API results at a time, in the caller's
transaction, through exactly the validation, quarantine and merge steps an imported file
goes through (:func:`goodwill.importer.adapter_batches` turns each table of the
:class:`~.adapters.AdapterOutput` into loader batches).
"""

from __future__ import annotations

from pathlib import Path

from goodwill.load import FileLoadResult, Loader
from goodwill.model import IMPORT_ORDER, table
from goodwill.sources.adapters import AdapterOutput
from goodwill.sources.interchange import SourceFile

__all__ = ["load_output"]


def load_output(loader: Loader, output: AdapterOutput, source: str) -> list[FileLoadResult]:
    """Validate and merge every table of ``output`` (in import order); ``source`` names where
    the rows came from in quarantine (a file, or a page of an API)."""
    from goodwill.importer import adapter_batches

    results = []
    for name in IMPORT_ORDER:
        if output.tables.get(name) or output.rejected.get(name):
            sf = SourceFile(path=Path(source), table=table(name), format="jsonl")
            results.append(loader.load_file(sf, adapter_batches(sf, output)))
    return results
