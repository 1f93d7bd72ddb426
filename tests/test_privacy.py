"""Tests for mapping.changes.privacy.redact: notes and custom fields dropped, consistent pseudonyms."""

from __future__ import annotations

from dataclasses import replace

from mapping.changes.privacy import redact
from mapping.model import Map, Relationship, Stakeholder, validate_map
from mapping.model.graph import to_networkx


def _noted(small_map: Map) -> Map:
    people = tuple(
        replace(s, notes=f"Spoke to {s.name} at {s.organisation}", custom={"phone": "0123"})
        for s in small_map.stakeholders
    )
    ties = tuple(
        replace(r, how_we_know="Ann Clark told me", notes="private", custom={"k": "v"})
        for r in small_map.relationships
    )
    return replace(
        small_map, stakeholders=people, relationships=ties, positions={"ann": (1.0, 2.0)}
    )


def test_nothing_changes_by_default(small_map):
    m = _noted(small_map)
    assert redact(m) == (m, {})


def test_notes_and_how_we_know_are_dropped_when_not_included(small_map):
    shared, key = redact(_noted(small_map), include_notes=False)
    assert key == {}
    assert {s.notes for s in shared.stakeholders} == {""}
    assert {(r.notes, r.how_we_know) for r in shared.relationships} == {("", "")}
    assert shared.stakeholders[0].custom == {"phone": "0123"}


def test_custom_fields_are_dropped_when_not_included(small_map):
    shared, _ = redact(_noted(small_map), include_custom=False)
    assert all(not s.custom for s in shared.stakeholders)
    assert all(not r.custom for r in shared.relationships)
    assert shared.stakeholders[0].notes == "Spoke to Ann Clark at North ICB"


def test_pseudonyms_follow_id_order_and_the_key_is_separate(small_map):
    shared, key = redact(_noted(small_map), pseudonymise=True)
    assert [s.name for s in shared.stakeholders] == ["P001", "P002", "P003", "P004", "P005", "P006"]
    assert [s.organisation for s in shared.stakeholders] == [
        "O01",
        "O02",
        "O03",
        "O04",
        "O04",
        "O05",
    ]
    assert key == {
        "P001": "Ann Clark",
        "P002": "Dr Bob Singh",
        "P003": "Cat Jones",
        "P004": "Dan Okafor",
        "P005": "Eve Lewis",
        "P006": "Fay Brown",
        "O01": "North ICB",
        "O02": "City GP Federation",
        "O03": "Eastside Hospital",
        "O04": "Riverside Council",
        "O05": "Carers Together",
    }
    assert not set(key.values()) & {s.name for s in shared.stakeholders}


def test_pseudonymising_replaces_ids_names_in_text_and_keeps_the_network(small_map):
    original = _noted(small_map)
    shared, _ = redact(original, pseudonymise=True)
    validate_map(shared)
    assert shared.stakeholders[0].notes == "Spoke to P001 at O01"
    assert shared.relationships[0].how_we_know == "P001 told me"
    assert shared.positions == {"P001": (1.0, 2.0)}
    assert [(r.id, r.source, r.target) for r in shared.relationships][:2] == [
        ("R001", "P001", "P002"),
        ("R002", "P001", "P003"),
    ]
    G, H = to_networkx(original), to_networkx(shared)
    assert sorted(d for _, d in G.degree()) == sorted(d for _, d in H.degree())
    assert {str(v) for v in shared.stakeholders}.isdisjoint(original.names().values())


def test_pseudonyms_are_the_same_whatever_the_stakeholder_order(small_map):
    backwards = replace(small_map, stakeholders=small_map.stakeholders[::-1])
    assert redact(small_map, pseudonymise=True)[1] == redact(backwards, pseudonymise=True)[1]


def test_names_inside_words_are_left_alone():
    m = Map(
        name="M",
        stakeholders=(
            Stakeholder("a", "Al", notes="Also Al's annual review"),
            Stakeholder("b", "Bo"),
        ),
        relationships=(Relationship("r", "a", "b"),),
    )
    shared, _ = redact(m, pseudonymise=True)
    assert shared.stakeholders[0].notes == "Also P001's annual review"


def test_codes_widen_for_large_maps():
    people = tuple(Stakeholder(f"s{i:04d}", f"Person {i}") for i in range(1200))
    shared, key = redact(Map(name="Big", stakeholders=people), pseudonymise=True)
    assert shared.stakeholders[0].name == "P0001" and len(key) == 1200


def test_redact_does_not_change_its_input(small_map):
    before = _noted(small_map)
    snapshot = replace(before)
    redact(before, include_notes=False, include_custom=False, pseudonymise=True)
    assert before == snapshot
