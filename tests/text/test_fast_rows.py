"""The fast model's cold path (texts it has not read) gives what the token-by-token rules
give: the token-table rows built for many new tokens at once (``_TokenTable.add_many``: plain
words and hashtags by look-ups mapped in C, handles as one shared row) equal ``_row`` of each
token; new chunks tokenised by one ``findall`` over the joined batch get the tokens and
sarcasm flags they get alone; and the bigram hash table built with numpy finds every bigram
of the lexicon and nothing else."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import numpy as np

from goodwill.text import batch
from goodwill.text.airline import read_airline
from goodwill.text.fast import FAST_MODEL_PATH, FastModel
from goodwill.text.features import _TOKEN
from goodwill.text.train_multilingual import load_umsab

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
LANGUAGES = ["en", "es", "fr", "de", "it", "pt", "ar"]


def _fresh_model() -> FastModel:
    with gzip.open(FAST_MODEL_PATH, "rt", encoding="utf-8") as fh:
        return FastModel.from_json(json.load(fh))


def _texts() -> list[str]:
    """Airline, SemEval and UMSAB training tweets of seven languages, a few odd tokens."""
    semeval = SHARED_DATA / "semeval-sentiment-train" / "semeval_2013_2016_A.tsv"
    assert semeval.exists(), f"shared data missing under {SHARED_DATA}"
    texts = [t.text for t in read_airline(SHARED_DATA)][::3]
    with open(semeval, newline="", encoding="utf-8") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        texts += [row["text"] for row in rows][::6]
    for language in LANGUAGES:
        texts += load_umsab(SHARED_DATA / "umsab-sentiment", language, "train")[0][::4]
    return [
        *texts,
        "#not #NOT #sooo #Thaaanks #don't #but #very #bad @ @x @:) #😀 NOT Not nooo",
        "can't CAN'T won’t isn’t ain’t ya’ll xD XP :-) (: <3 </3 8D x 1,000 3.5 !!! ??",
        "İstanbul ſ straße ΣΑΣ ß ǅ ﬁ 𝐁𝐨𝐥𝐝 ＡＢＣ",
    ]


def test_rows_built_many_at_once_equal_each_token_s_row() -> None:
    texts = _texts()
    tokens = list(dict.fromkeys(t for text in texts for t in _TOKEN.findall(text)))
    assert len(tokens) > 40_000
    table = batch._TokenTable(_fresh_model())
    table.add_many(tokens)
    got = table.table()[:, : len(tokens)]
    expected = np.array([table._row(t) for t in tokens], dtype=np.float64).T
    assert np.array_equal(got, expected)
    assert [table.ids[t] for t in tokens] == list(range(len(tokens)))
    # the fast paths carry most new tokens (the point of them)
    sorts = [batch._sort_of(t, t.lower()) for t in tokens]
    assert sorts.count(batch._OTHER_TOKEN) < len(tokens) // 5


def test_new_chunks_get_their_own_tokens_and_sarcasm_flags() -> None:
    chunks = list(dict.fromkeys(c for text in _texts()[::5] for c in text.split()))
    chunks += ["yeah", "RIGHT", "/S", "#SARCASM", "thanks…", "lot!", "İstanbul", "rİght"]
    table = batch._TokenTable(_fresh_model())
    rows = table._add_chunks(chunks)
    ids = {i: t for t, i in table.ids.items()}
    for row, chunk in zip(rows.tolist(), chunks, strict=True):
        start, length = table.chunk_start[row], table.chunk_len[row]
        tokens = [ids[i] for i in table.chunk_tokens[start : start + length].tolist()]
        assert tokens == _TOKEN.findall(chunk), chunk
        assert table.chunk_sarc[row] == batch._sarc_flags(chunk), chunk


def test_bigram_hash_table_finds_every_bigram_and_no_other_pair() -> None:
    table = batch._TokenTable(_fresh_model())
    codes = table.bigram_codes
    assert len(codes) > 10_000
    assert table.bigram_rows(codes).tolist() == list(range(len(codes)))
    others = np.setdiff1d(np.unique(codes + 1), codes)
    assert (table.bigram_rows(others) == -1).all()
