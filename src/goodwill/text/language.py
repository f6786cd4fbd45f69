"""The language of a text, and the sentiment model that reads it.

Detection uses ``py3langid`` (a maintained port of ``langid.py``: a naive-Bayes model over
byte n-grams trained on 97 languages, shipped inside the package, numpy only). Before
detection a text loses its URLs, ``@handles`` and the ``#`` of hashtags, which carry no
language. A text with fewer than ``MIN_LETTERS`` letters (an emoji, a handle, "ok") gets
``und`` (undetermined). Codes are ISO 639-1 (``en``, ``es``, …).

:func:`detect` asks ``py3langid`` text by text. :func:`detect_many` computes the same decision
for a whole batch with array operations (:class:`BatchIdentifier`): py3langid walks a
finite automaton over a text's UTF-8 bytes in a Python loop, each state naming at most one
n-gram feature ``f``; its score of language ``l`` is

    score_l = pc_l + Σ_f ln(1 + count_f) · ptc[f, l]

and the answer is ``argmax_l score_l``. The batch walks all texts' automata in lockstep (one
numpy gather per byte position, over the texts that are still that long), counts the features
as one sparse matrix and scores the batch with one sparse × dense product, about 4× less CPU
than the loop on tweets; a test checks both give the same code on every UMSAB validation
tweet of the eight languages. Before that, :func:`clearly_english` texts skip the detector:
a pre-check that costs ~1–2 µs a text (:func:`english_many`; nearly nothing when the fast model
has tokenised the texts already, see ``FastModel.predict_many_english``) against the
detector's ~10 µs (batched; ~55 µs in py3langid's loop).

Accuracy on the UMSAB validation tweets (324 per language, see docs/listening.md): en 99 %,
es 97 %, fr 99 %, de 93 %, it 95 %, pt 94 %, ar 92 %, without restriction to these languages
(hi 0 %: the Hindi tweets are romanised). Of 3,000 English airline tweets, 2 were sent to another
language's model (fr, it); 38 more got a code without a model of its own (``pcm``, ``da``,
``ro``, …) and so the English model.

Which model labels a text (:func:`model_languages`): English, ``und`` and any language without
a model of its own are labelled by the English model asked for (``fast`` or ``accurate``);
a language of :data:`SENTIMENT_LANGUAGES` other than English by its per-language model
(:mod:`goodwill.text.ngram`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import scipy.sparse  # type: ignore[import-untyped]

__all__ = [
    "MIN_LETTERS",
    "SENTIMENT_LANGUAGES",
    "UNDETERMINED",
    "BatchIdentifier",
    "clearly_english",
    "detect",
    "detect_full",
    "detect_many",
    "english_many",
]

SENTIMENT_LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "ar", "hi")
"""Languages with a sentiment model (English: fast/accurate; the others: n-gram models)."""
UNDETERMINED = "und"
MIN_LETTERS = 3
_STRIP = re.compile(r"https?://\S+|www\.\S+|@\w+", re.IGNORECASE)
CHUNK = 4096
"""Texts scored together by :meth:`BatchIdentifier.classify` (keeps the arrays in cache)."""
_FLOOR = float(np.finfo(np.float32).min)
"""py3langid's score of every language for a text without any feature."""


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)


