"""Settings, declared once.

Every setting has a section, a name, a type, a default, an environment variable (for the
``[goodwill]`` table) and a description: :data:`REGISTRY` lists every key goodwill reads from
``goodwill.toml``, and ``docs/settings.md`` is generated from it (:func:`settings_markdown`;
``python -m goodwill.commands.docs --write``), so a key cannot go undocumented (a test checks).

The file is, in this order: the ``path`` given, ``$GOODWILL_CONFIG``, ``./goodwill.toml``, or
``goodwill.toml`` next to the warehouse (``--db``; :func:`use_warehouse`), so a report made
from another folder keeps its targets. The ``[goodwill]`` table is read here (an environment
variable overrides the file and a command-line option overrides both); the other sections
(``[scorecard]``, ``[care]``, ``[sources.*]``, ``[[costs.tools]]``) are read by their modules,
which reject a key the registry does not list.

Example ``goodwill.toml``::

    [goodwill]
    currency = "EUR"
    site_host = "fernhill.example"
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from goodwill.errors import UserInputError

__all__ = [
    "REGISTRY",
    "SECTION_SETTINGS",
    "SETTINGS",
    "Config",
    "Setting",
    "find_config",
    "load_config",
    "settings_markdown",
    "use_warehouse",
    "validate_currency",
]


@dataclass(frozen=True, kw_only=True)
class Setting:
    """One key of ``goodwill.toml``: ``[section] name = value``."""

    name: str
    default: str | None
    env: str | None = None
    """The environment variable that overrides it (``[goodwill]`` keys only)."""
    description: str
    section: str = "goodwill"
    type: str = "text"
    """What the value is, in words: ``text``, ``whole number``, ``number``, ``list of text``,
    ``date``, ``table``, ``list of tables``."""

    @property
    def key(self) -> str:
        """``section.name``, e.g. ``scorecard.hourly_rate``."""
        return f"{self.section}.{self.name}"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        name="currency",
        default="USD",
        env="GOODWILL_CURRENCY",
        description="Reporting currency (ISO 4217). Money in other currencies is converted at "
        "import with the rates in fx_rates.",
    ),
    Setting(
        name="site_host",
        default=None,
        env="GOODWILL_SITE_HOST",
        description="Host name of the business's own website; referrers from it are internal.",
    ),
    Setting(
        name="max_line_bytes",
        default="8388608",
        env="GOODWILL_MAX_LINE_BYTES",
        type="whole number",
        description="Longest line an import reads from a line-based file (CSV, JSONL, access "
        "log), in bytes; a longer line is refused (JSONL, CSV) or quarantined (access log).",
    ),
    Setting(
        name="max_decompressed_bytes",
        default="21474836480",
        env="GOODWILL_MAX_DECOMPRESSED_BYTES",
        type="whole number",
        description="Most bytes an import unpacks from one compressed file (.gz, .bz2, a zip "
        "and the zips inside it, all together), in bytes.",
    ),
    Setting(
        name="max_decompression_ratio",
        default="200",
        env="GOODWILL_MAX_DECOMPRESSION_RATIO",
        type="whole number",
        description="Most bytes unpacked per compressed byte (a zip or gzip bomb is refused); "
        "checked once a file has unpacked more than 1 MiB.",
    ),
)

SETTINGS = (
    *SETTINGS,
    Setting(
        name="name_decorations",
        default="mr, mrs, ms, dr, official",
        env="GOODWILL_NAME_DECORATIONS",
        type="list of text",
        description='Words people decorate display names with ("Dr Ana Ruiz", "Ana Ruiz '
        'official"), dropped before identity resolution compares names; commas between words '
        '(a TOML list works too). Add the words your audience uses ("fan", "gardener").',
    ),
)

SETTINGS = (
    *SETTINGS,
    Setting(
        name="spool_retention_days",
        default="7",
        env="GOODWILL_SPOOL_RETENTION_DAYS",
        type="number",
        description="Days `goodwill serve` keeps spool segments after loading them into the "
        "warehouse (the spool's `loaded/` folder); 0 deletes them once loaded. `goodwill erase` "
        "scrubs the person from them meanwhile.",
    ),
    Setting(
        name="spool_fsync",
        default="interval",
        env="GOODWILL_SPOOL_FSYNC",
        description="When the collector's spool is forced to disk. `interval`: each event is "
        "written to the spool file before the answer and the file is fsync'd every "
        "`spool_fsync_interval` seconds; a killed or crashed server loses no acknowledged "
        "event, an operating-system crash or power cut can lose the last interval's. "
        "`always`: every answer waits for an fsync (shared by concurrent events); nothing "
        "acknowledged is lost even to a power cut, at a few milliseconds per answer.",
    ),
    Setting(
        name="spool_fsync_interval",
        default="1",
        env="GOODWILL_SPOOL_FSYNC_INTERVAL",
        type="number",
        description="Seconds between fsyncs of the spool when `spool_fsync` is `interval` "
        "(at most what a power cut can lose), > 0 and at most 60.",
    ),
)

SETTINGS = (
    *SETTINGS,
    Setting(
        name="memory_limit",
        default=None,
        env="GOODWILL_MEMORY_LIMIT",
        description="Most memory DuckDB may use (e.g. `4GiB`); beyond it a big import or query "
        "spills to `temp_directory`. Default: half the machine's physical memory.",
    ),
    Setting(
        name="temp_directory",
        default=None,
        env="GOODWILL_TEMP_DIRECTORY",
        description="Where DuckDB spills when it reaches `memory_limit`. Default: the "
        "warehouse's path with `.tmp` appended.",
    ),
)

SETTINGS = (
    *SETTINGS,
    Setting(
        name="engine",
        default="duckdb",
        env="GOODWILL_ENGINE",
        description="Where the read commands (`metrics`, `scorecard`, `attribution`, `people`, "
        "`report`, ...) run their queries: `duckdb` (the warehouse file) or `spark` (the "
        "Parquet tables at `spark_warehouse`, through PySpark; `pip install 'goodwill[spark]'`). "
        "With `spark`, `goodwill import` still validates into the warehouse file and then "
        "writes every table to `spark_warehouse` (docs/spark.md).",
    ),
    Setting(
        name="spark_warehouse",
        default=None,
        env="GOODWILL_SPARK_WAREHOUSE",
        description="Folder or object-store URL (`s3a://bucket/goodwill`) of the Parquet tables "
        "the `spark` engine reads, one folder per table. Default: the warehouse's path with "
        "`.parquet` appended.",
    ),
    Setting(
        name="spark_remote",
        default=None,
        env="GOODWILL_SPARK_REMOTE",
        description="Spark Connect URL of a cluster (`sc://host:15002`, or a Databricks "
        "workspace's). Unset: the active Spark session when there is one (a Databricks or EMR "
        "notebook, `spark-submit`), else a local session (`$SPARK_MASTER`, default `local[2]`).",
    ),
)

SECTION_SETTINGS: tuple[Setting, ...] = (
    Setting(
        section="scorecard",
        name="currency",
        default="revenue",
        description="What social media is measured in: revenue, leads, customers, "
        "relationships, roi, reputation, care or care_time.",
    ),
    Setting(
        section="scorecard",
        name="model",
        default="incremental",
        description="The attribution model used for ROI, the scorecard, the report and the "
        "Money page (see `goodwill attribution --compare`).",
    ),
    Setting(
        section="scorecard",
        name="hourly_rate",
        default=None,
        type="number",
        description="Staff cost per hour in the reporting currency; turns logged hours into "
        "cost (overrides amounts).",
    ),
    Setting(
        section="scorecard",
        name="targets",
        default=None,
        type="table",
        description='Targets per period: `"2026-03" = 120` (a month, short term), `"2026-Q2" '
        '= 400` or `"2026" = 1500` (long term).',
    ),
    Setting(
        section="care",
        name="business_hours",
        default="Mon-Fri 09:00-17:00",
        description='When the care team is open: blocks separated by commas, e.g. "Mon-Fri '
        '09:00-17:00, Sat 10:00-14:00"; first response is also measured in these hours.',
    ),
    Setting(
        section="care",
        name="timezone",
        default="UTC",
        description="IANA time zone of the business hours, e.g. Europe/London.",
    ),
    Setting(
        section="care",
        name="holidays",
        default=None,
        type="list of text",
        description='Local dates when the care team is closed: ["2026-12-25", ...].',
    ),
    Setting(
        section="costs",
        name="tools",
        default=None,
        type="list of tables",
        description="Recurring tool subscriptions, one `[[costs.tools]]` each with name, "
        "monthly, since and optionally currency, platform, until; `goodwill import "
        "goodwill.toml` turns them into one cost row a month.",
    ),
    Setting(
        section="sources.costs-tools",
        name="today",
        default=None,
        type="date",
        description="The day the current month of `[[costs.tools]]` is taken from (tests).",
    ),
    Setting(
        section="sources.crm-conversions",
        name="kind",
        default=None,
        description="CRM conversions export: the kind (lead, signup, order, refund) of rows "
        "without one [default: order].",
    ),
    Setting(
        section="sources.email",
        name="opens",
        default=None,
        type="yes/no",
        description="E-mail campaign export: turn recorded opens into interactions too "
        "(opens are unreliable since mail privacy protection; default no).",
    ),
    Setting(
        section="sources.email",
        name="identities",
        default=None,
        type="yes/no",
        description="E-mail campaign export: record each recipient's e-mail as an identity "
        "(default no).",
    ),
    Setting(
        section="sources.email",
        name="sender",
        default=None,
        description="E-mail campaign export: the sending account's handle when accounts has "
        "none for e-mail [default: newsletter].",
    ),
    Setting(
        section="sources.email",
        name="campaign",
        default=None,
        description="E-mail campaign export: the campaign of rows without one [default: the "
        "file's name].",
    ),
    Setting(
        section="sources.shopify-orders",
        name="count_pending",
        default=None,
        description="Shopify orders export: also count unpaid (pending, authorized) orders as "
        "sales: `no`, `fulfilled` (delivered cash-on-delivery orders) or `all` [default: no].",
    ),
    Setting(
        section="sources.tiktok",
        name="handle",
        default=None,
        description="TikTok Studio exports: the brand's TikTok handle when accounts has none.",
    ),
    Setting(
        section="sources.tiktok",
        name="exported_on",
        default=None,
        type="date",
        description="TikTok Studio exports: the day the export was taken (its dates have no "
        "year) [default: a date in the file's or folder's name, else its modification day].",
    ),
    Setting(
        section="sources.page-followers",
        name="platform",
        default=None,
        description="The platform of a page-followers export whose file does not say it.",
    ),
    Setting(
        section="sources.woocommerce-orders",
        name="currency",
        default=None,
        description="WooCommerce orders export: the currency of orders whose row has none "
        "[default: the reporting currency].",
    ),
    Setting(
        section="sources",
        name="date-order",
        default=None,
        description="dmy (day first) or mdy (month first) for exports whose dates could be "
        "either (as --date-order).",
    ),
    Setting(
        section="sources.mapped-csv",
        name="table",
        default=None,
        description="The canonical table a mapped CSV loads into (as `goodwill import --table`).",
    ),
    Setting(
        section="sources.mapped-csv",
        name="set",
        default=None,
        type="table",
        description="Constant columns of a mapped CSV, `column = value` (as `goodwill import "
        "--set`).",
    ),
    Setting(
        section="sources.PLATFORM",
        name="handle",
        default=None,
        description="Page insights exports (PLATFORM: facebook, instagram, linkedin, ...): the "
        "brand's handle on that platform when accounts has none.",
    ),
    Setting(
        section="sources.PLATFORM",
        name="as_of",
        default=None,
        type="date",
        description="Page insights exports: the day a snapshot export without dates was taken.",
    ),
    Setting(
        section="sources.PLATFORM",
        name="followers_now",
        default=None,
        type="whole number",
        description="Page followers exports with daily gains only: the follower count on the "
        "export's last day (totals are counted back from it).",
    ),
)
"""Keys of the sections other modules read (see the module docstring)."""

SECTION_SETTINGS = (
    *SECTION_SETTINGS,
    Setting(
        section="smtp",
        name="host",
        default=None,
        description="SMTP server that `goodwill report --email TO` sends the report through "
        "(required for --email).",
    ),
    Setting(
        section="smtp",
        name="port",
        default=None,
        type="whole number",
        description="Its port; default 587 (starttls), 465 (ssl) or 25 (none).",
    ),
    Setting(
        section="smtp",
        name="security",
        default="starttls",
        description="starttls (upgrade a plain connection), ssl (TLS from the start) or none.",
    ),
    Setting(
        section="smtp",
        name="user",
        default=None,
        description="Login name; without it the report is sent without logging in.",
    ),
    Setting(
        section="smtp",
        name="password_env",
        default="GOODWILL_SMTP_PASSWORD",
        description="The environment variable holding the password of `user` (a password is "
        "never read from the file).",
    ),
    Setting(
        section="smtp",
        name="from",
        default=None,
        description='Sender address, e.g. "goodwill <reports@example.com>" (required for --email).',
    ),
    Setting(
        section="smtp",
        name="timeout",
        default="60",
        type="number",
        description="Seconds to wait for the server before giving up.",
    ),
)

# [people]: the relationship tier rule (goodwill.people.scores.TierRule reads them; issue 18)
SECTION_SETTINGS = (
    *SECTION_SETTINGS,
    Setting(
        section="people",
        name="champion_top_share",
        default="0.05",
        type="number",
        description="Champions are at most this share of the people active in the last 28 "
        "days: max(1, floor(share × active)) seats, given to the eligible people with the "
        "highest relationship scores (0 to 1).",
    ),
    Setting(
        section="people",
        name="champion_min_acts",
        default="3",
        type="whole number",
        description="A champion did at least this many things (likes, replies, shares, ...) "
        "towards the brand in the last 28 days.",
    ),
    Setting(
        section="people",
        name="champion_min_months",
        default="3",
        type="whole number",
        description="A champion was active in at least this many of the last 6 months.",
    ),
    Setting(
        section="people",
        name="detractor_sentiment",
        default="-0.3",
        type="number",
        description="A detractor's labelled posts of the last 28 days have a mean sentiment at "
        "or below this (−1 to 1); a like carries no sentiment and never makes a detractor.",
    ),
    Setting(
        section="people",
        name="detractor_min_posts",
        default="2",
        type="whole number",
        description="A detractor has at least this many labelled posts in the last 28 days "
        "(negative evidence, not low activity).",
    ),
)

REGISTRY: tuple[Setting, ...] = (*SETTINGS, *SECTION_SETTINGS)
"""Every key of ``goodwill.toml``: what ``docs/settings.md`` documents."""

_CURRENCY = re.compile(r"^[A-Z]{3}$")


def validate_currency(value: str, *, where: str) -> str:
    code = value.strip().upper()
    if not _CURRENCY.match(code):
        raise UserInputError(f"{where}: {value!r} is not an ISO 4217 currency code (e.g. USD)")
    return code


@dataclass(frozen=True, kw_only=True)
class Config:
    currency: str = "USD"
    site_host: str | None = None
    path: Path | None = None
    sources: dict[str, str] = field(default_factory=dict)
    """Options for export adapters, from an optional ``[sources]`` table."""
    max_line_bytes: int = 8_388_608
    max_decompressed_bytes: int = 21_474_836_480
    max_decompression_ratio: int = 200
    spool_retention_days: float = 7.0
    """Days loaded spool segments are kept (0: deleted once loaded)."""
    spool_fsync: str = "interval"
    """The spool's durability mode: ``interval`` or ``always`` (:mod:`goodwill.web.spool`)."""
    spool_fsync_interval: float = 1.0
    """Seconds between fsyncs of the spool in ``interval`` mode."""
    name_decorations: tuple[str, ...] = ("mr", "mrs", "ms", "dr", "official")
    """Words dropped from display names before identity resolution compares them."""
    memory_limit: str | None = None
    """DuckDB's memory limit (``None``: half the physical memory)."""
    temp_directory: str | None = None
    """Where DuckDB spills (``None``: beside the warehouse)."""
    engine: str = "duckdb"
    """``duckdb`` or ``spark`` (:mod:`goodwill.engine`)."""
    spark_warehouse: str | None = None
    """The Parquet tables of the ``spark`` engine (``None``: beside the warehouse)."""
    spark_remote: str | None = None
    """Spark Connect URL (``None``: the active or a local session)."""


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    """``[sources]`` as ``name -> text``; a sub-table ``[sources.accesslog]`` gives
    ``accesslog.name`` keys."""
    out: dict[str, str] = {}
    for key, val in table.items():
        if isinstance(val, dict):
            out.update(_flatten(val, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = str(val)
    return out


_WAREHOUSE: ContextVar[Path | None] = ContextVar("goodwill_warehouse", default=None)


@contextmanager
def use_warehouse(db: Path | None) -> Iterator[None]:
    """Within the block, :func:`find_config` also looks next to warehouse ``db`` (the CLI
    sets it from ``--db`` for the length of a command)."""
    token = _WAREHOUSE.set(db)
    try:
        yield
    finally:
        _WAREHOUSE.reset(token)


def find_config(path: Path | None = None, *, db: Path | None = None) -> Path:
    """The settings file to read (it may not exist): ``path``, else ``$GOODWILL_CONFIG``,
    else ``./goodwill.toml`` when it exists, else ``goodwill.toml`` beside the warehouse
    (``db``, else the one of :func:`use_warehouse`, else ``$GOODWILL_DB``) when it exists."""
    if path is not None:
        return path
    if os.environ.get("GOODWILL_CONFIG"):
        return Path(os.environ["GOODWILL_CONFIG"])
    here = Path("goodwill.toml")
    if here.is_file():
        return here
    warehouse = (
        db
        or _WAREHOUSE.get()
        or (Path(os.environ["GOODWILL_DB"]) if os.environ.get("GOODWILL_DB") else None)
    )
    if warehouse is not None and str(warehouse) != ":memory:":
        beside = warehouse.parent / "goodwill.toml"
        if beside.is_file():
            return beside
    return here


def _words(value: str | None) -> tuple[str, ...]:
    return tuple(w.strip().lower() for w in (value or "").split(",") if w.strip())


def _engine(value: str | None, found: Path | None) -> str:
    engine = (value or "duckdb").strip().lower()
    if engine not in ("duckdb", "spark"):
        raise UserInputError(f"setting engine ({found}): {value!r}; expected duckdb or spark")
    return engine


def load_config(path: Path | None = None, *, db: Path | None = None) -> Config:
    """Read settings from the file :func:`find_config` finds and the environment."""
    cfg_path = find_config(path, db=db)
    values: dict[str, str | None] = {s.name: s.default for s in SETTINGS}
    found: Path | None = None
    sources: dict[str, str] = {}
    if cfg_path.is_file():
        found = cfg_path
        try:
            data = tomllib.loads(cfg_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise UserInputError(f"{cfg_path}: invalid TOML: {exc}") from exc
        section = data.get("goodwill", {})
        known = {s.name for s in SETTINGS}
        unknown = sorted(set(section) - known)
        if unknown:
            raise UserInputError(
                f"{cfg_path}: unknown setting(s) {', '.join(unknown)} in [goodwill]; "
                f"valid: {', '.join(sorted(known))}"
            )
        for key, val in section.items():
            values[key] = ", ".join(map(str, val)) if isinstance(val, list) else str(val)
        sources = _flatten(data.get("sources", {}))
    for s in SETTINGS:
        env_val = os.environ.get(s.env) if s.env else None
        if s.env and env_val:
            values[s.name] = env_val
    currency = validate_currency(values["currency"] or "USD", where=f"setting currency ({found})")
    limits = {
        name: _whole_number(values[name], where=f"setting {name} ({found})")
        for name in ("max_line_bytes", "max_decompressed_bytes", "max_decompression_ratio")
    }
    fsync_mode, fsync_seconds = _spool_fsync(
        values["spool_fsync"], values["spool_fsync_interval"], found
    )
    return Config(
        currency=currency,
        site_host=values["site_host"],
        path=found,
        sources=sources,
        name_decorations=_words(values["name_decorations"]),
        spool_retention_days=_days(values["spool_retention_days"], found),
        spool_fsync=fsync_mode,
        spool_fsync_interval=fsync_seconds,
        memory_limit=values["memory_limit"],
        temp_directory=values["temp_directory"],
        engine=_engine(values["engine"], found),
        spark_warehouse=values["spark_warehouse"],
        spark_remote=values["spark_remote"],
        **limits,
    )


def settings_markdown() -> str:
    """``docs/settings.md``: every key of :data:`REGISTRY`, by section."""
    lines = [
        "# Settings",
        "",
        "<!-- generated from goodwill.config.REGISTRY by "
        "`python -m goodwill.commands.docs --write`; do not edit -->",
        "",
        "goodwill reads `goodwill.toml` from, in this order: `$GOODWILL_CONFIG`, the current "
        "folder, or the folder of the warehouse (`--db`). Commands say on stderr which file "
        "they use. In `[goodwill]`, an environment variable overrides the file and a "
        "command-line option overrides both. An unknown key is an error naming the file.",
    ]
    sections: dict[str, list[Setting]] = {}
    for s in REGISTRY:
        sections.setdefault(s.section, []).append(s)
    for section, settings in sections.items():
        lines += ["", f"## `[{section}]`", ""]
        lines += ["| key | type | default | environment | what it is |", "|---|---|---|---|---|"]
        for s in settings:
            default = "–" if s.default is None else f"`{s.default}`"
            env = f"`{s.env}`" if s.env else "–"
            text = s.description.replace("|", "\\|").replace("\n", " ")
            lines.append(f"| `{s.key}` | {s.type} | {default} | {env} | {text} |")
    return "\n".join(lines) + "\n"


def _days(value: str | None, found: Path | None) -> float:
    try:
        days = float((value or "").strip())
    except ValueError:
        days = -1.0
    if not 0 <= days < 100_000:
        raise UserInputError(
            f"setting spool_retention_days ({found}): {value!r} is not a number of days >= 0"
        )
    return days


def _spool_fsync(mode: str | None, interval: str | None, found: Path | None) -> tuple[str, float]:
    text = (mode or "").strip().lower()
    if text not in ("interval", "always"):
        raise UserInputError(f"setting spool_fsync ({found}): {mode!r} is not interval or always")
    try:
        seconds = float((interval or "").strip())
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 60:
        raise UserInputError(
            f"setting spool_fsync_interval ({found}): {interval!r} is not a number of seconds "
            "> 0 and <= 60"
        )
    return text, seconds


def _whole_number(value: str | None, *, where: str) -> int:
    text = (value or "").strip().replace("_", "")
    if not text.isdigit() or int(text) < 1:
        raise UserInputError(f"{where}: {value!r} is not a whole number >= 1")
    return int(text)
