"""Per-language sentiment models: hashed character and word n-gram TF-IDF and a linear head,
built from scikit-learn parts.

A text ``x`` (URLs dropped, ``@handles`` written ``@user``) becomes two blocks of features:

* **characters** — :class:`sklearn.feature_extraction.text.HashingVectorizer` with
  ``analyzer="char_wb"`` (2–5-grams inside word boundaries, lower-cased), ``CHAR_BUCKETS``
  buckets;
* **words** — the same with ``analyzer="word"`` (1–2-grams of words, emoji and punctuation
  marks as tokens), ``WORD_BUCKETS`` buckets.

In each block ``t_b = (1 + ln count_b) · idf_b`` with ``idf_b = ln((1 + n) / (1 + df_b)) + 1``
over the ``n`` training texts (:class:`~sklearn.feature_extraction.text.TfidfTransformer`,
``sublinear_tf``), scaled to unit length; the class scores and output are

    s_c = b_c + Σ_j x_j · W[j, c],   p = softmax(s)
    sentiment = argmax p,            sentiment_score = p_positive − p_negative

``W`` and ``b`` are a multinomial :class:`~sklearn.linear_model.LogisticRegression` fitted by
``python -m goodwill.text.train multilingual`` on the UMSAB training tweets of each language
(see :mod:`goodwill.text.train`). The committed artefact ``models/multilingual.npz`` stores per
language only the buckets the training texts used (idf and ``float16`` weights), so it stays
small; an unseen bucket has the largest idf and no weight, exactly as in training.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
import scipy.sparse  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import HashingVectorizer  # type: ignore[import-untyped]
from sklearn.preprocessing import normalize  # type: ignore[import-untyped]

from goodwill.text.labels import SENTIMENTS, Label

__all__ = [
    "CHAR_BUCKETS",
    "MULTILINGUAL_MODEL_PATH",
    "WORD_BUCKETS",
    "NgramModel",
    "clean",
    "hashed_counts",
    "load_multilingual",
]

MULTILINGUAL_MODEL_PATH = Path(__file__).parent / "models" / "multilingual.npz"
CHAR_BUCKETS = 2**17
WORD_BUCKETS = 2**16
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_HANDLE = re.compile(r"@\w+")

_CHAR = HashingVectorizer(
    analyzer="char_wb",
    ngram_range=(2, 5),
    n_features=CHAR_BUCKETS,
    alternate_sign=False,
    norm=None,
)
_WORDS = HashingVectorizer(
    analyzer="word",
    ngram_range=(1, 2),
    n_features=WORD_BUCKETS,
    alternate_sign=False,
    norm=None,
    token_pattern=r"(?u)@?\b\w+\b|[^\w\s]",
)


def clean(text: str) -> str:
    """``text`` with URLs dropped and every ``@handle`` written ``@user``."""
    return _HANDLE.sub("@user", _URL.sub(" ", text or ""))


def hashed_counts(texts: Sequence[str]) -> scipy.sparse.csr_matrix:
    """Raw n-gram counts, one row per text: columns ``[0, CHAR_BUCKETS)`` characters, then
    ``WORD_BUCKETS`` word columns."""
    cleaned = [clean(t) for t in texts]
    return scipy.sparse.hstack([_CHAR.transform(cleaned), _WORDS.transform(cleaned)], format="csr")


def tfidf(counts: scipy.sparse.csr_matrix, idf: np.ndarray) -> scipy.sparse.csr_matrix:
    """``(1 + ln count) · idf``, the character and the word block each of unit length.

    Computed in place on one copy of ``counts``: ``idf`` is gathered at the stored columns
    and each block's row is normalised by scikit-learn's own row normaliser
    (``inplace_csr_row_normalize_l2``, as ``normalize`` calls it) over a view whose rows are
    the blocks (two per text), the same numbers as slicing, normalising and stacking the
    blocks, without the fixed cost of building five matrices per call."""
    from sklearn.utils.sparsefuncs_fast import (  # type: ignore[import-untyped]
        inplace_csr_row_normalize_l2,
    )

    t = counts.astype(np.float64).tocsr()
    if not t.nnz:
        return t
    t.data = (1.0 + np.log(t.data)) * idf[t.indices]
    is_char = t.indices < CHAR_BUCKETS
    row_len = np.diff(t.indptr)
    same_row = np.repeat(np.arange(t.shape[0]), row_len)
    if np.any(~is_char[:-1] & is_char[1:] & (same_row[:-1] == same_row[1:])):
        # a row stores a word column before a character column: slice the blocks
        chars = normalize(t[:, :CHAR_BUCKETS])
        words = normalize(t[:, CHAR_BUCKETS:])
        return scipy.sparse.hstack([chars, words], format="csr")
    # every row: its character columns, then its word columns; one view row per block
    chars_upto = np.concatenate([[0], np.cumsum(is_char)])
    n_chars = chars_upto[t.indptr[1:]] - chars_upto[t.indptr[:-1]]
    blocks = np.empty(2 * t.shape[0] + 1, dtype=t.indptr.dtype)
    blocks[0::2] = t.indptr
    blocks[1::2] = t.indptr[:-1] + n_chars
    view = scipy.sparse.csr_matrix(
        (t.data, t.indices, blocks), shape=(2 * t.shape[0], t.shape[1]), copy=False
    )
    inplace_csr_row_normalize_l2(view)
    return t


def idf_of(counts: scipy.sparse.csr_matrix) -> np.ndarray:
    """``idf_b = ln((1 + n) / (1 + df_b)) + 1`` over the rows of ``counts``."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    result: np.ndarray = np.log((1.0 + counts.shape[0]) / (1.0 + df)) + 1.0
    return result


