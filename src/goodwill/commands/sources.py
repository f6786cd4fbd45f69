"""``goodwill sources``: the formats ``goodwill import`` reads, one line each."""

from __future__ import annotations

from collections.abc import Mapping

import typer

from goodwill.commands.common import FormatOption, console, parse_format, user_errors
from goodwill.output import render_frame

__all__ = ["formats_markdown", "import_options", "register", "source_rows"]

_INTERCHANGE = (
    "interchange",
    "all canonical tables",
    "goodwill's own files: one CSV, JSONL or Parquet file per table, named after it "
    "(docs/interchange.md)",
)


def import_options(
    format: str | None,
    table: str | None,
    sets: list[str] | None,
    date_order: str | None,
    options: Mapping[str, str],
) -> tuple[str | None, dict[str, str]]:
    """``goodwill import``'s ``--table``, ``--set`` and ``--date-order`` as the format and the
    adapter options (over ``[sources]`` of goodwill.toml)."""
    from goodwill.errors import UserInputError
    from goodwill.sources.mapped import SET_PREFIX, TABLE_OPTION

    merged = dict(options)
    if date_order is not None:
        merged["date-order"] = date_order
    if sets and table is None and format != "mapped-csv":
        raise UserInputError("--set gives a column a constant value with --table NAME")
    if table is not None:
        if format not in (None, "mapped-csv"):
            raise UserInputError(f"--table reads with format mapped-csv, not --format {format}")
        format = "mapped-csv"
        merged[TABLE_OPTION] = table
    for i, pair in enumerate(sets or [], 1):
        column, eq, val = pair.partition("=")
        if not eq or not column.strip():
            raise UserInputError(
                f"--set #{i} {pair!r} is not column=value; expected e.g. --set platform=x"
            )
        merged[SET_PREFIX + column.strip()] = val.strip()
    return format, merged


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
