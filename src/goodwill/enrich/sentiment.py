"""The sentiment/intent enricher: labels every text interaction, recording the model.

``enrich_labels(wh)`` reads the interactions that carry text, labels them with a sentiment
model (the fast lexicon by default) and the intent rules, and writes
``interaction_labels(platform, interaction_id, sentiment, sentiment_score, intent, model,
labelled_at)``. A row of ``label_corrections`` wins over the model: its sentiment and/or intent
replace the model's, and ``model`` reads ``correction`` (over ``name@version``). Re-running it
relabels everything (idempotent: ``INSERT OR REPLACE`` on the key). Values travel as a
registered Arrow table, never formatted into SQL.

``adapt_from_corrections(wh)`` (``goodwill train-sentiment --from-corrections``) fits a brand
adaptation of the model on the sentiment corrections (:mod:`goodwill.text.adapt`) and stores
it in ``sentiment_adaptations`` under a new ``model_version`` (``fast-lexicon@1+brand2``);
``enrich_labels`` then uses the newest adaptation of its model and records that version in
``interaction_labels.model``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Final

import numpy as np
import pyarrow as pa

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
    "latest_adaptation",
    "sentiment_model",
]

_VIEW: Final = "_goodwill_new_labels"
_INSERT: Final = f"""
INSERT OR REPLACE INTO interaction_labels
SELECT n.platform, n.interaction_id,
       coalesce(c.sentiment, n.sentiment),
       CASE WHEN c.sentiment IS NULL OR c.sentiment = n.sentiment THEN n.sentiment_score
            WHEN c.sentiment = 'positive' THEN 1 WHEN c.sentiment = 'negative' THEN -1 ELSE 0 END,
       coalesce(c.intent, n.intent),
       CASE WHEN c.platform IS NULL THEN n.model ELSE 'correction' END,
       n.labelled_at
FROM {_VIEW} n
LEFT JOIN label_corrections c USING (platform, interaction_id)
"""


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
    found = wh.con.execute(
        "SELECT model_version FROM sentiment_adaptations WHERE base_model = ? "
        "ORDER BY created_at DESC, model_version DESC LIMIT 1",
        [base_model],
    ).fetchone()
    if found is None:
        return None
    rows = wh.con.execute(
        "SELECT feature, w_negative, w_neutral, w_positive FROM sentiment_adaptations "
        "WHERE model_version = ?",
        [found[0]],
    ).fetchall()
    version = str(found[0]).removeprefix(base_model + "+")
    deltas = {str(f): (float(a), float(b), float(c)) for f, a, b, c in rows}
    return Adaptation(base_model=base_model, version=version, deltas=deltas)


def adapt_from_corrections(wh: Warehouse, *, model: str = "fast") -> Adaptation | None:
    """Fit and store a brand adaptation of ``model`` on the sentiment corrections.

    Anchors (:mod:`goodwill.text.adapt`): up to ``5,000`` uncorrected interaction texts with
    their base-model probabilities. ``None`` when no correction has a sentiment or no
    correction has a content feature to learn from."""
    corrected = wh.con.execute(
        "SELECT i.text, c.sentiment FROM label_corrections c JOIN interactions i "
        "USING (platform, interaction_id) WHERE c.sentiment IS NOT NULL AND i.text IS NOT NULL "
        "ORDER BY c.platform, c.interaction_id"
    ).fetchall()
    if not corrected:
        return None
    anchors = [
        str(r[0])
        for r in wh.con.execute(
            "SELECT text FROM interactions i WHERE text IS NOT NULL AND NOT EXISTS ("
            "SELECT 1 FROM label_corrections c WHERE c.platform = i.platform "
            "AND c.interaction_id = i.interaction_id AND c.sentiment IS NOT NULL) "
            "ORDER BY hash(platform || interaction_id) LIMIT 5000"
        ).fetchall()
    ]
    texts = [str(t) for t, _ in corrected]
    base_label, probs = base_probabilities(model, texts)
    _, anchor_probs = base_probabilities(model, anchors)
    (count,) = wh.con.execute(
        "SELECT count(DISTINCT model_version) FROM sentiment_adaptations WHERE base_model = ?",
        [base_label],
    ).fetchone() or (0,)
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
        wh.con.executemany(
            "INSERT INTO sentiment_adaptations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [adaptation.label, base_label, f, d[0], d[1], d[2], len(texts), now]
                for f, d in sorted(adaptation.deltas.items())
            ],
        )
    return adaptation


def enrich_labels(
    wh: Warehouse, *, model: str = "fast", relabel: bool = True, adapted: bool = True
) -> int:
    """Label the text interactions; returns how many rows were written.

    With ``relabel=False`` only interactions without a label yet are labelled. With
    ``adapted`` (the default) the newest brand adaptation of the model, if any, adjusts the
    labels and ``model`` records its version."""
    model_label, predict = sentiment_model(model)
    adaptation = latest_adaptation(wh, model_label) if adapted else None
    sql = "SELECT platform, interaction_id, text FROM interactions i WHERE text IS NOT NULL"
    if not relabel:
        sql += (
            " AND NOT EXISTS (SELECT 1 FROM interaction_labels l WHERE l.platform = i.platform"
            " AND l.interaction_id = i.interaction_id)"
        )
    rows = wh.con.execute(sql).fetchall()
    if not rows:
        return 0
    texts = [text for _, _, text in rows]
    if adaptation is None:
        labels = predict(texts)
    else:
        labels = _labels_of(adaptation.adjust(texts, base_probabilities(model, texts)[1]))
        model_label = adaptation.label
    now = datetime.now(UTC).replace(tzinfo=None)
    table = pa.table(
        {
            "platform": [r[0] for r in rows],
            "interaction_id": [r[1] for r in rows],
            "sentiment": [lab.sentiment for lab in labels],
            "sentiment_score": [lab.score for lab in labels],
            "intent": [intent_of(r[2], lab) for r, lab in zip(rows, labels, strict=True)],
            "model": [model_label] * len(rows),
            "labelled_at": pa.array([now] * len(rows), pa.timestamp("us")),
        }
    )
    with wh.transaction():
        wh.con.register(_VIEW, table)
        try:
            wh.con.execute(_INSERT)
        finally:
            wh.con.unregister(_VIEW)
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
    found = wh.con.execute(
        "SELECT text FROM interactions WHERE platform = ? AND interaction_id = ?",
        [platform, interaction_id],
    ).fetchone()
    if found is None:
        raise UserInputError(
            f"no interaction {interaction_id!r} on platform {platform!r}; "
            "check the platform and the interaction_id"
        )
    now = datetime.now(UTC).replace(tzinfo=None)
    with wh.transaction():
        old = wh.con.execute(
            "SELECT sentiment, intent, note FROM label_corrections WHERE platform = ? "
            "AND interaction_id = ?",
            [platform, interaction_id],
        ).fetchone()
        if old is not None:
            sentiment = sentiment or old[0]
            intent = intent or old[1]
            note = note or old[2]
        wh.con.execute(
            "INSERT OR REPLACE INTO label_corrections VALUES (?, ?, ?, ?, ?, ?)",
            [platform, interaction_id, sentiment, intent, now, note],
        )
    _relabel_one(wh, platform, interaction_id, found[0])


def _relabel_one(wh: Warehouse, platform: str, interaction_id: str, text: str | None) -> None:
    model_label, predict = sentiment_model("fast")
    (label,) = predict([text or ""])
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
        }
    )
    with wh.transaction():
        wh.con.register(_VIEW, table)
        try:
            wh.con.execute(_INSERT)
        finally:
            wh.con.unregister(_VIEW)
