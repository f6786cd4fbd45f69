"""Traffic channel of a visit: social, paid social, AI assistant, search, email, referral,
direct, ...

:func:`classify` decides one visit; :func:`enrich_visits` classifies the ``visits`` table into
``visit_channels`` in bulk. Both apply the same rules, in this order — the first that decides
wins:

1. **UTM parameters.** ``utm_source`` / ``utm_medium`` given explicitly (the visit's columns)
   override those in the landing URL's query string, one parameter at a time. Spellings are
   normalised (``fb``, ``m.facebook.com`` → ``facebook``; ``ig``, ``insta`` → ``instagram``;
   ``tw``, ``t.co``, ``twitter`` → ``x``; ``social-media``, ``sm``, ``organic_social`` →
   social; ``e-mail``, ``newsletter`` → email; ...). A paid medium (``cpc``, ``ppc``, ``cpm``,
   ``paid*``) gives ``paid_social`` with a social source, ``display`` for display mediums,
   ``paid_search`` with a search source. ``organic`` gives ``search`` (``social`` with a social
   source). Without a known medium the source's kind decides (``utm_source=facebook`` →
   social). A UTM tag that says nothing recognisable yields ``other`` — but only if none of
   the rules below decides. Evidence: ``utm:source=fb,medium=social``.
2. **Click ids** in the landing URL: ``gclid``/``gbraid``/``wbraid`` → google paid_search,
   ``msclkid`` → bing paid_search, ``dclid`` → google display, ``twclid``, ``li_fat_id``,
   ``ttclid``, ``epik``, ``rdt_cid``, ``sccid`` → paid_social (x, linkedin, tiktok, pinterest,
   reddit, snapchat); ``fbclid`` → facebook and ``igshid`` → instagram, organic social
   (Facebook adds ``fbclid`` to organic link clicks too); ``mc_cid``, ``_hsenc``, ``mkt_tok``
   → email. Evidence: ``click_id:fbclid``.
3. **Referrer host.** A referrer on the site's own host (``site_host``, else the landing
   URL's host; subdomains of it included) is internal: it is ignored here and the visit is
   ``direct`` unless rule 4 recognises an app. Otherwise known hosts decide: social networks
   (``t.co``, ``x.com``, ``bsky.app``, ``threads.net``, ``l.facebook.com``, ``lnkd.in``,
   ``old.reddit.com``, ``news.ycombinator.com``, ...), large Mastodon instances, search engines
   (``google.*`` on any country domain, ``bing.com``, ``duckduckgo.com``, ...), webmail
   (``mail.google.com``, ``outlook.live.com``, ... → email), AI assistants (``chatgpt.com``,
   ``perplexity.ai``, ``gemini.google.com``, ``copilot.microsoft.com``, ``claude.ai``, ... →
   ``ai_assistant``, see :data:`goodwill.enrich.domains.AI_ASSISTANTS`) and ad servers. A host
   is matched
   with its subdomains (``m.facebook.com`` matches ``facebook.com``). Then any other host
   whose referrer path looks like a fediverse profile or post (``/@user``,
   ``/@user/1234``) is a Mastodon instance. Evidence: ``referrer:t.co``,
   ``mastodon_path:/@user``.
4. **In-app browser** user agents (``FBAN``/``FBAV``/``FB_IAB`` → facebook, ``Instagram``,
   ``LinkedInApp``, ``Twitter for iPhone``/``TwitterAndroid`` → x, ``musical_ly``/
   ``BytedanceWebview`` → tiktok, ``Pinterest/``, ``Snapchat``, ``Line/``, ...) recover the
   "dark social" visits that arrive without a referrer. Evidence: ``in_app:FBAN``.
5. **Otherwise** a referrer from another host is a ``referral`` with the host as source
   (``www.`` removed; evidence ``referrer:unlisted``), and no evidence at all is ``direct``
   with source ``(direct)`` (evidence ``none``, or ``referrer:internal``).

Garbage never raises: malformed or scheme-less URLs, upper-case hosts, ports, user info,
punycode hosts (decoded), ``-`` or empty referrers and ``None`` are all handled.

Bulk classification extracts a few raw features per visit in SQL (the same regular expressions
as :func:`extract_features`), classifies each distinct feature combination once in Python
(:func:`decide`) and writes the result with one join, so millions of visits take seconds.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal
from urllib.parse import unquote_plus

from goodwill.engine import duckdb as duck
from goodwill.enrich.channel_features import (
    FEATURE_COLUMNS,
    FEATURES_TABLE,
    Features,
    authority,
    drop_features,
    extract_features,
    stage_features,
)
from goodwill.enrich.domains import (
    AI_SOURCE_ALIASES,
    ANY_TLD_BRANDS,
    HOSTS,
    SEARCH_SUBDOMAIN_WORDS,
    HostKind,
)
from goodwill.enrich.tracking import (
    CLICK_IDS,
    DISPLAY_MEDIUMS,
    EMAIL_MEDIUMS,
    IN_APP_TOKENS,
    ORGANIC_MEDIUMS,
    PAID_MEDIUMS,
    PAID_SEARCH_MEDIUMS,
    PAID_SOCIAL_MEDIUMS,
    REFERRAL_MEDIUMS,
    SOCIAL_MEDIUMS,
    SOURCE_ALIASES,
    SOURCE_KINDS,
)

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "CHANNELS",
    "CLASSIFIER",
    "Channel",
    "Classification",
    "Features",
    "classify",
    "decide",
    "enrich_staged_visits",
    "enrich_visits",
    "extract_features",
    "lookup_host",
    "normalise_host",
    "normalise_source",
]

CLASSIFIER: Final = "rules-2"
"""Name and version of this classifier, stored with every ``visit_channels`` row."""

Channel = Literal[
    "social",
    "paid_social",
    "ai_assistant",
    "search",
    "paid_search",
    "email",
    "referral",
    "display",
    "direct",
    "other",
]
CHANNELS: Final[tuple[Channel, ...]] = (
    "social",
    "paid_social",
    "ai_assistant",
    "search",
    "paid_search",
    "email",
    "referral",
    "display",
    "direct",
    "other",
)
DIRECT: Final = "(direct)"
NOT_SET: Final = "(not set)"


@dataclass(frozen=True, slots=True)
class Classification:
    """The channel of a visit, its normalised source and the rule that decided."""

    channel: Channel
    source: str
    evidence: str


# -- normalisation ------------------------------------------------------------------------------
_LABEL = r"[a-z0-9_\-\u00a1-\ud7ff\ue000-\U0010ffff]+"
_HOST_RE = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
_WWW_RE = re.compile(r"www[0-9]*\.")


def normalise_host(raw: str | None) -> str | None:
    """``"User@WWW.Example.COM.:8080"`` → ``"example.com"``; ``None`` if it is not a host name.

    Lower-cases, drops user info, port, trailing dot and a leading ``www.``, decodes punycode.
    A host needs at least one dot (``localhost`` and ``-`` are not referrers)."""
    host = (raw if isinstance(raw, str) else "").strip().lower()
    host = host.rpartition("@")[2]
    if host.startswith("["):  # IPv6 literal
        end = host.find("]")
        return host[: end + 1] if end > 1 else None
    name, colon, port = host.rpartition(":")
    if colon and (port.isdecimal() or not port):
        host = name
    host = host.rstrip(".")
    if "xn--" in host:
        with contextlib.suppress(UnicodeError, ValueError):
            host = host.encode("ascii").decode("idna").lower()
    if not _HOST_RE.fullmatch(host):
        return None
    www = _WWW_RE.match(host)
    if www and host.count(".") > 1:
        host = host[www.end() :]
    return host


def _host_of(url_or_host: str | None) -> str | None:
    return normalise_host(authority(url_or_host))


def lookup_host(host: str) -> tuple[HostKind, str, str] | None:
    """(kind, source, matched key) of a normalised host in the project's lists, or ``None``."""
    labels = host.split(".")
    for i in range(len(labels) - 1):
        key = ".".join(labels[i:])
        hit = HOSTS.get(key)
        if hit is not None:
            return hit[0], hit[1], key
    for i, label in enumerate(labels):
        brand = ANY_TLD_BRANDS.get(label)
        rest = labels[i + 1 :]
        if brand and 1 <= len(rest) <= 2 and all(len(part) <= 3 for part in rest):
            kind, source, allowed = brand
            if allowed is None or ".".join(labels[:i]) in allowed:
                return kind, source, f"{label}.*"
    if len(labels) >= 3 and labels[0] in SEARCH_SUBDOMAIN_WORDS:
        name = labels[-3] if len(labels[-2]) <= 3 and len(labels) >= 4 else labels[-2]
        return "search", name, f"{labels[0]}.*"
    return None


