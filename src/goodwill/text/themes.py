"""Top negative themes: clusters of similar complaints, each with a name and examples. Pure.

Texts are compared as word TF-IDF vectors over crudely stemmed words
(``idf = ln((1 + N) / (1 + df)) + 1``, stop words and handles dropped, L2-normalised).
Clustering is single-pass *leader* clustering in order of decreasing negativity: a text joins
the theme whose leader is most similar to it when that cosine is ≥ ``threshold``, else it leads
a new theme. A theme is named by the three words with the highest summed TF-IDF over its
members; themes are ranked by size (ties: more negative first).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["STOP_WORDS", "negative_themes", "word_tfidf"]

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "they",
        "them",
        "their",
        "he",
        "she",
        "his",
        "her",
        "so",
        "just",
        "not",
        "no",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "what",
        "when",
        "where",
        "why",
        "how",
        "who",
        "all",
        "any",
        "as",
        "about",
        "again",
        "still",
        "up",
        "out",
        "get",
        "got",
        "im",
        "i'm",
        "it's",
        "dont",
        "don't",
    ]
)
_WORD = re.compile(r"@\w+|[a-z][a-z']+")


_SUFFIX = re.compile(r"(?:ing|ed|es|s)$")


def _words(text: str) -> list[str]:
    """Content words, crudely stemmed (``crashing``, ``crashes`` → ``crash``)."""
    words = [w for w in _WORD.findall(text.lower()) if not w.startswith("@")]
    return [_SUFFIX.sub("", w) if len(w) > 4 else w for w in words if w not in STOP_WORDS]


def word_tfidf(texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Unit-length word TF-IDF vectors (one row per text) and the vocabulary."""
    counted = [Counter(_words(t or "")) for t in texts]
    df: Counter[str] = Counter()
    for c in counted:
        df.update(c.keys())
    vocab = sorted(df)
    index = {w: i for i, w in enumerate(vocab)}
    n = len(texts)
    out = np.zeros((n, len(vocab)))
    for row, c in enumerate(counted):
        for word, k in c.items():
            out[row, index[word]] = k * (math.log((1 + n) / (1 + df[word])) + 1.0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12), vocab


def negative_themes(
    complaints: pd.DataFrame, *, threshold: float = 0.2, top: int = 5, examples: int = 3
) -> pd.DataFrame:
    """Themes of ``complaints`` (columns ``text``, ``sentiment_score``): ``rank, theme,
    size, share, mean_score, examples``."""
    columns = ["rank", "theme", "size", "share", "mean_score", "examples"]
    frame = complaints.sort_values("sentiment_score", kind="stable").reset_index(drop=True)
    if frame.empty:
        return pd.DataFrame(columns=columns)
    texts = frame["text"].fillna("").astype(str).tolist()
    vectors, vocab = word_tfidf(texts)
    leaders: list[int] = []
    members: list[list[int]] = []
    for i in range(len(texts)):
        if leaders:
            sims = vectors[leaders] @ vectors[i]
            best = int(np.argmax(sims))
            if sims[best] >= threshold:
                members[best].append(i)
                continue
        leaders.append(i)
        members.append([i])
    scores = frame["sentiment_score"].astype(float).to_numpy()
    order = sorted(range(len(members)), key=lambda k: (-len(members[k]), scores[members[k]].mean()))
    rows = []
    for rank, k in enumerate(order[:top], start=1):
        idx = members[k]
        weight = vectors[idx].sum(axis=0)
        name = " ".join(vocab[j] for j in np.argsort(-weight)[:3] if weight[j] > 0)
        rows.append(
            {
                "rank": rank,
                "theme": name,
                "size": len(idx),
                "share": len(idx) / len(texts),
                "mean_score": float(scores[idx].mean()),
                "examples": " | ".join(texts[i] for i in idx[:examples]),
            }
        )
    return pd.DataFrame(rows, columns=columns)