def _clean(text: str) -> str:
    return _STRIP.sub(" ", text or "").replace("#", " ")


ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "you",
        "your",
        "my",
        "is",
        "are",
        "were",
        "for",
        "with",
        "this",
        "that",
        "have",
        "had",
        "just",
        "what",
        "not",
        "but",
        "will",
        "can",
        "get",
        "got",
        "been",
        "they",
        "their",
        "our",
        "from",
        "about",
        "when",
        "would",
        "should",
        "could",
        "it's",
        "i'm",
        "don't",
        "can't",
        "didn't",
        "doesn't",
        "isn't",
        "thank",
        "thanks",
        "please",
        "who",
        "how",
        "why",
        "which",
        "there",
        "here",
        "them",
        "him",
        "his",
        "we",
        "us",
        "its",
        "of",
        "be",
        "if",
        "than",
        "then",
        "too",
        "very",
        "really",
        "being",
        "into",
        "over",
        "after",
        # frequent words of English tweets that are not words of those languages either
        # (``has``, ``see``, ``her``, ``still``, ``last``, ``show``, ``time`` … are left out)
        "at",
        "it",
        "going",
        "out",
        "day",
        "like",
        "up",
        "night",
        "go",
        "one",
        "want",
        "good",
        "tomorrow",
        "today",
        "know",
        "people",
        "they",
        "she",
        "some",
        "now",
        "only",
        "first",
        "think",
        "make",
        "need",
        "gonna",
        "wanna",
        "because",
        "off",
        "any",
        "much",
        "way",
        "even",
        "never",
        "did",
        "does",
        "watch",
        "getting",
        "right",
        "great",
        "year",
        "he's",
        "she's",
        "that's",
        "there's",
        "what's",
        "you're",
        "we're",
        "they're",
        "i've",
        "you've",
        "i'll",
        "you'll",
        "won't",
        "wasn't",
        "aren't",
        "couldn't",
        "wouldn't",
        "shouldn't",
        "haven't",
        "hasn't",
        "weren't",
        "tonight",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "against",
        "said",
        "says",
        "before",
        "next",
        "take",
        "wait",
        "watching",
        "birthday",
    ]
)
"""English words that are not words of Spanish, French, German, Italian or Portuguese
(``me``, ``so``, ``was``, ``do``, ``an``, ``in``, ``on``, ``to`` … are left out): function
words, and frequent words of the SemEval English tweets checked against the UMSAB training
tweets of the other languages (``has`` is Spanish, ``see``/``her``/``still``/``last`` German,
``time``/``show`` Brazilian loan words)."""
CLEARLY_ENGLISH = 3
"""A text of ASCII characters only with at least this many distinct :data:`ENGLISH_WORDS`
(lower-cased, split at white space) is English without asking the detector."""


def clearly_english(text: str) -> bool:
    """The pre-check of :data:`CLEARLY_ENGLISH`: ``text`` is ASCII and its lower-cased words
    (split at white space, ``#`` dropped; a handle or URL is one word that is none of
    :data:`ENGLISH_WORDS`) hold at least that many distinct English words. On the UMSAB
    validation tweets it claims 91.7 % of the English ones (74 % with the function words
    alone) and 75 % of the English airline tweets, and none of the Spanish, French, German,
    Italian, Portuguese or Arabic ones (of their training tweets: 4 German tweets that quote
    English); with 2 words instead of 3 it would claim 1.2 % of the German ones. English
    detection accuracy rises (UMSAB 99.1 → 100 %), no other language's changes (a test pins
    this)."""
    return text.isascii() and len(
        ENGLISH_WORDS.intersection(text.lower().replace("#", " ").split())
    ) >= (CLEARLY_ENGLISH)


_SEP = "\x00"


def english_many(texts: Sequence[str]) -> np.ndarray:
    """:func:`clearly_english` of each text, without a Python step per text: the batch is
    lower-cased, its ``#`` replaced and split into texts by three string operations, and
    ``map`` applies ``str.split``, the set intersection and ``len`` text by text in C."""
    texts = [t or "" for t in texts]
    n = len(texts)
    ascii_ = np.fromiter(map(str.isascii, texts), dtype=bool, count=n)
    big = _SEP.join(texts)
    parts = big.lower().replace("#", " ").split(_SEP)
    if len(parts) != n:  # a text holds the separator character: text by text
        parts = [t.lower().replace("#", " ") for t in texts]
    found = np.fromiter(
        map(len, map(ENGLISH_WORDS.intersection, map(str.split, parts))), dtype=np.int64, count=n
    )
    result: np.ndarray = ascii_ & (found >= CLEARLY_ENGLISH)
    return result


