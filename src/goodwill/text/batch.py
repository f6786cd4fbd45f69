"""The fast model over many texts at once: the token loop of :mod:`goodwill.text.scoring` as
numpy array operations.

Per batch, the texts that ``normalise`` may change (``str.__contains__`` of its hints, mapped
over the texts in C) are normalised; the batch is cut at white space (no token spans white
space) by array operations on the joined batch's code points, which also give each chunk a
64-bit polynomial hash (:func:`_chunk_codes`: ``str.split``'s chunks without making a string
or calling ``hash`` per chunk; ``str.split`` + ``hash`` for a batch over a million code
points); each distinct chunk is tokenised once by the token regex (``features.tokens``) and
remembered in a per-model *chunk table* of token-table rows, found by its hash in a numpy
open-addressing table (no string comparison), which numpy expands to the batch's tokens.
The *token table* holds each distinct token's row (kind, key ids, multiplier, weights — the
memoised rule outcome of ``features._info``). The sarcasm regex runs only on texts whose
chunks hold its words (flags kept per chunk). Everything else runs on the flat array of all
tokens of the batch, text by text but without a Python loop:

* **boost** — a token's value is the boost left by the previous non-``@user`` token of its text
  (intensifier ×1.5, downtoner ×0.6, contrast word ×1.5, else 1), times its own multiplier
  (capitals, elongation; in an all-capitals text only elongation counts).
* **negation** — a word is negated (``NOT_word``, or ``LITOTES`` for a negative word) when the
  last negator or punctuation mark before it in its text is a negator with fewer than three
  words in between.
* **contrast** — every contrast word (``but``, ``however``, …) scales all that was summed before
  it by 0.7: a token's contribution is scaled by ``0.7^k`` with ``k`` the contrast words after it
  (its hashtag/elongation parts also by its own, as in the loop).
* **bigrams** — adjacent word tokens' (negation-marked) key ids form one integer each, looked
  up in an open-addressing hash table of the lexicon's bigrams (vectorised linear probing); the
  bigram value is ``min(value, previous value)`` (the previous scaled by 0.7 at a contrast word).
* The sums per text are ``reduceat`` sums over each text's tokens; markers (``EXCL``,
  ``QMARK``, ``SARC``, ``ALLCAPS``) and the softmax are per-text arrays.

The result equals :func:`goodwill.text.scoring.accumulate` up to floating-point summation order
(a test checks every benchmark text).
"""

from __future__ import annotations

import secrets
import threading
from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import compress, repeat
from operator import eq, ne
from typing import TYPE_CHECKING

import numpy as np

from goodwill.text.features import (
    _ELONG,
    _EXCL,
    _NEG,
    _QMARK,
    _SARCASM,
    _SKIP,
    _TOKEN,
    _URL,
    _WORD,
    CONTRAST,
    DOWNTONERS,
    INTENSIFIERS,
    LITOTES_WORDS,
    NEGATORS,
    _info,
    unescape,
)
from goodwill.text.precheck import (
    CLEARLY_ENGLISH,
    ENGLISH_WORDS,
    FOREIGN_WORDS,
    ascii_letters,
    pre_word,
)

if TYPE_CHECKING:
    from goodwill.text.fast import FastModel

__all__ = ["batch_scores", "batch_scores_english", "english_flags"]

_SARC_ONE = ("#sarcasm", "#not", "/s")
_SARC_FIRST = ("yeah", "thanks", "great", "just", "love")
_SARC_LAST = ("right", "lot", "nothing", "job", "needed", "when")
"""A text the ``_SARCASM`` regex matches has a chunk that contains one of ``_SARC_ONE``, or
one that contains a first word (``_SARC_FIRST``) and one that contains a last word of one of
its several-word alternatives (each case folded by ``_FOLD`` and ``str.lower``)."""
_FOLD = str.maketrans({"ſ": "s", "ı": "i", "İ": "i", "K": "k"})
"""The characters that ``re.IGNORECASE`` matches to an ASCII letter that ``str.lower`` does not
turn into it."""
_ZERO = (0.0, 0.0, 0.0)
_NOT = "NOT_"
_SPECIAL = frozenset(
    {*NEGATORS, *INTENSIFIERS, *DOWNTONERS, *CONTRAST, *LITOTES_WORDS, *(p for p in "!?.,;:")}
)
"""Lower-cased tokens with a rule of their own: never plain."""


_OTHER_TOKEN, _PLAIN, _HASHTAG, _HANDLE = range(4)


def _sort_of(tok: str, low: str) -> int:
    """Which rows :meth:`_TokenTable.add_many` builds how: ``_HANDLE`` for ``@…``,
    ``_PLAIN`` for a token (``_HASHTAG``: a hashtag whose word) that is no punctuation mark,
    has no apostrophe, no letter three times in a row (elongation) and is not a negator,
    intensifier, downtoner, contrast or litotes word; else ``_OTHER_TOKEN``."""
    first = tok[:1]
    if first == "@":
        return _HANDLE
    sort = _PLAIN
    if first == "#":
        low = low[1:]
        sort = _HASHTAG
    if not low or low in _SPECIAL or "'" in low or "’" in low or _ELONG.search(low):
        return _OTHER_TOKEN
    return sort


def _capitals(tok: str) -> bool:
    """``features._info``'s capitals rule: a multiplier of 1.3."""
    return len(tok) > 1 and tok.isupper() and tok.isalpha()


_MARKER_NAMES = ("EXCL", "QMARK", "SARC", "ALLCAPS")
_FIELDS = 22
"""Fields of a token-table row: kind, key id, negated key id, multiplier, elongated, boost,
contrast, own weights (3), negated weights (3), hashtag weights (3), short-form weights (3),
has hashtag/short weights, index in :data:`~goodwill.text.precheck.ENGLISH_WORDS` and in
:data:`~goodwill.text.precheck.FOREIGN_WORDS` (−1: none)."""
_POW = 0.7 ** np.arange(64)
CHUNK = 4096
_SEP = "\U0001f0cf"
_SEP_CHUNK = " " + _SEP + " "
"""Joins the texts of a batch: a chunk of its own between white space."""
_EMPTY = -2
"""A free slot of the chunk hash table."""
CHUNK_TABLE_MAX = 300_000
"""Distinct chunks remembered per model: a batch that finds the table this full empties it
first."""


