"""Audience & content, Listening, Care, and Traffic & funnel pages.

Every table is the frame of a declared metric query (``run_query``) or of the function the
matching CLI command calls (``detect_spikes`` + ``alert_mentions`` for ``goodwill alerts``,
``pull_through`` for ``goodwill pullthrough``); the builders only narrow rows (campaign) and
format.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd

from goodwill.metrics import run_query
from goodwill.metrics.scope import (
    campaign_engagement,
    campaign_top_posts,
    campaign_traffic_detail,
    campaign_visits,
)
from goodwill.metrics.traffic_detail import detail_visits
from goodwill.web.dashboard.charts import hover_bar_chart, hover_line_chart, trend_chart
from goodwill.web.dashboard.filters import Filters
from goodwill.web.dashboard.item_links import (
    PULLTHROUGH_METHOD,
    care_href,
    clicks_href,
    funnel_days_href,
    funnel_href,
    listening_href,
    month_filters,
    post_href,
    pullthrough_href,
    visits_href,
)
from goodwill.web.dashboard.page_models import Card, Section, table
from goodwill.web.dashboard.pages_relationships import Ctx
from goodwill.web.dashboard.permalinks import post_links, row_link

__all__ = ["audience_page", "care_page", "listening_page", "traffic_page"]


def _by_platform(frame: pd.DataFrame, value: str, title: str) -> str | None:
    if frame.empty:
        return None
    wide = frame.pivot_table(index="period", columns="platform", values=value, aggfunc="sum")
    labels = [pd.Timestamp(p).strftime("%b %y") for p in wide.index]
    series = {str(c): [None if pd.isna(v) else float(v) for v in wide[c]] for c in wide.columns}
    unit = "fraction" if value.endswith("_rate") else "count"
    return hover_line_chart(labels, series, title=title, unit=unit)


_NO_CAMPAIGN_MENTIONS = "a mention names an account, not a post or campaign"
_NO_CAMPAIGN_CARE = "messages needing an answer are addressed to an account, not a campaign"


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    """``period`` as ``datetime.date`` values, as ``run_query`` gives it."""
    if "period" in frame.columns:
        frame["period"] = pd.to_datetime(frame["period"]).dt.date
    return frame


def _items(f: Filters, metric: str) -> str:
    return "/items" + f.query(metric=metric, tier=None, month=None)


def audience_page(ctx: Ctx) -> list[Section]:
    """Network size and growth (``audience``), conversation/amplification/applause
    (``engagement``) and the top posts (``top_posts``). ``campaign`` narrows the posts, their
    engagement and the top posts to the campaign's posts
    (:func:`goodwill.metrics.scope.campaign_engagement`); follower counts have none."""
    f, b = ctx.headline_filters(), ctx.backend
    trend, params = ctx.trend_params(), f.params()
    audience = run_query("audience", b, trend)
    if f.campaign:
        engagement = _dated(b.execute(campaign_engagement(b, trend, f.campaign)))
        top = _dated(b.execute(campaign_top_posts(b, params, f.campaign)))
    else:
        engagement = run_query("engagement", b, trend)
        top = run_query("top_posts", b, params)
    posts = int(ctx.headline(engagement)["posts"].sum())
    charts = [
        c
        for c in (
            _by_platform(audience, "followers", "Followers by platform"),
            _by_platform(engagement, "engagement_rate", "Engagement rate by platform"),
        )
        if c
    ]
    return [
        Section(
            id="audience",
            title="Network size and growth",
            cards=[
                Card(
                    name="posts",
                    label="Brand posts",
                    value=float(posts),
                    unit="count",
                    definition="engagement.posts summed over periods and platforms (with a "
                    "campaign: the campaign's posts)",
                    href=_items(f, "posts"),
                )
            ],
            not_filtered={
                "campaign": "follower counts have no campaign (the Brand posts card and the "
                "sections below count the campaign's posts)"
            },
            charts=charts,
            tables=[table("audience", "Audience by month and platform", ctx.headline(audience))],
        ),
        Section(
            id="engagement",
            title="Conversation, amplification and applause",
            tables=[
                table(
                    "engagement",
                    "Engagement by month and platform",
                    ctx.headline(engagement),
                    links={
                        c: lambda r: _month_items(f, r, "posts")
                        for c in ("posts", "replies", "shares", "likes")
                    },
                )
            ],
        ),
        Section(
            id="top_posts",
            title="Top posts",
            tables=[
                table(
                    "top_posts",
                    "Top posts",
                    top,
                    links={
                        c: lambda r, c=c: post_href(r, c)
                        for c in ("replies", "shares", "likes", "engagements")
                    },
                )
            ],
        ),
    ]


def _month_items(f: Filters, row: dict[str, object], metric: str) -> str:
    """``/items`` for ``metric`` in the row's month (``period``, within the page's own
    ``since``/``until``) and platform."""
    base = month_filters(f, row.get("period"))
    base = base.model_copy(update={"platform": str(row.get("platform")), "campaign": f.campaign})
    return "/items" + base.query(metric=metric)


def listening_page(ctx: Ctx) -> list[Section]:
    """Volume and share of voice (``listening``), sentiment (``reputation``), alerts with
    the mentions behind them (``goodwill alerts``) and key-message pull-through
    (``goodwill pullthrough``)."""
    from goodwill.metrics.alerts import alerts_with_examples, brand_pull_through

    f, b = ctx.headline_filters(), ctx.backend
    trend, params = ctx.trend_params(), f.params()
    listening = run_query("listening", b, trend)
    reputation = run_query("reputation", b, trend)
    # spikes are found over the trend months (each day against the weeks before it), then
    # listed for the headline period
    alert_frame = ctx.headline(alerts_with_examples(b, trend), "day")
    pulled = brand_pull_through(b, params, method=PULLTHROUGH_METHOD)
    month_listening = ctx.headline(listening)
    total = int(month_listening["mentions"].sum())

    def day_link(r: dict[str, object]) -> str:
        day = pd.Timestamp(r["day"]).date()  # type: ignore[arg-type]
        return "/items" + Filters(platform=str(r["platform"]), since=day, until=day).query(
            metric="mentions"
        )

    return [
        Section(
            id="volume",
            title="Mentions and share of voice",
            not_filtered={"campaign": _NO_CAMPAIGN_MENTIONS},
            cards=[
                Card(
                    name="mentions",
                    label="Brand mentions",
                    value=float(total),
                    unit="count",
                    definition="listening.mentions summed over the filtered periods",
                    href=_items(f, "mentions"),
                )
            ],
            charts=[c for c in (_by_platform(listening, "mentions", "Mentions"),) if c],
            tables=[
                table(
                    "listening",
                    "Listening by month and platform",
                    month_listening,
                    links={
                        "mentions": lambda r: _month_items(f, r, "mentions"),
                        "unique_authors": lambda r: listening_href(f, r, "mention_authors"),
                        "competitor_mentions": lambda r: listening_href(
                            f, r, "competitor_mentions"
                        ),
                    },
                )
            ],
        ),
        Section(
            id="sentiment",
            title="Sentiment",
            not_filtered={"campaign": _NO_CAMPAIGN_MENTIONS},
            charts=[
                c
                for c in (
                    trend_chart(
                        reputation,
                        {
                            "net sentiment": ("net_sentiment", "mentions"),
                        },
                        title="Net sentiment by month (positive − negative) / labelled mentions",
                        unit="ratio",
                    ),
                )
                if c
            ],
            tables=[
                table(
                    "reputation",
                    "Reputation by month and platform",
                    ctx.headline(reputation),
                    links={
                        "mentions": lambda r: listening_href(f, r, "labelled_mentions"),
                        "positive": lambda r: listening_href(f, r, "positive_mentions"),
                        "negative": lambda r: listening_href(f, r, "negative_mentions"),
                    },
                )
            ],
        ),
        Section(
            id="alerts",
            title=f"Alerts: {len(alert_frame)}",
            not_filtered={"campaign": _NO_CAMPAIGN_MENTIONS},
            intro="Days when mentions or negative mentions rose above 3 spreads of the "
            "same weekday's last 4 weeks (goodwill alerts), with the mentions behind them.",
            tables=[
                table(
                    "alerts",
                    "Alerts",
                    alert_frame,
                    links={"value": day_link},
                    definitions={
                        "value": "mentions that day",
                        "expected": "mean of the same weekday over the 4 weeks before",
                    },
                )
            ],
        ),
        Section(
            id="pullthrough",
            title="Key-message pull-through",
            not_filtered={"campaign": _NO_CAMPAIGN_MENTIONS},
            intro="Share of brand mentions carrying each key message (char-tfidf similarity).",
            tables=[
                table(
                    "pullthrough",
                    "Pull-through",
                    pulled,
                    units={"share": "fraction", "mentions": "count", "carrying": "count"},
                    definitions={
                        "share": "carrying / mentions",
                        "mentions": "labelled brand mentions within the filters",
                        "carrying": "brand mentions similar to the key message",
                    },
                    links={
                        "mentions": lambda r: pullthrough_href(f, r, "mentions"),
                        "carrying": lambda r: pullthrough_href(f, r, "carrying"),
                    },
                )
            ],
        ),
    ]


def care_page(ctx: Ctx) -> list[Section]:
    """Response rate and times (``care``) and the unanswered complaints queue
    (``unanswered``, oldest first)."""
    from goodwill.metrics.care import shared_threads

    f, b = ctx.headline_filters(), ctx.backend
    with shared_threads():  # the two queries build the care threads once
        care = run_query("care", b, ctx.trend_params())
        unanswered = run_query("unanswered", b, f.params()).sort_values("created_at")
    month_care = ctx.headline(care)
    need, answered = int(month_care["needing_answer"].sum()), int(month_care["answered"].sum())
    cards = [
        Card(
            name="needing_answer",
            label="Needed an answer",
            value=float(need),
            unit="count",
            definition="care.needing_answer summed over the filtered periods",
            href=_items(f, "needing_answer"),
        ),
        Card(
            name="answered",
            label="Answered",
            value=float(answered),
            unit="count",
            definition="care.answered summed over the filtered periods",
            href=_items(f, "answered"),
        ),
        Card(
            name="response_rate",
            label="Response rate",
            value=answered / need if need else None,
            unit="fraction",
            definition="answered / needing_answer over the filtered periods",
        ),
        Card(
            name="unanswered",
            label="Unanswered complaints",
            value=float(len(unanswered)),
            unit="count",
            definition="rows of the unanswered query",
            href=_items(f, "unanswered"),
        ),
    ]
    return [
        Section(
            id="care",
            title="Customer care",
            not_filtered={"campaign": _NO_CAMPAIGN_CARE},
            cards=cards,
            charts=[
                c
                for c in (
                    trend_chart(
                        care,
                        {"response rate": ("response_rate", "needing_answer")},
                        title="Response rate by month (answered / needing an answer)",
                        unit="fraction",
                    ),
                    trend_chart(
                        care,
                        {
                            "median": ("frt_median_hours", "answered"),
                            "slowest 10%": ("frt_p90_hours", "answered"),
                        },
                        title="Hours to the first answer by month (accounts weighted by answers)",
                        unit="ratio",
                    ),
                )
                if c
            ],
            tables=[
                table(
                    "care",
                    "Care by month, platform and account",
                    month_care,
                    links={
                        "needing_answer": lambda r: care_href(f, r, "needing_answer"),
                        "answered": lambda r: care_href(f, r, "answered"),
                        "complaints": lambda r: care_href(f, r, "complaints"),
                        "resolved": lambda r: care_href(f, r, "resolved"),
                    },
                )
            ],
        ),
        Section(
            id="unanswered",
            title="Unanswered complaints, oldest first",
            not_filtered={"campaign": _NO_CAMPAIGN_CARE},
            tables=[
                table(
                    "unanswered",
                    "Unanswered",
                    unanswered,
                    # each complaint opens its post on the platform (new tab), when known
                    links={"interaction_id": row_link(post_links(b, unanswered))},
                )
            ],
        ),
    ]


def device_of(user_agent: object) -> str:
    """The kind of device of a visit from its user agent: ``tablet`` (iPad, "Tablet", an
    Android without "Mobile"), ``mobile`` ("Mobi", iPhone, Android), ``desktop`` (any other
    user agent) or ``unknown`` (none recorded, as for imported visits without one)."""
    if not isinstance(user_agent, str) or not user_agent.strip():
        return "unknown"
    ua = user_agent.lower()
    if "ipad" in ua or "tablet" in ua or ("android" in ua and "mobile" not in ua):
        return "tablet"
    if "mobi" in ua or "iphone" in ua or "android" in ua:
        return "mobile"
    return "desktop"


def _path_of(url: object) -> str:
    """A landing URL's path, without query string or fragment (``/`` for the home page)."""
    if not isinstance(url, str):
        return "(none)"
    path = urlsplit(url).path if "://" in url else url.split("?")[0].split("#")[0]
    return path or "/"


