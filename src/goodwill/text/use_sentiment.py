"""Per-language sentiment from USE-multilingual features and the n-gram models, averaged.

For a text ``x`` of language ``ℓ`` (es, fr, de, it, pt, ar — the UMSAB languages that the
Universal Sentence Encoder covers):

    z      = the USE embedding of x        (:mod:`goodwill.text.use_encoder`, 512 numbers)
    p_use  = softmax(z · W_ℓ + b_ℓ)        a multinomial logistic regression on z
    p_xl   = softmax(z · V_ℓ + c_ℓ)        the cross-lingual head: a logistic regression on the
                                           USE embeddings of English SemEval, airline and UMSAB
                                           training tweets (the same head for every language)
    p_ng   = the n-gram model of ℓ         (:mod:`goodwill.text.ngram`, ``models/multilingual.npz``)
    p      = w_ℓ · p_use + u_ℓ · p_xl + (1 − w_ℓ − u_ℓ) · p_ng
    sentiment = argmax p,  sentiment_score = p_positive − p_negative

``W, b, w, V, c, u`` per language are in ``models/multilingual_use.npz`` (about 80 kB),
fitted by ``python -m goodwill.text.train_multilingual --heads-only`` (see there: ``C``, ``w``
and ``u`` chosen by cross-validation on the language's training split only). A language
whose ``u_ℓ`` is 0 stores no cross-lingual head. (A fourth member, a joint head with
per-language intercepts, was tried and not kept: docs/listening.md; its code is in git at
``d3c30dd``.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from goodwill.text.labels import SENTIMENTS, Label
from goodwill.text.ngram import NgramModel, load_multilingual, save_models

__all__ = ["USE_MODEL_PATH", "UseHead", "UseNgramModel", "load_use_models"]

USE_MODEL_PATH = Path(__file__).parent / "models" / "multilingual_use.npz"


def softmax(s: np.ndarray) -> np.ndarray:
    """Row-wise ``exp(s) / Σ exp(s)``."""
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s)
    result: np.ndarray = p / p.sum(axis=1, keepdims=True)
    return result


@dataclass(frozen=True)
class UseHead:
    """A logistic regression on the USE embeddings of one language's texts."""

    language: str
    version: str
    weights: np.ndarray
    bias: np.ndarray
    blend: float
    """``w_ℓ``: the weight of this head in the blend."""
    transfer_weights: np.ndarray | None = None
    """``V_ℓ`` of the cross-lingual head (``None`` when ``u_ℓ`` is 0)."""
    transfer_bias: np.ndarray | None = None
    """``c_ℓ`` of the cross-lingual head."""
    transfer_blend: float = 0.0
    """``u_ℓ``: the weight of the cross-lingual head; the n-gram model gets ``1 − w_ℓ − u_ℓ``."""

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        """``p_use`` of rows of :meth:`goodwill.text.use_encoder.UseEncoder.embed`."""
        return softmax(embeddings.astype(np.float64) @ self.weights + self.bias)

    def transfer_probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        """``p_xl`` of rows of the embeddings (zeros when there is no cross-lingual head)."""
        if self.transfer_weights is None or self.transfer_bias is None:
            return np.zeros((len(embeddings), 3))
        return softmax(embeddings.astype(np.float64) @ self.transfer_weights + self.transfer_bias)

    def blended(self, embeddings: np.ndarray, p_ngram: np.ndarray) -> np.ndarray:
        """``p = w · p_use + u · p_xl + (1 − w − u) · p_ng``."""
        p = self.blend * self.probabilities(embeddings)
        p += (1.0 - self.blend - self.transfer_blend) * p_ngram
        if self.transfer_blend > 0.0:
            p += self.transfer_blend * self.transfer_probabilities(embeddings)
        return p

    def arrays(self) -> dict[str, np.ndarray]:
        """What the ``.npz`` stores for this language."""
        out = {
            f"{self.language}/weights": self.weights.astype(np.float32),
            f"{self.language}/bias": self.bias.astype(np.float32),
            f"{self.language}/blend": np.array(self.blend, np.float32),
            f"{self.language}/version": np.array(self.version),
        }
        if self.transfer_blend > 0.0 and self.transfer_weights is not None:
            assert self.transfer_bias is not None
            out[f"{self.language}/transfer_weights"] = self.transfer_weights.astype(np.float32)
            out[f"{self.language}/transfer_bias"] = self.transfer_bias.astype(np.float32)
            out[f"{self.language}/transfer_blend"] = np.array(self.transfer_blend, np.float32)
        return out


@dataclass(frozen=True)
class UseNgramModel:
    """One language's model (module docstring)."""

    head: UseHead
    ngram: NgramModel

    @property
    def language(self) -> str:
        return self.head.language

    @property
    def label(self) -> str:
        """``name@version`` recorded with its labels: ``use-ngram-es@2``."""
        return f"use-ngram-{self.head.language}@{self.head.version}"

    def probabilities(
        self, texts: Sequence[str], embeddings: np.ndarray | None = None
    ) -> np.ndarray:
        """``p``, one row of (negative, neutral, positive) per text."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, 3))
        if embeddings is None:
            from goodwill.text.use_encoder import load_use

            embeddings = load_use().embed(texts)
        return self.head.blended(embeddings, self.ngram.probabilities(texts))

    def predict_many(self, texts: Sequence[str]) -> list[Label]:
        """The sentiment of many texts."""
        return [
            Label(sentiment=SENTIMENTS[int(np.argmax(p))], score=round(float(p[2] - p[0]), 4) + 0.0)
            for p in self.probabilities(texts)
        ]

    def predict(self, text: str) -> Label:
        """The sentiment of one text."""
        return self.predict_many([text])[0]


def save_heads(heads: Sequence[UseHead], path: Path) -> None:
    """All ``heads`` in one compressed ``.npz`` (the n-gram models' format)."""
    save_models(heads, path)


@cache
def load_use_models(path: Path = USE_MODEL_PATH) -> dict[str, UseNgramModel]:
    """The committed per-language models, by ISO 639-1 code (the encoder loads on first use)."""
    ngrams = load_multilingual()
    models: dict[str, UseNgramModel] = {}
    with np.load(path, allow_pickle=False) as data:
        for lang in sorted({k.split("/")[0] for k in data.files}):
            transfer = f"{lang}/transfer_weights" in data.files
            v = data[f"{lang}/transfer_weights"].astype(np.float64) if transfer else None
            c = data[f"{lang}/transfer_bias"].astype(np.float64) if transfer else None
            head = UseHead(
                language=lang,
                version=str(data[f"{lang}/version"]),
                weights=data[f"{lang}/weights"].astype(np.float64),
                bias=data[f"{lang}/bias"].astype(np.float64),
                blend=float(data[f"{lang}/blend"]),
                transfer_weights=v,
                transfer_bias=c,
                transfer_blend=float(data[f"{lang}/transfer_blend"]) if transfer else 0.0,
            )
            models[lang] = UseNgramModel(head=head, ngram=ngrams[lang])
    return models
