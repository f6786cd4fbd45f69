"""LinkedIn page analytics exports as LinkedIn hands them out: ``.xls`` workbooks (visitors,
followers) and an ``.xlsx`` (content). The fixtures are written by
tests/fixtures/linkedin_pages/make_fixtures.py (SOURCES.md there says which values are real).
Expected values are read here straight with xlrd / openpyxl, not with goodwill's reader."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
import xlrd
from business_helpers import load, rows
from openpyxl import Workbook, load_workbook

from goodwill.errors import UserInputError
from goodwill.sources.registry import all_formats
from goodwill.warehouse import Warehouse

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "linkedin_pages"
VISITORS = PAGES / "fernhill-coffee_visitors_1634515200000.xls"
FOLLOWERS = PAGES / "fernhill-coffee_followers_1772582400000.xls"
CONTENT = PAGES / "fernhill-coffee_content_1773532800000.xlsx"
BRAND = {"linkedin.handle": "Fernhill-Coffee"}


def _xls_records(path: Path, sheet: str) -> list[dict[str, object]]:
    sh = xlrd.open_workbook(str(path)).sheet_by_name(sheet)
    header = [str(v) for v in sh.row_values(0)]
    return [dict(zip(header, sh.row_values(r), strict=True)) for r in range(1, sh.nrows)]


def _iso(mdy: object) -> str:
    return datetime.strptime(str(mdy), "%m/%d/%Y").date().isoformat()


def test_each_workbook_is_detected_as_its_format_only() -> None:
    expected = {
        VISITORS: "linkedin-visitors",
        FOLLOWERS: "page-followers",
        CONTENT: "linkedin-posts",
    }
    for path, name in expected.items():
        found = [n for n, f in all_formats().items() if f.detect(path)]
        assert found == [name], path


def test_visitors_xls_gives_every_count_of_every_day(wh: Warehouse) -> None:
    summary = load(wh, VISITORS, options=BRAND)
    assert summary.formats[str(VISITORS)] == "linkedin-visitors"
    assert wh.count("quarantine") == 0
    days = _xls_records(VISITORS, "Visitor metrics")
    got = {
        (str(d), str(m)): int(str(v))
        for d, m, v in rows(wh, "SELECT date, metric, value FROM account_metrics")
    }
    assert len(got) == len(days) * 24 == 168
    for day in days:
        iso = _iso(day["Date"])
        assert got[(iso, "page_views")] == day["Total page views (total)"]
        assert got[(iso, "unique_visitors")] == day["Total unique visitors (total)"]
        assert got[(iso, "jobs_page_views_desktop")] == day["Jobs page views (desktop)"]
    views = sum(v for (_, m), v in got.items() if m == "page_views")
    assert views == sum(float(str(d["Total page views (total)"])) for d in days) == 111
    assert rows(wh, "SELECT DISTINCT platform, handle FROM account_metrics") == [
        ("linkedin", "fernhill-coffee")
    ]
    assert rows(wh, "SELECT min(date), max(date) FROM account_metrics") == [
        (date(2021, 10, 11), date(2021, 10, 17))
    ]


def test_followers_xls_reads_the_new_followers_sheet(wh: Warehouse) -> None:
    load(wh, FOLLOWERS, options={**BRAND, "linkedin.followers_now": "120"})
    days = _xls_records(FOLLOWERS, "New followers")
    gains = [
        sum(
            int(float(str(d[h])))
            for h in ("Organic followers", "Sponsored followers", "Auto-invited followers")
        )
        for d in days
    ]
    got = rows(wh, "SELECT platform, handle, date, followers FROM audience_snapshots ORDER BY 3")
    assert [g[2].isoformat() for g in got] == [_iso(d["Date"]) for d in days]  # type: ignore[attr-defined]
    assert [g[3] for g in got] == [120 - gains[2] - gains[1], 120 - gains[2], 120]
    assert {g[:2] for g in got} == {("linkedin", "fernhill-coffee")}


def test_content_xlsx_reads_the_all_posts_sheet(wh: Warehouse) -> None:
    load(wh, CONTENT, options=BRAND)
    ws = load_workbook(CONTENT, read_only=True)["All posts"]
    table = list(ws.iter_rows(values_only=True))
    header, posts = table[1], table[2:]
    expected = {str(p[1]).rsplit(":", 1)[1]: dict(zip(header, p, strict=True)) for p in posts}
    got = rows(
        wh,
        "SELECT s.post_id, p.text, s.impressions, s.reactions, s.clicks FROM post_stats s "
        "JOIN posts p USING (platform, post_id) ORDER BY 1",
    )
    assert len(got) == len(expected) == 2
    for pid, text, impressions, likes, clicks in got:
        row = expected[str(pid).rsplit(":", 1)[1]]
        assert (text, impressions, likes, clicks) == (
            row["Post title"],
            row["Impressions"],
            row["Likes"],
            row["Clicks"],
        )
    assert "\n" in str(got[0][1])  # a title over two lines stays whole
    # the workbook's Metrics sheet: the page's own counts per day → account_metrics
    sheet = list(load_workbook(CONTENT, read_only=True)["Metrics"].iter_rows(values_only=True))
    days = [dict(zip(sheet[1], r, strict=True)) for r in sheet[2:]]
    metrics = {
        (str(d), str(m)): v
        for d, m, v in rows(wh, "SELECT date, metric, value FROM account_metrics")
    }
    for day in days:
        iso = _iso(day["Date"])
        assert metrics[(iso, "impressions")] == day["Impressions (total)"]
        assert metrics[(iso, "unique_impressions_organic")] == day["Unique impressions (organic)"]
        assert metrics[(iso, "clicks_organic")] == day["Clicks (organic)"]
        assert (iso, "engagement_rate") not in metrics  # a ratio of the counts
    counts = [h for h in sheet[1] if h != "Date" and "rate" not in str(h)]
    assert len(metrics) == len(days) * len(counts) == 2 * 16
    assert sum(v for (_, m), v in metrics.items() if m == "impressions") == 1006 + 653


def _visitor_sheet(path: Path, bad: str) -> Path:
    """An .xlsx with a demographics sheet first and the visitor metrics second."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Location"
    ws.append(["Location", "Total views"])
    ws.append(["Leeds", 4])
    metrics = wb.create_sheet("Visitor metrics")
    metrics.append(
        ["Date", "Overview page views (total)", "Total page views (total)",
         "Total unique visitors (total)"]
    )  # fmt: skip
    metrics.append(["10/11/2021", 17, 19, 10])
    metrics.append(["10/12/2021", 32, bad, 17])
    metrics.append(["10/13/2021", 22, 30, 15])
    wb.save(path)
    return path


