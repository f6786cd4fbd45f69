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
a pre-check (:mod:`goodwill.text.precheck`: ASCII letters; at least two distinct English
words, more than twice as many as foreign words) read off the fast model's token table
(``FastModel.predict_many_english``; :func:`english_many` uses the same tables without
scoring), nearly free when the fast model reads the texts anyway, against the detector's
~10 µs a text (batched; ~55 µs in py3langid's loop).

Accuracy on the UMSAB validation tweets (324 per language, see docs/listening.md): en 100 %,
es 97 %, fr 99 %, de 93 %, it 95 %, pt 94 %, ar 92 %, without restriction to these languages
(hi 0 %: the Hindi tweets are romanised). Of the 10,247 English airline tweets the pre-check
claims 90 % (75 % with the former rule), 98.8 % are detected English and 9 are sent to another
language's model (fr, it, de: short texts such as "@USAirways terrible service").

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

from goodwill.text.precheck import clearly_english, words

__all__ = [
    "MIN_LETTERS",
    "SENTIMENT_LANGUAGES",
    "UNDETERMINED",
    "BatchIdentifier",
    "clearly_english",
    "detect",
    "detect_full",
    "detect_many",
    "detect_rest",
    "english_many",
    "words",
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


def english_many(texts: Sequence[str]) -> np.ndarray:
    """:func:`clearly_english` of each text, read off the fast model's token tables (its
    chunk table tokenises each distinct white-space chunk once; see
    ``FastModel.predict_many_english``)."""
    from goodwill.text.batch import english_flags
    from goodwill.text.fast import load_fast

    return english_flags(load_fast(), [t or "" for t in texts])


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
    return detect_rest(texts, precheck=precheck, english=english)[0]


def detect_rest(
    texts: Sequence[str], *, precheck: bool = True, english: np.ndarray | None = None
) -> tuple[list[str], list[int]]:
    """:func:`detect_many`'s codes and the rows the pre-check left to the detector (the only
    rows whose code can be other than ``en``)."""
    n = len(texts)
    if precheck:
        claimed = english_many(texts) if english is None else np.asarray(english, dtype=bool)
        rest = np.flatnonzero(~claimed).tolist()
        result = ["en"] * n
    else:
        rest = list(range(n))
        result = [UNDETERMINED] * n
    if not rest:
        return result, rest
    batch = _batch()
    cleaned = _clean_many([texts[i] for i in rest])
    enough = (batch.letter_counts(cleaned) >= MIN_LETTERS).tolist()
    rows = [i for i, ok in zip(rest, enough, strict=True) if ok]
    for i, ok in zip(rest, enough, strict=True):
        if not ok:
            result[i] = UNDETERMINED
    some = [c for c, ok in zip(cleaned, enough, strict=True) if ok]
    for i, code in zip(rows, batch.classify(some), strict=True):
        result[i] = UNDETERMINED if code == "zxx" else code
    return result, rest


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
