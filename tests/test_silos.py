"""Silos: the perspective tie matrix, silo pairs and Krackhardt & Stern's E-I index."""

from __future__ import annotations

import copy
import json
import math

import networkx as nx
import pytest

from mapping.analysis import silos
from mapping.analysis.findings import Severity
from mapping.analysis.silos import ei_by_perspective, ei_overall, findings, silo_pairs, tie_matrix
from mapping.model import Map, Stakeholder
from mapping.model.graph import tie_graph


def snapshot(G: nx.Graph) -> tuple:
    return copy.deepcopy((list(G.nodes(data=True)), list(G.edges(data=True)), dict(G.graph)))


def grouped(groups: dict[str, str], edges, perspectives=None) -> nx.Graph:
    """People id -> perspective, and (u, v) or (u, v, strength) ties."""
    G = nx.Graph(perspectives=tuple(perspectives or dict.fromkeys(groups.values())))
    for n, p in groups.items():
        G.add_node(n, name=n.upper(), perspective=p, influence=3, coalition=False)
    for e in edges:
        u, v, s = (*e, 3) if len(e) == 2 else e
        G.add_edge(u, v, strength=s, distance=1 / s)
    return G


def by_group(G):
    return {r.group: r for r in ei_by_perspective(G)}


# Two groups of two; ties a1-a2 (inside A) and a1-b1 (between). Worked by hand:
# overall I=1, E=1, E-I=0; I_max = 1 + 1 = 2, E_max = 2*2 = 4;
# expected = (4-2)/(4+2) = 1/3; size-corrected = (1/4 - 1/2)/(1/4 + 1/2) = -1/3.
# A: I=1, E=1, E-I=0; I_max=1, E_max=2*2=4; expected 3/5; corrected (1/4-1)/(1/4+1) = -3/5.
# B: I=0, E=1, E-I=1; expected 3/5; corrected (1/4-0)/(1/4) = 1.
TWO_BY_TWO = ({"a1": "A", "a2": "A", "b1": "B", "b2": "B"}, [("a1", "a2"), ("a1", "b1")])

