"""Findings a board can act on: grouped, stated once, fitted to the map (issue 16).

Hand-made maps whose findings are asserted exactly, in order, and the sample map's groups.
"""

from __future__ import annotations

from datetime import date

import pytest

from mapping.analysis.gaps import analyse
from mapping.analysis.grouping import group_title, who_acts
from mapping.demo.sample import load_sample
from mapping.model import Map, Relationship, Stakeholder

TODAY = date(2026, 12, 1)
PERSPECTIVES = ("clinical", "provider", "patient & carer", "public health")


def ok(a: str, b: str, rid: str, strength: int = 4) -> Relationship:
    return Relationship(rid, a, b, strength=strength, last_confirmed=TODAY)


def codes(m: Map) -> list[tuple[str, str]]:
    return [(f.code, f.severity.value) for f in analyse(m, today=TODAY).findings]


def test_a_perspective_with_nobody_on_the_map_is_the_loudest_gap_and_counts_in_the_headline():
    m = Map(
        "Missing",
        perspectives=PERSPECTIVES,
        stakeholders=(
            Stakeholder("a", "Ann", perspective="clinical", influence=4, coalition=True),
            Stakeholder("b", "Bo", perspective="provider", influence=4, coalition=True),
            Stakeholder("c", "Cy", perspective="patient & carer", influence=4, coalition=True),
        ),
        relationships=(ok("a", "b", "r1"), ok("b", "c", "r2"), ok("a", "c", "r3")),
    )
    report = analyse(m, today=TODAY)
    assert [(f.code, f.severity.value) for f in report.findings] == [
        ("coverage.not-mapped", "high"),
        ("resilience.key-person", "medium"),  # each member is their perspective's only one
        ("resilience.key-person", "medium"),
        ("resilience.key-person", "medium"),
        ("quality.missing-information", "low"),
        ("coverage.patient-voice", "info"),
        ("communities.mixed", "info"),
    ]
    assert report.findings[0].title == "Nobody from the public health perspective is on the map"
    assert report.headline[0].value == "3 of 4"
    assert report.figures["perspectives_with_stakeholders"] == 3


def test_a_sceptic_in_conflict_with_a_member_gets_one_finding_about_the_conflict():
    m = Map(
        "Conflict",
        perspectives=PERSPECTIVES[:3],
        stakeholders=(
            Stakeholder(
                "a", "Ann", perspective="clinical", influence=4, stance="champion", coalition=True
            ),
            Stakeholder(
                "b",
                "Bo",
                perspective="patient & carer",
                influence=4,
                stance="supporter",
                coalition=True,
            ),
            Stakeholder("s", "Sam", perspective="provider", influence=5, stance="sceptic"),
        ),
        relationships=(
            ok("a", "b", "r1"),
            Relationship("r2", "s", "a", type="conflict", strength=3, last_confirmed=TODAY),
        ),
    )
    report = analyse(m, today=TODAY)
    about_sam = [f for f in report.findings if "s" in f.stakeholders]
    assert [f.code for f in about_sam] == [
        "coverage.no-member",  # invites Sam: not a recruitment candidate as well
        "investment.conflict",
        "silos.cut-off",
        "quality.missing-information",
    ]
    conflict = about_sam[1]
    assert conflict.title == "Tension between Sam and the coalition's Ann"
    assert "in touch with the coalition through Ann" in conflict.explanation
    # nobody says there is no contact: the only contact is the conflict
    assert "no tie links" not in about_sam[0].explanation
    assert "only contact with the coalition is a conflict" in about_sam[0].explanation
    assert not [
        f
        for f in report.findings
        if f.code in ("investment.key-player", "grid.unmanaged-opposition")
    ]


def test_many_weak_ties_are_one_card_listing_them_most_urgent_first():
    people = [
        Stakeholder("lead", "Lead", perspective="clinical", influence=5, coalition=True),
        *(
            Stakeholder(
                f"k{i}", f"Key {i}", perspective="provider", influence=5, stance="supporter"
            )
            for i in range(8)
        ),
    ]
    ties = [ok("lead", f"k{i}", f"r{i}", strength=2) for i in range(8)]
    m = Map(
        "Weak", perspectives=PERSPECTIVES[:2], stakeholders=tuple(people), relationships=tuple(ties)
    )
    report = analyse(m, today=TODAY)
    [group] = [g for g in report.groups if g.kind.key == "investment"]
    assert group_title(group) == "8 relationships need investment"
    assert report.figures["relationships_needing_investment"] == 8
    assert [f.code for f in group.items] == ["investment.tie"] * 8
    assert {f.actor for f in group.items} == {"lead"}


def test_a_map_with_no_coalition_yet_gets_one_finding_saying_how_to_start():
    people = tuple(
        Stakeholder(f"g{i}", f"Agency {i}", perspective=p, stance="supporter")
        for i, p in enumerate(PERSPECTIVES * 3)
    )
    ties = tuple(ok(f"g{i}", f"g{i + 1}", f"r{i}") for i in range(len(people) - 1))
    report = analyse(
        Map("Agencies", perspectives=PERSPECTIVES, stakeholders=people, relationships=ties),
        today=TODAY,
    )
    voices = [f for f in report.findings if f.code.startswith("coverage.")]
    assert [f.code for f in voices] == ["coverage.no-coalition"]
    assert voices[0].title == "Nobody is marked as in the coalition yet"
    assert "tick 'In coalition'" in voices[0].action


