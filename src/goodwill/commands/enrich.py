"""``goodwill enrich``: recompute the columns derived from settings (:mod:`goodwill.derived`)
after the settings changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from goodwill.commands.common import DbOption, cli_config, console, err, user_errors
from goodwill.derived import refresh_derived, stale_derived

if TYPE_CHECKING:
    from goodwill.config import Config
    from goodwill.warehouse import Warehouse

__all__ = ["note_stale_derived", "register"]


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
