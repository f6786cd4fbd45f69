"""The demo business's offline and traditional tactics (the ``activities`` table) and their
planted truth for the marketing mix model.

Fernhill runs a print ad in a local magazine every month, sponsors a coffee podcast for a few
weeks, stands at three coffee fairs and is written about in the press twice. In the simulated
world none of these move any person's behaviour (people decide from social and web touches
only), so their planted ROI is exactly zero: a mix model on the demo should give each of them
an interval that includes zero. Ad spend (``costs``) comes from the campaigns; its effect is
the journeys' (see the attribution truth).

The ad, organic-social and email channels have **no exact planted mix-model ROI**: the
simulator plants their per-conversion credit (union of causes split equally, ``attribution``),
not the causal effect of their money on revenue. It runs no world without a channel's ads,
posts or newsletters (only the one without Bluesky), a removed touch's conversion may still
come from another cause, ad clicks are drawn from the campaign budgets while the ``costs`` rows
are those budgets with their own noise, and repeat orders and referred friends follow from a
first order. ``ground_truth.json`` says so per channel (``not_stated``) instead of inventing a
number.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np

from goodwill.simulate.social_rows import Row
from goodwill.simulate.spec import Calendar

__all__ = ["NOT_STATED", "ROI_DEFINITION", "activities_truth", "make_activities"]

ROI_DEFINITION = "contribution / spend (goodwill mmm's roi): what each unit of money returns"

NOT_STATED = {
    "ads:": "not stated exactly: the simulator plants the credit of ad clicks per conversion "
    "(attribution), not the revenue the ad money causes; no world without these ads is run",
    "social:": "not stated exactly: posts cause engagements and clicks whose conversions are "
    "credited per conversion (attribution); no world without the posts is run (only the one "
    "without Bluesky, see intervention)",
    "email": "not stated exactly: newsletter clicks are credited per conversion "
    "(attribution); no world without the newsletter is run",
}
"""Why a mix-model channel of the demo has no exact planted ROI, by channel prefix."""


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
