from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from goodwill.errors import UserInputError
from goodwill.people.consent import consent_status, marketing_list, record_consent
from goodwill.people.erase import erase_person
from goodwill.people.referrals import advocates, referral_edges
from goodwill.people.roster import monthly_roster
from goodwill.people.scores import score_people
from goodwill.people.timeline import find_person, timeline
from goodwill.warehouse import Warehouse

END_MARCH = datetime(2026, 3, 31, 23, 59, 59, 999999)


def _ev(rows: list[tuple[str, str, str]], sentiment: float | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["at", "kind", "direction"])
    frame["person_id"] = "p"
    frame["at"] = pd.to_datetime(frame["at"])
    if sentiment is not None:
        frame["sentiment"] = sentiment
    return frame


def test_score_of_hand_built_history() -> None:
    # Zoë of the fixture: reply Jan 5, comment Feb 3, share Mar 2, one brand reply, 40 revenue
    ev = _ev(
        [
            ("2026-01-05 10:00", "reply", "inbound"),
            ("2026-02-03 10:00", "comment", "inbound"),
            ("2026-03-02 10:00", "share", "inbound"),
            ("2026-03-02 11:00", "reply", "outbound"),
        ]
    )
    (s,) = score_people(ev, {"p": 40.0}, END_MARCH).to_dict("records")
    # R=exp(-29.583/60)=.6107 F=3/6 D=9/10 Q=1/2 S=0 T=85/365 V=40/200
    assert s["score"] == pytest.approx(53.6, abs=0.05)
    assert s["depth"] == pytest.approx(0.9) and s["reciprocity"] == pytest.approx(0.5)
    assert s["tier"] == "regular" and s["reason"].startswith("active 3 of the last 3 months")


def test_tiers() -> None:
    as_of = datetime(2026, 6, 30, 23, 59)
    monthly = [(f"2026-0{m}-15 00:00", "share", "inbound") for m in range(1, 7)]
    busy = [
        *monthly,
        ("2026-06-20 00:00", "share", "inbound"),
        ("2026-06-25 00:00", "share", "inbound"),
    ]
    (champ,) = score_people(_ev(busy), {"p": 200.0}, as_of).to_dict("records")
    # R=exp(-5.999/60)=.9048 F=1 D=min(1, 15/10) Q=1 S=0 T=166/365 V=1 -> 89.7; 3 acts in 28 days
    assert champ["tier"] == "champion" and champ["score"] == pytest.approx(89.7, abs=0.05)
    assert "ranks 1 of 1 eligible" in champ["reason"]
    # one share a month for six months: only 1 act in the last 28 days, so not a champion
    (reg,) = score_people(_ev(monthly), {"p": 200.0}, as_of).to_dict("records")
    assert reg["tier"] == "regular" and "1 acts in the last 28 days (needs 3)" in reg["reason"]
    (lapsed,) = score_people(_ev(monthly[:2]), {}, as_of).to_dict("records")
    assert lapsed["tier"] == "lapsed" and "quiet for 135 days" in lapsed["reason"]
    (new,) = score_people(_ev([("2026-06-20", "like", "inbound")]), {}, as_of).to_dict("records")
    assert new["tier"] == "new"
    (det,) = score_people(_ev(busy, sentiment=-0.5), {}, as_of).to_dict("records")
    # negative sentiment over 3 posts in the last 28 days; the score shrinks by 1 + S28 = 0.5
    assert det["tier"] == "detractor" and "over 3 posts in the last 28 days" in det["reason"]
    assert det["score"] < champ["score"] / 2 and "(score × 0.50)" in det["reason"]
    # one negative post in the last 28 days is not enough evidence
    (one,) = score_people(_ev(monthly, sentiment=-0.5), {}, as_of).to_dict("records")
    assert one["tier"] == "regular"
    (occ,) = score_people(
        _ev([("2026-01-10", "like", "inbound"), ("2026-05-10", "like", "inbound")]), {}, as_of
    ).to_dict("records")
    assert occ["tier"] == "occasional"


