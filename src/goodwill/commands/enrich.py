"""``goodwill enrich``: recompute the columns derived from settings.

Some columns are derived at import from a setting: a visit's channel (``visit_channels``)
depends on ``site_host`` (a referrer on the site's own host is internal, not a referral). The
settings a derivation used are stored beside it (``goodwill_meta``, key
:data:`VISIT_CHANNELS_META`, the JSON of :func:`visit_channel_settings`); when the settings in
use differ, :func:`refresh_derived` recomputes the derived rows. ``goodwill import`` does so at
its end, ``goodwill enrich`` on demand, and read-only commands say it must run
(:func:`stale_derived`) instead of writing.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from goodwill.commands.common import DbOption, cli_config, console, err, user_errors

if TYPE_CHECKING:
    from goodwill.config import Config
    from goodwill.warehouse import Warehouse

__all__ = [
    "VISIT_CHANNELS_META",
    "refresh_derived",
    "register",
    "stale_derived",
    "visit_channel_settings",
]

VISIT_CHANNELS_META = "visit_channels_settings"
"""``goodwill_meta`` key: the settings ``visit_channels`` was computed with."""


def visit_channel_settings(cfg: Config) -> str:
    """The settings a visit's channel depends on, as stored JSON."""
    return json.dumps({"site_host": cfg.site_host}, sort_keys=True)


def stale_derived(wh: Warehouse, cfg: Config) -> list[str]:
    """The derived tables computed with other settings than ``cfg`` (empty: all current).
    A warehouse with no visits has nothing to recompute."""
    stored = wh.get_meta(VISIT_CHANNELS_META)
    if stored == visit_channel_settings(cfg):
        return []
    rows = wh.query("SELECT count(*) FROM visit_channels")
    return ["visit_channels"] if rows[0][0] else []


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


def note_stale_derived(wh: Warehouse, cfg: Config) -> bool:
    """On stderr, say that derived columns use old settings (a read-only command cannot
    recompute them); whether it said so."""
    stale = stale_derived(wh, cfg)
    if stale:
        err.print(
            f"[yellow]note:[/] {', '.join(stale)} was computed with other settings than "
            f"{cfg.path or 'the defaults'} (site_host); run `goodwill enrich` to recompute",
            highlight=False,
        )
    return bool(stale)


def register(app: typer.Typer) -> None:
    @app.command()
    @user_errors
    def enrich(
        db: DbOption = None,
        force: bool = typer.Option(False, "--force", help="Recompute even if nothing changed."),
    ) -> None:
        """Recompute the columns derived from settings (visit channels from site_host)
        after the settings changed; `goodwill import` does it too."""
        from goodwill.warehouse import Warehouse

        cfg = cli_config(db)
        with Warehouse.open(db, create=False) as wh:
            done = refresh_derived(wh, cfg, force=force)
        if not done:
            console.print("derived columns are up to date with the settings", highlight=False)
        for table, n in done.items():
            console.print(f"{table}: recomputed {n:,} row(s)", highlight=False)
