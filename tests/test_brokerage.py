"""Brokerage: betweenness on distance, Burt's structural holes, Gould-Fernandez roles."""

from __future__ import annotations

import copy
import json
import random
from fractions import Fraction

import networkx as nx
import pytest

from mapping.analysis import brokerage
from mapping.analysis.betweenness import betweenness
from mapping.analysis.brokerage import (
    broker_positions,
    broker_table,
    constraint,
    effective_size,
    findings,
)
from mapping.analysis.brokerage_roles import ROLES
from mapping.analysis.fast_brokerage import undirected_role_counts
from mapping.analysis.findings import Severity
from mapping.model import Map, Relationship, Stakeholder
from mapping.model.graph import tie_graph
from tests import oracles
from tests.oracles import brokerage_roles, undirected_brokerage_roles


def snapshot(G: nx.Graph) -> tuple:
    return copy.deepcopy((list(G.nodes(data=True)), list(G.edges(data=True)), dict(G.graph)))


def roles(**counts: int) -> dict[str, int]:
    return {role: counts.get(role, 0) for role in ROLES}


# --- betweenness ----------------------------------------------------------------------------

# NetworkX's test_betweenness_centrality.py, Florentine families (Padgett), unweighted.
FLORENTINE = {
    "Acciaiuoli": 0.000,
    "Albizzi": 0.212,
    "Barbadori": 0.093,
    "Bischeri": 0.104,
    "Castellani": 0.055,
    "Ginori": 0.000,
    "Guadagni": 0.255,
    "Lamberteschi": 0.000,
    "Medici": 0.522,
    "Pazzi": 0.000,
    "Peruzzi": 0.022,
    "Ridolfi": 0.114,
    "Salviati": 0.143,
    "Strozzi": 0.103,
    "Tornabuoni": 0.092,
}

# Zachary's karate club, normalised betweenness of the five most central members
# (as published in SNA texts and tutorials; Mr Hi = 0, the officer = 33).
KARATE = {0: 0.4376, 33: 0.3041, 32: 0.1452, 2: 0.1437, 31: 0.1383}


@pytest.mark.parametrize("weight", [None, "strength"])
def test_betweenness_florentine_families(weight):
    # Without a strength attribute every tie has strength 1, so both read as steps.
    b = betweenness(nx.florentine_families_graph(), weight=weight)
    assert b == pytest.approx(FLORENTINE, abs=1e-3)
    assert all(type(v) is float for v in b.values())


def test_betweenness_karate_club():
    b = betweenness(nx.karate_club_graph(), weight=None)
    for n, value in KARATE.items():
        assert b[n] == pytest.approx(value, abs=1e-4)


def test_betweenness_uses_distance_so_strong_ties_are_short():
    # a-b-c strong (5, 5) beats the direct weak tie a-c (1): b sits on the a-c route.
    G = nx.Graph()
    G.add_edge("a", "b", strength=5)
    G.add_edge("b", "c", strength=5)
    G.add_edge("a", "c", strength=1)
    assert betweenness(G)["b"] == 1.0
    assert betweenness(G, weight=None)["b"] == 0.0


def test_betweenness_matches_networkx_on_distance_where_sums_are_exact():
    rng = random.Random(7)
    G = nx.gnm_random_graph(30, 70, seed=7)
    for u, v in G.edges():
        s = rng.choice([1, 2, 4])  # 1, 1/2, 1/4 add exactly in binary floating point
        G.edges[u, v].update(strength=s, distance=1 / s)
    expected = nx.betweenness_centrality(G, weight="distance")
    assert betweenness(G) == pytest.approx(expected, abs=1e-12)


def test_equally_short_routes_tie_exactly_whatever_the_order_of_strengths():
    # A ring s-a-b-t-d-c-s with distances 1, 1, 1/3, 1, 1/3, 1 (length 14/3). The pairs s-t and
    # a-d have two routes of 7/3 each, so each route carries half. Counted by hand (pairs
    # with one route give their intermediates 1): s 1.5, a 1.5, b 2, t 2.5, c 2, d 2.5,
    # normalised by (6-1)(6-2)/2 = 10.
    G = nx.Graph()
    for route, strengths in ((["s", "a", "b", "t"], [1, 1, 3]), (["s", "c", "d", "t"], [1, 3, 1])):
        for u, v, s in zip(route, route[1:], strengths, strict=False):
            G.add_edge(u, v, strength=s, distance=1 / s)
    expected = {"s": 0.15, "a": 0.15, "b": 0.2, "t": 0.25, "c": 0.2, "d": 0.25}
    assert betweenness(G) == pytest.approx(expected, abs=1e-12)
    # In floating point 1 + 1 + 1/3 != 1 + 1/3 + 1, so NetworkX on the raw distances
    # drops one of the routes.
    naive = nx.betweenness_centrality(G, weight="distance")
    assert naive["t"] != pytest.approx(expected["t"])


