"""Perspective coverage: members, influence and ties per perspective, and the gaps found."""

from __future__ import annotations

import copy
import json

import networkx as nx
import pytest

from mapping.analysis import coverage
from mapping.analysis.coverage import (
    CoverageSummary,
    coverage_summary,
    findings,
    perspective_coverage,
)
from mapping.analysis.findings import Severity
from mapping.analysis.perspectives import is_patient_perspective
from mapping.model import Map, Relationship, Stakeholder
from mapping.model.graph import tie_graph


def snapshot(G: nx.Graph) -> tuple:
    return copy.deepcopy((list(G.nodes(data=True)), list(G.edges(data=True)), dict(G.graph)))


def person(sid, perspective, influence=3, coalition=False, stance="unknown"):
    return Stakeholder(
        sid,
        sid.title(),
        perspective=perspective,
        influence=influence,
        coalition=coalition,
        stance=stance,
    )


def graph(people, ties=(), perspectives=None) -> nx.Graph:
    rels = tuple(Relationship(f"r{i}", a, b, strength=s) for i, (a, b, s) in enumerate(ties))
    kwargs = {} if perspectives is None else {"perspectives": perspectives}
    return tie_graph(Map(name="M", stakeholders=tuple(people), relationships=rels, **kwargs))


def by_code(found, code):
    return [f for f in found if f.code == code]


@pytest.mark.parametrize(
    ("perspective", "count", "members", "outside", "best_member", "best_outside", "ties"),
    [
        ("clinical", 1, ("bob",), (), 4, None, 1),
        ("patient & carer", 1, (), ("fay",), None, 2, 0),
        ("commissioner", 1, ("ann",), (), 5, None, 2),
        ("provider", 1, (), ("cat",), None, 5, 1),
        ("local authority & social care", 2, ("dan",), ("eve",), 4, 2, 2),
        ("voluntary & community sector", 0, (), (), None, None, 0),
        ("public health", 0, (), (), None, None, 0),
        ("other", 0, (), (), None, None, 0),
    ],
)
def test_perspective_coverage_of_small_map(
    small_map, perspective, count, members, outside, best_member, best_outside, ties
):
    rows = {r.perspective: r for r in perspective_coverage(tie_graph(small_map))}
    row = rows[perspective]
    assert row.stakeholders == count
    assert row.members == members
    assert row.outside == outside
    assert row.highest_member_influence == best_member
    assert row.highest_outside_influence == best_outside
    assert row.ties_into_coalition == ties
    assert row.covered is bool(members)


def test_perspective_coverage_keeps_map_order_and_adds_unlisted_perspectives():
    G = nx.Graph(perspectives=("b", "a"))
    G.add_node(1, perspective="zed")
    assert [r.perspective for r in perspective_coverage(G)] == ["b", "a", "zed"]


def test_ties_into_coalition_count_each_tie_once_and_ignore_ties_between_outsiders():
    people = [
        person("m1", "clinical", coalition=True),
        person("m2", "clinical", coalition=True),
        person("o1", "clinical"),
        person("o2", "provider"),
    ]
    G = graph(
        people,
        [("m1", "m2", 3), ("o1", "m1", 3), ("o1", "o2", 3), ("o2", "m2", 3)],
        perspectives=("clinical", "provider"),
    )
    rows = {r.perspective: r for r in perspective_coverage(G)}
    # clinical: m1-m2 (within the coalition) and o1-m1; o1-o2 reaches no member.
    assert rows["clinical"].ties_into_coalition == 2
    assert rows["provider"].ties_into_coalition == 1


def test_members_and_outsiders_are_listed_highest_influence_first():
    people = [
        person("a", "clinical", 2, True),
        person("b", "clinical", 5, True),
        person("c", "clinical", 1),
        person("d", "clinical", 4),
    ]
    (row,) = [r for r in perspective_coverage(graph(people)) if r.perspective == "clinical"]
    assert row.members == ("b", "a")
    assert row.outside == ("d", "c")
    assert (row.highest_member_influence, row.highest_outside_influence) == (5, 4)


def test_coverage_summary_counts_covered_perspectives(small_map):
    assert coverage_summary(tie_graph(small_map)) == CoverageSummary(
        covered=3,
        total=8,
        share=0.375,
        missing=(
            "patient & carer",
            "provider",
            "voluntary & community sector",
            "public health",
            "other",
        ),
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("patient & carer", True),
        ("Patients and carers", True),
        ("Service users", True),
        ("people with lived experience", True),
        ("public health", False),
        ("clinical", False),
    ],
)
def test_is_patient_perspective(name, expected):
    assert is_patient_perspective(name) is expected


def test_small_map_findings_name_the_gaps_and_who_can_close_them(small_map):
    found = findings(tie_graph(small_map))
    (patient,) = by_code(found, "coverage.patient-voice")
    assert patient.severity is Severity.HIGH
    assert patient.title == "No patient or carer voice in the coalition"
    assert patient.stakeholders == ("fay",)
    assert "Fay Brown" in patient.explanation
    (provider,) = by_code(found, "coverage.no-member")
    assert provider.severity is Severity.HIGH  # Cat Jones, influence 5, is outside
    assert provider.title == "No provider voice in the coalition"
    assert provider.stakeholders == ("cat",)
    assert provider.ties == (("cat", "ann"),)
    assert "Ann Clark" in provider.action and "Cat Jones" in provider.action
    assert provider.evidence["highest_outside_influence"] == 5
    not_mapped = by_code(found, "coverage.not-mapped")
    assert [f.evidence["perspective"] for f in not_mapped] == [
        "voluntary & community sector",
        "public health",
    ]
    # a perspective with nobody on the map is the loudest gap: HIGH, listed first
    assert all(f.severity is Severity.HIGH for f in not_mapped)
    assert [f.code for f in found][:2] == ["coverage.not-mapped", "coverage.not-mapped"]
    assert not by_code(found, "coverage.low-influence")