def test_roster_of_march(pwh: Warehouse) -> None:
    roster = monthly_roster(pwh, date(2026, 3, 1))
    by = roster.people.set_index("person_id")
    assert set(by.index) == {"crm-1", "crm-2", "x:bobsmith"}
    assert by.loc["crm-1", "name"] == "Zoë Kramer"
    assert by.loc["crm-1", "regular"] == "regular" and by.loc["crm-1", "tier"] == "regular"
    assert by.loc["crm-1", "did"] == "1 share" and by.loc["crm-1", "customer"]
    assert by.loc["x:bobsmith", "regular"] == "new" and by.loc["x:bobsmith", "customer"]
    assert set(roster.newcomers["person_id"]) == {"crm-2", "x:bobsmith"}
    assert roster.to_thank.empty  # Zoë, the referrer, was answered on March 2
    april = monthly_roster(pwh, date(2026, 4, 1))
    assert april.people.empty
    (row,) = april.to_thank.to_dict("records")
    assert row["person_id"] == "crm-1" and "brought 1 customer(s)" in row["reason"]


def test_referral_graph(pwh: Warehouse) -> None:
    edges = referral_edges(pwh)
    assert list(zip(edges["referrer"], edges["referred"], edges["via"], strict=True)) == [
        ("crm-1", "x:bobsmith", "code REF-ZOE")
    ]
    (top,) = advocates(pwh).to_dict("records")
    assert top == {
        "person_id": "crm-1",
        "name": "Zoë Kramer",
        "referred": 1,
        "customers": 1,
        "revenue": 25.0,
    }


def test_timeline(pwh: Warehouse) -> None:
    assert find_person(pwh, "@ZoeK") == "crm-1"
    assert find_person(pwh, "zoë kramer") == "crm-1"
    with pytest.raises(UserInputError, match="no person"):
        find_person(pwh, "nobody")
    tl = timeline(pwh, "crm-1")
    assert list(tl["what"]) == ["reply", "visit", "order", "comment", "share", "brand reply"]


def test_consent_filters_marketing_list(pwh: Warehouse) -> None:
    record_consent(pwh, ("email", "zoe@example.com"), "email", "granted", at=datetime(2026, 1, 1))
    record_consent(pwh, ("email", "jose@example.com"), "email", "granted", at=datetime(2026, 1, 1))
    record_consent(pwh, ("handle:x", "josep"), "email", "withdrawn", at=datetime(2026, 2, 1))
    status = consent_status(pwh).set_index("person_id")
    assert status.loc["crm-2", "status"] == "withdrawn"
    assert marketing_list(pwh, "email").to_dict("records") == [
        {"person_id": "crm-1", "name": "Zoë Kramer", "email": "zoe@example.com"}
    ]
    with pytest.raises(UserInputError, match="granted or withdrawn"):
        record_consent(pwh, ("email", "zoe@example.com"), "email", "maybe")


def test_erase_leaves_no_identifier_anywhere(pwh: Warehouse) -> None:
    record_consent(pwh, ("email", "zoe@example.com"), "email", "granted")
    orders_before = pwh.query("SELECT count(*), sum(value_reporting) FROM conversions")
    report = erase_person(pwh, "crm-1")
    assert report["interactions"] >= 4 and report["people"] == 1 and report["consent"] == 1
    needles = [
        "zoe@example.com",
        "zoek",
        "zoe.kramer@mastodon.social",
        "Zoë Kramer",
        "crm-1",
        "REF-ZOE",
    ]
    exact = ["C1", "vz"]
    tables = pwh.query(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'main' AND data_type = 'VARCHAR'"
    )
    for table_name, column in tables:
        values = [r[0] for r in pwh.query(f'SELECT "{column}" FROM "{table_name}"') if r[0]]
        for value in values:
            assert value not in exact, (table_name, column, value)
            for needle in needles:
                assert needle.lower() not in str(value).lower(), (table_name, column, value)
    # conversions stay as anonymous aggregates
    assert pwh.query("SELECT count(*), sum(value_reporting) FROM conversions") == orders_before
    assert "crm-2" in {r[0] for r in pwh.query("SELECT person_id FROM people")}


