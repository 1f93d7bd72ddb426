"""Key-person risk: fragmentation, articulation points, bridges, repairs and findings."""

from __future__ import annotations

import copy
import random
from itertools import permutations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapping.analysis.findings import Severity
from mapping.analysis.resilience import (
    articulation_points,
    critical_ties,
    distance_fragmentation,
    findings,
    fragmentation,
    key_person_risks,
)
from mapping.errors import NotFoundError
from mapping.model.graph import tie_graph

# --- brute-force definitions, written from the papers rather than from the code ----------


def brute_fragmentation(G: nx.Graph, removed=()) -> float:
    """Borgatti's F: the share of ordered pairs with no path between them."""
    H = G.copy()
    H.remove_nodes_from(removed)
    n = len(H)
    if n < 2:
        return 0.0
    apart = sum(1 for a, b in permutations(H, 2) if not nx.has_path(H, a, b))
    return apart / (n * (n - 1))


def linked_perspectives(H: nx.Graph) -> set[str]:
    """Perspectives with someone who shares a component with a coalition member."""
    out = set()
    for comp in nx.connected_components(H):
        if any(H.nodes[u]["coalition"] for u in comp):
            out |= {H.nodes[u]["perspective"] for u in comp}
    return out - {"other"}


def labelled(n: int, edges, members, kinds) -> nx.Graph:
    G = nx.Graph(perspectives=("clinical", "provider", "patient & carer", "other"))
    for i in range(n):
        G.add_node(
            f"p{i}",
            name=f"Person {i}",
            coalition=i in members,
            perspective=kinds[i % len(kinds)],
            influence=1 + i % 5,
        )
    G.add_edges_from((f"p{a}", f"p{b}", {"strength": 1 + (a + b) % 5}) for a, b in edges if a != b)
    return G


graphs = st.integers(min_value=0, max_value=11).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0)))),
        st.sets(st.integers(0, max(n - 1, 0))),
        st.lists(
            st.sampled_from(["clinical", "provider", "patient & carer", "other"]),
            min_size=1,
            max_size=4,
        ),
    )
)


# --- fragmentation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("G", "removed", "expected"),
    [
        (nx.Graph(), (), 0.0),
        (nx.path_graph(1), (), 0.0),
        (nx.empty_graph(2), (), 1.0),
        (nx.path_graph(4), (), 0.0),
        (nx.path_graph(4), (1,), 2 / 3),  # {0} and {2, 3}: 1 - 2/6
        (nx.path_graph(4), (0,), 0.0),
        (nx.star_graph(4), (0,), 1.0),  # the hub gone, four people alone
        (nx.star_graph(4), (1,), 0.0),
        (
            nx.Graph([("a", "b"), ("b", "x"), ("a", "x"), ("x", "c"), ("c", "d"), ("d", "x")]),
            ("x",),
            2 / 3,
        ),  # two triangles joined by x: {a, b}, {c, d}: 1 - 4/12
        (nx.complete_graph(5), (0, 1), 0.0),
    ],
)
def test_fragmentation_matches_hand_computed_values(G, removed, expected):
    assert fragmentation(G, removed) == pytest.approx(expected)
    assert brute_fragmentation(G, removed) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("G", "expected"),
    [
        (nx.path_graph(3), 1 / 6),  # ordered pairs at 1, 1, 2 steps: 1 - (4 + 1) / 6
        (nx.star_graph(3), 0.25),  # 6 pairs at 1 step, 6 at 2: 1 - 9 / 12
        (nx.complete_graph(4), 0.0),
        (nx.empty_graph(3), 1.0),
        (nx.Graph(), 0.0),
    ],
)
def test_distance_fragmentation_matches_hand_computed_values(G, expected):
    assert distance_fragmentation(G) == pytest.approx(expected)


def test_fragmentation_of_an_unknown_person_names_them():
    with pytest.raises(NotFoundError, match="'zoe'"):
        fragmentation(nx.path_graph(["a", "b"]), removed=["zoe"])


# --- articulation points and bridges -------------------------------------------------------


