"""Kumu import and export: Kumu's own published files, field mapping, errors and round trips."""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import replace
from datetime import date

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapping.errors import FormatError, ValidationError
from mapping.io.kumu import (
    KumuFields,
    import_kumu,
    inspect_kumu,
    read_kumu,
    write_kumu_json,
    write_kumu_xlsx,
)
from mapping.io.safety import Limits
from mapping.model import DEFAULT_PERSPECTIVES, Map, Relationship, Stakeholder


def fixture(shared_dir, name: str) -> bytes:
    return (shared_dir / "fixtures" / "kumu" / name).read_bytes()


def workbook(**sheets: list[list[object]]) -> bytes:
    """An .xlsx file with these sheets (sheet name -> rows); ``_`` in a name is a space."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title.replace("_", " "))
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def label_pairs(m: Map) -> Counter:
    names = m.names()
    return Counter((names[r.source], names[r.target]) for r in m.relationships)


def by_name(m: Map) -> dict[str, Stakeholder]:
    return {s.name: s for s in m.stakeholders}


# -- Kumu's published files -------------------------------------------------------------------


def test_paypal_workbook_imports_all_34_elements_and_49_connections(shared_dir):
    result = import_kumu("paypal-mafia.xlsx", fixture(shared_dir, "paypal-mafia.xlsx"))
    m = result.map
    assert (len(m.stakeholders), len(m.relationships)) == (34, 49)
    assert (result.element_rows, result.connection_rows, result.connections) == (34, 49, 49)
    assert (result.merged_elements, result.duplicate_connections, result.self_connections) == (
        0,
        0,
        0,
    )
    assert m.name == "paypal-mafia"
    assert Counter(s.perspective for s in m.stakeholders) == {"Person": 17, "Company": 17}
    assert m.perspectives == (*DEFAULT_PERSPECTIVES, "Person", "Company")
    assert Counter(r.type for r in m.relationships) == {"employee/founder": 40, "investor": 9}
    assert m.relationship_types[-2:] == ("employee/founder", "investor")


def test_paypal_fields_become_notes_tags_custom_fields_and_influence(shared_dir):
    m = read_kumu("paypal-mafia.xlsx", fixture(shared_dir, "paypal-mafia.xlsx"))
    reid = by_name(m)["Reid Hoffman"]
    assert reid.influence == 4  # Kumu's "Influence: High"
    assert reid.tags == ("PayPal-Mafia", "VC", "Tech")
    assert reid.custom["Board Affiliations"] == "LinkedIn|Kiva"
    assert reid.custom["Net Worth (Billions)"] == "4.4"
    assert reid.custom["Region"] == "USA|Canada|South Africa"
    roelof = by_name(m)["Roelof Botha"]
    assert roelof.notes.startswith("Roelof Botha is a partner at Sequoia Capital")
    assert (roelof.stance.value, roelof.interest, roelof.coalition) == ("unknown", 3, False)
    names = m.names()
    keith_slide = sorted(
        r.type
        for r in m.relationships
        if (names[r.source], names[r.target]) == ("Keith Rabois", "Slide")
    )
    assert keith_slide == ["employee/founder", "investor"]
    (hoffman_linkedin,) = [
        r
        for r in m.relationships
        if (names[r.source], names[r.target]) == ("Reid Hoffman", "LinkedIn")
    ]
    assert hoffman_linkedin.notes.startswith("Hoffman co-founded LinkedIn")
    assert hoffman_linkedin.custom == {"Tags": "Co-Founder"}
    assert all(r.strength == 3 and not r.directed for r in m.relationships)


def test_snap_workbook_accounts_for_all_113_connection_rows(shared_dir):
    result = import_kumu("snap.xlsx", fixture(shared_dir, "snap-to-tutorial-data.xlsx"))
    assert len(result.map.stakeholders) == 51
    assert (result.connection_rows, result.connections) == (113, 113)
    assert (len(result.map.relationships), result.duplicate_connections) == (109, 4)
    (note,) = [n for n in result.notes if n.startswith("4 duplicate connections between")]
    for later, earlier in ((26, 7), (89, 36), (96, 44), (113, 57)):
        assert f"Sheet 'Connections' row {later} repeats row {earlier}" in note
    assert max(label_pairs(result.map).values()) == 1


def test_snap_workbook_keeps_repeated_rows_when_asked_as_kumu_does(shared_dir):
    fields = KumuFields(duplicates="keep")
    result = import_kumu("snap.xlsx", fixture(shared_dir, "snap-to-tutorial-data.xlsx"), fields)
    assert (len(result.map.relationships), result.duplicate_connections) == (113, 0)
    assert len({r.id for r in result.map.relationships}) == 113
    assert label_pairs(result.map)[("Idaho", "Utah")] == 2


def test_snap_project_export_gives_the_same_map_as_its_workbook(shared_dir):
    sheet = read_kumu("snap.xlsx", fixture(shared_dir, "snap-to-tutorial-data.xlsx"))
    result = import_kumu("snap.json", fixture(shared_dir, "snap-to-tutorial-project.json"))
    project = result.map
    assert project.name == "US State Population Growth"
    assert (result.element_rows, result.connection_rows) == (51, 113)
    assert (len(project.relationships), result.duplicate_connections) == (109, 4)
    assert label_pairs(project) == label_pairs(sheet)
    assert {s.name: s.custom for s in project.stakeholders} == {
        s.name: s.custom for s in sheet.stakeholders
    }
    assert by_name(project)["New York"].custom["Region"] == "Northeast"
    assert by_name(project)["New York"].id == "elem-0UuWEP00"
    assert set(project.positions) == {s.id for s in project.stakeholders}
    assert project.positions["elem-0UuWEP00"] == pytest.approx((-125.4311, -1099.5273))


def test_changelabs_project_export_keeps_types_directions_and_fields(shared_dir):
    result = import_kumu("cl.json", fixture(shared_dir, "kumu-changelabs-template.json"))
    m = result.map
    assert (m.name, len(m.stakeholders), len(m.relationships)) == ("ChangeLabs", 10, 11)
    assert Counter(r.type for r in m.relationships) == {"collaborates": 6, "+": 3, "-": 2}
    assert all(r.directed for r in m.relationships)
    assert Counter(s.perspective for s in m.stakeholders) == {
        "Interviewee": 3,
        "Stakeholder": 2,
        "Phenomenon": 2,
        "Desired Outcome": 1,
        "Current Outcome": 1,
        "Resource": 1,
    }
    funding = next(r for r in m.relationships if r.id == "conn-3FYGqEnD")
    assert funding.custom == {"Value Flows": "Funding", "Power Score": "8"}
    assert by_name(m)["Phenomenon B"].custom == {
        "Type of Leverage": "1. The paradigm or mindset of the system"
    }
    assert len(m.positions) == 5  # the elements placed on its default map
    assert any("6 connection rows have no Type" in n for n in result.notes)


def test_unknown_kumu_types_can_go_to_other_instead_of_new_perspectives(shared_dir):
    fields = KumuFields(unknown_perspectives="other")
    m = read_kumu("cl.json", fixture(shared_dir, "kumu-changelabs-template.json"), fields)
    assert m.perspectives == DEFAULT_PERSPECTIVES
    assert {s.perspective for s in m.stakeholders} == {"other"}


def test_inspect_previews_fields_counts_and_suggested_mapping(shared_dir):
    preview = inspect_kumu("paypal-mafia.xlsx", fixture(shared_dir, "paypal-mafia.xlsx"))
    assert preview.layout == "xlsx"
    assert (preview.element_rows, preview.connection_rows) == (34, 49)
    assert preview.tables == (
        "Sheet 'Elements': 34 element rows",
        "Sheet 'Connections': 49 connection rows",
    )
    fields = {f.name: f for f in preview.element_fields}
    assert list(fields)[:4] == ["Label", "Type", "Tags", "Description"]
    assert (fields["Type"].filled, fields["Type"].distinct) == (34, 2)
    assert set(fields["Type"].values) == {"Person", "Company"}
    assert (fields["Influence"].filled, fields["Influence"].values) == (1, ("High",))
    assert "Email" in fields and fields["Email"].filled == 0
    assert [f.name for f in preview.connection_fields][:4] == ["From", "To", "Label", "Type"]
    assert preview.suggested.perspective == "Type"
    assert preview.suggested.influence == "Influence"
    assert preview.suggested.stance == "" and preview.suggested.strength == ""
    assert preview.problems == ()


def test_inspect_recognises_project_exports(shared_dir):
    preview = inspect_kumu("snap.json", fixture(shared_dir, "snap-to-tutorial-project.json"))
    assert (preview.layout, preview.element_rows, preview.connection_rows) == ("project", 51, 113)
    region = next(f for f in preview.element_fields if f.name == "Region")
    assert (region.distinct, set(region.values)) == (4, {"Midwest", "Northeast", "South", "West"})


def test_fixture_survives_a_round_trip_through_our_kumu_workbook(shared_dir):
    first = read_kumu("paypal-mafia.xlsx", fixture(shared_dir, "paypal-mafia.xlsx"))
    again = read_kumu("paypal-mafia.xlsx", write_kumu_xlsx(first))
    assert again == first


# -- field mapping ----------------------------------------------------------------------------


def test_perspective_field_wins_over_type_and_value_maps_apply():
    data = b"Label,Type,Perspective,Stance\nAnn,Person,GP,Ally\nBo,Person,Council,against\n"
    preview = inspect_kumu("people.csv", data)
    assert preview.suggested.perspective == "Perspective"
    m = read_kumu("people.csv", data)
    ann, bo = by_name(m)["Ann"], by_name(m)["Bo"]
    assert (ann.perspective, bo.perspective) == ("clinical", "local authority & social care")
    assert (ann.stance.value, bo.stance.value) == ("supporter", "opposed")
    assert ann.custom == {"Type": "Person"}
    fields = KumuFields(value_maps={"perspective": {"Person": "patient & carer"}})
    m = read_kumu("people.csv", data, fields)
    assert {s.perspective for s in m.stakeholders} == {"patient & carer"}
    assert by_name(m)["Ann"].custom == {"Perspective": "GP"}


def test_numbers_outside_one_to_five_are_rescaled_by_the_files_range():
    data = b"From,To,Strength\nA,B,0\nB,C,5\nC,D,10\nD,E\n"
    result = import_kumu("ties.csv", data)
    assert [r.strength for r in result.map.relationships] == [1, 3, 5, 3]
    assert any("rescaled onto 1-5 (0 → 1, 10 → 5)" in n for n in result.notes)
    clipped = read_kumu("ties.csv", data, KumuFields(scale="clip"))
    assert [r.strength for r in clipped.relationships] == [1, 5, 5, 3]


def test_strength_words_and_value_maps_become_levels():
    data = b"From,To,Strength\nA,B,Strong\nB,C,It's complicated\nC,D,weak\n"
    result = import_kumu("ties.csv", data)
    assert [r.strength for r in result.map.relationships] == [4, 3, 2]
    assert any("It's complicated" in n for n in result.notes)
    fields = KumuFields(value_maps={"strength": {"it's complicated": "1"}})
    assert [r.strength for r in read_kumu("t.csv", data, fields).relationships] == [4, 1, 2]


def test_stance_coalition_dates_and_directions_are_read():
    elements = [
        ["Label", "Stance", "Coalition", "Review By", "Influence"],
        ["Ann", "Champion", "yes", date(2026, 3, 1), 5],
        ["Bo", "meh", "maybe", "31/01/2026", 2.6],
    ]
    connections = [
        ["From", "To", "Direction", "Last Confirmed"],
        ["Ann", "Bo", "directed", "2026-02-01"],
        ["Bo", "Ann", "Mutual", ""],
        ["Ann", "Bo", "undirected", "not yet"],
    ]
    result = import_kumu("m.xlsx", workbook(Elements=elements, Connections=connections))
    ann, bo = by_name(result.map)["Ann"], by_name(result.map)["Bo"]
    assert (ann.stance.value, ann.coalition, ann.review_by, ann.influence) == (
        "champion",
        True,
        date(2026, 3, 1),
        5,
    )
    assert (bo.stance.value, bo.coalition, bo.review_by, bo.influence) == (
        "unknown",
        False,
        date(2026, 1, 31),
        3,
    )
    ties = result.map.relationships
    assert [r.directed for r in ties] == [True, False, False]
    assert [r.last_confirmed for r in ties] == [date(2026, 2, 1), None, None]
    notes = " ".join(result.notes)
    assert "'meh'" in notes and "'maybe'" in notes and "'not yet'" in notes


def test_pipes_in_from_and_to_make_one_connection_per_pair():
    elements = [["Label"], ["A"], ["B"], ["C"], ["D"]]
    connections = [["From", "To", "Type"], ["A|B", "C | D", "Funds"]]
    result = import_kumu("m.xlsx", workbook(Elements=elements, Connections=connections))
    assert (result.connection_rows, result.connections) == (1, 4)
    assert set(label_pairs(result.map)) == {("A", "C"), ("A", "D"), ("B", "C"), ("B", "D")}
    assert {r.type for r in result.map.relationships} == {"funds"}


def test_repeated_labels_merge_unless_types_differ_and_ids_tell_people_apart():
    elements = [
        ["Label", "Type", "Description"],
        ["Pipeline", "Head high", "first"],
        ["Pipeline", "Double overhead", ""],
        ["Pipeline", "Head high", "second"],
    ]
    result = import_kumu("waves.xlsx", workbook(Elements=elements))
    assert (len(result.map.stakeholders), result.merged_elements) == (2, 1)
    assert [s.notes for s in result.map.stakeholders] == ["second", ""]
    ambiguous = workbook(Elements=elements, Connections=[["From", "To"], ["Pipeline", "X"]])
    with pytest.raises(ValidationError, match=r"row 2: From 'Pipeline' matches 2 elements.*ID"):
        read_kumu("w.xlsx", ambiguous)
    with_ids = [["ID", "Label"], ["p1", "Ann Clark"], ["p2", "Ann Clark"]]
    m = read_kumu(
        "ids.xlsx", workbook(Elements=with_ids, Connections=[["From", "To"], ["p1", "p2"]])
    )
    assert [s.id for s in m.stakeholders] == ["p1", "p2"]
    assert (m.relationships[0].source, m.relationships[0].target) == ("p1", "p2")


def test_connections_without_elements_create_the_elements_they_name():
    result = import_kumu("ties.csv", b"From,To\nAnn,Bo\nBo,Cy|Ann\nAnn,Ann\n")
    assert sorted(s.name for s in result.map.stakeholders) == ["Ann", "Bo", "Cy"]
    assert (result.connections, result.self_connections, len(result.map.relationships)) == (
        4,
        1,
        3,
    )


def test_messy_csv_with_bom_semicolons_blank_rows_and_spaces():
    text = "\ufeffLabel ; Type ;Tags\r\n\r\n Café Nord ; GP ; a | b \r\n;;\r\nBo;;\r\n"
    m = read_kumu("people.csv", text.encode("utf-8"))
    cafe = by_name(m)["Café Nord"]
    assert (cafe.perspective, cafe.tags) == ("clinical", ("a", "b"))
    assert by_name(m)["Bo"].perspective == "other"
    cp1252 = read_kumu("people.csv", "Label,Type\nCafé,Clinical\n".encode("cp1252"))
    assert by_name(cp1252)["Café"].perspective == "clinical"


def test_ignored_and_unrecognised_sheets_are_skipped_with_a_note():
    data = workbook(
        **{
            "Elements": [["Label"], ["Ann"]],
            "Notes_(ignore)": [["x"]],
            "Summary": [["Total", 1]],
            "Loops": [["Label", "Elements"], ["R1", "Ann"]],
        }
    )
    result = import_kumu("m.xlsx", data)
    assert [s.name for s in result.map.stakeholders] == ["Ann"]
    assert any("'Notes (ignore)' was skipped" in n for n in result.notes)
    assert any("'Summary' was skipped" in n for n in result.notes)
    assert "Kumu loops are not imported: Coalition Mapper has no loops." in result.notes


def test_one_sheet_can_hold_elements_then_connections_after_two_blank_rows():
    rows = [["Label"], ["Ann"], [], ["Bo"], [], [], ["From", "To"], ["Ann", "Bo"]]
    result = import_kumu("one.xlsx", workbook(Sheet1=rows))
    assert sorted(s.name for s in result.map.stakeholders) == ["Ann", "Bo"]
    assert len(result.map.relationships) == 1


def test_json_blueprint_from_kumus_documentation():
    blueprint = {
        "elements": [
            {"id": "e1", "label": "A", "type": "Letter", "tags": ["one", "two"]},
            {"id": "e2", "label": "A", "Favorite Dessert": "shave ice"},
        ],
        "connections": [{"id": "c1", "from": "e1", "to": "e2", "direction": "mutual"}],
    }
    result = import_kumu("blueprint.json", json.dumps(blueprint).encode())
    m = result.map
    assert [s.id for s in m.stakeholders] == ["e1", "e2"]
    assert m.stakeholders[0].tags == ("one", "two")
    assert m.stakeholders[1].custom == {"Favorite Dessert": "shave ice"}
    assert m.relationships == (Relationship("c1", "e1", "e2", "collaborates", 3, False),)


# -- errors -----------------------------------------------------------------------------------


def test_elements_sheet_without_label_names_the_sheet_and_the_fix():
    data = workbook(Elements=[["Name", "Type"], ["Ann", "GP"]])
    with pytest.raises(FormatError, match=r"Sheet 'Elements' has no Label column.*Name, Type"):
        read_kumu("m.xlsx", data)


def test_connection_to_an_unknown_element_names_sheet_row_and_fix():
    data = workbook(
        Elements=[["Label"], ["Ann"], ["Bo"]],
        Connections=[["From", "To"], ["Ann", "Bo"], ["Ann", "Cyril"], ["Dee", "Bo"]],
    )
    with pytest.raises(ValidationError) as caught:
        read_kumu("m.xlsx", data)
    assert caught.value.problems == (
        "Sheet 'Connections' row 3: To 'Cyril' is not the Label or ID of any element; add a "
        "row for it to the elements sheet, or correct the spelling.",
        "Sheet 'Connections' row 4: From 'Dee' is not the Label or ID of any element; add a "
        "row for it to the elements sheet, or correct the spelling.",
    )
    assert inspect_kumu("m.xlsx", data).problems == caught.value.problems


def test_element_row_without_a_label_is_reported():
    data = workbook(Elements=[["Label", "Type"], ["Ann", "GP"], [None, "GP"]])
    with pytest.raises(ValidationError, match=r"Sheet 'Elements' row 3: the Label is empty"):
        read_kumu("m.xlsx", data)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a Kumu file"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old .xls workbook"),
        ("broken.xlsx", b"PK\x03\x04not really a zip", "not a valid zip archive"),
        ("data.json", b'{"nodes": []}', "not a Kumu blueprint or project export"),
        ("bad.json", b'{"elements": [', "not valid JSON"),
        ("people.csv", b"Name,Org\nAnn,ICB\n", "holds no Kumu elements or connections"),
        ("empty.csv", b"", "holds no Kumu elements or connections"),
    ],
)
def test_files_that_are_not_kumu_raise_a_format_error(name, data, message):
    with pytest.raises(FormatError, match=message):
        inspect_kumu(name, data)


def test_files_beyond_the_limits_are_refused():
    with pytest.raises(FormatError, match="more than 3 rows"):
        read_kumu("big.csv", b"Label\nA\nB\nC\nD\nE\n", limits=Limits(max_rows=3))
    with pytest.raises(FormatError, match=r"big\.json is 54 bytes"):
        inspect_kumu("big.json", b'{"elements": [{"label": "A"}, {"label": "B"}], "x": 1}',
                     limits=Limits(max_bytes=50))  # fmt: skip
    book = workbook(Elements=[["Label"], *[[f"P{i}"] for i in range(5)]])
    with pytest.raises(FormatError, match=r"Sheet 'Elements' of big\.xlsx has more than 3 rows"):
        import_kumu("big.xlsx", book, limits=Limits(max_rows=3))


def test_kumu_fields_rejects_unknown_settings():
    with pytest.raises(ValidationError, match="duplicates must be one of merge, keep"):
        KumuFields(duplicates="drop")
    with pytest.raises(ValidationError, match="value map 'colour'"):
        KumuFields(value_maps={"colour": {"red": "1"}})


# -- export and round trips -------------------------------------------------------------------


def rich_map(small_map: Map) -> Map:
    """The small map plus a namesake, custom fields, formula-like text and a clashing name."""
    ann = replace(
        small_map.stakeholders[0],
        notes="Chairs the board.\nPrefers email.",
        tags=("board", "=risky"),
        custom={"Ward": "North", "Type": "Person", "Phone": "+44 20 7946 0000"},
    )
    twin = Stakeholder("ann2", "Ann Clark", "Carers Together", "Volunteer", "patient & carer",
                       1, 5, "opposed", False, "@mention", review_by=date(2027, 1, 1))  # fmt: skip
    ties = (
        *small_map.relationships,
        Relationship(
            "r6",
            "ann2",
            "ann",
            "informal trust",
            1,
            True,
            "Met at -board-",
            date(2025, 12, 24),
            '=HYPERLINK("x")',
            {"Tags": "family"},
        ),
    )
    return replace(
        small_map,
        perspectives=(*small_map.perspectives, "Housing"),
        stakeholders=(ann, *small_map.stakeholders[1:], twin),
        relationships=ties,
    )


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_round_trip_gives_back_every_field_kumu_holds(small_map, fmt):
    m = rich_map(small_map)
    data = write_kumu_xlsx(m) if fmt == "xlsx" else write_kumu_json(m).encode()
    result = import_kumu(f"Small test map.{fmt}", data)
    back = result.map
    assert back.stakeholders == m.stakeholders
    assert back.relationships == m.relationships
    assert back.name == m.name
    assert result.notes == ()
    if fmt == "xlsx":  # the workbook also keeps the map's own settings
        assert (back.description, back.perspectives, back.relationship_types) == (
            m.description,
            m.perspectives,
            m.relationship_types,
        )


def test_workbook_uses_kumus_layout_and_stores_formula_text_as_text(small_map):
    book = openpyxl.load_workbook(io.BytesIO(write_kumu_xlsx(rich_map(small_map))))
    assert book.sheetnames == ["Elements", "Connections", "Coalition Mapper (ignore)"]
    elements, connections = book["Elements"], book["Connections"]
    assert [c.value for c in elements[1]][:12] == [
        "ID", "Label", "Type", "Description", "Tags", "Organisation", "Role", "Influence",
        "Interest", "Stance", "Coalition", "Review By",
    ]  # fmt: skip
    assert [c.value for c in connections[1]][:9] == [
        "ID", "From", "To", "Type", "Strength", "Direction", "Description", "How We Know",
        "Last Confirmed",
    ]  # fmt: skip
    assert [c.value for c in elements[2]][:5] == [
        "ann", "Ann Clark", "commissioner", "Chairs the board.\nPrefers email.", "board|=risky"
    ]  # fmt: skip
    formula_like = [
        c for sheet in (elements, connections) for row in sheet.iter_rows() for c in row
        if isinstance(c.value, str) and c.value[:1] in "=+-@"
    ]  # fmt: skip
    assert len(formula_like) == 3
    assert all(c.data_type == "s" and c.quotePrefix for c in formula_like)
    last = [c.value for c in connections[connections.max_row]]
    assert last[:6] == ["r6", "ann2", "ann", "informal trust", 1, "directed"]
    assert [c.value for c in connections[2]][5] == "mutual"


def test_json_blueprint_uses_kumus_keys(small_map):
    blueprint = json.loads(write_kumu_json(small_map))
    assert blueprint["elements"][1] == {
        "id": "bob",
        "label": "Dr Bob Singh",
        "type": "clinical",
        "tags": ["primary care"],
        "Organisation": "City GP Federation",
        "Role": "Clinical lead",
        "Influence": 4,
        "Interest": 4,
        "Stance": "supporter",
        "Coalition": "Yes",
    }
    assert blueprint["connections"][1] == {
        "id": "r2",
        "from": "ann",
        "to": "cat",
        "type": "commissions",
        "strength": 2,
        "direction": "directed",
    }


def test_writers_leave_the_map_unchanged(small_map):
    before = repr(small_map)
    write_kumu_xlsx(small_map)
    write_kumu_json(small_map)
    assert repr(small_map) == before


def test_empty_map_round_trips_through_json():
    empty = Map(name="Nothing yet")
    data = json.loads(write_kumu_json(empty))
    assert (data["elements"], data["connections"]) == ([], [])
    assert data["coalitionMapper"]["Name"] == "Nothing yet"
    with pytest.raises(FormatError, match="holds no Kumu elements"):
        read_kumu("nothing.json", write_kumu_json(empty).encode())


_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="|"),
    max_size=30,
).map(str.strip)


@settings(max_examples=40, deadline=None)
@given(name=_text.filter(bool), org=_text, notes=_text, custom=_text)
def test_arbitrary_text_survives_both_round_trips(name, org, notes, custom):
    people = (
        Stakeholder("a", name, organisation=org, notes=notes, custom={"Note": custom} if custom else {}),
        Stakeholder("b", "Other"),
    )  # fmt: skip
    m = Map(
        name="M", stakeholders=people, relationships=(Relationship("r", "a", "b", notes=notes),)
    )
    for back in (
        read_kumu("M.xlsx", write_kumu_xlsx(m)),
        read_kumu("M.json", write_kumu_json(m).encode()),
    ):
        assert back.stakeholders == m.stakeholders
        assert back.relationships == m.relationships


def test_workbook_refuses_characters_excel_cannot_store_but_json_keeps_them():
    people = (Stakeholder("a", "Ann", notes="bell\x07"), Stakeholder("b", "Bo", notes="a\r\nb"))
    m = Map(name="M", stakeholders=people)
    with pytest.raises(FormatError, match=r"Stakeholder 'Ann', notes: holds the control"):
        write_kumu_xlsx(m)
    assert read_kumu("M.json", write_kumu_json(m).encode()).stakeholders == people
    clean = (people[1],)
    assert (
        read_kumu("M.xlsx", write_kumu_xlsx(Map(name="M", stakeholders=clean))).stakeholders
        == clean
    )