class _TokenTable:
    """One row per distinct raw token seen: its rule outcome and weights under one model."""

    def __init__(self, model: FastModel) -> None:
        self.weights = model.weights
        names = list(model.weights)
        # key ids in first-seen order (any fixed order serves: they only name keys here);
        # splitting, look-ups and conversions mapped in C over the lexicon's names
        keys = list(dict.fromkeys(" ".join(names).split(" ")))
        self.key_ids = dict(zip(keys, range(len(keys)), strict=True))
        width = len(keys) + 1
        self.width = width
        spaced = list(compress(names, map(str.__contains__, names, repeat(" "))))
        two = [name for name in spaced if name.count(" ") == 1]
        parts = " ".join(two).split(" ")
        pair_ids = np.fromiter(map(self.key_ids.__getitem__, parts), np.int64, len(parts))
        codes = pair_ids[0::2] * width + pair_ids[1::2]
        order = np.argsort(codes, kind="stable")
        self.bigram_codes = codes[order]
        weights = np.array(list(map(model.weights.__getitem__, two)), dtype=np.float64)
        self.bigram_w = weights.reshape(-1, 3)[order]
        self.bigram_w_t = np.ascontiguousarray(self.bigram_w.T)
        self._hash_bigrams()
        # which key ids start / end some bigram (the extra last slot, for id −1, is False)
        self.left = np.zeros(width + 1, dtype=bool)
        self.right = np.zeros(width + 1, dtype=bool)
        self.left[self.bigram_codes // width] = True
        self.right[self.bigram_codes % width] = True
        self.markers = np.array(
            [model.weights.get(m, (0.0, 0.0, 0.0)) for m in _MARKER_NAMES], dtype=np.float64
        )
        self.bias = np.array(model.bias, dtype=np.float64)
        self.ids: dict[str, int] = {}
        self.english_ids = {w: i for i, w in enumerate(sorted(ENGLISH_WORDS))}
        self.foreign_ids = {w: i for i, w in enumerate(sorted(FOREIGN_WORDS))}
        self.lock = threading.Lock()
        self.rows: list[np.ndarray] = []
        """Blocks of rows added since the last :meth:`table` (which empties it)."""
        self.n_rows = 0
        self.arrays: np.ndarray = np.zeros((_FIELDS, 0))
        self.n_built = 0
        self.kinds = np.zeros(0, dtype=np.int8)
        self.english = np.zeros(0, dtype=np.int64)
        self.foreign = np.zeros(0, dtype=np.int64)
        self.pre_words = np.zeros(0, dtype=np.int64)
        self.keys = np.zeros(0, dtype=np.int64)
        self.negated_keys = np.zeros(0, dtype=np.int64)
        self.word_w = np.zeros((3, 0))
        self._reset_chunks()

    def _reset_chunks(self) -> None:
        """An empty chunk table: row ``r``'s tokens are
        ``chunk_tokens[chunk_start[r] : chunk_start[r] + chunk_len[r]]``; the row of a chunk is
        found by its ``hash`` in an open-addressing table (linear probing): ``slot_codes`` the
        hash, ``slot_rows`` its row (−1 for the separator, ``_EMPTY`` for a free slot)."""
        self.chunk_start = np.zeros(1024, dtype=np.int64)
        self.chunk_len = np.zeros(1024, dtype=np.int64)
        self.chunk_tokens = np.zeros(4096, dtype=np.int64)
        self.chunk_sarc = np.zeros(1024, dtype=np.int64)
        self.n_chunks = 0
        self.n_chunk_tokens = 0
        self.sep_row = -1
        self.slot_bits = 12
        self.slot_codes = np.zeros(1 << self.slot_bits, dtype=np.int64)
        self.slot_rows = np.full(1 << self.slot_bits, _EMPTY, dtype=np.int64)
        self.known_codes = np.zeros(0, dtype=np.int64)
        self.known_rows = np.zeros(0, dtype=np.int64)
        coded = _chunk_codes(_SEP)
        assert coded is not None
        sep_codes = np.unique(np.array([hash(_SEP), coded[0][0]], dtype=np.int64))
        self._remember(sep_codes, np.full(len(sep_codes), -1, dtype=np.int64))

    def separator_row(self) -> int:
        """The chunk-table row of a chunk that is the separator character itself."""
        if self.sep_row < 0:
            self.sep_row = int(self._add_chunks([_SEP])[0])
        return self.sep_row

    def _add_chunks(self, chunks: list[str]) -> np.ndarray:
        """Tokenise the new ``chunks``; their rows.

        The chunks (each free of white space) are joined by `` _SEP `` and tokenised by one
        ``findall`` of the token regex: no token spans white space, so each chunk gets the
        tokens it gets alone, and the separator is a token of its own. Where a chunk holds the
        separator character itself, chunk by chunk."""
        joined = _SEP_CHUNK.join(chunks)
        if joined.count(_SEP) != len(chunks) - 1:
            per_chunk = [_TOKEN.findall(chunk) for chunk in chunks]
            lens = np.fromiter(map(len, per_chunk), dtype=np.int64, count=len(chunks))
            rows = self.token_rows([tok for toks in per_chunk for tok in toks])
            sarc = np.array([_sarc_flags(chunk) for chunk in chunks], dtype=np.int64)
        else:
            every = self.token_rows(_TOKEN.findall(joined))
            is_sep = every == self.ids.get(_SEP, -2)  # every separator is one (none in a chunk)
            seps = np.flatnonzero(is_sep)
            lens = np.diff(np.concatenate([[-1], seps, [len(every)]])) - 1
            rows = every[~is_sep] if len(seps) else every
            sarc = _sarc_flags_joined(chunks)
        first = self.n_chunks
        starts = self.n_chunk_tokens + np.cumsum(lens) - lens
        self.chunk_start = _put(self.chunk_start, self.n_chunks, starts)
        self.chunk_len = _put(self.chunk_len, self.n_chunks, lens)
        self.chunk_sarc = _put(self.chunk_sarc, self.n_chunks, sarc)
        self.chunk_tokens = _put(self.chunk_tokens, self.n_chunk_tokens, rows)
        self.n_chunks += len(chunks)
        self.n_chunk_tokens += len(rows)
        return np.arange(first, self.n_chunks, dtype=np.int64)

    def token_rows(self, toks: list[str]) -> np.ndarray:
        """The token-table row of each of ``toks`` (dictionary look-ups mapped in C), the rows
        of new tokens added first."""
        ids = self.ids
        rows = np.fromiter(map(ids.get, toks, repeat(-1)), dtype=np.int64, count=len(toks))
        missing = np.flatnonzero(rows < 0).tolist()
        if missing:
            self.add_many(list(dict.fromkeys([toks[i] for i in missing])))
            rows[missing] = [ids[toks[i]] for i in missing]
        return rows

    def _remember(self, codes: np.ndarray, rows: np.ndarray) -> None:
        """Enter chunk hashes ``codes`` (distinct, new) with their ``rows`` in the slot table,
        grown and refilled first when it would be more than a quarter full."""
        self.known_codes = np.concatenate([self.known_codes, codes])
        self.known_rows = np.concatenate([self.known_rows, rows])
        if 4 * len(self.known_codes) > len(self.slot_codes):
            while 4 * len(self.known_codes) > (1 << self.slot_bits):
                self.slot_bits += 1
            self.slot_codes = np.zeros(1 << self.slot_bits, dtype=np.int64)
            self.slot_rows = np.full(1 << self.slot_bits, _EMPTY, dtype=np.int64)
            codes, rows = self.known_codes, self.known_rows
        mask = (1 << self.slot_bits) - 1
        slot = codes & mask  # str hashes are SipHash values: their low bits are mixed already
        pending = np.arange(len(codes))
        while len(pending):  # place every pending code whose slot is free, one per slot
            at = slot[pending]
            free = self.slot_rows[at] == _EMPTY
            taken, first = np.unique(at[free], return_index=True)
            winners = pending[free][first]
            self.slot_codes[taken] = codes[winners]
            self.slot_rows[taken] = rows[winners]
            placed = np.zeros(len(codes), dtype=bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            slot[pending] = (slot[pending] + 1) & mask

    def _lookup(self, codes: np.ndarray) -> np.ndarray:
        """The row of each chunk hash (``_EMPTY`` where unknown): the first probe for all
        codes at once, then :meth:`_probe` for the few whose slot holds another chunk."""
        mask = (1 << self.slot_bits) - 1
        slot = codes & mask
        out: np.ndarray = self.slot_rows[slot]
        other = np.flatnonzero((out != _EMPTY) & (self.slot_codes[slot] != codes))
        if len(other):
            out[other] = self._probe(codes[other], (slot[other] + 1) & mask)
        return out

    def _probe(self, codes: np.ndarray, slot: np.ndarray) -> np.ndarray:
        """The row of each chunk hash, linear probing from ``slot`` on."""
        out = np.full(len(codes), _EMPTY, dtype=np.int64)
        active = np.arange(len(codes))
        mask = (1 << self.slot_bits) - 1
        while len(active):
            rows = self.slot_rows[slot]
            found = self.slot_codes[slot] == codes[active]
            found &= rows != _EMPTY
            out[active[found]] = rows[found]
            more = ~found & (rows != _EMPTY)
            active, slot = active[more], (slot[more] + 1) & mask
        return out

    def chunk_rows(self, chunks: list[str]) -> np.ndarray:
        """Chunk-table row of each of ``chunks`` (−1 for the separator), new ones added.

        A chunk is known by its ``hash`` (64 bits): two distinct chunks with the same hash
        would share a row (about one chance in 10⁸ for the most chunks the table holds)."""
        if not chunks:
            return np.zeros(0, dtype=np.int64)
        codes = np.fromiter(map(hash, chunks), dtype=np.int64, count=len(chunks))
        return self.code_rows(codes, lambda at: [chunks[i] for i in at])

    def code_rows(
        self, codes: np.ndarray, chunks_at: Callable[[list[int]], list[str]]
    ) -> np.ndarray:
        """Chunk-table row of the chunks with hashes ``codes`` (``chunks_at(at)``: the chunks of
        ``codes[at]``, asked only for chunks the table does not know yet), new ones added."""
        if self.n_chunks >= CHUNK_TABLE_MAX:
            self._reset_chunks()
        rows = self._lookup(codes)
        missing = np.flatnonzero(rows == _EMPTY)
        if len(missing):
            new_codes, first = np.unique(codes[missing], return_index=True)
            new_rows = self._add_chunks(chunks_at(missing[first].tolist()))
            self._remember(new_codes, new_rows)
            rows[missing] = self._lookup(codes[missing])
        return rows

    def expand(
        self, cid: np.ndarray, counts: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The token rows of the chunks ``cid`` (``counts[i]`` of them belong to text ``i``),
        the token count of each text, and whether a chunk of the text has a sarcasm word."""
        sarc = np.zeros(len(counts), dtype=bool)
        nonempty = counts > 0
        if len(cid):
            starts = (np.cumsum(counts) - counts)[nonempty]
            flags = np.bitwise_or.reduceat(self.chunk_sarc[cid], starts)
            sarc[nonempty] = ((flags & 1) > 0) | ((flags & 6) == 6)
        n_tok = self.chunk_len[cid]
        ends = np.cumsum(n_tok)
        total = int(ends[-1]) if len(ends) else 0
        offset = np.repeat(self.chunk_start[cid] - (ends - n_tok), n_tok)
        tid = self.chunk_tokens[offset + np.arange(total)]
        tok_ends = np.concatenate([[0], ends])[np.cumsum(counts)]
        lengths = np.diff(np.concatenate([[0], tok_ends]))
        return tid, lengths, sarc

    def _hash_bigrams(self) -> None:
        """An open-addressing hash table (linear probing) of the bigram codes: ``hkeys[slot]``
        the code (−1 empty), ``hvals[slot]`` its row in ``bigram_w``."""
        n = len(self.bigram_codes)
        self.bits = max(4, int(np.ceil(np.log2(max(n, 1) * 4))))
        size = 1 << self.bits
        keys = np.full(size, -1, dtype=np.int64)
        vals = np.zeros(size, dtype=np.int64)
        codes = self.bigram_codes
        slot = _hash(codes, self.bits)
        probes = np.zeros(n, dtype=np.int64)
        pending = np.arange(n)
        while len(pending):  # rounds: each free slot takes its first pending code, the rest move on
            at = slot[pending]
            free = keys[at] == -1
            taken, first = np.unique(at[free], return_index=True)
            winners = pending[free][first]
            keys[taken] = codes[winners]
            vals[taken] = winners
            placed = np.zeros(n, dtype=bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            slot[pending] = (slot[pending] + 1) & (size - 1)
            probes[pending] += 1
        # a code moves on only past a taken slot, so probing from its hash finds it
        self.max_probe = int(probes.max()) if n else 0
        self.hkeys = keys
        self.hvals = vals

    def bigram_rows(self, codes: np.ndarray) -> np.ndarray:
        """The ``bigram_w`` row of each code, −1 where the lexicon has no such bigram."""
        out = np.full(len(codes), -1, dtype=np.int64)
        active = np.arange(len(codes))
        slot = _hash(codes, self.bits)
        mask = (1 << self.bits) - 1
        for _ in range(self.max_probe + 1):
            k = self.hkeys[slot]
            found = k == codes[active]
            out[active[found]] = self.hvals[slot[found]]
            more = ~found & (k != -1)
            active, slot = active[more], (slot[more] + 1) & mask
            if not len(active):
                break
        return out

    def add(self, tok: str, *, remember: bool = True) -> int:
        """Append the row of ``tok``; its index (kept in ``ids`` when ``remember``)."""
        index = self.n_rows
        self.rows.append(np.array([self._row(tok)], dtype=np.float64))
        self.n_rows += 1
        if remember:
            self.ids[tok] = index
        return index

    def add_many(self, toks: list[str]) -> None:
        """Append the rows of the distinct new tokens ``toks`` and remember them: plain words
        and hashtags (:meth:`_plain_rows`) by look-ups mapped in C, handles as one shared
        row, the others by :meth:`_row`."""
        lows = list(map(str.lower, toks))
        sort = np.fromiter(map(_sort_of, toks, lows), dtype=np.int8, count=len(toks))
        block = np.empty((len(toks), _FIELDS), dtype=np.float64)
        some = np.flatnonzero(sort == _PLAIN).tolist()
        if some:
            block[some] = self._plain_rows([toks[i] for i in some], [lows[i] for i in some])
        some = np.flatnonzero(sort == _HASHTAG).tolist()
        if some:
            tags = [lows[i] for i in some]
            block[some] = self._plain_rows(
                [toks[i] for i in some], [tag[1:] for tag in tags], hashtags=tags
            )
        some = np.flatnonzero(sort == _HANDLE).tolist()
        if some:
            block[some] = self._row("@user")  # every handle's row (``_info``: skipped)
        some = np.flatnonzero(sort == _OTHER_TOKEN).tolist()
        if some:
            block[some] = [self._row(toks[i]) for i in some]
        first = self.n_rows
        self.rows.append(block)
        self.n_rows += len(toks)
        self.ids.update(zip(toks, range(first, first + len(toks)), strict=True))

    def _plain_rows(
        self, toks: list[str], lows: list[str], *, hashtags: list[str] | None = None
    ) -> np.ndarray:
        """:meth:`_row` of plain tokens (:func:`_sort_of`: a word, number, emoji or emoticon
        that no rule but the capitals one touches, or a hashtag of such a word), each step
        mapped over all of them: ``lows`` their keys (the lower-cased word), the kind
        ``_WORD``, no short form; ``hashtags`` the hashtag features, if they are hashtags."""
        n = len(toks)
        get, key_id = self.weights.get, self.key_ids.get
        negated = [_NOT + low for low in lows]
        rows = np.zeros((n, _FIELDS), dtype=np.float64)
        rows[:, 0] = _WORD
        rows[:, 1] = np.fromiter(map(key_id, lows, repeat(-1)), dtype=np.float64, count=n)
        rows[:, 2] = np.fromiter(map(key_id, negated, repeat(-1)), dtype=np.float64, count=n)
        caps = np.fromiter(map(_capitals, toks), dtype=bool, count=n)
        rows[:, 3] = np.where(caps, 1.3, 1.0)
        rows[:, 5] = 1.0  # no intensifier, downtoner or contrast word is plain
        rows[:, 7:10] = list(map(get, lows, repeat(_ZERO)))
        rows[:, 10:13] = list(map(get, negated, repeat(_ZERO)))
        words = list(map(pre_word, toks))
        rows[:, 20] = np.fromiter(map(self.english_ids.get, words, repeat(-1)), np.float64, n)
        rows[:, 21] = np.fromiter(map(self.foreign_ids.get, words, repeat(-1)), np.float64, n)
        if hashtags is not None:
            rows[:, 13:16] = list(map(get, hashtags, repeat(_ZERO)))
            rows[:, 19] = (rows[:, 13:16] != 0.0).any(axis=1)
        return rows

    def _row(self, tok: str) -> tuple[float, ...]:
        """The token-table row of ``tok`` (see :data:`_FIELDS`)."""
        kind, key, mult, hashtag, short = _info(tok)
        word = pre_word(tok)
        get = self.weights.get
        if kind == _WORD:
            contrast = key in CONTRAST
            boost = 1.5 if contrast else INTENSIFIERS.get(key) or DOWNTONERS.get(key) or 1.0
        else:
            contrast, boost = False, 1.0
        negated = "LITOTES" if key in LITOTES_WORDS else "NOT_" + key
        hashtag_w = get(hashtag, _ZERO) if hashtag is not None else _ZERO
        short_w = get(short, _ZERO) if short is not None else _ZERO
        key_ids = self.key_ids
        return (
            float(kind),
            float(key_ids.get(key, -1)),
            float(key_ids.get(negated, -1)),
            mult,
            1.0 if short is not None else 0.0,
            boost,
            1.0 if contrast else 0.0,
            *get(key, _ZERO),
            *get(negated, _ZERO),
            *hashtag_w,
            *short_w,
            1.0 if hashtag_w != _ZERO or short_w != _ZERO else 0.0,
            float(self.english_ids.get(word, -1)),
            float(self.foreign_ids.get(word, -1)),
        )

    def table(self) -> np.ndarray:
        """The rows as contiguous columns (``table()[k][r]`` is field ``k`` of row ``r``; the
        arrays may hold more columns than rows: room for the rows to come). Only the rows
        added since the last call are converted."""
        n, done = self.n_rows, self.n_built
        if n == done:
            return self.arrays
        if n > self.arrays.shape[1]:
            size = max(n, 2 * self.arrays.shape[1], 1024)
            self.arrays = _grown(self.arrays, size, done)
            self.kinds = _grown(self.kinds, size, done)
            self.keys = _grown(self.keys, size, done)
            self.negated_keys = _grown(self.negated_keys, size, done)
            self.english = _grown(self.english, size, done)
            self.foreign = _grown(self.foreign, size, done)
            self.pre_words = _grown(self.pre_words, size, done)
            self.word_w = _grown(self.word_w, size, done)
        new = (np.concatenate(self.rows) if len(self.rows) > 1 else self.rows[0]).T
        self.rows = []
        part = slice(done, n)
        self.arrays[:, part] = new
        self.kinds[part] = kinds = new[0].astype(np.int8)
        self.keys[part] = new[1]
        self.negated_keys[part] = new[2]
        self.english[part] = english = new[20].astype(np.int64)
        self.foreign[part] = foreign = new[21].astype(np.int64)
        # one index over both word lists (disjoint): English words first
        self.pre_words[part] = np.where(
            english >= 0, english, np.where(foreign >= 0, len(self.english_ids) + foreign, -1)
        )
        # a token's own weights count only for words (a negator's are zero)
        self.word_w[:, part] = new[7:10] * (kinds == _WORD)
        self.n_built = n
        return self.arrays


def _grown(array: np.ndarray, size: int, keep: int) -> np.ndarray:
    """A copy of ``array`` with room for ``size`` entries along its last axis, the first
    ``keep`` kept."""
    out = np.zeros((*array.shape[:-1], size), dtype=array.dtype)
    out[..., :keep] = array[..., :keep]
    return out


def _sarc_flags_joined(pieces: list[str]) -> np.ndarray:
    """:func:`_sarc_flags` of each of ``pieces``: each word searched by ``str.find`` in the
    pieces joined by line breaks and case folded (:func:`_hits`; no word holds white space, so
    no match spans two pieces)."""
    low = [p.lower() if p.isascii() else p.translate(_FOLD).lower() for p in pieces]
    big = "\n".join(low)
    ends = _ends(low)
    flags = np.zeros(len(pieces), dtype=np.int64)
    for bit, words in ((1, _SARC_ONE), (2, _SARC_FIRST), (4, _SARC_LAST)):
        found = list(_hits(big, ends, words))
        if found:
            flags[found] |= bit
    return flags


def _hits(big: str, ends: np.ndarray, hints: Sequence[str]) -> set[int]:
    """The indices of the texts (``ends``: end offset of each in ``big``, separators
    included) in which ``big`` contains one of ``hints``."""
    found: set[int] = set()
    bounds: list[int] | None = None
    for hint in hints:
        at = big.find(hint)
        if at >= 0 and bounds is None:
            bounds = ends.tolist()
        while at >= 0 and bounds is not None:
            k = bisect_right(bounds, at)
            found.add(k)
            at = big.find(hint, bounds[k])  # next text
    return found


def _ends(texts: Sequence[str]) -> np.ndarray:
    """End offset (exclusive, plus one for the separator) of each text in ``"\\n".join``."""
    result: np.ndarray = np.cumsum(
        np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1
    )
    return result


def _sarc_flags(text: str) -> int:
    """Bit 1: ``text`` contains one of ``_SARC_ONE``; bit 2: one of ``_SARC_FIRST``; bit 4: one
    of ``_SARC_LAST`` (case folded)."""
    low = (text if text.isascii() else text.translate(_FOLD)).lower()
    return (
        (1 if any(word in low for word in _SARC_ONE) else 0)
        | (2 if any(word in low for word in _SARC_FIRST) else 0)
        | (4 if any(word in low for word in _SARC_LAST) else 0)
    )


def _put(array: np.ndarray, at: int, values: list[int] | np.ndarray) -> np.ndarray:
    """``array`` with ``values`` written from ``at`` on, grown (doubled) when too short."""
    need = at + len(values)
    if need > len(array):
        grown = np.zeros(max(need, 2 * len(array)), dtype=array.dtype)
        grown[:at] = array[:at]
        array = grown
    array[at:need] = values
    return array


_SPACE = np.array([chr(c).isspace() for c in range(0x3001)], dtype=bool)
"""``str.isspace`` of every code point up to U+3000 (none above is white space)."""
_OTHER = np.flatnonzero(_SPACE[33:]).min() + 33
"""The first white-space code point above the space (U+001C … U+001F, then U+0085)."""
_LONG = 64
"""Chunks longer than this many code points are known by Python's ``hash`` of the chunk."""
_CODE_MAX = 1 << 20
"""The longest joined batch (code points) that :func:`_chunk_codes` hashes; longer: ``None``."""
_BASE = secrets.randbits(64) | 1
"""The polynomial hash's base, odd, drawn once per process (as ``str`` hashes are salted)."""
_POWERS: list[np.ndarray] = [np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64)]
"""``_BASE ** i`` and ``_BASE ** -i`` modulo 2⁶⁴ for ``i < len``, grown on demand."""


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``_BASE ** i`` and its inverse modulo 2⁶⁴ for ``i < n`` (at least)."""
    if len(_POWERS[0]) < n:
        size = max(n, 2 * len(_POWERS[0]), 1 << 16)
        up = np.full(size, _BASE, dtype=np.uint64)
        up[0] = 1
        down = np.full(size, pow(_BASE, -1, 1 << 64), dtype=np.uint64)
        down[0] = 1
        _POWERS[:] = [np.multiply.accumulate(up), np.multiply.accumulate(down)]
    return _POWERS[0], _POWERS[1]


def _chunk_codes(big: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The white-space separated chunks of ``big`` (``str.split``'s) as ``(codes, starts,
    ends)``: each chunk's 64-bit code and its code-point span in ``big``; ``None`` when
    ``big`` is longer than :data:`_CODE_MAX` code points.

    The code of a chunk ``c₀ … c_{m-1}`` (code points) is a polynomial hash with the odd
    per-process base ``B``, ``h = Σ c_i · B^i mod 2⁶⁴`` (one ``cumsum`` over the batch, each
    chunk's sum shifted by ``B^-start``), mixed with the length and by a multiply-xorshift so
    its low bits (the slot table's) depend on all bits; a chunk longer than :data:`_LONG`
    takes Python's ``hash`` of its text instead (a polynomial hash modulo 2⁶⁴ is weak for
    long strings). Two distinct chunks share a code with a chance of the order of 2⁻⁶⁴ per
    pair for short chunks."""
    n = len(big)
    if n == 0 or n > _CODE_MAX:
        return None if n else (np.zeros(0, np.int64), np.zeros(0, np.intp), np.zeros(0, np.intp))
    points = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    space = points == 32
    odd = np.flatnonzero((points < 32) | (points >= _OTHER))
    if len(odd):
        found = points[odd]
        space[odd] = np.where(found <= 0x3000, _SPACE[np.minimum(found, 0x3000)], False)
    edge = np.empty(n + 1, dtype=bool)
    edge[0] = not space[0]
    edge[n] = not space[-1]
    np.not_equal(space[1:], space[:-1], out=edge[1:n])
    bounds = np.flatnonzero(edge)
    starts, ends = bounds[0::2], bounds[1::2]
    up, down = _powers(n + 1)
    summed = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(np.multiply(points, up[:n], dtype=np.uint64), out=summed[1:])
    lengths = ends - starts
    codes = (summed[ends] - summed[starts]) * down[starts]
    codes ^= lengths.astype(np.uint64) << np.uint64(56)
    codes *= np.uint64(0x9E3779B97F4A7C15)
    codes ^= codes >> np.uint64(29)
    result = codes.view(np.int64)
    for k in np.flatnonzero(lengths > _LONG).tolist():
        result[k] = hash(big[starts[k] : ends[k]])
    return result, starts, ends


def _hash(codes: np.ndarray, bits: int) -> np.ndarray:
    """Fibonacci hashing of int64 codes to ``bits``-bit slots."""
    mixed = codes.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    result: np.ndarray = (mixed >> np.uint64(64 - bits)).astype(np.int64)
    return result


def _table(model: FastModel) -> _TokenTable:
    table = model.cache.get("\x00table")
    if not isinstance(table, _TokenTable):
        table = _TokenTable(model)
        model.cache["\x00table"] = table
    return table


def _containing(texts: Sequence[str], hints: Sequence[str]) -> np.ndarray:
    """Whether each text contains one of ``hints`` (``str.__contains__`` mapped in C)."""
    found = np.zeros(len(texts), dtype=bool)
    for hint in hints:
        found |= np.fromiter(
            map(str.__contains__, texts, repeat(hint)), dtype=bool, count=len(texts)
        )
    return found


def _all_caps(texts: Sequence[str]) -> np.ndarray:
    """``text == text.upper() and text != text.lower()`` of each text, mapped in C."""
    n = len(texts)
    upper = np.fromiter(map(eq, texts, map(str.upper, texts)), dtype=bool, count=n)
    rows = np.flatnonzero(upper).tolist()
    if rows:
        some = [texts[k] for k in rows]
        upper[rows] = np.fromiter(map(ne, some, map(str.lower, some)), dtype=bool, count=len(rows))
    return upper


def _sarcastic(texts: Sequence[str], candidates: np.ndarray) -> np.ndarray:
    """Whether ``_SARCASM`` matches each text; the regex runs only on the ``candidates``."""
    out = np.zeros(len(texts), dtype=bool)
    for k in np.flatnonzero(candidates).tolist():
        out[k] = _SARCASM.search(texts[k]) is not None
    return out


_ESCAPE_HINTS = ("\\u", "&")
_URL_HINTS = ("http", "www.", "HTTP")
"""What :func:`goodwill.text.features.normalise` looks for before changing a text (escapes
and entities first, then URLs in what they became)."""
_RS = "\x1e"


def _normalised(texts: Sequence[str]) -> tuple[list[str], list[int]]:
    """``normalise`` of every text, and the indices of the texts it may have changed (those
    that contain one of its hints). Its escape and entity steps run text by text on the texts
    that need them; its URL step runs as one regex pass over the joined texts that contain a
    URL hint (joined by a white-space character, which no URL match crosses)."""
    out = list(texts)
    escaped = np.flatnonzero(_containing(texts, _ESCAPE_HINTS)).tolist()
    for k in escaped:
        out[k] = unescape(texts[k])
    urls = np.flatnonzero(_containing(out, _URL_HINTS)).tolist()
    if urls:
        joined = _RS.join([out[k] for k in urls])
        if joined.count(_RS) == len(urls) - 1:
            for k, text in zip(urls, _URL.sub(" ", joined).split(_RS), strict=True):
                out[k] = text
        else:  # a text holds the separator character: text by text
            for k in urls:
                out[k] = _URL.sub(" ", out[k])
    return out, sorted({*escaped, *urls})


def _token_ids(tt: _TokenTable, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token-table row of every token of the batch, the token count of each text and which
    texts the sarcasm regex may match.

    No token spans white space, so the tokens of a text are those of its white-space
    separated chunks in order: the normalised texts are joined with `` _SEP `` and split by
    ``str.split``; each distinct chunk is tokenised once (``findall`` of the token regex) and
    remembered in the chunk table, whose token rows numpy then expands. The third item says
    which texts the sarcasm regex may match: those with chunks that contain the words of one
    of the regex's alternatives (``_SARC_ONE``, ``_SARC_FIRST``, ``_SARC_LAST``, after case
    folding as the regex's ``IGNORECASE`` does); a text that ``normalise`` changed is matched
    against the regex itself (its raw form).
    """
    normed, changed = _normalised(texts)
    big = _SEP_CHUNK.join(normed)
    coded = _chunk_codes(big) if big.count(_SEP) == len(texts) - 1 else None
    if coded is not None:
        codes, starts, ends = coded
        cid = tt.code_rows(
            codes,
            lambda at: list(
                map(big.__getitem__, map(slice, starts[at].tolist(), ends[at].tolist()))
            ),
        )
        seps = np.flatnonzero(cid < 0)
        counts = np.diff(np.concatenate([[-1], seps, [len(cid)]])) - 1
        cid = cid[cid >= 0]
    elif big.count(_SEP) == len(texts) - 1:  # longer than the code tables: str.split
        parts = big.split()
        cid = tt.chunk_rows(parts)
        seps = np.flatnonzero(cid < 0)
        counts = np.diff(np.concatenate([[-1], seps, [len(cid)]])) - 1
        cid = cid[cid >= 0]
    else:  # a text contains the separator character itself: split text by text
        per_text = [t.split() for t in normed]
        cid = tt.chunk_rows([c for chunks in per_text for c in chunks])
        cid[cid < 0] = tt.separator_row()
        counts = np.fromiter(map(len, per_text), dtype=np.int64, count=len(per_text))
    tid, lengths, sarc = tt.expand(cid, counts)
    if changed:  # the regex reads the raw text: check its words there
        sarc[changed] = _sarc_candidates([texts[k] for k in changed])
    return tid, lengths, sarc


def _english(
    tt: _TokenTable, texts: Sequence[str], tid: np.ndarray, lengths: np.ndarray
) -> np.ndarray:
    """:func:`~goodwill.text.language.clearly_english` of each text from its token rows
    (``tt.table()`` current): the distinct English and foreign words of a text counted after
    one sort of (text, word index) pairs each; the letter check by ``str.isascii`` in C, the
    regex only on the few texts that are not ASCII."""
    n = len(texts)
    letters = np.fromiter(map(str.isascii, texts), dtype=bool, count=n)
    other = np.flatnonzero(~letters).tolist()
    if other:
        letters[other] = [ascii_letters(texts[k]) for k in other]
    if not len(tid):
        return np.zeros(n, dtype=bool)
    text_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
    n_english = len(tt.english_ids)
    words = tt.pre_words[tid]
    has = words >= 0
    # the distinct (text, word) pairs of both lists after one sort; then counted per list
    pairs = _distinct_pairs(text_of[has], words[has], n_english + len(tt.foreign_ids))
    is_english = pairs[1] < n_english
    english = np.bincount(pairs[0][is_english], minlength=n)
    foreign = np.bincount(pairs[0][~is_english], minlength=n)
    result: np.ndarray = letters & (english >= CLEARLY_ENGLISH) & (2 * foreign < english)
    return result


def _distinct_pairs(text_of: np.ndarray, ids: np.ndarray, width: int) -> np.ndarray:
    """The distinct ``(text, id)`` pairs (two rows: texts, ids) of tokens sorted by text."""
    # sorted by text already: a stable (merge) sort finishes in about one pass
    pairs = np.sort(text_of * width + ids, kind="stable")
    if len(pairs):
        pairs = pairs[np.concatenate([[True], pairs[1:] != pairs[:-1]])]
    return np.stack([pairs // width, pairs % width])


def english_flags(model: FastModel, texts: Sequence[str], chunk: int = CHUNK) -> np.ndarray:
    """:func:`~goodwill.text.language.clearly_english` of each text, read off ``model``'s token
    tables without scoring."""
    tt = _table(model)
    parts = [np.zeros(0, dtype=bool)]
    for start in range(0, len(texts), chunk):
        part = texts[start : start + chunk]
        with tt.lock:
            tid, lengths, _ = _token_ids(tt, part)
            tt.table()
            parts.append(_english(tt, part, tid, lengths))
    return np.concatenate(parts)


def _sarc_candidates(texts: Sequence[str]) -> np.ndarray:
    """Whether each text contains one of ``_SARC_ONE``, or one of ``_SARC_FIRST`` and one of
    ``_SARC_LAST`` (case folded): the texts ``_SARCASM`` may match, found by ``str.find`` in
    the joined batch."""
    low = [t.lower() if t.isascii() else t.translate(_FOLD).lower() for t in texts]
    big = "\n".join(low)
    ends = _ends(low)
    n = len(texts)

    def having(words: Sequence[str]) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        out[list(_hits(big, ends, words))] = True
        return out

    result: np.ndarray = having(_SARC_ONE) | (having(_SARC_FIRST) & having(_SARC_LAST))
    return result


def batch_scores(model: FastModel, texts: Sequence[str], chunk: int = CHUNK) -> np.ndarray:
    """Class scores ``s`` (before softmax), one row of three per text, ``chunk`` texts at a time
    (so the per-token arrays stay in the CPU cache)."""
    n = len(texts)
    if n > chunk:
        return np.vstack([batch_scores(model, texts[i : i + chunk]) for i in range(0, n, chunk)])
    return _scores(model, texts, english=False)[0]


def batch_scores_english(
    model: FastModel, texts: Sequence[str], chunk: int = CHUNK
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`batch_scores` and :func:`goodwill.text.language.clearly_english` of each text,
    the pre-check read off the same chunks (no second pass over the texts)."""
    parts = [
        _scores(model, texts[i : i + chunk], english=True) for i in range(0, len(texts), chunk)
    ]
    if not parts:
        return np.zeros((0, 3)), np.zeros(0, dtype=bool)
    english = np.concatenate([e for _, e in parts if e is not None])
    return np.vstack([s for s, _ in parts]), english


def _scores(
    model: FastModel, texts: Sequence[str], *, english: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    n = len(texts)
    tt = _table(model)
    if n == 0:
        return np.zeros((0, 3)), np.zeros(0, dtype=bool)
    found = None
    with tt.lock:  # the tables grow as texts are read: one batch at a time per model
        tid, lengths, maybe_sarcastic = _token_ids(tt, texts)
        cols = tt.table()
        if english:
            found = _english(tt, texts, tid, lengths)
    all_caps = _all_caps(texts)
    scores = np.tile(tt.bias, (n, 1))
    if len(tid):
        _tokens_into(tt, cols, tid, lengths, all_caps, scores)
    scores[_sarcastic(texts, maybe_sarcastic)] += tt.markers[2]
    scores[all_caps & (lengths > 2)] += tt.markers[3]
    return scores, found


def _tokens_into(
    tt: _TokenTable,
    cols: np.ndarray,
    tid: np.ndarray,
    lengths: np.ndarray,
    all_caps: np.ndarray,
    out: np.ndarray,
) -> None:
    """Add every token's contribution (module docstring) and the EXCL/QMARK markers to
    ``out`` (``cols``: ``tt.table()``)."""
    total = len(tid)
    n = len(lengths)
    ends = np.cumsum(lengths)

    def text_of(positions: np.ndarray) -> np.ndarray:
        """The text of each token position."""
        result: np.ndarray = np.searchsorted(ends, positions, side="right")
        return result

    first = np.repeat(ends - lengths, lengths)  # index of the first token of its text
    kind = tt.kinds[tid]
    is_word = kind == _WORD
    is_neg = kind == _NEG
    scored = is_word | is_neg
    idx = np.arange(total)
    # boost left by the previous non-@user token of the same text
    non_skip = np.flatnonzero(kind != _SKIP)
    boost_in = np.ones(total)
    if len(non_skip) > 1:
        prev, cur = non_skip[:-1], non_skip[1:]
        same = first[prev] == first[cur]
        boost_in[cur[same]] = cols[5][tid[prev[same]]]
    mult = cols[3][tid]
    if all_caps.any():
        caps = all_caps[np.repeat(np.arange(n), lengths)] & (mult != 1.0)
        mult[caps] = np.where(cols[4][tid[caps]] > 0, 1.3, 1.0)
    value = boost_in * mult
    # negation: the last negator or break before the token, within its text
    resets = is_neg | (kind >= _EXCL)
    last = np.maximum.accumulate(np.where(resets, idx, -1))
    before = np.empty(total, dtype=np.int64)
    before[0] = -1
    before[1:] = last[:-1]
    words_upto = np.cumsum(is_word)
    safe = np.maximum(before, 0)
    negated = is_word & (before >= first) & is_neg[safe] & (words_upto - words_upto[safe] <= 3)
    key_i = tt.keys[tid]
    w_key = np.take(tt.word_w, tid, axis=1)
    if negated.any():
        neg_tid = tid[negated]
        key_i[negated] = tt.negated_keys[neg_tid]
        w_key[:, negated] = cols[10:13][:, neg_tid]
    w_key *= value
    # contrast words after each token (inclusive) in its text
    contrast = cols[6][tid] > 0
    c_incl = np.cumsum(contrast)
    after_excl = np.repeat(c_incl[ends - 1], lengths) - c_incl
    post_scale = _POW[np.minimum(after_excl, len(_POW) - 1)]
    pre_scale = np.where(contrast, post_scale * 0.7, post_scale)
    w_key *= post_scale
    contrib = w_key
    # hashtag and elongation weights: only the few tokens that have one
    has_pre = np.flatnonzero(cols[19][tid] > 0)
    if len(has_pre):
        t_pre = tid[has_pre]
        pre = cols[13:16][:, t_pre] + value[has_pre] * cols[16:19][:, t_pre]
        contrib[:, has_pre] += pre * (pre_scale[has_pre] * scored[has_pre])
    # bigrams of adjacent scored tokens
    if total > 1 and len(tt.bigram_codes):
        cur = np.flatnonzero(scored[1:] & scored[:-1] & (first[1:] == first[:-1])) + 1
        prev = cur - 1
        ok = tt.left[key_i[prev]] & tt.right[key_i[cur]]
        cur, prev = cur[ok], prev[ok]
        codes = key_i[prev] * tt.width + key_i[cur]
        pos = tt.bigram_rows(codes)
        hit = pos >= 0
        cur, prev, pos = cur[hit], prev[hit], pos[hit]
        prev_value = np.where(contrast[cur], value[prev] * 0.7, value[prev])
        bigram = np.minimum(value[cur], prev_value) * post_scale[cur]
        bigram_w = np.take(tt.bigram_w_t, pos, axis=1)
        bigram_w *= bigram
        of_text = text_of(cur)
        for c in range(3):
            out[:, c] += np.bincount(of_text, weights=bigram_w[c], minlength=n)
    # per-text sums: reduceat over the texts that have tokens (tokens are in text order)
    nonempty = lengths > 0
    starts = (ends - lengths)[nonempty]
    out[nonempty] += np.add.reduceat(contrib, starts, axis=1).T
    excl = np.bincount(text_of(np.flatnonzero(kind == _EXCL)), minlength=n)
    out += np.minimum(excl, 3.0)[:, None] * tt.markers[0]
    out[np.bincount(text_of(np.flatnonzero(kind == _QMARK)), minlength=n) > 0] += tt.markers[1]
