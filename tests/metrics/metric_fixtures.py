"""Small helpers to seed an in-memory warehouse row by row in metric tests.

Each test builds exactly the rows it needs and writes the expected values, computed by hand,
next to its assertions.
"""

from __future__ import annotations

from datetime import date, datetime
from itertools import count

from goodwill.warehouse import Warehouse

__all__ = ["Seed", "d", "rows", "ts"]


def d(text: str) -> date:
    """``date`` from ``YYYY-MM-DD``."""
    return date.fromisoformat(text)


def ts(text: str) -> datetime:
    """Naive UTC ``datetime`` from ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM``."""
    return datetime.fromisoformat(text)


class Seed:
    """Inserts canonical rows into ``wh`` with sensible defaults and generated ids."""

    def __init__(self, wh: Warehouse) -> None:
        self.wh = wh
        self._ids = count(1)

    def _id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    def account(self, platform: str, handle: str, owner: str = "brand") -> None:
        self.wh.con.execute(
            "INSERT INTO accounts (platform, handle, owner) VALUES (?, ?, ?)",
            [platform, handle, owner],
        )

    def snapshot(
        self, platform: str, handle: str, day: str, followers: int, following: int = 0
    ) -> None:
        self.wh.con.execute(
            "INSERT INTO audience_snapshots VALUES (?, ?, ?, ?, ?)",
            [platform, handle, d(day), followers, following],
        )

    def post(
        self,
        platform: str,
        post_id: str,
        handle: str,
        created_at: str,
        *,
        text: str | None = None,
        url: str | None = None,
        campaign: str | None = None,
    ) -> None:
        self.wh.con.execute(
            "INSERT INTO posts (platform, post_id, handle, created_at, text, url, campaign) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [platform, post_id, handle, ts(created_at), text, url, campaign],
        )

    def interaction(
        self,
        platform: str,
        created_at: str,
        kind: str,
        actor: str,
        target: str,
        *,
        post_id: str | None = None,
        direction: str = "inbound",
    ) -> None:
        self.wh.con.execute(
            "INSERT INTO interactions (platform, interaction_id, created_at, kind, direction, "
            "actor_handle, target_handle, post_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [platform, self._id("i"), ts(created_at), kind, direction, actor, target, post_id],
        )

    def identity(self, kind: str, value: str, person_ref: str) -> None:
        self.wh.con.execute(
            "INSERT INTO identities (kind, value, person_ref) VALUES (?, ?, ?)",
            [kind, value, person_ref],
        )

    def visit(
        self,
        started_at: str,
        visitor_id: str,
        *,
        pageviews: int | None = 1,
        channel: str | None = None,
        source: str | None = None,
    ) -> str:
        visit_id = self._id("v")
        self.wh.con.execute(
            "INSERT INTO visits (visit_id, started_at, visitor_id, landing_url, pageviews) "
            "VALUES (?, ?, ?, ?, ?)",
            [visit_id, ts(started_at), visitor_id, "https://shop.example/", pageviews],
        )
        if channel is not None:
            self.wh.con.execute(
                "INSERT INTO visit_channels VALUES (?, ?, ?, ?, ?)",
                [visit_id, channel, source or channel, "test", "test 1"],
            )
        return visit_id

    def conversion(self, occurred_at: str, kind: str, value: float = 0.0) -> None:
        self.wh.con.execute(
            "INSERT INTO conversions (conversion_id, occurred_at, kind, value, value_reporting, "
            "email) VALUES (?, ?, ?, ?, ?, ?)",
            [self._id("c"), ts(occurred_at), kind, value, value, "someone@example.com"],
        )

    def cost(self, start: str, end: str, amount: float, category: str = "staff") -> None:
        self.wh.con.execute(
            "INSERT INTO costs (cost_id, period_start, period_end, category, amount, "
            "amount_reporting) VALUES (?, ?, ?, ?, ?, ?)",
            [self._id("k"), d(start), d(end), category, amount, amount],
        )


def rows(frame: object, *columns: str) -> list[tuple[object, ...]]:
    """The given columns of a ``run_query`` frame as a list of tuples, in row order."""
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False, name=None)]
