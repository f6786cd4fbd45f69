"""Training the accurate model's head (``models/accurate_head.npz``).

    nice -n 10 python -m goodwill.text.train accurate [--data DIR]   # DIR: semeval-sentiment-train

1. Data: every SemEval 2013–2016 row **minus** the TweetEval validation ids
   (:func:`goodwill.text.semeval.load_semeval`; 47,547 tweets).
2. Features (:mod:`goodwill.text.accurate`): MiniLM embedding, fast-model log-probabilities,
   hashed word + character n-gram TF-IDF (idf from the training rows). The embeddings are
   cached in ``build/embeddings/`` (gitignored; :func:`goodwill.text.semeval.cached_embeddings`),
   so only the first run pays for the encoder (about 10 minutes on one free core).
3. Fit: class-weighted multinomial logistic regression (balanced weights
   ``α_c = n / (3 · n_c)``, the target being macro-recall), loss
   ``Σ_i α_{y_i} · (−log p_{y_i}) + λ_d/2 · ‖W_dense‖² + λ_s/2 · ‖W_ngram‖²``, L-BFGS.
4. Model selection on the training data only: the rows are shuffled (seed 13, the fast model's
   split), 10 % are held out; every candidate of ``GRID`` (λ_d, λ_s, with or without the fast
   model's log-probabilities) is fitted on the other 90 % and scored by macro-recall on the
   held-out 10 %; the best head gets its biases shifted on a grid to maximise held-out
   macro-recall (as for the fast model) and is saved. This is a single held-out split, not
   k-fold cross-validation (each fit costs minutes of a shared CPU). TweetEval and the airline
   data are never used for any choice.

Run it with ``OPENBLAS_NUM_THREADS=1`` on a busy machine: the L-BFGS matrix products are small
and BLAS threads spinning for a shared core make them several times slower.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.optimize  # type: ignore[import-untyped]
import scipy.sparse  # type: ignore[import-untyped]

from goodwill.text.accurate import (
    NGRAM_BUCKETS,
    AccurateModel,
    fast_log_probs,
    hashed_counts,
    idf_of,
    tfidf,
)
from goodwill.text.semeval import EMBED_CACHE, SEED, cached_embeddings, load_semeval, macro_recall

__all__ = ["GRID", "cached_counts", "fit_sparse_head", "train_accurate"]

ACCURATE_VERSION = "2"
"""Version 1 was an embedding-only head on an 8,000-tweet sample."""
GRID: tuple[tuple[float, float, bool], ...] = (
    (0.3, 1.0, True),
    (1.0, 3.0, False),
    (3.0, 1.0, False),
    (3.0, 3.0, False),
    (3.0, 10.0, False),
)
"""Candidate ``(λ_dense, λ_ngram, with log p_fast)``. Without: the three fast-model columns are
zero. The fast model was fitted on these same training rows, so its probabilities there are
over-confident and the head learns to trust them too much (held-out macro-recall 0.61 with
them against 0.68 without, see docs/listening.md)."""


def fit_sparse_head(
    dense: np.ndarray,
    sparse: scipy.sparse.csr_matrix,
    labels: Sequence[int],
    *,
    l2_dense: float,
    l2_sparse: float,
    maxiter: int = 300,
    init: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(W_dense, W_ngram, b)`` minimising the class-weighted loss of the module docstring."""
    y = np.asarray(labels)
    n, dd = dense.shape
    ds = sparse.shape[1]
    onehot = np.zeros((n, 3))
    onehot[np.arange(n), y] = 1.0
    alpha = (n / (3.0 * onehot.sum(axis=0)))[y][:, None]
    sparse_t = sparse.T.tocsr()

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        wd = theta[: dd * 3].reshape(dd, 3)
        ws = theta[dd * 3 : (dd + ds) * 3].reshape(ds, 3)
        b = theta[(dd + ds) * 3 :]
        s = dense @ wd + sparse @ ws + b
        s -= s.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        value = (
            -float(np.sum(alpha * onehot * logp))
            + 0.5 * l2_dense * float(np.sum(wd * wd))
            + 0.5 * l2_sparse * float(np.sum(ws * ws))
        )
        g = (np.exp(logp) - onehot) * alpha
        grad = np.concatenate(
            [
                (dense.T @ g + l2_dense * wd).ravel(),
                (np.asarray(sparse_t @ g) + l2_sparse * ws).ravel(),
                g.sum(axis=0),
            ]
        )
        return value, grad

    result = scipy.optimize.minimize(
        loss,
        np.zeros((dd + ds + 1) * 3) if init is None else init,
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": maxiter},
    )
    theta = result.x
    return (
        theta[: dd * 3].reshape(dd, 3),
        theta[dd * 3 : (dd + ds) * 3].reshape(ds, 3),
        theta[(dd + ds) * 3 :].copy(),
    )


