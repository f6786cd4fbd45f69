"""The demo's CRM and cost exports carry exactly the interchange rows they claim to cover."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from business_helpers import load, rows

from goodwill.simulate import DemoSpec, simulate
from goodwill.simulate.exports import EXPORTERS, ExportInput, SimRow
from goodwill.simulate.exports_business import export_costs, export_crm
from goodwill.warehouse import Warehouse

TABLES = ("identities", "conversions", "costs")
COMPARE = {
    "identities": "SELECT kind, value, person_ref, display_name FROM identities",
    "conversions": "SELECT conversion_id, occurred_at, kind, value, currency, value_reporting, "
    "customer_id, email, visitor_id, referral_code FROM conversions",
    "costs": "SELECT cost_id, period_start, period_end, category, amount, currency, hours, "
    "platform, campaign, amount_reporting FROM costs",
}


def _read(path: Path) -> list[SimRow]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (v if v != "" else None) for k, v in r.items()} for r in csv.DictReader(fh)]


def _write(path: Path, data: list[SimRow]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(data[0]))
        w.writeheader()
        w.writerows(data)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo_business")
    simulate(DemoSpec(people=300, months=4), out)
    return out


def _snapshot(wh: Warehouse) -> dict[str, list[tuple[object, ...]]]:
    return {t: sorted(rows(wh, sql), key=repr) for t, sql in COMPARE.items()}


def test_exporters_are_registered() -> None:
    assert "goodwill.simulate.exports_business:export_crm" in EXPORTERS
    assert "goodwill.simulate.exports_business:export_costs" in EXPORTERS


def test_demo_exports_read_back_equal_the_covered_rows(demo: Path, tmp_path: Path) -> None:
    tables = {t: _read(demo / f"{t}.csv") for t in TABLES}
    exports = tmp_path / "exports"
    exports.mkdir()
    inp = ExportInput(tables=tables, out_dir=exports, seed=7)
    covered: dict[str, set[int]] = {}
    for exporter in (export_crm, export_costs):
        res = exporter(inp)
        for t, pos in res.covered.items():
            covered.setdefault(t, set()).update(pos)
    # every conversion and cost, and every CRM-kind identity, is covered
    assert covered["conversions"] == set(range(len(tables["conversions"])))
    assert covered["costs"] == set(range(len(tables["costs"])))
    crm_kinds = {"email", "customer", "referral", "handle:x", "handle:mastodon", "handle:bluesky"}
    assert covered["identities"] == {
        i for i, r in enumerate(tables["identities"]) if r["kind"] in crm_kinds
    }
    toml = (exports / "goodwill_tools.toml").read_text(encoding="utf-8")
    assert toml.count("[[costs.tools]]") == 3  # scheduler, listening, links

    interchange = tmp_path / "interchange"
    interchange.mkdir()
    for t in TABLES:
        _write(interchange / f"{t}.csv", [tables[t][i] for i in sorted(covered[t])])
    (interchange / "fx_rates.csv").write_bytes((demo / "fx_rates.csv").read_bytes())

    with Warehouse.open(tmp_path / "a.duckdb") as wa, Warehouse.open(tmp_path / "b.duckdb") as wb:
        load(wa, interchange)
        summary = load(wb, demo / "fx_rates.csv", exports)
        assert set(summary.formats.values()) == {
            "crm-contacts",
            "crm-conversions",
            "costs-csv",
            "costs-tools",
        }
        assert summary.rows_quarantined == 0
        snap = _snapshot(wb)
        assert snap == _snapshot(wa)
        assert wb.counts()["conversions"] == len(tables["conversions"])
