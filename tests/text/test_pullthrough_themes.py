"""Key-message pull-through (char-tfidf fallback) and negative themes, on hand-made texts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from goodwill.text.pullthrough import carried, char_tfidf, choose_method, pull_through
from goodwill.text.themes import negative_themes


def test_char_tfidf_is_unit_length_and_matches_rewordings() -> None:
    sparse = char_tfidf(["roasted fresh every week", "freshly roasted each week", "rude staff"])
    vectors = sparse.toarray()
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 1.0, 1.0])
    sims = vectors @ vectors.T
    assert sims[0, 1] > 0.3 > sims[0, 2]


def test_pull_through_share_and_sentiment() -> None:
    messages = pd.DataFrame(
        {
            "message_id": ["fresh", "ethics"],
            "text": ["roasted fresh every week", "ethically sourced beans"],
        }
    )
    mentions = pd.DataFrame(
        {
            "text": [
                "love that the beans are freshly roasted each week",
                "roasted fresh every single week, amazing",
                "stale beans, not roasted fresh at all this week",
                "ethically-sourced beans, that's why I buy",
                "parcel lost again",
            ],
            "sentiment": ["positive", "positive", "negative", "positive", "negative"],
        }
    )
    out = pull_through(mentions, messages, method="char-tfidf").set_index("message_id")
    assert out.loc["fresh", "carrying"] == 3
    assert out.loc["fresh", "share"] == pytest.approx(3 / 5)
    assert out.loc["fresh", "net_sentiment"] == pytest.approx((2 - 1) / 3)
    assert out.loc["ethics", "carrying"] == 1
    assert out.loc["ethics", "net_sentiment"] == pytest.approx(1.0)
    assert set(out.method) == {"char-tfidf"}
    assert out.loc["ethics", "examples"] == "ethically-sourced beans, that's why I buy"
    empty = pull_through(mentions.iloc[:0], messages, method="char-tfidf")
    assert list(empty.carrying) == [0, 0] and math.isnan(empty.share.iloc[0])
    with pytest.raises(ValueError, match="expected auto, embedding or char-tfidf"):
        choose_method("keywords")


def test_carried_is_the_decision_pull_through_counts() -> None:
    messages = pd.DataFrame(
        {
            "message_id": ["fresh", "ethics"],
            "text": ["roasted fresh every week", "ethically sourced beans"],
        }
    )
    mentions = pd.DataFrame(
        {
            "text": [
                "freshly roasted each week",
                "parcel lost again",
                None,
                "ethical beans, fresh roast",
            ],
            "sentiment": ["positive", "negative", "neutral", "positive"],
        }
    )
    decision = carried(mentions, messages, method="char-tfidf")
    assert decision.method == "char-tfidf" and decision.threshold == 0.25
    assert decision.similarity.shape == (4, 2)
    assert list(decision.carries[:, 0]) == [True, False, False, decision.similarity[3, 0] >= 0.25]
    assert not decision.carries[1].any() and not decision.carries[2].any()
    out = pull_through(mentions, messages, method="char-tfidf")
    assert list(out.carrying) == list(decision.carries.sum(axis=0))
    stricter = carried(mentions, messages, method="char-tfidf", threshold=0.99)
    assert not stricter.carries.any()
    assert carried(mentions.iloc[:0], messages, method="char-tfidf").similarity.shape == (0, 2)


def test_negative_themes_cluster_similar_complaints() -> None:
    complaints = pd.DataFrame(
        {
            "text": [
                "my parcel never arrived, delivery is a joke",
                "delivery late again, parcel still not here",
                "parcel delivery failed twice",
                "the app keeps crashing at checkout",
                "checkout in the app crashes every time",
                "rude barista this morning",
            ],
            "sentiment_score": [-0.9, -0.7, -0.6, -0.8, -0.5, -0.4],
        }
    )
    themes = negative_themes(complaints)
    assert list(themes["size"]) == [3, 2, 1]
    assert "parcel" in themes.theme[0] and "delivery" in themes.theme[0]
    assert "checkout" in themes.theme[1] or "app" in themes.theme[1]
    assert themes.share.tolist() == pytest.approx([0.5, 2 / 6, 1 / 6])
    assert themes.mean_score[0] == pytest.approx((-0.9 - 0.7 - 0.6) / 3)
    assert negative_themes(complaints.iloc[:0]).empty
