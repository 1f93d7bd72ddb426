"""Every fast path gives the plain NetworkX (or plain Python) answer; estimates are close."""

from __future__ import annotations

import copy
import gc
import random
from dataclasses import replace
from datetime import date

import networkx as nx
import numpy as np
import pytest
from scipy.stats import spearmanr

from mapping.analysis import (
    betweenness,
    brokerage,
    communities,
    coverage,
    grid,
    investment,
    recruitment,
    resilience,
    silos,
    whatif,
)
from mapping.analysis import betweenness as fast_betweenness
from mapping.analysis.betweenness import (
    BetweennessEstimate,
    brandes_betweenness,
    estimate_betweenness,
)
from mapping.analysis.fast_brokerage import adjacency, burt_measures, undirected_role_counts
from mapping.analysis.gaps import STEPS, analyse
from mapping.demo.synthetic import synthetic_map
from mapping.drawing import layout
from mapping.model import Stance
from mapping.model.graph import shared_results, shared_tie_graph, tie_graph
from tests import oracles
from tests.oracles import brokerage_roles

TODAY = date(2026, 1, 1)


def snapshot(G: nx.Graph) -> tuple:
    return copy.deepcopy((list(G.nodes(data=True)), list(G.edges(data=True)), dict(G.graph)))


def random_strengths(G: nx.Graph, seed: int) -> nx.Graph:
    rng = random.Random(seed)
    for u, v in G.edges():
        G.edges[u, v]["strength"] = rng.randint(1, 5)
    return G


@pytest.fixture(scope="module")
def medium() -> nx.Graph:
    return tie_graph(synthetic_map(300, seed=3))


@pytest.fixture(scope="module")
def large_exact() -> tuple[nx.Graph, dict]:
    """1,500 people: exact is affordable here, so estimates can be checked against it."""
    G = tie_graph(synthetic_map(1500, seed=5))
    return G, brandes_betweenness(G)


# --- exact betweenness ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "G",
    [
        random_strengths(nx.karate_club_graph(), 1),
        random_strengths(nx.les_miserables_graph(), 2),
        random_strengths(nx.gnm_random_graph(80, 160, seed=3), 3),
        random_strengths(nx.disjoint_union(nx.cycle_graph(7), nx.star_graph(5)), 4),
        tie_graph(synthetic_map(60, seed=9)),
    ],
    ids=["karate", "les-miserables", "random", "disconnected", "synthetic-60"],
)
@pytest.mark.parametrize("weight", ["strength", None])
def test_exact_betweenness_equals_networkx_on_small_graphs(G, weight):
    assert brandes_betweenness(G, weight) == pytest.approx(
        oracles.betweenness(G, weight), abs=1e-12
    )


def test_exact_betweenness_equals_networkx_on_a_medium_map(medium):
    assert brandes_betweenness(medium) == pytest.approx(oracles.betweenness(medium), abs=1e-12)


def test_exact_betweenness_keeps_isolates_and_node_order():
    G = random_strengths(nx.path_graph(["c", "a", "b"]), 1)
    G.add_node("z")
    values = brandes_betweenness(G)
    assert list(values) == ["c", "a", "b", "z"]
    assert values["z"] == 0.0 and values["a"] == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    "G",
    [
        nx.DiGraph([(0, 1), (1, 2), (2, 3)]),
        nx.MultiGraph([(0, 1), (1, 2), (1, 2), (2, 3)]),
        nx.Graph([(0, 1, {"strength": 0.5}), (1, 2, {"strength": 2.5}), (2, 3, {})]),
    ],
    ids=["directed", "multigraph", "fractional-strengths"],
)
def test_graphs_the_fast_path_cannot_take_fall_back_to_networkx(G):
    assert brandes_betweenness(G) is None
    expected = nx.betweenness_centrality(G, weight=lambda u, v, d: 1 / d.get("strength", 1))
    assert estimate_betweenness(G).exact
    assert estimate_betweenness(G).values == pytest.approx(expected)
    assert betweenness.betweenness(G) == pytest.approx(expected)


