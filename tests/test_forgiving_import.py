"""Forgiving imports: files as people have them, matched by meaning, read row by row."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import openpyxl
import pytest

from mapping.cli import main
from mapping.demo.sample import load_sample
from mapping.errors import FormatError, ValidationError
from mapping.io import formats, matching, project_json
from mapping.io.tabular_import import (
    ADDED_TAG,
    find_unknowns,
    gather,
    read_tables,
    refused_files,
    vocabulary,
)
from mapping.model import DEFAULT_PERSPECTIVES, DEFAULT_RELATIONSHIP_TYPES
from tests.conftest import workbook

TODAY = date(2026, 3, 2)


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# --- relationships alone --------------------------------------------------------------------


def test_a_relationships_only_csv_makes_its_people_marked_for_review():
    data = b"FROM,TO,Strength (1-5),Type\nAnn Clark,Bo Dee,4,funds\nbo dee,Cy Eve,,\n"
    m = read_tables(gather([("links.csv", data)]), today=TODAY).map
    assert [s.name for s in m.stakeholders] == ["Ann Clark", "Bo Dee", "Cy Eve"]
    assert {s.tags for s in m.stakeholders} == {(ADDED_TAG,)}
    assert {s.review_by for s in m.stakeholders} == {TODAY}
    names = m.names()
    assert [(names[r.source], names[r.target], r.strength, r.type) for r in m.relationships] == [
        ("Ann Clark", "Bo Dee", 4, "funds"),
        ("Bo Dee", "Cy Eve", 3, "collaborates"),
    ]
    assert m.name == "links"


def test_read_file_and_the_cli_read_a_relationships_only_csv(tmp_path, capsys):
    data = b"Source;Target;Weight\nAnn;Bo;2\n"
    m = formats.read_file("ties.csv", data)
    assert len(m.stakeholders) == 2 and m.relationships[0].strength == 2
    (tmp_path / "ties.csv").write_bytes(data)
    out = tmp_path / "ties.json"
    assert main(["convert", str(tmp_path / "ties.csv"), str(out)]) == 0
    assert len(project_json.loads(out.read_bytes()).relationships) == 1


# --- sheets and files by meaning ------------------------------------------------------------


def test_a_people_and_links_workbook_imports():
    data = workbook(
        {
            "People": [["Full name", "Sector", "Power"], ["Ann", "clinical", 4], ["Bo", "", 2]],
            "Links": [["Source", "Target", "Strength (1-5)", "Label"], ["Ann", "Bo", 5, "advises"]],
            "Notes": [["Anything"], ["kept out"]],
        }
    )
    tables = gather([("team.xlsx", data)])
    assert tables.notes == [
        "The sheet 'Notes' was not read: it has no Name column and no From and To columns."
    ]
    m = read_tables(tables).map
    assert [(s.name, s.perspective, s.influence) for s in m.stakeholders] == [
        ("Ann", "clinical", 4),
        ("Bo", "other", 2),
    ]
    assert [(r.strength, r.type) for r in m.relationships] == [(5, "advises")]
    assert m.name == "team"
    assert formats.read_file("team.xlsx", data) == m


def test_a_workbook_with_no_sheet_of_people_or_links_names_the_template():
    with pytest.raises(FormatError, match=r"its sheets: Budget.*templates on the Import tab"):
        gather([("budget.xlsx", workbook({"Budget": [["Item", "Cost"], ["x", 1]]}))])


def test_several_csv_files_make_one_map_as_their_zip_does():
    files = [
        ("links.csv", b"From,To\nAnn,Bo\n"),
        ("people.csv", b"Name,Influence\nAnn,5\nBo,1\n"),
        ("settings.csv", b"Field,Value\nName,Team map\nPerspective,clinical\nPerspective,other\n"),
    ]
    m = read_tables(gather(files)).map
    assert (m.name, m.perspectives) == ("Team map", ("clinical", "other"))
    assert [s.influence for s in m.stakeholders] == [5, 1]
    assert len(m.relationships) == 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files:
            archive.writestr(f"folder/{name}", data)
    assert read_tables(gather([("folder.zip", out.getvalue())])).map == m


def test_a_file_that_is_neither_people_nor_links_says_which_columns_it_wants():
    with pytest.raises(FormatError, match=r"budget.csv: no Name column, and no From and To"):
        gather([("people.csv", b"Name\nAnn\n"), ("budget.csv", b"Item,Cost\nx,1\n")])


# --- values the app does not know -------------------------------------------------------------


PEOPLE = (
    b"Name,Perspective,Stance,Coalition\n"
    b"Ann,Social care,Ally,Y\n"
    b"Bo,Voluntary sector,supporter,\xe2\x9c\x93\n"
    b"Cy,social  care,ally,core\n"
    b"Di,Agency A,,\n"
)


def test_unknown_values_are_listed_with_their_rows_and_a_suggestion():
    tables = gather([("people.csv", PEOPLE)])
    unknown = find_unknowns(tables, DEFAULT_PERSPECTIVES, DEFAULT_RELATIONSHIP_TYPES)
    assert [(u.kind, u.value, u.rows, u.suggestion) for u in unknown] == [
        ("perspective", "Social care", 2, "local authority & social care"),
        ("perspective", "Voluntary sector", 1, "voluntary & community sector"),
        ("perspective", "Agency A", 1, matching.ADD),
        ("stance", "Ally", 2, "supporter"),
        ("coalition", "core", 1, "yes"),
    ]
    with pytest.raises(ValidationError):
        read_tables(tables)


def test_unknown_values_are_read_as_chosen_and_the_choices_remembered():
    tables = gather([("people.csv", PEOPLE)])
    unknown = find_unknowns(tables, *vocabulary(tables))
    choices = {u.kind: {} for u in unknown}
    for u in unknown:
        choices[u.kind][u.key] = u.suggestion or matching.BLANK
    choices["coalition"]["core"] = "no"
    m = read_tables(tables, choices=choices).map
    assert [(s.perspective, s.stance.value, s.coalition) for s in m.stakeholders] == [
        ("local authority & social care", "supporter", True),
        ("voluntary & community sector", "supporter", True),
        ("local authority & social care", "supporter", False),
        ("Agency A", "unknown", False),
    ]
    # a new map keeps the defaults it uses and the file's own perspective
    assert m.perspectives == (
        "local authority & social care",
        "voluntary & community sector",
        "Agency A",
    )
    shape = matching.shape_key(tables.all_headers(), unknown)
    memory = matching.remember({}, shape, choices)
    again = gather([("people-2.csv", PEOPLE.replace(b"Ann", b"Ann Clark"))])
    again_unknown = find_unknowns(again, *vocabulary(again))
    assert matching.shape_key(again.all_headers(), again_unknown) == shape
    assert matching.remembered(memory, shape) == choices
    other = gather([("people.csv", PEOPLE + b"Ed,Agency B,,\n")])
    other_shape = matching.shape_key(other.all_headers(), find_unknowns(other, *vocabulary(other)))
    assert other_shape != shape and matching.remembered(memory, other_shape) == {}


def test_relationship_types_and_directions_can_be_matched():
    data = b"From,To,Type,Direction\nAnn,Bo,Partnership,arrow\nBo,Cy,Grant,sometimes\n"
    tables = gather([("links.csv", data)])
    unknown = find_unknowns(tables, *vocabulary(tables))
    assert [(u.kind, u.value, u.suggestion) for u in unknown] == [
        ("type", "Partnership", "collaborates"),
        ("type", "Grant", "funds"),
        ("directed", "arrow", "yes"),
        ("directed", "sometimes", None),
    ]
    choices = {
        "type": {"partnership": "collaborates", "grant": matching.ADD},
        "directed": {"arrow": "yes", "sometimes": matching.BLANK},
    }
    m = read_tables(tables, choices=choices, today=TODAY).map
    assert [(r.type, r.directed) for r in m.relationships] == [
        ("collaborates", True),
        ("grant", False),
    ]


# --- partial imports ------------------------------------------------------------------------


BAD_PEOPLE = b"Name,Influence,Review by\nAnn,4,\nBo,high,\n,2,\nCy,3,yesterday\nDi,5,2026-05-01\n"
BAD_LINKS = b"From,To,Strength\nAnn,Di,5\nAnn,Bo,4\nDi,Zed,3\nDi,Ann,9\n"


def test_the_good_rows_are_read_and_the_bad_ones_returned_exactly():
    tables = gather([("people.csv", BAD_PEOPLE), ("links.csv", BAD_LINKS)])
    with pytest.raises(ValidationError):
        read_tables(tables)
    outcome = read_tables(tables, skip_bad_rows=True)
    m = outcome.map
    assert [s.name for s in m.stakeholders] == ["Ann", "Di"]
    assert [(m.names()[r.source], m.names()[r.target]) for r in m.relationships] == [("Ann", "Di")]
    refused = [(r.record.source, r.record.label, dict(r.record.values)) for r in outcome.refused]
    assert refused == [
        ("people.csv", "Row 3", {"Name": "Bo", "Influence": "high", "Review by": ""}),
        ("people.csv", "Row 4", {"Name": "", "Influence": "2", "Review by": ""}),
        ("people.csv", "Row 5", {"Name": "Cy", "Influence": "3", "Review by": "yesterday"}),
        ("links.csv", "Row 3", {"From": "Ann", "To": "Bo", "Strength": "4"}),
        ("links.csv", "Row 4", {"From": "Di", "To": "Zed", "Strength": "3"}),
        ("links.csv", "Row 5", {"From": "Di", "To": "Ann", "Strength": "9"}),
    ]
    problems = [r.problem for r in outcome.refused]
    assert problems[0].startswith("column Influence: 'high' is not a whole number from 1 to 5")
    assert problems[1].startswith("column Name: the name is empty")
    assert problems[2].startswith("column Review by: 'yesterday' is not a date")
    assert problems[3] == (
        "column To: 'Bo' is left out of the import (people.csv, Row 3 has a problem); fix: "
        "correct that stakeholder's row, then import this relationship again."
    )
    assert problems[4].startswith("column To: no stakeholder called 'Zed'")
    assert problems[5].startswith("column Strength: '9' is not a whole number")

    files = dict(refused_files(tables, outcome.refused))
    assert _csv(files["people-refused.csv"].decode("utf-8-sig")) == [
        ["Name", "Influence", "Review by", "Problem to fix"],
        ["Bo", "high", "", problems[0]],
        ["", "2", "", problems[1]],
        ["Cy", "3", "yesterday", problems[2]],
    ]
    assert _csv(files["links-refused.csv"].decode("utf-8-sig"))[1] == [
        "Ann",
        "Bo",
        "4",
        problems[3],
    ]


def test_a_fixed_file_of_refused_rows_imports_without_its_problem_column():
    tables = gather([("people.csv", BAD_PEOPLE), ("links.csv", BAD_LINKS)])
    files = dict(refused_files(tables, read_tables(tables, skip_bad_rows=True).refused))
    text = files["people-refused.csv"].decode("utf-8-sig")
    fixed = (
        text.replace("Bo,high,", "Bo,4,")
        .replace("\n,2,", "\nEd,2,")
        .replace("Cy,3,yesterday", "Cy,3,2026-04-01")
    )
    m = read_tables(gather([("people-refused.csv", fixed.encode("utf-8"))])).map
    assert [s.name for s in m.stakeholders] == ["Bo", "Ed", "Cy"]
    assert all(s.custom == {} for s in m.stakeholders)


def test_a_wholly_bad_file_reads_no_rows_and_a_missing_column_still_refuses():
    outcome = read_tables(gather([("p.csv", b"Name,Interest\nAnn,7\nBo,0\n")]), skip_bad_rows=True)
    assert outcome.map.stakeholders == () and len(outcome.refused) == 2
    people = gather([("team.xlsx", workbook({"People": [["Who"], ["Ann"]]}))])
    with pytest.raises(ValidationError, match="sheet People: no Name column"):
        read_tables(people, skip_bad_rows=True)


def test_the_cli_skips_bad_rows_into_a_file_and_takes_matches(tmp_path, capsys):
    table = tmp_path / "people.csv"
    table.write_bytes(PEOPLE + b"Ed,clinical,,maybe\n")
    out, refused = tmp_path / "people.json", tmp_path / "refused.csv"
    assert main(["convert", str(table), str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "stance 'Ally' (2 rows), coalition 'core' (1 row), coalition 'maybe' (1 row)" in err
    assert "--match 'stance:Ally=supporter'" in err
    matches = [
        "--match",
        "stance:ally=supporter",
        "--match",
        "coalition:core=yes",
        "--match",
        "coalition:maybe=",
        "--match",
        "perspective:Social care=local authority & social care",
    ]
    args = ["convert", str(table), str(out), *matches, "--skip-bad-rows", str(refused)]
    assert main(args) == 0
    m = project_json.loads(out.read_bytes())
    assert [s.name for s in m.stakeholders] == ["Ann", "Cy", "Ed"]
    rows = _csv(refused.read_text(encoding="utf-8-sig"))
    assert [r[0] for r in rows] == ["Name", "Bo", "Di"]
    assert "Left out 2 rows with problems" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["convert", str(table), str(out), "--match", "colour:red=blue"])
    assert "'colour' is not a kind of value that can be matched" in capsys.readouterr().err


# --- a new map's vocabulary ----------------------------------------------------------------


def test_a_new_maps_vocabulary_never_comes_from_the_selected_map():
    rows = "".join(f"Person {i},Agency {chr(65 + i % 11)}\n" for i in range(40))
    tables = gather([("agencies.csv", ("Name,Perspective\n" + rows).encode())])
    sample = load_sample()
    assert vocabulary(tables) == (DEFAULT_PERSPECTIVES, DEFAULT_RELATIONSHIP_TYPES)
    new = read_tables(tables, add_unknown_perspectives=True).map
    assert new.perspectives == tuple(f"Agency {chr(65 + i)}" for i in range(11))
    merged = read_tables(tables, into=sample, add_unknown_perspectives=True).map
    assert merged.perspectives[: len(sample.perspectives)] == sample.perspectives
    assert (
        formats.read_file("agencies.csv", tables_bytes(rows), add_unknown_perspectives=True) == new
    )


def tables_bytes(rows: str) -> bytes:
    return ("Name,Perspective\n" + rows).encode()


def test_a_relationships_only_file_merged_into_a_map_names_its_people():
    from mapping.changes.merge import apply_import, plan_import

    sample = load_sample()
    ann, bo = sample.stakeholders[0], sample.stakeholders[1]
    data = f"From,To\n{ann.name.upper()},{bo.name}\n{bo.name},New Person\n".encode()
    incoming = read_tables(gather([("links.csv", data)]), into=sample, today=TODAY).map
    plan = plan_import(sample, incoming)
    merged = apply_import(sample, plan)
    assert merged.stakeholders[:2] == (ann, bo), "the map's people are left as they were"
    [made] = [s for s in merged.stakeholders if s.name == "New Person"]
    assert (made.tags, made.review_by) == ((ADDED_TAG,), TODAY)
    assert len(merged.relationships) == len(sample.relationships) + 2


def test_the_templates_are_read_by_meaning_and_their_columns_are_those_errors_name():
    from mapping.io.tabular_write import template_csv_zip, template_excel

    for name, data in (("t.xlsx", template_excel()), ("t.zip", template_csv_zip())):
        tables = gather([(name, data)])
        m = read_tables(tables).map
        assert (m.stakeholders, m.perspectives) == ((), DEFAULT_PERSPECTIVES)
    book = openpyxl.load_workbook(io.BytesIO(template_excel()), read_only=True)
    people = [c.value for c in next(book["Stakeholders"].iter_rows(max_row=1))]
    links = [c.value for c in next(book["Relationships"].iter_rows(max_row=1))]
    assert "Name" in people and {"From", "To"} <= set(links)
    with pytest.raises(FormatError, match="call the column of stakeholder names 'Name'"):
        gather([("who.csv", b"Who\nAnn\n")])


def test_a_zip_reads_the_csv_files_it_recognises_and_notes_the_others():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("people.csv", "Name\nAnn\n")
        archive.writestr("budget.csv", "Item,Cost\nx,1\n")
    tables = gather([("map.zip", out.getvalue())])
    assert tables.notes == [
        "budget.csv was not read: it has no Name column and no From and To columns."
    ]
    assert [s.name for s in read_tables(tables).map.stakeholders] == ["Ann"]
    only = io.BytesIO()
    with zipfile.ZipFile(only, "w") as archive:
        archive.writestr("budget.csv", "Item,Cost\nx,1\n")
    with pytest.raises(FormatError, match=r"map.zip holds no CSV file of people or relationships"):
        gather([("map.zip", only.getvalue())])


def test_values_the_app_already_reads_are_not_listed():
    data = b"Name,Stance,Coalition\nAnn,Skeptic,\xe2\x9c\x93\nBo,CHAMPION,x\nCy,,true\n"
    tables = gather([("p.csv", data)])
    assert find_unknowns(tables, *vocabulary(tables)) == []
    assert [s.stance.value for s in read_tables(tables).map.stakeholders] == [
        "sceptic",
        "champion",
        "unknown",
    ]


def test_files_without_a_row_to_import_are_refused():
    for data in (b"Name,Influence\n", b""):
        with pytest.raises(FormatError, match="no rows of people or relationships to import"):
            gather([("empty.csv", data)])
