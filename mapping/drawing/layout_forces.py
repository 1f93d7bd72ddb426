"""The force-directed layout's machinery: start positions, Fruchterman–Reingold in numpy
for large maps, and tidying the result (stragglers pulled in, rescaled, no shared spots)."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from random import Random

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

from mapping.drawing.layout_grouped import _GOLDEN_ANGLE

__all__ = [
    "LARGE_GRAPH",
    "grid_fruchterman_reingold",
    "initial_positions",
    "pull_in",
    "repulsion",
    "rescale",
    "separate",
]

#: Above this many nodes the force-directed layout uses a numpy Fruchterman–Reingold with
#: grid-approximated repulsion (see ``repulsion``) instead of NetworkX's, whose cost grows
#: with the square of the node count: measured on 2 cores, NetworkX took 0.2 s at 300 nodes,
#: 1-2 s at 500 and 50 s at 5,000 nodes / 20,000 ties; the numpy version 0.08 s at 300,
#: 0.25 s at 1,000 and 2-2.5 s at 5,000, with the same ratio of tie length to random-pair
#: distance.
LARGE_GRAPH = 100
#: Up to this many nodes the numpy version computes repulsion between every pair exactly
#: (faster than the grid below about 250 nodes).
_DENSE = 200


def initial_positions(
    G: nx.Graph, fixed: Mapping[Hashable, tuple[float, float]], rng: Random
) -> dict:
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


def repulsion(xy: np.ndarray, k: float) -> np.ndarray:
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


def grid_fruchterman_reingold(
    G: nx.Graph, pos: dict, fixed: set, iterations: int, k: float
) -> dict:
    """Fruchterman–Reingold with grid-approximated repulsion (see :func:`repulsion`)."""
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
        disp = repulsion(xy, k)
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


def pull_in(pos: dict) -> dict:
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


def rescale(pos: dict) -> dict:
    """Centre on the origin and scale so the furthest coordinate is 1.

    >>> rescale({"a": (0.0, 0.0), "b": (4.0, 2.0)})
    {'a': (-1.0, -0.5), 'b': (1.0, 0.5)}
    """
    xy = np.array(list(pos.values()), dtype=float)
    xy -= xy.mean(axis=0)
    extent = float(np.abs(xy).max()) or 1.0
    xy /= extent
    return {n: (float(x), float(y)) for n, (x, y) in zip(pos, xy, strict=True)}


def separate(pos: dict, keep: set, gap: float) -> dict:
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
