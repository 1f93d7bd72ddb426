"""Node positions: seeded, inside the canvas, distinct, and stable when the map grows."""

from __future__ import annotations

import math
import random
from dataclasses import replace

import networkx as nx
import pytest

from mapping.drawing.layout import (
    LARGE_GRAPH,
    canvas_scale,
    grid_layout,
    perspective_layout,
    spring_layout,
)
from mapping.model import DEFAULT_PERSPECTIVES, Map, Relationship, Stakeholder


def crowd(n: int, ties: int, seed: int = 3) -> Map:
    """``n`` people spread over the default perspectives, with ``ties`` random ties."""
    rng = random.Random(seed)
    people = tuple(
        Stakeholder(
            f"p{i}",
            f"Person {i}",
            perspective=DEFAULT_PERSPECTIVES[i % len(DEFAULT_PERSPECTIVES)],
            influence=rng.randint(1, 5),
            interest=rng.randint(1, 5),
            coalition=i % 4 == 0,
        )
        for i in range(n)
    )
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < ties:
        a, b = rng.sample(range(n), 2)
        pairs.add((min(a, b), max(a, b)))
    rels = tuple(
        Relationship(f"r{k}", f"p{a}", f"p{b}", strength=rng.randint(1, 5))
        for k, (a, b) in enumerate(sorted(pairs))
    )
    return Map(name="Crowd", stakeholders=people, relationships=rels)


def two_clusters(size: int, seed: int = 5) -> nx.Graph:
    """Two dense random clusters joined by two ties."""
    G = nx.disjoint_union(
        nx.gnm_random_graph(size, size * 6, seed=seed),
        nx.gnm_random_graph(size, size * 6, seed=seed + 1),
    )
    G.add_edge(0, size)
    G.add_edge(1, size + 1)
    return G


def distinct(pos: dict) -> bool:
    return len({(round(x, 6), round(y, 6)) for x, y in pos.values()}) == len(pos)


def inside(pos: dict, scale: float) -> bool:
    return all(abs(c) <= scale + 1e-9 for xy in pos.values() for c in xy)


def plain(pos: dict) -> bool:
    return all(type(c) is float for xy in pos.values() for c in xy)


