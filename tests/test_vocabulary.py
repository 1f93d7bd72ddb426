"""Editing a map's perspectives and relationship types."""

from __future__ import annotations

import pytest

from mapping.errors import ValidationError
from mapping.model.vocabulary import apply_vocabulary_edits


def test_renaming_a_perspective_moves_everyone_who_holds_it(small_map):
    index = small_map.perspectives.index("local authority & social care")
    m = apply_vocabulary_edits(
        small_map, "perspectives", {"edited_rows": {index: {"Name": "Riverside Council"}}}
    )
    assert "local authority & social care" not in m.perspectives
    assert {s.id for s in m.stakeholders if s.perspective == "Riverside Council"} == {"dan", "eve"}


def test_adding_and_removing_unused_values(small_map):
    unused = small_map.perspectives.index("public health")
    m = apply_vocabulary_edits(
        small_map,
        "perspectives",
        {"deleted_rows": [unused], "added_rows": [{"Name": "housing"}, {"Name": " "}]},
    )
    assert "public health" not in m.perspectives and m.perspectives[-1] == "housing"


def test_removing_a_value_in_use_is_refused_and_names_the_count(small_map):
    index = small_map.relationship_types.index("collaborates")
    with pytest.raises(ValidationError, match="2 relationships use the relationship type"):
        apply_vocabulary_edits(small_map, "relationship_types", {"deleted_rows": [index]})


def test_renaming_a_relationship_type_lowercases_and_updates_ties(small_map):
    index = small_map.relationship_types.index("collaborates")
    m = apply_vocabulary_edits(
        small_map, "relationship_types", {"edited_rows": {index: {"Name": "Works With"}}}
    )
    assert [r.type for r in m.relationships if r.id in ("r1", "r3")] == ["works with"] * 2


def test_conflict_cannot_be_renamed(small_map):
    index = small_map.relationship_types.index("conflict")
    with pytest.raises(ValidationError, match="'conflict' is built in"):
        apply_vocabulary_edits(
            small_map, "relationship_types", {"edited_rows": {index: {"Name": "tension"}}}
        )


def test_duplicate_or_empty_names_are_refused(small_map):
    with pytest.raises(ValidationError, match="listed 2 times"):
        apply_vocabulary_edits(small_map, "perspectives", {"added_rows": [{"Name": "clinical"}]})
    with pytest.raises(ValidationError, match="needs a name"):
        apply_vocabulary_edits(small_map, "perspectives", {"edited_rows": {0: {"Name": ""}}})
