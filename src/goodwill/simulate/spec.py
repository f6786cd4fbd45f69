"""What the demo business is: its spec, its calendar and the fixed facts of its story.

The demo business is *Fernhill Coffee Roasters* (handle ``fernhill``), a small roaster with a
café and a web shop at ``https://fernhill.example``. It is on Mastodon and X from the first day
of the simulated period and starts on Bluesky on the **intervention date**, the first day of the
middle month (month 7 of 12 with the defaults, 2026-05-01). Two competitors, ``brewhaus`` and
``kettleandco``, are on the same platforms so that share of voice can be measured.

Every date in the story is derived from :class:`DemoSpec`: campaigns, newsletters and blog
mentions are placed at fixed month offsets from ``start`` and clipped to the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

__all__ = [
    "BRAND",
    "COMPETITORS",
    "INTERVENTION_PLATFORM",
    "REPORTING_CURRENCY",
    "SHORT_LINK_HOST",
    "SITE",
    "SOCIAL_PLATFORMS",
    "Account",
    "Calendar",
    "Campaign",
    "DemoSpec",
    "SimulationResult",
    "add_months",
]

REPORTING_CURRENCY = "USD"
SITE = "https://fernhill.example"
SHORT_LINK_HOST = "https://fhl.example"
SOCIAL_PLATFORMS: tuple[str, ...] = ("mastodon", "x", "bluesky")
"""Platform codes used throughout: index 0, 1, 2 in the numpy arrays."""
INTERVENTION_PLATFORM = "bluesky"
DAY = 86_400


@dataclass(frozen=True, kw_only=True)
class Account:
    handle: str
    display_name: str
    owner: str
    initial_followers: tuple[int, int, int]
    """Followers on mastodon, x, bluesky when tracking starts there."""
    initial_following: tuple[int, int, int]
    posts_per_week: tuple[float, float, float]


BRAND = Account(
    handle="fernhill",
    display_name="Fernhill Coffee Roasters",
    owner="brand",
    initial_followers=(880, 2410, 0),
    initial_following=(310, 540, 0),
    posts_per_week=(3.0, 4.0, 3.5),
)
COMPETITORS: tuple[Account, ...] = (
    Account(
        handle="brewhaus",
        display_name="Brewhaus Coffee",
        owner="competitor",
        initial_followers=(2150, 9800, 1400),
        initial_following=(400, 1200, 150),
        posts_per_week=(4.0, 6.0, 4.0),
    ),
    Account(
        handle="kettleandco",
        display_name="Kettle & Co.",
        owner="competitor",
        initial_followers=(640, 3900, 520),
        initial_following=(210, 860, 90),
        posts_per_week=(2.5, 3.5, 2.5),
    ),
)


def add_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` calendar months (day clamped to the month's length)."""
    month0 = d.month - 1 + n
    year, month = d.year + month0 // 12, month0 % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, min(d.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True, kw_only=True)
