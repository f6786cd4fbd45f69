"""The ``goodwill`` command line (Typer + rich). Thin: every command calls into the package.

A user error (bad file, bad option value) prints one line saying what and where and exits
with status 2; no traceback.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table as RichTable

from goodwill.commands import register_all
from goodwill.commands.common import (
    ByOption,
    DbOption,
    FormatOption,
    MetricGroupsCommand,
    PlatformOption,
    SinceOption,
    UntilOption,
    cli_config,
    console,
    err,
    metric_params,
    parse_format,
    parse_month,
    user_errors,
    warn_if_unresolved,
)
from goodwill.config import validate_currency
from goodwill.output import format_value, render_frame
from goodwill.warehouse import Warehouse, default_db_path

__all__ = ["app"]

app = typer.Typer(
    name="goodwill",
    help="Measure the return on investment and on relationships of social media.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,  # help texts are plain: "[default: ...]" must not vanish as markup
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        console.print(f"goodwill {version('goodwill')}", highlight=False)
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    wide: Annotated[
        bool,
        typer.Option(
            "--wide",
            help="Print each table whole however wide (by default a table wider than the "
            "terminal, or 80 columns when not a terminal, is printed in parts).",
        ),
    ] = False,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="Where the read commands run their queries: duckdb (the warehouse file) or "
            "spark (its Parquet copy; overrides the setting engine, see docs/spark.md).",
        ),
    ] = None,
) -> None:
    """Measure the return on investment and on relationships of social media."""
    console.width = 100_000 if wide else None  # type: ignore[assignment]
    if engine is not None:
        _use_engine(ctx, engine)


def _use_engine(ctx: typer.Context, engine: str) -> None:
    """``--engine``: the setting ``engine`` for this command (``$GOODWILL_ENGINE``, put back
    when the command ends, so an in-process run leaves nothing behind)."""
    import os

    from goodwill.engine import ENGINES

    if engine.lower() not in ENGINES:
        raise typer.BadParameter(
            f"{engine!r}: expected {' or '.join(ENGINES)}", param_hint="--engine"
        )
    before = os.environ.get("GOODWILL_ENGINE")
    os.environ["GOODWILL_ENGINE"] = engine.lower()

    def restore() -> None:
        if before is None:
            os.environ.pop("GOODWILL_ENGINE", None)
        else:
            os.environ["GOODWILL_ENGINE"] = before

    ctx.call_on_close(restore)


@app.command()
@user_errors
def init(db: DbOption = None) -> None:
    """Create the warehouse (every table of the canonical model) if it does not exist."""
    path = db or default_db_path()
    with Warehouse.open(path) as wh:
        console.print(f"warehouse {path} ready (schema version {wh.schema_version()})")


@app.command("import")
@user_errors
def import_(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Interchange files, exports (see `goodwill sources`), folders, zips."),
    ],
    db: DbOption = None,
    currency: Annotated[
        str | None, typer.Option(help="Reporting currency (default: config, else USD).")
    ] = None,
    format: Annotated[
        str | None,
        typer.Option("--format", help="Read every path as this format (see `goodwill sources`)."),
    ] = None,
    map_: Annotated[
        str | None,
        typer.Option("--map", help="Column mapping for CSV exports: canonical=Header,..."),
    ] = None,
    table: Annotated[
        str | None,
        typer.Option("--table", help="Read a CSV into this canonical table (--map, --set)."),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="With --table: a column's value on every row, column=value."),
    ] = None,
    date_order: Annotated[
        str | None,
        typer.Option("--date-order", help="Dates like 03/04/2026: dmy (day first) or mdy."),
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Exit with status 1 when any row was quarantined (the rest loads)."
        ),
    ] = False,
    resolve_people: Annotated[
        bool,
        typer.Option(
            "--resolve/--no-resolve",
            help="Resolve identities to people after the import (`goodwill people resolve`).",
        ),
    ] = True,
    mmm: Annotated[
        bool,
        typer.Option(
            "--mmm/--no-mmm",
            help="Fit the mix model of revenue and the Money page's bootstrap intervals, and "
            "store them for the report and dashboard.",
        ),
    ] = True,
) -> None:
    """Import interchange files (CSV, JSONL, Parquet) and exports in one transaction, then
    recompute what depends on settings and resolve people. Quarantined rows are listed and
    the valid rows load; the exit status is 0 unless --strict (then 1)."""
    from goodwill.commands.sources import import_options
    from goodwill.derived import refresh_derived
    from goodwill.importer import import_paths
    from goodwill.people.identity import resolve
    from goodwill.sources.context import parse_mapping

    mapping = parse_mapping(map_)
    cfg = cli_config(db)
    format, options = import_options(format, table, set_, date_order, cfg.sources)
    cur = validate_currency(currency, where="--currency") if currency else cfg.currency
    with Warehouse.open(db) as wh:
        summary = import_paths(
            wh,
            paths,
            currency=cur,
            site_host=cfg.site_host,
            console=err,
            show_progress=progress,
            format=format,
            mapping=mapping,
            options=options,
        )
        print_import_summary(summary)
        refresh_derived(wh, cfg)
        if resolve_people:
            s = resolve(wh, decorations=cfg.name_decorations)
            err.print(
                f"people resolved: {s.identities:,} identities → {s.people:,} people",
                highlight=False,
            )
        if mmm:
            from goodwill.mmm.store import store_fit

            err.print(store_fit(wh.ibis(), wh.path), highlight=False)
            from goodwill.web.dashboard.pages_money import store_money_credits

            err.print(store_money_credits(wh), highlight=False)  # the Money page reads it
        if cfg.engine == "spark":  # the read commands read the Parquet copy (docs/spark.md)
            from goodwill.engine import spark

            where = spark.location(cfg, wh.path)
            err.print(spark.publish(wh.con, where, remote=cfg.spark_remote), highlight=False)
    if summary.rows_quarantined:
        err.print(
            f"[yellow]{summary.rows_quarantined:,} row(s) quarantined[/]: the other rows were "
            + ("imported; exit status 1 (--strict)" if strict else "imported"),
            highlight=False,
        )
        if strict:
            raise typer.Exit(1)


def print_import_summary(summary: object) -> None:
    from goodwill.importer import ImportSummary

    assert isinstance(summary, ImportSummary)
    table = RichTable(title=f"import {summary.import_id}", header_style="bold")
    for col in ("file", "table", "read", "loaded", "new", "dupes", "quarantined"):
        table.add_column(col, justify="left" if col in ("file", "table") else "right")
    for f in summary.files:
        fmt = summary.formats.get(f.source)
        table.add_row(
            Path(f.source).name + (f" ({fmt})" if fmt else ""),
            f.table,
            *(format_value(v) for v in (f.rows_read, f.loaded, f.new, f.duplicates, f.quarantined)),
        )
    console.print(table)
    for source, reasons in summary.skipped.items():
        parts = ", ".join(f"{n:,} {r}" for r, n in sorted(reasons.items(), key=lambda x: -x[1]))
        console.print(
            f"{Path(source).name}: left out {sum(reasons.values()):,} record(s): {parts}",
            highlight=False,
        )
    if summary.ignored:
        shown = ", ".join(Path(p).name for p in summary.ignored[:5])
        more = f" and {len(summary.ignored) - 5} more" if len(summary.ignored) > 5 else ""
        console.print(f"ignored (not data): {shown}{more}", highlight=False)
    if summary.rows_quarantined:
        console.print(
            f"[yellow]{summary.rows_quarantined} row(s) quarantined[/] "
            f"(see `goodwill quarantine --import-id {summary.import_id}`); first reasons:"
        )
        for f in summary.files:
            for reason in f.reasons[:5]:
                console.print(f"  {Path(f.source).name}: {reason}", highlight=False)


@app.command()
@user_errors
def quarantine(
    db: DbOption = None,
    import_id: Annotated[str | None, typer.Option(help="Only this import.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 50,
    format: FormatOption = "table",
) -> None:
    """List quarantined input rows with their file (and the file inside an export), line,
    column and reason."""
    from goodwill.engine import duckdb as duck

    fmt = parse_format(format)
    with Warehouse.open(db, read_only=True) as wh:
        df = duck.quarantine_frame(wh.con, import_id, limit)
    render_frame(df, fmt, console=console, title="quarantine")


@app.command(cls=MetricGroupsCommand)
@user_errors
def metrics(
    name: Annotated[
        str,
        typer.Argument(
            help="Metric group (audience, engagement, ...); with --items a list of rows "
            "(answered, visits, ...) or a count (care.answered)."
        ),
    ],
    db: DbOption = None,
    by: ByOption = "month",
    platform: PlatformOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    format: FormatOption = "table",
    items: Annotated[
        bool, typer.Option("--items", help="List the rows (people, visits, ...) behind the count.")
    ] = False,
    row: Annotated[
        list[str] | None,
        typer.Option(
            "--row",
            metavar="KEY=VALUE",
            help="With --items: narrow to one row of the count (repeat): period=YYYY-MM-DD, "
            "platform, campaign, channel, source, account, code, step, milestone, days, post, "
            "reaction, segment, month, from_tier, to_tier, message.",
        ),
    ] = None,
    sql: Annotated[
        bool,
        typer.Option("--sql", help="Print the SQL the query (or list) compiles to; run nothing."),
    ] = False,
) -> None:
    """Compute a metric group (see docs/metrics.md for every definition), list the rows
    behind a count (--items), or print the SQL it runs (--sql)."""
    from goodwill.metrics import QUERIES, get_query

    fmt = parse_format(format)
    params = metric_params(
        by=by, platform=platform.lower() if platform else None, since=since, until=until
    )
    if items or row:
        _metric_items(name, db, params, row or [], fmt, sql=sql)
        return
    query = get_query(name)
    with Warehouse.open(db, read_only=True) as wh:
        if sql:
            typer.echo(query.sql(wh.ibis(), params))
            return
        if any(m.unit == "people" for m in query.metrics):
            warn_if_unresolved(wh)  # a count of people depends on identity resolution
        if name.startswith(("traffic", "funnel", "link_clicks")):
            from goodwill.commands.enrich import note_stale_derived

            note_stale_derived(wh, cli_config(db))  # visit channels depend on site_host
        df = query.run(wh.ibis(), params)
    units = {m.name: m.unit for m in QUERIES[name].metrics}
    code = cli_config(db).currency if fmt == "table" and "currency" in units.values() else None
    render_frame(df, fmt, console=console, title=name, units=units, currency=code)


def _metric_items(
    name: str, db: Path | None, params: Any, row: list[str], fmt: Any, *, sql: bool
) -> None:
    """``goodwill metrics NAME --items [--row KEY=VALUE ...] [--sql]``."""
    from goodwill.errors import UserInputError
    from goodwill.metrics.items import get_items, items_sql, narrow, run_items

    keys: dict[str, str] = {}
    for given in row:
        key, sep, value = given.partition("=")
        if not sep or not key.strip():
            raise UserInputError(f"--row {given!r}: expected KEY=VALUE")
        keys[key.strip()] = value.strip()
    listed = get_items(name)
    narrowed, keys = narrow(name, params, keys)
    with Warehouse.open(db, read_only=True) as wh:
        if sql:
            typer.echo(items_sql(name, wh.ibis(), narrowed, keys))
            return
        if listed.person is not None:
            warn_if_unresolved(wh)  # who a row's person is depends on identity resolution
        df = run_items(name, wh.ibis(), narrowed, keys)
    render_frame(df, fmt, console=console, title=f"{name}: {len(df):,} rows")


def note_unlabelled(wh: Warehouse) -> None:
    """On stderr, say how many texts have no sentiment/intent label (a report only reads:
    ``goodwill enrich-labels`` labels them)."""
    from goodwill.report.html import unlabelled_texts

    n = unlabelled_texts(wh)
    if n:
        err.print(
            f"[yellow]note:[/] {n:,} texts have no sentiment or intent label yet: the report "
            "leaves them out of sentiment and care until `goodwill enrich-labels --new-only` runs"
        )


@app.command()
@user_errors
def report(
    db: DbOption = None,
    month: Annotated[
        str | None, typer.Option(help="Month to report, YYYY-MM [default: the last with data].")
    ] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="html, or pdf (also writes the HTML beside it) [default: from --out's "
            "suffix, else html].",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="File to write [default: report.html or report.pdf].")
    ] = None,
    replicates: Annotated[
        int, typer.Option(min=10, help="Bootstrap replicates of page one's intervals.")
    ] = 100,
    email: Annotated[
        list[str] | None,
        typer.Option(
            "--email",
            metavar="TO",
            help="Also e-mail the report to TO (repeat or separate by commas), through the "
            "SMTP server of the smtp section of goodwill.toml (docs/report.md).",
        ),
    ] = None,
) -> None:
    """Write the executive report: one self-contained HTML file, or a PDF of it. Scorecard
    currency and targets come from [scorecard] in goodwill.toml ($GOODWILL_CONFIG)."""
    from goodwill.errors import UserInputError
    from goodwill.report.html import write_report
    from goodwill.report.pdf import html_to_pdf

    fmt = format or ("pdf" if out is not None and out.suffix.lower() == ".pdf" else "html")
    if fmt not in ("html", "pdf"):
        raise UserInputError(f"--format {fmt!r}: choose html or pdf")
    target = out or Path(f"report.{fmt}")
    html_path = target if fmt == "html" else target.with_suffix(".html")
    if fmt == "pdf" and html_path == target:
        raise UserInputError(f"--out {target}: a PDF needs a file name not ending in .html")
    from goodwill.commands.enrich import note_stale_derived

    cfg = cli_config(db)
    config_path = cfg.path
    mail = None
    if email:  # check the recipients and the [smtp] settings before the work
        from goodwill.report.delivery import load_smtp_settings, parse_recipients

        mail = (parse_recipients(email), load_smtp_settings(config_path))
    with Warehouse.open(db, create=False, read_only=True) as wh:
        note_stale_derived(wh, cfg)  # visit channels computed with another site_host
        warn_if_unresolved(wh)  # a read: people as the last `goodwill people resolve` left them
        note_unlabelled(wh)
        path = write_report(
            wh, html_path, month=parse_month(month), config_path=config_path, replicates=replicates
        )
    if fmt == "pdf":
        path = html_to_pdf(path, target)
        console.print(f"report written to {path} (and {html_path})")
    else:
        console.print(f"report written to {path}")
    if mail is not None:
        from goodwill.report.delivery import email_report

        email_report(mail[1], mail[0], html_path, pdf=path if fmt == "pdf" else None)
        console.print(f"report e-mailed to {', '.join(mail[0])} through {mail[1].host}")


@app.command()
@user_errors
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the demo's files.")] = Path("demo"),
    db: DbOption = None,
    seed: Annotated[int, typer.Option(help="Random seed of the simulation.")] = 7,
    people: Annotated[int, typer.Option(help="How many people the business meets.")] = 3000,
    scale: Annotated[
        int | None,
        typer.Option(help="Only write canonical Parquet with N interactions (benchmarks)."),
    ] = None,
    report_path: Annotated[
        Path | None, typer.Option("--report", help="Report file [default: OUT/report.html].")
    ] = None,
) -> None:
    """Simulate the demo business, import it, print the scorecard and write the report."""
    from goodwill.simulate import DemoSpec, simulate, write_scale

    t0 = time.perf_counter()
    if scale is not None:
        counts = write_scale(scale, out, seed=seed)
        console.print(
            f"wrote {', '.join(f'{n:,} {t}' for t, n in counts.items())} to {out} "
            f"in {time.perf_counter() - t0:.1f}s"
        )
        return
    from goodwill.importer import import_paths
    from goodwill.metrics import scorecard
    from goodwill.report.demo_config import write_demo_config as demo_toml
    from goodwill.report.html import write_report
    from goodwill.sources.context import set_visitor_salt

    spec = DemoSpec(seed=seed, people=people)
    result = simulate(spec, out, native=True)
    console.print(
        f"simulated {spec.months} months of the demo business into {out} "
        f"({sum(result.counts.values()):,} rows, {time.perf_counter() - t0:.1f}s)"
    )
    db_path = db or (out / "goodwill.duckdb")
    if db_path.exists():
        db_path.unlink()
    with Warehouse.open(db_path) as wh:
        set_visitor_salt(wh, result.visitor_salt)  # the access log's visitor ids use it
        summary = import_paths(
            wh, [out], currency="USD", console=err, show_progress=sys.stderr.isatty()
        )
        print_import_summary(summary)
        from goodwill.people.identity import resolve

        resolve(wh)  # people are counted as resolved persons, as in the report's roster
        from goodwill.enrich.sentiment import enrich_labels

        enrich_labels(wh, relabel=False)  # the report reads sentiment and intent labels
        from goodwill.mmm.store import store_fit

        err.print(store_fit(wh.ibis(), wh.path), highlight=False)  # the report reads it
        from goodwill.web.dashboard.pages_money import store_money_credits

        err.print(store_money_credits(wh), highlight=False)  # the Money page reads it
        rows = scorecard(wh.ibis())
        print_scorecard(rows)
        path = write_report(
            wh, report_path or out / "report.html", config_path=demo_toml(out, spec)
        )
    console.print(f"report written to {path} (total {time.perf_counter() - t0:.1f}s)")


def print_scorecard(rows: Sequence[object]) -> None:
    table = RichTable(title="scorecard", header_style="bold")
    for col in ("metric", "this month", "previous", "change"):
        table.add_column(col, justify="left" if col == "metric" else "right")
    for r in rows:
        name = getattr(r, "label", "")
        unit = getattr(r, "unit", "")
        change = getattr(r, "change", None)
        table.add_row(
            str(name),
            format_value(getattr(r, "value", None), unit),
            format_value(getattr(r, "previous", None), unit),
            "–" if change is None else f"{change:+.1%}",
        )
    console.print(table)


register_all(app)

if __name__ == "__main__":  # pragma: no cover
    app()
