"""Communities: seeded, strength-weighted Louvain clusters compared with perspectives."""

from __future__ import annotations

import copy
import json

import networkx as nx
import pytest

from mapping.analysis import communities as module
from mapping.analysis.communities import Community, communities, findings, membership
from mapping.analysis.findings import Severity
from mapping.model import Map, Stakeholder
from mapping.model.graph import tie_graph


def snapshot(G: nx.Graph) -> tuple:
    return copy.deepcopy((list(G.nodes(data=True)), list(G.edges(data=True)), dict(G.graph)))


def grouped(groups: dict[str, str], edges, perspectives=None, coalition=()) -> nx.Graph:
    G = nx.Graph(perspectives=tuple(perspectives or dict.fromkeys(groups.values())))
    for n, p in groups.items():
        G.add_node(n, name=n.upper(), perspective=p, influence=3, coalition=n in coalition)
    for u, v, s in edges:
        G.add_edge(u, v, strength=s, distance=1 / s)
    return G


def test_karate_club_matches_networkx_reference_partition():
    # NetworkX's test_louvain.py: karate club, seed=2, unweighted.
    expected = [
        {0, 1, 2, 3, 7, 9, 11, 12, 13, 17, 19, 21},
        {16, 4, 5, 6, 10},
        {23, 25, 27, 28, 24, 31},
        {32, 33, 8, 14, 15, 18, 20, 22, 26, 29, 30},
    ]
    found = communities(nx.karate_club_graph(), seed=2, weight=None)
    assert sorted(map(frozenset, (c.members for c in found)), key=min) == sorted(
        map(frozenset, expected), key=min
    )
    assert [c.size for c in found] == [12, 11, 6, 5]  # largest first
    assert [c.index for c in found] == [0, 1, 2, 3]


def test_strength_decides_the_clusters():
    # A ring a-b-c-d-a: strong a-b and c-d, weak b-c and d-a.
    G = grouped(
        {"a": "x", "b": "x", "c": "y", "d": "y"},
        [("a", "b", 5), ("b", "c", 1), ("c", "d", 5), ("d", "a", 1)],
    )
    assert {frozenset(c.members) for c in communities(G)} == {frozenset("ab"), frozenset("cd")}
    # Swap which ties are strong and the clusters follow.
    H = grouped(
        {"a": "x", "b": "x", "c": "y", "d": "y"},
        [("a", "b", 1), ("b", "c", 5), ("c", "d", 1), ("d", "a", 5)],
    )
    assert {frozenset(c.members) for c in communities(H)} == {frozenset("bc"), frozenset("ad")}


def test_same_seed_gives_the_same_clusters():
    G = nx.les_miserables_graph()
    assert communities(G, seed=7) == communities(G, seed=7)


def test_community_perspective_mix_in_map_order_and_dominant_share():
    # A complete graph stays one community: any split lowers modularity.
    K4 = [(u, v, 5) for u, v in nx.complete_graph("abcd").edges()]
    G = grouped({"a": "y", "b": "x", "c": "y", "d": "z"}, K4, perspectives=("x", "y", "z"))
    (c,) = communities(G)
    assert c.perspectives == {"x": 1, "y": 2, "z": 1}
    assert list(c.perspectives) == ["x", "y", "z"]
    assert (c.dominant, c.dominant_share) == ("y", 0.5)


def test_dominant_perspective_tie_goes_to_the_first_in_map_order():
    G = grouped({"a": "y", "b": "x"}, [("a", "b", 3)], perspectives=("x", "y"))
    (c,) = communities(G)
    assert c.dominant == "x"


def test_members_listed_highest_influence_first_and_membership():
    G = grouped({"a": "x", "b": "x"}, [("a", "b", 3)])
    G.nodes["b"]["influence"] = 5
    found = communities(G)
    assert found[0].members == ("b", "a")
    assert membership(found) == {"b": 0, "a": 0}


def test_single_perspective_cluster_is_a_possible_echo_chamber():
    G = grouped(
        {
            "c1": "clinical",
            "c2": "clinical",
            "c3": "clinical",
            "p1": "provider",
            "p2": "provider",
            "p3": "provider",
        },
        [
            ("c1", "c2", 5),
            ("c2", "c3", 5),
            ("c1", "c3", 5),
            ("p1", "p2", 5),
            ("p2", "p3", 5),
            ("p1", "p3", 5),
            ("p1", "c1", 1),
            ("p1", "c2", 1),
        ],
    )
    found = findings(G)
    assert [f.code for f in found] == ["communities.single-perspective"] * 2
    clinical = next(f for f in found if f.evidence["dominant"] == "clinical")
    assert clinical.severity is Severity.LOW
    assert set(clinical.stakeholders) == {"c1", "c2", "c3"}
    assert "P1 (provider) already knows 2 of them" in clinical.action
    assert clinical.evidence["ties_inside"] == 3
    assert "echo chamber" in clinical.title


def test_mixed_cluster_is_a_place_to_convene_hosted_by_a_coalition_member():
    K4 = [(u, v, 4) for u, v in nx.complete_graph("abcd").edges()]
    G = grouped({"a": "x", "b": "y", "c": "z", "d": "z"}, K4, coalition=("b",))
    (f,) = findings(G)
    assert f.code == "communities.mixed"
    assert f.severity is Severity.INFO
    assert f.evidence["perspectives"] == {"x": 1, "y": 1, "z": 2}
    assert "B, the best connected within it" in f.action
    assert not findings(G, min_mix=4)


def test_small_clusters_give_no_findings():
    G = grouped({"a": "x", "b": "x"}, [("a", "b", 4)])
    assert findings(G) == []
    assert [f.code for f in findings(G, min_size=2)] == ["communities.single-perspective"]


def test_findings_reuse_precomputed_communities():
    G = grouped({"a": "x", "b": "x"}, [("a", "b", 4)])
    fake = [Community(0, ("a", "b"), {"x": 2}, "x", 1.0)]
    assert findings(G, found=fake, min_size=2)[0].stakeholders == ("a", "b")


@pytest.mark.parametrize(
    ("G", "sizes"),
    [
        (nx.Graph(), []),
        (tie_graph(Map(name="Empty")), []),
        (tie_graph(Map(name="One", stakeholders=(Stakeholder("a", "Ann"),))), [1]),
        (nx.empty_graph(3), [1, 1, 1]),
        (nx.Graph([(0, 1), (2, 3)]), [2, 2]),
    ],
    ids=["bare", "empty-map", "one-person", "no-ties", "disconnected"],
)
def test_edge_cases_give_sensible_clusters(G, sizes):
    found = communities(G)
    assert [c.size for c in found] == sizes
    assert all(c.dominant_share == 1.0 for c in found if c.size == 1)
    assert findings(G) == []


def test_small_map(small_map):
    G = tie_graph(small_map)
    found = communities(G)
    assert [set(c.members) for c in found] == [{"ann", "bob", "cat"}, {"dan", "eve"}, {"fay"}]
    (f,) = findings(G)
    assert f.code == "communities.mixed"
    assert "Ann Clark" in f.action


def test_analysis_does_not_mutate_the_graph_and_findings_are_json_ready(small_map):
    G = tie_graph(small_map)
    before = snapshot(G)
    communities(G)
    found = findings(G)
    assert snapshot(G) == before
    json.dumps([f.to_dict() for f in found])


def test_method_cites_blondel():
    assert "Blondel et al. 2008" in module.METHOD
