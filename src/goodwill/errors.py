"""Exceptions raised by goodwill.

The tree::

    GoodwillError                 base of everything goodwill raises on purpose
    ├── UserInputError            something the user gave us is wrong (file, option, value);
    │   │                         the CLI prints it as one line and exits 2
    │   ├── UnknownColumnsError   an interchange file has columns the model does not know
    │   └── UnknownTableError     a file name that matches no canonical table
    └── WarehouseError            the database file cannot be used (newer schema, locked, ...)
"""

from __future__ import annotations

__all__ = [
    "GoodwillError",
    "UnknownColumnsError",
    "UnknownTableError",
    "UserInputError",
    "WarehouseError",
]


class GoodwillError(Exception):
    """Base class of every error goodwill raises on purpose."""


class UserInputError(GoodwillError):
    """Bad input from the user: the message says what, where and what is valid."""


class UnknownColumnsError(UserInputError):
    """An interchange file carries columns the canonical model does not know."""


class UnknownTableError(UserInputError):
    """A file whose name matches no canonical table."""


class WarehouseError(GoodwillError):
    """The warehouse file cannot be opened or upgraded."""