def test_fast_paths_leave_the_graph_alone(medium):
    before = snapshot(medium)
    brandes_betweenness(medium)
    estimate_betweenness(medium, max_work=0, sources=50)
    burt_measures(adjacency(medium, "strength"))
    undirected_role_counts(medium)
    assert snapshot(medium) == before


# --- sampled betweenness --------------------------------------------------------------------


def test_small_maps_get_exact_betweenness(medium):
    found = estimate_betweenness(medium)
    assert found.exact and found.method == "exact" and found.sources == found.people == 300
    assert found.values == pytest.approx(oracles.betweenness(medium), abs=1e-12)


@pytest.mark.parametrize("seed", [1, 2])
def test_sampled_betweenness_finds_the_same_brokers_as_exact(large_exact, seed):
    G, exact = large_exact
    found = estimate_betweenness(G, max_work=0, seed=seed)
    assert not found.exact and found.method == "sampled"
    assert found.sources == fast_betweenness.SAMPLE_SOURCES < len(G)
    people = list(G)
    x = np.array([exact[p] for p in people])
    y = np.array([found.values[p] for p in people])
    top_exact = set(np.argsort(-x)[:10])
    top_found = set(np.argsort(-y)[:10])
    assert len(top_exact & top_found) >= 9
    assert spearmanr(x, y).statistic >= 0.95


def test_sampled_betweenness_states_an_error_that_covers_the_top_brokers(large_exact):
    G, exact = large_exact
    found = estimate_betweenness(G, max_work=0, seed=3)
    top = sorted(found.values, key=found.values.get, reverse=True)[:10]
    worst = max(abs(found.values[p] - exact[p]) for p in top)
    assert found.standard_error > 0 and worst <= 4 * found.standard_error
    assert "estimated" in found.note and f"{found.sources:,} of the 1,500" in found.note


def test_route_sums_from_some_starts_equal_networkx_subset_betweenness(medium):
    starts = np.array(random.Random(7).sample(range(len(medium)), 25))
    arcs = fast_betweenness._arcs(medium, "strength")
    found = fast_betweenness._route_sums(arcs, arcs.graph(), starts)
    people = list(medium)
    # NetworkX counts each pair once on an undirected graph (half the sum over starts)
    plain = nx.betweenness_centrality_subset(
        medium,
        [people[i] for i in starts],
        people,
        weight=lambda u, v, d: 60 // d["strength"],
    )
    assert found.tolist() == pytest.approx([2 * plain[p] for p in people], abs=1e-9)


def test_sampled_error_from_groups_matches_the_spread_of_repeated_estimates(large_exact):
    G, exact = large_exact
    people = sorted(exact, key=exact.get, reverse=True)[:10]
    runs = [estimate_betweenness(G, max_work=0, sources=150, seed=s) for s in range(12)]
    spread = np.std([[r.values[p] for p in people] for r in runs], axis=0, ddof=1)
    stated = np.mean([r.standard_error for r in runs])
    # the stated error (the largest among the top ten) is the size by which runs really vary
    assert 0.5 * spread.max() <= stated <= 2 * spread.max()


def test_sampled_betweenness_is_stable_for_a_seed_and_varies_across_seeds(medium):
    one = estimate_betweenness(medium, max_work=0, sources=60, seed=1)
    assert one.values == estimate_betweenness(medium, max_work=0, sources=60, seed=1).values
    assert one.values != estimate_betweenness(medium, max_work=0, sources=60, seed=2).values


def test_an_edit_that_keeps_the_ties_recomputes_no_betweenness(monkeypatch):
    m = synthetic_map(120, seed=4)
    first = estimate_betweenness(tie_graph(m))
    people = list(m.stakeholders)
    people[0] = replace(people[0], stance=Stance.OPPOSED, name="Someone else")
    edited = replace(m, stakeholders=tuple(people))

    def fail(*args, **kwargs):
        raise AssertionError("betweenness was recomputed")

    monkeypatch.setattr(fast_betweenness, "_route_sums", fail)
    assert estimate_betweenness(tie_graph(edited)).values == first.values
    ties = list(m.relationships)
    i = next(i for i, r in enumerate(ties) if not r.is_conflict)
    ties[i] = replace(ties[i], strength=1 if ties[i].strength > 1 else 5)
    with pytest.raises(AssertionError, match="recomputed"):
        estimate_betweenness(tie_graph(replace(m, relationships=tuple(ties))))


