from __future__ import annotations

import codecs
from decimal import Decimal
from pathlib import Path

import pytest

from goodwill.errors import UserInputError
from goodwill.sources.adapters import AdapterOutput
from goodwill.sources.csvmap import (
    Field,
    parse_amount,
    parse_date,
    parse_timestamp,
    read_csv,
    resolve_fields,
    value,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1 234,50", "1234.50"),
        ("12,50", "12.50"),
        ("$12.00", "12.00"),
        ("12.00 EUR", "12.00"),
        ("(12.00)", "-12.00"),
        ("-20", "-20"),
        ("1,234,567", "1234567"),
        ("1.234.567", "1234567"),
        ("0", "0"),
        ("€ 9.99", "9.99"),
    ],
)
def test_parse_amount_reads_export_spellings(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["ten", "", "1,2,3.4.5", "12-3", "$"])
def test_parse_amount_rejects_non_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-05 10:15:22 -0500", "2026-03-05T10:15:22-05:00"),
        ("2026-03-01T09:00:00Z", "2026-03-01T09:00:00+00:00"),
        ("2026-03-02 10:00:00+01:00", "2026-03-02T10:00:00+01:00"),
        ("2026-03-02 09:15", "2026-03-02T09:15:00"),
        ("03/02/2026 09:30:00 AM", "2026-03-02T09:30:00"),
        ("03/06/2026 05:00:00 PM", "2026-03-06T17:00:00"),
        ("03/12/2026 08:15", "2026-03-12T08:15:00"),
        ("03/04/2026", "2026-03-04T00:00:00"),
        ("Mar 4, 2026", "2026-03-04T00:00:00"),
    ],
)
def test_parse_timestamp_reads_export_spellings(text: str, expected: str) -> None:
    assert parse_timestamp(text) == expected


def test_parse_timestamp_dayfirst_and_errors() -> None:
    assert parse_timestamp("01/03/2026", dayfirst=True) == "2026-03-01T00:00:00"
    assert parse_date("2026-03-05 10:15:22 -0500") == "2026-03-05"
    for bad in ("2026-02-30", "yesterday", "32/13/2026 05:00:00 PM"):
        with pytest.raises(ValueError, match="not a date"):
            parse_timestamp(bad)


FIELDS = (Field("email", ("Email", "E-mail"), required=True), Field("name", ("Name",)))


def _read(path: Path) -> tuple[AdapterOutput, list[tuple[int, str | None, str | None]]]:
    out = AdapterOutput()
    csv_file = read_csv(path, out, "identities", known_headers=["Email", "Name"])
    f = resolve_fields(csv_file, FIELDS, {})
    rows = [(r.line, value(r, f, "email"), value(r, f, "name")) for r in csv_file.records]
    return out, rows


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("cp1252", b""),
    ],
)
def test_encodings_and_byte_order_marks(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = "Name,Email\r\nZoë Ångström,zoe@example.com\r\n"
    path = tmp_path / "contacts.csv"
    path.write_bytes(bom + text.encode(encoding))
    out, rows = _read(path)
    assert rows == [(2, "zoe@example.com", "Zoë Ångström")]
    assert not out.rejected


def test_semicolons_tabs_preamble_multiline_and_bad_records(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(
        "Export of all contacts;;\n"
        "\n"
        "Name;Email;Note\n"
        '"Lopez; Ana";ana@example.com;"two\nlines"\n'
        "Bo;bo@example.org\n"
        'Cy;cy@example.com;"x"\n',
        encoding="utf-8",
    )
    out = AdapterOutput()
    csv_file = read_csv(path, out, "identities", known_headers=["Email"])
    assert csv_file.delimiter == ";"
    assert csv_file.header == ("Name", "Email", "Note")
    assert csv_file.header_line == 3
    assert [(r.line, r.values[0]) for r in csv_file.records] == [(4, "Lopez; Ana"), (7, "Cy")]
    [rej] = out.rejected["identities"]
    assert (rej.line, rej.reason, rej.raw) == (
        6,
        "expected 3 fields as in the header, found 2",
        "Bo;bo@example.org",
    )


def test_map_overrides_defaults_and_names_missing_headers(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Full Name,Mail,Email\nAna,ana@a.example,other@b.example\n", encoding="utf-8")
    out = AdapterOutput()
    csv_file = read_csv(path, out, "identities")
    f = resolve_fields(csv_file, FIELDS, {"email": "mail", "name": "Full Name"})
    rec = csv_file.records[0]
    assert (value(rec, f, "email"), value(rec, f, "name")) == ("ana@a.example", "Ana")
    with pytest.raises(UserInputError) as err:
        resolve_fields(csv_file, FIELDS, {"email": "E-Mail Adresse"})
    msg = str(err.value)
    assert str(path) in msg and "'E-Mail Adresse'" in msg
    assert "'Full Name', 'Mail', 'Email'" in msg
    with pytest.raises(UserInputError, match="'phone' is not a field of this format"):
        resolve_fields(csv_file, FIELDS, {"phone": "Mail"})


def test_missing_required_column_says_how_to_map(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Name,Mail\nAna,ana@a.example\n", encoding="utf-8")
    csv_file = read_csv(path, AdapterOutput(), "identities")
    with pytest.raises(UserInputError, match=r"no column for 'email'.*--map email=<header>"):
        resolve_fields(csv_file, FIELDS, {})


def test_no_header_row_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(UserInputError, match="no header row"):
        read_csv(path, AdapterOutput(), "identities", known_headers=["Email"])


def test_extra_cells_are_rejected_even_when_empty(tmp_path: Path) -> None:
    # "Lopez, Ana" unquoted shifts the email into the name column: never load such a row
    path = tmp_path / "contacts.csv"
    path.write_text("Name,Email,Phone\nLopez, Ana,ana@example.com,\nBo,bo@example.org,\n")
    out, got = _read(path)
    assert got == [(3, "bo@example.org", "Bo")]
    [rej] = out.rejected["identities"]
    assert (rej.line, rej.reason, rej.raw) == (
        2,
        "expected 3 fields as in the header, found 4",
        "Lopez, Ana,ana@example.com,",
    )


def test_line_numbers_survive_unicode_line_separators_in_fields(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(
        'Name,Email\r\n"Ana\u2028Lopez",ana@example.com\r\nBo\r\nCy,cy@example.com\r\n',
        encoding="utf-8",
        newline="",
    )
    out, got = _read(path)
    assert got == [(2, "ana@example.com", "Ana\u2028Lopez"), (4, "cy@example.com", "Cy")]
    [rej] = out.rejected["identities"]
    assert (rej.line, rej.raw) == (3, "Bo")
