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
6. Joint head (``--joint``; version 3, languages :data:`JOINT_LANGUAGES`,
   :func:`fit_joint_head`): one class-balanced logistic regression on the USE embedding ⊕ a
   one-hot language code (scaled by
   :data:`JOINT_SCALE`, so the per-language intercepts, i.e. each set's class prior, are barely
   penalised), fitted on :data:`JOINT_ENGLISH_ROWS` of the English rows of step 5 (a seeded
   sample) and the training tweets of every language of :data:`USE_TRAINED`, the rows of
   :data:`JOINT_LANGUAGES` weighted :data:`JOINT_TARGET_WEIGHT`. Its out-of-fold probabilities
   come from refitting it per fold without that fold's tweets of those languages (same folds
   as step 4; every fit, the final one too, warm-starts from the head fitted without any of
   those languages' tweets, :func:`joint_start`); its weight ``j`` of :data:`JOINT_GRID`
   is chosen with ``C``, ``w`` and ``u`` by the out-of-fold macro-F1 of
   ``w · p_use + u · p_xl + j · p_joint + (1 − w − u − j) · p_ngram``. The head is folded per
   language (``J_ℓ`` = the embedding's coefficients, ``k_ℓ`` = intercept + scale × the
   language's coefficients) and stored with the language's other heads.
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
    "fit_joint_head",
    "fit_language",
    "fit_transfer_head",
    "fit_use_head",
    "joint_language_head",
    "joint_out_of_fold",
    "joint_start",
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
JOINT_VERSION = "3"
"""The version of a language's model that blends in the joint head."""
JOINT_LANGUAGES = ("es", "pt")
"""Languages whose blend may take the joint head (those below the goal of 65 in version 2)."""
JOINT_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
"""Weights ``j`` of the joint head tried by cross-validation."""
JOINT_C = 1.0
JOINT_SCALE = 5.0
"""Value of the one-hot language feature (a larger value penalises the intercepts less)."""
JOINT_TARGET_WEIGHT = 10.0
"""Sample weight of the tweets of :data:`JOINT_LANGUAGES` in the joint head."""
JOINT_ENGLISH_ROWS = 20_000
"""English rows (a sample of :func:`transfer_rows`, seed :data:`SEED`) in the joint head."""
JOINT_CODES = ("en", *USE_TRAINED)
"""The joint head's language codes, in the order of its one-hot columns."""


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


def _one_hot(language: str, n: int) -> np.ndarray:
    out = np.zeros((n, len(JOINT_CODES)), np.float32)
    out[:, JOINT_CODES.index(language)] = JOINT_SCALE
    return out


def fit_joint_head(
    x_en: np.ndarray,
    y_en: np.ndarray,
    embeddings: Mapping[str, np.ndarray],
    labels: Mapping[str, np.ndarray],
    keep: Mapping[str, np.ndarray] | None = None,
    start: LogisticRegression | None = None,
) -> LogisticRegression:
    """The joint head (step 6 of the module docstring) on :data:`JOINT_ENGLISH_ROWS` English
    rows of ``x_en`` and every language's ``embeddings``; ``keep`` limits a language to those
    row indexes (the training folds), ``start`` warm-starts the fit from another joint head."""
    sample = np.random.default_rng(SEED).choice(len(y_en), JOINT_ENGLISH_ROWS, replace=False)
    xs = [np.hstack([x_en[sample], _one_hot("en", len(sample))])]
    ys = [y_en[sample]]
    ws = [np.ones(len(sample))]
    for lang in USE_TRAINED:
        rows = np.arange(len(labels[lang])) if keep is None or lang not in keep else keep[lang]
        xs.append(np.hstack([embeddings[lang][rows], _one_hot(lang, len(rows))]))
        ys.append(labels[lang][rows])
        weight = JOINT_TARGET_WEIGHT if lang in JOINT_LANGUAGES else 1.0
        ws.append(np.full(len(rows), weight))
    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    per_class = np.bincount(y, weights=w, minlength=3)
    w = w * (w.sum() / (3 * per_class))[y]
    clf = LogisticRegression(C=JOINT_C, max_iter=500, tol=1e-4, warm_start=start is not None)
    if start is not None:
        clf.coef_, clf.intercept_ = start.coef_.copy(), start.intercept_.copy()
    return clf.fit(x, y, sample_weight=w)


def joint_start(
    x_en: np.ndarray,
    y_en: np.ndarray,
    embeddings: Mapping[str, np.ndarray],
    labels: Mapping[str, np.ndarray],
) -> LogisticRegression:
    """The joint head without any tweet of :data:`JOINT_LANGUAGES`: the starting point of the
    per-fold and final fits."""
    none = {lang: np.zeros(0, dtype=int) for lang in JOINT_LANGUAGES}
    return fit_joint_head(x_en, y_en, embeddings, labels, none)


def joint_language_head(clf: LogisticRegression, language: str) -> tuple[np.ndarray, np.ndarray]:
    """``(J_ℓ, k_ℓ)``: the joint head read for one language (its one-hot folded into the bias)."""
    d = clf.coef_.shape[1] - len(JOINT_CODES)
    weights = clf.coef_[:, :d].T.copy()
    bias = clf.intercept_ + JOINT_SCALE * clf.coef_[:, d + JOINT_CODES.index(language)]
    return weights, bias


def joint_out_of_fold(
    x_en: np.ndarray,
    y_en: np.ndarray,
    embeddings: Mapping[str, np.ndarray],
    labels: Mapping[str, np.ndarray],
    start: LogisticRegression,
) -> dict[str, np.ndarray]:
    """Out-of-fold ``p_joint`` of every language of :data:`JOINT_LANGUAGES` (the folds of
    :func:`fit_use_head`): fold ``k`` of every such language is held out of the fit at once;
    every fit starts from ``start``, a joint head fitted without any of those languages'
    tweets (:func:`joint_start`), so no fit begins from weights that saw its held-out fold."""
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    splits = {
        lang: list(folds.split(np.zeros(len(labels[lang])), labels[lang]))
        for lang in JOINT_LANGUAGES
    }
    out = {lang: np.zeros((len(labels[lang]), 3)) for lang in JOINT_LANGUAGES}
    for k in range(5):
        keep = {lang: splits[lang][k][0] for lang in JOINT_LANGUAGES}
        clf = fit_joint_head(x_en, y_en, embeddings, labels, keep, start)
        for lang in JOINT_LANGUAGES:
            test = splits[lang][k][1]
            weights, bias = joint_language_head(clf, lang)
            scores = embeddings[lang][test].astype(np.float64) @ weights + bias
            out[lang][test] = _softmax(scores)
    return out


def _softmax(s: np.ndarray) -> np.ndarray:
    from goodwill.text.use_sentiment import softmax

    return softmax(s)


def fit_use_head(
    texts: Sequence[str],
    labels: Sequence[int],
    embeddings: np.ndarray,
    language: str,
    transfer: LogisticRegression | None = None,
    joint: tuple[np.ndarray, tuple[np.ndarray, np.ndarray]] | None = None,
) -> tuple[UseHead, float, dict[tuple[float, float, float, float], float]]:
    """The USE head of one language, its ``C`` and the out-of-fold macro-F1 of every
    ``(C, w, u, j)`` (step 4 of the module docstring; ``u`` the weight of ``transfer``, the
    cross-lingual head, which saw none of this language's tweets, so its probabilities on
    them are out of sample in every fold; ``j`` the weight of the joint head, ``joint`` its
    out-of-fold probabilities and the final head's ``(J_ℓ, k_ℓ)``, step 6)."""
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
    p_jt = np.zeros((len(y), 3)) if joint is None else joint[0]
    cv: dict[tuple[float, float, float, float], float] = {}
    for c in USE_C_GRID:
        for w in BLEND_GRID:
            for u in TRANSFER_GRID if transfer is not None else (0.0,):
                for j in JOINT_GRID if joint is not None else (0.0,):
                    if w + u + j > 1.0 + 1e-9:
                        continue
                    blended = w * p_use[c] + u * p_xl + j * p_jt + (1.0 - w - u - j) * p_ngram
                    cv[(c, w, u, j)] = float(f1_score(y, blended.argmax(axis=1), average="macro"))
    best = max(cv, key=lambda k: (round(cv[k], 6), -k[3], -k[2], -k[0], -abs(k[1] - 0.5)))
    clf = LogisticRegression(C=best[0], max_iter=3000).fit(embeddings, y)
    use_transfer = transfer is not None and best[2] > 0
    use_joint = joint is not None and best[3] > 0
    version = JOINT_VERSION if use_joint else TRANSFER_VERSION if use_transfer else USE_VERSION
    head = UseHead(
        language=language,
        version=version,
        weights=clf.coef_.T.copy(),
        bias=clf.intercept_.copy(),
        blend=best[1],
        transfer_weights=transfer.coef_.T.copy() if transfer is not None and use_transfer else None,
        transfer_bias=transfer.intercept_.copy() if transfer is not None and use_transfer else None,
        transfer_blend=best[2],
        joint_weights=joint[1][0] if joint is not None and use_joint else None,
        joint_bias=joint[1][1] if joint is not None and use_joint else None,
        joint_blend=best[3],
    )
    return head, best[0], cv


def train_use_heads(
    folder: Path,
    out: Path,
    transfer: bool = True,
    joint: bool = False,
    languages: Sequence[str] | None = None,
) -> dict[str, float]:
    """Fit the USE head of every language of :data:`USE_TRAINED` (with the cross-lingual head
    as a third member unless ``transfer`` is false, and, with ``joint`` (and ``transfer``), the
    joint head as a fourth for :data:`JOINT_LANGUAGES`), save them, return
    validation macro-F1 of the blended models (scored only after the choice, with the saved
    heads). With ``languages``, only those are refitted; the others keep the heads in ``out``
    (the fits are deterministic, so refitting them reproduces them)."""
    from goodwill.text.use_sentiment import load_use_models, save_heads

    started = time.perf_counter()
    cross = None
    x_en, y_en = np.zeros((0, 512)), np.zeros(0, int)
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
    labelled = {lang: np.asarray(labels) for lang, (_, labels) in data.items()}
    joint_oof: dict[str, np.ndarray] = {}
    joint_final: LogisticRegression | None = None
    if transfer and joint:
        start = joint_start(x_en, y_en, embedded, labelled)
        print(f"joint head without {JOINT_LANGUAGES} ({time.perf_counter() - started:.0f} s)")
        joint_oof = joint_out_of_fold(x_en, y_en, embedded, labelled, start)
        joint_final = fit_joint_head(x_en, y_en, embedded, labelled, start=start)
        print(f"joint head ({time.perf_counter() - started:.0f} s)", flush=True)
    heads = []
    for lang in USE_TRAINED:
        if languages is not None and lang not in languages:
            heads.append(load_use_models(out)[lang].head)
            print(f"{lang}: kept the committed head", flush=True)
            continue
        texts, labels = data[lang]
        member = None
        if joint_final is not None and lang in joint_oof:
            member = (joint_oof[lang], joint_language_head(joint_final, lang))
        head, c, cv = fit_use_head(texts, labels, embedded[lang], lang, cross, member)
        heads.append(head)
        best = max(cv.values())
        two = max(v for k, v in cv.items() if k[2] == k[3] == 0)
        three = max(v for k, v in cv.items() if k[3] == 0)
        alone = max(v for k, v in cv.items() if k[1] == k[2] == k[3] == 0)
        print(
            f"{lang}: chosen C={c:g} w={head.blend:g} u={head.transfer_blend:g} "
            f"j={head.joint_blend:g}, cross-validated macro-F1 {100 * best:.1f} "
            f"(without the joint head {100 * three:.1f}"
            f"; without the cross-lingual and joint heads {100 * two:.1f}"
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
        "--joint",
        action="store_true",
        help="offer the joint head to Spanish and Portuguese (step 6; not in the committed model)",
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
        joint=args.joint,
        languages=chosen,
    )


if __name__ == "__main__":
    main()
