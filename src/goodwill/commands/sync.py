"""``goodwill sync mastodon`` and ``goodwill sync bluesky``: live, incremental API syncs."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from goodwill.commands.common import DbOption, console, user_errors
from goodwill.errors import UserInputError
from goodwill.sources.sync import SyncReport
from goodwill.warehouse import Warehouse

__all__ = ["register"]

MASTODON_PIP = "the Mastodon.py client: pip install 'Mastodon.py>=2,<3'"
ATPROTO_PIP = "the atproto client: pip install 'atproto>=0.0.60,<0.1'"

sync_app = typer.Typer(
    help="Bring new posts, replies and notifications in from a platform's API (incremental, "
    "resumable, idempotent; see docs/sources/social.md)."
)


def _summary(report: SyncReport) -> None:
    pages = ", ".join(f"{n} {stream}" for stream, n in report.pages.items()) or "none"
    console.print(f"{escape(report.source)} sync of {escape(report.account)}", highlight=False)
    console.print(f"  pages fetched: {pages}", highlight=False)
    console.print(
        f"  rows loaded: {report.rows_loaded} ({report.new_rows} new), "
        f"quarantined: {report.quarantined}",
        highlight=False,
    )
    for reason, n in sorted(report.skipped.items()):
        console.print(f"  skipped {n}: {escape(reason)}", highlight=False)
    if report.waits:
        console.print(
            f"  rate limited: waited {len(report.waits)} time(s), {sum(report.waits):.1f} s",
            highlight=False,
        )


@sync_app.command("mastodon")
@user_errors
def mastodon(
    instance: Annotated[str, typer.Option(help="The instance URL, e.g. https://mastodon.social")],
    token: Annotated[
        str, typer.Option(envvar="GOODWILL_MASTODON_TOKEN", help="An access token (read scope).")
    ],
    db: DbOption = None,
) -> None:
    """Sync the account's statuses and notifications from a Mastodon instance."""
    try:
        from goodwill.sources.mastodon_sync import sync_mastodon
    except ImportError as exc:
        raise UserInputError(f"goodwill sync mastodon needs {MASTODON_PIP} ({exc})") from None
    with Warehouse.open(db) as wh:
        _summary(sync_mastodon(wh, instance, token))


@sync_app.command("bluesky")
@user_errors
def bluesky(
    handle: Annotated[str, typer.Option(help="The account's handle, e.g. you.bsky.social")],
    app_password: Annotated[
        str,
        typer.Option(envvar="GOODWILL_BLUESKY_APP_PASSWORD", help="An app password."),
    ],
    service: Annotated[str, typer.Option(help="The PDS / entryway URL.")] = "https://bsky.social",
    db: DbOption = None,
) -> None:
    """Sync the account's profile, posts, replies and notifications from Bluesky."""
    try:
        from goodwill.sources.bluesky_sync import sync_bluesky
    except ImportError as exc:
        raise UserInputError(f"goodwill sync bluesky needs {ATPROTO_PIP} ({exc})") from None
    with Warehouse.open(db) as wh:
        _summary(sync_bluesky(wh, handle, app_password, service=service))


def register(app: typer.Typer) -> None:
    app.add_typer(sync_app, name="sync")