TOP_PAGES = 10
"""How many landing pages the Traffic page's chart shows (the table lists them all)."""


def _pages_and_devices(ctx: Ctx, f: Filters) -> Section:
    """Visits of the headline period by landing page and by device (the visits that
    ``traffic_detail`` counts, narrowed to the campaign when one is chosen)."""
    b = ctx.backend
    v = detail_visits(b, f.params())
    if f.campaign:
        v = campaign_visits(b, v, f.campaign)
    raw = b.table("visits").select("visit_id", "landing_url", "user_agent")
    frame = b.execute(v.select("visit_id", "pageviews").join(raw, "visit_id"))
    total = len(frame)
    frame["page"] = [_path_of(u) for u in frame["landing_url"]]
    frame["device"] = [device_of(u) for u in frame["user_agent"]]

    def counts(by: str) -> pd.DataFrame:
        out: pd.DataFrame = (
            frame.groupby(by)
            .agg(visits=("visit_id", "size"), pageviews=("pageviews", "sum"))
            .reset_index()
            .sort_values(["visits", by], ascending=[False, True])
        )
        out["share"] = out["visits"] / total if total else 0.0
        return out

    pages, devices = counts("page"), counts("device")
    defs = {
        "visits": "visits of the period that landed on the page (or came from the device)",
        "pageviews": "pageviews of those visits (a visit without a count is one)",
        "share": "visits / all visits of the period",
        "page": "the landing URL's path, without query string",
        "device": "tablet, mobile or desktop from the visit's user agent; unknown: none kept",
    }
    units = {"visits": "count", "pageviews": "count", "share": "fraction"}
    charts = []
    if total:
        top = [(str(p), float(v)) for p, v in zip(pages["page"], pages["visits"], strict=True)]
        top = top[:TOP_PAGES]
        charts.append(hover_bar_chart(top, title=f"Top {len(top)} landing pages (visits)"))
        charts.append(
            hover_bar_chart(
                [
                    (str(d), float(v))
                    for d, v in zip(devices["device"], devices["visits"], strict=True)
                ],
                title="Visits by device",
            )
        )
    return Section(
        id="pages",
        title="Pages and devices",
        intro="Visits of the period by the page they landed on and the kind of device. "
        "Countries are not shown: goodwill keeps no IP address and no location of a visitor.",
        charts=charts,
        tables=[
            table("landing_pages", "Landing pages", pages, units=units, definitions=defs),
            table("devices", "Devices", devices, units=units, definitions=defs),
        ],
    )


