"""The accurate sentiment model: a logistic-regression head on three views of a text.

Features of a text ``x = [e, log p_fast, t]``:

* ``e`` — its all-MiniLM-L6-v2 sentence embedding (384 numbers, :mod:`goodwill.text.
  embeddings`, the ``[accurate]`` extra, int8 on onnxruntime); since version 4 from the encoder
  with fine-tuned LoRA deltas merged into the package's weights (the head's ``encoder``,
  ``models/accurate_minilm_lora.safetensors``, 1.4 MB, SHA-256 in :data:`FINETUNED_SHA256`;
  :mod:`goodwill.text.finetune`; since version 5 fitted on all SemEval years), and the
  fine-tuned classifier's scores ``20 · e · Wᶜᵀ + bᶜ``,
  weight :data:`goodwill.text.train_accurate.FINETUNED_BLEND`, folded into ``e``'s rows of
  ``W`` and into ``b``;
* ``log p_fast`` — the fast lexicon model's log-probabilities (3 numbers). The version-3 head
  is not fitted on them: their rows of ``W`` are ``w · I`` with ``w`` =
  :data:`goodwill.text.train_accurate.FAST_BLEND`, i.e. the head's class scores plus ``w``
  times the fast model's log-probabilities — a blend chosen on the year split (a head that
  learns these weights on the rows the fast model was fitted on over-trusts it);
* ``t`` — two hashed TF-IDF blocks of ``B`` = ``NGRAM_BUCKETS`` buckets each: the fast model's
  lexicon features (words, ``NOT_`` words, bigrams, emoji, hashtags, markers;
  :func:`goodwill.text.features.extract`, each counted once per text) in bucket
  ``crc32("w:" + f) mod B``, and the character 3–5-grams of the words
  (:func:`goodwill.text.pullthrough.char_grams`, handles removed) in ``B + crc32("c:" + g)
  mod B``; ``t_b = (1 + log count_b) · idf_b``, each block scaled to unit length.

Class scores and output:

    s_c = b_c + Σ_j x_j · W[j, c]
    p_c = softmax(s)_c;  sentiment = argmax p;  sentiment_score = p_positive − p_negative

``W``, ``b`` and ``idf`` (``models/accurate_head.npz``, a few hundred kB) are fitted by
``python -m goodwill.text.train accurate`` (:mod:`goodwill.text.train_accurate`) on SemEval
2013–2016 without the TweetEval validation tweets. Prediction runs the encoder one text at a
time (a few hundred texts per CPU-second, against tens of thousands for the fast model).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse  # type: ignore[import-untyped]

from goodwill.text.fast import load_fast
from goodwill.text.features import extract, normalise
from goodwill.text.labels import SENTIMENTS, Label
from goodwill.text.pullthrough import char_grams, gram_words

if TYPE_CHECKING:
    from goodwill.text.embeddings import MiniLM

__all__ = [
    "ACCURATE_MODEL_PATH",
    "FINETUNED_SHA256",
    "NGRAM_BUCKETS",
    "AccurateModel",
    "fast_log_probs",
    "hashed_counts",
    "idf_of",
    "load_accurate",
    "tfidf",
]

ACCURATE_MODEL_PATH = Path(__file__).parent / "models" / "accurate_head.npz"
FINETUNED_SHA256: dict[str, str] = {
    "accurate_minilm_lora.safetensors": (
        "c41bff312fe3e77b7d4c410b9cc6e2b386a35e4a61e73e8ca6dcb0869ff87c11"
    ),
}
"""SHA-256 of each fine-tuned encoder artefact in ``models/`` (:mod:`goodwill.text.finetune`)
a head may name as its ``encoder``; checked at load."""
NGRAM_BUCKETS = 2**15
_HANDLE = re.compile(r"@\w+")


def fast_log_probs(texts: Sequence[str]) -> np.ndarray:
    """``log p`` of the fast model, one row of three per text."""
    probs = load_fast().probabilities(texts)
    result: np.ndarray = np.log(np.maximum(probs, 1e-9))
    return result


def _bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % NGRAM_BUCKETS


_FEATURE_BUCKETS: dict[str, int] = {}
_WORD_GRAMS: dict[str, tuple[int, ...]] = {}
_CACHE_MAX = 300_000  # entries of each memo (cleared when full)


def _word_grams(word: str) -> tuple[int, ...]:
    """The character-gram buckets of one word, a bucket once per occurrence of its gram."""
    buckets: list[int] = []
    for gram, count in char_grams(word).items():
        buckets.extend([NGRAM_BUCKETS + _bucket("c:" + gram)] * count)
    return tuple(buckets)


def hashed_counts(texts: Sequence[str]) -> scipy.sparse.csr_matrix:
    """Hashed feature counts, one row per text: columns ``[0, B)`` the lexicon features (each
    once), ``[B, 2B)`` the character 3–5-grams of the words (handles removed).

    A text's character grams are the sum of its words' (:func:`char_grams` pads each word on
    its own), so each distinct word's buckets are computed once and remembered."""
    features, grams = _FEATURE_BUCKETS, _WORD_GRAMS
    for memo in (features, grams):
        if len(memo) > _CACHE_MAX:
            memo.clear()
    columns: list[int] = []
    lengths: list[int] = []
    for text in texts:
        text = text or ""
        before = len(columns)
        buckets: set[int] = set()
        for feature in extract(text):
            b = features.get(feature)
            if b is None:
                b = features[feature] = _bucket("w:" + feature)
            buckets.add(b)
        columns.extend(buckets)
        for word in gram_words(_HANDLE.sub(" ", normalise(text))):
            g = grams.get(word)
            if g is None:
                g = grams[word] = _word_grams(word)
            columns.extend(g)
        lengths.append(len(columns) - before)
    rows = np.repeat(np.arange(len(texts)), lengths)
    counts = scipy.sparse.csr_matrix(
        (np.ones(len(columns)), (rows, np.asarray(columns, dtype=np.int64))),
        shape=(len(texts), 2 * NGRAM_BUCKETS),
    )
    counts.sum_duplicates()  # a character gram's occurrences add up
    return counts


