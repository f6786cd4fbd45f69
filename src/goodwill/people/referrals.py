"""Referrals and word of mouth: who brought whom.

An edge ``referrer → referred`` comes from

* a conversion carrying a ``referral_code`` whose owner is known: an ``identities`` row of kind
  ``referral`` (value = the code), a tracked link with that code made for a person
  (``links.person_ref``), or else such a link whose code has the same *stem* — the code
  lowercased without a leading ``word-`` prefix (``REF-LENA53`` and ``amb-lena53`` both have
  the stem ``lena53``);
* a visit through a tracked link made for a person (``links.person_ref``) by a visitor who
  belongs to another person (the referred).

Per referrer: downstream customers (referred people with an order) and their revenue
(orders − refunds in the reporting currency, all time).
"""

from __future__ import annotations

import re

import pandas as pd

from goodwill.people import activity
from goodwill.warehouse import Warehouse

__all__ = ["advocates", "referral_edges", "stem"]

EDGE_COLUMNS = ["referrer", "referred", "via", "at"]


def stem(code: str) -> str:
    """``REF-LENA53`` → ``lena53``: lowercased, without a leading ``word-`` prefix."""
    return re.sub(r"^[a-z]+-", "", code.strip().lower())


def _owners(wh: Warehouse) -> dict[str, str]:
    """Referral code, link code or code stem (lowercased) → referrer person id."""
    owners: dict[str, str] = {}
    stems: dict[str, str] = {}
    be = wh.ibis()
    links, people, ids = be.table("links"), be.table("person_links"), be.table("identities")
    by_link = links.filter(links.person_ref.notnull()).join(
        people, links.person_ref == people.person_id
    )
    by_code = ids.filter(ids.kind == "referral").join(
        people, [ids.kind == people.kind, ids.value == people.value]
    )
    owned = by_link.select(code=by_link.code, person_id=by_link.person_id).union(
        by_code.select(code=by_code.value, person_id=by_code.person_id), distinct=True
    )
    for row in owned.to_pyarrow().to_pylist():
        code, pid = row["code"], row["person_id"]
        owners[str(code).lower()] = str(pid)
        stems.setdefault(stem(str(code)), str(pid))
    return {**stems, **owners}


def referral_edges(wh: Warehouse) -> pd.DataFrame:
    """``referrer, referred, via, at``: one row per first referral of a person by another."""
    owners = _owners(wh)
    rows = []
    conv = activity.conversions(wh)
    for r in conv.itertuples():
        code = r.referral_code
        if not isinstance(code, str):
            continue
        owner = owners.get(code.lower()) or owners.get(stem(code))
        if owner is not None and owner != r.person_id:
            rows.append((owner, r.person_id, f"code {code}", r.at))
    vis = activity.visits(wh)
    for r in vis.itertuples():
        code = r.link_code
        if isinstance(code, str) and code.lower() in owners and owners[code.lower()] != r.person_id:
            rows.append((owners[code.lower()], r.person_id, f"link {code}", r.at))
    edges = pd.DataFrame(rows, columns=EDGE_COLUMNS)
    edges = edges.sort_values("at", kind="stable").drop_duplicates(["referrer", "referred"])
    return edges.reset_index(drop=True)


def advocates(wh: Warehouse) -> pd.DataFrame:
    """Top advocates: ``person_id, name, referred, customers, revenue`` best first."""
    edges = referral_edges(wh)
    conv = activity.conversions(wh)
    rev = activity.revenue(conv)
    buyers = set(conv.loc[conv["kind"] == "order", "person_id"])
    table = wh.ibis().table("people").to_pyarrow()
    names = dict(
        zip(table["person_id"].to_pylist(), table["display_name"].to_pylist(), strict=True)
    )
    rows = []
    for ref, g in edges.groupby("referrer"):
        referred = list(g["referred"])
        cust = [p for p in referred if p in buyers]
        rows.append(
            {
                "person_id": ref,
                "name": names.get(ref) or ref,
                "referred": len(referred),
                "customers": len(cust),
                "revenue": round(sum(rev.get(p, 0.0) for p in cust), 2),
            }
        )
    out = pd.DataFrame(rows, columns=["person_id", "name", "referred", "customers", "revenue"])
    return out.sort_values(
        ["revenue", "customers", "person_id"], ascending=[False, False, True]
    ).reset_index(drop=True)
