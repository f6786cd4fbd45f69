"""The report's "Two lenses on the same question": attribution beside the mix model, per
platform, with intervals and a sentence where they disagree (:mod:`goodwill.mmm.lenses`)."""

from __future__ import annotations

from goodwill.errors import UserInputError
from goodwill.mmm import FitSettings
from goodwill.report.sections import Section, frame_block
from goodwill.warehouse import Warehouse

__all__ = ["REPORT_FIT", "lenses_section"]

REPORT_FIT = FitSettings(chains=4, tune=800, draws=900, thin=3, seed=0)
"""Sampler settings of the report's mix model (fewer draws than ``goodwill mmm``)."""

TITLE = "Two lenses on the same question"


def lenses_section(
    wh: Warehouse,
    *,
    replicates: int = 20,
    settings: FitSettings | None = None,
    model: str = "markov",
) -> Section | None:
    """Attribution's ROI (journeys, credited by attribution ``model``) beside the mix model's
    (weekly aggregates) per platform; ``None`` when the warehouse has too few weeks or
    channels for a mix model."""
    from goodwill.attribution.roi import RoiSettings, roi_table
    from goodwill.mmm import run
    from goodwill.mmm.lenses import mix_by_platform, two_lenses

    try:
        mix = run(wh.ibis(), "revenue", settings or REPORT_FIT)
    except UserInputError:
        return None
    conv = mix.result.convergence
    if not conv.converged:
        return Section(
            id="lenses",
            title=TITLE,
            intro="The mix model of weekly revenue is not shown: " + conv.words(),
        )
    frame = two_lenses(
        roi_table(wh.ibis(), "platform", RoiSettings(model=model, replicates=replicates)),
        mix_by_platform(mix),
    )
    if frame.empty:
        return None
    cols = [
        "platform",
        "attribution_roi",
        "attribution_roi_low",
        "attribution_roi_high",
        "mix_roi",
        "mix_roi_low",
        "mix_roi_high",
        "what_it_means",
    ]
    share, lo, hi = mix.result.baseline_share
    disagree = int((~frame["what_it_means"].str.startswith("the two lenses agree")).sum())
    intro = (
        f"Attribution follows individual journeys (a touch, a visit, an order: {model} model, "
        "90% bootstrap interval); the mix model reads only the weekly totals "
        f"({mix.result.weeks} weeks of revenue against spend, posts and offline activities, "
        "with carry-over and diminishing returns; 90% credible interval; goodwill mmm). Both "
        "as ROI = (value - cost) / cost with the platform's full cost. The baseline (no "
        f"channel at all) explains {share:.0%} of revenue ({lo:.0%} to {hi:.0%}). "
        f"{disagree} of {len(frame)} rows disagree or are seen by one lens only; a year of "
        "weeks is short for a mix model, so its intervals are wide. Where they disagree, an "
        "experiment (a holdout, goodwill lift) settles it."
    )
    units = {c: "fraction" for c in cols if "roi" in c}
    return Section(
        id="lenses",
        title=TITLE,
        intro=intro,
        tables=[
            frame_block(
                frame[cols],
                units=units,
                text=("platform", "what_it_means"),
                definitions={
                    "attribution_roi": "(value credited by journeys - cost) / cost",
                    "mix_roi": "(contribution in the mix model - cost) / cost",
                },
            )
        ],
    )
