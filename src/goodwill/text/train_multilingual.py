"""Training the per-language models (``models/multilingual.npz``, :mod:`goodwill.text.ngram`).

    python -m goodwill.text.train multilingual [--umsab ../shared/data/umsab-sentiment]

1. Data: per language, the UMSAB ``train_text.txt`` / ``train_labels.txt`` (1,839 tweets,
   balanced; 0 negative, 1 neutral, 2 positive). The validation split is **never** used for a
   choice: it is only scored, after the model is chosen, and the committed model is the one
   fitted on the training split alone, so anyone can re-score it on the validation split
   (``benchmarks/sentiment_bench.py``). The test split is not in the project.
2. Features: :func:`goodwill.text.ngram.hashed_counts`, idf from the training texts.
3. Fit: :class:`sklearn.linear_model.LogisticRegression` (multinomial, L2, lbfgs), ``C`` chosen
   per language from ``C_GRID`` by 3-fold stratified cross-validation on the training split
   (macro-F1, the UMSAB metric), then refitted on the whole training split.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.metrics import f1_score  # type: ignore[import-untyped]
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

from goodwill.text.ngram import NgramModel, hashed_counts, idf_of, save_models, tfidf

__all__ = ["C_GRID", "UMSAB_LANGUAGES", "fit_language", "load_umsab", "train_multilingual"]

UMSAB_LANGUAGES = {
    "es": "spanish",
    "fr": "french",
    "de": "german",
    "it": "italian",
    "pt": "portuguese",
    "en": "english",
    "ar": "arabic",
    "hi": "hindi",
}
"""ISO 639-1 code → UMSAB folder."""
TRAINED = ("es", "fr", "de", "it", "pt", "ar", "hi")
"""Languages that get a model here; English is served by the fast and accurate models."""
C_GRID = (1.0, 3.0)
VERSION = "1"
SEED = 13


def load_umsab(folder: Path, language: str, split: str) -> tuple[list[str], list[int]]:
    """Texts and labels (0 negative, 1 neutral, 2 positive) of one UMSAB split."""
    name = UMSAB_LANGUAGES[language]
    texts = (folder / name / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = [int(x) for x in (folder / name / f"{split}_labels.txt").read_text().split()]
    if len(texts) != len(labels):
        raise ValueError(f"{folder / name}: {len(texts)} texts but {len(labels)} labels")
    return texts, labels


def fit_language(
    texts: Sequence[str], labels: Sequence[int], language: str
) -> tuple[NgramModel, dict[float, float]]:
    """The model of one language and the cross-validated macro-F1 of every ``C``."""
    counts = hashed_counts(texts)
    idf = idf_of(counts)
    x = tfidf(counts, idf)
    y = np.asarray(labels)
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=SEED)
    cv: dict[float, float] = {}
    for c in C_GRID:
        scores = []
        for train, test in folds.split(np.zeros(len(y)), y):
            clf = LogisticRegression(C=c, max_iter=3000).fit(x[train], y[train])
            scores.append(f1_score(y[test], clf.predict(x[test]), average="macro"))
        cv[c] = float(np.mean(scores))
    best = max(C_GRID, key=lambda c: (cv[c], -c))
    clf = LogisticRegression(C=best, max_iter=3000).fit(x, y)
    weights = clf.coef_.T.copy()
    seen = np.bincount(counts.indices, minlength=counts.shape[1]) > 0
    weights[~seen] = 0.0
    model = NgramModel(
        language=language,
        version=VERSION,
        idf=idf,
        weights=weights,
        bias=clf.intercept_.copy(),
    )
    return model, cv


def train_multilingual(folder: Path, out: Path) -> dict[str, float]:
    """Fit every language of :data:`TRAINED`, save them, return validation macro-F1 (scored
    only after the choice, with the saved, ``float16``-rounded weights)."""
    from goodwill.text.ngram import load_multilingual

    started = time.perf_counter()
    models = []
    for lang in TRAINED:
        texts, labels = load_umsab(folder, lang, "train")
        model, cv = fit_language(texts, labels, lang)
        models.append(model)
        shown = ", ".join(f"C={c:g}: {100 * s:.1f}" for c, s in cv.items())
        print(f"{lang}: cross-validated macro-F1 {shown} ({time.perf_counter() - started:.0f} s)")
    out.parent.mkdir(parents=True, exist_ok=True)
    save_models(models, out)
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    load_multilingual.cache_clear()
    saved = load_multilingual(out)
    report: dict[str, float] = {}
    for lang in TRAINED:
        texts, labels = load_umsab(folder, lang, "val")
        predicted = saved[lang].probabilities(texts).argmax(axis=1)
        report[lang] = float(f1_score(labels, predicted, average="macro"))
        print(f"{lang}: validation macro-F1 {100 * report[lang]:.1f}")
    return report