def test_outside_only_perspective_without_influential_people_is_medium():
    people = [person("a", "clinical", 5, True), person("p", "provider", 3)]
    found = findings(graph(people, perspectives=("clinical", "provider", "patient & carer")))
    (f,) = by_code(found, "coverage.no-member")
    assert f.severity is Severity.MEDIUM
    assert "nobody in the coalition has a tie" in f.action


def test_invite_prefers_influential_then_favourable_people_with_a_route_in():
    people = [
        person("m", "clinical", 4, True),
        person("x", "provider", 4, stance="opposed"),
        person("y", "provider", 4, stance="supporter"),
    ]
    G = graph(people, [("m", "x", 5), ("m", "y", 2)], perspectives=("clinical", "provider"))
    (f,) = by_code(findings(G), "coverage.no-member")
    assert f.action.startswith("Invite Y into the coalition")
    assert "M already has a tie with them (strength 2)" in f.action


def test_members_without_influence_are_medium_when_someone_stronger_is_outside():
    people = [
        person("a", "clinical", 2, True),
        person("b", "clinical", 4),
        person("c", "provider", 3, True),
    ]
    found = findings(graph(people, perspectives=("clinical", "provider")))
    weak = by_code(found, "coverage.low-influence")
    assert [(f.evidence["perspective"], f.severity) for f in weak] == [
        ("clinical", Severity.MEDIUM),
        ("provider", Severity.LOW),
    ]
    assert weak[0].stakeholders == ("a", "b")
    assert "Invite B" in weak[0].action


def test_high_influence_threshold_is_adjustable():
    people = [person("a", "clinical", 3, True)]
    G = graph(people, perspectives=("clinical", "patient & carer"))
    assert by_code(findings(G), "coverage.low-influence")
    assert not by_code(findings(G, high_influence=3), "coverage.low-influence")


@pytest.mark.parametrize(
    ("people", "severity", "title"),
    [
        ([], Severity.HIGH, "No patient or carer voice in the coalition"),
        (
            [person("p", "patient & carer", 2)],
            Severity.HIGH,
            "No patient or carer voice in the coalition",
        ),
        (
            [person("p", "patient & carer", 2, True)],
            Severity.MEDIUM,
            "The patient and carer voice in the coalition carries little weight",
        ),
        (
            [person("p", "patient & carer", 4, True)],
            Severity.INFO,
            "Patient and carer voice is in the coalition",
        ),
    ],
)
def test_patient_voice_is_always_checked(people, severity, title):
    member = person("a", "clinical", 5, True)
    G = graph([member, *people], perspectives=("clinical", "patient & carer"))
    (f,) = by_code(findings(G), "coverage.patient-voice")
    assert (f.severity, f.title) == (severity, title)
    assert f.evidence["stakeholders"] == len(people)


def test_map_without_a_patient_perspective_is_flagged():
    G = graph([person("a", "clinical", 5, True)], perspectives=("clinical",))
    (f,) = by_code(findings(G), "coverage.patient-voice")
    assert f.severity is Severity.HIGH
    assert "no patient, carer or service-user perspective" in f.explanation
    assert f.evidence == {"patient_perspectives": 0}


def test_ignored_perspectives_are_only_checked_when_they_have_people():
    G = graph([person("a", "clinical", 5, True)], perspectives=("clinical", "other", "patient"))
    assert not [f for f in findings(G) if f.evidence.get("perspective") == "other"]
    found = findings(G, ignore=())
    assert [f.evidence["perspective"] for f in by_code(found, "coverage.not-mapped")] == ["other"]


def test_empty_map_gives_zero_coverage_not_errors():
    G = tie_graph(Map(name="Empty"))
    rows = perspective_coverage(G)
    assert len(rows) == 8
    assert all(r.stakeholders == 0 and r.highest_member_influence is None for r in rows)
    assert coverage_summary(G).covered == 0
    codes = [f.code for f in findings(G)]
    assert codes[0] == "coverage.patient-voice"
    assert codes.count("coverage.not-mapped") == 6  # every perspective but patient and other


def test_graph_with_no_perspectives_at_all():
    G = nx.Graph()
    assert perspective_coverage(G) == []
    assert coverage_summary(G) == CoverageSummary(0, 0, 0.0, ())
    assert [f.code for f in findings(G)] == ["coverage.patient-voice"]


def test_one_person_map():
    G = graph([person("a", "patient & carer", 5, True)])
    (row,) = [r for r in perspective_coverage(G) if r.stakeholders]
    assert row.members == ("a",) and row.ties_into_coalition == 0
    assert by_code(findings(G), "coverage.patient-voice")[0].severity is Severity.INFO


def test_analysis_does_not_mutate_the_graph_and_findings_are_json_ready(small_map):
    G = tie_graph(small_map)
    before = snapshot(G)
    perspective_coverage(G)
    coverage_summary(G)
    found = findings(G)
    assert snapshot(G) == before
    json.dumps([f.to_dict() for f in found])


def test_method_is_documented():
    assert coverage.METHOD and "Timmins" in coverage.METHOD
