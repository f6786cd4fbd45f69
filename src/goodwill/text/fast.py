"""The fast sentiment model: a learned lexicon plus hand-written rules for social text.

Each text becomes weighted features (:func:`goodwill.text.features.extract`: words, negated
words, bigrams, emoji, emoticons, markers). The lexicon gives every feature one weight per class
``w[f, c]`` (c in negative, neutral, positive); the class scores are

    s_c = b_c + Σ_f value_f · w[f, c]
    p_c = exp(s_c) / Σ_k exp(s_k)                       (softmax)

``sentiment`` is the class with the highest ``p_c``; ``sentiment_score = p_positive −
p_negative`` (−1 … 1). The lexicon is a small committed artefact
(``models/fast_lexicon.json.gz``) learned by ``python -m goodwill.text.train fast`` from the
public SemEval 2013–2016 Twitter sets (multinomial logistic regression with class weights, see
:mod:`goodwill.text.train`), with VADER's human-rated word valences as prior features and
all-MiniLM-L6-v2 vectors of single words as dense features, whose weights are folded into the
words' own at training time, so that words the training tweets used rarely or never carry what
similar words carry (nothing of VADER or MiniLM runs here). Python
and numpy at prediction time: ``predict_many`` scores a whole batch with array operations
(:mod:`goodwill.text.batch`).
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from goodwill.text.features import extract
from goodwill.text.labels import SENTIMENTS, Label
from goodwill.text.scoring import accumulate as _accumulate

__all__ = ["FAST_MODEL_PATH", "FastModel", "load_fast"]

FAST_MODEL_PATH = Path(__file__).parent / "models" / "fast_lexicon.json.gz"


@dataclass(frozen=True)
class FastModel:
    """A lexicon model: ``weights[feature] = (w_neg, w_neu, w_pos)`` and ``bias``."""

    name: str
    version: str
    bias: tuple[float, float, float]
    weights: Mapping[str, tuple[float, float, float]]
    bigrams: bool = True
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Per-token rule outcomes and weights, the batch path's token and chunk tables and its
    shared labels, filled as texts are scored."""

    @property
    def label(self) -> str:
        """``name@version``, recorded with every label this model produces."""
        return f"{self.name}@{self.version}"

    def scores(self, text: str) -> tuple[float, float, float]:
        """The class probabilities (negative, neutral, positive) of ``text``.

        Computes exactly ``softmax(b + Σ_f value_f · w_f)`` over
        :func:`goodwill.text.features.extract`'s features, but accumulates the sum token by
        token instead of building the feature dict (about twice as fast); a test checks both
        agree."""
        s = _accumulate(self, text)
        top = max(s)
        e0, e1, e2 = math.exp(s[0] - top), math.exp(s[1] - top), math.exp(s[2] - top)
        total = e0 + e1 + e2
        return e0 / total, e1 / total, e2 / total

    def scores_reference(self, text: str) -> tuple[float, float, float]:
        """:meth:`scores` computed the slow, obvious way from ``extract``'s feature dict."""
        s0, s1, s2 = self.bias
        for feature, value in extract(text, bigrams=self.bigrams).items():
            w = self.weights.get(feature)
            if w is not None:
                s0 += value * w[0]
                s1 += value * w[1]
                s2 += value * w[2]
        top = max(s0, s1, s2)
        e0, e1, e2 = math.exp(s0 - top), math.exp(s1 - top), math.exp(s2 - top)
        total = e0 + e1 + e2
        return e0 / total, e1 / total, e2 / total

    def predict(self, text: str) -> Label:
        """The sentiment of one text."""
        probs = self.scores(text or "")
        best = max(range(3), key=probs.__getitem__)
        return Label(sentiment=SENTIMENTS[best], score=round(probs[2] - probs[0], 4) + 0.0)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities of many texts at once (:mod:`goodwill.text.batch`), one row of
        (negative, neutral, positive) per text; equal to :meth:`scores` text by text."""
        from goodwill.text.batch import batch_scores

        s = batch_scores(self, [t or "" for t in texts])
        s -= s.max(axis=1, keepdims=True)
        np.exp(s, out=s)
        s /= s.sum(axis=1, keepdims=True)
        return s

    def predict_many(self, texts: Iterable[str]) -> list[Label]:
        """The sentiment of many texts (vectorised: several times faster than ``predict``)."""
        return self._labels(self.probabilities(list(texts)))

    def predict_many_english(self, texts: Sequence[str]) -> tuple[list[Label], np.ndarray]:
        """:meth:`predict_many` and :func:`goodwill.text.language.clearly_english` of each text
        (the language pre-check, read off the same tokenisation)."""
        from goodwill.text.batch import batch_scores_english

        s, english = batch_scores_english(self, [t or "" for t in texts])
        s -= s.max(axis=1, keepdims=True)
        np.exp(s, out=s)
        s /= s.sum(axis=1, keepdims=True)
        return self._labels(s), english

    def _labels(self, probs: np.ndarray) -> list[Label]:
        """One label per row of class probabilities."""
        if not len(probs):
            return []
        best = probs.argmax(axis=1)
        score = np.round(probs[:, 2] - probs[:, 0], 4)
        # one shared (immutable) Label per class and rounded score: score + 4·class names it
        keys = (score + 4.0 * best).tolist()
        known = self.cache.setdefault("\x00labels", {})
        try:
            got = itemgetter(*keys)(known)
        except KeyError:
            for k, b, sc in zip(keys, best.tolist(), score.tolist(), strict=True):
                if k not in known:
                    known[k] = Label(sentiment=SENTIMENTS[b], score=sc + 0.0)
            got = itemgetter(*keys)(known)
        return [got] if len(keys) == 1 else list(got)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "version": self.version,
            "bias": list(self.bias),
            "bigrams": self.bigrams,
            "weights": {k: list(v) for k, v in self.weights.items()},
        }

    def save(self, path: Path) -> None:
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            json.dump(self.to_json(), fh, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> FastModel:
        bias = _triple(data["bias"])
        raw = data["weights"]
        if not isinstance(raw, dict):
            raise ValueError("lexicon weights must be an object")
        weights = {str(k): _triple(v) for k, v in raw.items()}
        return cls(
            name=str(data["name"]),
            version=str(data["version"]),
            bias=bias,
            weights=weights,
            bigrams=bool(data.get("bigrams", True)),
        )


def _triple(value: object) -> tuple[float, float, float]:
    if not isinstance(value, Sequence) or len(value) != 3:
        raise ValueError(f"expected three numbers, got {value!r}")
    return float(value[0]), float(value[1]), float(value[2])


@cache
def load_fast(path: Path = FAST_MODEL_PATH) -> FastModel:
    """The committed fast model (loaded once per process)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return FastModel.from_json(json.load(fh))
