"""Fine-tuning the accurate model's encoder (all-MiniLM-L6-v2) on the SemEval rows, on CPU.

    # training only: PyTorch is not a run-time dependency (pip install 'goodwill[train]')
    OPENBLAS_NUM_THREADS=1 nice -n 10 python -m goodwill.text.finetune \\
        [--split year|all] [--epochs 2] [--lr 1e-3] [--rank 16] [--top 6] [--out FILE]

What is trained (everything else is the packaged encoder, frozen):

* LoRA deltas on the top ``T`` (``--top``) transformer layers: for each linear map ``W`` of
  those layers (query, key, value, attention output, intermediate, output)
  ``W' = W + (α / r) · B · A`` with ``A`` (``r × in``, Kaiming-uniform start) and ``B``
  (``out × r``, zero start), ``r`` = ``--rank``, ``α = 2r``;
* the LayerNorm weights and biases of those layers (stored as differences from the package's);
* a classifier on the sentence embedding ``e`` (mean of the last layer over the tokens, unit
  length, as at run time): ``s = 20 · e · Wᶜ + bᶜ`` (3 classes).

The layers below the top ``T`` are frozen, so their output is computed once per text (no
dropout) and kept; each epoch then runs forward and backward through the top ``T`` layers only.
Loss: class-weighted cross-entropy (``α_c = n / (3 · n_c)``, the target being macro-recall).
AdamW (weight decay 0.01), learning rate ``--lr`` with a linear warm-up over the first 6 % of
the steps and a linear decay to zero; batches of 32 texts of similar token count (sorted by
length, then the batches shuffled; seed 13), at most 64 tokens a text; dropout 0.1 as in BERT.

``--split year`` (the protocol of ``benchmarks/accurate_year_split.py``): trained on SemEval
2013–2015 without the tune part (a random 10 %, seed 13); the tune part's macro-recall is
printed after every epoch. ``--split all``: every SemEval row (without the TweetEval validation
ids). The committed artefact (``models/accurate_minilm_lora.safetensors``) is ``--split all
--top 6 --epochs 2`` after its first epoch (``…-all-e1``): the settings chosen on the year split
(``--split year``, the same schedule, its first epoch: tune 75.4), refitted on every row. The
output (``safetensors``, float16 LoRA factors, float32 LayerNorm differences and
classifier) is read at run time by :func:`goodwill.text.embeddings.read_deltas`, merged into
the package's weights, and run by the same onnxruntime int8 graph.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path
from typing import Any

import numpy as np

from goodwill.text.semeval import DEFAULT_DATA, SEED, load_semeval_years, macro_recall

__all__ = [
    "FIXTURE_TEXTS",
    "LINEARS",
    "MAX_TOKENS",
    "SCALE",
    "main",
    "reference_fixture",
    "tune_and_fit_rows",
]

LINEARS = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)
"""The linear maps of a layer that get LoRA deltas."""
NORMS = ("attention.output.LayerNorm", "output.LayerNorm")
MAX_TOKENS = 64
LORA_SCALE = 2.0
"""``α / r`` (``α = 2r``); :func:`goodwill.text.embeddings.merge_deltas` uses the same."""
SCALE = 20.0
"""The classifier's fixed temperature on the unit-length embedding."""


def tune_and_fit_rows(years: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """``(tune, fit)`` row indexes of the year split (as ``benchmarks/accurate_year_split.py``)."""
    y = np.asarray(years)
    train = np.flatnonzero(y < 2016)
    perm = np.random.default_rng(SEED).permutation(train)
    return perm[: len(perm) // 10], perm[len(perm) // 10 :]


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - needs torch
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("year", "all"), default="year")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--top", type=int, default=6, help="layers trained (from the top)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--limit", type=int, default=0, help="train on this many rows (smoke)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=Path("build/finetune/minilm_lora"))
    parser.add_argument(
        "--fixture",
        nargs=2,
        type=Path,
        metavar=("DELTAS", "NPZ"),
        help="write the reference implementation's outputs for DELTAS to NPZ (no training)",
    )
    args = parser.parse_args(argv)
    if args.fixture:
        reference_fixture(*args.fixture)
    else:
        train(args)


FIXTURE_TEXTS = (
    "I love this, best coffee ever!",
    "worst service, my order never came @user",
    "Going to the game on Saturday with @user",
    "not bad at all tbh... might even go back :)",
    "@user flight delayed 3 hours again, no info from staff #fail",
)


