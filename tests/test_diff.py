"""What changed between two maps: exactly the expected differences, and the figures around them."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from mapping.analysis.headline import headline_figures
from mapping.changes.diff import HEADLINE, diff_maps
from mapping.model import Map, Relationship, Stakeholder
from mapping.model.settings import Settings

DAY = date(2026, 11, 1)


def changed(m: Map) -> Map:
    """The small map after a month of work: one in, one out, moves and ties."""
    people = []
    for s in m.stakeholders:
        if s.id == "eve":
            continue
        if s.id == "cat":
            s = replace(s, stance="supporter")
        if s.id == "dan":
            s = replace(s, influence=5)
        if s.id == "fay":
            s = replace(s, coalition=True)
        people.append(s)
    people.append(Stakeholder("gus", "Gus Hale", "Carers Voice", perspective="patient & carer"))
    ties = []
    for r in m.relationships:
        if r.id in ("r4", "r5"):
            continue
        if r.id == "r1":
            r = replace(r, strength=5)
        if r.id == "r2":
            r = replace(r, last_confirmed=date(2026, 10, 1))
        if r.id == "r3":  # deleted and recorded again with a new id: the same tie
            r = replace(r, id="r3-new", strength=2)
        ties.append(r)
    ties.append(Relationship("r6", "ann", "gus", "collaborates", 4))
    return replace(m, stakeholders=tuple(people), relationships=tuple(ties))


@pytest.fixture
def before(small_map):
    return small_map


@pytest.fixture
def after(small_map):
    return changed(small_map)


def test_diff_finds_exactly_the_expected_changes(before, after):
    d = diff_maps(before, after, before_on=DAY, after_on=DAY)
    assert d.added == ("gus",)
    assert d.removed == ("eve",)
    assert [(c.id, c.field, c.before, c.after) for c in d.changes] == [
        ("cat", "stance", "sceptic", "supporter"),
        ("dan", "influence", 4, 5),
        ("fay", "coalition", False, True),
    ]
    assert [(t.id, t.before, t.after) for t in d.gained] == [("r6", None, 4)]
    assert [(t.id, t.before, t.after) for t in d.lost] == [("r4", 5, None), ("r5", 2, None)]
    assert [(t.id, t.before, t.after) for t in d.strengthened] == [("r1", 4, 5)]
    assert [(t.id, t.before, t.after) for t in d.weakened] == [("r3-new", 3, 2)]
    assert [(t.id, t.field, t.before, t.after) for t in d.tie_changes] == [
        ("r2", "last_confirmed", None, date(2026, 10, 1))
    ]
    assert not d.is_empty


def test_summary_reads_people_then_relationships_then_figures(before, after):
    d = diff_maps(before, after, before_on=DAY, after_on=DAY)
    lines = d.summary()
    assert lines[:11] == [
        "1 stakeholder added: Gus Hale.",
        "1 stakeholder removed: Eve Lewis.",
        "Cat Jones: stance sceptic → supporter (more favourable).",
        "Dan Okafor: influence 4 → 5.",
        "Fay Brown joined the coalition.",
        "New relationship: Ann Clark – Gus Hale (collaborates, strength 4).",
        "Lost relationship: Dan Okafor – Eve Lewis (reports to, strength 5).",
        "Lost relationship: Dr Bob Singh – Cat Jones (conflict, strength 2).",
        "Strengthened: Ann Clark – Dr Bob Singh (collaborates) 4 → 5.",
        "Weakened: Ann Clark – Dan Okafor (collaborates) 3 → 2.",
        "1 relationship reconfirmed or redated.",
    ]
    assert len(lines) == 11 + len(HEADLINE)
    assert lines[11].startswith("Perspectives with a coalition member: 3 → 4")


def test_figures_are_the_headline_figures_of_each_map_on_its_own_day(before, after):
    s = Settings(stale_months=6)
    d = diff_maps(before, after, before_on=date(2026, 1, 1), after_on=DAY, settings=s)
    assert d.figures_before == headline_figures(before, date(2026, 1, 1), stale_months=6)
    assert d.figures_after == headline_figures(after, DAY, stale_months=6)
    # Fay (patient & carer) joined: a fourth perspective is covered.
    assert (d.figures_before["perspectives_covered"], d.figures_after["perspectives_covered"]) == (
        3,
        4,
    )
    assert d.verdicts()["perspectives_covered"] == "better"


def test_identical_maps_give_an_empty_diff(before):
    d = diff_maps(before, before, before_on=DAY, after_on=DAY)
    assert d.is_empty
    assert d.summary()[0] == "No stakeholder or relationship changed."
    assert all(v == "same" for v in d.verdicts().values())


def test_empty_maps_compare_without_error():
    d = diff_maps(Map("A"), Map("A"), before_on=DAY, after_on=DAY)
    assert d.is_empty and d.figures_before["stakeholders"] == 0


def test_a_direction_or_type_change_is_reported_on_the_kept_tie(before):
    ties = tuple(replace(r, directed=True) if r.id == "r1" else r for r in before.relationships)
    d = diff_maps(before, replace(before, relationships=ties), before_on=DAY, after_on=DAY)
    assert [(t.id, t.field, t.before, t.after) for t in d.tie_changes] == [
        ("r1", "directed", False, True)
    ]
    assert "Ann Clark – Dr Bob Singh: direction mutual → one-way." in d.summary()


def test_a_new_tie_of_another_type_between_the_same_people_is_gained(before):
    ties = (*before.relationships, Relationship("r9", "bob", "ann", "funds", 3))
    d = diff_maps(before, replace(before, relationships=ties), before_on=DAY, after_on=DAY)
    assert [t.id for t in d.gained] == ["r9"] and not d.lost


def test_private_fields_are_not_compared(before):
    people = tuple(replace(s, notes="secret", custom={"x": "y"}) for s in before.stakeholders)
    d = diff_maps(before, replace(before, stakeholders=people), before_on=DAY, after_on=DAY)
    assert d.is_empty


def test_highlights_name_what_changed_on_each_map(before, after):
    d = diff_maps(before, after, before_on=DAY, after_on=DAY)
    people, ties = d.highlight_after()
    assert people == ["gus", "cat", "dan", "fay"]
    assert ties == [("ann", "gus"), ("ann", "bob"), ("ann", "dan"), ("ann", "cat")]
    people, ties = d.highlight_before()
    assert people == ["eve", "cat", "dan", "fay"]
    assert ("dan", "eve") in ties and ("bob", "cat") in ties


def test_markdown_and_json_exports_carry_the_changes_safely(before, after):
    hostile = replace(
        after,
        stakeholders=tuple(
            replace(s, name="<script>*Gus*</script>") if s.id == "gus" else s
            for s in after.stakeholders
        ),
    )
    d = diff_maps(before, hostile, before_on=DAY, after_on=DAY)
    text = d.to_markdown("What changed")
    assert text.startswith("## What changed\n")
    assert "<script>" not in text and "\\<script\\>\\*Gus\\*\\</script\\>" in text
    assert "| Perspectives with a coalition member | 3 | 4 | better |" in text
    data = json.loads(json.dumps(d.to_dict()))
    assert data["added"] == ["gus"] and data["tie_changes"][0]["after"] == "2026-10-01"
    assert data["verdicts"]["perspectives_covered"] == "better"


def test_diff_leaves_both_maps_unchanged(before, after):
    copies = (replace(before), replace(after))
    diff_maps(before, after, before_on=DAY, after_on=DAY)
    assert (before, after) == copies
