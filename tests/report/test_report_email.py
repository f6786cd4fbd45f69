"""``goodwill report --email``: the report reaches a real SMTP server on 127.0.0.1 with its
HTML body and PDF attachment, through the [smtp] settings; bad settings are clear errors."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage
from pathlib import Path

import pytest
from report_support import REPLICATES, ReportDemo
from smtp_support import Mailbox, self_signed, smtp_server
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.errors import UserInputError
from goodwill.report.delivery import email_report, load_smtp_settings, parse_recipients


def _config(demo: ReportDemo, folder: Path, smtp: str) -> Path:
    path = folder / "goodwill.toml"
    path.write_text(demo.config.read_text(encoding="utf-8") + "\n" + smtp, encoding="utf-8")
    return path


def _parse(data: bytes) -> EmailMessage:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def test_cli_emails_the_report_through_smtp_with_login(
    report_demo: ReportDemo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = Mailbox()
    monkeypatch.setenv("MY_SMTP_PASSWORD", box.password)
    with smtp_server(box) as port:
        smtp = (
            f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
            f'user = "{box.user}"\npassword_env = "MY_SMTP_PASSWORD"\n'
            'from = "goodwill <reports@fernhill.example>"\ntimeout = 20\n'
        )
        config = _config(report_demo, tmp_path, smtp)
        out = tmp_path / "september.html"
        args = ["report", "--db", str(report_demo.db), "--month", "2026-09", "--out", str(out)]
        args += ["--replicates", str(REPLICATES), "--email", "ceo@fernhill.example"]
        args += ["--email", "cmo@fernhill.example, cfo@fernhill.example"]
        run = CliRunner().invoke(app, args, env={"GOODWILL_CONFIG": str(config)})
        assert run.exit_code == 0, run.output
        assert box.done.wait(30)
    assert "e-mailed to ceo@fernhill.example" in " ".join(run.output.split())
    (got,) = box.messages
    assert got.user == box.user
    assert got.sender == "reports@fernhill.example"
    assert got.recipients == [f"{w}@fernhill.example" for w in ("ceo", "cmo", "cfo")]
    msg = _parse(got.data)
    assert "September 2026" in str(msg["Subject"])
    body = msg.get_body(preferencelist=("html",))
    assert body is not None
    html = body.get_content()
    written = out.read_text(encoding="utf-8")
    assert html.replace("\r\n", "\n").strip() == written.strip()  # the report as written
    assert "<script>alert" not in html  # the hostile name stays escaped in the mail too


def test_pdf_is_attached_over_starttls(
    report_demo: ReportDemo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, context = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts the test certificate
    monkeypatch.delenv("GOODWILL_SMTP_PASSWORD", raising=False)
    pdf = report_demo.pdf or tmp_path / "stand-in.pdf"
    if report_demo.pdf is None:  # no Chromium here: attach a file all the same
        pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    box = Mailbox(tls=context)
    with smtp_server(box) as port:
        config = _config(
            report_demo,
            tmp_path,
            f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nfrom = "reports@fernhill.example"\n',
        )
        settings = load_smtp_settings(config)
        assert (settings.security, settings.user) == ("starttls", None)
        email_report(settings, ["ceo@fernhill.example"], report_demo.html, pdf=pdf)
        assert box.done.wait(30)
    (got,) = box.messages
    assert got.tls and got.user is None
    msg = _parse(got.data)
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == pdf.name
    assert attachment.get_content() == pdf.read_bytes()


def test_refused_login_is_an_error_naming_the_server(
    report_demo: ReportDemo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = Mailbox()
    monkeypatch.setenv("GOODWILL_SMTP_PASSWORD", "wrong")
    with smtp_server(box) as port:
        config = _config(
            report_demo,
            tmp_path,
            f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
            'user = "reports"\nfrom = "reports@fernhill.example"\n',
        )
        settings = load_smtp_settings(config)
        with pytest.raises(UserInputError, match=rf"127\.0\.0\.1:{port} refused the login"):
            email_report(settings, ["ceo@fernhill.example"], report_demo.html)
    assert box.messages == []


@pytest.mark.parametrize(
    ("smtp", "error"),
    [
        ("", "needs an smtp section"),
        ('[smtp]\nfrom = "a@b.example"\n', "smtp host is required"),
        ('[smtp]\nhost = "h"\nfrom = "a@b.example"\nsecurity = "tls"\n', "choose starttls"),
        ('[smtp]\nhost = "h"\nfrom = "a@b.example"\nport = "x"\n', "port = 'x'"),
        ('[smtp]\nhost = "h"\nfrom = "a@b.example"\npasword = "x"\n', "unknown setting.*pasword"),
        ('[smtp]\nhost = "h"\nfrom = "not an address"\n', "not an e-mail address"),
        ('[smtp]\nhost = "h"\nfrom = "a@b.example"\nuser = "u"\n', "GOODWILL_SMTP_PASSWORD"),
    ],
)
def test_bad_smtp_settings_stop_before_the_report(
    report_demo: ReportDemo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    smtp: str,
    error: str,
) -> None:
    monkeypatch.delenv("GOODWILL_SMTP_PASSWORD", raising=False)
    config = _config(report_demo, tmp_path, smtp)
    out = tmp_path / "r.html"
    args = ["report", "--db", str(report_demo.db), "--out", str(out), "--email", "a@b.example"]
    run = CliRunner().invoke(app, args, env={"GOODWILL_CONFIG": str(config)})
    assert run.exit_code != 0
    assert re.search(error, " ".join(run.output.split())), run.output
    assert not out.exists()  # nothing rendered when the mail could not go


def test_recipients() -> None:
    assert parse_recipients(["a@b.example, Ann <ann@b.example>", "c@d.example"]) == [
        "a@b.example",
        "Ann <ann@b.example>",
        "c@d.example",
    ]
    with pytest.raises(UserInputError, match="--email: 'nobody'"):
        parse_recipients(["nobody"])
