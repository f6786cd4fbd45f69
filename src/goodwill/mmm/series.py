"""The weekly series a mix model is fitted on, built from the warehouse (Ibis, then pandas).

Weeks are ISO weeks starting Monday; only whole weeks of the outcome are kept
(:func:`goodwill.lift.series.metric_series`). Channels, each a row of inputs per week:

* ``ads:<platform>`` — ``costs`` of category ``ads`` by platform; the input is the money
  (``amount_reporting``), a cost row's amount spread evenly over the days of its period.
* ``social:<platform>`` — the brand's organic activity: posts by the brand's accounts
  (``accounts.owner = 'brand'``) per week; its money is the other costs of that platform
  (staff, content, prizes, tools), spread the same way. ``email`` is the newsletter: campaigns
  sent (posts on platform ``email``) and the costs of platform ``email``.
* ``offline:<channel>`` — ``activities`` by channel (press, event, print, ...); the input is
  the spend spread over the activity's days, or, for a channel whose activities carry no spend,
  the number of activity days in the week.

**The outcome.** ``revenue``, ``orders``, ``leads`` and ``visits`` come from the visit-level
tables (:func:`goodwill.lift.series.metric_series`). ``sessions`` comes from GA4's aggregates
(``traffic_aggregates``, report ``traffic_acquisition``): the sessions of every channel group
summed per week, for a business without an access log. Each row's sessions are spread evenly
over its days, so a row must cover at most a week (a daily or weekly export); a row of the
export's whole range (a month, say) has no weekly shape and is refused, naming it. GA4 sessions
are an **outcome, never an input**: sessions by channel group (paid, organic social) are
caused by the channels and by demand alike, so putting them on the right-hand side would
credit the ads' own effect, and every week of high demand, to "sessions" (a mediator and a bad
control), and GA4 revenue is left out because it is in the property's currency, unconverted.

Costs without a platform (shared tools, content) are overheads, not a channel. A channel
with fewer than :data:`MIN_ACTIVE_WEEKS` active weeks is left out (nothing to learn from).
Further inputs (a table of one's own) join by adding an entry to :data:`EXTRA_INPUTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import ibis
import numpy as np
import pandas as pd

from goodwill.errors import UserInputError
from goodwill.lift.series import metric_series
from goodwill.metrics.declarations import Backend
from goodwill.mmm.model import MixData

__all__ = ["EXTRA_INPUTS", "MIN_ACTIVE_WEEKS", "OUTCOMES", "build_series", "ga4_sessions"]

OUTCOMES = ("revenue", "orders", "leads", "visits", "sessions")
MAX_SESSION_ROW_DAYS = 7
MIN_ACTIVE_WEEKS = 3

EXTRA_INPUTS: dict[str, Callable[[Backend], pd.DataFrame]] = {}
"""More inputs by name: a function returning ``channel, day, value, money`` rows (one per
channel and day) that is added to the channels above (e.g. GA4 sessions by source)."""


def _spread(frame: pd.DataFrame, start: str, end: str, value: str) -> pd.DataFrame:
    """Rows ``key, day, value``: each row's value spread evenly over its inclusive days."""
    out = []
    for row in frame.itertuples(index=False):
        first = pd.Timestamp(getattr(row, start))
        last_raw = getattr(row, end)
        last = first if last_raw is None or pd.isna(last_raw) else pd.Timestamp(last_raw)
        if last < first:
            last = first
        days = pd.date_range(first, last, freq="D")
        amount = getattr(row, value)
        each = 0.0 if amount is None or pd.isna(amount) else float(amount) / len(days)
        out.append(pd.DataFrame({"key": row.key, "day": days, "value": each}))
    if not out:
        return pd.DataFrame({"key": [], "day": [], "value": []})
    return pd.concat(out, ignore_index=True)


