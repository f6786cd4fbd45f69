"""What social costs the demo business, per month: staff time, tools, prizes, ads and content.

* **staff**: hours per platform and month at 38 USD/h (Bluesky from the intervention month, with
  extra set-up hours in its first month) plus a community freelancer billed in EUR.
* **tools**: a scheduler (49 USD), a listening tool (29 EUR), a link shortener (12 USD).
* **ads**: each campaign's budget per ad platform, pro rata of the campaign days in the month.
* **prizes**: contests in the holiday, spring and hello-Bluesky campaigns.
* **content**: a photo shoot every quarter (450 EUR), a spring video (300 USD).
"""

from __future__ import annotations

import numpy as np

from goodwill.simulate.social_rows import Row
from goodwill.simulate.spec import Calendar
from goodwill.simulate.texts import KEY_MESSAGES

__all__ = ["key_message_rows", "make_costs"]

_HOURS = {"mastodon": (16.0, 3.0), "x": (24.0, 4.0), "bluesky": (18.0, 3.0)}


def _row(
    cost_id: str,
    first: str,
    last: str,
    category: str,
    amount: float,
    currency: str,
    hours: float | None = None,
    platform: str | None = None,
    campaign: str | None = None,
) -> Row:
    return {
        "cost_id": cost_id,
        "period_start": first,
        "period_end": last,
        "category": category,
        "amount": f"{amount:.2f}",
        "currency": currency,
        "hours": None if hours is None else f"{hours:.1f}",
        "platform": platform,
        "campaign": campaign,
    }


def make_costs(rng: np.random.Generator, cal: Calendar) -> list[Row]:
    rows: list[Row] = []
    for m, (first, last) in enumerate(cal.month_starts()):
        ym = f"{first.year}-{first.month:02d}"
        a, b = first.isoformat(), last.isoformat()
        d0, d1 = cal.day_of(first), cal.day_of(last)
        for platform, (mean, sd) in _HOURS.items():
            if platform == "bluesky" and d1 < cal.intervention_day:
                continue
            hours = max(4.0, float(rng.normal(mean, sd)))
            if platform == "bluesky" and d0 <= cal.intervention_day <= d1:
                hours += 12.0
            hours = round(hours * 2) / 2
            rows.append(
                _row(f"staff-{ym}-{platform}", a, b, "staff", hours * 38.0, "USD", hours, platform)
            )
        free = round(float(rng.normal(10.0, 2.0)) * 2) / 2
        rows.append(_row(f"staff-{ym}-community", a, b, "staff", free * 32.0, "EUR", free))
        rows.append(_row(f"tools-{ym}-scheduler", a, b, "tools", 49.0, "USD"))
        rows.append(_row(f"tools-{ym}-listening", a, b, "tools", 29.0, "EUR"))
        rows.append(_row(f"tools-{ym}-links", a, b, "tools", 12.0, "USD"))
        for camp in cal.campaigns:
            lo, hi = max(camp.first_day, d0), min(camp.last_day, d1)
            if lo > hi:
                continue
            share = (hi - lo + 1) / 30.0
            for ad_platform, budget in camp.ads:
                spend = round(budget * share * float(rng.uniform(0.95, 1.02)), 2)
                rows.append(
                    _row(
                        f"ads-{ym}-{camp.name}-{ad_platform}",
                        a,
                        b,
                        "ads",
                        spend,
                        "USD",
                        platform=ad_platform,
                        campaign=camp.name,
                    )
                )
            if camp.prizes and cal.day_of(first) <= camp.last_day <= d1:
                plat = camp.organic[0] if len(camp.organic) == 1 else None
                rows.append(
                    _row(
                        f"prizes-{ym}-{camp.name}",
                        a,
                        b,
                        "prizes",
                        camp.prizes,
                        "USD",
                        platform=plat,
                        campaign=camp.name,
                    )
                )
        if m % 3 == 0:
            rows.append(_row(f"content-{ym}-photos", a, b, "content", 450.0, "EUR"))
        if any(
            c.name == "spring-launch" and c.first_day >= d0 and c.first_day <= d1
            for c in cal.campaigns
        ):
            rows.append(
                _row(f"content-{ym}-video", a, b, "content", 300.0, "USD", campaign="spring-launch")
            )
    return rows


def key_message_rows() -> list[Row]:
    return [{"message_id": mid, "text": text} for mid, text in KEY_MESSAGES]
