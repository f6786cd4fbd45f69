"""Reproducible training of the committed text models.

    python -m goodwill.text.train fast [--data ../shared/data/semeval-sentiment-train]
    nice -n 10 python -m goodwill.text.train accurate   # the [accurate] extra; see below

Accurate model (``models/accurate_head.npz``): see :mod:`goodwill.text.train_accurate` (all
SemEval rows without the TweetEval validation ids, embeddings cached in ``build/embeddings/``,
head chosen on a held-out part of the training rows).

Fast model (``models/fast_lexicon.json.gz``):

1. Data: ``semeval_2013_2016_A.tsv`` (SemEval 2013–2016 Twitter, subtask A) **minus** the ids
   in ``tweeteval_val_overlap_ids.txt``, so TweetEval validation scores are not inflated.
   ``@handles`` become ``@user`` as in TweetEval. The rows are shuffled (seed 13); 10 % are
   held out as a tuning set, the rest train.
2. Features: :func:`goodwill.text.features.extract`; features seen in fewer than ``MIN_COUNT``
   training texts are dropped.
3. Fit: multinomial logistic regression, loss
   ``Σ_i α_{y_i} · (−log p_{y_i}(x_i)) + λ/2 · ‖W‖²`` with class weights
   ``α_c = n / (3 · n_c)`` (balanced, because the target is macro-averaged recall), minimised with
   L-BFGS (scipy).
4. Bias tuning: the three biases are shifted on a grid to maximise macro-recall on the tuning
   set, keeping the neutral bias at least ``NEUTRAL_MARGIN`` above the others so that a text
   without any known feature ("Anyone tried the @brand subscription?") comes out neutral.
5. Hand weights: ``features.HAND_WEIGHTS`` (litotes, sarcasm markers) replace the learned ones.
6. Pruning: features whose largest absolute weight is below ``PRUNE`` are dropped; weights are
   rounded to 3 decimals. The artefact is a gzip JSON of a few hundred kB.

Training needs numpy and scipy (already dependencies) and the shared data folder; it is never
run at import or prediction time.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.optimize  # type: ignore[import-untyped]
import scipy.sparse  # type: ignore[import-untyped]

from goodwill.text.fast import FAST_MODEL_PATH, FastModel
from goodwill.text.features import HAND_WEIGHTS, extract
from goodwill.text.labels import SENTIMENTS

__all__ = ["fit_lexicon", "load_semeval", "macro_recall", "main"]

DEFAULT_DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "semeval-sentiment-train"
MIN_COUNT = 3
L2 = 3.0
PRUNE = 0.02
SEED = 13
NEUTRAL_MARGIN = 0.5
VERSION = "1"
EMBED_CACHE = Path(__file__).resolve().parents[3] / "build" / "embeddings"
_HANDLE = re.compile(r"@\w+")


def load_semeval(folder: Path) -> tuple[list[str], list[int]]:
    """Texts and class indexes of the SemEval file, without the TweetEval validation ids."""
    overlap = set((folder / "tweeteval_val_overlap_ids.txt").read_text().split())
    texts: list[str] = []
    labels: list[int] = []
    with open(folder / "semeval_2013_2016_A.tsv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["id"] in overlap:
                continue
            texts.append(_HANDLE.sub("@user", row["text"]))
            labels.append(SENTIMENTS.index(row["label"]))
    return texts, labels


def macro_recall(truth: Sequence[int], predicted: Sequence[int], classes: int = 3) -> float:
    """Mean over classes of (correct predictions of the class / rows of the class)."""
    t = np.asarray(truth)
    p = np.asarray(predicted)
    recalls = [float(np.mean(p[t == c] == c)) for c in range(classes) if np.any(t == c)]
    return float(np.mean(recalls))


def _matrix(feats: list[dict[str, float]], vocab: dict[str, int]) -> scipy.sparse.csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for i, f in enumerate(feats):
        for name, value in f.items():
            j = vocab.get(name)
            if j is not None:
                rows.append(i)
                cols.append(j)
                vals.append(value)
    return scipy.sparse.csr_matrix((vals, (rows, cols)), shape=(len(feats), len(vocab)))


def fit_lexicon(
    texts: Sequence[str], labels: Sequence[int], *, l2: float = L2, min_count: int = MIN_COUNT
) -> FastModel:
    """Fit the lexicon on ``texts`` (steps 2–5 of the module docstring)."""
    rng = np.random.default_rng(SEED)
    order = rng.permutation(len(texts))
    n_tune = len(texts) // 10
    tune_idx, train_idx = order[:n_tune], order[n_tune:]
    feats = [extract(t) for t in texts]
    counts: Counter[str] = Counter()
    for i in train_idx:
        counts.update(feats[i].keys())
    names = sorted(n for n, c in counts.items() if c >= min_count)
    vocab = {n: j for j, n in enumerate(names)}
    x_all = _matrix(feats, vocab)
    y_all = np.asarray(labels)
    x, y = x_all[train_idx], y_all[train_idx]
    n, d = x.shape
    onehot = np.zeros((n, 3))
    onehot[np.arange(n), y] = 1.0
    class_n = onehot.sum(axis=0)
    alpha = (n / (3.0 * class_n))[y]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: d * 3].reshape(d, 3)
        b = theta[d * 3 :]
        s = x @ w + b
        s -= s.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        value = -float(np.sum(alpha * logp[np.arange(n), y])) + 0.5 * l2 * float(np.sum(w * w))
        g = (np.exp(logp) - onehot) * alpha[:, None]
        grad_w = x.T @ g + l2 * w
        return value, np.concatenate([np.asarray(grad_w).ravel(), g.sum(axis=0)])

    result = scipy.optimize.minimize(
        loss, np.zeros(d * 3 + 3), jac=True, method="L-BFGS-B", options={"maxiter": 400}
    )
    w = result.x[: d * 3].reshape(d, 3)
    b = result.x[d * 3 :]
    tune_scores = np.asarray(x_all[tune_idx] @ w) + b
    y_tune = y_all[tune_idx]
    best = (-1.0, 0.0, 0.0)
    for d0 in np.arange(-1.0, 1.01, 0.1):
        for d2 in np.arange(-1.0, 1.01, 0.1):
            if max(b[0] + d0, b[2] + d2) > b[1] - NEUTRAL_MARGIN:
                continue  # a text with no known feature must come out neutral
            shifted = tune_scores + np.array([d0, 0.0, d2])
            score = macro_recall(y_tune.tolist(), shifted.argmax(axis=1).tolist())
            if score > best[0] + 1e-9:
                best = (score, float(d0), float(d2))
    bias = (float(b[0] + best[1]), float(b[1]), float(b[2] + best[2]))
    weights = {
        name: (round(float(w[j, 0]), 3), round(float(w[j, 1]), 3), round(float(w[j, 2]), 3))
        for name, j in vocab.items()
        if float(np.abs(w[j]).max()) >= PRUNE
    }
    weights.update(HAND_WEIGHTS)
    return FastModel(
        name="fast-lexicon",
        version=VERSION,
        bias=(round(bias[0], 4), round(bias[1], 4), round(bias[2], 4)),
        weights=weights,
    )


def cached_embeddings(texts: Sequence[str], cache_dir: Path = EMBED_CACHE) -> np.ndarray:
    """MiniLM embeddings of ``texts``, stored in ``cache_dir`` (gitignored ``build/``) under the
    SHA-256 of the texts, so re-training does not embed the 47k SemEval tweets again."""
    import hashlib

    from goodwill.text.embeddings import load_minilm

    digest = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:16]
    path = cache_dir / f"minilm-{digest}.npy"
    if path.exists():
        cached: np.ndarray = np.load(path)
        if cached.shape == (len(texts), 384):
            return cached
    model = load_minilm()
    parts = []
    step = 2048
    for start in range(0, len(texts), step):
        parts.append(model.encode(texts[start : start + step]))
        print(f"embedded {min(start + step, len(texts))}/{len(texts)}", flush=True)
    emb = np.vstack(parts) if parts else np.zeros((0, 384), np.float32)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(path, emb)
    return emb


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m goodwill.text.train")
    parser.add_argument("model", choices=("fast", "accurate"))
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.model == "accurate":
        from goodwill.text.accurate import ACCURATE_MODEL_PATH
        from goodwill.text.train_accurate import train_accurate

        train_accurate(args.data, args.out or ACCURATE_MODEL_PATH)
        return
    args.out = args.out or FAST_MODEL_PATH
    texts, labels = load_semeval(args.data)
    model = fit_lexicon(texts, labels)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    print(f"wrote {args.out} ({len(model.weights)} features, {args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
