"""Betweenness, every way the tool computes it: exact (:func:`betweenness`, numpy or NetworkX)
and at any size (:func:`estimate_betweenness`: Brandes' algorithm compiled by igraph, exact or
sampled)."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, replace
from numbers import Real
from random import Random
from typing import Any

import igraph
import networkx as nx
import numpy as np

from mapping.analysis.sources import BRANDES_2001, cite
from mapping.recent import Recent

__all__ = [
    "METHOD",
    "SOURCE",
    "EXACT_WORK",
    "SAMPLE_SOURCES",
    "BetweennessEstimate",
    "betweenness",
    "integer_lengths",
    "brandes_betweenness",
    "estimate_betweenness",
]

METHOD = (
    "Brandes' (2001) algorithm, compiled (igraph), on whole-number lengths so equally short "
    "routes tie exactly; on large maps a random sample of route starts estimates every value "
    "without bias (Brandes & Pich 2007), with its standard error."
)

BRANDES_PICH_2007 = (
    "Brandes, U. & Pich, C. (2007). Centrality estimation in large networks. International "
    "Journal of Bifurcation and Chaos 17(7), 2303-2318."
)

SOURCE = cite(BRANDES_2001, BRANDES_PICH_2007)

#: People times (people + 2 x ties) up to which betweenness is exact: under a second on 2
#: cores (1,000 people and 5,000 ties take about 0.2 s); above it, it is estimated.
EXACT_WORK = 25_000_000
#: Route starts an estimate counts from: on 5,000 people and 25,000 ties, 600 starts give a
#: rank correlation with the exact values of 0.95 and the same top 10 brokers (9 or 10 of
#: them) in about 1 s on 2 cores; on 20,000 people and 100,000 ties, 5-10 s (BENCHMARKS.md).
SAMPLE_SOURCES = 600
#: Results kept for maps whose ties and strengths have not changed (by the digest of ``_fingerprint``).
_MEMO_SIZE = 8
#: Groups the sampled route starts are split into to estimate the standard error.
_GROUPS = 20
#: Whole-number route lengths stay exact in floating point below this.
_EXACT_FLOAT = 2**52


def integer_lengths(strengths: np.ndarray) -> np.ndarray | None:
    """Tie lengths 1/strength scaled to whole numbers by the strengths' least common multiple.

    Equally short routes then tie exactly, whatever the order of addition. ``None`` when a
    strength is not a positive whole number or the multiple is too large to stay exact.

    >>> integer_lengths(np.array([1, 2, 3, 4, 5])).tolist()
    [60, 30, 20, 15, 12]
    >>> integer_lengths(np.array([0.5])) is None
    True
    """
    if strengths.size == 0:
        return np.zeros(0, dtype=np.int64)
    values = np.unique(strengths)
    if not np.all(values == np.round(values)) or values.min() < 1:
        return None
    scale = math.lcm(*(int(v) for v in values))
    if scale > 10**12:
        return None
    return (scale // strengths.astype(np.int64)).astype(np.int64)


@dataclass(frozen=True)
class _Arcs:
    """The graph as arrays: node order, and every tie once with its whole-number length."""

    nodes: list
    tail: np.ndarray
    head: np.ndarray
    length: np.ndarray

    def graph(self) -> igraph.Graph:
        """The same network as an igraph graph (node i is ``nodes[i]``)."""
        edges = np.column_stack([self.tail, self.head]).tolist()
        return igraph.Graph(n=len(self.nodes), edges=edges, directed=False)


def _arcs(G: nx.Graph, weight: str | None) -> _Arcs | None:
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    pairs = [(index[u], index[v], d) for u, v, d in G.edges(data=True) if u != v]
    u = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
    v = np.fromiter((p[1] for p in pairs), dtype=np.int64, count=len(pairs))
    if weight is None:
        length = np.ones(len(pairs), dtype=np.int64)
    else:
        strength = np.array([p[2].get(weight, 1) for p in pairs], dtype=object)
        if not all(isinstance(s, Real) and not isinstance(s, bool) for s in strength):
            return None
        found = integer_lengths(strength.astype(float))
        if found is None:
            return None
        length = found
    if length.size and int(length.max()) * max(len(nodes), 1) >= _EXACT_FLOAT:
        return None
    return _Arcs(nodes, u, v, length)


def _group_sums(arcs: _Arcs, groups: list[np.ndarray]) -> list[np.ndarray]:
    """:func:`_route_sums` of each group of route starts, in order, in this process.

    igraph keeps Python's lock while it counts, so threads cannot share the work; a second
    process was measured to gain little on two cores for its memory and start-up
    (BENCHMARKS.md), so every group is counted here.
    """
    graph = arcs.graph()
    return [_route_sums(arcs, graph, g) for g in groups]


def _route_sums(arcs: _Arcs, graph: igraph.Graph, starts: np.ndarray) -> np.ndarray:
    """Every node's dependency summed over the route ``starts``:
    how many of the shortest routes from a start to everyone else pass through the node,
    each route sharing one count equally among its equally short alternatives (Brandes 2001).

    igraph runs Brandes' algorithm in C; on undirected graphs it counts each pair once, half
    the sum over starts, hence the factor 2.
    """
    weights = arcs.length.astype(float).tolist()
    found = graph.betweenness(directed=False, weights=weights, sources=starts.tolist())
    return 2.0 * np.asarray(found)


def brandes_betweenness(G: nx.Graph, weight: str | None = "strength") -> dict[Any, float] | None:
    """Exact normalised betweenness on distance 1/``weight``, as NetworkX gives on exact lengths.

    ``None`` when the graph is directed, a multigraph, or has strengths that are not
    positive whole numbers (then use NetworkX).

    >>> brandes_betweenness(nx.path_graph(3))
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    if G.is_directed() or G.is_multigraph():
        return None
    n = len(G)
    if n <= 2:
        return dict.fromkeys(G, 0.0)
    arcs = _arcs(G, weight)
    if arcs is None:
        return None
    return _exact(arcs)


