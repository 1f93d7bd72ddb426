"""Form and table edits: applied whole, or refused whole with row-named messages."""

from __future__ import annotations

from datetime import date

import pytest

from mapping.changes.edit import (
    add_relationship,
    add_stakeholder,
    apply_relationship_edits,
    apply_stakeholder_edits,
    relationships_frame,
    stakeholders_frame,
)
from mapping.errors import ValidationError
from mapping.model import Stance


def test_add_stakeholder_through_form_values(small_map):
    m = add_stakeholder(
        small_map,
        name="  Grace Hall ",
        organisation="Healthwatch",
        perspective="patient & carer",
        influence=3,
        interest=5,
        stance="supporter",
        coalition=True,
        tags="voice|carers",
        review_by=None,
    )
    added = m.stakeholders[-1]
    assert added.name == "Grace Hall"
    assert added.stance is Stance.SUPPORTER
    assert added.tags == ("voice", "carers")
    assert added.id.startswith("s-") and added.id not in small_map.names()


def test_add_stakeholder_refuses_same_person_twice(small_map):
    with pytest.raises(ValidationError, match="already on the map"):
        add_stakeholder(small_map, name="ann clark", organisation="North ICB")


def test_add_stakeholder_refuses_unknown_perspective(small_map):
    with pytest.raises(ValidationError, match="perspective 'dentistry' is not one of"):
        add_stakeholder(small_map, name="New", perspective="dentistry")


def test_add_relationship_checks_endpoints(small_map):
    m = add_relationship(small_map, source="fay", target="ann", type="advises", strength=2)
    assert (m.relationships[-1].source, m.relationships[-1].target) == ("fay", "ann")
    with pytest.raises(ValidationError, match="themselves"):
        add_relationship(small_map, source="fay", target="fay")
    with pytest.raises(ValidationError, match="choose who the relationship is to"):
        add_relationship(small_map, source="fay", target="")


def test_frames_show_one_row_per_record(small_map):
    people = stakeholders_frame(small_map)
    ties = relationships_frame(small_map)
    assert len(people) == 6 and people.loc[1, "Tags"] == "primary care"
    assert ties.loc[0, "From"] == "Ann Clark" and ties.loc[0, "To"] == "Dr Bob Singh"


def test_table_edits_apply_together(small_map):
    edits = {
        "edited_rows": {2: {"Stance": "supporter", "Influence": 4.0}},
        "added_rows": [
            {
                "Name": "Hal Ito",
                "Perspective": "provider",
                "Influence": 2,
                "Interest": 3,
                "Stance": "neutral",
                "Review by": "2027-01-05",
            }
        ],
        "deleted_rows": [5],
    }
    m = apply_stakeholder_edits(small_map, edits)
    cat = m.stakeholder("cat")
    assert cat.stance is Stance.SUPPORTER and cat.influence == 4
    assert "fay" not in m.names()
    assert m.stakeholders[-1].name == "Hal Ito"
    assert m.stakeholders[-1].review_by == date(2027, 1, 5)


def test_deleting_a_stakeholder_removes_their_relationships(small_map):
    m = apply_stakeholder_edits(small_map, {"deleted_rows": [3]})  # Dan
    assert all("dan" not in (r.source, r.target) for r in m.relationships)
    assert len(m.relationships) == 3


def test_invalid_table_edit_names_every_row_and_applies_nothing(small_map):
    edits = {
        "edited_rows": {0: {"Influence": 9}, 1: {"Name": ""}},
        "added_rows": [{"Name": "Ivy", "Interest": "lots"}],
    }
    with pytest.raises(ValidationError) as caught:
        apply_stakeholder_edits(small_map, edits)
    problems = caught.value.problems
    assert problems[0].startswith("Row 1 (Ann Clark): influence must be a whole number from 1 to 5")
    assert problems[1].startswith("Row 2 (Dr Bob Singh): the name is empty")
    assert (
        problems[2]
        == "New row 1: interest 'lots' is not a number; give a whole number from 1 to 5."
    )


def test_relationship_edits_use_stakeholder_labels(small_map):
    edits = {
        "edited_rows": {0: {"Strength": 5, "To": "Cat Jones"}},
        "added_rows": [
            {"From": "Fay Brown", "To": "Eve Lewis", "Type": "informal trust", "Strength": 3}
        ],
    }
    m = apply_relationship_edits(small_map, edits)
    assert (m.relationships[0].target, m.relationships[0].strength) == ("cat", 5)
    assert (m.relationships[-1].source, m.relationships[-1].target) == ("fay", "eve")


def test_relationship_edit_with_unknown_person_is_refused(small_map):
    edits = {"added_rows": [{"From": "Nobody", "To": "Eve Lewis", "Strength": 3}]}
    with pytest.raises(ValidationError, match="New row 1: unknown stakeholder 'Nobody'"):
        apply_relationship_edits(small_map, edits)