def traffic_page(ctx: Ctx) -> list[Section]:
    """Channels and sources (``traffic_detail``), tracked links (``link_clicks``) and the
    funnel with days to convert (``funnel``, ``funnel_days``). ``campaign`` narrows the
    channels to the campaign's visits (``utm_campaign`` or tracked link,
    :func:`goodwill.metrics.scope.campaign_traffic_detail`) and the links to its links; the
    funnel is not narrowed (its section says why)."""
    f, b = ctx.headline_filters(), ctx.backend
    trend, params = ctx.trend_params(), f.params()
    if f.campaign:
        trend_detail = _dated(b.execute(campaign_traffic_detail(b, trend, f.campaign)))
    else:
        trend_detail = run_query("traffic_detail", b, trend)
    detail = ctx.headline(trend_detail)
    links = run_query("link_clicks", b, params)
    if f.campaign:
        links = links[links["campaign"] == f.campaign]
    funnel = run_query("funnel", b, params)
    days = run_query("funnel_days", b, params)
    by_channel = detail.groupby("channel")["visits"].sum().sort_values(ascending=False)
    charts = (
        [
            hover_bar_chart(
                [(str(k), float(v)) for k, v in by_channel.items()], title="Visits by channel"
            )
        ]
        if len(by_channel)
        else []
    )
    if "period" in trend_detail.columns:
        visits = trend_chart(
            trend_detail,
            {"visits": ("visits", None)},
            title="Visits by month",
            unit="count",
        )
        charts = [visits, *charts] if visits else charts
    return [
        Section(
            id="channels",
            title="Channels and sources",
            charts=charts,
            tables=[
                table(
                    "traffic_detail",
                    "Visits by month, channel and source",
                    detail.sort_values(["period", "visits"], ascending=[False, False]),
                    links={
                        "visits": lambda r: visits_href(f, r),
                        "visitors": lambda r: visits_href(f, r, "visitors"),
                        "pageviews": lambda r: visits_href(f, r, "pageviews"),
                        "engaged_visits": lambda r: visits_href(f, r, "engaged_visits"),
                        "returning_visitors": lambda r: visits_href(f, r, "returning_visitors"),
                    },
                )
            ],
        ),
        _pages_and_devices(ctx, f),
        Section(
            id="links",
            title="Tracked links",
            tables=[
                table(
                    "link_clicks",
                    "Tracked links",
                    links.sort_values("clicks", ascending=False),
                    links={
                        "clicks": lambda r: clicks_href(f, r),
                        "clickers": lambda r: clicks_href(f, r, "clickers"),
                        "visits": lambda r: clicks_href(f, r, "link_visits"),
                        "posts": lambda r: clicks_href(f, r, "link_posts"),
                    },
                )
            ],
        ),
        Section(
            id="funnel",
            title="Funnel",
            not_filtered={
                "campaign": "the funnel follows each person from their first social touch on "
                "any post, not one campaign's"
            },
            tables=[
                table("funnel", "Funnel", funnel, links={"people": lambda r: funnel_href(f, r)}),
                table(
                    "funnel_days",
                    "Days to convert",
                    days,
                    links={"people": lambda r: funnel_days_href(f, r)},
                ),
            ],
        ),
    ]