def test_articulation_points_and_bridges_on_florentine_families():
    G = nx.florentine_families_graph()
    # each holds a family with no other tie: Acciaiuoli, Ginori, Pazzi, Lamberteschi
    assert set(articulation_points(G)) == {"Medici", "Albizzi", "Salviati", "Guadagni"}
    assert set(articulation_points(G)) == set(nx.articulation_points(G))
    found = {frozenset((t.source, t.target)) for t in critical_ties(G)}
    assert found == {frozenset(e) for e in nx.bridges(G)}
    pazzi = next(t for t in critical_ties(G) if "Pazzi" in (t.source, t.target))
    assert sorted((pazzi.source_side, pazzi.target_side)) == [1, 14]


@settings(max_examples=150, deadline=None)
@given(graphs)
def test_search_agrees_with_networkx_and_brute_force(case):
    n, edges, members, kinds = case
    G = labelled(n, edges, members, kinds)
    assert set(articulation_points(G)) == set(nx.articulation_points(G))
    found = {frozenset((t.source, t.target)) for t in critical_ties(G)}
    assert found == {frozenset(e) for e in nx.bridges(G)}
    risks = {r.id: r for r in key_person_risks(G, people=list(G))}
    before = linked_perspectives(G)
    for v, r in risks.items():
        assert r.fragmentation_before == pytest.approx(brute_fragmentation(G))
        assert r.fragmentation_after == pytest.approx(brute_fragmentation(G, [v]))
        H = G.copy()
        H.remove_node(v)
        assert set(r.perspectives_lost) == before - linked_perspectives(H)
        # members cut off: those around v outside the part holding most of v's members
        around = nx.node_connected_component(G, v) - {v}
        parts = [c for c in nx.connected_components(H) if c <= around]
        counts = [sum(H.nodes[u]["coalition"] for u in c) for c in parts]
        assert len(r.cut_off_members) == sum(counts) - max(counts, default=0)
        assert all(G.nodes[u]["coalition"] and u in around for u in r.cut_off_members)
        assert r.articulation_point == (len(parts) > 1)
        if r.cut_off_members:  # the repair rejoins the next-largest group of members
            assert len(r.repair.members_restored) == sorted(counts)[-2]
        if r.repair is not None:
            a, b = r.repair.source, r.repair.target
            assert v not in (a, b)
            assert not nx.has_path(H, a, b)
            H.add_edge(a, b)
            assert r.repair.fragmentation_after == pytest.approx(brute_fragmentation(H))
            for u in r.repair.members_restored:
                assert nx.has_path(H, u, a)
            assert set(r.repair.perspectives_restored) <= linked_perspectives(H)


# --- the small named map --------------------------------------------------------------------


def test_small_map_ranks_ann_then_dan_then_bob(small_map):
    risks = key_person_risks(tie_graph(small_map))
    assert [r.id for r in risks] == ["ann", "dan", "bob"]
    ann, dan, bob = risks
    assert ann.cut_off_members == ("bob",)
    assert ann.perspectives_lost == ("commissioner", "provider")
    assert ann.fragmentation_before == pytest.approx(1 / 3)  # {5 people}, {Fay}: 1 - 20/30
    assert ann.fragmentation_after == pytest.approx(0.9)  # {Dan, Eve} the only pair: 1 - 2/20
    assert (ann.repair.source, ann.repair.target) == ("bob", "dan")
    assert ann.repair.members_restored == ("bob",)
    assert ann.repair.fragmentation_after == pytest.approx(0.7)  # {Bob, Dan, Eve}: 1 - 6/20
    assert dan.articulation_point and dan.perspectives_lost == ("local authority & social care",)
    assert (dan.repair.source, dan.repair.target) == ("ann", "eve")
    assert dan.contacts_cut_off == ("eve",)
    assert not bob.articulation_point and bob.perspectives_lost == ("clinical",)
    assert bob.repair is None


