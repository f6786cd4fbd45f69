from __future__ import annotations

from pathlib import Path

import pytest
from simulate_helpers import Demo

from goodwill.simulate import DemoSpec, simulate


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The default demo business (seed 7, 3000 people, 12 months), simulated once."""
    out: Path = tmp_path_factory.mktemp("demo")
    return Demo(simulate(DemoSpec(), out))
