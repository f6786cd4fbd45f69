"""The fine-tuned encoder at run time: the committed LoRA deltas merged into the packaged
weights and run by the same onnxruntime graph, checked against the reference implementation's
outputs (sentence-transformers on PyTorch, the deltas merged there; a stored fixture written by
``python -m goodwill.text.finetune --fixture``), the artefact's pinned hash, and the merge."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from goodwill.errors import UserInputError
from goodwill.text import embeddings
from goodwill.text.accurate import ACCURATE_MODEL_PATH, FINETUNED_SHA256

REFERENCE = Path(__file__).resolve().parent / "minilm_finetuned_reference.npz"
MODELS = ACCURATE_MODEL_PATH.parent


def _extra() -> None:
    for name in embeddings.EXTRA_MODULES:
        pytest.importorskip(name)


def _artefact() -> tuple[Path, str]:
    ((name, sha),) = FINETUNED_SHA256.items()
    return MODELS / name, sha


def test_artefact_is_small_and_its_hash_is_pinned(tmp_path: Path) -> None:
    pytest.importorskip("safetensors")
    path, sha = _artefact()
    assert path.stat().st_size < 2_000_000
    tensors, meta = embeddings.read_deltas(path, sha)
    assert meta["lora_scale"] == "2.0" and int(meta["rank"]) >= 4
    assert meta["split"] == "all"  # chosen on the year split, then refitted on every year
    assert tensors["classifier.weight"].shape == (3, 384)
    assert all(t.dtype == np.float16 for k, t in tensors.items() if ".lora_" in k)
    damaged = tmp_path / path.name
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    damaged.write_bytes(bytes(data))
    with pytest.raises(UserInputError, match=r"SHA-256 .* differs .* fine-tuned deltas"):
        embeddings.read_deltas(damaged, sha)


def test_merge_adds_the_low_rank_product_and_layer_norm_differences() -> None:
    rng = np.random.default_rng(0)
    w = rng.normal(size=(6, 4)).astype(np.float32)
    weights = {"x.weight": w, "n.weight": np.ones(4, np.float32), "n.bias": np.zeros(4, np.float32)}
    a = rng.normal(size=(2, 4)).astype(np.float16)
    b = rng.normal(size=(6, 2)).astype(np.float16)
    deltas = {
        "x.lora_A": a,
        "x.lora_B": b,
        "n.weight": np.full(4, 0.5, np.float32),
        "classifier.weight": np.zeros((3, 4), np.float32),
    }
    merged = embeddings.merge_deltas(weights, deltas)
    expected = w + 2.0 * b.astype(np.float32) @ a.astype(np.float32)
    assert np.allclose(merged["x.weight"], expected, atol=1e-6)
    assert np.array_equal(merged["n.weight"], np.full(4, 1.5, np.float32))
    assert merged["n.bias"] is weights["n.bias"] and "classifier.weight" not in merged
    assert np.array_equal(weights["x.weight"], w)  # the package's weights are not changed
    with pytest.raises(UserInputError, match=r"'y\.lora_A' matches no weight"):
        embeddings.merge_deltas(weights, {"y.lora_A": a, "y.lora_B": b})
    with pytest.raises(UserInputError, match=r"'n\.bias' matches no weight"):
        embeddings.merge_deltas(weights, {"n.bias": np.zeros(5, np.float32)})


def test_merged_graph_equals_the_reference_implementation() -> None:
    """float32: the merged onnxruntime graph within 1e-5 of sentence-transformers with the
    deltas merged in PyTorch; int8 (what runs) close to it, with the same class on each text."""
    _extra()
    path, sha = _artefact()
    with np.load(REFERENCE, allow_pickle=False) as data:
        texts = [str(t) for t in data["texts"]]
        reference, scores = data["embeddings"], data["scores"]
    tensors, meta = embeddings.read_deltas(path, sha)
    assert path.name in str(np.load(REFERENCE)["producer"])
    wc = float(meta["classifier_scale"]) * tensors["classifier.weight"].T
    exact = embeddings.load_minilm("float32", deltas=path, deltas_sha256=sha)
    got = exact.encode(texts)
    assert np.abs(got - reference).max() < 1e-5
    assert np.abs(got @ wc + tensors["classifier.bias"] - scores).max() < 1e-4
    quick = embeddings.load_minilm("int8", deltas=path, deltas_sha256=sha)
    assert quick.tag.startswith("int8-g") and quick.tag.endswith("-ft" + sha[:8])
    approx = quick.encode(texts)
    assert (approx * reference).sum(axis=1).min() > 0.98
    assert np.array_equal((approx @ wc).argmax(axis=1), scores.argmax(axis=1))
    # the deltas change the encoder: the packaged one gives other embeddings
    plain = embeddings.load_minilm("float32").encode(texts)
    assert (plain * reference).sum(axis=1).min() < 0.999


def test_committed_head_reads_the_fine_tuned_encoder() -> None:
    _extra()
    from goodwill.text.accurate import load_accurate

    head = load_accurate()
    path, sha = _artefact()
    assert head.encoder == path.name and head.version == "5"
    texts = ["the crew was lovely", "lost my bag again"]
    merged = embeddings.load_minilm(deltas=path, deltas_sha256=sha)
    assert np.array_equal(head.embed(texts), merged.encode(texts))
    probs = head.probabilities(texts)
    assert probs.argmax(axis=1).tolist() == [2, 0]
