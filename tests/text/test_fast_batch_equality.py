"""The fast model's batch path (``predict_many``: chunk table, numpy over the batch) labels
real tweets exactly as the token loop (``predict``, text by text) does."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest

from goodwill.text import batch
from goodwill.text.fast import FAST_MODEL_PATH, FastModel

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
    with open(airline, newline="", encoding="utf-8") as f:
        texts = [row["text"] for row in csv.DictReader(f)][::7][:1500]
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
