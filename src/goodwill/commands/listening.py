"""Listening and care commands: ``classify``, ``enrich-labels``, ``label``,
``train-sentiment``, ``care``, ``alerts``, ``pullthrough``, ``themes``."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from goodwill.commands.common import (
    DbOption,
    FormatOption,
    PlatformOption,
    SinceOption,
    UntilOption,
    console,
    metric_params,
    parse_date,
    parse_format,
    user_errors,
)
from goodwill.errors import UserInputError
from goodwill.output import render_frame
from goodwill.warehouse import Warehouse

__all__ = ["classify_rows", "register"]


def classify_rows(
    path: Path,
    id_column: str | None,
    text_column: str,
    model: str,
    language: str | None = None,
) -> list[dict[str, object]]:
    """``id, sentiment, sentiment_score, intent, language, model`` for every row of the CSV
    file ``path``; each text's language is detected unless ``language`` is given. Without
    ``id_column`` the id is the row's line number in the file (the header is line 1)."""
    from goodwill.enrich.sentiment import check_language, label_texts, sentiment_model
    from goodwill.text.intent import intent_of

    sentiment_model(model)
    check_language(language)
    if not path.is_file():
        raise UserInputError(f"{path}: no such file; give a CSV file with a header row")
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        for option, column in (("--id-column", id_column), ("--text-column", text_column)):
            if column is not None and column not in header:
                raise UserInputError(
                    f"{path}: {option} {column!r} is not a column; the columns are "
                    f"{', '.join(header) or '(none)'}"
                )
        records: list[dict[str, str]] = []
        lines: list[int] = []
        for row in reader:
            records.append(row)
            lines.append(reader.line_num)
    texts = [row[text_column] or "" for row in records]
    labels, languages, models = label_texts(texts, model=model, language=language)
    return [
        {
            "id": row[id_column] if id_column is not None else str(line),
            "sentiment": label.sentiment,
            "sentiment_score": label.score,
            "intent": intent_of(text, label),
            "language": lang,
            "model": used,
        }
        for row, line, text, label, lang, used in zip(
            records, lines, texts, labels, languages, models, strict=True
        )
    ]


_LANGUAGE_HELP = (
    "ISO 639-1 code (en, es, fr, de, it, pt, ar, hi) for every text; default: detect each "
    "text's language."
)


