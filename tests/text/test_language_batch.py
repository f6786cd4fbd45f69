"""The batched language detector gives py3langid's own answers, and the English pre-check
changes no answer of another language, on every UMSAB validation tweet of the eight
languages (data no goodwill choice was fitted on)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from goodwill.text.airline import read_airline
from goodwill.text.language import (
    BatchIdentifier,
    _clean,
    _clean_many,
    _identifier,
    clearly_english,
    detect,
    detect_full,
    detect_many,
    english_many,
)
from goodwill.text.train_multilingual import load_umsab

UMSAB = Path(__file__).resolve().parents[3] / "shared" / "data" / "umsab-sentiment"
LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "ar", "hi")
ACCURACY_FLOORS = {
    "en": 0.99,
    "es": 0.97,
    "fr": 0.98,
    "de": 0.92,
    "it": 0.94,
    "pt": 0.93,
    "ar": 0.91,
}
"""Share of each language's 324 validation tweets detected as that language (measured:
en 100.0 with the pre-check (99.1 without), es 97.2, fr 98.8, de 92.6, it 94.8, pt 93.8,
ar 92.0; the Hindi tweets are romanised and none is detected as hi)."""


@pytest.mark.parametrize("language", LANGUAGES)
def test_batch_equals_py3langid_text_by_text(language: str) -> None:
    texts, _ = load_umsab(UMSAB, language, "val")
    one_by_one = [detect_full(t) for t in texts]
    assert detect_many(texts, precheck=False) == one_by_one
    with_precheck = detect_many(texts)
    assert with_precheck == [detect(t) for t in texts[:50]] + with_precheck[50:]
    changed = [(a, b) for a, b in zip(one_by_one, with_precheck, strict=True) if a != b]
    # the pre-check only ever answers "en"; outside English it changes nothing right
    assert all(b == "en" for _, b in changed)
    if language not in ("en", "hi"):
        assert not any(a == language for a, _ in changed)
    if language in ACCURACY_FLOORS:
        assert np.mean([c == language for c in with_precheck]) >= ACCURACY_FLOORS[language]


def test_batch_scores_match_py3langid_scores() -> None:
    texts, _ = load_umsab(UMSAB, "fr", "val")
    ident = _identifier()
    batch = BatchIdentifier(ident)
    got = batch.scores(texts[:40])
    for row, text in zip(got, texts[:40], strict=True):
        ref = ident._decide(text)
        assert np.allclose(row, ref, rtol=1e-4, atol=1e-2)


def test_edge_cases() -> None:
    assert detect_many([]) == []
    assert detect_many(["", "@a 😍", "ok"]) == ["und", "und", "und"]
    assert detect_many(["JE SUIS TRÈS DÉÇU DE CE SERVICE"]) == [
        detect_full("JE SUIS TRÈS DÉÇU DE CE SERVICE")
    ]
    # a text with a newline, a long text (several batches' worth of bytes) and emoji
    long = "the service was really good and i will fly with them again " * 40
    mixed = ["Hola\ncómo estás, qué tal el vuelo", long, "Danke für nichts 😡😡"]
    assert detect_many(mixed, precheck=False) == [detect_full(t) for t in mixed]
    assert clearly_english("i have been waiting for my bag") is True
    assert clearly_english("café with the best of them") is False  # not ASCII
    assert clearly_english("Y ahora viene wake me up when september ends") is False
    # two English words are enough, unless foreign words are at least half as many
    assert clearly_english("@united thanks for nothing 😡 https://t.co/x") is True
    assert clearly_english("you can't be serious") is True
    assert clearly_english("Ich habe ein Video: and the sun will shine for you") is True
    assert clearly_english("Ich habe ein Video: and the sun will shine") is False
    assert clearly_english("Gracias por todo, you and the team") is False


def test_batched_cleaning_and_precheck_equal_text_by_text() -> None:
    texts, _ = load_umsab(UMSAB, "en", "val")
    texts = [*texts, "", "a\x1eb @x http://y", "x@y#z www.q.com\nhttp://a", "the\x00 and you for"]
    assert _clean_many(texts) == [_clean(t) for t in texts]
    assert _clean_many(texts[:-3]) == [_clean(t) for t in texts[:-3]]
    claimed = english_many(texts)
    assert claimed.tolist() == [clearly_english(t) for t in texts]
    assert claimed[:324].mean() >= 0.97  # measured 98.1 % (91.7 % with the former rule)


def test_english_airline_tweets_mostly_skip_the_detector_and_stay_english() -> None:
    """All 10,247 English airline tweets of the shared split (no language choice was made on
    them): the pre-check claims 90.1 % (75.2 % with the former rule) and 98.8 % are detected
    English (98.6 % before)."""
    texts = [t.text for t in read_airline(UMSAB.parent)]
    assert len(texts) > 10_000
    assert english_many(texts).mean() >= 0.89
    assert np.mean([code == "en" for code in detect_many(texts)]) >= 0.987
