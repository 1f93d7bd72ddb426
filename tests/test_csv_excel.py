"""Tests for mapping.io.csv_excel: round trips, messy files, formulas, formatting, templates."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date

import openpyxl
import pytest

from mapping.analysis.findings import Finding, Severity
from mapping.errors import FormatError, ValidationError
from mapping.io.csv_excel import (
    read_csv_pair,
    read_csv_zip,
    read_excel,
    read_relationships_csv,
    read_stakeholders_csv,
    template_csv_zip,
    template_excel,
    write_csv_zip,
    write_excel,
    write_relationships_csv,
    write_stakeholders_csv,
)
from mapping.io.safety import Limits
from mapping.model import DEFAULT_PERSPECTIVES, Map, Relationship, Stakeholder


def rich_map() -> Map:
    """Every field filled in, custom fields that collide with column names, awkward text."""
    people = (
        Stakeholder(
            "s-1",
            "Zoë O'Neill",
            "NA",
            'Chair, "Carers" forum',
            "patient & carer",
            2,
            5,
            "champion",
            True,
            notes="Line one\nline two, with comma",
            tags=("carers", "a|b", "north"),
            review_by=date(2026, 3, 1),
            custom={"Name": "clash", "Phone": "001 234", "Team": "East"},
        ),
        Stakeholder(
            "s-2",
            "Dr Ravi Shah",
            "City PCN",
            "GP",
            "primary care network",
            4,
            3,
            "sceptic",
            False,
            custom={"Team": "North"},
        ),
        Stakeholder("007", "Ravi Shah", "", "", "other", 1, 1, "unknown", False),
    )
    ties = (
        Relationship(
            "r-1",
            "s-1",
            "s-2",
            "informal trust",
            5,
            directed=False,
            how_we_know="Seen at the forum",
            last_confirmed=date(2025, 12, 24),
            notes="Semi;colon",
            custom={"Channel": "email"},
        ),
        Relationship("r-2", "s-2", "007", "reports to", 2, directed=True),
    )
    return Map(
        name="Rich map",
        description="Everything, once",
        perspectives=(*DEFAULT_PERSPECTIVES, "primary care network"),
        relationship_types=("collaborates", "informal trust", "reports to", "conflict"),
        stakeholders=people,
        relationships=ties,
    )


def _zip_member(data: bytes, member: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(member).decode("utf-8-sig")


def _problems(excinfo: pytest.ExceptionInfo[ValidationError]) -> tuple[str, ...]:
    return excinfo.value.problems


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


def test_custom_fields_that_look_like_known_columns_are_prefixed():
    header = write_stakeholders_csv(rich_map()).decode("utf-8-sig").splitlines()[0]
    assert header.endswith(",custom.Name,Phone,Team")


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


def test_bad_numbers_name_row_column_and_allowed_range():
    data = b"Name,Influence,Interest\nAnn,6,3\nBo,2,high\nCy,2.5,1\n"
    with pytest.raises(ValidationError) as err:
        read_stakeholders_csv(data)
    assert _problems(err) == (
        "stakeholders.csv: Row 2, column Influence: '6' is not a whole number from 1 to 5; "
        "fix: write the influence as 1, 2, 3, 4 or 5 (blank means 3).",
        "stakeholders.csv: Row 3, column Interest: 'high' is not a whole number from 1 to 5; "
        "fix: write the interest as 1, 2, 3, 4 or 5 (blank means 3).",
        "stakeholders.csv: Row 4, column Influence: '2.5' is not a whole number from 1 to 5; "
        "fix: write the influence as 1, 2, 3, 4 or 5 (blank means 3).",
    )


def test_row_numbers_count_blank_lines_as_a_spreadsheet_does():
    with pytest.raises(ValidationError, match="Row 5, column Stance: 'maybe' is not a stance"):
        read_stakeholders_csv(b"Name,Stance\nAnn,\n\n\nBo,maybe\n")


def test_duplicated_names_are_listed_with_their_rows():
    with pytest.raises(ValidationError) as err:
        read_stakeholders_csv(b"Name\nAnn Clark\nBo\n ann clark \n")
    assert _problems(err) == (
        "stakeholders.csv: Rows 2 and 4, column Name: 'Ann Clark' appears 2 times; fix: merge "
        "them into one row, or give each an ID.",
    )


def test_ids_distinguish_people_with_the_same_name():
    m = read_stakeholders_csv(b"ID,Name\np1,Ann Clark\np2,Ann Clark\n")
    assert [s.id for s in m.stakeholders] == ["p1", "p2"]


def test_duplicated_ids_are_an_error():
    with pytest.raises(ValidationError, match="Rows 2 and 3, column ID: the ID 'p1' is used 2"):
        read_stakeholders_csv(b"ID,Name\np1,Ann\np1,Bo\n")


def test_unknown_perspective_names_the_row_and_the_allowed_values():
    with pytest.raises(ValidationError) as err:
        read_stakeholders_csv(b"Name,Perspective\nAnn,GP\n")
    (problem,) = _problems(err)
    assert problem.startswith(
        "stakeholders.csv: Row 2, column Perspective: 'GP' is not one of "
        "the map's perspectives (clinical, patient & carer,"
    )
    assert problem.endswith(
        "fix: use one of those, or import with 'add unknown perspectives' ticked."
    )


def test_unknown_perspectives_can_be_added_on_request():
    m = read_stakeholders_csv(b"Name,Perspective\nAnn,GP\nBo,gp\n", add_unknown_perspectives=True)
    assert m.perspectives[-1] == "GP"
    assert [s.perspective for s in m.stakeholders] == ["GP", "GP"]


def test_relationships_name_people_by_id_or_name_in_any_case():
    people = b"ID,Name\na,Ann Clark\nb,Bo Li\nc,Cy\n"
    ties = (
        b"Source,Target,Relationship,Trust,Direction\na, bo li ,Funds,4,one-way\nANN CLARK,c,,,\n"
    )
    m = read_csv_pair(people, ties)
    assert [(r.source, r.target, r.type, r.strength, r.directed) for r in m.relationships] == [
        ("a", "b", "funds", 4, True),
        ("a", "c", "collaborates", 3, False),
    ]


def test_relationships_naming_unknown_stakeholders_are_each_listed():
    people = b"Name\nAnn Clark\nBo Li\n"
    ties = b"From,To\nAnn Clark,Bo Li\nAnn Clarke,Bo Li\nAnn Clark,Xavier\n"
    with pytest.raises(ValidationError) as err:
        read_csv_pair(people, ties)
    assert _problems(err) == (
        "relationships.csv: Row 3, column From: no stakeholder called 'Ann Clarke'; fix: did "
        "you mean 'ann clark'? add them to the stakeholders first, or correct the name.",
        "relationships.csv: Row 4, column To: no stakeholder called 'Xavier'; fix: add them to "
        "the stakeholders first, or correct the name.",
    )


def test_ambiguous_names_in_relationships_ask_for_the_id():
    people = b"ID,Name\np1,Ann\np2,Ann\np3,Bo\n"
    with pytest.raises(ValidationError, match=r"'Ann' matches 2 stakeholders \(p1, p2\)"):
        read_csv_pair(people, b"From,To\nAnn,Bo\n")


def test_all_problems_of_both_files_come_together_and_nothing_is_returned():
    people = b"Name,Influence,Perspective\nAnn,9,clinical\n,3,other\nBo,2,martian\n"
    ties = b"From,To,Strength,Last confirmed\nAnn,Bo,0,yesterday\nAnn,Ann,3,\n"
    with pytest.raises(ValidationError) as err:
        read_csv_pair(people, ties)
    problems = _problems(err)
    assert [p.split(":")[0] + ":" + p.split(":")[1] for p in problems] == [
        "stakeholders.csv: Row 2, column Influence",
        "stakeholders.csv: Row 3, column Name",
        "stakeholders.csv: Row 4, column Perspective",
        "relationships.csv: Row 2, column Strength",
        "relationships.csv: Row 2, column Last confirmed",
        "relationships.csv: Row 3",
    ]
    assert "'yesterday' is not a date; fix: write it as YYYY-MM-DD" in problems[4]
    assert "cannot have a relationship with themselves" in problems[5]


def test_missing_name_column_says_which_columns_were_found():
    with pytest.raises(ValidationError, match=r"no Name column .*found Person, Org\)"):
        read_stakeholders_csv(b"Person,Org\nAnn,NHS\n")


def test_missing_from_and_to_columns_are_reported():
    people = read_stakeholders_csv(b"Name\nAnn\n")
    with pytest.raises(ValidationError, match="no From and To column"):
        read_relationships_csv(b"A,B\nx,y\n", people)


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


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_excel_sheets_are_found_in_any_case_and_cells_of_any_type_read():
    data = _workbook(
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
    data = _workbook({"Stakeholders": [[], ["Name", "Interest"], ["Ann", 7]]})
    with pytest.raises(ValidationError, match="sheet Stakeholders: Row 3, column Interest: '7'"):
        read_excel(data)


def test_workbook_without_a_stakeholders_sheet_is_refused():
    with pytest.raises(FormatError, match=r"no sheet called Stakeholders \(its sheets: People\)"):
        read_excel(_workbook({"People": [["Name"], ["Ann"]]}), "people.xlsx")


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(FormatError, match="not a valid zip archive"):
        read_excel(b"Name\nAnn\n", "people.xlsx")


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


def test_reading_keeps_the_apostrophe_that_neutralised_a_formula():
    m = read_csv_zip(write_csv_zip(DANGEROUS))
    assert [s.name for s in m.stakeholders] == [
        '\'=HYPERLINK("http://evil","x")',
        "'-2+3+cmd|' /C calc'!A0",
        "-3",
    ]


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


@pytest.mark.parametrize(
    ("header", "value", "field", "expected"),
    [
        ("Label", "Ann", "name", "Ann"),
        ("Organization", "NHS", "organisation", "NHS"),
        ("Org", "NHS", "organisation", "NHS"),
        ("Group", "clinical", "perspective", "clinical"),
        ("Power", "5", "influence", 5),
        ("INTEREST", "1", "interest", 1),
        ("Position", "opposed", "stance", "opposed"),
        ("Member", "y", "coalition", True),
        ("Description", "note", "notes", "note"),
        ("tags", "a|b", "tags", ("a", "b")),
        ("Review_by", "2026-01-02", "review_by", date(2026, 1, 2)),
        ("Influence (1-5)", "2", "influence", 2),
    ],
)
def test_stakeholder_column_synonyms(header, value, field, expected):
    name = "" if field == "name" else "Name,"
    row = "" if field == "name" else "Zed,"
    data = f"{name}{header}\n{row}{value}\n".encode()
    got = getattr(read_stakeholders_csv(data).stakeholders[0], field)
    assert (got.value if field == "stance" else got) == expected


def test_excel_row_limit_counts_only_filled_rows():
    rows: list[list[object]] = [["Name"], *([f"P{i}"] for i in range(12))]
    data = _workbook({"Stakeholders": rows})
    with pytest.raises(FormatError, match="sheet Stakeholders has more than 10 rows"):
        read_excel(data, limits=Limits(max_rows=10))
    assert len(read_excel(data, limits=Limits(max_rows=12)).stakeholders) == 12


def test_blank_perspective_needs_other_in_the_map():
    data = b"Name,Perspective\nAnn,\n"
    assert read_stakeholders_csv(data).stakeholders[0].perspective == "other"
    with pytest.raises(ValidationError, match="blank and this map has no 'other' perspective"):
        read_stakeholders_csv(data, perspectives=("clinical",))