def register(app: typer.Typer) -> None:
    @app.command()
    @user_errors
    def classify(
        file: Annotated[Path, typer.Argument(help="A CSV file with a header row.")],
        text_column: Annotated[str, typer.Option("--text-column", help="Column with text.")],
        id_column: Annotated[
            str | None,
            typer.Option("--id-column", help="Column with row ids (default: the line number)."),
        ] = None,
        model: Annotated[str, typer.Option(help="Sentiment model: fast or accurate.")] = "fast",
        format: Annotated[str, typer.Option("--format", help="csv or jsonl.")] = "csv",
        language: Annotated[str | None, typer.Option(help=_LANGUAGE_HELP)] = None,
    ) -> None:
        """Print the sentiment, intent and language of every row of a CSV file."""
        if format not in ("csv", "jsonl"):
            raise UserInputError(f"--format {format!r}: expected csv or jsonl")
        rows = classify_rows(file, id_column, text_column, model, language)
        if format == "jsonl":
            for row in rows:
                sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            return
        writer = csv.DictWriter(
            sys.stdout,
            fieldnames=["id", "sentiment", "sentiment_score", "intent", "language", "model"],
        )
        writer.writeheader()
        from goodwill.output import csv_cell

        writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)

    @app.command("enrich-labels")
    @user_errors
    def enrich_labels_cmd(
        db: DbOption = None,
        model: Annotated[str, typer.Option(help="Sentiment model: fast or accurate.")] = "fast",
        new_only: Annotated[bool, typer.Option(help="Only interactions without a label.")] = False,
        language: Annotated[str | None, typer.Option(help=_LANGUAGE_HELP)] = None,
    ) -> None:
        """Label the sentiment, intent and language of every text interaction."""
        from goodwill.enrich.sentiment import enrich_labels

        with Warehouse.open(db, create=False) as wh:
            n = enrich_labels(wh, model=model, relabel=not new_only, language=language)
        console.print(f"labelled {n:,} interaction(s)")

    @app.command()
    @user_errors
    def label(
        platform: Annotated[str, typer.Argument(help="Platform of the interaction.")],
        interaction_id: Annotated[str, typer.Argument(help="Its interaction_id.")],
        db: DbOption = None,
        sentiment: Annotated[
            str | None, typer.Option(help="negative, neutral or positive.")
        ] = None,
        intent: Annotated[
            str | None, typer.Option(help="complaint, question, praise or other.")
        ] = None,
        note: Annotated[str | None, typer.Option(help="Why.")] = None,
    ) -> None:
        """Correct the label of one interaction (kept in label_corrections)."""
        from goodwill.enrich.sentiment import add_correction

        with Warehouse.open(db, create=False) as wh:
            add_correction(
                wh, platform.lower(), interaction_id, sentiment=sentiment, intent=intent, note=note
            )
        console.print(f"corrected {platform}/{interaction_id}")

    @app.command("train-sentiment")
    @user_errors
    def train_sentiment(
        db: DbOption = None,
        from_corrections: Annotated[
            bool,
            typer.Option(
                "--from-corrections",
                help="Fit a brand adaptation on the label corrections (goodwill label ...).",
            ),
        ] = False,
        model: Annotated[str, typer.Option(help="Model to adapt: fast or accurate.")] = "fast",
        relabel: Annotated[
            bool, typer.Option(help="Relabel every interaction with the adapted model.")
        ] = True,
    ) -> None:
        """Adapt the sentiment model to this brand from the corrections in the warehouse."""
        from goodwill.enrich.sentiment import adapt_from_corrections, enrich_labels

        if not from_corrections:
            raise UserInputError(
                "train-sentiment: give --from-corrections (the base models are trained with "
                "`python -m goodwill.text.train fast|accurate`)"
            )
        with Warehouse.open(db, create=False) as wh:
            adaptation = adapt_from_corrections(wh, model=model)
            if adaptation is None:
                raise UserInputError(
                    "no sentiment corrections with words to learn from; correct labels first "
                    "with `goodwill label PLATFORM ID --sentiment negative|neutral|positive`"
                )
            console.print(
                f"stored {adaptation.label} ({len(adaptation.deltas)} adapted feature(s))"
            )
            if relabel:
                n = enrich_labels(wh, model=model)
                console.print(f"labelled {n:,} interaction(s) with {adaptation.label}")

    @app.command("care")
    @user_errors
    def care_cmd(
        db: DbOption = None,
        by: Annotated[
            str, typer.Option(help="Period: day, week or month; or agent (one row per agent).")
        ] = "month",
        platform: PlatformOption = None,
        since: SinceOption = None,
        until: UntilOption = None,
        unanswered: Annotated[
            bool, typer.Option(help="List unanswered complaints, oldest first.")
        ] = False,
        format: FormatOption = "table",
    ) -> None:
        """Care metrics: response rate, first response time (wall-clock and business hours,
        see [care] in goodwill.toml), resolution; --by agent for one row per agent."""
        from goodwill.metrics import run_query

        fmt = parse_format(format)
        per_agent = by == "agent"
        if by not in ("day", "week", "month", "agent"):
            raise UserInputError(f"--by {by!r}: use one of day, week, month, agent")
        params = metric_params(
            by="month" if per_agent else by, platform=platform, since=since, until=until
        )
        name = "unanswered" if unanswered else "care_agents" if per_agent else "care"
        with Warehouse.open(db, read_only=True) as wh:
            frame = run_query(name, wh.ibis(), params)
        render_frame(frame, fmt, console=console, title=name)

    @app.command()
    @user_errors
    def alerts(
        db: DbOption = None,
        platform: PlatformOption = None,
        since: SinceOption = None,
        until: UntilOption = None,
        z: Annotated[float, typer.Option(help="Spread multiples above expected.")] = 3.0,
        examples: Annotated[int, typer.Option(help="Mentions shown per alert.")] = 3,
        format: FormatOption = "table",
    ) -> None:
        """Days when mentions or negative mentions spiked, with the mentions behind them."""
        from goodwill.metrics import MetricParams
        from goodwill.metrics.alerts import alerts_with_examples

        fmt = parse_format(format)
        params = MetricParams(
            by="day",
            platform=platform,
            since=parse_date(since, "--since"),
            until=parse_date(until, "--until"),
        )
        with Warehouse.open(db, read_only=True) as wh:
            frame = alerts_with_examples(wh.ibis(), params, z=z, examples=examples)
        render_frame(frame, fmt, console=console, title="alerts")

    @app.command()
    @user_errors
    def pullthrough(
        db: DbOption = None,
        platform: PlatformOption = None,
        since: SinceOption = None,
        until: UntilOption = None,
        method: Annotated[
            str, typer.Option(help="auto, embedding (the [accurate] extra) or char-tfidf.")
        ] = "auto",
        format: FormatOption = "table",
    ) -> None:
        """Key-message pull-through: share of brand mentions carrying each key message."""
        from goodwill.metrics.alerts import brand_pull_through
        from goodwill.text.pullthrough import THRESHOLDS

        fmt = parse_format(format)
        if method not in ("auto", *THRESHOLDS):
            raise UserInputError(f"--method {method!r}: expected auto, embedding or char-tfidf")
        params = metric_params(platform=platform, since=since, until=until)
        with Warehouse.open(db, read_only=True) as wh:
            frame = brand_pull_through(wh.ibis(), params, method=method)
        render_frame(frame, fmt, console=console, title="key-message pull-through")

    @app.command()
    @user_errors
    def themes(
        db: DbOption = None,
        platform: PlatformOption = None,
        since: SinceOption = None,
        until: UntilOption = None,
        top: Annotated[int, typer.Option(help="How many themes.")] = 5,
        format: FormatOption = "table",
    ) -> None:
        """Top negative themes: clusters of similar complaints to the brand, with examples."""
        from goodwill.metrics.reputation import labelled_mentions
        from goodwill.text.themes import negative_themes

        fmt = parse_format(format)
        params = metric_params(platform=platform, since=since, until=until)
        with Warehouse.open(db, read_only=True) as wh:
            backend = wh.ibis()
            mentions = backend.execute(labelled_mentions(backend, params))
        complaints = mentions[(mentions.owner == "brand") & (mentions.intent == "complaint")]
        render_frame(negative_themes(complaints, top=top), fmt, console=console, title="themes")
