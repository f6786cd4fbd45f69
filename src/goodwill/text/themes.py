"""Top negative themes: clusters of similar complaints, each with a name and examples. Pure.

Texts are compared as word TF-IDF vectors over crudely stemmed words
(``idf = ln((1 + N) / (1 + df)) + 1``, stop words and handles dropped, L2-normalised; sparse,
scikit-learn's ``TfidfVectorizer``). Words are runs of Unicode letters, so complaints in
Spanish, French, German, Italian or Portuguese cluster as English ones do; the stop words
cover those languages too (``STOP_WORDS``), and the English plural/verb suffix is only cut
from words of more than four letters.
Clustering is single-pass *leader* clustering in order of decreasing negativity: a text joins
the theme whose leader is most similar to it when that cosine is ≥ ``threshold``, else it leads
a new theme. A theme is named by the three words with the highest summed TF-IDF over its
members; themes are ranked by size (ties: more negative first).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

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
) | frozenset(
    # Spanish, Portuguese, French, Italian, German: articles, pronouns, prepositions, auxiliaries
    """el la los las un una unos unas de del al y o que en por para con sin se su sus es son
    fue ha han lo le les me mi mis te tu tus nos yo ya muy pero como mas más este esta esto
    estos estas ese esa eso hay no si sí o os as um uma do da dos das em no na nos nas ao à
    é foi tem meu minha você vocês eu ele ela isso isto mas não sim le la les un une des du
    de et ou que qui dans pour par avec sans sur ce cet cette ces je tu il elle nous vous ils
    elles mon ma mes ton ta tes son sa ses est sont été ai as avons avez ont ne pas plus très
    il lo la gli le uno una di da in con su per tra fra che e è sono ho hai ha abbiamo non mi
    ti ci vi si mio mia tuo tua suo sua der die das ein eine einen dem den des und oder zu im
    in mit von für auf ist sind war ich du er sie es wir ihr mein meine dein nicht kein keine
    noch schon sehr aber wie was""".split()  # noqa: SIM905
)
_WORD = re.compile(r"@\w+|[^\W\d_][^\W\d_']+")


_SUFFIX = re.compile(r"(?:ing|ed|es|s)$")


def _words(text: str) -> list[str]:
    """Content words, crudely stemmed (``crashing``, ``crashes`` → ``crash``)."""
    words = [w for w in _WORD.findall(text.lower()) if not w.startswith("@")]
    return [_SUFFIX.sub("", w) if len(w) > 4 else w for w in words if w not in STOP_WORDS]


def word_tfidf(texts: Sequence[str]) -> tuple[scipy.sparse.csr_matrix, list[str]]:
    """Unit-length sparse word TF-IDF vectors (one row per text) and the vocabulary."""
    vectoriser = TfidfVectorizer(analyzer=_words, smooth_idf=True, norm="l2")
    try:
        vectors = vectoriser.fit_transform([t or "" for t in texts]).tocsr()
    except ValueError:  # no content word in any text
        return scipy.sparse.csr_matrix((len(texts), 0)), []
    return vectors, [str(w) for w in vectoriser.get_feature_names_out()]


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
            sims = (vectors[leaders] @ vectors[i].T).toarray().ravel()
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
        weight = np.asarray(vectors[idx].sum(axis=0)).ravel()
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