def _tune_bias(scores: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Shifts ``(d_neg, 0, d_pos)`` on a 0.1 grid in [−1, 1] maximising macro-recall."""
    best = (-1.0, 0.0, 0.0)
    for d0 in np.arange(-1.0, 1.01, 0.1):
        for d2 in np.arange(-1.0, 1.01, 0.1):
            shifted = scores + np.array([d0, 0.0, d2])
            score = macro_recall(y.tolist(), shifted.argmax(axis=1).tolist())
            if score > best[0] + 1e-9:
                best = (score, float(d0), float(d2))
    return np.array([best[1], 0.0, best[2]])


def cached_counts(texts: Sequence[str], cache_dir: Path = EMBED_CACHE) -> scipy.sparse.csr_matrix:
    """:func:`goodwill.text.accurate.hashed_counts` of ``texts``, cached like the embeddings."""
    digest = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:16]
    path = cache_dir / f"ngrams-wc-{NGRAM_BUCKETS}-{digest}.npz"
    if path.exists():
        return scipy.sparse.load_npz(path).tocsr()
    counts = hashed_counts(texts)
    cache_dir.mkdir(parents=True, exist_ok=True)
    scipy.sparse.save_npz(path, counts)
    return counts


def train_accurate(folder: Path, out: Path) -> dict[str, float]:
    """Fit, select and save the head (module docstring); returns the held-out scores."""
    started = time.perf_counter()
    texts, labels = load_semeval(folder)
    y = np.asarray(labels)
    emb = cached_embeddings(texts)
    dense = np.hstack([emb.astype(np.float64), fast_log_probs(texts)])
    counts = cached_counts(texts)
    order = np.random.default_rng(SEED).permutation(len(texts))
    n_tune = len(texts) // 10
    tune, train = order[:n_tune], order[n_tune:]
    idf = idf_of(counts[train])
    ngrams = tfidf(counts, idf)
    print(f"features ready in {time.perf_counter() - started:.0f} s", flush=True)
    report: dict[str, float] = {}
    best: tuple[float, str, tuple[np.ndarray, ...]] | None = None
    no_fast = dense.copy()
    no_fast[:, -3:] = 0.0
    for l2_dense, l2_sparse, with_fast in GRID:
        x = dense if with_fast else no_fast
        wd, ws, b = fit_sparse_head(
            x[train], ngrams[train], y[train].tolist(), l2_dense=l2_dense, l2_sparse=l2_sparse
        )
        scores = x[tune] @ wd + ngrams[tune] @ ws + b
        mr = macro_recall(y[tune].tolist(), scores.argmax(axis=1).tolist())
        name = f"λ_dense={l2_dense} λ_ngram={l2_sparse} fast={with_fast}"
        report[name] = mr
        print(f"{name}: held-out macro-recall {mr:.4f} ({time.perf_counter() - started:.0f} s)")
        if best is None or mr > best[0]:
            best = (mr, name, (wd, ws, b, scores))
    assert best is not None
    wd, ws, b, scores = best[2]
    b = b + _tune_bias(scores, y[tune])
    print(f"chosen {best[1]}")
    AccurateModel(
        name="minilm-head", version=ACCURATE_VERSION, dense=wd, sparse=ws, idf=idf, bias=b
    ).save(out)
    print(f"wrote {out} ({out.stat().st_size:,} bytes) in {time.perf_counter() - started:.0f} s")
    return report
