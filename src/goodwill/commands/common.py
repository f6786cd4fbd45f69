"""Helpers shared by every CLI command: options, formats, dates and the error wrapper."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from typer.core import TyperCommand

from goodwill.errors import GoodwillError, UserInputError
from goodwill.output import OutputFormat

if TYPE_CHECKING:
    from goodwill.config import Config
    from goodwill.metrics import MetricParams
    from goodwill.warehouse import Warehouse

__all__ = [
    "ByOption",
    "DbOption",
    "FormatOption",
    "MetricGroupsCommand",
    "PlatformOption",
    "SinceOption",
    "UntilOption",
    "cli_config",
    "console",
    "err",
    "metric_params",
    "parse_date",
    "parse_format",
    "parse_month",
    "user_errors",
    "warn_if_unresolved",
]

console = Console()
err = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")

DbOption = Annotated[
    Path | None,
    typer.Option("--db", envvar="GOODWILL_DB", help="Warehouse file [default: ./goodwill.duckdb]"),
]
FormatOption = Annotated[str, typer.Option("--format", help="Output format: table, csv or json.")]
ByOption = Annotated[str, typer.Option(help="Period: day, week or month.")]
PlatformOption = Annotated[str | None, typer.Option(help="Only this platform.")]
SinceOption = Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.")]
UntilOption = Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD.")]


class MetricGroupsCommand(TyperCommand):
    """A command whose ``--help`` ends with every metric group and its metrics (read from
    :data:`goodwill.metrics.QUERIES` when help is asked for, not at start-up)."""

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        from goodwill.metrics import QUERIES

        with formatter.section("Metric groups (NAME) and their metrics"):
            formatter.write_dl(
                [
                    (name, f"{q.description} [{', '.join(m.name for m in q.metrics)}]")
                    for name, q in QUERIES.items()
                ]
            )
        super().format_epilog(ctx, formatter)


def user_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn goodwill's own errors into one line on stderr and exit status 2. While the
    command runs, settings are also looked for beside its ``--db`` warehouse
    (:func:`goodwill.config.use_warehouse`)."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from goodwill.config import use_warehouse
        from goodwill.warehouse import default_db_path

        db = kwargs.get("db")
        try:
            with use_warehouse(db if isinstance(db, Path) else default_db_path()):
                return fn(*args, **kwargs)
        except GoodwillError as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper


def cli_config(db: Path | None) -> Config:
    """The settings for a command on warehouse ``db`` (the file beside it counts too); says
    on stderr which file is in use."""
    from goodwill.config import load_config
    from goodwill.warehouse import default_db_path

    cfg = load_config(db=db or default_db_path())
    if cfg.path is not None:
        err.print(f"settings: {cfg.path}", highlight=False, soft_wrap=True)
    return cfg


def parse_format(value: str, allowed: tuple[str, ...] = ("table", "csv", "json")) -> OutputFormat:
    if value not in allowed:
        raise UserInputError(f"--format {value!r}: expected {', '.join(allowed)}")
    return value  # type: ignore[return-value]


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserInputError(f"{option} {value!r}: expected a date YYYY-MM-DD") from None


def parse_month(value: str | None, option: str = "--month") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value + "-01")
    except ValueError:
        raise UserInputError(f"{option} {value!r}: expected YYYY-MM") from None


def metric_params(
    *, by: str = "month", platform: str | None = None, since: str | None, until: str | None
) -> MetricParams:
    """The metric filters from the shared ``--by``, ``--platform``, ``--since`` and
    ``--until`` options (validated: a bad value is a one-line error naming the option)."""
    from goodwill.metrics import MetricParams

    return MetricParams(
        by=by,
        platform=platform,
        since=parse_date(since, "--since"),
        until=parse_date(until, "--until"),
    )


def warn_if_unresolved(wh: Warehouse) -> bool:
    """On stderr, say that people counts use unresolved identities when an import happened
    since the last ``goodwill people resolve`` (a read-only command cannot resolve); whether
    it said so."""
    from goodwill.people.identity import is_stale, latest_import

    if not latest_import(wh) or not is_stale(wh):
        return False
    err.print(
        "[yellow]note:[/] data was imported since the last `goodwill people resolve`: people "
        "counts take new handles one by one until it runs (`goodwill import` runs it unless "
        "given --no-resolve)"
    )
    return True