def tfidf(counts: scipy.sparse.csr_matrix, idf: np.ndarray) -> scipy.sparse.csr_matrix:
    """``(1 + log count) · idf`` per bucket; the word and the character block each scaled to
    unit length."""
    t = counts.copy()
    t.data = 1.0 + np.log(t.data)
    t = t.multiply(idf[None, :]).tocsr()
    blocks = []
    for start in range(0, t.shape[1], NGRAM_BUCKETS):
        block = t[:, start : start + NGRAM_BUCKETS]
        norms = np.sqrt(np.asarray(block.multiply(block).sum(axis=1)).ravel())
        blocks.append(scipy.sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ block)
    return scipy.sparse.hstack(blocks).tocsr()


@dataclass(frozen=True)
class AccurateModel:
    """A trained head: dense weights (387 × 3) for ``[e, log p_fast]``, n-gram weights
    (2 · ``NGRAM_BUCKETS`` × 3), ``idf`` (2 · ``NGRAM_BUCKETS``) and ``bias``."""

    name: str
    version: str
    dense: np.ndarray
    sparse: np.ndarray
    idf: np.ndarray
    bias: np.ndarray
    encoder: str = ""
    """``""``: the packaged all-MiniLM-L6-v2; otherwise the file name (in ``models/``) of the
    fine-tuned deltas merged into it (:data:`FINETUNED_SHA256`)."""

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def encoder_model(self) -> MiniLM:
        """The encoder this head reads: the packaged all-MiniLM-L6-v2, or it with the
        fine-tuned deltas :attr:`encoder` merged (int8 on onnxruntime either way)."""
        from goodwill.text.embeddings import load_minilm

        if not self.encoder:
            return load_minilm()
        path = ACCURATE_MODEL_PATH.parent / self.encoder
        return load_minilm(deltas=path, deltas_sha256=FINETUNED_SHA256[self.encoder])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """The embeddings of :meth:`encoder_model`, one row per text."""
        return self.encoder_model().encode(texts)

    def probabilities(
        self, texts: Sequence[str], embeddings: np.ndarray | None = None
    ) -> np.ndarray:
        """Class probabilities, one row per text (embeddings computed unless given)."""
        if embeddings is None:
            embeddings = self.embed(texts)
        if np.any(self.dense[-3:]):
            dense = np.hstack([embeddings, fast_log_probs(texts)])
        else:  # a head trained without the fast model's probabilities (see train_accurate)
            dense = np.hstack([embeddings, np.zeros((len(texts), 3))])
        s = dense @ self.dense + tfidf(hashed_counts(texts), self.idf) @ self.sparse + self.bias
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
        """A compressed ``.npz``: float32 dense weights, float16 sparse weights and idf."""
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh,
                name=np.array(self.name),
                version=np.array(self.version),
                dense=self.dense.astype(np.float32),
                sparse=self.sparse.astype(np.float16),
                idf=self.idf.astype(np.float16),
                bias=self.bias.astype(np.float32),
                encoder=np.array(self.encoder),
            )


def idf_of(counts: scipy.sparse.csr_matrix) -> np.ndarray:
    """``idf_b = log((1 + n) / (1 + df_b)) + 1`` over the rows of ``counts``."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    result: np.ndarray = np.log((1.0 + counts.shape[0]) / (1.0 + df)) + 1.0
    return result


@cache
def load_accurate(path: Path = ACCURATE_MODEL_PATH) -> AccurateModel:
    """The committed head (the encoder itself loads on first use and needs the extra)."""
    with np.load(path, allow_pickle=False) as data:
        return AccurateModel(
            name=str(data["name"]),
            version=str(data["version"]),
            dense=data["dense"].astype(np.float64),
            sparse=data["sparse"].astype(np.float64),
            idf=data["idf"].astype(np.float64),
            bias=data["bias"].astype(np.float64),
            encoder=str(data["encoder"]) if "encoder" in data else "",
        )