_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_SHORT_TOKENS = frozenset({"fb", "ig", "yt", "bsky", "bing", "hn"})
_AMBIGUOUS_TOKENS = frozenset({"brave", "email", "newsletter"})
_KIND_TO_SOURCE_KIND: Final[dict[HostKind, HostKind | None]] = {
    "social": "social",
    "search": "search",
    "email": "email",
    "paid_search": "search",
    "display": None,
    "referral": None,
    "ai_assistant": "ai_assistant",
}


def _clean(raw: str) -> str:
    try:
        value = unquote_plus(raw)
    except (UnicodeError, ValueError):
        value = raw
    return " ".join(value.lower().split())[:100]


def _evidence_value(value: str) -> str:
    return re.sub(r"[^a-z0-9._\-]+", "_", value)[:40]


def normalise_source(value: str) -> tuple[str, HostKind | None]:
    """A cleaned ``utm_source`` → (normalised source, kind of site or ``None``)."""
    if not value:
        return NOT_SET, None
    ai = AI_SOURCE_ALIASES.get(value)
    if ai:
        return ai, "ai_assistant"
    alias = SOURCE_ALIASES.get(value)
    if alias:
        return alias, SOURCE_KINDS.get(alias)
    if "." in value and " " not in value:
        host = normalise_host(value)
        hit = lookup_host(host) if host else None
        if hit:
            return hit[1], _KIND_TO_SOURCE_KIND[hit[0]]
        if host:
            return host, None
    for token in _TOKEN_SPLIT.split(value):
        if token in AI_SOURCE_ALIASES and len(token) >= 5:
            return AI_SOURCE_ALIASES[token], "ai_assistant"
        if token in SOURCE_ALIASES and (
            token in _SHORT_TOKENS or (len(token) >= 5 and token not in _AMBIGUOUS_TOKENS)
        ):
            alias = SOURCE_ALIASES[token]
            return alias, SOURCE_KINDS.get(alias)
    return value, None


