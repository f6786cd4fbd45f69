"""Adapting the sentiment model to a brand from label corrections."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.enrich.sentiment import add_correction, enrich_labels, latest_adaptation
from goodwill.text.adapt import fit_adaptation
from goodwill.text.fast import load_fast
from goodwill.warehouse import Warehouse

runner = CliRunner()

CORRECTED = {
    "c1": "The new oat blend tastes like cardboard",
    "c2": "honestly the oat blend is cardboard now",
    "c3": "oat blend = wet cardboard. what happened",
    "c4": "tried the oat blend, cardboard vibes",
}
OTHERS = {
    "o1": "Just got the oat blend in my order",
    "o2": "oat blend back in stock?",
    "o3": "is the oat blend vegan",
    "o4": "the oat blend arrived today",
    "o5": "I love your coffee, best cafe in town!",
    "o6": "What time do you open on Sunday?",
    "o7": "my parcel never arrived, so annoyed",
}
NEW = "that oat blend tastes of cardboard"  # unseen, like the corrections


def _seed(wh: Warehouse, texts: dict[str, str]) -> None:
    for iid, text in texts.items():
        wh.con.execute(
            "INSERT INTO interactions (platform, interaction_id, created_at, kind, direction, "
            "actor_handle, target_handle, text) VALUES ('x', ?, ?, 'mention', 'inbound', "
            "'alice', 'brand', ?)",
            [iid, datetime(2026, 1, 5, 10), text],
        )


def _sentiments(wh: Warehouse) -> dict[str, tuple[str, str]]:
    rows = wh.query("SELECT interaction_id, sentiment, model FROM interaction_labels")
    return {str(i): (str(s), str(m)) for i, s, m in rows}


def test_corrections_teach_similar_texts_and_leave_others_alone(wh: Warehouse) -> None:
    _seed(wh, {**CORRECTED, **OTHERS})
    assert load_fast().predict(NEW).sentiment == "neutral"  # "cardboard" is no complaint word
    enrich_labels(wh)
    before = _sentiments(wh)
    for iid in CORRECTED:
        add_correction(wh, "x", iid, sentiment="negative")
    result = runner.invoke(app, ["train-sentiment", "--from-corrections", "--db", wh_path(wh)])
    assert result.exit_code == 0, result.output
    assert "stored fast-lexicon@4+brand1" in result.output
    _seed(wh, {"new": NEW})
    assert enrich_labels(wh, relabel=False) == 1
    after = _sentiments(wh)
    assert after["new"] == ("negative", "fast-lexicon@4+brand1")
    for iid in OTHERS:
        assert after[iid][0] == before[iid][0], iid  # unrelated and product-only texts keep
    assert after["c1"] == ("negative", "correction")
    # a second fit is a new version; enrich-labels uses the newest
    result = runner.invoke(app, ["train-sentiment", "--from-corrections", "--db", wh_path(wh)])
    assert "fast-lexicon@4+brand2" in result.output
    adaptation = latest_adaptation(wh, "fast-lexicon@4")
    assert adaptation is not None and adaptation.version == "brand2"
    assert adaptation.deltas["cardboard"][0] > 0.5 > adaptation.deltas["oat blend"][0]
    enrich_labels(wh, adapted=False)
    assert _sentiments(wh)["new"] == ("neutral", "fast-lexicon@4")


def wh_path(wh: Warehouse) -> str:
    (path,) = wh.con.execute("SELECT path FROM duckdb_databases() WHERE NOT internal").fetchone()
    return str(path)


def test_train_sentiment_without_corrections_says_what_to_do(wh: Warehouse) -> None:
    _seed(wh, OTHERS)
    result = runner.invoke(app, ["train-sentiment", "--from-corrections", "--db", wh_path(wh)])
    assert result.exit_code == 2
    assert "correct labels first with `goodwill label" in result.output


def test_fit_adaptation_with_no_anchors_blames_every_shared_word() -> None:
    fast = load_fast()
    texts = list(CORRECTED.values())
    probs = np.array([fast.scores(t) for t in texts])
    adaptation = fit_adaptation(texts, [0] * 4, probs, base_model=fast.label, version="b1")
    assert "the" not in adaptation.deltas and "EXCL" not in adaptation.deltas  # stop words
    adjusted = adaptation.adjust(texts, probs)
    assert (adjusted.argmax(axis=1) == 0).all()
    # without anchors the product name carries blame as much as the complaint word
    assert adaptation.deltas["oat blend"][0] > 0.3
    unrelated = ["What time do you open on Sunday?"]
    base = np.array([fast.scores(unrelated[0])])
    assert adaptation.adjust(unrelated, base) == pytest.approx(base)
