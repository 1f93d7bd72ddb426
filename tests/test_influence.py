"""Hidden influencers and paper tigers: rated influence against network position."""

from __future__ import annotations

import copy
import json

import networkx as nx
import pytest

from mapping.analysis import influence as module
from mapping.analysis.findings import Severity
from mapping.analysis.influence import (
    HIDDEN_INFLUENCER,
    PAPER_TIGER,
    findings,
    influence_positions,
    percentile_ranks,
)
from mapping.model import Map, Stakeholder
from mapping.model.graph import tie_graph


def snapshot(G: nx.Graph) -> tuple:
    return copy.deepcopy((list(G.nodes(data=True)), list(G.edges(data=True)), dict(G.graph)))


def rated(G: nx.Graph, ratings: dict, coalition=()) -> nx.Graph:
    for n in G:
        G.nodes[n].update(
            name=f"P{n}", influence=ratings.get(n, 3), coalition=n in coalition, perspective="other"
        )
    for u, v in G.edges():
        G.edges[u, v].setdefault("strength", 3)
    return G


def by_id(people):
    return {p.id: p for p in people}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, {}),
        ({"a": 7}, {"a": 0.5}),
        ({"a": 1, "b": 1, "c": 1}, {"a": 0.5, "b": 0.5, "c": 0.5}),
        ({"a": 1, "b": 2, "c": 3}, {"a": 0.0, "b": 0.5, "c": 1.0}),
        # b and c share the 2nd and 3rd places: (1 below + 1/2 of 1 equal) / 4 = 0.375.
        (
            {"a": 0, "b": 5, "c": 5, "d": 6, "e": 9},
            {"a": 0.0, "b": 0.375, "c": 0.375, "d": 0.75, "e": 1.0},
        ),
    ],
)
def test_percentile_ranks(values, expected):
    assert percentile_ranks(values) == pytest.approx(expected)


def test_hub_rated_low_is_a_hidden_influencer_and_leaf_rated_high_a_paper_tiger():
    # Star: the hub 0 holds every tie and every route; leaves have one tie each.
    G = rated(nx.star_graph(5), {0: 1, 1: 5})
    people = by_id(influence_positions(G))
    hub, leaf = people[0], people[1]
    assert hub.category == HIDDEN_INFLUENCER
    assert (hub.ties, hub.tie_strength, hub.betweenness) == (5, 15, 1.0)
    assert hub.position_rank == 1.0 and hub.influence_rank == 0.0
    assert leaf.category == PAPER_TIGER
    assert leaf.position_rank == pytest.approx(0.4)  # (0 below + 4 equal / 2) / 5
    assert leaf.influence_rank == 1.0
    assert [p.category for p in people.values()].count("") == 4


def test_positions_are_sorted_by_the_gap_between_rating_and_position():
    G = rated(nx.star_graph(5), {0: 1, 1: 5})
    people = influence_positions(G)
    assert [p.id for p in people[:2]] == [0, 1]
    gaps = [abs(p.position_rank - p.influence_rank) for p in people]
    assert gaps == sorted(gaps, reverse=True)


def test_paper_tiger_in_the_bottom_quarter_even_with_several_ties():
    # A path 0-1-...-7: the ends have no betweenness and the least strength.
    G = rated(nx.path_graph(8), {0: 5})
    assert by_id(influence_positions(G))[0].category == PAPER_TIGER  # also one tie
    assert by_id(influence_positions(G, few_ties=0))[0].category == PAPER_TIGER  # bottom
    G = rated(nx.path_graph(8), {3: 5})
    assert by_id(influence_positions(G))[3].category == ""


def test_nobody_is_categorised_on_tiny_or_tieless_maps():
    assert all(p.category == "" for p in influence_positions(rated(nx.star_graph(2), {0: 1})))
    assert all(p.category == "" for p in influence_positions(rated(nx.empty_graph(6), {0: 5})))
    assert findings(rated(nx.empty_graph(6), {0: 5})) == []


def test_precomputed_betweenness_is_used():
    G = rated(nx.path_graph(6), {5: 1})
    fake = dict.fromkeys(G, 0.0) | {5: 0.9}
    assert by_id(influence_positions(G, betweenness_values=fake))[5].betweenness == 0.9


def test_findings_severity_depends_on_coalition():
    G = rated(nx.star_graph(5), {0: 1, 1: 5, 2: 5}, coalition=(2,))
    found = findings(G)
    assert [(f.code, f.stakeholders, f.severity) for f in found] == [
        ("influence.hidden", (0,), Severity.MEDIUM),
        ("influence.paper-tiger", (1,), Severity.LOW),
        ("influence.paper-tiger", (2,), Severity.MEDIUM),
    ]
    hidden = found[0]
    assert hidden.title == "P0 may be a hidden influencer"
    assert "rated influence 1 of 5" in hidden.explanation
    assert "inviting them into the coalition" in hidden.action
    assert hidden.evidence["position_rank"] == 1.0
    assert len(hidden.ties) == 5
    assert "has only 1 tie on the map" in found[1].explanation
    json.dumps([f.to_dict() for f in found])


def test_small_map(small_map):
    G = tie_graph(small_map)
    people = by_id(influence_positions(G))
    assert people["ann"].position_rank == 1.0  # most ties, most routes
    assert people["fay"].position_rank == 0.0  # no ties at all
    assert people["cat"].category == PAPER_TIGER  # influence 5, one weak tie
    assert people["eve"].category == ""  # influence 2 but one tie: not a hidden influencer
    codes = {(f.code, f.stakeholders[0]) for f in findings(G)}
    assert ("influence.paper-tiger", "cat") in codes


@pytest.mark.parametrize(
    "G",
    [
        nx.Graph(),
        tie_graph(Map(name="Empty")),
        tie_graph(Map(name="One", stakeholders=(Stakeholder("a", "Ann", influence=5),))),
        nx.Graph([(0, 1), (2, 3)]),
    ],
    ids=["bare", "empty-map", "one-person", "disconnected"],
)
def test_edge_cases_give_values_not_errors(G):
    people = influence_positions(G)
    assert len(people) == len(G)
    for p in people:
        assert type(p.position_rank) is float and type(p.betweenness) is float
        assert 0.0 <= p.position_rank <= 1.0
    assert findings(G) == []


def test_analysis_does_not_mutate_the_graph(small_map):
    G = tie_graph(small_map)
    before = snapshot(G)
    influence_positions(G)
    findings(G)
    assert snapshot(G) == before


def test_method_is_documented():
    assert "betweenness" in module.METHOD and "percentile" in module.METHOD
