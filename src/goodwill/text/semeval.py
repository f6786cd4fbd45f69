"""The SemEval 2013–2016 Twitter rows and the year split, shared by the training modules.

:mod:`goodwill.text.train` (fast model) and :mod:`goodwill.text.train_accurate` both import
from here, so neither imports the other at module level (``train`` only dispatches to
``train_accurate`` inside its command-line ``main``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from goodwill.text.labels import SENTIMENTS

__all__ = [
    "DEFAULT_DATA",
    "DEFAULT_UMSAB",
    "EMBED_CACHE",
    "SEED",
    "SemEval",
    "cached_embeddings",
    "load_semeval",
    "load_semeval_years",
    "macro_recall",
    "year_split",
]

DEFAULT_DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "semeval-sentiment-train"
DEFAULT_UMSAB = DEFAULT_DATA.parent / "umsab-sentiment"
SEED = 13
EMBED_CACHE = Path(__file__).resolve().parents[3] / "build" / "embeddings"
_HANDLE = re.compile(r"@\w+")


@dataclass(frozen=True)
class SemEval:
    """The SemEval rows: ``texts``, class indexes ``labels`` and the ``years`` (2013–2016)."""

    texts: list[str]
    labels: list[int]
    years: list[int]


def load_semeval_years(folder: Path) -> SemEval:
    """Every SemEval row without the TweetEval validation ids, with its year."""
    overlap = set((folder / "tweeteval_val_overlap_ids.txt").read_text().split())
    texts: list[str] = []
    labels: list[int] = []
    years: list[int] = []
    with open(folder / "semeval_2013_2016_A.tsv", newline="", encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh, delimiter="\t"), start=2):
            if row["id"] in overlap:
                continue
            found = re.search(r"20(1[3-6])", row["origin_file"] or "")
            if found is None:
                raise ValueError(
                    f"{folder / 'semeval_2013_2016_A.tsv'}:{line}: origin_file "
                    f"{row['origin_file']!r} names no year 2013–2016"
                )
            texts.append(_HANDLE.sub("@user", row["text"]))
            labels.append(SENTIMENTS.index(row["label"]))
            years.append(2000 + int(found.group(1)))
    return SemEval(texts, labels, years)


def load_semeval(folder: Path) -> tuple[list[str], list[int]]:
    """Texts and class indexes of the SemEval file, without the TweetEval validation ids."""
    data = load_semeval_years(folder)
    return data.texts, data.labels


def year_split(data: SemEval) -> tuple[np.ndarray, np.ndarray]:
    """Row indexes ``(train, validation)``: 2013–2015 and 2016."""
    years = np.asarray(data.years)
    return np.flatnonzero(years < 2016), np.flatnonzero(years == 2016)


def macro_recall(truth: Sequence[int], predicted: Sequence[int], classes: int = 3) -> float:
    """Mean over classes of (correct predictions of the class / rows of the class)."""
    t = np.asarray(truth)
    p = np.asarray(predicted)
    recalls = [float(np.mean(p[t == c] == c)) for c in range(classes) if np.any(t == c)]
    return float(np.mean(recalls))


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
