"""Relationships needing investment: unsecured key players, weak or stale ties, tensions."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date

import pytest

from mapping.analysis.findings import Severity
from mapping.analysis.investment import (
    coalition_conflicts,
    findings,
    investment_needs,
    ties_needing_investment,
    unsecured_key_players,
)
from mapping.model import Map, Relationship, Stakeholder
from mapping.model.graph import tie_graph

TODAY = date(2026, 10, 1)


def test_cat_is_the_unsecured_key_player(small_map):
    (gap,) = unsecured_key_players(tie_graph(small_map))
    assert (gap.id, gap.stance, gap.influence) == ("cat", "sceptic", 5)
    # her commissioning tie with Ann (2) counts; her conflict with Bob does not
    assert (gap.closest_member, gap.closest_strength) == ("ann", 2)


def test_a_neutral_member_with_a_strong_tie_is_secured(small_map):
    ids = [g.id for g in unsecured_key_players(tie_graph(small_map))]
    assert "dan" not in ids  # neutral, influence 4, but tied to Ann at strength 3
    ids = [g.id for g in unsecured_key_players(tie_graph(small_map), strong_tie=4)]
    assert ids == ["cat", "dan"]


@pytest.mark.parametrize(
    ("stance", "listed"),
    [
        ("opposed", True),
        ("sceptic", True),
        ("neutral", True),
        ("unknown", False),
        ("supporter", False),
        ("champion", False),
    ],
)
def test_only_people_still_to_win_over_are_listed(stance, listed):
    people = (Stakeholder("k", "Kay", influence=4, stance=stance),)
    G = tie_graph(Map("M", stakeholders=people))
    assert bool(unsecured_key_players(G)) is listed


def test_influence_threshold_is_inclusive():
    people = (Stakeholder("k", "Kay", influence=4, stance="opposed"),)
    G = tie_graph(Map("M", stakeholders=people))
    assert [g.id for g in unsecured_key_players(G, high_influence=4)] == ["k"]
    assert unsecured_key_players(G, high_influence=5) == []


def long_ago(m: Map, *ids: str) -> Map:
    """``m`` with these relationships last confirmed in January 2024 (stale by ``TODAY``)."""
    return m.with_relationships(
        replace(r, last_confirmed=date(2024, 1, 1)) if r.id in ids else r for r in m.relationships
    )


def test_weak_and_stale_ties_to_key_players(small_map):
    gaps = ties_needing_investment(long_ago(small_map, "r3", "r4"), TODAY)
    assert [(t.source, t.target, t.weak, t.stale) for t in gaps] == [
        ("ann", "cat", True, False),  # strength 2, never confirmed; key players 5 and 5
        ("ann", "dan", False, True),  # strength 3, confirmed January 2024
        ("dan", "eve", False, True),  # strength 5, confirmed January 2024; key player Dan (4)
    ]
    assert gaps[0].key_players == ("ann", "cat")


def test_a_strong_tie_never_confirmed_is_not_stale(small_map):
    # Ann-Dan (3) and Dan-Eve (5) have no date: not stale, so only the weak Ann-Cat tie
    gaps = ties_needing_investment(small_map, TODAY)
    assert [(t.source, t.target, t.weak, t.stale) for t in gaps] == [("ann", "cat", True, False)]


def test_a_confirmation_goes_stale_on_its_anniversary(small_map):
    def pairs(day: date) -> list[tuple[str, str]]:
        return [(t.source, t.target) for t in ties_needing_investment(small_map, day)]

    assert ("ann", "bob") not in pairs(date(2027, 8, 31))
    assert ("ann", "bob") in pairs(date(2027, 9, 1))  # confirmed 1 September 2026


def test_parallel_ties_count_as_one_with_the_best_strength_and_latest_date():
    people = (Stakeholder("a", "Ann"), Stakeholder("k", "Kay", influence=5))
    ties = (
        Relationship("r1", "a", "k", strength=1, last_confirmed=date(2020, 1, 1)),
        Relationship("r2", "k", "a", type="funds", strength=4, last_confirmed=date(2026, 9, 1)),
    )
    assert ties_needing_investment(Map("M", stakeholders=people, relationships=ties), TODAY) == []
    weaker = (ties[0], replace(ties[1], strength=2))
    (gap,) = ties_needing_investment(Map("M", stakeholders=people, relationships=weaker), TODAY)
    assert (gap.strength, gap.last_confirmed, gap.weak, gap.stale) == (
        2,
        date(2026, 9, 1),
        True,
        False,
    )
    assert gap.relationships == ("r1", "r2")


def test_conflicts_inside_the_coalition(small_map):
    assert coalition_conflicts(small_map) == []
    cat_joins = small_map.with_stakeholders(
        replace(s, coalition=True) if s.id == "cat" else s for s in small_map.stakeholders
    )
    assert [r.id for r in coalition_conflicts(cat_joins)] == ["r5"]
    (f,) = [f for f in findings(cat_joins, TODAY) if f.code == "investment.conflict"]
    assert f.title == "Tension inside the coalition: Dr Bob Singh and Cat Jones"
    assert f.severity is Severity.HIGH
    assert f.action.startswith("Ask Ann Clark, who works with both")


def test_needs_count_each_relationship_once(small_map):
    needs = investment_needs(long_ago(small_map, "r3", "r4"), TODAY)
    assert [g.id for g in needs.key_players] == ["cat"]
    # Ann-Cat is Cat's closest tie, so the key-player entry covers it
    assert [(t.source, t.target) for t in needs.ties] == [("ann", "dan"), ("dan", "eve")]
    # Cat's conflict with Bob, a coalition member, is a relationship to invest in too
    assert [r.id for r in needs.conflicts] == ["r5"]
    assert needs.count == 4


def test_findings_name_people_and_the_member_to_ask(small_map):
    out = findings(long_ago(small_map, "r3", "r4"), TODAY)
    assert [f.code for f in out] == [
        "investment.conflict",
        "investment.key-player",
        "investment.tie",
        "investment.tie",
    ]
    assert out[0].title == "Tension between Cat Jones and the coalition's Dr Bob Singh"
    out = out[1:]
    cat = out[0]
    assert cat.severity is Severity.HIGH
    assert cat.explanation == (
        "Cat Jones (provider, influence 5 of 5, sceptic) has no strong tie to the coalition: "
        "the closest is with Ann Clark (strength 2 of 5, never confirmed)."
    )
    assert cat.action.startswith("Ask Ann Clark to invest")
    assert cat.ties == (("ann", "cat"),)
    assert out[1].title == "The relationship between Ann Clark and Dan Okafor needs investment"
    assert out[1].explanation == (
        "Ann Clark (influence 5 of 5) and Dan Okafor (influence 4 of 5) are key players, "
        "but the relationship was last confirmed 1 January 2024."
    )
    assert out[1].severity is Severity.MEDIUM


def test_a_key_player_no_one_knows_needs_a_messenger():
    m = Map("M", stakeholders=(Stakeholder("k", "Kay", influence=5, stance="opposed"),))
    (f,) = findings(m, TODAY)
    assert f.explanation.endswith("has no direct tie to anyone in the coalition.")
    assert f.ties == ()


def test_empty_map_needs_nothing():
    assert findings(Map("Empty"), TODAY) == []
    assert investment_needs(Map("Empty"), TODAY).count == 0


def test_investment_leaves_the_map_untouched(small_map):
    before = copy.deepcopy(small_map)
    findings(small_map, TODAY)
    assert small_map == before


def test_sample_map_finds_the_sceptic_and_the_tension():
    from mapping.demo.sample import load_sample

    m = load_sample()
    names = m.names()
    needs = investment_needs(m, date(2026, 11, 26))
    hale = next(g for g in needs.key_players if names[g.id] == "Richard Hale")
    assert (names[hale.closest_member], hale.closest_strength) == ("Nadia Rahman", 2)
    assert [{names[r.source], names[r.target]} for r in needs.conflicts] == [
        {"Daniel Kowalski", "Owen Griffiths"},
        {"Dr Peter Lindqvist", "Lucy Tran"},  # a key player in conflict with a member
    ]
