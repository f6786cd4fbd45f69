"""Commands for return on relationships: ``goodwill people`` (the monthly roster, ``resolve``,
``merge``, ``split``), ``goodwill person``, ``goodwill referrals``, ``goodwill consent`` and
``goodwill erase``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer
from rich.markup import escape

from goodwill.commands.common import (
    DbOption,
    FormatOption,
    cli_config,
    console,
    err,
    parse_format,
    parse_month,
    user_errors,
    warn_if_unresolved,
)
from goodwill.engine import duckdb as duck
from goodwill.errors import UserInputError
from goodwill.output import render_frame
from goodwill.warehouse import Warehouse

__all__ = ["register"]

people_app = typer.Typer(help="People who pay attention, by name; identity resolution.")
consent_app = typer.Typer(help="The consent ledger and marketing lists that respect it.")


def _latest_month(wh: Warehouse) -> date:
    t = wh.ibis().table("interactions")
    latest = t.filter(t.direction == "inbound").created_at.max().to_pyarrow().as_py()
    if latest is None:
        raise UserInputError("no interactions in this warehouse; run `goodwill import` first")
    return date(latest.year, latest.month, 1)


def _ensure_resolved(wh: Warehouse) -> None:
    """Resolve identities when an import happened since the last resolve: only commands
    that change people (merge, split, confirm, consent, erase) do; reads only say so."""
    from goodwill.people.identity import is_stale, resolve

    if is_stale(wh):
        resolve(wh)


@people_app.callback(invoke_without_command=True)
@user_errors
def people(
    ctx: typer.Context,
    db: DbOption = None,
    month: Annotated[str | None, typer.Option(help="Month, YYYY-MM [default: latest].")] = None,
    format: FormatOption = "table",
) -> None:
    """The monthly roster: who paid attention, by name; newcomers, champions gone quiet and
    people to thank."""
    if ctx.invoked_subcommand is not None:
        return
    from goodwill.people.roster import monthly_roster

    fmt = parse_format(format)
    with Warehouse.open(db, read_only=True) as wh:
        warn_if_unresolved(wh)
        chosen = parse_month(month) or _latest_month(wh)
        roster = monthly_roster(wh, chosen)
    label = f"{chosen:%Y-%m}"
    if fmt == "json":
        import json

        from goodwill.output import to_records

        console.file.write(
            json.dumps(
                {
                    "month": label,
                    "people": to_records(roster.people),
                    "newcomers": to_records(roster.newcomers),
                    "champions_gone_quiet": to_records(roster.gone_quiet),
                    "people_to_thank": to_records(roster.to_thank),
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
        return
    if fmt == "csv":
        render_frame(roster.people, fmt, console=console)
        return
    from goodwill.people.scores import tier_counts

    shown = ["name", "platforms", "did", "tier", "customer", "first_seen", "regular"]
    counts = ", ".join(f"{n} {t}" for t, n in tier_counts(roster.people).items() if n)
    title = f"who paid attention in {label}: {len(roster.people)} people ({counts})"
    render_frame(roster.people[shown], fmt, console=console, title=title)
    render_frame(
        roster.newcomers[["name", "platforms", "did"]],
        fmt,
        console=console,
        title=f"newcomers: {len(roster.newcomers)}",
    )
    render_frame(
        roster.gone_quiet[["name", "reason"]],
        fmt,
        console=console,
        title=f"champions gone quiet: {len(roster.gone_quiet)}",
    )
    render_frame(
        roster.to_thank[["name", "reason"]],
        fmt,
        console=console,
        title=f"people to thank: {len(roster.to_thank)}",
    )


@people_app.command("resolve")
@user_errors
def resolve_cmd(db: DbOption = None) -> None:
    """Resolve every identity to a person (goodwill import does it at its end; run it after
    an import with --no-resolve, or a change of name_decorations)."""
    from goodwill.people.identity import resolve

    with Warehouse.open(db, create=False) as wh:
        s = resolve(wh)
    console.print(
        f"{s.identities} identities → {s.people} people ({s.deterministic_links} rule links, "
        f"{s.probabilistic_links} probabilistic links, {s.decisions} user decisions)"
    )


@people_app.command("merge")
@user_errors
def merge_cmd(
    first: Annotated[str, typer.Argument(help="An identity: kind:value, handle or e-mail.")],
    second: Annotated[str, typer.Argument(help="The identity to merge with.")],
    db: DbOption = None,
) -> None:
    """Merge the persons of two identities (kept on every later resolve)."""
    from goodwill.people.identity import find_identity, record_decision, resolve

    with Warehouse.open(db, create=False) as wh:
        _ensure_resolved(wh)
        a, b = find_identity(wh, first), find_identity(wh, second)
        record_decision(wh, "merge", a, b)
        resolve(wh)
        (pid,) = duck.person_of_identity(wh.con, a[0], a[1])
    console.print(f"merged {a[0]}:{a[1]} and {b[0]}:{b[1]} into {pid}")


@people_app.command("split")
@user_errors
def split_cmd(
    identity: Annotated[str, typer.Argument(help="An identity: kind:value, handle or e-mail.")],
    db: DbOption = None,
) -> None:
    """Split an identity off its person (kept on every later resolve)."""
    from goodwill.people.identity import find_identity, record_decision, resolve

    with Warehouse.open(db, create=False) as wh:
        _ensure_resolved(wh)
        node = find_identity(wh, identity)
        record_decision(wh, "split", node)
        resolve(wh)
    console.print(f"split {node[0]}:{node[1]} into a person of its own")


@people_app.command("tiers")
@user_errors
def tiers_cmd(
    db: DbOption = None,
    view: Annotated[str, typer.Option(help="migration or revenue.")] = "migration",
    format: FormatOption = "table",
) -> None:
    """Tier migration month to month, or revenue and repeat-purchase rate by tier."""
    from goodwill.people import activity
    from goodwill.people.scores import score_people
    from goodwill.people.tiers import revenue_by_tier, tier_history, tier_migration

    fmt = parse_format(format)
    if view not in ("migration", "revenue"):
        raise UserInputError(f"--view {view!r}: expected migration or revenue")
    with Warehouse.open(db, read_only=True) as wh:
        warn_if_unresolved(wh)
        ev, conv = activity.social_events(wh), activity.conversions(wh)
    if view == "migration":
        frame = tier_migration(tier_history(ev, conv))
    else:
        last = _latest(ev)
        frame = revenue_by_tier(score_people(ev, activity.revenue(conv), last), conv)
    render_frame(frame, fmt, console=console, title=f"tiers: {view}")


def _latest(events: object) -> datetime:
    """The latest event time (now when there are none)."""
    import pandas as pd

    assert isinstance(events, pd.DataFrame)
    if events.empty:
        return datetime.now(UTC).replace(tzinfo=None)
    return pd.Timestamp(pd.to_datetime(events["at"]).max()).to_pydatetime()


@people_app.command("confirm")
@user_errors
def confirm_cmd(
    identity: Annotated[str, typer.Argument(help="An identity: kind:value, handle or e-mail.")],
    db: DbOption = None,
) -> None:
    """Confirm an identity's link to its person (kept on every later resolve)."""
    from goodwill.people.identity import confirm_link, find_identity

    with Warehouse.open(db, create=False) as wh:
        _ensure_resolved(wh)
        node = find_identity(wh, identity)
        other = confirm_link(wh, node)
    console.print(f"confirmed {node[0]}:{node[1]} with {other[0]}:{other[1]}", emoji=False)


