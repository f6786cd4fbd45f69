"""Page one of the executive report: what matters this month, as numbers and as sentences.

:func:`executive_summary` gathers the month's numbers from the modules that define them, and
:func:`summary_sentences` turns them into plain language. Nothing here computes a metric:

* the scorecard currency (revenue, leads, … as configured in ``[scorecard]``) in the month and
  the month before, and progress against every configured target —
  :func:`goodwill.attribution.roi.scorecard_progress`;
* ROI with the full cost for the month — the ``total`` row of
  :func:`goodwill.attribution.roi.roi_table` by month over the month's days:
  ``roi = (value − cost) / cost`` with its bootstrap interval;
* relationships won and lost — tiers (:func:`goodwill.people.tiers.month_scores`, as the
  roster and the People page) at the end of the month before and of the month: **won** =
  champion or regular now and neither before;
  **lost** = champion or regular before and neither now (occasional, lapsed or detractor);
  **champions** = tier champion at the month's end, highest score first;
* reputation — net sentiment ``(Σ positive − Σ negative) / (Σ positive + Σ negative)`` of the
  month and the month before; care — response rate ``Σ answered / Σ needing_answer`` and the
  median first response time (:func:`goodwill.attribution.scorecard_levels.level_actual`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pandas as pd

from goodwill.attribution.roi import (
    RoiSettings,
    baseline_caveat,
    roi_table,
    scorecard_progress,
)
from goodwill.attribution.scorecard_config import ScorecardConfig, Target
from goodwill.attribution.scorecard_levels import LEVEL_CURRENCIES, level_actual
from goodwill.metrics.common import next_month, previous_month
from goodwill.output import money
from goodwill.warehouse import Warehouse

__all__ = [
    "CURRENCY_LABELS",
    "Change",
    "ExecutiveSummary",
    "RoiFigures",
    "change_text",
    "covering_targets",
    "executive_summary",
    "format_amount",
    "is_new",
    "money",
    "month_end",
    "period_name",
    "relationship_changes",
    "summary_sentences",
]

CURRENCY_LABELS: dict[str, tuple[str, str]] = {
    "revenue": ("sales credited to social media", "money"),
    "leads": ("leads credited to social media", "count"),
    "customers": ("new customers credited to social media", "count"),
    "relationships": ("people who engaged with us", "count"),
    "roi": ("return on investment of social media", "percent"),
    "reputation": ("net sentiment of what people told us", "signed"),
    "care": ("share of messages needing an answer that we answered", "share"),
    "care_time": ("median time to a first response", "hours"),
}
"""Plain-language label and unit of each scorecard currency; an unknown one reads as its
name with a plain number."""

_CLOSE = ("champion", "regular")
_NAMES_SHOWN = 8
_TIER_NOW = {"detractor": "a detractor", "none": "gone"}


def format_amount(value: float | None, unit: str, code: str) -> str:
    """A number as page one writes it, by unit (``money``, ``count``, ``ratio``, ``signed``,
    ``share``, ``percent`` — a signed whole percent, how ROI is written everywhere in the
    report —, ``hours``; anything else: a plain number)."""
    if value is None or math.isnan(value):
        return "no data"
    if unit == "money":
        return money(value, code)
    if unit == "percent":
        return f"{value:+.0%}".replace("-", "−")
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "ratio":
        return f"{value:.2f}".replace("-", "−")
    if unit == "signed":
        return f"{value:+.2f}".replace("-", "−")
    if unit == "share":
        return f"{value:.0%}"
    if unit == "hours":
        return f"{value:.1f} hours"
    return f"{value:,.2f}"


@dataclass(frozen=True, kw_only=True)
class Change:
    """A person whose relationship changed: tier at the end of the month before and now."""

    person_id: str
    name: str
    before: str
    after: str


@dataclass(frozen=True, kw_only=True)
class RoiFigures:
    """The month's social value, full cost and ROI with the value's interval (``level``)."""

    value: float
    value_low: float
    value_high: float
    cost: float
    roi: float
    roi_low: float
    roi_high: float
    level: float
    model: str = ""
    baseline: float = math.nan  # sales that would have happened anyway (incremental model)
    unidentified: tuple[str, ...] = ()  # channels the data cannot separate from the baseline


@dataclass(frozen=True, kw_only=True)
class ExecutiveSummary:
    """Everything page one states about ``month``."""

    month: date
    money_code: str
    currency: str
    value: float
    previous: float
    progress: pd.DataFrame
    roi: RoiFigures
    won: list[Change]
    lost: list[Change]
    champions: list[str]
    net_sentiment: float
    net_sentiment_previous: float
    response_rate: float
    median_response_hours: float

    @property
    def label(self) -> str:
        return CURRENCY_LABELS.get(self.currency, (self.currency, ""))[0]

    @property
    def unit(self) -> str:
        return CURRENCY_LABELS.get(self.currency, (self.currency, ""))[1]

    def amount(self, value: float | None) -> str:
        return format_amount(value, self.unit, self.money_code)


def month_end(month: date) -> date:
    """The last day of ``month``'s month."""
    return next_month(month) - timedelta(days=1)


