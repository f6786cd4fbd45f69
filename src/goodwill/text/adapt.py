"""Brand adaptation: learn from a person's label corrections, keeping the base model as prior.

Corrections (``label_corrections`` with a sentiment) say how this brand's audience talks: "the
new blend tastes like cardboard" is a complaint here even if the general model calls it neutral.
The adaptation is a brand lexicon ``Δ[f, c]`` added to the base model's log-probabilities:

    s_c(x) = log p_base,c(x) + Σ_f value_f(x) · Δ[f, c]        p = softmax(s)

over the fast model's features (:func:`goodwill.text.features.extract`: words, negated words,
bigrams, emoji). ``Δ`` is fitted on the corrected texts only by minimising

    Σ_i −log p_{y_i}(x_i) + λ/2 · ‖Δ‖²

    + ω · Σ_a KL(p_base(x_a) ‖ p(x_a))     (anchors: the brand's uncorrected texts, ω = 5)

(L-BFGS), so ``Δ = 0`` — the base model unchanged — is the prior and ``λ`` (``ADAPT_L2``) says
how strongly to hold to it. The anchor term keeps the base model's labels on the brand's other
texts that share a feature with the corrections: if every correction names "oat blend" but the
warehouse also holds neutral "just ordered the oat blend" texts, the blame goes to "cardboard"
rather than to the product name. Only *content* features are adapted: stop words, ``@user``, the
punctuation markers (``EXCL``, ``QMARK``, ``ALLCAPS``, ``SARC``) and features found in more than
``MAX_DOC_SHARE`` of the brand's texts get no ``Δ``; a text sharing no adapted feature with the
corrections keeps exactly the base model's label. Features seen in one correction only weigh
half (``SINGLETON_WEIGHT``), so one odd correction moves little.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.optimize  # type: ignore[import-untyped]

from goodwill.text.features import extract

__all__ = ["ADAPT_L2", "Adaptation", "fit_adaptation"]

ADAPT_L2 = 0.5
MAX_DOC_SHARE = 0.2
SINGLETON_WEIGHT = 0.5
ANCHOR_WEIGHT = 5.0
_MARKERS = frozenset({"EXCL", "QMARK", "ALLCAPS", "SARC", "@user"})
_STOP_TEXT = """
a an the and or of to in on at for with from by is are was were be been am i me my we our
you your he she it its they them their this that these those there here as so do does did
have has had will would can could just if then than also again too very u ur im it's i'm
what when where who how why which all any some more most out up down off over about into
new get got one
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
"""Words that carry no brand-specific sentiment: never adapted."""


@dataclass(frozen=True)
class Adaptation:
    """``deltas[feature] = (Δ_neg, Δ_neu, Δ_pos)`` on top of a base model."""

    base_model: str
    version: str
    deltas: Mapping[str, tuple[float, float, float]]

    @property
    def label(self) -> str:
        """What ``interaction_labels.model`` records: ``base+brandN``."""
        return f"{self.base_model}+{self.version}"

    def adjust(self, texts: Sequence[str], base_probs: np.ndarray) -> np.ndarray:
        """Adapted class probabilities: ``softmax(log p_base + x · Δ)`` row by row."""
        s = np.log(np.maximum(np.asarray(base_probs, dtype=np.float64), 1e-12))
        if self.deltas:
            for i, text in enumerate(texts):
                for feature, value in extract(text or "").items():
                    d = self.deltas.get(feature)
                    if d is not None:
                        s[i, 0] += value * d[0]
                        s[i, 1] += value * d[1]
                        s[i, 2] += value * d[2]
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        result: np.ndarray = p / p.sum(axis=1, keepdims=True)
        return result


def _content(features: Mapping[str, float], frequent: frozenset[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, value in features.items():
        if name in _MARKERS or name in frequent:
            continue
        words = name.split(" ")
        if all(w in STOP_WORDS or w.removeprefix("NOT_") in STOP_WORDS for w in words):
            continue
        out[name] = value
    return out


def frequent_features(texts: Sequence[str], share: float = MAX_DOC_SHARE) -> frozenset[str]:
    """Features present in more than ``share`` of ``texts`` (only with 50 texts or more)."""
    if len(texts) < 50:
        return frozenset()
    df: Counter[str] = Counter()
    for text in texts:
        df.update(extract(text or "").keys())
    return frozenset(f for f, n in df.items() if n > share * len(texts))


def fit_adaptation(
    texts: Sequence[str],
    labels: Sequence[int],
    base_probs: np.ndarray,
    *,
    base_model: str,
    version: str,
    frequent: frozenset[str] = frozenset(),
    anchor_texts: Sequence[str] = (),
    anchor_probs: np.ndarray | None = None,
    l2: float = ADAPT_L2,
) -> Adaptation:
    """Fit ``Δ`` on corrected ``texts`` with class indexes ``labels`` (module docstring);
    ``anchor_texts`` with their base-model probabilities ``anchor_probs`` hold the base
    model's labels on other brand texts."""
    feats = [_content(extract(t or ""), frequent) for t in texts]
    counts: Counter[str] = Counter()
    for f in feats:
        counts.update(f.keys())
    names = sorted(counts)
    if not names:
        return Adaptation(base_model=base_model, version=version, deltas={})
    index = {n: j for j, n in enumerate(names)}
    x = np.zeros((len(texts), len(names)))
    for i, f in enumerate(feats):
        for name, value in f.items():
            x[i, index[name]] = value * (1.0 if counts[name] > 1 else SINGLETON_WEIGHT)
    n, d = x.shape
    targets = np.zeros((n, 3))
    targets[np.arange(n), np.asarray(labels)] = 1.0
    base = np.log(np.maximum(np.asarray(base_probs, dtype=np.float64), 1e-12))
    anchor_rows: list[np.ndarray] = []
    anchor_keep: list[int] = []
    for i, text in enumerate(anchor_texts):
        row = np.zeros(d)
        for name, value in extract(text or "").items():
            j = index.get(name)
            if j is not None:
                row[j] = value * (1.0 if counts[name] > 1 else SINGLETON_WEIGHT)
        if row.any():
            anchor_rows.append(row)
            anchor_keep.append(i)
    if anchor_rows and anchor_probs is not None:
        q = np.asarray(anchor_probs, dtype=np.float64)[anchor_keep]
        x = np.vstack([x, np.array(anchor_rows)])
        base = np.vstack([base, np.log(np.maximum(q, 1e-12))])
        targets = np.vstack([targets, q])
        weights = np.concatenate([np.ones(n), np.full(len(q), ANCHOR_WEIGHT)])
    else:
        weights = np.ones(n)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta.reshape(d, 3)
        s = base + x @ w
        s -= s.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        value = -float(np.sum(weights[:, None] * targets * logp)) + 0.5 * l2 * float(np.sum(w * w))
        grad = x.T @ ((np.exp(logp) - targets) * weights[:, None]) + l2 * w
        return value, grad.ravel()

    result = scipy.optimize.minimize(
        loss, np.zeros(d * 3), jac=True, method="L-BFGS-B", options={"maxiter": 300}
    )
    w = result.x.reshape(d, 3)
    w -= w.mean(axis=1, keepdims=True)  # softmax ignores a shift shared by the classes
    deltas = {
        name: (
            round(float(w[j, 0]) * scale, 4),
            round(float(w[j, 1]) * scale, 4),
            round(float(w[j, 2]) * scale, 4),
        )
        for name, j in index.items()
        for scale in [1.0 if counts[name] > 1 else SINGLETON_WEIGHT]
    }
    return Adaptation(base_model=base_model, version=version, deltas=deltas)
