"""Care metrics on real customer-support threads (TWCS), goodwill vs an independent pandas count.

    .venv/bin/python benchmarks/care_twcs.py

Data: ``../shared/data/twcs-customer-support/twcs_head5000.csv`` (first 5,000 rows of the
Kaggle "Customer Support on Twitter" set). Steps:

1. Read it with pandas; rows that do not parse (the record split by bare carriage returns) are
   counted and left out of both computations.
2. goodwill: write ``accounts.csv`` (every author of an outbound tweet is a brand account) and
   ``interactions.csv`` (inbound replies/mentions, outbound replies with ``in_reply_to``), import
   them with the importer, and run the ``care`` query per month and account (no labels, so every
   inbound message to a brand needs an answer).
3. pandas, independently: the addressed brand of an inbound tweet is the author of the tweet it
   answers, else its first @mention of a brand; a tweet's responses are read from the *other*
   link, ``response_tweet_id``; first response = the earliest response authored by that brand.

Printed: per brand (top 12 by volume) needing-answer count, response rate, median and p90
first response time from both, and whether they agree; then the ``care_agents`` query (agent =
the ``^AB`` signature of the first answer) against the same count in pandas, and the busiest
agents' first response times in wall-clock and business hours (default calendar, Mon–Fri
09:00–17:00 UTC).

Then **complaint detection out of domain** (the complaint cues were written on airline tweets).
The truth is a rule fixed before any result was looked at (:func:`complaint_truth`): an inbound
tweet that opens a thread (answers no tweet) and that a brand answered is a *complaint* when
the brand's first answer apologises or promises to fix (``sorry``, ``apologi[sz]e``,
``apologies``, ``unfortunately``, ``inconvenience``, ``frustrat``, ``let's fix``, ``look into``,
``troubleshoot``), else *not a complaint*. It is a silver label (a brand may apologise to a
question), so precision and recall are read against it, not as absolute truth. Printed:
precision, recall, F1 of ``intent == complaint`` from the fast model's sentiment and the intent
rules, with the base rate.

Then **complaint detection in other languages**: every inbound tweet of the file whose detected
language is Spanish, French, German, Italian or Portuguese (48 tweets; too few thread openers
answered in those languages for the apology rule), labelled by hand by this rule, written down
before any prediction on them was looked at (:data:`NON_ENGLISH_COMPLAINTS`):

    A tweet is a complaint when its author reports that something the brand sold or runs
    failed or went wrong for them (not delivered or received, charged or billed wrongly, a
    payment refused, an account stolen or blocked, a device, app or stream that misbehaves,
    late or slow, a bad stay or poor service), or states dissatisfaction with the brand.
    A question or request is a complaint only when it reports such a failure. Thanks, praise,
    acknowledgements ("ok", "done", "ya los sigo"), contests and promotions, and how-to
    questions that report no failure are not complaints. When unsure: not a complaint.

Printed: precision and recall of ``intent == complaint`` (language detected, sentiment by that
language's model, the intent rules with their multilingual cues) against these labels.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from goodwill.importer import import_paths
from goodwill.metrics import MetricParams, run_query
from goodwill.warehouse import Warehouse

SOURCE = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "twcs-customer-support"
    / "twcs_head5000.csv"
)
_MENTION = re.compile(r"@(\w+)")
_SIGNATURE = re.compile(r"\^([A-Za-z]{2,4})\b")


def read_twcs() -> tuple[pd.DataFrame, int]:
    raw = pd.read_csv(SOURCE, dtype=str, keep_default_na=False)
    ok = raw.tweet_id.str.fullmatch(r"\d+") & raw.inbound.isin(["True", "False"])
    frame = raw[ok].copy()
    frame["created"] = pd.to_datetime(
        frame.created_at, format="%a %b %d %H:%M:%S %z %Y", errors="coerce"
    )
    bad = frame.created.isna()
    frame = frame[~bad].copy()
    frame["created"] = frame.created.dt.tz_convert("UTC").dt.tz_localize(None)
    frame["inbound_b"] = frame.inbound == "True"
    frame["reply_to"] = frame.in_response_to_tweet_id.str.replace(r"\.0$", "", regex=True)
    return frame, int((~ok).sum() + bad.sum())


def addressed(frame: pd.DataFrame, brands: set[str]) -> pd.Series:
    """The brand (or person) each tweet is addressed to."""
    author = dict(zip(frame.tweet_id, frame.author_id, strict=True))
    out = []
    for text, reply_to, inbound in zip(frame.text, frame.reply_to, frame.inbound_b, strict=True):
        target = author.get(reply_to) if reply_to else None
        if inbound and target not in brands:
            target = next((m for m in _MENTION.findall(text) if m.lower() in brands), None)
        if target is None:
            mentions = _MENTION.findall(text)
            target = mentions[0] if mentions else "unknown"
        out.append(target.lower())
    return pd.Series(out, index=frame.index)


def goodwill_care(
    frame: pd.DataFrame, brands: set[str], folder: Path
) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    target = addressed(frame, brands)
    interactions = pd.DataFrame(
        {
            "platform": "x",
            "interaction_id": frame.tweet_id,
            "created_at": frame.created.dt.strftime("%Y-%m-%dT%H:%M:%S"),
            "kind": ["reply" if r else "mention" for r in frame.reply_to],
            "direction": ["inbound" if i else "outbound" for i in frame.inbound_b],
            "actor_handle": frame.author_id,
            "target_handle": target,
            "in_reply_to": frame.reply_to,
            "text": frame.text,
        }
    )
    interactions.to_csv(folder / "interactions.csv", index=False)
    pd.DataFrame({"platform": "x", "handle": sorted(brands), "owner": "brand"}).to_csv(
        folder / "accounts.csv", index=False
    )
    start = time.perf_counter()
    with Warehouse.open(folder / "twcs.duckdb") as wh:
        import_paths(
            wh, [folder / "accounts.csv", folder / "interactions.csv"], show_progress=False
        )
        care = run_query("care", wh.ibis(), MetricParams(by="month"))
        agents = run_query("care_agents", wh.ibis(), MetricParams())
    return care, agents, time.perf_counter() - start


def pandas_care(frame: pd.DataFrame, brands: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    author = dict(zip(frame.tweet_id, frame.author_id.str.lower(), strict=True))
    created = dict(zip(frame.tweet_id, frame.created, strict=True))
    texts = dict(zip(frame.tweet_id, frame.text, strict=True))
    rows = []
    for text, reply_to, inbound, when, responses in zip(
        frame.text,
        frame.reply_to,
        frame.inbound_b,
        frame.created,
        frame.response_tweet_id,
        strict=True,
    ):
        if not inbound:
            continue
        brand = author.get(reply_to) if reply_to else None
        if brand not in brands:
            brand = next((m.lower() for m in _MENTION.findall(text) if m.lower() in brands), None)
        if brand is None:
            continue
        times = sorted(
            (created[r], r)
            for r in (x.strip() for x in responses.split(",") if x.strip())
            if r in created and author[r] == brand
        )
        first = times[0][0] if times else None
        hours = (first - when).total_seconds() / 3600 if first is not None else None
        signed = _SIGNATURE.search(texts[times[0][1]]) if times else None
        rows.append(
            {
                "period": when.date().replace(day=1),
                "account": brand,
                "hours": hours,
                "agent": signed.group(1) if signed else "unknown",
            }
        )
    df = pd.DataFrame(rows)
    agents = (
        df[df.hours.notna()]
        .groupby(["account", "agent"])
        .size()
        .rename("answered_pd")
        .reset_index()
    )
    return agents, (
        df.groupby(["period", "account"])
        .agg(
            needing_answer=("hours", "size"),
            answered=("hours", "count"),
            frt_median_hours=("hours", lambda s: s.dropna().quantile(0.5)),
            frt_p90_hours=("hours", lambda s: s.dropna().quantile(0.9)),
        )
        .reset_index()
    )


_APOLOGY = re.compile(
    r"\b(?:sorry|apologi[sz]e\w*|apologies|unfortunately|inconvenience|frustrat\w*|"
    r"let'?s fix|look into|troubleshoot\w*)",
    re.IGNORECASE,
)


def complaint_truth(frame: pd.DataFrame) -> pd.DataFrame:
    """Thread-opening inbound tweets a brand answered, with ``complaint`` by the module's rule
    (the brand's first answer apologises or promises a fix)."""
    by_id = frame.set_index("tweet_id")
    rows = []
    for r in frame[frame.inbound_b & (frame.reply_to == "")].itertuples():
        answers = [
            a
            for a in str(r.response_tweet_id or "").split(",")
            if a in by_id.index and not bool(by_id.at[a, "inbound_b"])
        ]
        if not answers:
            continue
        first = min(answers, key=lambda a: by_id.at[a, "created"])
        rows.append(
            {"text": r.text, "complaint": bool(_APOLOGY.search(str(by_id.at[first, "text"])))}
        )
    return pd.DataFrame(rows)


def complaint_check(frame: pd.DataFrame) -> None:
    from goodwill.enrich.sentiment import label_texts
    from goodwill.text.intent import intent_of

    truth = complaint_truth(frame)
    labels, languages, _ = label_texts(truth.text.tolist())
    flagged = [intent_of(t, lab) == "complaint" for t, lab in zip(truth.text, labels, strict=True)]
    actual = truth.complaint.tolist()
    tp = sum(f and a for f, a in zip(flagged, actual, strict=True))
    prec, rec = tp / max(sum(flagged), 1), tp / max(sum(actual), 1)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print(
        f"complaint detection out of domain (TWCS, {len(truth)} answered thread openers, "
        f"{sum(actual)} complaints by the apology rule = {sum(actual) / len(truth):.0%}; "
        f"{sum(x != 'en' for x in languages)} not detected as English): "
        f"precision {100 * prec:.1f}, recall {100 * rec:.1f}, F1 {100 * f1:.1f}"
    )


NON_ENGLISH_COMPLAINTS: dict[str, bool] = {
    **dict.fromkeys(
        [
            "306",
            "624",
            "747",
            "1458",
            "1612",
            "2253",
            "2260",
            "2262",
            "2264",
            "2266",
            "3402",
            "3579",
            "3737",
            "3740",
            "3744",
            "4813",
            "4947",
            "5319",
            "5580",
            "5777",
            "5778",
            "5779",
            "5781",
            "5833",
            "6944",
            "6946",
        ],
        True,
    ),
    **dict.fromkeys(
        [
            "623",
            "662",
            "2198",
            "2252",
            "3401",
            "3437",
            "3736",
            "4540",
            "4857",
            "4946",
            "4950",
            "4952",
            "4964",
            "5293",
            "5298",
            "5317",
            "5461",
            "5463",
            "5578",
            "5651",
            "5782",
            "6945",
        ],
        False,
    ),
}
"""Hand labels (the module docstring's rule) of the inbound es/fr/de/it/pt tweets, by
``tweet_id``."""


def precision_recall(flagged: list[bool], actual: list[bool]) -> tuple[float, float]:
    """``(TP / flagged, TP / actual)``."""
    tp = sum(f and a for f, a in zip(flagged, actual, strict=True))
    return tp / max(sum(flagged), 1), tp / max(sum(actual), 1)


def non_english_complaint_check(frame: pd.DataFrame) -> None:
    from goodwill.enrich.sentiment import label_texts
    from goodwill.text.intent import intent_of

    rows = frame[frame.tweet_id.isin(list(NON_ENGLISH_COMPLAINTS))]
    texts = rows.text.tolist()
    labels, languages, _ = label_texts(texts)
    flagged = [intent_of(t, lab) == "complaint" for t, lab in zip(texts, labels, strict=True)]
    actual = [NON_ENGLISH_COMPLAINTS[i] for i in rows.tweet_id]
    prec, rec = precision_recall(flagged, actual)
    by_language: dict[str, list[int]] = {}
    for k, lang in enumerate(languages):
        by_language.setdefault(lang, []).append(k)
    parts = ", ".join(f"{lang} {len(ks)}" for lang, ks in sorted(by_language.items()))
    print(
        f"complaint detection in other languages (TWCS inbound, {len(texts)} tweets: {parts}; "
        f"{sum(actual)} complaints by hand): precision {100 * prec:.1f}, recall {100 * rec:.1f}"
    )


def main() -> None:
    frame, dropped = read_twcs()
    brands = set(frame.loc[~frame.inbound_b, "author_id"].str.lower())
    with tempfile.TemporaryDirectory() as tmp:
        ours, our_agents, seconds = goodwill_care(frame, brands, Path(tmp))
    their_agents, theirs = pandas_care(frame, brands)
    merged = ours.merge(theirs, on=["period", "account"], how="outer", suffixes=("", "_pd"))
    merged["agree"] = (
        (merged.needing_answer == merged.needing_answer_pd)
        & (merged.answered == merged.answered_pd)
        & ((merged.frt_median_hours - merged.frt_median_hours_pd).abs().fillna(0) < 1e-6)
        & ((merged.frt_p90_hours - merged.frt_p90_hours_pd).abs().fillna(0) < 1e-6)
    )
    totals = merged.groupby("account").needing_answer.sum().sort_values(ascending=False)
    table = Table(
        title=f"TWCS care metrics, October 2017 (goodwill import+metrics {seconds:.1f} s)"
    )
    for col in (
        "brand",
        "needing answer",
        "response rate",
        "FRT median h (gw / pandas)",
        "FRT p90 h (gw / pandas)",
        "agree",
    ):
        table.add_column(col, justify="right")
    october = merged[merged.period.astype(str) == "2017-10-01"].set_index("account")
    for brand in totals.index[:12]:
        if brand not in october.index:
            continue
        r = october.loc[brand]
        table.add_row(
            brand,
            f"{r.needing_answer:.0f}",
            f"{r.response_rate:.1%}",
            f"{r.frt_median_hours:.2f} / {r.frt_median_hours_pd:.2f}",
            f"{r.frt_p90_hours:.2f} / {r.frt_p90_hours_pd:.2f}",
            "yes" if r.agree else "NO",
        )
    Console(width=140).print(table)
    print(merged[~merged.agree].to_string())
    print(
        f"rows left out (unparseable): {dropped}; (month, brand) groups: {len(merged)}, "
        f"agreeing on all four numbers: {int(merged.agree.sum())}"
    )
    both = our_agents.merge(their_agents, on=["account", "agent"], how="outer")
    same = (both.answered.fillna(-1) == both.answered_pd.fillna(-2)).sum()
    signed = our_agents[our_agents.agent != "unknown"]
    print(
        f"agents (^AB signatures): {len(signed)} (brand, agent) pairs answering "
        f"{int(signed.answered.sum())} of {int(our_agents.answered.sum())} answered messages; "
        f"answered count per (brand, agent) agrees with pandas for {same} of {len(both)}"
    )
    top = signed.sort_values("answered", ascending=False).head(8)
    agent_table = Table(title="Busiest signed agents: first response, wall-clock vs business hours")
    for col in ("brand", "agent", "answered", "FRT median h", "FRT business median h"):
        agent_table.add_column(col, justify="right")
    for r in top.itertuples():
        agent_table.add_row(
            str(r.account),
            str(r.agent),
            str(r.answered),
            f"{r.frt_median_hours:.2f}",
            f"{r.frt_business_median_hours:.2f}",
        )
    Console(width=140).print(agent_table)
    complaint_check(frame)
    non_english_complaint_check(frame)


if __name__ == "__main__":
    main()
