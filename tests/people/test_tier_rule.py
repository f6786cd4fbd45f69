"""The tier rule (issue 18): champions are the few who do the most, a detractor needs negative
evidence, the report and the roster count the same champions, and a person's page says why."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.config import REGISTRY
from goodwill.errors import UserInputError
from goodwill.importer import import_paths
from goodwill.people import activity
from goodwill.people.identity import resolve
from goodwill.people.roster import monthly_roster
from goodwill.people.scores import RECENT_DAYS, TierRule, load_tier_rule, tier_counts
from goodwill.people.tiers import month_end, month_scores
from goodwill.people.timeline import standing
from goodwill.report.summary import _tiers
from goodwill.simulate import DemoSpec, simulate
from goodwill.warehouse import Warehouse
from goodwill.web.dashboard.filters import Filters
from goodwill.web.dashboard.pages_relationships import Ctx, people_page, person_page

OCTOBER = date(2026, 10, 1)
HEADER = (
    "platform,interaction_id,created_at,kind,direction,actor_handle,actor_name,target_handle,"
    "post_id,in_reply_to,text,url\n"
)


def _row(iid: str, at: str, kind: str, who: str, text: str = "") -> str:
    return f"x,{iid},{at},{kind},inbound,{who},{who.title()},fernhill,,,{text},\n"


def _interactions() -> str:
    rows = []
    # 40 steady people: a reply on the 10th of May..September, and 1..5 likes in October
    for i in range(40):
        who = f"fan{i:02d}"
        for m in range(5, 10):
            rows.append(_row(f"{who}-r{m}", f"2026-{m:02d}-10T10:00:00Z", "reply", who, "nice"))
        for k in range(1 + i % 5):
            rows.append(_row(f"{who}-l{k}", f"2026-10-{10 + k:02d}T10:00:00Z", "like", who))
    # the case: busy all summer, two complaints in late August, one like in October
    for m in range(5, 10):
        rows.append(_row(f"liker-r{m}", f"2026-{m:02d}-05T10:00:00Z", "reply", "liker", "hm"))
    rows.append(_row("liker-bad1", "2026-08-20T10:00:00Z", "reply", "liker", "cold beans"))
    rows.append(_row("liker-bad2", "2026-08-25T10:00:00Z", "reply", "liker", "late again"))
    rows.append(_row("liker-like", "2026-10-15T10:00:00Z", "like", "liker"))
    # someone whose only act ever is one like, in June
    rows.append(_row("once-like", "2026-06-15T10:00:00Z", "like", "once"))
    return HEADER + "".join(rows)


@pytest.fixture
def tier_wh(wh: Warehouse, tmp_path: Path) -> Warehouse:
    d = tmp_path / "tiers"
    d.mkdir()
    (d / "accounts.csv").write_text("platform,handle,owner,display_name\nx,fernhill,brand,F\n")
    (d / "interactions.csv").write_text(_interactions())
    import_paths(wh, [d], show_progress=False)
    resolve(wh)
    for iid in ("liker-bad1", "liker-bad2"):
        wh.con.execute(
            "INSERT INTO interaction_labels VALUES "
            "('x', ?, 'negative', -0.8, 'complaint', 'test@1', '2026-09-01', NULL)",
            [iid],
        )
    return wh


def _pid(wh: Warehouse, handle: str) -> str:
    rows = wh.query("SELECT person_id FROM person_links WHERE value = ?", [handle])
    assert rows, handle
    return str(rows[0][0])


def test_champions_are_the_top_share_with_recent_activity(tier_wh: Warehouse) -> None:
    ev, conv = activity.social_events(tier_wh), activity.conversions(tier_wh)
    rule = TierRule(champion_top_share=0.1)
    scores = month_scores(ev, conv, OCTOBER, rule)
    # 41 people acted in the last 28 days of October (40 fans and the liker): 4 seats
    champs = scores[scores["tier"] == "champion"]
    assert len(champs) == math.floor(0.1 * 41) == 4
    end = pd.Timestamp(month_end(OCTOBER))
    inbound = ev[ev["direction"] == "inbound"]
    recent = inbound[end - pd.to_datetime(inbound["at"]) < pd.Timedelta(days=RECENT_DAYS)]
    acts = recent.groupby("person_id").size()
    assert all(acts[p] >= rule.champion_min_acts for p in champs["person_id"])
    # the fans with 5 likes in October (fan04, fan09, ...): the highest scores, champions first
    others = scores[(scores["tier"] != "champion") & scores["person_id"].isin(acts.index)]
    eligible = others[[acts[p] >= 3 for p in others["person_id"]]]
    assert champs["score"].min() >= eligible["score"].max()
    assert all("ranks" in r and "4 seats" in r for r in champs["reason"])
    # with the default 5 %: floor(0.05 × 41) = 2 champions
    assert tier_counts(month_scores(ev, conv, OCTOBER, TierRule()))["champion"] == 2


def test_one_like_is_not_a_detractor_negative_posts_are(tier_wh: Warehouse) -> None:
    ev, conv = activity.social_events(tier_wh), activity.conversions(tier_wh)
    liker, once = _pid(tier_wh, "liker"), _pid(tier_wh, "once")
    august = month_scores(ev, conv, date(2026, 8, 1), TierRule()).set_index("person_id")
    assert august.loc[liker, "tier"] == "detractor"
    assert "over 2 posts in the last 28 days" in str(august.loc[liker, "reason"])
    october = month_scores(ev, conv, OCTOBER, TierRule()).set_index("person_id")
    # in October their only act was one like: no negative evidence, so not a detractor
    assert october.loc[liker, "tier"] == "regular"
    assert "not a champion: 1 acts in the last 28 days (needs 3)" in str(
        october.loc[liker, "reason"]
    )
    assert october.loc[once, "tier"] == "lapsed"
    assert (october["tier"] != "detractor").all()
    # the detractor's score is pulled down by their sentiment (× (1 − 0.8)) below every fan's
    fans = august.drop(index=[liker, once])
    assert august.loc[liker, "score"] < fans["score"].min()


def test_report_and_roster_count_the_same_champions(tier_wh: Warehouse) -> None:
    roster = monthly_roster(tier_wh, OCTOBER)
    on_roster = sorted(roster.people.loc[roster.people["tier"] == "champion", "name"])
    _won, _lost, report_champions = _tiers(tier_wh, OCTOBER)
    assert sorted(report_champions) == on_roster and len(on_roster) == 2
    # the People page's card says the same number
    (roster_section, *_rest) = people_page(Ctx(tier_wh, Filters(month="2026-10")))
    cards = {c.name: c.value for c in roster_section.cards}
    (card,) = [c for c in roster_section.cards if c.name == "tier_champion"]
    assert "among the top 5% by score" in card.definition
    assert cards["tier_champion"] == len(report_champions)
    assert sum(v or 0 for k, v in cards.items() if k.startswith("tier_")) == cards["people"] == 41


def test_the_person_says_why(tier_wh: Warehouse, tmp_path: Path) -> None:
    s = standing(tier_wh, _pid(tier_wh, "liker"))
    assert s is not None and s["month"] == OCTOBER and s["tier"] == "regular"
    assert "not a champion" in str(s["reason"])
    (page, *_rest) = person_page(Ctx(tier_wh, Filters()), "@liker")
    assert "Tier at the end of 2026-10: regular" in page.intro
    assert "not a champion: 1 acts in the last 28 days (needs 3)" in page.intro
    db = tier_wh.path
    assert db is not None
    tier_wh.close()
    out = CliRunner().invoke(app, ["person", "@liker", "--db", str(db)], terminal_width=400)
    assert out.exit_code == 0, out.output
    assert "tier at the end of 2026-10: regular" in out.output
    assert "not a champion: 1 acts in the last 28 days" in out.output
    out = CliRunner().invoke(
        app, ["people", "--month", "2026-10", "--db", str(db)], terminal_width=400
    )
    assert out.exit_code == 0, out.output
    assert "who paid attention in 2026-10: 41 people (2 champion, 39 regular)" in out.output


def test_the_rule_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = {s.name: s.default for s in REGISTRY if s.section == "people"}
    rule = TierRule()
    assert {k: type(getattr(rule, k))(v) for k, v in defaults.items()} == rule.__dict__
    cfg = tmp_path / "goodwill.toml"
    cfg.write_text("[people]\nchampion_top_share = 0.02\ndetractor_min_posts = 3\n")
    monkeypatch.setenv("GOODWILL_CONFIG", str(cfg))
    assert load_tier_rule() == TierRule(champion_top_share=0.02, detractor_min_posts=3)
    cfg.write_text("[people]\nchampion_share = 0.02\n")
    with pytest.raises(UserInputError, match=r"unknown setting.*champion_share"):
        load_tier_rule()
    cfg.write_text("[people]\nchampion_top_share = 2\n")
    with pytest.raises(UserInputError, match="champion_top_share = 2 is not between 0 and 1"):
        load_tier_rule()


def test_on_the_demo_champions_are_few_and_counted_once(tmp_path: Path) -> None:
    simulate(DemoSpec(people=400), tmp_path / "data")
    with Warehouse.open(tmp_path / "demo.duckdb") as wh:
        import_paths(wh, [tmp_path / "data"], show_progress=False)
        resolve(wh)
        ev = activity.social_events(wh)
        last = pd.Timestamp(pd.to_datetime(ev["at"]).max()).date().replace(day=1)
        month = (pd.Timestamp(last) - pd.Timedelta(days=1)).date().replace(day=1)
        roster = monthly_roster(wh, month)
        _won, _lost, report_champions = _tiers(wh, month)
    active = len(roster.people)
    champions = int((roster.people["tier"] == "champion").sum())
    assert active >= 60
    assert champions == len(report_champions) >= 1
    assert champions <= max(1, math.floor(0.05 * active))
