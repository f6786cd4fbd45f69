"""Identity resolution: every handle, e-mail, visitor id and customer id linked to one person.

How it coexists with ``people``
-------------------------------
The importer derives ``people`` from ``identities.person_ref`` (one row per ``person_ref``).
:func:`resolve` (``goodwill people resolve``; re-run it after each import) produces the
definitive mapping and *rewrites* ``people``:

* ``person_links(kind, value, person_id, method, score, evidence)`` — one row per identity
  seen anywhere (``identities``; inbound actors and outbound targets of ``interactions`` as
  ``handle:<platform>``; ``customer``/``email``/``visitor`` of ``conversions``; ``visitor`` of
  ``visits``), with the rule that linked it and its score.
* ``people`` — one row per person with at least one non-visitor identity (anonymous visitors
  stay in ``person_links`` only, under an ``anon-…`` id).

Steps (each identity ends in exactly one person):

1. **Deterministic** (score 1): identities sharing an ``identities.person_ref``; the
   customer id, e-mail and visitor id on one conversion row. A tracked link made for a
   person (``links.person_ref``) is *not* an identity link: such links are handed to friends
   (ambassador links), so their visitors are the people that person brought
   (:mod:`goodwill.people.referrals`), not the person.
2. **Probabilistic**: Splink (:mod:`goodwill.people.matching`) scores handle and e-mail
   profiles on names and handles; pairs at or above ``matching.THRESHOLD`` are linked
   greedily, best first, unless that would put two different ``person_ref`` or two handles of
   one platform into one person.
3. **User decisions** (``identity_decisions``), re-applied on every run: ``split`` isolates an
   identity (none of its links are used), ``merge`` joins two identities' persons, ``confirm``
   keeps an identity with another identity of its person (a reviewed probabilistic link stays
   whatever the threshold).

Resolution is an explicit step: ``goodwill people resolve`` and the end of ``goodwill import``
run :func:`resolve`; commands that change people (merge, split, confirm, consent, erase) run it
first when an import happened since the last run (:func:`is_stale`). Reads never do: read-only
commands and dashboard pages say the people are stale instead.

Person ids: the smallest ``person_ref`` of the cluster; else ``<platform>:<handle>`` of its
smallest handle (what the metrics use for an unresolved actor); else ``p-<hash>``; visitor-only
clusters ``anon-<hash>``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from goodwill.engine import duckdb as duck
from goodwill.errors import UserInputError
from goodwill.people.matching import THRESHOLD, score_pairs
from goodwill.warehouse import Warehouse

__all__ = [
    "Identity",
    "ResolveSummary",
    "confirm_link",
    "find_identity",
    "is_stale",
    "latest_import",
    "record_decision",
    "resolve",
]

Identity = tuple[str, str]
"""``(kind, value)`` of an identity."""


@dataclass
class _Graph:
    parent: dict[Identity, Identity] = field(default_factory=dict)
    names: dict[Identity, Counter[str]] = field(default_factory=dict)
    refs: dict[Identity, str] = field(default_factory=dict)
    how: dict[Identity, tuple[str, float, str]] = field(default_factory=dict)

    def add(self, node: Identity, name: str | None = None, count: int = 1) -> None:
        self.parent.setdefault(node, node)
        if name:
            self.names.setdefault(node, Counter())[name] += count

    def find(self, node: Identity) -> Identity:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: Identity, b: Identity, method: str, score: float, evidence: str) -> None:
        for node in (a, b):
            self.how.setdefault(node, (method, score, evidence))
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class ResolveSummary:
    """What :func:`resolve` did."""

    identities: int = 0
    people: int = 0
    deterministic_links: int = 0
    probabilistic_links: int = 0
    decisions: int = 0


def _brand_accounts(wh: Warehouse) -> set[Identity]:
    rows = duck.account_handles(wh.con)
    return {(f"handle:{p}", h) for p, h in rows}


def _collect(wh: Warehouse, g: _Graph, skip: set[Identity]) -> int:
    """Add every identity and the deterministic links; returns the number of links."""
    links = 0
    accounts = _brand_accounts(wh)
    for kind, value, ref, name in duck.identity_rows(wh.con):
        g.add((kind, value), name)
        g.refs[(kind, value)] = ref
    for kind, value, name, n in duck.interaction_handles(wh.con):
        if (kind, value) not in accounts:
            g.add((kind, value), name, int(n))
    by_ref: dict[str, Identity] = {}
    for node, ref in sorted(g.refs.items()):
        if node in skip:
            continue
        if ref in by_ref:
            g.union(by_ref[ref], node, "identities", 1.0, f"identities.person_ref = {ref}")
            links += 1
        else:
            by_ref[ref] = node
            g.how.setdefault(node, ("identities", 1.0, f"identities.person_ref = {ref}"))
    for cid, customer, email, visitor in duck.conversion_identities(wh.con):
        nodes = [
            n
            for n in (("customer", customer), ("email", email), ("visitor", visitor))
            if n[1] is not None
        ]
        for n in nodes:
            g.add(n)
        usable = [n for n in nodes if n not in skip]
        for other in usable[1:]:
            g.union(usable[0], other, "conversion", 1.0, f"conversion {cid}")
            links += 1
    for (visitor,) in duck.visitor_ids(wh.con):
        g.add(("visitor", visitor))
    return links


def _profiles(g: _Graph) -> pd.DataFrame:
    rows = []
    for node in g.parent:
        kind, value = node
        if kind.startswith("handle:") or kind == "email":
            names = g.names.get(node)
            rows.append(
                {
                    "unique_id": f"{kind}|{value}",
                    "platform": kind.removeprefix("handle:") if kind != "email" else None,
                    "name": names.most_common(1)[0][0] if names else None,
                    "value": value,
                }
            )
    return pd.DataFrame(rows, columns=["unique_id", "platform", "name", "value"])


def _cluster_facts(g: _Graph) -> dict[Identity, tuple[set[str], set[str]]]:
    facts: dict[Identity, tuple[set[str], set[str]]] = {}
    for node in g.parent:
        refs, platforms = facts.setdefault(g.find(node), (set(), set()))
        if node in g.refs:
            refs.add(g.refs[node])
        if node[0].startswith("handle:"):
            platforms.add(node[0])
    return facts


def _link_probabilistic(
    g: _Graph, skip: set[Identity], threshold: float, decorations: Collection[str]
) -> int:
    if threshold > 1:
        return 0
    pairs = score_pairs(_profiles(g), threshold=threshold, decorations=decorations)
    facts = _cluster_facts(g)
    linked = 0
    for row in pairs.itertuples():
        a = tuple(str(row.unique_id_l).split("|", 1))
        b = tuple(str(row.unique_id_r).split("|", 1))
        if a in skip or b in skip:
            continue
        ra, rb = g.find(a), g.find(b)  # type: ignore[arg-type]
        if ra == rb:
            continue
        (refs_a, plat_a), (refs_b, plat_b) = facts[ra], facts[rb]
        if (refs_a and refs_b and refs_a != refs_b) or plat_a & plat_b:
            continue
        g.union(a, b, "splink", float(row.match_probability), str(row.evidence))  # type: ignore[arg-type]
        root = g.find(a)  # type: ignore[arg-type]
        facts[root] = (refs_a | refs_b, plat_a | plat_b)
        linked += 1
    return linked


def _person_ids(g: _Graph) -> dict[Identity, str]:
    members: dict[Identity, list[Identity]] = {}
    for node in g.parent:
        members.setdefault(g.find(node), []).append(node)
    ids: dict[Identity, str] = {}
    for root, nodes in members.items():
        refs = sorted(g.refs[n] for n in nodes if n in g.refs)
        handles = sorted(n for n in nodes if n[0].startswith("handle:"))
        digest = hashlib.sha1(repr(min(nodes)).encode()).hexdigest()[:10]
        if refs:
            ids[root] = refs[0]
        elif handles:
            ids[root] = f"{handles[0][0].removeprefix('handle:')}:{handles[0][1]}"
        elif all(n[0] == "visitor" for n in nodes):
            ids[root] = f"anon-{digest}"
        else:
            ids[root] = f"p-{digest}"
    return ids


def _decisions(wh: Warehouse) -> list[tuple[str, Identity, Identity | None]]:
    rows = duck.identity_decisions(wh.con)
    return [(a, (k, v), (ok, ov) if ok is not None else None) for a, k, v, ok, ov in rows]


def resolve(
    wh: Warehouse, *, threshold: float = THRESHOLD, decorations: Collection[str] | None = None
) -> ResolveSummary:
    """Resolve every identity to a person and rewrite ``person_links`` and ``people``.

    ``threshold``: the match probability a Splink pair needs (above 1: no probabilistic
    links, deterministic rules only). ``decorations``: words dropped from display names
    before comparing them (default: the ``name_decorations`` setting)."""
    if decorations is None:
        from goodwill.config import load_config

        decorations = load_config(db=wh.path).name_decorations
    summary = ResolveSummary()
    decisions = _decisions(wh)
    summary.decisions = len(decisions)
    skip = {node for action, node, _ in decisions if action == "split"}
    g = _Graph()
    summary.deterministic_links = _collect(wh, g, skip)
    summary.probabilistic_links = _link_probabilistic(g, skip, threshold, decorations)
    for action, node, other in decisions:
        if action in ("merge", "confirm") and other is not None:
            what = "merged by the user" if action == "merge" else "confirmed by the user"
            g.add(node)
            g.add(other)
            g.union(node, other, "decision", 1.0, what)
            g.how[node] = ("decision", 1.0, what)
            if action == "merge":
                g.how[other] = ("decision", 1.0, what)
    for node in skip:
        g.how[node] = ("decision", 1.0, "split by the user")
    ids = _person_ids(g)
    link_rows = []
    for node in sorted(g.parent):
        method, score, evidence = g.how.get(node, ("self", 1.0, "no link found"))
        link_rows.append((node[0], node[1], ids[g.find(node)], method, score, evidence))
    links = pd.DataFrame(
        link_rows, columns=["kind", "value", "person_id", "method", "score", "evidence"]
    )
    names: dict[str, Counter[str]] = {}
    crm_names: dict[str, str] = {}
    for node in g.parent:
        pid = ids[g.find(node)]
        names.setdefault(pid, Counter())
        if node in g.refs and g.names.get(node):
            crm_names.setdefault(pid, g.names[node].most_common(1)[0][0])
        names[pid].update(g.names.get(node, Counter()))
    people = pd.DataFrame(
        [
            (pid, crm_names.get(pid) or (c.most_common(1)[0][0] if c else None))
            for pid, c in sorted(names.items())
            if not pid.startswith("anon-")
        ],
        columns=["person_id", "display_name"],
    )
    with wh.transaction():
        duck.replace_people(wh.con, links, people)
        wh.set_meta(RESOLVED_META, latest_import(wh))
    summary.identities = len(links)
    summary.people = len(people)
    return summary


RESOLVED_META = "people_resolved_after_import"
"""``goodwill_meta`` key: the import the last :func:`resolve` ran after."""


def latest_import(wh: Warehouse) -> str:
    """The id of the latest import ('' when there was none)."""
    import ibis

    t = wh.ibis().table("imports")
    latest = t.order_by([ibis.desc("started_at"), ibis.desc("import_id")]).limit(1)
    ids = latest.import_id.to_pyarrow().to_pylist()
    return str(ids[0]) if ids else ""


def is_stale(wh: Warehouse) -> bool:
    """Whether an import happened since the last :func:`resolve` (or it never ran)."""
    return wh.get_meta(RESOLVED_META) != latest_import(wh)


def find_identity(wh: Warehouse, text: str) -> Identity:
    """The identity ``text`` names: ``kind:value`` (``email:zoe@x.org``, ``handle:x:josep``),
    an e-mail, a handle (``@josep`` or ``josep``) or a customer/visitor id."""
    needle = text.strip().removeprefix("@").lower()
    for kind, value in duck.linked_identities(wh.con):
        if f"{kind}:{value}".lower() == needle:
            return (kind, value)
    rows = duck.identities_with_value(wh.con, needle)
    if len(rows) == 1:
        return (rows[0][0], rows[0][1])
    if not rows:
        raise UserInputError(
            f"{text!r}: no such identity; give kind:value (e.g. handle:x:josep, email:a@b.org) "
            "or a handle/e-mail known to `goodwill people resolve`"
        )
    options = ", ".join(f"{k}:{v}" for k, v in rows)
    raise UserInputError(f"{text!r} is ambiguous; use one of {options}")


def confirm_link(wh: Warehouse, identity: Identity) -> Identity:
    """Confirm ``identity``'s current person: records a ``confirm`` decision with another
    identity of that person (its rule-linked anchor when it has one), so later runs keep the
    link whatever the matcher says. Returns that other identity."""
    rows = duck.confirming_identity(wh.con, identity[0], identity[1])
    if not rows:
        raise UserInputError(
            f"{identity[0]}:{identity[1]} is not linked to any other identity; nothing to confirm"
        )
    other = (str(rows[0][0]), str(rows[0][1]))
    record_decision(wh, "confirm", identity, other)
    return other


def record_decision(
    wh: Warehouse, action: str, identity: Identity, other: Identity | None = None
) -> str:
    """Store a user decision (``merge`` or ``confirm`` with ``other``, or ``split``); it is
    applied by every later :func:`resolve`. Returns its id."""
    if action not in ("merge", "split", "confirm"):
        raise UserInputError(f"decision {action!r}: expected merge, split or confirm")
    if action != "split" and other is None:
        raise UserInputError(f"{action} needs two identities")
    decision_id = f"dec-{secrets.token_hex(4)}"
    duck.insert_identity_decision(
        wh.con,
        [
            decision_id,
            datetime.now(UTC).replace(tzinfo=None),
            action,
            identity[0],
            identity[1],
            None if other is None else other[0],
            None if other is None else other[1],
        ],
    )
    return decision_id