def _month_target(month: date) -> Target:
    return Target(
        label=f"{month:%Y-%m}", start=month, end=month_end(month), horizon="short", target=1.0
    )


def _currency(
    wh: Warehouse, config: ScorecardConfig, month: date, settings: RoiSettings
) -> tuple[float, float, pd.DataFrame]:
    """The currency in ``month``, in the month before (only without targets: the trend is
    what page one shows then; NaN otherwise) and progress on the configured targets. One
    :func:`scorecard_progress` call; a month already configured is not computed twice."""
    wanted = [_month_target(month)]
    if not config.targets:
        wanted.append(_month_target(previous_month(month)))
    have = {(t.start, t.end) for t in config.targets}
    extra = tuple(t for t in wanted if (t.start, t.end) not in have)
    frame = scorecard_progress(
        wh.ibis(), replace(config, targets=(*config.targets, *extra)), settings
    )
    actual = {
        (b, e): float(a)
        for b, e, a in zip(frame["start"], frame["end"], frame["actual"], strict=True)
    }
    value = actual[(wanted[0].start, wanted[0].end)]
    previous = actual[(wanted[1].start, wanted[1].end)] if len(wanted) > 1 else math.nan
    configured = frame[[(s, e) in have for s, e in zip(frame["start"], frame["end"], strict=True)]]
    return value, previous, configured.reset_index(drop=True)


def _roi(wh: Warehouse, month: date, settings: RoiSettings) -> RoiFigures:
    s = replace(settings, since=month, until=month_end(month))
    frame = roi_table(wh.ibis(), "month", s, counts=False)  # value and ROI only
    total = frame[frame["month"] == "total"].iloc[0]
    return RoiFigures(
        **{k: float(total[k]) for k in ("value", "value_low", "value_high", "cost")},
        **{k: float(total[k]) for k in ("roi", "roi_low", "roi_high")},
        level=s.level,
        model=str(frame.attrs.get("model", s.model)),
        baseline=float(frame.attrs.get("baseline_value", math.nan)),
        unidentified=tuple(frame.attrs.get("baseline_unidentified", ())),
    )