# Groups of 3, 2 and 1: A={a1,a2,a3}, B={b1,b2}, C={c1}; N = 6.
# Ties a1-a2, a2-a3, b1-b2 inside; a1-b1, b2-c1 between.
# overall: I=3, E=2, E-I=-1/5; I_max=3+1+0=4, E_max=15-4=11; expected 7/15;
#          corrected (2/11 - 3/4)/(2/11 + 3/4) = -25/41.
# A: I=2, E=1, E-I=-1/3; I_max=3, E_max=3*3=9; expected 6/12=1/2; corrected (1/9-2/3)/(1/9+2/3)=-5/7
# B: I=1, E=2, E-I=1/3; I_max=1, E_max=2*4=8; expected 7/9; corrected (1/4-1)/(1/4+1) = -3/5
# C: I=0, E=1, E-I=1; I_max=0, E_max=5; expected 1; corrected undefined (None)
THREE_GROUPS = (
    {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"},
    [("a1", "a2"), ("a2", "a3"), ("b1", "b2"), ("a1", "b1"), ("b2", "c1")],
)


@pytest.mark.parametrize(
    ("case", "group", "internal", "external", "ei", "expected", "corrected"),
    [
        (TWO_BY_TWO, "A", 1, 1, 0.0, 3 / 5, -3 / 5),
        (TWO_BY_TWO, "B", 0, 1, 1.0, 3 / 5, 1.0),
        (THREE_GROUPS, "A", 2, 1, -1 / 3, 1 / 2, -5 / 7),
        (THREE_GROUPS, "B", 1, 2, 1 / 3, 7 / 9, -3 / 5),
        (THREE_GROUPS, "C", 0, 1, 1.0, 1.0, None),
    ],
)
def test_ei_by_perspective_hand_worked(case, group, internal, external, ei, expected, corrected):
    row = by_group(grouped(*case))[group]
    assert (row.internal, row.external) == (internal, external)
    assert row.ei == pytest.approx(ei)
    assert row.expected == pytest.approx(expected)
    if corrected is None:
        assert row.size_corrected is None
    else:
        assert row.size_corrected == pytest.approx(corrected)


@pytest.mark.parametrize(
    ("case", "internal", "external", "i_max", "e_max", "ei", "expected", "corrected"),
    [
        (TWO_BY_TWO, 1, 1, 2, 4, 0.0, 1 / 3, -1 / 3),
        (THREE_GROUPS, 3, 2, 4, 11, -1 / 5, 7 / 15, -25 / 41),
    ],
)
def test_ei_overall_hand_worked(case, internal, external, i_max, e_max, ei, expected, corrected):
    row = ei_overall(grouped(*case))
    assert row.group == "all"
    assert (row.internal, row.external) == (internal, external)
    assert (row.possible_internal, row.possible_external) == (i_max, e_max)
    assert row.ei == pytest.approx(ei)
    assert row.expected == pytest.approx(expected)
    assert row.size_corrected == pytest.approx(corrected)


def test_size_corrected_ei_is_zero_when_ties_fall_inside_and_outside_at_the_same_rate():
    # Complete graph: every possible tie exists, densities equal inside and out.
    G = grouped({"a1": "A", "a2": "A", "a3": "A", "b1": "B"}, [])
    G.add_edges_from(nx.complete_graph(list(G)).edges(), strength=3)
    row = ei_overall(G)
    assert row.ei == pytest.approx(row.expected)  # (3 - 3) / 6 = 0 with I_max = 3, E_max = 3
    assert row.size_corrected == pytest.approx(0.0)


def test_tie_matrix_counts_and_mean_strength():
    G = grouped(
        {"a1": "A", "a2": "A", "b1": "B", "c1": "C"},
        [("a1", "a2", 5), ("a1", "b1", 2), ("a2", "b1", 4)],
        perspectives=("A", "B", "C"),
    )
    m = tie_matrix(G)
    assert m.perspectives == ("A", "B", "C")
    assert m.counts["A"] == {"A": 1, "B": 2, "C": 0}
    assert m.counts["B"]["A"] == 2
    assert m.mean_strength["A"]["B"] == pytest.approx(3.0)
    assert m.mean_strength["A"]["A"] == pytest.approx(5.0)
    assert m.mean_strength["A"]["C"] is None
    counts = m.count_frame()
    assert counts.loc["A", "B"] == counts.loc["B", "A"] == 2
    assert list(counts.index) == list(counts.columns) == ["A", "B", "C"]
    assert str(counts.dtypes.iloc[0]) == "int64"
    strength = m.strength_frame()
    assert strength.loc["B", "A"] == pytest.approx(3.0)
    assert math.isnan(strength.loc["A", "C"])


def test_silo_pairs_ignore_perspectives_nobody_holds(small_map):
    pairs = silo_pairs(tie_graph(small_map))
    assert ("clinical", "provider") in pairs  # only a conflict tie, which is not a channel
    assert ("commissioner", "provider") not in pairs
    assert all("public health" not in pair for pair in pairs)
    assert len(pairs) == 7


def test_findings_on_small_map(small_map):
    found = findings(tie_graph(small_map))
    cut = [f for f in found if f.code == "silos.cut-off"]
    assert [f.stakeholders for f in cut] == [("fay",)]
    assert "Fay Brown" in cut[0].explanation
    no_tie = [f for f in found if f.code == "silos.no-tie"]
    assert [tuple(f.evidence["perspectives"]) for f in no_tie] == [
        ("clinical", "provider"),
        ("clinical", "local authority & social care"),
        ("provider", "local authority & social care"),
    ]
    first = no_tie[0]
    assert first.severity is Severity.MEDIUM
    assert first.title == "The clinical and provider perspectives never talk to each other"
    assert first.stakeholders == ("ann",)
    assert "Ask Ann Clark" in first.action
    assert set(first.ties) == {("ann", "bob"), ("ann", "cat")}


def test_silo_without_an_intermediary_suggests_a_first_conversation():
    G = grouped({"a": "A", "b": "B", "c": "C", "d": "C"}, [("a", "c"), ("b", "d")])
    (f,) = [f for f in findings(G) if f.code == "silos.no-tie"]
    assert f.evidence == {"perspectives": ["A", "B"], "ties": 0, "intermediaries": 0}
    assert f.action == "Set up a first conversation between A and B."


def test_inward_looking_perspective_needs_low_ei_and_enough_ties():
    groups = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "c1": "C"}
    ties = [("a1", "a2"), ("a2", "a3"), ("a1", "a3"), ("a1", "b1"), ("b1", "c1")]
    G = grouped(groups, ties)
    (f,) = [f for f in findings(G) if f.code == "silos.inward"]
    assert f.evidence["ei"] == pytest.approx(-0.5)  # (1 - 3) / 4
    # E_max = 3 * 2 = 6, I_max = 3: (1/6 - 3/3) / (1/6 + 3/3)
    assert f.evidence["size_corrected_ei"] == pytest.approx(-5 / 7)
    assert f.stakeholders == ("a1", "a2", "a3")
    assert f.action == "Pair A colleagues with people from C on shared work."
    assert not [f for f in findings(G, min_ties=5) if f.code == "silos.inward"]
    assert not [f for f in findings(G, inward_ei=-0.6) if f.code == "silos.inward"]


@pytest.mark.parametrize(
    "G",
    [
        nx.Graph(),
        tie_graph(Map(name="Empty")),
        tie_graph(Map(name="One", stakeholders=(Stakeholder("a", "Ann"),))),
    ],
    ids=["bare", "empty-map", "one-person"],
)
def test_empty_and_one_person_maps_give_sensible_results(G):
    overall = ei_overall(G)
    assert overall.ei is None and overall.size_corrected is None
    assert all(r.ei is None and r.internal == r.external == 0 for r in ei_by_perspective(G))
    assert silo_pairs(G) == []
    assert findings(G) == []
    m = tie_matrix(G)
    assert m.count_frame().to_numpy().sum() == 0


def test_disconnected_map_with_no_ties_flags_each_perspective_as_cut_off():
    G = grouped({"a": "A", "b": "B", "c": "C"}, [])
    found = findings(G)
    assert [f.code for f in found] == ["silos.cut-off"] * 3
    assert ei_overall(G).ei is None
    assert ei_overall(G).expected == pytest.approx(1.0)


def test_no_value_is_nan():
    for case in (TWO_BY_TWO, THREE_GROUPS, ({"a": "A"}, [])):
        G = grouped(*case)
        for row in [*ei_by_perspective(G), ei_overall(G)]:
            for value in (row.ei, row.expected, row.size_corrected):
                assert value is None or not math.isnan(value)


def test_analysis_does_not_mutate_the_graph_and_findings_are_json_ready(small_map):
    G = tie_graph(small_map)
    before = snapshot(G)
    tie_matrix(G).strength_frame()
    silo_pairs(G)
    ei_by_perspective(G)
    ei_overall(G)
    found = findings(G)
    assert snapshot(G) == before
    json.dumps([f.to_dict() for f in found])


def test_method_cites_krackhardt_and_stern():
    assert "Krackhardt & Stern 1988" in silos.METHOD
