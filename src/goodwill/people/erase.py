"""``goodwill erase PERSON``: remove a person and every trace of them.

1. The person's identities (from ``person_links`` and ``identities`` rows sharing their
   ``person_ref``) give the *identifiers*: handle values (and ``@handle``), e-mails, customer
   ids, visitor ids, referral codes, person ids and refs, and display names (5+ characters).
2. Specific rules: their interactions (inbound by them, outbound to them) are deleted; their
   conversions are kept as anonymous aggregates (customer id, e-mail, visitor id and referral
   code cleared, value kept); their visits are kept with ``visitor_id = 'erased'``; their
   ``identities``, ``person_links``, ``people``, ``consent`` and ``identity_decisions`` rows are
   deleted; links made for them lose their ``person_ref``.
3. A sweep over *every* table and text column of the warehouse (other areas' tables included):
   a row whose key column equals an identifier (or contains one of 4+ characters) is deleted;
   any other text equal to one, or containing one of 4+ characters (case-insensitive), has it
   replaced by ``[erased]``.

4. No byte of the person stays behind in files goodwill keeps:

   * the warehouse file is **rewritten** (``COPY FROM DATABASE`` into a new file that then
     replaces it), because DuckDB leaves deleted and updated values in free blocks of the file;
     the new file is then searched byte for byte for every identifier of 8+ characters;
   * the collector's spool (its folder is recorded in the warehouse by each load): in sealed,
     loaded and quarantined events every string holding an identifier has it replaced by
     ``[erased]``; the segment a running server is still writing is left (it is loaded within
     seconds, and its loaded copy is scrubbed by the next erase, or expires).

Returns the number of rows deleted or changed per table (``spool lines``: lines rewritten).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Collection
from pathlib import Path
from typing import Any

from goodwill.engine import duckdb as duck
from goodwill.errors import UserInputError, WarehouseError
from goodwill.model import table
from goodwill.people.identity import Identity
from goodwill.warehouse import Warehouse

__all__ = ["erase_person", "identifiers_of", "rewrite_warehouse", "scrub_spool"]


REDACTED = "[erased]"
MIN_SUBSTRING = 4
"""Identifiers this long or longer are also removed inside longer text; shorter ones only
where a whole value equals them."""


def _members(wh: Warehouse, person_id: str) -> list[Identity]:
    return duck.person_link_members(wh.con, person_id)


def identifiers_of(wh: Warehouse, person_id: str) -> tuple[list[Identity], set[str]]:
    """The person's identities and every identifier string to erase."""
    members = _members(wh, person_id)
    if not members:
        raise UserInputError(
            f"{person_id!r}: no such person; see `goodwill people` or `goodwill person NAME`"
        )
    refs = duck.person_refs(wh.con, person_id)
    for kind, value in duck.identities_of_refs(wh.con, sorted(refs)):
        if (kind, value) not in members:
            members.append((str(kind), str(value)))
    strings = {person_id, *refs}
    for kind, value in members:
        strings.add(value)
        if kind.startswith("handle:"):
            strings.add("@" + value)
    names = duck.display_names(wh.con, person_id, sorted(refs))
    strings.update(str(n) for (n,) in names if n and len(str(n)) >= 5)
    return members, {s for s in strings if s}


def _specific(wh: Warehouse, person_id: str, members: list[Identity], done: Counter[str]) -> None:
    con = wh.con
    handles = [(k.removeprefix("handle:"), v) for k, v in members if k.startswith("handle:")]
    for platform, handle in handles:
        done["interactions"] += duck.delete_handle_interactions(con, platform, handle)
    by_kind: dict[str, list[str]] = {}
    for kind, value in members:
        by_kind.setdefault(kind, []).append(value)
    column_of = {"customer": "customer_id", "email": "email", "visitor": "visitor_id"}
    for kind, column in column_of.items():
        values = by_kind.get(kind, [])
        if values:
            done["conversions"] += duck.anonymise_conversions(con, column, values)
    visitors = by_kind.get("visitor", [])
    if visitors:
        done["visits"] += duck.erase_visitors(con, visitors)
    for kind, value in members:
        done.update(duck.delete_identity(con, kind, value))
    done["people"] += duck.delete_person(con, person_id)


def _keys(name: str) -> tuple[str, ...]:
    try:
        return table(name).key
    except KeyError:
        return ()


def _sweep(wh: Warehouse, strings: set[str], done: Counter[str]) -> None:
    exact = sorted(strings)
    long = sorted((s for s in strings if len(s) >= MIN_SUBSTRING), key=len, reverse=True)
    pattern = "|".join(re.escape(s) for s in long)
    for tname, column in duck.text_columns(wh.con):
        n = duck.redact_column(
            wh.con,
            tname,
            column,
            is_key=column in _keys(tname),
            exact=exact,
            pattern=pattern,
            redacted=REDACTED,
        )
        if n:
            done[tname] += n