def relationship_changes(
    before: pd.DataFrame, after: pd.DataFrame, names: dict[str, str]
) -> tuple[list[Change], list[Change], list[str]]:
    """``(won, lost, champions)`` from tiers (``person_id, tier, score``) at the end of the
    month before and of the month (module docstring); names by person id. Won and champions
    are ordered by their score now, lost by their score before (highest first), then name."""
    was = dict(zip(before["person_id"].astype(str), before["tier"].astype(str), strict=True))
    now = dict(zip(after["person_id"].astype(str), after["tier"].astype(str), strict=True))

    def change(pid: str) -> Change:
        return Change(
            person_id=pid,
            name=names.get(pid, pid),
            before=was.get(pid, "none"),
            after=now.get(pid, "none"),
        )

    def by_score(frame: pd.DataFrame, keep: set[str]) -> list[str]:
        part = frame[frame["person_id"].astype(str).isin(keep)].copy()
        part["name"] = [names.get(str(p), str(p)) for p in part["person_id"]]
        part = part.sort_values(["score", "name"], ascending=[False, True])
        return [str(p) for p in part["person_id"]]

    won = {p for p, t in now.items() if t in _CLOSE and was.get(p) not in _CLOSE}
    lost = {p for p, t in was.items() if t in _CLOSE and now.get(p) not in _CLOSE}
    champions = by_score(after, {p for p, t in now.items() if t == "champion"})
    return (
        [change(p) for p in by_score(after, won)],
        [change(p) for p in by_score(before, lost)],
        [names.get(p, p) for p in champions],
    )


def _tiers(wh: Warehouse, month: date) -> tuple[list[Change], list[Change], list[str]]:
    from goodwill.metrics.items import display_names
    from goodwill.people import activity
    from goodwill.people.tiers import month_scores

    events = activity.social_events(wh)
    conv = activity.conversions(wh)
    # the month's tiers of the roster and the People page (one definition, issue 18)
    frames = [month_scores(events, conv, m) for m in (previous_month(month), month)]
    names = {
        str(p): str(n) if isinstance(n, str) and n else str(p)
        for p, n in display_names(wh.ibis()).items()
    }
    return relationship_changes(frames[0], frames[1], names)


def executive_summary(
    wh: Warehouse, month: date, config: ScorecardConfig, *, replicates: int = 100
) -> ExecutiveSummary:
    """Page one's numbers for ``month`` (its first day) under the scorecard ``config``."""
    settings = RoiSettings(
        model=config.model, hourly_rate=config.hourly_rate, replicates=replicates
    )
    value, previous, progress = _currency(wh, config, month, settings)
    won, lost, champions = _tiers(wh, month)
    backend = wh.ibis()
    end, before = month_end(month), previous_month(month)
    return ExecutiveSummary(
        month=month,
        money_code=wh.get_meta("reporting_currency") or "USD",
        currency=config.currency,
        value=value,
        previous=previous,
        progress=progress,
        roi=_roi(wh, month, settings),
        won=won,
        lost=lost,
        champions=champions,
        net_sentiment=level_actual(backend, "reputation", month, end),
        net_sentiment_previous=level_actual(backend, "reputation", before, month_end(before)),
        response_rate=level_actual(backend, "care", month, end),
        median_response_hours=level_actual(backend, "care_time", month, end),
    )


NEW_FACTOR = 5.0
"""A change is shown as a percentage only while the value is at most ``NEW_FACTOR`` times
the base (+400 %); from a zero or near-zero base (a rise beyond that) it is shown as "new"
(base 0) or as the difference in the metric's own unit ("+332"), see :func:`change_text`."""


def is_new(value: float, previous: float) -> bool:
    """Whether a change from ``previous`` to ``value`` is too large for a percentage: the
    base is 0 or near 0 (``|value| > NEW_FACTOR × |previous|``)."""
    return previous == 0 or abs(value) > NEW_FACTOR * abs(previous)


def change_text(value: float | None, previous: float | None, unit: str, code: str) -> str:
    """The change from ``previous`` to ``value`` as the report writes it: ``+4.0%``;
    ``new`` when the base is 0; the difference (``+332``, ``+$1,200``) when the value is more
    than :data:`NEW_FACTOR` times the base; ``–`` when either is missing."""
    if value is None or previous is None or math.isnan(value) or math.isnan(previous):
        return "–"
    if previous == 0:
        return "new" if value else "–"
    if is_new(value, previous):
        diff = value - previous
        if unit in ("share", "fraction", "percent", "ratio", "signed"):
            return f"{diff:+.2f}".replace("-", "−")
        sign = "+" if diff >= 0 else ""
        cash = unit in ("money", "currency")
        return sign + (money(diff, code) if cash else format_amount(diff, "count", code))
    return f"{(value - previous) / abs(previous):+.1%}".replace("-", "−")


