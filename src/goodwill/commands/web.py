"""Web commands: ``serve`` (collector + tracked links), ``links create|list``, ``channel``
(why a visit got its channel) and ``spool load``."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer

from goodwill.commands.common import (
    DbOption,
    FormatOption,
    cli_config,
    console,
    err,
    parse_format,
    user_errors,
)
from goodwill.errors import UserInputError

__all__ = ["register"]

SpoolOption = Annotated[
    Path,
    typer.Option("--spool", envvar="GOODWILL_SPOOL", help="Spool folder of collected events."),
]
DEFAULT_SPOOL = Path("goodwill-spool")


def _channel_rows(
    rows: list[dict[str, str | None]], site_host: str | None
) -> list[dict[str, str | None]]:
    from goodwill.enrich.channel import classify

    out = []
    for row in rows:
        c = classify(
            referrer=row.get("referrer"),
            landing_url=row.get("landing_url"),
            user_agent=row.get("user_agent"),
            site_host=site_host,
        )
        out.append({"channel": c.channel, "source": c.source, "evidence": c.evidence, **row})
    return out


def _read_channel_csv(path: Path) -> list[dict[str, str | None]]:
    allowed = {"referrer", "landing_url", "user_agent"}
    try:
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            header = set(reader.fieldnames or ())
            unknown = header - allowed
            if unknown or not header:
                raise UserInputError(
                    f"--file {path}: columns {sorted(unknown) or '(none)'} not allowed; "
                    "use referrer, landing_url, user_agent"
                )
            return [{k: (v or None) for k, v in r.items()} for r in reader]
    except OSError as exc:
        raise UserInputError(f"--file {path}: cannot read ({exc.strerror})") from None


def register(app: typer.Typer) -> None:
    links_app = typer.Typer(help="Tracked short links.", no_args_is_help=True)
    spool_app = typer.Typer(help="The collector's spool of events.", no_args_is_help=True)
    app.add_typer(links_app, name="links")
    app.add_typer(spool_app, name="spool")

    @app.command()
    @user_errors
    def serve(
        db: DbOption = None,
        spool: SpoolOption = DEFAULT_SPOOL,
        site: Annotated[
            list[str] | None,
            typer.Option(help="Site (host) to collect for; repeat for several [default: config]."),
        ] = None,
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
        load_interval: Annotated[
            float, typer.Option(help="Seconds between loads of the spool into the warehouse.")
        ] = 5.0,
        trust_proxy: Annotated[
            bool,
            typer.Option(
                help="Behind a reverse proxy on 127.0.0.1: take the client address from its "
                "X-Forwarded-For (otherwise that header is ignored)."
            ),
        ] = False,
        secure_cookies: Annotated[
            str,
            typer.Option(help="Mark sign-in cookies Secure: auto (when https), always, never."),
        ] = "auto",
    ) -> None:
        """Run the collector, tracked-link redirects and the dashboard (FastAPI on uvicorn);
        add users with `goodwill users add NAME`."""
        import uvicorn

        from goodwill.warehouse import default_db_path
        from goodwill.web.app import create_app

        cookie_modes = {"auto": None, "always": True, "never": False}
        if secure_cookies not in cookie_modes:
            raise UserInputError(f"--secure-cookies {secure_cookies!r}: use auto, always or never")
        db_path = db or default_db_path()
        if not db_path.is_file():
            raise UserInputError(
                f"--db {db_path}: no such warehouse; run `goodwill init` or `goodwill import`"
            )
        cfg = cli_config(db_path)
        sites = site or ([cfg.site_host] if cfg.site_host else [])
        if not sites:
            err.print(
                "note: the collector is off (no site to collect for): give --site HOST or set "
                "site_host in goodwill.toml to collect page views; the dashboard is on",
                highlight=False,
            )
        web_app = create_app(
            spool_dir=spool,
            sites=sites,
            db=db_path,
            site_host=cfg.site_host,
            load_interval=load_interval,
            trust_proxy=trust_proxy,
            secure_cookies=cookie_modes[secure_cookies],
            retention_days=cfg.spool_retention_days,
            spool_fsync=cfg.spool_fsync,
            spool_fsync_interval=cfg.spool_fsync_interval,
        )
        uvicorn.run(
            web_app,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            proxy_headers=trust_proxy,  # else a client sets its own address (login backoff)
        )

    @links_app.command("create")
    @user_errors
    def links_create(
        url: Annotated[str, typer.Argument(help="Destination URL (http or https).")],
        db: DbOption = None,
        platform: Annotated[str | None, typer.Option(help="Where the link is posted.")] = None,
        campaign: Annotated[str | None, typer.Option(help="Campaign name.")] = None,
        person: Annotated[
            str | None, typer.Option(help="person_ref this link is made for.")
        ] = None,
        post: Annotated[str | None, typer.Option(help="post_id that carries the link.")] = None,
        code: Annotated[str | None, typer.Option(help="Short code [default: random].")] = None,
    ) -> None:
        """Make a tracked short link; prints its code (served at /r/CODE)."""
        from urllib.parse import urlsplit

        from goodwill.engine import duckdb as duck
        from goodwill.warehouse import Warehouse
        from goodwill.web.links import CODE_ALPHABET, new_code

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UserInputError(f"URL {url!r}: expected an http(s) URL with a host")
        if code is not None and (not code or any(ch not in CODE_ALPHABET for ch in code)):
            raise UserInputError(f"--code {code!r}: use letters and digits only")
        with Warehouse.open(db, create=False) as wh:
            chosen = code or new_code()
            if duck.link_exists(wh.con, chosen):
                raise UserInputError(f"--code {chosen!r}: already used; choose another")
            duck.insert_link(
                wh.con,
                [chosen, url, platform.lower() if platform else None, campaign, post, person],
            )
        console.print(chosen, highlight=False)

    @links_app.command("list")
    @user_errors
    def links_list(db: DbOption = None, format: FormatOption = "table") -> None:
        """List tracked links with their clicks."""
        from goodwill.output import render_frame
        from goodwill.warehouse import Warehouse

        fmt = parse_format(format)
        with Warehouse.open(db, read_only=True) as wh:
            be = wh.ibis()
            links, clicks = be.table("links"), be.table("link_clicks")
            per_code = clicks.group_by(link=clicks.code).aggregate(clicks=clicks.click_id.count())
            joined = links.left_join(per_code, links.code == per_code.link)
            df = (
                joined.select(
                    "code",
                    "destination_url",
                    "platform",
                    "campaign",
                    "person_ref",
                    clicks=joined.clicks.fill_null(0),
                )
                .order_by("code")
                .to_pandas()
            )
        render_frame(df, fmt, console=console, title="links")

    @app.command()
    @user_errors
    def channel(
        referrer: Annotated[str | None, typer.Option(help="Referrer URL.")] = None,
        landing: Annotated[str | None, typer.Option(help="Landing page URL.")] = None,
        user_agent: Annotated[str | None, typer.Option(help="User agent.")] = None,
        file: Annotated[
            Path | None,
            typer.Option(help="CSV with columns referrer, landing_url, user_agent."),
        ] = None,
        format: FormatOption = "table",
    ) -> None:
        """Show the channel, source and evidence the classifier gives a visit."""
        import pandas as pd

        from goodwill.config import load_config
        from goodwill.output import render_frame

        fmt = parse_format(format, ("table", "json", "csv"))
        if file is not None:
            if referrer or landing or user_agent:
                raise UserInputError("--file: give either --file or the visit's options")
            rows = _read_channel_csv(file)
        else:
            rows = [{"referrer": referrer, "landing_url": landing, "user_agent": user_agent}]
        out = _channel_rows(rows, load_config().site_host)
        render_frame(pd.DataFrame(out), fmt, console=console, title="channel")

    @spool_app.command("load")
    @user_errors
    def spool_load(db: DbOption = None, spool: SpoolOption = DEFAULT_SPOOL) -> None:
        """Move collected events from the spool into the warehouse (idempotent)."""
        from goodwill.config import load_config
        from goodwill.warehouse import Warehouse
        from goodwill.web.loader import load_spool

        if not spool.is_dir():
            raise UserInputError(f"--spool {spool}: no such folder")
        cfg = load_config()
        with Warehouse.open(db, create=False) as wh:
            r = load_spool(
                wh, spool, site_host=cfg.site_host, retention_days=cfg.spool_retention_days
            )
        console.print(
            f"read {r.read} event(s), {r.new} new; {r.visits} visit(s) rebuilt, "
            f"{r.conversions} conversion(s), {r.clicks} click(s); {r.archived} segment(s) archived"
        )
        if r.quarantined:
            err.print(
                f"{r.quarantined} event(s) could not be stored ({r.unparsable} unparsable "
                f"line(s)) and were quarantined in {spool}/quarantine/quarantine.jsonl; first: "
                + "; ".join(r.reasons[:3]),
                highlight=False,
            )
