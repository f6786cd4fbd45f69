"""The label vocabulary shared by every text model."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["INTENTS", "SENTIMENTS", "Label"]

SENTIMENTS: tuple[str, str, str] = ("negative", "neutral", "positive")
"""Sentiment classes, in the order models return their probabilities."""

INTENTS: tuple[str, ...] = ("complaint", "question", "praise", "other")
"""Intent classes of inbound messages."""


@dataclass(frozen=True)
class Label:
    """The sentiment of one text: its class and a score from −1 (negative) to 1 (positive)."""

    sentiment: str
    score: float