@pytest.mark.parametrize("seed", [11, 12])
def test_betweenness_equals_exact_rational_distances(seed):
    rng = random.Random(seed)
    G = nx.gnm_random_graph(40, 90, seed=seed)
    for u, v in G.edges():
        G.edges[u, v]["strength"] = rng.randint(1, 5)
    exact = nx.betweenness_centrality(G, weight=lambda u, v, d: Fraction(1, d["strength"]))
    assert betweenness(G) == pytest.approx({n: float(x) for n, x in exact.items()}, abs=1e-12)


def test_betweenness_of_tiny_and_disconnected_graphs():
    assert betweenness(nx.Graph()) == {}
    assert betweenness(nx.empty_graph(1)) == {0: 0.0}
    G = nx.Graph([(0, 1), (1, 2), (3, 4)])
    # 1 lies on the one route 0-2 of (5-1)(5-2)/2 = 6 pairs.
    assert betweenness(G) == {0: 0.0, 1: pytest.approx(1 / 6), 2: 0.0, 3: 0.0, 4: 0.0}


# --- Burt's structural holes ----------------------------------------------------------------

# Borgatti's example (Connections 20(1), 1997), values from NetworkX's test_structuralholes.py.
BORGATTI_EDGES = {
    ("A", "B"): 2,
    ("A", "F"): 3,
    ("A", "G"): 5,
    ("A", "E"): 2,
    ("E", "G"): 8,
    ("F", "G"): 3,
    ("B", "G"): 4,
    ("B", "D"): 1,
    ("D", "G"): 3,
    ("G", "C"): 10,
}


@pytest.fixture
def borgatti() -> nx.Graph:
    G = nx.Graph()
    for (u, v), w in BORGATTI_EDGES.items():
        G.add_edge(u, v, weight=w)
    return G


@pytest.mark.parametrize(
    ("weight", "expected"),
    [(None, {"G": 0.400, "A": 0.595, "C": 1.0}), ("weight", {"G": 0.299, "A": 0.795, "C": 1.0})],
)
def test_constraint_borgatti_example(borgatti, weight, expected):
    c = constraint(borgatti, weight=weight)
    plain = oracles.constraint(borgatti, weight=weight)
    for n, value in expected.items():
        assert c[n] == pytest.approx(value, abs=1e-3)
        assert plain[n] == pytest.approx(value, abs=1e-3)
    assert c == pytest.approx(plain, rel=1e-12)


@pytest.mark.parametrize(
    ("weight", "expected"),
    [(None, {"G": 4.67, "A": 2.50, "C": 1.0}), ("weight", {"G": 5.47, "A": 2.47, "C": 1.0})],
)
def test_effective_size_borgatti_example(borgatti, weight, expected):
    e = effective_size(borgatti, weight=weight)
    plain = oracles.effective_size(borgatti, weight=weight)
    for n, value in expected.items():
        assert e[n] == pytest.approx(value, abs=1e-2)
        assert plain[n] == pytest.approx(value, abs=1e-2)
    assert e == pytest.approx(plain, rel=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("weight", [None, "strength"])
def test_structural_holes_match_networkx_per_node(seed, weight):
    rng = random.Random(seed)
    G = nx.gnm_random_graph(25, 60, seed=seed)
    for u, v in G.edges():
        G.edges[u, v]["strength"] = rng.randint(1, 5)
    nodes = [n for n in G if G.degree(n)]
    assert constraint(G, weight=weight) == pytest.approx(
        nx.constraint(G, nodes=nodes, weight=weight) | {n: None for n in G if not G.degree(n)}
    )
    expected = nx.effective_size(G, nodes=nodes, weight=weight)
    assert {n: effective_size(G, weight=weight)[n] for n in nodes} == pytest.approx(expected)
    assert constraint(G, weight=weight) == pytest.approx(oracles.constraint(G, weight=weight))
    assert effective_size(G, weight=weight) == pytest.approx(
        oracles.effective_size(G, weight=weight)
    )


def test_isolates_get_no_constraint_and_zero_effective_size():
    G = nx.Graph([(0, 1)])
    G.add_node(2)
    assert constraint(G)[2] is None
    assert effective_size(G)[2] == 0.0
    assert effective_size(G, weight=None)[2] == 0.0
    assert constraint(nx.Graph()) == {} and effective_size(nx.Graph()) == {}


@pytest.mark.parametrize(
    "G",
    [
        nx.DiGraph([(0, 1)]),
        nx.MultiGraph([(0, 1), (0, 1)]),
        nx.Graph([(0, 1, {"strength": -1})]),
        nx.Graph([(0, 1, {"strength": "strong"})]),
    ],
    ids=["directed", "parallel-ties", "negative", "words"],
)
def test_structural_holes_refuse_graphs_they_are_not_defined_for(G):
    # The tie graph is always undirected with strengths 1-5; the plain loops that once
    # answered for other graphs are the tests' oracles now.
    with pytest.raises(ValueError, match="undirected graph"):
        constraint(G)
    with pytest.raises(ValueError, match="undirected graph"):
        effective_size(G)


# --- Gould & Fernandez brokerage roles ------------------------------------------------------


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        ("xxx", "coordinator"),
        ("yxx", "gatekeeper"),
        ("xxy", "representative"),
        ("xyx", "consultant"),
        ("xyz", "liaison"),
    ],
)
def test_each_role_on_an_open_path(groups, role):
    D = nx.DiGraph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(D, dict(zip("abc", groups, strict=True)), "perspective")
    counts = brokerage_roles(D)
    assert counts["b"] == roles(**{role: 1})
    assert counts["a"] == counts["c"] == roles()


