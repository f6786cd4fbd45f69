"""Training the per-language models: the n-gram models (``models/multilingual.npz``,
:mod:`goodwill.text.ngram`) and the USE heads blended with them (``models/multilingual_use.npz``,
:mod:`goodwill.text.use_sentiment`).

    python -m goodwill.text.train multilingual [--umsab ../shared/data/umsab-sentiment]  # n-grams
    python -m goodwill.text.train_multilingual [--umsab DIR] [--heads-only]            # both
    python -m goodwill.text.train_multilingual --heads-only --languages es,pt  # only those heads

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
5. Cross-lingual transfer (version 2, :func:`fit_transfer_head`): one class-balanced logistic
   regression on the USE embeddings of the English SemEval 2013–2016 tweets (without the
   TweetEval validation ids), the airline tweets and the UMSAB English training split
   (~59,600 tweets; USE maps the languages into one space), ``p_xl``. It sees none of the
   target language's tweets, so its probabilities on them are out of sample; its weight ``u``
   of :data:`TRANSFER_GRID` is chosen with ``C`` and ``w`` by the same out-of-fold macro-F1 of
   ``w · p_use + u · p_xl + (1 − w − u) · p_ngram``. The embeddings of the English sets are
   cached in the gitignored ``build/embeddings`` (:func:`cached_use_embeddings`).
   ``--no-transfer`` fits version 1's two-member blends.
6. Tried and not kept (docs/listening.md, "fourth round"): a joint head on every language's
   tweets with per-language intercepts as a fourth member for Spanish and Portuguese (the
   ``--joint`` flag; its code is in git at ``d3c30dd``).
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
    "cached_use_embeddings",
    "fit_language",
    "fit_transfer_head",
    "fit_use_head",
    "load_airline",
    "load_umsab",
    "train_multilingual",
    "train_use_heads",
    "transfer_rows",
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
TRANSFER_VERSION = "2"
"""The version of a language's model that blends in the cross-lingual head."""
TRANSFER_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
"""Weights ``u`` of the cross-lingual head tried by cross-validation."""
TRANSFER_C = 1.0
TRANSFER_CLASS_WEIGHT = "balanced"
SEED = 13


def cached_use_embeddings(texts: Sequence[str], cache_dir: Path | None = None) -> np.ndarray:
    """USE embeddings of ``texts``, stored in ``cache_dir`` (default the gitignored
    ``build/embeddings``) under the SHA-256 of the texts, so re-training does not embed the
    47k English SemEval tweets again (about a minute of one core)."""
    import hashlib

    from goodwill.text.semeval import EMBED_CACHE
    from goodwill.text.use_encoder import DIMENSIONS, load_use

    folder = EMBED_CACHE if cache_dir is None else cache_dir
    digest = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:16]
    path = folder / f"use-{digest}.npy"
    if path.exists():
        cached: np.ndarray = np.load(path)
        if cached.shape == (len(texts), DIMENSIONS):
            return cached
    encoder = load_use()
    step = 4096
    parts = [encoder.embed(list(texts[i : i + step])) for i in range(0, len(texts), step)]
    emb = np.vstack(parts) if parts else np.zeros((0, DIMENSIONS), np.float32)
    folder.mkdir(parents=True, exist_ok=True)
    np.save(path, emb.astype(np.float32))
    return emb


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


def load_airline(folder: Path) -> tuple[list[str], list[int]]:
    """Texts (handles as ``@user``) and class indexes of the airline tweets
    (:func:`goodwill.text.airline.read_airline`)."""
    import re

    from goodwill.text.airline import read_airline

    tweets = read_airline(folder)
    return [re.sub(r"@\w+", "@user", t.text) for t in tweets], [t.label for t in tweets]


def transfer_rows(shared: Path, umsab: Path) -> tuple[np.ndarray, np.ndarray]:
    """USE embeddings and labels of the English rows of the cross-lingual head: the SemEval
    2013–2016 tweets (without the TweetEval validation ids), the airline tweets and the UMSAB
    English training split (cached in ``build/embeddings``)."""
    from goodwill.text.semeval import load_semeval_years

    semeval = load_semeval_years(shared / "semeval-sentiment-train")
    air_texts, air_labels = load_airline(shared)
    en_texts, en_labels = load_umsab(umsab, "en", "train")
    x = np.vstack(
        [
            cached_use_embeddings(semeval.texts),
            cached_use_embeddings(air_texts),
            cached_use_embeddings(en_texts),
        ]
    )
    y = np.concatenate([semeval.labels, air_labels, en_labels])
    return x, y


