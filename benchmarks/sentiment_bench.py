"""Sentiment and complaint-detection benchmark: goodwill's models against VADER.

    .venv/bin/pip install 'vaderSentiment>=3.3,<4'     # benchmark-only dependency
    .venv/bin/python benchmarks/sentiment_bench.py

Data (read from ../shared/data, never copied):

* TweetEval sentiment, validation split (2,000 tweets). The fast model is trained on SemEval
  2013–2016 *minus* the ids of these tweets (``tweeteval_val_overlap_ids.txt``).
* Twitter US Airline Sentiment, shared 70 % split (10,247 tweets). No model is trained on any
  airline row.

Printed: macro-averaged recall (the TweetEval metric) and accuracy per model and data set,
throughput in texts/s (single process; the fast model and VADER timed on the same 12,247 texts
in interleaved runs, best of ``--repeats``, so that other load on the machine hurts both alike;
texts per wall-clock second and per CPU second of the process, the latter robust to a shared
machine; BLAS threads count in CPU time),
and complaint detection on the airline data
(truth: negative with a ``negativereason``; prediction: ``intent == complaint``).
VADER's label: compound ≥ 0.05 positive, ≤ −0.05 negative, else neutral (its authors' rule).
"""

from __future__ import annotations

import argparse
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


def accurate_cached() -> Predictor:
    """The accurate model with the encoder's output read from the training embedding cache
    (``build/embeddings``, filled on first use): the same labels, for scoring the full sets
    without re-encoding them on every run. Its speed is measured separately, uncached."""
    from goodwill.text.accurate import load_accurate
    from goodwill.text.train import cached_embeddings

    model = load_accurate()

    def predict(texts: list[str]) -> list[Label]:
        probs = model.probabilities(texts, embeddings=cached_embeddings(texts))
        return [
            Label(sentiment=SENTIMENTS[int(p.argmax())], score=round(float(p[2] - p[0]), 4))
            for p in probs
        ]

    return predict


def timed(predict: Predictor, texts: list[str]) -> tuple[list[Label], float, float]:
    """Predictions, wall-clock seconds and CPU seconds of this process."""
    start, cpu = time.perf_counter(), time.process_time()
    out = predict(texts)
    return out, time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="timing runs of the fast models")
    parser.add_argument("--no-accurate", action="store_true", help="skip the accurate model")
    parser.add_argument(
        "--accurate-sample",
        type=int,
        default=1000,
        help="texts timed through the accurate model's encoder (its labels use the cache)",
    )
    args = parser.parse_args()
    models: dict[str, Predictor] = {"fast (goodwill)": load_fast().predict_many}
    vader = vader_model()
    if vader is not None:
        models["VADER 3.3.2"] = vader
    te_texts, te_labels = tweeteval()
    al_texts, al_labels, al_complaint = airline()
    everything = te_texts + al_texts
    # throughput: the same texts, runs interleaved model by model, best of N (least disturbed)
    seconds = {name: float("inf") for name in models}
    cpu = {name: float("inf") for name in models}
    for _ in range(args.repeats):
        for name, predict in models.items():
            _, wall, used = timed(predict, everything)
            seconds[name] = min(seconds[name], wall)
            cpu[name] = min(cpu[name], used)
    if not args.no_accurate:
        acc = accurate_model()
        if acc is not None:
            sample = everything[:: max(1, len(everything) // args.accurate_sample)]
            _, wall, used = timed(acc, sample)
            models["accurate (goodwill)"] = accurate_cached()
            seconds["accurate (goodwill)"] = wall * len(everything) / len(sample)
            cpu["accurate (goodwill)"] = used * len(everything) / len(sample)
    table = Table(title="Sentiment: macro-recall / accuracy / throughput")
    for col in (
        "model",
        "TweetEval val MR",
        "TweetEval val acc",
        "airline MR",
        "airline acc",
        "texts/s",
        "texts/CPU-s",
        "complaint P",
        "complaint R",
        "complaint F1",
    ):
        table.add_column(col, justify="right")
    for name, predict in models.items():
        te_pred, te_s, te_cpu = timed(predict, te_texts)
        al_pred, al_s, al_cpu = timed(predict, al_texts)
        if not name.startswith("accurate"):
            seconds[name] = min(seconds[name], te_s + al_s)
            cpu[name] = min(cpu[name], te_cpu + al_cpu)
        te_idx = [SENTIMENTS.index(p.sentiment) for p in te_pred]
        al_idx = [SENTIMENTS.index(p.sentiment) for p in al_pred]
        te_acc = sum(a == b for a, b in zip(te_idx, te_labels, strict=True)) / len(te_labels)
        al_acc = sum(a == b for a, b in zip(al_idx, al_labels, strict=True)) / len(al_labels)
        flagged = [intent_of(t, p) == "complaint" for t, p in zip(al_texts, al_pred, strict=True)]
        tp = sum(f and c for f, c in zip(flagged, al_complaint, strict=True))
        prec = tp / max(sum(flagged), 1)
        rec = tp / max(sum(al_complaint), 1)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        table.add_row(
            name,
            f"{100 * macro_recall(te_labels, te_idx):.1f}",
            f"{100 * te_acc:.1f}",
            f"{100 * macro_recall(al_labels, al_idx):.1f}",
            f"{100 * al_acc:.1f}",
            f"{len(everything) / seconds[name]:,.0f}",
            f"{len(everything) / cpu[name]:,.0f}",
            f"{100 * prec:.1f}",
            f"{100 * rec:.1f}",
            f"{100 * f1:.1f}",
        )
    Console().print(table)
    print(
        f"texts/s: {len(everything):,} texts (both sets), one process; fast and VADER best of "
        f"{args.repeats} interleaved runs (plus the scoring run); accurate: one run over "
        f"an evenly spaced sample of ~{args.accurate_sample} texts (encoder + head)"
    )
    if "VADER 3.3.2" in seconds:
        ratio = seconds["VADER 3.3.2"] / seconds["fast (goodwill)"]
        ratio_cpu = cpu["VADER 3.3.2"] / cpu["fast (goodwill)"]
        print(f"fast / VADER throughput: {ratio:.1f}x wall-clock, {ratio_cpu:.1f}x CPU time")
    print("complaint columns: the fast model's intent rules fed with each model's sentiment")


if __name__ == "__main__":
    main()
