"""The sentiment/intent enricher: labels every text interaction, recording the model.

``enrich_labels(wh)`` reads the interactions that carry text, labels them with a sentiment
model (the fast lexicon by default) and the intent rules, and writes
``interaction_labels(platform, interaction_id, sentiment, sentiment_score, intent, model,
labelled_at, language)``. The language of every text is detected
(:mod:`goodwill.text.language`) unless one is given, stored in ``language``, and picks the
model (:func:`label_texts`): English and languages without a model of their own get the
English model asked for, Spanish, French, German, Italian, Portuguese and Arabic their USE +
n-gram blend (:mod:`goodwill.text.use_sentiment`), Hindi its n-gram model
(:mod:`goodwill.text.ngram`); ``model`` records which. A row of
``label_corrections`` wins over the model: its sentiment and/or intent replace the model's,
and ``model`` reads ``correction`` (over ``name@version``). Re-running it relabels everything
(idempotent: ``INSERT OR REPLACE`` on the key). Values travel as a registered Arrow table,
never formatted into SQL.

``adapt_from_corrections(wh)`` (``goodwill train-sentiment --from-corrections``) fits a brand
adaptation of the model on the sentiment corrections (:mod:`goodwill.text.adapt`) and stores
it in ``sentiment_adaptations`` under a new ``model_version`` (``fast-lexicon@2+brand2``);
``enrich_labels`` then uses the newest adaptation of its model and records that version in
``interaction_labels.model``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyarrow as pa

from goodwill.engine import duckdb as duck
from goodwill.errors import UserInputError
from goodwill.text.adapt import Adaptation, fit_adaptation, frequent_features
from goodwill.text.fast import load_fast
from goodwill.text.intent import intent_of
from goodwill.text.labels import INTENTS, SENTIMENTS, Label
from goodwill.warehouse import Warehouse

__all__ = [
    "adapt_from_corrections",
    "add_correction",
    "enrich_labels",
    "label_texts",
    "latest_adaptation",
    "sentiment_model",
]


def sentiment_model(name: str) -> tuple[str, Callable[[Sequence[str]], list[Label]]]:
    """``(model label, predict_many)`` of ``fast`` or ``accurate``.

    ``accurate`` needs the optional ``[accurate]`` extra; without it this raises a
    :class:`UserInputError` that says how to install it."""
    if name == "fast":
        model = load_fast()
        return model.label, model.predict_many
    if name == "accurate":
        from goodwill.text.accurate import ACCURATE_MODEL_PATH, load_accurate
        from goodwill.text.embeddings import load_minilm

        load_minilm()  # the install hint, before any work
        if not ACCURATE_MODEL_PATH.exists():
            raise UserInputError(
                "--model accurate: its trained head is missing; build it with "
                "`python -m goodwill.text.train accurate`, or use --model fast"
            )
        accurate = load_accurate()
        return accurate.label, accurate.predict_many
    raise UserInputError(f"--model {name!r}: expected fast or accurate")


def check_language(language: str | None) -> str | None:
    """``language`` lower-cased, or a :class:`UserInputError` naming the choices."""
    from goodwill.text.language import SENTIMENT_LANGUAGES

    if language is None:
        return None
    code = language.strip().lower()
    if code not in SENTIMENT_LANGUAGES:
        raise UserInputError(
            f"--language {language!r}: no sentiment model for it; use one of "
            f"{', '.join(SENTIMENT_LANGUAGES)} (or leave it out to detect each text's language)"
        )
    return code


def label_texts(
    texts: Sequence[str],
    *,
    model: str = "fast",
    language: str | None = None,
    english: Callable[[Sequence[str]], list[Label]] | None = None,
) -> tuple[list[Label], list[str], list[str]]:
    """``(labels, languages, model labels)`` of ``texts``, one each per text.

    ``language`` (an ISO 639-1 code of :data:`goodwill.text.language.SENTIMENT_LANGUAGES`)
    overrides detection for every text. Texts whose language has a model of its own are
    labelled by it (USE + n-grams, :mod:`goodwill.text.use_sentiment`, for es, fr, de, it, pt,
    ar; n-grams alone for hi); the others by ``english`` (default: ``model``'s
    ``predict_many``)."""
    from goodwill.text.language import detect_rest
    from goodwill.text.ngram import load_multilingual
    from goodwill.text.use_encoder import load_use
    from goodwill.text.use_sentiment import UseNgramModel, load_use_models

    code = check_language(language)
    english_label, english_predict = sentiment_model(model)
    if english is not None:
        english_predict = english
    labels: list[Label] | None = None
    if code is not None:
        languages = [code] * len(texts)
        rest = list(range(len(texts)))
    elif model == "fast" and english is None:
        # the fast model reads every text first: the language pre-check comes with its
        # tokens, and labelling the few texts of other languages twice costs less
        labels, claimed = load_fast().predict_many_english(texts)
        languages, rest = detect_rest(texts, english=claimed)
    else:
        languages, rest = detect_rest(texts)
    per_language: dict[str, Any] = {**load_multilingual(), **load_use_models()}
    models = [english_label] * len(texts)
    # only the rows the pre-check left can hold another language
    groups: dict[str, list[int]] = {}
    for i in rest:
        if languages[i] != "en" and languages[i] in per_language:
            groups.setdefault(languages[i], []).append(i)
    if not groups:  # every text goes to the English model: no regrouping
        if labels is None:
            labels = english_predict([t or "" for t in texts])
        return labels, languages, models
    if labels is not None:
        out = list(labels)
    else:
        own = {i for rows in groups.values() for i in rows}
        english_rows = [i for i in range(len(texts)) if i not in own]
        out = [_NEUTRAL] * len(texts)
        predicted = english_predict([texts[i] or "" for i in english_rows]) if english_rows else []
        for i, label in zip(english_rows, predicted, strict=True):
            out[i] = label
    # one USE encoder call for the rows of every language that reads its embeddings: a call
    # streams the encoder's ~12 MB of weights (~2 ms) whatever the number of texts. As within
    # one language before, a text's embedding depends on the texts beside it by ~4e-7
    use_keys = [k for k in sorted(groups) if isinstance(per_language[k], UseNgramModel)]
    use_rows = [i for k in use_keys for i in groups[k]]
    embedded = load_use().embed([texts[i] or "" for i in use_rows]) if use_rows else None
    at = 0
    for key in sorted(groups):
        rows = groups[key]
        some = [texts[i] or "" for i in rows]
        model_of = per_language[key]
        if embedded is not None and key in use_keys:
            got = _labels_of(model_of.probabilities(some, embeddings=embedded[at : at + len(rows)]))
            at += len(rows)
        else:
            got = model_of.predict_many(some)
        for i, label in zip(rows, got, strict=True):
            out[i] = label
            models[i] = model_of.label
    return out, languages, models


_NEUTRAL = Label(sentiment="neutral", score=0.0)
"""A placeholder, replaced in every row before :func:`label_texts` returns."""


def base_probabilities(model: str, texts: Sequence[str]) -> tuple[str, np.ndarray]:
    """``(model label, class probabilities)`` of the ``fast`` or ``accurate`` model."""
    label, _ = sentiment_model(model)
    if model == "fast":
        fast = load_fast()
        probs = np.array([fast.scores(t or "") for t in texts], dtype=np.float64)
        return label, probs.reshape(len(texts), 3)
    from goodwill.text.accurate import load_accurate

    return label, load_accurate().probabilities(texts)


def _labels_of(probs: np.ndarray) -> list[Label]:
    return [
        Label(sentiment=SENTIMENTS[int(np.argmax(p))], score=round(float(p[2] - p[0]), 4) + 0.0)
        for p in probs
    ]


def latest_adaptation(wh: Warehouse, base_model: str) -> Adaptation | None:
    """The newest adaptation of ``base_model`` (``name@version``) in the warehouse, if any."""
    found = duck.latest_adaptation_version(wh.con, base_model)
    if found is None:
        return None
    rows = duck.adaptation_weights(wh.con, found)
    version = found.removeprefix(base_model + "+")
    deltas = {str(f): (float(a), float(b), float(c)) for f, a, b, c in rows}
    return Adaptation(base_model=base_model, version=version, deltas=deltas)


def adapt_from_corrections(wh: Warehouse, *, model: str = "fast") -> Adaptation | None:
    """Fit and store a brand adaptation of ``model`` on the sentiment corrections.

    Anchors (:mod:`goodwill.text.adapt`): up to ``5,000`` uncorrected interaction texts with
    their base-model probabilities. ``None`` when no correction has a sentiment or no
    correction has a content feature to learn from."""
    corrected = duck.corrected_texts(wh.con)
    if not corrected:
        return None
    anchors = duck.uncorrected_texts(wh.con, 5000)
    texts = [str(t) for t, _ in corrected]
    base_label, probs = base_probabilities(model, texts)
    _, anchor_probs = base_probabilities(model, anchors)
    count = duck.adaptation_count(wh.con, base_label)
    adaptation = fit_adaptation(
        texts,
        [SENTIMENTS.index(str(s)) for _, s in corrected],
        probs,
        base_model=base_label,
        version=f"brand{int(count) + 1}",
        frequent=frequent_features(anchors),
        anchor_texts=anchors,
        anchor_probs=anchor_probs,
    )
    if not adaptation.deltas:
        return None
    now = datetime.now(UTC).replace(tzinfo=None)
    with wh.transaction():
        duck.insert_adaptation_rows(
            wh.con,
            [
                [adaptation.label, base_label, f, d[0], d[1], d[2], len(texts), now]
                for f, d in sorted(adaptation.deltas.items())
            ],
        )
    return adaptation


def enrich_labels(
    wh: Warehouse,
    *,
    model: str = "fast",
    relabel: bool = True,
    adapted: bool = True,
    language: str | None = None,
) -> int:
    """Label the text interactions; returns how many rows were written.

    With ``relabel=False`` only interactions without a label yet are labelled. With
    ``adapted`` (the default) the newest brand adaptation of the model, if any, adjusts the
    labels of the texts the English model reads and ``model`` records its version. Each
    text's language is detected unless ``language`` is given (:func:`label_texts`)."""
    model_label, _ = sentiment_model(model)
    check_language(language)
    adaptation = latest_adaptation(wh, model_label) if adapted else None
    rows = duck.texts_to_label(wh.con, relabel=relabel)
    if not rows:
        return 0
    texts = [text for _, _, text in rows]
    english: Callable[[Sequence[str]], list[Label]] | None = None
    if adaptation is not None:
        found = adaptation

        def english(chunk: Sequence[str]) -> list[Label]:
            return _labels_of(found.adjust(chunk, base_probabilities(model, chunk)[1]))

    labels, languages, models = label_texts(texts, model=model, language=language, english=english)
    if adaptation is not None:
        models = [adaptation.label if m == model_label else m for m in models]
    now = datetime.now(UTC).replace(tzinfo=None)
    table = pa.table(
        {
            "platform": [r[0] for r in rows],
            "interaction_id": [r[1] for r in rows],
            "sentiment": [lab.sentiment for lab in labels],
            "sentiment_score": [lab.score for lab in labels],
            "intent": [intent_of(r[2], lab) for r, lab in zip(rows, labels, strict=True)],
            "model": models,
            "labelled_at": pa.array([now] * len(rows), pa.timestamp("us")),
            "language": languages,
        }
    )
    with wh.transaction():
        duck.insert_labels(wh.con, table)
    return len(rows)