def _pattern(strings: set[str]) -> re.Pattern[str] | None:
    long = sorted((s for s in strings if len(s) >= MIN_SUBSTRING), key=len, reverse=True)
    return re.compile("|".join(re.escape(s) for s in long), re.IGNORECASE) if long else None


def _redact(value: Any, exact: set[str], pattern: re.Pattern[str] | None) -> Any:
    if isinstance(value, str):
        if value.lower() in exact:
            return REDACTED
        return pattern.sub(REDACTED, value) if pattern else value
    if isinstance(value, dict):
        return {k: _redact(v, exact, pattern) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, exact, pattern) for v in value]
    return value


def _scrub_line(raw: bytes, exact: set[str], pattern: re.Pattern[str] | None) -> bytes:
    body = raw.rstrip(b"\n")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON (a quarantined line): scrub the text
        text = body.decode("utf-8", "replace")
        out = pattern.sub(REDACTED, text) if pattern else text
        return out.encode("utf-8", "backslashreplace") + raw[len(body) :]
    clean = _redact(data, exact, pattern)
    if clean == data:
        return raw
    text = json.dumps(clean, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "backslashreplace") + raw[len(body) :]


def _rewrite_file(path: Path, exact: set[str], pattern: re.Pattern[str] | None) -> int:
    """Scrub ``path`` line by line into a new file that replaces it; lines changed."""
    changed = 0
    tmp = path.with_name(path.name + ".erase-tmp")
    with path.open("rb") as src, tmp.open("wb") as dst:
        for raw in src:
            clean = _scrub_line(raw, exact, pattern)
            changed += clean != raw
            dst.write(clean)
        dst.flush()
        os.fsync(dst.fileno())
    if changed:
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    else:
        tmp.unlink()
    return changed


def scrub_spool(folder: Path, strings: set[str]) -> int:
    """Replace every identifier in the spool ``folder``'s sealed, loaded and quarantined
    events by ``[erased]``; returns the lines changed. Segments of a running server
    (``.open``) are left alone (see the module docstring)."""
    from goodwill.web.spool import LOADED_DIR, QUARANTINE_DIR, seal_orphans

    if not folder.is_dir():
        return 0
    seal_orphans(folder)  # a dead server's segment becomes an ordinary sealed one
    exact = {s.lower() for s in strings}
    pattern = _pattern(strings)
    files = [
        *folder.glob("events-*.jsonl"),
        *(folder / LOADED_DIR).glob("events-*"),
        *(folder / QUARANTINE_DIR).glob("*.jsonl"),
    ]
    changed = 0
    for path in sorted(files):
        try:
            changed += _rewrite_file(path, exact, pattern)
        except FileNotFoundError:  # archived by a loader meanwhile: scrub it there
            moved = folder / LOADED_DIR / path.name
            if moved.exists():
                changed += _rewrite_file(moved, exact, pattern)
    return changed


def rewrite_warehouse(wh: Warehouse, must_not_contain: Collection[str] = ()) -> None:
    """Copy the warehouse into a new file that replaces the old one, so that no deleted or
    overwritten value survives in free blocks; ``wh`` is reconnected to the new file. Each of
    ``must_not_contain`` (8+ characters) is then searched for in the new file's bytes."""
    if wh.path is None:
        return
    path = wh.path
    tmp = path.with_name(path.name + ".erase-tmp")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    con = wh.con
    duck.copy_database(con, tmp)
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    # swapped while this connection still holds the old file's lock, so nobody (the server's
    # loader) can have written to the old file after the copy; whoever opens the path next
    # gets the new file
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    con.close()
    wh.con = duck.reopen(path)
    wh._ibis = None
    data = path.read_bytes().lower()
    left = sorted(s for s in must_not_contain if len(s) >= 8 and s.lower().encode() in data)
    if left:
        raise WarehouseError(
            f"erase: {len(left)} identifier(s) still found in the bytes of {path} after the "
            "rewrite; please report this"
        )


def erase_person(wh: Warehouse, person_id: str) -> dict[str, int]:
    """Erase ``person_id`` everywhere (the warehouse, its file's free blocks and the spool);
    returns rows deleted or changed per table."""
    members, strings = identifiers_of(wh, person_id)
    done: Counter[str] = Counter()
    with wh.transaction():
        _specific(wh, person_id, members, done)
        _sweep(wh, strings, done)
    from goodwill.web.spool import SPOOL_META

    spool = wh.get_meta(SPOOL_META)
    if spool:
        lines = scrub_spool(Path(spool), strings)
        if lines:
            done["spool lines"] += lines
    rewrite_warehouse(wh, strings)
    return dict(sorted(done.items()))
