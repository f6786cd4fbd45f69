"""Alerts: days when mentions of the brand, or negative mentions, spiked above what the series'
own weekly seasonality predicts — with the mentions that caused them.

``MENTION_SERIES`` (Ibis) counts per day and platform the inbound mentions/replies/comments
addressed to brand accounts and how many of them are labelled negative. :func:`detect_spikes`
(pure pandas, no database) then compares each day with the same weekday of the previous
``weeks`` weeks (missing days count as 0):

    expected  = mean of the value on the same weekday in the previous ``weeks`` weeks
    spread    = max(standard deviation of those values, √expected, 1)
    alert  ⇔  value ≥ min_count  and  value > expected + z · spread

A day needs at least two earlier same-weekday values to be judged. The √expected floor is the
Poisson noise of a count, so quiet series do not alert on a handful of extra mentions.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import ibis
import pandas as pd

from goodwill.metrics.common import filter_dates, filter_platform, period_of
from goodwill.metrics.declarations import Backend, Metric, Query
from goodwill.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "MENTION_SERIES",
    "alert_examples",
    "alert_mentions",
    "alerts_with_examples",
    "brand_labelled_mentions",
    "brand_pull_through",
    "detect_spikes",
    "mention_series",
]

TALK_KINDS = ("mention", "reply", "comment")
ALERT_COLUMNS = ("day", "platform", "series", "value", "expected", "threshold")


def _brand_talk(backend: Backend, params: MetricParams) -> ir.Table:
    interactions = backend.table("interactions")
    accounts = backend.table("accounts")
    brand = accounts.filter(accounts.owner == "brand").select(
        bp=accounts.platform, bh=accounts.handle
    )
    talk = interactions.filter(
        interactions.direction == "inbound", interactions.kind.isin(TALK_KINDS)
    )
    talk = filter_dates(filter_platform(talk, params), "created_at", params)
    talk = talk.join(brand, [talk.platform == brand.bp, talk.target_handle == brand.bh]).drop(
        "bp", "bh"
    )
    labels = backend.table("interaction_labels")
    lab = labels.select(
        lp=labels.platform,
        lid=labels.interaction_id,
        sentiment=labels.sentiment,
        sentiment_score=labels.sentiment_score.cast("float64"),
    )
    return talk.left_join(lab, [talk.platform == lab.lp, talk.interaction_id == lab.lid]).drop(
        "lp", "lid"
    )


def mention_series(backend: Backend, params: MetricParams) -> ir.Table:
    """Brand mentions and negative brand mentions per day and platform (``params.by`` is
    ignored: alerts work on days)."""
    talk = _brand_talk(backend, params)
    return talk.group_by(
        period=period_of(talk.created_at, "day"), platform=talk.platform
    ).aggregate(mentions=talk.count(), negative=talk.count(where=talk.sentiment == "negative"))


def detect_spikes(
    series: pd.DataFrame,
    *,
    weeks: int = 4,
    z: float = 3.0,
    min_count: int = 5,
) -> pd.DataFrame:
    """Alerts in ``series`` (columns ``period``, ``platform``, ``mentions``, ``negative``), one
    row per alerting day and series, oldest first (formula in the module docstring)."""
    found: list[dict[str, object]] = []
    for platform, group in series.groupby("platform", sort=True):
        days = pd.to_datetime(pd.Series(group["period"].to_numpy()))
        frame = group[["mentions", "negative"]].set_axis(days.to_numpy())
        full = pd.date_range(days.min(), days.max(), freq="D")
        frame = frame.reindex(full, fill_value=0)
        for column in ("mentions", "negative"):
            values = frame[column].astype("float64")
            lagged = pd.concat([values.shift(7 * k) for k in range(1, weeks + 1)], axis=1)
            expected = lagged.mean(axis=1, skipna=True)
            spread = lagged.std(axis=1, skipna=True, ddof=0)
            enough = lagged.notna().sum(axis=1) >= 2
            floor = expected.clip(lower=0.0) ** 0.5
            spread = pd.concat([spread, floor, pd.Series(1.0, index=spread.index)], axis=1).max(
                axis=1
            )
            threshold = expected + z * spread
            hit = enough & (values >= min_count) & (values > threshold)
            for day in values.index[hit]:
                found.append(
                    {
                        "day": day.date(),
                        "platform": platform,
                        "series": column,
                        "value": int(values[day]),
                        "expected": float(expected[day]),
                        "threshold": float(threshold[day]),
                    }
                )
    out = pd.DataFrame(found, columns=list(ALERT_COLUMNS))
    return out.sort_values(["day", "platform", "series"], kind="stable").reset_index(drop=True)


def alert_mentions(
    backend: Backend, day: date, platform: str, *, negative_only: bool = False
) -> ir.Table:
    """The brand mentions of ``day`` on ``platform`` (the negative ones with
    ``negative_only``), most negative first."""
    params = MetricParams(platform=platform, since=day, until=day)
    talk = _brand_talk(backend, params)
    if negative_only:
        talk = talk.filter(talk.sentiment == "negative")
    start = datetime.combine(day, time())
    talk = talk.filter(
        talk.created_at >= ibis.literal(start),
        talk.created_at < ibis.literal(start + timedelta(days=1)),
    )
    return talk.select(
        "created_at", "platform", "interaction_id", "actor_handle", "text", "sentiment_score"
    ).order_by([talk.sentiment_score.asc(nulls_first=False), "created_at"])


def alert_examples(
    backend: Backend, params: MetricParams, alerts: pd.DataFrame, *, examples: int = 3
) -> ir.Table:
    """The mentions behind every alert in ``alerts`` (columns ``day``, ``platform``,
    ``series``) in one query: for each alert, the first ``examples`` of
    :func:`alert_mentions` (the day's brand mentions on its platform, only the negative ones
    for a ``negative`` alert; most negative first, then oldest), numbered by ``rank``."""
    keys = pd.DataFrame(
        {
            "a_day": pd.to_datetime(pd.Series(list(alerts["day"]), dtype="object")).dt.date,
            "a_platform": alerts["platform"].astype(str).to_numpy(),
            "a_series": alerts["series"].astype(str).to_numpy(),
        }
    )
    wanted = ibis.memtable(
        keys, schema={"a_day": "date", "a_platform": "string", "a_series": "string"}
    )
    talk = _brand_talk(backend, params)
    talk = talk.mutate(t_day=talk.created_at.date())
    j = talk.join(wanted, [talk.platform == wanted.a_platform, talk.t_day == wanted.a_day])
    j = j.filter((j.a_series != "negative") | (j.sentiment == "negative"))
    rank = ibis.row_number().over(
        group_by=[j.a_day, j.a_platform, j.a_series],
        order_by=[j.sentiment_score.asc(nulls_first=False), j.created_at, j.interaction_id],
    )
    j = j.mutate(rank=rank)
    j = j.filter(j.rank < examples)
    return j.select(day=j.a_day, platform=j.a_platform, series=j.a_series, rank=j.rank, text=j.text)


def alerts_with_examples(
    backend: Backend, params: MetricParams, *, z: float = 3.0, examples: int = 3
) -> pd.DataFrame:
    """The spikes :func:`detect_spikes` finds in the daily ``mention_series`` for ``params``
    (its ``by`` is ignored: alerts are daily), each with up to ``examples`` of the mentions
    behind it (most negative first) joined by `` | `` in column ``examples``. The one
    computation behind ``goodwill alerts``, the dashboard and the report: two queries however
    many alerts there are (the series, then every alert's examples at once,
    :func:`alert_examples`)."""
    daily = MetricParams(by="day", platform=params.platform, since=params.since, until=params.until)
    found = detect_spikes(MENTION_SERIES.run(backend, daily), z=z)
    columns = [*found.columns, "examples"]
    if found.empty:
        return pd.DataFrame(columns=columns)
    shown = backend.execute(alert_examples(backend, daily, found, examples=examples))
    texts: dict[tuple[object, str, str], str] = {}
    if not shown.empty:
        shown = shown.sort_values(["day", "platform", "series", "rank"], kind="stable")
        shown["day"] = pd.to_datetime(shown["day"]).dt.date
        shown["text"] = shown["text"].fillna("").astype(str)
        for key, group in shown.groupby(["day", "platform", "series"], sort=False):
            day, platform, series = key
            texts[(day, str(platform), str(series))] = " | ".join(group["text"])
    out = found.copy()
    out["examples"] = [
        texts.get((d, str(p), str(s)), "")
        for d, p, s in zip(found["day"], found["platform"], found["series"], strict=True)
    ]
    return out[columns]


def brand_labelled_mentions(backend: Backend, params: MetricParams) -> pd.DataFrame:
    """The labelled mentions of the brand's own accounts for ``params``
    (:func:`goodwill.metrics.reputation.labelled_mentions` with ``owner = 'brand'``): the
    mentions :func:`brand_pull_through` measures, in the order it reads them."""
    from goodwill.metrics.reputation import labelled_mentions

    mentions = backend.execute(labelled_mentions(backend, params))
    brand: pd.DataFrame = mentions[mentions.owner == "brand"]
    return brand


def brand_pull_through(
    backend: Backend, params: MetricParams, method: str = "auto"
) -> pd.DataFrame:
    """Key-message pull-through (:func:`goodwill.text.pullthrough.pull_through`) over the
    labelled mentions of the brand's own accounts for ``params``
    (:func:`brand_labelled_mentions`). The one computation behind ``goodwill pullthrough``,
    the dashboard and the report."""
    from goodwill.text.pullthrough import pull_through

    messages = backend.execute(backend.table("key_messages"))
    return pull_through(brand_labelled_mentions(backend, params), messages, method=method)


MENTION_SERIES = Query(
    name="mention_series",
    group="listening",
    description="Daily brand mentions and negative mentions: the series alerts watch.",
    dimensions=("period", "platform"),
    metrics=(
        Metric(
            name="mentions",
            unit="count",
            formula="inbound mention/reply/comment interactions addressed to a brand account",
            description="What people said to the brand that day.",
        ),
        Metric(
            name="negative",
            unit="count",
            formula="those labelled negative in interaction_labels",
            description="Negative messages that day.",
        ),
    ),
    build=mention_series,
    notes="Always daily (`--by` is ignored). `goodwill alerts` flags a day whose value exceeds "
    "the mean of the same weekday over the previous 4 weeks by 3 × max(std, √mean, 1) and is "
    "at least 5.",
)
