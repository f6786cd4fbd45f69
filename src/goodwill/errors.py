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

import difflib
from collections.abc import Sequence

__all__ = [
    "GoodwillError",
    "UnknownColumnsError",
    "UnknownTableError",
    "UserInputError",
    "WarehouseError",
    "api_error",
    "column_hints",
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


def column_hints(unknown: Sequence[str], known: Sequence[str]) -> str:
    """What the user probably meant by columns ``unknown`` (none of ``known``): ``did you mean
    actor_handle?`` for a near miss (case, spaces, typos), and a note when one header holds
    several names joined by ``;`` or a tab (a file separated by something else than commas).
    ``""`` when nothing helps; otherwise starts with ``"; "``."""
    hints: list[str] = []
    normal = {k.lower().replace(" ", "_").replace("-", "_"): k for k in known}
    for name in unknown:
        for sep in (";", "\t", "|"):
            if sep in name and len([p for p in name.split(sep) if p.strip()]) > 1:
                shown = {"\t": "tab", "|": "'|'", ";": "';'"}[sep]
                hints.append(
                    f"the header looks {shown}-separated: interchange files are "
                    "comma-separated (save as CSV with commas, or see `goodwill sources` for "
                    "export formats that accept other separators)"
                )
                break
        else:
            key = name.strip().lower().replace(" ", "_").replace("-", "_")
            close = [normal[key]] if key in normal else []
            close = close or [
                normal[m] for m in difflib.get_close_matches(key, list(normal), n=1, cutoff=0.75)
            ]
            if close:
                hints.append(f"did you mean {close[0]} for {name!r}?")
    return "".join(f"; {h}" for h in dict.fromkeys(hints))


def api_error(status: int, reason: str, detail: str) -> dict[str, object]:
    """The one JSON error body of every goodwill API (dashboard ``/api/...``, the collector):
    ``{"ok": false, "status": 400, "reason": "bad_filter", "detail": "since='x': not a date"}``
    — ``reason`` a stable code for scripts, ``detail`` the sentence for people."""
    return {"ok": False, "status": status, "reason": reason, "detail": detail}