def _is_paid(medium: str) -> bool:
    return (
        medium in PAID_MEDIUMS
        or medium in DISPLAY_MEDIUMS
        or medium.startswith("paid")
        or re.fullmatch(r"cp[a-z]", medium) is not None
    )


def _medium_channel(medium: str, kind: HostKind | None) -> Channel:
    if kind == "ai_assistant" and (
        not medium or medium in REFERRAL_MEDIUMS or medium in ORGANIC_MEDIUMS
    ):
        return "ai_assistant"  # an AI answer's link: its own channel, not referral
    if medium in PAID_SOCIAL_MEDIUMS:
        return "paid_social"
    if medium in PAID_SEARCH_MEDIUMS:
        return "paid_search"
    if medium in SOCIAL_MEDIUMS:
        return "social"
    if medium in EMAIL_MEDIUMS or "email" in medium or "newsletter" in medium:
        return "email"
    if _is_paid(medium):
        if kind == "social":
            return "paid_social"
        if medium in DISPLAY_MEDIUMS:
            return "display"
        return "paid_search" if kind == "search" else "other"
    if medium in REFERRAL_MEDIUMS:
        return "referral"
    if medium in ORGANIC_MEDIUMS:
        return "social" if kind == "social" else "search"
    if kind in ("social", "search", "email", "ai_assistant"):
        return kind
    return "other"


# -- the rules --------------------------------------------------------------------------------
def _utm_rule(raw_source: str, raw_medium: str) -> Classification | None:
    source, medium = _clean(raw_source), _clean(raw_medium)
    if not source and not medium:
        return None
    name, kind = normalise_source(source)
    evidence = f"utm:source={_evidence_value(source)},medium={_evidence_value(medium)}"
    return Classification(_medium_channel(medium, kind), name, evidence)


def _click_rule(click_ids: str) -> Classification | None:
    present = set(click_ids.split(","))
    for name, (channel, source) in CLICK_IDS.items():
        if name in present:
            return Classification(channel, source, f"click_id:{name}")  # type: ignore[arg-type]
    return None


_HOST_KIND_CHANNEL: Final[dict[HostKind, Channel]] = {
    "social": "social",
    "search": "search",
    "email": "email",
    "paid_search": "paid_search",
    "display": "display",
    "referral": "referral",
    "ai_assistant": "ai_assistant",
}


def _referrer_rule(host: str, at_path: bool) -> Classification | None:
    hit = lookup_host(host)
    if hit is not None:
        kind, source, key = hit
        return Classification(_HOST_KIND_CHANNEL[kind], source, f"referrer:{key}")
    if at_path:
        return Classification("social", "mastodon", "mastodon_path:/@user")
    return None


_IN_APP_SOURCES: Final = dict(IN_APP_TOKENS)


def _in_app_rule(token: str) -> Classification | None:
    source = _IN_APP_SOURCES.get(token)
    if source is None:
        return None
    return Classification("social", source, f"in_app:{token.rstrip('/')}")


def _is_internal(host: str, own: str | None) -> bool:
    return own is not None and (host == own or host.endswith("." + own))


