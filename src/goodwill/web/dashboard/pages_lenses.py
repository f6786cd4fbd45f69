"""The Money page's "Two lenses on the same question": attribution's ROI (the page's ROI
table, journeys) beside the mix model's (weekly aggregates, ``goodwill mmm``) per platform,
with intervals and a plain sentence where they disagree (:mod:`goodwill.mmm.lenses`).

The mix model ignores the page's filters (it needs every week of every channel). It is fitted
once per import (``goodwill import``/``goodwill demo`` store it beside the warehouse,
:mod:`goodwill.mmm.store`); the page reads the stored fit when it is that of the current data.
When it is stale or missing, the page says so and fits in memory (the warehouse is read-only
here), kept in a small cache keyed by the warehouse file and its data state, so changing a
filter does not refit.
"""

from __future__ import annotations

import threading
from typing import Any

import pandas as pd

from goodwill.web.dashboard.page_models import Section, table
from goodwill.web.dashboard.pages_relationships import Ctx

__all__ = ["lenses_section"]

_FITS: dict[tuple[Any, ...], Any] = {}
_LOCK = threading.Lock()

_NOT_FILTERED = {
    "since": "the mix model is fitted on every whole week of the warehouse",
    "until": "the mix model is fitted on every whole week of the warehouse",
    "campaign": "the mix model's channels are platforms and offline tactics, not campaigns",
}


def _mix(ctx: Ctx) -> Any:
    from goodwill.errors import UserInputError
    from goodwill.mmm.store import fit_for_view
    from goodwill.web.dashboard.cache import data_state

    key = (str(ctx.wh.path), *data_state(ctx.wh), ctx.wh.count("activities"))
    with _LOCK:
        if key not in _FITS:
            try:
                _FITS.clear()  # one warehouse state at a time
                _FITS[key] = fit_for_view(ctx.backend, ctx.wh.path, "revenue")
            except UserInputError as exc:
                _FITS[key] = str(exc)
        return _FITS[key]


def lenses_section(ctx: Ctx, roi: Section) -> Section | None:
    """The comparison per platform, from the ROI section's table (same filters as shown
    there) and the mix model; ``None`` when the ROI is by campaign or the warehouse is too
    short for a mix model."""
    from goodwill.mmm.lenses import LENS_COLUMNS, baseline_sentence, mix_by_platform, two_lenses

    title = "Two lenses on the same question: journeys and weekly totals"
    if not roi.tables or "platform" not in roi.tables[0].columns:
        return None
    view = _mix(ctx)
    if isinstance(view, str):
        return Section(
            id="lenses", title=title, intro=f"No mix model: {view}", not_filtered=_NOT_FILTERED
        )
    mix, note = view.mix, view.words()
    conv = mix.result.convergence
    if not conv.converged:
        return Section(
            id="lenses",
            title=title,
            intro=" ".join(filter(None, ["The mix model is not shown: " + conv.words(), note])),
            not_filtered=_NOT_FILTERED,
        )
    att = pd.DataFrame(roi.tables[0].rows)
    frame = two_lenses(att, mix_by_platform(mix))
    if ctx.filters.platform:
        frame = frame[frame["platform"] == ctx.filters.platform]
    share, lo, hi = mix.result.baseline_share
    cols = list(LENS_COLUMNS)
    return Section(
        id="lenses",
        title=title,
        intro="Attribution (the ROI table above) follows individual journeys; the mix model "
        f"reads only weekly totals ({mix.result.weeks} weeks of revenue against spend, posts "
        "and offline activities; goodwill mmm). Both as (value - cost) / cost with 90% "
        f"intervals. {baseline_sentence(share, lo, hi)} "
        "Where they disagree, an experiment settles it." + (f" {note}" if note else ""),
        not_filtered=_NOT_FILTERED,
        tables=[
            table(
                "lenses",
                "Attribution and mix model per platform",
                frame,
                columns=cols,
                units={c: "fraction" for c in cols if "roi" in c},
                definitions={
                    "attribution_roi": "(value credited by journeys - cost) / cost",
                    "mix_roi": "(contribution in the mix model - cost) / cost",
                    "what_it_means": "whether the two intervals overlap, and why they may not",
                },
            )
        ],
    )
