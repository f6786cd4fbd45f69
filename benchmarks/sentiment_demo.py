"""Listening and care on the demo business, against the simulator's planted truth.

    .venv/bin/python benchmarks/sentiment_demo.py [--people 1000 --months 6] [--embedding]

Simulates the demo, imports it, labels every text interaction with the fast model, then
prints: sentiment and intent accuracy on the brand's inbound messages (truth: the simulator's
per-interaction labels; its ``neutral`` intent is our ``other``), key-message pull-through
(char-tfidf, and embeddings with ``--embedding``) against the planted counts with precision and
recall per message, and the care numbers against the planted ones.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import pandas as pd

from goodwill.enrich.sentiment import enrich_labels
from goodwill.importer import import_paths
from goodwill.metrics import MetricParams, run_query
from goodwill.metrics.reputation import labelled_mentions
from goodwill.simulate import DemoSpec, simulate
from goodwill.text.pullthrough import pull_through, similarity
from goodwill.warehouse import Warehouse


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--embedding", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        simulate(DemoSpec(people=args.people, months=args.months), out / "demo")
        truth = json.loads((out / "demo" / "ground_truth.json").read_text())
        with Warehouse.open(out / "g.duckdb") as wh:
            import_paths(wh, [out / "demo"], show_progress=False)
            start = time.perf_counter()
            n = enrich_labels(wh)
            print(f"labelled {n} interactions in {time.perf_counter() - start:.2f} s")
            backend = wh.ibis()
            mentions = backend.execute(labelled_mentions(backend, MetricParams()))
            messages = backend.execute(backend.table("key_messages"))
            care = run_query("care", backend, MetricParams(by="month"))
            threads_sql = "SELECT count(*) FROM interaction_labels WHERE intent = 'complaint'"
            print("complaints labelled:", wh.query(threads_sql)[0][0])
    labels = truth["sentiment"]["labels"]
    mentions["key"] = mentions.platform + ":" + mentions.interaction_id
    mentions = mentions[mentions.key.isin(labels)].copy()
    parts = mentions.key.map(labels).str.split("|")
    mentions["true_intent"] = parts.str[1].replace({"neutral": "other"})
    mentions["true_sentiment"] = parts.str[2]
    mentions["true_message"] = parts.str[3]
    brand = mentions[mentions.owner == "brand"]
    print(f"\nbrand inbound messages with truth: {len(brand)}")
    print(f"sentiment accuracy: {(brand.sentiment == brand.true_sentiment).mean():.1%}")
    print(f"intent accuracy:    {(brand.intent == brand.true_intent).mean():.1%}")
    print(pd.crosstab(brand.true_intent, brand.intent).to_string())
    methods = ["char-tfidf", *(["embedding"] if args.embedding else [])]
    print("\nkey-message pull-through (planted counts: " + json.dumps(truth["pull_through"]) + ")")
    for method in methods:
        start = time.perf_counter()
        table = pull_through(brand, messages, method=method)
        sims = similarity(brand.text.fillna("").tolist(), messages.text.tolist(), method)
        seconds = time.perf_counter() - start
        for j, row in enumerate(table.itertuples()):
            carried = sims[:, j] >= {"char-tfidf": 0.25, "embedding": 0.40}[method]
            true = (brand.true_message == row.message_id).to_numpy()
            tp = int((carried & true).sum())
            print(
                f"  {method:10s} {row.message_id:18s} found {row.carrying:4d} "
                f"(planted {int(true.sum()):4d}; precision {tp / max(carried.sum(), 1):.0%}, "
                f"recall {tp / max(true.sum(), 1):.0%}) share {row.share:.1%} "
                f"net sentiment {row.net_sentiment:.2f}"
            )
        print(f"  {method}: {seconds:.1f} s")
    c = truth["care"]
    totals = care.sum(numeric_only=True)
    print("\ncare (goodwill vs planted):")
    print(f"  complaints {int(totals.complaints)} vs {c['complaints']}")
    print(
        f"  answered {int(totals.answered)} of {int(totals.needing_answer)} needing an answer; "
        f"planted answered {c['answered']} + {c['questions_answered']} of "
        f"{c['complaints']} complaints + {c['questions']} questions"
    )
    print(f"  resolved {int(totals.resolved)} vs planted {c['complaints_resolved']}")
    print(care.to_string())


if __name__ == "__main__":
    main()