def add_correction(
    wh: Warehouse,
    platform: str,
    interaction_id: str,
    *,
    sentiment: str | None = None,
    intent: str | None = None,
    note: str | None = None,
) -> None:
    """Record a person's correction and apply it to ``interaction_labels`` at once."""
    if sentiment is None and intent is None:
        raise UserInputError("give --sentiment and/or --intent to correct a label")
    if sentiment is not None and sentiment not in SENTIMENTS:
        raise UserInputError(f"--sentiment {sentiment!r}: expected {', '.join(SENTIMENTS)}")
    if intent is not None and intent not in INTENTS:
        raise UserInputError(f"--intent {intent!r}: expected {', '.join(INTENTS)}")
    found = duck.interaction_text(wh.con, platform, interaction_id)
    if found is None:
        raise UserInputError(
            f"no interaction {interaction_id!r} on platform {platform!r}; "
            "check the platform and the interaction_id"
        )
    now = datetime.now(UTC).replace(tzinfo=None)
    with wh.transaction():
        old = duck.label_correction(wh.con, platform, interaction_id)
        if old is not None:
            sentiment = sentiment or old[0]
            intent = intent or old[1]
            note = note or old[2]
        duck.store_label_correction(
            wh.con, [platform, interaction_id, sentiment, intent, now, note]
        )
    _relabel_one(wh, platform, interaction_id, found[0])


def _relabel_one(wh: Warehouse, platform: str, interaction_id: str, text: str | None) -> None:
    (label,), (language,), (model_label,) = label_texts([text or ""])
    now = datetime.now(UTC).replace(tzinfo=None)
    table = pa.table(
        {
            "platform": [platform],
            "interaction_id": [interaction_id],
            "sentiment": [label.sentiment],
            "sentiment_score": [label.score],
            "intent": [intent_of(text or "", label)],
            "model": [model_label],
            "labelled_at": pa.array([now], pa.timestamp("us")),
            "language": [language],
        }
    )
    with wh.transaction():
        duck.insert_labels(wh.con, table)
