"""The fast model's word-vector features: learned on the training tweets, folded into the
lexicon, so a word no training tweet used gets the weight its vector earns (prediction needs
no encoder). Vectors here are fixed pseudo-random ones, so the test needs no optional extra."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from goodwill.text.features import extract
from goodwill.text.semeval import load_semeval_years
from goodwill.text.train import (
    WordVectors,
    embedding_block,
    fit_lexicon,
    load_valences,
    word_vocabulary,
)

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.fixture(scope="module")
def small() -> tuple[list[str], list[int], list[dict[str, float]]]:
    data = load_semeval_years(SHARED_DATA / "semeval-sentiment-train")
    texts, labels = data.texts[:4000], data.labels[:4000]
    return texts, labels, [extract(t) for t in texts]


def test_vocabulary_and_block(small: tuple[list[str], list[int], list[dict[str, float]]]) -> None:
    _, _, feats = small
    words = word_vocabulary(feats, load_valences())
    assert "love" in words and "splendid" in words  # a training word, a VADER word
    assert not any(" " in w or w.startswith(("#", "NOT_")) for w in words)
    vectors = WordVectors(["good", "bad"], np.array([[1.0, 0.0], [0.0, 1.0]]))
    block = embedding_block([{"good": 2.0, "NOT_bad": 1.0, "meh": 1.0}], vectors, np.zeros(2), 0.5)
    assert block.tolist() == [[1.0, 0.0, 0.0, 0.5]]  # EMB (good ×2), NOTEMB (bad ×1), × 0.5


def test_unseen_words_carry_the_sentiment_of_their_vector(
    small: tuple[list[str], list[int], list[dict[str, float]]],
) -> None:
    texts, labels, feats = small
    words = word_vocabulary(feats, load_valences())
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(len(words), 64))
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    index = {w: i for i, w in enumerate(words)}
    # two made-up words, never in a tweet: the vector of "love" and of "hate"
    words += ["xyzzylike", "qwvxdislike"]
    matrix = np.vstack([matrix, matrix[index["love"]], matrix[index["hate"]]])
    vectors = WordVectors(words, matrix)
    model = fit_lexicon(texts, labels, feats=feats, vectors=vectors, embed_scale=1.0)
    plain = fit_lexicon(texts, labels, feats=feats)
    assert "xyzzylike" not in plain.weights
    liked, disliked = model.weights["xyzzylike"], model.weights["qwvxdislike"]
    assert liked[2] - liked[0] > 0.03 and disliked[2] - disliked[0] < -0.03
    assert model.predict("xyzzylike").score > model.predict("qwvxdislike").score + 0.05
