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
a pre-check (ASCII letters; at least two distinct :data:`ENGLISH_WORDS`, more than twice as many
as :data:`FOREIGN_WORDS`) read off the fast model's token table (``FastModel.
predict_many_english``; :func:`english_many` uses the same tables without scoring), nearly
free when the fast model reads the texts anyway, against the detector's ~10 µs a text
(batched; ~55 µs in py3langid's loop).

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
_UMSAB_WORDS = """
ab aber abrazo ach acho ad adesso agora ahora ai ainda algo alguien alla alle alles als
altri amigos amo amor amore ana anche ancora anni anos ans ao aqui assim assistindo assistir
au auch auf aus autour aux avec azul bei bella bem bene bien bin bis bitte bom bonito buen
buena bueno buenos buon c'est cara casa casi ce centrale changement che chi ci ciao claro
climat climatique coisa comme como con conmigo contre contro cosa cosas creo crisi cuando
dai dal dalla danke dann dans das dass degli dei della delle dem den depois der des desde
desse dia dice diese dios dir dire doch dopo dos du durable ecco echt ecologie ecotaxe ed
effet ein eine einen einfach ela ele elle endlich energie environnement er era eres es esa
ese eso espero essa esse essere esta estaba estar este esto estoy et eu fa faire fait
falando falar fare fatto faz fazer feliz ficar fiducia foi forza foto fue ganas ganz gaz
gegen geht gente gli gosto governo gracias gran grande grazie gut gute guten hab haben hace
hacer hai hanno hasta hay heute hier hj ho hoje hola hoy ich igual ihr ils immer io ir isso
ist italiani ja jaja jajaja je jetzt kann kein keine l'ecologie l'italia las lavoro le les
leur liebe linda lindo lo machen macht mai mais mal manovra mas mehr meine mejor melhor
menos mesmo meu mi mia mich minha ministre ministri mio mir mis mismo mit moins monde mondo
morgen muchas mucho muito mulher mundo muss muy n'est nach nada nao ne nel nem neue ni nicht
noch noche noi non nos nossa notre nous nouveau nuevo nunca nuovo nur oder oggi oiseaux ont
ontem ora os ou padre paese panneaux par para parece partiti pas pasa pelo peor per pero
pessoa piace poco poi politica politique por porque pour pq pra prato presidente prima
programa projet prova puede puedo pues quand quando quanto que quello quem queria quero
questa questo qui quiero renouvelable renouvelables sair saiu sans sardinha schon se sea
seguro sehr sei sein sem semana sempre senza ser serre ses si sia siamo sich sie sieht
siempre siento sin sind sobre solaire solaires solo sono sont sou soy sta stato sto su sul
sulla sur sus ta tan tanto tem temps tener tengo tenho ter ti tiempo tiene toda todo todos
tous tout tra triste tu tudo tutti tutto um uma un una und une uno uns unter va vai vamos vc
vendo vent veo ver verdad vero verte vez vida viel voll von vor vou vous voy wenn wer werden
wie wieder wir wird wohl zu zum
"""
_HAND_WORDS = """
ada af ako aku ang att av dan dari dat det dig een eller fra geen han har heb het hindi hon
hun hvad ik ikke ini inte itu jag jeg jij kan ke maar med mga mig mijn naar ng niet nog och
og ook skal som tidak untuk vad var vi voor wat wel yang zij zijn
"""
FOREIGN_WORDS = frozenset(_UMSAB_WORDS.split() + _HAND_WORDS.split())
"""Words that speak against English: a word of the UMSAB training tweets of Spanish, French,
German, Italian or Portuguese that is in at least 1 % of one of those languages' tweets and in
at most 0.1 % of the SemEval 2013–2015 English tweets (lower-cased, ASCII words only; hashtags
and names of those corpora's topics left out), then common function words of Danish, Dutch,
Swedish, Indonesian and Tagalog (not measured: no tweets of those languages are in
``../shared/data``) under the same 0.1 % rule."""
CLEARLY_ENGLISH = 2
"""A text whose letters are all ASCII and whose words (:func:`words`) hold at least this many
distinct :data:`ENGLISH_WORDS`, more than twice as many as :data:`FOREIGN_WORDS`, is English
without asking the detector (:func:`clearly_english`)."""
_NON_ASCII_LETTER = re.compile(r"(?![\x00-\x7f])[^\W\d_]")


def words(text: str) -> set[str]:
    """The lower-cased words of ``text`` that the pre-check reads: its word and hashtag tokens
    (:func:`goodwill.text.features.tokens`, so URLs are gone and entities decoded; ``#`` and
    ``’`` become nothing and ``'``), the tokens the fast model reads."""
    from goodwill.text.features import tokens

    return {w for w in map(pre_word, tokens(text)) if w}


def pre_word(token: str) -> str:
    """The pre-check's word of one token (``""`` for none: a handle, number, emoji, mark)."""
    if token[:1] == "#":
        token = token[1:]
    if not token[:1].isalpha() or not token.isascii():
        return ""
    return token.lower().replace("’", "'")


def ascii_letters(text: str) -> bool:
    """Whether every letter of ``text`` is an ASCII letter (emoji and marks do not count)."""
    return text.isascii() or _NON_ASCII_LETTER.search(text) is None


def clearly_english(text: str) -> bool:
    """The pre-check: every letter of ``text`` is ASCII and its words (:func:`words`) hold at
    least :data:`CLEARLY_ENGLISH` distinct :data:`ENGLISH_WORDS`, more than twice as many as
    distinct :data:`FOREIGN_WORDS`. Chosen on the UMSAB training tweets and the SemEval
    2013–2015 tweets; measured on the UMSAB validation tweets and the airline tweets (see
    docs/listening.md): it claims 98 % of the UMSAB English validation tweets (92 % with the
    former rule: ASCII text, three words split at white space, no foreign words), 90 % of the
    English airline tweets (75 %) and none of the Spanish, French, German, Italian, Portuguese
    or Arabic validation tweets (a test pins this)."""
    text = text or ""
    if not ascii_letters(text):
        return False
    found = words(text)
    english = len(ENGLISH_WORDS.intersection(found))
    return english >= CLEARLY_ENGLISH and 2 * len(FOREIGN_WORDS.intersection(found)) < english


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