class DemoSpec:
    """The knobs of the demo business. Everything else follows from these and the seed."""

    seed: int = 7
    start: date = date(2025, 11, 1)
    months: int = 12
    people: int = 3000

    def __post_init__(self) -> None:
        if self.months < 2:
            raise ValueError("months must be at least 2 (a pre and a post period)")
        if self.people < 50:
            raise ValueError("people must be at least 50")
        if self.seed < 0:
            raise ValueError("seed must be a non-negative integer")

    @property
    def end(self) -> date:
        """Last simulated day (inclusive)."""
        return add_months(self.start, self.months) - timedelta(days=1)

    @property
    def intervention(self) -> date:
        """The day the brand starts on Bluesky: first day of month ``months // 2 + 1``."""
        return add_months(self.start, self.months // 2)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True, kw_only=True)
class SimulationResult:
    """What :func:`goodwill.simulate.simulate` wrote."""

    out_dir: Path
    files: list[Path]
    """The interchange CSV files, one per table."""
    ground_truth_path: Path
    counts: dict[str, int]
    """Rows per table simulated (interchange and exports together)."""
    exports: tuple[Path, ...] = ()
    """The export files written under ``out/exports`` (``simulate(..., native=True)``)."""
    visitor_salt: bytes = b""
    """The salt the exports' visitor ids were computed with (set it in the warehouse)."""


@dataclass(frozen=True, kw_only=True)
class Campaign:
    name: str
    first_day: int
    last_day: int
    """Day indexes (0 = spec.start), inclusive."""
    organic: tuple[str, ...]
    """Platforms whose brand posts carry the campaign."""
    ads: tuple[tuple[str, float], ...]
    """(ad platform, monthly budget in USD)."""
    prizes: float
    """Contest prizes in USD (0: no contest)."""


_CAMPAIGNS: tuple[
    tuple[str, int, int, int, int, tuple[str, ...], tuple[tuple[str, float], ...], float], ...
] = (
    # name, first (month offset, day), last (month offset, day; 0 = month end), organic, ads, prizes
    (
        "holiday-gifts",
        0,
        15,
        1,
        24,
        ("mastodon", "x"),
        (("facebook", 380.0), ("instagram", 520.0)),
        250.0,
    ),
    (
        "spring-launch",
        4,
        1,
        5,
        0,
        ("mastodon", "x"),
        (("facebook", 320.0), ("instagram", 430.0), ("x", 280.0)),
        200.0,
    ),
    ("hello-bluesky", 6, 1, 6, 28, ("bluesky",), (), 150.0),
    ("autumn-harvest", 10, 15, 11, 0, ("mastodon", "x", "bluesky"), (("instagram", 450.0),), 0.0),
)


class Calendar:
    """Day indexes and seconds for a spec. Time ``t`` is seconds since ``start`` 00:00 UTC."""

    def __init__(self, spec: DemoSpec) -> None:
        self.spec = spec
        self.start = spec.start
        self.days = spec.days
        self.horizon = self.days * DAY
        self.intervention_day = (spec.intervention - spec.start).days
        self.epoch = datetime(spec.start.year, spec.start.month, spec.start.day)
        self.weekday0 = spec.start.weekday()
        self.campaigns = self._campaigns()
        self.newsletters = self._newsletters()
        self.blog_days = tuple(
            d for d in (int(self.days * f) for f in (0.18, 0.47, 0.81)) if 0 <= d < self.days
        )

    def day_of(self, d: date) -> int:
        return (d - self.start).days

    def date_of(self, day: int) -> date:
        return self.start + timedelta(days=day)

    def month_starts(self) -> list[tuple[date, date]]:
        """(first, last) day of every calendar month touched by the period, clipped."""
        out: list[tuple[date, date]] = []
        first = self.start
        while first <= self.spec.end:
            nxt = add_months(date(first.year, first.month, 1), 1)
            out.append((first, min(nxt - timedelta(days=1), self.spec.end)))
            first = nxt
        return out

    def _campaigns(self) -> tuple[Campaign, ...]:
        out: list[Campaign] = []
        for name, m0, d0, m1, d1, organic, ads, prizes in _CAMPAIGNS:
            a = add_months(self.start, m0).replace(day=d0)
            b_month = add_months(self.start, m1)
            b = (
                add_months(b_month, 1) - timedelta(days=1)
                if d1 == 0
                else b_month.replace(day=min(d1, 28))
            )
            first, last = max(self.day_of(a), 0), min(self.day_of(b), self.days - 1)
            if name == "hello-bluesky":
                first, last = self.intervention_day, min(self.intervention_day + 27, self.days - 1)
            if first <= last:
                out.append(
                    Campaign(
                        name=name,
                        first_day=first,
                        last_day=last,
                        organic=organic,
                        ads=ads,
                        prizes=prizes,
                    )
                )
        return tuple(out)

    def _newsletters(self) -> tuple[int, ...]:
        """Send times (seconds): every second Tuesday 09:30 UTC."""
        first_tue = (1 - self.weekday0) % 7
        return tuple(d * DAY + 34_200 for d in range(first_tue + 7, self.days, 14))

    def campaign_on(self, day: int, platform: str) -> str | None:
        for c in self.campaigns:
            if c.first_day <= day <= c.last_day and platform in c.organic:
                return c.name
        return None
