"""A minimal real SMTP server on 127.0.0.1 for the delivery tests (RFC 5321 subset: EHLO,
STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, QUIT), run in a thread; it keeps what it received."""

from __future__ import annotations

import base64
import socketserver
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes
    user: str | None
    tls: bool


@dataclass
class Mailbox:
    user: str = "reports"
    password: str = "s3cret"
    tls: ssl.SSLContext | None = None
    messages: list[Received] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        box = self.server.box
        tls, user, sender = False, None, ""
        rcpt: list[str] = []

        def say(line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")
            self.wfile.flush()

        say("220 127.0.0.1 test smtp")
        while raw := self.rfile.readline():
            line = raw.decode().rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            arg = line[len(verb) + 1 :]
            if verb == "EHLO":
                exts = ["127.0.0.1", "AUTH PLAIN"]
                exts += ["STARTTLS"] if box.tls is not None and not tls else []
                for i, ext in enumerate(exts):
                    say(f"250{'-' if i < len(exts) - 1 else ' '}{ext}")
            elif verb == "STARTTLS" and box.tls is not None:
                say("220 go ahead")
                self.connection = box.tls.wrap_socket(self.connection, server_side=True)
                self.rfile = self.connection.makefile("rb")
                self.wfile = self.connection.makefile("wb")
                tls = True
            elif verb == "AUTH":
                _, _, token = arg.partition(" ")
                _, name, word = base64.b64decode(token).split(b"\0")
                if (name.decode(), word.decode()) == (box.user, box.password):
                    user = name.decode()
                    say("235 ok")
                else:
                    say("535 bad credentials")
            elif verb == "MAIL":
                sender, rcpt = arg.split(":", 1)[1].strip().strip("<>"), []
                say("250 ok")
            elif verb == "RCPT":
                rcpt.append(arg.split(":", 1)[1].strip().strip("<>"))
                say("250 ok")
            elif verb == "DATA":
                say("354 end with .")
                lines = []
                while (part := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(part[1:] if part.startswith(b"..") else part)
                box.messages.append(Received(sender, rcpt, b"".join(lines), user, tls))
                say("250 queued")
                box.done.set()
            elif verb == "QUIT":
                say("221 bye")
                return
            else:
                say("250 ok")

    def finish(self) -> None:
        super().finish()
        if isinstance(self.connection, ssl.SSLSocket):  # the socket STARTTLS wrapped
            self.connection.close()


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    box: Mailbox


@contextmanager
def smtp_server(box: Mailbox) -> Iterator[int]:
    """Serve ``box`` on 127.0.0.1; yields the port."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.box = box
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def self_signed(folder: Path) -> tuple[Path, ssl.SSLContext]:
    """A certificate for 127.0.0.1 made with the openssl command; returns the certificate
    (for ``SSL_CERT_FILE``) and the server's TLS context."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return cert, context
