"""Overview, People, a person's page and the items behind a count.

Each builder only calls the functions the CLI calls (``scorecard``, ``scorecard_progress``,
``run_query``, ``monthly_roster``, ``tier_migration``, ``timeline``, the metrics' row-level
Ibis expressions) and formats their results as :class:`Section` objects.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from goodwill.errors import UserInputError
from goodwill.metrics import run_query, scorecard
from goodwill.warehouse import Warehouse
from goodwill.web.dashboard.charts import hover_line_chart
from goodwill.web.dashboard.context import Ctx, person_href
from goodwill.web.dashboard.filters import Filters
from goodwill.web.dashboard.item_links import item_intro, loyalty_href, tier_moves_href
from goodwill.web.dashboard.page_models import Card, Section, table

__all__ = ["Ctx", "items_page", "overview_page", "people_page", "person_href", "person_page"]


def _month_range(f: Filters, month: date) -> Filters:
    p = f.month_params(month)
    return f.model_copy(update={"since": p.since, "until": p.until, "month": None})


def _card_href(name: str, f: Filters, month: date) -> str | None:
    m = _month_range(f, month)
    hrefs = {
        "mentions": "/items" + m.query(metric="mentions"),
        "share_of_voice": "/listening" + m.query(),
        "posts": "/items" + m.query(metric="posts"),
        "leads": "/items" + m.query(metric="leads"),
        "orders": "/items" + m.query(metric="orders"),
        "revenue": "/items" + m.query(metric="orders"),
        "people_active": "/items" + m.query(metric="people_active"),
        "repeat_interactors": "/items" + m.query(metric="repeat_interactors"),
        "visits": "/items" + m.query(metric="visits"),
        "social_share_of_visits": "/items" + m.query(metric="social_visits"),
        "followers": "/audience" + m.query(),
        "net_growth": "/audience" + m.query(),
        "social_cost": "/money" + m.query(),
    }
    return hrefs.get(name, "/audience" + m.query())


def _trend(frame: pd.DataFrame, columns: dict[str, str], title: str) -> str | None:
    if frame.empty or "period" not in frame:
        return None
    sums = frame.groupby("period", sort=True)[list(columns)].sum()
    labels = [pd.Timestamp(p).strftime("%b %y") for p in sums.index]
    series = {label: [float(v) for v in sums[c]] for c, label in columns.items()}
    return hover_line_chart(labels, series, title=title)


_MONTH_ONLY = {
    "since": "the scorecard is one calendar month (choose it with month)",
    "until": "the scorecard is one calendar month (choose it with month)",
}


def overview_page(ctx: Ctx) -> list[Section]:
    """The month's scorecard (headline numbers beside the month before, narrowed by
    ``platform`` and ``campaign`` as :func:`goodwill.metrics.scorecard` says; a card a filter
    does not narrow says so in ``detail``), progress against the ``[scorecard]`` targets,
    and monthly trends. Sections list the filters they do not apply (``not_filtered``)."""
    from goodwill.attribution.roi import RoiSettings, scorecard_progress
    from goodwill.attribution.scorecard_config import load_scorecard_config
    from goodwill.config import load_config

    month = ctx.month()
    if month is None:
        return [Section(id="empty", title="No data yet", intro="Import data with goodwill import.")]
    f = ctx.filters
    cfg = load_config()
    rows = scorecard(ctx.backend, month=month, platform=f.platform, campaign=f.campaign)
    cards = [
        Card(
            name=r.name,
            label=r.label,
            value=r.value,
            unit=r.unit,
            previous=r.previous,
            change=r.change,
            definition=r.definition + (f" ({cfg.currency})" if r.unit == "currency" else ""),
            href=_card_href(r.name, f, month),
            detail=r.not_narrowed,
        )
        for r in rows
    ]
    sections = [
        Section(
            id="scorecard",
            title=f"Scorecard, {month:%B %Y}",
            intro=f"Money in {cfg.currency}. Each number beside the month before; every number "
            "links to what is behind it. Platform and campaign narrow each number as its "
            "definition says; a card they do not narrow says so.",
            not_filtered=_MONTH_ONLY,
            cards=cards,
        )
    ]
    config = load_scorecard_config(cfg.path)
    if config.targets:
        settings = RoiSettings(model=config.model, hourly_rate=config.hourly_rate)
        progress = scorecard_progress(ctx.backend, config, settings)
        sections.append(
            Section(
                id="targets",
                title=f"Progress against targets ({config.currency}; {config.model} model)",
                intro="goodwill roi --targets: actual against each [scorecard.targets] entry "
                "of goodwill.toml, with its bootstrap interval.",
                not_filtered={
                    "platform": "a target is set for the whole business, so progress is over "
                    "all platforms",
                    "campaign": "a target is set for the whole business, so progress is over "
                    "all campaigns",
                    **_MONTH_ONLY,
                },
                tables=[
                    table(
                        "targets",
                        "Targets",
                        progress,
                        units={"progress": "fraction", "elapsed": "fraction"},
                        definitions={
                            "actual": f"the scorecard currency {config.currency} over the period",
                            "progress": "actual / target",
                            "elapsed": "share of the period's days up to the last data day",
                            "baseline": f"what would have happened anyway: the part of the "
                            f"period's {config.currency} the {config.model} model's baseline "
                            "explains, credited to no platform (NaN for other models)",
                        },
                    )
                ],
            )
        )
    params = ctx.trend_params()
    loyalty = run_query("loyalty", ctx.backend, params)
    traffic = run_query("traffic_share", ctx.backend, params)
    charts = [
        c
        for c in (
            _trend(
                loyalty,
                {"people_active": "people", "repeat_interactors": "repeat"},
                "People who paid attention, by month",
            ),
            _trend(
                traffic,
                {"visits": "visits", "social_visits": "from social"},
                "Website visits, by month",
            ),
        )
        if c
    ]
    sections.append(
        Section(
            id="trends",
            title="Trends",
            not_filtered={
                "campaign": "the loyalty and traffic trends are over all campaigns (the "
                "scorecard above narrows people and visits to the campaign)"
            },
            charts=charts,
            tables=[
                table(
                    "loyalty",
                    "Loyalty by month",
                    loyalty,
                    links={
                        "people_active": lambda r: loyalty_href(f, r, "people_active"),
                        "repeat_interactors": lambda r: loyalty_href(f, r, "repeat_interactors"),
                        "new_people": lambda r: loyalty_href(f, r, "new_people"),
                        "interactions": lambda r: loyalty_href(f, r, "attention"),
                    },
                )
            ],
        )
    )
    return sections


def people_page(ctx: Ctx) -> list[Section]:
    """The monthly roster by name (``goodwill people``), tier migration (``goodwill people
    tiers``), people to thank and champions gone quiet. ``platform`` (people active on it),
    ``campaign`` (people who acted on one of its posts in the month) narrow the roster, its
    counts and the newcomers; ``tier`` narrows the roster's rows."""
    from goodwill.people import activity
    from goodwill.people.roster import monthly_roster
    from goodwill.people.scores import load_tier_rule, tier_counts, tier_definitions
    from goodwill.people.tiers import tier_history, tier_migration
    from goodwill.web.dashboard.cache import remember
    from goodwill.web.dashboard.charts import tiers_chart

    month = ctx.month()
    if month is None:
        return [Section(id="empty", title="No data yet", intro="Import data with goodwill import.")]
    f = ctx.filters
    roster = monthly_roster(ctx.wh, month)
    scoped = _roster_scope(ctx.wh, roster.people, f, month)
    newcomers = _roster_scope(ctx.wh, roster.newcomers, f, month)
    people = scoped.sort_values(["score", "interactions"], ascending=False)
    if f.tier:
        people = people[people["tier"] == f.tier]
    label = f"{month:%Y-%m}"
    name_link = {"name": lambda r: person_href(r.get("person_id"))}
    counts = {t: n for t, n in tier_counts(scoped).items() if n}  # as the report counts
    rules = tier_definitions(load_tier_rule())
    within = Filters(month=label, platform=f.platform, campaign=f.campaign)
    scope_text = (f" on {f.platform}" if f.platform else "") + (
        f" who acted on a post of campaign {f.campaign}" if f.campaign else ""
    )
    cards = [
        Card(
            name="people",
            label="People who paid attention",
            value=float(len(scoped)),
            unit="people",
            definition="persons with an inbound interaction (not unfollow) to a brand account "
            "in the month (goodwill people); with platform P: active on P; with campaign C: "
            "with such an interaction on one of C's posts"
            + (f" — here{scope_text}" if scope_text else ""),
            href="/people" + within.query(),
        )
    ] + [
        Card(
            name=f"tier_{tier}",
            label=f"Tier: {tier}",
            value=float(n),
            unit="people",
            definition=f"people of the month's roster (within the platform and campaign "
            f"filters) whose tier at the month's end is {tier}: {rules[tier]} (docs/metrics.md, "
            "Relationship tiers)",
            href="/people" + within.query(tier=str(tier)),
        )
        for tier, n in counts.items()
    ]
    title = f"Who paid attention in {month:%B %Y}" + (f" — tier {f.tier}" if f.tier else "")
    history = remember(  # the same for every filter: once per data state
        ctx.wh,
        "tier_history",
        lambda: tier_history(activity.social_events(ctx.wh), activity.conversions(ctx.wh)),
    )
    migration = tier_migration(history)
    return [
        Section(
            id="roster",
            title=title,
            intro=f"{len(people):,} people shown; names link to each person's timeline.",
            cards=cards,
            tables=[
                table(
                    "roster",
                    "People",
                    people,
                    columns=[
                        "name",
                        "platforms",
                        "did",
                        "tier",
                        "score",
                        "customer",
                        "first_seen",
                        "regular",
                    ],
                    definitions={
                        "score": "relationship score 0-100 at the month's end",
                        "did": "what they did this month",
                    },
                    links=name_link,
                    limit=500,
                )
            ],
        ),
        Section(
            id="lists",
            title="People to thank and champions gone quiet",
            intro="Newcomers are narrowed by platform and campaign like the roster.",
            not_filtered={
                "platform": "people to thank and champions gone quiet are chosen by their "
                "relationship with the brand over all platforms",
                "campaign": "people to thank and champions gone quiet are chosen by their "
                "relationship with the brand, not by one campaign",
            },
            tables=[
                table(
                    "to_thank",
                    "People to thank",
                    roster.to_thank,
                    columns=["name", "reason"],
                    links=name_link,
                ),
                table(
                    "gone_quiet",
                    "Champions gone quiet",
                    roster.gone_quiet,
                    columns=["name", "reason"],
                    links=name_link,
                ),
                table(
                    "newcomers",
                    "Newcomers",
                    newcomers,
                    columns=["name", "platforms", "did"],
                    links=name_link,
                ),
            ],
        ),
        Section(
            id="migration",
            title="Tier migration month to month",
            charts=[c for c in (tiers_chart(history, month),) if c],
            not_filtered={
                "platform": "tiers are scored from a person's activity on all platforms",
                "campaign": "tiers are scored from a person's whole relationship, not one campaign",
            },
            tables=[
                table(
                    "tier_migration",
                    "Tier migration",
                    migration.tail(60),
                    units={"people": "people"},
                    definitions={
                        "people": "people whose tier was from_tier at the end of the month "
                        "before period (none: not seen yet) and to_tier at its end"
                    },
                    links={"people": tier_moves_href},
                )
            ],
        ),
    ]


