"""Key-message pull-through: for each key message, the share of mentions that carry it (by
meaning, not keywords) and their sentiment. Pure: takes and returns DataFrames.

Similarity of a mention m and a message k is a cosine ``cos(v_m, v_k)`` of unit vectors from one
of two encoders:

* ``embedding`` — all-MiniLM-L6-v2 sentence embeddings (:mod:`goodwill.text.embeddings`, the
  ``[accurate]`` extra): recognises paraphrases. Threshold 0.40.
* ``char-tfidf`` — the light fallback: TF-IDF over character 3–5-grams inside words
  (``idf = ln((1 + N) / (1 + df)) + 1`` over mentions and messages together), L2-normalised.
  Catches reworded and misspelt mentions of the message's own words, in any language written
  with word boundaries, not paraphrases with other words. Threshold 0.25. The vectors are
  sparse and hashed (scikit-learn's ``HashingVectorizer``, ``analyzer="char_wb"``, lower-cased,
  ``CHAR_BUCKETS`` columns), and the mentions are read in chunks of ``CHUNK``: memory grows
  with the chunk and the number of messages, not with the number of mentions.

``auto`` uses ``embedding`` when the extra is installed, else ``char-tfidf``; the output says
which was used. A mention carries message k when ``cos ≥ threshold``; a mention may carry
several messages (:func:`carried` decides this for every mention and message). Per message:

    share          = mentions carrying k / all mentions
    net_sentiment  = (positive − negative) / (positive + negative) among those carrying k
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import HashingVectorizer  # type: ignore[import-untyped]
from sklearn.preprocessing import normalize  # type: ignore[import-untyped]

__all__ = [
    "THRESHOLDS",
    "Carried",
    "carried",
    "char_grams",
    "char_idf",
    "char_similarity",
    "char_tfidf",
    "choose_method",
    "gram_words",
    "pull_through",
    "similarity",
]

THRESHOLDS = {"embedding": 0.40, "char-tfidf": 0.25}
_WORD = re.compile(r"[a-z0-9']+")
CHAR_BUCKETS = 2**18
CHUNK = 10_000
_CHARS = HashingVectorizer(
    analyzer="char_wb",
    ngram_range=(3, 5),
    n_features=CHAR_BUCKETS,
    alternate_sign=False,
    norm=None,
    dtype=np.float32,
)


def gram_words(text: str) -> list[str]:
    """The lower-cased words of ``text`` whose character grams :func:`char_grams` counts (a
    text's grams are the sum of its words' grams: each word is padded on its own)."""
    return _WORD.findall(text.lower())


def char_grams(text: str) -> Counter[str]:
    """Character 3–5-grams of the lower-cased words of ``text`` (:func:`gram_words`,
    ``<word>`` padded)."""
    grams: Counter[str] = Counter()
    for word in gram_words(text):
        padded = f"<{word}>"
        for n in (3, 4, 5):
            for i in range(len(padded) - n + 1):
                grams[padded[i : i + n]] += 1
    return grams


def _hashed(texts: Sequence[str]) -> scipy.sparse.csr_matrix:
    return _CHARS.transform([t or "" for t in texts])


def char_idf(texts: Sequence[str], chunk: int = CHUNK) -> np.ndarray:
    """``idf_b = ln((1 + N) / (1 + df_b)) + 1`` of every hashed column over ``texts``."""
    df = np.zeros(CHAR_BUCKETS, np.int64)
    for start in range(0, len(texts), chunk):
        counts = _hashed(texts[start : start + chunk])
        df += np.bincount(counts.indices, minlength=CHAR_BUCKETS)
    result: np.ndarray = (np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0).astype(np.float32)
    return result


def char_tfidf(texts: Sequence[str], idf: np.ndarray | None = None) -> scipy.sparse.csr_matrix:
    """Unit-length sparse TF-IDF vectors of character 3–5-grams, one row per text (``idf``
    from ``texts`` themselves unless given)."""
    idf = char_idf(texts) if idf is None else idf
    weighted = _hashed(texts).multiply(idf[None, :]).tocsr()
    result: scipy.sparse.csr_matrix = normalize(weighted)
    return result


def char_similarity(
    mentions: Sequence[str], messages: Sequence[str], chunk: int = CHUNK
) -> np.ndarray:
    """``cos`` of every mention and message under ``char-tfidf`` (rows: mentions), computed
    ``chunk`` mentions at a time."""
    idf = char_idf([*messages, *mentions], chunk)
    targets = char_tfidf(messages, idf).T.tocsc()
    out = np.zeros((len(mentions), len(messages)), np.float64)
    for start in range(0, len(mentions), chunk):
        part = char_tfidf(mentions[start : start + chunk], idf)
        out[start : start + part.shape[0]] = (part @ targets).toarray()
    return out


def choose_method(method: str = "auto") -> str:
    """``embedding`` or ``char-tfidf``. ``auto`` is ``embedding`` exactly when the packages of
    the ``[accurate]`` extra are installed (:func:`goodwill.text.embeddings.embedding_available`,
    checked without importing them); any error while loading or running the encoder then
    surfaces instead of silently switching method."""
    if method in THRESHOLDS:
        return method
    if method != "auto":
        raise ValueError(f"method {method!r}: expected auto, embedding or char-tfidf")
    from goodwill.text.embeddings import embedding_available

    return "embedding" if embedding_available() else "char-tfidf"


def similarity(mentions: Sequence[str], messages: Sequence[str], method: str) -> np.ndarray:
    """Cosine similarity, one row per mention and one column per message."""
    if method == "embedding":
        from goodwill.text.embeddings import load_minilm

        vectors = load_minilm().encode([*messages, *mentions])
        k = len(messages)
        result: np.ndarray = vectors[k:] @ vectors[:k].T
        return result
    return char_similarity(list(mentions), list(messages))


@dataclass(frozen=True)
class Carried:
    """Which mention carries which key message: ``similarity`` has one row per mention and
    one column per message; a mention carries a message when it is ``≥ threshold``."""

    method: str
    threshold: float
    similarity: np.ndarray

    @property
    def carries(self) -> np.ndarray:
        """``similarity ≥ threshold`` (booleans, mentions × messages)."""
        result: np.ndarray = self.similarity >= self.threshold
        return result


def carried(
    mentions: pd.DataFrame,
    messages: pd.DataFrame,
    *,
    method: str = "auto",
    threshold: float | None = None,
) -> Carried:
    """The per-mention decision behind :func:`pull_through`: the similarity of every mention
    (``mentions.text``, in row order) to every key message (``messages.text``, in row order)
    with ``method`` (:func:`choose_method`) and the threshold it is cut at (``threshold``, or
    :data:`THRESHOLDS` of the method)."""
    method = choose_method(method)
    cut = THRESHOLDS[method] if threshold is None else threshold
    texts = mentions["text"].fillna("").astype(str).tolist()
    sims = (
        similarity(texts, messages["text"].astype(str).tolist(), method)
        if texts and not messages.empty
        else np.zeros((len(texts), len(messages)))
    )
    return Carried(method=method, threshold=cut, similarity=sims)


def pull_through(
    mentions: pd.DataFrame,
    messages: pd.DataFrame,
    *,
    method: str = "auto",
    threshold: float | None = None,
    examples: int = 2,
) -> pd.DataFrame:
    """Per key message (``messages``: ``message_id``, ``text``) the pull-through in
    ``mentions`` (``text``, ``sentiment``): ``message_id, mentions, carrying, share,
    positive, negative, net_sentiment, method, examples`` (``carrying``: the mentions
    :func:`carried` says carry the message)."""
    columns = [
        "message_id", "mentions", "carrying", "share", "positive", "negative",
        "net_sentiment", "method", "examples",
    ]  # fmt: skip
    if messages.empty:
        choose_method(method)
        return pd.DataFrame(columns=columns)
    decision = carried(mentions, messages, method=method, threshold=threshold)
    sims = decision.similarity
    texts = mentions["text"].fillna("").astype(str).tolist()
    sentiment = mentions["sentiment"].to_numpy() if texts else np.array([])
    rows = []
    for j, message_id in enumerate(messages["message_id"]):
        carry = decision.carries[:, j]
        pos = int(np.sum(carry & (sentiment == "positive")))
        neg = int(np.sum(carry & (sentiment == "negative")))
        best = np.argsort(-sims[:, j])[: min(examples, int(carry.sum()))]
        rows.append(
            {
                "message_id": message_id,
                "mentions": len(texts),
                "carrying": int(carry.sum()),
                "share": float(carry.sum()) / len(texts) if texts else math.nan,
                "positive": pos,
                "negative": neg,
                "net_sentiment": (pos - neg) / (pos + neg) if pos + neg else math.nan,
                "method": decision.method,
                "examples": " | ".join(texts[i] for i in best),
            }
        )
    return pd.DataFrame(rows, columns=columns)
