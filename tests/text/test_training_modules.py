"""The training modules: no import cycle, and the prior lexicon reaching words the training
tweets never used; pull-through's method choice is explicit."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

import goodwill.text
from goodwill.text import pullthrough
from goodwill.text.embeddings import embedding_available
from goodwill.text.features import extract
from goodwill.text.semeval import load_semeval_years
from goodwill.text.train import LEXICON_FEATURES, fit_lexicon, lexicon_features, load_valences

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_import_cycle_between_the_training_modules() -> None:
    """``train`` dispatches to ``train_accurate`` (inside ``main``); ``train_accurate`` takes the
    shared SemEval helpers from ``semeval``, never from ``train``."""
    text_dir = Path(goodwill.text.__file__).parent
    assert "goodwill.text.train" not in _imported_modules(text_dir / "train_accurate.py")
    assert "goodwill.text.train" not in _imported_modules(text_dir / "semeval.py")
    assert "goodwill.text.train_accurate" in _imported_modules(text_dir / "train.py")


def test_lexicon_features_follow_negation_and_values() -> None:
    valences = load_valences()
    assert valences["good"] > 0 > valences["bad"]
    feats = extract("good but not good")
    out = lexicon_features(feats, valences)
    assert set(out) <= set(LEXICON_FEATURES)
    assert out["LEX+"] == pytest.approx(feats["good"] * valences["good"])
    assert out["NOTLEX+"] == pytest.approx(feats["NOT_good"] * valences["good"])


def test_prior_lexicon_reaches_words_the_training_tweets_never_used() -> None:
    data = load_semeval_years(SHARED_DATA / "semeval-sentiment-train")
    texts, labels = data.texts[:3000], data.labels[:3000]
    seen = {name for t in texts for name in extract(t)}
    unseen_good = [w for w in ("splendid", "marvelous", "delightful") if w not in seen]
    unseen_bad = [w for w in ("dreadful", "miserable", "pathetic", "lousy") if w not in seen]
    assert unseen_good and unseen_bad
    model = fit_lexicon(texts, labels)
    for word in unseen_good:
        w = model.weights[word]
        assert w[2] > w[0], word
        assert model.predict(f"the hotel was {word}").sentiment == "positive"
    for word in unseen_bad:
        w = model.weights[word]
        assert w[0] > w[2], word
        assert model.predict(f"the hotel was {word}").sentiment == "negative"


def test_auto_method_follows_the_installed_extra_and_errors_surface(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = "embedding" if embedding_available() else "char-tfidf"
    assert pullthrough.choose_method("auto") == expected
    monkeypatch.setattr("goodwill.text.embeddings.embedding_available", lambda: True)
    assert pullthrough.choose_method("auto") == "embedding"

    def broken() -> None:
        raise RuntimeError("encoder weights unreadable")

    monkeypatch.setattr("goodwill.text.embeddings.load_minilm", broken)
    messages = pd.DataFrame({"message_id": ["m"], "text": ["fresh beans"]})
    mentions = pd.DataFrame({"text": ["fresh beans!"], "sentiment": ["positive"]})
    with pytest.raises(RuntimeError, match="unreadable"):
        pullthrough.pull_through(mentions, messages, method="auto")
    monkeypatch.setattr("goodwill.text.embeddings.embedding_available", lambda: False)
    assert pullthrough.choose_method("auto") == "char-tfidf"
