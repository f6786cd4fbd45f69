"""Sentiment and complaint-detection benchmark: goodwill's models against VADER.

    .venv/bin/pip install 'vaderSentiment>=3.3,<4'     # benchmark-only dependency
    .venv/bin/python benchmarks/sentiment_bench.py

Data (read from ../shared/data, never copied):

* TweetEval sentiment, validation split (2,000 tweets). The fast model is trained on SemEval
  2013–2016 *minus* the ids of these tweets (``tweeteval_val_overlap_ids.txt``).
* Twitter US Airline Sentiment, shared 70 % split (10,247 tweets). No model is trained on any
  airline row.

Printed: macro-averaged recall (the TweetEval metric) and accuracy per model and data set,
throughput in texts/s (single process, one core), and complaint detection on the airline data
(truth: negative with a ``negativereason``; prediction: ``intent == complaint``).
VADER's label: compound ≥ 0.05 positive, ≤ −0.05 negative, else neutral (its authors' rule).
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from goodwill.text.fast import load_fast
from goodwill.text.intent import intent_of
from goodwill.text.labels import SENTIMENTS, Label
from goodwill.text.train import macro_recall

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def tweeteval() -> tuple[list[str], list[int]]:
    folder = SHARED / "tweeteval-sentiment"
    texts = (folder / "val_text.txt").read_text(encoding="utf-8").splitlines()
    labels = [int(x) for x in (folder / "val_labels.txt").read_text().split()]
    return texts, labels


def airline() -> tuple[list[str], list[int], list[bool]]:
    texts: list[str] = []
    labels: list[int] = []
    complaint: list[bool] = []
    with open(
        SHARED / "airline-sentiment" / "Tweets_shared.csv", newline="", encoding="utf-8"
    ) as f:
        for row in csv.DictReader(f):
            texts.append(row["text"])
            labels.append(SENTIMENTS.index(row["airline_sentiment"]))
            complaint.append(
                row["airline_sentiment"] == "negative" and bool(row["negativereason"].strip())
            )
    return texts, labels, complaint


Predictor = Callable[[list[str]], list[Label]]


def vader_model() -> Predictor | None:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyzer = SentimentIntensityAnalyzer()

    def predict(texts: list[str]) -> list[Label]:
        out = []
        for text in texts:
            c = float(analyzer.polarity_scores(text)["compound"])
            sentiment = "positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral"
            out.append(Label(sentiment=sentiment, score=c))
        return out

    return predict


def accurate_model() -> Predictor | None:
    from goodwill.enrich.sentiment import sentiment_model
    from goodwill.errors import UserInputError

    try:
        return sentiment_model("accurate")[1]
    except UserInputError as exc:  # the optional extra or the head is missing
        print(f"accurate model skipped: {exc}")
        return None


def run(predict: Predictor, texts: list[str]) -> tuple[list[Label], float]:
    start = time.perf_counter()
    out = predict(texts)
    return out, len(texts) / (time.perf_counter() - start)


def main() -> None:
    models: dict[str, Predictor] = {"fast (goodwill)": load_fast().predict_many}
    acc = accurate_model()
    if acc is not None:
        models["accurate (goodwill)"] = acc
    vader = vader_model()
    if vader is not None:
        models["VADER 3.3.2"] = vader
    te_texts, te_labels = tweeteval()
    al_texts, al_labels, al_complaint = airline()
    table = Table(title="Sentiment: macro-recall / accuracy / throughput")
    for col in (
        "model",
        "TweetEval val MR",
        "TweetEval val acc",
        "airline MR",
        "airline acc",
        "texts/s",
        "complaint P",
        "complaint R",
        "complaint F1",
    ):
        table.add_column(col, justify="right")
    for name, predict in models.items():
        te_pred, te_speed = run(predict, te_texts)
        al_pred, al_speed = run(predict, al_texts)
        te_idx = [SENTIMENTS.index(p.sentiment) for p in te_pred]
        al_idx = [SENTIMENTS.index(p.sentiment) for p in al_pred]
        te_acc = sum(a == b for a, b in zip(te_idx, te_labels, strict=True)) / len(te_labels)
        al_acc = sum(a == b for a, b in zip(al_idx, al_labels, strict=True)) / len(al_labels)
        flagged = [intent_of(t, p) == "complaint" for t, p in zip(al_texts, al_pred, strict=True)]
        tp = sum(f and c for f, c in zip(flagged, al_complaint, strict=True))
        prec = tp / max(sum(flagged), 1)
        rec = tp / max(sum(al_complaint), 1)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        speed = (len(te_texts) + len(al_texts)) / (
            len(te_texts) / te_speed + len(al_texts) / al_speed
        )
        table.add_row(
            name,
            f"{100 * macro_recall(te_labels, te_idx):.1f}",
            f"{100 * te_acc:.1f}",
            f"{100 * macro_recall(al_labels, al_idx):.1f}",
            f"{100 * al_acc:.1f}",
            f"{speed:,.0f}",
            f"{100 * prec:.1f}",
            f"{100 * rec:.1f}",
            f"{100 * f1:.1f}",
        )
    Console().print(table)
    print("complaint columns: the fast model's intent rules fed with each model's sentiment")


if __name__ == "__main__":
    main()