def _roster_scope(wh: Warehouse, frame: pd.DataFrame, f: Filters, month: date) -> pd.DataFrame:
    """Rows of a roster frame (``person_id``, ``platforms``) within the platform filter
    (active on it in the month) and the campaign filter
    (:func:`goodwill.metrics.items.campaign_people`)."""
    if f.platform:
        frame = frame[frame["platforms"].str.split(", ").apply(lambda p: f.platform in p)]
    if f.campaign:
        from goodwill.metrics.items import campaign_people

        people = campaign_people(wh.ibis(), f.month_params(month), f.campaign)
        frame = frame[frame["person_id"].isin(people)]
    return frame


def person_page(ctx: Ctx, ref: str) -> list[Section]:
    """A person's tier and why they hold it, identities and full timeline (``goodwill
    person``)."""
    from goodwill.people.timeline import find_person, standing, timeline

    pid = find_person(ctx.wh, ref)
    b = ctx.backend
    people = b.table("people")
    names = b.execute(people.filter(people.person_id == pid).select("display_name"))
    name = str(names["display_name"][0]) if len(names) and names["display_name"][0] else pid
    person_links = b.table("person_links")
    links = b.execute(
        person_links.filter(person_links.person_id == pid)
        .select("kind", "value", "method", "score")
        .order_by("kind", "value")
    )
    frame = timeline(ctx.wh, pid)
    where = standing(ctx.wh, pid)
    tier_intro = (
        f"Tier at the end of {where['month']:%Y-%m}: {where['tier']} (score {where['score']}) — "
        f"{where['reason']}. Rule: docs/metrics.md, Relationship tiers."
        if where is not None
        else "No tier: no interaction with a brand account yet."
    )
    return [
        Section(
            id="person",
            title=name,
            intro=f"person {pid}: {len(frame):,} events. {tier_intro}",
            tables=[
                table(
                    "identities",
                    "Identities",
                    links,
                    definitions={"score": "match score of the identity link (1 = rule)"},
                ),
                table("timeline", "Timeline", frame, limit=2000),
            ],
        )
    ]


