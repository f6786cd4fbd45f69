"""The one reader of the shared English airline tweets (``airline-sentiment/Tweets_shared.csv``,
Twitter US Airline Sentiment, February 2015), used by training, the benchmarks and the tests.

Each row gives the tweet's text as written, its crowd label (``negative``, ``neutral`` or
``positive``) and, for negative tweets, the complaint reason (``negativereason``, empty when
none was given). A label outside the three, or a missing column, is an error naming the file
and line.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from goodwill.text.labels import SENTIMENTS

__all__ = ["AIRLINE_FILE", "AirlineTweet", "read_airline"]

AIRLINE_FILE = Path("airline-sentiment") / "Tweets_shared.csv"
"""Where the set sits inside the shared data folder."""


@dataclass(frozen=True)
class AirlineTweet:
    """One row of the airline set."""

    text: str
    sentiment: str
    """``negative``, ``neutral`` or ``positive``."""
    reason: str
    """The complaint reason of a negative tweet, stripped (empty when none was given)."""

    @property
    def label(self) -> int:
        """The class index of :data:`goodwill.text.labels.SENTIMENTS`."""
        return SENTIMENTS.index(self.sentiment)

    @property
    def complaint(self) -> bool:
        """A negative tweet with a complaint reason."""
        return self.sentiment == "negative" and bool(self.reason)


def read_airline(shared: Path) -> list[AirlineTweet]:
    """Every tweet of ``shared / AIRLINE_FILE``, in file order."""
    path = shared / AIRLINE_FILE
    tweets: list[AirlineTweet] = []
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {"text", "airline_sentiment", "negativereason"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}:1: missing column(s) {', '.join(sorted(missing))}")
        for row in reader:
            sentiment = row["airline_sentiment"]
            if sentiment not in SENTIMENTS:
                raise ValueError(
                    f"{path}:{reader.line_num}: airline_sentiment {sentiment!r} "
                    f"is not one of {', '.join(SENTIMENTS)}"
                )
            reason = (row["negativereason"] or "").strip()
            tweets.append(AirlineTweet(text=row["text"], sentiment=sentiment, reason=reason))
    return tweets