def _names(people: list[str], limit: int = _NAMES_SHOWN) -> str:
    shown = people[:limit]
    rest = len(people) - len(shown)
    if rest:
        return ", ".join(shown) + f" and {rest:,} more"
    if len(shown) > 1:
        return ", ".join(shown[:-1]) + " and " + shown[-1]
    return "".join(shown)


def _trend(s: ExecutiveSummary) -> str:
    if math.isnan(s.value) or math.isnan(s.previous):
        return ""
    prev_month = f"{previous_month(s.month):%B}"
    if s.value == s.previous:
        return f", the same as in {prev_month}"
    word = "up" if s.value > s.previous else "down"
    if s.unit in ("money", "count") and s.previous != 0 and not is_new(s.value, s.previous):
        change = f"{abs(s.value - s.previous) / abs(s.previous):.0%}"
        return f", {word} {change} from {s.amount(s.previous)} in {prev_month}"
    return f", {word} from {s.amount(s.previous)} in {prev_month}"


def _target_sentence(s: ExecutiveSummary, row: pd.Series) -> str:
    target, actual = float(row["target"]), float(row["actual"])
    status = str(row["status"])
    head = f"Target for {period_name(row['start'], row['end'])}: {s.amount(target)}"
    if status == "no data":
        return f"{head}; no data yet."
    if s.currency in LEVEL_CURRENCIES:
        return f"{head}; we are at {s.amount(actual)} — {status}."
    progress, elapsed = float(row["progress"]), float(row["elapsed"])
    if elapsed >= 1:
        return f"{head}; we reached {s.amount(actual)}, {progress:.0%} of it — {status}."
    return (
        f"{head}; {s.amount(actual)} so far, {progress:.0%} of it with {elapsed:.0%} of the "
        f"period gone — {status}."
    )


def period_name(start: date, end: date) -> str:
    """``October 2026``, ``Q4 2026``, ``2026`` or ``2026-10-05 to 2026-11-04``."""
    if start.day == 1 and end == month_end(start):
        return f"{start:%B %Y}"
    quarter = start.day == 1 and start.month % 3 == 1
    if quarter and end == month_end(start.replace(month=start.month + 2)):
        return f"Q{start.month // 3 + 1} {start.year}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    return f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"


def covering_targets(s: ExecutiveSummary) -> pd.DataFrame:
    """The configured targets whose period contains the month, shortest period first."""
    p = s.progress
    covering = p[(p["start"] <= month_end(s.month)) & (p["end"] >= s.month)]
    length = [(e - b).days for b, e in zip(covering["start"], covering["end"], strict=True)]
    return covering.assign(_days=length).sort_values("_days").drop(columns="_days")


def currency_sentences(s: ExecutiveSummary) -> list[str]:
    """The chosen currency, its trend and progress on the targets covering the month."""
    month = f"{s.month:%B %Y}"
    lines = [f"Our scorecard measures {s.label}: {s.amount(s.value)} in {month}{_trend(s)}."]
    if s.currency in ("revenue", "leads", "customers") and s.roi.model:
        lines[0] = lines[0][:-1] + f" ({s.roi.model} attribution model)."
    if s.progress.empty:
        lines.append("No targets are set yet ([scorecard.targets] in goodwill.toml).")
        return lines
    covering = covering_targets(s)
    if covering.empty:
        lines.append(f"No target covers {month}; see the scorecard progress section.")
    lines.extend(_target_sentence(s, row) for _, row in covering.iterrows())
    return lines


