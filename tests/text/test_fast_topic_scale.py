"""The fast lexicon's topic shrinkage (a training option, ``fit_lexicon(topic_scale=…)``;
the committed lexicon uses ``train.TOPIC_SCALE`` = 1, off, see docs/listening.md): features
without a prior (unrated words, bigrams, names) are fitted on scaled columns, a stronger L2
penalty than the rated words get, so one year's topics weigh less."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from goodwill.text.fast import FastModel
from goodwill.text.features import HAND_WEIGHTS, extract
from goodwill.text.semeval import load_semeval_years
from goodwill.text.train import LEXICON_FEATURES, fit_lexicon, load_valences, topic_columns

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def test_topic_columns_are_the_features_without_a_prior() -> None:
    valences = {"love": 0.8, "hate": -0.7}
    hand = next(iter(HAND_WEIGHTS))
    names = ["love", "NOT_hate", "LEX+", "NOTLEX-", hand, "obama", "NOT_obama", "love it", "#ff"]
    vocabulary = {name: j for j, name in enumerate(names)}
    picked = [names[j] for j in topic_columns(vocabulary, valences)]
    assert picked == ["obama", "NOT_obama", "love it", "#ff"]
    assert set(LEXICON_FEATURES).isdisjoint(picked)


@pytest.fixture(scope="module")
def fits() -> tuple[FastModel, FastModel]:
    data = load_semeval_years(SHARED_DATA / "semeval-sentiment-train")
    texts, labels = data.texts[:2000], data.labels[:2000]
    feats = [extract(t) for t in texts]
    plain = fit_lexicon(texts, labels, feats=feats, topic_scale=1.0)
    shrunk = fit_lexicon(texts, labels, feats=feats, topic_scale=0.3)
    return plain, shrunk


def _spread(weights: tuple[float, float, float]) -> float:
    return float(np.ptp(weights))


def test_topic_features_weigh_less_rated_words_keep_their_sign(
    fits: tuple[FastModel, FastModel],
) -> None:
    plain, shrunk = fits
    valences = load_valences()
    topics = [
        f
        for f in plain.weights
        if f not in HAND_WEIGHTS and (f[4:] if f.startswith("NOT_") else f) not in valences
    ]
    assert len(topics) > 2500  # 2,925
    before = np.mean([_spread(plain.weights[f]) for f in topics])
    after = np.mean([_spread(shrunk.weights.get(f, (0.0, 0.0, 0.0))) for f in topics])
    assert after < 0.1 * before  # 0.061: most fall below PRUNE
    for word, sign in (("love", 1), ("great", 1), ("hate", -1), ("worst", -1)):
        w = shrunk.weights[word]
        assert sign * (w[2] - w[0]) > 1.5  # 1.85 … 2.2
    # the shrunk model still reads plain sentiment
    assert shrunk.predict("I love this, great day").sentiment == "positive"
    assert shrunk.predict("worst service ever, I hate it").sentiment == "negative"


@pytest.mark.parametrize("scale", [0.0, -0.3, float("nan")])
def test_a_topic_scale_that_is_not_positive_is_refused(scale: float) -> None:
    with pytest.raises(ValueError, match=r"topic_scale must be > 0 \(1 is off\)"):
        fit_lexicon(["good", "bad"], [2, 0], topic_scale=scale)
