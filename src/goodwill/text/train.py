"""Reproducible training of the committed text models.

    python -m goodwill.text.train fast [--data ../shared/data/semeval-sentiment-train]
    python -m goodwill.text.train accurate      # needs the [accurate] extra; ~5 min of CPU

Accurate model (``models/accurate_head.json.gz``): the same SemEval rows, a random sample of
``ACCURATE_SAMPLE`` (seed 5) embedded with all-MiniLM-L6-v2, features ``[embedding, log p_fast]``,
the same class-weighted logistic regression (:func:`fit_head`, λ = ``ACCURATE_L2``) and bias
tuning.

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
ACCURATE_SAMPLE = 8_000
ACCURATE_L2 = 0.3
VERSION = "1"
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


def fit_head(
    x: np.ndarray, labels: Sequence[int], *, l2: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Class-weighted multinomial logistic regression on dense features: ``(W, b)``.

    Same loss as the lexicon (balanced class weights, L2 on W), then the biases are tuned on a
    10 % split for macro-recall (no neutral-margin rule: every text has an embedding)."""
    y_all = np.asarray(labels)
    rng = np.random.default_rng(SEED)
    order = rng.permutation(len(y_all))
    n_tune = len(y_all) // 10
    tune_idx, train_idx = order[:n_tune], order[n_tune:]
    xt, y = x[train_idx], y_all[train_idx]
    n, d = xt.shape
    onehot = np.zeros((n, 3))
    onehot[np.arange(n), y] = 1.0
    alpha = (n / (3.0 * onehot.sum(axis=0)))[y]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: d * 3].reshape(d, 3)
        b = theta[d * 3 :]
        s = xt @ w + b
        s -= s.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        value = -float(np.sum(alpha * logp[np.arange(n), y])) + 0.5 * l2 * float(np.sum(w * w))
        g = (np.exp(logp) - onehot) * alpha[:, None]
        return value, np.concatenate([(xt.T @ g + l2 * w).ravel(), g.sum(axis=0)])

    result = scipy.optimize.minimize(
        loss, np.zeros(d * 3 + 3), jac=True, method="L-BFGS-B", options={"maxiter": 500}
    )
    w = result.x[: d * 3].reshape(d, 3)
    b = result.x[d * 3 :].copy()
    tune = x[tune_idx] @ w + b
    best = (-1.0, 0.0, 0.0)
    for d0 in np.arange(-1.0, 1.01, 0.1):
        for d2 in np.arange(-1.0, 1.01, 0.1):
            shifted = tune + np.array([d0, 0.0, d2])
            score = macro_recall(y_all[tune_idx].tolist(), shifted.argmax(axis=1).tolist())
            if score > best[0] + 1e-9:
                best = (score, float(d0), float(d2))
    b[0] += best[1]
    b[2] += best[2]
    return w, b


def train_accurate(folder: Path, out: Path, *, sample: int = ACCURATE_SAMPLE) -> None:
    """Fit the accurate head on ``sample`` SemEval texts (seed 5) and save it.

    The sample keeps the CPU time of embedding the training texts to minutes; the head has
    only 387 × 3 weights, so more data helps little."""
    from goodwill.text.accurate import AccurateModel, fast_log_probs
    from goodwill.text.embeddings import load_minilm

    texts, labels = load_semeval(folder)
    idx = np.random.default_rng(5).permutation(len(texts))[:sample]
    chosen = [texts[i] for i in idx]
    emb = load_minilm().encode(chosen)
    x = np.hstack([emb, fast_log_probs(chosen)])
    w, b = fit_head(x, [labels[i] for i in idx], l2=ACCURATE_L2)
    AccurateModel(name="minilm-head", version=VERSION, weights=w, bias=b).save(out)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m goodwill.text.train")
    parser.add_argument("model", choices=("fast", "accurate"))
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.model == "accurate":
        from goodwill.text.accurate import ACCURATE_MODEL_PATH

        train_accurate(args.data, args.out or ACCURATE_MODEL_PATH)
        print(f"wrote {args.out or ACCURATE_MODEL_PATH}")
        return
    args.out = args.out or FAST_MODEL_PATH
    texts, labels = load_semeval(args.data)
    model = fit_lexicon(texts, labels)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    print(f"wrote {args.out} ({len(model.weights)} features, {args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