def reference_fixture(deltas: Path, out: Path) -> None:  # pragma: no cover - needs torch
    """The reference implementation's outputs for the fine-tuned encoder, for the test of the
    run-time merge and graph: sentence-transformers 6.3 (PyTorch) loads the packaged model,
    the deltas are merged into its state dict here in PyTorch (``W + 2 · B · A``, LayerNorm
    differences added), and it embeds :data:`FIXTURE_TEXTS`; the classifier's scores
    ``20 · e · Wᶜᵀ + bᶜ`` are stored beside the embeddings."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # everything is in the package: no network
    import sentence_transformers  # type: ignore[import-not-found,unused-ignore]
    import torch  # type: ignore[import-not-found,unused-ignore]
    from safetensors.torch import load_file  # type: ignore[import-not-found,unused-ignore]

    from goodwill.text.embeddings import model_dir

    torch.set_num_threads(1)
    model = sentence_transformers.SentenceTransformer(str(model_dir()), device="cpu")
    tensors = {k: v.float() for k, v in load_file(str(deltas)).items()}
    bert = model[0].auto_model
    state = bert.state_dict()
    with torch.no_grad():
        for key, value in tensors.items():
            if key.startswith("classifier.") or key.endswith(".lora_B"):
                continue
            if key.endswith(".lora_A"):
                base = key[: -len(".lora_A")]
                state[base + ".weight"] += LORA_SCALE * tensors[base + ".lora_B"] @ value
            else:
                state[key] += value
    bert.load_state_dict(state)
    emb = model.encode(list(FIXTURE_TEXTS), convert_to_numpy=True, normalize_embeddings=True)
    scores = (
        SCALE * emb @ tensors["classifier.weight"].numpy().T + tensors["classifier.bias"].numpy()
    )
    np.savez_compressed(
        out,
        texts=np.array(FIXTURE_TEXTS),
        embeddings=emb.astype(np.float32),
        scores=scores.astype(np.float32),
        producer=np.array(
            f"sentence-transformers {sentence_transformers.__version__}, torch "
            f"{torch.__version__}, deltas {deltas.name}"
        ),
    )
    print(f"wrote {out}")


def train(args: Any) -> None:  # pragma: no cover - needs torch
    import torch  # type: ignore[import-not-found,unused-ignore]
    import torch.nn.functional as F  # type: ignore[import-not-found,unused-ignore]
    from safetensors.torch import load_file, save_file  # type: ignore[import-not-found,unused-ignore]
    from tokenizers import Tokenizer  # type: ignore[import-not-found,unused-ignore]

    from goodwill.text.embeddings import BertConfig, model_dir

    started = time.perf_counter()
    cpu0 = time.process_time()

    def log(text: str) -> None:
        print(
            f"[{time.perf_counter() - started:6.0f} s wall, "
            f"{time.process_time() - cpu0:6.0f} s CPU] {text}",
            flush=True,
        )

    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    folder = model_dir()
    config = BertConfig(folder / "config.json")
    weights = {k: v.float() for k, v in load_file(str(folder / "model.safetensors")).items()}
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()

    data = load_semeval_years(args.data)
    labels = np.asarray(data.labels)
    if args.split == "year":
        tune, fit = tune_and_fit_rows(data.years)
    else:
        tune, fit = np.zeros(0, np.int64), np.arange(len(labels))
    if args.limit:
        fit, tune = fit[: args.limit], tune[: max(args.limit // 4, 3)]
    ids = [e.ids for e in tokenizer.encode_batch(data.texts)]
    heads, hidden = config.heads, config.hidden
    d_head = hidden // heads
    first = config.layers - args.top
    w = weights

    def layer_norm(x: Any, key: str, extra: dict[str, Any] | None = None) -> Any:
        g, b = w[key + ".weight"], w[key + ".bias"]
        if extra is not None:
            g, b = g + extra[key + ".weight"], b + extra[key + ".bias"]
        return F.layer_norm(x, (hidden,), g, b, config.eps)

    def linear(x: Any, key: str, lora: dict[str, Any] | None) -> Any:
        out = F.linear(x, w[key + ".weight"], w[key + ".bias"])
        if lora is not None:
            a, b = lora[key + ".lora_A"], lora[key + ".lora_B"]
            out = out + F.linear(F.linear(x, a), b) * LORA_SCALE
        return out

    def bert_layer(h: Any, mask: Any, i: int, params: dict[str, Any] | None, drop: float) -> Any:
        p = f"encoder.layer.{i}."
        bsz, t, _ = h.shape

        def split(x: Any) -> Any:
            return x.view(bsz, t, heads, d_head).transpose(1, 2)

        q = split(linear(h, p + "attention.self.query", params))
        k = split(linear(h, p + "attention.self.key", params))
        v = split(linear(h, p + "attention.self.value", params))
        ctx = F.scaled_dot_product_attention(
            q, k, v, attn_mask=mask[:, None, None, :], dropout_p=drop
        )
        ctx = ctx.transpose(1, 2).reshape(bsz, t, hidden)
        attn = F.dropout(linear(ctx, p + "attention.output.dense", params), drop)
        a = layer_norm(attn + h, p + "attention.output.LayerNorm", params)
        inner = F.gelu(linear(a, p + "intermediate.dense", params))
        ffn = F.dropout(linear(inner, p + "output.dense", params), drop)
        return layer_norm(ffn + a, p + "output.LayerNorm", params)

    def pad(rows: list[list[int]]) -> tuple[Any, Any]:
        t = max(len(r) for r in rows)
        x = torch.zeros((len(rows), t), dtype=torch.long)
        mask = torch.zeros((len(rows), t), dtype=torch.bool)
        for j, r in enumerate(rows):
            x[j, : len(r)] = torch.tensor(r)
            mask[j, : len(r)] = True
        return x, mask

    def lower(rows: list[list[int]]) -> tuple[Any, Any]:
        """Output of the frozen layers (no dropout)."""
        x, mask = pad(rows)
        pos = torch.arange(x.shape[1])
        h = (
            w["embeddings.word_embeddings.weight"][x]
            + w["embeddings.position_embeddings.weight"][pos][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        h = layer_norm(h, "embeddings.LayerNorm")
        for i in range(first):
            h = bert_layer(h, mask, i, None, 0.0)
        return h, mask

    # cache the frozen layers' output, batches of similar length
    def cached(rows: np.ndarray) -> list[tuple[Any, Any, np.ndarray]]:
        order = sorted(rows.tolist(), key=lambda r: len(ids[r]))
        out = []
        with torch.no_grad():
            for s in range(0, len(order), 32):
                chunk = np.array(order[s : s + 32])
                h, mask = lower([ids[r] for r in chunk])
                out.append((h.to(torch.float16), mask, chunk))
        return out

    fit_batches = cached(fit)
    tune_batches = cached(tune)
    log(f"frozen layers 0–{first - 1} cached: {len(fit)} fit rows, {len(tune)} tune rows")

    params: dict[str, Any] = {}
    gen = torch.Generator().manual_seed(SEED)
    for i in range(first, config.layers):
        p = f"encoder.layer.{i}."
        for name in LINEARS:
            out_dim, in_dim = w[p + name + ".weight"].shape
            a = torch.empty(args.rank, in_dim)
            bound = 1.0 / math.sqrt(in_dim)
            a.uniform_(-bound, bound, generator=gen)
            params[p + name + ".lora_A"] = a.requires_grad_()
            params[p + name + ".lora_B"] = torch.zeros(out_dim, args.rank, requires_grad=True)
        for name in NORMS:
            params[p + name + ".weight"] = torch.zeros(hidden, requires_grad=True)
            params[p + name + ".bias"] = torch.zeros(hidden, requires_grad=True)
    params["classifier.weight"] = torch.zeros(3, hidden, requires_grad=True)
    params["classifier.bias"] = torch.zeros(3, requires_grad=True)

    counts = np.bincount(labels[fit], minlength=3)
    alpha = torch.tensor(len(fit) / (3.0 * np.maximum(counts, 1)), dtype=torch.float32)

    def top(h: Any, mask: Any, drop: float) -> Any:
        h = h.float()
        for i in range(first, config.layers):
            h = bert_layer(h, mask, i, params, drop)
        m = mask[:, :, None].float()
        e = F.normalize((h * m).sum(1) / m.sum(1), dim=-1)
        return SCALE * F.linear(e, params["classifier.weight"], params["classifier.bias"])

    decay = [v for k, v in params.items() if "lora" in k or k == "classifier.weight"]
    rest = [v for k, v in params.items() if not ("lora" in k or k == "classifier.weight")]
    optimiser = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}],
        lr=args.lr,
    )
    steps = args.epochs * len(fit_batches)
    warm = max(1, int(0.06 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
    )

    def evaluate() -> float:
        if not tune_batches:
            return float("nan")
        predicted, truth = [], []
        with torch.no_grad():
            for h, mask, chunk in tune_batches:
                predicted.extend(top(h, mask, 0.0).argmax(1).tolist())
                truth.extend(labels[chunk].tolist())
        return 100 * macro_recall(truth, predicted)

    rng = np.random.default_rng(SEED)
    step = 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for epoch in range(1, args.epochs + 1):
        total = 0.0
        for n, b in enumerate(rng.permutation(len(fit_batches)), start=1):
            h, mask, chunk = fit_batches[b]
            y = torch.from_numpy(labels[chunk])
            loss = F.cross_entropy(top(h, mask, 0.1), y, weight=alpha)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            step += 1
            total += float(loss.detach())
            if n % 100 == 0:
                log(f"epoch {epoch} batch {n}/{len(fit_batches)} loss {total / n:.4f}")
        tuned = evaluate()
        log(f"epoch {epoch} done: loss {total / len(fit_batches):.4f}, tune {tuned:.1f}")
        out = {
            k: (v.detach().to(torch.float16) if "lora" in k else v.detach().float()).contiguous()
            for k, v in params.items()
        }
        meta = {
            "split": args.split,
            "epochs": str(epoch),
            "lr": str(args.lr),
            "rank": str(args.rank),
            "lora_scale": str(LORA_SCALE),
            "top_layers": str(args.top),
            "classifier_scale": str(SCALE),
            "max_tokens": str(MAX_TOKENS),
            "tune_macro_recall": f"{tuned:.2f}",
            "cpu_seconds": f"{time.process_time() - cpu0:.0f}",
            "fit_rows": str(len(fit)),
        }
        path = args.out.with_name(f"{args.out.name}-{args.split}-e{epoch}.safetensors")
        save_file(out, str(path), metadata=meta)
        log(f"wrote {path} ({path.stat().st_size:,} bytes) {json.dumps(meta)}")


if __name__ == "__main__":  # pragma: no cover
    main()