LAYOUTS = [
    pytest.param(lambda m, **kw: spring_layout(m, **kw), id="spring"),
    pytest.param(lambda m, **kw: perspective_layout(m, **kw), id="perspective"),
    pytest.param(lambda m, **kw: grid_layout(m, **kw), id="grid"),
]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("n", [1, 6, 60])
def test_every_layout_is_deterministic_inside_the_canvas_distinct_and_plain(layout, n):
    m = crowd(n, ties=min(n * 2, n * (n - 1) // 2))
    pos = layout(m, scale=500.0)
    assert list(pos) == [s.id for s in m.stakeholders]
    assert pos == layout(m, scale=500.0)
    assert inside(pos, 500.0)
    assert distinct(pos)
    assert plain(pos)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_of_an_empty_map_is_empty(layout):
    assert layout(Map(name="Empty")) == {}


def test_spring_layout_of_one_person_is_the_centre():
    m = Map(name="One", stakeholders=(Stakeholder("a", "Ann"),))
    assert spring_layout(m) == {"a": (0.0, 0.0)}


def test_spring_layout_depends_on_the_seed_and_fills_the_canvas(small_map):
    first = spring_layout(small_map, seed=1)
    assert first == spring_layout(small_map, seed=1)
    assert first != spring_layout(small_map, seed=2)
    assert max(abs(c) for xy in first.values() for c in xy) == pytest.approx(1000.0)


def test_spring_layout_accepts_a_graph_and_leaves_it_untouched():
    G = nx.karate_club_graph()
    before = (nx.to_dict_of_dicts(G), dict(G.nodes(data=True)), dict(G.graph))
    pos = spring_layout(G, seed=7)
    assert set(pos) == set(G)
    assert (nx.to_dict_of_dicts(G), dict(G.nodes(data=True)), dict(G.graph)) == before
    assert distinct(pos)


def test_adding_a_stakeholder_keeps_everyone_else_where_they_were(small_map):
    before = spring_layout(small_map, seed=42, scale=300.0)
    newcomer = Stakeholder("gus", "Gus Hale", perspective="clinical")
    grown = replace(
        small_map,
        stakeholders=(*small_map.stakeholders, newcomer),
        relationships=(*small_map.relationships, Relationship("r9", "gus", "bob")),
    )
    after = spring_layout(grown, seed=42, previous=before, scale=300.0)
    assert {k: after[k] for k in before} == before
    assert inside({"gus": after["gus"]}, 300.0)
    assert distinct(after)
    # The newcomer lands nearer the one person they know than the map's furthest pair.
    span = max(math.dist(p, q) for p in before.values() for q in before.values())
    assert math.dist(after["gus"], after["bob"]) < span


def test_previous_positions_of_people_no_longer_on_the_map_are_ignored(small_map):
    previous = {"ann": (12.5, -40.0), "zed": (1.0, 1.0)}
    pos = spring_layout(small_map, previous=previous)
    assert pos["ann"] == (12.5, -40.0)
    assert "zed" not in pos


def test_when_everyone_has_a_previous_position_nothing_moves(small_map):
    previous = {s.id: (float(i), float(-i)) for i, s in enumerate(small_map.stakeholders)}
    assert spring_layout(small_map, previous=previous) == previous


def test_spring_layout_separates_people_with_identical_ties():
    star = nx.star_graph(30)  # the 30 leaves are interchangeable
    pos = spring_layout(star, seed=0)
    assert distinct(pos)


@pytest.mark.parametrize("size", [40, LARGE_GRAPH // 2 + 50])  # NetworkX's and the grid's
def test_spring_layout_keeps_clusters_apart(size):
    G = two_clusters(size)
    pos = spring_layout(G, seed=42)
    left = [pos[v] for v in range(size)]
    right = [pos[v] for v in range(size, 2 * size)]

    def centre(points):
        return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))

    spread = sum(math.dist(p, centre(left)) for p in left) / size
    assert math.dist(centre(left), centre(right)) > 2 * spread


def test_large_graph_layout_is_stable_and_keeps_previous_positions():
    m = crowd(LARGE_GRAPH + 100, ties=4 * (LARGE_GRAPH + 100))
    pos = spring_layout(m, seed=9)
    assert pos == spring_layout(m, seed=9)
    assert inside(pos, 1000.0) and distinct(pos) and plain(pos)
    previous = dict(list(pos.items())[:-10])
    again = spring_layout(m, seed=9, previous=previous)
    assert {k: again[k] for k in previous} == previous
    assert distinct(again)


def test_spring_layout_places_5000_people_and_20000_ties_apart_inside_the_canvas():
    m = crowd(5000, ties=20000)
    pos = spring_layout(m, seed=42, scale=canvas_scale(5000))
    assert len(pos) == 5000 and distinct(pos) and inside(pos, canvas_scale(5000))


def test_perspective_layout_groups_each_perspective_round_its_own_centre():
    m = crowd(80, ties=0)
    pos = perspective_layout(m)
    ring = 0.6 * 1000.0
    k = len(m.perspectives)
    centres = {
        p: (
            ring * math.cos(-math.pi / 2 + 2 * math.pi * i / k),
            ring * math.sin(-math.pi / 2 + 2 * math.pi * i / k),
        )
        for i, p in enumerate(m.perspectives)
    }
    for s in m.stakeholders:
        own = math.dist(pos[s.id], centres[s.perspective])
        assert all(own < math.dist(pos[s.id], c) for p, c in centres.items() if p != s.perspective)
    first = [pos[s.id] for s in m.stakeholders if s.perspective == m.perspectives[0]]
    assert all(y < 0 for _, y in first)  # the first perspective sits at the top


def test_perspective_layout_puts_the_most_influential_coalition_member_at_the_centre():
    people = (
        Stakeholder("a", "Ann", perspective="clinical", influence=2),
        Stakeholder("b", "Bo", perspective="clinical", influence=5, coalition=True),
        Stakeholder("c", "Cy", perspective="clinical", influence=5),
    )
    pos = perspective_layout(Map(name="M", perspectives=("clinical",), stakeholders=people))
    assert pos["b"] == (0.0, 0.0)


def test_grid_layout_puts_interest_across_and_influence_up(small_map):
    pos = grid_layout(small_map)
    ann, fay, eve = pos["ann"], pos["fay"], pos["eve"]  # (interest, influence): (5,5) (5,2) (3,2)
    assert ann == (800.0, -770.0)  # manage closely: top right, below the quadrant name
    assert fay[1] > ann[1]  # less influence sits lower on screen (larger y)
    assert eve[0] < fay[0]  # less interest sits further left


def test_grid_layout_keeps_a_crowded_cell_inside_its_cell():
    people = tuple(Stakeholder(f"p{i}", f"P{i}", influence=4, interest=2) for i in range(40))
    pos = grid_layout(Map(name="M", stakeholders=people))
    assert distinct(pos)
    centre = (-400.0, -400.0)
    assert all(math.dist(xy, centre) <= 0.2 * 1000.0 for xy in pos.values())


def test_canvas_scale_grows_with_the_square_root_of_the_map():
    assert canvas_scale(0) == 300.0
    assert canvas_scale(100) == 900.0
    assert canvas_scale(10000) == 9000.0


def _boxes_overlapping(m: Map, pos: dict) -> int:
    from mapping.drawing.layout_names import _name_overlaps, marker_radius

    names = {s.id: s.name for s in m.stakeholders}
    radius = {s.id: marker_radius(s.influence) for s in m.stakeholders}
    return _name_overlaps(pos, names, radius)


def test_a_fresh_layout_makes_room_for_the_names():
    """Fitted to the laptop's map frame, the sample's markers-and-names overlap in 214 pairs
    as the forces leave them; :func:`place` makes room, still inside the canvas, the same
    every time, and leaves saved positions alone."""
    from mapping.demo.sample import load_sample
    from mapping.drawing.layout import place

    m = load_sample()
    scale = canvas_scale(len(m.stakeholders))
    forces = spring_layout(m, seed=42, scale=scale)
    roomy = place(m)
    assert _boxes_overlapping(m, forces) == 214
    assert _boxes_overlapping(m, roomy) <= 50
    assert roomy == place(m) and inside(roomy, scale) and distinct(roomy) and plain(roomy)
    saved = replace(m, positions=forces)
    assert place(saved) == forces


def test_a_map_everyone_has_a_place_on_is_not_laid_out_again(monkeypatch):
    """After a drag everyone drawn has a saved place: the force layout keeps them all and
    runs no forces (each drag makes a new version, which would miss every kept layout)."""
    from mapping.demo.sample import load_sample
    from mapping.drawing import layout

    m = load_sample()
    placed = replace(m, positions=layout.place(m))
    monkeypatch.setattr(layout, "spring_layout", lambda *a, **k: pytest.fail("laid out again"))
    assert layout.place(placed) == {s.id: placed.positions[s.id] for s in m.stakeholders}
    grid = layout.place(placed, "grid")  # the other layouts ignore saved places, as before
    assert grid != layout.place(placed)


def test_people_with_no_ties_keep_their_row_below_the_roomy_layout():
    from mapping.drawing.layout import place

    m = crowd(30, ties=60)
    alone = tuple(Stakeholder(f"z{i}", f"Alone {i}") for i in range(4))
    m = replace(m, stakeholders=m.stakeholders + alone)
    pos = place(m)
    rows = {pos[s.id][1] for s in alone}
    assert len(rows) == 1
    assert min(rows) > max(pos[s.id][1] for s in m.stakeholders if s not in alone)
    xs = [pos[s.id][0] for s in alone]
    assert xs == sorted(xs)
