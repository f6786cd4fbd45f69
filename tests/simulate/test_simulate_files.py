"""The demo business's files follow the interchange contract and hang together."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from simulate_helpers import Demo, handle, ts

from goodwill.model import table
from goodwill.simulate import DemoSpec

TABLES = (
    "accounts",
    "posts",
    "interactions",
    "audience_snapshots",
    "identities",
    "visits",
    "conversions",
    "costs",
    "activities",
    "links",
    "key_messages",
    "fx_rates",
)


def test_defaults_and_dates() -> None:
    spec = DemoSpec()
    assert (spec.seed, spec.start, spec.months, spec.people) == (7, date(2025, 11, 1), 12, 3000)
    assert spec.end == date(2026, 10, 31)
    assert spec.intervention == date(2026, 5, 1)


def test_every_file_has_exactly_the_interchange_columns(demo: Demo) -> None:
    assert sorted(p.name for p in demo.result.files) == sorted(f"{t}.csv" for t in TABLES)
    for name in TABLES:
        assert demo.header(name) == [c.name for c in table(name).file_columns], name
        assert demo.result.counts[name] == len(demo.rows(name)) > 0, name
    assert demo.truth["counts"] == demo.result.counts


def test_keys_are_unique(demo: Demo) -> None:
    for name in TABLES:
        t = table(name)
        keys = Counter(
            tuple(
                handle(r[k]) if t.column(k).kind == "handle" or name == "identities" else r[k]
                for k in t.key
            )
            for r in demo.rows(name)
        )
        dupes = [k for k, n in keys.items() if n > 1]
        assert not dupes, (name, dupes[:3])


def test_required_values_present_and_timestamps_in_period(demo: Demo) -> None:
    start = datetime(2025, 11, 1)
    end = start + timedelta(days=365)
    for name in TABLES:
        t = table(name)
        for r in demo.rows(name):
            for c in t.file_columns:
                if c.required:
                    assert r[c.name] != "", (name, c.name, r)
                if c.kind == "timestamp" and r[c.name]:
                    assert start <= ts(r[c.name]) < end, (name, r[c.name])
                if c.kind == "enum" and r[c.name]:
                    assert r[c.name] in c.choices, (name, c.name, r[c.name])


def test_references_resolve(demo: Demo) -> None:
    posts = {(r["platform"], r["post_id"]) for r in demo.rows("posts")}
    inter = {(r["platform"], r["interaction_id"]): r for r in demo.rows("interactions")}
    links = {r["code"]: r for r in demo.rows("links")}
    for r in demo.rows("interactions"):
        if r["post_id"]:
            assert (r["platform"], r["post_id"]) in posts
        if r["direction"] == "outbound":
            assert handle(r["actor_handle"]) == "fernhill"
            answered = inter[(r["platform"], r["in_reply_to"])]
            assert answered["direction"] == "inbound"
            assert ts(answered["created_at"]) < ts(r["created_at"])
        elif r["in_reply_to"]:
            key = (r["platform"], r["in_reply_to"])
            assert key in posts or key in inter
    crm = {r["person_ref"] for r in demo.rows("identities")}
    for code, link in links.items():
        if link["post_id"]:
            assert (link["platform"], link["post_id"]) in posts, code
        else:
            assert link["person_ref"] in crm, code
    post_codes = {r["link_code"] for r in demo.rows("posts") if r["link_code"]}
    assert post_codes == {c for c, link in links.items() if link["post_id"]}
    assert len(links) - len(post_codes) == 3
    visit_codes = {r["link_code"] for r in demo.rows("visits") if r["link_code"]}
    assert visit_codes and visit_codes <= set(links)
    visitors = {r["visitor_id"] for r in demo.rows("visits")}
    for r in demo.rows("conversions"):
        assert r["customer_id"] or r["email"] or r["visitor_id"]
        if r["kind"] in ("lead", "order"):
            assert r["email"] and r["visitor_id"] in visitors
        if r["kind"] == "order":
            assert r["customer_id"] and r["currency"] in ("USD", "EUR", "GBP")
            assert float(r["value"]) > 0
    accounts = {(r["platform"], r["handle"]) for r in demo.rows("accounts")}
    for r in demo.rows("posts"):
        assert (r["platform"], r["handle"]) in accounts
    for r in demo.rows("interactions"):
        if r["direction"] == "inbound":
            assert (r["platform"], handle(r["target_handle"])) in accounts


def test_fx_rates_cover_every_day_for_eur_and_gbp(demo: Demo) -> None:
    have = {(r["date"], r["currency"]) for r in demo.rows("fx_rates")}
    day = date(2025, 11, 1)
    while day <= date(2026, 10, 31):
        assert (day.isoformat(), "EUR") in have and (day.isoformat(), "GBP") in have
        day += timedelta(days=1)


def test_intervention_platform_is_silent_before_the_intervention(demo: Demo) -> None:
    cut = datetime(2026, 5, 1)
    bsky_posts = [r for r in demo.rows("posts") if r["platform"] == "bluesky"]
    bsky_inter = [r for r in demo.rows("interactions") if r["platform"] == "bluesky"]
    assert bsky_posts and bsky_inter
    assert all(ts(r["created_at"]) >= cut for r in bsky_posts + bsky_inter)
    for r in demo.rows("visits"):
        if "bsky" in (r["referrer"] + r["landing_url"]) or r["utm_source"] == "bluesky":
            assert ts(r["started_at"]) >= cut, r
    snaps = sorted(
        (r["date"], int(r["followers"]))
        for r in demo.rows("audience_snapshots")
        if r["platform"] == "bluesky" and r["handle"] == "fernhill"
    )
    assert snaps[0] == ("2026-05-01", 0)
    assert snaps[-1][1] > 100
    assert all(
        r["date"] >= "2026-05-01"
        for r in demo.rows("audience_snapshots")
        if r["platform"] == "bluesky"
    )
    assert all(
        r["platform"] != "bluesky" or r["period_start"] >= "2026-05-01" for r in demo.rows("costs")
    )


def test_awkward_but_valid_values_are_present(demo: Demo) -> None:
    inter = demo.rows("interactions")
    assert any(r["actor_handle"].startswith("@") for r in inter)
    assert any(r["actor_handle"] != r["actor_handle"].lower() for r in inter)
    assert any(r["created_at"].endswith("+02:00") for r in inter)
    assert any(r["created_at"].endswith("Z") for r in inter)
    assert any("," in r["actor_name"] for r in inter)
    assert any('"' in r["actor_name"] for r in inter)
    assert any(ch in r["text"] for r in inter for ch in "☕😍🔥")
    names = {p["display_name"] for p in demo.truth["people"]}
    assert any(ch in n for n in names for ch in "ëéŁ")
    agents = [r["user_agent"] for r in demo.rows("visits")]
    for marker in ("Instagram", "FBAN/FBIOS", "LinkedInApp", "Googlebot"):
        assert any(marker in a for a in agents), marker
    assert any(
        r["utm_medium"] == "email" or "utm_medium=email" in r["landing_url"]
        for r in demo.rows("visits")
    )
    assert any(r["referrer"] == "" and r["link_code"] == "" for r in demo.rows("visits"))
    for r in demo.rows("visits"):
        if "utm_campaign=newsletter-" in r["landing_url"]:
            sent = r["landing_url"].split("utm_campaign=newsletter-")[1][:10]
            assert sent <= ts(r["started_at"]).date().isoformat()
    assert {r["currency"] for r in demo.rows("costs")} == {"USD", "EUR"}
    assert {r["kind"] for r in demo.rows("conversions")} == {"lead", "order", "refund"}
    assert any(r["referral_code"] for r in demo.rows("conversions"))
    kinds = Counter(r["kind"] for r in inter)
    assert set(kinds) == {
        "mention",
        "reply",
        "comment",
        "share",
        "like",
        "follow",
        "unfollow",
        "dm",
    }


def test_identities_hold_only_what_the_business_knows(demo: Demo) -> None:
    rows = demo.rows("identities")
    kinds = Counter(r["kind"].split(":")[0] for r in rows)
    assert set(kinds) == {"email", "customer", "handle", "referral"}
    by_ref = {p["crm_ref"]: p for p in demo.truth["people"] if p["crm_ref"]}
    for r in rows:
        person = by_ref[r["person_ref"]]
        if r["kind"] == "email":
            assert r["value"] in person["emails"]
        elif r["kind"] == "customer":
            assert r["value"] == person["customer_id"]
        elif r["kind"] == "referral":
            assert r["value"] == person["referral_code"] and person["customer_id"]
        else:
            platform = r["kind"].split(":")[1]
            assert handle(r["value"]) == person["handles"][platform]
    people_with_handles = sum(1 for p in demo.truth["people"] if p["handles"])
    assert kinds["handle"] < 0.2 * people_with_handles
