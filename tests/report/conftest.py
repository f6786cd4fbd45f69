"""A small simulated demo business plus one hostile member of the public, imported, and its
report for September 2026 written once by ``goodwill report`` (as PDF with the HTML beside it,
or HTML alone when no Chromium is installed), shared by the report tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from report_support import REPLICATES, ReportDemo, hostile
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.enrich.sentiment import enrich_labels
from goodwill.importer import import_paths
from goodwill.people.identity import resolve
from goodwill.report.demo_config import write_demo_config
from goodwill.report.pdf import chromium_path
from goodwill.simulate import DemoSpec, simulate
from goodwill.warehouse import Warehouse


@pytest.fixture(scope="session")
def report_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReportDemo]:
    out = tmp_path_factory.mktemp("report_demo")
    spec = DemoSpec(people=150)
    result = simulate(spec, out / "files")
    config = write_demo_config(out, spec)
    db = out / "goodwill.duckdb"
    with Warehouse.open(db) as wh:
        import_paths(wh, [*result.files, hostile(out / "hostile")], show_progress=False)
        resolve(wh)  # as `goodwill import` does at its end: the report only reads
        enrich_labels(wh, relabel=False)  # as `goodwill enrich-labels --new-only`
    fmt = "pdf" if chromium_path() else "html"
    target = out / f"september.{fmt}"
    # no --format: the .pdf suffix of --out asks for a PDF
    args = ["report", "--db", str(db), "--month", "2026-09"]
    args += ["--out", str(target), "--replicates", str(REPLICATES)]
    run = CliRunner().invoke(app, args, env={"GOODWILL_CONFIG": str(config)})
    assert run.exit_code == 0, run.output
    yield ReportDemo(
        out=out,
        db=db,
        config=config,
        html=target.with_suffix(".html"),
        pdf=target if fmt == "pdf" else None,
        cli_output=" ".join(run.output.split()),
    )
