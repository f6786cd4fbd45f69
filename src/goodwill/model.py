"""The canonical model: every warehouse table, declared once.

This module is the contract between adapters (which produce rows) and metrics (which read
them). The interchange file format (``shared/interchange.md``), the warehouse DDL, the import
validation and the docs are all driven from the declarations below.

Column kinds (``Column.kind``):

* ``text``      — UTF-8 string.
* ``handle``    — text compared case-insensitively without a leading ``@``: stored lowercased,
                  trimmed and with leading ``@`` removed.
* ``timestamp`` — ISO 8601; an offset or ``Z`` is honoured, a naive value means UTC. Stored as a
                  naive UTC ``TIMESTAMP``.
* ``date``      — ``YYYY-MM-DD``.
* ``integer``   — whole number.
* ``decimal``   — a decimal number (money, hours), stored as ``DECIMAL(18,4)``.
* ``enum``      — text restricted to ``Column.choices``.

Columns with ``stored_only=True`` are not part of the interchange file: the importer derives
them (for example the amount converted to the reporting currency).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "CANONICAL_TABLES",
    "IMPORT_ORDER",
    "INTERACTION_KINDS",
    "SCHEMA_VERSION",
    "SYSTEM_TABLES",
    "Column",
    "ColumnKind",
    "Table",
    "table",
]

SCHEMA_VERSION = 6
"""Bumped whenever a table or column changes; ``warehouse.MIGRATIONS`` upgrades older files."""

ColumnKind = Literal["text", "handle", "timestamp", "date", "integer", "decimal", "enum"]

SQL_TYPES: Mapping[ColumnKind, str] = {
    "text": "VARCHAR",
    "handle": "VARCHAR",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
    "integer": "BIGINT",
    "decimal": "DECIMAL(18,4)",
    "enum": "VARCHAR",
}

INTERACTION_KINDS = (
    "mention",
    "reply",
    "comment",
    "share",
    "like",
    "follow",
    "unfollow",
    "dm",
    # -- business sources: email campaign activity (platform email) --
    "click",
    "open",
)


@dataclass(frozen=True, kw_only=True)
class Column:
    """One column of a canonical table."""

    name: str
    kind: ColumnKind
    required: bool = False
    doc: str = ""
    choices: tuple[str, ...] = ()
    default: str | None = None
    stored_only: bool = False

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]


@dataclass(frozen=True, kw_only=True)
class Table:
    """One canonical table: its grain, key and columns."""

    name: str
    grain: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    money: tuple[tuple[str, str, str], ...] = field(default=())
    """(amount column, currency column, converted column) triples converted to the reporting
    currency at import."""
    one_of: tuple[str, ...] = ()
    """At least one of these columns must carry a value."""

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def file_columns(self) -> tuple[Column, ...]:
        """The columns an interchange file may carry."""
        return tuple(c for c in self.columns if not c.stored_only)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _c(
    name: str, kind: ColumnKind = "text", required: bool = False, doc: str = "", **kw: object
) -> Column:
    return Column(name=name, kind=kind, required=required, doc=doc, **kw)  # type: ignore[arg-type]


CANONICAL_TABLES: tuple[Table, ...] = (
    Table(
        name="accounts",
        grain="a brand's own account on a platform, or a competitor's (for share of voice)",
        key=("platform", "handle"),
        columns=(
            _c("platform", required=True, doc="lowercase platform name: x, mastodon, bluesky, ..."),
            _c("handle", "handle", required=True),
            _c("owner", "enum", required=True, choices=("brand", "competitor")),
            _c("display_name"),
        ),
    ),
    Table(
        name="posts",
        grain="a post published by one of the accounts",
        key=("platform", "post_id"),
        columns=(
            _c("platform", required=True),
            _c("post_id", required=True),
            _c("handle", "handle", required=True, doc="the account that published it"),
            _c("created_at", "timestamp", required=True),
            _c("text"),
            _c("url"),
            _c("campaign"),
            _c("link_code", doc="a tracked link the post carries"),
        ),
    ),
    Table(
        name="interactions",
        grain="one social action by someone, inbound to an account or outbound from the brand",
        key=("platform", "interaction_id"),
        columns=(
            _c("platform", required=True),
            _c("interaction_id", required=True),
            _c("created_at", "timestamp", required=True),
            _c("kind", "enum", required=True, choices=INTERACTION_KINDS),
            _c("direction", "enum", required=True, choices=("inbound", "outbound")),
            _c("actor_handle", "handle", required=True, doc="who acted"),
            _c("actor_name", doc="display name"),
            _c(
                "target_handle",
                "handle",
                required=True,
                doc="the account addressed; for outbound, the person addressed",
            ),
            _c("post_id", doc="the post acted on"),
            _c("in_reply_to", doc="interaction_id or post_id this answers"),
            _c("text"),
            _c("url"),
            _c(
                "agent",
                doc="outbound only: who on the care team wrote it (name or initials), when "
                "known; else care reads a trailing ^AB signature from the text",
            ),
        ),
    ),
    Table(
        name="audience_snapshots",
        grain="follower/following counts of an account on a day",
        key=("platform", "handle", "date"),
        columns=(
            _c("platform", required=True),
            _c("handle", "handle", required=True),
            _c("date", "date", required=True),
            _c("followers", "integer", required=True),
            _c("following", "integer", required=True),
        ),
    ),
    Table(
        name="identities",
        grain="one identifier of a person: platform handle, email, visitor id, customer id",
        key=("kind", "value"),
        columns=(
            _c("kind", required=True, doc="handle:<platform>, email, visitor, customer"),
            _c("value", required=True, doc="handles and emails are stored lowercased"),
            _c("person_ref", required=True, doc="identities with one person_ref are one person"),
            _c("display_name"),
        ),
    ),
    Table(
        name="people",
        grain="a resolved person (derived from identities at import)",
        key=("person_id",),
        columns=(
            _c("person_id", required=True),
            _c("display_name"),
        ),
    ),
    Table(
        name="visits",
        grain="a web session with referrer, UTM parameters and landing page",
        key=("visit_id",),
        columns=(
            _c("visit_id", required=True),
            _c("started_at", "timestamp", required=True),
            _c("visitor_id", required=True, doc="a pseudonymous id (cookie or hash), never an IP"),
            _c("landing_url", required=True, doc="may carry utm_* parameters"),
            _c("referrer"),
            _c("utm_source"),
            _c("utm_medium"),
            _c("utm_campaign"),
            _c("utm_content"),
            _c("pageviews", "integer", default="1"),
            _c("link_code", doc="the tracked link that brought the visit"),
            _c("user_agent", doc="used to recognise in-app browsers and bots"),
        ),
    ),
    Table(
        name="conversions",
        grain="a lead, signup, order or refund with its value",
        key=("conversion_id",),
        columns=(
            _c("conversion_id", required=True),
            _c("occurred_at", "timestamp", required=True),
            _c("kind", "enum", required=True, choices=("lead", "signup", "order", "refund")),
            _c("value", "decimal", default="0", doc="in `currency`"),
            _c("currency", doc="ISO 4217; default: the reporting currency"),
            _c("customer_id"),
            _c("email", doc="stored lowercased"),
            _c("visitor_id"),
            _c("referral_code", doc="a code that a person gave to a friend"),
            _c(
                "value_reporting",
                "decimal",
                stored_only=True,
                doc="value converted to the reporting currency at import",
            ),
        ),
        money=(("value", "currency", "value_reporting"),),
        one_of=("customer_id", "email", "visitor_id"),
    ),
    Table(
        name="costs",
        grain="money or hours spent on social, by category, platform, campaign and period",
        key=("cost_id",),
        columns=(
            _c("cost_id", required=True),
            _c("period_start", "date", required=True, doc="inclusive"),
            _c("period_end", "date", required=True, doc="inclusive"),
            _c(
                "category",
                "enum",
                required=True,
                choices=("staff", "tools", "prizes", "ads", "content", "other"),
            ),
            _c("amount", "decimal", required=True),
            _c("currency"),
            _c("hours", "decimal", doc="for staff time"),
            _c("platform"),
            _c("campaign"),
            _c(
                "amount_reporting",
                "decimal",
                stored_only=True,
                doc="amount converted to the reporting currency at import",
            ),
            _c("impressions", "integer", doc="ad spend: times the ads were shown"),
            _c("clicks", "integer", doc="ad spend: clicks on the ads"),
        ),
        money=(("amount", "currency", "amount_reporting"),),
    ),
    Table(
        name="activities",
        grain="an offline or traditional marketing activity (press, event, print, ...) over "
        "a date range, for the marketing mix model",
        key=("activity_id",),
        columns=(
            _c("activity_id", required=True),
            _c(
                "channel",
                "enum",
                required=True,
                choices=(
                    "press",
                    "event",
                    "print",
                    "tv",
                    "radio",
                    "podcast",
                    "sponsorship",
                    "outdoor",
                    "direct_mail",
                    "other",
                ),
            ),
            _c("name", doc="e.g. the article, the fair, the magazine"),
            _c("start_date", "date", required=True, doc="inclusive"),
            _c("end_date", "date", doc="inclusive; default: the start date"),
            _c("spend", "decimal", doc="money spent on it, in `currency`; empty: unknown"),
            _c("currency", doc="ISO 4217; default: the reporting currency"),
            _c("reach", "integer", doc="people reached (readers, visitors, listeners) if known"),
            _c(
                "spend_reporting",
                "decimal",
                stored_only=True,
                doc="spend converted to the reporting currency at import",
            ),
        ),
        money=(("spend", "currency", "spend_reporting"),),
    ),
    Table(
        name="links",
        grain="a tracked short link placed in social posts",
        key=("code",),
        columns=(
            _c("code", required=True),
            _c("destination_url", required=True),
            _c("platform"),
            _c("campaign"),
            _c("post_id"),
            _c("person_ref", doc="a link made for one person"),
        ),
    ),
    Table(
        name="key_messages",
        grain="what the brand wants people to say about it",
        key=("message_id",),
        columns=(_c("message_id", required=True), _c("text", required=True)),
    ),
    Table(
        name="fx_rates",
        grain="an exchange rate on a day",
        key=("date", "currency"),
        columns=(
            _c("date", "date", required=True),
            _c("currency", required=True),
            _c("rate", "decimal", required=True, doc="reporting currency per unit of currency"),
        ),
    ),
    # -- page insights post metrics (issue 3) --
    Table(
        name="post_stats",
        grain="the aggregate counts a platform reports for one post, as of a day (no names)",
        key=("platform", "post_id", "as_of"),
        columns=(
            _c("platform", required=True),
            _c("post_id", required=True, doc="the post in `posts`"),
            _c(
                "as_of",
                "date",
                required=True,
                doc="the day the counts were read: the export's date, else the publish date",
            ),
            _c(
                "impressions",
                "integer",
                doc="times the post was shown (Impressions; Meta's Views, which replaced it)",
            ),
            _c("reach", "integer", doc="distinct accounts the post was shown to"),
            _c("reactions", "integer", doc="reactions or likes"),
            _c("comments", "integer"),
            _c("shares", "integer", doc="shares or reposts"),
            _c("saves", "integer", doc="saves (Instagram)"),
            _c("clicks", "integer", doc="clicks on the post or its link"),
            _c("video_views", "integer", doc="video views (LinkedIn, on-site)"),
            _c("follows", "integer", doc="follows of the account from the post"),
            _c(
                "orders",
                "integer",
                doc="orders the platform attributes to the post (an email tool's placed orders)",
            ),
            _c(
                "revenue",
                "decimal",
                doc="the value of those orders as the platform reports it, in the account's "
                "currency; the platform's own attribution, never counted as conversions",
            ),
        ),
    ),
    # -- web analytics aggregates (issue 14: GA4 exports, for sites without an access log) --
    Table(
        name="traffic_aggregates",
        grain="the sessions and users a web analytics tool reports for one channel group over "
        "one period (a day, a week or the export's range; aggregates, no visitors)",
        key=("source", "report", "channel_group", "period_start", "period_end"),
        columns=(
            _c("source", required=True, doc="the tool: ga4"),
            _c(
                "report",
                "enum",
                required=True,
                choices=("traffic_acquisition", "user_acquisition"),
                doc="sessions by the session's channel, or users by their first channel",
            ),
            _c("period_start", "date", required=True),
            _c("period_end", "date", required=True, doc="inclusive"),
            _c("channel_group", required=True, doc="the tool's label (Organic Social, ...)"),
            _c("channel", required=True, doc="the same as a goodwill channel (social, ...)"),
            _c("property", doc="the analytics property the export names"),
            _c("sessions", "integer"),
            _c("engaged_sessions", "integer"),
            _c("users", "integer", doc="total or active users"),
            _c("new_users", "integer"),
            _c("key_events", "decimal", doc="key events (conversions) as the tool counts them"),
            _c("revenue", "decimal", doc="total revenue in the property's currency, unconverted"),
        ),
    ),
    # -- an account's own daily totals (issue 14: LinkedIn page visitors, TikTok Overview) --
    Table(
        name="account_metrics",
        grain="one count a platform reports for an account as a whole on one day (views of "
        "the page or profile, unique visitors, video views; aggregates, no people)",
        key=("platform", "handle", "date", "metric"),
        columns=(
            _c("platform", required=True),
            _c("handle", "handle", required=True, doc="the account, as in `accounts`"),
            _c("date", "date", required=True),
            _c(
                "metric",
                required=True,
                doc="lowercase snake_case name as the platform labels it: page_views, "
                "unique_visitors, overview_page_views_mobile, video_views, profile_views, ...",
            ),
            _c("value", "integer", required=True, doc="the count on that day"),
        ),
    ),
    Table(
        name="consent",
        grain="one consent event of a person for a channel (the ledger; `goodwill consent` and "
        "exports such as Klaviyo's profiles add to it)",
        key=("kind", "value", "channel", "recorded_at"),
        columns=(
            _c("kind", required=True, doc="the identity the consent was given with"),
            _c("value", required=True),
            _c("channel", required=True, doc="email, sms, dm, ..."),
            _c("status", "enum", required=True, choices=("granted", "withdrawn")),
            _c("recorded_at", "timestamp", required=True),
            _c("source", doc="where it was given: signup form, checkout, ..."),
        ),
    ),
)

SYSTEM_TABLES: tuple[Table, ...] = (
    Table(
        name="goodwill_meta",
        grain="one setting of this warehouse (schema_version, reporting_currency)",
        key=("key",),
        columns=(_c("key", required=True), _c("value", required=True)),
    ),
    Table(
        name="imports",
        grain="one run of an import",
        key=("import_id",),
        columns=(
            _c("import_id", required=True),
            _c("started_at", "timestamp", required=True),
            _c("finished_at", "timestamp"),
            _c("sources", doc="the files imported, one per line"),
            _c("rows_loaded", "integer"),
            _c("rows_quarantined", "integer"),
        ),
    ),
    Table(
        name="quarantine",
        grain="one input row that failed validation, with where and why",
        key=("import_id", "source", "file", "line"),
        columns=(
            _c("import_id", required=True),
            _c("source", required=True, doc="the file (or export: zip, folder) it came from"),
            _c(
                "file",
                required=True,
                doc="the file inside that export that ``line`` counts in (e.g. "
                "``data/tweets-part1.js`` of an X archive); empty when the source is the file",
            ),
            _c("table_name", required=True),
            _c("line", "integer", required=True, doc="1-based line (CSV/JSONL) or row (Parquet)"),
            _c("column_name", doc="the offending column, when one is to blame"),
            _c("column_number", "integer", doc="1-based position of that column in the file"),
            _c("reason", required=True),
            _c("raw", doc="the row as it was read"),
        ),
    ),
    Table(
        name="visit_channels",
        grain="the traffic channel and source of a visit (enricher output)",
        key=("visit_id",),
        columns=(
            _c("visit_id", required=True),
            _c("channel", required=True),
            _c("source", required=True),
            _c("evidence", required=True, doc="which rule decided: utm, click_id, referrer, ..."),
            _c("classifier", required=True, doc="classifier name and version"),
        ),
    ),
    # -- web collector (issue 5) --
    Table(
        name="collected_events",
        grain="one event the collector acknowledged (pageview, custom event or link click)",
        key=("event_id",),
        columns=(
            _c("event_id", required=True),
            _c("kind", required=True, doc="pageview, event or click"),
            _c("name", doc="custom event name (lead, signup, order, ...)"),
            _c("site", required=True),
            _c("occurred_at", "timestamp", required=True),
            _c("visitor_id", required=True, doc="daily-salted hash; never an IP"),
            _c("url"),
            _c("referrer"),
            _c("user_agent"),
            _c("link_code"),
            _c("value", "decimal"),
            _c("currency"),
            _c("email"),
        ),
    ),
    Table(
        name="link_clicks",
        grain="one click on a tracked link (GET /r/<code>)",
        key=("click_id",),
        columns=(
            _c("click_id", required=True),
            _c("code", required=True),
            _c("clicked_at", "timestamp", required=True),
            _c("visitor_id", required=True),
            _c("referrer"),
            _c("person_ref", doc="the person the link was made for"),
        ),
    ),
    # -- people (issue 6) --
    Table(
        name="person_links",
        grain="one identity resolved to a person, with the rule, score and evidence",
        key=("kind", "value"),
        columns=(
            _c("kind", required=True),
            _c("value", required=True),
            _c("person_id", required=True),
            _c("method", required=True, doc="identities, conversion, link, splink, decision, self"),
            _c("score", "decimal", required=True, doc="match probability (1 for rules)"),
            _c("evidence", required=True),
        ),
    ),
    Table(
        name="identity_decisions",
        grain="a user's merge, split or confirmed link of identities, re-applied by every resolve",
        key=("decision_id",),
        columns=(
            _c("decision_id", required=True),
            _c("made_at", "timestamp", required=True),
            _c("action", "enum", required=True, choices=("merge", "split", "confirm")),
            _c("kind", required=True),
            _c("value", required=True),
            _c("other_kind"),
            _c("other_value"),
        ),
    ),
    # -- listening and care (issue 4) --
    Table(
        name="interaction_labels",
        grain="the sentiment and intent of one text interaction (enricher output)",
        key=("platform", "interaction_id"),
        columns=(
            _c("platform", required=True),
            _c("interaction_id", required=True),
            _c("sentiment", "enum", required=True, choices=("negative", "neutral", "positive")),
            _c("sentiment_score", "decimal", required=True, doc="-1 (negative) .. 1 (positive)"),
            _c(
                "intent",
                "enum",
                required=True,
                choices=("complaint", "question", "praise", "other"),
            ),
            _c("model", required=True, doc="model name@version, or correction"),
            _c("labelled_at", "timestamp", required=True),
            _c("language", doc="ISO 639-1 code of the text's language (detected), or und"),
        ),
    ),
    Table(
        name="label_corrections",
        grain="a person's correction of the label of one interaction",
        key=("platform", "interaction_id"),
        columns=(
            _c("platform", required=True),
            _c("interaction_id", required=True),
            _c("sentiment", "enum", choices=("negative", "neutral", "positive")),
            _c("intent", "enum", choices=("complaint", "question", "praise", "other")),
            _c("corrected_at", "timestamp", required=True),
            _c("note"),
        ),
    ),
    # -- dashboard (issue 8) --
    Table(
        name="dashboard_users",
        grain="one person who may sign in to the dashboard",
        key=("username",),
        columns=(
            _c("username", required=True),
            _c("password_hash", required=True, doc="scrypt$n$r$p$salt$hash (hex)"),
            _c("created_at", "timestamp", required=True),
        ),
    ),
    Table(
        name="dashboard_sessions",
        grain="one signed-in browser session (the cookie's id is stored only as SHA-256)",
        key=("session_hash",),
        columns=(
            _c("session_hash", required=True),
            _c("username", required=True),
            _c("created_at", "timestamp", required=True),
            _c("expires_at", "timestamp", required=True),
        ),
    ),
    Table(
        name="dashboard_tokens",
        grain="one API token for scripts (stored only as SHA-256; revocable)",
        key=("token_id",),
        columns=(
            _c("token_id", required=True),
            _c("token_hash", required=True),
            _c("username", required=True),
            _c("name", doc="what the token is for"),
            _c("created_at", "timestamp", required=True),
            _c("revoked_at", "timestamp"),
        ),
    ),
    # -- social platform adapters and live sync (issue 3) --
    Table(
        name="sync_state",
        grain="how far a live sync of one stream of one account got (its cursor)",
        key=("source", "account", "stream"),
        columns=(
            _c("source", required=True, doc="mastodon or bluesky"),
            _c("account", required=True, doc="instance or service URL and the account"),
            _c("stream", required=True, doc="notifications, statuses, feed"),
            _c("cursor", doc="the position after the last committed page (JSON)"),
            _c("updated_at", "timestamp", required=True),
        ),
    ),
    # -- sentiment adaptation from corrections (issue 4) --
    Table(
        name="sentiment_adaptations",
        grain="one feature weight of a brand adaptation of a sentiment model",
        key=("model_version", "feature"),
        columns=(
            _c("model_version", required=True, doc="base model name@version+brandN"),
            _c("base_model", required=True, doc="the model adapted, name@version"),
            _c("feature", required=True, doc="a fast-model feature (word, bigram, NOT_word)"),
            _c("w_negative", "decimal", required=True),
            _c("w_neutral", "decimal", required=True),
            _c("w_positive", "decimal", required=True),
            _c("corrections", "integer", required=True, doc="corrections it was fitted on"),
            _c("created_at", "timestamp", required=True),
        ),
    ),
)

IMPORT_ORDER: tuple[str, ...] = (
    "fx_rates",
    "accounts",
    "identities",
    "consent",
    "key_messages",
    "links",
    "posts",
    "visits",
    "post_stats",
    "interactions",
    "audience_snapshots",
    "traffic_aggregates",
    "account_metrics",
    "conversions",
    "costs",
    "activities",
)
"""Tables are loaded in this order so fx rates precede the amounts that need them, and the
visits (classified into channels as soon as they are in) precede the largest table,
``interactions``: classifying reads the visits back, cheaply while the transaction is small."""

_BY_NAME = {t.name: t for t in (*CANONICAL_TABLES, *SYSTEM_TABLES)}


def table(name: str) -> Table:
    """The declaration of table ``name``; ``KeyError`` for an unknown table."""
    return _BY_NAME[name]
