"""Printing to PDF without a usable Chromium fails with one line saying what to install."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.errors import UserInputError
from goodwill.report.pdf import chromium_path, html_to_pdf


def test_missing_chromium_names_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOODWILL_CHROMIUM", str(tmp_path / "no-such-chromium"))
    assert chromium_path() is None
    html = tmp_path / "r.html"
    html.write_text("<p>hi</p>", encoding="utf-8")
    with pytest.raises(UserInputError, match=r"install Debian's chromium package"):
        html_to_pdf(html, tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()


def test_a_failing_chromium_is_reported_with_its_exit_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("GOODWILL_CHROMIUM", str(fake))
    html = tmp_path / "r.html"
    html.write_text("<p>hi</p>", encoding="utf-8")
    with pytest.raises(UserInputError, match=r"could not print .* \(exit 3\): cannot open display"):
        html_to_pdf(html, tmp_path / "r.pdf")