def test_a_tie_from_a_to_c_closes_the_path_but_one_from_c_to_a_does_not():
    D = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])
    nx.set_node_attributes(D, "x", "perspective")
    assert brokerage_roles(D)["b"] == roles()
    D = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")])
    nx.set_node_attributes(D, "x", "perspective")
    # a->b->c (no a->c), b->c->a (no b->a), c->a->b (no c->b): one each.
    assert {n: c["coordinator"] for n, c in brokerage_roles(D).items()} == {"a": 1, "b": 1, "c": 1}


def test_hand_counted_directed_graph():
    # Groups x: 1, 2; y: 3, 4, 6, 7; z: 5.
    # b=2: 1->2->5 (no 1->5): x,x,z representative; 1->2->3 closed by 1->3.
    # b=3: 2->3->4, 1->3->4: x,y,y gatekeeper twice; 7->3->4: y,y,y coordinator.
    # b=4: 3->4->5: y,y,z representative.
    # b=5: 4->5->6: y,z,y consultant; 2->5->6: x,z,y liaison.
    D = nx.DiGraph([(1, 2), (2, 3), (3, 4), (4, 5), (2, 5), (1, 3), (5, 6), (7, 3)])
    groups = {1: "x", 2: "x", 3: "y", 4: "y", 5: "z", 6: "y", 7: "y"}
    nx.set_node_attributes(D, groups, "team")
    assert brokerage_roles(D, group_attr="team") == {
        1: roles(),
        2: roles(representative=1),
        3: roles(gatekeeper=2, coordinator=1),
        4: roles(representative=1),
        5: roles(consultant=1, liaison=1),
        6: roles(),
        7: roles(),
    }


def test_undirected_ties_count_both_ways():
    G = nx.Graph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, {"a": "x", "b": "y", "c": "y"}, "perspective")
    assert undirected_brokerage_roles(G)["b"] == roles(gatekeeper=1, representative=1)
    nx.set_node_attributes(G, "x", "perspective")
    assert undirected_brokerage_roles(G)["b"] == roles(coordinator=2)
    # The same counts come from a brokerage_roles call on the undirected graph itself.
    assert brokerage_roles(G) == undirected_brokerage_roles(G)


def test_brokerage_on_small_map(small_map):
    G = tie_graph(small_map)
    counts = undirected_brokerage_roles(G)
    assert undirected_role_counts(G) == counts
    # Ann (commissioner) joins bob, cat and dan, three other perspectives: 3 pairs x 2.
    assert counts["ann"] == roles(liaison=6)
    # Dan (council) passes ann (commissioner) to eve (council) and back.
    assert counts["dan"] == roles(gatekeeper=1, representative=1)


# --- positions, table and findings ----------------------------------------------------------


def test_broker_positions_and_table(small_map):
    G = tie_graph(small_map)
    people = broker_positions(G)
    assert [p.id for p in people[:2]] == ["ann", "dan"]
    ann = people[0]
    assert ann.betweenness == 0.5  # 5 of the 10 pairs among the five connected others
    assert ann.effective_size == pytest.approx(3.0)
    assert ann.brokerage == 6
    table = broker_table(G)
    assert list(table.columns) == [
        "id",
        "name",
        "perspective",
        "coalition",
        "betweenness",
        "constraint",
        "effective_size",
        *ROLES,
        "brokerage",
    ]
    assert str(table["constraint"].dtype) == "Float64"
    fay = table.set_index("id").loc["fay"]
    assert fay["constraint"] is __import__("pandas").NA
    assert fay["effective_size"] == 0.0


