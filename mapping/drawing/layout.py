"""Seeded, stable node positions for drawing a map: force-directed, by perspective, or a grid."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Hashable, Mapping
from random import Random
from typing import Any, overload

import networkx as nx
import numpy as np

from mapping.drawing.layout_forces import (
    LARGE_GRAPH,
    grid_fruchterman_reingold,
    initial_positions,
    pull_in,
    rescale,
    separate,
)
from mapping.drawing.layout_grouped import grid_layout, perspective_layout
from mapping.drawing.layout_names import NAME_VIEW, make_room_for_names, marker_radius
from mapping.model import Map
from mapping.recent import Recent

__all__ = [
    "LAYOUT_NAMES",
    "canvas_scale",
    "place",
    "rearrange",
    "spring_layout",
    "perspective_layout",
    "grid_layout",
]

Positions = dict[Hashable, tuple[float, float]]

#: Layouts kept for maps whose people and ties have not changed (see ``spring_layout``).
_MEMO_SIZE = 16

#: The share of the canvas's height that people tied to someone fill when people with no
#: ties stand in a row below them.
_BODY = 0.82
#: Up to this many people a fresh force-directed layout makes room for their names. Beyond
#: about a hundred there is no room for most names at the fitted zoom, and pushing people
#: apart for them only crowds others (at 150 people, 15 names shown at fit against 20).
ROOMY_LIMIT = 120

#: The layouts :func:`place` knows.
LAYOUT_NAMES = ("force", "perspective", "grid")


def canvas_scale(n: int) -> float:
    """Half-width of the drawing canvas that keeps ``n`` nodes readable when zoomed to fit.

    Grows with the square root of the number of people (about 90 canvas units between
    neighbours), never less than 300.

    >>> canvas_scale(6), canvas_scale(400), canvas_scale(5000)
    (300.0, 1800.0, 6364.0)
    """
    return float(round(max(300.0, 90.0 * math.sqrt(max(n, 0)))))


def _graph_of(source: Map | nx.Graph) -> nx.Graph:
    """A simple undirected graph with the strongest ``strength`` per pair (1 if unknown)."""
    G = nx.Graph()
    if isinstance(source, Map):
        G.add_nodes_from(s.id for s in source.stakeholders)
        edges = ((r.source, r.target, r.strength) for r in source.relationships)
    else:
        G.add_nodes_from(source.nodes)
        edges = ((u, v, d.get("strength", 1)) for u, v, d in source.edges(data=True))
    for u, v, strength in edges:
        if u == v or u not in G or v not in G:
            continue
        old = G.edges[u, v]["strength"] if G.has_edge(u, v) else 0
        G.add_edge(u, v, strength=float(max(old, strength)))
    return G


@overload
def spring_layout(
    source: Map,
    *,
    seed: int = ...,
    previous: Mapping[str, tuple[float, float]] | None = ...,
    scale: float = ...,
    iterations: int | None = ...,
) -> dict[str, tuple[float, float]]: ...


@overload
def spring_layout(
    source: nx.Graph,
    *,
    seed: int = ...,
    previous: Mapping[Any, tuple[float, float]] | None = ...,
    scale: float = ...,
    iterations: int | None = ...,
) -> Positions: ...


def spring_layout(
    source: Map | nx.Graph,
    *,
    seed: int = 42,
    previous: Mapping[Any, tuple[float, float]] | None = None,
    scale: float = 1000.0,
    iterations: int | None = None,
) -> dict[Any, tuple[float, float]]:
    """Force-directed positions, the same for the same map and seed.

    Stronger ties pull harder. Nodes in ``previous`` (canvas coordinates, for example where
    a user dragged them) stay exactly there, so adding a stakeholder does not reshuffle the
    map; new nodes start beside their placed neighbours. Fresh layouts fill
    ``[-scale, scale]``; new nodes beside fixed ones are kept inside it.

    Up to :data:`LARGE_GRAPH` nodes this is NetworkX's Fruchterman–Reingold; above, the same
    forces in numpy, with repulsion approximated on a grid above a few hundred nodes, which
    lays out 5,000 nodes and 20,000 ties in a few seconds. Stragglers (usually people with no
    ties) are brought back to the edge of the crowd so that zooming to fit does not shrink
    everyone else. Layouts are remembered by a digest of the people, ties, strengths and
    arguments, so an edit that leaves the network alone (a stance, a name) lays out nothing.

    Parameters
    ----------
    source : Map or networkx.Graph
        A map, or any graph (edge attribute ``strength`` used as the pull if present).
    seed : int
        Random seed of the starting positions.
    previous : mapping, optional
        Node -> ``(x, y)`` to keep fixed; nodes no longer in the map are ignored.
    scale : float
        Half-width of the canvas.
    iterations : int, optional
        Force iterations; by default 50.

    Returns
    -------
    dict
        Node -> ``(x, y)`` as plain floats.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> pos = spring_layout(G, seed=1)
    >>> pos == spring_layout(G, seed=1)
    True
    >>> max(abs(c) for xy in pos.values() for c in xy)
    1000.0
    >>> spring_layout(G, previous={"a": (5.0, 6.0)})["a"]
    (5.0, 6.0)
    """
    G = _graph_of(source)
    fixed = {n: tuple(map(float, xy)) for n, xy in (previous or {}).items() if n in G}
    if len(G) == 0:
        return {}
    key = _fingerprint(G, fixed, seed, scale, iterations)
    known = _MEMO.get(key)
    if known is not None:
        return dict(known)
    out = _spring_layout(G, fixed, seed, scale, iterations)
    _MEMO.put(key, dict(out))
    return out


_MEMO: Recent[Hashable, Positions] = Recent(_MEMO_SIZE)


def _fingerprint(G: nx.Graph, fixed: Mapping, *arguments: object) -> str:
    """A digest of everything a layout depends on: nodes, ties, strengths, fixed places."""
    digest = hashlib.blake2b(digest_size=20)
    for part in (list(G), list(G.edges(data="strength")), sorted(fixed.items(), key=repr)):
        digest.update(repr(part).encode("utf-8", "backslashreplace"))
    digest.update(repr(arguments).encode())
    return digest.hexdigest()


def _spring_layout(
    G: nx.Graph, fixed: dict, seed: int, scale: float, iterations: int | None
) -> Positions:
    """:func:`spring_layout` itself, on the simple graph and the fixed places it made."""
    if len(fixed) == len(G):
        return {n: fixed[n] for n in G}
    if len(G) == 1 and not fixed:
        return {next(iter(G)): (0.0, 0.0)}
    alone = [n for n in G if n not in fixed and G.degree(n) == 0]
    if not fixed and alone and len(G) - len(alone) >= 2:
        return _with_row_of_alone(G, alone, seed, scale, iterations)
    return _forces(G, fixed, seed, scale, iterations)


def _forces(G: nx.Graph, fixed: dict, seed: int, scale: float, iterations: int | None) -> Positions:
    """The force-directed layout itself (see :func:`spring_layout`)."""
    rng = Random(seed)
    norm = {n: (x / scale, y / scale) for n, (x, y) in fixed.items()}
    start = initial_positions(G, norm, rng)
    large = len(G) > LARGE_GRAPH
    steps = iterations if iterations is not None else 50
    k = 2.0 / math.sqrt(len(G))
    if large:
        pos = grid_fruchterman_reingold(G, start, set(norm), steps, k)
    else:
        pos = nx.spring_layout(
            G,
            k=k,
            pos=start,
            fixed=list(norm) or None,
            iterations=steps,
            weight="strength",
            seed=seed,
        )
        pos = {n: (float(x), float(y)) for n, (x, y) in pos.items()}
    if not norm:
        pos = rescale(pull_in(pos))
    out = {}
    for node in G:
        if node in fixed:
            out[node] = fixed[node]
        else:
            x, y = pos[node]
            out[node] = (min(max(x, -1.0), 1.0) * scale, min(max(y, -1.0), 1.0) * scale)
    return separate(out, set(fixed), gap=0.01 * scale)


def _with_row_of_alone(
    G: nx.Graph, alone: list, seed: int, scale: float, iterations: int | None
) -> Positions:
    """People with no ties in a tidy row (or rows) below everyone else, so that they neither
    float at the edge nor stretch the picture; the rest laid out as usual above them.

    >>> G = nx.Graph([("a", "b"), ("b", "c")]); G.add_nodes_from(["y", "z"])
    >>> pos = spring_layout(G, seed=1, scale=100.0)
    >>> pos["y"][1] == pos["z"][1] > max(pos[n][1] for n in "abc"), pos["y"][0] < pos["z"][0]
    (True, True)
    """
    tied = G.subgraph([n for n in G if n not in set(alone)]).copy()
    body = _forces(tied, {}, seed, scale, iterations)
    # squeeze the tied people into the top of the canvas, leaving the bottom for the row
    top = {n: (x, -scale + (y + scale) * _BODY) for n, (x, y) in body.items()}
    per_row = max(1, int(2 * scale // (0.3 * scale)) + 1)
    out = dict(top)
    for i, node in enumerate(sorted(alone, key=str)):
        row, col = divmod(i, per_row)
        count = min(per_row, len(alone) - row * per_row)
        x = (col - (count - 1) / 2) * 0.3 * scale
        out[node] = (float(x), float(scale * (0.8 + 0.12 * row)))
    return {n: out[n] for n in G}


def _roomy(m: Map, pos: dict[str, tuple[float, float]], scale: float) -> dict:
    """``pos`` with room made for names (:func:`make_room_for_names`), fitted back into the
    box the people tied to someone filled; the row of people with no ties stays as it was.

    >>> from mapping.model import Relationship, Stakeholder
    >>> m = Map(name="M", stakeholders=tuple(Stakeholder(i, i * 8) for i in "abcd"),
    ...         relationships=(Relationship("r", "a", "b"), Relationship("q", "b", "c")))
    >>> pos = spring_layout(m, scale=300.0)
    >>> roomy = _roomy(m, pos, 300.0)
    >>> roomy["d"] == pos["d"], roomy["a"] != pos["a"]
    (True, True)
    """
    tied = {end for r in m.relationships for end in (r.source, r.target)}
    inner = [s.id for s in m.stakeholders if s.id in tied]
    row = len(inner) >= 2 and len(inner) < len(pos)
    if not row:
        inner = list(pos)
    if not 2 < len(inner) <= ROOMY_LIMIT:
        return pos
    people = {s.id: s for s in m.stakeholders}
    share = _BODY if row else 1.0  # the row of people with no ties has the rest
    roomy = make_room_for_names(
        {i: pos[i] for i in inner},
        {i: people[i].name for i in inner},
        {i: marker_radius(people[i].influence) for i in inner},
        view=(NAME_VIEW[0], NAME_VIEW[1] * share),
    )
    xy = np.array([roomy[i] for i in inner], dtype=float)
    low, high = np.array([-scale, -scale]), np.array([scale, -scale + 2 * scale * share])
    k = float(np.min((high - low) / np.maximum(np.ptp(xy, axis=0), 1e-9)))
    xy = (xy - (xy.min(axis=0) + xy.max(axis=0)) / 2) * k + (low + high) / 2
    out = dict(pos)
    out.update({i: (float(x), float(y)) for i, (x, y) in zip(inner, xy, strict=True)})
    return {s.id: out[s.id] for s in m.stakeholders}


def place(
    m: Map, layout: str = "force", *, high_influence: int = 4
) -> dict[str, tuple[float, float]]:
    """Positions of everyone on ``m`` in one of :data:`LAYOUT_NAMES`, on a canvas sized for
    them (:func:`canvas_scale`).

    ``"force"`` keeps everyone with a saved position where they are and lays out the rest
    around them (:func:`spring_layout`); ``"perspective"`` and ``"grid"`` place people by
    their perspective or ratings alone. Only the people of ``m`` are laid out: pass the part
    of a map that is drawn to lay out no one else.

    >>> from mapping.model import Stakeholder
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo")),
    ...         positions={"a": (10.0, 20.0)})
    >>> place(m)["a"], sorted(place(m, "grid"))
    ((10.0, 20.0), ['a', 'b'])
    """
    scale = canvas_scale(len(m.stakeholders))
    if layout == "grid":
        return grid_layout(m, scale=scale, high_influence=high_influence)
    if layout == "perspective":
        return perspective_layout(m, scale=scale)
    if layout != "force":
        msg = f"Unknown layout {layout!r}: choose one of {', '.join(LAYOUT_NAMES)}."
        raise ValueError(msg)
    if m.stakeholders and all(s.id in m.positions for s in m.stakeholders):
        # everyone stays where they were placed (a drag saves everyone drawn): nothing to
        # lay out, and nothing to remember after each drag
        return {
            s.id: (float(m.positions[s.id][0]), float(m.positions[s.id][1])) for s in m.stakeholders
        }
    where = spring_layout(m, seed=42, previous=dict(m.positions), scale=scale)
    return where if m.positions else _roomy(m, where, scale)


def rearrange(m: Map, *, seed: int) -> dict[str, tuple[float, float]]:
    """A fresh force-directed layout of everyone on ``m``, ignoring their saved positions,
    centred where their saved positions were centred (the origin if none are saved).

    What the page's Re-arrange button saves; the seed chooses which of the many good
    arrangements, so a different seed gives a different picture.

    >>> from mapping.model import Stakeholder, Relationship
    >>> m = Map(name="M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo")),
    ...         relationships=(Relationship("r", "a", "b"),),
    ...         positions={"a": (1000.0, 0.0), "b": (1000.0, 0.0)})
    >>> new = rearrange(m, seed=7)
    >>> new == rearrange(m, seed=7), round(sum(x for x, _ in new.values()) / 2, 6)
    (True, 1000.0)
    """
    scale = canvas_scale(len(m.stakeholders))
    fresh = _roomy(m, spring_layout(m, seed=seed, scale=scale), scale)
    if not fresh:
        return {}
    saved = [m.positions[s.id] for s in m.stakeholders if s.id in m.positions]
    if not saved:
        return fresh
    cx = sum(x for x, _ in saved) / len(saved) - sum(x for x, _ in fresh.values()) / len(fresh)
    cy = sum(y for _, y in saved) / len(saved) - sum(y for _, y in fresh.values()) / len(fresh)
    return {sid: (x + cx, y + cy) for sid, (x, y) in fresh.items()}
