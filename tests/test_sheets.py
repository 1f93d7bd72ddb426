"""Tests for mapping.io.sheets: CSV rows and workbooks, read alike by our readers and Kumu's."""

from __future__ import annotations

import io
import zipfile

import pytest

from mapping.errors import FormatError
from mapping.io.kumu import read_kumu
from mapping.io.sheets import csv_rows, open_workbook, sniff_delimiter
from mapping.io.tabular_read import read_excel, read_stakeholders_csv


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Name,Org\n", ","),
        ("Name;Org;Role\n", ";"),
        ("Name\tOrg\n", "\t"),
        ('Name;"Org, Ltd, and more";Role\n', ";"),
        ("\n\nName;Org\n", ";"),
        ("Name\n", ","),
        ("", ","),
    ],
)
def test_the_header_line_outside_quotes_picks_the_separator(text, delimiter):
    assert sniff_delimiter(text) == delimiter


def test_sep_line_names_the_separator_and_is_not_a_row():
    assert csv_rows("sep=,\r\nName,Notes\r\nAnn,a;b;c\r\n", "p.csv") == [
        (1, ["Name", "Notes"]),
        (2, ["Ann", "a;b;c"]),
    ]


def test_rows_keep_blank_lines_so_numbers_match_the_spreadsheet():
    rows = csv_rows("Name\n\nAnn\n", "p.csv")
    assert rows == [(1, ["Name"]), (2, []), (3, ["Ann"])]


def test_a_cell_too_large_for_csv_is_a_format_error_naming_the_file():
    text = 'Name,Notes\nAnn,"' + "x" * 200_000 + '"\n'
    with pytest.raises(FormatError, match=r"big\.csv could not be read as CSV \(field larger"):
        csv_rows(text, "big.csv")


def test_a_zip_that_is_not_a_workbook_is_refused_by_both_readers():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    data = out.getvalue()
    message = r"team\.xlsx is not an Excel workbook \(\.xlsx\) that can be read"
    with pytest.raises(FormatError, match=message):
        open_workbook(data, "team.xlsx")
    with pytest.raises(FormatError, match=message):
        read_excel(data, "team.xlsx")
    with pytest.raises(FormatError, match=message):
        read_kumu("team.xlsx", data)


def test_kumu_csv_reads_a_sep_line_and_quoted_separators_as_our_csv_does():
    sep = b"sep=;\nLabel;Role\nAnn;Chair, board\n"
    assert [(s.name, s.role) for s in read_kumu("k.csv", sep).stakeholders] == [
        ("Ann", "Chair, board")
    ]
    quoted = b'Label,"Notes; more; stuff"\nAnn,x\n'
    (ann,) = read_kumu("k.csv", quoted).stakeholders
    assert ann.custom == {"Notes; more; stuff": "x"}
    ours = read_stakeholders_csv(quoted.replace(b"Label", b"Name"))
    assert ours.stakeholders[0].custom == ann.custom