def roi_sentence(s: ExecutiveSummary) -> str:
    """Value against full cost, ROI and its interval, in words."""
    r, code, month = s.roi, s.money_code, f"{s.month:%B %Y}"
    if r.cost <= 0:
        if r.value <= 0:
            return f"No sales credited to social media and no costs are recorded for {month}."
        return (
            f"Social media brought in {money(r.value, code)} of sales in {month}; no costs are "
            "recorded, so there is no ROI (import the costs of staff time, tools and ads)."
            + _model_note(r, code)
        )
    back = r.value / r.cost
    return (
        f"Social media brought in {money(r.value, code)} of sales in {month} against "
        f"{money(r.cost, code)} of full cost — staff time, tools, prizes, ads and content "
        f"(ROI {format_amount(r.roi, 'percent', code)}, likely between "
        f"{format_amount(r.roi_low, 'percent', code)} and "
        f"{format_amount(r.roi_high, 'percent', code)})"
        f": each {money(1, code)} spent brought back {money(back, code)}.{_model_note(r, code)}"
    )


def _model_note(r: RoiFigures, code: str) -> str:
    """Which attribution model credited the sales, and what would have happened anyway."""
    if not r.model:
        return ""
    if math.isnan(r.baseline):
        return f" (Credited by the {r.model} attribution model.)"
    note = (
        f" (Credited by the {r.model} attribution model: the sales social media added; "
        f"{money(r.baseline, code)} of the month's sales would have happened anyway"
    )
    caveat = baseline_caveat(r.unidentified)  # an extrapolation where too few went without
    return note + (f" — {caveat}" if caveat else "") + ".)"


def people_sentences(s: ExecutiveSummary) -> list[str]:
    """Relationships won and lost by name, and the month's champions."""
    lines = []
    if s.won or s.lost:
        one_won, one_lost = len(s.won) == 1, len(s.lost) == 1
        who_won = (
            "someone who became a regular or champion"
            if one_won
            else "people who became regulars or champions"
        )
        who_lost = "was a regular or champion" if one_lost else "were regulars or champions"
        won = (
            f"We won {len(s.won):,} relationship{'' if one_won else 's'} — {who_won}: "
            f"{_names([c.name for c in s.won])}"
            if s.won
            else "We won no new regulars or champions"
        )
        lost = (
            f"; we lost {len(s.lost):,} who {who_lost} a month ago: "
            f"{_names([f'{c.name} (now {_TIER_NOW.get(c.after, c.after)})' for c in s.lost])}."
            if s.lost
            else "; we lost none of last month's regulars or champions."
        )
        lines.append(won + lost)
    else:
        lines.append("No relationship changed tier this month.")
    if s.champions:
        lines.append(
            f"Our {len(s.champions):,} champion{'' if len(s.champions) == 1 else 's'} — the "
            f"people closest to us: {_names(s.champions)}. Thank them by name."
        )
    else:
        lines.append("We have no champions yet.")
    return lines


def reputation_care_sentences(s: ExecutiveSummary) -> list[str]:
    """Net sentiment and its change; response rate and median first response."""
    lines = []
    sentiment, before = s.net_sentiment, s.net_sentiment_previous
    if math.isnan(sentiment):
        lines.append("Reputation: no labelled messages this month.")
    else:
        text = (
            f"Reputation: net sentiment {format_amount(sentiment, 'signed', '')} (the share of "
            "positive minus negative messages, −1 to +1)"
        )
        if not math.isnan(before):
            delta = sentiment - before
            word = "up" if delta > 0 else "down" if delta < 0 else "unchanged"
            amount = f" {abs(delta):.2f}" if delta else ""
            text += (
                f", {word}{amount} from {format_amount(before, 'signed', '')} "
                f"in {previous_month(s.month):%B}"
            )
        lines.append(text + ".")
    if math.isnan(s.response_rate):
        lines.append("Care: no message needed an answer this month.")
    else:
        hours = s.median_response_hours
        lines.append(
            f"Care: we answered {s.response_rate:.0%} of the messages that needed an answer"
            + (
                f"; the median first response took {format_amount(hours, 'hours', '')}."
                if not math.isnan(hours)
                else "."
            )
        )
    return lines


def summary_sentences(s: ExecutiveSummary) -> list[str]:
    """Page one in plain language, every number from ``s``."""
    return [
        *currency_sentences(s),
        roi_sentence(s),
        *people_sentences(s),
        *reputation_care_sentences(s),
    ]
