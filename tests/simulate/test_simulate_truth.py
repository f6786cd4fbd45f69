"""The ground truth agrees with the files it describes."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import numpy as np
from simulate_helpers import Demo, handle, ts


def test_truth_has_the_promised_sections(demo: Demo) -> None:
    t = demo.truth
    for key in (
        "seed",
        "start",
        "end",
        "reporting_currency",
        "brand",
        "competitors",
        "intervention",
        "people",
        "attribution",
        "care",
        "pull_through",
        "counts",
    ):
        assert key in t, key
    assert (t["seed"], t["start"], t["end"]) == (7, "2025-11-01", "2026-10-31")
    assert t["reporting_currency"] == "USD"
    assert t["brand"]["handle"] == "fernhill"
    assert [c["handle"] for c in t["competitors"]] == ["brewhaus", "kettleandco"]
    person = t["people"][0]
    for key in (
        "person_id",
        "display_name",
        "affinity",
        "handles",
        "emails",
        "visitor_ids",
        "customer_id",
        "is_customer",
        "first_active",
    ):
        assert key in person
    assert len(t["people"]) == 3000


def test_attribution_shares_sum_to_one_and_match_conversions(demo: Demo) -> None:
    att = demo.truth["attribution"]
    kinds = Counter(r["kind"] for r in demo.rows("conversions"))
    assert att["leads"]["conversions"] == kinds["lead"]
    assert att["orders"]["conversions"] == kinds["order"]
    for section in ("leads", "first_orders", "orders"):
        shares = [c["share"] for c in att[section]["channels"].values()]
        assert abs(sum(shares) - 1.0) < 1e-3, section
        credit = sum(c["conversions"] for c in att[section]["channels"].values())
        assert abs(credit - att[section]["conversions"]) < 0.05, section
    ids = {r["conversion_id"] for r in demo.rows("conversions") if r["kind"] != "refund"}
    assert set(att["by_conversion"]) == ids
    for credits in att["by_conversion"].values():
        assert abs(sum(credits.values()) - 1.0) < 1e-3
    social = att["leads"]["channels"]["social_engagement"]["share"]
    assert 0.05 < social < 0.6
    assert att["leads"]["channels"]["baseline"]["share"] > 0.1


def test_care_numbers_match_the_replies(demo: Demo) -> None:
    labels = demo.truth["sentiment"]["labels"]
    complaints = {
        key for key, label in labels.items() if label.split("|")[:2] == ["fernhill", "complaint"]
    }
    inter = {(r["platform"], r["interaction_id"]): r for r in demo.rows("interactions")}
    first: dict[str, float] = {}
    for r in demo.rows("interactions"):
        key = f"{r['platform']}:{r['in_reply_to']}"
        if r["direction"] == "outbound" and key in complaints:
            asked = inter[(r["platform"], r["in_reply_to"])]
            minutes = (ts(r["created_at"]) - ts(asked["created_at"])).total_seconds() / 60
            first[key] = min(first.get(key, minutes), minutes)
    care = demo.truth["care"]
    assert care["complaints"] == len(complaints) > 100
    assert care["answered"] == len(first)
    assert 0.7 * len(complaints) < len(first) < len(complaints)
    assert care["median_first_response_minutes"] == round(float(np.median(list(first.values()))), 2)
    assert care["p90_first_response_minutes"] == round(
        float(np.percentile(list(first.values()), 90)), 2
    )


def test_pull_through_matches_labels(demo: Demo) -> None:
    labels = demo.truth["sentiment"]["labels"].values()
    counted = Counter(v.split("|")[3] for v in labels if v.split("|")[3])
    assert demo.truth["pull_through"] == dict(counted)
    assert set(counted) == {r["message_id"] for r in demo.rows("key_messages")}


def test_intervention_series_matches_the_files(demo: Demo) -> None:
    iv = demo.truth["intervention"]
    assert iv["date"] == "2026-05-01" and iv["platform"] == "bluesky"
    visits = Counter(
        ts(r["started_at"]).date().isoformat()
        for r in demo.rows("visits")
        if not any(b in r["user_agent"] for b in ("bot", "Bot", "python-requests"))
    )
    leads = Counter(
        ts(r["occurred_at"]).date().isoformat()
        for r in demo.rows("conversions")
        if r["kind"] == "lead"
    )
    for day in iv["series"]:
        assert day["visits"] == visits[day["date"]], day["date"]
        assert day["leads"] == leads[day["date"]], day["date"]
        if day["date"] < iv["date"]:
            assert day["visits"] == day["visits_counterfactual"]
            assert day["leads"] == day["leads_counterfactual"]
    assert iv["pre_period_difference"] == 0
    post = [d for d in iv["series"] if d["date"] >= iv["date"]]
    effect = np.mean([d["visits"] - d["visits_counterfactual"] for d in post])
    assert iv["daily_visits_effect"] == round(float(effect), 4)
    assert iv["extra_visits_per_day"] > 2 and iv["daily_visits_effect"] > 2
    assert iv["cumulative_leads_effect"] > 0 and iv["extra_leads_per_day"] > 0


def test_people_truth_covers_every_actor(demo: Demo) -> None:
    owner = {}
    for p in demo.truth["people"]:
        for platform, h in p["handles"].items():
            owner[(platform, h)] = p
    for r in demo.rows("interactions"):
        if r["direction"] == "inbound":
            assert (r["platform"], handle(r["actor_handle"])) in owner
    customers = {p["customer_id"] for p in demo.truth["people"] if p["is_customer"]}
    assert customers == {r["customer_id"] for r in demo.rows("conversions") if r["customer_id"]}
    by_visitor = {v: p for p in demo.truth["people"] for v in p["visitor_ids"]}
    for r in demo.rows("conversions"):
        if r["visitor_id"]:
            assert r["email"].lower() in by_visitor[r["visitor_id"]]["emails"]
    codes = {p["referral_code"] for p in demo.truth["people"] if p["referral_code"]}
    used = {r["referral_code"] for r in demo.rows("conversions") if r["referral_code"]}
    assert used and used <= codes
    segments = Counter(p["segment"] for p in demo.truth["people"])
    assert segments["champion"] > 30 and segments["competitor_only"] > 100
    first = [p["first_active"] for p in demo.truth["people"] if p["first_active"]]
    assert min(first) >= "2025-11-01" and max(first) <= "2026-10-31"
    assert datetime.fromisoformat(max(first))
