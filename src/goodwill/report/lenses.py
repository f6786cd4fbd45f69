"""The report's "Two lenses on the same question": attribution beside the mix model, per
platform, with intervals and a sentence where they disagree (:mod:`goodwill.mmm.lenses`).

For the demo business (a settings file with ``[demo] ground_truth``), a second table puts each
mix-model channel's ROI and 90 % interval beside the ROI the simulation planted, and says
whether the interval covers it (:func:`truth_table`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from goodwill.errors import UserInputError
from goodwill.mmm import FitSettings, MixRun
from goodwill.mmm.store import VIEW_FIT
from goodwill.report.sections import Section, TableBlock, frame_block
from goodwill.warehouse import Warehouse

__all__ = ["REPORT_FIT", "lenses_section", "planted_roi", "truth_frame", "truth_table"]

REPORT_FIT = VIEW_FIT
"""Sampler settings of the report's mix model (fewer draws than ``goodwill mmm``): those of
the fit ``goodwill import`` stores (:mod:`goodwill.mmm.store`), which the report reads."""

TITLE = "Two lenses on the same question"


def lenses_section(
    wh: Warehouse,
    *,
    replicates: int = 20,
    settings: FitSettings | None = None,
    model: str = "markov",
    truth: dict[str, Any] | None = None,
) -> Section | None:
    """Attribution's ROI (journeys, credited by attribution ``model``) beside the mix model's
    (weekly aggregates) per platform; ``None`` when the warehouse has too few weeks or
    channels for a mix model. ``truth``: the demo's planted ``mmm`` truth
    (:func:`goodwill.report.demo_config.demo_mmm_truth`), shown beside the model per channel."""
    from goodwill.attribution.roi import RoiSettings, roi_table
    from goodwill.mmm.lenses import LENS_COLUMNS, baseline_sentence, mix_by_platform, two_lenses
    from goodwill.mmm.store import fit_for_view

    try:
        view = fit_for_view(wh.ibis(), wh.path, "revenue", settings or REPORT_FIT)
    except UserInputError:
        return None
    mix = view.mix
    # another sampler setting than the stored fit's is a choice, not a stale fit
    note = view.words() if settings in (None, REPORT_FIT) else ""
    conv = mix.result.convergence
    if not conv.converged:
        return Section(
            id="lenses",
            title=TITLE,
            intro=" ".join(
                filter(
                    None, ["The mix model of weekly revenue is not shown: " + conv.words(), note]
                )
            ),
        )
    frame = two_lenses(
        # value and ROI per platform only: no leads or customers fitted
        roi_table(
            wh.ibis(), "platform", RoiSettings(model=model, replicates=replicates), counts=False
        ),
        mix_by_platform(mix),
    )
    if frame.empty:
        return None
    cols = list(LENS_COLUMNS)
    share, lo, hi = mix.result.baseline_share
    disagree = int((~frame["what_it_means"].str.startswith("the two lenses agree")).sum())
    intro = (
        f"Attribution follows individual journeys (a touch, a visit, an order: {model} model, "
        "90% bootstrap interval); the mix model reads only the weekly totals "
        f"({mix.result.weeks} weeks of revenue against spend, posts and offline activities, "
        "with carry-over and diminishing returns; 90% credible interval; goodwill mmm). Both "
        "as ROI = (value - cost) / cost with the platform's full cost. "
        f"{baseline_sentence(share, lo, hi)} "
        f"{disagree} of {len(frame)} rows disagree or are seen by one lens only; a year of "
        "weeks is short for a mix model, so its intervals are wide. Where they disagree, an "
        "experiment (a holdout, goodwill lift) settles it."
    )
    if note:
        intro += " " + note
    units = {c: "fraction" for c in cols if "roi" in c}
    tables = [] if truth is None else [truth_table(mix, truth)]
    if truth is not None:
        intro += " " + truth_sentence(truth_frame(mix, truth))
    return Section(
        id="lenses",
        title=TITLE,
        intro=intro,
        tables=[
            *tables,
            frame_block(
                frame[cols],
                units=units,
                text=("platform", "what_it_means"),
                definitions={
                    "attribution_roi": "(value credited by journeys - cost) / cost",
                    "mix_roi": "(contribution in the mix model - cost) / cost",
                },
            ),
        ],
    )


def _not_stated(channel: str, truth: dict[str, Any]) -> str:
    for prefix, why in dict(truth.get("not_stated") or {}).items():
        if channel.startswith(str(prefix)):
            return str(why)
    return "not stated: the simulation plants no mix-model truth for this channel"


def planted_roi(channel: str, mix: MixRun, truth: dict[str, Any]) -> float | None:
    """The ROI the simulation planted for ``channel`` over the mix model's own weeks and
    money: 0 for an offline tactic; for an ad, social or email channel its exact incremental
    revenue in those weeks (``weekly_incremental_revenue``: factual world minus the world
    without the channel) over its spend there. ``None`` where the truth states nothing."""
    offline = dict(truth.get("offline_true_roi") or {})
    if channel in offline:
        return float(offline[channel])
    weekly = dict(truth.get("weekly_incremental_revenue") or {}).get(channel)
    if weekly is None:
        return None
    money = dict(zip(mix.data.channels, mix.data.spend.sum(axis=1), strict=True))
    spend = float(money.get(channel, 0.0))
    if spend <= 0:
        return None
    return sum(float(weekly.get(w.isoformat(), 0.0)) for w in mix.weeks) / spend


def truth_frame(mix: MixRun, truth: dict[str, Any]) -> pd.DataFrame:
    """Per mix-model channel with money: channel, mix_roi, mix_roi_low, mix_roi_high (the
    model's ``roi = contribution / spend`` and 90 % interval), true_roi (planted,
    :func:`planted_roi`; ``None`` where the simulation states none), covered (interval contains
    it) and a sentence."""
    rows = []
    for _, r in mix.result.channels.iterrows():
        roi = r.get("roi")
        if roi is None or pd.isna(roi):
            continue  # no money: no ROI to compare
        channel = str(r["channel"])
        lo, hi = float(r["roi_low"]), float(r["roi_high"])
        true = planted_roi(channel, mix, truth)
        if true is None:
            covered, words = None, _not_stated(channel, truth)
        else:
            covered = lo <= true <= hi
            words = (
                f"the planted ROI {true:.2f} is inside the model's interval"
                if covered
                else f"the planted ROI {true:.2f} is outside the model's interval "
                "(a 90% interval misses one time in ten; a year of weeks is short)"
            )
        rows.append(
            {
                "channel": channel,
                "mix_roi": float(roi),
                "mix_roi_low": lo,
                "mix_roi_high": hi,
                "true_roi": true,
                "covered": covered,
                "what_it_means": words,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "channel",
            "mix_roi",
            "mix_roi_low",
            "mix_roi_high",
            "true_roi",
            "covered",
            "what_it_means",
        ],
    )


def truth_sentence(frame: pd.DataFrame) -> str:
    """One plain sentence: how many planted ROIs the model's intervals cover."""
    known = frame[frame["true_roi"].notna()]
    inside = int(known["covered"].astype(bool).sum())
    return (
        "This is the demo business, whose truth is planted (the table below; ROI there as "
        "goodwill mmm gives it, contribution / spend): the mix model's 90% interval "
        f"covers the planted ROI of {inside} of {len(known)} channels with a known truth "
        "(offline tactics no one reacts to: true ROI 0; ad, social and email channels: the "
        "revenue the simulation loses in a world without them, same people and random "
        "numbers)"
        + (
            f"; the other {len(frame) - len(known)} channels' ROI is not stated by the simulation."
            if len(known) < len(frame)
            else "."
        )
    )


def truth_table(mix: MixRun, truth: dict[str, Any]) -> TableBlock:
    """The demo's table: the mix model's ROI per channel beside the planted truth."""
    frame = truth_frame(mix, truth)
    shown = frame.astype(object).where(frame.notna(), None)
    shown["covered"] = [
        "–" if c is None else ("yes" if c else "no") for c in frame["covered"].astype(object)
    ]
    return frame_block(
        shown,
        units={c: "fraction" for c in frame.columns if "roi" in c},
        text=("channel", "covered", "what_it_means"),
        definitions={
            "mix_roi": "contribution in the mix model / spend (goodwill mmm's roi)",
            "true_roi": "the ROI the simulation planted (ground_truth.json, mmm)",
            "covered": "whether the mix model's 90% interval contains the planted ROI",
        },
        caption="The mix model beside the demo's planted truth (ground_truth.json)",
    )
