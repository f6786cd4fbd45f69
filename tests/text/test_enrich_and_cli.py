"""The label enricher, corrections, and the classify / label / care commands."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.enrich.sentiment import add_correction, enrich_labels
from goodwill.errors import UserInputError
from goodwill.warehouse import Warehouse

runner = CliRunner()


def _seed(wh: Warehouse) -> None:
    wh.con.execute("INSERT INTO accounts VALUES ('x', 'brand', 'brand', NULL)")
    for iid, text in (
        ("1", "my order never arrived and nobody answers, worst service"),
        ("2", "I love your coffee, thank you 😍"),
        ("3", "do you ship to Norway?"),
        ("4", None),
    ):
        wh.con.execute(
            "INSERT INTO interactions (platform, interaction_id, created_at, kind, direction, "
            "actor_handle, target_handle, text) VALUES ('x', ?, ?, 'mention', 'inbound', "
            "'alice', 'brand', ?)",
            [iid, datetime(2026, 1, 5, 10), text],
        )


def _labels(wh: Warehouse) -> list[tuple[object, ...]]:
    return wh.query(
        "SELECT interaction_id, sentiment, intent, model FROM interaction_labels ORDER BY 1"
    )


def test_enricher_labels_text_interactions_with_the_model(wh: Warehouse) -> None:
    _seed(wh)
    assert enrich_labels(wh) == 3  # the one without text is left alone
    assert _labels(wh) == [
        ("1", "negative", "complaint", "fast-lexicon@4"),
        ("2", "positive", "praise", "fast-lexicon@4"),
        ("3", "neutral", "question", "fast-lexicon@4"),
    ]
    assert enrich_labels(wh, relabel=False) == 0
    assert enrich_labels(wh) == 3
    assert wh.count("interaction_labels") == 3


def test_corrections_win_and_survive_relabelling(wh: Warehouse) -> None:
    _seed(wh)
    enrich_labels(wh)
    add_correction(wh, "x", "3", intent="complaint", note="they had asked twice")
    add_correction(wh, "x", "3", sentiment="negative")  # keeps the earlier intent correction
    enrich_labels(wh)
    row = wh.query(
        "SELECT sentiment, sentiment_score, intent, model FROM interaction_labels "
        "WHERE interaction_id = '3'"
    )
    assert row == [("negative", -1, "complaint", "correction")]
    assert wh.query("SELECT sentiment, intent, note FROM label_corrections") == [
        ("negative", "complaint", "they had asked twice")
    ]
    with pytest.raises(UserInputError, match="no interaction '9'"):
        add_correction(wh, "x", "9", intent="praise")
    with pytest.raises(UserInputError, match="expected complaint, question, praise, other"):
        add_correction(wh, "x", "1", intent="angry")


def test_classify_csv_and_jsonl(tmp_path: Path) -> None:
    src = tmp_path / "comments.csv"
    src.write_text(
        'cid,body\n7,"worst service ever, my parcel is lost"\n8,love it 😍\n9,\n',
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["classify", str(src), "--id-column", "cid", "--text-column", "body"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "id,sentiment,sentiment_score,intent,language,model"
    assert lines[1].startswith("7,negative,-") and lines[1].endswith(",complaint,en,fast-lexicon@4")
    assert lines[2].startswith("8,positive,") and lines[2].endswith(",praise,en,fast-lexicon@4")
    assert lines[3].startswith("9,") and len(lines) == 4
    result = runner.invoke(
        app,
        ["classify", str(src), "--id-column", "cid", "--text-column", "body", "--format", "jsonl"],
    )
    first = json.loads(result.output.splitlines()[0])
    assert (first["id"], first["sentiment"], first["intent"]) == ("7", "negative", "complaint")


def test_classify_errors_name_the_columns(tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    src.write_text("cid,body\n1,hi\n", encoding="utf-8")
    result = runner.invoke(
        app, ["classify", str(src), "--id-column", "id", "--text-column", "body"]
    )
    assert result.exit_code == 2
    assert "--id-column 'id' is not a column; the columns are cid, body" in result.output


def test_label_and_care_commands(tmp_path: Path) -> None:
    db = tmp_path / "g.duckdb"
    with Warehouse.open(db) as wh:
        _seed(wh)
    assert runner.invoke(app, ["enrich-labels", "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["label", "x", "2", "--intent", "question", "--db", str(db)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["care", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    # complaint 1, questions 2 (corrected) and 3, and the unlabelled 4 (no text) need an
    # answer; none was answered
    assert (row["needing_answer"], row["answered"], row["complaints"]) == (4, 0, 1)
    result = runner.invoke(app, ["care", "--unanswered", "--db", str(db), "--format", "csv"])
    assert result.output.splitlines()[1].split(",")[4] == "1"


def test_pullthrough_themes_and_alerts_commands(tmp_path: Path) -> None:
    db = tmp_path / "g.duckdb"
    with Warehouse.open(db) as wh:
        wh.con.execute("INSERT INTO accounts VALUES ('x', 'brand', 'brand', NULL)")
        wh.con.execute("INSERT INTO key_messages VALUES ('fresh', 'roasted fresh every week')")
        texts = (
            "your beans are roasted fresh every week, love it",
            "my parcel never arrived, worst delivery",
            "parcel delivery failed again, terrible",
            "do you ship to Norway?",
        )
        for i, text in enumerate(texts):
            wh.con.execute(
                "INSERT INTO interactions (platform, interaction_id, created_at, kind, "
                "direction, actor_handle, target_handle, text) VALUES ('x', ?, ?, 'mention', "
                "'inbound', ?, 'brand', ?)",
                [str(i), datetime(2026, 1, 5 + i, 10), f"u{i}", text],
            )
    assert runner.invoke(app, ["enrich-labels", "--db", str(db)]).exit_code == 0
    args = ["--db", str(db), "--format", "json"]
    result = runner.invoke(app, ["pullthrough", "--method", "char-tfidf", *args])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert (row["message_id"], row["mentions"], row["carrying"]) == ("fresh", 4, 1)
    assert row["method"] == "char-tfidf"
    result = runner.invoke(app, ["themes", *args])
    assert result.exit_code == 0, result.output
    themes = json.loads(result.output)
    assert themes[0]["size"] == 2 and "parcel" in themes[0]["theme"]
    result = runner.invoke(app, ["alerts", *args])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []  # four quiet days: nothing to judge
    result = runner.invoke(app, ["pullthrough", "--method", "words", *args])
    assert result.exit_code == 2 and "expected auto, embedding or char-tfidf" in result.output