def test_findings_name_the_people_and_the_repair(small_map):
    out = findings(tie_graph(small_map))
    by_title = {f.title: f for f in out}
    dan = by_title[
        "If Dan Okafor left, the 'local authority & social care' perspective would lose its "
        "only route into the coalition"
    ]
    assert dan.severity is Severity.HIGH
    assert "Ann Clark and Eve Lewis" in dan.action
    assert dan.ties == (("dan", "eve"),)
    assert dan.evidence["suggested_tie"] == ["ann", "eve"]
    assert "If Ann Clark left, Dr Bob Singh would be cut off from the coalition" in by_title
    bob = by_title[
        "If Dr Bob Singh left, the coalition would lose its only connection to the "
        "'clinical' perspective"
    ]
    assert bob.severity is Severity.MEDIUM
    bridge = next(f for f in out if f.code == "resilience.bridge")
    assert bridge.ties == (("ann", "dan"),)
    assert bridge.severity is Severity.HIGH
    assert [f.code for f in out].count("resilience.bridge") == 1


def test_a_well_knit_coalition_gets_reassurance():
    G = nx.complete_graph(["a", "b", "c"])
    nx.set_node_attributes(G, True, "coalition")
    nx.set_node_attributes(G, "clinical", "perspective")
    assert [f.code for f in findings(G)] == ["resilience.no-key-person"]


@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_maps_give_sensible_results(n):
    G = labelled(n, [(0, 1)] if n == 2 else [], set(range(n)), ["clinical"])
    risks = key_person_risks(G)
    assert len(risks) == n
    assert all(r.fragmentation_after == 0.0 for r in risks)
    assert all(f.code != "resilience.bridge" for f in findings(G))


def test_a_lone_member_is_the_only_connection_to_their_perspective():
    G = labelled(3, [(1, 2)], {0}, ["clinical", "provider", "provider"])
    (risk,) = key_person_risks(G)
    assert risk.perspectives_lost == ("clinical",)
    assert risk.cut_off_members == ()
    assert risk.repair is None


def test_repair_can_reach_a_coalition_group_elsewhere():
    # p0 (member) links p1 (clinical); the main coalition group is p2-p3 elsewhere
    G = labelled(4, [(0, 1), (2, 3)], {0, 2, 3}, ["provider", "clinical", "provider", "other"])
    risk = key_person_risks(G, people=["p0"])[0]
    assert risk.perspectives_lost == ("clinical",)
    # p3 (influence 4) is preferred to p2 (influence 3) as the member to make the tie
    assert (risk.repair.source, risk.repair.target) == ("p3", "p1")
    assert risk.repair.perspectives_restored == ("clinical",)


def test_analysis_leaves_the_graph_untouched(small_map):
    G = tie_graph(small_map)
    before = copy.deepcopy(G)
    key_person_risks(G)
    findings(G)
    critical_ties(G)
    fragmentation(G, ["ann"])
    assert nx.utils.graphs_equal(G, before)
    assert dict(G.nodes(data=True)) == dict(before.nodes(data=True))


def test_unknown_person_raises_not_found(small_map):
    with pytest.raises(NotFoundError, match="'zed'"):
        key_person_risks(tie_graph(small_map), people=["zed"])


def test_five_thousand_people_with_many_cut_points_are_all_assessed():
    rng = random.Random(7)
    n = 5000
    G = nx.gnm_random_graph(n, 25000, seed=7)
    kinds = ["clinical", "provider", "commissioner", "patient & carer"]
    for v in G:
        G.nodes[v].update(coalition=rng.random() < 0.2, perspective=rng.choice(kinds))
    for i in range(n, n + 300):  # hangers-on with a single tie: many articulation points
        G.add_node(i, coalition=rng.random() < 0.5, perspective=rng.choice(kinds))
        G.add_edge(i, rng.randrange(n))
    risks = key_person_risks(G)
    out = findings(G)
    assert len(risks) >= 1000
    assert out


def test_sample_map_finds_the_council_reached_through_one_person():
    from mapping.demo.sample import load_sample

    m = load_sample()
    names = m.names()
    top = key_person_risks(tie_graph(m))[0]
    assert names[top.id] == "Priya Raman"
    assert top.articulation_point
    assert top.perspectives_lost == ("local authority & social care",)
    assert top.people_separated >= 5
    assert top.repair.perspectives_restored == ("local authority & social care",)
    assert top.repair.fragmentation_after < top.fragmentation_after