def _exact(arcs: _Arcs) -> dict[Any, float]:
    """Normalised betweenness from every route start."""
    n = len(arcs.nodes)
    total = np.sum(_group_sums(arcs, np.array_split(np.arange(n), 2)), axis=0)
    pairs = (n - 1) * (n - 2)
    return {v: float(x / pairs) for v, x in zip(arcs.nodes, total, strict=True)}


@dataclass(frozen=True)
class BetweennessEstimate:
    """Betweenness for everyone, and how it was found.

    ``exact`` is False when it is estimated from ``sources`` random route starts of the
    ``people`` on the map; ``standard_error`` is then the largest estimated standard error
    among the ten highest values (in the same units: a share of routes), else 0.0.
    """

    values: Mapping[Hashable, float] = field(hash=False)
    exact: bool
    sources: int
    people: int
    standard_error: float

    @property
    def method(self) -> str:
        """``"exact"`` or ``"sampled"``."""
        return "exact" if self.exact else "sampled"

    @property
    def note(self) -> str:
        """How betweenness was found, in plain language.

        >>> BetweennessEstimate({}, True, 3, 3, 0.0).note
        'Betweenness is exact: every route between every pair of people was counted.'
        """
        if self.exact:
            return "Betweenness is exact: every route between every pair of people was counted."
        return (
            f"Betweenness is estimated: routes were counted from {self.sources:,} of the "
            f"{self.people:,} people, picked at random, which is unbiased; the top brokers' "
            f"values are within about ±{100 * 2 * self.standard_error:.1f} percentage points "
            "(two standard errors), so treat close ranks as ties."
        )


def _exact_estimate(values: Mapping[Hashable, float], n: int) -> BetweennessEstimate:
    return BetweennessEstimate(dict(values), True, n, n, 0.0)


