"""The report as a PDF: the self-contained HTML printed by a headless Chromium.

Chromium renders the same HTML, CSS and inline SVG a reader sees in a browser, honours the
template's print CSS (A4; page one alone, then the sections flow) and makes no network request for
a file with no external references (background networking, component updates and sync are
switched off as well). It is looked up as ``$GOODWILL_CHROMIUM``, then ``chromium``,
``chromium-browser``, ``google-chrome`` on ``PATH``, then ``/usr/bin/chromium``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from goodwill.errors import UserInputError

__all__ = ["chromium_path", "html_to_pdf"]

_NAMES = ("chromium", "chromium-browser", "google-chrome")
_INSTALL = (
    "a PDF report needs a headless Chromium: install Debian's chromium package "
    "(apt-get install chromium, or `make browser`), or set GOODWILL_CHROMIUM to a "
    "Chromium/Chrome binary; --format html needs nothing"
)


def chromium_path() -> Path | None:
    """The Chromium binary to print with, or ``None`` when there is none."""
    env = os.environ.get("GOODWILL_CHROMIUM")
    if env:
        return Path(env) if Path(env).is_file() else None
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    default = Path("/usr/bin/chromium")
    return default if default.is_file() else None


def html_to_pdf(html: Path, pdf: Path, *, timeout: float = 120.0) -> Path:
    """Print the HTML file ``html`` to ``pdf`` (A4 from the page's print CSS, no header or
    footer). Raises :class:`UserInputError` when no Chromium is found or it fails."""
    binary = chromium_path()
    if binary is None:
        raise UserInputError(_INSTALL)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    target = pdf.resolve()
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="goodwill-chromium-") as profile:
        cmd = [
            str(binary),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            html.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise UserInputError(
                f"{binary} did not print {html} to PDF within {timeout:.0f} s"
            ) from None
    if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise UserInputError(
            f"{binary} could not print {html} to PDF (exit {done.returncode}): {detail[0]}"
        )
    return pdf