def test_remembered_results_are_copies(medium):
    one = estimate_betweenness(medium)
    one.values.clear()
    assert estimate_betweenness(medium).values


def test_exact_note_says_exact():
    assert BetweennessEstimate({}, True, 5, 5, 0.0).note.startswith("Betweenness is exact")


# --- Burt's measures and brokerage roles ----------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("weight", ["strength", None])
def test_sparse_structural_holes_equal_networkx(seed, weight):
    G = random_strengths(nx.gnm_random_graph(120, 400, seed=seed), seed)
    G.add_node("alone")
    constraint, effective = burt_measures(adjacency(G, weight))
    linked = [n for n in G if G.degree(n)]
    expected = nx.constraint(G, weight=weight)
    assert {n: constraint[n] for n in linked} == pytest.approx({n: expected[n] for n in linked})
    assert constraint["alone"] is None and effective["alone"] == 0.0
    if weight is not None:  # unweighted effective size has its own exact formula
        # NetworkX's own weighted result differs when nodes=None; the per-node one is Burt's
        expected = nx.effective_size(G, nodes=linked, weight=weight)
        assert {n: effective[n] for n in linked} == pytest.approx({n: expected[n] for n in linked})


def test_sparse_structural_holes_equal_the_plain_loops_on_a_map(medium):
    constraint, effective = burt_measures(adjacency(medium, "strength"))
    plain = oracles.constraint(medium)
    for v in medium:
        assert constraint[v] == pytest.approx(plain[v], rel=1e-12)
    assert effective == pytest.approx(oracles.effective_size(medium), rel=1e-12)


@pytest.mark.parametrize("seed", [1, 2])
def test_role_counts_from_triangles_equal_the_path_by_path_count(seed):
    G = tie_graph(synthetic_map(250, seed=seed))
    G.add_edge("s-00001", "s-00001", strength=3)  # a self-tie changes nothing
    for v in list(G)[:20]:
        del G.nodes[v]["perspective"]  # people with no perspective form a group of their own
    assert undirected_role_counts(G) == brokerage_roles(G.to_directed(as_view=True))


def test_role_counts_fall_back_for_unhashable_groups():
    G = nx.path_graph(3)
    nx.set_node_attributes(G, {0: ["x"], 1: ["y"], 2: ["x"]}, "perspective")
    assert undirected_role_counts(G) is None
    assert undirected_role_counts(nx.DiGraph([(0, 1)])) is None


# --- layout, shared graph and the whole analysis --------------------------------------------


def test_numpy_layout_is_used_above_100_people_and_is_deterministic():
    m = synthetic_map(150, seed=2)
    layout._MEMO.clear()
    first = layout.spring_layout(m, seed=3)
    layout._MEMO.clear()
    assert layout.spring_layout(m, seed=3) == first
    assert layout.LARGE_GRAPH < 150


def test_an_edit_that_keeps_the_ties_lays_nothing_out(monkeypatch):
    m = synthetic_map(130, seed=6)
    first = layout.spring_layout(m, seed=1)
    people = list(m.stakeholders)
    people[3] = replace(people[3], stance=Stance.CHAMPION, coalition=not people[3].coalition)

    def fail(*args, **kwargs):
        raise AssertionError("laid out again")

    monkeypatch.setattr(layout, "_spring_layout", fail)
    assert layout.spring_layout(replace(m, stakeholders=tuple(people)), seed=1) == first
    with pytest.raises(AssertionError, match="laid out again"):
        layout.spring_layout(m, seed=2)


def test_shared_graph_and_results_live_only_inside_the_block():
    m = synthetic_map(30, seed=1)
    with shared_tie_graph(m) as G:
        assert tie_graph(m) is G and shared_results(G) == {}
        risks = resilience.key_person_risks(G)
        assert resilience.key_person_risks(G) == risks
        assert "resilience.risks" in shared_results(G)
        assert tie_graph(replace(m, name="Other")) is not G
    assert tie_graph(m) is not G and shared_results(G) is None


