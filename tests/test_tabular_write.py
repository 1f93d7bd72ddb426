"""Tests for mapping.io.tabular_write: round trips, formatting, formulas, templates."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date

import openpyxl
import pytest

from mapping.analysis.findings import Finding, Severity
from mapping.errors import FormatError
from mapping.io.tabular_read import read_csv_zip, read_excel
from mapping.io.tabular_write import (
    template_csv_zip,
    template_excel,
    write_csv_zip,
    write_excel,
)
from mapping.model import DEFAULT_PERSPECTIVES, Map, Relationship, Stakeholder
from tests.sample_maps import rich_map


def _zip_member(data: bytes, member: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(member).decode("utf-8-sig")


# --- Round trips -------------------------------------------------------------------------


def test_csv_zip_round_trip_keeps_every_field_of_the_small_map(small_map):
    assert read_csv_zip(write_csv_zip(small_map)) == small_map


def test_excel_round_trip_keeps_every_field_of_the_small_map(small_map):
    assert read_excel(write_excel(small_map)) == small_map


@pytest.mark.parametrize(
    ("write", "read"), [(write_csv_zip, read_csv_zip), (write_excel, read_excel)]
)
def test_spreadsheet_round_trip_keeps_every_field_they_hold(write, read):
    m = rich_map()
    assert read(write(m)) == m


def test_spreadsheets_do_not_hold_positions(small_map):
    m = replace(small_map, positions={"ann": (1.0, 2.0)})
    assert read_csv_zip(write_csv_zip(m)).positions == {}


def test_csv_zip_holds_four_files_and_names_both_ends_by_id_and_name(small_map):
    data = write_csv_zip(small_map)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == [
            "README.txt",
            "map.csv",
            "relationships.csv",
            "stakeholders.csv",
        ]
        assert archive.read("stakeholders.csv").startswith(b"\xef\xbb\xbfID,Name,")
    ties = _zip_member(data, "relationships.csv").splitlines()
    assert ties[0].startswith("ID,From ID,From,To ID,To,Type,Strength,Directed")
    assert ties[2].startswith("r2,ann,Ann Clark,cat,Cat Jones,commissions,2,yes")


def test_excel_output_is_formatted_with_findings_and_read_me(small_map):
    finding = Finding(
        "coverage.missing",
        Severity.HIGH,
        "No public health voice",
        "Nobody in the coalition brings public health.",
        "Invite a DPH.",
        stakeholders=("ann",),
    )
    wb = openpyxl.load_workbook(io.BytesIO(write_excel(small_map, [finding])))
    assert wb.sheetnames == ["Stakeholders", "Relationships", "Map", "Findings", "Read me"]
    ws = wb["Stakeholders"]
    assert ws["A1"].font.bold and ws["B1"].value == "Name"
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width == len("Dr Bob Singh") + 2
    assert ws["K7"].value.date() == date(2026, 1, 31)
    findings = wb["Findings"]
    assert [c.value for c in findings[2]] == [
        "high",
        "No public health voice",
        "Nobody in the coalition brings public health.",
        "Invite a DPH.",
        "Ann Clark",
    ]
    readme = [row[0] for row in wb["Read me"].iter_rows(values_only=True)]
    assert any(
        str(line).startswith("  Influence (also: power): 1 (little) to 5") for line in readme
    )


def test_excel_without_findings_has_no_findings_sheet(small_map):
    wb = openpyxl.load_workbook(io.BytesIO(write_excel(small_map)))
    assert "Findings" not in wb.sheetnames


# --- Formula neutralisation ----------------------------------------------------------------

DANGEROUS = Map(
    name="M",
    stakeholders=(
        Stakeholder("a", '=HYPERLINK("http://evil","x")', notes="@SUM(1)"),
        Stakeholder("b", "-2+3+cmd|' /C calc'!A0", organisation="+44 20 7946"),
        Stakeholder("c", "-3"),
    ),
    relationships=(Relationship("r1", "a", "b", notes="=1+1"),),
)


def test_csv_output_neutralises_formulas():
    rows = _zip_member(write_csv_zip(DANGEROUS), "stakeholders.csv").splitlines()
    assert rows[1].startswith('a,"\'=HYPERLINK(""http://evil"",""x"")"')
    assert rows[1].endswith(",'@SUM(1)")
    assert rows[2].startswith("b,'-2+3+cmd|' /C calc'!A0,'+44 20 7946,")
    assert rows[3].startswith("c,-3,")
    ties = _zip_member(write_csv_zip(DANGEROUS), "relationships.csv").splitlines()
    assert ties[1].endswith(",'=1+1")


def test_excel_output_holds_no_formulas_and_quote_prefixes_formula_text():
    wb = openpyxl.load_workbook(io.BytesIO(write_excel(DANGEROUS)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    name = wb["Stakeholders"]["B2"]
    assert (name.value, name.data_type, name.quotePrefix) == (
        '=HYPERLINK("http://evil","x")',
        "s",
        True,
    )
    assert wb["Stakeholders"]["B4"].quotePrefix is False  # "-3" is a plain number
    assert wb["Relationships"]["K2"].quotePrefix is True


def test_excel_round_trip_keeps_formula_like_text_exactly():
    assert read_excel(write_excel(DANGEROUS)) == DANGEROUS


def test_reading_removes_the_apostrophe_that_neutralised_a_formula():
    m = read_csv_zip(write_csv_zip(DANGEROUS))
    assert [s.name for s in m.stakeholders] == [
        '=HYPERLINK("http://evil","x")',
        "-2+3+cmd|' /C calc'!A0",
        "-3",
    ]
    assert m == DANGEROUS


def test_writers_refuse_control_characters_xml_cannot_hold():
    m = Map(name="M", stakeholders=(Stakeholder("a", "Ann", notes="bell\x07"),))
    for write in (write_excel, write_csv_zip):
        with pytest.raises(FormatError, match="U\\+0007"):
            write(m)


# --- Templates ------------------------------------------------------------------------------


def test_template_excel_reads_as_an_empty_map_with_default_settings():
    m = read_excel(template_excel())
    assert (m.name, m.stakeholders, m.perspectives) == ("My map", (), DEFAULT_PERSPECTIVES)


def test_template_excel_offers_drop_down_lists_and_header_help():
    wb = openpyxl.load_workbook(io.BytesIO(template_excel()))
    ws = wb["Stakeholders"]
    rules = {str(rule.sqref): rule for rule in ws.data_validations.dataValidation}
    assert rules["E2:E2000"].formula1 == "=Map!$B$4:$B$11"
    assert [wb["Map"][f"B{n}"].value for n in (4, 11)] == ["clinical", "other"]
    assert rules["H2:H2000"].formula1 == '"champion,supporter,neutral,sceptic,opposed,unknown"'
    assert "whole" in {r.type for r in rules.values()}
    assert ws["F1"].comment.text.startswith("1 (little) to 5")
    assert "Read me" in wb.sheetnames


def test_template_csv_zip_has_headers_and_a_readme():
    data = template_csv_zip()
    assert _zip_member(data, "stakeholders.csv").splitlines() == [
        "ID,Name,Organisation,Role,Perspective,Influence,Interest,Stance,Coalition,Tags,"
        "Review by,Notes"
    ]
    assert "How we know (also: source of information)" in _zip_member(data, "README.txt")
    assert read_csv_zip(data).name == "My map"
