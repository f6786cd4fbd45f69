"""What an import tells each adapter: the warehouse's visitor salt, the brand's handles, the
user's column mapping and format options (see :class:`~goodwill.sources.adapters.AdapterContext`).

The visitor salt is a per-warehouse secret (32 random bytes, hex in ``goodwill_meta`` under
``visitor_salt``), created the first time an import needs it: pseudonymous visitor ids from
access logs are ``blake2b(salt || ip || user agent)``, so the same visitor in two imports of
one warehouse gets the same id, and nobody without the warehouse can link an id to an IP.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping

from goodwill.engine import duckdb as duck
from goodwill.errors import UserInputError
from goodwill.sources.adapters import AdapterContext
from goodwill.warehouse import Warehouse

__all__ = [
    "SALT_KEY",
    "brand_handles",
    "build_context",
    "parse_mapping",
    "set_visitor_salt",
    "visitor_salt",
]

SALT_KEY = "visitor_salt"


def visitor_salt(wh: Warehouse) -> bytes:
    """The warehouse's visitor salt, created (and stored) on first use."""
    current = wh.get_meta(SALT_KEY)
    if current is not None:
        return bytes.fromhex(current)
    salt = secrets.token_bytes(32)
    wh.set_meta(SALT_KEY, salt.hex())
    return salt


def set_visitor_salt(wh: Warehouse, salt: bytes) -> None:
    """Set the salt of a warehouse that has none yet (the demo sets its known salt)."""
    current = wh.get_meta(SALT_KEY)
    if current is not None and bytes.fromhex(current) != salt:
        raise UserInputError(
            "this warehouse already has a different visitor salt; visitor ids would no longer "
            "match earlier imports (use a new --db)"
        )
    wh.set_meta(SALT_KEY, salt.hex())


def brand_handles(wh: Warehouse, extra: Iterable[Mapping[str, object]] = ()) -> dict[str, str]:
    """platform -> the brand's own handle: from the accounts table, then from ``extra`` account
    rows about to be imported (the first brand account of a platform wins)."""
    out: dict[str, str] = {}
    rows = duck.brand_account_handles(wh.con)
    for platform, handle in rows:
        out.setdefault(str(platform), str(handle))
    for row in extra:
        platform, handle, owner = row.get("platform"), row.get("handle"), row.get("owner")
        if platform and handle and str(owner or "").strip().lower() == "brand":
            out.setdefault(str(platform).strip().lower(), str(handle).strip().lower().lstrip("@"))
    return out


def parse_mapping(text: str | None) -> dict[str, str]:
    """``"email=E-mail,customer_id=Customer ID"`` -> ``{"email": "E-mail", ...}``."""
    if not text or not text.strip():
        return {}
    out: dict[str, str] = {}
    for i, pair in enumerate(text.split(","), start=1):
        canonical, eq, header = pair.partition("=")
        canonical, header = canonical.strip(), header.strip()
        if not eq or not canonical or not header:
            raise UserInputError(
                f"--map: pair {i} {pair.strip()!r} is not canonical=Header; "
                "expected e.g. --map email=E-mail,customer_id=Customer ID"
            )
        if canonical in out:
            raise UserInputError(f"--map: {canonical!r} is mapped twice")
        out[canonical] = header
    return out


def build_context(
    wh: Warehouse,
    *,
    mapping: Mapping[str, str] | None = None,
    site_host: str | None = None,
    options: Mapping[str, str] | None = None,
    accounts: Iterable[Mapping[str, object]] = (),
) -> AdapterContext:
    """The context every adapter of one import gets."""
    return AdapterContext(
        mapping=dict(mapping or {}),
        site_host=site_host,
        visitor_salt=visitor_salt(wh),
        brand_handles=brand_handles(wh, accounts),
        options=dict(options or {}),
    )