def test_answers_shared_in_a_block_equal_fresh_ones_and_cannot_be_spoilt():
    m = synthetic_map(120, seed=4)
    fresh = tie_graph(m)
    questions = [
        coverage.perspective_coverage,
        silos.tie_matrix,
        silos.ei_by_perspective,
        recruitment.candidates,
        lambda G: investment.investment_needs(m, TODAY),
    ]
    with shared_tie_graph(m) as G:
        for ask in questions:
            assert ask(G) == ask(fresh)
        assert {"coverage.rows", "silos.tie_matrix", "silos.ei", "recruitment.candidates"} <= set(
            shared_results(G)
        )
        coverage.perspective_coverage(G).clear()
        recruitment.candidates(G).pop()
        table = grid.grid(G)
        table.loc[0, "name"] = "changed"
        assert coverage.perspective_coverage(G) == coverage.perspective_coverage(fresh)
        assert recruitment.candidates(G) == recruitment.candidates(fresh)
        assert grid.grid(G).equals(grid.grid(fresh))


@pytest.mark.parametrize("n", [1200, 2500])
def test_compiled_louvain_clusters_as_well_as_networkx(n):
    G = tie_graph(synthetic_map(n, seed=6))
    fast = communities.louvain_parts(G, compiled=True)
    plain = communities.louvain_parts(G, compiled=False)
    assert sorted(v for part in fast for v in part) == sorted(G)  # a partition of everyone
    q_fast = nx.community.modularity(G, fast, weight="strength")
    q_plain = nx.community.modularity(G, plain, weight="strength")
    assert q_fast >= q_plain - 0.01
    assert communities.louvain_parts(G, compiled=True) == fast  # seeded: stable
    assert communities.louvain_parts(G, seed=1, compiled=True) != fast
    # the map's clusters come from the compiled path
    assert [set(c.members) for c in communities.communities(G)] == sorted(
        fast, key=lambda part: (-len(part), min(map(str, part)))
    )


def test_compiled_louvain_leaves_other_random_numbers_alone():
    import igraph

    G = tie_graph(synthetic_map(60, seed=1))
    communities.louvain_parts(G, compiled=True)
    assert igraph.Graph.Erdos_Renyi(30, 0.2).vcount() == 30  # igraph's generator works again
    random.seed(5)
    expected = random.random()
    random.seed(5)
    communities.louvain_parts(G, compiled=True)
    assert random.random() == expected


def test_whole_analysis_equals_the_separate_analyses():
    m = synthetic_map(200, seed=8)
    report = analyse(m, today=TODAY)
    G = tie_graph(m)
    assert report.figures == whatif.headline_figures(m, TODAY)
    assert report.key_people == tuple(r for r in resilience.key_person_risks(G) if r.is_high_risk)
    expected = brokerage.broker_table(G)
    assert report.brokers["id"].tolist() == expected["id"].tolist()
    assert report.brokers["betweenness"].tolist() == pytest.approx(
        expected["betweenness"].tolist(), abs=1e-12
    )
    assert report.betweenness_method == "exact"


def test_analysis_reports_progress_in_order_and_restores_the_collector():
    seen: list[tuple[float, str]] = []
    assert gc.isenabled()
    analyse(synthetic_map(40, seed=1), today=TODAY, progress=lambda f, s: seen.append((f, s)))
    assert gc.isenabled()
    assert [s for _, s in seen] == [*STEPS, "Done"]
    assert [f for f, _ in seen] == sorted(f for f, _ in seen) and seen[-1][0] == 1.0
    gc.disable()
    try:
        analyse(synthetic_map(10, seed=1), today=TODAY)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_large_maps_say_their_betweenness_is_sampled():
    report = analyse(synthetic_map(700, seed=2), today=TODAY, max_betweenness_work=0)
    assert report.betweenness_method == "sampled"
    assert "estimated" in report.betweenness_note and "600 of the 700" in report.betweenness_note
    assert report.to_dict()["betweenness_method"] == "sampled"
