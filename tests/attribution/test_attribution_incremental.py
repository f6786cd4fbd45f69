"""The incremental model against processes with an exact truth (``truth_processes.py``, written
to check models, not from this one), its (baseline) row, its intervals, and the CLI.

The seeds here are not the benchmark's (1-5, fresh 101-103 and 201-205), so the tests do not
repeat the numbers the model was looked at with. The bootstrap tests use the journeys without
their window ends (``untimed``: no recency features, far fewer distinct rows to fit) to keep
them quick.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from truth_processes import PROCESSES, Drawn, draw
from typer.testing import CliRunner

from goodwill.attribution.bootstrap import attribute_with_intervals
from goodwill.attribution.incremental import (
    BASELINE,
    TimedJourneys,
    bare_journeys,
    fit,
    link_credits,
    unidentified,
)
from goodwill.attribution.models import attribute
from goodwill.attribution.paths import Journeys
from goodwill.cli import app

PEOPLE = 15000
SEED = 11
GOAL = 0.05
BY_NAME = {p.name: p for p in PROCESSES}
# On decay and saturation the sampling error alone at 15,000-20,000 people is about the goal
# (on saturation the process's own law with only its coefficients fitted misses 0.05 on two
# of the benchmark's five seeds at 20,000 people; docs/metrics.md), so a 0.05 bound there
# would test the draw, not the model: they are checked at 50,000 people (the benchmark
# judges every process at 100,000, which the tests cannot afford)
ACCURACY_PEOPLE = {"decay": 50000, "saturation": 50000}


@cache
def _drawn(name: str, people: int = PEOPLE) -> Drawn:
    return draw(BY_NAME[name], people, SEED)


@cache
def _model_shares(
    name: str, model: str, timed: bool = True, people: int = PEOPLE
) -> dict[str, float]:
    j = _drawn(name, people).journeys
    return _shares(j if timed else j.untimed(), model)


def _shares(journeys: Journeys, model: str) -> dict[str, float]:
    c = attribute(journeys, model)
    keep = [i for i, ch in enumerate(c.channels) if ch != BASELINE]
    conv = c.conversions[keep]
    return {c.channels[i]: float(x) for i, x in zip(keep, conv / conv.sum(), strict=True)}


@pytest.mark.parametrize(
    "name",
    [
        "noisy_or",
        "logistic_interaction",
        "decay",
        "direct_trap",
        "saturation",
        "unequal_exposure",
    ],
)
def test_incremental_within_five_points_of_the_truth(name: str) -> None:
    people = ACCURACY_PEOPLE.get(name, PEOPLE)
    d = _drawn(name, people)
    est = _model_shares(name, "incremental", people=people)
    errors = {ch: abs(est.get(ch, 0.0) - t) for ch, t in d.truth.items()}
    assert max(errors.values()) <= GOAL, (est, d.truth)
    # and better than the best of the path models on each process
    others = [_model_shares(name, m, people=people) for m in ("linear", "markov", "shapley")]
    worst_other = min(max(abs(o.get(ch, 0.0) - t) for ch, t in d.truth.items()) for o in others)
    assert max(errors.values()) < worst_other


def test_interaction_is_found_only_where_there_is_one() -> None:
    """Social and email together add more than apart on the logistic process: the model adds
    their pair's term (without it search lost 3-4 points to them on every seed); on the
    noisy-OR process, where channels are independent causes, it adds none."""
    both = fit(_drawn("logistic_interaction").journeys)
    assert both.link == "logit"
    assert both.pairs == ((0, 1),)  # social × email
    assert 0.5 < float(both.gamma[0]) < 1.5  # the truth's 0.9 on the log-odds
    assert fit(_drawn("noisy_or").journeys).pairs == ()


def test_links_the_data_cannot_tell_apart_take_the_additive_form() -> None:
    """The rule for the model's form (``incremental.RULE``, chosen on development seeds,
    docs/metrics.md): where the additive link fits about as well as the likeliest (a
    contender: saturation, whose lifts add up and which the noisy-OR form nearly fits too)
    the credit is the additive form's alone; where another link is clearly likelier
    (logistic with an interaction) the additive is not a contender and that link takes all
    the weight. ``link_credits`` gives each link's answer alone (the benchmark's
    ``--link-study`` and ``--rule-study``)."""
    for name, tied in (("saturation", True), ("logistic_interaction", False)):
        j = _drawn(name).journeys.untimed()
        links = link_credits(j)
        assert sorted(lc.link for lc in links) == ["additive", "hazard", "logit"]
        weights = {lc.link: lc.weight for lc in links}
        assert sum(weights.values()) == pytest.approx(1.0)
        for lc in links:
            assert lc.credit.conversions.sum() == pytest.approx(j.conversions.sum())
        additive = next(lc for lc in links if lc.link == "additive")
        assert (additive.akaike > 0) == tied, [(lc.link, lc.akaike) for lc in links]
        credit = attribute(j, "incremental").conversions
        if tied:
            assert weights["additive"] == 1.0
            assert credit == pytest.approx(additive.credit.conversions)
            # and the noisy-OR form, which fits about as well, says something else
            hazard = next(lc for lc in links if lc.link == "hazard")
            assert not np.allclose(credit, hazard.credit.conversions, atol=1e-3)
        else:
            assert [k for k, w in weights.items() if w > 0] == ["logit"]
            logit = next(lc for lc in links if lc.link == "logit")
            assert credit == pytest.approx(logit.credit.conversions)


def test_noise_features_do_not_take_the_baseline() -> None:
    """Effects that fade with the touch's age: with every feature free, a step feature fitted
    to noise (a constant effect of any touch) took from the baseline (hazard 0.009 against a
    true 0.02 on one seed); the features the likelihood does not need are dropped."""
    model = fit(_drawn("decay").journeys)
    # the true baseline hazard 0.02: a probability of 1 − e^−0.02 without any touch
    truth = -np.expm1(-0.02)
    assert abs(model.baseline_probability - truth) < 0.005, (model.link, model.h0)


def test_zero_effect_channel_gets_almost_nothing() -> None:
    d = _drawn("direct_trap")
    assert d.truth["direct"] == 0.0
    assert _model_shares("direct_trap", "incremental")["direct"] < 0.04
    # the trap the path models fall in
    assert _model_shares("direct_trap", "markov")["direct"] > 0.15


def test_latent_affinity_is_the_limit() -> None:
    """Fans follow more and buy more anyway: every observational model, this one included,
    credits social with what affinity did (docs/metrics.md)."""
    d = _drawn("latent_affinity")
    est = _model_shares("latent_affinity", "incremental")
    assert est["social"] - d.truth["social"] > 0.1


def test_credit_adds_up_with_a_baseline_row() -> None:
    d = draw(BY_NAME["noisy_or"], 4000, SEED)
    j = d.journeys.untimed()
    c = attribute(j, "incremental")
    assert c.channels == (*j.channels, BASELINE)
    assert c.conversions.sum() == pytest.approx(j.conversions.sum())
    assert c.value.sum() == pytest.approx(j.value.sum())
    assert np.all(c.conversions >= -1e-12)
    frame = attribute_with_intervals(j, "incremental", replicates=20).frame()
    assert frame["channel"].iloc[-1] == BASELINE
    channels = frame[frame["channel"] != BASELINE]
    assert channels["share"].sum() == pytest.approx(1.0)
    base = frame.iloc[-1]
    assert base["share"] == pytest.approx(base["conversions"] / j.conversions.sum())
    assert np.all(channels["ci_low"] <= channels["share"] + 1e-9)
    assert np.all(channels["share"] <= channels["ci_high"] + 1e-9)


def test_conversion_without_touch_goes_to_the_baseline() -> None:
    j = Journeys.from_paths(
        [["direct"], ["social", "direct"], ["social"], ["search"]],
        conversions=[1, 1, 0, 0],
        nulls=[0, 0, 1, 1],
        ages=[[0.0], [3.0, 1.0], [2.0], [0.0]],
    )
    assert bare_journeys(j).tolist() == [True, False, False, False]
    c = attribute(j, "incremental")
    # the bare conversion is wholly the baseline's; the other is split
    assert c.conversions[-1] >= 1.0 - 1e-9


def test_unidentified_channel_gets_a_wide_interval() -> None:
    d = draw(BY_NAME["noisy_or"], 6000, SEED)
    j = d.journeys.untimed()
    social = j.channels.index("social")
    has = np.zeros(j.n, dtype=bool)
    has[j.touch_journey[j.touch_channel == social]] = True
    everyone = j.subset(has)  # nobody went without social
    assert unidentified(everyone) == ("social",)
    assert unidentified(j) == ()
    wide = attribute_with_intervals(everyone, "incremental", replicates=30).frame()
    narrow = attribute_with_intervals(j, "incremental", replicates=30).frame()
    width = {
        name: float((f.set_index("channel").loc["social", ["ci_low", "ci_high"]]).diff().iloc[-1])
        for name, f in (("wide", wide), ("narrow", narrow))
    }
    assert width["wide"] > 3 * width["narrow"]
    assert wide.set_index("channel").loc["social", "ci_low"] < 0.1


@pytest.mark.parametrize("name", ["saturation", "unequal_exposure"])
def test_weakly_identified_channel_gets_an_interval_that_covers_the_truth(name: str) -> None:
    """Almost everybody touched social (1-2% went without): the split between social and the
    baseline swings with the sample and the model's form, so the interval must span it and
    cover the truth, not give a confident wrong number (issue 13)."""
    d = _drawn(name)
    f = attribute_with_intervals(d.journeys.untimed(), "incremental", replicates=40).frame()
    f = f.set_index("channel")
    for ch, truth in (("social", d.truth["social"]), (BASELINE, d.baseline)):
        low, high = f.loc[ch, "ci_low"], f.loc[ch, "ci_high"]
        assert high - low > 0.4, (ch, low, high)  # spans the plausible splits
        assert low <= truth <= high, (ch, truth, low, high)
    assert unidentified(d.journeys) == ("social",)


def test_identified_channels_keep_tight_intervals() -> None:
    d = _drawn("noisy_or")
    f = attribute_with_intervals(d.journeys.untimed(), "incremental", replicates=40).frame()
    channels = f[f["channel"] != BASELINE]
    assert (channels["ci_high"] - channels["ci_low"]).max() < 0.15, channels


def test_recency_needs_the_window_ends() -> None:
    """Effects that fade with the touch's age: with each non-converter's window end the model
    sees recency on one clock, and comes closer to the truth than from counts alone."""
    d = _drawn("decay")
    assert isinstance(d.journeys, TimedJourneys)
    timed = _model_shares("decay", "incremental")
    plain = _model_shares("decay", "incremental", timed=False)
    err = {
        name: max(abs(est.get(ch, 0.0) - t) for ch, t in d.truth.items())
        for name, est in (("timed", timed), ("plain", plain))
    }
    assert err["timed"] < err["plain"], err


def test_timed_journeys_keep_their_window_ends() -> None:
    d = draw(BY_NAME["noisy_or"], 300, SEED)
    j = d.journeys
    assert np.all(j.horizon[j.conversions > 0] == 0.0)
    assert np.all(j.horizon[j.nulls > 0] >= 0.0)
    keep = np.arange(j.n) % 2 == 0
    sub = j.subset(keep)
    assert isinstance(sub, TimedJourneys)
    assert np.array_equal(sub.horizon, j.horizon[keep])
    again = j.reweighted(j.conversions, j.value, j.nulls)
    assert isinstance(again, TimedJourneys)
    with pytest.raises(ValueError, match="horizon"):
        TimedJourneys(
            channels=j.channels,
            offsets=j.offsets,
            touch_channel=j.touch_channel,
            touch_age=j.touch_age,
            conversions=j.conversions,
            value=j.value,
            nulls=j.nulls,
            horizon=j.horizon[:-1],
        )


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_attribution_warehouse import FILES

    from goodwill.importer import import_paths
    from goodwill.warehouse import Warehouse

    tmp = tmp_path_factory.mktemp("inc")
    src = tmp / "in"
    src.mkdir()
    for name, text in FILES.items():
        (src / name).write_text(text, encoding="utf-8")
    db = tmp / "story.duckdb"
    wh = Warehouse.open(db)
    import_paths(wh, [src], show_progress=False)
    wh.close()
    return db


def test_cli_attribution_incremental(
    story: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["attribution", "--db", str(story), "--model", "incremental", "--by", "channel"]
    out = runner.invoke(app, [*args, "--replicates", "10", "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert rows[-1]["channel"] == BASELINE
    for r in rows:
        assert set(r) == {
            "channel",
            "conversions",
            "value",
            "share",
            "ci_low",
            "ci_high",
            "identified",
        }
    assert sum(r["conversions"] for r in rows) == pytest.approx(2.0)
    out = runner.invoke(app, ["attribution", "--db", str(story), "--compare", "--replicates", "5"])
    assert out.exit_code == 0, out.output
    assert "incremental" in out.stdout


@pytest.mark.parametrize("link", ["logit", "hazard", "additive"])
def test_links_stay_finite_and_silent_at_extreme_linear_predictors(link: str) -> None:
    """A feature that nearly separates converters drives the linear predictor far out: the
    link and the fit's likelihood must give their limits, with no overflow warning (pytest
    turns warnings into errors; the Money page once failed on one)."""
    from goodwill.attribution.incremental import Fit, _fit

    lin = np.array([1e-9, 0.5, 40.0, 800.0, 1e6])
    if link == "logit":
        lin = np.concatenate([-lin[::-1], lin])
    model = Fit(link=link, h0=0.0, lam=np.zeros((1, 1)), nll=0.0)
    p = model.probability(lin)
    assert np.all(np.isfinite(p)) and np.all((p >= 0) & (p <= 1))
    assert p[-1] == 1.0
    if link == "logit":
        assert p[0] == 0.0
    # converters only where the feature is large: the fit pushes the effect as far as its
    # ridge lets it
    x = np.array([0.0, 0.0, 1000.0, 1000.0]).reshape(4, 1, 1)
    w1 = np.array([0.0, 1.0, 500.0, 500.0])
    w0 = np.array([1000.0, 999.0, 0.0, 0.0])
    m = _fit(x, w1, w0, link)
    fitted = m.probability(m.h0 + x[:, 0, 0] * m.lam[0, 0])
    assert np.all(np.isfinite(fitted)) and np.isfinite(m.nll)
    assert fitted[2] > 0.9 > 0.01 > fitted[0]
