"""Shared pieces of :mod:`goodwill.simulate.scale`: the period, arrow helpers and the
vectorised people (handles, names, e-mails, visitor ids)."""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from goodwill.simulate.names import FIRST_NAMES, LAST_NAMES, ascii_fold
from goodwill.simulate.spec import BRAND, COMPETITORS

__all__ = [
    "BLUESKY_DAY",
    "CHUNK",
    "DAYS",
    "EPOCH_DAY",
    "EPOCH_US",
    "HANDLES",
    "I64",
    "KINDS",
    "KIND_P",
    "ON_POST",
    "START",
    "US_DAY",
    "ScalePeople",
    "bluesky_time",
    "seq_ids",
    "strings",
    "take",
    "timestamps",
]

CHUNK = 1_000_000
START = date(2025, 11, 1)
DAYS = 365
US_DAY = 86_400_000_000
EPOCH_US = (START - date(1970, 1, 1)).days * US_DAY
EPOCH_DAY = (START - date(1970, 1, 1)).days
BLUESKY_DAY = 181
HANDLES = (BRAND.handle, *(c.handle for c in COMPETITORS))
KINDS = ("like", "share", "reply", "comment", "mention", "follow", "unfollow", "dm")
KIND_P = (0.45, 0.12, 0.12, 0.04, 0.13, 0.08, 0.02, 0.04)
ON_POST = np.array([True, True, True, True, False, False, False, False])
I64 = npt.NDArray[np.int64]


def strings(values: list[str] | tuple[str, ...]) -> pa.Array:
    return pa.array(list(values), pa.string())


def timestamps(us: I64) -> pa.Array:
    return pa.array(us, pa.timestamp("us"))


def seq_ids(prefix: str, start: int, n: int) -> pa.Array:
    nums = pc.cast(pa.array(np.arange(start, start + n, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(pa.scalar(prefix), nums, "")


def take(
    pool: pa.Array, idx: npt.NDArray[np.int64], mask: npt.NDArray[np.bool_] | None = None
) -> pa.Array:
    arr = pa.array(idx)
    if mask is not None:
        arr = pa.array(idx, mask=~mask)
    return pc.take(pool, arr)


class ScalePeople:
    """Vectorised people: handle per platform, display name, e-mail, visitor ids."""

    def __init__(self, rng: np.random.Generator, n: int) -> None:
        self.n = n
        first = rng.integers(0, len(FIRST_NAMES), n)
        last = rng.integers(0, len(LAST_NAMES), n)
        firsts = strings([ascii_fold(f).lower().replace("-", "") for f in FIRST_NAMES])
        lasts = strings(
            [ascii_fold(x).lower().replace(" ", "").replace("'", "") for x in LAST_NAMES]
        )
        num = pc.cast(pa.array(np.arange(n, dtype=np.int64)), pa.string())
        f_arr, l_arr = pc.take(firsts, pa.array(first)), pc.take(lasts, pa.array(last))
        base = pc.binary_join_element_wise(f_arr, num, "_")
        self.handles = (
            pc.binary_join_element_wise(base, pa.scalar("@mastodon.social"), ""),
            base,
            pc.binary_join_element_wise(
                pc.replace_substring(base, "_", "-"), pa.scalar(".bsky.social"), ""
            ),
        )
        self.names = pc.binary_join_element_wise(
            pc.take(strings(FIRST_NAMES), pa.array(first)),
            pc.take(strings(LAST_NAMES), pa.array(last)),
            " ",
        )
        local = pc.binary_join_element_wise(f_arr, l_arr, num, ".")
        self.emails = pc.binary_join_element_wise(local, pa.scalar("mail.example"), "@")
        order = rng.permutation(n)
        self.rank_to_person = order.astype(np.int64)
        raw = rng.integers(0, 2**63 - 1, n + n // 3 + 1000, dtype=np.int64)
        self.visitors = pa.array([f"{int(v):016x}" for v in np.unique(raw)], pa.string())

    def zipf(self, rng: np.random.Generator, m: int) -> I64:
        ranks = (rng.zipf(1.7, m) - 1) % self.n
        return self.rank_to_person[ranks]


def bluesky_time(t: I64) -> I64:
    """Squeeze times into the Bluesky period (from day ``BLUESKY_DAY``)."""
    return EPOCH_US + BLUESKY_DAY * US_DAY + (t - EPOCH_US) * (DAYS - BLUESKY_DAY) // DAYS