def test_a_person_outside_the_coalition_who_is_the_only_bridge_into_a_group_is_a_key_person():
    m = Map(
        "Bridge",
        perspectives=PERSPECTIVES,
        stakeholders=(
            Stakeholder("a", "Ann", perspective="clinical", coalition=True),
            Stakeholder("b", "Bo", perspective="clinical", coalition=True),
            Stakeholder("c", "Cy", perspective="clinical"),
            Stakeholder("p", "Pat", perspective="provider"),
            Stakeholder("h1", "Hal", perspective="public health"),
            Stakeholder("h2", "Hana", perspective="public health"),
        ),
        relationships=(
            ok("a", "b", "r1"),
            ok("b", "c", "r2"),
            ok("a", "c", "r3"),
            ok("c", "p", "r4"),
            ok("p", "h1", "r5"),
            ok("h1", "h2", "r6"),
        ),
    )
    report = analyse(m, today=TODAY)
    key = [f for f in report.findings if f.code.startswith("resilience.")]
    assert [(f.code, f.stakeholders[0]) for f in key] == [
        ("resilience.key-person", "c"),
        ("resilience.key-person", "p"),
        ("resilience.key-person", "h1"),
        ("resilience.bridge", "c"),
        ("resilience.bridge", "p"),
    ]
    # Cy and Pat, neither a member, are the network's only way to public health; Hal is
    # public health himself
    assert report.figures["key_person_risks"] == 2


def test_the_network_only_bridge_is_a_key_person_even_with_no_coalition():
    m = Map(
        "No coalition",
        perspectives=PERSPECTIVES,
        stakeholders=(
            Stakeholder("a", "Ann", perspective="clinical"),
            Stakeholder("b", "Bo", perspective="clinical"),
            Stakeholder("g", "Gil", perspective="clinical"),
            Stakeholder("h1", "Hal", perspective="public health"),
            Stakeholder("h2", "Hana", perspective="public health"),
        ),
        relationships=(
            ok("a", "b", "r1"),
            ok("b", "g", "r2"),
            ok("a", "g", "r3"),
            ok("g", "h1", "r4"),
            ok("h1", "h2", "r5"),
        ),
    )
    report = analyse(m, today=TODAY)
    [gateway] = [f for f in report.findings if f.code.startswith("resilience.")]
    assert (gateway.code, gateway.title) == (
        "resilience.gateway",
        "Gil is the network's only link to the 'public health' perspective",
    )
    assert report.figures["key_person_risks"] == 1


def test_a_map_in_many_pieces_gets_one_finding_with_the_share_of_pairs_cut_apart():
    people, ties = [], []
    for k in range(14):
        ids = [f"p{k}-{i}" for i in range(3)]
        people += [
            Stakeholder(x, f"P{k}.{i}", perspective=PERSPECTIVES[k % 2], coalition=k == i == 0)
            for i, x in enumerate(ids)
        ]
        ties += [
            ok(ids[0], ids[1], f"{k}a"),
            ok(ids[1], ids[2], f"{k}b"),
            ok(ids[0], ids[2], f"{k}c"),
        ]
    m = Map(
        "Pieces",
        perspectives=PERSPECTIVES[:2],
        stakeholders=tuple(people),
        relationships=tuple(ties),
    )
    report = analyse(m, today=TODAY)
    found = [f.code for f in report.findings]
    assert found.count("resilience.fragmented") == 1
    assert "communities.single-perspective" not in found  # no echo chamber per piece
    [pieces] = [f for f in report.findings if f.code == "resilience.fragmented"]
    assert pieces.title == "The map falls apart into 14 separate pieces"
    assert pieces.explanation.startswith("95% of pairs of people cannot reach each other")


def test_a_map_of_things_not_people_says_the_people_findings_may_not_apply():
    people = tuple(Stakeholder(f"a{i}", f"Agency {i}") for i in range(11))
    ties = tuple(Relationship(f"x{i}", f"a{i}", f"a{(i + 1) % 11}") for i in range(11))
    report = analyse(Map("Agencies", stakeholders=people, relationships=ties), today=TODAY)
    assert report.groups[0].kind.key == "voices"  # nobody in the coalition yet: HIGH
    fit = [f for f in report.findings if f.code == "quality.not-people"]
    assert [f.title for f in fit] == [
        "This map may not be of people: the people-centred findings may not apply"
    ]


@pytest.fixture(scope="module")
def sample():
    m = load_sample()
    return m, analyse(m, today=TODAY)


def test_the_sample_map_opens_on_ten_groups_led_by_three_things_to_do(sample):
    m, report = sample
    assert [(g.kind.key, g.severity.value, g.count) for g in report.groups] == [
        ("voices", "high", 3),
        ("key-people", "high", 1),
        ("investment", "high", 23),
        ("recruitment", "medium", 3),
        ("silos", "medium", 1),
        ("bridges", "medium", 7),
        ("voices-to-organise", "medium", 1),
        ("influence", "medium", 7),
        ("data", "medium", 5),
        ("convene", "info", 4),
    ]
    assert len(report.groups) + 1 <= 12
    assert report.figures["relationships_needing_investment"] == 23
    assert [(a.kind.key, who_acts(a, m.names())) for a in report.actions] == [
        ("voices", "Claire Donnelly"),
        ("key-people", "Marcus Oyelaran"),  # one end of the second route to build
        ("investment", "Lucy Tran"),
    ]
    assert len(report.findings) == sum(len(g.items) for g in report.groups) == 55


def test_the_same_fact_about_the_same_person_is_stated_once_on_the_sample(sample):
    m, report = sample
    names = m.names()
    key_people = {f.stakeholders[0] for f in report.findings if f.code == "resilience.key-person"}
    brokers = {f.stakeholders[0] for f in report.findings if f.code.startswith("brokerage.")}
    assert not key_people & brokers
    invited = {f.evidence.get("invite") for f in report.findings if f.code.startswith("coverage.")}
    candidates = {f.stakeholders[0] for f in report.findings if f.code == "recruitment.candidate"}
    assert not invited & candidates
    assert names["s43"] == "Claire Donnelly"
