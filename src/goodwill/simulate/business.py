"""``simulate()``: the whole demo business, from people to files and ground truth.

The steps, each with its own random stream (``default_rng([seed, k])``) so that changing one
part never shifts the random numbers of another:

1. people (:mod:`.people`), 2. posts and links, 3. social interactions and care
(:mod:`.social`), 4. exogenous touches (:mod:`.touches`), 5. per-person draws and the two
worlds, factual and without the intervention (:mod:`.journeys`), 6. visits as logged
(:mod:`.web_rows`), 7. fx rates, conversions, CRM identities (:mod:`.commerce`), 8. costs,
9. audience snapshots, then the ground truth (:mod:`.truth`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from goodwill.simulate.activities import activities_truth, channel_effects, make_activities
from goodwill.simulate.audience import make_snapshots
from goodwill.simulate.clock import Clock
from goodwill.simulate.commerce import Commerce, make_commerce, make_fx
from goodwill.simulate.costs import key_message_rows, make_costs
from goodwill.simulate.csvio import write_table
from goodwill.simulate.exports import demo_visitor_salt, run_exporters
from goodwill.simulate.journeys import make_draws, run_world
from goodwill.simulate.people import Population, make_population
from goodwill.simulate.social import ACCOUNTS, make_interactions, make_posts
from goodwill.simulate.social_rows import Row, render_social
from goodwill.simulate.spec import SITE, SOCIAL_PLATFORMS, Calendar, DemoSpec, SimulationResult
from goodwill.simulate.touches import make_touches
from goodwill.simulate.truth import build_truth
from goodwill.simulate.web_rows import render_visits

__all__ = ["simulate"]

GROUND_TRUTH = "ground_truth.json"


def _accounts() -> list[Row]:
    return [
        {"platform": p, "handle": a.handle, "owner": a.owner, "display_name": a.display_name}
        for p in SOCIAL_PLATFORMS
        for a in ACCOUNTS
    ]


def _ambassador_links(pop: Population, commerce: Commerce) -> list[Row]:
    """Personal links for the three most devoted customers (links.person_ref)."""
    best = sorted(commerce.customer_id, key=lambda p: (-float(pop.affinity[p]), p))[:3]
    return [
        {
            "code": "amb-" + pop.names.referral_codes[p].removeprefix("REF-").lower(),
            "destination_url": f"{SITE}/?via=ambassador",
            "platform": None,
            "campaign": "ambassadors",
            "post_id": None,
            "person_ref": commerce.crm_ref[p],
        }
        for p in best
    ]


def simulate(spec: DemoSpec, out_dir: str | Path, *, native: bool = False) -> SimulationResult:
    """Simulate the demo business for ``spec`` and write its interchange CSV files and
    ``ground_truth.json`` into ``out_dir`` (created if needed). Same spec, same bytes.

    ``native=True`` also runs every exporter of :mod:`goodwill.simulate.exports`: platform
    exports, the access log, CRM and cost CSVs go under ``out/exports/`` and the rows they
    carry are left out of the interchange CSVs (each fact is written once). Import the result
    into a warehouse whose visitor salt is ``result.visitor_salt``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    cal = Calendar(spec)
    clock = Clock(cal.epoch)

    def rng(k: int) -> np.random.Generator:
        return np.random.default_rng([spec.seed, k])

    pop = make_population(rng(1), cal, spec.people)
    posts = make_posts(rng(2), cal)
    social = make_interactions(rng(3), cal, pop, posts)
    touches = make_touches(rng(4), cal, pop, posts, social)
    draws = make_draws(rng(5), cal, pop)
    fact = run_world(cal, pop, touches, draws, factual=True)
    cf = run_world(cal, pop, touches, draws, factual=False)
    social_rows = render_social(rng(6), clock, pop, posts, social)
    visits = render_visits(rng(7), cal, clock, pop, posts, touches, fact)
    fx = make_fx(rng(8), cal)
    commerce = make_commerce(rng(9), cal, clock, pop, fact, visits.person_visitor, fx)
    costs = make_costs(rng(11), cal)
    tables: dict[str, list[Row]] = {
        "fx_rates": commerce.fx_rows,
        "accounts": _accounts(),
        "identities": commerce.identity_rows,
        "key_messages": key_message_rows(),
        "links": social_rows.links + _ambassador_links(pop, commerce),
        "posts": social_rows.posts,
        "interactions": social_rows.interactions,
        "audience_snapshots": make_snapshots(rng(10), cal, social),
        "visits": visits.rows,
        "conversions": commerce.conversion_rows,
        "costs": costs,
        "activities": make_activities(rng(12), cal),
    }
    counts: dict[str, int] = {name: len(rows) for name, rows in tables.items()}
    exports: list[Path] = []
    salt = demo_visitor_salt(spec.seed)
    if native:
        tables, exports = run_exporters(tables, out, seed=spec.seed, visitor_salt=salt)
    files: list[Path] = []
    for name, rows in tables.items():
        write_table(out, name, rows)
        files.append(out / f"{name}.csv")
    truth = build_truth(
        cal=cal,
        pop=pop,
        social=social,
        social_rows=social_rows,
        fact=fact,
        cf=cf,
        visits=visits,
        commerce=commerce,
        fx=fx,
        counts=counts,
    )
    truth["mmm"] = activities_truth(tables["activities"]) | channel_effects(
        cal, pop, touches, draws, fact, fx, costs
    )
    truth_path = out / GROUND_TRUTH
    truth_path.write_text(
        json.dumps(truth, sort_keys=True, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return SimulationResult(
        out_dir=out,
        files=files,
        ground_truth_path=truth_path,
        counts=counts,
        exports=tuple(exports),
        visitor_salt=salt,
    )