def detect(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language, or ``und``: ``en`` for a
    :func:`clearly_english` text, else py3langid's answer (:func:`detect_full`)."""
    if clearly_english(text or ""):
        return "en"
    return detect_full(text)


def detect_full(text: str) -> str:
    """py3langid's code of ``text`` (one text, its own loop; no English pre-check), or ``und``
    for fewer than ``MIN_LETTERS`` letters."""
    cleaned = _clean(text)
    if sum(ch.isalpha() for ch in cleaned) < MIN_LETTERS:
        return UNDETERMINED
    code, _ = _identifier().classify(cleaned)
    return UNDETERMINED if code == "zxx" else str(code)  # zxx: "no linguistic content"


class BatchIdentifier:
    """py3langid's model (automaton, feature and class tables) scored a batch at a time."""

    def __init__(self, identifier: Any) -> None:
        sizes = {2: np.uint16, 4: np.uint32, 8: np.uint64}
        move = identifier.tk_nextmove
        # py3langid's own automaton table, read in place (no copy; ~10M entries)
        self.nextmove = np.frombuffer(move, dtype=sizes[move.itemsize])
        row = identifier.tk_row
        rowbase = np.frombuffer(row, dtype=sizes[row.itemsize]).astype(np.int64) << 8
        self.rowbase = rowbase.astype(self.nextmove.dtype)
        self.output = np.asarray(identifier.tk_output, dtype=np.int32)
        self.ptc = np.asarray(identifier.nb_ptc, dtype=np.float32)
        """``ptc[f, l]`` in float32 (py3langid stores float16 and computes in float32)."""
        self.pc = np.asarray(identifier.nb_pc, dtype=np.float32)
        self.classes = [str(c) for c in identifier.nb_classes]
        self.aliases = list(identifier._alias_pairs)
        self.letters = np.full(0x110000, -1, dtype=np.int8)
        """``str.isalpha`` of each code point, filled as code points are met (−1: not yet)."""

    def letter_counts(self, texts: Sequence[str]) -> np.ndarray:
        """The number of letters (``str.isalpha``) in each text."""
        big = "".join(texts)
        points = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if len(points):
            known = self.letters[points]
            if (known < 0).any():
                for p in np.unique(points[known < 0]).tolist():
                    self.letters[p] = 1 if chr(p).isalpha() else 0
                known = self.letters[points]
        else:
            known = np.zeros(0, dtype=np.int8)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        csum = np.concatenate([[0], np.cumsum(known, dtype=np.int64)])
        ends = np.cumsum(lengths)
        result: np.ndarray = csum[ends] - csum[ends - lengths]
        return result

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """py3langid's raw score of every class, one row per text (as its ``_decide`` without
        probability normalisation, script aliases merged)."""
        out = np.empty((len(texts), len(self.classes)), dtype=np.float32)
        for start in range(0, len(texts), CHUNK):
            out[start : start + CHUNK] = self._scores(texts[start : start + CHUNK])
        for i, j in self.aliases:
            out[:, i] = np.maximum(out[:, i], out[:, j])
            out[:, j] = _FLOOR
        return out

    def _scores(self, texts: Sequence[str]) -> np.ndarray:
        n = len(texts)
        encoded = [
            unicodedata.normalize("NFC", t.lower() if t.isupper() else t).encode(
                "utf8", errors="surrogatepass"
            )
            for t in texts
        ]
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=n)
        order = np.argsort(-lengths, kind="stable")
        longest = int(lengths.max()) if n else 0
        sorted_lengths = lengths[order]
        flat = np.frombuffer(b"".join(encoded[i] for i in order.tolist()), dtype=np.uint8)
        # the bytes, one row per byte position, one column per text (longest text first)
        padded = np.zeros((n, longest), dtype=np.uint8)
        padded[np.arange(longest)[None, :] < sorted_lengths[:, None]] = flat
        grid = np.ascontiguousarray(padded.T).astype(self.nextmove.dtype)
        # texts still that long at position i: a prefix of the sorted texts
        active = np.searchsorted(-sorted_lengths, -np.arange(1, longest + 1), side="right")
        state = np.zeros(n, dtype=self.nextmove.dtype)
        features = np.full((longest, n), -1, dtype=self.output.dtype)
        nextmove, rowbase, output = self.nextmove, self.rowbase, self.output
        for i in range(longest):
            k = int(active[i])
            moved = nextmove[rowbase[state[:k]] + grid[i, :k]]
            state[:k] = moved
            features[i, :k] = output[moved]
        # (text, feature) pairs, text by text; equal pairs counted after one sort
        by_text = features.T
        emitted = by_text >= 0
        width = self.ptc.shape[0]
        text = np.repeat(np.arange(n, dtype=np.int64), emitted.sum(axis=1))
        keys = np.sort(text * width + by_text[emitted])
        s = np.tile(self.pc, (n, 1))
        if len(keys):
            first = np.empty(len(keys), dtype=bool)
            first[0] = True
            np.not_equal(keys[1:], keys[:-1], out=first[1:])
            starts = np.flatnonzero(first)
            counts = np.diff(np.append(starts, len(keys))).astype(np.float32)
            pairs = keys[starts]
            indptr = np.concatenate([[0], np.cumsum(np.bincount(pairs // width, minlength=n))])
            matrix = scipy.sparse.csr_matrix(
                (np.log1p(counts), pairs % width, indptr), shape=(n, width)
            )
            s += np.asarray(matrix @ self.ptc)
        s[~emitted.any(axis=1)] = _FLOOR
        result = np.empty_like(s)
        result[order] = s
        return result

    def classify(self, texts: Sequence[str]) -> list[str]:
        """py3langid's language code of each text (its ``classify``, batched)."""
        if not texts:
            return []
        best = self.scores(texts).argmax(axis=1).tolist()
        return [self.classes[b] for b in best]


@cache
def _batch() -> BatchIdentifier:
    return BatchIdentifier(_identifier())


def detect_many(
    texts: Sequence[str], *, precheck: bool = True, english: np.ndarray | None = None
) -> list[str]:
    """:func:`detect` of every text (``precheck=False``: :func:`detect_full` of every text),
    computed for the whole batch at once (:class:`BatchIdentifier`). ``english``: the
    pre-check's answers when the caller has them already (:func:`english_many`'s, as the fast
    model's ``predict_many_english`` returns them)."""
    batch = _batch()
    if precheck:
        claimed = (english_many(texts) if english is None else english).tolist()
        result = ["en" if c else UNDETERMINED for c in claimed]
        rest = [i for i, c in enumerate(claimed) if not c]
    else:
        result = [UNDETERMINED] * len(texts)
        rest = list(range(len(texts)))
    cleaned = dict(zip(rest, _clean_many([texts[i] for i in rest]), strict=True))
    enough = (batch.letter_counts([cleaned[i] for i in rest]) >= MIN_LETTERS).tolist()
    rows = [i for i, ok in zip(rest, enough, strict=True) if ok]
    for i, code in zip(rows, batch.classify([cleaned[i] for i in rows]), strict=True):
        result[i] = UNDETERMINED if code == "zxx" else code
    return result


_RS = "\x1e"
"""Joins texts for :func:`_clean_many`: white space to ``re`` (``\\s``), so no URL or handle
match runs across it."""


def _clean_many(texts: Sequence[str]) -> list[str]:
    """:func:`_clean` of each text, by one regex pass over the joined batch."""
    texts = [t or "" for t in texts]
    if not texts:
        return []
    joined = _RS.join(texts)
    if joined.count(_RS) != len(texts) - 1:  # a text holds the separator: text by text
        return [_clean(t) for t in texts]
    return _STRIP.sub(" ", joined).replace("#", " ").split(_RS)
