"""The two lenses side by side: attribution's rows joined to the mix model's per platform,
and the sentence says agree / which lens sees more / only one lens sees it."""

from __future__ import annotations

import pandas as pd

from goodwill.mmm.lenses import platform_of, two_lenses


def test_platform_of_channels() -> None:
    assert [platform_of(c) for c in ("ads:x", "social:x", "email", "offline:press")] == [
        "x",
        "x",
        "email",
        "press",
    ]


def test_sentences_follow_the_intervals() -> None:
    attribution = pd.DataFrame(
        {
            "platform": ["x", "mastodon", "bluesky", "email", "total"],
            "value": [100.0, 50.0, 80.0, 10.0, 240.0],
            "cost": [50.0, 50.0, 40.0, 5.0, 145.0],
            "roi": [1.0, 0.0, 1.0, 1.0, 0.6],
            "roi_low": [0.8, -0.2, 0.9, 0.5, 0.5],
            "roi_high": [1.2, 0.2, 1.1, 1.5, 0.7],
        }
    )
    mix = pd.DataFrame(
        {
            "platform": ["x", "mastodon", "bluesky", "press"],
            "mix_value": [120.0, 200.0, 20.0, 30.0],
            "mix_value_low": [60.0, 150.0, 0.0, 10.0],
            "mix_value_high": [180.0, 250.0, 30.0, 50.0],
            "mix_cost": [50.0, 50.0, 40.0, 20.0],
            "mix_roi": [1.4, 3.0, -0.5, 0.5],
            "mix_roi_low": [0.2, 2.0, -1.0, -0.5],
            "mix_roi_high": [2.6, 4.0, -0.25, 1.5],
        }
    )
    both = two_lenses(attribution, mix).set_index("platform")
    assert "total" not in both.index
    said = both["what_it_means"]
    assert said["x"].startswith("the two lenses agree")
    assert said["mastodon"].startswith("the aggregates credit more")
    assert said["bluesky"].startswith("the journeys credit more")
    assert said["press"].startswith("only the mix model sees it")
    assert said["email"].startswith("not in the mix model")
    assert both.loc["mastodon", "attribution_roi"] == 0.0
    assert both.loc["mastodon", "mix_roi_low"] == 2.0
