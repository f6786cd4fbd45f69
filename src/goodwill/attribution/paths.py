"""Journeys as flat arrays: the input every attribution model takes.

A :class:`Journeys` holds ``n`` journeys in compressed-row form: the touches of journey ``j``
are ``touch_channel[offsets[j]:offsets[j + 1]]`` in time order, each with its age in days
before the journey's end (the conversion, or the last touch for a journey that did not
convert). Each journey carries weights so that aggregated path data (one row per distinct path
with counts) and individual journeys use the same code:

* ``conversions[j]`` — conversions that ended this path (1 or 0 for an individual journey);
* ``value[j]`` — their total value in the reporting currency;
* ``nulls[j]`` — journeys on this path that did not convert.

The module is pure numpy: models are testable without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["DIRECT", "DIRECT_LABELS", "Credit", "FloatArray", "IntArray", "Journeys"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

DIRECT = "direct"
"""The channel a conversion without any touch is given."""

DIRECT_LABELS = ("direct", "(direct)")
"""Labels that ``last non-direct`` skips (the direct channel, and the direct source)."""


@dataclass(frozen=True, kw_only=True)
class Journeys:
    """``n`` journeys over ``channels``; see the module docstring for the layout."""

    channels: tuple[str, ...]
    offsets: IntArray
    touch_channel: IntArray
    touch_age: FloatArray
    conversions: FloatArray
    value: FloatArray
    nulls: FloatArray

    def __post_init__(self) -> None:
        n = len(self.conversions)
        if len(self.offsets) != n + 1 or (len(self.value), len(self.nulls)) != (n, n):
            raise ValueError("offsets must have n+1 entries and the weights n entries")
        if len(self.touch_channel) != self.offsets[-1] or len(self.touch_age) != self.offsets[-1]:
            raise ValueError("touch arrays must have offsets[-1] entries")
        if n and np.any(np.diff(self.offsets) < 1):
            raise ValueError("every journey needs at least one touch")

    @property
    def n(self) -> int:
        return len(self.conversions)

    @property
    def lengths(self) -> IntArray:
        return np.diff(self.offsets)

    @property
    def touch_journey(self) -> IntArray:
        """For each touch, the index of its journey."""
        return np.repeat(np.arange(self.n, dtype=np.int64), self.lengths)

    @property
    def touch_position(self) -> IntArray:
        """For each touch, its 0-based position in its journey."""
        return np.arange(len(self.touch_channel), dtype=np.int64) - np.repeat(
            self.offsets[:-1], self.lengths
        )

    @classmethod
    def from_paths(
        cls,
        paths: Sequence[Sequence[str]],
        *,
        conversions: npt.ArrayLike | None = None,
        value: npt.ArrayLike | None = None,
        nulls: npt.ArrayLike | None = None,
        ages: Sequence[Sequence[float]] | None = None,
        channels: Sequence[str] | None = None,
    ) -> Journeys:
        """Journeys from lists of channel names (convenient for tests and path files).

        Defaults: one conversion per path, value equal to conversions, no nulls, ages 0.
        """
        names = (
            tuple(channels)
            if channels is not None
            else tuple(sorted({c for p in paths for c in p}))
        )
        index = {c: i for i, c in enumerate(names)}
        lengths = np.array([len(p) for p in paths], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        flat = np.array([index[c] for p in paths for c in p], dtype=np.int64)
        n = len(paths)
        conv = np.asarray(conversions if conversions is not None else np.ones(n), dtype=np.float64)
        val = np.asarray(value if value is not None else conv, dtype=np.float64)
        nul = np.asarray(nulls if nulls is not None else np.zeros(n), dtype=np.float64)
        if ages is None:
            age = np.zeros(len(flat), dtype=np.float64)
        else:
            age = np.array([a for row in ages for a in row], dtype=np.float64)
        return cls(
            channels=names,
            offsets=offsets,
            touch_channel=flat,
            touch_age=age,
            conversions=conv,
            value=val,
            nulls=nul,
        )

    def subset(self, mask: npt.NDArray[np.bool_]) -> Journeys:
        """The journeys where ``mask`` is true (same channel list)."""
        keep_touch = np.repeat(mask, self.lengths)
        lengths = self.lengths[mask]
        return Journeys(
            channels=self.channels,
            offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
            touch_channel=self.touch_channel[keep_touch],
            touch_age=self.touch_age[keep_touch],
            conversions=self.conversions[mask],
            value=self.value[mask],
            nulls=self.nulls[mask],
        )

    def reweighted(self, conversions: FloatArray, value: FloatArray, nulls: FloatArray) -> Journeys:
        """The same paths with other weights (used by the bootstrap)."""
        return Journeys(
            channels=self.channels,
            offsets=self.offsets,
            touch_channel=self.touch_channel,
            touch_age=self.touch_age,
            conversions=conversions,
            value=value,
            nulls=nulls,
        )


@dataclass(frozen=True, kw_only=True)
class Credit:
    """What a model credits to each channel: conversions and value (same order as
    ``channels``)."""

    channels: tuple[str, ...]
    conversions: FloatArray
    value: FloatArray
