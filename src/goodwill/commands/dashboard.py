"""Dashboard accounts: ``goodwill users add|list|remove`` and ``goodwill tokens
create|list|revoke`` (API tokens for scripts: ``Authorization: Bearer TOKEN``)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from goodwill.commands.common import DbOption, FormatOption, console, parse_format, user_errors
from goodwill.errors import UserInputError

__all__ = ["register"]

users_app = typer.Typer(help="People who may sign in to the dashboard.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for scripts (Bearer).", no_args_is_help=True)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UserInputError("--password-stdin: read an empty line; pipe the password in")
        return password
    password = str(typer.prompt("Password", hide_input=True))
    if str(typer.prompt("Repeat password", hide_input=True)) != password:
        raise UserInputError("the two passwords differ; nothing changed")
    return password


@users_app.command("add")
@user_errors
def users_add(
    name: Annotated[str, typer.Argument(help="User name (lowercase letters, digits, .-_@).")],
    db: DbOption = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Set a new password for an existing user.")
    ] = False,
) -> None:
    """Add a dashboard user (the password is asked for, or read with --password-stdin)."""
    from goodwill.warehouse import Warehouse
    from goodwill.web.dashboard.users import add_user

    password = _read_password(password_stdin)
    with Warehouse.open(db, create=False) as wh:
        username = add_user(wh, name, password, replace=replace)
    console.print(f"user {username} {'updated' if replace else 'added'}", highlight=False)


@users_app.command("list")
@user_errors
def users_list(db: DbOption = None, format: FormatOption = "table") -> None:
    """Dashboard users with their live sessions and tokens."""
    from goodwill.output import render_frame
    from goodwill.warehouse import Warehouse
    from goodwill.web.dashboard.users import list_users

    fmt = parse_format(format)
    with Warehouse.open(db, read_only=True) as wh:
        frame = list_users(wh)
    render_frame(frame, fmt, console=console, title="dashboard users")


@users_app.command("remove")
@user_errors
def users_remove(
    name: Annotated[str, typer.Argument(help="User name.")], db: DbOption = None
) -> None:
    """Remove a user, ending their sessions and revoking their tokens."""
    from goodwill.warehouse import Warehouse
    from goodwill.web.dashboard.users import remove_user

    with Warehouse.open(db, create=False) as wh:
        remove_user(wh, name)
    console.print(f"user {name.strip().lower()} removed", highlight=False)


@tokens_app.command("create")
@user_errors
def tokens_create(
    user: Annotated[str, typer.Argument(help="The user the token acts as.")],
    db: DbOption = None,
    name: Annotated[str | None, typer.Option(help="What the token is for.")] = None,
) -> None:
    """Create an API token; it is printed once (only its hash is stored)."""
    from goodwill.warehouse import Warehouse
    from goodwill.web.dashboard.users import create_token

    with Warehouse.open(db, create=False) as wh:
        token_id, token = create_token(wh, user, name)
    console.print(
        f"token {token_id} (shown once; send it as Authorization: Bearer ...):", highlight=False
    )
    console.print(token, highlight=False, soft_wrap=True)


@tokens_app.command("list")
@user_errors
def tokens_list(db: DbOption = None, format: FormatOption = "table") -> None:
    """API tokens (ids, users, names, revocation; never the secret)."""
    from goodwill.output import render_frame
    from goodwill.warehouse import Warehouse
    from goodwill.web.dashboard.users import list_tokens

    fmt = parse_format(format)
    with Warehouse.open(db, read_only=True) as wh:
        frame = list_tokens(wh)
    render_frame(frame, fmt, console=console, title="API tokens")


@tokens_app.command("revoke")
@user_errors
def tokens_revoke(
    token_id: Annotated[str, typer.Argument(help="The token's id (from tokens list).")],
    db: DbOption = None,
) -> None:
    """Revoke an API token at once."""
    from goodwill.warehouse import Warehouse
    from goodwill.web.dashboard.users import revoke_token

    with Warehouse.open(db, create=False) as wh:
        revoke_token(wh, token_id)
    console.print(f"token {token_id} revoked", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
