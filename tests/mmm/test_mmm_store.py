"""The mix model is fitted once per import and stored beside the warehouse; readers open the
warehouse read-only, use the stored fit while it is that of the current data, and say so (and
fit in memory, writing nothing) once the data changed."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.mmm.lenses import baseline_sentence, mix_by_platform
from goodwill.mmm.store import fit_for_view, load_fit, store_fit, stored_path
from goodwill.mmm.synthetic import TrueChannel, simulate_business
from goodwill.warehouse import Warehouse

runner = CliRunner()
MONDAY = date(2024, 1, 1)


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    business = simulate_business(
        "store-shop", (TrueChannel("meta", 3000, 0.3, 1.0, 2.5),), weeks=40, seed=9
    )
    folder = tmp_path_factory.mktemp("mmm_store")
    data = business.data
    costs, orders = [], []
    for w in range(len(data.y)):
        monday = MONDAY + timedelta(weeks=w)
        if data.x[0, w] > 0:
            costs.append(
                {
                    "cost_id": f"ads-{w}",
                    "period_start": monday.isoformat(),
                    "period_end": (monday + timedelta(days=6)).isoformat(),
                    "category": "ads",
                    "amount": f"{data.x[0, w]:.2f}",
                    "currency": "USD",
                    "platform": "meta",
                }
            )
        orders.append(
            {
                "conversion_id": f"o-{w}",
                "occurred_at": f"{(monday + timedelta(days=2)).isoformat()}T12:00:00Z",
                "kind": "order",
                "value": f"{data.y[w]:.2f}",
                "currency": "USD",
                "customer_id": f"c{w}",
            }
        )
    (folder / "in").mkdir()
    _write(folder / "in" / "costs.csv", costs)
    _write(folder / "in" / "conversions.csv", orders)
    return folder


def test_import_stores_the_fit_and_readers_use_it_until_the_data_change(folder: Path) -> None:
    db = folder / "goodwill.duckdb"
    args = ["import", str(folder / "in"), "--db", str(db), "--no-progress", "--no-resolve"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "mix model: fitted" in result.output
    path = stored_path(db)
    assert path is not None and path.exists()
    key, stored, meta = load_fit(path)
    assert meta["fit_seconds"] > 0 and stored.data.channels == ("ads:meta",)

    with Warehouse.open(db, read_only=True) as wh:
        view = fit_for_view(wh.ibis(), wh.path)
    assert view.state == "stored" and view.words() == ""
    rows = view.mix.result.channels.set_index("channel")
    assert (
        rows.loc["ads:meta", "roi"]
        == stored.result.channels.set_index("channel").loc["ads:meta", "roi"]
    )
    # the lenses read the stored draws: the platform's value is the channel's contribution
    lens = mix_by_platform(view.mix).set_index("platform")
    assert lens.loc["meta", "mix_value"] == pytest.approx(rows.loc["ads:meta", "contribution"])

    # a second import without the fit: the stored one is now of other data
    _write(
        folder / "more.csv",
        [
            {
                "conversion_id": "late",
                "occurred_at": "2024-03-06T12:00:00Z",
                "kind": "order",
                "value": "999.00",
                "currency": "USD",
                "customer_id": "c-late",
            }
        ],
    )
    (folder / "more").mkdir()
    (folder / "more.csv").rename(folder / "more" / "conversions.csv")
    result = runner.invoke(app, [*args[:1], str(folder / "more"), *args[2:], "--no-mmm"])
    assert result.exit_code == 0, result.output
    assert "mix model" not in result.output
    before = path.read_bytes()
    with Warehouse.open(db, read_only=True) as wh:
        view = fit_for_view(wh.ibis(), wh.path)
        assert view.state == "stale" and "out of date" in view.words()
        assert view.mix.result.channels["channel"].tolist() == ["ads:meta"]
    assert path.read_bytes() == before  # a reader writes nothing

    with Warehouse.open(db) as wh:
        assert store_fit(wh.ibis(), wh.path).startswith("mix model: fitted")
        assert "up to date" in store_fit(wh.ibis(), wh.path)
        assert load_fit(path)[0] != key
        view = fit_for_view(wh.ibis(), wh.path)
    assert view.state == "stored"
    # a damaged stored fit is fitted again, and the sentence says why
    path.write_bytes(b"not a fit")
    with Warehouse.open(db) as wh:
        said = store_fit(wh.ibis(), wh.path)
    assert said.startswith("mix model: fitted") and "could not be read" in said, said
    assert load_fit(path)[0] is not None


def test_in_memory_warehouse_stores_nothing_and_a_short_one_says_why(tmp_path: Path) -> None:
    assert stored_path(None) is None
    with Warehouse.open(":memory:") as wh:
        assert "in-memory" in store_fit(wh.ibis(), None)
    with Warehouse.open(tmp_path / "empty.duckdb") as wh:
        assert store_fit(wh.ibis(), wh.path).startswith("mix model: not fitted")


def test_baseline_sentence_reads_right_above_all_of_the_outcome() -> None:
    assert baseline_sentence(0.6, 0.5, 0.7) == (
        "The baseline (no channel at all) explains 60% of revenue (50% to 70%)."
    )
    over = baseline_sentence(1.04, 0.95, 1.12)
    assert "explains 104%" not in over and "more than all of it" in over
    assert "may be nil" in baseline_sentence(0.97, 0.9, 1.05)
