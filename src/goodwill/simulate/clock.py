"""Turning simulated seconds into the timestamp and id formats real exports use."""

from __future__ import annotations

from datetime import datetime, timedelta

__all__ = ["Clock", "bluesky_tid", "snowflake"]

_B32 = "234567abcdefghijklmnopqrstuvwxyz"
_TWITTER_EPOCH_MS = 1_288_834_974_657


class Clock:
    """Formats ``t`` (seconds since the period's first midnight, UTC) as ISO 8601."""

    def __init__(self, epoch: datetime) -> None:
        self.epoch = epoch
        self.unix0 = int((epoch - datetime(1970, 1, 1)).total_seconds())

    def dt(self, t: int) -> datetime:
        return self.epoch + timedelta(seconds=t)

    def iso(self, t: int, style: str = "Z") -> str:
        """``Z``: ``...T12:00:00Z``; ``ms``: ``...T12:00:00.000Z``; ``naive``: no zone (UTC);
        ``+HH:MM``: local time at that offset, with the offset."""
        if style.startswith(("+", "-")):
            sign = 1 if style[0] == "+" else -1
            shift = sign * (int(style[1:3]) * 3600 + int(style[4:6]) * 60)
            return self.dt(t + shift).strftime("%Y-%m-%dT%H:%M:%S") + style
        base = self.dt(t).strftime("%Y-%m-%dT%H:%M:%S")
        if style == "naive":
            return base
        if style == "ms":
            return base + ".000Z"
        return base + "Z"

    def unix_ms(self, t: int) -> int:
        return (self.unix0 + t) * 1000


def snowflake(unix_ms: int, rank: int, *, twitter: bool) -> str:
    """A Twitter/X-like (``twitter=True``) or Mastodon-like numeric id, unique per rank."""
    ms = unix_ms + rank % 1000
    if twitter:
        return str(((ms - _TWITTER_EPOCH_MS) << 22) | (rank & 0x3FFFFF))
    return str((ms << 16) | (rank & 0xFFFF))


def bluesky_tid(unix_ms: int, rank: int) -> str:
    """An AT Protocol TID (13 base32-sortable characters), unique per rank."""
    micros = unix_ms * 1000 + rank % 1_000_000
    value = (micros << 10) | (rank & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(_B32[value & 31])
        value >>= 5
    return "".join(reversed(chars))
