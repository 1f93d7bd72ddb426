"""Tests for mapping.changes.merge: import previews and pure merges."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from mapping.changes.merge import FieldChange, apply_import, plan_import
from mapping.errors import ConflictError
from mapping.io.tabular_read import read_csv_pair, read_csv_zip
from mapping.io.tabular_write import write_csv_zip
from mapping.model import Map, Relationship, Stakeholder


def test_reimporting_the_same_map_changes_nothing(small_map):
    plan = plan_import(small_map, small_map)
    assert (len(plan.stakeholders_unchanged), len(plan.relationships_unchanged)) == (6, 5)
    assert plan.changes_nothing
    assert apply_import(small_map, plan) == small_map


def test_reimporting_the_same_csv_file_changes_nothing():
    people = b"Name,Influence\nAnn,4\nBo,2\n"
    ties = b"From,To,Type\nAnn,Bo,funds\n"
    first = read_csv_pair(people, ties, name="M")
    plan = plan_import(first, read_csv_pair(people, ties, name="M"))
    assert plan.changes_nothing
    assert "Stakeholders: 0 added, 0 updated, 2 unchanged." in plan.summary()


def test_round_tripped_export_changes_nothing(small_map):
    assert plan_import(small_map, read_csv_zip(write_csv_zip(small_map))).changes_nothing


def test_stakeholders_match_by_name_when_ids_differ(small_map):
    incoming = Map(
        name="Other",
        stakeholders=(
            Stakeholder(
                "x1",
                " ann clark ",
                "North ICB",
                "Director of Strategy",
                "commissioner",
                5,
                4,
                "champion",
                True,
            ),
            Stakeholder("x2", "Gus Grant", perspective="public health"),
        ),
        relationships=(Relationship("t1", "x1", "x2", "advises", 4),),
    )
    plan = plan_import(small_map, incoming)
    (update,) = plan.stakeholders_updated
    assert update.current.id == "ann"
    assert update.changes == (FieldChange("interest", 5, 4),)
    assert [s.id for s in plan.stakeholders_added] == ["x2"]
    (tie,) = plan.relationships_added
    assert (tie.source, tie.target) == ("ann", "x2")
    merged = apply_import(small_map, plan)
    assert merged.stakeholder("ann").interest == 4
    assert merged.stakeholder("ann").name == "Ann Clark"
    assert len(merged.stakeholders) == 7 and len(merged.relationships) == 6


def test_relationships_match_by_ends_and_type_either_way_round_when_mutual(small_map):
    incoming = small_map.with_relationships(
        (
            Relationship("new-1", "bob", "ann", "collaborates", 5, last_confirmed=date(2026, 9, 1)),
            Relationship("new-2", "cat", "ann", "commissions", 2, directed=True),
        )
    )
    plan = plan_import(small_map, incoming)
    (update,) = plan.relationships_updated
    assert (update.current.id, update.changes) == ("r1", (FieldChange("strength", 4, 5),))
    assert update.updated.source == "ann"
    assert [r.id for r in plan.relationships_added] == ["new-2"]


def test_custom_fields_not_in_the_file_are_kept():
    cur = Map(name="M", stakeholders=(Stakeholder("a", "Ann", custom={"phone": "1", "team": "x"}),))
    new = Map(name="M", stakeholders=(Stakeholder("a", "Ann", custom={"team": "y"}),))
    merged = apply_import(cur, plan_import(cur, new))
    assert merged.stakeholders[0].custom == {"phone": "1", "team": "y"}


def test_new_perspectives_and_types_are_added_only_when_used(small_map):
    incoming = Map(
        name="M",
        perspectives=("clinical", "GP"),
        relationship_types=("mentors", "unused"),
        stakeholders=(Stakeholder("g", "Gus", perspective="GP"), Stakeholder("ann", "Ann Clark")),
        relationships=(Relationship("t", "g", "ann", "mentors"),),
    )
    plan = plan_import(small_map, incoming)
    assert (plan.perspectives_added, plan.relationship_types_added) == (("GP",), ("mentors",))
    merged = apply_import(small_map, plan)
    assert merged.perspectives[-1] == "GP" and merged.relationship_types[-1] == "mentors"
    assert "New perspectives: GP." in plan.summary()


def test_ambiguous_names_are_added_with_a_warning():
    cur = Map(name="M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Ann")))
    plan = plan_import(cur, Map(name="M", stakeholders=(Stakeholder("x", "ann"),)))
    assert [s.id for s in plan.stakeholders_added] == ["x"]
    assert plan.warnings[0].startswith("'ann' matches 2 stakeholders by name")


def test_positions_come_in_for_new_people_and_stay_for_current_ones():
    cur = Map(name="M", stakeholders=(Stakeholder("a", "Ann"),), positions={"a": (1.0, 1.0)})
    new = Map(
        name="M",
        stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo")),
        positions={"a": (9.0, 9.0), "b": (2.0, 3.0)},
    )
    merged = apply_import(cur, plan_import(cur, new))
    assert merged.positions == {"a": (1.0, 1.0), "b": (2.0, 3.0)}


def test_apply_is_pure_and_refuses_a_stale_plan(small_map):
    incoming = small_map.with_stakeholders(
        replace(s, influence=1) if s.id == "cat" else s for s in small_map.stakeholders
    )
    plan = plan_import(small_map, incoming)
    before = replace(small_map)
    assert apply_import(small_map, plan).stakeholder("cat").influence == 1
    assert small_map == before
    changed = small_map.with_stakeholders(s for s in small_map.stakeholders if s.id != "cat")
    with pytest.raises(ConflictError, match="preview the import again"):
        apply_import(changed, plan)


def test_summary_lists_counts_and_changes(small_map):
    incoming = small_map.with_stakeholders(
        replace(s, influence=1, notes="new") if s.id == "cat" else s for s in small_map.stakeholders
    )
    assert plan_import(small_map, incoming).summary() == (
        "Stakeholders: 0 added, 1 updated, 5 unchanged.\n"
        "Relationships: 0 added, 0 updated, 5 unchanged.\n"
        "Updated: Cat Jones (influence 5 → 1; notes changed)."
    )
