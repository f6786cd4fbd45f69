"""Command modules that add commands to the ``goodwill`` CLI.

Each module listed in :data:`MODULES` defines ``register(app: typer.Typer) -> None`` and adds
its commands there, using the shared helpers in :mod:`goodwill.commands.common` (the ``--db``
option, output formats, the user-error wrapper). Keeping areas in their own modules keeps
``cli.py`` small.
"""

from __future__ import annotations

import importlib

import typer

__all__ = ["MODULES", "register_all"]

MODULES: tuple[str, ...] = (
    "goodwill.commands.web",
    "goodwill.commands.value",
    "goodwill.commands.attribution",
    "goodwill.commands.listening",
    "goodwill.commands.people",
    "goodwill.commands.sources",
    "goodwill.commands.dashboard",
    "goodwill.commands.sync",
    "goodwill.commands.scorecard",
    "goodwill.commands.mmm",
    "goodwill.commands.enrich",
)
"""Dotted names of the command modules, e.g. ``"goodwill.commands.attribution"``."""


def register_all(app: typer.Typer) -> None:
    for name in MODULES:
        importlib.import_module(name).register(app)
