"""The dashboard's filters: read from the query string, validated, kept in every link.

``since``/``until`` (YYYY-MM-DD), ``month`` (YYYY-MM), ``platform`` (one of the warehouse's
platforms), ``campaign`` (one of its campaigns), ``tier`` (people pages) and ``metric``
(the items drill-down). An unknown parameter or a bad value is a :class:`FilterError`, which
the app answers with ``400`` and a message saying which parameter, what was wrong and what is
valid. Values reach the metrics only as typed Python values in :class:`MetricParams` and Ibis
literals (bound parameters), never as SQL text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from pydantic import BaseModel

from goodwill.errors import UserInputError
from goodwill.metrics import MetricParams
from goodwill.people.scores import TIERS
from goodwill.warehouse import Warehouse

__all__ = [
    "DETAIL_KEYS",
    "ITEM_METRICS",
    "TIERS",
    "FilterError",
    "Filters",
    "PagePeriod",
    "dashboard_default_month",
    "filter_choices",
    "openapi_parameters",
    "page_period",
    "parse_filters",
    "period_presets",
]

ITEM_METRICS = (
    "mentions",
    "posts",
    "leads",
    "orders",
    "unanswered",
    "visits",
    "pageviews",
    "engaged_visits",
    "visitors",
    "returning_visitors",
    "social_visits",
    "needing_answer",
    "answered",
    "complaints",
    "resolved",
    "clicks",
    "clickers",
    "link_visits",
    "link_posts",
    "funnel",
    "funnel_days",
    "people_active",
    "repeat_interactors",
    "new_people",
    "attention",
    "mention_authors",
    "competitor_mentions",
    "post_reactions",
    "labelled_mentions",
    "positive_mentions",
    "negative_mentions",
    "customers",
    "relationships",
    "tier_moves",
    "carrying",
)
"""What ``/items?metric=`` lists: the rows behind a count."""
DETAIL_KEYS = (
    "channel",
    "source",
    "account",
    "code",
    "step",
    "milestone",
    "days",
    "post",
    "reaction",
    "segment",
    "from_tier",
    "to_tier",
    "message",
)
"""Narrow an ``/items`` list to one row of the table whose count links to it."""
_KEYS = ("since", "until", "month", "platform", "campaign", "tier", "metric", *DETAIL_KEYS)

_DESCRIPTIONS = {
    "since": "first day, YYYY-MM-DD (inclusive)",
    "until": "last day, YYYY-MM-DD (inclusive)",
    "month": "the headline month of the numbers, YYYY-MM; trends show the twelve months up to "
    "it (default: the latest month with enough data, as the report)",
    "platform": "one platform of the warehouse (x, mastodon, bluesky, ...)",
    "campaign": "one campaign of the warehouse's posts, links or costs",
    "tier": "people pages: one relationship tier",
    "metric": "/items: which rows to list",
}


def openapi_parameters(page: str) -> list[dict[str, object]]:
    """The query parameters of ``/api/<page>`` for the OpenAPI schema (the views read the
    query string through :func:`parse_filters`, which validates them)."""
    names = ["since", "until", "month", "platform", "campaign"]
    if page == "people":
        names.append("tier")
    if page == "items":
        names += ["metric", *DETAIL_KEYS]
    params: list[dict[str, object]] = []
    for name in names:
        schema: dict[str, object] = {"type": "string"}
        if name in ("since", "until"):
            schema["format"] = "date"
        if name == "metric":
            schema["enum"] = list(ITEM_METRICS)
        if name == "tier":
            schema["enum"] = list(TIERS)
        description = _DESCRIPTIONS.get(name, "narrows the list to one row of the linking table")
        params.append(
            {
                "name": name,
                "in": "query",
                "required": name == "metric",
                "schema": schema,
                "description": description,
            }
        )
    return params


class FilterError(UserInputError):
    """A query-string parameter the dashboard cannot use (answered with 400)."""


class Filters(BaseModel):
    """The filters of a page, as the URL gives them (all optional)."""

    since: date | None = None
    until: date | None = None
    month: str | None = None
    platform: str | None = None
    campaign: str | None = None
    tier: str | None = None
    metric: str | None = None
    channel: str | None = None
    source: str | None = None
    account: str | None = None
    code: str | None = None
    step: str | None = None
    milestone: str | None = None
    days: str | None = None
    post: str | None = None
    reaction: str | None = None
    segment: str | None = None
    from_tier: str | None = None
    to_tier: str | None = None
    message: str | None = None

    def query(self, **changes: str | None) -> str:
        """This filter set (with ``changes``) as a query string, ``""`` when empty."""
        values: dict[str, str | None] = {
            k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.model_dump().items()
        }
        values.update(changes)
        kept = {k: v for k, v in values.items() if v}
        return "?" + urlencode(kept) if kept else ""

    def params(self, by: str = "month") -> MetricParams:
        return MetricParams(by=by, platform=self.platform, since=self.since, until=self.until)

    def month_date(self) -> date | None:
        return date.fromisoformat(self.month + "-01") if self.month else None

    def month_params(self, month: date) -> MetricParams:
        """The month ``month`` (first day) within the platform filter."""
        end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return MetricParams(by="month", platform=self.platform, since=month, until=end)


def last_data_day(wh: Warehouse) -> date | None:
    """The latest day with a post, interaction, visit, conversion or audience snapshot (the
    sources of :func:`goodwill.metrics.scorecard.last_month_with_data`, whose month the
    scorecard shows by default): the end of the date presets, as data need not reach today;
    ``None`` when there is none."""
    import ibis

    be = wh.ibis()
    days = [
        be.table(name).aggregate(d=be.table(name)[column].cast("date").max())
        for name, column in (
            ("posts", "created_at"),
            ("interactions", "created_at"),
            ("visits", "started_at"),
            ("conversions", "occurred_at"),
            ("audience_snapshots", "date"),
        )
    ]
    value = ibis.union(*days).d.max().to_pyarrow().as_py()
    return value if isinstance(value, date) else None


TREND_MONTHS = 12
"""How many months the trend charts show by default: the headline month and the 11 before."""


def dashboard_default_month(wh: Warehouse) -> date | None:
    """The month every page shows when no period is chosen: the report's default month
    (:func:`goodwill.report.html.default_month`, the latest month with enough data), so the
    dashboard and the report agree; ``None`` for an empty warehouse."""
    from goodwill.report.html import default_month
    from goodwill.web.dashboard.cache import remember

    return remember(wh, "default_month", lambda: default_month(wh))


def _month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


@dataclass(frozen=True)
class PagePeriod:
    """The dates a page covers. ``since``/``until``: the headline numbers, cards and lists;
    ``trend_since``/``trend_until``: the trend charts. With no period chosen, the headline
    is the default month (:func:`dashboard_default_month`) and the trends the
    :data:`TREND_MONTHS` months up to and including it; a chosen ``since``/``until`` sets
    both; a chosen ``month`` sets the headline month (trends: the months up to it).
    ``chosen``: whether ``since``/``until`` came from the user."""

    since: date | None
    until: date | None
    trend_since: date | None
    trend_until: date | None
    chosen: bool

    def statement(self) -> str:
        """The filter bar's words, e.g. ``October 2026; trends: Nov 2025 – Oct 2026``."""
        if self.chosen:
            return f"{self.since or 'first day with data'} to {self.until or 'last day with data'}"
        if self.since is None or self.trend_since is None or self.trend_until is None:
            return "no data yet"
        return f"{self.since:%B %Y}; trends: {self.trend_since:%b %Y} – {self.trend_until:%b %Y}"

    def headline(self, f: Filters) -> Filters:
        """``f`` with the headline dates as ``since``/``until`` (links and builders that read
        the filters then count the same rows as the headline numbers)."""
        return f.model_copy(update={"since": self.since, "until": self.until})

    def trend_params(self, f: Filters) -> MetricParams:
        return MetricParams(
            by="month", platform=f.platform, since=self.trend_since, until=self.trend_until
        )