@dataclass(frozen=True)
class NgramModel:
    """One language's model: ``idf`` and ``weights`` (one row per bucket, three columns in
    the order of :data:`goodwill.text.labels.SENTIMENTS`) and ``bias``."""

    language: str
    version: str
    idf: np.ndarray
    weights: np.ndarray
    bias: np.ndarray

    @property
    def label(self) -> str:
        """``name@version`` recorded with its labels: ``ngram-es@1``."""
        return f"ngram-{self.language}@{self.version}"

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities, one row of (negative, neutral, positive) per text."""
        if not texts:
            return np.zeros((0, 3))
        s = np.asarray(tfidf(hashed_counts(texts), self.idf) @ self.weights) + self.bias
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        result: np.ndarray = p / p.sum(axis=1, keepdims=True)
        return result

    def predict_many(self, texts: Sequence[str]) -> list[Label]:
        """The sentiment of many texts."""
        probs = self.probabilities(list(texts))
        return [
            Label(sentiment=SENTIMENTS[int(np.argmax(p))], score=round(float(p[2] - p[0]), 4) + 0.0)
            for p in probs
        ]

    def predict(self, text: str) -> Label:
        """The sentiment of one text."""
        return self.predict_many([text])[0]

    def arrays(self) -> dict[str, np.ndarray]:
        """The compact form saved in the ``.npz``: the used buckets, their idf and weights."""
        used = np.flatnonzero(np.any(self.weights != 0.0, axis=1)).astype(np.int32)
        return {
            f"{self.language}/buckets": used,
            f"{self.language}/idf": self.idf[used].astype(np.float32),
            f"{self.language}/idf_unseen": np.array(self.idf.max(), np.float32),
            f"{self.language}/weights": self.weights[used].astype(np.float16),
            f"{self.language}/bias": self.bias.astype(np.float32),
            f"{self.language}/version": np.array(self.version),
        }


class _Stored(Protocol):
    def arrays(self) -> dict[str, np.ndarray]: ...


def save_models(models: Sequence[_Stored], path: Path) -> None:
    """All ``models`` in one compressed ``.npz`` (each one's ``arrays()``:
    :meth:`NgramModel.arrays`, :meth:`goodwill.text.use_sentiment.UseHead.arrays`)."""
    arrays: dict[str, np.ndarray] = {}
    for m in models:
        arrays.update(m.arrays())
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]


@cache
def load_multilingual(path: Path = MULTILINGUAL_MODEL_PATH) -> dict[str, NgramModel]:
    """The committed per-language models, by ISO 639-1 code (loaded once per process)."""
    models: dict[str, NgramModel] = {}
    with np.load(path, allow_pickle=False) as data:
        languages = sorted({k.split("/")[0] for k in data.files})
        for lang in languages:
            n = CHAR_BUCKETS + WORD_BUCKETS
            used = data[f"{lang}/buckets"]
            idf = np.full(n, float(data[f"{lang}/idf_unseen"]))
            idf[used] = data[f"{lang}/idf"]
            weights = np.zeros((n, 3))
            weights[used] = data[f"{lang}/weights"]
            models[lang] = NgramModel(
                language=lang,
                version=str(data[f"{lang}/version"]),
                idf=idf,
                weights=weights,
                bias=data[f"{lang}/bias"].astype(np.float64),
            )
    return models
