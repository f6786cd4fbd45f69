"""The accurate sentiment model: a logistic-regression head on sentence embeddings.

Features of a text: its all-MiniLM-L6-v2 embedding ``e`` (384 numbers, :mod:`goodwill.text.
embeddings`, the ``[accurate]`` extra) and the fast model's log-probabilities ``log p_fast``
(3 numbers). Class scores and output:

    s_c = b_c + Σ_j x_j · W[j, c]          x = [e, log p_fast]
    p_c = softmax(s)_c;  sentiment = argmax p;  sentiment_score = p_positive − p_negative

``W`` and ``b`` (``models/accurate_head.json.gz``, ~20 kB) are fitted by
``python -m goodwill.text.train accurate`` (see there) on SemEval 2013–2016 without the
TweetEval validation tweets. Prediction batches texts through the encoder (tens of texts/s per
core, against thousands for the fast model).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from goodwill.text.fast import load_fast
from goodwill.text.labels import SENTIMENTS, Label

__all__ = ["ACCURATE_MODEL_PATH", "AccurateModel", "fast_log_probs", "load_accurate"]

ACCURATE_MODEL_PATH = Path(__file__).parent / "models" / "accurate_head.json.gz"


def fast_log_probs(texts: Sequence[str]) -> np.ndarray:
    """``log p`` of the fast model, one row of three per text."""
    fast = load_fast()
    probs = np.array([fast.scores(t or "") for t in texts]).reshape(len(texts), 3)
    result: np.ndarray = np.log(np.maximum(probs, 1e-9))
    return result


@dataclass(frozen=True)
class AccurateModel:
    """A trained head: ``weights`` (387 × 3) and ``bias`` (3)."""

    name: str
    version: str
    weights: np.ndarray
    bias: np.ndarray

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def probabilities(
        self, texts: Sequence[str], embeddings: np.ndarray | None = None
    ) -> np.ndarray:
        """Class probabilities, one row per text (embeddings computed unless given)."""
        if embeddings is None:
            from goodwill.text.embeddings import load_minilm

            embeddings = load_minilm().encode(texts)
        x = np.hstack([embeddings, fast_log_probs(texts)])
        s = x @ self.weights + self.bias
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        result: np.ndarray = p / p.sum(axis=1, keepdims=True)
        return result

    def predict_many(self, texts: Sequence[str]) -> list[Label]:
        probs = self.probabilities(texts)
        return [
            Label(sentiment=SENTIMENTS[int(np.argmax(p))], score=round(float(p[2] - p[0]), 4) + 0.0)
            for p in probs
        ]

    def predict(self, text: str) -> Label:
        return self.predict_many([text])[0]

    def save(self, path: Path) -> None:
        data = {
            "name": self.name,
            "version": self.version,
            "weights": np.round(self.weights, 5).tolist(),
            "bias": np.round(self.bias, 5).tolist(),
        }
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            json.dump(data, fh, separators=(",", ":"))


@cache
def load_accurate(path: Path = ACCURATE_MODEL_PATH) -> AccurateModel:
    """The committed head (the encoder itself loads on first use and needs the extra)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    return AccurateModel(
        name=str(data["name"]),
        version=str(data["version"]),
        weights=np.asarray(data["weights"], dtype=np.float64),
        bias=np.asarray(data["bias"], dtype=np.float64),
    )