def test_tier_history_migration_and_revenue(pwh: Warehouse) -> None:
    from goodwill.people import activity
    from goodwill.people.tiers import revenue_by_tier, tier_history, tier_migration

    ev, conv = activity.social_events(pwh), activity.conversions(pwh)
    history = tier_history(ev, conv)
    zoe = history[history["person_id"] == "crm-1"].set_index("period")["tier"].to_dict()
    # Jan: first seen Jan 5 (within 31 days of Jan 31) → new; Feb: Jan+Feb → regular
    assert zoe[date(2026, 1, 1)] == "new" and zoe[date(2026, 2, 1)] == "regular"
    flows = tier_migration(history)
    march = flows[flows["period"] == date(2026, 3, 1)]
    assert set(zip(march["from_tier"], march["to_tier"], march["people"], strict=True)) == {
        ("regular", "regular", 1),
        ("none", "new", 2),
    }
    scores = score_people(ev, activity.revenue(conv), END_MARCH)
    by_tier = revenue_by_tier(scores, conv).set_index("tier")
    assert by_tier.loc["new", "people"] == 2 and by_tier.loc["new", "revenue"] == 25.0
    assert by_tier.loc["regular", "customers"] == 1 and by_tier.loc["regular", "revenue"] == 40.0
    assert by_tier.loc["champion", "people"] == 0


def test_referral_code_owner_by_link_stem(pwh: Warehouse) -> None:
    from goodwill.people.referrals import stem

    assert stem("REF-LENA53") == stem("amb-lena53") == "lena53"
    pwh.con.execute("DELETE FROM identities WHERE kind = 'referral'")
    pwh.con.execute(
        "INSERT INTO links VALUES ('amb-zoe', 'https://shop.example/', NULL, NULL, NULL, 'crm-1')"
    )
    edges = referral_edges(pwh)
    assert list(edges["referrer"]) == ["crm-1"] and list(edges["via"]) == ["code REF-ZOE"]


def test_labelled_negative_posts_make_a_detractor(pwh: Warehouse) -> None:
    for platform, iid in (("mastodon", "i2"), ("x", "i3")):
        pwh.con.execute(
            "INSERT INTO interaction_labels VALUES "
            "(?, ?, 'negative', -0.8, 'complaint', 'test@1', '2026-04-01', NULL)",
            [platform, iid],
        )
    from goodwill.people import activity

    ev = activity.social_events(pwh)
    # Feb 3 and Mar 2 are both within the 28 days before Mar 2, 23:00
    scores = score_people(ev, {}, datetime(2026, 3, 2, 23)).set_index("person_id")
    assert scores.loc["crm-1", "tier"] == "detractor"
    assert scores.loc["crm-1", "sentiment"] == pytest.approx(-0.8)
    # at the end of March the complaints are more than 28 days old: no longer a detractor
    later = score_people(ev, {}, END_MARCH).set_index("person_id")
    assert later.loc["crm-1", "tier"] == "regular"
    scores = later
    assert scores.loc["crm-2", "tier"] == "new"


def test_events_without_text_are_the_same_events(pwh: Warehouse) -> None:
    """``social_events(wh, text=False)`` (what the roster reads: it counts and scores, so the
    posts' text need not leave the engine) is the same frame less the ``text`` column, in the
    same order, and scores every person the same."""
    from goodwill.people import activity

    full, bare = activity.social_events(pwh), activity.social_events(pwh, text=False)
    assert "text" in full.columns and "text" not in bare.columns
    assert len(full) > 0
    pd.testing.assert_frame_equal(full.drop(columns="text"), bare)
    pd.testing.assert_frame_equal(
        score_people(full, {}, END_MARCH), score_people(bare, {}, END_MARCH)
    )
