"""What every page builder gets (:class:`Ctx`) and the link to a person's page: a leaf module
the page modules import, so they never import each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

import pandas as pd

from goodwill.metrics import MetricParams
from goodwill.warehouse import Warehouse
from goodwill.web.dashboard.filters import (
    Filters,
    PagePeriod,
    dashboard_default_month,
    page_period,
)

__all__ = ["Ctx", "person_href"]


@dataclass
class Ctx:
    """What a page builder gets: the open warehouse and the validated filters."""

    wh: Warehouse
    filters: Filters

    @property
    def backend(self) -> Any:
        return self.wh.ibis()

    _period: PagePeriod | None = field(default=None, repr=False, compare=False)

    @property
    def period(self) -> PagePeriod:
        """The page's period (:func:`goodwill.web.dashboard.filters.page_period`)."""
        if self._period is None:
            self._period = page_period(self.wh, self.filters)
        return self._period

    def month(self) -> date | None:
        """The month of the scorecard and roster: ``month`` when chosen, else the default
        month of every page (:func:`goodwill.web.dashboard.filters.dashboard_default_month`)."""
        chosen = self.filters.month_date()
        if chosen is not None:
            return chosen
        if not self.period.chosen:
            return self.period.since
        return dashboard_default_month(self.wh)

    def headline_filters(self) -> Filters:
        """The filters with the headline period's ``since``/``until``."""
        return self.period.headline(self.filters)

    def headline_params(self) -> MetricParams:
        return self.headline_filters().params()

    def trend_params(self) -> MetricParams:
        return self.period.trend_params(self.filters)

    def headline(self, frame: pd.DataFrame, column: str = "period") -> pd.DataFrame:
        """The rows of a frame fetched with :meth:`trend_params` whose ``column`` (a month's
        first day, or a day) lies in the headline period; all of them when the user chose
        ``since``/``until`` (then both periods agree)."""
        p = self.period
        if p.chosen or p.since is None or p.until is None or column not in frame.columns:
            return frame
        day = pd.to_datetime(frame[column]).dt.date
        return frame[(day >= p.since) & (day <= p.until)].reset_index(drop=True)

    def headline_ctx(self) -> Ctx:
        """This context with the headline dates as its filters (for builders that read
        ``since``/``until`` from the filters)."""
        return Ctx(self.wh, self.headline_filters(), self.period)


def person_href(person_id: object) -> str | None:
    if person_id is None or (isinstance(person_id, float) and pd.isna(person_id)):
        return None
    return "/person/" + quote(str(person_id), safe="")