def page_period(wh: Warehouse, f: Filters) -> PagePeriod:
    """The one rule for the period of every page (see :class:`PagePeriod`)."""
    if f.since or f.until:
        return PagePeriod(f.since, f.until, f.since, f.until, chosen=True)
    month = f.month_date() or dashboard_default_month(wh)
    if month is None:
        return PagePeriod(None, None, None, None, chosen=False)
    first = month.replace(day=1)
    back = first.year * 12 + first.month - 1 - (TREND_MONTHS - 1)
    trend_since = date(back // 12, back % 12 + 1, 1)
    return PagePeriod(first, _month_end(first), trend_since, _month_end(first), chosen=False)


def filter_choices(wh: Warehouse) -> dict[str, list[str]]:
    """What the filter bar offers: ``platform`` and ``campaign`` (the same lists that
    :func:`parse_filters` and the CLI accept, from :mod:`goodwill.metrics.scope`) and
    ``last_day`` (``[YYYY-MM-DD]`` of :func:`last_data_day`, or ``[]``)."""
    from goodwill.metrics.scope import campaign_choices, platform_choices
    from goodwill.web.dashboard.cache import remember

    def compute() -> dict[str, list[str]]:
        last = last_data_day(wh)
        return {
            "platform": platform_choices(wh.ibis()),
            "campaign": campaign_choices(wh.ibis()),
            "last_day": [last.isoformat()] if last else [],
        }

    return {k: list(v) for k, v in remember(wh, "filter_choices", compute).items()}


def _quarter_start(day: date) -> date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def period_presets(f: Filters, choices: Mapping[str, list[str]]) -> list[tuple[str, str, bool]]:
    """The filter bar's date presets as ``(label, query string, chosen)``: the last 7, 30 and
    90 days, the month and the quarter, each ending on the last day with data (not today), and
    the same length of time just before the chosen period ("previous period"). The other
    filters are kept; ``month`` is dropped (a preset sets ``since``/``until``)."""
    last_day = choices.get("last_day") or []
    if not last_day:
        return []
    end = date.fromisoformat(last_day[0])
    spans = [
        ("Last 7 days", end - timedelta(days=6), end),
        ("Last 30 days", end - timedelta(days=29), end),
        ("Last 90 days", end - timedelta(days=89), end),
        ("Latest month", end.replace(day=1), end),
        ("Latest quarter", _quarter_start(end), end),
    ]
    if f.since and f.until:
        length = f.until - f.since
        before = f.since - timedelta(days=1)
        spans.append(("Previous period", before - length, before))
    return [
        (
            label,
            f.query(since=a.isoformat(), until=b.isoformat(), month=None),
            f.since == a and f.until == b,
        )
        for label, a, b in spans
    ]


DATE_RANGE = (date(1900, 1, 1), date(2199, 12, 31))
"""The dates a filter accepts: a period end one day past ``date.max`` (``until=9999-12-31``) or
a year the engine cannot hold (``since=0001-01-01``) is a 400, not an overflow."""


def _date(name: str, value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"{name}={value!r}: not a date; use YYYY-MM-DD") from None
    low, high = DATE_RANGE
    if not low <= day <= high:
        raise FilterError(f"{name}={value}: out of range; use a date from {low} to {high}")
    return day


def _choices(wh: Warehouse, table: str, column: str, *, brand: bool = False) -> list[str]:
    """The distinct values of ``table.column`` (``brand``: of the brand's own rows)."""
    t = wh.ibis().table(table)
    if brand:
        t = t.filter(t.owner == "brand")
    return sorted({str(v) for v in t[column].to_pyarrow().to_pylist() if v is not None})


def parse_filters(wh: Warehouse, query: Mapping[str, str]) -> Filters:
    """Validate the query string ``query`` against the warehouse (see the module docstring)."""
    unknown = sorted(set(query) - set(_KEYS))
    if unknown:
        raise FilterError(f"unknown parameter {unknown[0]!r}; the filters are {', '.join(_KEYS)}")
    values = {k: v.strip() for k, v in query.items() if v.strip()}
    f = Filters()
    if "since" in values:
        f.since = _date("since", values["since"])
    if "until" in values:
        f.until = _date("until", values["until"])
    if f.since and f.until and f.since > f.until:
        raise FilterError(f"since={f.since} is after until={f.until}; since must come first")
    if "month" in values:
        month = values["month"]
        try:
            date.fromisoformat(month + "-01")
        except ValueError:
            raise FilterError(f"month={month!r}: not a month; use YYYY-MM") from None
        f.month = month
    if "platform" in values or "campaign" in values:
        from goodwill.metrics.scope import check_campaign, check_platform

        try:
            if "platform" in values:
                f.platform = check_platform(wh.ibis(), values["platform"], "platform=")
            if "campaign" in values:
                f.campaign = check_campaign(wh.ibis(), values["campaign"], "campaign=")
        except UserInputError as exc:
            raise FilterError(str(exc)) from None
    if "tier" in values:
        if values["tier"] not in TIERS:
            raise FilterError(f"tier={values['tier']!r}: use one of {', '.join(TIERS)}")
        f.tier = values["tier"]
    if "metric" in values:
        if values["metric"] not in ITEM_METRICS:
            raise FilterError(f"metric={values['metric']!r}: use one of {', '.join(ITEM_METRICS)}")
        f.metric = values["metric"]
    _parse_detail(wh, values, f)
    return f


def _parse_detail(wh: Warehouse, values: Mapping[str, str], f: Filters) -> None:
    """``channel``, ``source`` (visits), ``account`` (care), ``code`` (tracked links),
    ``step`` (funnel), ``milestone`` and ``days`` (days to convert), ``post``
    (``platform:post_id``), ``reaction`` (a post's replies, shares, likes), ``from_tier`` /
    ``to_tier`` (a tier move; ``none``: not seen the month before) and ``message`` (a key
    message's ``message_id``): each must be a value the warehouse (or the metric) has;
    ``days`` is a whole number of days, 0 or more."""
    from goodwill.metrics.funnel import STEPS
    from goodwill.metrics.traffic import UNCLASSIFIED

    choices = {
        "channel": lambda: [UNCLASSIFIED, *_choices(wh, "visit_channels", "channel")],
        "source": lambda: [UNCLASSIFIED, *_choices(wh, "visit_channels", "source")],
        "account": lambda: _choices(wh, "accounts", "handle", brand=True),
        "code": lambda: _choices(wh, "links", "code"),
        "step": lambda: list(STEPS),
        "milestone": lambda: ["lead", "order"],
        "reaction": lambda: ["replies", "shares", "likes"],
        "segment": lambda: ["all", "repeat", "churned"],
        "from_tier": lambda: ["none", *TIERS],
        "to_tier": lambda: list(TIERS),
        "message": lambda: _choices(wh, "key_messages", "message_id"),
    }
    for key in DETAIL_KEYS:
        if key not in values:
            continue
        if key == "days":
            if not values[key].isdigit():
                raise FilterError(f"days={values[key]!r}: use a whole number of days, 0 or more")
            f.days = str(int(values[key]))
            continue
        if key == "post":
            platform, _, post_id = values[key].partition(":")
            posts = wh.ibis().table("posts")
            found = (
                posts.filter((posts.platform == platform) & (posts.post_id == post_id))
                .count()
                .to_pyarrow()
                .as_py()
            )
            if not found:
                raise FilterError(
                    f"post={values[key]!r}: no such post; use platform:post_id of a post"
                )
            f.post = values[key]
            continue
        known = choices[key]()
        if values[key] not in known:
            shown = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
            raise FilterError(f"{key}={values[key]!r}: use one of {shown or '(none imported)'}")
        setattr(f, key, values[key])
