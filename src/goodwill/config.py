"""Settings, declared once.

Every setting has a name, a type, a default, an environment variable and a description. They
are read from ``goodwill.toml`` in the working directory (or the file named by
``$GOODWILL_CONFIG``), under a ``[goodwill]`` table; an environment variable overrides the file
and a command-line option overrides both. The CLI, the docs and the tests use :data:`SETTINGS`.

Example ``goodwill.toml``::

    [goodwill]
    currency = "EUR"
    site_host = "fernhill.example"
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from goodwill.errors import UserInputError

__all__ = ["SETTINGS", "Config", "Setting", "load_config", "validate_currency"]


@dataclass(frozen=True, kw_only=True)
class Setting:
    name: str
    default: str | None
    env: str
    description: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        name="currency",
        default="USD",
        env="GOODWILL_CURRENCY",
        description="Reporting currency (ISO 4217). Money in other currencies is converted at "
        "import with the rates in fx_rates.",
    ),
    Setting(
        name="site_host",
        default=None,
        env="GOODWILL_SITE_HOST",
        description="Host name of the business's own website; referrers from it are internal.",
    ),
)

_CURRENCY = re.compile(r"^[A-Z]{3}$")


def validate_currency(value: str, *, where: str) -> str:
    code = value.strip().upper()
    if not _CURRENCY.match(code):
        raise UserInputError(f"{where}: {value!r} is not an ISO 4217 currency code (e.g. USD)")
    return code


@dataclass(frozen=True, kw_only=True)
class Config:
    currency: str = "USD"
    site_host: str | None = None
    path: Path | None = None
    sources: dict[str, str] = field(default_factory=dict)
    """Options for export adapters, from an optional ``[sources]`` table."""


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    """``[sources]`` as ``name -> text``; a sub-table ``[sources.accesslog]`` gives
    ``accesslog.name`` keys."""
    out: dict[str, str] = {}
    for key, val in table.items():
        if isinstance(val, dict):
            out.update(_flatten(val, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = str(val)
    return out


def load_config(path: Path | None = None) -> Config:
    """Read settings from ``path`` (default ``$GOODWILL_CONFIG`` or ``./goodwill.toml``) and
    the environment."""
    cfg_path = path or Path(os.environ.get("GOODWILL_CONFIG") or "goodwill.toml")
    values: dict[str, str | None] = {s.name: s.default for s in SETTINGS}
    found: Path | None = None
    sources: dict[str, str] = {}
    if cfg_path.is_file():
        found = cfg_path
        try:
            data = tomllib.loads(cfg_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise UserInputError(f"{cfg_path}: invalid TOML: {exc}") from exc
        section = data.get("goodwill", {})
        known = {s.name for s in SETTINGS}
        unknown = sorted(set(section) - known)
        if unknown:
            raise UserInputError(
                f"{cfg_path}: unknown setting(s) {', '.join(unknown)} in [goodwill]; "
                f"valid: {', '.join(sorted(known))}"
            )
        for key, val in section.items():
            values[key] = str(val)
        sources = _flatten(data.get("sources", {}))
    for s in SETTINGS:
        env_val = os.environ.get(s.env)
        if env_val:
            values[s.name] = env_val
    currency = validate_currency(values["currency"] or "USD", where=f"setting currency ({found})")
    return Config(currency=currency, site_host=values["site_host"], path=found, sources=sources)
