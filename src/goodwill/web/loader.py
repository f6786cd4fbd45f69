"""Moving spooled events into the warehouse, idempotently by ``event_id``.

One load, in one transaction:

1. every complete event of every spool segment is staged and inserted into
   ``collected_events`` unless its ``event_id`` is already there (so a segment read twice, or
   a server killed before it archived a segment, never duplicates anything);
2. the pageviews of each visitor with new pageviews are sessionised again into ``visits``:
   a visit is a run of one visitor's pageviews on one site with no gap over 30 minutes
   (``SESSION_GAP``); its id is ``gw:`` + the id of its first pageview, its landing page and
   referrer those of that pageview, ``pageviews`` the count, ``link_code`` the first tracked
   link seen in it. Earlier collector visits of those visitors are replaced (so a late event
   merges into its session), then classified by the channel enricher;
3. new custom events named ``lead``, ``signup``, ``order`` or ``refund`` become
   ``conversions`` (id ``gw:<event_id>``, value converted with the latest ``fx_rates`` rate
   on or before the day when its currency is not the reporting one);
4. new clicks become ``link_clicks``; a click or visit through a link made for one person adds
   the identity ``visitor:<visitor_id>`` → that person, which ties the visit and the visitor's
   later leads to them.

Only after the commit are sealed segments moved to ``loaded/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from goodwill.warehouse import Warehouse
from goodwill.web.spool import LOADED_DIR, read_segment, seal_orphans, segments

__all__ = ["CONVERSION_EVENTS", "EVENT_COLUMNS", "SESSION_GAP_MINUTES", "LoadResult", "load_spool"]

SESSION_GAP_MINUTES: Final = 30
CONVERSION_EVENTS: Final = ("lead", "signup", "order", "refund")
EVENT_COLUMNS: Final = (
    "event_id",
    "kind",
    "name",
    "site",
    "occurred_at",
    "visitor_id",
    "url",
    "referrer",
    "user_agent",
    "link_code",
    "value",
    "currency",
    "email",
)


@dataclass
class LoadResult:
    """What one load did."""

    read: int = 0
    new: int = 0
    visits: int = 0
    conversions: int = 0
    clicks: int = 0
    archived: int = 0


_STAGE: Final = "_goodwill_spool_stage"
_NEW: Final = "_goodwill_spool_new"

_INSERT_EVENTS = f"""
CREATE TEMP TABLE {_NEW} AS
SELECT DISTINCT ON (event_id)
       event_id, kind, name, site, CAST(occurred_at AS TIMESTAMP) AS occurred_at, visitor_id,
       url, referrer, user_agent, link_code, TRY_CAST(value AS DECIMAL(18,4)) AS value,
       upper(currency) AS currency, lower(email) AS email
FROM {_STAGE} AS s
WHERE NOT EXISTS (SELECT 1 FROM collected_events c WHERE c.event_id = s.event_id)
"""

_AFFECTED = f"""
CREATE TEMP TABLE _goodwill_affected AS
SELECT DISTINCT visitor_id FROM {_NEW} WHERE kind = 'pageview'
"""

_SESSIONS = f"""
CREATE TEMP TABLE _goodwill_sessions AS
WITH pv AS (
  SELECT e.*, CASE WHEN lag(occurred_at) OVER w IS NULL
                     OR occurred_at - lag(occurred_at) OVER w
                        > INTERVAL {SESSION_GAP_MINUTES} MINUTE
              THEN 1 ELSE 0 END AS starts
  FROM collected_events e
  WHERE kind = 'pageview' AND visitor_id IN (SELECT visitor_id FROM _goodwill_affected)
  WINDOW w AS (PARTITION BY visitor_id, site ORDER BY occurred_at, event_id)
), numbered AS (
  SELECT *, sum(starts) OVER (PARTITION BY visitor_id, site ORDER BY occurred_at, event_id
                              ROWS UNBOUNDED PRECEDING) AS session_no
  FROM pv
)
SELECT 'gw:' || arg_min(event_id, (occurred_at, event_id)) AS visit_id,
       min(occurred_at) AS started_at,
       visitor_id,
       arg_min(url, (occurred_at, event_id)) AS landing_url,
       arg_min(referrer, (occurred_at, event_id)) AS referrer,
       count(*) AS pageviews,
       arg_min(link_code, (occurred_at, event_id)) FILTER (WHERE link_code IS NOT NULL)
         AS link_code,
       arg_min(user_agent, (occurred_at, event_id)) AS user_agent
FROM numbered
GROUP BY visitor_id, site, session_no
"""

_DELETE_OLD_CHANNELS = """
DELETE FROM visit_channels WHERE visit_id IN (
  SELECT visit_id FROM visits
  WHERE visit_id LIKE 'gw:%' AND visitor_id IN (SELECT visitor_id FROM _goodwill_affected))
"""

_DELETE_OLD_VISITS = """
DELETE FROM visits
WHERE visit_id LIKE 'gw:%' AND visitor_id IN (SELECT visitor_id FROM _goodwill_affected)
"""

_INSERT_VISITS = """
INSERT OR REPLACE INTO visits (visit_id, started_at, visitor_id, landing_url, referrer,
                               pageviews, link_code, user_agent)