def test_a_bad_cell_is_quarantined_with_its_sheet_and_row(wh: Warehouse, tmp_path: Path) -> None:
    path = _visitor_sheet(tmp_path / "page_visitors.xlsx", "n/a")
    load(wh, path, options=BRAND)
    assert rows(wh, "SELECT file, table_name, line, reason FROM quarantine") == [
        ("Visitor metrics", "account_metrics", 3,
         "Total page views (total): not a whole count: 'n/a'")
    ]  # fmt: skip
    # the day's other counts, and the other days, load
    day = "SELECT metric, value FROM account_metrics WHERE date = '2021-10-12' ORDER BY 1"
    assert rows(wh, day) == [("overview_page_views", 32), ("unique_visitors", 17)]
    assert wh.count("account_metrics") == 3 + 2 + 3


def test_an_xls_that_is_not_a_workbook_names_the_file(wh: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "visitors.xls"
    path.write_text("<html><table><tr><td>Date</td></tr></table></html>", encoding="utf-8")
    with pytest.raises(UserInputError, match=r"visitors\.xls: named as an Excel workbook"):
        load(wh, path, format="linkedin-visitors", options=BRAND)
    broken = tmp_path / "cut.xlsx"
    broken.write_bytes(CONTENT.read_bytes()[:300])
    with pytest.raises(UserInputError, match=r"cut\.xlsx: not a readable \.xlsx workbook"):
        load(wh, broken, format="linkedin-posts", options=BRAND)


def test_a_workbook_without_the_sheet_names_file_and_sheets(wh: Warehouse, tmp_path: Path) -> None:
    with pytest.raises(
        UserInputError, match=r"content_\d+\.xlsx: no column for 'views'.*sheet 'Metrics'"
    ):
        load(wh, CONTENT, format="linkedin-visitors", options=BRAND)
    other = tmp_path / "budget.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Budget"
    ws.append(["Month", "Spend"])
    wb.save(other)
    with pytest.raises(UserInputError, match=r"budget\.xlsx: no sheet .*sheets: 'Budget'"):
        load(wh, other, format="linkedin-visitors", options=BRAND)


def test_a_schema_5_warehouse_gains_account_metrics(tmp_path: Path) -> None:
    """account_metrics is new in schema 6: an older warehouse opens, is migrated, and loads."""
    path = tmp_path / "old.duckdb"
    with Warehouse.open(path) as w:
        w.con.execute("DROP TABLE account_metrics")
        w.set_meta("schema_version", "5")
    with Warehouse.open(path) as w:
        assert w.schema_version() == 6
        load(w, VISITORS, options=BRAND)
        assert w.count("account_metrics") == 168


def test_account_metrics_is_an_interchange_file_quarantined_like_the_rest(
    wh: Warehouse, tmp_path: Path
) -> None:
    path = tmp_path / "account_metrics.csv"
    path.write_text(
        "platform,handle,date,metric,value\n"
        "instagram,@FernhillCoffee,2026-03-01,profile_views,41\n"
        "instagram,fernhillcoffee,2026-03-02,profile_views,many\n"
        "instagram,fernhillcoffee,2026-03-32,profile_views,3\n",
        encoding="utf-8",
    )
    load(wh, path)
    assert rows(wh, "SELECT platform, handle, date, metric, value FROM account_metrics") == [
        ("instagram", "fernhillcoffee", date(2026, 3, 1), "profile_views", 41)
    ]
    got = rows(wh, "SELECT line, column_name FROM quarantine ORDER BY line")
    assert got == [(3, "value"), (4, "date")]
