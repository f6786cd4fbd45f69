"""``goodwill sources``: the formats ``goodwill import`` reads, one line each."""

from __future__ import annotations

import typer

from goodwill.commands.common import FormatOption, console, parse_format, user_errors
from goodwill.output import render_frame

__all__ = ["formats_markdown", "register", "source_rows"]

_INTERCHANGE = (
    "interchange",
    "all canonical tables",
    "goodwill's own files: one CSV, JSONL or Parquet file per table, named after it "
    "(docs/interchange.md)",
)


def source_rows() -> list[tuple[str, str, str]]:
    """(name, tables, description) of every format, interchange first."""
    from goodwill.sources.registry import all_formats

    rows = [_INTERCHANGE]
    for fmt in sorted(all_formats().values(), key=lambda f: f.name):
        rows.append((fmt.name, ", ".join(fmt.tables), fmt.description))
    return rows


def formats_markdown() -> str:
    """The table of formats in docs/sources/README.md (``python -m goodwill.commands.sources``
    prints it; a test fails when the README is stale)."""
    from goodwill.sources.registry import all_formats

    lines = [
        "| format | tables | description | docs |",
        "|---|---|---|---|",
        "| `interchange` | all canonical tables | goodwill's own files: one CSV, JSONL or Parquet "
        "file per table, named after it | [interchange.md](../interchange.md) |",
    ]
    for fmt in sorted(all_formats().values(), key=lambda f: f.name):
        doc = fmt.docs.removeprefix("docs/sources/")
        link = f"[{doc}]({doc})" if doc else ""
        lines.append(f"| `{fmt.name}` | {', '.join(fmt.tables)} | {fmt.description} | {link} |")
    return "\n".join(lines) + "\n"


def register(app: typer.Typer) -> None:
    @app.command("sources")
    @user_errors
    def sources(format: FormatOption = "table") -> None:
        """List the formats `goodwill import` recognises (use a name with --format)."""
        import pandas as pd

        fmt = parse_format(format)
        df = pd.DataFrame(source_rows(), columns=["format", "tables", "description"])
        render_frame(df, fmt, console=console, title="import formats")


if __name__ == "__main__":  # pragma: no cover
    print(formats_markdown(), end="")