def items_page(ctx: Ctx) -> list[Section]:
    """The rows behind a count: the list ``metric`` of :data:`goodwill.metrics.items.ITEMS`
    (:func:`goodwill.metrics.items.run_items`, as ``goodwill metrics NAME --items``) within the
    filters, narrowed by the row keys the list takes; the first 1,000 rows are shown, the
    title gives the total. People link to their page; an unanswered message to its post."""
    from goodwill.metrics.items import ITEMS, run_items
    from goodwill.web.dashboard.filters import ITEM_METRICS

    if not (ctx.filters.since or ctx.filters.until or ctx.filters.month):
        ctx = ctx.headline_ctx()  # no period chosen: the default period of every page
    f = ctx.filters
    if f.metric is None or f.metric not in ITEMS:
        raise UserInputError(f"metric: give one of {', '.join(ITEM_METRICS)}")
    items = ITEMS[f.metric]
    values = f.model_dump()
    row = {k: str(values[k]) for k in items.keys if values.get(k) is not None}
    frame = run_items(f.metric, ctx.backend, f.params(), row)
    links: dict[str, Any] = {}
    if "person_id" in frame.columns:
        links = {"person": lambda r: person_href(r.get("person_id"))}
    if f.metric == "unanswered":
        from goodwill.web.dashboard.permalinks import post_links, row_link

        links = {"interaction_id": row_link(post_links(ctx.backend, frame))}
    columns = [c for c in frame.columns if c not in ("person_id", "email")]
    return [
        Section(
            id="items",
            title=f"{f.metric}: {len(frame):,}",
            intro=item_intro(f.metric),
            tables=[table(f.metric, f.metric, frame, columns=columns, links=links, limit=1000)],
        )
    ]