def person(
    who: Annotated[str, typer.Argument(help="Name, handle, e-mail, customer id or person id.")],
    db: DbOption = None,
    format: FormatOption = "table",
) -> None:
    """A person's tier and why they hold it, and their timeline: every interaction, visit,
    lead, order and brand reply, in order."""
    from goodwill.people.timeline import find_person, standing, standing_text, timeline

    fmt = parse_format(format)
    with Warehouse.open(db, read_only=True) as wh:
        warn_if_unresolved(wh)
        pid = find_person(wh, who)
        frame = timeline(wh, pid)
        where = standing(wh, pid) if fmt == "table" else None
        pl = wh.ibis().table("person_links")
        links = [
            (r["kind"], r["value"], r["method"], r["score"])
            for r in pl.filter(pl.person_id == pid)
            .select("kind", "value", "method", "score")
            .order_by(["kind", "value"])
            .to_pyarrow()
            .to_pylist()
        ]
    if fmt == "table":
        ids = ", ".join(f"{k}:{v} ({m} {float(s):.2f})" for k, v, m, s in links)
        console.print(
            f"[bold]{escape(pid)}[/] — identities: {escape(ids)}", highlight=False, emoji=False
        )
        if where is not None:
            console.print(escape(standing_text(where)), highlight=False, emoji=False)
    render_frame(frame, fmt, console=console, title=f"timeline of {pid}")


