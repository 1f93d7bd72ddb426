"""Seeded, stable node positions for drawing a map: force-directed, by perspective, or a grid."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Hashable, Mapping
from random import Random
from typing import Any, overload

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

from mapping.drawing.layout_grouped import _GOLDEN_ANGLE, grid_layout, perspective_layout
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

#: Above this many nodes the force-directed layout uses a numpy Fruchterman–Reingold with
#: grid-approximated repulsion (see ``_repulsion``) instead of NetworkX's, whose cost grows
#: with the square of the node count: measured on 2 cores, NetworkX took 0.2 s at 300 nodes,
#: 1-2 s at 500 and 50 s at 5,000 nodes / 20,000 ties; the numpy version 0.08 s at 300,
#: 0.25 s at 1,000 and 2-2.5 s at 5,000, with the same ratio of tie length to random-pair
#: distance.
LARGE_GRAPH = 100
#: Up to this many nodes the numpy version computes repulsion between every pair exactly
#: (faster than the grid below about 250 nodes).
_DENSE = 200
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


def _initial(G: nx.Graph, fixed: Mapping[Hashable, tuple[float, float]], rng: Random) -> dict:
    """Start positions in [-1, 1]: fixed nodes where they are, new ones near placed neighbours.

    Above :data:`LARGE_GRAPH` nodes only fixed neighbours count and the rest start spread
    over the whole square: placing each node beside earlier new ones piles thousands into a
    few clumps, whose close pairs made 20,000 nodes take four times as long to lay out.
    """
    pos = {n: (float(x), float(y)) for n, (x, y) in fixed.items()}
    spread = 2.0 / math.sqrt(max(len(G), 1))
    chain = len(G) <= LARGE_GRAPH
    if pos:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        box = (min(xs), max(xs), min(ys), max(ys))
        if not chain:
            box = (min(box[0], -1.0), max(box[1], 1.0), min(box[2], -1.0), max(box[3], 1.0))
    else:
        box = (-1.0, 1.0, -1.0, 1.0)
    for node in G:
        if node in pos:
            continue
        placed = [pos[v] for v in G[node] if v in pos and (chain or v in fixed)]
        if placed:
            cx = sum(p[0] for p in placed) / len(placed)
            cy = sum(p[1] for p in placed) / len(placed)
            angle = rng.uniform(0.0, 2.0 * math.pi)
            pos[node] = (cx + spread * math.cos(angle), cy + spread * math.sin(angle))
        else:
            pos[node] = (rng.uniform(box[0], box[1]), rng.uniform(box[2], box[3]))
    return pos


def _repulsion(xy: np.ndarray, k: float) -> np.ndarray:
    """Fruchterman–Reingold repulsion ``k^2 / d``: exact between nodes closer than 1.5 grid
    cells, and from the centre of mass of each cell not next to a node's own cell; exact
    between every pair up to :data:`_DENSE` nodes."""
    n = len(xy)
    if n <= _DENSE:
        dx = xy[:, 0, None] - xy[None, :, 0]
        dy = xy[:, 1, None] - xy[None, :, 1]
        weight = k * k / np.maximum(dx * dx + dy * dy, (0.01 * k) ** 2)
        return np.stack([(dx * weight).sum(axis=1), (dy * weight).sum(axis=1)], axis=1)
    size = max(4, min(32, int(math.sqrt(n) / 3)))
    low, high = np.percentile(xy, [2.0, 98.0], axis=0)
    h = max(float((high - low).max()), k) / size
    cell = np.clip(((xy - low) / h).astype(np.int64), 0, size - 1)
    disp = np.zeros_like(xy)
    pairs = cKDTree(xy).query_pairs(1.5 * h, output_type="ndarray")
    if len(pairs):
        i, j = pairs[:, 0], pairs[:, 1]
        delta = xy[i] - xy[j]
        dist2 = np.maximum((delta**2).sum(axis=1), (0.01 * k) ** 2)
        force = delta * (k * k / dist2)[:, None]
        for axis in (0, 1):
            disp[:, axis] += np.bincount(i, force[:, axis], n)
            disp[:, axis] -= np.bincount(j, force[:, axis], n)
    cid = cell[:, 0] * size + cell[:, 1]
    used, inverse, mass = np.unique(cid, return_inverse=True, return_counts=True)
    centre = np.stack([np.bincount(inverse, xy[:, a]) / mass for a in (0, 1)], axis=1)
    grid = np.stack([used // size, used % size], axis=1)
    far = (np.abs(grid[:, None, :] - grid[None, :, :]) > 1).any(axis=2)
    delta = centre[:, None, :] - centre[None, :, :]
    dist2 = np.maximum((delta**2).sum(axis=2), (0.01 * k) ** 2)
    weight = np.where(far, mass[None, :] * k * k / dist2, 0.0)
    field = (delta * weight[:, :, None]).sum(axis=1)
    return disp + field[inverse]


def _grid_fruchterman_reingold(
    G: nx.Graph, pos: dict, fixed: set, iterations: int, k: float
) -> dict:
    """Fruchterman–Reingold with grid-approximated repulsion (see :func:`_repulsion`)."""
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    xy = np.array([pos[n] for n in nodes], dtype=float)
    movable = np.array([n not in fixed for n in nodes])
    ends = np.array([(index[u], index[v]) for u, v in G.edges()], dtype=np.int64).reshape(-1, 2)
    weight = np.array([d["strength"] for _, _, d in G.edges(data=True)], dtype=float)
    if len(weight):
        weight /= weight.mean()
    n = len(nodes)
    t = 0.1 * float(np.ptp(xy, axis=0).max() or 1.0)
    dt = t / (iterations + 1)
    for _ in range(iterations):
        disp = _repulsion(xy, k)
        if len(ends):
            u, v = ends[:, 0], ends[:, 1]
            delta = xy[u] - xy[v]
            dist = np.sqrt((delta**2).sum(axis=1))
            force = delta * (dist * weight / k)[:, None]
            for axis in (0, 1):
                disp[:, axis] -= np.bincount(u, force[:, axis], n)
                disp[:, axis] += np.bincount(v, force[:, axis], n)
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), 1e-9)
        step = disp * (np.minimum(length, t) / length)[:, None]
        xy[movable] += step[movable]
        t -= dt
    return {n: (float(xy[i, 0]), float(xy[i, 1])) for i, n in enumerate(nodes)}


def _pull_in(pos: dict) -> dict:
    """Bring stragglers (usually people with no ties, which repulsion flings far out) back to
    just outside the bulk of the layout, keeping their direction, so zooming to fit the whole
    map does not shrink everyone else."""
    if len(pos) < 20:
        return pos
    xy = np.array(list(pos.values()), dtype=float)
    centre = np.median(xy, axis=0)
    radius = np.sqrt(((xy - centre) ** 2).sum(axis=1))
    limit = 1.15 * float(np.percentile(radius, 95))
    far = np.flatnonzero(radius > limit)
    for rank, i in enumerate(far[np.argsort(radius[far], kind="stable")]):
        xy[i] = centre + (xy[i] - centre) * (limit * (1 + 0.01 * rank) / radius[i])
    return {n: (float(x), float(y)) for n, (x, y) in zip(pos, xy, strict=True)}


def _rescale(pos: dict) -> dict:
    """Centre on the origin and scale so the furthest coordinate is 1."""
    xy = np.array(list(pos.values()), dtype=float)
    xy -= xy.mean(axis=0)
    extent = float(np.abs(xy).max()) or 1.0
    xy /= extent
    return {n: (float(x), float(y)) for n, (x, y) in zip(pos, xy, strict=True)}


def _separate(pos: dict, keep: set, gap: float) -> dict:
    """Nudge any node (not in ``keep``) sharing a spot with an earlier one, deterministically."""
    taken = {(round(x, 6), round(y, 6)) for n, (x, y) in pos.items() if n in keep}
    out = {}
    for node, (x, y) in pos.items():
        if node not in keep:
            step = 0
            while (round(x, 6), round(y, 6)) in taken:
                step += 1
                x += gap * math.cos(step * _GOLDEN_ANGLE)
                y += gap * math.sin(step * _GOLDEN_ANGLE)
        taken.add((round(x, 6), round(y, 6)))
        out[node] = (float(x), float(y))
    return out


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
    start = _initial(G, norm, rng)
    large = len(G) > LARGE_GRAPH
    steps = iterations if iterations is not None else 50
    k = 2.0 / math.sqrt(len(G))
    if large:
        pos = _grid_fruchterman_reingold(G, start, set(norm), steps, k)
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
        pos = _rescale(_pull_in(pos))
    out = {}
    for node in G:
        if node in fixed:
            out[node] = fixed[node]
        else:
            x, y = pos[node]
            out[node] = (min(max(x, -1.0), 1.0) * scale, min(max(y, -1.0), 1.0) * scale)
    return _separate(out, set(fixed), gap=0.01 * scale)


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
