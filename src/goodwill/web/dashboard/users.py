"""Dashboard users, browser sessions and API tokens, stored in the warehouse.

Passwords are hashed with **scrypt** (``hashlib.scrypt``, RFC 7914: n=2**14, r=8, p=1, a
16-byte random salt, a 32-byte key; about 16 MiB and ~50 ms per hash). scrypt is memory-hard
like argon2id, is part of the standard library (OpenSSL), so no new dependency is needed, and
the stored string carries its parameters so they can be raised later. Session ids and API
tokens are 256-bit random secrets; only their SHA-256 is stored (a fast hash is enough for
high-entropy secrets), so a copy of the warehouse does not let anyone sign in.

Every statement uses bound parameters.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

import pandas as pd

from goodwill.engine import duckdb as duck
from goodwill.errors import UserInputError
from goodwill.warehouse import Warehouse

__all__ = [
    "SESSION_HOURS",
    "TOKEN_PREFIX",
    "User",
    "add_user",
    "check_password",
    "create_session",
    "create_token",
    "delete_session",
    "hash_password",
    "list_tokens",
    "list_users",
    "remove_user",
    "revoke_token",
    "session_user",
    "token_user",
    "verify_password",
]

SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN = 2**14, 8, 1, 32
SESSION_HOURS = 12
"""A session expires this many hours after sign-in."""
TOKEN_PREFIX = "gw_"
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
MIN_PASSWORD = 10


@dataclass(frozen=True)
class User:
    username: str


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def hash_password(password: str, *, n: int = SCRYPT_N) -> str:
    """``scrypt$n$r$p$salt$key`` (hex) of ``password`` with a fresh random salt."""
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, dklen=SCRYPT_LEN
    )
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${key.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches the ``stored`` hash (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(key) // 2,
            maxmem=2**26,
        )
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), key)


def _check_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise UserInputError(
            f"user name {username!r}: use 1-64 lowercase letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or digit"
        )
    return name


def add_user(wh: Warehouse, username: str, password: str, *, replace: bool = False) -> str:
    """Add (or with ``replace`` re-password) a user; returns the normalised name."""
    name = _check_username(username)
    if len(password) < MIN_PASSWORD:
        raise UserInputError(f"password: use at least {MIN_PASSWORD} characters")
    exists = duck.user_exists(wh.con, name)
    if exists and not replace:
        raise UserInputError(f"user {name!r} exists; use --replace to set a new password")
    with wh.transaction():
        # a new password ends every session of that user
        duck.store_user(wh.con, name, hash_password(password), _now())
    return name


def remove_user(wh: Warehouse, username: str) -> None:
    """Remove a user with their sessions and tokens."""
    name = username.strip().lower()
    if not duck.user_exists(wh.con, name):
        raise UserInputError(f"no user {name!r}; `goodwill users list` shows them")
    with wh.transaction():
        duck.delete_user(wh.con, name)


def list_users(wh: Warehouse) -> pd.DataFrame:
    """``username, created_at, sessions, tokens`` (active ones) of every user."""
    return duck.users_frame(wh.con, _now())


def check_password(wh: Warehouse, username: str, password: str) -> User | None:
    """The user when ``password`` is theirs; ``None`` otherwise (an unknown user costs the same
    time as a wrong password, so timing does not tell which names exist)."""
    name = username.strip().lower()
    found = duck.password_hash(wh.con, name)
    stored = found if found is not None else _dummy_hash()
    ok = verify_password(password, stored)
    return User(name) if ok and found is not None else None


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_hex(16))


def create_session(wh: Warehouse, user: User, *, hours: float = SESSION_HOURS) -> str:
    """A new session id for ``user`` (only its hash is stored); expired sessions are purged."""
    sid = secrets.token_urlsafe(32)
    now = _now()
    with wh.transaction():
        duck.store_session(wh.con, _sha256(sid), user.username, now, now + timedelta(hours=hours))
    return sid


def session_user(wh: Warehouse, sid: str) -> User | None:
    """The user of a live session id; ``None`` for an unknown or expired one."""
    found = duck.session_username(wh.con, _sha256(sid), _now())
    return User(found) if found is not None else None


def delete_session(wh: Warehouse, sid: str) -> None:
    duck.delete_session(wh.con, _sha256(sid))


def create_token(wh: Warehouse, username: str, name: str | None = None) -> tuple[str, str]:
    """``(token_id, token)`` — a new API token of ``username``; the token is shown once."""
    user = username.strip().lower()
    if not duck.user_exists(wh.con, user):
        raise UserInputError(f"no user {user!r}; add one with `goodwill users add NAME`")
    token_id = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
    duck.store_token(wh.con, token_id, _sha256(token), user, name, _now())
    return token_id, token


def token_user(wh: Warehouse, token: str) -> User | None:
    """The user of a live (not revoked) API token."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    found = duck.token_username(wh.con, _sha256(token))
    return User(found) if found is not None else None


def revoke_token(wh: Warehouse, token_id: str) -> None:
    """Revoke a token by its id (the part after ``gw_`` and before ``_``)."""
    if not duck.token_exists(wh.con, token_id.strip().lower()):
        raise UserInputError(f"no token {token_id!r}; `goodwill tokens list` shows their ids")
    duck.revoke_token(wh.con, token_id.strip().lower(), _now())


def list_tokens(wh: Warehouse) -> pd.DataFrame:
    """``token_id, username, name, created_at, revoked_at`` of every token (never the secret)."""
    return duck.tokens_frame(wh.con)
