"""What if: scenario maps, headline figures before and after, and the scenario finding."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date

import pytest

from mapping.analysis.findings import Severity
from mapping.analysis.headline import FIGURES, headline_figures
from mapping.analysis.whatif import (
    compare,
    described,
    findings,
    outcome,
    side,
    what_if,
    what_if_figures,
)
from mapping.errors import NotFoundError, ValidationError
from mapping.model import Map, Relationship

TODAY = date(2026, 10, 1)
ANN_EVE = Relationship("new", "ann", "eve", strength=4, last_confirmed=date(2026, 9, 1))


def test_what_if_drops_people_and_their_ties_and_adds_new_ones(small_map):
    moved = replace(small_map, positions={"dan": (1.0, 2.0), "ann": (0.0, 0.0)})
    scenario = what_if(moved, remove=["dan"], add=[ANN_EVE])
    assert [s.id for s in scenario.stakeholders] == ["ann", "bob", "cat", "eve", "fay"]
    assert [r.id for r in scenario.relationships] == ["r1", "r2", "r5", "new"]
    assert scenario.positions == {"ann": (0.0, 0.0)}
    assert what_if(small_map) == small_map


def test_what_if_leaves_the_map_untouched(small_map):
    before = copy.deepcopy(small_map)
    what_if(small_map, remove=["ann"], add=[Relationship("x", "bob", "eve")])
    what_if_figures(small_map, ["dan"], [ANN_EVE], TODAY)
    findings(small_map, TODAY, ["dan"], [ANN_EVE])
    assert small_map == before


def test_removing_someone_unknown_names_them(small_map):
    with pytest.raises(NotFoundError, match="'zed'"):
        what_if(small_map, remove=["zed"])


@pytest.mark.parametrize(
    ("tie", "message"),
    [
        (Relationship("r1", "ann", "eve"), "'r1': the id is already used"),
        (Relationship("x", "dan", "fay"), "Dan Okafor leaves in this scenario"),
        (Relationship("x", "ann", "zed"), "unknown stakeholder 'zed'"),
    ],
)
def test_bad_new_relationships_are_explained(small_map, tie, message):
    with pytest.raises(ValidationError, match=message):
        what_if(small_map, remove=["dan"], add=[tie])


def test_headline_figures_of_the_small_map(small_map):
    assert headline_figures(small_map, TODAY) == {
        "stakeholders": 6,
        "coalition_members": 3,
        "perspectives_listed": 7,  # the default perspectives but "other": two have nobody
        "perspectives_with_stakeholders": 5,  # commissioner, clinical, provider, council, carers
        "perspectives_covered": 3,  # Ann, Bob and Dan's
        "perspective_coverage": pytest.approx(0.6),
        "cross_perspective_ties": pytest.approx(0.75),  # all but Dan-Eve of 4 supportive ties
        "key_person_risks": 3,  # Ann, Dan and Bob
        "fragmentation": pytest.approx(1 / 3),  # {5 people} and {Fay}: 1 - 20/30
        # Cat (never confirmed ties are not stale), and Cat's conflict with Bob
        "relationships_needing_investment": 2,
    }
    assert set(headline_figures(small_map, TODAY)) == set(FIGURES)


def test_figures_if_dan_left(small_map):
    before, after = what_if_figures(small_map, ["dan"], [], TODAY)
    assert before == headline_figures(small_map, TODAY)
    assert after["perspectives_covered"] == 2
    assert after["perspective_coverage"] == pytest.approx(0.4)
    assert after["fragmentation"] == pytest.approx(0.7)  # {Ann, Bob, Cat}, {Eve}, {Fay}
    assert after["key_person_risks"] == 2


def test_a_tie_between_ann_and_eve_removes_dan_as_a_key_person(small_map):
    _, after = what_if_figures(small_map, [], [ANN_EVE], TODAY)
    assert after["key_person_risks"] == 2  # Ann and Bob remain
    assert after["cross_perspective_ties"] == pytest.approx(0.8)
    assert after["fragmentation"] == pytest.approx(1 / 3)


def test_empty_map_figures_are_zero():
    figures = headline_figures(Map("Empty"), TODAY)
    assert figures.pop("perspectives_listed") == 7  # the map's list, even with nobody on it
    assert all(v == 0 for v in figures.values())


def test_compare_knows_which_way_is_better():
    before = {"fragmentation": 0.2, "perspectives_covered": 3, "stakeholders": 5}
    after = {"fragmentation": 0.1, "perspectives_covered": 2, "stakeholders": 5}
    assert compare(before, after) == {
        "fragmentation": "better",
        "perspectives_covered": "worse",
        "stakeholders": "same",
    }


def test_no_scenario_no_finding(small_map):
    assert findings(small_map, TODAY) == []


def test_finding_for_a_departure(small_map):
    (f,) = findings(small_map, TODAY, remove=["dan"])
    assert f.title == "What if Dan Okafor left?"
    assert f.severity is Severity.MEDIUM
    assert f.explanation == (
        "Cut off from the coalition: Eve Lewis. "
        "Pairs of people who cannot reach each other: 4 of 10 → 7 of 10. "
        "Perspectives with a coalition member: 3 of 7 → 2 of 7. Overall: worse."
    )
    assert f.evidence["covered_after"] == 2 and f.evidence["cut_off"] == ["eve"]
    assert "eve" in f.stakeholders


def test_finding_for_a_new_tie(small_map):
    (f,) = findings(small_map, TODAY, add=[ANN_EVE])
    assert f.title == "What if Ann Clark and Eve Lewis built a relationship?"
    assert f.severity is Severity.INFO
    assert f.ties == (("ann", "eve"),)
    assert f.action.startswith("Worth doing")


# --- verdicts on hand-made repair cases: the verdict agrees with the figures ----------------


def _chain() -> Map:
    """Ann and Bo (coalition) - Kay (key player, influence 5) - Lee - Max; Nia alone."""
    from mapping.model import Stakeholder

    return Map(
        "Chain",
        stakeholders=(
            Stakeholder("ann", "Ann", perspective="clinical", coalition=True),
            Stakeholder("bo", "Bo", perspective="clinical", coalition=True),
            Stakeholder("kay", "Kay", perspective="provider", influence=5, stance="supporter"),
            Stakeholder("lee", "Lee", perspective="provider"),
            Stakeholder("max", "Max", perspective="public health"),
            Stakeholder("nia", "Nia", perspective="public health"),
        ),
        relationships=(
            Relationship("r1", "ann", "bo", strength=4, last_confirmed=TODAY),
            Relationship("r2", "bo", "kay", strength=4, last_confirmed=TODAY),
            Relationship("r3", "kay", "lee", strength=4, last_confirmed=TODAY),
            Relationship("r4", "lee", "max", strength=4, last_confirmed=TODAY),
        ),
    )


def test_a_repairing_tie_is_better_and_names_who_is_reconnected():
    # a new tie with no date counts as confirmed the day it is built: no new "investment"
    (f,) = findings(_chain(), TODAY, add=[Relationship("new", "ann", "nia", strength=3)])
    assert f.explanation == (
        "Reconnected to the coalition: Nia. "
        "Pairs of people who cannot reach each other: 5 of 15 → 0 of 15. "
        "People whose departure would cut others off: 3 → 1. Overall: better."
    )
    assert f.action.startswith("Worth doing")
    assert f.severity is Severity.INFO


def test_a_departure_names_who_would_be_cut_off_and_is_worse():
    (f,) = findings(_chain(), TODAY, remove=["kay"])
    assert f.explanation.startswith("Cut off from the coalition: Lee and Max.")
    assert "Pairs of people who cannot reach each other: 4 of 10 → 8 of 10." in f.explanation
    assert f.explanation.endswith("Overall: worse.")
    assert f.evidence["cut_off"] == ["lee", "max"]


def test_a_departure_with_its_repair_is_no_longer_worse():
    repair = Relationship("new", "bo", "lee", strength=3)
    (f,) = findings(_chain(), TODAY, remove=["kay"], add=[repair])
    assert "Cut off" not in f.explanation
    assert f.evidence["unreachable_before"] == f.evidence["unreachable_after"] == 4
    assert f.evidence["verdict"] != "worse"


def test_a_page_showing_the_outcome_gets_the_same_finding_from_it(small_map):
    # the What if page works the outcome out once and describes it
    for gone, added in ((["dan"], []), ([], [ANN_EVE]), (["dan", "ann"], [])):
        o = outcome(small_map, TODAY, gone, added)
        assert findings(small_map, TODAY, gone, added) == [described(small_map, o, gone, added)]


def test_outcome_figures_match_the_headline_figures_of_each_side(small_map):
    o = outcome(small_map, TODAY, ["dan"], [ANN_EVE])
    before, after = what_if_figures(small_map, ["dan"], [ANN_EVE], TODAY)
    assert (o.covered_before, o.covered_after) == (
        before["perspectives_covered"],
        after["perspectives_covered"],
    )
    assert (o.investment_before, o.investment_after) == (
        before["relationships_needing_investment"],
        after["relationships_needing_investment"],
    )


def test_an_outcome_from_a_starting_point_worked_out_before_is_the_same(small_map):
    start = side(small_map, TODAY, strong_tie=4)
    for gone, added in ((["dan"], []), ([], [ANN_EVE]), (["bob", "dan"], [ANN_EVE])):
        assert outcome(small_map, TODAY, gone, added, before=start, strong_tie=4) == outcome(
            small_map, TODAY, gone, added, strong_tie=4
        )
