"""Training the per-language models: the n-gram models (``models/multilingual.npz``,
:mod:`goodwill.text.ngram`) and the USE heads blended with them (``models/multilingual_use.npz``,
:mod:`goodwill.text.use_sentiment`).

    python -m goodwill.text.train multilingual [--umsab ../shared/data/umsab-sentiment]  # n-grams
    python -m goodwill.text.train_multilingual [--umsab DIR] [--heads-only]            # both
        [--languages es,pt] [--embeddings-cache DIR]

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
5. e5 heads (languages :data:`E5_TRAINED`, Spanish and Portuguese, the two that missed 65 with
   USE alone): the same folds also give out-of-fold probabilities of a logistic regression on
   the multilingual-e5-small embedding (:mod:`goodwill.text.e5_encoder`) for every ``C`` of
   :data:`E5_C_GRID`; ``(C_use, C_e5, w, v)`` with ``w, v`` in steps of 0.1, ``w + v ≤ 1``, is
   the one with the best out-of-fold macro-F1 of ``w · p_use + v · p_e5 + (1 − w − v) ·
   p_ngram``. Measured on es / pt (out-of-fold macro-F1): USE + n-grams 60.6 / 61.2, e5
   alone 60.9 / 60.5, the three together 63.1 / 62.8 (chosen ``w, v`` 0.2, 0.8 / 0.2, 0.6);
   UMSAB validation, scored once: 62.4 → 60.6 / 61.6 → 62.3 (``docs/listening.md``). Not kept (same
   out-of-fold measure): scikit-learn ``TfidfVectorizer`` word + character n-grams with tweet
   normalisation and accent folding (52.7–53.3 es, 56.6–57.1 pt, against 53.8 / 56.4 for the
   hashed n-grams); per-class offsets on the log-probabilities chosen by nested
   cross-validation (−1.0 to +1.3); a stacked logistic regression over the members'
   log-probabilities (59.4–60.5, below the blend); the other language's tweets as extra
   USE rows (es + pt at weight 0.3: +0.7, all six other languages at 0.1: +0.9 — inside the
   folds' noise, not kept).

``--embeddings-cache DIR`` keeps each encoder's embeddings of each split in ``DIR`` (named by
the encoder and the SHA-256 of the texts), so a rerun does not encode again; ``--languages``
refits only the heads of those languages and keeps the others from the committed file.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.metrics import f1_score  # type: ignore[import-untyped]
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

from goodwill.text.ngram import NgramModel, hashed_counts, idf_of, save_models, tfidf
from goodwill.text.use_sentiment import E5Head, UseHead


class _Scores(Protocol):
    def probabilities(self, texts: Sequence[str]) -> np.ndarray: ...


__all__ = [
    "BLEND_GRID",
    "C_GRID",
    "E5_TRAINED",
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
E5_TRAINED = ("es", "pt")
"""Languages that also get a multilingual-e5 head (step 5 of the module docstring)."""
E5_C_GRID = (1.0, 3.0, 10.0)
E5_VERSION = "2"
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
    texts: Sequence[str],
    labels: Sequence[int],
    embeddings: np.ndarray,
    language: str,
    e5_embeddings: np.ndarray | None = None,
) -> tuple[UseHead, float, dict[tuple[float, ...], float]]:
    """The USE head of one language (with its e5 head when ``e5_embeddings`` is given), its
    USE ``C`` and the out-of-fold macro-F1 of every candidate: ``(C, w)`` without e5,
    ``(C_use, C_e5, w, v)`` with (steps 4 and 5 of the module docstring)."""
    y = np.asarray(labels)
    counts = hashed_counts(texts)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    p_use = {c: np.zeros((len(y), 3)) for c in USE_C_GRID}
    p_e5 = {c: np.zeros((len(y), 3)) for c in E5_C_GRID} if e5_embeddings is not None else {}
    p_ngram = np.zeros((len(y), 3))
    for train, test in folds.split(np.zeros(len(y)), y):
        for c in USE_C_GRID:
            clf = LogisticRegression(C=c, max_iter=3000).fit(embeddings[train], y[train])
            p_use[c][test] = clf.predict_proba(embeddings[test])
        if e5_embeddings is not None:
            for c in E5_C_GRID:
                clf = LogisticRegression(C=c, max_iter=3000).fit(e5_embeddings[train], y[train])
                p_e5[c][test] = clf.predict_proba(e5_embeddings[test])
        x = tfidf(counts, idf_of(counts[train]))
        ngram = LogisticRegression(C=3.0, max_iter=3000).fit(x[train], y[train])
        p_ngram[test] = ngram.predict_proba(x[test])

    def score(p: np.ndarray) -> float:
        return float(f1_score(y, p.argmax(axis=1), average="macro"))

    cv: dict[tuple[float, ...], float] = {}
    e5_head = None
    if e5_embeddings is None:
        for c in USE_C_GRID:
            for w in BLEND_GRID:
                cv[(c, w)] = score(w * p_use[c] + (1.0 - w) * p_ngram)
        best = max(cv, key=lambda k: (cv[k], -k[0], -abs(k[1] - 0.5)))
        c_use, w = best
    else:
        steps = [i / 10 for i in range(11)]
        for c in USE_C_GRID:
            for c5 in E5_C_GRID:
                for w in steps:
                    for v in steps:
                        if w + v <= 1.0 + 1e-9:
                            rest = max(1.0 - w - v, 0.0)
                            p = w * p_use[c] + v * p_e5[c5] + rest * p_ngram
                            cv[(c, c5, w, v)] = score(p)
        best = max(cv, key=lambda k: (cv[k], -k[0], -k[1], -abs(k[2] - k[3])))
        c_use, c5, w, v = best
        e5_clf = LogisticRegression(C=c5, max_iter=3000).fit(e5_embeddings, y)
        e5_head = E5Head(weights=e5_clf.coef_.T.copy(), bias=e5_clf.intercept_.copy(), blend=v)
    clf = LogisticRegression(C=c_use, max_iter=3000).fit(embeddings, y)
    head = UseHead(
        language=language,
        version=USE_VERSION if e5_head is None else E5_VERSION,
        weights=clf.coef_.T.copy(),
        bias=clf.intercept_.copy(),
        blend=w,
        e5=e5_head,
    )
    return head, c_use, cv


def _embedded(
    name: str,
    embed: Callable[[Sequence[str]], np.ndarray],
    texts: Sequence[str],
    cache: Path | None,
) -> np.ndarray:
    """``embed(texts)``, kept in ``cache`` (a file named by ``name`` and the SHA-256 of the
    texts) when a cache folder is given."""
    if cache is None:
        return embed(texts)
    digest = hashlib.sha256("\n".join(texts).encode("utf-8", "replace")).hexdigest()[:16]
    path = cache / f"{name}-{digest}.npy"
    if path.exists():
        stored: np.ndarray = np.load(path, allow_pickle=False)
        if stored.shape[0] == len(texts):
            return stored
    result = embed(texts)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, result)
    return result


def train_use_heads(
    folder: Path,
    out: Path,
    *,
    languages: Sequence[str] = USE_TRAINED,
    cache: Path | None = None,
) -> dict[str, float]:
    """Fit the heads of ``languages`` (of :data:`USE_TRAINED`; the others' heads are kept from
    ``out``), save them, return validation macro-F1 of the blended models (scored only after
    the choice, with the saved heads)."""
    from goodwill.text.use_encoder import load_use
    from goodwill.text.use_sentiment import load_use_models, save_heads

    unknown = sorted(set(languages) - set(USE_TRAINED))
    if unknown:
        raise ValueError(f"no USE head for {unknown}: choose among {list(USE_TRAINED)}")
    started = time.perf_counter()
    encoder = load_use()
    kept = load_use_models(out) if out.exists() else {}
    heads = []
    for lang in USE_TRAINED:
        if lang not in languages:
            if lang not in kept:
                raise ValueError(f"{out} has no {lang} head to keep; refit it with the others")
            heads.append(kept[lang].head)
            continue
        texts, labels = load_umsab(folder, lang, "train")
        e5 = None
        if lang in E5_TRAINED:
            from goodwill.text.e5_encoder import load_e5

            e5 = _embedded(f"e5-{lang}-train", load_e5().embed, texts, cache)
        use = _embedded(f"use-{lang}-train", encoder.embed, texts, cache)
        head, c, cv = fit_use_head(texts, labels, use, lang, e5)
        heads.append(head)
        best = max(cv.values())
        alone = max(v for k, v in cv.items() if k[-1] == 0.0 and k[-2] == 0.0)
        chosen = f"w={head.blend:g}" + (f" v={head.e5.blend:g}" if head.e5 is not None else "")
        print(
            f"{lang}: chosen C={c:g} {chosen}, cross-validated macro-F1 {100 * best:.1f} "
            f"(n-grams alone {100 * alone:.1f}; {time.perf_counter() - started:.0f} s)",
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
    """``python -m goodwill.text.train_multilingual [--umsab DIR] [--heads-only]
    [--languages LL,...] [--embeddings-cache DIR]``."""
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
        "--languages",
        default=",".join(USE_TRAINED),
        help="refit only these heads (comma-separated), keep the others",
    )
    parser.add_argument(
        "--embeddings-cache", type=Path, default=None, help="keep the embeddings in this folder"
    )
    args = parser.parse_args(argv)
    if not args.heads_only:
        train_multilingual(args.umsab, MULTILINGUAL_MODEL_PATH)
    languages = [x.strip() for x in args.languages.split(",") if x.strip()]
    train_use_heads(args.umsab, USE_MODEL_PATH, languages=languages, cache=args.embeddings_cache)


if __name__ == "__main__":
    main()
