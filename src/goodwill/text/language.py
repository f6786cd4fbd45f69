"""The language of a text, and the sentiment model that reads it.

Detection uses ``py3langid`` (a maintained port of ``langid.py``: a naive-Bayes model over
byte n-grams trained on 97 languages, shipped inside the package, numpy only). Before
detection a text loses its URLs, ``@handles`` and the ``#`` of hashtags, which carry no
language. A text with fewer than ``MIN_LETTERS`` letters (an emoji, a handle, "ok") gets
``und`` (undetermined). Codes are ISO 639-1 (``en``, ``es``, …).

Accuracy on the UMSAB validation tweets (324 per language, see docs/listening.md): en 99 %,
es 97 %, fr 98 %, de 92 %, it 95 %, pt 94 %, without restriction to these languages. Of 3,000
English airline tweets, 2 were sent to another language's model (fr, it); 38 more got a code
without a model of its own (``pcm``, ``da``, ``ro``, …) and so the English model.

Which model labels a text (:func:`model_languages`): English, ``und`` and any language without
a model of its own are labelled by the English model asked for (``fast`` or ``accurate``);
a language of :data:`SENTIMENT_LANGUAGES` other than English by its per-language model
(:mod:`goodwill.text.ngram`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

__all__ = ["MIN_LETTERS", "SENTIMENT_LANGUAGES", "UNDETERMINED", "detect", "detect_many"]

SENTIMENT_LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "ar", "hi")
"""Languages with a sentiment model (English: fast/accurate; the others: n-gram models)."""
UNDETERMINED = "und"
MIN_LETTERS = 3
_STRIP = re.compile(r"https?://\S+|www\.\S+|@\w+", re.IGNORECASE)


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)


def detect(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language, or ``und``."""
    cleaned = _STRIP.sub(" ", text or "").replace("#", " ")
    if sum(ch.isalpha() for ch in cleaned) < MIN_LETTERS:
        return UNDETERMINED
    code, _ = _identifier().classify(cleaned)
    return UNDETERMINED if code == "zxx" else str(code)  # zxx: "no linguistic content"


def detect_many(texts: Sequence[str]) -> list[str]:
    """:func:`detect` of every text."""
    return [detect(t) for t in texts]
