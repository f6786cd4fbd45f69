"""The accurate model's n-gram features and head, without the encoder."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest

from goodwill.text.accurate import (
    NGRAM_BUCKETS,
    AccurateModel,
    hashed_counts,
    idf_of,
    tfidf,
)
from goodwill.text.train_accurate import fit_sparse_head


def test_hashed_counts_are_stable_lexicon_features() -> None:
    b = NGRAM_BUCKETS
    counts = hashed_counts(["Good good!", "", "@user"])
    assert counts.shape == (3, 2 * b)
    row = counts[0].toarray().ravel()
    # each lexicon feature once: "good", the bigram "good good", "EXCL"
    assert row[zlib.crc32(b"w:good") % b] == 1
    assert row[zlib.crc32(b"w:good good") % b] == 1
    assert row[zlib.crc32(b"w:EXCL") % b] == 1
    assert np.count_nonzero(row[:b]) == 3
    # character grams of <good> twice: <go goo ood od> <goo good ood> <good good>
    assert row[b + zlib.crc32(b"c:<go") % b] == 2
    assert np.count_nonzero(row[b:]) == 9
    assert counts[1].nnz == 0 and counts[2].nnz == 0  # handles carry nothing
    t = tfidf(counts, idf_of(counts)).toarray()
    assert np.linalg.norm(t[0, :b]) == pytest.approx(1.0)
    assert np.linalg.norm(t[0, b:]) == pytest.approx(1.0)
    assert not t[1].any()


def test_hashed_character_grams_are_the_texts_grams() -> None:
    """The character block, built from each word's remembered buckets, counts exactly the
    grams :func:`char_grams` finds in the whole text (handles removed), on real tweets."""
    import csv
    import re
    from collections import Counter

    from goodwill.text import accurate
    from goodwill.text.features import normalise
    from goodwill.text.pullthrough import char_grams

    path = Path(__file__).resolve().parents[3] / "shared" / "data" / "airline-sentiment"
    with open(path / "Tweets_shared.csv", newline="", encoding="utf-8") as fh:
        texts = [r["text"] for r in csv.DictReader(fh)][:300:3]
    texts += ["", "@only @handles", "Ünïcode café café!! don't", "x" * 40]
    accurate._WORD_GRAMS.clear()
    counts = hashed_counts(texts)
    again = hashed_counts(texts)  # memo filled
    assert (counts != again).nnz == 0
    b = NGRAM_BUCKETS
    for i, text in enumerate(texts):
        expected: Counter[int] = Counter()
        for gram, n in char_grams(re.sub(r"@\w+", " ", normalise(text))).items():
            expected[b + zlib.crc32(("c:" + gram).encode()) % b] += n
        row = counts[i, b:].tocoo()
        assert dict(zip((row.col + b).tolist(), row.data.tolist(), strict=True)) == expected


def test_head_learns_and_round_trips(tmp_path: Path) -> None:
    texts = ["love it", "great love", "awful hate", "hate this", "the store", "store hours"]
    labels = [2, 2, 0, 0, 1, 1]
    counts = hashed_counts(texts)
    idf = idf_of(counts)
    ngrams = tfidf(counts, idf)
    dense = np.zeros((len(texts), 387))
    wd, ws, b = fit_sparse_head(dense, ngrams, labels, l2_dense=1.0, l2_sparse=0.1)
    model = AccurateModel(name="t", version="1", dense=wd, sparse=ws, idf=idf, bias=b)
    embeddings = np.zeros((len(texts), 384), dtype=np.float32)
    probs = model.probabilities(texts, embeddings=embeddings)
    assert probs.argmax(axis=1).tolist() == labels
    path = tmp_path / "head.npz"
    model.save(path)
    from goodwill.text.accurate import load_accurate

    loaded = load_accurate(path)
    assert loaded.label == "t@1"
    again = loaded.probabilities(texts, embeddings=embeddings)
    assert again == pytest.approx(probs, abs=2e-3)  # float16 n-gram weights


def test_fast_blend_adds_the_fast_models_log_probabilities() -> None:
    """Version 3: the three ``log p_fast`` rows of the dense weights are ``w · I``, so the class
    scores are the head's plus ``w`` times the fast model's log-probabilities."""
    from goodwill.text.accurate import fast_log_probs

    texts = ["love it", "awful hate", "the store"]
    counts = hashed_counts(texts)
    idf = idf_of(counts)
    rng = np.random.default_rng(0)
    sparse = rng.normal(size=(2 * NGRAM_BUCKETS, 3))
    bias = np.array([0.1, 0.0, -0.1])
    plain = np.zeros((387, 3))
    blended = plain.copy()
    blended[-3:] = 0.5 * np.eye(3)
    embeddings = np.zeros((3, 384), dtype=np.float32)
    head = AccurateModel("t", "1", plain, sparse, idf, bias).probabilities(texts, embeddings)
    both = AccurateModel("t", "3", blended, sparse, idf, bias).probabilities(texts, embeddings)
    expected = np.log(head) + 0.5 * fast_log_probs(texts)
    expected = np.exp(expected - expected.max(axis=1, keepdims=True))
    assert both == pytest.approx(expected / expected.sum(axis=1, keepdims=True))
    assert not np.allclose(both, head)
