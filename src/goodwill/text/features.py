"""Turning a social text into weighted lexicon features: the rules of the fast model.

The same function feeds training (``goodwill.text.train``) and prediction
(``goodwill.text.fast``), so a rule changes both at once. Rules, in order:

* HTML entities and literal ``\\uXXXX`` escapes are decoded; URLs are dropped; every
  ``@mention`` becomes the token ``@user`` (which carries no weight).
* Hashtags count as their word (``#fail`` → ``fail``), and also as the hashtag itself.
* Elongation: a letter repeated three or more times is cut to two (``sooooo`` → ``soo``), and
  the word also counts as its one-letter form (``soo`` → ``so``); elongated words are intensified.
* Emoji and emoticons (``:)``, ``:-(``, ``<3``, ``:D``) are tokens of their own.
* Negation: after ``not``, ``no``, ``never``, any ``n't`` word and a few others, the next
  tokens up to a punctuation mark (at most three) become ``NOT_word`` — so "not bad" has its own
  learned weight instead of the weight of "bad".
* Intensifiers (``very``, ``so``, ``really``, …) multiply the next word's feature value by 1.5,
  downtoners (``slightly``, ``kinda``, …) by 0.6; a word written in capitals (in a text that is
  not all capitals) by 1.3.
* Contrast: words after ``but`` / ``however`` weigh 1.5, words before them 0.7.
* Litotes: a negated negative word ("not bad", "isn't terrible") becomes ``LITOTES``, whose
  weights are set by hand (mildly positive), as are those of the sarcasm marker
  (``HAND_WEIGHTS``), and so are those of two dozen common emoji (the training tweets predate
  most emoji use).
* Bigrams of adjacent (already negation-marked) words are features too.
* Markers: ``!`` (``EXCL``), ``?`` (``QMARK``), sarcasm markers (``#sarcasm``, ``/s``,
  ``yeah right``, ``thanks a lot``; ``SARC``) become features whose weight is learned.

Feature value = product of the multipliers that apply; repeated features add up.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

__all__ = ["extract", "normalise", "tokens", "unescape"]

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_UESC = re.compile(r"\\u([0-9a-fA-F]{4})")
_EMOTICON = (
    r"(?:[<>]?[:;=8xX][\-o\*']?[\)\]\(\[dDpP/\\:\}\{@\|]+)|(?:[\)\]\(\[dDpP/\\\}\{@\|]+[\-o\*']?[:;=8])"
    r"|<3+|</3"
)
_TOKEN = re.compile(
    _EMOTICON + r"|@\w+|#\w+|[a-zA-Z][a-zA-Z'’\-]*[a-zA-Z]|[a-zA-Z]|\d+(?:[.,]\d+)?|"
    r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2764]|[!?.,;:]"
)
_ELONG = re.compile(r"([a-z])\1{2,}")
_ELONG_ONE = re.compile(r"([a-z])\1+")

NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "nowhere",
        "cannot",
        "cant",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "wasnt",
        "arent",
        "werent",
        "wont",
        "wouldnt",
        "shouldnt",
        "couldnt",
        "hasnt",
        "havent",
        "hadnt",
        "aint",
        "without",
    ]
)
INTENSIFIERS: Mapping[str, float] = {
    w: 1.5
    for w in [
        "very",
        "so",
        "really",
        "extremely",
        "super",
        "totally",
        "absolutely",
        "incredibly",
        "such",
        "too",
        "most",
        "highly",
        "truly",
        "completely",
        "utterly",
        "damn",
        "fucking",
        "freaking",
    ]
}
DOWNTONERS: Mapping[str, float] = {
    w: 0.6
    for w in ["slightly", "somewhat", "kinda", "kind", "sorta", "barely", "hardly", "little", "bit"]
}
CONTRAST = frozenset({"but", "however", "although", "though", "yet"})
_PUNCT = frozenset("!?.,;:")
_SARCASM = re.compile(
    r"#sarcasm|#not\b|(?:^|\s)/s\b|yeah right|thanks a lot|thanks for nothing|"
    r"great job|just what i needed|love (?:it )?when",
    re.IGNORECASE,
)
_NEG_SCOPE = 3
LITOTES_WORDS = frozenset(
    ["bad", "terrible", "awful", "horrible", "shabby", "worse", "wrong", "sad", "ugly"]
)
"""Negative words that, negated ("not bad"), mean mildly positive: they become ``LITOTES``."""
_POSITIVE_EMOJI = "😍🥰😘❤♥💕💖💯🔥🙌👏😊😀😁😃😄🤩👍🎉✨🙏☺🌱💪"
_NEGATIVE_EMOJI = "😡😠🤬😤😢😭💔👎🙄😒😞😩😫🤮😣😖😔"
HAND_WEIGHTS: Mapping[str, tuple[float, float, float]] = {
    "LITOTES": (-1.0, 0.2, 1.0),
    "SARC": (1.5, -0.5, -1.5),
    **{e: (-0.8, -0.4, 1.2) for e in _POSITIVE_EMOJI},
    **{e: (1.2, -0.4, -0.8) for e in _NEGATIVE_EMOJI},
}
"""Hand-set class weights (negative, neutral, positive) that replace the learned ones."""
_MARKERS = frozenset({"EXCL", "QMARK"})


def normalise(text: str) -> str:
    """The text with escapes and entities decoded and URLs dropped (case is kept)."""
    text = unescape(text)
    if "http" in text or "www." in text or "HTTP" in text:
        text = _URL.sub(" ", text)
    return text


def unescape(text: str) -> str:
    """The text with literal ``\\uXXXX`` escapes and HTML entities decoded (the first steps of
    :func:`normalise`)."""
    if "\\u" in text:
        text = _UESC.sub(lambda m: chr(int(m.group(1), 16)), text)
        # escaped surrogate pairs (\ud83d\ude0d) become the one character they encode
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if "&" in text:
        text = html.unescape(text)
    return text


def tokens(text: str) -> list[str]:
    """The tokens of ``text`` (after :func:`normalise`), case kept."""
    return _TOKEN.findall(normalise(text))


_Info = tuple[int, str, float, str | None, str | None]
"""(kind, key, multiplier, hashtag feature, elongation feature) of one raw token."""

_WORD, _NEG, _SKIP, _EXCL, _QMARK, _STOP = range(6)
_CACHE: dict[str, _Info] = {}
_CACHE_MAX = 200_000


def _info(tok: str) -> _Info:
    """What one raw token contributes, independent of its neighbours (memoised)."""
    if tok in _PUNCT:
        return (_EXCL if tok == "!" else _QMARK if tok == "?" else _STOP, "|", 0.0, None, None)
    low = tok.lower()
    if low.startswith("@"):
        return (_SKIP, "|", 0.0, None, None)
    hashtag = None
    if low.startswith("#") and len(low) > 1:
        hashtag = low
        low = low[1:]
    mult = 1.3 if len(tok) > 1 and tok.isupper() and tok.isalpha() else 1.0
    short = None
    if _ELONG.search(low):
        low = _ELONG.sub(r"\1\1", low)
        short = _ELONG_ONE.sub(r"\1", low)
        mult *= 1.3
    key = low.replace("’", "'")
    if key in NEGATORS or key.endswith("n't"):
        return (_NEG, key.replace("'", ""), mult, hashtag, short)
    return (_WORD, key.replace("'", ""), mult, hashtag, short)


def extract(text: str, *, bigrams: bool = True) -> dict[str, float]:
    """The weighted features of ``text`` (see the module docstring for the rules)."""
    raw = tokens(text)
    all_caps = text == text.upper() and text != text.lower()
    cache = _CACHE
    words: list[str] = []
    values: list[float] = []
    feats: dict[str, float] = {}
    negate = 0
    boost = 1.0
    for tok in raw:
        info = cache.get(tok)
        if info is None:
            info = _info(tok)
            if len(cache) < _CACHE_MAX:
                cache[tok] = info
        kind, key, mult, hashtag, short = info
        if kind >= _SKIP:
            if kind != _SKIP:
                negate = 0
                boost = 1.0
                if kind == _EXCL:
                    feats["EXCL"] = min(feats.get("EXCL", 0.0) + 1.0, 3.0)
                elif kind == _QMARK:
                    feats["QMARK"] = 1.0
            words.append("|")
            values.append(0.0)
            continue
        value = boost
        boost = 1.0
        if mult != 1.0:
            if all_caps and short is None:
                mult = 1.0
            elif all_caps:
                mult = 1.3
            value *= mult
        if hashtag is not None:
            feats[hashtag] = feats.get(hashtag, 0.0) + 1.0
        if short is not None:
            feats[short] = feats.get(short, 0.0) + value
        if kind == _NEG:
            negate = _NEG_SCOPE
            words.append(key)
            values.append(value)
            continue
        if key in INTENSIFIERS:
            boost = INTENSIFIERS[key]
        elif key in DOWNTONERS:
            boost = DOWNTONERS[key]
        elif key in CONTRAST:
            for i in range(len(values)):
                values[i] *= 0.7
            for name in list(feats):
                if name not in _MARKERS:
                    feats[name] *= 0.7
            boost = 1.5
        if negate:
            key = "LITOTES" if key in LITOTES_WORDS else "NOT_" + key
            negate -= 1
        words.append(key)
        values.append(value)
        feats[key] = feats.get(key, 0.0) + value
    if bigrams:
        previous = "|"
        previous_value = 0.0
        for word, value in zip(words, values, strict=True):
            if word != "|" and previous != "|":
                name = previous + " " + word
                feats[name] = feats.get(name, 0.0) + min(value, previous_value)
            previous = word
            previous_value = value
    if _SARCASM.search(text):
        feats["SARC"] = 1.0
    if all_caps and len(raw) > 2:
        feats["ALLCAPS"] = 1.0
    return feats