def leverage_map() -> nx.Graph:
    """A coalition (Ann, Ben) that reaches public health only through Cal, an outsider."""
    people = (
        Stakeholder("ann", "Ann", perspective="commissioner", coalition=True, influence=5),
        Stakeholder("ben", "Ben", perspective="clinical", coalition=True),
        Stakeholder("cal", "Cal", perspective="provider", stance="sceptic", influence=4),
        Stakeholder("dee", "Dee", perspective="public health"),
        Stakeholder("eli", "Eli", perspective="public health"),
        Stakeholder("fox", "Fox", perspective="public health"),
    )
    ties = [
        ("ann", "ben", 4),
        ("ann", "cal", 2),
        ("ben", "cal", 4),
        ("cal", "dee", 3),
        ("cal", "eli", 3),
        ("dee", "fox", 3),
    ]
    rels = tuple(Relationship(f"r{i}", a, b, strength=s) for i, (a, b, s) in enumerate(ties))
    return tie_graph(Map(name="L", stakeholders=people, relationships=rels))


def test_findings_point_to_leverage_assets_and_gatekeepers():
    G = leverage_map()
    found = findings(G)
    codes = [f.code for f in found]
    assert codes.count("brokerage.leverage") == 2  # cal and dee
    cal = found[codes.index("brokerage.leverage")]
    assert cal.stakeholders == ("cal",)
    assert cal.severity is Severity.MEDIUM  # reaches public health, which the coalition lacks
    assert "public health" in cal.explanation and "sceptic" in cal.explanation
    assert "Ben already has a tie with them (strength 4)" in cal.action
    assert cal.evidence["perspectives_reached"] == ["clinical", "commissioner", "public health"]
    json.dumps([f.to_dict() for f in found])


def test_gatekeeper_into_a_perspective():
    G = leverage_map()
    gate = [f for f in findings(G) if f.code == "brokerage.gatekeeper"]
    # Into public health: ann->cal? no, cal is provider. Gatekeepers sit inside the group:
    # dee passes cal (provider) to fox (public health): 1 path; nobody else gatekeeps.
    assert gate == []  # one path is below min_gatekeeper_paths=2
    (f,) = [f for f in findings(G, min_gatekeeper_paths=1) if f.code == "brokerage.gatekeeper"]
    assert f.stakeholders == ("dee",)
    assert f.evidence == {
        "perspective": "public health",
        "gatekeeper_paths": 1,
        "all_gatekeeper_paths": 1,
        "share": 1.0,
    }
    assert f.severity is Severity.MEDIUM
    assert f.title == "Dee is the gateway into the public health perspective"


def test_coalition_brokers_are_assets_to_protect(small_map):
    found = findings(tie_graph(small_map))
    assets = [f for f in found if f.code == "brokerage.asset"]
    assert [f.stakeholders for f in assets] == [("ann",), ("dan",)]
    assert all(f.severity is Severity.LOW for f in assets)
    assert assets[0].evidence["betweenness"] == 0.5
    assert not [f for f in found if f.code == "brokerage.leverage"]
    assert findings(tie_graph(small_map), top=1, min_betweenness=0.4)[0].stakeholders == ("ann",)


def test_findings_reuse_precomputed_betweenness(small_map):
    G = tie_graph(small_map)
    fake = dict.fromkeys(G, 0.0) | {"eve": 0.9}
    (f,) = [f for f in findings(G, betweenness_values=fake) if f.code == "brokerage.leverage"]
    assert f.stakeholders == ("eve",)


@pytest.mark.parametrize(
    "G",
    [nx.Graph(), nx.empty_graph(1), nx.empty_graph(3), nx.Graph([(0, 1), (2, 3)])],
    ids=["empty", "one", "no-ties", "disconnected"],
)
def test_edge_cases_give_values_not_errors(G):
    people = broker_positions(G)
    assert len(people) == len(G)
    assert all(p.betweenness == 0.0 for p in people)
    assert len(broker_table(G)) == len(G)
    assert findings(G) == []


def test_analysis_does_not_mutate_the_graph(small_map):
    G = tie_graph(small_map)
    before = snapshot(G)
    betweenness(G)
    constraint(G)
    effective_size(G)
    undirected_role_counts(G)
    broker_table(G)
    findings(G)
    assert snapshot(G) == before


def test_method_cites_sources():
    for source in ("Burt 1992", "Gould & Fernandez 1989"):
        assert source in brokerage.METHOD
