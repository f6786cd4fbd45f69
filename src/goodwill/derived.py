"""Columns derived from settings, and whether they are up to date with the settings in use.

Some columns are derived at import from a setting: a visit's channel (``visit_channels``)
depends on ``site_host`` (a referrer on the site's own host is internal, not a referral). The
settings a derivation used are stored beside it (``goodwill_meta``, key
:data:`VISIT_CHANNELS_META`, the JSON of :func:`visit_channel_settings`); when the settings in
use differ, :func:`refresh_derived` recomputes the derived rows. ``goodwill import`` does so at
its end and ``goodwill enrich`` on demand; read-only commands and dashboard pages only say that
it must run (:func:`stale_derived`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from goodwill.config import Config
    from goodwill.warehouse import Warehouse

__all__ = ["VISIT_CHANNELS_META", "refresh_derived", "stale_derived", "visit_channel_settings"]

VISIT_CHANNELS_META = "visit_channels_settings"
"""``goodwill_meta`` key: the settings ``visit_channels`` was computed with."""


def visit_channel_settings(cfg: Config) -> str:
    """The settings a visit's channel depends on, as stored JSON."""
    return json.dumps({"site_host": cfg.site_host}, sort_keys=True)


def stale_derived(wh: Warehouse, cfg: Config) -> list[str]:
    """The derived tables computed with other settings than ``cfg`` (empty: all current,
    nothing derived yet, or derived by a library import that recorded no settings: those are
    taken as current, not flagged on every page)."""
    stored = wh.get_meta(VISIT_CHANNELS_META)
    if stored is None or stored == visit_channel_settings(cfg):
        return []
    return ["visit_channels"] if wh.count("visit_channels") else []


def refresh_derived(wh: Warehouse, cfg: Config, *, force: bool = False) -> dict[str, int]:
    """Recompute every derived table whose settings changed (all with ``force``) in one
    transaction and record the settings used; ``{table: rows recomputed}``."""
    from goodwill.enrich.channel import enrich_visits

    done: dict[str, int] = {}
    with wh.transaction():
        if force or stale_derived(wh, cfg):
            done["visit_channels"] = enrich_visits(
                wh.con, only_missing=False, site_host=cfg.site_host
            )
        wh.set_meta(VISIT_CHANNELS_META, visit_channel_settings(cfg))
    return done
