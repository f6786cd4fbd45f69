"""The fast model's batch path (``predict_many``: chunk table, numpy over the batch) labels
real tweets exactly as the token loop (``predict``, text by text) does; the language pre-check
read off its chunks, and ``label_texts`` built on it, answer as the text-by-text versions."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest

from goodwill.enrich.sentiment import label_texts
from goodwill.text import batch
from goodwill.text.airline import read_airline
from goodwill.text.fast import FAST_MODEL_PATH, FastModel, load_fast
from goodwill.text.language import clearly_english, detect_many, english_many
from goodwill.text.train_multilingual import load_umsab
from goodwill.text.use_sentiment import load_use_models

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def _fresh_model() -> FastModel:
    """The committed lexicon with empty caches (``load_fast`` would share them)."""
    with gzip.open(FAST_MODEL_PATH, "rt", encoding="utf-8") as fh:
        return FastModel.from_json(json.load(fh))


def _real_tweets() -> list[str]:
    """1,500 airline tweets and 1,500 SemEval tweets (every 7th / 30th row)."""
    airline = SHARED_DATA / "airline-sentiment" / "Tweets_shared.csv"
    semeval = SHARED_DATA / "semeval-sentiment-train" / "semeval_2013_2016_A.tsv"
    # the shared data sets sit beside the repository on every machine the suite runs on
    # (developers' guide); a missing one is a broken checkout, not a reason to pass
    assert airline.exists() and semeval.exists(), f"shared data missing under {SHARED_DATA}"
    texts = [t.text for t in read_airline(SHARED_DATA)][::7][:1500]
    with open(semeval, newline="", encoding="utf-8") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        texts += [row["text"] for row in rows][::30][:1500]
    return texts


EDGE_CASES = [
    "",
    "   ",
    "@a @b",
    "NOT BAD AT ALL!!!",
    "joker \U0001f0cf in a text",
    "joker\U0001f0cfglued \U0001f0cf",
    "İstanbul, yeah rİght",  # re.IGNORECASE matches İ to i; str.lower() does not
    "thankſ a lot /ſ",  # long s
    "that was great job!! http://t.co/x #sarcasm",
    "&lt;3 you \\u2764 but www.example.com not",
    "WWW.EXAMPLE.COM http is not a url",
    "the sarcasm marker inside a url http://x.com/#not",
    "thanks &amp; a lot",
    "tab\tseparated\nlines\u3000and\u00a0spaces",
]


def test_batch_labels_equal_the_token_loop_on_real_tweets() -> None:
    texts = _real_tweets() + EDGE_CASES
    model = _fresh_model()
    expected = [model.predict(t) for t in texts]
    assert model.predict_many(texts) == expected  # cold caches
    assert model.predict_many(texts) == expected  # warm chunk table and label cache
    reordered = model.predict_many(texts[::-1])[::-1]
    assert reordered == expected
    assert [model.predict_many([t])[0] for t in texts[:200]] == expected[:200]


def test_chunk_table_starts_afresh_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _real_tweets()[:600] + EDGE_CASES
    model = _fresh_model()
    expected = [model.predict(t) for t in texts]
    monkeypatch.setattr(batch, "CHUNK_TABLE_MAX", 500)
    labels = [
        lab for i in range(0, len(texts), 100) for lab in model.predict_many(texts[i : i + 100])
    ]
    assert labels == expected
    table = batch._table(model)
    assert table.n_chunks < 500 + 100 * 40  # emptied, never more than one batch over


def test_threads_sharing_one_model_get_the_token_loop_labels() -> None:
    """The tables grow as batches are read; batches from several threads at once (as the
    dashboard's workers may send them) still get exactly ``predict``'s labels."""
    from concurrent.futures import ThreadPoolExecutor

    texts = _real_tweets()
    model = _fresh_model()
    expected = [model.predict(t) for t in texts]
    slices = [texts[i::4] for i in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(model.predict_many, slices))
    for i, labels in enumerate(got):
        assert labels == expected[i::4]


def test_english_precheck_read_off_the_chunks_equals_the_text_by_text_one() -> None:
    """``predict_many_english`` (the pre-check from the fast model's chunk table) and
    ``english_many`` (mapped over the texts) give ``clearly_english`` of every text, cold
    and warm, with the same labels as ``predict_many``."""
    texts = _real_tweets() + EDGE_CASES
    texts += ["the and you &amp; for", "#the #and #you", "thé and you for the", "It's the one"]
    expected = [clearly_english(t) for t in texts]
    model = _fresh_model()
    for _ in range(2):
        labels, english = model.predict_many_english(texts)
        assert english.tolist() == expected
        assert labels == model.predict_many(texts)
    assert english_many(texts).tolist() == expected
    assert sum(expected) > len(texts) // 2  # the check has something to find


def test_label_texts_equals_detection_then_each_language_model() -> None:
    """``label_texts`` (fast model on every text first, its chunks answer the pre-check) gives
    what detecting first and asking each text's model gives, on tweets of seven languages."""
    texts = _real_tweets()[::3] + EDGE_CASES
    for language in ("es", "fr", "de", "it", "pt", "ar"):
        texts += load_umsab(SHARED_DATA / "umsab-sentiment", language, "val")[0][:40]
    labels, languages, models = label_texts(texts)
    assert languages == detect_many(texts)
    own = load_use_models()
    fast = load_fast()
    expected = fast.predict_many(texts)
    for language, model in own.items():
        rows = [i for i, code in enumerate(languages) if code == language]
        for i, label in zip(rows, model.predict_many([texts[i] for i in rows]), strict=True):
            expected[i] = label
    assert labels == expected
    assert {m for m, code in zip(models, languages, strict=True) if code == "en"} == {fast.label}
    assert len(set(languages)) >= 7
