"""The per-call costs taken out of ``goodwill classify``'s path without changing an output:
the fast model's chunks found by a numpy hash of the joined batch (``batch._chunk_codes``)
instead of ``str.split`` + ``hash``; the n-gram models' TF-IDF normalised in place; one USE
encoder call for the texts of every other language in ``label_texts``."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse  # type: ignore[import-untyped]
from sklearn.preprocessing import normalize  # type: ignore[import-untyped]

from goodwill.enrich.sentiment import label_texts
from goodwill.text import batch
from goodwill.text.airline import read_airline
from goodwill.text.fast import FAST_MODEL_PATH, FastModel
from goodwill.text.ngram import CHAR_BUCKETS, hashed_counts, load_multilingual, tfidf
from goodwill.text.train_multilingual import load_umsab
from goodwill.text.use_encoder import UseEncoder
from goodwill.text.use_sentiment import load_use_models

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
WHITE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


def _airline(step: int = 5) -> list[str]:
    path = SHARED_DATA / "airline-sentiment" / "Tweets_shared.csv"
    assert path.exists(), f"shared data missing under {SHARED_DATA}"
    return [t.text for t in read_airline(SHARED_DATA)][::step]


def _spans(big: str) -> list[str]:
    coded = batch._chunk_codes(big)
    assert coded is not None
    _, starts, ends = coded
    return [big[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]


def test_chunk_spans_are_str_split_and_codes_name_chunks() -> None:
    long_chunk = "x" * (batch._LONG + 5)
    tricky = [
        "",
        " ",
        WHITE,
        f"a{WHITE}b",
        f"{WHITE}lead and trail{WHITE}",
        "\x00\x1b ctrl\x1cchars\x1f\x85nel\u2028ls",
        f"{long_chunk} {long_chunk}y {long_chunk}",
        "é 😀 \U0001f0cf \U0010ffff",
        "\ud800 lone surrogate",
    ]
    for text in tricky:
        assert _spans(text) == text.split(), repr(text)
    texts = _airline(2)
    big = " ".join(texts)
    chunks = big.split()
    coded = batch._chunk_codes(big)
    assert coded is not None
    codes = coded[0].tolist()
    assert _spans(big) == chunks
    first: dict[str, int] = {}
    by_code: dict[int, str] = {}
    for chunk, code in zip(chunks, codes, strict=True):
        assert first.setdefault(chunk, code) == code  # a chunk always has one code
        assert by_code.setdefault(code, chunk) == chunk  # no two chunks share one
    assert len(first) > 5_000
    # the same chunk in another batch, at another offset: the same code
    other = "  zz " + " ".join(texts[::-1])
    again = batch._chunk_codes(other)
    assert again is not None
    assert dict(zip(other.split(), again[0].tolist(), strict=True)) == {
        "zz": int(again[0][0]),
        **first,
    }


def test_labels_are_the_token_loop_s_on_either_side_of_the_code_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [*_airline(7)[:700], "", "   ", "joker \U0001f0cf in", f"a{WHITE}b", "x" * 200]
    with gzip.open(FAST_MODEL_PATH, "rt", encoding="utf-8") as fh:
        model = FastModel.from_json(json.load(fh))  # empty caches
    expected = [model.predict(t) for t in texts]
    assert model.predict_many(texts) == expected
    monkeypatch.setattr(batch, "_CODE_MAX", 500)  # every batch of 100 texts: str.split
    assert [lab for i in range(0, 705, 100) for lab in model.predict_many(texts[i : i + 100])] == (
        expected
    )
    monkeypatch.undo()
    assert model.predict_many(texts) == expected  # the table holds chunks of both hashes


def _tfidf_by_slices(counts: Any, idf: np.ndarray) -> Any:
    """The former definition: scale by idf, slice the blocks, normalise, stack."""
    t = counts.astype(np.float64)
    t.data = 1.0 + np.log(t.data)
    t = t.multiply(idf[None, :]).tocsr()
    return scipy.sparse.hstack(
        [normalize(t[:, :CHAR_BUCKETS]), normalize(t[:, CHAR_BUCKETS:])], format="csr"
    )


def test_tfidf_in_place_equals_slicing_the_blocks_bit_for_bit() -> None:
    model = load_multilingual()["de"]
    texts = load_umsab(SHARED_DATA / "umsab-sentiment", "de", "val")[0]
    texts += ["", "!!!", "a", "@user"]
    counts = hashed_counts(texts)
    got, want = tfidf(counts, model.idf), _tfidf_by_slices(counts, model.idf)
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(got, name), getattr(want, name)), name
    # a matrix whose rows store a word column before a character column: the slicing path
    swapped = scipy.sparse.csr_matrix(
        (np.array([2.0, 1.0, 3.0]), np.array([CHAR_BUCKETS + 5, 7, 9]), np.array([0, 2, 3])),
        shape=(2, counts.shape[1]),
    )
    assert np.array_equal(
        tfidf(swapped, model.idf).toarray(), _tfidf_by_slices(swapped, model.idf).toarray()
    )


def test_label_texts_embeds_every_other_language_in_one_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts: list[str] = []
    for language in ("es", "fr", "de"):
        texts += load_umsab(SHARED_DATA / "umsab-sentiment", language, "val")[0][:15]
    texts += ["I love this airline, the crew was great", "the flight was late again"]
    calls: list[int] = []
    embed = UseEncoder.embed

    def counted(self: UseEncoder, some: Any) -> np.ndarray:
        calls.append(len(some))
        return embed(self, some)

    monkeypatch.setattr(UseEncoder, "embed", counted)
    labels, languages, _ = label_texts(texts)
    assert len(calls) == 1 and calls[0] >= 40
    own = load_use_models()
    for language in ("es", "fr", "de"):
        rows = [i for i, code in enumerate(languages) if code == language]
        assert len(rows) >= 12
        assert [labels[i] for i in rows] == own[language].predict_many([texts[i] for i in rows])
