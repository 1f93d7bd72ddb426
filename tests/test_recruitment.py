"""Who to bring in next: the transparent score, the approach route and the findings."""

from __future__ import annotations

import copy

import networkx as nx
import pytest

from mapping.analysis.findings import Severity
from mapping.analysis.recruitment import GAP_POINTS, STANCE_POINTS, candidates, findings
from mapping.model import Map, Relationship, Stakeholder
from mapping.model.graph import tie_graph


def person(sid, name, perspective="provider", influence=3, stance="unknown", coalition=False):
    return Stakeholder(
        sid, name, perspective=perspective, influence=influence, stance=stance, coalition=coalition
    )


def chain_map() -> Map:
    """Ann (member) knows Xi well; Xi knows Yan well; Zed is tied weakly to Ann and to Xi."""
    people = (
        person("a", "Ann", "clinical", 3, "champion", True),
        person("x", "Xi", "clinical", 3, "supporter"),
        person("y", "Yan", "patient & carer", 2, "supporter"),
        person("z", "Zed", "other", 4, "neutral"),
    )
    ties = (
        Relationship("r1", "a", "x", strength=5),
        Relationship("r2", "x", "y", strength=5),
        Relationship("r3", "a", "z", strength=1),
        Relationship("r4", "x", "z", strength=5),
    )
    return Map("Chain", stakeholders=people, relationships=ties)


def test_small_map_ranking_and_score_parts(small_map):
    ranked = candidates(tie_graph(small_map))
    assert [(c.id, c.score) for c in ranked] == [
        ("cat", pytest.approx(8.4)),  # sceptic 1 + influence 4 + tie 2/5 + provider gap 3
        ("fay", pytest.approx(6.0)),  # unknown 2 + influence 1 + no ties + patient gap 3
        ("eve", pytest.approx(5.0)),  # supporter 3 + influence 1 + tie 5/5 + no gap
    ]
    cat = ranked[0]
    assert (cat.stance_points, cat.influence_points, cat.tie_points, cat.gap_points) == (
        1,
        4,
        pytest.approx(0.4),
        3,
    )
    assert cat.approach_path == ("ann", "cat") and cat.approach_strength == 2
    assert ranked[1].approach_path == () and ranked[1].approach_by is None
    assert ranked[2].approach_by == "dan"


def test_stance_points_run_from_champion_to_opposed():
    order = ["champion", "supporter", "neutral", "sceptic", "opposed"]
    points = [STANCE_POINTS[s] for s in order]
    assert points == sorted(points, reverse=True)
    assert STANCE_POINTS["neutral"] == STANCE_POINTS["unknown"]


def test_without_a_direct_tie_the_route_follows_the_strongest_chain():
    ranked = {c.id: c for c in candidates(tie_graph(chain_map()))}
    assert ranked["y"].approach_path == ("a", "x", "y")
    assert ranked["y"].approach_strength is None
    assert ranked["y"].approach_by == "a"


def test_a_direct_tie_is_preferred_even_when_weak():
    zed = {c.id: c for c in candidates(tie_graph(chain_map()))}["z"]
    assert zed.approach_path == ("a", "z") and zed.approach_strength == 1


def test_the_other_perspective_fills_no_gap():
    zed = {c.id: c for c in candidates(tie_graph(chain_map()))}["z"]
    assert not zed.fills_gap and zed.gap_points == 0
    yan = {c.id: c for c in candidates(tie_graph(chain_map()))}["y"]
    assert yan.fills_gap and yan.gap_points == GAP_POINTS


def test_strongest_tie_then_most_influential_member_makes_the_approach():
    people = (
        person("a", "Ann", coalition=True, influence=2),
        person("b", "Bo", coalition=True, influence=5),
        person("c", "Cy", coalition=True, influence=5),
        person("k", "Kay"),
    )
    ties = (
        Relationship("r1", "a", "k", strength=4),
        Relationship("r2", "b", "k", strength=4),
        Relationship("r3", "c", "k", strength=2),
    )
    (kay,) = candidates(tie_graph(Map("M", stakeholders=people, relationships=ties)))
    assert kay.approach_by == "b"
    assert kay.ties_to_coalition == 3
    assert kay.tie_points == pytest.approx(2.0)  # (4 + 4 + 2) / 5


def test_tie_points_are_capped():
    members = tuple(person(f"m{i}", f"Member {i}", coalition=True) for i in range(6))
    people = (*members, person("k", "Kay"))
    ties = tuple(Relationship(f"r{i}", f"m{i}", "k", strength=5) for i in range(6))
    (kay,) = candidates(tie_graph(Map("M", stakeholders=people, relationships=ties)))
    assert kay.tie_points == 4


def test_findings_name_who_should_ask_and_how(small_map):
    out = findings(tie_graph(small_map))
    assert [f.title for f in out] == [
        "Bring in Cat Jones (provider) next",
        "Bring in Fay Brown (patient & carer)",
        "Bring in Eve Lewis (local authority & social care)",
    ]
    cat, fay, eve = out
    assert cat.severity is Severity.MEDIUM and eve.severity is Severity.LOW
    assert cat.action.startswith("Ask Ann Clark, who has the strongest tie with Cat Jones (2 of 5)")
    assert "listen to their doubts" in cat.action
    assert fay.action.startswith("No one in the coalition has a route to Fay Brown")
    assert eve.ties == (("dan", "eve"),)
    assert cat.evidence["score"] == 8.4


def test_an_introduction_names_the_chain():
    out = {f.stakeholders[0]: f for f in findings(tie_graph(chain_map()))}
    assert out["y"].action.startswith("Ask Ann to seek an introduction to Yan through Xi")
    assert out["y"].ties == (("a", "x"), ("x", "y"))


def test_opposed_people_are_not_suggested_and_top_limits():
    people = (
        person("a", "Ann", coalition=True),
        person("o", "Olu", influence=5, stance="opposed"),
        *(person(f"p{i}", f"P{i}") for i in range(8)),
    )
    G = tie_graph(Map("M", stakeholders=people))
    assert "o" in [c.id for c in candidates(G)]
    out = findings(G, top=3)
    assert len(out) == 3
    assert all("Olu" not in f.title for f in findings(G, top=20))


@pytest.mark.parametrize("m", [Map("Empty"), Map("One", stakeholders=(person("k", "Kay"),))])
def test_no_coalition_means_nothing_to_build_from(m):
    G = tie_graph(m)
    assert findings(G) == []
    assert all(c.approach_path == () for c in candidates(G))


def test_recruitment_leaves_the_graph_untouched(small_map):
    G = tie_graph(small_map)
    before = copy.deepcopy(G)
    findings(G)
    assert nx.utils.graphs_equal(G, before)
    assert dict(G.nodes(data=True)) == dict(before.nodes(data=True))


def test_sample_map_suggests_patient_and_carer_voices():
    from mapping.demo.sample import load_sample

    top = candidates(tie_graph(load_sample()))[:5]
    carers = [c for c in top if c.perspective == "patient & carer"]
    assert carers and all(c.fills_gap and c.approach_strength for c in carers)
