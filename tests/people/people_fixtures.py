from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.importer import import_paths
from goodwill.people.identity import resolve
from goodwill.warehouse import Warehouse

FILES = {
    "accounts.csv": "platform,handle,owner,display_name\n"
    "x,fernhill,brand,Fernhill\nmastodon,fernhill,brand,Fernhill\n",
    "identities.csv": "kind,value,person_ref,display_name\n"
    "email,zoe@example.com,crm-1,Zoë Kramer\n"
    "customer,C1,crm-1,Zoë Kramer\n"
    "handle:x,zoek,crm-1,Zoë Kramer\n"
    "email,jose@example.com,crm-2,José Pérez\n"
    "referral,REF-ZOE,crm-1,\n",
    # zoe.kramer on mastodon is Zoë (probabilistic); bobsmith likes and orders; jose is on x.
    "interactions.csv": "platform,interaction_id,created_at,kind,direction,actor_handle,"
    "actor_name,target_handle,post_id,in_reply_to,text,url\n"
    "x,i1,2026-01-05T10:00:00Z,reply,inbound,zoek,Zoë K,fernhill,,,love it,\n"
    "mastodon,i2,2026-02-03T10:00:00Z,comment,inbound,zoe.kramer@mastodon.social,Zoë Kramer,"
    "fernhill,,,great beans,\n"
    "x,i3,2026-03-02T10:00:00Z,share,inbound,zoek,Zoë K,fernhill,,,,\n"
    "x,i4,2026-03-02T11:00:00Z,reply,outbound,fernhill,,zoek,,i3,thanks Zoë!,\n"
    "x,i5,2026-03-10T10:00:00Z,like,inbound,bobsmith,Bob Smith,fernhill,,,,\n"
    "x,i6,2026-03-11T10:00:00Z,mention,inbound,josep,José Pérez,fernhill,,,@fernhill hi,\n",
    "visits.csv": "visit_id,started_at,visitor_id,landing_url\n"
    "v1,2026-01-06T09:00:00Z,vz,https://shop.example/\n"
    "v2,2026-03-12T09:00:00Z,vb,https://shop.example/\n",
    "conversions.csv": "conversion_id,occurred_at,kind,value,currency,customer_id,email,"
    "visitor_id,referral_code\n"
    "c1,2026-01-06T09:10:00Z,order,40,USD,C1,zoe@example.com,vz,\n"
    "c2,2026-03-12T09:30:00Z,order,25,USD,C2,bob.smith@example.com,vb,REF-ZOE\n",
}


@pytest.fixture
def people_dir(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for name, text in FILES.items():
        (d / name).write_text(text)
    return d


@pytest.fixture
def pwh(wh: Warehouse, people_dir: Path) -> Warehouse:
    import_paths(wh, [people_dir], show_progress=False)
    resolve(wh)
    return wh


def person_of(wh: Warehouse, kind: str, value: str) -> str:
    rows = wh.query(
        "SELECT person_id FROM person_links WHERE kind = ? AND value = ?", [kind, value]
    )
    assert rows, (kind, value)
    return str(rows[0][0])
