"""The demo business's offline and traditional tactics (the ``activities`` table) and their
planted truth for the marketing mix model.

Fernhill runs a print ad in a local magazine every month, sponsors a coffee podcast for a few
weeks, stands at three coffee fairs and is written about in the press twice. In the simulated
world none of these move any person's behaviour (people decide from social and web touches
only), so their planted ROI is exactly zero: a mix model on the demo should give each of them
an interval that includes zero. Ad spend (``costs``) comes from the campaigns; its effect is
the journeys' (see the attribution truth).

**The ad, organic-social and email channels' exact planted ROI** (:func:`channel_effects`):
for each of them the simulator runs one more world, the same people with the same random
numbers (common random numbers) but without that channel: ``ads:<platform>`` without the ad
clicks of that ad platform, ``social:<platform>`` without the engagements, post-link clicks and
dark-social visits of that platform, ``email`` without any newsletter. The difference in
revenue per day between the factual world and that one is the channel's exact incremental
revenue, downstream effects included (repeat orders, referred friends, a newsletter
subscription that followed a social lead). Its ROI is that revenue over the channel's money
(``costs`` rows as written, spread over their days), over whole weeks, as ``goodwill mmm``
defines it. Only what reaches the simulated people counts: most bought ad clicks come from
visitors who never convert (``touches``), so an ad platform's true ROI is small.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from goodwill.simulate.journeys import Draws, World, run_world
from goodwill.simulate.people import CURRENCIES, Population
from goodwill.simulate.social_rows import Row
from goodwill.simulate.spec import SOCIAL_PLATFORMS, Calendar
from goodwill.simulate.touches import AD_PLATFORMS, CLICK, DARK, ENGAGEMENT, PAID, Touches

__all__ = [
    "NOT_STATED",
    "ROI_DEFINITION",
    "activities_truth",
    "channel_effects",
    "make_activities",
]

F64 = npt.NDArray[np.float64]

ROI_DEFINITION = "contribution / spend (goodwill mmm's roi): what each unit of money returns"

NOT_STATED: dict[str, str] = {}
"""Why a mix-model channel of the demo has no exact planted ROI, by channel prefix: none left
since every ad, social and email channel has its world without it (:func:`channel_effects`)."""


def make_activities(rng: np.random.Generator, cal: Calendar) -> list[Row]:
    rows: list[Row] = []

    def add(
        aid: str,
        channel: str,
        name: str,
        first: int,
        days: int,
        spend: float | None,
        reach: int | None,
    ) -> None:
        start = cal.date_of(first)
        rows.append(
            {
                "activity_id": aid,
                "channel": channel,
                "name": name,
                "start_date": start.isoformat(),
                "end_date": (start + timedelta(days=days - 1)).isoformat(),
                "spend": None if spend is None else f"{spend:.2f}",
                "currency": None if spend is None else "USD",
                "reach": None if reach is None else str(reach),
            }
        )

    for m, (first, last) in enumerate(cal.month_starts()):
        if m % 3 == 2:
            continue  # the magazine skips every third month
        day = cal.day_of(first) + int(rng.integers(0, 7))
        add(
            f"print-{first:%Y-%m}",
            "print",
            "Roast & Brew magazine",
            day,
            min(14, cal.day_of(last) - day + 1),
            round(float(rng.uniform(220, 280)), 2),
            int(rng.integers(8_000, 12_000)),
        )
    podcast = int(cal.days * 0.3)
    for w in range(4):
        add(
            f"podcast-{w + 1}",
            "podcast",
            "The Daily Grind podcast",
            podcast + 7 * w,
            7,
            round(float(rng.uniform(380, 420)), 2),
            int(rng.integers(3_000, 5_000)),
        )
    for i, frac in enumerate((0.12, 0.55, 0.86)):
        add(
            f"fair-{i + 1}",
            "event",
            "Coffee fair stand",
            int(cal.days * frac),
            3,
            round(float(rng.uniform(900, 1500)), 2),
            int(rng.integers(1_500, 4_000)),
        )
    for i, frac in enumerate((0.2, 0.66)):
        add(
            f"press-{i + 1}",
            "press",
            "Feature in the city paper",
            int(cal.days * frac),
            1,
            None,
            int(rng.integers(20_000, 40_000)),
        )
    return rows


def activities_truth(rows: list[Row]) -> dict[str, Any]:
    spend: dict[str, float] = {}
    for r in rows:
        if r["spend"] is not None:
            key = f"offline:{r['channel']}"
            spend[key] = round(spend.get(key, 0.0) + float(str(r["spend"])), 2)
    return {
        "description": "offline activities change no one's behaviour in the simulation: their "
        "true contribution and ROI are zero; a mix model's interval should include zero",
        "offline_spend": spend,
        "offline_true_roi": {k: 0.0 for k in spend},
        "roi_definition": ROI_DEFINITION,
        "not_stated": dict(NOT_STATED),
    }


def _without(touches: Touches) -> dict[str, tuple[npt.NDArray[np.bool_] | None, bool]]:
    """Per mix-model channel: the touches its world drops, and whether newsletters are sent."""
    out: dict[str, tuple[npt.NDArray[np.bool_] | None, bool]] = {}
    for i, platform in enumerate(AD_PLATFORMS):
        out[f"ads:{platform}"] = ((touches.channel == PAID) & (touches.detail // 100 == i), True)
    organic = np.isin(touches.channel, [ENGAGEMENT, CLICK, DARK])
    for i, platform in enumerate(SOCIAL_PLATFORMS):
        out[f"social:{platform}"] = (organic & (touches.platform == i), True)
    out["email"] = (None, False)
    return out


def _money(cal: Calendar, costs: list[Row], fx: F64) -> dict[str, F64]:
    """Money per mix-model channel and day (USD), as ``goodwill mmm`` keys its ``costs``."""
    out: dict[str, F64] = {}
    for r in costs:
        platform = r.get("platform")
        if not platform:
            continue  # overheads: no channel
        platform = str(platform).lower()
        if r["category"] == "ads":
            key = f"ads:{platform}"
        else:
            key = "email" if platform == "email" else f"social:{platform}"
        first = max(cal.day_of(date.fromisoformat(str(r["period_start"]))), 0)
        last = min(cal.day_of(date.fromisoformat(str(r["period_end"]))), cal.days - 1)
        if last < first:
            continue
        amount = float(str(r["amount"]))
        cur = CURRENCIES.index(str(r["currency"]))
        days = np.arange(first, last + 1)
        row = out.setdefault(key, np.zeros(cal.days))
        row[days] += amount / len(days) * (fx[days, cur] if cur else 1.0)
    return out


def channel_effects(
    cal: Calendar,
    pop: Population,
    touches: Touches,
    draws: Draws,
    fact: World,
    fx: F64,
    costs: list[Row],
) -> dict[str, Any]:
    """The exact incremental revenue and ROI of every ad, social and email channel: the
    factual world minus a world without that channel (same people, same random numbers)."""
    from goodwill.simulate.truth import world_series

    revenue = world_series(cal, fact, pop, fx)["revenue"]
    money = _money(cal, costs, fx)
    mondays = [d for d in range(cal.days - 6) if cal.date_of(d).weekday() == 0]
    whole = np.zeros(cal.days, dtype=bool)
    for d in mondays:
        whole[d : d + 7] = True
    weekly: dict[str, dict[str, float]] = {}
    total: dict[str, float] = {}
    spend: dict[str, float] = {}
    roi: dict[str, float | None] = {}
    for name, (drop, newsletters) in _without(touches).items():
        world = run_world(
            cal, pop, touches, draws, factual=True, without=drop, newsletters=newsletters
        )
        diff = revenue - world_series(cal, world, pop, fx)["revenue"]
        weekly[name] = {
            cal.date_of(d).isoformat(): round(float(diff[d : d + 7].sum()), 2) for d in mondays
        }
        total[name] = round(float(diff[whole].sum()), 2)
        spent = float(money.get(name, np.zeros(cal.days))[whole].sum())
        spend[name] = round(spent, 2)
        roi[name] = round(total[name] / spent, 4) if spent > 0 else None
    return {
        "counterfactual": "per channel, the same people and random numbers without that "
        "channel's touches (ads:P: the ad clicks of ad platform P; social:P: engagements, "
        "post-link clicks and dark-social visits of P; email: no newsletter); incremental "
        "revenue = factual minus that world, USD per ISO week (Monday), downstream orders "
        "included",
        "weekly_incremental_revenue": weekly,
        "incremental_revenue": total,
        "channel_spend": spend,
        "channel_true_roi": roi,
    }