def _fingerprint(arcs: _Arcs, weight: str | None, *settings: int) -> str:
    """A digest of everything betweenness depends on: people, ties, strengths, settings."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(repr((arcs.nodes, weight, settings)).encode("utf-8", "backslashreplace"))
    for array in (arcs.tail, arcs.head, arcs.length):
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


_MEMO: Recent[Hashable, BetweennessEstimate] = Recent(_MEMO_SIZE)


def estimate_betweenness(
    G: nx.Graph,
    weight: str | None = "strength",
    *,
    max_work: int = EXACT_WORK,
    sources: int = SAMPLE_SOURCES,
    seed: int = 42,
) -> BetweennessEstimate:
    """Normalised betweenness, exact where that is cheap and estimated where it is not.

    Exact when (people) x (people + 2 x ties) is at most ``max_work``, or when ``sources``
    is at least the number of people; otherwise routes are counted from ``sources`` route
    starts drawn at random (the same for the same ``seed``). An estimate is the mean share
    of routes from a sampled start through the person, over the sampled starts other than
    them, divided by ``n - 2``: unbiased (Brandes & Pich 2007; NetworkX's ``k=`` gives the
    same), with a standard error from the spread over the starts. Graphs NetworkX must
    handle (directed, multigraphs, fractional strengths) are computed exactly by NetworkX.

    Results are remembered by a digest of the people, ties and strengths (not names,
    stances or ratings), so an edit that leaves the network alone recomputes nothing.

    Examples
    --------
    >>> G = nx.path_graph(4)
    >>> estimate_betweenness(G).values[1]
    0.6666666666666666
    >>> rough = estimate_betweenness(G, max_work=0, sources=2)
    >>> rough.exact, rough.sources
    (False, 2)
    """
    n = len(G)
    arcs = None if G.is_directed() or G.is_multigraph() or n <= 2 else _arcs(G, weight)
    if arcs is None:
        if n <= 2:
            return _exact_estimate(dict.fromkeys(G, 0.0), n)
        from mapping.analysis.betweenness import betweenness  # NetworkX on exact lengths

        return _exact_estimate(betweenness(G, weight), n)
    exact = n * (n + 2 * len(arcs.tail)) <= max_work or sources >= n
    k = n if exact else max(int(sources), 2)
    key = _fingerprint(arcs, weight, k, seed)
    known = _MEMO.get(key)
    if known is not None:
        return replace(known, values=dict(known.values))
    found = _exact_estimate(_exact(arcs), n) if exact else _sampled(arcs, k, seed)
    _MEMO.put(key, found)
    return replace(found, values=dict(found.values))


def _sampled(arcs: _Arcs, k: int, seed: int) -> BetweennessEstimate:
    n = len(arcs.nodes)
    chosen = np.array(Random(seed).sample(range(n), k), dtype=np.int64)
    # the starts in groups: the spread of the groups' sums gives the standard error
    groups = np.array_split(chosen, min(_GROUPS, k))
    sums = np.array(_group_sums(arcs, groups))
    total = sums.sum(axis=0)
    sampled = np.zeros(n, dtype=bool)
    sampled[chosen] = True
    count = np.where(sampled, k - 1, k).astype(float)
    mean = total / count
    # one start's dependency varies about the mean by s^2, estimated from the groups:
    # a group of g starts sums to g * mean give or take g * s^2
    size = np.array([len(g) for g in groups], dtype=float)[:, None]
    spread = ((sums - size * mean) ** 2 / size).sum(axis=0) / max(len(groups) - 1, 1)
    # finite-population correction: the starts are drawn without replacement from n - 1
    fpc = np.maximum((n - 1 - count) / (n - 2), 0.0)
    values = mean / (n - 2)
    error = np.sqrt(spread / count * fpc) / (n - 2)
    top = np.argsort(-values, kind="stable")[:10]
    return BetweennessEstimate(
        values={v: float(x) for v, x in zip(arcs.nodes, values, strict=True)},
        exact=False,
        sources=int(k),
        people=n,
        standard_error=float(error[top].max()),
    )


#: Above this least common multiple of strengths, distances fall back to floating point.
_MAX_SCALE = 10**12


def _distance_function(G: nx.Graph, weight: str | None) -> Callable | None:
    """Edge length 1/strength, as exact whole numbers when every strength is a whole number.

    Floating-point sums of 1/5, 1/3... depend on the order of addition, so equally short
    routes would not tie; scaling by the least common multiple of the strengths keeps the
    same shortest paths and makes every length exact.
    """
    if weight is None:
        return None
    strengths = {d.get(weight, 1) for _, _, d in G.edges(data=True)}
    if all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in strengths):
        scale = math.lcm(*strengths) if strengths else 1
        if scale <= _MAX_SCALE:
            return lambda u, v, d: scale // d.get(weight, 1)
    return lambda u, v, d: 1.0 / d.get(weight, 1)


def betweenness(G: nx.Graph, weight: str | None = "strength") -> dict[Any, float]:
    """Normalised betweenness: the share of shortest routes between others that pass through v.

    Routes are measured in distance = 1/``weight`` (a strong tie is short), or in steps when
    ``weight`` is None. Freeman (1977), computed with Brandes' algorithm (2001): vectorised
    with numpy (:mod:`mapping.analysis.betweenness`) on undirected graphs with
    whole-number strengths, else NetworkX's. Exact; for large maps see
    :func:`mapping.analysis.betweenness.estimate_betweenness`.

    >>> G = nx.path_graph(3)
    >>> betweenness(G)
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    if len(G) == 0:
        return {}
    fast = brandes_betweenness(G, weight)
    if fast is not None:
        return fast
    values = nx.betweenness_centrality(G, weight=_distance_function(G, weight), normalized=True)
    return {n: float(v) for n, v in values.items()}
