"""Training the per-language models: the n-gram models (``models/multilingual.npz``,
:mod:`goodwill.text.ngram`) and the USE heads blended with them (``models/multilingual_use.npz``,
:mod:`goodwill.text.use_sentiment`).

    python -m goodwill.text.train multilingual [--umsab ../shared/data/umsab-sentiment]  # n-grams
    python -m goodwill.text.train_multilingual [--umsab DIR] [--heads-only]            # both

1. Data: per language, the UMSAB ``train_text.txt`` / ``train_labels.txt`` (1,839 tweets,
   balanced; 0 negative, 1 neutral, 2 positive). The validation split is **never** used for a
   choice: it is only scored, after the model is chosen, and the committed model is the one
   fitted on the training split alone, so anyone can re-score it on the validation split
   (``benchmarks/sentiment_bench.py``). The test split is not in the project.
2. Features: :func:`goodwill.text.ngram.hashed_counts`, idf from the training texts.
3. Fit: :class:`sklearn.linear_model.LogisticRegression` (multinomial, L2, lbfgs), ``C`` chosen
   per language from ``C_GRID`` by 3-fold stratified cross-validation on the training split
   (macro-F1, the UMSAB metric), then refitted on the whole training split.
4. USE heads (:func:`train_use_heads`, languages :data:`USE_TRAINED`: those of ``TRAINED`` that
   the Universal Sentence Encoder covers, so not Hindi): the USE embedding of every training
   tweet (:mod:`goodwill.text.use_encoder`); 5-fold stratified cross-validation on the training
   split gives out-of-fold probabilities of a logistic regression on the embeddings for every
   ``C`` of :data:`USE_C_GRID`, and of the n-gram model (refitted per fold, ``C`` = 3); ``C`` and
   the blend weight ``w`` of :data:`BLEND_GRID` are the pair with the best out-of-fold macro-F1
   of ``w · p_use + (1 − w) · p_ngram``; the head is then refitted on the whole training split
   and blended with the committed n-gram model.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.metrics import f1_score  # type: ignore[import-untyped]
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

from goodwill.text.ngram import NgramModel, hashed_counts, idf_of, save_models, tfidf
from goodwill.text.use_sentiment import UseHead


class _Scores(Protocol):
    def probabilities(self, texts: Sequence[str]) -> np.ndarray: ...


__all__ = [
    "BLEND_GRID",
    "C_GRID",
    "UMSAB_LANGUAGES",
    "USE_C_GRID",
    "USE_TRAINED",
    "fit_language",
    "fit_use_head",
    "load_umsab",
    "train_multilingual",
    "train_use_heads",
]

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
USE_TRAINED = ("es", "fr", "de", "it", "pt", "ar")
"""Languages that get a USE head (USE-multilingual does not cover Hindi)."""
USE_C_GRID = (0.3, 1.0, 3.0)
BLEND_GRID = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)
USE_VERSION = "1"
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
    return _validation_report(load_multilingual(out), TRAINED, folder)


def fit_use_head(
    texts: Sequence[str], labels: Sequence[int], embeddings: np.ndarray, language: str
) -> tuple[UseHead, float, dict[tuple[float, float], float]]:
    """The USE head of one language, its ``C`` and the out-of-fold macro-F1 of every ``(C, w)``
    (step 4 of the module docstring)."""
    y = np.asarray(labels)
    counts = hashed_counts(texts)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    p_use = {c: np.zeros((len(y), 3)) for c in USE_C_GRID}
    p_ngram = np.zeros((len(y), 3))
    for train, test in folds.split(np.zeros(len(y)), y):
        for c in USE_C_GRID:
            clf = LogisticRegression(C=c, max_iter=3000).fit(embeddings[train], y[train])
            p_use[c][test] = clf.predict_proba(embeddings[test])
        x = tfidf(counts, idf_of(counts[train]))
        ngram = LogisticRegression(C=3.0, max_iter=3000).fit(x[train], y[train])
        p_ngram[test] = ngram.predict_proba(x[test])
    cv: dict[tuple[float, float], float] = {}
    for c in USE_C_GRID:
        for w in BLEND_GRID:
            blended = w * p_use[c] + (1.0 - w) * p_ngram
            cv[(c, w)] = float(f1_score(y, blended.argmax(axis=1), average="macro"))
    best = max(cv, key=lambda k: (cv[k], -k[0], -abs(k[1] - 0.5)))
    clf = LogisticRegression(C=best[0], max_iter=3000).fit(embeddings, y)
    head = UseHead(
        language=language,
        version=USE_VERSION,
        weights=clf.coef_.T.copy(),
        bias=clf.intercept_.copy(),
        blend=best[1],
    )
    return head, best[0], cv


def train_use_heads(folder: Path, out: Path) -> dict[str, float]:
    """Fit the USE head of every language of :data:`USE_TRAINED`, save them, return validation
    macro-F1 of the blended models (scored only after the choice, with the saved heads)."""
    from goodwill.text.use_encoder import load_use
    from goodwill.text.use_sentiment import load_use_models, save_heads

    started = time.perf_counter()
    encoder = load_use()
    heads = []
    for lang in USE_TRAINED:
        texts, labels = load_umsab(folder, lang, "train")
        head, c, cv = fit_use_head(texts, labels, encoder.embed(texts), lang)
        heads.append(head)
        best = max(cv.values())
        print(
            f"{lang}: chosen C={c:g} "
            f"w={head.blend:g}, cross-validated macro-F1 {100 * best:.1f} "
            f"(n-grams alone {100 * max(v for k, v in cv.items() if k[1] == 0.0):.1f}; "
            f"{time.perf_counter() - started:.0f} s)",
            flush=True,
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    save_heads(heads, out)
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    load_use_models.cache_clear()
    return _validation_report(load_use_models(out), USE_TRAINED, folder)


def _validation_report(
    saved: Mapping[str, _Scores], languages: Sequence[str], folder: Path
) -> dict[str, float]:
    """Macro-F1 of the saved models on each language's UMSAB validation split (scored once,
    after every choice was made on the train split), printed and returned."""
    report: dict[str, float] = {}
    for lang in languages:
        texts, labels = load_umsab(folder, lang, "val")
        predicted = saved[lang].probabilities(texts).argmax(axis=1)
        report[lang] = float(f1_score(labels, predicted, average="macro"))
        print(f"{lang}: validation macro-F1 {100 * report[lang]:.1f}")
    return report


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m goodwill.text.train_multilingual [--umsab DIR] [--heads-only]``."""
    import argparse

    from goodwill.text.ngram import MULTILINGUAL_MODEL_PATH
    from goodwill.text.semeval import DEFAULT_UMSAB
    from goodwill.text.use_sentiment import USE_MODEL_PATH

    parser = argparse.ArgumentParser(prog="python -m goodwill.text.train_multilingual")
    parser.add_argument("--umsab", type=Path, default=DEFAULT_UMSAB)
    parser.add_argument(
        "--heads-only", action="store_true", help="keep the committed n-gram models"
    )
    args = parser.parse_args(argv)
    if not args.heads_only:
        train_multilingual(args.umsab, MULTILINGUAL_MODEL_PATH)
    train_use_heads(args.umsab, USE_MODEL_PATH)


if __name__ == "__main__":
    main()