def referrals(db: DbOption = None, format: FormatOption = "table") -> None:
    """Who brought whom: top advocates with their downstream customers and revenue."""
    from goodwill.people.referrals import advocates

    fmt = parse_format(format)
    with Warehouse.open(db, read_only=True) as wh:
        warn_if_unresolved(wh)
        frame = advocates(wh)
    code = cli_config(db).currency if fmt == "table" else None
    render_frame(
        frame,
        fmt,
        console=console,
        title="advocates",
        units={"revenue": "currency"},
        currency=code,
    )


@consent_app.command("grant")
@user_errors
def consent_grant(
    identity: Annotated[str, typer.Argument(help="An identity: kind:value, handle or e-mail.")],
    channel: Annotated[str, typer.Option(help="email, sms, dm, ...")] = "email",
    source: Annotated[str | None, typer.Option(help="Where it was given.")] = None,
    db: DbOption = None,
) -> None:
    """Record that a person granted consent for a channel."""
    _consent(identity, channel, "granted", source, db)


@consent_app.command("withdraw")
@user_errors
def consent_withdraw(
    identity: Annotated[str, typer.Argument(help="An identity: kind:value, handle or e-mail.")],
    channel: Annotated[str, typer.Option(help="email, sms, dm, ...")] = "email",
    source: Annotated[str | None, typer.Option(help="Where it was withdrawn.")] = None,
    db: DbOption = None,
) -> None:
    """Record that a person withdrew consent for a channel."""
    _consent(identity, channel, "withdrawn", source, db)


def _consent(identity: str, channel: str, status: str, source: str | None, db: object) -> None:
    from goodwill.people.consent import record_consent
    from goodwill.people.identity import find_identity

    with Warehouse.open(db, create=False) as wh:  # type: ignore[arg-type]
        _ensure_resolved(wh)
        node = find_identity(wh, identity)
        record_consent(wh, node, channel, status, source=source)
    console.print(f"{node[0]}:{node[1]}: {channel} consent {status}")


@consent_app.command("list")
@user_errors
def consent_list(db: DbOption = None, format: FormatOption = "table") -> None:
    """The current consent of every person and channel (latest event wins)."""
    from goodwill.people.consent import consent_status

    fmt = parse_format(format)
    with Warehouse.open(db, read_only=True) as wh:
        frame = consent_status(wh)
    render_frame(frame, fmt, console=console, title="consent")


@consent_app.command("export")
@user_errors
def consent_export(
    channel: Annotated[str, typer.Option(help="email, sms, dm, ...")] = "email",
    db: DbOption = None,
    format: FormatOption = "csv",
) -> None:
    """A marketing list: only people whose latest consent for the channel is granted."""
    from goodwill.people.consent import marketing_list

    fmt = parse_format(format)
    with Warehouse.open(db, read_only=True) as wh:
        frame = marketing_list(wh, channel)
    render_frame(frame, fmt, console=console, title=f"{channel} list")


def erase(
    who: Annotated[str, typer.Argument(help="Name, handle, e-mail, customer id or person id.")],
    db: DbOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove a person and every trace of them; conversions stay as anonymous amounts."""
    from goodwill.people.erase import erase_person
    from goodwill.people.timeline import find_person

    with Warehouse.open(db, create=False) as wh:
        _ensure_resolved(wh)
        pid = find_person(wh, who)
        if not yes and not typer.confirm(f"erase {pid} everywhere?"):
            err.print("nothing erased")
            raise typer.Exit(1)
        report = erase_person(wh, pid)
    console.print(f"erased {pid}: " + ", ".join(f"{t} {n}" for t, n in report.items()))


def register(app: typer.Typer) -> None:
    app.add_typer(people_app, name="people")
    app.add_typer(consent_app, name="consent")
    app.command("person")(user_errors(person))
    app.command("referrals")(user_errors(referrals))
    app.command("erase")(user_errors(erase))
