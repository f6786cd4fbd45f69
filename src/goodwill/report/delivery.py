"""Scheduled delivery: the report by e-mail, through an SMTP server named in ``goodwill.toml``.

``goodwill report --email TO`` writes the report as usual, then sends one message: the
report's HTML as the body (it is self-contained: inline CSS and SVG, no script) and, when a
PDF was written, the PDF as an attachment. The ``[smtp]`` section of ``goodwill.toml`` names
the server (keys listed in :data:`goodwill.config.SECTION_SETTINGS`, documented in
``docs/settings.md``)::

    [smtp]
    host = "smtp.example.com"
    port = 587                 # default: 587 (starttls), 465 (ssl), 25 (none)
    security = "starttls"      # starttls, ssl or none
    user = "reports@example.com"
    password_env = "GOODWILL_SMTP_PASSWORD"   # the environment variable holding the password
    from = "goodwill <reports@example.com>"

The password is never read from the file: only from the environment variable ``password_env``
names, so the file can be shared. A cron line or systemd timer runs the command monthly
(docs/report.md).
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import tomllib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from html import unescape
from pathlib import Path

from goodwill.config import SECTION_SETTINGS
from goodwill.errors import UserInputError

__all__ = [
    "SECURITY_PORTS",
    "SmtpSettings",
    "build_message",
    "email_report",
    "load_smtp_settings",
    "parse_recipients",
    "send_message",
]

SECURITY_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
"""The default port of each ``security`` mode."""

_KEYS = tuple(s.name for s in SECTION_SETTINGS if s.section == "smtp")
"""The keys of ``[smtp]``, as registered in :mod:`goodwill.config`."""
_ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+$")


@dataclass(frozen=True, kw_only=True)
class SmtpSettings:
    """Where and how to send: an SMTP server and the sender's address."""

    host: str
    port: int
    security: str
    sender: str
    user: str | None = None
    password: str | None = None
    timeout: float = 60.0


def _address(text: str, where: str) -> str:
    _, addr = parseaddr(text)
    if not _ADDRESS.match(addr):
        raise UserInputError(f"{where}: {text!r} is not an e-mail address (name@example.com)")
    return text.strip()


def parse_recipients(values: list[str]) -> list[str]:
    """``--email`` values as addresses; one value may list several, separated by commas."""
    out = [part.strip() for v in values for part in v.split(",") if part.strip()]
    return [_address(a, "--email") for a in out]


def load_smtp_settings(path: Path | None) -> SmtpSettings:
    """The ``[smtp]`` section of settings file ``path``, checked: a missing file or section,
    an unknown key, a missing ``host``/``from``, a bad port or security mode, or a ``user``
    without its password in the environment is an error naming the file and key."""
    if path is None or not path.is_file():
        raise UserInputError(
            "--email needs an smtp section in goodwill.toml (host, from; see docs/report.md); "
            "no settings file was found"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UserInputError(f"{path}: invalid TOML: {exc}") from exc
    section = data.get("smtp")
    if not isinstance(section, dict):
        raise UserInputError(f"{path}: --email needs an smtp section (host, from; see docs)")
    unknown = sorted(set(section) - set(_KEYS))
    if unknown:
        raise UserInputError(
            f"{path}: unknown setting(s) {', '.join(unknown)} in the smtp section; "
            f"valid: {', '.join(_KEYS)}"
        )
    for key in ("host", "from"):
        if not str(section.get(key, "")).strip():
            raise UserInputError(f"{path}: smtp {key} is required for --email")
    security = str(section.get("security", "starttls")).lower()
    if security not in SECURITY_PORTS:
        raise UserInputError(
            f"{path}: smtp security = {security!r}: choose {', '.join(SECURITY_PORTS)}"
        )
    port = section.get("port", SECURITY_PORTS[security])
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise UserInputError(f"{path}: smtp port = {port!r}: a whole number 1 to 65535")
    timeout = section.get("timeout", 60)
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
        raise UserInputError(f"{path}: smtp timeout = {timeout!r}: a number of seconds > 0")
    user = str(section["user"]) if section.get("user") else None
    password = None
    if user is not None:
        env = str(section.get("password_env", "GOODWILL_SMTP_PASSWORD"))
        password = os.environ.get(env)
        if not password:
            raise UserInputError(
                f"{path}: smtp user = {user!r} needs its password in the environment "
                f"variable {env} (it is never read from the file)"
            )
    return SmtpSettings(
        host=str(section["host"]).strip(),
        port=port,
        security=security,
        sender=_address(str(section["from"]), f"{path}: smtp from"),
        user=user,
        password=password,
        timeout=float(timeout),
    )


def build_message(
    *, html: str, subject: str, sender: str, to: list[str], pdf: Path | None = None
) -> EmailMessage:
    """One message: a plain-text part saying what it is, the report's HTML as the
    alternative body, and the PDF attached when given."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="goodwill.report")
    text = f"{subject}\n\nThe report is in the HTML part of this message"
    text += " and in the attached PDF.\n" if pdf is not None else ".\n"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    if pdf is not None:
        msg.add_attachment(
            pdf.read_bytes(), maintype="application", subtype="pdf", filename=pdf.name
        )
    return msg


def send_message(settings: SmtpSettings, msg: EmailMessage) -> None:
    """Send ``msg`` through the server of ``settings``; a refused login, recipient or
    connection is an error naming the server."""
    where = f"SMTP server {settings.host}:{settings.port}"
    context = ssl.create_default_context()
    try:
        if settings.security == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with server:
            server.ehlo()
            if settings.security == "starttls":
                server.starttls(context=context)
                server.ehlo()
            if settings.user is not None and settings.password is not None:
                server.login(settings.user, settings.password)
            server.send_message(msg)
    except smtplib.SMTPAuthenticationError as exc:
        raise UserInputError(f"{where} refused the login of {settings.user!r}: {exc}") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise UserInputError(
            f"{where} refused the recipient(s) {', '.join(exc.recipients)}"
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise UserInputError(f"{where}: could not send the report: {exc}") from exc


def email_report(
    settings: SmtpSettings, to: list[str], html_path: Path, *, pdf: Path | None = None
) -> EmailMessage:
    """Send the written report (``html_path``, and ``pdf`` attached when given) to ``to``;
    the subject is the report's title. Returns the message sent."""
    html = html_path.read_text(encoding="utf-8")
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    subject = unescape(" ".join(found.group(1).split())) if found else "goodwill report"
    msg = build_message(html=html, subject=subject, sender=settings.sender, to=to, pdf=pdf)
    send_message(settings, msg)
    return msg
