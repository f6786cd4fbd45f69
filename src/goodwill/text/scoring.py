"""The fast model's inner loop: class scores accumulated token by token.

Equivalent to ``b + Σ_f value_f · w_f`` over :func:`goodwill.text.features.extract`'s
features (the rules are documented there), without building the feature dict: each raw token's
rule outcome and weights are memoised per model, and contributions are summed as the tokens are
read. A contrast word (``but``) scales everything summed so far by 0.7, which is what scaling
each earlier feature value does, because the sum is linear.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from goodwill.text.features import (
    _EXCL,
    _NEG,
    _NEG_SCOPE,
    _QMARK,
    _SARCASM,
    _SKIP,
    CONTRAST,
    DOWNTONERS,
    INTENSIFIERS,
    LITOTES_WORDS,
    _info,
    tokens,
)

if TYPE_CHECKING:
    from goodwill.text.fast import FastModel

__all__ = ["accumulate"]

Weight = tuple[float, float, float]
_ZERO: Weight = (0.0, 0.0, 0.0)
_CacheEntry = tuple[int, str, float, Weight | None, Weight | None, Weight | None, float]


def _entry(model: FastModel, tok: str) -> _CacheEntry:
    kind, key, mult, hashtag, short = _info(tok)
    weights = model.weights
    boost = INTENSIFIERS.get(key) or DOWNTONERS.get(key) or 0.0
    if key in CONTRAST:
        boost = -1.0
    return (
        kind,
        key,
        mult,
        weights.get(key),
        weights.get(hashtag) if hashtag is not None else None,
        weights.get(short) if short is not None else None,
        boost,
    )


def accumulate(model: FastModel, text: str) -> list[float]:
    """The class scores ``s_c`` (before softmax) of ``text``."""
    cache = model.cache
    weights = model.weights
    bigrams = model.bigrams
    raw = tokens(text)
    all_caps = text == text.upper() and text != text.lower()
    a0 = a1 = a2 = 0.0
    excl = 0.0
    qmark = False
    negate = 0
    boost = 1.0
    previous = "|"
    previous_value = 0.0
    for tok in raw:
        entry = cache.get(tok)
        if entry is None:
            entry = _entry(model, tok)
            if len(cache) < 200_000:
                cache[tok] = entry
        kind, key, mult, w_key, w_hashtag, w_short, own_boost = entry
        if kind >= _SKIP:
            if kind != _SKIP:
                negate = 0
                boost = 1.0
                if kind == _EXCL:
                    excl += 1.0
                elif kind == _QMARK:
                    qmark = True
            previous = "|"
            continue
        value = boost
        boost = 1.0
        if mult != 1.0:
            if all_caps:
                mult = 1.3 if w_short is not None or _is_elongated(tok) else 1.0
            value *= mult
        if w_hashtag is not None:
            a0 += w_hashtag[0]
            a1 += w_hashtag[1]
            a2 += w_hashtag[2]
        if w_short is not None:
            v = value
            a0 += v * w_short[0]
            a1 += v * w_short[1]
            a2 += v * w_short[2]
        if kind != _NEG:
            if own_boost > 0.0:
                boost = own_boost
            elif own_boost < 0.0:
                a0 *= 0.7
                a1 *= 0.7
                a2 *= 0.7
                previous_value *= 0.7
                boost = 1.5
            if negate:
                key = "LITOTES" if key in LITOTES_WORDS else "NOT_" + key
                w_key = weights.get(key)
                negate -= 1
            if w_key is not None:
                a0 += value * w_key[0]
                a1 += value * w_key[1]
                a2 += value * w_key[2]
        else:
            negate = _NEG_SCOPE
        if bigrams and previous != "|":
            w = weights.get(previous + " " + key)
            if w is not None:
                v = min(value, previous_value)
                a0 += v * w[0]
                a1 += v * w[1]
                a2 += v * w[2]
        previous = key
        previous_value = value
    b = model.bias
    s = [b[0] + a0, b[1] + a1, b[2] + a2]
    for name, on in (
        ("EXCL", min(excl, 3.0)),
        ("QMARK", 1.0 if qmark else 0.0),
        ("SARC", 1.0 if _SARCASM.search(text) else 0.0),
        ("ALLCAPS", 1.0 if all_caps and len(raw) > 2 else 0.0),
    ):
        if on:
            w = weights.get(name, _ZERO)
            s[0] += on * w[0]
            s[1] += on * w[1]
            s[2] += on * w[2]
    return s


def _is_elongated(tok: str) -> bool:
    return _info(tok)[4] is not None