def _weekly(daily: pd.DataFrame, weeks: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    if daily.empty:
        return {}
    day = pd.to_datetime(daily["day"])
    daily = daily.assign(week=day - pd.to_timedelta(day.dt.day_of_week, unit="D"))
    table = daily.pivot_table(index="week", columns="key", values="value", aggfunc="sum")
    table = table.reindex(weeks, fill_value=0.0).fillna(0.0)
    return {str(k): table[k].to_numpy(dtype=np.float64) for k in table.columns}


def _costs(backend: Backend) -> pd.DataFrame:
    costs = backend.table("costs")
    expr = costs.filter(costs.platform.notnull()).select(
        key=ibis.ifelse(
            costs.category == "ads",
            "ads:" + costs.platform.lower(),
            ibis.ifelse(
                costs.platform.lower() == "email", "email", "social:" + costs.platform.lower()
            ),
        ),
        start=costs.period_start,
        end=costs.period_end,
        value=costs.amount_reporting.cast("float64"),
    )
    frame: pd.DataFrame = backend.execute(expr)
    return frame


def _posts(backend: Backend) -> pd.DataFrame:
    posts = backend.table("posts")
    accounts = backend.table("accounts")
    brand = accounts.filter(accounts.owner == "brand").select("platform", "handle")
    mine = posts.semi_join(brand, ["platform", "handle"])
    key = ibis.ifelse(mine.platform.lower() == "email", "email", "social:" + mine.platform.lower())
    keyed = mine.mutate(key=key, day=mine.created_at.date())
    expr = keyed.group_by(["key", "day"]).aggregate(value=keyed.count().cast("float64"))
    frame: pd.DataFrame = backend.execute(expr)
    return frame


def _activities(backend: Backend) -> tuple[pd.DataFrame, pd.DataFrame]:
    acts = backend.table("activities")
    frame = backend.execute(
        acts.select(
            key="offline:" + acts.channel,
            start=acts.start_date,
            end=acts.end_date,
            value=acts.spend_reporting.cast("float64"),
        )
    )
    return frame, frame.assign(value=1.0)


def ga4_sessions(backend: Backend) -> pd.DataFrame:
    """``date, y``: GA4 sessions (all channel groups) per whole ISO week (Monday), from
    ``traffic_aggregates`` rows of report ``traffic_acquisition``, each spread over its days."""
    agg = backend.table("traffic_aggregates")
    rows = agg.filter((agg.report == "traffic_acquisition") & agg.sessions.notnull())
    frame = backend.execute(
        rows.select(
            key=agg.channel_group,
            start=agg.period_start,
            end=agg.period_end,
            value=agg.sessions.cast("float64"),
        )
    )
    if frame.empty:
        raise UserInputError(
            "--outcome sessions: the warehouse has no GA4 sessions (import a GA4 "
            "Traffic acquisition export; see docs/sources/ga4.md)"
        )
    days = (pd.to_datetime(frame["end"]) - pd.to_datetime(frame["start"])).dt.days + 1
    if (days > MAX_SESSION_ROW_DAYS).any():
        bad = frame[days > MAX_SESSION_ROW_DAYS].iloc[0]
        raise UserInputError(
            f"--outcome sessions: the GA4 row of {bad['key']!r} covers "
            f"{pd.Timestamp(bad['start']).date()} to {pd.Timestamp(bad['end']).date()}, "
            "longer than a week: export the report by day (add the Date "
            "dimension) so the sessions have a weekly shape"
        )
    daily = _spread(frame.assign(key="sessions"), "start", "end", "value")
    per_day = daily.groupby("day")["value"].sum()
    span = pd.date_range(per_day.index.min(), per_day.index.max(), freq="D")
    per_day = per_day.reindex(span, fill_value=0.0)
    week = span - pd.to_timedelta(span.day_of_week, unit="D")
    grouped = per_day.groupby(week)
    weekly = grouped.sum()[grouped.size() == 7]
    mondays = [pd.Timestamp(w).date() for w in weekly.index]
    return pd.DataFrame({"date": mondays, "y": weekly.to_numpy(dtype=np.float64)})


def build_series(
    backend: Backend,
    outcome: str = "revenue",
    *,
    holidays: tuple[date, ...] = (),
    since: date | None = None,
    until: date | None = None,
) -> tuple[MixData, list[date]]:
    """The weekly series of ``outcome`` and every channel with enough activity; also the
    Mondays of the weeks."""
    if outcome not in OUTCOMES:
        raise UserInputError(f"--outcome {outcome!r}: use one of {', '.join(OUTCOMES)}")
    if outcome == "sessions":
        y_frame = ga4_sessions(backend)
    else:
        y_frame = metric_series(backend, outcome, by="week")
    y_frame["date"] = pd.to_datetime(y_frame["date"])
    if since is not None:
        y_frame = y_frame[y_frame["date"] >= pd.Timestamp(since)]
    if until is not None:
        y_frame = y_frame[y_frame["date"] + pd.Timedelta(days=6) <= pd.Timestamp(until)]
    if len(y_frame) < 8:
        raise UserInputError(
            f"--outcome {outcome}: {len(y_frame)} whole week(s) of data; a mix model needs at "
            "least 8 (better two years)"
        )
    weeks = pd.DatetimeIndex(y_frame["date"])
    costs = _costs(backend)
    money = _weekly(_spread(costs, "start", "end", "value"), weeks)
    posts = _posts(backend)
    inputs = _weekly(posts, weeks) if not posts.empty else {}
    acts, act_days = _activities(backend)
    act_money = _weekly(_spread(acts, "start", "end", "value"), weeks)
    act_count = _weekly(_spread(act_days, "start", "end", "value"), weeks)
    for extra in EXTRA_INPUTS.values():
        frame = extra(backend)
        if frame.empty:
            continue
        inputs.update(
            _weekly(frame[["channel", "day", "value"]].rename(columns={"channel": "key"}), weeks)
        )
        money.update(
            _weekly(
                frame[["channel", "day", "money"]].rename(
                    columns={"channel": "key", "money": "value"}
                ),
                weeks,
            )
        )
    names: list[str] = []
    xs: list[np.ndarray] = []
    spends: list[np.ndarray] = []
    paid: list[bool] = []
    zero = np.zeros(len(weeks))
    for key in sorted(k for k in money if k.startswith("ads:")):
        names.append(key)
        xs.append(money[key])
        spends.append(money[key])
        paid.append(True)
    for key in sorted(inputs):
        names.append(key)
        xs.append(inputs[key])
        spends.append(money.get(key, zero))
        paid.append(False)
    for key in sorted(act_count):
        spent = act_money.get(key, zero)
        has_money = spent.sum() > 0
        names.append(key)
        xs.append(spent if has_money else act_count[key])
        spends.append(spent)
        paid.append(bool(has_money))
    keep = [i for i, x in enumerate(xs) if int((x > 0).sum()) >= MIN_ACTIVE_WEEKS]
    if not keep:
        raise UserInputError(
            "no channel has spend or activity in at least "
            f"{MIN_ACTIVE_WEEKS} of the {len(weeks)} weeks: import costs, posts or activities"
        )
    controls = np.zeros((len(weeks), 0))
    control_names: tuple[str, ...] = ()
    if holidays:
        hol = [pd.Timestamp(h) for h in holidays]
        flag = np.array(
            [any(w <= h <= w + pd.Timedelta(days=6) for h in hol) for w in weeks], dtype=float
        )
        if flag.any():
            controls, control_names = flag[:, None], ("holiday",)
    data = MixData(
        y=y_frame["y"].to_numpy(dtype=np.float64),
        channels=tuple(names[i] for i in keep),
        x=np.array([xs[i] for i in keep]),
        spend=np.array([spends[i] for i in keep]),
        paid=tuple(paid[i] for i in keep),
        controls=controls,
        control_names=control_names,
    )
    return data, [w.date() for w in weeks]