def fit_transfer_head(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
    """The cross-lingual head: a class-balanced logistic regression (``C`` =
    :data:`TRANSFER_C`) on English USE embeddings (:func:`transfer_rows`)."""
    clf = LogisticRegression(C=TRANSFER_C, max_iter=1000, class_weight=TRANSFER_CLASS_WEIGHT)
    return clf.fit(x, y)


def fit_use_head(
    texts: Sequence[str],
    labels: Sequence[int],
    embeddings: np.ndarray,
    language: str,
    transfer: LogisticRegression | None = None,
) -> tuple[UseHead, float, dict[tuple[float, float, float], float]]:
    """The USE head of one language, its ``C`` and the out-of-fold macro-F1 of every
    ``(C, w, u)`` (step 4 of the module docstring; ``u`` the weight of ``transfer``, the
    cross-lingual head, which saw none of this language's tweets, so its probabilities on
    them are out of sample in every fold)."""
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
    p_xl = np.zeros((len(y), 3)) if transfer is None else transfer.predict_proba(embeddings)
    cv: dict[tuple[float, float, float], float] = {}
    for c in USE_C_GRID:
        for w in BLEND_GRID:
            for u in TRANSFER_GRID if transfer is not None else (0.0,):
                if w + u > 1.0 + 1e-9:
                    continue
                blended = w * p_use[c] + u * p_xl + (1.0 - w - u) * p_ngram
                cv[(c, w, u)] = float(f1_score(y, blended.argmax(axis=1), average="macro"))
    best = max(cv, key=lambda k: (round(cv[k], 6), -k[2], -k[0], -abs(k[1] - 0.5)))
    clf = LogisticRegression(C=best[0], max_iter=3000).fit(embeddings, y)
    use_transfer = transfer is not None and best[2] > 0
    version = TRANSFER_VERSION if use_transfer else USE_VERSION
    head = UseHead(
        language=language,
        version=version,
        weights=clf.coef_.T.copy(),
        bias=clf.intercept_.copy(),
        blend=best[1],
        transfer_weights=transfer.coef_.T.copy() if transfer is not None and use_transfer else None,
        transfer_bias=transfer.intercept_.copy() if transfer is not None and use_transfer else None,
        transfer_blend=best[2],
    )
    return head, best[0], cv


def train_use_heads(
    folder: Path,
    out: Path,
    transfer: bool = True,
    languages: Sequence[str] | None = None,
) -> dict[str, float]:
    """Fit the USE head of every language of :data:`USE_TRAINED` (with the cross-lingual head
    as a third member unless ``transfer`` is false), save them, return
    validation macro-F1 of the blended models (scored only after the choice, with the saved
    heads). With ``languages``, only those are refitted; the others keep the heads in ``out``
    (the fits are deterministic, so refitting them reproduces them)."""
    from goodwill.text.use_sentiment import load_use_models, save_heads

    started = time.perf_counter()
    cross = None
    if transfer:
        x_en, y_en = transfer_rows(folder.parent, folder)
        cross = fit_transfer_head(x_en, y_en)
        print(
            f"cross-lingual head on {len(y_en):,} English tweets "
            f"({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
    data = {lang: load_umsab(folder, lang, "train") for lang in USE_TRAINED}
    embedded = {lang: cached_use_embeddings(texts) for lang, (texts, _) in data.items()}
    heads = []
    for lang in USE_TRAINED:
        if languages is not None and lang not in languages:
            heads.append(load_use_models(out)[lang].head)
            print(f"{lang}: kept the committed head", flush=True)
            continue
        texts, labels = data[lang]
        head, c, cv = fit_use_head(texts, labels, embedded[lang], lang, cross)
        heads.append(head)
        best = max(cv.values())
        two = max(v for k, v in cv.items() if k[2] == 0)
        alone = max(v for k, v in cv.items() if k[1] == k[2] == 0)
        print(
            f"{lang}: chosen C={c:g} w={head.blend:g} u={head.transfer_blend:g}, "
            f"cross-validated macro-F1 {100 * best:.1f} "
            f"(without the cross-lingual head {100 * two:.1f}"
            f"; n-grams alone {100 * alone:.1f}"
            f"; {time.perf_counter() - started:.0f} s)",
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
    parser.add_argument(
        "--no-transfer",
        action="store_true",
        help="no cross-lingual head fitted on the English tweets (version 1's blends)",
    )
    parser.add_argument(
        "--languages",
        help="comma-separated codes to refit (the others keep the committed heads)",
    )
    args = parser.parse_args(argv)
    if not args.heads_only:
        train_multilingual(args.umsab, MULTILINGUAL_MODEL_PATH)
    chosen = args.languages.split(",") if args.languages else None
    train_use_heads(
        args.umsab,
        USE_MODEL_PATH,
        transfer=not args.no_transfer,
        languages=chosen,
    )


if __name__ == "__main__":
    main()
