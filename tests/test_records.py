"""Tests for mapping.io.records: every problem named with its row and column, ids, endpoints."""

from __future__ import annotations

import pytest

from mapping.errors import ValidationError
from mapping.io.tabular_read import read_csv_pair, read_relationships_csv, read_stakeholders_csv


def _problems(excinfo: pytest.ExceptionInfo[ValidationError]) -> tuple[str, ...]:
    return excinfo.value.problems


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
        "fix: match each to one of the map's perspectives or add it as new (in the matching "
        "step of the import page; on the command line, --match 'perspective:VALUE=PERSPECTIVE' "
        "or --add-unknown-perspectives)."
    )


def test_many_unknown_perspectives_are_one_problem_naming_the_first_few():
    rows = "".join(f"Person {i},Agency {chr(65 + i % 11)}\n" for i in range(40))
    with pytest.raises(ValidationError) as err:
        read_stakeholders_csv(("Name,Perspective\n" + rows).encode())
    (problem,) = _problems(err)
    assert "'Agency A' and 10 other perspectives are not among the map's" in problem
    assert "'Agency A' (Rows 2, 13, 24 and 35), 'Agency B' (Rows 3, 14, 25 and 36)" in problem
    assert "and 8 more" in problem and "28 more" in problem
    assert len(problem) < 1000


def test_unknown_perspectives_can_be_added_on_request():
    m = read_stakeholders_csv(b"Name,Perspective\nAnn,GP\nBo,gp\n", add_unknown_perspectives=True)
    assert m.perspectives[-1] == "GP"
    assert [s.perspective for s in m.stakeholders] == ["GP", "GP"]


def test_blank_perspective_needs_other_in_the_map():
    data = b"Name,Perspective\nAnn,\n"
    assert read_stakeholders_csv(data).stakeholders[0].perspective == "other"
    with pytest.raises(ValidationError, match="blank and this map has no 'other' perspective"):
        read_stakeholders_csv(data, perspectives=("clinical",))


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
    with pytest.raises(ValidationError, match=r"no Name column .*found Who, Org\)"):
        read_stakeholders_csv(b"Who,Org\nAnn,NHS\n")


def test_missing_from_and_to_columns_are_reported():
    people = read_stakeholders_csv(b"Name\nAnn\n")
    with pytest.raises(ValidationError, match="no From and To column"):
        read_relationships_csv(b"A,B\nx,y\n", people)