SELECT visit_id, started_at, visitor_id, coalesce(landing_url, ''), nullif(referrer, ''),
       pageviews, link_code, user_agent
FROM _goodwill_sessions
"""

_INSERT_CONVERSIONS = f"""
INSERT OR REPLACE INTO conversions (conversion_id, occurred_at, kind, value, currency,
                                    email, visitor_id, value_reporting)
SELECT 'gw:' || n.event_id, n.occurred_at, n.name, coalesce(n.value, 0),
       coalesce(n.currency, $currency), n.email, n.visitor_id,
       CASE WHEN coalesce(n.currency, $currency) = $currency THEN coalesce(n.value, 0)
            ELSE coalesce(n.value, 0) * (
              SELECT arg_max(r.rate, r.date) FROM fx_rates r
              WHERE r.currency = n.currency AND r.date <= CAST(n.occurred_at AS DATE))
       END
FROM {_NEW} n
WHERE n.kind = 'event' AND n.name IN {CONVERSION_EVENTS!r}
"""

_INSERT_CLICKS = f"""
INSERT OR REPLACE INTO link_clicks (click_id, code, clicked_at, visitor_id, referrer, person_ref)
SELECT n.event_id, n.link_code, n.occurred_at, n.visitor_id, n.referrer, l.person_ref
FROM {_NEW} n LEFT JOIN links l ON l.code = n.link_code
WHERE n.kind = 'click' AND n.link_code IS NOT NULL
"""

_INSERT_IDENTITIES = f"""
INSERT OR IGNORE INTO identities (kind, value, person_ref)
SELECT DISTINCT ON (n.visitor_id) 'visitor', n.visitor_id, l.person_ref
FROM {_NEW} n JOIN links l ON l.code = n.link_code
WHERE l.person_ref IS NOT NULL AND n.kind IN ('click', 'pageview')
ORDER BY n.visitor_id, n.occurred_at
"""

_REFRESH_PEOPLE = """
INSERT OR REPLACE INTO people
SELECT person_ref, max(display_name) FROM identities GROUP BY person_ref
"""


def _stage(events: list[dict[str, Any]]) -> Any:
    import pyarrow as pa

    columns: dict[str, list[Any]] = {c: [] for c in EVENT_COLUMNS}
    for event in events:
        for c in EVENT_COLUMNS:
            value = event.get(c)
            columns[c].append(None if value is None else str(value))
    return pa.table({c: pa.array(v, type=pa.string()) for c, v in columns.items()})


def _count(wh: Warehouse, sql: str) -> int:
    row = wh.con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def load_spool(
    wh: Warehouse, folder: Path, *, site_host: str | None = None, currency: str | None = None
) -> LoadResult:
    """Load every complete event in the spool ``folder`` into ``wh`` (see the module
    docstring); sealed segments are archived into ``loaded/`` after the commit."""
    from goodwill.enrich.channel import enrich_visits

    result = LoadResult()
    if not folder.is_dir():
        return result
    seal_orphans(folder)
    sealed, open_ = segments(folder)
    events = [e for path in (*sealed, *open_) for e in read_segment(path)]
    result.read = len(events)
    reporting = currency or wh.get_meta("reporting_currency") or "USD"
    con = wh.con
    if events:
        con.register(_STAGE, _stage(events))
        try:
            with wh.transaction():
                con.execute(_INSERT_EVENTS)
                result.new = _count(wh, f"SELECT count(*) FROM {_NEW}")
                con.execute(
                    f"INSERT INTO collected_events ({', '.join(EVENT_COLUMNS)}) "
                    f"SELECT {', '.join(EVENT_COLUMNS)} FROM {_NEW}"
                )
                con.execute(_AFFECTED)
                con.execute(_SESSIONS)
                con.execute(_DELETE_OLD_CHANNELS)
                con.execute(_DELETE_OLD_VISITS)
                con.execute(_INSERT_VISITS)
                result.visits = _count(wh, "SELECT count(*) FROM _goodwill_sessions")
                con.execute(_INSERT_CONVERSIONS, {"currency": reporting})
                result.conversions = _count(
                    wh,
                    f"SELECT count(*) FROM {_NEW} WHERE kind = 'event' "
                    f"AND name IN {CONVERSION_EVENTS!r}",
                )
                con.execute(_INSERT_CLICKS)
                result.clicks = _count(
                    wh, f"SELECT count(*) FROM {_NEW} WHERE kind = 'click' AND link_code <> ''"
                )
                con.execute(_INSERT_IDENTITIES)
                con.execute(_REFRESH_PEOPLE)
                enrich_visits(con, site_host=site_host)
                for temp in (_NEW, "_goodwill_affected", "_goodwill_sessions"):
                    con.execute(f"DROP TABLE {temp}")
        finally:
            con.unregister(_STAGE)
    loaded = folder / LOADED_DIR
    loaded.mkdir(exist_ok=True)
    for path in sealed:
        path.rename(loaded / path.name)
        result.archived += 1
    return result
