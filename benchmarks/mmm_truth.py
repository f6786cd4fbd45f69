"""The marketing mix model against planted truth it was not tuned on.

Four simulated businesses (:func:`goodwill.mmm.synthetic.standard_businesses`): one with a
channel that has no effect, one with correlated spends, one with a strongly seasonal outcome
and a trend, one with long carry-over, a saturated channel and a second zero-effect channel.
Each channel has a known adstock decay, half-saturation and ROI. For every channel the table
shows the true ROI, the model's median and 90 % interval, whether the truth is inside, and
the point error (relative; for a zero-effect channel the absolute error as a share of the
business's mean true ROI, since a relative error of zero is undefined).

Goal: truth inside the 90 % interval for ≥ 90 % of channels, point error ≤ 20 %.

    .venv/bin/python benchmarks/mmm_truth.py [--draws 1500] [--chains 4]
"""

