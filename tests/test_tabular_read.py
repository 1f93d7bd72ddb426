"""Tests for mapping.io.tabular_read: messy CSV files, zips and workbooks, limits, refusals."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date

import pytest

from mapping.errors import FormatError, ValidationError
from mapping.io.safety import Limits
from mapping.io.tabular_read import (
    read_csv_pair,
    read_csv_zip,
    read_excel,
    read_relationships_csv,
    read_stakeholders_csv,
)
from mapping.io.tabular_write import write_relationships_csv, write_stakeholders_csv
from tests.conftest import workbook


def test_relationships_csv_alone_reads_against_known_stakeholders(small_map):
    people = small_map.with_relationships(())
    m = read_relationships_csv(write_relationships_csv(small_map), people)
    assert m == small_map


def test_read_csv_pair_reads_two_files(small_map):
    m = read_csv_pair(
        write_stakeholders_csv(small_map), write_relationships_csv(small_map), name=small_map.name
    )
    assert m == replace(small_map, description="")


# --- Messy files ---------------------------------------------------------------------------


def test_messy_csv_bom_semicolons_blank_rows_spaces_and_numbers_as_text():
    text = (
        "\ufeffFull name ; Organization;Sector;Power;Interest;Attitude;In coalition;Review by\r\n"
        "\r\n"
        " Ann Clark ;NA; Clinical ; 4 ;4.0;Supporter;Yes;31/01/2026\r\n"
        ";;;;;;;\r\n"
        "Bo Li;001;patient and carer;5;;;;2026-02-01\r\n"
    )
    m = read_stakeholders_csv(text.encode("utf-8"), name="Messy")
    ann, bo = m.stakeholders
    assert (ann.name, ann.organisation, ann.perspective, ann.influence, ann.interest) == (
        "Ann Clark",
        "NA",
        "clinical",
        4,
        4,
    )
    assert (ann.stance.value, ann.coalition, ann.review_by) == (
        "supporter",
        True,
        date(2026, 1, 31),
    )
    assert (bo.organisation, bo.perspective, bo.interest, bo.stance.value, bo.coalition) == (
        "001",
        "patient & carer",
        3,
        "unknown",
        False,
    )


def test_cp1252_csv_from_old_excel_reads():
    data = "Name,Notes\nZoë,“smart quotes” – dash\n".encode("cp1252")
    (zoe,) = read_stakeholders_csv(data).stakeholders
    assert (zoe.name, zoe.notes) == ("Zoë", "“smart quotes” – dash")


def test_excel_sep_line_picks_the_separator():
    m = read_stakeholders_csv(b"sep=;\nName;Influence\nAnn;5\n")
    assert m.stakeholders[0].influence == 5


def test_unknown_columns_become_custom_fields_and_blank_ones_are_dropped():
    m = read_stakeholders_csv(b"Name,Phone,Team,\nAnn,001,,\n")
    assert m.stakeholders[0].custom == {"Phone": "001"}


def test_row_numbers_count_blank_lines_as_a_spreadsheet_does():
    with pytest.raises(ValidationError, match="Row 5, column Stance: 'maybe' is not a stance"):
        read_stakeholders_csv(b"Name,Stance\nAnn,\n\n\nBo,maybe\n")


def test_binary_file_is_refused_clearly():
    with pytest.raises(FormatError, match=r"people\.csv is a PDF document, not a text file"):
        read_stakeholders_csv(b"%PDF-1.7 binary", "people.csv")


def test_size_and_row_limits_refuse_before_reading():
    data = b"Name\n" + b"".join(f"P{i}\n".encode() for i in range(30))
    with pytest.raises(FormatError, match="has more than 20 rows; Coalition Mapper reads at"):
        read_stakeholders_csv(data, limits=Limits(max_rows=20))
    with pytest.raises(FormatError, match="reads files up to 100 bytes"):
        read_stakeholders_csv(data, limits=Limits(max_bytes=100))
    assert len(read_stakeholders_csv(data, limits=Limits(max_rows=30)).stakeholders) == 30


def test_zip_without_a_stakeholders_file_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.csv", "a,b\n")
    with pytest.raises(FormatError, match=r"map.zip has no stakeholders CSV \(it holds: notes"):
        read_csv_zip(out.getvalue())


# --- Excel ---------------------------------------------------------------------------------


def test_excel_sheets_are_found_in_any_case_and_cells_of_any_type_read():
    data = workbook(
        {
            "STAKEHOLDERS": [
                [],
                ["Name", "Influence", "Member", "Review by"],
                ["Ann", 4, True, date(2026, 5, 1)],
                ["Bo", 2.0, "no", None],
            ],
            "relationships": [["From", "To", "Weight"], ["Ann", "Bo", 5]],
        }
    )
    m = read_excel(data, "team.xlsx")
    assert m.name == "team"
    assert [(s.influence, s.coalition, s.review_by) for s in m.stakeholders] == [
        (4, True, date(2026, 5, 1)),
        (2, False, None),
    ]
    assert m.relationships[0].strength == 5


def test_excel_row_numbers_are_the_sheet_rows():
    data = workbook({"Stakeholders": [[], ["Name", "Interest"], ["Ann", 7]]})
    with pytest.raises(ValidationError, match="sheet Stakeholders: Row 3, column Interest: '7'"):
        read_excel(data)


def test_workbook_without_a_stakeholders_sheet_is_refused():
    with pytest.raises(FormatError, match=r"no sheet called Stakeholders \(its sheets: People\)"):
        read_excel(workbook({"People": [["Name"], ["Ann"]]}), "people.xlsx")


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(FormatError, match="not a valid zip archive"):
        read_excel(b"Name\nAnn\n", "people.xlsx")


def test_excel_row_limit_counts_only_filled_rows():
    rows: list[list[object]] = [["Name"], *([f"P{i}"] for i in range(12))]
    data = workbook({"Stakeholders": rows})
    with pytest.raises(FormatError, match="sheet Stakeholders has more than 10 rows"):
        read_excel(data, limits=Limits(max_rows=10))
    assert len(read_excel(data, limits=Limits(max_rows=12)).stakeholders) == 12