def decide(features: Features, *, site_host: str | None = None) -> Classification:
    """Apply the rules (see the module docstring) to extracted features."""
    utm = _utm_rule(features.utm_source, features.utm_medium)
    if utm is not None and utm.channel != "other":
        return utm
    click = _click_rule(features.click_ids)
    if click is not None:
        return click
    host = normalise_host(features.referrer_authority)
    own = _host_of(site_host) if site_host else normalise_host(features.landing_authority)
    internal = host is not None and _is_internal(host, own)
    if host is not None and not internal:
        by_referrer = _referrer_rule(host, features.referrer_at_path)
        if by_referrer is not None:
            return by_referrer
    in_app = _in_app_rule(features.in_app)
    if in_app is not None:
        return in_app
    if utm is not None:
        return utm
    if host is not None and not internal:
        return Classification("referral", host, "referrer:unlisted")
    return Classification("direct", DIRECT, "referrer:internal" if internal else "none")


def classify(
    *,
    referrer: str | None,
    landing_url: str | None,
    utm_source: str | None = None,
    utm_medium: str | None = None,
    user_agent: str | None = None,
    site_host: str | None = None,
) -> Classification:
    """The channel, source and evidence of one visit (rules in the module docstring).

    ``utm_source``/``utm_medium`` override the landing URL's parameters; ``site_host`` (a
    host or URL) marks referrers from the site itself as internal — without it the landing
    URL's host is used. Never raises on malformed input."""
    features = extract_features(
        referrer=referrer,
        landing_url=landing_url,
        utm_source=utm_source,
        utm_medium=utm_medium,
        user_agent=user_agent,
    )
    return decide(features, site_host=site_host)


# -- bulk enrichment ------------------------------------------------------------------------
def enrich_visits(
    con: duck.Connection,
    *,
    only_missing: bool = True,
    site_host: str | None = None,
    among: str | None = None,
) -> int:
    """Classify visits into ``visit_channels``; returns how many visits were classified.

    With ``only_missing`` (the default) only visits without a ``visit_channels`` row are
    classified; otherwise all are, replacing earlier rows. ``site_host`` as in
    :func:`classify`. ``among``: a table of ``visit_id`` s, the only visits looked at (the
    collector's spool load passes the visits it wrote,
    :data:`goodwill.engine.duckdb.SPOOL_VISITS`). Runs in the caller's transaction (it neither
    begins nor commits one).
    """
    stage_features(con, only_missing=only_missing, with_landing_host=site_host is None, among=among)
    try:
        mapping = _channel_mapping(con, site_host)
        if mapping is None:
            return 0
        return duck.insert_visit_channels(
            con,
            FEATURES_TABLE,
            mapping,
            FEATURE_COLUMNS,
            CLASSIFIER,
            only_missing=only_missing,
            among=among,
        )
    finally:
        drop_features(con)


def enrich_staged_visits(
    con: duck.Connection,
    rows: str,
    params: dict[str, object],
    *,
    site_host: str | None = None,
) -> int:
    """Classify the visits an import writes from the file's rows (``rows``, with ``params``:
    one row per visit, :data:`goodwill.engine.duckdb.RowsHook`), not read back from ``visits``:
    DuckDB scans a file in parallel, the rows a transaction appended on one thread. A visit
    whose channel row differs (replaced by a visit of new content) gets the new one; the same
    visit again keeps its row. Returns how many visits were classified (``rows``' count).
    ``site_host`` as in :func:`classify`."""
    stage_features(
        con, only_missing=False, with_landing_host=site_host is None, rows=rows, params=params
    )
    try:
        mapping = _channel_mapping(con, site_host)
        if mapping is None:
            return 0
        return duck.merge_staged_visit_channels(
            con, FEATURES_TABLE, mapping, FEATURE_COLUMNS, CLASSIFIER, rows=rows, params=params
        )
    finally:
        drop_features(con)


def _channel_mapping(con: duck.Connection, site_host: str | None) -> pa.Table | None:
    """Each combination of features staged in :data:`FEATURES_TABLE` with the channel,
    source and evidence :func:`decide` gives it (Arrow); ``None`` when there is none."""
    import pyarrow as pa

    combos = duck.distinct_rows(con, FEATURES_TABLE, FEATURE_COLUMNS)
    if not combos:
        return None
    rows = []
    for combo in combos:
        result = decide(Features(*combo), site_host=site_host)
        rows.append((*combo, result.channel, result.source, result.evidence))
    schema = pa.schema(
        [
            (name, pa.bool_() if name == "referrer_at_path" else pa.string())
            for name in (*FEATURE_COLUMNS, "channel", "source", "evidence")
        ]
    )
    columns = zip(*rows, strict=True)
    arrays = [pa.array(col, field.type) for col, field in zip(columns, schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)
