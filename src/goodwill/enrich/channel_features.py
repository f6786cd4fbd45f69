"""Features of a visit for the channel rules, extracted identically in Python and in SQL.

:func:`extract_features` (one visit, Python ``re``) and :func:`stage_features` (every visit,
DuckDB's RE2, :func:`goodwill.engine.duckdb.stage_channel_features`) use the same regular
expressions, so :func:`goodwill.enrich.channel.decide` gives
the same answer whichever way the features were found. The patterns avoid the few constructs
where the two engines differ (``\\s``, ``\\b``, ``$``). Features are raw substrings: decoding,
lower-casing and host clean-up happen once per distinct combination, in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from goodwill.engine import duckdb as duck
from goodwill.enrich.tracking import CLICK_IDS, IN_APP_TOKENS

__all__ = [
    "AT_PATH_RE",
    "AUTHORITY_RE",
    "CLICK_ID_RE",
    "FEATURES_TABLE",
    "FEATURE_COLUMNS",
    "IN_APP_RE",
    "UTM_MEDIUM_RE",
    "UTM_SOURCE_RE",
    "Features",
    "authority",
    "drop_features",
    "extract_features",
    "stage_features",
]


@dataclass(frozen=True, slots=True)
class Features:
    """The raw facts the rules look at, as extracted from one visit (SQL or Python).

    Values are raw substrings (not decoded, not lower-cased), ``""`` when absent; the rules
    normalise them in :func:`decide`.
    """

    utm_source: str = ""
    utm_medium: str = ""
    click_ids: str = ""
    """Click-id parameter names in the landing URL: lower-case, sorted, distinct, ``,``-joined."""
    referrer_authority: str = ""
    referrer_at_path: bool = False
    """Whether the referrer path looks like a fediverse profile: ``/@user`` or ``/web/@user``."""
    landing_authority: str = ""
    in_app: str = ""
    """The in-app browser token found in the user agent."""


# -- these patterns run both in DuckDB (RE2) and in Python (re) ------------------------------
_WS = r" \t\r\n"
_PREFIX = rf"^[{_WS}]*(?:[A-Za-z][A-Za-z0-9+.\-]*://|//)?"
AUTHORITY_RE: Final = rf"{_PREFIX}([^/?#\\{_WS}]*)"
AT_PATH_RE: Final = rf"{_PREFIX}[^/?#\\{_WS}]*/(?:web/)?@[^/?#\\@{_WS}]"
UTM_SOURCE_RE: Final = r"(?i)[?&#;]utm_source=([^&#]*)"
UTM_MEDIUM_RE: Final = r"(?i)[?&#;]utm_medium=([^&#]*)"
CLICK_ID_RE: Final = r"(?i)[?&#;](" + "|".join(CLICK_IDS) + ")="
IN_APP_RE: Final = "(" + "|".join(token for token, _ in IN_APP_TOKENS) + ")"

_RX = {
    name: re.compile(pattern)
    for name, pattern in {
        "authority": AUTHORITY_RE,
        "at_path": AT_PATH_RE,
        "utm_source": UTM_SOURCE_RE,
        "utm_medium": UTM_MEDIUM_RE,
        "click_id": CLICK_ID_RE,
        "in_app": IN_APP_RE,
    }.items()
}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _group(name: str, text: str) -> str:
    match = _RX[name].search(text)
    return match.group(1) if match else ""


def authority(url: str | None) -> str:
    """The raw authority (``user@host:port``) of a URL, also without a scheme; ``""`` if none."""
    return _group("authority", _text(url))


def extract_features(
    *,
    referrer: str | None,
    landing_url: str | None,
    utm_source: str | None = None,
    utm_medium: str | None = None,
    user_agent: str | None = None,
) -> Features:
    """The raw features of one visit, exactly as :func:`stage_features` extracts them in SQL."""
    ref, landing = _text(referrer), _text(landing_url)
    clicks = sorted({name.lower() for name in _RX["click_id"].findall(landing)})
    return Features(
        utm_source=_text(utm_source) or _group("utm_source", landing),
        utm_medium=_text(utm_medium) or _group("utm_medium", landing),
        click_ids=",".join(clicks),
        referrer_authority=_group("authority", ref),
        referrer_at_path=_RX["at_path"].search(ref) is not None,
        landing_authority=_group("authority", landing),
        in_app=_group("in_app", _text(user_agent)),
    )


# -- the same in SQL -------------------------------------------------------------------------
FEATURE_COLUMNS: Final = (
    "utm_source",
    "utm_medium",
    "click_ids",
    "referrer_authority",
    "referrer_at_path",
    "landing_authority",
    "in_app",
)
FEATURES_TABLE: Final = "_goodwill_channel_features"
"""The temporary table :func:`stage_features` fills: one row per distinct combination of the
visit columns the rules read (``__in_<column>``) and its :data:`FEATURE_COLUMNS`."""


def stage_features(
    con: duck.Connection,
    *,
    only_missing: bool,
    with_landing_host: bool,
    among: str | None = None,
    rows: str | None = None,
    params: dict[str, object] | None = None,
) -> None:
    """Fill the temporary table :data:`FEATURES_TABLE` with the features of the visits
    (only those without a ``visit_channels`` row if ``only_missing``; only those whose ids are
    in the table ``among`` if given; those of the relation ``rows``, with its ``params``,
    instead of the ``visits`` table's if given: an import's staged visits). Without
    ``with_landing_host`` the ``landing_authority`` column is left empty (a site host was
    given), which keeps the number of distinct combinations down."""
    duck.stage_channel_features(
        con,
        FEATURES_TABLE,
        {
            "utm_source": UTM_SOURCE_RE,
            "utm_medium": UTM_MEDIUM_RE,
            "click_id": CLICK_ID_RE,
            "authority": AUTHORITY_RE,
            "at_path": AT_PATH_RE,
            "in_app": IN_APP_RE,
        },
        own_host=not with_landing_host,
        only_missing=only_missing,
        among=among,
        rows=rows,
        params=params,
    )


def drop_features(con: duck.Connection) -> None:
    """Drop the temporary table :func:`stage_features` made."""
    duck.drop_table_if_exists(con, FEATURES_TABLE)
